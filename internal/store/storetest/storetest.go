// Package storetest opens fresh, migrated stores on every available engine for tests: SQLite in
// a temporary folder always, and PostgreSQL in a database created for the test and dropped after
// it. PostgreSQL is found through MOTCUA_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres); when it cannot be reached the PostgreSQL run is
// skipped with a message, except with CI=true, where that is a failure.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection that creates test databases

	"github.com/motcua/motcua/internal/store"
)

// DefaultPostgres is the server tests use when MOTCUA_TEST_POSTGRES is not set.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres"

// PostgresURL returns the admin URL of the test server.
func PostgresURL() string {
	if u := os.Getenv("MOTCUA_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultPostgres
}

var (
	pgOnce sync.Once
	pgErr  error
)

func pgReachable() error {
	pgOnce.Do(func() {
		db, err := sql.Open("pgx", PostgresURL())
		if err != nil {
			pgErr = err
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		pgErr = db.PingContext(ctx)
	})
	return pgErr
}

// Engines runs fn once per engine as a subtest named after the engine ("sqlite", "postgres"),
// each with its own fresh migrated store.
func Engines(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			s := Open(t, e)
			fn(t, s)
		})
	}
}

// Open returns a fresh migrated store of the engine, closed (and, for PostgreSQL, dropped) when
// the test ends.
func Open(t testing.TB, e store.Engine) *store.Store {
	t.Helper()
	dsn := URL(t, e)
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return s
}

// URL returns the DSN of a new empty database of the engine, removed when the test ends. For
// PostgreSQL it skips (or fails under CI=true) when the server is unreachable.
func URL(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "motcua.db")
	}
	if err := pgReachable(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is required when CI=true: %v", redact(PostgresURL()), err)
		}
		t.Skipf("PostgreSQL at %s not reachable (%v); set MOTCUA_TEST_POSTGRES to run the PostgreSQL suite", redact(PostgresURL()), err)
	}
	admin, err := sql.Open("pgx", PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "motcua_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", PostgresURL())
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
