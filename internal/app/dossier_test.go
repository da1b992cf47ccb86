package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// engine is a seeded application over a store, with a fixed clock on a working morning.
func engine(t *testing.T, s *store.Store) (*app.App, *atomic.Pointer[time.Time]) {
	t.Helper()
	var now atomic.Pointer[time.Time]
	start := time.Date(2026, 11, 2, 8, 0, 0, 0, calendar.VN)
	now.Store(&start)
	a, err := app.New(s, app.Options{Now: func() time.Time { return *now.Load() }, Keyring: auth.GenerateKeyring(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
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
	return a, &now
}

// deskOf is a desk officer's principal (roles as the store would load them).
func deskOf(unit string) auth.Principal {
	return auth.Principal{Kind: auth.KindOfficer, Subject: unit + ".desk", Roles: []auth.RoleAssignment{{Role: auth.RoleDesk, Unit: unit}}}
}

// counterDossier files a counter dossier of 2.000815 (certified copies, commune level) at a
// commune desk, complete so that it can be received.
func counterDossier(t testing.TB, a *app.App, unit string, n int) app.View {
	t.Helper()
	form, _ := json.Marshal(map[string]any{
		"nguoi_nop_ho_ten": "Trần Thị Bình", "nguoi_nop_so_dinh_danh": "019192004567", "nguoi_nop_dien_thoai": "0987654321",
		"ten_giay_to": "Bằng tốt nghiệp " + strconv.Itoa(n), "so_trang": 2, "so_ban": 1,
	})
	var docs []dossier.Document
	for _, comp := range []string{"BC", "BS"} {
		st, err := a.UploadFile(context.Background(), deskOf(unit), strings.ToLower(comp)+".pdf", strings.NewReader("%PDF-1.4\n% "+comp+"\n%%EOF\n"))
		if err != nil {
			t.Fatalf("upload: %v", err)
		}
		docs = append(docs, dossier.Document{Component: comp, Name: st.Name, Hash: st.Hash, MediaType: st.MediaType, Size: st.Size, Digitized: true})
	}
	v, _, err := a.Submit(context.Background(), deskOf(unit), app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: form,
		Documents: docs}, "")
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return v
}

// TestConcurrentActionsOneWinner: 50 officers act on the same version of one dossier at once;
// exactly one command is applied, every other caller gets the stale-version error, and the
// dossier's history has no lost or duplicated event.
func TestConcurrentActionsOneWinner(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		a, _ := engine(t, s)
		ctx := context.Background()
		v := counterDossier(t, a, "xa-tan-cuong", 1)
		desk := deskOf("xa-tan-cuong")
		var wins, stale atomic.Int64
		var wg sync.WaitGroup
		version := v.Version
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := a.Act(ctx, desk, v.ID, "receive", nil, &version)
				switch {
				case err == nil:
					wins.Add(1)
				case app.KindOf(err) == app.KindStale:
					stale.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 || stale.Load() != 49 {
			t.Fatalf("wins %d, stale %d; want 1 and 49", wins.Load(), stale.Load())
		}
		evs, err := s.DossierEvents(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[1].Type != "received" {
			t.Fatalf("events %d", len(evs))
		}
		// Without If-Match, concurrent commands are serialized: each is decided on the state
		// left by the previous one, and none is lost.
		var assigned atomic.Int64
		leader := auth.Principal{Kind: auth.KindOfficer, Subject: "xa-tan-cuong.leader", Roles: []auth.RoleAssignment{{Role: auth.RoleLeader, Unit: "xa-tan-cuong"}}}
		if _, err := a.Act(ctx, desk, v.ID, "forward", nil, nil); err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Appendf(nil, `{"to":"xa-tan-cuong.specialist-%d"}`, i)
				if _, err := a.Act(ctx, leader, v.ID, "assign", body, nil); err != nil {
					t.Errorf("assign %d: %v", i, err)
					return
				}
				assigned.Add(1)
			}()
		}
		wg.Wait()
		evs, _ = s.DossierEvents(ctx, v.ID)
		if got := len(evs); got != 3+int(assigned.Load()) || assigned.Load() != 20 {
			t.Fatalf("%d events after %d assignments", got, assigned.Load())
		}
		if _, err := s.VerifyChains(ctx, nil); err != nil {
			t.Fatal(err)
		}
	})
}

