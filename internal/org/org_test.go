package org_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/seed"
)

func seedDir(t testing.TB) *org.Directory {
	t.Helper()
	d, err := org.ParseUnits(seedUnits(t))
	if err != nil {
		t.Fatalf("ParseUnits(seed): %v", err)
	}
	return d
}

// seedUnits returns the seed's units file. The seed currently keys two different communes
// (Văn Lăng and Văn Lang) "xa-van-lang"; ParseUnits rightly refuses that, and seed.Units applies
// the documented erratum (seed.Errata) that renames the second one.
func seedUnits(t testing.TB) []byte {
	t.Helper()
	return seed.Units()
}

// rawSeed decodes the seed generically so tests compare the Directory against the file itself
// rather than against numbers copied into the test.
func rawSeed(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(seedUnits(t), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseUnitsSeed(t *testing.T) {
	d := seedDir(t)
	raw := rawSeed(t)
	communes := raw["communes"].([]any)
	agencies := raw["agencies"].([]any)
	if got, want := len(d.Communes()), len(communes); got != want {
		t.Errorf("Communes() = %d, want %d", got, want)
	}
	if got, want := len(d.Agencies()), len(agencies); got != want {
		t.Errorf("Agencies() = %d, want %d", got, want)
	}
	// One desk per commune plus the provincial desk.
	if got, want := len(d.Desks()), len(communes)+1; got != want {
		t.Errorf("Desks() = %d, want %d", got, want)
	}
	prov := raw["province"].(map[string]any)
	if got := d.Province().Key; got != prov["key"] {
		t.Errorf("Province().Key = %q, want %q", got, prov["key"])
	}
	if got := d.Identifier(d.Province().Key); got != prov["identifier"] {
		t.Errorf("Identifier(province) = %q, want %q", got, prov["identifier"])
	}
	sc := raw["service_center"].(map[string]any)["key"].(string)
	if d.ServiceCenter() != sc {
		t.Errorf("ServiceCenter() = %q, want %q", d.ServiceCenter(), sc)
	}
	if u, ok := d.Unit(sc); !ok || u.Kind != org.KindServiceCenter {
		t.Errorf("Unit(%q) = %+v, %v; want kind service_center", sc, u, ok)
	}
	if dk, ok := d.Desk(sc); !ok || dk.Unit != sc {
		t.Errorf("Desk(%q) = %+v, %v", sc, dk, ok)
	}
	if got := len(d.Children(d.Province().Key)); got != len(communes)+len(agencies) {
		t.Errorf("Children(province) = %d, want %d", got, len(communes)+len(agencies))
	}

	first := communes[0].(map[string]any)
	key := first["key"].(string)
	if !d.IsCommune(key) {
		t.Fatalf("IsCommune(%q) = false", key)
	}
	police, ok := d.PoliceOf(key)
	if !ok {
		t.Fatalf("PoliceOf(%q) missing", key)
	}
	want := org.Unit{Key: "ca-" + key, Kind: org.KindPolice, Name: "Công an " + first["kind"].(string) + " " + first["name"].(string),
		Identifier: first["identifier"].(string), Parent: key, ValidFrom: police.ValidFrom}
	if diff := cmp.Diff(want, police); diff != "" {
		t.Errorf("PoliceOf(%q) mismatch (-want +got):\n%s", key, diff)
	}
	if c, ok := d.CommuneOf(police.Key); !ok || c != key {
		t.Errorf("CommuneOf(%q) = %q, %v", police.Key, c, ok)
	}
	if c, ok := d.CommuneOf(key); !ok || c != key {
		t.Errorf("CommuneOf(%q) = %q, %v", key, c, ok)
	}
	if _, ok := d.CommuneOf(sc); ok {
		t.Errorf("CommuneOf(%q) should be false", sc)
	}
	if d.IsCommune(police.Key) || d.IsCommune(sc) {
		t.Errorf("IsCommune true for a non-commune")
	}
	if dk, _ := d.Desk(key); !dk.Hours.Open(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("commune desk closed on a Thursday 08:00")
	}
}

func TestMarshalUnitsRoundTrip(t *testing.T) {
	d := seedDir(t)
	b, err := org.MarshalUnits(d)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := org.ParseUnits(b)
	if err != nil {
		t.Fatalf("ParseUnits(MarshalUnits(seed)): %v", err)
	}
	if diff := cmp.Diff(d.Units(), d2.Units()); diff != "" {
		t.Errorf("units differ (-seed +round trip):\n%s", diff)
	}
	if diff := cmp.Diff(d.Desks(), d2.Desks()); diff != "" {
		t.Errorf("desks differ:\n%s", diff)
	}
	if diff := cmp.Diff(d.Meta(), d2.Meta()); diff != "" {
		t.Errorf("meta differs:\n%s", diff)
	}
	// The written file must mean the same as the seed, field for field.
	var a, c any
	if err := json.Unmarshal(seedUnits(t), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, c); diff != "" {
		t.Errorf("marshalled file differs from the seed:\n%s", diff)
	}
}

func TestMarshalUnitsKeepsCustomDesk(t *testing.T) {
	d := seedDir(t)
	b, _ := org.MarshalUnits(d)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	c0 := m["communes"].([]any)[0].(map[string]any)
	c0["hours"] = org.DefaultHours().WithSaturdayMorning()
	c0["valid_to"] = "2030-01-01"
	b, _ = json.Marshal(m)
	d2, err := org.ParseUnits(b)
	if err != nil {
		t.Fatal(err)
	}
	key := c0["key"].(string)
	dk, _ := d2.Desk(key)
	sat := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) // a Saturday
	if !dk.Hours.Open(sat) {
		t.Errorf("Saturday morning hours lost")
	}
	b2, _ := org.MarshalUnits(d2)
	d3, err := org.ParseUnits(b2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d2.Desks(), d3.Desks()); diff != "" {
		t.Errorf("custom hours not round-tripped:\n%s", diff)
	}
	if diff := cmp.Diff(d2.Units(), d3.Units()); diff != "" {
		t.Errorf("valid_to not round-tripped:\n%s", diff)
	}
	u, _ := d3.Unit(key)
	if u.ActiveOn("2030-01-01") || !u.ActiveOn("2029-12-31") {
		t.Errorf("ActiveOn ignores valid_to: %+v", u)
	}
}

// mutate applies f to the decoded seed and returns it re-encoded.
func mutate(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	m := rawSeed(t)
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func commune(m map[string]any, i int) map[string]any {
	return m["communes"].([]any)[i].(map[string]any)
}

func TestParseUnitsRefuses(t *testing.T) {
	tests := []struct {
		name      string
		mutate    func(m map[string]any)
		wantRow   int
		wantField string
	}{
		{"duplicate key", func(m map[string]any) { commune(m, 3)["key"] = commune(m, 1)["key"] }, 4, "communes[3].key"},
		{"unknown parent", func(m map[string]any) { commune(m, 2)["parent"] = "tinh-khac" }, 3, "communes[2].parent"},
		{"bad identifier", func(m map[string]any) { commune(m, 0)["identifier"] = "1.00.50.H55" }, 1, "communes[0].identifier"},
		{"lowercase identifier letter", func(m map[string]any) {
			m["agencies"].([]any)[1].(map[string]any)["identifier"] = "000.00.02.h55"
		}, 2, "agencies[1].identifier"},
		{"unknown field", func(m map[string]any) { commune(m, 5)["nmae"] = "x" }, 6, "communes[5].nmae"},
		{"missing name", func(m map[string]any) { delete(commune(m, 4), "name") }, 5, "communes[4].name"},
		{"bad date", func(m map[string]any) { commune(m, 0)["valid_to"] = "2030-13-01" }, 1, "communes[0].valid_to"},
		{"unknown service center", func(m map[string]any) {
			m["service_center"].(map[string]any)["key"] = "khong-co"
		}, 1, "service_center.key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := org.ParseUnits(mutate(t, tt.mutate))
			ve, ok := org.AsValidationError(err)
			if !ok {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.Row == tt.wantRow && p.Field == tt.wantField && p.Message != "" {
					return
				}
			}
			t.Errorf("no problem at row %d field %s in:\n%v", tt.wantRow, tt.wantField, err)
		})
	}
}

func TestParseUnitsReportsAllProblems(t *testing.T) {
	b := mutate(t, func(m map[string]any) {
		commune(m, 0)["identifier"] = "bad"
		commune(m, 1)["parent"] = "nowhere"
	})
	_, err := org.ParseUnits(b)
	ve, ok := org.AsValidationError(err)
	if !ok || len(ve.Problems) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
	if !strings.Contains(err.Error(), "communes[0].identifier") || !strings.Contains(err.Error(), "communes[1].parent") {
		t.Errorf("Error() does not list both problems:\n%s", err)
	}
}

func TestReceptionHours(t *testing.T) {
	h := org.DefaultHours()
	loc := time.FixedZone("ICT", 7*3600)
	tests := []struct {
		at   time.Time
		sat  bool
		want bool
	}{
		{time.Date(2026, 11, 23, 7, 29, 0, 0, loc), false, false}, // Monday before opening
		{time.Date(2026, 11, 23, 7, 30, 0, 0, loc), false, true},
		{time.Date(2026, 11, 23, 11, 30, 0, 0, loc), false, false}, // lunch
		{time.Date(2026, 11, 23, 12, 59, 0, 0, loc), false, false},
		{time.Date(2026, 11, 23, 16, 59, 0, 0, loc), false, true},
		{time.Date(2026, 11, 27, 17, 0, 0, 0, loc), false, false}, // Friday closing time
		{time.Date(2026, 11, 28, 8, 0, 0, 0, loc), false, false},  // Saturday
		{time.Date(2026, 11, 28, 8, 0, 0, 0, loc), true, true},
		{time.Date(2026, 11, 28, 14, 0, 0, 0, loc), true, false},
		{time.Date(2026, 11, 29, 8, 0, 0, 0, loc), true, false}, // Sunday
	}
	for _, tt := range tests {
		t.Run(tt.at.Format(time.RFC3339), func(t *testing.T) {
			hh := h
			if tt.sat {
				hh = h.WithSaturdayMorning()
			}
			if got := hh.Open(tt.at); got != tt.want {
				t.Errorf("Open(%v, sat=%v) = %v, want %v", tt.at, tt.sat, got, tt.want)
			}
		})
	}
	if err := (org.ReceptionHours{{Day: "mon", From: "13:00", To: "12:00"}}).Validate(); err == nil {
		t.Error("reversed session accepted")
	}
	if err := (org.ReceptionHours{{Day: "monday", From: "07:00", To: "12:00"}}).Validate(); err == nil {
		t.Error("bad day accepted")
	}
}

func TestOfficerRoles(t *testing.T) {
	d := seedDir(t)
	c := d.Communes()[0].Key
	o := org.Officer{ID: "cb1", Name: "Nguyễn Văn A", Roles: []org.RoleAssignment{
		{Role: org.RoleSpecialist, Unit: c},
		{Role: org.RoleDesk, Unit: d.ServiceCenter()},
		{Role: org.RoleSpecialist, Unit: d.Agencies()[2].Key},
	}}
	if err := o.Validate(d); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !o.Has(org.RoleDesk, d.ServiceCenter()) || o.Has(org.RoleDesk, c) {
		t.Errorf("Has is wrong")
	}
	if diff := cmp.Diff([]string{c, d.Agencies()[2].Key}, o.UnitsFor(org.RoleSpecialist)); diff != "" {
		t.Errorf("UnitsFor: %s", diff)
	}
	bad := org.Officer{ID: "cb2", Name: "B", Roles: []org.RoleAssignment{
		{Role: "boss", Unit: c}, {Role: org.RoleLeader, Unit: "nowhere"},
		{Role: org.RoleLeader, Unit: c}, {Role: org.RoleLeader, Unit: c},
	}}
	ve, ok := org.AsValidationError(bad.Validate(d))
	if !ok {
		t.Fatal("invalid officer accepted")
	}
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	if diff := cmp.Diff([]string{"roles[0].role", "roles[1].unit", "roles[3]"}, fields); diff != "" {
		t.Errorf("problem fields: %s", diff)
	}
	for _, r := range org.Roles() {
		if !r.Valid() || r.Label() == string(r) {
			t.Errorf("role %q lacks validity or label", r)
		}
	}
}

func FuzzParseUnits(f *testing.F) {
	f.Add(seedUnits(f))
	f.Add([]byte(`{"format":"motcua.units/v1"}`))
	f.Add([]byte(`{"format":"motcua.units/v1","province":{"key":"p","name":"P","identifier":"000.00.00.H55"},"service_center":{"key":"a","desk":"D"},"agencies":[{"key":"a","name":"A","parent":"p","identifier":"000.00.01.H55"}],"communes":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := org.ParseUnits(b)
		if err != nil {
			if _, ok := org.AsValidationError(err); !ok {
				t.Fatalf("error is not a ValidationError: %v", err)
			}
			return
		}
		out, err := org.MarshalUnits(d)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := org.ParseUnits(out)
		if err != nil {
			t.Fatalf("re-parse of marshalled units failed: %v", err)
		}
		if diff := cmp.Diff(d.Units(), d2.Units()); diff != "" {
			t.Fatalf("round trip differs:\n%s", diff)
		}
	})
}
