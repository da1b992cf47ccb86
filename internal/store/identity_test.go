package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// ict is Vietnam's time zone: values go in with it and must come back as the same instant in UTC.
var ict = time.FixedZone("ICT", 7*3600)

// seedStaff creates a province, one commune and the given officers.
func seedStaff(t *testing.T, s *store.Store, officers ...store.Officer) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
	audit := store.AuditEntry{At: at, Actor: "test", Action: "seed", ObjectKind: "test", ObjectKey: "seed"}
	units := []store.UnitRow{
		{Key: "p", Kind: "province", Name: "Tỉnh P", Identifier: "000.00.00.H55", Data: "{}"},
		{Key: "xa-a", Kind: "commune", Name: "Xã A", Identifier: "001.00.50.H55", Parent: "p", Position: 1, Data: "{}"},
	}
	if err := s.SaveOrganization(ctx, units, nil, nil, audit); err != nil {
		t.Fatal(err)
	}
	for i := range officers {
		if officers[i].CreatedAt.IsZero() {
			officers[i].CreatedAt = at
		}
		if officers[i].Name == "" {
			officers[i].Name = "Cán bộ " + officers[i].Username
		}
		if officers[i].PasswordHash == "" {
			officers[i].PasswordHash = "hash-of-" + officers[i].Username
		}
	}
	if err := s.CreateOfficers(ctx, officers, audit); err != nil {
		t.Fatal(err)
	}
}

func TestContractIdentitySessions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 26, 8, 0, 0, 123456000, ict)
		sess := func(h string, kind auth.PrincipalKind, subject string, level int, lastSeen time.Time) auth.Session {
			return auth.Session{IDHash: h, Kind: kind, Subject: subject, AssuranceLevel: level, CreatedAt: t0, LastSeen: lastSeen}
		}
		all := []auth.Session{
			sess("h1", auth.KindOfficer, "desk1", 0, t0),
			sess("h2", auth.KindOfficer, "desk1", 0, t0),
			sess("h3", auth.KindApplicant, "desk1", 2, t0), // same subject text, other kind
			sess("h4", auth.KindOfficer, "desk2", 0, t0.Add(10*time.Minute)),
			sess("h5", auth.KindPublic, "", 0, t0),
		}
		for _, x := range all {
			if err := s.CreateSession(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateSession(ctx, all[0]); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate session: err %v, want ErrConflict", err)
		}

		got, err := s.SessionByHash(ctx, "h3")
		if err != nil {
			t.Fatal(err)
		}
		want := all[2]
		want.CreatedAt, want.LastSeen = t0.UTC(), t0.UTC()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("session round trip (-want +got):\n%s", diff)
		}
		if got.CreatedAt.Location() != time.UTC {
			t.Fatalf("created_at in %v, want UTC", got.CreatedAt.Location())
		}
		if _, err := s.SessionByHash(ctx, "nope"); !errors.Is(err, auth.ErrSessionNotFound) || !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing session: err %v, want ErrSessionNotFound and ErrNotFound", err)
		}

		t5 := t0.Add(5 * time.Minute)
		if err := s.TouchSession(ctx, "h1", t5); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SessionByHash(ctx, "h1"); err != nil || !got.LastSeen.Equal(t5) || !got.CreatedAt.Equal(t0) {
			t.Fatalf("after touch: %+v, %v", got, err)
		}
		if err := s.TouchSession(ctx, "nope", t5); !errors.Is(err, auth.ErrSessionNotFound) {
			t.Fatalf("touch missing: err %v", err)
		}

		if err := s.DeleteSession(ctx, "h2"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctx, "h2"); !errors.Is(err, auth.ErrSessionNotFound) {
			t.Fatalf("second delete: err %v, want ErrSessionNotFound", err)
		}

		// Sign out everywhere: every officer session of desk1, nothing else.
		if err := s.CreateSession(ctx, sess("h6", auth.KindOfficer, "desk1", 0, t0)); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSubjectSessions(ctx, auth.KindOfficer, "desk1"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSubjectSessions(ctx, auth.KindOfficer, "nobody"); err != nil {
			t.Fatalf("no sessions to end: %v", err)
		}
		live := func() []string {
			var out []string
			for _, h := range []string{"h1", "h2", "h3", "h4", "h5", "h6"} {
				_, err := s.SessionByHash(ctx, h)
				switch {
				case err == nil:
					out = append(out, h)
				case !errors.Is(err, auth.ErrSessionNotFound):
					t.Fatal(err)
				}
			}
			return out
		}
		if diff := cmp.Diff([]string{"h3", "h4", "h5"}, live()); diff != "" {
			t.Fatalf("after sign-out everywhere (-want +got):\n%s", diff)
		}

		n, err := s.DeleteSessionsBefore(ctx, t0.Add(time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("purge: %d, %v; want 2", n, err)
		}
		if diff := cmp.Diff([]string{"h4"}, live()); diff != "" {
			t.Fatalf("after purge (-want +got):\n%s", diff)
		}
	})
}

