package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/audit"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// t0 is a fixed instant with microseconds (PostgreSQL's precision), in Vietnam's zone to check
// that times come back in UTC.
var t0 = time.Date(2026, 11, 26, 9, 30, 0, 123456000, time.FixedZone("ICT", 7*3600))

// row returns a submitted dossier; mod adjusts it.
func row(id string, mod func(*store.DossierRow)) store.DossierRow {
	d := store.DossierRow{
		ID: id, State: "submitted", Version: 1, Procedure: "1.000001", ProcedureVersion: 1,
		Authority: "xa-a", ReceivingUnit: "xa-a", Channel: "online",
		ApplicantIDHash: "h-" + id, ApplicantName: "Nguyễn Văn " + id,
		StepUnits: []string{"xa-a"}, SubmittedAt: t0, UpdatedAt: t0,
		Snapshot: []byte(fmt.Sprintf(`{"id":%q}`, id)),
	}
	if mod != nil {
		mod(&d)
	}
	return d
}

// body returns an event's JSON as the dossier package writes it.
func body(seq int64, typ string, at time.Time, data string) []byte {
	return []byte(fmt.Sprintf(`{"seq":%d,"type":%q,"at":%q,"actor":{"id":"officer"},"data":%s}`, seq, typ, at.Format(time.RFC3339Nano), data))
}

func event(seq int64, typ string, at time.Time) store.NewEvent {
	return store.NewEvent{Seq: seq, Type: typ, At: at, Actor: "officer", Unit: "xa-a", Body: body(seq, typ, at, `{}`)}
}

func insert(t *testing.T, s *store.Store, rows ...store.DossierRow) {
	t.Helper()
	ctx := context.Background()
	for _, d := range rows {
		if err := s.Apply(ctx, newChange(t, d, event(1, "submitted", t0))); err != nil {
			t.Fatalf("insert %s: %v", d.ID, err)
		}
	}
}

func TestContractDossierInsertUpdate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := row("d1", func(d *store.DossierRow) { d.Assignees = []string{"a.b"}; d.OrgCode = "0101" })
		insert(t, s, d)

		got, err := s.Dossier(ctx, "d1")
		if err != nil {
			t.Fatal(err)
		}
		want := d
		want.SubmittedAt, want.UpdatedAt = t0.UTC(), t0.UTC()
		canon, err := audit.CanonicalJSON(event(1, "submitted", t0).Body)
		if err != nil {
			t.Fatal(err)
		}
		want.LastHash = audit.Link(audit.Genesis, 1, canon).Hash
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		if got.SubmittedAt.Location() != time.UTC || !got.ReceivedAt.IsZero() {
			t.Fatalf("times: submitted %v, received %v", got.SubmittedAt, got.ReceivedAt)
		}

		if err := s.Apply(ctx, newChange(t, row("d1", nil), event(1, "submitted", t0))); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate id: %v, want ErrConflict", err)
		}

		// Reception: code, due date, more steps; read inside the transaction by code.
		recv := d
		recv.Version, recv.State, recv.Code = 2, "received", "000.00.50.H55-261126-0001"
		recv.ReceivedAt, recv.DueAt = t0.Add(time.Hour), t0.Add(72*time.Hour)
		recv.StepUnits = []string{"xa-a", "so-tn", "xa-a"}
		recv.Assignees = nil
		err = s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.Apply(ctx, advance(t, got, recv)); err != nil {
				return err
			}
			in, err := tx.Dossier(ctx, recv.Code)
			if err != nil {
				return err
			}
			if in.Version != 2 || in.ID != "d1" {
				return fmt.Errorf("inside the transaction: %+v", in)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		byCode, err := s.Dossier(ctx, recv.Code)
		if err != nil || byCode.ID != "d1" || byCode.State != "received" || !byCode.DueAt.Equal(recv.DueAt) || len(byCode.Assignees) != 0 {
			t.Fatalf("by code: %+v, %v", byCode, err)
		}
		if diff := cmp.Diff([]string{"xa-a", "so-tn", "xa-a"}, byCode.StepUnits); diff != "" {
			t.Fatal(diff)
		}

		// A change decided on version 1 is stale now, and so is one of a dossier that does not
		// exist.
		stale := recv
		stale.Version = 3
		if err := s.Apply(ctx, advance(t, got, stale)); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale update: %v, want ErrStale", err)
		}
		nope := row("nope", func(d *store.DossierRow) { d.LastHash = audit.Genesis })
		if err := s.Apply(ctx, advance(t, nope, row("nope", func(d *store.DossierRow) { d.Version = 2 }))); !errors.Is(err, store.ErrStale) {
			t.Fatalf("unknown dossier: %v, want ErrStale", err)
		}
		// A code is unique: another dossier cannot take it.
		insert(t, s, row("d2", nil))
		d2, err := s.Dossier(ctx, "d2")
		if err != nil {
			t.Fatal(err)
		}
		dup := row("d2", func(d *store.DossierRow) { d.Version, d.Code = 2, recv.Code })
		if err := s.Apply(ctx, advance(t, d2, dup)); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate code: %v, want ErrConflict", err)
		}
		if _, err := s.Dossier(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing: %v", err)
		}
	})
}

