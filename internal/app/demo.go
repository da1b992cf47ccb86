package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/auth/idp"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// RegisterDemoApplicants stores the demo identity provider's people as applicants (personal
// IDs sealed), so the demo can file online dossiers for them before anyone signs in.
func (a *App) RegisterDemoApplicants(ctx context.Context) error {
	for _, p := range idp.DemoPeople() {
		var orgs []auth.Org
		for _, o := range p.Organizations {
			orgs = append(orgs, auth.Org{EnterpriseCode: o.EnterpriseCode, Name: o.Name})
		}
		b, _ := json.Marshal(orgs)
		row := store.ApplicantRow{Subject: p.Subject, IDHash: a.id.keys.BlindIndex(auth.PurposePersonalID, p.PersonalID),
			IDSealed: a.id.keys.Seal(auth.PurposePersonalID, p.PersonalID), Name: p.Name, AssuranceLevel: p.AssuranceLevel, Orgs: string(b), UpdatedAt: a.now()}
		if err := a.store.PutApplicant(ctx, row); err != nil {
			return fmt.Errorf("demo applicant %s: %w", p.Subject, err)
		}
	}
	return nil
}

// demoDesk is where the demo files dossiers: a desk, a procedure decided there, and the
// procedure's form.
type demoDesk struct {
	unit, procedure, authority string
	form                       map[string]any
	components                 []string
}

// demoPath lists, in order, the states the demo leaves one dossier in each.
var demoPath = []dossier.State{
	dossier.Submitted, dossier.SupplementRequested, dossier.Rejected, dossier.Received, dossier.InProgress,
	dossier.SupplementRequestedInProcessing, dossier.Suspended, dossier.Processed, dossier.Returned,
	dossier.Withdrawn, dossier.Closed,
}

// SeedDemoDossiers files, through the real engine, a few dossiers in every state at the
// provincial service center and at two communes, with times spread over the last weeks (so
// the dossier whose supplement never came is closed by the job after 15 days). Drafts are
// not stored by the engine (a dossier exists from its submission), so there is none.
func (a *App) SeedDemoDossiers(ctx context.Context, progress func(done, total int)) (int, error) {
	if err := a.RegisterDemoApplicants(ctx); err != nil {
		return 0, err
	}
	applicant := func(pid string) map[string]any {
		return map[string]any{"nguoi_nop_ho_ten": "Trần Thị Bình", "nguoi_nop_so_dinh_danh": pid, "nguoi_nop_dien_thoai": "0987654321", "nguoi_nop_dia_chi": "Tổ 5, phường Phan Đình Phùng"}
	}
	merge := func(m map[string]any, extra map[string]any) map[string]any {
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	desks := []demoDesk{
		{unit: "ttpvhcc", procedure: "LLTP.01", authority: "so-tu-phap", components: nil,
			form: merge(applicant("019192004567"), map[string]any{"muc_dich": "Bổ sung hồ sơ xin việc", "loai_phieu": "Phiếu số 1"})},
		{unit: "xa-tan-cuong", procedure: "HKD.01", authority: "xa-tan-cuong",
			form: merge(applicant("019192004567"), map[string]any{"ten_ho_kinh_doanh": "Hộ kinh doanh Chè Bình", "dia_diem_kinh_doanh": "Xóm Nam Đồng, xã Tân Cương", "nganh_nghe": "Chế biến, bán chè", "von_kinh_doanh": 80000000})},
		{unit: "xa-dai-phuc", procedure: "HKD.01", authority: "xa-dai-phuc",
			form: merge(applicant("019192004567"), map[string]any{"ten_ho_kinh_doanh": "Hộ kinh doanh Tạp hóa Bình", "dia_diem_kinh_doanh": "Tổ 3, xã Đại Phúc", "nganh_nghe": "Bán lẻ tạp hóa", "von_kinh_doanh": 30000000})},
	}
	dir, err := a.Directory(ctx)
	if err != nil {
		return 0, err
	}
	// A second application over the same store whose clock the seeding moves: the history
	// starts three weeks ago.
	base := a.now().Add(-21 * 24 * time.Hour).Truncate(time.Hour)
	clock := base
	sim, err := New(a.store, Options{Logger: a.log, Now: func() time.Time { return clock }, Keyring: a.id.keys, Files: a.dz.files, BaseURL: a.dz.baseURL})
	if err != nil {
		return 0, err
	}
	tick := func() { clock = clock.Add(13 * time.Minute) }
	total := len(desks) * len(demoPath)
	done := 0
	// First the dossiers whose supplement never came (three weeks ago), then the others over
	// the last four days.
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			clock = a.now().Add(-4 * 24 * time.Hour).Truncate(time.Hour)
		}
		for _, dk := range desks {
			proc, err := sim.Procedure(ctx, dk.procedure)
			if err != nil {
				return done, err
			}
			for i, target := range demoPath {
				if (target == dossier.Closed) != (pass == 0) {
					continue
				}
				online := i%2 == 0 && target != dossier.Rejected
				v, err := sim.demoDossier(ctx, dir, dk, proc.Documents, online, target, tick)
				if err != nil {
					return done, fmt.Errorf("demo dossier %s at %s (%s): %w", dk.procedure, dk.unit, target, err)
				}
				want := target
				if target == dossier.Closed {
					want = dossier.SupplementRequested // the job closes it below
				}
				if v.State != want {
					return done, fmt.Errorf("demo dossier %s at %s ended %s, want %s", dk.procedure, dk.unit, v.State, want)
				}
				done++
				if progress != nil {
					progress(done, total)
				}
			}
		}
	}
	// Jobs now due (the 15-day supplement deadline, overdue warnings) run at the real time.
	if _, err := a.RunJobs(ctx, 1000); err != nil {
		return done, err
	}
	return done, nil
}

