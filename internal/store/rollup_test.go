package store_test

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestContractRollupColumns checks that the rollup tables have one column per index.Field,
// named Field.String(), in field order: a counter added to index without a migration fails
// here.
func TestContractRollupColumns(t *testing.T) {
	want := map[string][]string{"rollup_days": {"unit", "procedure", "day"}, "rollup_months": {"unit", "procedure", "month"},
		"rollup_years": {"unit", "procedure", "year"}, "rollup_unit_years": {"unit", "year"}}
	for table := range want {
		for _, f := range index.Fields() {
			want[table] = append(want[table], f.String())
		}
	}
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.URL(t, e)
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var db *sql.DB
			var q string
			if e == store.SQLite {
				db, err = sql.Open("sqlite", strings.TrimPrefix(dsn, "sqlite:"))
				q = "SELECT name FROM pragma_table_info(?) ORDER BY cid"
			} else {
				db, err = sql.Open("pgx", dsn)
				q = "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position"
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for table, cols := range want {
				rows, err := db.QueryContext(ctx, q, table)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for rows.Next() {
					var c string
					if err := rows.Scan(&c); err != nil {
						t.Fatal(err)
					}
					got = append(got, c)
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				rows.Close()
				if diff := cmp.Diff(cols, got); diff != "" {
					t.Errorf("%s columns (-index.Fields +table):\n%s", table, diff)
				}
			}
		})
	}
}

// rollupUnits and rollupProcs are the keys of the random histories; "u-empty" never gets a row.
var (
	rollupUnits = []string{"so-tu-phap", "xa-a", "xa-b", "u-empty"}
	rollupProcs = []string{"1.001", "1.002", "2.010", "3.100"}
)

// randomRecord returns a dossier somewhere between 2025-11-01 and early 2027, in any state:
// not received, open, ended every way, with supplements, extensions, flags and ratings.
func randomRecord(rng *rand.Rand) index.Record {
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, index.Zone)
	at := func(base time.Time, maxDays int) time.Time {
		return base.Add(time.Duration(rng.Int64N(int64(maxDays) * int64(24*time.Hour))))
	}
	r := index.Record{
		Unit:      rollupUnits[rng.IntN(len(rollupUnits)-1)],
		Procedure: rollupProcs[rng.IntN(len(rollupProcs))],
		Channel:   index.Channel(1 + rng.IntN(3)),
	}
	if rng.IntN(20) == 0 {
		return r // not received yet
	}
	r.ReceivedAt = at(start, 460)
	if rng.IntN(10) > 0 {
		r.DueAt = at(r.ReceivedAt.Add(24*time.Hour), 20)
		if rng.IntN(3) > 0 {
			r.EarlyBy = r.DueAt.Add(-24 * time.Hour)
		}
	}
	switch end := at(r.ReceivedAt, 30); rng.IntN(8) {
	case 0, 1, 2:
		r.ProcessedAt = end
		if rng.IntN(2) == 0 {
			r.ReturnedAt = at(end, 5)
		}
	case 3:
		r.ReturnedAt = end
	case 4:
		r.RefusedAt = end
	case 5:
		r.WithdrawnAt = end
	case 6:
		r.StoppedAt = end
	}
	switch rng.IntN(10) {
	case 0:
		r.SupplementRequests = 1
	case 1:
		r.SupplementRequests = 2
		if rng.IntN(3) > 0 {
			r.SecondSupplementAt = at(r.ReceivedAt, 10)
		}
	}
	r.ProcessingMinutes = rng.Int64N(5000)
	r.Synced = rng.IntN(10) > 0
	r.PaperResultRequired = rng.IntN(3) == 0
	r.FeeBearing = rng.IntN(2) == 0
	r.PaidOnline = rng.IntN(2) == 0
	r.Digitized = rng.IntN(3) > 0
	r.Reused = rng.IntN(3) == 0
	r.ResultIsDocument = rng.IntN(4) > 0
	r.EResult = rng.IntN(2) == 0
	r.VaultLinked = rng.IntN(4) == 0
	r.PopulationDataUsed = rng.IntN(2) == 0
	r.Rating = index.Rating(rng.IntN(4))
	r.HasNegativeFeedback = rng.IntN(15) == 0
	return r
}

