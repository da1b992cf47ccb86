package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// postgresDialect: one pool shared by readers and writers; migrations serialized between
// nodes with an advisory lock so several `motcua serve` processes can start at once.
type postgresDialect struct{}

func (postgresDialect) engine() Engine           { return Postgres }
func (postgresDialect) placeholder(n int) string { return "$" + strconv.Itoa(n) }

func (postgresDialect) isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isRetryable reports a deadlock or a serialization failure: the transaction lost a race and
// is safe to run again.
func isRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// migrationLockID is an arbitrary constant shared by every MotCua process.
const migrationLockID = 7_305_170_118

func (postgresDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLockID)
	return err
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, &ConfigError{Msg: "the PostgreSQL URL cannot be parsed; expected postgres://USER@HOST:PORT/DB"}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, &ConfigError{Msg: fmt.Sprintf("the PostgreSQL URL is not valid: %v", err)}
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, &ConfigError{Msg: fmt.Sprintf("cannot reach PostgreSQL at %s: %v", u.Host, shortPGError(err))}
	}
	return &Store{engine: Postgres, w: db, r: db, d: postgresDialect{}, dsn: dsn, rebound: map[string]string{}}, nil
}

// shortPGError keeps the driver's message but not its wrapping noise.
func shortPGError(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Err.Error()
	}
	return err.Error()
}
