package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
)

// This file holds who is signed in and what they may use: sessions, pending OpenID sign-ins,
// sign-in failure counters, officers' second factor and API tokens, applicants' identities,
// the personal-data access log (LEGAL §10) and the re-encryption walk of key rotation. The
// Store implements auth.SessionStore, auth.StaffStore and auth.FlowStore.

var (
	_ auth.SessionStore = (*Store)(nil)
	_ auth.StaffStore   = (*Store)(nil)
	_ auth.FlowStore    = (*Store)(nil)
)

// Not-found errors of the auth interfaces also match ErrNotFound, so callers may test either.
var (
	errNoSession = fmt.Errorf("%w (%w)", auth.ErrSessionNotFound, ErrNotFound)
	errNoAccount = fmt.Errorf("%w (%w)", auth.ErrUnknownAccount, ErrNotFound)
	errNoFlow    = fmt.Errorf("%w (%w)", auth.ErrFlowNotFound, ErrNotFound)
)

// identityRowsAffected returns how many rows a statement changed.
func identityRowsAffected(res sql.Result) (int64, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("rows affected: %w", err)
	}
	return n, nil
}

// --- Sessions -------------------------------------------------------------------------------

// CreateSession stores a new session; a reused IDHash is ErrConflict.
func (s *Store) CreateSession(ctx context.Context, sess auth.Session) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, kind, subject, assurance_level, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?)`,
			sess.IDHash, string(sess.Kind), sess.Subject, sess.AssuranceLevel, sess.CreatedAt, sess.LastSeen); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// SessionByHash returns the session stored under idHash, or an error matching both
// auth.ErrSessionNotFound and ErrNotFound.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (auth.Session, error) {
	var sess auth.Session
	var kind string
	err := s.queryRow(ctx, `SELECT id_hash, kind, subject, assurance_level, created_at, last_seen FROM sessions WHERE id_hash = ?`, idHash).
		Scan(&sess.IDHash, &kind, &sess.Subject, &sess.AssuranceLevel, utc{&sess.CreatedAt}, utc{&sess.LastSeen})
	if err = s.translate(err); err != nil {
		if errors.Is(err, ErrNotFound) {
			return auth.Session{}, fmt.Errorf("session: %w", errNoSession)
		}
		return auth.Session{}, fmt.Errorf("session: %w", err)
	}
	sess.Kind = auth.PrincipalKind(kind)
	return sess, nil
}

// TouchSession records that the session was used at lastSeen; auth.Sessions calls it at most
// once a minute per session. A missing session is auth.ErrSessionNotFound.
func (s *Store) TouchSession(ctx context.Context, idHash string, lastSeen time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ?`, lastSeen, idHash)
		if err != nil {
			return fmt.Errorf("touch session: %w", err)
		}
		n, err := identityRowsAffected(res)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("touch session: %w", errNoSession)
		}
		return nil
	})
}

// DeleteSession ends one session; a missing one is auth.ErrSessionNotFound (which callers
// ending a session ignore).
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
		if err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		n, err := identityRowsAffected(res)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("delete session: %w", errNoSession)
		}
		return nil
	})
}

