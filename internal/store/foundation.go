package store

import (
	"context"
	"fmt"
	"time"
)

// Setting returns a stored setting; ErrNotFound when absent.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	if err := s.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v); err != nil {
		return "", fmt.Errorf("setting %s: %w", key, s.translate(err))
	}
	return v, nil
}

// Settings returns the settings among keys that exist, in one query (a key without a setting
// is absent from the map).
func (s *Store) Settings(ctx context.Context, keys ...string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := s.query(ctx, "SELECT key, value FROM settings WHERE key IN ("+placeholders(len(keys))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("settings: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetSetting creates or replaces a setting.
func (s *Store) SetSetting(ctx context.Context, key, value string, now time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error { return tx.setSetting(ctx, key, value, now) })
}

func (tx *Tx) setSetting(ctx context.Context, key, value string, now time.Time) error {
	_, err := tx.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, now)
	if err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}

// AuditEntry is one administrative change: who did what to which object, when.
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string
	ObjectKind string
	ObjectKey  string
	Detail     string // JSON
}

// AppendAudit records an administrative change in its own transaction.
func (s *Store) AppendAudit(ctx context.Context, e AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error { return tx.AppendAudit(ctx, e) })
}

// AppendAudit records an administrative change inside the caller's transaction, so the change
// and its audit row commit together.
func (tx *Tx) AppendAudit(ctx context.Context, e AuditEntry) error {
	if e.Detail == "" {
		e.Detail = "{}"
	}
	_, err := tx.exec(ctx, `INSERT INTO audit_log (at, actor, action, object_kind, object_key, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		e.At, e.Actor, e.Action, e.ObjectKind, e.ObjectKey, e.Detail)
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// AuditLog lists audit entries for an object kind (all kinds when empty), newest first.
func (s *Store) AuditLog(ctx context.Context, kind string, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.query(ctx, `SELECT id, at, actor, action, object_kind, object_key, detail FROM audit_log
		WHERE (? = '' OR object_kind = ?) ORDER BY id DESC LIMIT ?`, kind, kind, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, utc{&e.At}, &e.Actor, &e.Action, &e.ObjectKind, &e.ObjectKey, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
