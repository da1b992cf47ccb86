package app

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// AuthorizeConfigure checks that p may configure unit ("" = the province: calendar, catalog,
// units). System administrators configure everything, unit administrators their own unit.
func (a *App) AuthorizeConfigure(p auth.Principal, unit string) error {
	if err := auth.Authorize(p, auth.ActionConfigure, auth.Resource{Unit: unit}); err != nil {
		return authzError(err)
	}
	return nil
}

// configures reports whether p may configure unit, without an error value (for filtering).
func configures(p auth.Principal, unit string) bool {
	return auth.Authorize(p, auth.ActionConfigure, auth.Resource{Unit: unit}) == nil
}

// --- Working sessions per desk ---------------------------------------------------------------

// deskCalendars caches each desk's calendar: the province calendar with the desk's own
// sessions. It is keyed by the province calendar it was derived from, so a new notice (which
// replaces the province calendar) invalidates it, and it is cleared when a desk's sessions
// change.
type deskCalendars struct {
	mu       sync.Mutex
	base     *calendar.Calendar
	sessions map[string][]calendar.Session // desk key -> override; nil = not loaded
	cals     map[string]*calendar.Calendar // desk key -> calendar
}

func (a *App) deskCache() *deskCalendars { return &a.desks }

// DeskCalendar returns the working calendar deadlines of dossiers received at a unit's desk
// are counted in: the province calendar, with the desk's own working sessions when an
// administrator set them (issue 4: sessions per province, overridable per desk). A unit
// without a desk or without an override gets the province calendar itself.
func (a *App) DeskCalendar(ctx context.Context, unit string) (*calendar.Calendar, error) {
	base, err := a.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	c := a.deskCache()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.base != base || c.sessions == nil {
		if err := a.loadDeskSessions(ctx, c); err != nil {
			return nil, err
		}
		c.base, c.cals = base, map[string]*calendar.Calendar{}
	}
	key := a.deskOf(ctx, unit)
	ss, ok := c.sessions[key]
	if !ok {
		return base, nil
	}
	if cal, ok := c.cals[key]; ok {
		return cal, nil
	}
	cal, err := base.WithSessions(ss)
	if err != nil {
		return nil, fmt.Errorf("sessions of desk %s: %w", key, err)
	}
	c.cals[key] = cal
	return cal, nil
}

// deskOf returns the key of the desk owned by unit (desks of the seed are keyed like their
// unit, but the data model allows otherwise).
func (a *App) deskOf(ctx context.Context, unit string) string {
	dir, err := a.Directory(ctx)
	if err != nil {
		return unit
	}
	if _, ok := dir.Desk(unit); ok {
		return unit
	}
	for _, d := range dir.Desks() {
		if d.Unit == unit {
			return d.Key
		}
	}
	return unit
}

func (a *App) loadDeskSessions(ctx context.Context, c *deskCalendars) error {
	raw, err := a.store.DeskSessions(ctx)
	if err != nil {
		return err
	}
	c.sessions = map[string][]calendar.Session{}
	for k, v := range raw {
		ss, err := calendar.ParseSessions(v)
		if err != nil {
			return fmt.Errorf("stored sessions of desk %s no longer parse: %w", k, err)
		}
		c.sessions[k] = ss
	}
	return nil
}

// DeskSessions returns the desks whose working sessions differ from the province's, by desk
// key, formatted as administrators write them ("07:00-11:00,13:30-17:30").
func (a *App) DeskSessions(ctx context.Context) (map[string]string, error) {
	return a.store.DeskSessions(ctx)
}

