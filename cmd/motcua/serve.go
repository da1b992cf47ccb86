package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/auth/idp"
	"github.com/motcua/motcua/internal/files"
	"github.com/motcua/motcua/internal/integration"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/web"
)

func init() {
	register("serve", "run the web server (portal, console, API)", func(ctx context.Context, e *env, args []string) error {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		c := flags(fs, e, "./motcua-data", true)
		if err := parse(fs, args, e); err != nil {
			return err
		}
		m := NewMain(*c, e)
		if err := m.Run(ctx); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "MotCua is serving on %s (database: %s). Press Ctrl-C to stop.\n", m.URL(), m.Store.Engine())
		<-ctx.Done()
		return m.Close()
	})
}

// Main is the whole program, bootable from a test: Run opens everything and starts serving;
// Close stops it gracefully.
type Main struct {
	Config config
	Logger *slog.Logger
	Store  *store.Store
	App    *app.App
	Server *web.Server

	env      *env
	listener net.Listener
	http     *http.Server
	served   chan error
	// beforeServe, when set, runs after migrations and before the first request is served (the
	// demo seeds here).
	beforeServe func(ctx context.Context, m *Main) error
	// demo runs the embedded OpenID provider at /idp for applicant sign-in.
	demo     bool
	idp      http.Handler
	stopJobs context.CancelFunc
	jobsDone chan struct{}
	// portal receives the dossiers' status messages (nil: they wait in the outbox), every
	// syncEvery while there is no backlog (default 5 seconds).
	portal    app.NationalSender
	syncEvery time.Duration
}

// NewMain returns a Main for the configuration.
func NewMain(c config, e *env) *Main { return &Main{Config: c, env: e} }

// Run checks the configuration, binds the address, opens and migrates the database, and starts
// serving in the background. Nothing is written before the address and the data folder are
// known to be usable.
func (m *Main) Run(ctx context.Context) error {
	log, err := m.Config.logger(m.env.stderr)
	if err != nil {
		return err
	}
	m.Logger = log
	if m.portal, err = m.nationalPortal(); err != nil {
		return err
	}
	dsn, err := m.Config.dsn()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return &configError{msg: fmt.Sprintf("the address %s is already in use; stop the other program or choose another with --addr", m.Config.Addr)}
		}
		return &configError{msg: fmt.Sprintf("cannot listen on %s: %v", m.Config.Addr, rootCause(err))}
	}
	m.listener = ln
	if err := m.Config.prepareData(); err != nil {
		ln.Close()
		return err
	}
	if m.Config.DB == "" {
		// The default database lives in the data folder, now known to exist.
		dsn, _ = m.Config.dsn()
	}
	if err := m.open(ctx, dsn); err != nil {
		ln.Close()
		return err
	}
	m.startJobs()
	if m.beforeServe != nil {
		if err := m.beforeServe(ctx, m); err != nil {
			m.closeAll()
			return err
		}
	}
	srv, err := web.New(m.App, web.Options{Logger: m.Logger, TrustProxy: m.Config.TrustProxy, Version: version(), Demo: m.demo, IDP: m.idp})
	if err != nil {
		m.closeAll()
		return err
	}
	m.Server = srv
	m.http = &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.http.Serve(ln) }()
	m.Logger.Info("serving", "addr", ln.Addr().String(), "db", string(m.Store.Engine()))
	return nil
}

// open opens and migrates the database and builds the application.
func (m *Main) open(ctx context.Context, dsn string) error {
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return storeError(err)
	}
	n, err := s.Migrate(ctx)
	if err != nil {
		s.Close()
		return storeError(err)
	}
	if n > 0 {
		m.Logger.Info("migrated", "applied", n)
	}
	keys, err := loadKeyring(&m.Config, m.env, true)
	if err != nil {
		s.Close()
		return err
	}
	blobs, err := files.NewLocal(filepath.Join(m.Config.Data, "files"))
	if err != nil {
		s.Close()
		return &configError{msg: fmt.Sprintf("cannot use the files folder: %v", err)}
	}
	base := strings.TrimRight(m.Config.BaseURL, "/")
	if base == "" {
		base = m.URL()
	}
	oidcCfg, err := m.oidc(base)
	if err != nil {
		s.Close()
		return err
	}
	a, err := app.New(s, app.Options{Logger: m.Logger, Keyring: keys, Files: blobs, BaseURL: base, OIDC: oidcCfg})
	if err != nil {
		s.Close()
		return err
	}
	m.Store, m.App = s, a
	return nil
}

