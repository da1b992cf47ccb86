package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
)

func init() {
	registerPages("admin_home", "admin_calendar", "admin_units", "admin_unit", "admin_officers", "admin_audit",
		"admin_procedures", "admin_procedure", "admin_sync")
}

// adminRoutes registers this area's routes (see routes.go): the administration console for
// system administrators (everything) and unit administrators (their own unit's desk and
// officers). Each handler decides the unit scope through app (auth.ActionConfigure).
func (s *Server) adminRoutes() {
	s.add("GET", "/quan-tri", accessConfigure, s.adminHome)

	// Working calendar (issue 4).
	s.add("GET", "/quan-tri/lich", accessConfigure, s.adminCalendar)
	s.add("POST", "/quan-tri/lich", accessConfigure, s.adminCalendarPut)

	// Organization (issue 5).
	s.add("GET", "/quan-tri/don-vi", accessConfigure, s.adminUnits)
	s.add("GET", "/quan-tri/don-vi/{unit}", accessConfigure, s.adminUnit)
	s.add("POST", "/quan-tri/don-vi/{unit}/gio-lam-viec", accessConfigure, s.adminDeskSessions)
	s.add("GET", "/quan-tri/can-bo", accessConfigure, s.adminOfficers)
	s.add("POST", "/quan-tri/can-bo", accessConfigure, s.adminOfficerCreate)
	s.add("POST", "/quan-tri/can-bo/{username}/vai-tro", accessConfigure, s.adminOfficerAddRole)
	s.add("POST", "/quan-tri/can-bo/{username}/vai-tro/xoa", accessConfigure, s.adminOfficerRemoveRole)
	s.add("POST", "/quan-tri/can-bo/{username}/trang-thai", accessConfigure, s.adminOfficerStatus)
	s.add("POST", "/quan-tri/can-bo/{username}/xac-thuc", accessConfigure, s.adminOfficerTOTP)
	s.add("GET", "/quan-tri/nhat-ky", accessConfigure, s.adminAudit)
	s.add("GET", "/quan-tri/dong-bo", accessConfigure, s.adminSync)
	s.add("POST", "/quan-tri/dong-bo/{id}/gui-lai", accessConfigure, s.adminSyncRetry)

	// Catalog (issue 5).
	s.add("GET", "/quan-tri/thu-tuc", accessConfigure, s.adminProcedures)
	s.add("POST", "/quan-tri/thu-tuc/nhap", accessConfigure, s.adminProceduresImport)
	s.add("GET", "/quan-tri/thu-tuc/xuat.json", accessConfigure, s.adminProceduresExportJSON)
	s.add("GET", "/quan-tri/thu-tuc/xuat.xlsx", accessConfigure, s.adminProceduresExportXLSX)
	s.add("GET", "/quan-tri/thu-tuc/{code}", accessConfigure, s.adminProcedure)
}

// adminStyles are the stylesheets of every administration page.
var adminStyles = []string{"admin.css"}

// adminNav is the console's own navigation; Province marks links only system administrators
// can use (unit administrators do not see them).
type adminNav struct {
	Href, Label string
	Current     bool
}

// adminBase is embedded in every administration page's data.
type adminBase struct {
	Nav      []adminNav
	System   bool   // the principal is a system administrator
	Notice   string // a success message after a redirect (?ok=...)
	Error    string // the page-level error of a refused form
	Username string
}

// adminNotice is the success message named by ?ok= (so that no text comes from the URL), in
// lang; "" for an unknown name.
func adminNotice(lang, name string) string {
	switch name {
	case "notice":
		return tr(lang, "admin.ok.notice")
	case "sessions":
		return tr(lang, "admin.ok.sessions")
	case "created":
		return tr(lang, "admin.ok.created")
	case "role":
		return tr(lang, "admin.ok.role")
	case "disabled":
		return tr(lang, "admin.ok.disabled")
	case "enabled":
		return tr(lang, "admin.ok.enabled")
	case "imported":
		return tr(lang, "admin.ok.imported")
	case "retry":
		return tr(lang, "admin.ok.retry")
	}
	return ""
}

