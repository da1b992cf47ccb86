package store

import (
	"context"
	"fmt"
	"time"
)

// Inspection is one inspection record about a dossier.
type Inspection struct {
	ID        int64
	DossierID string
	Inspector string
	At        time.Time
	Severity  string // note | violation
	Rule      string // the rule at stake, e.g. "Điều 19, NĐ 118/2025/NĐ-CP"
	Finding   string
}

// AddInspection records an inspection finding, with its audit entry, in one transaction.
func (s *Store) AddInspection(ctx context.Context, in Inspection) (int64, error) {
	var id int64
	err := s.InTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `INSERT INTO inspections (dossier_id, inspector, at, severity, rule, finding) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			in.DossierID, in.Inspector, in.At, in.Severity, in.Rule, in.Finding).Scan(&id); err != nil {
			return s.translate(err)
		}
		return tx.AppendAudit(ctx, AuditEntry{At: in.At, Actor: in.Inspector, Action: "inspect", ObjectKind: "dossier", ObjectKey: in.DossierID, Detail: fmt.Sprintf(`{"inspection":%d}`, id)})
	})
	if err != nil {
		return 0, fmt.Errorf("add inspection: %w", err)
	}
	return id, nil
}

// Inspections lists a dossier's inspection records, oldest first.
func (s *Store) Inspections(ctx context.Context, dossierID string) ([]Inspection, error) {
	rows, err := s.query(ctx, `SELECT id, dossier_id, inspector, at, severity, rule, finding FROM inspections WHERE dossier_id = ? ORDER BY at, id`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("inspections: %w", err)
	}
	defer rows.Close()
	out := []Inspection{}
	for rows.Next() {
		var in Inspection
		if err := rows.Scan(&in.ID, &in.DossierID, &in.Inspector, utc{&in.At}, &in.Severity, &in.Rule, &in.Finding); err != nil {
			return nil, fmt.Errorf("inspections: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