// DeleteSubjectSessions ends every session of one person (sign out everywhere). Having none
// is not an error.
func (s *Store) DeleteSubjectSessions(ctx context.Context, kind auth.PrincipalKind, subject string) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE kind = ? AND subject = ?`, string(kind), subject); err != nil {
			return fmt.Errorf("delete sessions of %s %s: %w", kind, subject, err)
		}
		return nil
	})
}

// DeleteSessionsBefore removes sessions last used before lastSeen (the idle timeout's
// clean-up) and returns how many it removed.
func (s *Store) DeleteSessionsBefore(ctx context.Context, lastSeen time.Time) (int64, error) {
	return s.identityPurge(ctx, `DELETE FROM sessions WHERE last_seen < ?`, "sessions", lastSeen)
}

func (s *Store) identityPurge(ctx context.Context, q, what string, t time.Time) (int64, error) {
	var n int64
	err := s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, q, t)
		if err != nil {
			return err
		}
		n, err = identityRowsAffected(res)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge %s: %w", what, err)
	}
	return n, nil
}

// --- Pending OpenID sign-ins ------------------------------------------------------------------

// flowJSON is the stored form of an auth.Flow, with names fixed here so that renaming a Go
// field cannot strand the flows in progress during an upgrade.
type flowJSON struct {
	State    string    `json:"state"`
	Nonce    string    `json:"nonce"`
	Verifier string    `json:"verifier"`
	Expires  time.Time `json:"expires"`
}

// SaveFlow stores a pending sign-in under id; a reused id is ErrConflict.
func (s *Store) SaveFlow(ctx context.Context, id string, f auth.Flow) error {
	body, err := json.Marshal(flowJSON{State: f.State, Nonce: f.Nonce, Verifier: f.Verifier, Expires: f.Expires.UTC()})
	if err != nil {
		return fmt.Errorf("save flow: %w", err)
	}
	return s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO oidc_flows (id, body, expires_at) VALUES (?, ?, ?)`, id, string(body), f.Expires); err != nil {
			return fmt.Errorf("save flow: %w", err)
		}
		return nil
	})
}

// TakeFlow removes the flow stored under id and returns it, in one statement (DELETE ...
// RETURNING), so that of two callbacks racing with the same state only one finds it. None is
// an error matching both auth.ErrFlowNotFound and ErrNotFound. Expiry is the caller's check.
func (s *Store) TakeFlow(ctx context.Context, id string) (auth.Flow, error) {
	var body string
	err := s.InTx(ctx, func(tx *Tx) error {
		return tx.s.translate(tx.queryRow(ctx, `DELETE FROM oidc_flows WHERE id = ? RETURNING body`, id).Scan(&body))
	})
	if errors.Is(err, ErrNotFound) {
		return auth.Flow{}, fmt.Errorf("take flow: %w", errNoFlow)
	}
	if err != nil {
		return auth.Flow{}, fmt.Errorf("take flow: %w", err)
	}
	var j flowJSON
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		return auth.Flow{}, fmt.Errorf("take flow: %w", err)
	}
	return auth.Flow{State: j.State, Nonce: j.Nonce, Verifier: j.Verifier, Expires: j.Expires.UTC()}, nil
}

// DeleteFlowsBefore removes pending sign-ins that expired before t (abandoned at the
// provider) and returns how many it removed. SaveFlow is given no clock, so flows are aged by
// their own expiry rather than by when they were saved.
func (s *Store) DeleteFlowsBefore(ctx context.Context, t time.Time) (int64, error) {
	return s.identityPurge(ctx, `DELETE FROM oidc_flows WHERE expires_at < ?`, "oidc flows", t)
}

// --- Staff sign-in ----------------------------------------------------------------------------

// StaffAccount returns what sign-in needs to know about an officer, roles included, read in
// one query; an unknown username is an error matching both auth.ErrUnknownAccount and
// ErrNotFound. The application calls it on every request to rebuild the principal, so a
// removed role or a disabled account takes effect at once.
func (s *Store) StaffAccount(ctx context.Context, username string) (auth.StaffAccount, error) {
	rows, err := s.query(ctx, `SELECT o.username, o.password_hash, COALESCE(o.totp_secret, ''), o.totp_last_step, o.disabled,
		COALESCE(r.role, ''), COALESCE(r.unit_key, '')
		FROM officers o LEFT JOIN officer_roles r ON r.username = o.username
		WHERE o.username = ? ORDER BY r.unit_key, r.role`, username)
	if err != nil {
		return auth.StaffAccount{}, fmt.Errorf("staff account %s: %w", username, err)
	}
	defer rows.Close()
	var a auth.StaffAccount
	found := false
	for rows.Next() {
		var role, unit string
		if err := rows.Scan(&a.Username, &a.PasswordHash, &a.TOTPSealed, &a.TOTPLastStep, &a.Disabled, &role, &unit); err != nil {
			return auth.StaffAccount{}, fmt.Errorf("staff account %s: %w", username, err)
		}
		found = true
		if role != "" {
			a.Roles = append(a.Roles, auth.RoleAssignment{Role: role, Unit: unit})
		}
	}
	if err := rows.Err(); err != nil {
		return auth.StaffAccount{}, fmt.Errorf("staff account %s: %w", username, err)
	}
	if !found {
		return auth.StaffAccount{}, fmt.Errorf("staff account %s: %w", username, errNoAccount)
	}
	return a, nil
}

