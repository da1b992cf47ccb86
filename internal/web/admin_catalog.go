package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

type adminProceduresPage struct {
	adminBase
	Items   []*catalog.Procedure
	Total   int
	Query   string
	PrevURL string
	NextURL string
	// The import's refusal: one row per problem (row, code, field, message).
	ImportError    string
	ImportProblems []org.Problem
}

const adminProceduresPerPage = 50

func (s *Server) adminProceduresData(r *http.Request) (adminProceduresPage, error) {
	q := r.URL.Query()
	d := adminProceduresPage{adminBase: s.adminBase(r, "/quan-tri/thu-tuc"), Query: strings.TrimSpace(q.Get("q"))}
	if len(d.Query) > 200 {
		return d, app.Errorf(app.KindInvalid, "query_too_long", "Từ khóa tìm kiếm quá dài (tối đa 200 ký tự).", "The search text is too long (200 characters at most).")
	}
	page := 1
	if n, err := strconv.Atoi(q.Get("trang")); err == nil && n > 1 {
		page = n
	}
	cq := catalog.Query{Text: d.Query, Limit: adminProceduresPerPage, Offset: (page - 1) * adminProceduresPerPage}
	items, total, err := s.app.SearchProcedures(r.Context(), cq)
	if err != nil {
		return d, err
	}
	d.Items, d.Total = items, total
	link := func(p int) string {
		v := url.Values{}
		if d.Query != "" {
			v.Set("q", d.Query)
		}
		v.Set("trang", strconv.Itoa(p))
		return "/quan-tri/thu-tuc?" + v.Encode()
	}
	if page > 1 {
		d.PrevURL = link(page - 1)
	}
	if cq.Offset+len(items) < total {
		d.NextURL = link(page + 1)
	}
	return d, nil
}

// adminProcedures lists the published catalog with the import form and the export links.
// Province-wide: system administrators only.
func (s *Server) adminProcedures(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.AuthorizeConfigure(principalOf(r), ""); err != nil {
		return err
	}
	d, err := s.adminProceduresData(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	if q := r.URL.Query(); q.Get("ok") == "imported" {
		d.Notice = fmt.Sprintf(tr(lang, "admin.ok.importedCounts"), adminCount(q.Get("moi")), adminCount(q.Get("phien-ban")), adminCount(q.Get("giu-nguyen")))
	}
	return s.render(w, r, "admin_procedures", view{Title: tr(lang, "admin.procs.title"), Data: d, Styles: adminStyles})
}

// adminProceduresImport publishes a motcua.procedures/v1 JSON file or the administrators'
// spreadsheet (.xlsx), all or nothing; a refusal lists every problem by row and field.
func (s *Server) adminProceduresImport(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	if err := s.app.AuthorizeConfigure(p, ""); err != nil {
		return err
	}
	var body []byte
	var name string
	f, hdr, err := r.FormFile("file")
	switch {
	case err == nil:
		name = hdr.Filename
		body, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return err
		}
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		err = nil // no file: said below
	default:
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &app.Error{Kind: app.KindInvalid, Code: "bad_form", MessageVI: "Không đọc được tệp gửi lên.", MessageEN: "The upload could not be read.", Err: err}
	}
	lang := langOf(r)
	var sum app.ImportSummary
	failure := ""
	var problems []org.Problem
	switch {
	case len(body) == 0:
		failure = tr(lang, "admin.procs.err.noFile")
	case strings.HasSuffix(strings.ToLower(name), ".xlsx") || bytes.HasPrefix(body, []byte("PK\x03\x04")):
		sum, err = s.app.ImportProceduresXLSX(r.Context(), p.Subject, body)
	default:
		sum, err = s.app.ImportProcedures(r.Context(), p.Subject, body)
	}
	if err != nil {
		_, msg, other := adminFormFailure(lang, err)
		if other != nil {
			return other
		}
		failure = msg
		if ve, ok := org.AsValidationError(err); ok {
			problems = ve.Problems
		}
	}
	if failure != "" {
		r.URL.RawQuery = ""
		d, derr := s.adminProceduresData(r)
		if derr != nil {
			return derr
		}
		d.ImportError, d.ImportProblems = failure, problems
		d.Error = tr(lang, "admin.procs.err.refused")
		return s.renderStatusErr(w, r, http.StatusBadRequest, "admin_procedures", view{Title: tr(lang, "admin.procs.err.title"), Data: d, Styles: adminStyles})
	}
	v := url.Values{"ok": {"imported"}, "moi": {strconv.Itoa(sum.Created)}, "phien-ban": {strconv.Itoa(sum.NewVersions)}, "giu-nguyen": {strconv.Itoa(sum.Unchanged)}}
	http.Redirect(w, r, "/quan-tri/thu-tuc?"+v.Encode(), http.StatusSeeOther)
	return nil
}

// adminProceduresExportJSON downloads the published catalog as motcua.procedures/v1.
func (s *Server) adminProceduresExportJSON(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.AuthorizeConfigure(principalOf(r), ""); err != nil {
		return err
	}
	b, err := s.app.ExportProcedures(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="procedures.json"`)
	_, err = w.Write(b)
	return err
}

// adminProceduresExportXLSX downloads the published catalog as the administrators' spreadsheet.
func (s *Server) adminProceduresExportXLSX(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.AuthorizeConfigure(principalOf(r), ""); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.app.ExportProceduresXLSX(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="procedures.xlsx"`)
	_, err := w.Write(buf.Bytes())
	return err
}