func TestContractDossierConcurrentUpdateOneWins(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		insert(t, s, row("d", nil))
		base, err := s.Dossier(ctx, "d")
		if err != nil {
			t.Fatal(err)
		}
		const n = 50
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			next := row("d", func(d *store.DossierRow) {
				d.State, d.ApplicantName, d.Assignees = "received", fmt.Sprint("winner ", i), []string{fmt.Sprint("o", i)}
			})
			c := advance(t, base, next, event(2, "received", t0))
			wg.Go(func() {
				<-start
				errs[i] = s.Apply(ctx, c)
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("two winners: %d and %d", winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, store.ErrStale):
				t.Fatalf("loser %d: %v, want ErrStale", i, err)
			}
		}
		if winner < 0 {
			t.Fatal("no winner")
		}
		got, err := s.Dossier(ctx, "d")
		if err != nil || got.Version != 2 || got.ApplicantName != fmt.Sprint("winner ", winner) {
			t.Fatalf("stored %+v, %v; want the winner %d's row", got, err, winner)
		}
		evs, err := s.DossierEvents(ctx, "d")
		if err != nil || len(evs) != 2 {
			t.Fatalf("events %d, %v; want 2", len(evs), err)
		}
		if n, err := s.QueryIntForTest(ctx, `SELECT COUNT(*) FROM dossier_assignees WHERE dossier_id = 'd'`); err != nil || n != 1 {
			t.Fatalf("assignee rows: %d, %v; want the winner's 1", n, err)
		}
		if _, err := s.VerifyChains(ctx, nil); err != nil {
			t.Fatal(err)
		}
	})
}

func TestContractDossierCodeSequenceGapFree(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const workers, each = 50, 200
		rollback := errors.New("rolled back on purpose")
		got := make([][]int64, workers)
		var wg sync.WaitGroup
		var failed atomic.Value
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					// Every third iteration first takes a number in a transaction that rolls back.
					if i%3 == 0 {
						err := s.InTx(ctx, func(tx *store.Tx) error {
							if _, err := tx.NextDossierSeq(ctx, "000.00.50.H55", "2026-11-26"); err != nil {
								return err
							}
							return rollback
						})
						if !errors.Is(err, rollback) {
							failed.Store(fmt.Errorf("rolled-back tx: %v", err))
							return
						}
					}
					var n int64
					err := s.InTx(ctx, func(tx *store.Tx) error {
						var err error
						n, err = tx.NextDossierSeq(ctx, "000.00.50.H55", "2026-11-26")
						return err
					})
					if err != nil {
						failed.Store(err)
						return
					}
					got[w] = append(got[w], n)
				}
			})
		}
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			t.Fatal(err)
		}
		all := slices.Concat(got...)
		slices.Sort(all)
		if len(all) != workers*each {
			t.Fatalf("%d numbers, want %d", len(all), workers*each)
		}
		for i, n := range all {
			if n != int64(i+1) {
				t.Fatalf("position %d holds %d: the sequence has a gap or a duplicate", i, n)
			}
		}
		last, err := s.QueryIntForTest(ctx, `SELECT last FROM code_sequences WHERE authority = ? AND day = ?`, "000.00.50.H55", "2026-11-26")
		if err != nil || last != workers*each {
			t.Fatalf("stored last %d, %v", last, err)
		}
		// Another day and another authority start their own sequences.
		for _, k := range [][2]string{{"000.00.50.H55", "2026-11-27"}, {"000.00.51.H55", "2026-11-26"}} {
			var n int64
			err := s.InTx(ctx, func(tx *store.Tx) (err error) { n, err = tx.NextDossierSeq(ctx, k[0], k[1]); return err })
			if err != nil || n != 1 {
				t.Fatalf("%v: got %d, %v; want 1", k, n, err)
			}
		}
		if err := s.InTx(ctx, func(tx *store.Tx) error { _, err := tx.NextDossierSeq(ctx, "x", "26-11-2026"); return err }); err == nil {
			t.Fatal("a malformed day was accepted")
		}
	})
}