// Failures returns the consecutive failed sign-ins recorded under key ("staff:NAME",
// "ip:ADDRESS", ...) and when the last one was; (0, zero time) when there are none.
func (s *Store) Failures(ctx context.Context, key string) (int, time.Time, error) {
	var n int
	var last time.Time
	err := s.translate(s.queryRow(ctx, `SELECT count, last_at FROM signin_failures WHERE key = ?`, key).Scan(&n, utc{&last}))
	switch {
	case errors.Is(err, ErrNotFound):
		return 0, time.Time{}, nil
	case err != nil:
		return 0, time.Time{}, fmt.Errorf("sign-in failures: %w", err)
	}
	return n, last, nil
}

// RecordFailure counts one more failed sign-in under key, at the given time.
func (s *Store) RecordFailure(ctx context.Context, key string, at time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO signin_failures (key, count, last_at) VALUES (?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET count = signin_failures.count + 1, last_at = excluded.last_at`, key, at); err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
		return nil
	})
}

// ResetFailures forgets the failures under key (after a successful sign-in).
func (s *Store) ResetFailures(ctx context.Context, key string) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM signin_failures WHERE key = ?`, key); err != nil {
			return fmt.Errorf("reset sign-in failures: %w", err)
		}
		return nil
	})
}

// DeleteFailuresBefore forgets failure counters whose last failure is older than t (those
// from addresses that never came back) and returns how many it removed. Pass a time older
// than the throttle's longest lock-out.
func (s *Store) DeleteFailuresBefore(ctx context.Context, t time.Time) (int64, error) {
	return s.identityPurge(ctx, `DELETE FROM signin_failures WHERE last_at < ?`, "sign-in failures", t)
}

// AdvanceTOTPStep stores step as the officer's last accepted TOTP step only if it is later
// than the stored one, in one conditional UPDATE: of several requests racing with the same
// code exactly one succeeds, the others get auth.ErrTOTPReplayed. An unknown username is
// auth.ErrUnknownAccount.
func (s *Store) AdvanceTOTPStep(ctx context.Context, username string, step int64) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE officers SET totp_last_step = ? WHERE username = ? AND totp_last_step < ?`, step, username, step)
		if err != nil {
			return fmt.Errorf("advance totp step of %s: %w", username, err)
		}
		n, err := identityRowsAffected(res)
		if err != nil || n == 1 {
			return err
		}
		if err := tx.staffExists(ctx, username); err != nil {
			return fmt.Errorf("advance totp step: %w", err)
		}
		return fmt.Errorf("advance totp step of %s: %w", username, auth.ErrTOTPReplayed)
	})
}

func (tx *Tx) staffExists(ctx context.Context, username string) error {
	var one int
	err := tx.s.translate(tx.queryRow(ctx, `SELECT 1 FROM officers WHERE username = ?`, username).Scan(&one))
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("officer %s: %w", username, errNoAccount)
	}
	return err
}

// setOfficerColumn runs `UPDATE officers SET column = value WHERE username = ?`; no such
// officer is auth.ErrUnknownAccount. column is one of the constants of this file.
func (s *Store) setOfficerColumn(ctx context.Context, what, column, username string, value any) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE officers SET `+column+` = ? WHERE username = ?`, value, username)
		if err != nil {
			return fmt.Errorf("%s of %s: %w", what, username, err)
		}
		n, err := identityRowsAffected(res)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%s of %s: %w", what, username, errNoAccount)
		}
		return nil
	})
}

