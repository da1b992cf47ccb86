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