// TestContractIdentitySessionsWithAuth runs auth.Sessions, the lifetime rules, on the store.
func TestContractIdentitySessionsWithAuth(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rules := auth.Sessions{Store: s, IdleTimeout: 30 * time.Minute, MaxAge: 12 * time.Hour}
		t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, ict)
		pre, _, err := rules.Start(ctx, auth.KindPublic, "", 0, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := rules.Start(ctx, auth.KindApplicant, "sub-1", 2, pre, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rules.Resume(ctx, pre, t0); !errors.Is(err, auth.ErrSessionNotFound) {
			t.Fatalf("pre-session survived sign-in: %v", err)
		}
		b, _, err := rules.Start(ctx, auth.KindApplicant, "sub-1", 1, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := rules.Resume(ctx, a, t0.Add(20*time.Minute))
		if err != nil || got.AssuranceLevel != 2 || !got.LastSeen.Equal(t0.Add(20*time.Minute)) {
			t.Fatalf("resume: %+v, %v", got, err)
		}
		if _, err := rules.Resume(ctx, b, t0.Add(31*time.Minute)); !errors.Is(err, auth.ErrSessionNotFound) {
			t.Fatalf("idle session resumed: %v", err)
		}
		if err := rules.EndAll(ctx, auth.KindApplicant, "sub-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := rules.Resume(ctx, a, t0.Add(21*time.Minute)); !errors.Is(err, auth.ErrSessionNotFound) {
			t.Fatalf("session survived sign-out everywhere: %v", err)
		}
	})
}

func TestContractIdentityFlows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		exp := time.Date(2026, 11, 26, 8, 10, 0, 987654321, ict)
		f := auth.Flow{State: "state-1", Nonce: "nonce-1", Verifier: "verifier-1", Expires: exp}
		if err := s.SaveFlow(ctx, "f1", f); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveFlow(ctx, "f1", f); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate flow: err %v, want ErrConflict", err)
		}
		got, err := s.TakeFlow(ctx, "f1")
		if err != nil {
			t.Fatal(err)
		}
		want := f
		want.Expires = exp.UTC()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("flow round trip (-want +got):\n%s", diff)
		}
		if _, err := s.TakeFlow(ctx, "f1"); !errors.Is(err, auth.ErrFlowNotFound) {
			t.Fatalf("replayed flow: err %v, want ErrFlowNotFound", err)
		}
		if _, err := s.TakeFlow(ctx, "never"); !errors.Is(err, auth.ErrFlowNotFound) || !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown flow: err %v", err)
		}

		// Ten callbacks racing with one state: exactly one gets the flow (in 20 rounds, to give
		// a non-atomic take-then-delete a chance to show).
		for round := range 20 {
			id := fmt.Sprintf("race-%d", round)
			if err := s.SaveFlow(ctx, id, f); err != nil {
				t.Fatal(err)
			}
			won, lost := race(t, 10, func() error { _, err := s.TakeFlow(ctx, id); return err }, auth.ErrFlowNotFound)
			if won != 1 || lost != 9 {
				t.Fatalf("concurrent TakeFlow, round %d: %d won, %d lost; want 1 and 9", round, won, lost)
			}
		}

		old, fresh := f, f
		old.Expires = exp.Add(-time.Hour)
		if err := s.SaveFlow(ctx, "old", old); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveFlow(ctx, "fresh", fresh); err != nil {
			t.Fatal(err)
		}
		n, err := s.DeleteFlowsBefore(ctx, exp.Add(-time.Minute))
		if err != nil || n != 1 {
			t.Fatalf("purge: %d, %v; want 1", n, err)
		}
		if _, err := s.TakeFlow(ctx, "old"); !errors.Is(err, auth.ErrFlowNotFound) {
			t.Fatalf("expired flow kept: %v", err)
		}
		if _, err := s.TakeFlow(ctx, "fresh"); err != nil {
			t.Fatalf("live flow purged: %v", err)
		}
	})
}

// race runs fn from n goroutines at once and counts successes and errors matching loser; any
// other error fails the test.
func race(t *testing.T, n int, fn func() error, loser error) (won, lost int) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	var other []error
	for range n {
		wg.Go(func() {
			<-start
			err := fn()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, loser):
				lost++
			default:
				other = append(other, err)
			}
		})
	}
	close(start)
	wg.Wait()
	if len(other) > 0 {
		t.Errorf("unexpected errors: %v", other)
	}
	return won, lost
}

