package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// settingUnitsFile holds the canonical units file; the Directory is rebuilt from it.
const settingUnitsFile = "units_file"

// invalid turns an import's validation problems into an *Error whose Fields map "row N field"
// to the Vietnamese message, so the CLI and the console can show each problem where it belongs.
func invalid(code string, ve *org.ValidationError) *Error {
	e := &Error{Kind: KindInvalid, Code: code, Fields: map[string]string{}, Err: ve,
		MessageVI: fmt.Sprintf("Dữ liệu không hợp lệ: %d lỗi; không có gì được ghi.", len(ve.Problems)),
		MessageEN: fmt.Sprintf("Invalid data: %d problems; nothing was written.", len(ve.Problems))}
	for _, p := range ve.Problems {
		e.Fields[p.String()] = p.Message
	}
	return e
}

// ImportSummary says what an import did.
type ImportSummary struct {
	Units, Desks                    int
	Created, NewVersions, Unchanged int
}

// ImportUnits validates a motcua.units/v1 file and stores every unit and desk in one
// transaction, audit-logged. A file with any problem is refused whole.
func (a *App) ImportUnits(ctx context.Context, actor string, b []byte) (ImportSummary, error) {
	dir, err := org.ParseUnits(b)
	if err != nil {
		if ve, ok := org.AsValidationError(err); ok {
			return ImportSummary{}, invalid("invalid_units", ve)
		}
		return ImportSummary{}, &Error{Kind: KindInvalid, Code: "invalid_units", MessageVI: "Tệp đơn vị không hợp lệ.", MessageEN: "The units file is invalid.", Err: err}
	}
	canonical, err := org.MarshalUnits(dir)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import units: %w", err)
	}
	units := dir.Units()
	rows := make([]store.UnitRow, 0, len(units))
	for i, u := range units {
		data, err := json.Marshal(u)
		if err != nil {
			return ImportSummary{}, err
		}
		rows = append(rows, store.UnitRow{Key: u.Key, Kind: string(u.Kind), Name: u.Name, Identifier: u.Identifier, Parent: u.Parent,
			ValidFrom: u.ValidFrom, ValidTo: u.ValidTo, Position: i, Data: string(data)})
	}
	var desks []store.DeskRow
	for _, d := range dir.Desks() {
		h, _ := json.Marshal(d.Hours)
		desks = append(desks, store.DeskRow{Key: d.Key, Unit: d.Unit, Name: d.Name, Hours: string(h)})
	}
	settings := map[string]string{settingUnitsFile: string(canonical), "province_name": dir.Province().Name}
	audit := store.AuditEntry{At: a.now(), Actor: actor, Action: "import", ObjectKind: "units", ObjectKey: dir.Province().Key,
		Detail: fmt.Sprintf(`{"units":%d,"desks":%d}`, len(rows), len(desks))}
	if err := a.store.SaveOrganization(ctx, rows, desks, settings, audit); err != nil {
		return ImportSummary{}, fmt.Errorf("import units: %w", err)
	}
	a.dir.Store(dir)
	return ImportSummary{Units: len(rows), Desks: len(desks)}, nil
}

// Directory returns the organization, loaded once from the store and replaced on import.
func (a *App) Directory(ctx context.Context) (*org.Directory, error) {
	if d := a.dir.Load(); d != nil {
		return d, nil
	}
	raw, err := a.store.Setting(ctx, settingUnitsFile)
	if errors.Is(err, store.ErrNotFound) {
		return nil, Errorf(KindUnavailable, "no_units", "Chưa nhập danh mục đơn vị hành chính.", "No units have been imported yet.")
	}
	if err != nil {
		return nil, err
	}
	d, err := org.ParseUnits([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("stored units file no longer parses: %w", err)
	}
	a.dir.Store(d)
	return d, nil
}

// DemoAccount is one demo officer, as printed by `motcua demo`.
type DemoAccount struct {
	Username string
	Name     string
	Roles    []org.RoleAssignment
}

// DemoTOTPSecret is the second-factor secret of every demo account that needs one (leaders,
// administrators, inspectors). It is public on purpose: the demo prints it, and its sign-in
// page shows the current code. Never used outside the demo.
const DemoTOTPSecret = "MOTCUADEMOTOTPSECRETTHAINGUYEN22"

// DemoTOTPCode is the demo's current one-time code.
func (a *App) DemoTOTPCode() string {
	c, err := auth.TOTPCode(DemoTOTPSecret, a.now())
	if err != nil {
		return ""
	}
	return c
}

// demoRoles lists the roles created at each kind of unit.
var demoRoles = map[org.Kind][]org.Role{
	org.KindServiceCenter: {org.RoleDesk, org.RoleLeader, org.RoleUnitAdmin},
	org.KindAgency:        {org.RoleSpecialist, org.RoleLeader, org.RoleUnitAdmin},
	org.KindCommune:       {org.RoleDesk, org.RoleSpecialist, org.RoleLeader, org.RoleUnitAdmin},
	org.KindPolice:        {org.RoleSpecialist, org.RoleLeader},
}

// CreateDemoOfficers creates, once, an officer for every role at the service center, each
// agency, each commune and each commune police, named <unit-key>.<role>, plus a province-wide
// inspector ("inspector") and administrator ("admin"). All share one password: the demo
// prints it, so one argon2id hash (one salt) is computed and reused rather than hundreds.
func (a *App) CreateDemoOfficers(ctx context.Context, password string) ([]DemoAccount, error) {
	dir, err := a.Directory(ctx)
	if err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, fmt.Errorf("demo password: %w", err)
	}
	now := a.now()
	var accounts []DemoAccount
	var officers []store.Officer
	add := func(username, name string, roles ...org.RoleAssignment) {
		acc := DemoAccount{Username: username, Name: name, Roles: roles}
		o := store.Officer{Username: username, Name: name, PasswordHash: hash, CreatedAt: now}
		for _, r := range roles {
			o.Roles = append(o.Roles, store.RoleRow{Role: string(r.Role), Unit: r.Unit})
			if auth.RoleRequiresTOTP(string(r.Role)) && o.TOTPSecret == "" {
				// Leaders, administrators and inspectors must use a second factor; the demo
				// enrols them all with one published secret (DemoTOTPSecret).
				o.TOTPSecret = a.id.keys.Seal(auth.PurposeTOTPSecret, DemoTOTPSecret)
			}
		}
		accounts = append(accounts, acc)
		officers = append(officers, o)
	}
	province := dir.Province()
	add("admin", "Quản trị hệ thống", org.RoleAssignment{Role: org.RoleAdmin, Unit: province.Key})
	add("inspector", "Thanh tra công vụ", org.RoleAssignment{Role: org.RoleInspector, Unit: province.Key})
	for _, u := range dir.Units() {
		for _, r := range demoRoles[u.Kind] {
			add(u.Key+"."+string(r), r.Label()+" — "+u.FullName(), org.RoleAssignment{Role: r, Unit: u.Key})
		}
	}
	audit := store.AuditEntry{At: now, Actor: "demo", Action: "create", ObjectKind: "officers", ObjectKey: "demo", Detail: fmt.Sprintf(`{"count":%d}`, len(officers))}
	if err := a.store.CreateOfficers(ctx, officers, audit); err != nil {
		return nil, fmt.Errorf("create demo officers: %w", err)
	}
	return accounts, nil
}
