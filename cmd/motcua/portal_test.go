package main

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeSynchronizesWithTheNationalPortal boots the program with --national-portal set to
// a fake portal (a real HTTP server) and seeds the demo dossiers: the dispatcher delivers
// every status message with the token, and every received dossier ends up recorded as
// synchronized, once.
func TestServeSynchronizesWithTheNationalPortal(t *testing.T) {
	var requests, unauthorized atomic.Int64
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Idempotency-Key") == "" {
			unauthorized.Add(1)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"reference":"DVCQG-1"}`))
	}))
	defer portal.Close()
	e, _, _ := testEnv()
	e.getenv = func(k string) string {
		if k == "MOTCUA_NATIONAL_PORTAL_TOKEN" {
			return "tok"
		}
		return ""
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := flags(fs, e, t.TempDir(), true)
	if err := parse(fs, []string{"--national-portal", portal.URL + "/api/trang-thai", "--addr", "127.0.0.1:0", "--log-level", "error"}, e); err != nil {
		t.Fatal(err)
	}
	m := NewMain(*c, e)
	m.syncEvery = 50 * time.Millisecond
	m.beforeServe = func(ctx context.Context, m *Main) error { return seedDemo(ctx, m, e, 0, 1) }
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	count := func(q string) int64 {
		n, err := m.Store.QueryIntForTest(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	received := count(`SELECT COUNT(*) FROM dossiers WHERE code <> ''`)
	if received < 10 {
		t.Fatalf("%d received demo dossiers; the demo should have more", received)
	}
	deadline := time.Now().Add(30 * time.Second)
	const unsent = `SELECT COUNT(*) FROM outbox WHERE topic = 'national_portal' AND sent_at IS NULL`
	for count(unsent) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s, %d messages still unsent (%d requests)", count(unsent), requests.Load())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if unauthorized.Load() > 0 {
		t.Errorf("%d requests without the token or an idempotency key", unauthorized.Load())
	}
	if sent := count(`SELECT COUNT(*) FROM outbox WHERE topic = 'national_portal'`); requests.Load() < sent {
		t.Errorf("%d requests for %d messages", requests.Load(), sent)
	}
	if synced := count(`SELECT COUNT(*) FROM dossier_events WHERE type = 'synced'`); synced != received {
		t.Errorf("%d synced events for %d received dossiers", synced, received)
	}
}