// openState is r as it stood right after receipt: nothing ended, nothing rated.
func openState(r index.Record) index.Record {
	o := index.Record{Unit: r.Unit, Procedure: r.Procedure, Channel: r.Channel, ReceivedAt: r.ReceivedAt, DueAt: r.DueAt,
		EarlyBy: r.EarlyBy, Synced: r.Synced, FeeBearing: r.FeeBearing}
	if !r.DueAt.IsZero() {
		o.DueAt = r.DueAt.Add(-48 * time.Hour) // extended later
	}
	return o
}

// expectedRows sums the contributions of records, as recompute does, without zero rows, in the
// store's (unit, procedure, day) order.
func expectedRows(records []index.Record) []index.Row {
	type k struct {
		key index.Key
		day index.Date
	}
	sum := map[k]*index.Counters{}
	for _, r := range records {
		for _, c := range index.Contributions(r) {
			kk := k{c.Key, c.Day}
			if sum[kk] == nil {
				sum[kk] = &index.Counters{}
			}
			sum[kk].Add(&c.Counters)
		}
	}
	var out []index.Row
	for kk, c := range sum {
		if !c.IsZero() {
			out = append(out, index.Row{Key: kk.key, Day: kk.day, Counters: *c})
		}
	}
	slices.SortFunc(out, func(a, b index.Row) int {
		if c := strings.Compare(a.Key.Unit, b.Key.Unit); c != 0 {
			return c
		}
		if c := strings.Compare(a.Key.Procedure, b.Key.Procedure); c != 0 {
			return c
		}
		return int(a.Day) - int(b.Day)
	})
	return out
}

func unitRows(rows []index.Row, unit string) []index.Row {
	var out []index.Row
	for _, r := range rows {
		if r.Key.Unit == unit {
			out = append(out, r)
		}
	}
	return out
}

