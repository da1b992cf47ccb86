package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/audit"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// chain links events the way the application does before it applies a change: from the
// stored row's last hash (audit.Genesis for a new dossier).
func chain(t testing.TB, prev string, evs ...store.NewEvent) []store.NewEvent {
	t.Helper()
	for i := range evs {
		canon, err := audit.CanonicalJSON(evs[i].Body)
		if err != nil {
			t.Fatal(err)
		}
		l := audit.Link(prev, evs[i].Seq, canon)
		evs[i].Hash, evs[i].PrevHash = l.Hash, l.PrevHash
		prev = l.Hash
	}
	return evs
}

// newChange is a new dossier d with its first events, a rollup delta, a job and an outbox
// message per event.
func newChange(t testing.TB, d store.DossierRow, evs ...store.NewEvent) store.DossierChange {
	evs = chain(t, audit.Genesis, evs...)
	d.Version, d.LastHash = evs[len(evs)-1].Seq, evs[len(evs)-1].Hash
	c := store.DossierChange{Row: d, Events: evs, Topic: "national_portal"}
	for _, e := range evs {
		c.Outbox = append(c.Outbox, store.OutboxItem{Payload: []byte(fmt.Sprintf(`{"seq":%d}`, e.Seq)), At: e.At})
	}
	return c
}

// next is a change of the stored row prev: mod edits the new row, evs continue the chain, and
// one outbox message goes with it.
func next(t *testing.T, prev store.DossierRow, mod func(*store.DossierRow), evs ...store.NewEvent) store.DossierChange {
	r := prev
	r.StepUnits, r.Assignees = slices.Clone(prev.StepUnits), slices.Clone(prev.Assignees)
	if mod != nil {
		mod(&r)
	}
	c := advance(t, prev, r, evs...)
	c.Topic, c.Outbox = "national_portal", []store.OutboxItem{{Payload: []byte(`{"next":true}`), At: evs[0].At}}
	return c
}

// advance is the change from the stored row prev to the row to, with the events evs, or when
// none are given an "updated" event for each version from prev.Version+1 to to.Version.
func advance(t testing.TB, prev, to store.DossierRow, evs ...store.NewEvent) store.DossierChange {
	t.Helper()
	if len(evs) == 0 {
		for seq := prev.Version + 1; seq <= to.Version; seq++ {
			evs = append(evs, event(seq, "updated", t0))
		}
	}
	if len(evs) == 0 {
		t.Fatalf("advance %s from version %d to %d: no event", prev.ID, prev.Version, to.Version)
	}
	evs = chain(t, prev.LastHash, evs...)
	to.Version, to.LastHash = evs[len(evs)-1].Seq, evs[len(evs)-1].Hash
	return store.DossierChange{Row: to, Prev: &prev, Events: evs}
}

