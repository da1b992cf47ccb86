package store

import "context"

// ForceSchemaVersionForTest records a fake applied migration; tests use it to simulate a
// database written by a newer binary.
func ForceSchemaVersionForTest(ctx context.Context, tx *Tx, version int) error {
	_, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', CURRENT_TIMESTAMP)", version)
	return err
}
