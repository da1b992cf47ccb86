package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// adminKindLabels names unit kinds in both languages.
var adminKindLabels = map[org.Kind]msg{
	org.KindProvince:      {"Tỉnh", "Province"},
	org.KindAgency:        {"Sở, ban, ngành", "Provincial department"},
	org.KindServiceCenter: {"Trung tâm Phục vụ hành chính công", "Public administrative service centre"},
	org.KindCommune:       {"Cấp xã", "Commune level"},
	org.KindPolice:        {"Công an cấp xã", "Commune police"},
}

// adminKindLabel names a unit kind in lang (the kind's code when unknown).
func adminKindLabel(lang string, k org.Kind) string {
	if m, ok := adminKindLabels[k]; ok {
		return adminPick(lang, m)
	}
	return string(k)
}

// adminUnitRow is one unit of the organization tree.
type adminUnitRow struct {
	org.Unit
	Depth     int
	KindLabel string
	FullName  string
	HasDesk   bool
}

type adminUnitsPage struct {
	adminBase
	Units []adminUnitRow
}

// adminUnits lists the organization as a tree (by parent): kind, identifier, validity, and
// whether the unit has a one-stop desk. Unit administrators see their own units only.
func (s *Server) adminUnits(w http.ResponseWriter, r *http.Request) error {
	dir, err := s.app.Directory(r.Context())
	if err != nil {
		return err
	}
	p, lang := principalOf(r), langOf(r)
	d := adminUnitsPage{adminBase: s.adminBase(r, "/quan-tri/don-vi")}
	var walk func(u org.Unit, depth int)
	walk = func(u org.Unit, depth int) {
		if s.app.AuthorizeConfigure(p, u.Key) == nil {
			_, desk := dir.Desk(u.Key)
			d.Units = append(d.Units, adminUnitRow{Unit: u, Depth: min(depth, 3), KindLabel: adminKindLabel(lang, u.Kind), FullName: u.FullName(), HasDesk: desk})
		}
		for _, c := range dir.Children(u.Key) {
			walk(c, depth+1)
		}
	}
	walk(dir.Province(), 0)
	return s.render(w, r, "admin_units", view{Title: tr(lang, "admin.units.title"), Data: d, Styles: adminStyles})
}

type adminDeskView struct {
	org.Desk
	Hours         []string // "Thứ Hai 07:30–11:30"
	Sessions      string   // the desk's own working sessions, "" when it counts the province's
	Province      string   // the province's sessions
	SessionsInput string   // the form value (kept when refused)
	SessionsError string
}

type adminUnitPage struct {
	adminBase
	Unit      adminUnitRow
	Parent    string
	Desk      *adminDeskView
	Officers  []adminOfficerRow
	Children  []adminUnitRow
	CanManage bool
}

// adminDayNames are the days of a desk's opening hours in both languages.
var adminDayNames = map[string]msg{"mon": {"Thứ Hai", "Monday"}, "tue": {"Thứ Ba", "Tuesday"}, "wed": {"Thứ Tư", "Wednesday"},
	"thu": {"Thứ Năm", "Thursday"}, "fri": {"Thứ Sáu", "Friday"}, "sat": {"Thứ Bảy", "Saturday"}, "sun": {"Chủ nhật", "Sunday"}}

