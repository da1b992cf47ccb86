package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDialect: one writer connection (BEGIN IMMEDIATE, so writers queue instead of failing
// on lock upgrades) plus a pool of query-only readers, all in WAL mode. busy_timeout is set
// before journal_mode so that opening next to a busy writer waits instead of failing.
type sqliteDialect struct{}

func (sqliteDialect) engine() Engine         { return SQLite }
func (sqliteDialect) placeholder(int) string { return "?" }

func (sqliteDialect) isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error { return nil }

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// FULL: a commit is on disk when acknowledged, also across power loss.
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_time_format", "sqlite")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, &ConfigError{Msg: "sqlite: no file path given (use --db sqlite:PATH)"}
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &ConfigError{Msg: fmt.Sprintf("the folder %s for the SQLite database does not exist", dir)}
	}
	if !st.IsDir() {
		return nil, &ConfigError{Msg: fmt.Sprintf("%s is not a folder", dir)}
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		w.Close()
		return nil, &ConfigError{Msg: fmt.Sprintf("cannot open the SQLite database %s: %v", path, err)}
	}
	// A write probe: an unwritable file or folder fails here, before anything else runs.
	if _, err := w.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"); err != nil {
		w.Close()
		return nil, &ConfigError{Msg: fmt.Sprintf("cannot write to the SQLite database %s: %v", path, err)}
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &Store{engine: SQLite, w: w, r: r, d: sqliteDialect{}, dsn: "sqlite:" + path, rebound: map[string]string{}}, nil
}