// oidc configures applicant sign-in: the configured provider, or in the demo the embedded
// one at /idp with its test identities, so the real redirect, code exchange and token
// verification run end to end.
func (m *Main) oidc(base string) (*auth.OIDCConfig, error) {
	redirect := base + "/dang-nhap/vneid/callback"
	if m.demo {
		secret := auth.NewSessionID()
		p, err := idp.New(idp.Config{Issuer: base + "/idp", Clients: []idp.Client{{ID: "motcua-demo", Secret: secret, RedirectURIs: []string{redirect}}}})
		if err != nil {
			return nil, err
		}
		m.idp = p
		return &auth.OIDCConfig{Issuer: base + "/idp", ClientID: "motcua-demo", ClientSecret: secret, RedirectURL: redirect}, nil
	}
	if m.Config.OIDCIssuer == "" {
		return nil, nil
	}
	if m.Config.OIDCClientID == "" {
		return nil, &configError{msg: "--oidc-issuer needs --oidc-client-id (and MOTCUA_OIDC_CLIENT_SECRET)"}
	}
	return &auth.OIDCConfig{Issuer: m.Config.OIDCIssuer, ClientID: m.Config.OIDCClientID, ClientSecret: m.Config.OIDCClientSecret, RedirectURL: redirect}, nil
}

// nationalPortal is the configured National Public Service Portal; in the demo without one, a
// stand-in that acknowledges every message (the demo reaches no outside system).
func (m *Main) nationalPortal() (app.NationalSender, error) {
	if m.Config.NationalPortal == "" {
		if m.demo {
			return &demoPortal{}, nil
		}
		return nil, nil
	}
	u, err := integration.ParseEndpoint(m.Config.NationalPortal)
	if err != nil {
		return nil, &configError{msg: fmt.Sprintf("--national-portal: %v", err)}
	}
	return &integration.NationalPortal{Endpoint: u, Token: m.Config.NationalPortalToken}, nil
}

// demoPortal stands in for the national portal in the demo: it acknowledges every message
// with a reference of its own.
type demoPortal struct{ n atomic.Int64 }

func (p *demoPortal) Send(context.Context, string, []byte) (integration.Delivery, error) {
	return integration.Delivery{Reference: fmt.Sprintf("DVCQG-DEMO-%d", p.n.Add(1))}, nil
}

// startJobs runs the durable job runner, and the national portal dispatcher when there is a
// portal, in the background until Close.
func (m *Main) startJobs() {
	ctx, cancel := context.WithCancel(context.Background())
	m.stopJobs, m.jobsDone = cancel, make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { m.App.RunJobsLoop(ctx, 30*time.Second) })
	if m.portal != nil {
		every := m.syncEvery
		if every <= 0 {
			every = 5 * time.Second
		}
		wg.Go(func() { m.App.RunNationalSyncLoop(ctx, m.portal, every) })
	}
	go func() {
		wg.Wait()
		close(m.jobsDone)
	}()
}

// URL is the base URL clients reach the server at.
func (m *Main) URL() string {
	addr := m.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

// Close stops accepting requests, lets running ones finish (at most 5 seconds), and closes the
// database.
func (m *Main) Close() error {
	var err error
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = m.http.Shutdown(ctx)
		if serr := <-m.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	}
	return errors.Join(err, m.closeAll())
}

func (m *Main) closeAll() error {
	var err error
	if m.stopJobs != nil {
		m.stopJobs()
		<-m.jobsDone
		m.stopJobs = nil
	}
	if m.listener != nil && m.http == nil {
		m.listener.Close()
	}
	if m.Store != nil {
		err = m.Store.Close()
		m.Store = nil
	}
	return err
}
