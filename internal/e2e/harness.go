package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/auth/idp"
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
// embedded units, procedures, demo officers and demo dossiers loaded through the administrators' import path
// (the same app calls, in the same order, as cmd/motcua's seedDemo), served on 127.0.0.1 with a
// random port, with the demo's embedded identity provider at /idp. Everything is stopped when
// the test ends.
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
	// The server's address is needed before the application (the identity provider's issuer
	// and the callback), so the listener starts first and the handler is set at the end.
	var handler http.Handler = http.NotFoundHandler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	// Cleanups run last-in first-out: the server stops before the store closes.
	t.Cleanup(ts.Close)
	redirect := ts.URL + "/dang-nhap/vneid/callback"
	provider, err := idp.New(idp.Config{Issuer: ts.URL + "/idp", Clients: []idp.Client{{ID: "motcua-demo", Secret: "e2e-secret", RedirectURIs: []string{redirect}}}})
	if err != nil {
		t.Fatalf("boot: identity provider: %v", err)
	}
	a, err := app.New(s, app.Options{Logger: log, Keyring: auth.GenerateKeyring(), BaseURL: ts.URL,
		OIDC: &auth.OIDCConfig{Issuer: ts.URL + "/idp", ClientID: "motcua-demo", ClientSecret: "e2e-secret", RedirectURL: redirect}})
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
	if _, err := a.SeedDemoDossiers(ctx, nil); err != nil {
		t.Fatalf("boot: seed dossiers: %v", err)
	}

	srv, err := web.New(a, web.Options{Logger: log, Version: "e2e", Demo: true, IDP: provider})
	if err != nil {
		t.Fatalf("boot: web server: %v", err)
	}
	handler = srv
	return &Site{URL: ts.URL, App: a, Store: s}
}
