package auth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters are the RFC 6238 defaults every authenticator app understands: 30-second
// steps, 6 digits, SHA-1. Changing them would break enrolment with common apps.
const (
	totpPeriod = 30
	totpSkew   = 1 // steps accepted either side of now, for phone clocks that drift
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

var (
	// ErrTOTPInvalid means the code does not match any step within the accepted window.
	ErrTOTPInvalid = errors.New("invalid one-time code")
	// ErrTOTPReplayed means the code matches a step at or before the last step already used:
	// someone is re-sending a code that was seen before.
	ErrTOTPReplayed = errors.New("one-time code already used")
)

// TOTPEnrolment is what an officer needs to set up an authenticator app.
type TOTPEnrolment struct {
	Secret string // base32, stored encrypted by the caller (Keyring.Seal)
	URL    string // otpauth:// URL, shown as a QR code
}

// NewTOTP creates a fresh TOTP secret for account (the officer's username) under issuer
// (e.g. "MotCua Thái Nguyên").
func NewTOTP(issuer, account string) (TOTPEnrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return TOTPEnrolment{}, fmt.Errorf("generate totp secret: %w", err)
	}
	return TOTPEnrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// TOTPStep returns the time step a moment falls in.
func TOTPStep(at time.Time) int64 { return at.Unix() / totpPeriod }

// TOTPCode returns the code for secret at a moment. Tests and the demo use it; production
// code only validates.
func TOTPCode(secret string, at time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, at, totpOpts)
}

// ValidateTOTP checks code against secret at moment at, accepting one step of clock skew
// either way. lastStep is the step of the last code this officer used successfully (0 if
// none); a code for that step or an earlier one is refused with ErrTOTPReplayed, so a code
// seen over someone's shoulder cannot be used twice. On success it returns the matched step,
// which the caller must store as the new lastStep.
func ValidateTOTP(secret, code string, at time.Time, lastStep int64) (int64, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != otp.DigitsSix.Length() {
		return 0, ErrTOTPInvalid
	}
	now := TOTPStep(at)
	matched := int64(-1)
	// Compare against every step in the window, without stopping early, so that timing
	// does not reveal which step matched.
	for s := now - totpSkew; s <= now+totpSkew; s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, fmt.Errorf("totp secret: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > matched {
			matched = s
		}
	}
	switch {
	case matched < 0:
		return 0, ErrTOTPInvalid
	case matched <= lastStep:
		return 0, ErrTOTPReplayed
	}
	return matched, nil
}

// RoleRequiresTOTP reports whether a role must sign in with a second factor: those who approve
// (leader), configure everything (admin) or read the whole province's data (inspector).
func RoleRequiresTOTP(role string) bool {
	switch role {
	case RoleLeader, RoleAdmin, RoleInspector:
		return true
	}
	return false
}