func countRows(t *testing.T, s *store.Store, q string, args ...any) int64 {
	t.Helper()
	n, err := s.QueryIntForTest(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func assigned(t *testing.T, s *store.Store, who string) []string {
	t.Helper()
	rows, _, err := s.Dossiers(context.Background(), store.DossierFilter{Scope: auth.DossierScope{All: true}, Assignee: who})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestContractApplyChange(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := row("a1", func(d *store.DossierRow) { d.Assignees = []string{"xa-a.desk"} })
		c := newChange(t, d, event(1, "submitted", t0), event(2, "received", t0.Add(time.Minute)))
		day := index.NewDate(2026, time.November, 26)
		var delta index.Counters
		delta[0] = 1
		c.Rollups = []index.Change{{Key: index.Key{Unit: "xa-a", Procedure: "1.000001"}, Day: day, Counters: delta}}
		c.Jobs = []store.Job{{Kind: "overdue", DossierID: "a1", RunAt: t0.Add(72 * time.Hour), Payload: []byte(`{"n":1}`)}}
		if err := s.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.Dossier(ctx, "a1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.LastHash != c.Events[1].Hash || got.State != "submitted" {
			t.Fatalf("stored row: version %d, last hash %q, state %s", got.Version, got.LastHash, got.State)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM outbox WHERE key = ?`, "a1"); n != 2 {
			t.Fatalf("outbox messages: %d, want 2", n)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM jobs WHERE dossier_id = ?`, "a1"); n != 1 {
			t.Fatalf("jobs: %d, want 1", n)
		}
		if got := assigned(t, s, "xa-a.desk"); !slices.Equal(got, []string{"a1"}) {
			t.Fatalf("assigned to the desk: %v", got)
		}
		if n := countRows(t, s, `SELECT `+index.Fields()[0].String()+` FROM rollup_months WHERE unit = 'xa-a'`); n != 1 {
			t.Fatalf("rollup month counter: %d, want 1", n)
		}

		// The next command: another assignee, a state change, the deadline jobs replaced.
		ch := next(t, got, func(r *store.DossierRow) {
			r.State, r.Assignees, r.StepUnits = "in_progress", []string{"xa-a.specialist"}, []string{"xa-a", "so-tn"}
			r.UpdatedAt = t0.Add(time.Hour)
		}, event(3, "assigned", t0.Add(time.Hour)))
		ch.CancelJobKinds = []string{"overdue"}
		ch.Jobs = []store.Job{{Kind: "overdue", DossierID: "a1", RunAt: t0.Add(96 * time.Hour)}}
		if err := s.Apply(ctx, ch); err != nil {
			t.Fatal(err)
		}
		after, err := s.Dossier(ctx, "a1")
		if err != nil {
			t.Fatal(err)
		}
		if after.Version != 3 || after.State != "in_progress" || after.LastHash != ch.Events[0].Hash || !after.UpdatedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("after the update: %+v", after)
		}
		if got := assigned(t, s, "xa-a.specialist"); !slices.Equal(got, []string{"a1"}) {
			t.Fatalf("assigned to the specialist: %v", got)
		}
		if got := assigned(t, s, "xa-a.desk"); len(got) != 0 {
			t.Fatalf("still assigned to the desk: %v", got)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM dossier_units WHERE dossier_id = ?`, "a1"); n != 2 {
			t.Fatalf("step units: %d rows, want 2", n)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM jobs WHERE dossier_id = ? AND run_at > ?`, "a1", t0.Add(80*time.Hour)); n != 1 {
			t.Fatalf("the replaced job: %d, want 1", n)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM jobs WHERE dossier_id = ?`, "a1"); n != 1 {
			t.Fatalf("jobs after the replacement: %d, want 1", n)
		}
		if n, err := s.VerifyChains(ctx, nil); err != nil || n != 3 {
			t.Fatalf("verify: %d events, %v", n, err)
		}

		// A change decided on the old row is stale and writes nothing.
		stale := next(t, got, func(r *store.DossierRow) { r.Assignees = []string{"xa-a.other"} }, event(3, "assigned", t0.Add(2*time.Hour)))
		if err := s.Apply(ctx, stale); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale change: %v, want ErrStale", err)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM outbox WHERE key = ?`, "a1"); n != 3 {
			t.Fatalf("outbox after the stale change: %d, want 3", n)
		}
		if got := assigned(t, s, "xa-a.other"); len(got) != 0 {
			t.Fatalf("the stale change assigned: %v", got)
		}

		// A chain that does not continue the stored one is refused before anything is written.
		broken := next(t, after, nil, event(4, "assigned", t0.Add(3*time.Hour)))
		broken.Events[0].PrevHash = audit.Genesis
		if err := s.Apply(ctx, broken); err == nil || errors.Is(err, store.ErrStale) {
			t.Fatalf("broken chain: %v, want a refusal", err)
		}
		gap := next(t, after, nil, event(5, "assigned", t0.Add(3*time.Hour)))
		if err := s.Apply(ctx, gap); err == nil {
			t.Fatal("a gap in the sequence was applied")
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM dossier_events WHERE dossier_id = ?`, "a1"); n != 3 {
			t.Fatalf("events: %d, want 3", n)
		}

		// A new dossier whose id is taken conflicts.
		if err := s.Apply(ctx, newChange(t, row("a1", nil), event(1, "submitted", t0))); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate id: %v, want ErrConflict", err)
		}

		// Editing the stored last hash is what the verifier names.
		if err := s.ExecForTest(ctx, `UPDATE dossiers SET last_hash = 'x' WHERE id = 'a1'`); err != nil {
			t.Fatal(err)
		}
		var ce *store.ChainError
		if _, err := s.VerifyChains(ctx, nil); !errors.As(err, &ce) || ce.DossierID != "a1" {
			t.Fatalf("verify after editing the last hash: %v", err)
		}
	})
}

// TestContractApplyFailureMidChange: a change that fails after its dossier row was updated (its
// event's sequence number is taken) writes nothing, whatever other changes shared its
// transaction, and those others are written.
func TestContractApplyFailureMidChange(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 10
		bases := make([]store.DossierRow, n)
		for i := range n {
			id := fmt.Sprintf("m%d", i)
			if err := s.Apply(ctx, newChange(t, row(id, nil), event(1, "submitted", t0))); err != nil {
				t.Fatal(err)
			}
			b, err := s.Dossier(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			bases[i] = b
		}
		// Event 2 of m3 exists already, behind the dossier's back.
		if err := s.ExecForTest(ctx, `INSERT INTO dossier_events (dossier_id, seq, type, at, actor, unit, body, hash, prev_hash) VALUES ('m3', 2, 'x', ?, 'a', 'u', '{}', 'h', 'p')`, t0); err != nil {
			t.Fatal(err)
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			c := next(t, bases[i], func(r *store.DossierRow) { r.State = "received" }, event(2, "received", t0.Add(time.Minute)))
			wg.Go(func() { errs[i] = s.Apply(ctx, c) })
		}
		wg.Wait()
		for i, err := range errs {
			got, rerr := s.Dossier(ctx, fmt.Sprintf("m%d", i))
			if rerr != nil {
				t.Fatal(rerr)
			}
			if i == 3 {
				if err == nil || got.Version != 1 || got.State != "submitted" {
					t.Errorf("the failing change: error %v, stored version %d state %s; want an error and nothing written", err, got.Version, got.State)
				}
				continue
			}
			if err != nil || got.Version != 2 || got.State != "received" {
				t.Errorf("change %d: error %v, stored version %d state %s", i, err, got.Version, got.State)
			}
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM outbox WHERE key = 'm3'`); n != 1 {
			t.Errorf("outbox of the failing change: %d messages, want only the first change's 1", n)
		}
	})
}

