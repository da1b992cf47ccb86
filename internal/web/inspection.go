package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/calendar"
)

type apiInspection struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Inspector string    `json:"inspector"`
	Severity  string    `json:"severity"`
	Rule      string    `json:"rule,omitempty"`
	Finding   string    `json:"finding"`
}

func (s *Server) apiInspect(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var in app.InspectionInput
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_body", MessageVI: "Nội dung yêu cầu không hợp lệ: cần severity, finding (và rule).", MessageEN: "Invalid body: " + err.Error()}
	}
	rec, err := s.app.Inspect(r.Context(), principalOf(r), r.PathValue("code"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apiInspection{ID: rec.ID, At: rec.At.UTC(), Inspector: rec.Inspector, Severity: rec.Severity, Rule: rec.Rule, Finding: rec.Finding})
	return nil
}

func (s *Server) apiInspections(w http.ResponseWriter, r *http.Request) error {
	recs, err := s.app.Inspections(r.Context(), principalOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	out := make([]apiInspection, 0, len(recs))
	for _, rec := range recs {
		out = append(out, apiInspection{ID: rec.ID, At: rec.At.UTC(), Inspector: rec.Inspector, Severity: rec.Severity, Rule: rec.Rule, Finding: rec.Finding})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// apiTrackingBook serves a unit's tracking book for [from, to] (dates, Vietnam time) as PDF.
func (s *Server) apiTrackingBook(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	day := func(name string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", q.Get(name), calendar.VN)
		if err != nil {
			return time.Time{}, &app.Error{Kind: app.KindInvalid, Code: "invalid_" + name, MessageVI: "Tham số " + name + " phải là ngày dạng YYYY-MM-DD.", MessageEN: name + " must be a date YYYY-MM-DD."}
		}
		return t, nil
	}
	from, err := day("from")
	if err != nil {
		return err
	}
	to, err := day("to")
	if err != nil {
		return err
	}
	pdf, err := s.app.TrackingBook(r.Context(), principalOf(r), r.PathValue("unit"), from, to)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="so-theo-doi.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(pdf)
	return err
}
