package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// The staff console (issue 7): work queues, the dossier page with its actions, desk reception,
// the leader's approval queue and the inspectors' access log. Pages are server-rendered and
// work without JavaScript; every state change is one app use case.

func init() {
	registerPages("console_home", "console_dossier", "console_reception", "console_approval", "console_access", "console_notices")
}

// consoleRoutes registers this area's routes (see routes.go).
//
// The routes about one dossier are open to signed-in principals rather than to officers only:
// the authorization matrix requires a dossier outside the caller's scope to answer 404 to
// everybody, applicants included, and the owner's own dossier to be reachable; consoleGate
// sends an applicant to the public status page of their dossier instead.
func (s *Server) consoleRoutes() {
	s.add("GET", "/can-bo", accessOfficer, s.consoleHome)
	s.dossier("GET", "/can-bo/ho-so/{code}", accessSignedIn, s.consoleDossier)
	s.dossier("GET", "/can-bo/ho-so/{code}/tai-lieu", accessSignedIn, s.consoleDocument)
	s.dossier("POST", "/can-bo/ho-so/{code}/thao-tac/{action}", accessSignedIn, s.consoleAct)
	s.add("GET", "/can-bo/tiep-nhan", accessOfficer, s.consoleReception)
	s.add("POST", "/can-bo/tiep-nhan", accessOfficer, s.consoleReceptionSubmit)
	s.add("GET", "/can-bo/phe-duyet", accessOfficer, s.consoleApproval)
	s.add("POST", "/can-bo/phe-duyet", accessOfficer, s.consoleApprovalSubmit)
	s.add("GET", "/can-bo/nhat-ky-truy-cap", accessInspector, s.consoleAccessLog)
	s.add("GET", "/can-bo/thong-bao", accessOfficer, s.consoleNotices)
}

// consoleStyles are the stylesheets of every console page.
var consoleStyles = []string{"console.css"}

// consolePageSize is the number of dossiers per page of a queue.
const consolePageSize = 20

// csQueueFilter is the filter form of the console's home page, as typed.
type csQueueFilter struct {
	Queue, Status, Procedure, Q, DueBefore string
	Mine                                   bool
	Page                                   int
}

// query returns the filter as a query string, with page p.
func (f csQueueFilter) query(p int) string {
	v := url.Values{}
	for k, x := range map[string]string{"hang": f.Queue, "trang-thai": f.Status, "thu-tuc": f.Procedure, "q": f.Q, "han-truoc": f.DueBefore} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if f.Mine {
		v.Set("cua-toi", "1")
	}
	if p > 1 {
		v.Set("trang", strconv.Itoa(p))
	}
	if len(v) == 0 {
		return "/can-bo"
	}
	return "/can-bo?" + v.Encode()
}

// csQueueRow is one dossier in a list.
type csQueueRow struct {
	Ref, Code, ProcedureName, Applicant, StateVI, StateClass string
	DueAt                                                    time.Time
	DueClass, DueVI                                          string
}

type consoleHomePage struct {
	Queues     []app.Queue
	Filter     csQueueFilter
	QueueLabel string
	Rows       []csQueueRow
	Total      int
	Page, Last int
	PrevURL    string
	NextURL    string
	Statuses   []csOption
	Procedures []csOption
	Errors     map[string]string
	Desk       bool // may file counter dossiers
	Leader     bool // has an approval queue
	Inspector  bool
	Unread     int // unread notices (at most app.NoticesShown)
}

// csOption is one <option> of a select.
type csOption struct{ Value, Label string }

