package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// StaffAccount is what staff sign-in needs to know about an officer.
type StaffAccount struct {
	Username     string
	PasswordHash string // PHC argon2id string
	TOTPSealed   string // Keyring.Seal(PurposeTOTPSecret, secret); "" when not enrolled
	TOTPLastStep int64  // last TOTP step accepted
	Roles        []RoleAssignment
	Disabled     bool
}

// StaffStore is the state staff sign-in reads and writes. The store implements it.
type StaffStore interface {
	// StaffAccount returns an error matching ErrUnknownAccount when there is none.
	StaffAccount(ctx context.Context, username string) (StaffAccount, error)
	// Failures returns the consecutive failed attempts under key and when the last was.
	Failures(ctx context.Context, key string) (count int, last time.Time, err error)
	RecordFailure(ctx context.Context, key string, at time.Time) error
	ResetFailures(ctx context.Context, key string) error
	// AdvanceTOTPStep stores step as the officer's last TOTP step only if it is greater than
	// the stored one (UPDATE ... WHERE totp_last_step < $step), and returns ErrTOTPReplayed
	// otherwise, so two requests racing with one code cannot both succeed.
	AdvanceTOTPStep(ctx context.Context, username string, step int64) error
	SetPasswordHash(ctx context.Context, username, hash string) error
}

// Errors of StaffSignIn. Show ErrSignInFailed's message for every failure but the throttle
// (whose decision says how long to wait) and ErrTOTPRequired (which asks for the code).
var (
	ErrUnknownAccount = errors.New("unknown account")
	// ErrSignInFailed: wrong username, wrong password, disabled account or wrong code;
	// deliberately one error so the answer does not reveal which.
	ErrSignInFailed = errors.New("sign-in failed")
	// ErrTOTPRequired: the password was right and the account needs a one-time code.
	ErrTOTPRequired = errors.New("one-time code required")
	// ErrTOTPNotEnrolled: the account's role requires a second factor it has not set up;
	// the caller must send the officer to enrolment (or an administrator).
	ErrTOTPNotEnrolled = errors.New("second factor not enrolled")
)

// ThrottledError is returned when the attempt is refused before checking anything.
type ThrottledError struct{ Decision ThrottleDecision }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("sign-in throttled until %s (locked: %v)", e.Decision.RetryAt.Format(time.RFC3339), e.Decision.Locked)
}

// SignInFailedMessage is the Vietnamese answer to ErrSignInFailed.
const SignInFailedMessage = "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng."

// StaffSignIn checks an officer's password and, when the account has or needs one, the
// one-time code, applying the failure throttle per username. Failures are counted for
// unknown usernames too, and an unknown username costs the same hashing time, so neither the
// answer nor its timing tells which usernames exist.
type StaffSignIn struct {
	Store    StaffStore
	Keyring  *Keyring
	Throttle Throttle
}

// SignIn returns the account on success. totpCode may be empty on the first step: if the
// password is right and a code is needed, it returns ErrTOTPRequired without counting a
// failure, and the form asks again with the code.
func (l *StaffSignIn) SignIn(ctx context.Context, username, password, totpCode string, now time.Time) (StaffAccount, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	key := "staff:" + username
	count, last, err := l.Store.Failures(ctx, key)
	if err != nil {
		return StaffAccount{}, fmt.Errorf("read failures: %w", err)
	}
	if d := l.Throttle.Check(count, last, now); !d.Allowed {
		return StaffAccount{}, &ThrottledError{Decision: d}
	}
	fail := func() (StaffAccount, error) {
		if err := l.Store.RecordFailure(ctx, key, now); err != nil {
			return StaffAccount{}, fmt.Errorf("record failure: %w", err)
		}
		return StaffAccount{}, ErrSignInFailed
	}
	acct, err := l.Store.StaffAccount(ctx, username)
	if errors.Is(err, ErrUnknownAccount) {
		DummyVerify(password)
		return fail()
	}
	if err != nil {
		return StaffAccount{}, fmt.Errorf("read account: %w", err)
	}
	ok, err := VerifyPassword(acct.PasswordHash, password)
	if err != nil {
		return StaffAccount{}, fmt.Errorf("account %s: %w", username, err)
	}
	if !ok || acct.Disabled {
		return fail()
	}
	needsTOTP := acct.TOTPSealed != "" || slices.ContainsFunc(acct.Roles, func(r RoleAssignment) bool { return RoleRequiresTOTP(r.Role) })
	if needsTOTP {
		if acct.TOTPSealed == "" {
			return StaffAccount{}, ErrTOTPNotEnrolled
		}
		if strings.TrimSpace(totpCode) == "" {
			return StaffAccount{}, ErrTOTPRequired
		}
		secret, err := l.Keyring.Open(PurposeTOTPSecret, acct.TOTPSealed)
		if err != nil {
			return StaffAccount{}, fmt.Errorf("account %s: totp secret: %w", username, err)
		}
		step, err := ValidateTOTP(secret, totpCode, now, acct.TOTPLastStep)
		if errors.Is(err, ErrTOTPInvalid) || errors.Is(err, ErrTOTPReplayed) {
			return fail()
		}
		if err != nil {
			return StaffAccount{}, fmt.Errorf("account %s: %w", username, err)
		}
		if err := l.Store.AdvanceTOTPStep(ctx, username, step); err != nil {
			if errors.Is(err, ErrTOTPReplayed) {
				return fail()
			}
			return StaffAccount{}, fmt.Errorf("store totp step: %w", err)
		}
		acct.TOTPLastStep = step
	}
	if err := l.Store.ResetFailures(ctx, key); err != nil {
		return StaffAccount{}, fmt.Errorf("reset failures: %w", err)
	}
	if NeedsRehash(acct.PasswordHash) {
		if h, err := HashPassword(password); err == nil {
			if err := l.Store.SetPasswordHash(ctx, username, h); err != nil {
				return StaffAccount{}, fmt.Errorf("upgrade password hash: %w", err)
			}
			acct.PasswordHash = h
		}
	}
	return acct, nil
}