func TestContractDossierEventChain(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		insert(t, s, row("a", nil), row("b", nil))
		stored := func(id string) store.DossierRow {
			t.Helper()
			r, err := s.Dossier(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		// Nanoseconds in the body: PostgreSQL keeps microseconds in the column, and that is not tampering.
		at := t0.Add(time.Minute + 789*time.Nanosecond)
		a := stored("a")
		first := advance(t, a, a, event(2, "received", at),
			store.NewEvent{Seq: 3, Type: "forwarded", At: at, Actor: "x", Unit: "so-tn", Body: body(3, "forwarded", at, `{"to":"Sở Tư pháp","n":12345678901234567}`)})
		if err := s.Apply(ctx, first); err != nil {
			t.Fatal(err)
		}
		a = stored("a")
		if err := s.Apply(ctx, advance(t, a, a, event(4, "approved", at))); err != nil {
			t.Fatal(err)
		}
		evs, err := s.DossierEvents(ctx, "a")
		if err != nil || len(evs) != 4 {
			t.Fatalf("events %d, %v", len(evs), err)
		}
		prev := audit.Genesis
		for i, e := range evs {
			canon, err := audit.CanonicalJSON(e.Body)
			if err != nil {
				t.Fatal(err)
			}
			if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != audit.Chain(prev, canon) {
				t.Fatalf("event %d: seq %d prev %s hash %s; want prev %s", i, e.Seq, e.PrevHash, e.Hash, prev)
			}
			prev = e.Hash
		}
		if first.Events[1].Hash != evs[2].Hash || evs[2].Unit != "so-tn" || evs[2].Type != "forwarded" {
			t.Fatalf("stored rows differ from the change's: %+v vs %+v", first.Events[1], evs[2])
		}

		// Events that do not continue the stored chain, or whose columns disagree with their
		// body, are refused and nothing is written.
		a = stored("a")
		mismatch := event(5, "approved", at)
		mismatch.Type = "refused"
		for name, ev := range map[string]store.NewEvent{
			"gap":       event(6, "approved", at),
			"repeat":    event(4, "approved", at),
			"from zero": event(0, "approved", at),
			"mismatch":  mismatch,
		} {
			c := advance(t, a, a, ev)
			if err := s.Apply(ctx, c); err == nil {
				t.Errorf("%s: applied", name)
			}
		}
		if n, err := s.QueryIntForTest(ctx, `SELECT COUNT(*) FROM dossier_events WHERE dossier_id = 'a'`); err != nil || n != 4 {
			t.Fatalf("events after the refusals: %d, %v; want 4", n, err)
		}

		var seen []int
		n, err := s.VerifyChains(ctx, func(k int) { seen = append(seen, k) })
		if err != nil || n != 5 || len(seen) == 0 || seen[len(seen)-1] != 5 {
			t.Fatalf("verify: %d events, %v, progress %v; want 5, nil", n, err, seen)
		}
		// A dossier's version is the number of its last event (the engine's invariant).
		if err := s.ExecForTest(ctx, `UPDATE dossiers SET version = 3 WHERE id = 'b'`); err != nil {
			t.Fatal(err)
		}
		var ce0 *store.ChainError
		if _, err := s.VerifyChains(ctx, nil); !errors.As(err, &ce0) || ce0.DossierID != "b" {
			t.Fatalf("a dossier whose version disagrees with its events: %v", err)
		}
		if err := s.ExecForTest(ctx, `UPDATE dossiers SET version = 1 WHERE id = 'b'`); err != nil {
			t.Fatal(err)
		}

		all, err := s.DossierEvents(ctx, "a")
		if err != nil || len(all) == 0 {
			t.Fatalf("events: %d %v", len(all), err)
		}
		last := all[len(all)-1]
		original := string(evs[1].Body)
		tampered := strings.Replace(original, `"officer"`, `"someone else"`, 1)
		cases := []struct {
			name       string
			do, undo   string
			doA, undoA []any
			seq        int64
		}{
			{"body edited", `UPDATE dossier_events SET body = ? WHERE dossier_id = 'a' AND seq = 2`, `UPDATE dossier_events SET body = ? WHERE dossier_id = 'a' AND seq = 2`, []any{tampered}, []any{original}, 2},
			{"type column", `UPDATE dossier_events SET type = 'refused' WHERE dossier_id = 'a' AND seq = 3`, `UPDATE dossier_events SET type = 'forwarded' WHERE dossier_id = 'a' AND seq = 3`, nil, nil, 3},
			{"at column", `UPDATE dossier_events SET at = ? WHERE dossier_id = 'a' AND seq = 4`, `UPDATE dossier_events SET at = ? WHERE dossier_id = 'a' AND seq = 4`, []any{at.Add(time.Hour)}, []any{at}, 4},
			{"hash replaced", `UPDATE dossier_events SET hash = ? WHERE dossier_id = 'a' AND seq = 3`, `UPDATE dossier_events SET hash = ? WHERE dossier_id = 'a' AND seq = 3`, []any{strings.Repeat("0", 64)}, []any{evs[2].Hash}, 3},
			{"event deleted", `DELETE FROM dossier_events WHERE dossier_id = 'a' AND seq = 2`, `INSERT INTO dossier_events (dossier_id, seq, type, at, actor, unit, body, hash, prev_hash) VALUES ('a', 2, ?, ?, ?, ?, ?, ?, ?)`,
				nil, []any{evs[1].Type, evs[1].At, evs[1].Actor, evs[1].Unit, original, evs[1].Hash, evs[1].PrevHash}, 3},
			{"last event deleted", `DELETE FROM dossier_events WHERE dossier_id = 'a' AND seq = 4`, `INSERT INTO dossier_events (dossier_id, seq, type, at, actor, unit, body, hash, prev_hash) VALUES ('a', 4, ?, ?, ?, ?, ?, ?, ?)`,
				nil, []any{last.Type, last.At, last.Actor, last.Unit, string(last.Body), last.Hash, last.PrevHash}, 4},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if err := s.ExecForTest(ctx, c.do, c.doA...); err != nil {
					t.Fatal(err)
				}
				n, err := s.VerifyChains(ctx, nil)
				var ce *store.ChainError
				if !errors.As(err, &ce) || ce.DossierID != "a" || ce.Seq != c.seq {
					t.Fatalf("verify after tampering: %d, %v; want a *ChainError naming a/%d", n, err, c.seq)
				}
				if err := s.ExecForTest(ctx, c.undo, c.undoA...); err != nil {
					t.Fatal(err)
				}
				if _, err := s.VerifyChains(ctx, nil); err != nil {
					t.Fatalf("after undoing: %v", err)
				}
			})
		}
		var be *audit.BrokenError
		_ = s.ExecForTest(ctx, cases[0].do, cases[0].doA...)
		if _, err := s.VerifyChains(ctx, nil); !errors.As(err, &be) || be.Seq != 2 {
			t.Fatalf("an edited body should break the hash: %v", err)
		}
	})
}