func (s *Server) consoleHome(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), principalOf(r)
	lang := langOf(r)
	q := r.URL.Query()
	f := csQueueFilter{Queue: q.Get("hang"), Status: q.Get("trang-thai"), Procedure: q.Get("thu-tuc"), Q: strings.TrimSpace(q.Get("q")), DueBefore: q.Get("han-truoc"), Mine: q.Get("cua-toi") == "1", Page: 1}
	if n, err := strconv.Atoi(q.Get("trang")); err == nil && n > 1 {
		f.Page = n
	}
	pg := consoleHomePage{Filter: f, Errors: map[string]string{}, Desk: p.HasRole(auth.RoleDesk), Leader: p.HasRole(auth.RoleLeader), Inspector: p.HasRole(auth.RoleInspector)}
	unread, err := s.app.UnreadNotices(ctx, p)
	if err != nil {
		return err
	}
	pg.Unread = unread
	queues, err := s.app.ConsoleQueues(ctx, p)
	if err != nil {
		return err
	}
	if lang == langEN {
		for i := range queues {
			if l, ok := queueLabelsEN[queues[i].Key]; ok {
				queues[i].Label = l
			}
		}
	}
	pg.Queues = queues
	if f.Queue != "" {
		i := slices.IndexFunc(queues, func(x app.Queue) bool { return x.Key == f.Queue })
		if i < 0 {
			pg.Errors["hang"] = tr(lang, "console.err.queue")
			f.Queue = ""
		} else {
			pg.QueueLabel = queues[i].Label
		}
	}
	lf := app.ListFilter{Procedure: f.Procedure, Text: f.Q, Limit: consolePageSize, Offset: (f.Page - 1) * consolePageSize}
	if f.Status != "" {
		if !slices.Contains(dossier.States, dossier.State(f.Status)) {
			pg.Errors["trang-thai"] = tr(lang, "console.err.status")
		} else {
			lf.State = []string{f.Status}
		}
	}
	if f.DueBefore != "" {
		d, err := time.ParseInLocation("2006-01-02", f.DueBefore, calendar.VN)
		if err != nil {
			pg.Errors["han-truoc"] = tr(lang, "console.err.date")
		} else {
			lf.DueBefore = d.AddDate(0, 0, 1) // due on that day or before
		}
	}
	if f.Mine {
		lf.Assignee = p.Subject
	}
	views, total, err := s.app.ConsoleQueue(ctx, p, f.Queue, lf)
	if err != nil {
		return err
	}
	for _, v := range views {
		row := s.queueRowOf(ctx, v.Dossier)
		if lang == langEN {
			row.StateVI = stateLabel(lang, v.Dossier.State)
			if row.DueClass != "" {
				row.DueVI = tr(lang, "due."+row.DueClass)
			}
			if v.Dossier.Code == "" {
				row.Code = tr(lang, "console.noCode")
			}
		}
		pg.Rows = append(pg.Rows, row)
	}
	pg.Total, pg.Page = total, f.Page
	pg.Last = max(1, (total+consolePageSize-1)/consolePageSize)
	if f.Page > 1 {
		pg.PrevURL = f.query(f.Page - 1)
	}
	if f.Page < pg.Last {
		pg.NextURL = f.query(f.Page + 1)
	}
	pg.Statuses = []csOption{{"", tr(lang, "console.allStatuses")}}
	for _, st := range dossier.States {
		if st != dossier.Draft {
			pg.Statuses = append(pg.Statuses, csOption{string(st), stateLabel(lang, st)})
		}
	}
	pg.Procedures = append([]csOption{{"", tr(lang, "console.allProcedures")}}, s.csProcedureOptions(ctx)...)
	return s.render(w, r, "console_home", view{Title: tr(lang, "console.title"), Data: pg, Styles: consoleStyles})
}

// csProcedureOptions lists the published procedures for a select.
func (s *Server) csProcedureOptions(ctx context.Context) []csOption {
	ps, _, err := s.app.SearchProcedures(ctx, catalog.Query{Limit: 1000})
	if err != nil {
		return nil
	}
	out := make([]csOption, 0, len(ps))
	for _, p := range ps {
		out = append(out, csOption{p.Code, p.Code + " — " + p.Name})
	}
	slices.SortFunc(out, func(a, b csOption) int { return strings.Compare(a.Value, b.Value) })
	return out
}

// csRef is the URL reference of a dossier: its code once received, its id before.
func csRef(d *dossier.Dossier) string {
	if d.Code != "" {
		return d.Code
	}
	return d.ID
}

func (s *Server) queueRowOf(ctx context.Context, d *dossier.Dossier) csQueueRow {
	row := csQueueRow{Ref: csRef(d), Code: d.Code, ProcedureName: s.csProcedureName(ctx, d.Spec.Procedure), Applicant: d.Applicant.Name,
		StateVI: csCapitalize(dossier.StateNameVI(d.State)), StateClass: csStateClass(d.State), DueAt: d.DueAt}
	if row.Code == "" {
		row.Code = "Chưa cấp mã"
	}
	row.DueVI, row.DueClass = s.dueBadge(ctx, d)
	return row
}

// dueBadge judges an open dossier against its due date now: overdue, due within a working
// day, or on time.
func (s *Server) dueBadge(ctx context.Context, d *dossier.Dossier) (string, string) {
	if d.DueAt.IsZero() || (d.State != dossier.Received && d.State != dossier.InProgress) {
		return "", ""
	}
	now := s.app.Now()
	if !now.Before(d.DueAt) {
		return "Quá hạn", "bad"
	}
	if cal, err := s.app.Calendar(ctx); err == nil && cal.Elapsed(now, d.DueAt) <= dossier.WorkingDayMinutes {
		return "Sắp đến hạn", "warn"
	}
	return "Trong hạn", "ok"
}

func (s *Server) csProcedureName(ctx context.Context, code string) string {
	if p, err := s.app.Procedure(ctx, code); err == nil {
		return p.Name
	}
	return code
}

