// Package store is MotCua's persistence: one Store type whose methods are the storage contract
// the application uses, over two engines — SQLite (embedded default) and PostgreSQL
// (production). The SQL is written by hand with `?` placeholders; the few places where the
// engines differ (connection set-up, locking, sequences, full-text search) live behind the
// dialect interface in sqlite.go and postgres.go. The same contract test suite runs on both.
//
// Conventions decided once for both engines: times are stored in UTC (TIMESTAMP columns in
// SQLite holding "YYYY-MM-DD HH:MM:SS.fffffffff+00:00" text, timestamptz in PostgreSQL), money
// is int64 VND, identifiers are text keys or int64, there are no arrays or stored procedures.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Engine names a database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Errors returned by Store methods. Callers test them with errors.Is; the web layer maps them to
// HTTP statuses through the application's error table.
var (
	// ErrNotFound: the requested row does not exist. Store methods never return (nil, nil).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a uniqueness rule was violated (duplicate key, reused code).
	ErrConflict = errors.New("store: conflict")
	// ErrStale: an optimistic-concurrency version check failed.
	ErrStale = errors.New("store: stale version")
	// ErrSchemaTooNew: the database was migrated by a newer binary.
	ErrSchemaTooNew = errors.New("store: database schema is newer than this program")
	// ErrNestedTx: InTx was called from inside another InTx's function (a programming error).
	ErrNestedTx = errors.New("store: InTx called inside a transaction function")
)

// ConfigError describes a bad database setting (unknown scheme, unusable path) in one sentence
// that can be shown to an operator as is.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

// Store is the database handle. It is safe for concurrent use.
type Store struct {
	engine Engine
	w      *sql.DB // the writer: one connection on SQLite, the pool on PostgreSQL
	r      *sql.DB // readers: a pool of read-only connections on SQLite, the same pool on PostgreSQL
	d      dialect
	dsn    string

	rebindMu sync.RWMutex
	rebound  map[string]string

	readStmts sync.Map     // SQLite readers' prepared statements by query text
	readStmtN atomic.Int64 // how many readStmts holds

	gc *groupCommitter // SQLite: batches concurrent InTx calls into one commit; nil on PostgreSQL
}

// dialect holds what differs between the engines.
type dialect interface {
	engine() Engine
	// placeholder returns the n-th (1-based) bind marker.
	placeholder(n int) string
	// isUniqueViolation reports whether err is a unique-constraint violation.
	isUniqueViolation(err error) bool
	// lockMigrations serializes migrations between processes inside tx.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
}

// Open connects to the database named by dsn: "sqlite:PATH" (or a path ending in .db) or a
// "postgres://" / "postgresql://" URL. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case dsn == "":
		return nil, &ConfigError{Msg: "no database given: use --db sqlite:PATH or --db postgres://..."}
	default:
		scheme := dsn
		if i := strings.Index(dsn, ":"); i >= 0 {
			scheme = dsn[:i]
		}
		return nil, &ConfigError{Msg: fmt.Sprintf("unknown database scheme %q: use sqlite:PATH or postgres://USER@HOST:PORT/DB", scheme)}
	}
}

// Engine reports which engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Close releases the connections.
func (s *Store) Close() error {
	if s.gc != nil {
		s.gc.close()
	}
	var err error
	if s.r != nil && s.r != s.w {
		err = s.r.Close()
	}
	if s.w != nil {
		err = errors.Join(err, s.w.Close())
	}
	return err
}

// Ping checks that the database answers a query (used by /readyz).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// rebind rewrites `?` markers into the engine's placeholders, outside string literals.
func (s *Store) rebind(q string) string {
	if s.engine == SQLite {
		return q
	}
	s.rebindMu.RLock()
	out, ok := s.rebound[q]
	s.rebindMu.RUnlock()
	if ok {
		return out
	}
	var b strings.Builder
	n, inStr := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inStr = !inStr
			b.WriteByte(c)
		case c == '?' && !inStr:
			n++
			b.WriteString(s.d.placeholder(n))
		default:
			b.WriteByte(c)
		}
	}
	out = b.String()
	s.rebindMu.Lock()
	s.rebound[q] = out
	s.rebindMu.Unlock()
	return out
}

// Tx is a write transaction. Exported Store methods open it; unexported helpers take it.
type Tx struct {
	s   *Store
	tx  *sql.Tx
	raw *rawConn // instead of tx: the writer's driver connection (see commitWithoutSavepoints)
}

