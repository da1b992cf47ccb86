package store

import (
	"context"
	"fmt"
	"time"
)

// UnitRow is one administrative unit as stored; Data holds the rest of the unit's JSON
// (predecessors, formation) that the store does not interpret.
type UnitRow struct {
	Key, Kind, Name, Identifier string
	Parent                      string // "" for the province
	ValidFrom, ValidTo          string // YYYY-MM-DD or ""
	Position                    int
	Data                        string
}

// DeskRow is one one-stop reception desk; Hours is its reception-hours JSON.
type DeskRow struct {
	Key, Unit, Name, Hours string
}

// SaveOrganization creates or updates units and desks in one transaction, parents before
// children (the caller orders them), together with the given settings and the audit entry. Units absent from the
// input are kept: dossiers and officers may refer to them.
func (s *Store) SaveOrganization(ctx context.Context, units []UnitRow, desks []DeskRow, settings map[string]string, audit AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error {
		for k, v := range settings {
			if err := tx.setSetting(ctx, k, v, audit.At); err != nil {
				return err
			}
		}
		for _, u := range units {
			if _, err := tx.exec(ctx, `INSERT INTO units (key, kind, name, identifier, parent, valid_from, valid_to, position, data)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, name = excluded.name, identifier = excluded.identifier,
				parent = excluded.parent, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
				position = excluded.position, data = excluded.data`,
				u.Key, u.Kind, u.Name, u.Identifier, nullString(u.Parent), nullString(u.ValidFrom), nullString(u.ValidTo), u.Position, u.Data); err != nil {
				return fmt.Errorf("save unit %s: %w", u.Key, err)
			}
		}
		for _, d := range desks {
			if _, err := tx.exec(ctx, `INSERT INTO desks (key, unit_key, name, hours) VALUES (?, ?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET unit_key = excluded.unit_key, name = excluded.name, hours = excluded.hours`,
				d.Key, d.Unit, d.Name, d.Hours); err != nil {
				return fmt.Errorf("save desk %s: %w", d.Key, err)
			}
		}
		return tx.AppendAudit(ctx, audit)
	})
}

// Units returns every unit in import order.
func (s *Store) Units(ctx context.Context) ([]UnitRow, error) {
	rows, err := s.query(ctx, `SELECT key, kind, name, identifier, COALESCE(parent, ''), COALESCE(valid_from, ''), COALESCE(valid_to, ''), position, data
		FROM units ORDER BY position, key`)
	if err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	defer rows.Close()
	var out []UnitRow
	for rows.Next() {
		var u UnitRow
		if err := rows.Scan(&u.Key, &u.Kind, &u.Name, &u.Identifier, &u.Parent, &u.ValidFrom, &u.ValidTo, &u.Position, &u.Data); err != nil {
			return nil, fmt.Errorf("units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Desks returns every desk.
func (s *Store) Desks(ctx context.Context) ([]DeskRow, error) {
	rows, err := s.query(ctx, `SELECT key, unit_key, name, hours FROM desks ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("desks: %w", err)
	}
	defer rows.Close()
	var out []DeskRow
	for rows.Next() {
		var d DeskRow
		if err := rows.Scan(&d.Key, &d.Unit, &d.Name, &d.Hours); err != nil {
			return nil, fmt.Errorf("desks: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RoleRow is one role an officer holds in one unit.
type RoleRow struct{ Role, Unit string }

// Officer is a staff account with its roles and sign-in state.
type Officer struct {
	Username, Name, PasswordHash string
	TOTPSecret                   string // sealed; "" when not enrolled
	TOTPLastStep                 int64
	FailedLogins                 int
	LastFailedAt, LockedUntil    *time.Time
	Disabled                     bool
	CreatedAt                    time.Time
	Roles                        []RoleRow
}

// CreateOfficers inserts officers and their roles in one transaction with the audit entry; an
// existing username is a conflict.
func (s *Store) CreateOfficers(ctx context.Context, officers []Officer, audit AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error {
		for _, o := range officers {
			if _, err := tx.exec(ctx, `INSERT INTO officers (username, name, password_hash, totp_secret, totp_last_step, disabled, created_at)
				VALUES (?, ?, ?, ?, 0, ?, ?)`, o.Username, o.Name, o.PasswordHash, nullString(o.TOTPSecret), o.Disabled, o.CreatedAt); err != nil {
				return fmt.Errorf("create officer %s: %w", o.Username, err)
			}
			for _, r := range o.Roles {
				if _, err := tx.exec(ctx, `INSERT INTO officer_roles (username, role, unit_key) VALUES (?, ?, ?)`, o.Username, r.Role, r.Unit); err != nil {
					return fmt.Errorf("officer %s role %s at %s: %w", o.Username, r.Role, r.Unit, err)
				}
			}
		}
		return tx.AppendAudit(ctx, audit)
	})
}

const officerColumns = `username, name, password_hash, COALESCE(totp_secret, ''), totp_last_step, failed_logins, last_failed_at, locked_until, disabled, created_at`

func scanOfficer(sc interface{ Scan(...any) error }) (Officer, error) {
	var o Officer
	err := sc.Scan(&o.Username, &o.Name, &o.PasswordHash, &o.TOTPSecret, &o.TOTPLastStep, &o.FailedLogins,
		nullTime{&o.LastFailedAt}, nullTime{&o.LockedUntil}, &o.Disabled, utc{&o.CreatedAt})
	return o, err
}

// Officer returns one officer with roles; ErrNotFound when absent.
func (s *Store) Officer(ctx context.Context, username string) (Officer, error) {
	o, err := scanOfficer(s.queryRow(ctx, `SELECT `+officerColumns+` FROM officers WHERE username = ?`, username))
	if err != nil {
		return Officer{}, fmt.Errorf("officer %s: %w", username, s.translate(err))
	}
	rows, err := s.query(ctx, `SELECT role, unit_key FROM officer_roles WHERE username = ? ORDER BY unit_key, role`, username)
	if err != nil {
		return Officer{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var r RoleRow
		if err := rows.Scan(&r.Role, &r.Unit); err != nil {
			return Officer{}, err
		}
		o.Roles = append(o.Roles, r)
	}
	return o, rows.Err()
}

// Officers lists every officer with roles, by username.
func (s *Store) Officers(ctx context.Context) ([]Officer, error) {
	rows, err := s.query(ctx, `SELECT `+officerColumns+` FROM officers ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("officers: %w", err)
	}
	var out []Officer
	idx := map[string]int{}
	for rows.Next() {
		o, err := scanOfficer(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("officers: %w", err)
		}
		idx[o.Username] = len(out)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rr, err := s.query(ctx, `SELECT username, role, unit_key FROM officer_roles ORDER BY username, unit_key, role`)
	if err != nil {
		return nil, fmt.Errorf("officer roles: %w", err)
	}
	defer rr.Close()
	for rr.Next() {
		var u string
		var r RoleRow
		if err := rr.Scan(&u, &r.Role, &r.Unit); err != nil {
			return nil, err
		}
		if i, ok := idx[u]; ok {
			out[i].Roles = append(out[i].Roles, r)
		}
	}
	return out, rr.Err()
}

// CountOfficers returns how many officers exist.
func (s *Store) CountOfficers(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM officers`).Scan(&n)
	return n, s.translate(err)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