func TestContractIdentityStaff(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seedStaff(t, s,
			store.Officer{Username: "desk1", Roles: []store.RoleRow{{Role: "specialist", Unit: "xa-a"}, {Role: "desk", Unit: "p"}}},
			store.Officer{Username: "leader1", TOTPSecret: "k1:sealed", Roles: []store.RoleRow{{Role: "leader", Unit: "xa-a"}}},
			store.Officer{Username: "noroles", Disabled: true},
		)
		got, err := s.StaffAccount(ctx, "desk1")
		if err != nil {
			t.Fatal(err)
		}
		want := auth.StaffAccount{Username: "desk1", PasswordHash: "hash-of-desk1",
			Roles: []auth.RoleAssignment{{Role: "desk", Unit: "p"}, {Role: "specialist", Unit: "xa-a"}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("desk1 (-want +got):\n%s", diff)
		}
		got, err = s.StaffAccount(ctx, "noroles")
		if err != nil || !got.Disabled || got.Roles != nil {
			t.Fatalf("noroles: %+v, %v", got, err)
		}
		if got, err := s.StaffAccount(ctx, "leader1"); err != nil || got.TOTPSealed != "k1:sealed" || len(got.Roles) != 1 {
			t.Fatalf("leader1: %+v, %v", got, err)
		}
		if _, err := s.StaffAccount(ctx, "nobody"); !errors.Is(err, auth.ErrUnknownAccount) || !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown account: err %v", err)
		}

		// Account changes: each visible through StaffAccount, each refused for an unknown name.
		changes := []struct {
			name  string
			do    func(user string) error
			check func(a auth.StaffAccount) bool
		}{
			{"password", func(u string) error { return s.SetPasswordHash(ctx, u, "new-hash") }, func(a auth.StaffAccount) bool { return a.PasswordHash == "new-hash" }},
			{"enrol totp", func(u string) error { return s.SetTOTPSecret(ctx, u, "k1:secret") }, func(a auth.StaffAccount) bool { return a.TOTPSealed == "k1:secret" }},
			{"clear totp", func(u string) error { return s.SetTOTPSecret(ctx, u, "") }, func(a auth.StaffAccount) bool { return a.TOTPSealed == "" }},
			{"disable", func(u string) error { return s.SetOfficerDisabled(ctx, u, true) }, func(a auth.StaffAccount) bool { return a.Disabled }},
			{"enable", func(u string) error { return s.SetOfficerDisabled(ctx, u, false) }, func(a auth.StaffAccount) bool { return !a.Disabled }},
		}
		for _, c := range changes {
			t.Run(c.name, func(t *testing.T) {
				if err := c.do("desk1"); err != nil {
					t.Fatal(err)
				}
				if a, err := s.StaffAccount(ctx, "desk1"); err != nil || !c.check(a) {
					t.Fatalf("after %s: %+v, %v", c.name, a, err)
				}
				if err := c.do("nobody"); !errors.Is(err, auth.ErrUnknownAccount) {
					t.Fatalf("%s of an unknown officer: err %v", c.name, err)
				}
			})
		}

		steps := []struct {
			user string
			step int64
			want error
		}{
			{"leader1", 100, nil},
			{"leader1", 100, auth.ErrTOTPReplayed},
			{"leader1", 99, auth.ErrTOTPReplayed},
			{"leader1", 101, nil},
			{"desk1", 100, nil}, // per officer
			{"nobody", 100, auth.ErrUnknownAccount},
		}
		for _, c := range steps {
			if err := s.AdvanceTOTPStep(ctx, c.user, c.step); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Fatalf("AdvanceTOTPStep(%s, %d): err %v, want %v", c.user, c.step, err, c.want)
			}
		}
		if a, _ := s.StaffAccount(ctx, "leader1"); a.TOTPLastStep != 101 {
			t.Fatalf("last step %d, want 101", a.TOTPLastStep)
		}

		// Ten sign-ins racing with the same code: exactly one may use it.
		won, lost := race(t, 10, func() error { return s.AdvanceTOTPStep(ctx, "leader1", 500) }, auth.ErrTOTPReplayed)
		if won != 1 || lost != 9 {
			t.Fatalf("concurrent AdvanceTOTPStep: %d won, %d replayed; want 1 and 9", won, lost)
		}
		if a, _ := s.StaffAccount(ctx, "leader1"); a.TOTPLastStep != 500 {
			t.Fatalf("last step %d, want 500", a.TOTPLastStep)
		}
	})
}

