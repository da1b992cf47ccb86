package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/auth/idp"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// The service index through the real engine: dossiers filed and handled with app.Submit and
// app.Act at chosen times, then app.Index and app.IndexDrill for a month, against figures
// computed by hand from LEGAL §6 and §8.

const ixUnit = "xa-tan-cuong"

// ixEngine is a seeded application with a settable clock, the demo applicants registered (for
// online dossiers) and the keyring at hand (for the applicant's principal).
type ixEngine struct {
	t         *testing.T
	a         *app.App
	now       atomic.Pointer[time.Time]
	keys      *auth.Keyring
	applicant auth.Principal
	person    idp.Person
}

func newIxEngine(t *testing.T, s *store.Store) *ixEngine {
	t.Helper()
	e := &ixEngine{t: t, keys: auth.GenerateKeyring()}
	e.set(time.Date(2026, 10, 5, 8, 0, 0, 0, calendar.VN))
	a, err := app.New(s, app.Options{Now: func() time.Time { return *e.now.Load() }, Keyring: e.keys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.ImportUnits(ctx, "test", seed.Units()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportProcedures(ctx, "test", seed.Procedures()); err != nil {
		t.Fatal(err)
	}
	if err := a.RegisterDemoApplicants(ctx); err != nil {
		t.Fatal(err)
	}
	e.a = a
	e.person = idp.DemoPeople()[1]
	e.applicant = auth.Principal{Kind: auth.KindApplicant, Subject: e.person.Subject, PersonalIDHash: e.keys.BlindIndex(auth.PurposePersonalID, e.person.PersonalID)}
	return e
}

func (e *ixEngine) set(t time.Time) { e.now.Store(&t) }

func ixOfficer(unit, role string) auth.Principal {
	return auth.Principal{Kind: auth.KindOfficer, Subject: unit + "." + role, Roles: []auth.RoleAssignment{{Role: role, Unit: unit}}}
}

// file submits a household-business registration (HKD.01: 3 working days, fee, paper and
// electronic result) at the commune, at the desk or online, its document digitized or not.
func (e *ixEngine) file(online, digitized bool) app.View {
	e.t.Helper()
	ctx := context.Background()
	filer, channel := ixOfficer(ixUnit, auth.RoleDesk), "desk"
	if online {
		filer, channel = e.applicant, "online"
	}
	st, err := e.a.UploadFile(ctx, filer, "gdn.pdf", strings.NewReader("%PDF-1.4\n% giấy đề nghị\n%%EOF\n"))
	if err != nil {
		e.t.Fatalf("upload: %v", err)
	}
	form, _ := json.Marshal(map[string]any{"nguoi_nop_ho_ten": e.person.Name, "nguoi_nop_so_dinh_danh": e.person.PersonalID, "nguoi_nop_dien_thoai": "0987654321",
		"ten_ho_kinh_doanh": "Hộ kinh doanh Bình An", "dia_diem_kinh_doanh": "Xóm 1", "nganh_nghe": "Bán lẻ", "von_kinh_doanh": 1000000})
	v, _, err := e.a.Submit(ctx, filer, app.SubmitInput{Procedure: "HKD.01", Channel: channel, Authority: ixUnit, Form: form,
		Documents: []dossier.Document{{Component: "GDN", Name: "gdn.pdf", Hash: st.Hash, MediaType: st.MediaType, Size: st.Size, Digitized: digitized}}}, "")
	if err != nil {
		e.t.Fatalf("submit: %v", err)
	}
	return v
}

// act runs an action at time at.
func (e *ixEngine) act(at time.Time, p auth.Principal, id, action string, body any) app.View {
	e.t.Helper()
	e.set(at)
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	v, err := e.a.Act(context.Background(), p, id, action, b, nil)
	if err != nil {
		e.t.Fatalf("%s at %s: %v", action, at, err)
	}
	return v
}

// receive files a dossier at at and receives and forwards it at once.
func (e *ixEngine) receive(at time.Time, online, digitized bool) app.View {
	e.t.Helper()
	e.set(at)
	v := e.file(online, digitized)
	e.act(at, ixOfficer(ixUnit, auth.RoleDesk), v.ID, "receive", nil)
	return e.act(at, ixOfficer(ixUnit, auth.RoleDesk), v.ID, "forward", nil)
}

// finish approves at processed, issues the result (electronic or paper only) and hands it
// back at returned.
func (e *ixEngine) finish(v app.View, processed, returned time.Time, electronic bool) app.View {
	e.t.Helper()
	leader := ixOfficer(ixUnit, auth.RoleLeader)
	e.act(processed, leader, v.ID, "approve", map[string]any{"note": "Đồng ý"})
	e.act(processed, leader, v.ID, "issue-result", map[string]any{"documents": []map[string]any{{"name": "Giấy chứng nhận đăng ký hộ kinh doanh", "electronic": electronic}}})
	method := "desk"
	if electronic && v.Channel == dossier.ChannelOnline {
		method = "electronic"
	}
	return e.act(returned, ixOfficer(ixUnit, auth.RoleDesk), v.ID, "return-result", map[string]any{"method": method})
}

func ixIndicator(t *testing.T, rep index.Report, id string) index.IndicatorResult {
	t.Helper()
	for _, g := range rep.Groups {
		for _, ind := range g.Indicators {
			if ind.ID == id {
				return ind
			}
		}
	}
	t.Fatalf("indicator %s not in the report", id)
	return index.IndicatorResult{}
}

func fptr(f float64) *float64 { return &f }

// TestIndexThroughTheEngine: eight dossiers of one commune in October 2026, each handled to
// exercise one rule, then the month's index and drill-down:
//
//	early      desk, processed at once                                  early
//	ontime     desk, processed an hour before due, handed back 2 days late  on time (processed first)
//	late       desk, not digitized, processed a day after due           late
//	supplement online, supplement asked in processing and brought 10 days later; processed
//	           after the first due date, before the one restarted from the supplement  on time
//	suspended  desk, suspended 7 days; processed after the first due date, within the moved one  on time
//	overdue    online, received 26 Oct, still open on 31 Oct, due before  overdue
//	open       desk, received 29 Oct, due in November                   in progress on time
//	paper      online, processed at once with a paper result only       early
//
// 2.1 = on time / handled = 6/8 = 75% → 15 points; 3.3 = online counted / received = 2/8
// (supplement has an e-result, overdue is open; paper needed a paper result and got no
// electronic one) = 25%, full at 50% → 3 points; 4.2 = digitized / received = 7/8 = 87.5% →
// 3.5 points.
func TestIndexThroughTheEngine(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newIxEngine(t, s)
		ctx := context.Background()
		day := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, calendar.VN) }
		hour := time.Hour
		ids := map[string]string{}

		early := e.receive(day(5, 8), false, true)
		e.finish(early, day(5, 10), day(5, 11), true)
		ids[early.ID] = "early"

		ontime := e.receive(day(5, 8), false, true)
		e.finish(ontime, ontime.DueAt.Add(-hour), ontime.DueAt.Add(48*hour), true)
		ids[ontime.ID] = "ontime"

		late := e.receive(day(5, 8), false, false)
		e.finish(late, late.DueAt.Add(24*hour), late.DueAt.Add(25*hour), true)
		ids[late.ID] = "late"

		sup := e.receive(day(5, 8), true, true)
		firstDue := sup.DueAt
		e.act(day(5, 9), ixOfficer(ixUnit, auth.RoleDesk), sup.ID, "request-supplement", map[string]any{"components": []string{"GDN"}, "reason": "Cần bản có chứng thực"})
		e.set(day(15, 8))
		doc, err := e.a.UploadFile(ctx, e.applicant, "gdn2.pdf", strings.NewReader("%PDF-1.4\n% bổ sung\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		sup = e.act(day(15, 8), e.applicant, sup.ID, "supplement", map[string]any{"documents": []map[string]any{{"component": "GDN", "name": "gdn2.pdf", "hash": doc.Hash, "digitized": true}}})
		if !sup.DueAt.After(day(15, 8)) || !sup.DueAt.Add(-hour).After(firstDue.Add(5*24*hour)) {
			t.Fatalf("supplement: due %s (first due %s): the clock did not restart at the supplement", sup.DueAt, firstDue)
		}
		e.finish(sup, sup.DueAt.Add(-hour), sup.DueAt, true)
		ids[sup.ID] = "supplement"

		susp := e.receive(day(5, 8), false, true)
		firstDue = susp.DueAt
		e.act(day(5, 9), ixOfficer(ixUnit, auth.RoleSpecialist), susp.ID, "suspend", map[string]any{"reason": "Chờ kết quả xác minh của cơ quan liên quan"})
		susp = e.act(day(12, 9), ixOfficer(ixUnit, auth.RoleSpecialist), susp.ID, "resume", map[string]any{"note": "Đã có kết quả xác minh"})
		if !susp.DueAt.Add(-hour).After(firstDue.Add(24 * hour)) {
			t.Fatalf("suspension: due %s (first due %s): the suspended time was not excluded", susp.DueAt, firstDue)
		}
		e.finish(susp, susp.DueAt.Add(-hour), susp.DueAt, true)
		ids[susp.ID] = "suspended"

		overdue := e.receive(day(26, 8), true, true)
		if !overdue.DueAt.Before(day(31, 23)) {
			t.Fatalf("overdue: due %s, want before the end of October", overdue.DueAt)
		}
		ids[overdue.ID] = "overdue"

		open := e.receive(day(29, 8), false, true)
		if !open.DueAt.After(day(31, 23)) {
			t.Fatalf("open: due %s, want after the end of October", open.DueAt)
		}
		ids[open.ID] = "open"

		paper := e.receive(day(5, 8), true, true)
		e.finish(paper, day(5, 10), day(5, 11), false)
		ids[paper.ID] = "paper"

		october, _ := index.Month(2026, time.October)
		e.set(time.Date(2026, 11, 20, 8, 0, 0, 0, calendar.VN))
		rep, err := e.a.Index(ctx, auth.Principal{Kind: auth.KindPublic}, ixUnit, october)
		if err != nil {
			t.Fatal(err)
		}
		type figure struct {
			Num, Den int64
			Rate     *float64
			Points   *float64
		}
		got := map[string]figure{}
		want := map[string]figure{
			"2.1": {6, 8, fptr(75), fptr(15)},
			"3.3": {2, 8, fptr(25), fptr(3)},
			"4.2": {7, 8, fptr(87.5), fptr(3.5)},
		}
		for id := range want {
			ind := ixIndicator(t, rep, id)
			got[id] = figure{ind.Numerator, ind.Denominator, ind.Rate, ind.Points}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("indicators (-want +got):\n%s", diff)
		}
		sum := rep.Summary
		if sum.Received != 8 || sum.FinishedEarly != 2 || sum.FinishedOnTime != 3 || sum.FinishedLate != 1 || sum.OpenOnTime != 1 || sum.OpenOverdue != 1 {
			t.Errorf("summary %+v", sum)
		}

		// The drill-down judges each dossier as the figures did.
		drill, err := e.a.IndexDrill(ctx, ixOfficer(ixUnit, auth.RoleLeader), ixUnit, october, "2.1")
		if err != nil {
			t.Fatal(err)
		}
		verdicts := map[string]string{}
		for _, it := range drill.Denominator {
			verdicts[ids[it.ID]] = it.Verdict
		}
		wantVerdicts := map[string]string{"early": "early", "ontime": "on_time", "late": "late", "supplement": "on_time",
			"suspended": "on_time", "overdue": "overdue", "open": "in_progress_on_time", "paper": "early"}
		if diff := cmp.Diff(wantVerdicts, verdicts); diff != "" {
			t.Errorf("verdicts (-want +got):\n%s", diff)
		}
		var onTime []string
		for _, it := range drill.Numerator {
			onTime = append(onTime, ids[it.ID])
		}
		if len(onTime) != 6 || len(drill.Denominator) != 8 {
			t.Errorf("drill 2.1: numerator %v, %d in the denominator", onTime, len(drill.Denominator))
		}
		drill, err = e.a.IndexDrill(ctx, ixOfficer(ixUnit, auth.RoleLeader), ixUnit, october, "3.3")
		if err != nil {
			t.Fatal(err)
		}
		var online []string
		for _, it := range drill.Numerator {
			online = append(online, ids[it.ID])
		}
		if diff := cmp.Diff([]string{"supplement", "overdue"}, online); diff != "" {
			t.Errorf("drill 3.3 numerator (-want +got):\n%s", diff)
		}

		// Judged at the end of September nothing was received; at the end of the 27th the
		// overdue dossier was still within time.
		to27, _ := index.Custom(index.NewDate(2026, 10, 1), index.NewDate(2026, 10, 27))
		rep, err = e.a.Index(ctx, auth.Principal{Kind: auth.KindPublic}, ixUnit, to27)
		if err != nil {
			t.Fatal(err)
		}
		if s := rep.Summary; s.Received != 7 || s.OpenOnTime != 1 || s.OpenOverdue != 0 {
			t.Errorf("1-27 October: summary %+v, want 7 received, 1 open on time, none overdue", s)
		}
	})
}

// TestIndexZeroDenominator: a unit without dossiers in the period has N/A dossier indicators:
// 2.1 and 4.2 not scored (no rate, no points), 5.3 zero points ("0 if no dossiers"), and the
// maximum total lacks the unscored indicators.
func TestIndexZeroDenominator(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	e := newIxEngine(t, s)
	october, _ := index.Month(2026, time.October)
	rep, err := e.a.Index(context.Background(), auth.Principal{Kind: auth.KindPublic}, "xa-dai-phuc", october)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"2.1", "3.3", "4.2"} {
		ind := ixIndicator(t, rep, id)
		if ind.Denominator != 0 || ind.Rate != nil || ind.Points != nil {
			t.Errorf("%s: %d/%d rate %v points %v, want N/A", id, ind.Numerator, ind.Denominator, ind.Rate, ind.Points)
		}
	}
	if ind := ixIndicator(t, rep, "5.3"); ind.Rate != nil || ind.Points == nil || *ind.Points != 0 {
		t.Errorf("5.3: rate %v points %v, want N/A and 0 points", ind.Rate, ind.Points)
	}
	if rep.MaxTotal >= 100 {
		t.Errorf("max total %v: unscored indicators must not count", rep.MaxTotal)
	}
}

