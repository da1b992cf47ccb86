package store

import (
	"context"
	"fmt"
	"strings"
)

// ExecForTest runs one SQL statement (with `?` placeholders) in its own transaction. Tests use
// it to tamper with stored rows behind the store's back, e.g. to edit an event and check that
// the chain verifier notices. Never use it in production code.
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("exec for test: %w", err)
		}
		return nil
	})
}

// QueryIntForTest runs a query returning one integer (a count, a stored counter) on the
// writer's view of the database.
func (s *Store) QueryIntForTest(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := s.InTx(ctx, func(tx *Tx) error { return tx.queryRow(ctx, q, args...).Scan(&n) })
	if err != nil {
		return 0, fmt.Errorf("query for test: %w", s.translate(err))
	}
	return n, nil
}

// ExecForTest runs one SQL statement inside the transaction. Tests use it to break a
// transaction on purpose (for example a raw ROLLBACK) and check what the caller is told.
func (tx *Tx) ExecForTest(ctx context.Context, q string, args ...any) error {
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("exec for test: %w", err)
	}
	return nil
}

// ClaimPlanForTest returns the query plan of ClaimOutbox's walk of one topic's unsent
// messages: SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN with sequential scans
// discouraged (a test table is small enough for PostgreSQL to prefer scanning it).
func (s *Store) ClaimPlanForTest(ctx context.Context, topic string) (string, error) {
	var lines []string
	err := s.InTx(ctx, func(tx *Tx) error {
		q := "EXPLAIN QUERY PLAN " + unsentOfTopic
		if s.engine == Postgres {
			if _, err := tx.exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
			q = "EXPLAIN " + unsentOfTopic
		}
		rows, err := tx.tx.QueryContext(tx.stmtContext(ctx), s.rebind(q), topic)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			lines = append(lines, fmt.Sprint(vals...))
		}
		return rows.Err()
	})
	if err != nil {
		return "", fmt.Errorf("claim plan for test: %w", err)
	}
	return strings.Join(lines, "\n"), nil
}
