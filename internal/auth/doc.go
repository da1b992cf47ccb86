// Package auth holds MotCua's identity and security building blocks: staff passwords
// (argon2id), TOTP second factors, sign-in throttling and rate limits, session, API and CSRF
// tokens, encryption of personal data at rest, Vietnamese identifier checks, the OpenID Connect
// relying party applicants sign in through, and the authorization policy.
//
// The package keeps no state of its own and touches no database: wherever state is needed
// (pending OIDC flows, sessions, failed-attempt counters, the last TOTP step used) it names a
// small interface that the store implements. This keeps the security rules testable in
// isolation and identical on SQLite and PostgreSQL.
//
// Authorization is decided in one place, [Authorize], so that the JSON API and the HTML pages
// cannot disagree about who may do what.
package auth

import "errors"

// ValidationError reports an invalid input field. It carries two messages, as every error a
// user may see must: Reason (English) for logs and Message (Vietnamese, with diacritics) for
// the person who typed the value.
type ValidationError struct {
	Field   string // name of the offending field, e.g. "personal_id"
	Reason  string // English cause, for logs
	Message string // Vietnamese sentence safe to show to the user
}

// Error returns the field and the English reason; show Message to users instead.
func (e *ValidationError) Error() string { return e.Field + ": " + e.Reason }

// ErrInvalid is matched (errors.Is) by every *ValidationError, so callers can map all input
// errors to one status code without listing fields.
var ErrInvalid = errors.New("invalid input")

// Is lets errors.Is(err, ErrInvalid) recognize validation errors.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, reason, message string) error {
	return &ValidationError{Field: field, Reason: reason, Message: message}
}
