package org

import (
	"fmt"
	"time"
)

// Desk is a one-stop reception desk (Bộ phận Một cửa). Boundary-free reception (LEGAL §1)
// means any desk receives any procedure of the province; the desk only decides where the
// dossier is received and returned, never who decides it.
type Desk struct {
	Key   string         `json:"key"`
	Unit  string         `json:"unit"`
	Name  string         `json:"name"`
	Hours ReceptionHours `json:"hours"`
}

// Session is one reception period on a weekday, local time, From inclusive, To exclusive.
type Session struct {
	Day  string `json:"day"` // mon tue wed thu fri sat sun
	From string `json:"from"`
	To   string `json:"to"`
}

// ReceptionHours lists when a desk receives applicants. Reception hours are per desk (some
// receive on Saturday morning) while deadlines count working time only (LEGAL §7), so these
// never feed deadline arithmetic.
type ReceptionHours []Session

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// DefaultHours returns Monday–Friday 07:30–11:30 and 13:00–17:00.
func DefaultHours() ReceptionHours {
	var h ReceptionHours
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		h = append(h, Session{d, "07:30", "11:30"}, Session{d, "13:00", "17:00"})
	}
	return h
}

// WithSaturdayMorning returns h plus Saturday 07:30–11:30.
func (h ReceptionHours) WithSaturdayMorning() ReceptionHours {
	out := append(ReceptionHours(nil), h...)
	return append(out, Session{"sat", "07:30", "11:30"})
}

// Validate checks day names and HH:MM times with From < To.
func (h ReceptionHours) Validate() error {
	for i, s := range h {
		if _, ok := weekdays[s.Day]; !ok {
			return fmt.Errorf("hours[%d].day: unknown day %q", i, s.Day)
		}
		from, err1 := clockMinutes(s.From)
		to, err2 := clockMinutes(s.To)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("hours[%d]: times must be HH:MM", i)
		}
		if from >= to {
			return fmt.Errorf("hours[%d]: from must be before to", i)
		}
	}
	return nil
}

// Open reports whether the desk receives at t; t must already be in the desk's local time.
func (h ReceptionHours) Open(t time.Time) bool {
	m := t.Hour()*60 + t.Minute()
	for _, s := range h {
		if weekdays[s.Day] != t.Weekday() {
			continue
		}
		from, err1 := clockMinutes(s.From)
		to, err2 := clockMinutes(s.To)
		if err1 == nil && err2 == nil && m >= from && m < to {
			return true
		}
	}
	return false
}

func clockMinutes(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("bad time %q", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 23 || m > 59 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return h*60 + m, nil
}

// Role is what an officer may do in a unit. The strings are part of the API and the CLI.
type Role string

// Roles. A leader approves and signs; unit_admin manages one unit's officers and desks; admin
// manages the whole system; an inspector reads everything of the units it is assigned to.
const (
	RoleDesk       Role = "desk"
	RoleSpecialist Role = "specialist"
	RoleLeader     Role = "leader"
	RoleUnitAdmin  Role = "unit_admin"
	RoleAdmin      Role = "admin"
	RoleInspector  Role = "inspector"
)

// Roles lists every role in a stable order (for forms and validation).
func Roles() []Role {
	return []Role{RoleDesk, RoleSpecialist, RoleLeader, RoleUnitAdmin, RoleAdmin, RoleInspector}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles() {
		if r == k {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the role as shown to officers.
func (r Role) Label() string {
	switch r {
	case RoleDesk:
		return "Cán bộ một cửa"
	case RoleSpecialist:
		return "Chuyên viên xử lý"
	case RoleLeader:
		return "Lãnh đạo phê duyệt"
	case RoleUnitAdmin:
		return "Quản trị đơn vị"
	case RoleAdmin:
		return "Quản trị hệ thống"
	case RoleInspector:
		return "Thanh tra, kiểm tra"
	}
	return string(r)
}

// RoleAssignment gives an officer one role in one unit.
type RoleAssignment struct {
	Role Role   `json:"role"`
	Unit string `json:"unit"`
}

// Officer is a staff member (cán bộ, công chức). One officer may hold roles in several units,
// e.g. a commune specialist seconded to the provincial desk.
type Officer struct {
	ID    string           `json:"id"`
	Name  string           `json:"name"`
	Email string           `json:"email,omitempty"`
	Roles []RoleAssignment `json:"roles"`
}

// Has reports whether the officer holds role in unit.
func (o Officer) Has(role Role, unit string) bool {
	for _, a := range o.Roles {
		if a.Role == role && a.Unit == unit {
			return true
		}
	}
	return false
}

// UnitsFor returns the units in which the officer holds role, in assignment order.
func (o Officer) UnitsFor(role Role) []string {
	var out []string
	for _, a := range o.Roles {
		if a.Role == role {
			out = append(out, a.Unit)
		}
	}
	return out
}

// Validate checks the officer against the directory: an id, a name, known roles in known
// units, no duplicate assignment. Messages are Vietnamese for the console.
func (o Officer) Validate(d *Directory) error {
	var ps []Problem
	if o.ID == "" {
		ps = append(ps, Problem{Row: 1, Code: o.ID, Field: "id", Message: "thiếu mã cán bộ"})
	}
	if o.Name == "" {
		ps = append(ps, Problem{Row: 1, Code: o.ID, Field: "name", Message: "thiếu họ tên"})
	}
	seen := map[RoleAssignment]bool{}
	for i, a := range o.Roles {
		f := fmt.Sprintf("roles[%d]", i)
		if !a.Role.Valid() {
			ps = append(ps, Problem{Row: 1, Code: o.ID, Field: f + ".role", Message: fmt.Sprintf("vai trò %q không hợp lệ", a.Role)})
		}
		if _, ok := d.Unit(a.Unit); !ok {
			ps = append(ps, Problem{Row: 1, Code: o.ID, Field: f + ".unit", Message: fmt.Sprintf("không có đơn vị %q", a.Unit)})
		}
		if seen[a] {
			ps = append(ps, Problem{Row: 1, Code: o.ID, Field: f, Message: "vai trò bị khai báo trùng"})
		}
		seen[a] = true
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}
