package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// memStaff is the in-memory StaffStore the store's implementation must behave like.
type memStaff struct {
	mu       sync.Mutex
	accounts map[string]StaffAccount
	fails    map[string]int
	last     map[string]time.Time
}

func (m *memStaff) StaffAccount(_ context.Context, u string) (StaffAccount, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accounts[u]
	if !ok {
		return StaffAccount{}, ErrUnknownAccount
	}
	return a, nil
}

func (m *memStaff) Failures(_ context.Context, k string) (int, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.fails[k], m.last[k], nil
}

func (m *memStaff) RecordFailure(_ context.Context, k string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fails[k]++
	m.last[k] = at
	return nil
}

func (m *memStaff) ResetFailures(_ context.Context, k string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.fails, k)
	delete(m.last, k)
	return nil
}

func (m *memStaff) AdvanceTOTPStep(_ context.Context, u string, step int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.accounts[u]
	if step <= a.TOTPLastStep {
		return ErrTOTPReplayed
	}
	a.TOTPLastStep = step
	m.accounts[u] = a
	return nil
}

func (m *memStaff) SetPasswordHash(_ context.Context, u, h string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.accounts[u]
	a.PasswordHash = h
	m.accounts[u] = a
	return nil
}

const totpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func newStaffWorld(t *testing.T) (*StaffSignIn, *memStaff) {
	t.Helper()
	k := GenerateKeyring()
	cheap, err := HashPasswordWith("mật khẩu bàn một cửa", testParams)
	if err != nil {
		t.Fatal(err)
	}
	strong, err := HashPassword("mật khẩu lãnh đạo")
	if err != nil {
		t.Fatal(err)
	}
	st := &memStaff{fails: map[string]int{}, last: map[string]time.Time{}, accounts: map[string]StaffAccount{
		"desk1":    {Username: "desk1", PasswordHash: cheap, Roles: []RoleAssignment{{RoleDesk, "d1"}}},
		"lead1":    {Username: "lead1", PasswordHash: strong, TOTPSealed: k.Seal(PurposeTOTPSecret, totpSecret), Roles: []RoleAssignment{{RoleLeader, "a1"}}},
		"insp":     {Username: "insp", PasswordHash: strong, Roles: []RoleAssignment{{RoleInspector, "x"}}},
		"disabled": {Username: "disabled", PasswordHash: strong, Disabled: true},
	}}
	return &StaffSignIn{Store: st, Keyring: k, Throttle: DefaultThrottle}, st
}

func TestStaffSignIn(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	code, err := TOTPCode(totpSecret, now)
	if err != nil {
		t.Fatal(err)
	}
	l, st := newStaffWorld(t)

	if _, err := l.SignIn(ctx, " Desk1 ", "mật khẩu bàn một cửa", "", now); err != nil {
		t.Fatalf("desk officer: %v", err)
	}
	if NeedsRehash(st.accounts["desk1"].PasswordHash) {
		t.Errorf("weak hash not upgraded after sign-in")
	}
	if _, err := l.SignIn(ctx, "lead1", "mật khẩu lãnh đạo", "", now); !errors.Is(err, ErrTOTPRequired) {
		t.Errorf("leader without code: %v, want ErrTOTPRequired", err)
	}
	if _, err := l.SignIn(ctx, "lead1", "mật khẩu lãnh đạo", code, now); err != nil {
		t.Errorf("leader with code: %v", err)
	}
	if _, err := l.SignIn(ctx, "lead1", "mật khẩu lãnh đạo", code, now.Add(time.Second)); !errors.Is(err, ErrSignInFailed) {
		t.Errorf("replayed code: %v, want ErrSignInFailed", err)
	}
	if _, err := l.SignIn(ctx, "insp", "mật khẩu lãnh đạo", "", now); !errors.Is(err, ErrTOTPNotEnrolled) {
		t.Errorf("inspector without TOTP: %v, want ErrTOTPNotEnrolled", err)
	}
	for _, u := range []string{"nobody", "disabled"} {
		if _, err := l.SignIn(ctx, u, "mật khẩu lãnh đạo", "", now); !errors.Is(err, ErrSignInFailed) {
			t.Errorf("%s: %v, want ErrSignInFailed", u, err)
		}
	}
	if st.fails["staff:nobody"] != 1 {
		t.Errorf("failure of an unknown username not counted")
	}
}

func TestStaffSignInLockout(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	l, _ := newStaffWorld(t)
	at := now
	for i := 1; i <= DefaultThrottle.LockoutAfter; i++ {
		at = at.Add(DefaultThrottle.Delay(i - 1))
		if _, err := l.SignIn(ctx, "desk1", "sai mật khẩu", "", at); !errors.Is(err, ErrSignInFailed) {
			t.Fatalf("attempt %d: %v", i, err)
		}
		// Trying again at once is throttled from the third failure on.
		_, err := l.SignIn(ctx, "desk1", "mật khẩu bàn một cửa", "", at)
		var te *ThrottledError
		if i >= 3 && !errors.As(err, &te) {
			t.Fatalf("immediate retry after %d failures: %v, want throttled", i, err)
		}
		if i < 3 && err != nil {
			t.Fatalf("retry after %d free failures refused: %v", i, err)
		}
		if i < 3 { // the success reset the counter; fail again to keep counting
			for j := 0; j < i; j++ {
				_, _ = l.SignIn(ctx, "desk1", "sai", "", at)
			}
		}
	}
	_, err := l.SignIn(ctx, "desk1", "mật khẩu bàn một cửa", "", at.Add(14*time.Minute))
	var te *ThrottledError
	if !errors.As(err, &te) || !te.Decision.Locked {
		t.Fatalf("right password during lockout: %v, want locked", err)
	}
	if _, err := l.SignIn(ctx, "desk1", "mật khẩu bàn một cửa", "", at.Add(15*time.Minute)); err != nil {
		t.Errorf("after the lockout: %v", err)
	}
}