func readRollupRows(t *testing.T, s *store.Store) []index.Row {
	t.Helper()
	var got []index.Row
	if err := s.RollupRows(context.Background(), func(r index.Row) error {
		got = append(got, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// testPeriods are the periods every unit is checked over: every month, quarter, half, nine
// months and year around the data, custom ranges crossing month and year boundaries, single
// days, and periods before and after all data.
func testPeriods(t *testing.T, rng *rand.Rand) []index.Period {
	t.Helper()
	var ps []index.Period
	add := func(p index.Period, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	for y := 2025; y <= 2027; y++ {
		for m := time.January; m <= time.December; m++ {
			add(index.Month(y, m))
		}
		for q := 1; q <= 4; q++ {
			add(index.Quarter(y, q))
		}
		add(index.Months6(y, 1))
		add(index.Months6(y, 2))
		add(index.Months9(y))
		add(index.Year(y))
	}
	d := index.NewDate
	fixed := [][2]index.Date{
		{d(2025, 12, 15), d(2026, 1, 14)}, // across a year, both ends partial
		{d(2026, 1, 31), d(2026, 2, 1)},   // two partial months, one day each
		{d(2026, 2, 1), d(2026, 2, 27)},   // first day to one before the end
		{d(2026, 2, 2), d(2026, 2, 28)},   // one after the start to the end
		{d(2026, 2, 10), d(2026, 2, 20)},  // inside one month
		{d(2026, 3, 1), d(2026, 5, 31)},   // whole months only
		{d(2026, 3, 5), d(2026, 6, 30)},   // partial head, whole tail
		{d(2026, 3, 1), d(2026, 6, 17)},   // whole head, partial tail
		{d(2016, 1, 1), d(2025, 10, 31)},  // before all data
		{d(2027, 6, 1), d(2027, 12, 31)},  // after all data
		{d(2025, 1, 1), d(2027, 12, 31)},  // everything
		{d(2025, 1, 1), d(2026, 12, 31)},  // two whole years
		{d(2025, 11, 15), d(2027, 1, 20)}, // partial month, whole month, whole year, partial month
		{d(2025, 12, 1), d(2027, 2, 28)},  // whole month, whole year, whole months
		{d(2026, 1, 1), d(2027, 1, 31)},   // whole year, whole month
		{d(2026, 1, 2), d(2026, 12, 31)},  // a year but its first day
		{d(2026, 7, 1), d(2027, 6, 30)},   // whole months across a year
	}
	for _, f := range fixed {
		add(index.Custom(f[0], f[1]))
	}
	first := d(2025, 10, 1)
	for range 40 {
		from := first.AddDays(rng.IntN(520))
		add(index.Custom(from, from.AddDays(rng.IntN(200))))
	}
	for range 10 { // long ones, across one or two years
		from := first.AddDays(rng.IntN(300))
		add(index.Custom(from, from.AddDays(300+rng.IntN(300))))
	}
	for range 15 {
		day := first.AddDays(rng.IntN(520))
		add(index.Custom(day, day))
	}
	return ps
}

func checkTotals(t *testing.T, s *store.Store, want []index.Row, periods []index.Period) {
	t.Helper()
	for _, unit := range rollupUnits {
		rows := unitRows(want, unit)
		for _, p := range periods {
			got, err := s.RollupTotals(context.Background(), unit, p)
			if err != nil {
				t.Fatalf("%s %s..%s: %v", unit, p.From, p.To, err)
			}
			want := index.Tally(p, rows)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s %s..%s (%s): totals differ from index.Tally (-want +got):\n%s", unit, p.From, p.To, p.Kind, diff)
			}
			lean, _, err := s.IndexTotals(context.Background(), unit, p)
			if err != nil {
				t.Fatalf("%s %s..%s: %v", unit, p.From, p.To, err)
			}
			if diff := cmp.Diff(want.Lean(), lean); diff != "" {
				t.Fatalf("%s %s..%s (%s): IndexTotals differ from index.Tally(...).Lean() (-want +got):\n%s", unit, p.From, p.To, p.Kind, diff)
			}
		}
	}
}

func applyTx(t *testing.T, s *store.Store, changes []index.Change) {
	t.Helper()
	if err := s.InTx(context.Background(), func(tx *store.Tx) error { return tx.ApplyRollup(context.Background(), changes) }); err != nil {
		t.Fatal(err)
	}
}

// TestContractRollupMatchesTally drives the rollups the way the engine does — a Delta per
// event: receipt, then extension, end and rating, some dossiers moved to another unit or
// removed — and checks that every period query equals index.Tally over the contributions of
// the dossiers' final states, before and after a recompute (ReplaceRollups).
func TestContractRollupMatchesTally(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(766, 2022))
		final := make([]index.Record, 400)
		cur := make([]index.Record, len(final))
		for i := range final {
			final[i] = randomRecord(rng)
		}
		// Receipts, several dossiers per transaction, half through Contributions directly.
		for i := 0; i < len(final); {
			n := 1 + rng.IntN(8)
			var changes []index.Change
			for ; n > 0 && i < len(final); n, i = n-1, i+1 {
				cur[i] = openState(final[i])
				if rng.IntN(2) == 0 {
					changes = append(changes, index.Contributions(cur[i])...)
				} else {
					changes = append(changes, index.Delta(index.Record{}, cur[i])...)
				}
			}
			applyTx(t, s, changes)
		}
		// Later events, one per transaction, in random order.
		for _, i := range rng.Perm(len(final)) {
			var next index.Record
			switch rng.IntN(20) {
			case 0:
				next = final[i]
				next.Unit = rollupUnits[rng.IntN(len(rollupUnits)-1)] // reassigned
			case 1:
				next = index.Record{} // removed (e.g. a receipt undone)
			default:
				next = final[i]
			}
			applyTx(t, s, index.Delta(cur[i], next))
			cur[i] = next
		}
		want := expectedRows(cur)
		if len(want) < 500 {
			t.Fatalf("only %d rows: the random history is too thin to test anything", len(want))
		}
		if diff := cmp.Diff(want, readRollupRows(t, s)); diff != "" {
			t.Fatalf("live rollups differ from the sum of contributions (-want +got):\n%s", diff)
		}
		periods := testPeriods(t, rng)
		checkTotals(t, s, want, periods)

		// Recompute from shuffled rows, some split in two and some all zero.
		var input []index.Row
		for _, r := range want {
			if rng.IntN(4) == 0 {
				half := r
				for f := range half.Counters {
					half.Counters[f] /= 2
				}
				rest := r
				rest.Counters.Sub(&half.Counters)
				input = append(input, half, rest)
			} else {
				input = append(input, r)
			}
			if rng.IntN(10) == 0 {
				input = append(input, index.Row{Key: r.Key, Day: r.Day.AddDays(1)})
			}
		}
		rng.Shuffle(len(input), func(i, j int) { input[i], input[j] = input[j], input[i] })
		if err := s.ReplaceRollups(ctx, input); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, readRollupRows(t, s)); diff != "" {
			t.Fatalf("rows after ReplaceRollups (-want +got):\n%s", diff)
		}
		units, err := s.RollupUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"so-tu-phap", "xa-a", "xa-b"}, units); diff != "" {
			t.Errorf("RollupUnits (-want +got):\n%s", diff)
		}
		checkTotals(t, s, want, periods)

		// Events after a recompute add to the rebuilt day and month rows.
		for _, i := range rng.Perm(len(final))[:60] {
			next := final[i]
			next.DueAt = next.DueAt.Add(72 * time.Hour)
			next.Rating = index.RatingDissatisfied
			applyTx(t, s, index.Delta(cur[i], next))
			cur[i] = next
		}
		want = expectedRows(cur)
		if diff := cmp.Diff(want, readRollupRows(t, s)); diff != "" {
			t.Fatalf("rows after events on recomputed rollups (-want +got):\n%s", diff)
		}
		checkTotals(t, s, want, periods)
	})
}