// SetDeskSessions sets the working sessions of a desk from an administrator's text
// ("07:00-11:00,13:30-17:30"; empty restores the province's sessions), audit-logged. The
// sessions must add up to 8 hours. Unit administrators set their own unit's desk only.
func (a *App) SetDeskSessions(ctx context.Context, p auth.Principal, desk, text string) error {
	dir, err := a.Directory(ctx)
	if err != nil {
		return err
	}
	d, ok := dir.Desk(desk)
	if !ok {
		return Errorf(KindNotFound, "desk_not_found", "Không tìm thấy bộ phận một cửa "+desk+".", "No desk "+desk+".")
	}
	if err := a.AuthorizeConfigure(p, d.Unit); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	canonical := ""
	if text != "" {
		ss, err := calendar.ParseSessions(text)
		if err != nil {
			return &Error{Kind: KindInvalid, Code: "invalid_sessions", Err: err,
				MessageVI: "Giờ làm việc không hợp lệ: nhập các buổi dạng 07:30-11:30,13:00-17:00, theo thứ tự, không chồng nhau, tổng cộng đúng 8 giờ.",
				MessageEN: "Invalid working sessions: write them like 07:30-11:30,13:00-17:00, in order, not overlapping, 8 hours in all.",
				Fields:    map[string]string{"sessions": "Nhập các buổi dạng 07:30-11:30,13:00-17:00, theo thứ tự, không chồng nhau, tổng cộng đúng 8 giờ."}}
		}
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = s.String()
		}
		canonical = strings.Join(parts, ",")
		if slices.Equal(ss, calendar.DefaultSessions()) {
			canonical = "" // the province's own sessions: no override
		}
	}
	audit := store.AuditEntry{At: a.now(), Actor: p.Subject, Action: "set_sessions", ObjectKind: "desk", ObjectKey: desk,
		Detail: jsonString(map[string]string{"sessions": canonical})}
	if err := a.store.SetDeskSessions(ctx, desk, canonical, audit); err != nil {
		return fmt.Errorf("set desk sessions: %w", err)
	}
	c := a.deskCache()
	c.mu.Lock()
	c.sessions, c.cals = nil, nil
	c.mu.Unlock()
	return nil
}

// --- Officers --------------------------------------------------------------------------------

// NewOfficer is what an administrator enters to create an officer account.
type NewOfficer struct {
	Username, Name, Password string
	Roles                    []org.RoleAssignment
}