func (s *Server) adminBase(r *http.Request, current string) adminBase {
	p, lang := principalOf(r), langOf(r)
	b := adminBase{System: s.app.AuthorizeConfigure(p, "") == nil, Notice: adminNotice(lang, r.URL.Query().Get("ok")), Username: p.Subject}
	items := []adminNav{{"/quan-tri/don-vi", tr(lang, "admin.nav.units"), false}, {"/quan-tri/can-bo", tr(lang, "admin.nav.officers"), false},
		{"/quan-tri/nhat-ky", tr(lang, "admin.nav.audit"), false}}
	if b.System {
		items = append([]adminNav{{"/quan-tri/lich", tr(lang, "admin.nav.calendar"), false}}, items...)
		items = append(items, adminNav{"/quan-tri/thu-tuc", tr(lang, "admin.nav.procedures"), false},
			adminNav{"/quan-tri/dong-bo", tr(lang, "admin.nav.sync"), false})
	}
	for i := range items {
		items[i].Current = items[i].Href == current
	}
	b.Nav = items
	return b
}

// adminRedirect answers a successful form with a redirect (POST/redirect/GET) carrying a notice.
func adminRedirect(w http.ResponseWriter, r *http.Request, path, notice string) error {
	u := path
	if notice != "" {
		sep := "?"
		if q, err := url.Parse(path); err == nil && q.RawQuery != "" {
			sep = "&"
		}
		u += sep + "ok=" + url.QueryEscape(notice)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
	return nil
}

// adminFormFailure splits an application error into what a form shows: the per-field messages and
// the page-level message. Errors that are not about the input (scope, outage) are returned
// for writeError instead.
// The page-level message is in lang when the error has an English one; the per-field messages
// are Vietnamese only (app.Error.Fields).
func adminFormFailure(lang string, err error) (fields map[string]string, msg string, other error) {
	var ae *app.Error
	if errors.As(err, &ae) && (ae.Kind == app.KindInvalid || ae.Kind == app.KindConflict) {
		msg = ae.MessageVI
		if lang == langEN && ae.MessageEN != "" {
			msg = ae.MessageEN
		}
		return ae.Fields, msg, nil
	}
	return nil, "", err
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "admin_home", view{Title: tr(langOf(r), "admin.home.title"), Data: s.adminBase(r, "/quan-tri"), Styles: adminStyles})
}

// adminSyncPage is the national portal synchronization: the lag and the failing messages.
type adminSyncPage struct {
	adminBase
	Lag      string
	Problems []app.SyncProblem
}

// adminSync shows system administrators how far the national portal's synchronization lags
// and which messages it keeps refusing or failing (each holds back its dossier's later ones).
func (s *Server) adminSync(w http.ResponseWriter, r *http.Request) error {
	st, err := s.app.NationalSyncStatus(r.Context(), principalOf(r))
	if err != nil {
		return err
	}
	lang := langOf(r)
	d := adminSyncPage{adminBase: s.adminBase(r, "/quan-tri/dong-bo"), Problems: st.Problems}
	d.Lag = tr(lang, "admin.sync.none")
	if st.Lag > 0 {
		d.Lag = waitText(lang, st.Lag)
	}
	return s.render(w, r, "admin_sync", view{Title: tr(lang, "admin.sync.title"), Data: d, Styles: adminStyles})
}

// adminSyncRetry makes a failing message due now ("Gửi lại ngay") and returns to the page.
func (s *Server) adminSyncRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return app.Errorf(app.KindInvalid, "bad_message", "Mã tin không hợp lệ.", "Invalid message id.")
	}
	if err := s.app.RetryNationalSync(r.Context(), principalOf(r), id); err != nil {
		return err
	}
	return adminRedirect(w, r, "/quan-tri/dong-bo", "retry")
}

// waitText says how long something has waited, to the second below an hour and to the minute
// above: "1 ngày 2 giờ 5 phút", "5 phút 0 giây".
func waitText(lang string, d time.Duration) string {
	units := []struct {
		size   time.Duration
		vi, en string
	}{{24 * time.Hour, "ngày", "d"}, {time.Hour, "giờ", "h"}, {time.Minute, "phút", "min"}, {time.Second, "giây", "s"}}
	if d >= time.Hour {
		units = units[:3]
	}
	var parts []string
	for i, u := range units {
		n := d / u.size
		d -= n * u.size
		if n == 0 && len(parts) == 0 && i < len(units)-1 {
			continue
		}
		name := u.vi
		if lang == langEN {
			name = u.en
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, name))
	}
	return strings.Join(parts, " ")
}