// TestContractRollupEdges covers what the random history does not: zero and cancelling
// changes, negative deltas, rollback, invalid keys and errors from the callback.
func TestContractRollupEdges(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		key := index.Key{Unit: "xa-a", Procedure: "1.001"}
		d1, d2 := index.NewDate(2026, 3, 30), index.NewDate(2026, 4, 2)
		march, _ := index.Month(2026, time.March)
		year, _ := index.Year(2026)
		var c3 index.Counters
		c3[index.ReceivedOnline], c3[index.Digitized] = 3, 2
		neg := c3
		for f := range neg {
			neg[f] = -neg[f]
		}
		wantNothing := func(t *testing.T) {
			t.Helper()
			if rows := readRollupRows(t, s); len(rows) != 0 {
				t.Fatalf("rows = %v, want none", rows)
			}
			got, err := s.RollupTotals(ctx, key.Unit, year)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(index.Tally(year, nil), got); diff != "" {
				t.Fatalf("totals of nothing (-want +got):\n%s", diff)
			}
		}

		t.Run("ZeroChangesWriteNothing", func(t *testing.T) {
			applyTx(t, s, nil)
			applyTx(t, s, []index.Change{{Key: key, Day: d1}, {Key: index.Key{Unit: "xa-b", Procedure: "1.001"}, Day: d2}})
			applyTx(t, s, []index.Change{{Key: key, Day: d1, Counters: c3}, {Key: key, Day: d1, Counters: neg}})
			wantNothing(t)
			units, err := s.RollupUnits(ctx)
			if err != nil || len(units) != 0 {
				t.Fatalf("units = %v, %v; want none", units, err)
			}
		})
		t.Run("RolledBackWithTheTransaction", func(t *testing.T) {
			boom := errors.New("event refused")
			err := s.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.ApplyRollup(ctx, []index.Change{{Key: key, Day: d1, Counters: c3}}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v, want %v", err, boom)
			}
			wantNothing(t)
		})
		t.Run("KeyRequired", func(t *testing.T) {
			for _, k := range []index.Key{{Procedure: "1.001"}, {Unit: "xa-a"}} {
				err := s.InTx(ctx, func(tx *store.Tx) error {
					return tx.ApplyRollup(ctx, []index.Change{{Key: key, Day: d1, Counters: c3}, {Key: k, Day: d1, Counters: c3}})
				})
				if err == nil {
					t.Errorf("key %+v accepted", k)
				}
			}
			if err := s.ReplaceRollups(ctx, []index.Row{{Key: index.Key{Unit: "xa-a"}, Day: d1, Counters: c3}}); err == nil {
				t.Error("ReplaceRollups accepted a row without procedure")
			}
			wantNothing(t)
		})
		t.Run("NegativeDeltasAndZeroRows", func(t *testing.T) {
			applyTx(t, s, []index.Change{{Key: key, Day: d1, Counters: c3}, {Key: key, Day: d2, Counters: c3}})
			var minus1 index.Counters
			minus1[index.ReceivedOnline] = -1
			applyTx(t, s, []index.Change{{Key: key, Day: d1, Counters: minus1}})
			applyTx(t, s, []index.Change{{Key: key, Day: d2, Counters: neg}}) // d2's row is now all zero
			left := c3
			left[index.ReceivedOnline] = 2
			want := []index.Row{{Key: key, Day: d1, Counters: left}}
			if diff := cmp.Diff(want, readRollupRows(t, s)); diff != "" {
				t.Fatalf("rows (-want +got):\n%s", diff)
			}
			april, _ := index.Month(2026, time.April)
			for _, p := range []index.Period{march, april, year} {
				got, err := s.RollupTotals(ctx, key.Unit, p)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(index.Tally(p, want), got); diff != "" {
					t.Errorf("%s..%s (-want +got):\n%s", p.From, p.To, diff)
				}
			}
			if got, _ := s.RollupTotals(ctx, key.Unit, april); len(got.ByProcedure) != 0 {
				t.Errorf("a procedure whose period counters are all zero is listed: %v", got.ByProcedure)
			}
		})
		t.Run("CallbackErrorStops", func(t *testing.T) {
			applyTx(t, s, []index.Change{{Key: index.Key{Unit: "xa-b", Procedure: "1.001"}, Day: d2, Counters: c3}})
			stop := errors.New("enough")
			calls := 0
			err := s.RollupRows(ctx, func(index.Row) error { calls++; return stop })
			if !errors.Is(err, stop) || calls != 1 {
				t.Fatalf("err %v after %d calls; want %v after 1", err, calls, stop)
			}
		})
		t.Run("DaysCancellingWithinAMonth", func(t *testing.T) {
			// A receipt moved from one day to another of the same month, on a key with no rows
			// yet: the month's sum does not change, the days do.
			k := index.Key{Unit: "xa-c", Procedure: "2.010"}
			a, b := index.NewDate(2026, 5, 4), index.NewDate(2026, 5, 20)
			applyTx(t, s, []index.Change{{Key: k, Day: a, Counters: c3}, {Key: k, Day: b, Counters: neg}})
			rows := []index.Row{{Key: k, Day: a, Counters: c3}, {Key: k, Day: b, Counters: neg}}
			for _, p := range []index.Period{{From: a, To: a}, {From: b, To: b}, {From: a.AddDays(1), To: b.AddDays(3)}, {From: a, To: a.AddDays(40)}} {
				got, err := s.RollupTotals(ctx, k.Unit, p)
				if err != nil {
					t.Fatal(err)
				}
				want := index.Tally(p, rows)
				if diff := cmp.Diff(want.Before, got.Before); diff != "" {
					t.Errorf("%s..%s before (-want +got):\n%s", p.From, p.To, diff)
				}
				if diff := cmp.Diff(want.During, got.During); diff != "" {
					t.Errorf("%s..%s during (-want +got):\n%s", p.From, p.To, diff)
				}
				if bp := want.ByProcedure[k.Procedure]; !bp.IsZero() && (got.ByProcedure[k.Procedure] == nil || *got.ByProcedure[k.Procedure] != *bp) {
					t.Errorf("%s..%s by procedure = %v, want %v", p.From, p.To, got.ByProcedure, want.ByProcedure)
				}
			}
		})
		t.Run("BadPeriod", func(t *testing.T) {
			if _, err := s.RollupTotals(ctx, key.Unit, index.Period{From: d2, To: d1}); err == nil {
				t.Error("a period ending before it starts was accepted")
			}
		})
		t.Run("ReplaceWithNothingClears", func(t *testing.T) {
			if err := s.ReplaceRollups(ctx, nil); err != nil {
				t.Fatal(err)
			}
			wantNothing(t)
			units, err := s.RollupUnits(ctx)
			if err != nil || len(units) != 0 {
				t.Fatalf("units = %v, %v; want none", units, err)
			}
		})
	})
}