// Enrolment is a fresh second-factor secret, shown once to the administrator who hands it to
// the officer (who adds it to an authenticator app). It is stored only sealed.
type Enrolment struct {
	Username string
	Secret   string // base32
	URL      string // otpauth:// URL
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// provinceRoles are granted by system administrators only: they reach beyond one unit.
func provinceRole(r org.Role) bool { return r == org.RoleAdmin || r == org.RoleInspector }

// checkGrant verifies that p may give (or take) role r in unit: the unit exists, p configures
// it, and province-wide roles come from system administrators only. field names the form
// field for the message.
func (a *App) checkGrant(p auth.Principal, dir *org.Directory, r org.RoleAssignment) (msg string, err error) {
	if !r.Role.Valid() {
		return "Vai trò không hợp lệ.", nil
	}
	if _, ok := dir.Unit(r.Unit); !ok {
		return "Không có đơn vị này.", nil
	}
	if err := a.AuthorizeConfigure(p, r.Unit); err != nil {
		return "", err
	}
	if provinceRole(r.Role) {
		if err := a.AuthorizeConfigure(p, ""); err != nil {
			return "", err
		}
	}
	return "", nil
}

// ManagedOfficers lists the officers p manages: every officer for a system administrator;
// for a unit administrator, those holding a role in a unit they configure.
func (a *App) ManagedOfficers(ctx context.Context, p auth.Principal) ([]store.Officer, error) {
	all, err := a.store.Officers(ctx)
	if err != nil {
		return nil, err
	}
	if configures(p, "") {
		return all, nil
	}
	var out []store.Officer
	for _, o := range all {
		if slices.ContainsFunc(o.Roles, func(r store.RoleRow) bool { return configures(p, r.Unit) }) {
			out = append(out, o)
		}
	}
	return out, nil
}

// managedOfficer loads an officer p may see: out of scope is "not found", like a dossier.
func (a *App) managedOfficer(ctx context.Context, p auth.Principal, username string) (store.Officer, error) {
	o, err := a.store.Officer(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return store.Officer{}, Errorf(KindNotFound, "officer_not_found", "Không tìm thấy cán bộ "+username+".", "No officer "+username+".")
	}
	if err != nil {
		return store.Officer{}, err
	}
	if configures(p, "") || slices.ContainsFunc(o.Roles, func(r store.RoleRow) bool { return configures(p, r.Unit) }) {
		return o, nil
	}
	return store.Officer{}, Errorf(KindNotFound, "officer_not_found", "Không tìm thấy cán bộ "+username+".", "No officer "+username+".")
}

// authorizeAccount checks that p may change o's whole account (disable, second factor): p
// must configure every unit o holds a role in, since the change affects them all.
func (a *App) authorizeAccount(p auth.Principal, o store.Officer) error {
	if configures(p, "") {
		return nil
	}
	for _, r := range o.Roles {
		if err := a.AuthorizeConfigure(p, r.Unit); err != nil {
			return &Error{Kind: KindForbidden, Code: "officer_other_units", Err: err,
				MessageVI: "Cán bộ này còn giữ vai trò ở đơn vị khác; chỉ quản trị hệ thống được thay đổi tài khoản.",
				MessageEN: "This officer holds roles in other units; only a system administrator may change the account."}
		}
	}
	if len(o.Roles) == 0 {
		return a.AuthorizeConfigure(p, "")
	}
	return nil
}

// CreateOfficer creates an officer account with its initial password and roles, audit-logged.
// When a role requires a second factor (leader, administrators, inspector) the account is
// enrolled at once and the Enrolment is returned to be handed over; otherwise it is nil.
// Invalid input is a KindInvalid error whose Fields name the form fields; nothing is written.
func (a *App) CreateOfficer(ctx context.Context, p auth.Principal, in NewOfficer) (*Enrolment, error) {
	if err := a.AuthorizeConfigure(p, ""); err != nil && !p.HasRole(auth.RoleUnitAdmin) {
		return nil, err
	}
	dir, err := a.Directory(ctx)
	if err != nil {
		return nil, err
	}
	in.Username, in.Name = strings.TrimSpace(in.Username), strings.TrimSpace(in.Name)
	fields := map[string]string{}
	if !usernameRE.MatchString(in.Username) {
		fields["username"] = "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới."
	}
	if in.Name == "" {
		fields["name"] = "Nhập họ và tên cán bộ."
	}
	if err := auth.ValidatePasswordPolicy(in.Password); err != nil {
		var ve *auth.ValidationError
		if errors.As(err, &ve) {
			fields["password"] = ve.Message
		} else {
			fields["password"] = "Mật khẩu không hợp lệ."
		}
	}
	if len(in.Roles) == 0 {
		fields["roles"] = "Chọn ít nhất một vai trò."
	}
	seen := map[org.RoleAssignment]bool{}
	for _, r := range in.Roles {
		msg, err := a.checkGrant(p, dir, r)
		if err != nil {
			return nil, err
		}
		if msg == "" && seen[r] {
			msg = "Vai trò bị chọn trùng."
		}
		if msg != "" {
			fields["roles"] = msg
		}
		seen[r] = true
	}
	if len(fields) == 0 {
		if _, err := a.store.Officer(ctx, in.Username); err == nil {
			fields["username"] = "Tên đăng nhập này đã có người dùng."
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	if len(fields) > 0 {
		return nil, formError(fields)
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return nil, fmt.Errorf("create officer: %w", err)
	}
	o := store.Officer{Username: in.Username, Name: in.Name, PasswordHash: hash, CreatedAt: a.now()}
	var enrol *Enrolment
	roles := make([]string, 0, len(in.Roles))
	for _, r := range in.Roles {
		o.Roles = append(o.Roles, store.RoleRow{Role: string(r.Role), Unit: r.Unit})
		roles = append(roles, string(r.Role)+"@"+r.Unit)
		if auth.RoleRequiresTOTP(string(r.Role)) && enrol == nil {
			e, err := a.newEnrolment(ctx, in.Username)
			if err != nil {
				return nil, err
			}
			enrol = &e
			o.TOTPSecret = a.id.keys.Seal(auth.PurposeTOTPSecret, e.Secret)
		}
	}
	audit := store.AuditEntry{At: o.CreatedAt, Actor: p.Subject, Action: "create", ObjectKind: "officer", ObjectKey: in.Username,
		Detail: jsonString(map[string]any{"name": in.Name, "roles": roles, "totp": enrol != nil})}
	if err := a.store.CreateOfficers(ctx, []store.Officer{o}, audit); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, formError(map[string]string{"username": "Tên đăng nhập này đã có người dùng."})
		}
		return nil, fmt.Errorf("create officer: %w", err)
	}
	return enrol, nil
}

func (a *App) newEnrolment(ctx context.Context, username string) (Enrolment, error) {
	issuer := "MotCua"
	if n := a.ProvinceName(ctx); n != "" {
		issuer += " " + n
	}
	t, err := auth.NewTOTP(issuer, username)
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Username: username, Secret: t.Secret, URL: t.URL}, nil
}