func TestContractIdentityFailures(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 26, 8, 0, 0, 500000000, ict)
		if n, last, err := s.Failures(ctx, "staff:desk1"); err != nil || n != 0 || !last.IsZero() {
			t.Fatalf("no failures yet: %d, %v, %v", n, last, err)
		}
		for i := range 3 {
			if err := s.RecordFailure(ctx, "staff:desk1", t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordFailure(ctx, "ip:203.0.113.7", t0); err != nil {
			t.Fatal(err)
		}
		n, last, err := s.Failures(ctx, "staff:desk1")
		if err != nil || n != 3 || !last.Equal(t0.Add(2*time.Second)) || last.Location() != time.UTC {
			t.Fatalf("after 3 failures: %d, %v, %v", n, last, err)
		}
		if err := s.ResetFailures(ctx, "staff:desk1"); err != nil {
			t.Fatal(err)
		}
		if n, last, err := s.Failures(ctx, "staff:desk1"); err != nil || n != 0 || !last.IsZero() {
			t.Fatalf("after reset: %d, %v, %v", n, last, err)
		}
		if n, _, err := s.Failures(ctx, "ip:203.0.113.7"); err != nil || n != 1 {
			t.Fatalf("other key touched by reset: %d, %v", n, err)
		}
		if err := s.ResetFailures(ctx, "staff:nobody"); err != nil {
			t.Fatalf("reset without failures: %v", err)
		}
		if err := s.RecordFailure(ctx, "staff:desk2", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, err := s.DeleteFailuresBefore(ctx, t0.Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("purge: %d, %v; want 1", n, err)
		}
		if n, _, _ := s.Failures(ctx, "staff:desk2"); n != 1 {
			t.Fatalf("recent failure purged")
		}
	})
}

// TestContractIdentityStaffSignIn runs auth.StaffSignIn, password and TOTP included, on the store.
func TestContractIdentityStaffSignIn(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		keys := auth.GenerateKeyring()
		const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
		hash, err := auth.HashPassword("mật khẩu lãnh đạo")
		if err != nil {
			t.Fatal(err)
		}
		seedStaff(t, s, store.Officer{Username: "leader1", PasswordHash: hash, TOTPSecret: keys.Seal(auth.PurposeTOTPSecret, secret),
			Roles: []store.RoleRow{{Role: auth.RoleLeader, Unit: "xa-a"}}})
		signIn := auth.StaffSignIn{Store: s, Keyring: keys, Throttle: auth.DefaultThrottle}
		now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
		code, err := auth.TOTPCode(secret, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := signIn.SignIn(ctx, "leader1", "sai mật khẩu", code, now); !errors.Is(err, auth.ErrSignInFailed) {
			t.Fatalf("wrong password: %v", err)
		}
		if n, _, _ := s.Failures(ctx, "staff:leader1"); n != 1 {
			t.Fatalf("failures %d, want 1", n)
		}
		acct, err := signIn.SignIn(ctx, "Leader1", "mật khẩu lãnh đạo", code, now.Add(5*time.Second))
		if err != nil || acct.TOTPLastStep != auth.TOTPStep(now) {
			t.Fatalf("sign-in: %+v, %v", acct, err)
		}
		if n, _, _ := s.Failures(ctx, "staff:leader1"); n != 0 {
			t.Fatalf("failures %d after success, want 0", n)
		}
		if _, err := signIn.SignIn(ctx, "leader1", "mật khẩu lãnh đạo", code, now.Add(10*time.Second)); !errors.Is(err, auth.ErrSignInFailed) {
			t.Fatalf("replayed code accepted: %v", err)
		}
	})
}

func TestContractIdentityAPITokens(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seedStaff(t, s, store.Officer{Username: "desk1"}, store.Officer{Username: "desk2"})
		t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, ict)
		if err := s.CreateAPIToken(ctx, "h1", "desk1", "CI", t0); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAPIToken(ctx, "h2", "desk1", "sao lưu", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAPIToken(ctx, "h3", "desk2", "", t0); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAPIToken(ctx, "h1", "desk2", "again", t0); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate hash: err %v, want ErrConflict", err)
		}
		if err := s.CreateAPIToken(ctx, "h9", "nobody", "", t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown officer: err %v, want ErrNotFound", err)
		}

		lastUsed := func(h string) *time.Time {
			t.Helper()
			rows, err := s.APITokens(ctx, "desk1")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Hash == h {
					return r.LastUsedAt
				}
			}
			t.Fatalf("token %s not listed", h)
			return nil
		}
		uses := []struct {
			after    time.Duration
			wantLast time.Duration
		}{
			{10 * time.Second, 10 * time.Second},
			{40 * time.Second, 10 * time.Second}, // under a minute since the recorded use: no write
			{2 * time.Minute, 2 * time.Minute},
		}
		for _, u := range uses {
			user, err := s.APITokenUser(ctx, "h1", t0.Add(u.after))
			if err != nil || user != "desk1" {
				t.Fatalf("use at +%v: %q, %v", u.after, user, err)
			}
			if got := lastUsed("h1"); got == nil || !got.Equal(t0.Add(u.wantLast)) {
				t.Fatalf("after use at +%v: last used %v, want +%v", u.after, got, u.wantLast)
			}
		}
		if _, err := s.APITokenUser(ctx, "nope", t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown token: err %v", err)
		}

		rows, err := s.APITokens(ctx, "desk1")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Hash != "h2" || rows[0].Label != "sao lưu" || rows[0].LastUsedAt != nil || !rows[1].CreatedAt.Equal(t0) || rows[1].CreatedAt.Location() != time.UTC {
			t.Fatalf("tokens of desk1: %+v", rows)
		}

		revokedAt := t0.Add(3 * time.Minute)
		if err := s.RevokeAPIToken(ctx, "h1", revokedAt); err != nil {
			t.Fatal(err)
		}
		if _, err := s.APITokenUser(ctx, "h1", t0.Add(4*time.Minute)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("revoked token accepted: %v", err)
		}
		if err := s.RevokeAPIToken(ctx, "h1", t0.Add(time.Hour)); err != nil {
			t.Fatalf("second revocation: %v", err)
		}
		if err := s.RevokeAPIToken(ctx, "nope", t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("revoke unknown: err %v", err)
		}
		rows, _ = s.APITokens(ctx, "desk1")
		if rows[1].RevokedAt == nil || !rows[1].RevokedAt.Equal(revokedAt) {
			t.Fatalf("revoked_at %v, want %v (kept from the first revocation)", rows[1].RevokedAt, revokedAt)
		}

		// A disabled officer's tokens stop working, and work again when re-enabled.
		if err := s.SetOfficerDisabled(ctx, "desk2", true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.APITokenUser(ctx, "h3", t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("disabled officer's token accepted: %v", err)
		}
		if err := s.SetOfficerDisabled(ctx, "desk2", false); err != nil {
			t.Fatal(err)
		}
		if u, err := s.APITokenUser(ctx, "h3", t0); err != nil || u != "desk2" {
			t.Fatalf("re-enabled: %q, %v", u, err)
		}
	})
}

