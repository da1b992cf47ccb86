package store

import (
	"context"
	"fmt"
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