func (s *Server) adminUnitData(r *http.Request) (adminUnitPage, error) {
	ctx := r.Context()
	key := r.PathValue("unit")
	dir, err := s.app.Directory(ctx)
	if err != nil {
		return adminUnitPage{}, err
	}
	u, ok := dir.Unit(key)
	if !ok {
		return adminUnitPage{}, app.Errorf(app.KindNotFound, "unit_not_found", "Không tìm thấy đơn vị "+key+".", "No unit "+key+".")
	}
	p, lang := principalOf(r), langOf(r)
	if err := s.app.AuthorizeConfigure(p, key); err != nil {
		return adminUnitPage{}, err
	}
	d := adminUnitPage{adminBase: s.adminBase(r, "/quan-tri/don-vi"), Unit: adminUnitRow{Unit: u, KindLabel: adminKindLabel(lang, u.Kind), FullName: u.FullName()}}
	if parent, ok := dir.Unit(u.Parent); ok {
		d.Parent = parent.FullName()
	}
	for _, c := range dir.Children(key) {
		if s.app.AuthorizeConfigure(p, c.Key) == nil {
			d.Children = append(d.Children, adminUnitRow{Unit: c, KindLabel: adminKindLabel(lang, c.Kind), FullName: c.FullName()})
		}
	}
	if desk, ok := dir.Desk(key); ok {
		dv := &adminDeskView{Desk: desk}
		for _, h := range desk.Hours {
			dv.Hours = append(dv.Hours, adminPick(lang, adminDayNames[h.Day])+" "+h.From+"–"+h.To)
		}
		overrides, err := s.app.DeskSessions(ctx)
		if err != nil {
			return d, err
		}
		dv.Sessions = overrides[desk.Key]
		dv.SessionsInput = dv.Sessions
		cal, err := s.app.Calendar(ctx)
		if err != nil {
			return d, err
		}
		dv.Province = adminSessions(cal.Sessions())
		d.Desk = dv
	}
	officers, err := s.app.ManagedOfficers(ctx, p)
	if err != nil {
		return d, err
	}
	for _, o := range officers {
		if slices.ContainsFunc(o.Roles, func(r store.RoleRow) bool { return r.Unit == key }) {
			d.Officers = append(d.Officers, adminOfficerOf(lang, o, dir))
		}
	}
	return d, nil
}

func adminSessions(ss []calendar.Session) string {
	parts := make([]string, len(ss))
	for i, x := range ss {
		parts[i] = x.String()
	}
	return strings.Join(parts, ",")
}

// adminUnit shows one unit: its facts, its desk (reception hours, working sessions) and its
// officers.
func (s *Server) adminUnit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.adminUnitData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin_unit", view{Title: d.Unit.FullName, Data: d, Styles: adminStyles})
}

// adminDeskSessions sets (or clears) the working sessions of the unit's desk.
func (s *Server) adminDeskSessions(w http.ResponseWriter, r *http.Request) error {
	d, err := s.adminUnitData(r)
	if err != nil {
		return err
	}
	if d.Desk == nil {
		return app.Errorf(app.KindNotFound, "desk_not_found", "Đơn vị này không có bộ phận một cửa.", "This unit has no desk.")
	}
	input := r.PostFormValue("sessions")
	if r.PostFormValue("reset") != "" {
		input = ""
	}
	err = s.app.SetDeskSessions(r.Context(), principalOf(r), d.Desk.Key, input)
	if err != nil {
		lang := langOf(r)
		fields, msg, other := adminFormFailure(lang, err)
		if other != nil {
			return other
		}
		d.Desk.SessionsInput, d.Desk.SessionsError = input, fields["sessions"]
		if d.Desk.SessionsError == "" {
			d.Desk.SessionsError = msg
		}
		d.Error = tr(lang, "admin.unit.notSaved")
		return s.renderStatusErr(w, r, http.StatusBadRequest, "admin_unit", view{Title: d.Unit.FullName + " — " + tr(lang, "admin.errorWord"), Data: d, Styles: adminStyles})
	}
	return adminRedirect(w, r, "/quan-tri/don-vi/"+url.PathEscape(d.Unit.Key), "sessions")
}

// --- Officers --------------------------------------------------------------------------------

type adminRoleView struct {
	Role, Unit, RoleLabel, UnitName string
}

type adminOfficerRow struct {
	Username, Name string
	Disabled       bool
	TOTP           bool
	Roles          []adminRoleView
}

