package store

import (
	"context"
	"fmt"
	"strings"
)

// deskSessionsPrefix prefixes the setting holding a desk's own working sessions
// ("desk_sessions:<desk key>" = "07:00-11:00,13:30-17:30"). Settings rather than a column:
// the override is rare, small, read once into memory, and needs no migration.
const deskSessionsPrefix = "desk_sessions:"

// DeskSessions returns every desk's working-session override, by desk key. Desks without an
// override are absent (they count the province's sessions).
func (s *Store) DeskSessions(ctx context.Context) (map[string]string, error) {
	rows, err := s.query(ctx, `SELECT key, value FROM settings WHERE key LIKE ?`, deskSessionsPrefix+"%")
	if err != nil {
		return nil, fmt.Errorf("desk sessions: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("desk sessions: %w", err)
		}
		out[strings.TrimPrefix(k, deskSessionsPrefix)] = v
	}
	return out, rows.Err()
}

// SetDeskSessions stores a desk's working sessions ("" removes the override) with its audit
// entry, in one transaction. An unknown desk is ErrNotFound and changes nothing.
func (s *Store) SetDeskSessions(ctx context.Context, desk, sessions string, audit AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error {
		var one int
		if err := tx.s.translate(tx.queryRow(ctx, `SELECT 1 FROM desks WHERE key = ?`, desk).Scan(&one)); err != nil {
			return fmt.Errorf("desk %s: %w", desk, err)
		}
		if sessions == "" {
			if _, err := tx.exec(ctx, `DELETE FROM settings WHERE key = ?`, deskSessionsPrefix+desk); err != nil {
				return fmt.Errorf("clear sessions of desk %s: %w", desk, err)
			}
		} else if err := tx.setSetting(ctx, deskSessionsPrefix+desk, sessions, audit.At); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit)
	})
}

// AddOfficerRole gives an officer a role in a unit, with its audit entry. An unknown officer
// is ErrNotFound; a role already held is ErrConflict.
func (s *Store) AddOfficerRole(ctx context.Context, username string, r RoleRow, audit AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if err := tx.staffExists(ctx, username); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO officer_roles (username, role, unit_key) VALUES (?, ?, ?)`, username, r.Role, r.Unit); err != nil {
			return fmt.Errorf("officer %s role %s at %s: %w", username, r.Role, r.Unit, tx.s.translate(err))
		}
		return tx.AppendAudit(ctx, audit)
	})
}

// RemoveOfficerRole takes a role in a unit from an officer, with its audit entry; a role the
// officer does not hold is ErrNotFound.
func (s *Store) RemoveOfficerRole(ctx context.Context, username string, r RoleRow, audit AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM officer_roles WHERE username = ? AND role = ? AND unit_key = ?`, username, r.Role, r.Unit)
		if err != nil {
			return fmt.Errorf("remove role %s at %s from %s: %w", r.Role, r.Unit, username, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("officer %s has no role %s at %s: %w", username, r.Role, r.Unit, ErrNotFound)
		}
		return tx.AppendAudit(ctx, audit)
	})
}

// SetOfficerDisabledAudited disables or re-enables an officer's account with its audit entry,
// in one transaction. An unknown officer is ErrNotFound.
func (s *Store) SetOfficerDisabledAudited(ctx context.Context, username string, disabled bool, audit AuditEntry) error {
	return s.updateOfficerAudited(ctx, username, `UPDATE officers SET disabled = ? WHERE username = ?`, disabled, audit)
}

// ResetOfficerTOTP replaces an officer's sealed TOTP secret (a new enrolment; "" removes the
// second factor) with its audit entry, in one transaction. An unknown officer is ErrNotFound.
func (s *Store) ResetOfficerTOTP(ctx context.Context, username, sealed string, audit AuditEntry) error {
	return s.updateOfficerAudited(ctx, username, `UPDATE officers SET totp_secret = ? WHERE username = ?`, nullString(sealed), audit)
}

func (s *Store) updateOfficerAudited(ctx context.Context, username, q string, value any, audit AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, q, value, username)
		if err != nil {
			return fmt.Errorf("update officer %s: %w", username, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("officer %s: %w", username, errNoAccount)
		}
		return tx.AppendAudit(ctx, audit)
	})
}

// AuditFilter selects audit-log entries: by object kind and key (each optional), newest first,
// entries with an id below Before (0: from the newest), at most Limit (1..1000, default 100).
type AuditFilter struct {
	Kind, Key string
	Before    int64
	Limit     int
}

// AuditEntries lists the audit log through a filter, newest first.
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	rows, err := s.query(ctx, `SELECT id, at, actor, action, object_kind, object_key, detail FROM audit_log
		WHERE (? = '' OR object_kind = ?) AND (? = '' OR object_key = ?) AND (? = 0 OR id < ?)
		ORDER BY id DESC LIMIT ?`, f.Kind, f.Kind, f.Key, f.Key, f.Before, f.Before, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, utc{&e.At}, &e.Actor, &e.Action, &e.ObjectKind, &e.ObjectKey, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