// formError is the error of a form with per-field Vietnamese messages.
func formError(fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Code: "invalid_form", Fields: fields,
		MessageVI: "Thông tin chưa hợp lệ; vui lòng sửa các mục được đánh dấu. Chưa có gì được lưu.",
		MessageEN: "Some fields are invalid; nothing was saved."}
}

// AddOfficerRole gives an officer a role in a unit, audit-logged.
func (a *App) AddOfficerRole(ctx context.Context, p auth.Principal, username string, r org.RoleAssignment) error {
	return a.changeRole(ctx, p, username, r, true)
}

// RemoveOfficerRole takes a role in a unit from an officer, audit-logged.
func (a *App) RemoveOfficerRole(ctx context.Context, p auth.Principal, username string, r org.RoleAssignment) error {
	return a.changeRole(ctx, p, username, r, false)
}

func (a *App) changeRole(ctx context.Context, p auth.Principal, username string, r org.RoleAssignment, add bool) error {
	if _, err := a.managedOfficer(ctx, p, username); err != nil {
		return err
	}
	dir, err := a.Directory(ctx)
	if err != nil {
		return err
	}
	msg, err := a.checkGrant(p, dir, r)
	if err != nil {
		return err
	}
	if msg != "" {
		return formError(map[string]string{"role": msg})
	}
	action := "add_role"
	if !add {
		action = "remove_role"
	}
	audit := store.AuditEntry{At: a.now(), Actor: p.Subject, Action: action, ObjectKind: "officer", ObjectKey: username,
		Detail: jsonString(map[string]string{"role": string(r.Role), "unit": r.Unit})}
	row := store.RoleRow{Role: string(r.Role), Unit: r.Unit}
	if add {
		err = a.store.AddOfficerRole(ctx, username, row, audit)
	} else {
		err = a.store.RemoveOfficerRole(ctx, username, row, audit)
	}
	switch {
	case errors.Is(err, store.ErrConflict):
		return &Error{Kind: KindConflict, Code: "role_held", MessageVI: "Cán bộ đã có vai trò này ở đơn vị này.", MessageEN: "The officer already holds this role in this unit.", Err: err}
	case errors.Is(err, store.ErrNotFound):
		return &Error{Kind: KindNotFound, Code: "role_not_held", MessageVI: "Cán bộ không giữ vai trò này ở đơn vị này.", MessageEN: "The officer does not hold this role in this unit.", Err: err}
	case err != nil:
		return fmt.Errorf("%s: %w", action, err)
	}
	return nil
}

