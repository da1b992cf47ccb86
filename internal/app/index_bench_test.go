package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestBenchIndex runs `motcua bench index` small on both engines: it builds the rollups of
// synthetic dossiers, checks on every naive fold that the rollups (RollupTotals and the
// index's IndexTotals) equal the fold, and reports the three cases with their timings. A
// database holding dossiers is refused.
func TestBenchIndex(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newIxEngine(t, s)
		stages := map[string]bool{}
		res, err := e.a.BenchIndex(ctx, app.IndexBenchOptions{Dossiers: 3000, Queries: 5,
			Progress: func(stage string, _, _ int) { stages[stage] = true }})
		if err != nil {
			t.Fatal(err)
		}
		if res.Dossiers != 3000 || res.Records <= res.Dossiers || res.DayRows == 0 {
			t.Fatalf("result %+v: want every dossier counted for several units", res)
		}
		var names []string
		for _, c := range res.Cases {
			names = append(names, c.Name)
			if c.Queries != 5 || c.P50 <= 0 || c.P99 < c.P50 || c.Naive <= 0 || c.Records == 0 || c.RatioP50 <= 0 {
				t.Errorf("case %+v: want timings, records and ratios", c)
			}
		}
		if got := strings.Join(names, "; "); got != "province, year; commune, month; commune, year" {
			t.Errorf("cases %q", got)
		}
		if !stages["writing the rollups"] || !stages["index queries: commune, year"] {
			t.Errorf("progress stages %v", stages)
		}
		// With a dossier in the database, the benchmark refuses to replace its rollups.
		v := e.receive(e.now.Load().Add(0), false, false)
		if _, err := e.a.BenchIndex(ctx, app.IndexBenchOptions{Dossiers: 10, Queries: 1}); err == nil || !strings.Contains(err.Error(), "scratch database") {
			t.Errorf("bench on a database with dossier %s: %v, want a refusal", v.Code, err)
		}
	})
}
