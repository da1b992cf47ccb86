package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

// ApplicantDocument is a document the signed-in applicant already gave (or received as a
// result) in an earlier dossier, offered for reuse in a new one (Điều 19: the applicant is
// not asked again for a paper the administration already holds).
type ApplicantDocument struct {
	dossier.Document
	// DossierID and DossierCode name the dossier it comes from (the code is empty before
	// reception); At is when it was added (or when the result was issued).
	DossierID, DossierCode string
	At                     time.Time
	// Result marks a result the authority issued rather than a document the applicant gave.
	Result bool
}

// applicantDocumentsMax bounds how many earlier dossiers are read for reusable documents.
const applicantDocumentsMax = 1000

// ApplicantDocuments returns the typed documents (those with a doc_type and stored content)
// of the dossiers the signed-in applicant may see (their own and those of the enterprises they
// represent) and the electronic results issued in them, newest first, each content once per
// doc_type. Only applicants have such records.
func (a *App) ApplicantDocuments(ctx context.Context, p auth.Principal) ([]ApplicantDocument, error) {
	if p.Kind != auth.KindApplicant {
		return nil, errSignInRequired
	}
	var out []ApplicantDocument
	seen := map[[2]string]bool{}
	add := func(d ApplicantDocument) {
		k := [2]string{d.DocType, d.Hash}
		if d.DocType == "" || d.Hash == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, d)
	}
	for offset := 0; offset < applicantDocumentsMax; offset += 200 {
		views, total, err := a.ListDossiers(ctx, p, ListFilter{Limit: 200, Offset: offset})
		if err != nil {
			return nil, fmt.Errorf("applicant documents: %w", err)
		}
		for _, v := range views {
			d := v.Dossier
			for _, doc := range d.Documents {
				add(ApplicantDocument{Document: doc, DossierID: d.ID, DossierCode: d.Code, At: doc.AddedAt})
			}
			for _, r := range d.Results {
				if r.Electronic {
					add(ApplicantDocument{Document: dossier.Document{Name: r.Name, Hash: r.Hash, DocType: r.DocType, Digitized: true},
						DossierID: d.ID, DossierCode: d.Code, At: d.ResultIssuedAt, Result: true})
				}
			}
		}
		if offset+len(views) >= total || len(views) == 0 {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}
