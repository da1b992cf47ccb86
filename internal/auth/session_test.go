package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// memSessions is the in-memory SessionStore the store's implementation must behave like.
type memSessions struct {
	mu sync.Mutex
	m  map[string]Session
}

func (s *memSessions) CreateSession(_ context.Context, sess Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]Session{}
	}
	s.m[sess.IDHash] = sess
	return nil
}

func (s *memSessions) SessionByHash(_ context.Context, h string) (Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[h]
	if !ok {
		return Session{}, ErrSessionNotFound
	}
	return sess, nil
}

func (s *memSessions) TouchSession(_ context.Context, h string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[h]
	if !ok {
		return ErrSessionNotFound
	}
	sess.LastSeen = at
	s.m[h] = sess
	return nil
}

func (s *memSessions) DeleteSession(_ context.Context, h string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[h]; !ok {
		return ErrSessionNotFound
	}
	delete(s.m, h)
	return nil
}

func (s *memSessions) DeleteSubjectSessions(_ context.Context, kind PrincipalKind, subject string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, sess := range s.m {
		if sess.Kind == kind && sess.Subject == subject {
			delete(s.m, h)
		}
	}
	return nil
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	store := &memSessions{}
	s := &Sessions{Store: store, IdleTimeout: 30 * time.Minute, MaxAge: 8 * time.Hour}
	t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

	pre, _, err := s.Start(ctx, KindPublic, "", 0, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	raw, sess, err := s.Start(ctx, KindOfficer, "desk1", 0, pre, t0)
	if err != nil {
		t.Fatal(err)
	}
	if raw == pre || sess.IDHash != HashToken(raw) {
		t.Fatalf("session not rotated or stored by raw id")
	}
	if _, ok := store.m[raw]; ok {
		t.Errorf("the raw session id is stored")
	}
	if _, err := s.Resume(ctx, pre, t0); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("pre-login session survives sign-in: %v", err)
	}

	// Activity keeps it alive past the idle timeout, up to MaxAge.
	at := t0
	for range 19 { // 19 x 25 min = 7 h 55 min
		at = at.Add(25 * time.Minute)
		if _, err := s.Resume(ctx, raw, at); err != nil {
			t.Fatalf("active session ended at %v: %v", at, err)
		}
	}
	at = at.Add(25 * time.Minute) // 8 h 20 min since t0, idle only 25 min
	if _, err := s.Resume(ctx, raw, at); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("session older than MaxAge resumed: %v", err)
	}
	if len(store.m) != 0 {
		t.Errorf("expired session not deleted")
	}

	// Idle timeout.
	raw, _, _ = s.Start(ctx, KindOfficer, "desk1", 0, "", t0)
	if _, err := s.Resume(ctx, raw, t0.Add(30*time.Minute)); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("idle session resumed: %v", err)
	}

	// Sign out everywhere ends only that person's sessions.
	a, _, _ := s.Start(ctx, KindOfficer, "desk1", 0, "", t0)
	b, _, _ := s.Start(ctx, KindOfficer, "desk1", 0, "", t0)
	c, _, _ := s.Start(ctx, KindOfficer, "lead1", 0, "", t0)
	if err := s.EndAll(ctx, KindOfficer, "desk1"); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{a, b} {
		if _, err := s.Resume(ctx, r, t0); !errors.Is(err, ErrSessionNotFound) {
			t.Errorf("session survives sign-out everywhere")
		}
	}
	if _, err := s.Resume(ctx, c, t0); err != nil {
		t.Errorf("another officer's session ended: %v", err)
	}
	if err := s.End(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resume(ctx, c, t0); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("session survives sign-out")
	}
	if _, err := s.Resume(ctx, "", t0); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("empty cookie resumed a session")
	}
}