// SetOfficerDisabled disables (or re-enables) an officer's account, audit-logged; disabling
// also ends every session of the officer at once. Nobody disables their own account.
func (a *App) SetOfficerDisabled(ctx context.Context, p auth.Principal, username string, disabled bool) error {
	o, err := a.managedOfficer(ctx, p, username)
	if err != nil {
		return err
	}
	if err := a.authorizeAccount(p, o); err != nil {
		return err
	}
	if disabled && username == p.Subject {
		return Errorf(KindConflict, "disable_self", "Bạn không thể tự khóa tài khoản của mình.", "You cannot disable your own account.")
	}
	action := "enable"
	if disabled {
		action = "disable"
	}
	audit := store.AuditEntry{At: a.now(), Actor: p.Subject, Action: action, ObjectKind: "officer", ObjectKey: username}
	if err := a.store.SetOfficerDisabledAudited(ctx, username, disabled, audit); err != nil {
		return fmt.Errorf("%s officer: %w", action, err)
	}
	if disabled {
		if err := a.SignOutEverywhere(ctx, auth.Principal{Kind: auth.KindOfficer, Subject: username}); err != nil {
			return fmt.Errorf("end sessions of %s: %w", username, err)
		}
	}
	return nil
}

// ResetOfficerTOTP gives an officer a new second-factor secret (the old authenticator stops
// working), audit-logged, and ends the officer's sessions. The Enrolment is shown once.
func (a *App) ResetOfficerTOTP(ctx context.Context, p auth.Principal, username string) (Enrolment, error) {
	o, err := a.managedOfficer(ctx, p, username)
	if err != nil {
		return Enrolment{}, err
	}
	if err := a.authorizeAccount(p, o); err != nil {
		return Enrolment{}, err
	}
	e, err := a.newEnrolment(ctx, username)
	if err != nil {
		return Enrolment{}, err
	}
	audit := store.AuditEntry{At: a.now(), Actor: p.Subject, Action: "reset_totp", ObjectKind: "officer", ObjectKey: username}
	if err := a.store.ResetOfficerTOTP(ctx, username, a.id.keys.Seal(auth.PurposeTOTPSecret, e.Secret), audit); err != nil {
		return Enrolment{}, fmt.Errorf("reset totp: %w", err)
	}
	if err := a.SignOutEverywhere(ctx, auth.Principal{Kind: auth.KindOfficer, Subject: username}); err != nil {
		return Enrolment{}, fmt.Errorf("end sessions of %s: %w", username, err)
	}
	return e, nil
}

// AuditLog returns administrative changes, newest first: the whole log for system
// administrators; unit administrators see the entries about their officers and desks.
func (a *App) AuditLog(ctx context.Context, p auth.Principal, f store.AuditFilter) ([]store.AuditEntry, error) {
	if configures(p, "") {
		return a.store.AuditEntries(ctx, f)
	}
	if !p.HasRole(auth.RoleUnitAdmin) {
		return nil, a.AuthorizeConfigure(p, "")
	}
	officers, err := a.ManagedOfficers(ctx, p)
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, o := range officers {
		mine["officer/"+o.Username] = true
	}
	for _, r := range p.Roles {
		if r.Role == auth.RoleUnitAdmin {
			mine["desk/"+r.Unit] = true
		}
	}
	// Filter in memory over a bounded window: unit administrators' views are small.
	want := f.Limit
	if want <= 0 || want > 1000 {
		want = 100
	}
	var out []store.AuditEntry
	for len(out) < want {
		page, err := a.store.AuditEntries(ctx, store.AuditFilter{Kind: f.Kind, Key: f.Key, Before: f.Before, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if mine[e.ObjectKind+"/"+e.ObjectKey] && len(out) < want {
				out = append(out, e)
			}
		}
		if len(page) < 1000 {
			break
		}
		f.Before = page[len(page)-1].ID
	}
	return out, nil
}