func adminOfficerOf(lang string, o store.Officer, dir *org.Directory) adminOfficerRow {
	row := adminOfficerRow{Username: o.Username, Name: o.Name, Disabled: o.Disabled, TOTP: o.TOTPSecret != ""}
	for _, r := range o.Roles {
		name := r.Unit
		if u, ok := dir.Unit(r.Unit); ok {
			name = u.FullName()
		}
		row.Roles = append(row.Roles, adminRoleView{Role: r.Role, Unit: r.Unit, RoleLabel: adminRoleLabel(lang, org.Role(r.Role)), UnitName: name})
	}
	return row
}

type adminOption struct{ Value, Label string }

// adminOfficerForm is the create form's values and errors (kept when refused).
type adminOfficerForm struct {
	Username, Name, Role, Unit string
	Errors                     map[string]string
}

type adminOfficersPage struct {
	adminBase
	Officers []adminOfficerRow
	Total    int
	Unit     string // the unit filter
	Query    string
	Page     int
	PrevURL  string
	NextURL  string
	Selected *adminOfficerRow // the officer whose actions are shown (?u=)
	Units    []adminOption    // units the principal configures
	Roles    []adminOption    // roles the principal may give
	Form     adminOfficerForm
	// RoleError is the add-role form's error for the selected officer.
	RoleError string
	Enrolment *app.Enrolment // a new second-factor secret, shown once
}

const adminOfficersPerPage = 50

func (s *Server) adminOfficersData(r *http.Request) (adminOfficersPage, error) {
	ctx := r.Context()
	p, lang := principalOf(r), langOf(r)
	q := r.URL.Query()
	d := adminOfficersPage{adminBase: s.adminBase(r, "/quan-tri/can-bo"), Unit: q.Get("don-vi"), Query: strings.TrimSpace(q.Get("q")), Page: 1}
	dir, err := s.app.Directory(ctx)
	if err != nil {
		return d, err
	}
	for _, u := range dir.Units() {
		if s.app.AuthorizeConfigure(p, u.Key) == nil {
			d.Units = append(d.Units, adminOption{u.Key, u.FullName()})
		}
	}
	for _, role := range org.Roles() {
		if (role == org.RoleAdmin || role == org.RoleInspector) && !d.System {
			continue
		}
		d.Roles = append(d.Roles, adminOption{string(role), adminRoleLabel(lang, role)})
	}
	all, err := s.app.ManagedOfficers(ctx, p)
	if err != nil {
		return d, err
	}
	needle := strings.ToLower(d.Query)
	var rows []adminOfficerRow
	for _, o := range all {
		if d.Unit != "" && !slices.ContainsFunc(o.Roles, func(r store.RoleRow) bool { return r.Unit == d.Unit }) {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(o.Username), needle) && !strings.Contains(strings.ToLower(o.Name), needle) {
			continue
		}
		rows = append(rows, adminOfficerOf(lang, o, dir))
		if o.Username == q.Get("u") {
			sel := rows[len(rows)-1]
			d.Selected = &sel
		}
	}
	if u := q.Get("u"); u != "" && d.Selected == nil {
		for _, o := range all {
			if o.Username == u {
				sel := adminOfficerOf(lang, o, dir)
				d.Selected = &sel
			}
		}
	}
	d.Total = len(rows)
	if n, err := strconv.Atoi(q.Get("trang")); err == nil && n > 1 {
		d.Page = n
	}
	from := (d.Page - 1) * adminOfficersPerPage
	if from > len(rows) {
		from = len(rows)
	}
	to := min(from+adminOfficersPerPage, len(rows))
	d.Officers = rows[from:to]
	link := func(page int) string {
		v := url.Values{}
		if d.Unit != "" {
			v.Set("don-vi", d.Unit)
		}
		if d.Query != "" {
			v.Set("q", d.Query)
		}
		v.Set("trang", strconv.Itoa(page))
		return "/quan-tri/can-bo?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = link(d.Page - 1)
	}
	if to < len(rows) {
		d.NextURL = link(d.Page + 1)
	}
	d.Form.Unit = d.Unit
	return d, nil
}