// TestConcurrentReceptionsGapFreeCodes: receptions on many goroutines at once produce unique,
// gap-free daily codes per authority, on both engines. MOTCUA_RECEPTIONS sets the count
// (default 2,000; the 10,000 is `MOTCUA_RECEPTIONS=10000 go test -run Receptions`).
func TestConcurrentReceptionsGapFreeCodes(t *testing.T) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_RECEPTIONS")); err == nil && v > 0 {
		n = v
	}
	if testing.Short() {
		n = 200
	}
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		a, _ := engine(t, s)
		ctx := context.Background()
		units := []string{"xa-tan-cuong", "xa-dai-phuc"}
		ids := make([]string, n)
		for i := range n {
			ids[i] = counterDossier(t, a, units[i%2], i).ID
		}
		codes := make([]string, n)
		var wg sync.WaitGroup
		work := make(chan int)
		for range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					v, err := a.Act(ctx, deskOf(units[i%2]), ids[i], "receive", nil, nil)
					if err != nil {
						t.Errorf("receive %d: %v", i, err)
						continue
					}
					codes[i] = v.Code
				}
			}()
		}
		for i := range n {
			work <- i
		}
		close(work)
		wg.Wait()
		seqs := map[string][]bool{}
		for i, c := range codes {
			ident, day, seq, err := dossier.ParseCode(c)
			if err != nil {
				t.Fatalf("code %d %q: %v", i, c, err)
			}
			key := ident + "/" + day.String()
			if seqs[key] == nil {
				seqs[key] = make([]bool, n+1)
			}
			if seq < 1 || seq > int64(n) || seqs[key][seq] {
				t.Fatalf("code %s out of range or duplicated", c)
			}
			seqs[key][seq] = true
		}
		if len(seqs) != 2 {
			t.Fatalf("%d authority-days, want 2: %v", len(seqs), keys(seqs))
		}
		for key, seen := range seqs {
			count := 0
			for _, ok := range seen {
				if ok {
					count++
				}
			}
			for s := 1; s <= count; s++ {
				if !seen[s] {
					t.Fatalf("%s: gap at %d (of %d)", key, s, count)
				}
			}
			if count != n/2 {
				t.Fatalf("%s: %d codes, want %d", key, count, n/2)
			}
		}
	})
}

func keys[V any](m map[string]V) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return strings.Join(out, ", ")
}