// TestContractRollupConcurrent applies events from many goroutines at once onto the same few
// rows, as simultaneous officers do: every increment must land exactly once, without deadlock.
func TestContractRollupConcurrent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const workers, perWorker = 8, 25
		records := make([][]index.Record, workers)
		for w := range records {
			rng := rand.New(rand.NewPCG(uint64(w), 8))
			for range perWorker {
				r := randomRecord(rng)
				r.Unit, r.Procedure = rollupUnits[rng.IntN(2)], rollupProcs[rng.IntN(2)]
				records[w] = append(records[w], r)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, r := range records[w] {
					if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.ApplyRollup(ctx, index.Contributions(r)) }); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if diff := cmp.Diff(expectedRows(slices.Concat(records...)), readRollupRows(t, s)); diff != "" {
			t.Fatalf("rows after concurrent events (-want +got):\n%s", diff)
		}
	})
}

// TestContractRollupYearsMigration checks migration 0018 on a database written before it:
// the year rows it fills from the month rows answer every period as the day rows do.
func TestContractRollupYearsMigration(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(18, 766))
		records := make([]index.Record, 150)
		var changes []index.Change
		for i := range records {
			records[i] = randomRecord(rng)
			changes = append(changes, index.Contributions(records[i])...)
		}
		applyTx(t, s, changes)
		// Back to the schema before 0018: no year rows.
		for _, q := range []string{"DROP TABLE rollup_years", "DROP TABLE rollup_unit_years", "DELETE FROM schema_migrations WHERE version = 18"} {
			if err := s.ExecForTest(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.Migrate(ctx); err != nil || n != 1 {
			t.Fatalf("Migrate = %d, %v; want 1 migration applied", n, err)
		}
		for _, table := range []string{"rollup_years", "rollup_unit_years"} {
			if n := countRows(t, s, "SELECT COUNT(*) FROM "+table); n == 0 {
				t.Fatalf("the migration wrote no rows into %s", table)
			}
		}
		checkTotals(t, s, expectedRows(records), testPeriods(t, rng))
	})
}

