package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/index"
)

// indexAPIRoutes registers the JSON API of the service index (LEGAL §8). indexRoutes
// (index_pages.go) calls it.
func (s *Server) indexAPIRoutes() {
	s.add("GET", "/api/v1/index", accessPublic, s.apiIndex)
	s.add("GET", "/api/v1/index/ranking", accessPublic, s.apiIndexRanking)
	s.add("GET", "/api/v1/index/drill", accessSignedIn, s.apiIndexDrill)
}

// indexPeriod reads the from and to query parameters (YYYY-MM-DD, both included). Without
// either, the period is the current year up to today, the figure dashboards open on.
func (s *Server) indexPeriod(r *http.Request) (index.Period, error) {
	q := r.URL.Query()
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	if from == "" && to == "" {
		today := index.DateOf(s.app.Now())
		y, _, _ := today.YMD()
		return index.Custom(index.NewDate(y, time.January, 1), today)
	}
	bad := func(field string) error {
		msg := "Ngày không hợp lệ: cần dạng YYYY-MM-DD (ví dụ 2026-08-31), từ năm 2000 đến 2199."
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_" + field, MessageVI: msg,
			MessageEN: field + " must be a date YYYY-MM-DD between 2000 and 2199.", Fields: map[string]string{field: msg}}
	}
	f, err := index.ParseDate(from)
	if err != nil {
		return index.Period{}, bad("from")
	}
	t, err := index.ParseDate(to)
	if err != nil {
		return index.Period{}, bad("to")
	}
	p, err := index.Custom(f, t)
	if err != nil {
		msg := "Kỳ báo cáo không hợp lệ: ngày bắt đầu phải không sau ngày kết thúc và kỳ dài không quá 10 năm."
		return index.Period{}, &app.Error{Kind: app.KindInvalid, Code: "invalid_period", MessageVI: msg, MessageEN: "Invalid period: " + err.Error(), Fields: map[string]string{"from": msg}}
	}
	return p, nil
}

// indexUnit reads the unit query parameter; the province when absent.
func (s *Server) indexUnit(r *http.Request) (string, error) {
	if u := strings.TrimSpace(r.URL.Query().Get("unit")); u != "" {
		return u, nil
	}
	dir, err := s.app.Directory(r.Context())
	if err != nil {
		return "", err
	}
	return dir.Province().Key, nil
}

// apiIndexReport is the JSON of GET /api/v1/index: the unit, the period, every group with its
// indicators (id = the number in LEGAL §8, numerator, denominator, rate, points, max_points),
// the total and the period's dossier movement.
type apiIndexReport struct {
	Unit     string              `json:"unit"`
	UnitName string              `json:"unit_name"`
	Period   index.Period        `json:"period"`
	Total    float64             `json:"total"`
	MaxTotal float64             `json:"max_total"`
	Groups   []index.GroupResult `json:"groups"`
	Summary  index.Summary       `json:"summary"`
}

func (s *Server) unitName(r *http.Request, key string) string {
	dir, err := s.app.Directory(r.Context())
	if err != nil {
		return ""
	}
	u, ok := dir.Unit(key)
	if !ok {
		return ""
	}
	return u.FullName()
}

func (s *Server) apiIndex(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.indexUnit(r)
	if err != nil {
		return err
	}
	p, err := s.indexPeriod(r)
	if err != nil {
		return err
	}
	rep, err := s.app.Index(r.Context(), principalOf(r), unit, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiIndexReport{Unit: unit, UnitName: s.unitName(r, unit), Period: rep.Period, Total: rep.Total,
		MaxTotal: rep.MaxTotal, Groups: rep.Groups, Summary: rep.Summary})
	return nil
}

func (s *Server) apiIndexRanking(w http.ResponseWriter, r *http.Request) error {
	p, err := s.indexPeriod(r)
	if err != nil {
		return err
	}
	ranked, err := s.app.IndexRanking(r.Context(), principalOf(r), strings.TrimSpace(r.URL.Query().Get("kind")), p)
	if err != nil {
		return err
	}
	type item struct {
		Rank     int     `json:"rank"`
		Unit     string  `json:"unit"`
		UnitName string  `json:"unit_name"`
		Total    float64 `json:"total"`
	}
	items := make([]item, 0, len(ranked))
	for _, x := range ranked {
		items = append(items, item{Rank: x.Rank, Unit: x.Unit, UnitName: s.unitName(r, x.Unit), Total: x.Total})
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": p, "items": items})
	return nil
}

func (s *Server) apiIndexDrill(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	unit := strings.TrimSpace(q.Get("unit"))
	if unit == "" {
		msg := "Chưa chọn đơn vị (tham số unit)."
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_unit", MessageVI: msg, MessageEN: "unit is required.", Fields: map[string]string{"unit": msg}}
	}
	ind := strings.TrimSpace(q.Get("indicator"))
	if ind == "" {
		msg := "Chưa chọn chỉ tiêu (tham số indicator, ví dụ 2.1)."
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_indicator", MessageVI: msg, MessageEN: "indicator is required (e.g. 2.1).", Fields: map[string]string{"indicator": msg}}
	}
	p, err := s.indexPeriod(r)
	if err != nil {
		return err
	}
	dd, err := s.app.IndexDrill(r.Context(), principalOf(r), unit, p, ind)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, dd)
	return nil
}
