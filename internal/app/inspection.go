package app

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/store"
)

// InspectionInput is an inspector's finding about how a dossier was handled.
type InspectionInput struct {
	Severity string `json:"severity"` // note | violation
	Rule     string `json:"rule,omitempty"`
	Finding  string `json:"finding"`
}

// Inspect records an inspection finding (inspectors only: they read across the province and
// write nothing else).
func (a *App) Inspect(ctx context.Context, p auth.Principal, ref string, in InspectionInput) (store.Inspection, error) {
	row, d, err := a.visible(ctx, p, ref)
	if err != nil {
		return store.Inspection{}, err
	}
	if err := auth.Authorize(p, auth.ActionInspect, resourceOf(row, d)); err != nil {
		return store.Inspection{}, authzError(err)
	}
	in.Finding = strings.TrimSpace(in.Finding)
	switch {
	case in.Severity != "note" && in.Severity != "violation":
		return store.Inspection{}, invalidField("severity", "Mức độ phải là \"note\" (ghi nhận) hoặc \"violation\" (vi phạm).", `severity must be "note" or "violation".`)
	case in.Finding == "":
		return store.Inspection{}, invalidField("finding", "Chưa nhập nội dung kết luận kiểm tra.", "finding is required.")
	case utf8.RuneCountInString(in.Finding) > 4000 || utf8.RuneCountInString(in.Rule) > 200:
		return store.Inspection{}, invalidField("finding", "Nội dung quá dài (tối đa 4.000 ký tự).", "finding is too long (4,000 characters at most).")
	}
	rec := store.Inspection{DossierID: row.ID, Inspector: p.Subject, At: a.now(), Severity: in.Severity, Rule: strings.TrimSpace(in.Rule), Finding: in.Finding}
	id, err := a.store.AddInspection(ctx, rec)
	if err != nil {
		return store.Inspection{}, err
	}
	rec.ID = id
	return rec, nil
}

// Inspections lists a dossier's inspection records for whoever may see the dossier.
func (a *App) Inspections(ctx context.Context, p auth.Principal, ref string) ([]store.Inspection, error) {
	row, _, err := a.visible(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	return a.store.Inspections(ctx, row.ID)
}

// TrackingBook renders the tracking book (sổ theo dõi hồ sơ) of a unit for a period as PDF:
// every dossier received there from the day from to the day to, both included (local dates).
// Officers of the unit, inspectors.
func (a *App) TrackingBook(ctx context.Context, p auth.Principal, unit string, from, to time.Time) ([]byte, error) {
	dir, err := a.Directory(ctx)
	if err != nil {
		return nil, err
	}
	u, ok := dir.Unit(unit)
	if !ok {
		return nil, &Error{Kind: KindNotFound, Code: "unit_not_found", MessageVI: "Không có đơn vị " + unit + ".", MessageEN: "No unit " + unit + "."}
	}
	end := to.AddDate(0, 0, 1)
	if to.Before(from) || end.Sub(from) > 366*24*time.Hour {
		return nil, invalidField("to", "Khoảng thời gian không hợp lệ (tối đa một năm).", "from must be before to, at most one year apart.")
	}
	scope := auth.ListScope(p)
	allowed := scope.All || p.HasRole(auth.RoleInspector)
	for _, ra := range p.Roles {
		allowed = allowed || (ra.Unit == unit && ra.Role != auth.RoleUnitAdmin)
	}
	if !allowed {
		return nil, &Error{Kind: KindNotFound, Code: "not_found", MessageVI: "Không tìm thấy.", MessageEN: "Not found."}
	}
	cal, err := a.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	names := report.Names{Province: a.ProvinceName(ctx), Units: map[string]string{}}
	for _, x := range dir.Units() {
		names.Units[x.Key] = x.FullName()
	}
	var rows []report.BookRow
	err = a.scanDossiers(ctx, store.DossierFilter{Scope: auth.DossierScope{All: true}, Unit: unit, SkipCount: true}, func(r store.DossierRow, _ int) error {
		if r.ReceivedAt.IsZero() || r.ReceivedAt.Before(from) || !r.ReceivedAt.Before(end) {
			return nil
		}
		d, err := loadRow(r)
		if err != nil {
			return err
		}
		if proc, err := a.pinnedProcedure(ctx, d.Spec.Procedure, d.Spec.Version); err == nil {
			names.Procedure = proc.Name
		}
		d.Applicant.Name = auth.MaskName(d.Applicant.Name)
		rows = append(rows, report.NewBookRow(d, names, a.now(), cal))
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The book lists dossiers in the order they were received.
	slices.SortFunc(rows, func(x, y report.BookRow) int {
		return cmp.Or(x.ReceivedAt.Compare(y.ReceivedAt), strings.Compare(x.Code, y.Code))
	})
	var buf bytes.Buffer
	if err := report.TrackingBook(&buf, u.FullName(), from, to, rows, a.now()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
