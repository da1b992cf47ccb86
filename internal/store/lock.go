package store

import (
	"context"
	"fmt"
)

// DossierForUpdate reads a dossier by id inside tx and locks its row until the transaction
// ends (SELECT ... FOR UPDATE on PostgreSQL; SQLite's single writer already serializes), so
// concurrent commands on one dossier queue up instead of failing on the version check. The
// version check stays for callers that send If-Match.
func (tx *Tx) DossierForUpdate(ctx context.Context, id string) (DossierRow, error) {
	q := `SELECT ` + dossierColumns + ` FROM dossiers d WHERE d.id = ?`
	if tx.s.engine == Postgres {
		q += ` FOR UPDATE`
	}
	d, err := scanDossier(tx.queryRow(ctx, q, id))
	if err != nil {
		return DossierRow{}, fmt.Errorf("dossier %s: %w", id, tx.s.translate(err))
	}
	return d, nil
}

// DossierVersion reads a dossier's version inside tx, locking its row until the transaction
// ends on PostgreSQL: the cheap check that a decision made outside the transaction still
// applies (ErrNotFound when there is no such dossier).
func (tx *Tx) DossierVersion(ctx context.Context, id string) (int64, error) {
	q := `SELECT version FROM dossiers WHERE id = ?`
	if tx.s.engine == Postgres {
		q += ` FOR UPDATE`
	}
	var v int64
	if err := tx.queryRow(ctx, q, id).Scan(&v); err != nil {
		return 0, fmt.Errorf("dossier %s: %w", id, tx.s.translate(err))
	}
	return v, nil
}

// UpdateDossierFrom is UpdateDossier for a caller that read the dossier (prev) before its
// transaction: the version check is the UPDATE's own condition (0 rows: ErrStale, someone
// changed it since) and the side tables are compared with prev's lists, so the transaction
// reads nothing. A caller deciding outside the transaction uses this.
func (tx *Tx) UpdateDossierFrom(ctx context.Context, d DossierRow, prev DossierRow) error {
	if d.Version <= prev.Version {
		return fmt.Errorf("update dossier %s: new version %d does not follow %d", d.ID, d.Version, prev.Version)
	}
	vals, err := dossierValues(d)
	if err != nil {
		return fmt.Errorf("update dossier: %w", err)
	}
	res, err := tx.exec(ctx, `UPDATE dossiers SET code = ?, state = ?, version = ?, procedure_code = ?, procedure_version = ?,
		authority = ?, receiving_unit = ?, channel = ?, applicant_id_hash = ?, org_code = ?, applicant_name = ?, search_text = ?,
		step_units = ?, assignees = ?, submitted_at = ?, received_at = ?, due_at = ?, finished_at = ?, updated_at = ?, snapshot = ?, last_hash = ?
		WHERE id = ? AND version = ?`, append(vals, d.ID, prev.Version)...)
	if err != nil {
		return fmt.Errorf("update dossier %s: %w", d.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update dossier %s: %w", d.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("update dossier %s: %w: not at version %d any more", d.ID, ErrStale, prev.Version)
	}
	newUnits := jsonList(d.StepUnits) != jsonList(prev.StepUnits)
	newAssignees := jsonList(d.Assignees) != jsonList(prev.Assignees)
	var units, assignees []string
	if newUnits {
		units = d.StepUnits
	}
	if newAssignees {
		assignees = d.Assignees
	}
	return tx.writeDossierSets(ctx, d.ID, units, assignees, newUnits, newAssignees)
}
