package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/web"
)

// DemoPassword is the password of every demo officer Boot creates, as in `motcua demo`.
const DemoPassword = "motcua-demo"

// Site is a running, seeded MotCua: the base URL a browser opens, and the application and store
// behind it, for arranging data and checking what a page did.
type Site struct {
	// URL is the base URL, http://127.0.0.1:PORT, without a trailing slash.
	URL   string
	App   *app.App
	Store *store.Store
}

// Boot starts a MotCua server seeded like `motcua demo`: SQLite in t.TempDir(), migrated, the
// embedded units, procedures and demo officers loaded through the administrators' import path
// (the same app calls, in the same order, as cmd/motcua's seedDemo), served on 127.0.0.1 with a
// random port. Everything is stopped when the test ends.
//
// The wiring repeats cmd/motcua's Main.Run (store.Open, Migrate, app.New, web.New) because that
// package is a main package and cannot be imported; keep the two in step.
func Boot(t testing.TB) *Site {
	t.Helper()
	ctx := context.Background()
	// Server warnings and errors (a 500's cause) appear in the test's output; the access log
	// does not.
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))

	s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatalf("boot: open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("boot: close store: %v", err)
		}
	})
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("boot: migrate: %v", err)
	}
	a, err := app.New(s, app.Options{Logger: log})
	if err != nil {
		t.Fatalf("boot: app: %v", err)
	}

	// The seed sequence of cmd/motcua/demo.go (seedDemo).
	if _, err := a.ImportUnits(ctx, "demo", seed.Units()); err != nil {
		t.Fatalf("boot: seed units: %v", err)
	}
	if _, err := a.ImportProcedures(ctx, "demo", seed.Procedures()); err != nil {
		t.Fatalf("boot: seed procedures: %v", err)
	}
	if _, err := a.CreateDemoOfficers(ctx, DemoPassword); err != nil {
		t.Fatalf("boot: seed officers: %v", err)
	}

	srv, err := web.New(a, web.Options{Logger: log, Version: "e2e"})
	if err != nil {
		t.Fatalf("boot: web server: %v", err)
	}
	ts := httptest.NewServer(srv)
	// Cleanups run last-in first-out: the server stops before the store closes.
	t.Cleanup(ts.Close)
	return &Site{URL: ts.URL, App: a, Store: s}
}