// resource is what auth.DossierScope.Matches sees of a stored row.
func resource(d store.DossierRow) auth.Resource {
	return auth.Resource{ApplicantIDHash: d.ApplicantIDHash, OrgCode: d.OrgCode, ReceivingDesk: d.ReceivingUnit,
		Authority: d.Authority, StepUnits: d.StepUnits, State: d.State}
}

func TestContractDossierScopeMatchesPolicy(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rows := []store.DossierRow{
			row("01", func(d *store.DossierRow) { d.State, d.ApplicantIDHash = "draft", "h1" }),
			row("02", func(d *store.DossierRow) { d.ApplicantIDHash = "h1" }),
			row("03", func(d *store.DossierRow) { d.ApplicantIDHash, d.OrgCode = "", "org1" }),
			row("04", func(d *store.DossierRow) { d.State, d.ApplicantIDHash, d.OrgCode = "draft", "", "org1" }),
			row("05", func(d *store.DossierRow) { d.ApplicantIDHash, d.OrgCode = "", "org2" }),
			row("06", func(d *store.DossierRow) {
				d.ReceivingUnit, d.Authority, d.StepUnits = "desk-c", "so-a", []string{"so-a", "so-b"}
			}),
			row("07", func(d *store.DossierRow) {
				d.ReceivingUnit, d.Authority, d.StepUnits = "desk-c", "so-a", []string{"so-a"}
			}),
			row("08", func(d *store.DossierRow) { d.Authority, d.StepUnits = "so-b", nil }),
			row("09", func(d *store.DossierRow) { d.State, d.ReceivingUnit, d.Authority = "draft", "desk-c", "so-b" }),
			row("10", func(d *store.DossierRow) {
				d.State, d.Authority, d.StepUnits = "returned", "xa-b", []string{"xa-b", "so-c"}
			}),
			row("11", func(d *store.DossierRow) {
				d.ReceivingUnit, d.Authority, d.StepUnits = "xa-b", "xa-b", []string{"xa-b"}
			}),
			row("12", func(d *store.DossierRow) { d.ApplicantIDHash, d.StepUnits = "h2", []string{"so-b", "so-c", "xa-a"} }),
		}
		insert(t, s, rows...)
		scopes := map[string]auth.DossierScope{
			"empty":                {},
			"inspector":            {All: true},
			"applicant h1":         {ApplicantIDHash: "h1"},
			"applicant h1 + org1":  {ApplicantIDHash: "h1", OrgCodes: []string{"org1"}},
			"orgs only":            {OrgCodes: []string{"org2", "org9"}},
			"desk desk-c":          {Desks: []string{"desk-c"}},
			"unit so-b (step)":     {Units: []string{"so-b"}},
			"unit so-a":            {Units: []string{"so-a"}},
			"unit so-c":            {Units: []string{"so-c"}},
			"desk + units":         {Desks: []string{"xa-b"}, Units: []string{"so-a", "so-c"}},
			"all + own drafts":     {All: true, ApplicantIDHash: "h1"},
			"unknown everything":   {ApplicantIDHash: "zz", OrgCodes: []string{"zz"}, Desks: []string{"zz"}, Units: []string{"zz"}},
			"officer of xa-a":      auth.ListScope(auth.Principal{Kind: auth.KindOfficer, Subject: "o", Roles: []auth.RoleAssignment{{Role: auth.RoleDesk, Unit: "xa-a"}, {Role: auth.RoleLeader, Unit: "so-c"}}}),
			"applicant via policy": auth.ListScope(auth.Principal{Kind: auth.KindApplicant, Subject: "s", PersonalIDHash: "h2", Orgs: []string{"org2"}}),
		}
		sizes := map[int]bool{}
		for name, sc := range scopes {
			t.Run(name, func(t *testing.T) {
				var want []string
				for _, d := range rows {
					if sc.Matches(resource(d)) {
						want = append(want, d.ID)
					}
				}
				got, total, err := s.Dossiers(ctx, store.DossierFilter{Scope: sc, Limit: 100, Order: "updated"})
				if err != nil {
					t.Fatal(err)
				}
				ids := []string{}
				for _, d := range got {
					ids = append(ids, d.ID)
				}
				sort.Strings(ids)
				if diff := cmp.Diff(append([]string{}, want...), ids); diff != "" || total != len(want) {
					t.Fatalf("SQL scope differs from auth.DossierScope.Matches (-matches +sql), total %d:\n%s", total, diff)
				}
				sizes[len(want)] = true
			})
		}
		// The table is only honest if scopes select different, partial sets.
		if len(sizes) < 5 || !sizes[0] {
			t.Fatalf("scope cases select too few distinct set sizes: %v", sizes)
		}
	})
}

