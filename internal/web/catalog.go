package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/catalog"
)

const pageSize = 20

// catalogQuery reads the catalog filters shared by the page and the API.
func catalogQuery(r *http.Request) (catalog.Query, error) {
	v := r.URL.Query()
	q := catalog.Query{Text: strings.TrimSpace(v.Get("q")), Field: v.Get("field"), Level: catalog.Level(v.Get("level")),
		OnlineLevel: catalog.OnlineLevel(firstOf(v.Get("online_level"), v.Get("online"))), Authority: v.Get("authority"), Limit: pageSize}
	if len(q.Text) > 200 {
		return q, app.Errorf(app.KindInvalid, "query_too_long", "Từ khóa tìm kiếm quá dài (tối đa 200 ký tự).", "The search text is too long (200 characters at most).")
	}
	switch q.Level {
	case "", "commune", "province":
	default:
		return q, app.Errorf(app.KindInvalid, "bad_level", "Cấp thực hiện phải là commune hoặc province.", "level must be commune or province.")
	}
	switch q.OnlineLevel {
	case "", "full", "partial", "none":
	default:
		return q, app.Errorf(app.KindInvalid, "bad_online_level", "Mức độ dịch vụ trực tuyến phải là full, partial hoặc none.", "online_level must be full, partial or none.")
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return q, app.Errorf(app.KindInvalid, "bad_limit", "limit phải từ 1 đến 100.", "limit must be between 1 and 100.")
		}
		q.Limit = n
	}
	if s := firstOf(v.Get("offset"), ""); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, app.Errorf(app.KindInvalid, "bad_offset", "offset không hợp lệ.", "offset must be a non-negative integer.")
		}
		q.Offset = n
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, app.Errorf(app.KindInvalid, "bad_page", "Số trang không hợp lệ.", "page must be a positive integer.")
		}
		q.Offset = (n - 1) * q.Limit
	}
	return q, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// procedureSummary is one row of the catalog list in the API.
type procedureSummary struct {
	Code           string                 `json:"code"`
	Name           string                 `json:"name"`
	Field          string                 `json:"field"`
	Level          catalog.Level          `json:"level"`
	Authority      catalog.Authority      `json:"authority"`
	OnlineLevel    catalog.OnlineLevel    `json:"online_level"`
	Interconnected bool                   `json:"interconnected"`
	ProcessingTime catalog.ProcessingTime `json:"processing_time"`
}

func (s *Server) apiProcedures(w http.ResponseWriter, r *http.Request) error {
	q, err := catalogQuery(r)
	if err != nil {
		return err
	}
	ps, total, err := s.app.SearchProcedures(r.Context(), q)
	if err != nil {
		return err
	}
	items := make([]procedureSummary, 0, len(ps))
	for _, p := range ps {
		items = append(items, procedureSummary{Code: p.Code, Name: p.Name, Field: p.Field, Level: p.Level, Authority: p.Authority,
			OnlineLevel: p.OnlineLevel, Interconnected: p.Interconnected, ProcessingTime: p.ProcessingTime})
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "limit": q.Limit, "offset": q.Offset, "items": items})
	return nil
}

func (s *Server) apiProcedure(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	b, err := catalog.MarshalProcedure(p)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(b)
	return err
}

type catalogPage struct {
	Query    catalog.Query
	Items    []*catalog.Procedure
	Total    int
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	Fields   []string
	Searched bool
}

func (s *Server) catalogList(w http.ResponseWriter, r *http.Request) error {
	q, err := catalogQuery(r)
	if err != nil {
		return err
	}
	ps, total, err := s.app.SearchProcedures(r.Context(), q)
	if err != nil {
		return err
	}
	page := q.Offset/q.Limit + 1
	pages := (total + q.Limit - 1) / q.Limit
	link := func(p int) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(p))
		return "/thu-tuc?" + v.Encode()
	}
	d := catalogPage{Query: q, Items: ps, Total: total, Page: page, Pages: pages, Searched: q.Text != ""}
	if page > 1 {
		d.PrevURL = link(page - 1)
	}
	if page < pages {
		d.NextURL = link(page + 1)
	}
	all, _, err := s.app.SearchProcedures(r.Context(), catalog.Query{})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range all {
		if !seen[p.Field] {
			seen[p.Field] = true
			d.Fields = append(d.Fields, p.Field)
		}
	}
	return s.render(w, r, "catalog", view{Title: tr(langOf(r), "catalog.title"), Data: d})
}

type procedurePage struct {
	P         *catalog.Procedure
	Authority string
	Steps     []stepView
}

type stepView struct {
	Name, Role, Unit, Share string
	Parallel                bool
}

var roleLabels = map[string]string{"desk": "Bộ phận Một cửa", "specialist": "Chuyên viên", "leader": "Lãnh đạo"}

func (s *Server) procedurePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.app.Procedure(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	d := procedurePage{P: p, Authority: s.authorityName(r, p)}
	for _, st := range p.Process {
		d.Steps = append(d.Steps, stepView{Name: st.Name, Role: roleLabels[st.Role], Unit: s.stepUnitName(r, p, st.Unit), Share: shareLabel(st.Share), Parallel: st.Parallel})
	}
	return s.render(w, r, "procedure", view{Title: p.Name, Data: d})
}

func shareLabel(sh catalog.Share) string {
	switch sh.Unit {
	case "working_day":
		return strconv.Itoa(sh.Value) + " ngày làm việc"
	case "working_minute":
		return strconv.Itoa(sh.Value) + " phút làm việc"
	}
	return strconv.Itoa(sh.Value) + " giờ làm việc"
}

// authorityName describes the competent authority in words an applicant understands.
func (s *Server) authorityName(r *http.Request, p *catalog.Procedure) string {
	switch p.Authority.Agency {
	case "ubnd-xa":
		return "Ủy ban nhân dân xã, phường nơi có thẩm quyền giải quyết"
	case "cong-an-xa":
		return "Công an xã, phường nơi có thẩm quyền giải quyết"
	}
	if dir, err := s.app.Directory(r.Context()); err == nil {
		if u, ok := dir.Unit(p.Authority.Agency); ok {
			return u.Name
		}
	}
	return p.Authority.Agency
}

func (s *Server) stepUnitName(r *http.Request, p *catalog.Procedure, sel string) string {
	switch {
	case sel == catalog.StepUnitReceivingDesk:
		return "Bộ phận Một cửa nơi nộp hồ sơ"
	case sel == catalog.StepUnitAuthority:
		return s.authorityName(r, p)
	case strings.HasPrefix(sel, catalog.StepUnitAgencyPrefix):
		key := strings.TrimPrefix(sel, catalog.StepUnitAgencyPrefix)
		switch key {
		case "ubnd-xa":
			return "Ủy ban nhân dân xã, phường"
		case "cong-an-xa":
			return "Công an xã, phường"
		}
		if dir, err := s.app.Directory(r.Context()); err == nil {
			if u, ok := dir.Unit(key); ok {
				return u.Name
			}
		}
		return key
	}
	return sel
}
