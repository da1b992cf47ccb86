package auth

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser, as stored server side. The raw session ID lives only in
// the cookie; the store knows it by IDHash.
type Session struct {
	IDHash         string // HashToken of the cookie value
	Kind           PrincipalKind
	Subject        string // officer username or applicant OIDC subject
	AssuranceLevel int    // applicants: the level of this sign-in (recorded on dossiers)
	CreatedAt      time.Time
	LastSeen       time.Time
}

// SessionStore keeps sessions. The store implements it on the sessions table, so that any
// node behind the load balancer can resume any session and "sign out everywhere" is one
// DELETE.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns an error matching ErrSessionNotFound when there is none.
	SessionByHash(ctx context.Context, idHash string) (Session, error)
	TouchSession(ctx context.Context, idHash string, lastSeen time.Time) error
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteSubjectSessions ends every session of one person (sign out everywhere, password
	// change, account disabled).
	DeleteSubjectSessions(ctx context.Context, kind PrincipalKind, subject string) error
}

// ErrSessionNotFound means the cookie names no live session: expired, signed out or forged.
var ErrSessionNotFound = errors.New("session not found")

// Sessions applies the session lifetime rules on top of a SessionStore.
type Sessions struct {
	Store SessionStore
	// IdleTimeout ends a session unused for that long; MaxAge ends any session that old,
	// however active. Officers' shared counter PCs are why both exist.
	IdleTimeout, MaxAge time.Duration
}

// touchEvery limits writes: LastSeen is refreshed at most once a minute per session.
const touchEvery = time.Minute

// Start creates a session after a successful sign-in and returns the raw ID for the cookie.
// The session the browser had before (oldRawID, may be empty) is deleted: rotating the ID
// at sign-in defeats session fixation.
func (s *Sessions) Start(ctx context.Context, kind PrincipalKind, subject string, assurance int, oldRawID string, now time.Time) (string, Session, error) {
	if oldRawID != "" {
		if err := s.Store.DeleteSession(ctx, HashToken(oldRawID)); err != nil && !errors.Is(err, ErrSessionNotFound) {
			return "", Session{}, fmt.Errorf("rotate session: %w", err)
		}
	}
	raw := NewSessionID()
	sess := Session{IDHash: HashToken(raw), Kind: kind, Subject: subject, AssuranceLevel: assurance, CreatedAt: now, LastSeen: now}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	return raw, sess, nil
}

// Resume finds the live session of a cookie value, ending it if it has expired.
func (s *Sessions) Resume(ctx context.Context, rawID string, now time.Time) (Session, error) {
	if rawID == "" {
		return Session{}, ErrSessionNotFound
	}
	h := HashToken(rawID)
	sess, err := s.Store.SessionByHash(ctx, h)
	if err != nil {
		return Session{}, err
	}
	if (s.IdleTimeout > 0 && now.Sub(sess.LastSeen) >= s.IdleTimeout) || (s.MaxAge > 0 && now.Sub(sess.CreatedAt) >= s.MaxAge) {
		if err := s.Store.DeleteSession(ctx, h); err != nil && !errors.Is(err, ErrSessionNotFound) {
			return Session{}, fmt.Errorf("end expired session: %w", err)
		}
		return Session{}, ErrSessionNotFound
	}
	if now.Sub(sess.LastSeen) >= touchEvery {
		if err := s.Store.TouchSession(ctx, h, now); err != nil {
			return Session{}, fmt.Errorf("touch session: %w", err)
		}
		sess.LastSeen = now
	}
	return sess, nil
}

// End signs one browser out.
func (s *Sessions) End(ctx context.Context, rawID string) error {
	if rawID == "" {
		return nil
	}
	if err := s.Store.DeleteSession(ctx, HashToken(rawID)); err != nil && !errors.Is(err, ErrSessionNotFound) {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// EndAll signs a person out everywhere.
func (s *Sessions) EndAll(ctx context.Context, kind PrincipalKind, subject string) error {
	if err := s.Store.DeleteSubjectSessions(ctx, kind, subject); err != nil {
		return fmt.Errorf("end all sessions: %w", err)
	}
	return nil
}