func (s *Server) csUnitName(ctx context.Context, key string) string {
	if key == "" {
		return ""
	}
	if dir, err := s.app.Directory(ctx); err == nil {
		if u, ok := dir.Unit(key); ok {
			return u.FullName()
		}
	}
	return key
}

// csStateClass is the badge colour of a state.
func csStateClass(st dossier.State) string {
	switch st {
	case dossier.Returned, dossier.Processed:
		return "ok"
	case dossier.Rejected, dossier.Closed, dossier.Withdrawn:
		return "bad"
	case dossier.SupplementRequested, dossier.SupplementRequestedInProcessing, dossier.Suspended:
		return "warn"
	}
	return ""
}

func csCapitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// csAccessRow is one access-log entry as the inspectors' page shows it.
type csAccessRow struct {
	At                                         time.Time
	Officer, Dossier, DossierRef, What, Screen string
	RequestID                                  string
}

type consoleAccessPage struct {
	Officer, Dossier string
	Rows             []csAccessRow
	Page             int
	PrevURL, NextURL string
}

const csAccessPageSize = 50

func (s *Server) consoleAccessLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg := consoleAccessPage{Officer: strings.TrimSpace(q.Get("can-bo")), Dossier: strings.TrimSpace(q.Get("ho-so")), Page: 1}
	if n, err := strconv.Atoi(q.Get("trang")); err == nil && n > 1 {
		pg.Page = n
	}
	f := store.AccessFilter{Officer: pg.Officer, DossierID: pg.Dossier, Limit: csAccessPageSize + 1, Offset: (pg.Page - 1) * csAccessPageSize}
	if pg.Dossier != "" {
		// Inspectors type the dossier's code; the log keeps its id.
		if row, err := s.app.Store().Dossier(r.Context(), pg.Dossier); err == nil {
			f.DossierID = row.ID
		}
	}
	entries, err := s.app.AccessLog(r.Context(), principalOf(r), f)
	if err != nil {
		return err
	}
	more := len(entries) > csAccessPageSize
	if more {
		entries = entries[:csAccessPageSize]
	}
	codes := map[string]string{}
	for _, e := range entries {
		ref, ok := codes[e.DossierID]
		if !ok {
			ref = e.DossierID
			if row, err := s.app.Store().Dossier(r.Context(), e.DossierID); err == nil && row.Code != "" {
				ref = row.Code
			}
			codes[e.DossierID] = ref
		}
		what := e.What
		if what == "personal_data" {
			what = tr(langOf(r), "csl.personal")
		}
		pg.Rows = append(pg.Rows, csAccessRow{At: e.At, Officer: e.Officer, Dossier: ref, DossierRef: ref, What: what, Screen: e.Screen, RequestID: e.RequestID})
	}
	page := func(n int) string {
		v := url.Values{}
		if pg.Officer != "" {
			v.Set("can-bo", pg.Officer)
		}
		if pg.Dossier != "" {
			v.Set("ho-so", pg.Dossier)
		}
		if n > 1 {
			v.Set("trang", strconv.Itoa(n))
		}
		return "/can-bo/nhat-ky-truy-cap?" + v.Encode()
	}
	if pg.Page > 1 {
		pg.PrevURL = page(pg.Page - 1)
	}
	if more {
		pg.NextURL = page(pg.Page + 1)
	}
	return s.render(w, r, "console_access", view{Title: tr(langOf(r), "csl.title"), Data: pg, Styles: consoleStyles})
}

// csNotice is one notice of the console's notices page.
type csNotice struct {
	Text, Ref, Code string
	At, DueAt       time.Time
	Unread          bool
	Past            bool // the deadline had passed when the notice was written (a late job run)
}

type consoleNoticesPage struct {
	Rows []csNotice
}

// consoleNotices lists the notices of the officer's units, newest first; opening the page
// marks them seen.
func (s *Server) consoleNotices(w http.ResponseWriter, r *http.Request) error {
	lang := langOf(r)
	ns, err := s.app.Notices(r.Context(), principalOf(r))
	if err != nil {
		return err
	}
	var pg consoleNoticesPage
	for _, n := range ns {
		ref := n.Code
		if ref == "" {
			ref = n.DossierID
		}
		pg.Rows = append(pg.Rows, csNotice{Text: tr(lang, "csn.kind."+n.Kind), Ref: ref, Code: n.Code, At: n.CreatedAt, DueAt: n.DueAt, Unread: n.Unread,
			Past: !n.DueAt.IsZero() && n.DueAt.Before(n.CreatedAt)})
	}
	return s.render(w, r, "console_notices", view{Title: tr(lang, "csn.title"), Data: pg, Styles: consoleStyles})
}