// InTx runs fn in one write transaction: committed when fn returns nil, rolled back otherwise.
// This is the unit of "one transaction per state change". When InTx returns nil the
// transaction is durable.
//
// On SQLite concurrent calls are group-committed (see groupCommitter): fn runs inside a
// savepoint of a transaction shared with other callers' functions, and InTx returns only after
// that shared transaction committed. fn's error rolls back fn's own writes and nobody else's.
// On PostgreSQL every call has its own transaction.
//
// Calling InTx (or a Store method that writes) from inside fn is a bug: the outer transaction
// is not committed yet, so the inner one could neither see nor wait for it. On SQLite such a
// call fails at once with ErrNestedTx instead of deadlocking; on PostgreSQL it opens a second,
// independent transaction that may wait for the first one's locks forever. Use the *Tx methods
// inside fn.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	if s.gc != nil {
		return s.gc.run(ctx, fn)
	}
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{s: s, tx: sqlTx}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return s.translate(fmt.Errorf("commit: %w", err))
	}
	return nil
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if tx.raw != nil {
		res, err := tx.raw.exec(q, normalizeArgs(args))
		return res, tx.s.translate(err)
	}
	ctx = tx.stmtContext(ctx)
	if st := tx.prepared(ctx, q); st != nil {
		res, err := st.ExecContext(ctx, normalizeArgs(args)...)
		return res, tx.s.translate(err)
	}
	res, err := tx.tx.ExecContext(ctx, tx.s.rebind(q), normalizeArgs(args)...)
	return res, tx.s.translate(err)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = tx.stmtContext(ctx)
	if st := tx.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, normalizeArgs(args)...)
	}
	return tx.tx.QueryRowContext(ctx, tx.s.rebind(q), normalizeArgs(args)...)
}

// stmtContext is the context a statement of tx runs with. On SQLite the transaction is shared
// by a group of callers (see groupCommitter), so one caller's cancellation must not interrupt
// a statement (SQLite could then roll back everybody's writes); the writer checks each
// caller's context before running its function instead. Without a cancellation channel the
// driver also runs no watcher goroutine per statement.
func (tx *Tx) stmtContext(ctx context.Context) context.Context {
	if tx.s.gc != nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// prepared returns q as a statement of this transaction when the engine keeps prepared
// statements (SQLite, see stmtCache), nil otherwise.
func (tx *Tx) prepared(ctx context.Context, q string) *sql.Stmt {
	if tx.s.gc == nil {
		return nil
	}
	st := tx.s.gc.stmts.get(q)
	if st == nil {
		return nil
	}
	return tx.tx.StmtContext(ctx, st)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.readStmt(ctx, q); st != nil {
		rows, err := st.QueryContext(ctx, normalizeArgs(args)...)
		return rows, s.translate(err)
	}
	rows, err := s.r.QueryContext(ctx, s.rebind(q), normalizeArgs(args)...)
	return rows, s.translate(err)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.readStmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, normalizeArgs(args)...)
	}
	return s.r.QueryRowContext(ctx, s.rebind(q), normalizeArgs(args)...)
}

// readStmtLimit bounds the reader statement cache: queries built per request (list filters)
// beyond it are simply not cached.
const readStmtLimit = 256

// readStmt returns q prepared on the SQLite readers (database/sql prepares it lazily on each
// connection and keeps it), or nil on PostgreSQL, whose driver caches statements itself.
// Parsing SQL costs SQLite about as much as running a primary-key read.
func (s *Store) readStmt(ctx context.Context, q string) *sql.Stmt {
	if s.engine != SQLite {
		return nil
	}
	if st, ok := s.readStmts.Load(q); ok {
		return st.(*sql.Stmt)
	}
	if s.readStmtN.Load() >= readStmtLimit {
		return nil
	}
	st, err := s.r.PrepareContext(ctx, q)
	if err != nil {
		return nil // the query itself will report the error
	}
	if prev, loaded := s.readStmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	s.readStmtN.Add(1)
	return st
}

// translate maps driver errors to the store's errors.
func (s *Store) translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return ErrNotFound
	case s.d.isUniqueViolation(err):
		return fmt.Errorf("%w: %v", ErrConflict, err)
	case s.engine == Postgres && isRetryable(err):
		// A deadlock or serialization failure: like a stale version, the caller decides again.
		return fmt.Errorf("%w: %v", ErrStale, err)
	}
	return err
}

// normalizeArgs stores every time in UTC so that both engines compare and sort them correctly.
func normalizeArgs(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC()
		case *time.Time:
			if v == nil {
				args[i] = nil
			} else {
				args[i] = v.UTC()
			}
		}
	}
	return args
}

// nullTime scans a nullable timestamp into a *time.Time in UTC.
type nullTime struct{ t **time.Time }

func (n nullTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n.t = nil
	case time.Time:
		u := x.UTC()
		*n.t = &u
	default:
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	return nil
}

// utc scans a non-null timestamp into a time.Time in UTC.
type utc struct{ t *time.Time }

func (u utc) Scan(v any) error {
	x, ok := v.(time.Time)
	if !ok {
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	*u.t = x.UTC()
	return nil
}
