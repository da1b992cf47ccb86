package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// auditCount is how many audit entries exist for an object kind.
func auditCount(t *testing.T, s *store.Store, kind string) int {
	t.Helper()
	es, err := s.AuditEntries(context.Background(), store.AuditFilter{Kind: kind, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func TestContractAdministration(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC)
		audit := func(kind, key string) store.AuditEntry {
			return store.AuditEntry{At: at, Actor: "admin", Action: "test", ObjectKind: kind, ObjectKey: key}
		}
		seedStaff(t, s, store.Officer{Username: "a", TOTPSecret: "sealed", Roles: []store.RoleRow{{Role: "desk", Unit: "xa-a"}}})
		if err := s.SaveOrganization(ctx, nil, []store.DeskRow{{Key: "xa-a", Unit: "xa-a", Name: "Một cửa xã A", Hours: "[]"}}, nil, audit("units", "p")); err != nil {
			t.Fatal(err)
		}

		t.Run("DeskSessions", func(t *testing.T) {
			if err := s.SetDeskSessions(ctx, "xa-a", "07:00-11:00,13:30-17:30", audit("desk", "xa-a")); err != nil {
				t.Fatal(err)
			}
			got, err := s.DeskSessions(ctx)
			if err != nil || !cmp.Equal(got, map[string]string{"xa-a": "07:00-11:00,13:30-17:30"}) {
				t.Fatalf("DeskSessions = %v, %v", got, err)
			}
			if err := s.SetDeskSessions(ctx, "nowhere", "07:00-11:00,13:30-17:30", audit("desk", "nowhere")); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("unknown desk: %v, want ErrNotFound", err)
			}
			if n := auditCount(t, s, "desk"); n != 1 {
				t.Fatalf("%d desk audit entries, want 1 (a refused change writes none)", n)
			}
			if err := s.SetDeskSessions(ctx, "xa-a", "", audit("desk", "xa-a")); err != nil {
				t.Fatal(err)
			}
			if got, err := s.DeskSessions(ctx); err != nil || len(got) != 0 {
				t.Fatalf("after clearing: %v, %v", got, err)
			}
		})

		t.Run("Roles", func(t *testing.T) {
			if err := s.AddOfficerRole(ctx, "a", store.RoleRow{Role: "leader", Unit: "xa-a"}, audit("officer", "a")); err != nil {
				t.Fatal(err)
			}
			if err := s.AddOfficerRole(ctx, "a", store.RoleRow{Role: "leader", Unit: "xa-a"}, audit("officer", "a")); !errors.Is(err, store.ErrConflict) {
				t.Fatalf("duplicate role: %v, want ErrConflict", err)
			}
			if err := s.AddOfficerRole(ctx, "nobody", store.RoleRow{Role: "leader", Unit: "xa-a"}, audit("officer", "nobody")); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("unknown officer: %v, want ErrNotFound", err)
			}
			o, _ := s.Officer(ctx, "a")
			if want := []store.RoleRow{{Role: "desk", Unit: "xa-a"}, {Role: "leader", Unit: "xa-a"}}; !cmp.Equal(o.Roles, want) {
				t.Fatalf("roles %v, want %v", o.Roles, want)
			}
			if err := s.RemoveOfficerRole(ctx, "a", store.RoleRow{Role: "leader", Unit: "xa-a"}, audit("officer", "a")); err != nil {
				t.Fatal(err)
			}
			if err := s.RemoveOfficerRole(ctx, "a", store.RoleRow{Role: "leader", Unit: "xa-a"}, audit("officer", "a")); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("removing a role not held: %v, want ErrNotFound", err)
			}
			if n := auditCount(t, s, "officer"); n != 2 {
				t.Fatalf("%d officer audit entries, want 2 (one per change made)", n)
			}
		})

		t.Run("Account", func(t *testing.T) {
			if err := s.SetOfficerDisabledAudited(ctx, "a", true, audit("officer", "a")); err != nil {
				t.Fatal(err)
			}
			o, _ := s.Officer(ctx, "a")
			if !o.Disabled || o.TOTPSecret != "sealed" {
				t.Fatalf("disable: disabled=%v totp=%q", o.Disabled, o.TOTPSecret)
			}
			if err := s.SetOfficerDisabledAudited(ctx, "a", false, audit("officer", "a")); err != nil {
				t.Fatal(err)
			}
			if err := s.ResetOfficerTOTP(ctx, "a", "", audit("officer", "a")); err != nil {
				t.Fatal(err)
			}
			o, _ = s.Officer(ctx, "a")
			if o.Disabled || o.TOTPSecret != "" {
				t.Fatalf("enable + reset: disabled=%v totp=%q", o.Disabled, o.TOTPSecret)
			}
			if err := s.SetOfficerDisabledAudited(ctx, "nobody", true, audit("officer", "nobody")); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("unknown officer: %v, want ErrNotFound", err)
			}
			if err := s.ResetOfficerTOTP(ctx, "nobody", "x", audit("officer", "nobody")); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("unknown officer: %v, want ErrNotFound", err)
			}
			if err := s.ResetOfficerTOTP(ctx, "a", "sealed-2", audit("officer", "a")); err != nil {
				t.Fatal(err)
			}
			if o, _ = s.Officer(ctx, "a"); o.TOTPSecret != "sealed-2" {
				t.Fatalf("new enrolment: totp=%q", o.TOTPSecret)
			}
		})

		t.Run("AuditFilter", func(t *testing.T) {
			all, err := s.AuditEntries(ctx, store.AuditFilter{})
			if err != nil || len(all) < 3 {
				t.Fatalf("entries %d, %v", len(all), err)
			}
			for i := 1; i < len(all); i++ {
				if all[i].ID >= all[i-1].ID {
					t.Fatalf("not newest first: %d after %d", all[i].ID, all[i-1].ID)
				}
			}
			byKey, err := s.AuditEntries(ctx, store.AuditFilter{Kind: "officer", Key: "a"})
			if err != nil || len(byKey) == 0 {
				t.Fatalf("by key: %d, %v", len(byKey), err)
			}
			for _, e := range byKey {
				if e.ObjectKind != "officer" || e.ObjectKey != "a" {
					t.Fatalf("filter leaked %+v", e)
				}
			}
			page, err := s.AuditEntries(ctx, store.AuditFilter{Before: all[0].ID, Limit: 1})
			if err != nil || len(page) != 1 || page[0].ID != all[1].ID {
				t.Fatalf("next page: %+v, %v; want id %d", page, err, all[1].ID)
			}
		})
	})
}