// TestBadSubmissionsWriteNothing: each bad input is a clear 4xx-kind error and leaves no row.
func TestBadSubmissionsWriteNothing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		a, _ := engine(t, s)
		ctx := context.Background()
		desk := deskOf("xa-tan-cuong")
		good := map[string]any{"nguoi_nop_ho_ten": "Trần Thị Bình", "nguoi_nop_so_dinh_danh": "019192004567", "nguoi_nop_dien_thoai": "0987654321", "ten_giay_to": "Bằng", "so_trang": 2, "so_ban": 1}
		with := func(k string, v any) json.RawMessage {
			m := map[string]any{}
			for kk, vv := range good {
				m[kk] = vv
			}
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
			b, _ := json.Marshal(m)
			return b
		}
		cases := []struct {
			name  string
			p     auth.Principal
			in    app.SubmitInput
			kind  app.Kind
			field string
		}{
			{"unknown procedure", desk, app.SubmitInput{Procedure: "KHONG.CO", Channel: "desk", Form: with("", nil)}, app.KindInvalid, "procedure"},
			{"missing required field", desk, app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: with("ten_giay_to", nil)}, app.KindInvalid, "ten_giay_to"},
			{"wrong type", desk, app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: with("so_trang", "hai")}, app.KindInvalid, "so_trang"},
			{"bad personal id", desk, app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: with("nguoi_nop_so_dinh_danh", "123")}, app.KindInvalid, ""},
			{"form not an object", desk, app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: json.RawMessage(`[1,2]`)}, app.KindInvalid, "form"},
			{"bad channel", desk, app.SubmitInput{Procedure: "2.000815", Channel: "fax", Form: with("", nil)}, app.KindInvalid, "channel"},
			{"officer submits online", desk, app.SubmitInput{Procedure: "2.000815", Channel: "online", Form: with("", nil)}, app.KindInvalid, "channel"},
			{"commune procedure at the province without authority", deskOf("ttpvhcc"), app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: with("", nil)}, app.KindInvalid, "authority"},
			{"unknown authority", desk, app.SubmitInput{Procedure: "2.000815", Channel: "desk", Authority: "xa-khong-co", Form: with("", nil)}, app.KindInvalid, "authority"},
			{"document never uploaded", desk, app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: with("", nil), Documents: []dossier.Document{{Component: "BS", Name: "x.pdf", Hash: strings.Repeat("a", 64)}}}, app.KindInvalid, "documents"},
			{"not a desk officer", auth.Principal{Kind: auth.KindOfficer, Subject: "so-tu-phap.specialist", Roles: []auth.RoleAssignment{{Role: auth.RoleSpecialist, Unit: "so-tu-phap"}}}, app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: with("", nil)}, app.KindForbidden, ""},
			{"anonymous", app.Public, app.SubmitInput{Procedure: "2.000815", Channel: "online", Form: with("", nil)}, app.KindUnauthenticated, ""},
		}
		for _, c := range cases {
			_, _, err := a.Submit(ctx, c.p, c.in, "")
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Kind != c.kind {
				t.Errorf("%s: %v, want kind %d", c.name, err, c.kind)
				continue
			}
			if ae.MessageVI == "" || ae.MessageEN == "" {
				t.Errorf("%s: messages missing: %+v", c.name, ae)
			}
			if c.field != "" && ae.Fields[c.field] == "" {
				t.Errorf("%s: no message for field %s: %v", c.name, c.field, ae.Fields)
			}
		}
		if n, _ := s.QueryIntForTest(ctx, "SELECT COUNT(*) FROM dossiers"); n != 0 {
			t.Fatalf("%d dossiers written by bad submissions", n)
		}
		if n, _ := s.QueryIntForTest(ctx, "SELECT COUNT(*) FROM dossier_events"); n != 0 {
			t.Fatalf("%d events written by bad submissions", n)
		}
	})
}

