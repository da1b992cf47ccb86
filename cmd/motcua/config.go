package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/motcua/motcua/internal/store"
)

// config is the installation's configuration: flags first, then MOTCUA_* environment variables,
// then defaults.
type config struct {
	DB         string // sqlite:PATH or postgres://...
	Data       string // the data folder: files, and motcua.db when DB is not given
	Addr       string
	LogLevel   string
	LogFormat  string
	TrustProxy bool
	Keys       string // keyring file (personal-data encryption); default keys.json in --data
	BaseURL    string // public address of the site; default the listen address
	// Applicant sign-in (OpenID Connect); the demo runs its own provider instead.
	OIDCIssuer, OIDCClientID, OIDCClientSecret string
	// The National Public Service Portal's endpoint for dossier status messages, and its token.
	NationalPortal, NationalPortalToken string
}

// configError is a bad setting; its message is one sentence for the operator (exit code 2).
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

// flags declares the shared flags on fs with environment fallbacks and returns the config they
// fill once fs is parsed.
func flags(fs *flag.FlagSet, e *env, defaultData string, withAddr bool) *config {
	c := &config{}
	envOr := func(key, def string) string {
		if v := e.getenv(key); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DB, "db", envOr("MOTCUA_DB", ""), "database: sqlite:PATH or postgres://USER@HOST:PORT/DB (env MOTCUA_DB; default: motcua.db in --data)")
	fs.StringVar(&c.Data, "data", envOr("MOTCUA_DATA", defaultData), "data folder for files, and for motcua.db when --db is not given (env MOTCUA_DATA)")
	if withAddr {
		fs.StringVar(&c.Addr, "addr", envOr("MOTCUA_ADDR", ":8080"), "HTTP listen address (env MOTCUA_ADDR)")
		fs.BoolVar(&c.TrustProxy, "trust-proxy", envOr("MOTCUA_TRUST_PROXY", "") == "true", "trust X-Forwarded-Proto from a reverse proxy (env MOTCUA_TRUST_PROXY)")
	}
	fs.StringVar(&c.Keys, "keys", envOr("MOTCUA_KEYS_FILE", ""), "keyring file for personal-data encryption (env MOTCUA_KEYS_FILE, or the keyring itself in MOTCUA_KEYS; default keys.json in --data, created on first start)")
	if withAddr {
		fs.StringVar(&c.BaseURL, "base-url", envOr("MOTCUA_BASE_URL", ""), "public address of the site, e.g. https://dichvucong.example.vn (env MOTCUA_BASE_URL)")
		fs.StringVar(&c.OIDCIssuer, "oidc-issuer", envOr("MOTCUA_OIDC_ISSUER", ""), "OpenID provider for applicant sign-in (env MOTCUA_OIDC_ISSUER)")
		fs.StringVar(&c.OIDCClientID, "oidc-client-id", envOr("MOTCUA_OIDC_CLIENT_ID", ""), "OpenID client id (env MOTCUA_OIDC_CLIENT_ID)")
		c.OIDCClientSecret = e.getenv("MOTCUA_OIDC_CLIENT_SECRET")
		fs.StringVar(&c.NationalPortal, "national-portal", envOr("MOTCUA_NATIONAL_PORTAL", ""), "endpoint of the National Public Service Portal receiving dossier status messages (env MOTCUA_NATIONAL_PORTAL; its token in MOTCUA_NATIONAL_PORTAL_TOKEN); without it the messages wait in the outbox")
		c.NationalPortalToken = e.getenv("MOTCUA_NATIONAL_PORTAL_TOKEN")
	}
	fs.StringVar(&c.LogLevel, "log-level", envOr("MOTCUA_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env MOTCUA_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", envOr("MOTCUA_LOG_FORMAT", "text"), "log format: text or json (env MOTCUA_LOG_FORMAT)")
	return c
}

// parse parses args into fs, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string, e *env) error {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usageError{msg: "help shown"}
		}
		return usageError{msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// prepareData creates the data folder if needed and checks that it is writable, so that an
// unusable folder fails first, with one sentence, before anything is written elsewhere.
func (c *config) prepareData() error {
	if c.Data == "" {
		return &configError{msg: "no data folder given (--data)"}
	}
	abs, err := filepath.Abs(c.Data)
	if err != nil {
		return &configError{msg: fmt.Sprintf("the data folder %q is not a valid path", c.Data)}
	}
	c.Data = abs
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return &configError{msg: fmt.Sprintf("cannot create the data folder %s: %v", abs, rootCause(err))}
	}
	probe, err := os.CreateTemp(abs, ".write-check-*")
	if err != nil {
		return &configError{msg: fmt.Sprintf("the data folder %s is not writable: %v", abs, rootCause(err))}
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// dsn returns the database to use: --db, or motcua.db inside the data folder.
func (c *config) dsn() (string, error) {
	if c.DB != "" {
		if strings.HasPrefix(c.DB, "sqlite:") || strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://") {
			return c.DB, nil
		}
		scheme, _, _ := strings.Cut(c.DB, ":")
		return "", &configError{msg: fmt.Sprintf("unknown database scheme %q in --db: use sqlite:PATH or postgres://USER@HOST:PORT/DB", scheme)}
	}
	return "sqlite:" + filepath.Join(c.Data, "motcua.db"), nil
}

func rootCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (c *config) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, &configError{msg: fmt.Sprintf("unknown log level %q: use debug, info, warn or error", c.LogLevel)}
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch c.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, &configError{msg: fmt.Sprintf("unknown log format %q: use text or json", c.LogFormat)}
}

// storeError turns store configuration errors into configErrors.
func storeError(err error) error {
	var ce *store.ConfigError
	if errors.As(err, &ce) {
		return &configError{msg: ce.Msg}
	}
	if errors.Is(err, store.ErrSchemaTooNew) {
		return &configError{msg: err.Error()}
	}
	return err
}
