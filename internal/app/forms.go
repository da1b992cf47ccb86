package app

import (
	"bytes"
	"context"
	"errors"
	"net/url"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/report"
)

// Form renders one of a dossier's statutory paper forms as PDF (receipt, supplement request,
// refusal, apology, stop notice, control sheet) for p. Forms carry personal data, so the read
// is authorized and logged like the dossier page.
func (a *App) Form(ctx context.Context, p auth.Principal, ref, form, screen string) ([]byte, error) {
	f, err := report.ParseForm(form)
	if err != nil {
		return nil, &Error{Kind: KindNotFound, Code: "form_not_found", MessageVI: "Không có biểu mẫu " + form + ".", MessageEN: "No form " + form + ".", Err: err}
	}
	v, err := a.Dossier(ctx, p, ref, screen)
	if err != nil {
		return nil, err
	}
	if !v.Personal {
		return nil, errDossierNotFound
	}
	dir, err := a.Directory(ctx)
	if err != nil {
		return nil, err
	}
	names := report.Names{Province: a.ProvinceName(ctx), Units: map[string]string{}}
	for _, u := range dir.Units() {
		names.Units[u.Key] = u.FullName()
	}
	if proc, err := a.pinnedProcedure(ctx, v.Spec.Procedure, v.Spec.Version); err == nil {
		names.Procedure = proc.Name
	}
	officer := ""
	if p.Kind == auth.KindOfficer {
		officer = p.Subject
		if o, err := a.store.Officer(ctx, p.Subject); err == nil {
			officer = o.Name
		}
	}
	var buf bytes.Buffer
	in := report.Input{Dossier: v.Dossier, Names: names, LookupURL: a.LookupURL(v.Code), Now: a.now(), Officer: officer}
	if err := report.Render(&buf, f, in); err != nil {
		if errors.Is(err, report.ErrNotApplicable) {
			return nil, &Error{Kind: KindConflict, Code: "form_not_applicable", MessageVI: "Hồ sơ ở trạng thái hiện tại không có biểu mẫu này.", MessageEN: "This form does not apply to the dossier in its current state.", Err: err}
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

// LookupURL is the public look-up page of a dossier code (what the receipt's QR code holds).
func (a *App) LookupURL(code string) string {
	base := a.dz.baseURL
	if base == "" {
		base = "http://localhost:8080"
	}
	return base + "/tra-cuu?ma=" + url.QueryEscape(code)
}
