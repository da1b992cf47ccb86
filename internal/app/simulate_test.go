package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// rollupRows reads every live rollup day row.
func rollupRows(t *testing.T, s *store.Store) []index.Row {
	t.Helper()
	var out []index.Row
	if err := s.RollupRows(context.Background(), func(r index.Row) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func simulateYear(t *testing.T, a *app.App, rate int) app.SimulateResult {
	t.Helper()
	res, err := a.Simulate(context.Background(), app.SimulateOptions{
		From: time.Date(2025, 11, 1, 0, 0, 0, 0, calendar.VN), To: time.Date(2026, 11, 1, 0, 0, 0, 0, calendar.VN),
		Rate: rate, Seed: 766, Batch: 150, PerCommand: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRecomputeEqualsLiveRollups: a simulated year (supplements, suspensions, extensions,
// refusals, withdrawals, closures, late and early dossiers) is written command by command with
// live rollup deltas; rebuilding every rollup from the event log gives exactly the same rows.
func TestRecomputeEqualsLiveRollups(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		a := seeded(t, s)
		res := simulateYear(t, a, 6)
		// Desk submissions due on the weekend after the cut-off do not happen.
		if res.Dossiers < 365*6-20 || res.Dossiers > 365*6 || res.Refused != 0 {
			t.Fatalf("simulated %+v, want about %d dossiers and no refused command", res, 365*6)
		}
		live := rollupRows(t, s)
		if len(live) == 0 {
			t.Fatal("no live rollups")
		}
		// The simulated history is a valid hash chain, as the live engine writes it.
		if n, err := s.VerifyChains(context.Background(), nil); err != nil || n < res.Dossiers {
			t.Fatalf("verify chains after the simulation: %d events, %v", n, err)
		}
		rc, err := a.RecomputeRollups(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Dossiers != res.Dossiers || rc.Diverged != 0 || rc.Rows != len(live) {
			t.Errorf("recompute %+v; live rows %d", rc, len(live))
		}
		if diff := cmp.Diff(live, rollupRows(t, s)); diff != "" {
			t.Errorf("recomputed rollups differ from the live ones (-live +recomputed):\n%s", diff)
		}
	})
}

// TestSimulateIsDeterministic: the same seed on two empty databases writes the same history,
// whether each command is written with its own rollup delta (as live) or each dossier's script
// as one change with the batch's rollups merged (the fast default).
func TestSimulateIsDeterministic(t *testing.T) {
	var runs [2][]index.Row
	var codes [2][]string
	for i := range runs {
		s := storetest.Open(t, store.SQLite)
		a := seeded(t, s)
		if _, err := a.Simulate(context.Background(), app.SimulateOptions{
			From: time.Date(2026, 3, 1, 0, 0, 0, 0, calendar.VN), To: time.Date(2026, 4, 1, 0, 0, 0, 0, calendar.VN), Rate: 20, Seed: 7, PerCommand: i == 0,
		}); err != nil {
			t.Fatal(err)
		}
		runs[i] = rollupRows(t, s)
		rows, _, err := s.Dossiers(context.Background(), store.DossierFilter{Scope: auth.DossierScope{All: true}, Order: "due", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			codes[i] = append(codes[i], r.ID+" "+r.Code+" "+r.State)
		}
	}
	if diff := cmp.Diff(runs[0], runs[1]); diff != "" {
		t.Errorf("rollups differ between runs:\n%s", diff)
	}
	if diff := cmp.Diff(codes[0], codes[1]); diff != "" {
		t.Errorf("dossiers differ between runs:\n%s", diff)
	}
	if len(codes[0]) < 31*20-20 {
		t.Errorf("%d dossiers, want about %d", len(codes[0]), 31*20)
	}
}