func TestContractDossierFilters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		insert(t, s,
			row("a", func(d *store.DossierRow) {
				d.State, d.Code, d.DueAt, d.UpdatedAt, d.ApplicantName = "in_progress", "000.00.50.H55-261126-0001", day.Add(48*time.Hour), t0.Add(3*time.Hour), "Trần Thị Đào"
				d.Assignees = []string{"so-b.cv1"}
				d.StepUnits = []string{"xa-a", "so-b"}
			}),
			row("b", func(d *store.DossierRow) {
				d.State, d.Code, d.DueAt, d.UpdatedAt, d.Procedure = "received", "000.00.50.H55-261126-0002", day, t0.Add(2*time.Hour), "2.002345"
			}),
			row("c", func(d *store.DossierRow) { d.UpdatedAt = t0.Add(time.Hour); d.ApplicantName = "Lê 100%_x" }),
			row("d", func(d *store.DossierRow) { d.State, d.UpdatedAt = "draft", t0.Add(4*time.Hour) }),
		)
		all := auth.DossierScope{All: true}
		cases := []struct {
			name  string
			f     store.DossierFilter
			want  []string
			total int
		}{
			{"default order: updated, newest first", store.DossierFilter{Scope: all}, []string{"a", "b", "c"}, 3},
			{"due soonest first, undated last", store.DossierFilter{Scope: all, Order: "due"}, []string{"b", "a", "c"}, 3},
			{"states", store.DossierFilter{Scope: all, State: []string{"received", "in_progress"}}, []string{"a", "b"}, 2},
			{"step unit", store.DossierFilter{Scope: all, Unit: "so-b"}, []string{"a"}, 1},
			{"procedure", store.DossierFilter{Scope: all, Procedure: "2.002345"}, []string{"b"}, 1},
			{"code prefix, lower case", store.DossierFilter{Scope: all, Text: "000.00.50.h55-261126-000"}, []string{"a", "b"}, 2},
			{"code is a prefix, not a substring", store.DossierFilter{Scope: all, Text: "261126-0002"}, []string{}, 0},
			{"name without diacritics", store.DossierFilter{Scope: all, Text: "tran thi dao"}, []string{"a"}, 1},
			{"name with other case", store.DossierFilter{Scope: all, Text: "ĐÀO"}, []string{"a"}, 1},
			{"procedure substring", store.DossierFilter{Scope: all, Text: "00234"}, []string{"b"}, 1},
			{"LIKE wildcards are literal", store.DossierFilter{Scope: all, Text: "100%_"}, []string{"c"}, 1},
			{"a lone % matches only a literal %", store.DossierFilter{Scope: all, Text: "%"}, []string{"c"}, 1},
			{"due before", store.DossierFilter{Scope: all, DueBefore: day.Add(time.Hour)}, []string{"b"}, 1},
			{"assignee", store.DossierFilter{Scope: all, Assignee: "so-b.cv1"}, []string{"a"}, 1},
			{"page 2 of 1", store.DossierFilter{Scope: all, Limit: 1, Offset: 1}, []string{"b"}, 3},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, total, err := s.Dossiers(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				ids := []string{}
				for _, d := range got {
					ids = append(ids, d.ID)
				}
				if diff := cmp.Diff(c.want, ids); diff != "" || total != c.total {
					t.Fatalf("total %d, want %d; ids (-want +got):\n%s", total, c.total, diff)
				}
			})
		}
		if _, _, err := s.Dossiers(ctx, store.DossierFilter{Scope: all, Order: "name"}); err == nil {
			t.Fatal("an unknown order was accepted")
		}
		// Reassignment rewrites the side tables.
		a, _ := s.Dossier(ctx, "a")
		next := a
		next.Version, next.Assignees, next.StepUnits = 2, []string{"so-c.cv2"}, []string{"xa-a"}
		if err := s.Apply(ctx, advance(t, a, next)); err != nil {
			t.Fatal(err)
		}
		for _, f := range []store.DossierFilter{{Scope: all, Assignee: "so-b.cv1"}, {Scope: all, Unit: "so-b"}, {Scope: auth.DossierScope{Units: []string{"so-b"}}}} {
			if got, _, _ := s.Dossiers(ctx, f); len(got) != 0 {
				t.Fatalf("%+v still selects %s after the update", f, got[0].ID)
			}
		}
		if got, _, _ := s.Dossiers(ctx, store.DossierFilter{Scope: all, Assignee: "so-c.cv2"}); len(got) != 1 {
			t.Fatalf("new assignee: %d dossiers", len(got))
		}
		// An update that keeps the lists keeps the side tables.
		a, _ = s.Dossier(ctx, "a")
		next = a
		next.Version, next.State = 3, "suspended"
		if err := s.Apply(ctx, advance(t, a, next)); err != nil {
			t.Fatal(err)
		}
		for _, f := range []store.DossierFilter{{Scope: all, Assignee: "so-c.cv2"}, {Scope: auth.DossierScope{Units: []string{"xa-a"}}, State: []string{"suspended"}}} {
			if got, _, _ := s.Dossiers(ctx, f); len(got) != 1 || got[0].ID != "a" {
				t.Fatalf("%+v after an update with the same lists: %d dossiers", f, len(got))
			}
		}
	})
}