// SetPasswordHash replaces an officer's password hash (a password change or an upgrade of
// the hashing parameters). Ending the officer's other sessions is the caller's decision.
func (s *Store) SetPasswordHash(ctx context.Context, username, hash string) error {
	return s.setOfficerColumn(ctx, "set password", "password_hash", username, hash)
}

// SetTOTPSecret stores an officer's sealed TOTP secret at enrolment; "" removes the second
// factor. The last accepted step is kept: steps are times, so a new secret cannot reuse an
// old code's step anyway.
func (s *Store) SetTOTPSecret(ctx context.Context, username, sealed string) error {
	return s.setOfficerColumn(ctx, "set totp secret", "totp_secret", username, nullString(sealed))
}

// SetOfficerDisabled disables or re-enables an officer's account. A disabled officer cannot
// sign in, and their sessions and API tokens stop working at their next request.
func (s *Store) SetOfficerDisabled(ctx context.Context, username string, disabled bool) error {
	return s.setOfficerColumn(ctx, "set disabled", "disabled", username, disabled)
}

// --- API tokens -------------------------------------------------------------------------------

// APITokenRow is an officer's API token as stored: only its hash, never the token.
type APITokenRow struct {
	Hash, Username, Label string
	CreatedAt             time.Time
	LastUsedAt, RevokedAt *time.Time // nil: never used / not revoked
}

// apiTokenTouchEvery limits writes: last_used_at is refreshed at most once a minute.
const apiTokenTouchEvery = time.Minute

// CreateAPIToken stores the hash of a new token of an officer. An unknown officer is
// ErrNotFound, a reused hash ErrConflict.
func (s *Store) CreateAPIToken(ctx context.Context, hash, username, label string, at time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if err := tx.staffExists(ctx, username); err != nil {
			return fmt.Errorf("create api token: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO api_tokens (hash, username, label, created_at) VALUES (?, ?, ?, ?)`, hash, username, label, at); err != nil {
			return fmt.Errorf("create api token for %s: %w", username, err)
		}
		return nil
	})
}

// APITokenUser returns the officer a token hash belongs to. A missing or revoked token, and
// the token of a disabled officer, are ErrNotFound. It records the use at most once a minute,
// so that an API client does not cost a write per request.
func (s *Store) APITokenUser(ctx context.Context, hash string, at time.Time) (string, error) {
	var user string
	var lastUsed, revoked *time.Time
	var disabled bool
	err := s.queryRow(ctx, `SELECT t.username, t.last_used_at, t.revoked_at, o.disabled
		FROM api_tokens t JOIN officers o ON o.username = t.username WHERE t.hash = ?`, hash).
		Scan(&user, nullTime{&lastUsed}, nullTime{&revoked}, &disabled)
	if err = s.translate(err); err != nil {
		return "", fmt.Errorf("api token: %w", err)
	}
	if revoked != nil || disabled {
		return "", fmt.Errorf("api token: revoked or account disabled: %w", ErrNotFound)
	}
	if lastUsed == nil || at.Sub(*lastUsed) >= apiTokenTouchEvery {
		err := s.InTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ?
				WHERE hash = ? AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at <= ?)`, at, hash, at.Add(-apiTokenTouchEvery))
			return err
		})
		if err != nil {
			return "", fmt.Errorf("api token: record use: %w", err)
		}
	}
	return user, nil
}

// RevokeAPIToken revokes a token for good. A missing token is ErrNotFound; revoking a revoked
// token changes nothing and is not an error.
func (s *Store) RevokeAPIToken(ctx context.Context, hash string, at time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL`, at, hash)
		if err != nil {
			return fmt.Errorf("revoke api token: %w", err)
		}
		n, err := identityRowsAffected(res)
		if err != nil || n == 1 {
			return err
		}
		var one int
		if err := tx.s.translate(tx.queryRow(ctx, `SELECT 1 FROM api_tokens WHERE hash = ?`, hash).Scan(&one)); err != nil {
			return fmt.Errorf("revoke api token: %w", err)
		}
		return nil
	})
}