// TestSeedDemoDossiers: the demo's dossiers reach every state the engine stores, at the
// provincial center and two communes, and their history verifies.
func TestSeedDemoDossiers(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	a, now := engine(t, s)
	real := time.Date(2026, 11, 26, 9, 0, 0, 0, calendar.VN)
	now.Store(&real)
	ctx := context.Background()
	n, err := a.SeedDemoDossiers(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != 33 {
		t.Fatalf("%d demo dossiers, want 33", n)
	}
	for _, unit := range []string{"ttpvhcc", "xa-tan-cuong", "xa-dai-phuc"} {
		seen := map[string]int{}
		rows, _, err := s.Dossiers(ctx, store.DossierFilter{Scope: auth.DossierScope{Desks: []string{unit}}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			seen[r.State]++
		}
		for _, st := range dossier.States {
			if st == dossier.Draft {
				continue
			}
			if seen[string(st)] == 0 {
				t.Errorf("%s: no dossier in state %s (%v)", unit, st, seen)
			}
		}
	}
	if _, err := s.VerifyChains(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

// TestFileReferencesNeedTheUploader: a document may refer by hash only to a file its sender
// uploaded (or one the dossier already holds). Knowing the hash of another desk's upload is
// not enough to submit it, nor to bring it as a supplement, and nothing is written then.
func TestFileReferencesNeedTheUploader(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		a, _ := engine(t, s)
		ctx := context.Background()
		owner, other := deskOf("xa-tan-cuong"), deskOf("xa-dai-phuc")
		secret := "%PDF-1.4\n% giấy tờ riêng của người khác\n%%EOF\n"
		theirs, err := a.UploadFile(ctx, owner, "rieng.pdf", strings.NewReader(secret))
		if err != nil {
			t.Fatal(err)
		}
		form, _ := json.Marshal(map[string]any{
			"nguoi_nop_ho_ten": "Lê Văn Cường", "nguoi_nop_so_dinh_danh": "019192004568", "nguoi_nop_dien_thoai": "0987654322",
			"ten_giay_to": "Bằng tốt nghiệp", "so_trang": 2, "so_ban": 1,
		})
		doc := func(comp string, hash string) dossier.Document {
			return dossier.Document{Component: comp, Name: "x.pdf", Hash: hash, MediaType: "application/pdf", Digitized: true}
		}
		own, err := a.UploadFile(ctx, other, "bs.pdf", strings.NewReader("%PDF-1.4\n% bản sao\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		count := func() int {
			_, n, err := s.Dossiers(ctx, store.DossierFilter{Scope: auth.DossierScope{All: true}})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		submit := func(docs ...dossier.Document) (app.View, error) {
			v, _, err := a.Submit(ctx, other, app.SubmitInput{Procedure: "2.000815", Channel: "desk", Form: form, Documents: docs}, "")
			return v, err
		}
		before := count()
		for name, docs := range map[string][]dossier.Document{
			"another desk's upload": {doc("BC", theirs.Hash), doc("BS", own.Hash)},
			"a hash never uploaded": {doc("BC", strings.Repeat("ab", 32)), doc("BS", own.Hash)},
			"no file at all":        {doc("BC", ""), doc("BS", own.Hash)},
		} {
			if _, err := submit(docs...); app.KindOf(err) != app.KindInvalid {
				t.Fatalf("%s: submit gave %v, want an invalid-input refusal", name, err)
			}
		}
		if n := count(); n != before {
			t.Fatalf("refused submissions wrote %d dossiers", n-before)
		}
		// Uploading the same content makes it this desk's file too.
		mine, err := a.UploadFile(ctx, other, "rieng.pdf", strings.NewReader(secret))
		if err != nil || mine.Hash != theirs.Hash {
			t.Fatalf("upload again: %v, hash %s want %s", err, mine.Hash, theirs.Hash)
		}
		v, err := submit(doc("BC", mine.Hash), doc("BS", own.Hash))
		if err != nil {
			t.Fatalf("submit own uploads: %v", err)
		}

		if v.ID == "" {
			t.Fatal("no dossier")
		}
	})
}

// TestSupplementFileReferencesNeedTheUploader: a supplement is held to the same rule as a
// submission; a refused one changes nothing.
func TestSupplementFileReferencesNeedTheUploader(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newIxEngine(t, s)
		ctx := context.Background()
		v := e.file(true, true) // online, by the applicant
		r := e.act(e.now.Load().Add(time.Hour), ixOfficer(ixUnit, auth.RoleDesk), v.ID, "request-supplement", map[string]any{"components": []string{"GDN"}, "reason": "Cần bản có chứng thực"})
		foreign, err := e.a.UploadFile(ctx, ixOfficer(ixUnit, auth.RoleDesk), "khac.pdf", strings.NewReader("%PDF-1.4\n% tài liệu của cán bộ\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		sup := func(hash string) error {
			b, _ := json.Marshal(map[string]any{"documents": []map[string]any{{"component": "GDN", "name": "gdn2.pdf", "hash": hash, "digitized": true}}})
			_, err := e.a.Act(ctx, e.applicant, v.ID, "supplement", b, nil)
			return err
		}
		if err := sup(foreign.Hash); app.KindOf(err) != app.KindInvalid {
			t.Fatalf("supplement with a file uploaded by someone else gave %v, want an invalid-input refusal", err)
		}
		if cur, err := s.Dossier(ctx, v.ID); err != nil || cur.Version != r.Version {
			t.Fatalf("a refused supplement changed the dossier: version %d, want %d (%v)", cur.Version, r.Version, err)
		}
		mine, err := e.a.UploadFile(ctx, e.applicant, "gdn2.pdf", strings.NewReader("%PDF-1.4\n% bổ sung\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		if err := sup(mine.Hash); err != nil {
			t.Fatalf("supplement with the applicant's own upload: %v", err)
		}
	})
}
