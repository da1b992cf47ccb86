package auth

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

func TestNewTOTP(t *testing.T) {
	e, err := NewTOTP("MotCua Thái Nguyên", "nguyen.van.an")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(e.URL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Errorf("URL %q is not an otpauth totp URL", e.URL)
	}
	q := u.Query()
	if q.Get("secret") != e.Secret || q.Get("issuer") != "MotCua Thái Nguyên" {
		t.Errorf("URL query %v does not carry the secret and issuer", q)
	}
	other, err := NewTOTP("MotCua Thái Nguyên", "nguyen.van.an")
	if err != nil {
		t.Fatal(err)
	}
	if other.Secret == e.Secret {
		t.Errorf("two enrolments share a secret")
	}
}

func TestValidateTOTP(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := time.Date(2026, 11, 26, 9, 30, 10, 0, time.UTC)
	step := now.Unix() / 30
	// Codes come from the library directly, independently of TOTPCode.
	code := func(t *testing.T, at time.Time) string {
		t.Helper()
		c, err := totp.GenerateCode(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name     string
		code     string
		lastStep int64
		wantStep int64
		wantErr  error
	}{
		{"current step", code(t, now), 0, step, nil},
		{"previous step (skew)", code(t, now.Add(-30*time.Second)), 0, step - 1, nil},
		{"next step (skew)", code(t, now.Add(30*time.Second)), 0, step + 1, nil},
		{"two steps old", code(t, now.Add(-60*time.Second)), 0, 0, ErrTOTPInvalid},
		{"two steps ahead", code(t, now.Add(60*time.Second)), 0, 0, ErrTOTPInvalid},
		{"with spaces", " " + code(t, now)[:3] + " " + code(t, now)[3:], 0, step, nil},
		{"replayed current", code(t, now), step, 0, ErrTOTPReplayed},
		{"older than last used", code(t, now.Add(-30*time.Second)), step, 0, ErrTOTPReplayed},
		{"after last used", code(t, now), step - 1, step, nil},
		{"empty", "", 0, 0, ErrTOTPInvalid},
		{"too short", "12345", 0, 0, ErrTOTPInvalid},
		{"letters", "abcdef", 0, 0, ErrTOTPInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateTOTP(secret, tt.code, now, tt.lastStep)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got != tt.wantStep {
				t.Errorf("step = %d, want %d", got, tt.wantStep)
			}
		})
	}
}

func TestValidateTOTPWrongCode(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := time.Date(2026, 11, 26, 9, 30, 10, 0, time.UTC)
	good, err := TOTPCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	wrong := []byte(good)
	wrong[5] = '0' + (wrong[5]-'0'+1)%10
	if _, err := ValidateTOTP(secret, string(wrong), now, 0); !errors.Is(err, ErrTOTPInvalid) {
		t.Errorf("wrong last digit: err = %v", err)
	}
	if _, err := ValidateTOTP("not base32!", good, now, 0); err == nil || errors.Is(err, ErrTOTPInvalid) {
		t.Errorf("bad secret: err = %v, want an internal error", err)
	}
}

func TestRoleRequiresTOTP(t *testing.T) {
	want := map[string]bool{"leader": true, "admin": true, "inspector": true}
	for _, r := range append(Roles(), "", "unknown", "Leader") {
		if got := RoleRequiresTOTP(r); got != want[r] {
			t.Errorf("RoleRequiresTOTP(%q) = %v, want %v", r, got, want[r])
		}
	}
	if !strings.Contains(strings.Join(Roles(), ","), "unit_admin") {
		t.Errorf("Roles() lacks unit_admin")
	}
}