// TestContractIndexTotalsSettings checks the settings IndexTotals reads with the rollups: the
// ones set, by key, whatever the period's plan; none asked, none returned.
func TestContractIndexTotalsSettings(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
		if err := s.SetSetting(ctx, "index.a", "x,y", now); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctx, "index.c", `{"v": "\u001f"}`, now); err != nil {
			t.Fatal(err)
		}
		var c index.Counters
		c[index.ReceivedOnline], c[index.PaidOnline], c[index.FinishedLate] = 2, 1, 4
		applyTx(t, s, []index.Change{{Key: index.Key{Unit: "xa-a", Procedure: "1.001"}, Day: index.NewDate(2026, 3, 4), Counters: c}})
		year, _ := index.Year(2026)
		days, _ := index.Custom(index.NewDate(2025, 12, 30), index.NewDate(2026, 3, 4))
		for _, p := range []index.Period{year, days} {
			totals, set, err := s.IndexTotals(ctx, "xa-a", p, "index.a", "index.b", "index.c")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(map[string]string{"index.a": "x,y", "index.c": `{"v": "\u001f"}`}, set); diff != "" {
				t.Errorf("%s..%s: settings (-want +got):\n%s", p.From, p.To, diff)
			}
			if totals.During != c {
				t.Errorf("%s..%s: during = %v, want %v", p.From, p.To, totals.During, c)
			}
			_, set, err = s.IndexTotals(ctx, "xa-a", p)
			if err != nil || len(set) != 0 {
				t.Errorf("no settings asked: %v, %v", set, err)
			}
		}
	})
}
