// Package app holds MotCua's use cases: the only place that combines the store, the domain
// packages, authorization and jobs. Handlers in package web and the commands in cmd/motcua call
// app; they never talk to the store for a state change themselves, so the API, the pages and
// the CLI cannot disagree.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/files"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// App is the application service. Build it with New.
type App struct {
	store *store.Store
	log   *slog.Logger
	now   func() time.Time

	dir atomic.Pointer[org.Directory] // the organization, loaded lazily, replaced on import
	cat catalogCache                  // the published catalog and its search index
	cal calendarCache                 // the working calendar: defaults, embedded and stored notices
	id  *identity                     // sign-in, sessions, keys
	dz  dossiers                      // the dossier engine's settings

	desks deskCalendars // per-desk working calendars (admin.go)
	queue queueHub      // live queue-board subscribers (kiosk.go)
}

// Options configures New.
type Options struct {
	Logger *slog.Logger
	// Now is the clock; tests pass a fixed one. Defaults to time.Now.
	Now func() time.Time
	// Keyring seals personal data at rest; nil generates a throw-away one (tests, tools).
	Keyring *auth.Keyring
	// OIDC configures applicant sign-in; nil disables it.
	OIDC *auth.OIDCConfig
	// Files stores uploaded documents; nil keeps them in memory (tests).
	Files files.Blob
	// BaseURL is the public address of the site (the receipt's QR code points there).
	BaseURL string
}

// New returns the application over an opened, migrated store.
func New(s *store.Store, opt Options) (*App, error) {
	if s == nil {
		return nil, errors.New("app: nil store")
	}
	a := &App{store: s, log: opt.Logger, now: opt.Now}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.initIdentity(opt)
	a.initDossiers(opt)
	return a, nil
}

// Store exposes the store for read-only wiring (readiness checks, metrics).
func (a *App) Store() *store.Store { return a.store }

// Now returns the application's current time.
func (a *App) Now() time.Time { return a.now() }

// Ready reports whether the application can serve: the database answers.
func (a *App) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		return &Error{Kind: KindUnavailable, Code: "db_unavailable", MessageVI: "Cơ sở dữ liệu không phản hồi.", MessageEN: "The database does not answer.", Err: err}
	}
	return nil
}

// ProvinceName returns the configured province's display name ("Tỉnh Thái Nguyên"), or a
// neutral title before any unit has been imported.
func (a *App) ProvinceName(ctx context.Context) string {
	v, err := a.store.Setting(ctx, "province_name")
	if err != nil {
		return ""
	}
	return v
}

// SetProvinceName records the province's display name (set by the units import).
func (a *App) SetProvinceName(ctx context.Context, name string) error {
	if err := a.store.SetSetting(ctx, "province_name", name, a.now()); err != nil {
		return fmt.Errorf("set province name: %w", err)
	}
	return nil
}