func officer(unit string, role string) auth.Principal {
	return auth.Principal{Kind: auth.KindOfficer, Subject: unit + "." + role, Roles: []auth.RoleAssignment{{Role: role, Unit: unit}}}
}

// demoDossier drives one dossier through the real use cases to target.
func (a *App) demoDossier(ctx context.Context, dir *org.Directory, dk demoDesk, comps []catalog.Document, online bool, target dossier.State, tick func()) (*dossier.Dossier, error) {
	desk := officer(dk.unit, auth.RoleDesk)
	person := idp.DemoPeople()[1] // Trần Thị Bình
	filer := desk
	channel := "desk"
	if online {
		filer = auth.Principal{Kind: auth.KindApplicant, Subject: person.Subject, PersonalIDHash: a.id.keys.BlindIndex(auth.PurposePersonalID, person.PersonalID)}
		channel = "online"
	}
	var docs []dossier.Document
	for _, c := range comps {
		if !c.Required || target == dossier.SupplementRequested && len(docs) > 0 {
			continue
		}
		st, err := a.UploadFile(ctx, filer, strings.ToLower(c.Code)+".pdf", strings.NewReader(demoPDF(c.Name)))
		if err != nil {
			return nil, err
		}
		docs = append(docs, dossier.Document{Component: c.Code, Name: c.Name + ".pdf", Hash: st.Hash, MediaType: st.MediaType, Size: st.Size, Digitized: true})
	}
	form, _ := json.Marshal(dk.form)
	authority := ""
	if dir.IsCommune(dk.authority) {
		authority = dk.authority
	}
	v, _, err := a.Submit(ctx, filer, SubmitInput{Procedure: dk.procedure, Channel: channel, Authority: authority, Form: form, Documents: docs}, "")
	if err != nil {
		return nil, err
	}
	id := v.ID
	act := func(p auth.Principal, action string, body any) error {
		tick()
		b, _ := json.Marshal(body)
		if body == nil {
			b = nil
		}
		out, err := a.Act(ctx, p, id, action, b, nil)
		if err != nil {
			return fmt.Errorf("%s by %s: %w", action, p.Subject, err)
		}
		v = out
		return nil
	}
	tick()
	switch target {
	case dossier.Submitted:
		return v.Dossier, nil
	case dossier.SupplementRequested, dossier.Closed:
		err := act(desk, "request-supplement", map[string]any{"components": []string{comps[len(comps)-1].Code}, "reason": "Thiếu " + strings.ToLower(comps[len(comps)-1].Name)})
		return v.Dossier, err
	case dossier.Rejected:
		err := act(desk, "reject", map[string]any{"reason": "Hồ sơ không thuộc thẩm quyền giải quyết theo yêu cầu của người nộp"})
		return v.Dossier, err
	}
	if err := act(desk, "receive", nil); err != nil || target == dossier.Received {
		return v.Dossier, err
	}
	if target == dossier.Withdrawn {
		if !online {
			filer = auth.Principal{Kind: auth.KindApplicant, Subject: person.Subject, PersonalIDHash: a.id.keys.BlindIndex(auth.PurposePersonalID, person.PersonalID)}
		}
		err := act(filer, "withdraw", map[string]any{"reason": "Không còn nhu cầu"})
		return v.Dossier, err
	}
	if err := act(desk, "forward", nil); err != nil || target == dossier.InProgress {
		return v.Dossier, err
	}
	switch target {
	case dossier.SupplementRequestedInProcessing:
		err := act(desk, "request-supplement", map[string]any{"components": []string{comps[0].Code}, "reason": "Cần bản có chứng thực"})
		return v.Dossier, err
	case dossier.Suspended:
		err := act(officer(dk.authority, auth.RoleSpecialist), "suspend", map[string]any{"reason": "Chờ kết quả xác minh của cơ quan liên quan"})
		return v.Dossier, err
	}
	// Consulted agencies give their opinions before the decision.
	for _, i := range v.OpenSteps() {
		if st := v.Steps[i]; st.Parallel {
			if err := act(officer(st.Unit, auth.RoleSpecialist), "complete-step", map[string]any{"step": i, "outcome": "Thống nhất"}); err != nil {
				return v.Dossier, err
			}
		}
	}
	leader := officer(dk.authority, auth.RoleLeader)
	if err := act(leader, "approve", map[string]any{"note": "Đồng ý"}); err != nil || target == dossier.Processed {
		return v.Dossier, err
	}
	if err := act(leader, "issue-result", map[string]any{"documents": []map[string]any{{"name": "Kết quả giải quyết", "electronic": true}}}); err != nil {
		return v.Dossier, err
	}
	method := "desk"
	if online {
		method = "electronic"
	}
	if err := act(desk, "return-result", map[string]any{"method": method}); err != nil {
		return v.Dossier, err
	}
	if online {
		err := act(filer, "rate", map[string]any{"score": 5, "comment": "Cán bộ hướng dẫn tận tình"})
		return v.Dossier, err
	}
	return v.Dossier, nil
}

// demoPDF is a tiny valid PDF standing in for a scanned document.
func demoPDF(title string) string {
	return "%PDF-1.4\n% " + title + "\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
}