// TestContractScriptClaimsCodeNumbers: a script takes a day's code numbers only if the day's
// sequence is still where it was read; otherwise it writes nothing.
func TestContractScriptClaimsCodeNumbers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const ident, day = "000.00.50.H55", "2026-03-02"
		last := func() int64 {
			t.Helper()
			n, err := s.DossierSeq(ctx, ident, day)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := last(); n != 0 {
			t.Fatalf("a new day's sequence is at %d", n)
		}
		claim := func(from, to int64, with store.DossierChange) error {
			var sc store.Script
			sc.ClaimSeq(ident, day, from, to)
			if with.Row.ID != "" {
				if err := sc.Change(with); err != nil {
					t.Fatal(err)
				}
			}
			return s.Run(ctx, &sc)
		}
		if err := claim(0, 2, store.DossierChange{}); err != nil {
			t.Fatal(err)
		}
		if n := last(); n != 2 {
			t.Fatalf("after claiming 1-2: %d", n)
		}
		// Read at 0 but started meanwhile, read at 1 but moved on: nothing of the script is written.
		if err := claim(0, 1, newChange(t, row("s1", nil), event(1, "submitted", t0))); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("claim from a sequence started meanwhile: %v, want ErrConflict", err)
		}
		if err := claim(1, 3, newChange(t, row("s2", nil), event(1, "submitted", t0))); !errors.Is(err, store.ErrStale) {
			t.Fatalf("claim from a sequence that moved: %v, want ErrStale", err)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM dossiers WHERE id IN ('s1', 's2')`); n != 0 {
			t.Fatalf("%d dossiers of refused scripts were written", n)
		}
		if err := claim(2, 3, newChange(t, row("s3", nil), event(1, "submitted", t0))); err != nil {
			t.Fatal(err)
		}
		if n := last(); n != 3 {
			t.Fatalf("after claiming 3: %d", n)
		}
	})
}