// adminOfficers lists the officers the principal manages, with their roles per unit, a
// filter by unit and name, the actions on one selected officer and the create form.
func (s *Server) adminOfficers(w http.ResponseWriter, r *http.Request) error {
	d, err := s.adminOfficersData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin_officers", view{Title: tr(langOf(r), "admin.off.title"), Data: d, Styles: adminStyles})
}

// adminOfficerCreate creates an officer from the form; a refused form keeps what was typed
// (never the password) and shows each error next to its field.
func (s *Server) adminOfficerCreate(w http.ResponseWriter, r *http.Request) error {
	f := adminOfficerForm{Username: strings.TrimSpace(r.PostFormValue("username")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Role: r.PostFormValue("role"), Unit: r.PostFormValue("unit")}
	in := app.NewOfficer{Username: f.Username, Name: f.Name, Password: r.PostFormValue("password")}
	if f.Role != "" || f.Unit != "" {
		in.Roles = []org.RoleAssignment{{Role: org.Role(f.Role), Unit: f.Unit}}
	}
	lang := langOf(r)
	enrol, err := s.app.CreateOfficer(r.Context(), principalOf(r), in)
	d, derr := s.adminOfficersData(r)
	if derr != nil {
		return derr
	}
	if err != nil {
		fields, msg, other := adminFormFailure(lang, err)
		if other != nil {
			return other
		}
		f.Errors = fields
		d.Form, d.Error = f, msg
		return s.renderStatusErr(w, r, http.StatusBadRequest, "admin_officers", view{Title: tr(lang, "admin.off.errTitle"), Data: d, Styles: adminStyles})
	}
	if enrol == nil {
		return adminRedirect(w, r, "/quan-tri/can-bo?u="+url.QueryEscape(in.Username), "created")
	}
	// The second-factor secret is shown in this answer only; it is never readable again.
	w.Header().Set("Cache-Control", "no-store")
	d.Notice, d.Enrolment = adminNotice(lang, "created"), enrol
	return s.render(w, r, "admin_officers", view{Title: tr(lang, "admin.off.title"), Data: d, Styles: adminStyles})
}

func (s *Server) adminOfficerRole(w http.ResponseWriter, r *http.Request, add bool) error {
	username := r.PathValue("username")
	ra := org.RoleAssignment{Role: org.Role(r.PostFormValue("role")), Unit: r.PostFormValue("unit")}
	var err error
	if add {
		err = s.app.AddOfficerRole(r.Context(), principalOf(r), username, ra)
	} else {
		err = s.app.RemoveOfficerRole(r.Context(), principalOf(r), username, ra)
	}
	back := "/quan-tri/can-bo?u=" + url.QueryEscape(username)
	if err != nil {
		lang := langOf(r)
		fields, msg, other := adminFormFailure(lang, err)
		if other != nil {
			return other
		}
		r.URL.RawQuery = "u=" + url.QueryEscape(username)
		d, derr := s.adminOfficersData(r)
		if derr != nil {
			return derr
		}
		d.RoleError = fields["role"]
		if d.RoleError == "" {
			d.RoleError = msg
		}
		d.Error = tr(lang, "admin.off.roleNotChanged")
		return s.renderStatusErr(w, r, http.StatusBadRequest, "admin_officers", view{Title: tr(lang, "admin.off.errTitle"), Data: d, Styles: adminStyles})
	}
	return adminRedirect(w, r, back, "role")
}

func (s *Server) adminOfficerAddRole(w http.ResponseWriter, r *http.Request) error {
	return s.adminOfficerRole(w, r, true)
}

func (s *Server) adminOfficerRemoveRole(w http.ResponseWriter, r *http.Request) error {
	return s.adminOfficerRole(w, r, false)
}

// adminOfficerStatus disables (disabled=1) or re-enables (disabled=0) an account.
func (s *Server) adminOfficerStatus(w http.ResponseWriter, r *http.Request) error {
	username := r.PathValue("username")
	var disabled bool
	switch r.PostFormValue("disabled") {
	case "1":
		disabled = true
	case "0":
	default:
		return app.Errorf(app.KindInvalid, "bad_status", "Thiếu trạng thái tài khoản cần đặt (khóa hoặc mở khóa).", "disabled must be 1 or 0.")
	}
	if err := s.app.SetOfficerDisabled(r.Context(), principalOf(r), username, disabled); err != nil {
		return err
	}
	notice := "enabled"
	if disabled {
		notice = "disabled"
	}
	return adminRedirect(w, r, "/quan-tri/can-bo?u="+url.QueryEscape(username), notice)
}

// adminOfficerTOTP gives the officer a new second-factor secret, shown once.
func (s *Server) adminOfficerTOTP(w http.ResponseWriter, r *http.Request) error {
	username := r.PathValue("username")
	e, err := s.app.ResetOfficerTOTP(r.Context(), principalOf(r), username)
	if err != nil {
		return err
	}
	r.URL.RawQuery = "u=" + url.QueryEscape(username)
	d, err := s.adminOfficersData(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	lang := langOf(r)
	d.Notice, d.Enrolment = tr(lang, "admin.ok.totp"), &e
	return s.render(w, r, "admin_officers", view{Title: tr(lang, "admin.off.title"), Data: d, Styles: adminStyles})
}

// --- Audit log -------------------------------------------------------------------------------

// adminAuditRow is one audit entry as listed; long details (a whole notice) are shortened.
type adminAuditRow struct {
	store.AuditEntry
	Short string
}

type adminAuditPage struct {
	adminBase
	Entries []adminAuditRow
	Kinds   []adminOption
	Kind    string
	Key     string
	NextURL string
}

// adminAuditKinds name the audited object kinds in both languages.
var adminAuditKinds = map[string]msg{
	"calendar_notice": {"Thông báo lịch làm việc", "Working-calendar notice"},
	"desk":            {"Bộ phận một cửa", "One-stop desk"},
	"officer":         {"Cán bộ", "Officer"},
	"officers":        {"Tạo cán bộ hàng loạt", "Officers created in bulk"},
	"procedures":      {"Danh mục thủ tục", "Procedure catalog"},
	"units":           {"Danh mục đơn vị", "Unit list"},
}

// adminAudit lists administrative changes, newest first, filtered by object kind and key.
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := adminAuditPage{adminBase: s.adminBase(r, "/quan-tri/nhat-ky"), Kind: q.Get("loai"), Key: strings.TrimSpace(q.Get("doi-tuong"))}
	f := store.AuditFilter{Kind: d.Kind, Key: d.Key, Limit: 50}
	if v := q.Get("truoc"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return app.Errorf(app.KindInvalid, "bad_cursor", "Tham số trang không hợp lệ.", "Invalid page cursor.")
		}
		f.Before = n
	}
	es, err := s.app.AuditLog(r.Context(), principalOf(r), f)
	if err != nil {
		return err
	}
	for _, e := range es {
		short := e.Detail
		if r := []rune(short); len(r) > 240 {
			short = string(r[:240]) + "…"
		}
		d.Entries = append(d.Entries, adminAuditRow{AuditEntry: e, Short: short})
	}
	kinds := []string{"desk", "officer"} // what unit administrators see
	if d.System {
		kinds = []string{"calendar_notice", "desk", "officer", "officers", "procedures", "units"}
	}
	for _, k := range kinds {
		d.Kinds = append(d.Kinds, adminOption{k, adminPick(langOf(r), adminAuditKinds[k])})
	}
	if len(es) == f.Limit {
		v := url.Values{}
		if d.Kind != "" {
			v.Set("loai", d.Kind)
		}
		if d.Key != "" {
			v.Set("doi-tuong", d.Key)
		}
		v.Set("truoc", strconv.FormatInt(es[len(es)-1].ID, 10))
		d.NextURL = "/quan-tri/nhat-ky?" + v.Encode()
	}
	return s.render(w, r, "admin_audit", view{Title: tr(langOf(r), "admin.audit.title"), Data: d, Styles: adminStyles})
}