// TestIndexAuthorization: the index is public; its drill-down is for staff of the unit or a
// unit above it, inspectors and administrators; anybody else, and an unknown unit, get "not
// found", as for a dossier out of scope.
func TestIndexAuthorization(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	e := newIxEngine(t, s)
	ctx := context.Background()
	october, _ := index.Month(2026, time.October)
	dir, err := e.a.Directory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	province := dir.Province().Key
	for _, p := range []auth.Principal{{Kind: auth.KindPublic}, e.applicant, ixOfficer("xa-dai-phuc", auth.RoleDesk)} {
		if _, err := e.a.Index(ctx, p, ixUnit, october); err != nil {
			t.Errorf("index as %s %q: %v", p.Kind, p.Subject, err)
		}
	}
	if _, err := e.a.Index(ctx, auth.Principal{Kind: auth.KindPublic}, "no-such-unit", october); app.KindOf(err) != app.KindNotFound {
		t.Errorf("index of an unknown unit: %v, want not found", err)
	}
	cases := []struct {
		name string
		p    auth.Principal
		unit string
		ok   bool
	}{
		{"desk of the unit", ixOfficer(ixUnit, auth.RoleDesk), ixUnit, true},
		{"leader of the unit", ixOfficer(ixUnit, auth.RoleLeader), ixUnit, true},
		{"staff of the province", ixOfficer(province, auth.RoleLeader), ixUnit, true},
		{"inspector", auth.Principal{Kind: auth.KindOfficer, Subject: "inspector", Roles: []auth.RoleAssignment{{Role: auth.RoleInspector, Unit: province}}}, ixUnit, true},
		{"administrator", auth.Principal{Kind: auth.KindOfficer, Subject: "admin", Roles: []auth.RoleAssignment{{Role: auth.RoleAdmin, Unit: province}}}, ixUnit, true},
		{"staff of another commune", ixOfficer("xa-dai-phuc", auth.RoleLeader), ixUnit, false},
		{"commune staff for the province", ixOfficer(ixUnit, auth.RoleLeader), province, false},
		{"applicant", e.applicant, ixUnit, false},
		{"anonymous", auth.Principal{Kind: auth.KindPublic}, ixUnit, false},
		{"unknown unit", ixOfficer(ixUnit, auth.RoleLeader), "no-such-unit", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.a.IndexDrill(ctx, c.p, c.unit, october, "2.1")
			switch {
			case c.ok && err != nil:
				t.Errorf("drill: %v", err)
			case !c.ok && app.KindOf(err) != app.KindNotFound:
				t.Errorf("drill: %v, want not found", err)
			}
		})
	}
	if _, err := e.a.IndexDrill(ctx, ixOfficer(ixUnit, auth.RoleLeader), ixUnit, october, "1.1"); app.KindOf(err) != app.KindInvalid {
		t.Errorf("drill of an indicator that counts procedures: %v, want invalid", err)
	}
}