type adminVersionView struct {
	store.ProcedureVersion
	StatusLabel string
}

type adminStepView struct {
	catalog.RoutedStep
	No                         int
	UnitName, RoleLabel, Share string
}

type adminProcedurePage struct {
	adminBase
	Procedure *catalog.Procedure
	Versions  []adminVersionView
	// The diff between two versions (From → To).
	From, To int
	Changes  []catalog.Change
	// Routing for a chosen receiving desk (and competent commune for commune procedures).
	Desks        []adminOption
	Communes     []adminOption
	Desk         string
	Authority    string
	AuthorityOf  string // the competent authority's name
	Steps        []adminStepView
	RoutingError string
}

// adminVersionStatus names a procedure version's status in both languages.
var adminVersionStatus = map[string]msg{store.VersionDraft: {"Dự thảo", "Draft"}, store.VersionPublished: {"Đang áp dụng", "In force"},
	store.VersionRetired: {"Hết hiệu lực", "Retired"}}

// adminProcedure shows a procedure's versions, what changed between two of them (documents,
// time, fees, steps), and which unit handles each step for a chosen receiving desk: reception
// is boundary-free, so any desk receives and routing finds the competent authority.
func (s *Server) adminProcedure(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.app.AuthorizeConfigure(principalOf(r), ""); err != nil {
		return err
	}
	code := r.PathValue("code")
	proc, err := s.app.Procedure(ctx, code)
	if err != nil {
		return err
	}
	lang := langOf(r)
	d := adminProcedurePage{adminBase: s.adminBase(r, "/quan-tri/thu-tuc"), Procedure: proc}
	hist, err := s.app.ProcedureHistory(ctx, code)
	if err != nil {
		return err
	}
	for _, v := range hist {
		d.Versions = append(d.Versions, adminVersionView{ProcedureVersion: v, StatusLabel: adminPick(lang, adminVersionStatus[v.Status])})
	}
	q := r.URL.Query()
	// The diff: by default the latest version against the one before it.
	if n := len(hist); n >= 2 {
		d.From, d.To = hist[n-2].Number, hist[n-1].Number
	}
	for _, k := range []struct {
		name string
		dst  *int
	}{{"tu", &d.From}, {"den", &d.To}} {
		if v := q.Get(k.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > len(hist) {
				return app.Errorf(app.KindInvalid, "bad_version", "Số phiên bản không hợp lệ.", "Invalid version number.")
			}
			*k.dst = n
		}
	}
	if d.From > 0 && d.To > 0 && d.From != d.To {
		a, err := s.app.ProcedureVersion(ctx, code, d.From)
		if err != nil {
			return err
		}
		b, err := s.app.ProcedureVersion(ctx, code, d.To)
		if err != nil {
			return err
		}
		d.Changes = catalog.Diff(a, b)
	}
	dir, err := s.app.Directory(ctx)
	if err != nil {
		return err
	}
	for _, dk := range dir.Desks() {
		d.Desks = append(d.Desks, adminOption{dk.Key, dk.Name})
	}
	d.Desk = q.Get("quay")
	if d.Desk == "" {
		d.Desk = dir.ServiceCenter()
	}
	if proc.Level == catalog.LevelCommune {
		for _, c := range dir.Communes() {
			d.Communes = append(d.Communes, adminOption{c.Key, c.FullName()})
		}
		d.Authority = q.Get("noi-giai-quyet")
		if d.Authority == "" {
			if _, ok := dir.CommuneOf(d.Desk); !ok && len(d.Communes) > 0 {
				d.Authority = d.Communes[0].Value
			}
		}
	}
	rt, err := catalog.Route(proc, dir, d.Desk, d.Authority)
	if err != nil {
		d.RoutingError = tr(lang, "admin.proc.routingError")
	} else {
		if u, ok := dir.Unit(rt.Authority); ok {
			d.AuthorityOf = u.FullName()
		}
		for _, st := range rt.Steps {
			name := st.Unit
			if u, ok := dir.Unit(st.Unit); ok {
				name = u.FullName()
			}
			d.Steps = append(d.Steps, adminStepView{RoutedStep: st, No: st.Index + 1, UnitName: name, RoleLabel: adminRoleLabel(lang, org.Role(st.Role)), Share: adminShare(lang, st.ShareMinutes)})
		}
	}
	return s.render(w, r, "admin_procedure", view{Title: proc.Name, Data: d, Styles: adminStyles})
}

// adminCount echoes a count from the query string, digits only.
func adminCount(s string) string {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return strconv.Itoa(n)
	}
	return "0"
}

// adminShare writes a step's share of the processing time in working days and hours.
func adminShare(lang string, min int) string {
	if min <= 0 {
		return "—"
	}
	days, rest := min/(8*60), min%(8*60)
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf(tr(lang, "admin.share.days"), days))
	}
	if rest >= 60 {
		parts = append(parts, fmt.Sprintf(tr(lang, "admin.share.hours"), rest/60))
	}
	if rest%60 > 0 {
		parts = append(parts, fmt.Sprintf(tr(lang, "admin.share.minutes"), rest%60))
	}
	return strings.Join(parts, " ")
}