func TestContractDossierIdempotency(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		claim := func(scope, key, hash string) (id string, err error) {
			err = s.InTx(ctx, func(tx *store.Tx) error {
				id, err = tx.ClaimIdempotency(ctx, scope, key, hash, t0)
				if err != nil || id != "" {
					return err
				}
				d := row("dos-"+scope+"-"+key, nil)
				if err := tx.Apply(ctx, newChange(t, d, event(1, "submitted", t0))); err != nil {
					return err
				}
				return tx.SetIdempotencyResult(ctx, scope, key, d.ID)
			})
			return id, err
		}
		if id, err := claim("applicant:1", "k1", "body-a"); err != nil || id != "" {
			t.Fatalf("first claim: %q, %v", id, err)
		}
		if id, err := claim("applicant:1", "k1", "body-a"); err != nil || id != "dos-applicant:1-k1" {
			t.Fatalf("same key, same body: %q, %v; want the first dossier", id, err)
		}
		if _, err := claim("applicant:1", "k1", "body-b"); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("same key, other body: %v, want ErrConflict", err)
		}
		if id, err := claim("applicant:2", "k1", "body-b"); err != nil || id != "" {
			t.Fatalf("the key is scoped by principal: %q, %v", id, err)
		}
		// A rolled-back submission releases its key.
		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ClaimIdempotency(ctx, "applicant:1", "k2", "body-a", t0); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if id, err := claim("applicant:1", "k2", "body-c"); err != nil || id != "" {
			t.Fatalf("after rollback: %q, %v", id, err)
		}
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.SetIdempotencyResult(ctx, "x", "never", "d") }); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("result for an unclaimed key: %v", err)
		}
	})
}

