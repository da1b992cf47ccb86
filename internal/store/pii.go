package store

import (
	"context"
	"fmt"
)

// DossierPII is a dossier's personal data, sealed by the application (AES-GCM under the
// keyring) before it reaches the store; IDHash is the keyed hash for exact look-ups. Snapshots
// and events never contain these values, so key rotation re-encrypts this table alone and the
// hash chain of events is untouched.
type DossierPII struct {
	DossierID                                  string
	IDHash, IDSealed, PhoneSealed, EmailSealed string
	FormSealed                                 string
}

const putPIISQL = `INSERT INTO dossier_pii (dossier_id, id_hash, id_sealed, phone_sealed, email_sealed, form_sealed)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (dossier_id) DO UPDATE SET id_hash = excluded.id_hash, id_sealed = excluded.id_sealed,
		phone_sealed = excluded.phone_sealed, email_sealed = excluded.email_sealed, form_sealed = excluded.form_sealed`

// PutDossierPII stores (or replaces) a dossier's sealed personal data in tx.
func (tx *Tx) PutDossierPII(ctx context.Context, p DossierPII) error {
	_, err := tx.exec(ctx, putPIISQL, p.DossierID, nullString(p.IDHash), nullString(p.IDSealed), nullString(p.PhoneSealed), nullString(p.EmailSealed), nullString(p.FormSealed))
	if err != nil {
		return fmt.Errorf("put dossier personal data %s: %w", p.DossierID, err)
	}
	return nil
}

// DossierPII returns a dossier's sealed personal data (ErrNotFound when there is none).
func (s *Store) DossierPII(ctx context.Context, id string) (DossierPII, error) {
	p := DossierPII{DossierID: id}
	err := s.queryRow(ctx, `SELECT COALESCE(id_hash, ''), COALESCE(id_sealed, ''), COALESCE(phone_sealed, ''), COALESCE(email_sealed, ''), COALESCE(form_sealed, '')
		FROM dossier_pii WHERE dossier_id = ?`, id).Scan(&p.IDHash, &p.IDSealed, &p.PhoneSealed, &p.EmailSealed, &p.FormSealed)
	if err != nil {
		return DossierPII{}, s.translate(err)
	}
	return p, nil
}