// TestIndexSettings: the settings an index reads (index.payment_integrated, .certified_copies,
// .population_data), read with the rollups in one statement, change 3.4, 4.3 and 4.6 of the
// index and of the ranking alike; without them 3.4 counts no integrated procedure, 4.3 is not
// scored and 4.6 counts the procedures offered fully online.
func TestIndexSettings(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newIxEngine(t, s)
		pub := auth.Principal{Kind: auth.KindPublic}
		year, _ := index.Year(2026)
		report := func(name string) (i34, i43, i46 index.IndicatorResult) {
			t.Helper()
			rep, err := e.a.Index(ctx, pub, ixUnit, year)
			if err != nil {
				t.Fatal(err)
			}
			ranks, err := e.a.IndexRanking(ctx, pub, app.RankCommunes, year)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range ranks {
				if r.Unit == ixUnit && r.Total != rep.Total {
					t.Errorf("%s: ranking total %v, index total %v", name, r.Total, rep.Total)
				}
			}
			i34, i43, i46 = ixIndicator(t, rep, "3.4"), ixIndicator(t, rep, "4.3"), ixIndicator(t, rep, "4.6")
			if i34.Denominator == 0 || i46.Denominator == 0 {
				t.Fatalf("%s: 3.4 %d/%d, 4.6 %d/%d: the commune must have fee-bearing procedures", name, i34.Numerator, i34.Denominator, i46.Numerator, i46.Denominator)
			}
			return i34, i43, i46
		}
		var full int64
		file, err := catalog.Parse(seed.Procedures())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range file.Procedures {
			if p.Level == catalog.LevelCommune && p.OnlineLevel == catalog.OnlineFull {
				full++
			}
		}
		i34, i43, i46 := report("defaults")
		if i34.Numerator != 0 || i43.Points != nil || i46.Numerator != full || full == 0 {
			t.Errorf("defaults: 3.4 %d/%d, 4.3 points %v, 4.6 %d/%d; want 0 integrated, 4.3 not scored, the %d fully online",
				i34.Numerator, i34.Denominator, i43.Points, i46.Numerator, i46.Denominator, full)
		}
		now := time.Date(2026, 10, 5, 8, 0, 0, 0, time.UTC)
		for k, v := range map[string]string{"index.payment_integrated": "*", "index.certified_copies": ixUnit, "index.population_data": "none-of-them"} {
			if err := s.SetSetting(ctx, k, v, now); err != nil {
				t.Fatal(err)
			}
		}
		i34, i43, i46 = report("configured")
		if i34.Numerator != i34.Denominator || i43.Points == nil || *i43.Points != 2 || i46.Numerator != 0 {
			t.Errorf("configured: 3.4 %d/%d, 4.3 points %v, 4.6 %d/%d; want all integrated, 4.3 full (2), none with population data",
				i34.Numerator, i34.Denominator, i43.Points, i46.Numerator, i46.Denominator)
		}
	})
}