func TestContractDossierFiles(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for range 2 {
			if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.PutFile(ctx, "sha256-ab", 1234, "application/pdf", t0) }); err != nil {
				t.Fatal(err)
			}
		}
		f, err := s.File(ctx, "sha256-ab")
		if err != nil || f.Size != 1234 || f.MediaType != "application/pdf" || !f.CreatedAt.Equal(t0) {
			t.Fatalf("file %+v, %v", f, err)
		}
		if _, err := s.File(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown file: %v", err)
		}
	})
}

// BenchmarkTransition measures durable state changes: per operation one transaction that
// updates a dossier (new version), appends one hash-chained event and schedules one job. Every
// client owns a dossier, so no operation fails as stale.
func BenchmarkTransition(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		for _, clients := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("%s/clients=%d", e, clients), func(b *testing.B) {
				benchTransition(b, storetest.Open(b, e), clients)
			})
		}
	}
}

func benchTransition(b *testing.B, s *store.Store, clients int) {
	ctx := context.Background()
	procs := runtime.GOMAXPROCS(0)
	par := (clients + procs - 1) / procs
	n := par * procs
	// A snapshot of a realistic size (personal data already removed).
	snapshot := []byte(`{"id":"x","status":"in_progress","steps":[{"index":0,"unit":"xa-a"},{"index":1,"unit":"so-b"}],"form":{"a":"` + strings.Repeat("x", 1500) + `"}}`)
	mod := func(d *store.DossierRow) {
		d.Snapshot, d.StepUnits, d.Assignees = snapshot, []string{"xa-a", "so-b"}, []string{"so-b.cv1"}
	}
	rows := make([]store.DossierRow, n)
	for i := range n {
		c := newChange(b, row(fmt.Sprint("bench-", i), mod), event(1, "submitted", t0))
		if err := s.Apply(ctx, c); err != nil {
			b.Fatal(err)
		}
		rows[i] = c.Row
	}
	var next atomic.Int64
	b.SetParallelism(par)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		d := rows[next.Add(1)-1]
		for pb.Next() {
			// What the engine does for an assignment: the event linked outside the
			// transaction, then the row, the event and a job written in one.
			to := d
			to.UpdatedAt = t0.Add(time.Duration(d.Version+1) * time.Second)
			evBody, _ := json.Marshal(map[string]any{"seq": d.Version + 1, "type": "assigned", "at": to.UpdatedAt, "actor": map[string]string{"id": "leader"}, "data": map[string]any{"step": 1, "to": "so-b.cv1"}})
			c := advance(b, d, to, store.NewEvent{Seq: d.Version + 1, Type: "assigned", At: to.UpdatedAt, Actor: "leader", Unit: "so-b", Body: evBody})
			c.Jobs = []store.Job{{Kind: "step_due_warning", DossierID: d.ID, RunAt: to.UpdatedAt.Add(24 * time.Hour)}}
			if err := s.Apply(ctx, c); err != nil {
				b.Error(err)
				return
			}
			d = c.Row
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "transitions/s")
	b.ReportMetric(float64(n), "goroutines")
}

