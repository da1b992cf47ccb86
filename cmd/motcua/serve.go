package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/motcua/motcua/internal/app"
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
	if m.beforeServe != nil {
		if err := m.beforeServe(ctx, m); err != nil {
			m.closeAll()
			return err
		}
	}
	srv, err := web.New(m.App, web.Options{Logger: m.Logger, TrustProxy: m.Config.TrustProxy, Version: version()})
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
	a, err := app.New(s, app.Options{Logger: m.Logger})
	if err != nil {
		s.Close()
		return err
	}
	m.Store, m.App = s, a
	return nil
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
	if m.listener != nil && m.http == nil {
		m.listener.Close()
	}
	if m.Store != nil {
		err = m.Store.Close()
		m.Store = nil
	}
	return err
}
