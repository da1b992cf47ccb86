package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// leaderIDs lists the ids of the dossiers waiting for the leaders of units, in due order.
func leaderIDs(t *testing.T, s *store.Store, units ...string) []string {
	t.Helper()
	rows, total, err := s.Dossiers(context.Background(), store.DossierFilter{Scope: auth.DossierScope{All: true}, LeaderUnits: units, Order: "due", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	if total != len(ids) {
		t.Errorf("total %d for %d rows", total, len(ids))
	}
	return ids
}

// TestContractLeaderUnit: the filter by the unit whose leader must decide follows the column as
// changes set and clear it.
func TestContractLeaderUnit(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		insert(t, s,
			row("l1", func(d *store.DossierRow) { d.LeaderUnit, d.DueAt = "xa-a", t0.Add(2*time.Hour) }),
			row("l2", func(d *store.DossierRow) { d.LeaderUnit, d.DueAt = "xa-a", t0.Add(time.Hour) }),
			row("l3", func(d *store.DossierRow) { d.LeaderUnit, d.DueAt = "so-tu-phap", t0 }),
			row("n1", nil))
		if got, want := leaderIDs(t, s, "xa-a"), []string{"l2", "l1"}; !slices.Equal(got, want) {
			t.Errorf("waiting at xa-a: %v, want %v", got, want)
		}
		if got, want := leaderIDs(t, s, "xa-a", "so-tu-phap"), []string{"l3", "l2", "l1"}; !slices.Equal(got, want) {
			t.Errorf("waiting at both: %v, want %v", got, want)
		}
		// The leader decides on l2: it leaves the queue; n1 reaches a leader's step.
		for id, unit := range map[string]string{"l2": "", "n1": "xa-a"} {
			stored, err := s.Dossier(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Apply(ctx, next(t, stored, func(d *store.DossierRow) { d.Version++; d.LeaderUnit = unit }, event(2, "forwarded", t0))); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := leaderIDs(t, s, "xa-a"), []string{"l1", "n1"}; !slices.Equal(got, want) {
			t.Errorf("after the changes: %v, want %v", got, want)
		}
		if d, err := s.Dossier(ctx, "l2"); err != nil || d.LeaderUnit != "" {
			t.Errorf("l2 read back with leader unit %q (%v), want none", d.LeaderUnit, err)
		}
	})
}

// TestContractLeaderUnitBackfill: migration 15 fills the column of the dossiers stored before it
// from their snapshots, as dossier.AwaitingLeader decides (the current main step is a leader's,
// started and not finished; a zero time written out counts as no time).
func TestContractLeaderUnitBackfill(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		step := func(role, unit, started, finished string) string {
			f := fmt.Sprintf(`{"role":%q,"unit":%q`, role, unit)
			if started != "" {
				f += fmt.Sprintf(`,"started_at":%q`, started)
			}
			if finished != "" {
				f += fmt.Sprintf(`,"finished_at":%q`, finished)
			}
			return f + "}"
		}
		const on, off, zero = "2026-10-05T01:00:00Z", "2026-10-05T02:00:00Z", "0001-01-01T00:00:00Z"
		spec := step("specialist", "xa-a", on, off)
		cases := []struct {
			id      string
			current int
			steps   []string
			want    string
		}{
			{"b-open", 1, []string{spec, step("leader", "xa-a", off, "")}, "xa-a"},
			{"b-zero-finish", 1, []string{spec, step("leader", "so-tu-phap", off, zero)}, "so-tu-phap"},
			{"b-finished", 1, []string{spec, step("leader", "xa-a", off, off)}, ""},
			{"b-not-started", 1, []string{spec, step("leader", "xa-a", "", "")}, ""},
			{"b-zero-start", 1, []string{spec, step("leader", "xa-a", zero, "")}, ""},
			{"b-specialist", 0, []string{step("specialist", "xa-a", on, ""), step("leader", "xa-a", "", "")}, ""},
			{"b-none", -1, []string{spec, step("leader", "xa-a", off, "")}, ""},
			{"b-beyond", 2, []string{spec, step("leader", "xa-a", off, "")}, ""},
			{"b-no-steps", -1, nil, ""},
		}
		for _, c := range cases {
			snap := fmt.Sprintf(`{"id":%q,"current_step":%d,"steps":[%s]}`, c.id, c.current, strings.Join(c.steps, ","))
			insert(t, s, row(c.id, func(d *store.DossierRow) { d.Snapshot = []byte(snap) }))
		}
		ms, err := store.Migrations(s.Engine())
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ms, func(m store.Migration) bool { return m.Version == 15 })
		if i < 0 {
			t.Fatal("no migration 15")
		}
		// Back to the schema before migration 15, then the migration again.
		for _, q := range []string{"DROP INDEX dossiers_leader_queue", "ALTER TABLE dossiers DROP COLUMN leader_unit", ms[i].SQL} {
			if err := s.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%.60s: %v", q, err)
			}
		}
		for _, c := range cases {
			d, err := s.Dossier(ctx, c.id)
			if err != nil {
				t.Fatal(err)
			}
			if d.LeaderUnit != c.want {
				t.Errorf("%s: leader unit %q, want %q", c.id, d.LeaderUnit, c.want)
			}
		}
	})
}
