package store

import (
	"context"
	"fmt"
	"time"
)

// Version statuses of a procedure.
const (
	VersionDraft     = "draft"
	VersionPublished = "published"
	VersionRetired   = "retired"
)

// ProcedureVersion is one version of a procedure; Spec is the procedure's canonical JSON
// (format motcua.procedures/v1, one object). Dossiers pin (Code, Number).
type ProcedureVersion struct {
	Code, Name, Field, Level   string
	Number                     int
	Status                     string
	EffectiveFrom, EffectiveTo string // YYYY-MM-DD or ""
	Spec                       string
	CreatedAt                  time.Time
	CreatedBy                  string
	PublishedAt                *time.Time
	Position                   int
}

// ImportResult counts what an import changed.
type ImportResult struct{ Created, NewVersions, Unchanged int }

// ImportProcedures publishes every given procedure in one transaction with the audit entry: a
// new code gets version 1; a code whose latest published spec differs gets a new published
// version (the previous one is retired from the new one's effective date); an identical spec
// changes nothing. Either all of it happens or none of it.
func (s *Store) ImportProcedures(ctx context.Context, vs []ProcedureVersion, audit AuditEntry) (ImportResult, error) {
	var res ImportResult
	err := s.InTx(ctx, func(tx *Tx) error {
		res = ImportResult{}
		for _, v := range vs {
			var latest int
			var spec string
			err := tx.queryRow(ctx, `SELECT number, spec FROM procedure_versions WHERE code = ? AND status = 'published' ORDER BY number DESC LIMIT 1`, v.Code).Scan(&latest, &spec)
			err = tx.s.translate(err)
			switch {
			case err == ErrNotFound:
				if _, err := tx.exec(ctx, `INSERT INTO procedures (code, name, field, level, position, published_version, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?)
					ON CONFLICT (code) DO NOTHING`, v.Code, v.Name, v.Field, v.Level, v.Position, v.CreatedAt); err != nil {
					return fmt.Errorf("procedure %s: %w", v.Code, err)
				}
				var max int
				if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) FROM procedure_versions WHERE code = ?`, v.Code).Scan(&max); err != nil {
					return err
				}
				v.Number = max + 1
				res.Created++
			case err != nil:
				return fmt.Errorf("procedure %s: %w", v.Code, err)
			case spec == v.Spec:
				res.Unchanged++
				continue
			default:
				var max int
				if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) FROM procedure_versions WHERE code = ?`, v.Code).Scan(&max); err != nil {
					return err
				}
				v.Number = max + 1
				if _, err := tx.exec(ctx, `UPDATE procedure_versions SET status = 'retired', effective_to = ? WHERE code = ? AND status = 'published'`,
					nullString(v.EffectiveFrom), v.Code); err != nil {
					return err
				}
				res.NewVersions++
			}
			if _, err := tx.exec(ctx, `INSERT INTO procedure_versions (code, number, status, effective_from, effective_to, spec, created_at, created_by, published_at)
				VALUES (?, ?, 'published', ?, NULL, ?, ?, ?, ?)`, v.Code, v.Number, nullString(v.EffectiveFrom), v.Spec, v.CreatedAt, v.CreatedBy, v.CreatedAt); err != nil {
				return fmt.Errorf("procedure %s version %d: %w", v.Code, v.Number, err)
			}
			if _, err := tx.exec(ctx, `UPDATE procedures SET name = ?, field = ?, level = ?, position = ?, published_version = ?, updated_at = ? WHERE code = ?`,
				v.Name, v.Field, v.Level, v.Position, v.Number, v.CreatedAt, v.Code); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, audit)
	})
	return res, err
}

const versionColumns = `v.code, p.name, p.field, p.level, v.number, v.status, COALESCE(v.effective_from, ''), COALESCE(v.effective_to, ''), v.spec, v.created_at, v.created_by, v.published_at, p.position`

func scanVersion(sc interface{ Scan(...any) error }) (ProcedureVersion, error) {
	var v ProcedureVersion
	err := sc.Scan(&v.Code, &v.Name, &v.Field, &v.Level, &v.Number, &v.Status, &v.EffectiveFrom, &v.EffectiveTo, &v.Spec,
		utc{&v.CreatedAt}, &v.CreatedBy, nullTime{&v.PublishedAt}, &v.Position)
	return v, err
}

// PublishedProcedures returns the current published version of every procedure, in catalog order.
func (s *Store) PublishedProcedures(ctx context.Context) ([]ProcedureVersion, error) {
	rows, err := s.query(ctx, `SELECT `+versionColumns+` FROM procedures p JOIN procedure_versions v ON v.code = p.code AND v.number = p.published_version
		ORDER BY p.position, p.code`)
	if err != nil {
		return nil, fmt.Errorf("published procedures: %w", err)
	}
	defer rows.Close()
	var out []ProcedureVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("published procedures: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ProcedureVersions returns every version of a procedure, oldest first; ErrNotFound when the
// procedure does not exist.
func (s *Store) ProcedureVersions(ctx context.Context, code string) ([]ProcedureVersion, error) {
	rows, err := s.query(ctx, `SELECT `+versionColumns+` FROM procedures p JOIN procedure_versions v ON v.code = p.code WHERE p.code = ? ORDER BY v.number`, code)
	if err != nil {
		return nil, fmt.Errorf("procedure versions: %w", err)
	}
	defer rows.Close()
	var out []ProcedureVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("procedure %s: %w", code, ErrNotFound)
	}
	return out, nil
}

// ProcedureVersion returns one version; ErrNotFound when absent.
func (s *Store) ProcedureVersion(ctx context.Context, code string, number int) (ProcedureVersion, error) {
	v, err := scanVersion(s.queryRow(ctx, `SELECT `+versionColumns+` FROM procedures p JOIN procedure_versions v ON v.code = p.code WHERE p.code = ? AND v.number = ?`, code, number))
	if err != nil {
		return ProcedureVersion{}, fmt.Errorf("procedure %s version %d: %w", code, number, s.translate(err))
	}
	return v, nil
}

// CalendarNotices returns the stored yearly notices (JSON) keyed by year.
func (s *Store) CalendarNotices(ctx context.Context) (map[int]string, error) {
	rows, err := s.query(ctx, `SELECT year, body FROM calendar_notices ORDER BY year`)
	if err != nil {
		return nil, fmt.Errorf("calendar notices: %w", err)
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var y int
		var b string
		if err := rows.Scan(&y, &b); err != nil {
			return nil, err
		}
		out[y] = b
	}
	return out, rows.Err()
}

// PutCalendarNotice adds or replaces a year's notice together with its audit entry.
func (s *Store) PutCalendarNotice(ctx context.Context, year int, body string, audit AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO calendar_notices (year, body, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (year) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			year, body, audit.At, audit.Actor); err != nil {
			return fmt.Errorf("put calendar notice %d: %w", year, err)
		}
		return tx.AppendAudit(ctx, audit)
	})
}