func TestContractIdentityAccessLog(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, ict)
		// Inserted out of time order: the log is ordered by time, not by insertion.
		entries := []struct {
			minute           int
			officer, dossier string
			what             string
		}{
			{3, "a", "D1", "e3"},
			{1, "a", "D1", "e1"},
			{2, "b", "D1", "e2"},
			{5, "b", "D2", "e5"},
			{4, "a", "D2", "e4"},
			{6, "a", "D1", "e6"},
		}
		for _, e := range entries {
			err := s.LogAccess(ctx, store.AccessEntry{At: t0.Add(time.Duration(e.minute) * time.Minute), Officer: e.officer, DossierID: e.dossier,
				What: e.what, Screen: "console/dossier", RequestID: "req-" + e.what})
			if err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			name string
			f    store.AccessFilter
			want []string
		}{
			{"all", store.AccessFilter{}, []string{"e6", "e5", "e4", "e3", "e2", "e1"}},
			{"officer", store.AccessFilter{Officer: "a"}, []string{"e6", "e4", "e3", "e1"}},
			{"dossier", store.AccessFilter{DossierID: "D1"}, []string{"e6", "e3", "e2", "e1"}},
			{"both", store.AccessFilter{Officer: "b", DossierID: "D1"}, []string{"e2"}},
			{"window", store.AccessFilter{From: t0.Add(2 * time.Minute), To: t0.Add(5 * time.Minute)}, []string{"e4", "e3", "e2"}},
			{"page", store.AccessFilter{Limit: 2, Offset: 1}, []string{"e5", "e4"}},
			{"nobody", store.AccessFilter{Officer: "c"}, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.AccessLog(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				var whats []string
				for _, e := range got {
					whats = append(whats, e.What)
				}
				if diff := cmp.Diff(c.want, whats); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
			})
		}
		got, _ := s.AccessLog(ctx, store.AccessFilter{Limit: 1})
		want := store.AccessEntry{ID: got[0].ID, At: t0.Add(6 * time.Minute).UTC(), Officer: "a", DossierID: "D1", What: "e6", Screen: "console/dossier", RequestID: "req-e6"}
		if diff := cmp.Diff(want, got[0]); diff != "" || got[0].ID == 0 {
			t.Fatalf("entry round trip (-want +got):\n%s", diff)
		}

		// Inside a transaction the entry commits or rolls back with the rest.
		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.LogAccess(ctx, store.AccessEntry{At: t0, Officer: "a", DossierID: "D9"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err %v", err)
		}
		if got, _ := s.AccessLog(ctx, store.AccessFilter{DossierID: "D9"}); len(got) != 0 {
			t.Fatalf("rolled-back access logged: %+v", got)
		}
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			return tx.LogAccess(ctx, store.AccessEntry{At: t0, Officer: "a", DossierID: "D9"})
		}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.AccessLog(ctx, store.AccessFilter{DossierID: "D9"}); len(got) != 1 {
			t.Fatalf("committed access missing: %+v", got)
		}
		if err := s.LogAccess(ctx, store.AccessEntry{At: t0, DossierID: "D1"}); err == nil {
			t.Fatal("an access without an officer was logged")
		}
	})
}