// TestContractDossierKeysetPaging: with Order "id" and After, pages follow the primary key; a
// dossier whose due date changes between two pages is seen exactly once (an order by due date
// with an offset would move it to a page already read, or skip another); SkipCount gives -1.
func TestContractDossierKeysetPaging(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var rows []store.DossierRow
		for i := range 25 {
			rows = append(rows, row(fmt.Sprintf("k%02d", i), func(d *store.DossierRow) { d.DueAt = t0.Add(time.Duration(i) * time.Hour) }))
		}
		insert(t, s, rows...)
		all := auth.DossierScope{All: true}
		f := store.DossierFilter{Scope: all, Order: "id", Limit: 10}
		var seen []string
		for page := 0; ; page++ {
			got, total, err := s.Dossiers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if page == 0 && total != 25 {
				t.Fatalf("total %d, want 25", total)
			}
			for _, d := range got {
				seen = append(seen, d.ID)
			}
			if page == 0 {
				// The first dossier becomes due last, the last one first.
				stored, err := s.Dossier(ctx, "k00")
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Apply(ctx, next(t, stored, func(d *store.DossierRow) { d.Version++; d.DueAt = t0.Add(100 * time.Hour) }, event(2, "extended", t0))); err != nil {
					t.Fatal(err)
				}
			}
			if len(got) < f.Limit {
				break
			}
			f.After, f.SkipCount = got[len(got)-1].ID, true
			if page > 5 {
				t.Fatal("paging does not end")
			}
		}
		want := make([]string, 25)
		for i := range want {
			want[i] = fmt.Sprintf("k%02d", i)
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("keyset pages gave %v, want %v", seen, want)
		}
		if _, total, err := s.Dossiers(ctx, store.DossierFilter{Scope: all, Order: "id", After: "k20", SkipCount: true}); err != nil || total != -1 {
			t.Fatalf("SkipCount: total %d, err %v; want -1", total, err)
		}
		if _, _, err := s.Dossiers(ctx, store.DossierFilter{Scope: all, Order: "due", After: "k20"}); err == nil {
			t.Fatal("After with the order by due date was accepted")
		}
	})
}
