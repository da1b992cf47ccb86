package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

func TestContractOrganization(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
		units := []store.UnitRow{
			{Key: "p", Kind: "province", Name: "Tỉnh P", Identifier: "000.00.00.H55", Data: "{}"},
			{Key: "xa-a", Kind: "commune", Name: "Xã A", Identifier: "001.00.50.H55", Parent: "p", ValidFrom: "2025-07-01", Position: 1, Data: `{"predecessors":[]}`},
		}
		desks := []store.DeskRow{{Key: "xa-a", Unit: "xa-a", Name: "Bộ phận Một cửa xã A", Hours: "{}"}}
		audit := store.AuditEntry{At: now, Actor: "admin", Action: "import", ObjectKind: "units", ObjectKey: "units.json"}
		if err := s.SaveOrganization(ctx, units, desks, map[string]string{"units_file": "{}"}, audit); err != nil {
			t.Fatal(err)
		}
		units[1].Name = "Xã A mới"
		if err := s.SaveOrganization(ctx, units, desks, map[string]string{"units_file": "{}"}, audit); err != nil {
			t.Fatal(err)
		}
		got, err := s.Units(ctx)
		if err != nil || len(got) != 2 || got[1].Name != "Xã A mới" || got[1].Parent != "p" || got[0].Parent != "" || got[1].ValidFrom != "2025-07-01" {
			t.Fatalf("units %+v, %v", got, err)
		}
		bad := []store.UnitRow{{Key: "xa-b", Kind: "commune", Name: "B", Identifier: "x", Parent: "nope", Data: "{}"}}
		if err := s.SaveOrganization(ctx, bad, nil, nil, audit); err == nil {
			t.Fatal("a unit with an unknown parent was saved")
		}
		if got, _ := s.Units(ctx); len(got) != 2 {
			t.Fatalf("failed save left %d units", len(got))
		}

		off := []store.Officer{{Username: "xa-a.desk", Name: "Cán bộ", PasswordHash: "h", CreatedAt: now, Roles: []store.RoleRow{{Role: "desk", Unit: "xa-a"}, {Role: "specialist", Unit: "xa-a"}}}}
		if err := s.CreateOfficers(ctx, off, audit); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateOfficers(ctx, off, audit); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate officer: err %v, want ErrConflict", err)
		}
		o, err := s.Officer(ctx, "xa-a.desk")
		if err != nil || len(o.Roles) != 2 || o.Disabled || !o.CreatedAt.Equal(now) || o.LockedUntil != nil {
			t.Fatalf("officer %+v, %v", o, err)
		}
		if _, err := s.Officer(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err %v", err)
		}
		all, err := s.Officers(ctx)
		if err != nil || len(all) != 1 || len(all[0].Roles) != 2 {
			t.Fatalf("officers %+v %v", all, err)
		}
	})
}

func TestContractCatalog(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
		audit := store.AuditEntry{At: now, Actor: "admin", Action: "import", ObjectKind: "procedures", ObjectKey: "p.json"}
		v1 := store.ProcedureVersion{Code: "1.001", Name: "Đăng ký khai sinh", Field: "Hộ tịch", Level: "commune", EffectiveFrom: "2025-07-01", Spec: `{"v":1}`, CreatedAt: now, CreatedBy: "admin"}
		res, err := s.ImportProcedures(ctx, []store.ProcedureVersion{v1}, audit)
		if err != nil || res.Created != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		res, err = s.ImportProcedures(ctx, []store.ProcedureVersion{v1}, audit)
		if err != nil || res.Unchanged != 1 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
		v2 := v1
		v2.Spec, v2.EffectiveFrom = `{"v":2}`, "2026-01-01"
		res, err = s.ImportProcedures(ctx, []store.ProcedureVersion{v2}, audit)
		if err != nil || res.NewVersions != 1 {
			t.Fatalf("new version: %+v %v", res, err)
		}
		vs, err := s.ProcedureVersions(ctx, "1.001")
		if err != nil || len(vs) != 2 {
			t.Fatalf("versions %+v %v", vs, err)
		}
		if vs[0].Status != store.VersionRetired || vs[0].EffectiveTo != "2026-01-01" || vs[1].Status != store.VersionPublished || vs[1].Number != 2 {
			t.Fatalf("statuses: %+v", vs)
		}
		old, err := s.ProcedureVersion(ctx, "1.001", 1)
		if err != nil || old.Spec != `{"v":1}` {
			t.Fatalf("pinned version 1 changed: %+v %v", old, err)
		}
		pub, err := s.PublishedProcedures(ctx)
		if err != nil || len(pub) != 1 || pub[0].Number != 2 {
			t.Fatalf("published %+v %v", pub, err)
		}
		if _, err := s.ProcedureVersions(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err %v", err)
		}
		// All or nothing: a bad second row rolls back the first.
		bad := []store.ProcedureVersion{
			{Code: "2.002", Name: "A", Field: "F", Level: "commune", Spec: "{}", CreatedAt: now, CreatedBy: "a"},
			{Code: "2.003", Name: "B", Field: "F", Level: "commune", Spec: "", CreatedAt: now, CreatedBy: "a"},
		}
		if _, err := s.ImportProcedures(ctx, bad, audit); err == nil {
			t.Fatal("an empty spec was accepted")
		}
		if _, err := s.ProcedureVersions(ctx, "2.002"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("half-written import: 2.002 exists (%v)", err)
		}
	})
}

func TestContractCalendarNotices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := store.AuditEntry{At: time.Now(), Actor: "admin", Action: "put", ObjectKind: "calendar_notice", ObjectKey: "2027"}
		for _, body := range []string{`{"year":2027}`, `{"year":2027,"source":"x"}`} {
			if err := s.PutCalendarNotice(ctx, 2027, body, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.CalendarNotices(ctx)
		if err != nil || got[2027] != `{"year":2027,"source":"x"}` || len(got) != 1 {
			t.Fatalf("notices %v %v", got, err)
		}
		log, _ := s.AuditLog(ctx, "calendar_notice", 10)
		if len(log) != 2 {
			t.Fatalf("want 2 audit rows, got %d", len(log))
		}
	})
}