// APITokens lists an officer's tokens, revoked ones included, newest first.
func (s *Store) APITokens(ctx context.Context, username string) ([]APITokenRow, error) {
	rows, err := s.query(ctx, `SELECT hash, username, label, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE username = ? ORDER BY created_at DESC, hash`, username)
	if err != nil {
		return nil, fmt.Errorf("api tokens of %s: %w", username, err)
	}
	defer rows.Close()
	var out []APITokenRow
	for rows.Next() {
		var r APITokenRow
		if err := rows.Scan(&r.Hash, &r.Username, &r.Label, utc{&r.CreatedAt}, nullTime{&r.LastUsedAt}, nullTime{&r.RevokedAt}); err != nil {
			return nil, fmt.Errorf("api tokens of %s: %w", username, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// --- Personal-data access log -------------------------------------------------------------------

// AccessEntry records that an officer saw a dossier's personal data (LEGAL §10): when, who,
// which dossier, what was shown ("personal_id", "phone", "documents" ...), on which screen
// and in which request (to find the matching line of the HTTP log).
type AccessEntry struct {
	ID                                          int64
	At                                          time.Time
	Officer, DossierID, What, Screen, RequestID string
}

// AccessFilter selects access-log entries. Empty fields and zero times select everything;
// From is inclusive, To exclusive. Limit defaults to 100 and is capped at 1000.
type AccessFilter struct {
	Officer, DossierID string
	From, To           time.Time
	Limit, Offset      int
}

// LogAccess records one access to personal data in its own small transaction.
func (s *Store) LogAccess(ctx context.Context, e AccessEntry) error {
	return s.InTx(ctx, func(tx *Tx) error { return tx.LogAccess(ctx, e) })
}

// LogAccess records one access to personal data inside the caller's transaction, so that
// the access and what it changed commit together. Officer and DossierID are required.
func (tx *Tx) LogAccess(ctx context.Context, e AccessEntry) error {
	if e.Officer == "" || e.DossierID == "" {
		return errors.New("log access: officer and dossier are required")
	}
	if _, err := tx.exec(ctx, `INSERT INTO access_log (at, officer, dossier_id, what, screen, request_id) VALUES (?, ?, ?, ?, ?, ?)`,
		e.At, e.Officer, e.DossierID, e.What, e.Screen, e.RequestID); err != nil {
		return fmt.Errorf("log access: %w", err)
	}
	return nil
}

// AccessLog returns the entries matching f, newest first.
func (s *Store) AccessLog(ctx context.Context, f AccessFilter) ([]AccessEntry, error) {
	var where []string
	var args []any
	if f.Officer != "" {
		where, args = append(where, "officer = ?"), append(args, f.Officer)
	}
	if f.DossierID != "" {
		where, args = append(where, "dossier_id = ?"), append(args, f.DossierID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From)
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := `SELECT id, at, officer, dossier_id, what, screen, request_id FROM access_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?"
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	defer rows.Close()
	var out []AccessEntry
	for rows.Next() {
		var e AccessEntry
		if err := rows.Scan(&e.ID, utc{&e.At}, &e.Officer, &e.DossierID, &e.What, &e.Screen, &e.RequestID); err != nil {
			return nil, fmt.Errorf("access log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// --- Applicants -------------------------------------------------------------------------------

// ApplicantRow is an applicant as the identity provider last described them. The personal ID
// is stored sealed (IDSealed, Keyring.Seal with auth.PurposePersonalID) beside its blind index
// (IDHash) for look-ups; the phone, when known, sealed with auth.PurposePhone. Orgs is the
// JSON array of auth.Org they may represent.
type ApplicantRow struct {
	Subject, IDHash, IDSealed, PhoneSealed, Name string
	AssuranceLevel                               int
	Orgs                                         string // JSON array; "" is stored as "[]"
	UpdatedAt                                    time.Time
}

// PutApplicant creates or refreshes an applicant (at each sign-in). An empty PhoneSealed
// keeps the stored phone, because the identity provider does not send one; SetApplicantPhone
// changes or removes it.
func (s *Store) PutApplicant(ctx context.Context, a ApplicantRow) error {
	if a.Orgs == "" {
		a.Orgs = "[]"
	}
	return s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO applicants (subject, id_hash, id_sealed, phone_sealed, name, assurance_level, orgs, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (subject) DO UPDATE SET id_hash = excluded.id_hash, id_sealed = excluded.id_sealed,
			phone_sealed = COALESCE(excluded.phone_sealed, applicants.phone_sealed), name = excluded.name,
			assurance_level = excluded.assurance_level, orgs = excluded.orgs, updated_at = excluded.updated_at`,
			a.Subject, a.IDHash, a.IDSealed, nullString(a.PhoneSealed), a.Name, a.AssuranceLevel, a.Orgs, a.UpdatedAt); err != nil {
			return fmt.Errorf("put applicant: %w", err)
		}
		return nil
	})
}

// SetApplicantPhone stores an applicant's sealed phone number; "" removes it. An unknown
// applicant is ErrNotFound.
func (s *Store) SetApplicantPhone(ctx context.Context, subject, sealed string, at time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE applicants SET phone_sealed = ?, updated_at = ? WHERE subject = ?`, nullString(sealed), at, subject)
		if err != nil {
			return fmt.Errorf("set applicant phone: %w", err)
		}
		n, err := identityRowsAffected(res)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("set applicant phone: %w", ErrNotFound)
		}
		return nil
	})
}

const applicantColumns = `subject, id_hash, id_sealed, COALESCE(phone_sealed, ''), name, assurance_level, orgs, updated_at`

func scanApplicantRow(sc interface{ Scan(...any) error }) (ApplicantRow, error) {
	var a ApplicantRow
	err := sc.Scan(&a.Subject, &a.IDHash, &a.IDSealed, &a.PhoneSealed, &a.Name, &a.AssuranceLevel, &a.Orgs, utc{&a.UpdatedAt})
	return a, err
}

// Applicant returns one applicant; ErrNotFound when absent.
func (s *Store) Applicant(ctx context.Context, subject string) (ApplicantRow, error) {
	a, err := scanApplicantRow(s.queryRow(ctx, `SELECT `+applicantColumns+` FROM applicants WHERE subject = ?`, subject))
	if err != nil {
		return ApplicantRow{}, fmt.Errorf("applicant: %w", s.translate(err))
	}
	return a, nil
}

// ApplicantsByIDHash returns the applicants with a personal ID's blind index (usually one;
// more when the same person signed in through different subjects), by subject.
func (s *Store) ApplicantsByIDHash(ctx context.Context, idHash string) ([]ApplicantRow, error) {
	rows, err := s.query(ctx, `SELECT `+applicantColumns+` FROM applicants WHERE id_hash = ? ORDER BY subject`, idHash)
	if err != nil {
		return nil, fmt.Errorf("applicants by id: %w", err)
	}
	defer rows.Close()
	var out []ApplicantRow
	for rows.Next() {
		a, err := scanApplicantRow(rows)
		if err != nil {
			return nil, fmt.Errorf("applicants by id: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// --- Key rotation -----------------------------------------------------------------------------

// sealedTable names a table's key and its columns holding Keyring.Seal output. Every sealed
// column of the schema must be listed here, or `motcua keys rotate` would strand its values
// under a key about to be removed.
type sealedTable struct {
	table, key string
	columns    []string
}

var sealedTables = []sealedTable{
	{table: "applicants", key: "subject", columns: []string{"id_sealed", "phone_sealed"}},
	{table: "officers", key: "username", columns: []string{"totp_secret"}},
	{table: "dossier_pii", key: "dossier_id", columns: []string{"id_sealed", "phone_sealed", "email_sealed", "form_sealed"}},
}

// resealBatch is how many rows one re-encryption transaction covers: small enough not to
// hold the SQLite writer for long, large enough not to pay a commit per row.
const resealBatch = 500

// ResealAll passes every sealed value in the database through fn and writes back those fn
// reports changed, in transactions of resealBatch rows, table by table in key order. fn
// returns (new value, changed, error); it is typically Keyring.Reseal, which leaves values
// already under the primary key unchanged, so an interrupted run can simply be repeated.
// Empty and NULL values are not passed to fn. A value changed by someone else in between is
// not overwritten. progress, if not nil, is called after each batch with the number of rows
// examined so far. It returns how many values were rewritten; on error, the batches already
// committed stay committed.
func (s *Store) ResealAll(ctx context.Context, fn func(sealed string) (string, bool, error), progress func(done int)) (int, error) {
	rewritten, done := 0, 0
	for _, t := range sealedTables {
		after := ""
		for {
			var n, changed int
			var last string
			err := s.InTx(ctx, func(tx *Tx) error {
				var err error
				n, changed, last, err = tx.resealRows(ctx, t, after, fn)
				return err
			})
			if err != nil {
				return rewritten, fmt.Errorf("reseal %s: %w", t.table, err)
			}
			rewritten += changed
			done += n
			if progress != nil && n > 0 {
				progress(done)
			}
			if n < resealBatch {
				break
			}
			after = last
		}
	}
	return rewritten, nil
}

// resealRows re-encrypts up to resealBatch rows of t whose key sorts after the given one. It
// returns the rows examined, the values rewritten and the last key seen.
func (tx *Tx) resealRows(ctx context.Context, t sealedTable, after string, fn func(string) (string, bool, error)) (n, changed int, last string, err error) {
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = "COALESCE(" + c + ", '')"
	}
	q := `SELECT ` + t.key + `, ` + strings.Join(cols, ", ") + ` FROM ` + t.table + ` WHERE ` + t.key + ` > ? ORDER BY ` + t.key + ` LIMIT ?`
	rows, err := tx.tx.QueryContext(tx.stmtContext(ctx), tx.s.rebind(q), after, resealBatch)
	if err != nil {
		return 0, 0, "", tx.s.translate(err)
	}
	type row struct {
		key    string
		values []string
	}
	var batch []row
	for rows.Next() {
		r := row{values: make([]string, len(t.columns))}
		dest := []any{&r.key}
		for i := range r.values {
			dest = append(dest, &r.values[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return 0, 0, "", err
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, "", err
	}
	// The rows are read to the end before writing: PostgreSQL cannot run a statement on a
	// connection that is still returning rows.
	for _, r := range batch {
		for i, old := range r.values {
			if old == "" {
				continue
			}
			col := t.columns[i]
			nv, ch, err := fn(old)
			if err != nil {
				return 0, 0, "", fmt.Errorf("%s of %s: %w", col, r.key, err)
			}
			if !ch {
				continue
			}
			if nv == "" {
				return 0, 0, "", fmt.Errorf("%s of %s: re-encryption returned an empty value", col, r.key)
			}
			res, err := tx.exec(ctx, `UPDATE `+t.table+` SET `+col+` = ? WHERE `+t.key+` = ? AND `+col+` = ?`, nv, r.key, old)
			if err != nil {
				return 0, 0, "", fmt.Errorf("%s of %s: %w", col, r.key, err)
			}
			w, err := identityRowsAffected(res)
			if err != nil {
				return 0, 0, "", err
			}
			changed += int(w)
		}
	}
	if len(batch) > 0 {
		last = batch[len(batch)-1].key
	}
	return len(batch), changed, last, nil
}