func TestContractIdentityApplicants(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, ict)
		a := store.ApplicantRow{Subject: "sub-1", IDHash: "idx-1", IDSealed: "k1:id", PhoneSealed: "k1:phone", Name: "Nguyễn Văn An", AssuranceLevel: 2, UpdatedAt: t0}
		if err := s.PutApplicant(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.Applicant(ctx, "sub-1")
		if err != nil {
			t.Fatal(err)
		}
		want := a
		want.Orgs, want.UpdatedAt = "[]", t0.UTC()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("applicant round trip (-want +got):\n%s", diff)
		}

		// A sign-in refreshes the identity and keeps the phone the provider does not send.
		orgs := `[{"EnterpriseCode":"0101234567","Name":"Công ty A"}]`
		b := store.ApplicantRow{Subject: "sub-1", IDHash: "idx-1", IDSealed: "k1:id2", Name: "Nguyễn Văn Ân", AssuranceLevel: 1, Orgs: orgs, UpdatedAt: t0.Add(time.Hour)}
		if err := s.PutApplicant(ctx, b); err != nil {
			t.Fatal(err)
		}
		want = b
		want.PhoneSealed, want.UpdatedAt = "k1:phone", b.UpdatedAt.UTC()
		if got, err := s.Applicant(ctx, "sub-1"); err != nil || cmp.Diff(want, got) != "" {
			t.Fatalf("after refresh (-want +got):\n%s (err %v)", cmp.Diff(want, got), err)
		}
		if err := s.SetApplicantPhone(ctx, "sub-1", "", t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Applicant(ctx, "sub-1"); got.PhoneSealed != "" {
			t.Fatalf("phone not removed: %q", got.PhoneSealed)
		}
		if err := s.SetApplicantPhone(ctx, "nobody", "k1:x", t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("phone of unknown applicant: err %v", err)
		}

		if err := s.PutApplicant(ctx, store.ApplicantRow{Subject: "sub-0", IDHash: "idx-1", IDSealed: "k1:id3", Name: "Nguyễn Văn An", AssuranceLevel: 2, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutApplicant(ctx, store.ApplicantRow{Subject: "sub-2", IDHash: "idx-2", IDSealed: "k1:id4", Name: "Trần Thị Bình", AssuranceLevel: 2, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		same, err := s.ApplicantsByIDHash(ctx, "idx-1")
		if err != nil || len(same) != 2 || same[0].Subject != "sub-0" || same[1].Subject != "sub-1" {
			t.Fatalf("by id hash: %+v, %v", same, err)
		}
		if none, err := s.ApplicantsByIDHash(ctx, "idx-9"); err != nil || len(none) != 0 {
			t.Fatalf("unknown id hash: %+v, %v", none, err)
		}
		if _, err := s.Applicant(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown applicant: err %v", err)
		}
	})
}

// rawDB opens a second, plain connection to a store's database, for reading and writing
// tables the way an intruder with a copy of the database would (or for rows no method
// writes yet). It rewrites `?` markers for PostgreSQL.
type rawDB struct {
	db *sql.DB
	pg bool
}

func openRaw(t *testing.T, dsn string) rawDB {
	t.Helper()
	var db *sql.DB
	var err error
	pg := !strings.HasPrefix(dsn, "sqlite:")
	if pg {
		db, err = sql.Open("pgx", dsn)
	} else {
		db, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return rawDB{db: db, pg: pg}
}

func (r rawDB) q(query string) string {
	if !r.pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// dump returns every row of table as text, in key order.
func (r rawDB) dump(t *testing.T, table, key string) string {
	t.Helper()
	rows, err := r.db.Query("SELECT * FROM " + table + " ORDER BY " + key)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v\t", cols[i], v)
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// sealedValue is one value ResealAll must re-encrypt, with what it must still decrypt to.
type sealedValue struct {
	table, key, column, purpose, plain string
}

func TestContractIdentityResealAll(t *testing.T) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.URL(t, e)
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			raw := openRaw(t, dsn)
			testResealAll(t, s, raw)
		})
	}
}

func testResealAll(t *testing.T, s *store.Store, raw rawDB) {
	ctx := context.Background()
	k1 := auth.GenerateKeyring()
	k2 := k1.Rotated()
	at := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	var values []sealedValue
	var already []sealedValue // sealed with k2 before the run: must be left byte for byte

	// Officers through the store: two enrolled in TOTP, one not (NULL).
	var officers []store.Officer
	for i, u := range []string{"admin1", "desk1", "leader1"} {
		o := store.Officer{Username: u}
		if i != 1 {
			secret := fmt.Sprintf("JBSWY3DPEHPK3PX%d", i)
			o.TOTPSecret = k1.Seal(auth.PurposeTOTPSecret, secret)
			values = append(values, sealedValue{"officers", u, "totp_secret", auth.PurposeTOTPSecret, secret})
		}
		officers = append(officers, o)
	}
	seedStaff(t, s, officers...)

	// 1100 applicants written directly (three batches of the walk); every third has a phone;
	// applicant 7 was already sealed under the new key.
	tx, err := raw.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	const applicants = 1100
	for i := range applicants {
		subject := fmt.Sprintf("sub-%05d", i)
		id := fmt.Sprintf("0012030%05d", i)
		kr := k1
		if i == 7 {
			kr = k2
		}
		idSealed := kr.Seal(auth.PurposePersonalID, id)
		var phone any
		v := sealedValue{"applicants", subject, "id_sealed", auth.PurposePersonalID, id}
		if i == 7 {
			already = append(already, v)
		} else {
			values = append(values, v)
		}
		if i%3 == 0 {
			p := fmt.Sprintf("09%08d", i)
			phone = kr.Seal(auth.PurposePhone, p)
			v := sealedValue{"applicants", subject, "phone_sealed", auth.PurposePhone, p}
			if i == 7 {
				already = append(already, v)
			} else {
				values = append(values, v)
			}
		}
		if _, err := tx.Exec(raw.q(`INSERT INTO applicants (subject, id_hash, id_sealed, phone_sealed, name, assurance_level, orgs, updated_at) VALUES (?, ?, ?, ?, ?, 2, '[]', ?)`),
			subject, k1.BlindIndex(auth.PurposePersonalID, id), idSealed, phone, "Người nộp "+strconv.Itoa(i), at.Format("2006-01-02 15:04:05+00:00")); err != nil {
			t.Fatal(err)
		}
	}
	// Dossier personal data: a citizen with everything, one with an empty e-mail, an
	// organization (no personal ID).
	pii := []struct {
		dossier, id, phone, email string
	}{
		{"D1", "001203012345", "0912345678", "an@example.vn"},
		{"D2", "001203054321", "0987654321", ""},
		{"D3", "", "0911111111", "congty@example.vn"},
	}
	for _, d := range pii {
		seal := func(purpose, column, v string) any {
			if v == "" {
				return nil
			}
			values = append(values, sealedValue{"dossier_pii", d.dossier, column, purpose, v})
			return k1.Seal(purpose, v)
		}
		var idHash any
		if d.id != "" {
			idHash = k1.BlindIndex(auth.PurposePersonalID, d.id)
		}
		if _, err := tx.Exec(raw.q(`INSERT INTO dossier_pii (dossier_id, id_hash, id_sealed, phone_sealed, email_sealed) VALUES (?, ?, ?, ?, ?)`),
			d.dossier, idHash, seal(auth.PurposePersonalID, "id_sealed", d.id), seal(auth.PurposePhone, "phone_sealed", d.phone), seal("email", "email_sealed", d.email)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec(raw.q(`UPDATE dossier_pii SET email_sealed = '' WHERE dossier_id = ?`), "D2"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	// fn does what `motcua keys rotate` does: the purpose is bound into each value, so try each.
	purposes := []string{auth.PurposePersonalID, auth.PurposePhone, auth.PurposeTOTPSecret, "email"}
	var calls int
	reseal := func(sealed string) (string, bool, error) {
		calls++
		var last error
		for _, p := range purposes {
			out, changed, err := k2.Reseal(p, sealed)
			if err == nil {
				return out, changed, nil
			}
			last = err
		}
		return "", false, last
	}
	readValue := func(v sealedValue) string {
		t.Helper()
		var got sql.NullString
		keyCol := map[string]string{"applicants": "subject", "officers": "username", "dossier_pii": "dossier_id"}[v.table]
		if err := raw.db.QueryRow(raw.q(`SELECT `+v.column+` FROM `+v.table+` WHERE `+keyCol+` = ?`), v.key).Scan(&got); err != nil {
			t.Fatalf("%s.%s of %s: %v", v.table, v.column, v.key, err)
		}
		return got.String
	}
	before := map[sealedValue]string{}
	for _, v := range already {
		before[v] = readValue(v)
	}

	var progress []int
	n, err := s.ResealAll(context.Background(), reseal, func(done int) { progress = append(progress, done) })
	if err != nil {
		t.Fatal(err)
	}
	if n != len(values) {
		t.Fatalf("rewrote %d values, want %d", n, len(values))
	}
	if calls != len(values)+len(already) {
		t.Fatalf("fn called %d times, want %d (empty and NULL values must be skipped)", calls, len(values)+len(already))
	}
	rows := applicants + len(officers) + len(pii)
	if diff := cmp.Diff([]int{500, 1000, 1100, 1100 + len(officers), rows}, progress); diff != "" {
		t.Fatalf("progress (-want +got):\n%s", diff)
	}

	// Every value now opens with the new key alone, and the already-rotated ones were not touched.
	onlyNew, err := k2.Without(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range append(slices.Clone(values), already...) {
		got := readValue(v)
		if !strings.HasPrefix(got, "k2:") {
			t.Fatalf("%s.%s of %s not under the new key: %q", v.table, v.column, v.key, got)
		}
		plain, err := onlyNew.Open(v.purpose, got)
		if err != nil || plain != v.plain {
			t.Fatalf("%s.%s of %s: opened %q, %v; want %q", v.table, v.column, v.key, plain, err, v.plain)
		}
	}
	for v, old := range before {
		if got := readValue(v); got != old {
			t.Fatalf("%s.%s of %s was already under the new key but was rewritten", v.table, v.column, v.key)
		}
	}
	var email sql.NullString
	if err := raw.db.QueryRow(raw.q(`SELECT email_sealed FROM dossier_pii WHERE dossier_id = ?`), "D2").Scan(&email); err != nil || email.String != "" || !email.Valid {
		t.Fatalf("empty value changed: %v %v", email, err)
	}

	// A raw read of the tables finds no personal data in clear.
	tables := [][2]string{{"applicants", "subject"}, {"officers", "username"}, {"dossier_pii", "dossier_id"}}
	var all strings.Builder
	for _, tk := range tables {
		all.WriteString(raw.dump(t, tk[0], tk[1]))
	}
	dump := all.String()
	for _, v := range append(slices.Clone(values), already...) {
		if strings.Contains(dump, v.plain) {
			t.Fatalf("plaintext %s of %s found in the database", v.column, v.key)
		}
	}

	// A second run changes nothing.
	calls = 0
	n, err = s.ResealAll(ctx, reseal, nil)
	if err != nil || n != 0 || calls != len(values)+len(already) {
		t.Fatalf("second run: rewrote %d (%v), %d calls; want 0", n, err, calls)
	}
	var again strings.Builder
	for _, tk := range tables {
		again.WriteString(raw.dump(t, tk[0], tk[1]))
	}
	if again.String() != dump {
		t.Fatal("second run changed the database")
	}

	// fn's error stops the walk and is returned.
	boom := errors.New("boom")
	if _, err := s.ResealAll(ctx, func(string) (string, bool, error) { return "", false, boom }, nil); !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
}

// BenchmarkIdentityRequestPath is what every signed-in officer's request reads: the session
// and the account with its roles.
func BenchmarkIdentityRequestPath(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			s := storetest.Open(b, e)
			at := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
			audit := store.AuditEntry{At: at, Actor: "bench", Action: "seed", ObjectKind: "bench", ObjectKey: "seed"}
			if err := s.SaveOrganization(ctx, []store.UnitRow{{Key: "p", Kind: "province", Name: "P", Identifier: "000.00.00.H55", Data: "{}"}}, nil, nil, audit); err != nil {
				b.Fatal(err)
			}
			o := store.Officer{Username: "desk1", Name: "D", PasswordHash: "h", CreatedAt: at, Roles: []store.RoleRow{{Role: "desk", Unit: "p"}, {Role: "specialist", Unit: "p"}}}
			if err := s.CreateOfficers(ctx, []store.Officer{o}, audit); err != nil {
				b.Fatal(err)
			}
			if err := s.CreateSession(ctx, auth.Session{IDHash: "h", Kind: auth.KindOfficer, Subject: "desk1", CreatedAt: at, LastSeen: at}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					sess, err := s.SessionByHash(ctx, "h")
					if err != nil {
						b.Error(err)
						return
					}
					if _, err := s.StaffAccount(ctx, sess.Subject); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkIdentityResealAll measures the key-rotation walk per row (one sealed personal ID
// and, for every other row, a phone), each iteration under a freshly rotated keyring.
func BenchmarkIdentityResealAll(b *testing.B) {
	const rows = 2000
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			s := storetest.Open(b, e)
			keys := auth.GenerateKeyring()
			at := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
			for i := range rows {
				id := fmt.Sprintf("0012030%05d", i)
				a := store.ApplicantRow{Subject: fmt.Sprintf("sub-%05d", i), IDHash: keys.BlindIndex(auth.PurposePersonalID, id),
					IDSealed: keys.Seal(auth.PurposePersonalID, id), Name: "N", AssuranceLevel: 2, UpdatedAt: at}
				if i%2 == 0 {
					a.PhoneSealed = keys.Seal(auth.PurposePhone, "0912345678")
				}
				if err := s.PutApplicant(ctx, a); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				keys = keys.Rotated()
				k := keys
				n, err := s.ResealAll(ctx, func(sealed string) (string, bool, error) {
					for _, p := range []string{auth.PurposePersonalID, auth.PurposePhone} {
						if out, changed, err := k.Reseal(p, sealed); err == nil {
							return out, changed, nil
						}
					}
					return "", false, errors.New("no purpose opens it")
				}, nil)
				if err != nil || n != rows+rows/2 {
					b.Fatalf("resealed %d, %v", n, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}
