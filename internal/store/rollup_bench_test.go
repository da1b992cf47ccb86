package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
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

// The index-query benchmark: a province's rollups built from 1,000,000 synthetic dossiers, then
// RollupTotals p50/p99 against the naive way — reading the dossiers of the unit and folding them
// with index.Contributions and index.Tally — in the same run, on SQLite and on PostgreSQL when
// it is reachable. Run it with
//
//	go test -run '^$' -bench BenchmarkRollupTotals -benchtime 2s ./internal/store/
//
// It prints one line per engine and query; MOTCUA_BENCH_DOSSIERS changes the number of dossiers.

const benchSeed = 766

// benchUnits: one province-like unit with a fifth of the dossiers, 19 provincial agencies with
// two fifths, 180 communes with the rest. Sorted, as the store orders them.
var benchUnits = func() []string {
	us := []string{"tinh"}
	for i := 1; i <= 19; i++ {
		us = append(us, fmt.Sprintf("so-%02d", i))
	}
	for i := 1; i <= 180; i++ {
		us = append(us, fmt.Sprintf("xa-%03d", i))
	}
	slices.Sort(us)
	return us
}()

const benchProcedures = 15

var benchProcNames = func() []string {
	ps := make([]string, benchProcedures)
	for i := range ps {
		ps[i] = fmt.Sprintf("p%02d", i+1)
	}
	return ps
}()

var (
	benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, index.Zone)
	benchEnd   = time.Date(2027, 1, 1, 0, 0, 0, 0, index.Zone) // "now": later events have not happened
)

// benchDossiers generates n dossiers received over 2025-2026, deterministically for a seed, and
// calls fn with each one's unit and procedure numbers. Times are whole seconds so that they
// survive the bench_records table unchanged.
func benchDossiers(seed uint64, n int, fn func(u, p int, r *index.Record)) {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	unitIdx := map[string]int{}
	for i, u := range benchUnits {
		unitIdx[u] = i
	}
	span := benchEnd.Sub(benchStart)
	sec := func(d time.Duration) time.Duration { return d.Truncate(time.Second) }
	prob := func(p float64) bool { return rng.Float64() < p }
	for range n {
		var unit string
		switch x := rng.Float64(); {
		case x < 0.2:
			unit = "tinh"
		case x < 0.6:
			unit = fmt.Sprintf("so-%02d", 1+rng.IntN(19))
		default:
			unit = fmt.Sprintf("xa-%03d", 1+rng.IntN(180))
		}
		u, p := unitIdx[unit], rng.IntN(benchProcedures)
		r := index.Record{Unit: unit, Procedure: benchProcNames[p], Channel: index.ChannelDirect}
		switch x := rng.Float64(); {
		case x < 0.55:
			r.Channel = index.ChannelOnline
		case x < 0.60:
			r.Channel = index.ChannelPostal
		}
		r.ReceivedAt = benchStart.Add(sec(time.Duration(rng.Int64N(int64(span)))))
		days := time.Duration(1+rng.IntN(15)) * 24 * time.Hour
		r.DueAt = r.ReceivedAt.Add(days)
		switch x := rng.Float64(); {
		case x < 0.01:
			r.SupplementRequests = 2
			r.SecondSupplementAt = r.ReceivedAt.Add(sec(time.Duration(rng.Int64N(int64(days)))))
		case x < 0.09:
			r.SupplementRequests = 1
			r.DueAt = r.DueAt.Add(sec(time.Duration(rng.Int64N(int64(5 * 24 * time.Hour))))) // clock restarted
		}
		r.EarlyBy = r.DueAt.Add(-24 * time.Hour)
		end := r.ReceivedAt.Add(sec(time.Duration(float64(days) * (0.2 + 0.95*rng.Float64()))))
		if end.Before(benchEnd) {
			switch x := rng.Float64(); {
			case x < 0.90:
				r.ProcessedAt = end
				if ret := end.Add(sec(time.Duration(rng.Int64N(int64(48 * time.Hour))))); prob(0.8) && ret.Before(benchEnd) {
					r.ReturnedAt = ret
				}
			case x < 0.93:
				r.RefusedAt = end
			case x < 0.96:
				r.WithdrawnAt = end
			case x < 0.97:
				r.StoppedAt = end
			}
			r.ProcessingMinutes = int64(end.Sub(r.ReceivedAt).Minutes() / 3)
			switch x := rng.Float64(); {
			case x < 0.35:
				r.Rating = index.RatingVerySatisfied
			case x < 0.70:
				r.Rating = index.RatingSatisfied
			case x < 0.72:
				r.Rating = index.RatingDissatisfied
			}
		}
		r.Synced = prob(0.97)
		r.PaperResultRequired = prob(0.3)
		r.FeeBearing = prob(0.4)
		r.PaidOnline = r.FeeBearing && prob(0.6)
		r.Digitized = prob(0.85)
		r.Reused = prob(0.4)
		r.ResultIsDocument = prob(0.8)
		r.EResult = prob(0.7)
		r.VaultLinked = prob(0.3)
		r.PopulationDataUsed = prob(0.7)
		r.HasNegativeFeedback = prob(0.005)
		fn(u, p, &r)
	}
}

// benchRollupRows sums the dossiers' contributions into day rows, sorted as the store keeps them.
func benchRollupRows(seed uint64, n int) []index.Row {
	at := map[uint64]int{}
	var keys []uint64
	var sums []index.Counters
	benchDossiers(seed, n, func(u, p int, r *index.Record) {
		for _, c := range index.Contributions(*r) {
			k := uint64(u)<<40 | uint64(p)<<32 | uint64(uint32(c.Day))
			i, ok := at[k]
			if !ok {
				i = len(sums)
				at[k] = i
				keys = append(keys, k)
				sums = append(sums, index.Counters{})
			}
			sums[i].Add(&c.Counters)
		}
	})
	slices.Sort(keys)
	rows := make([]index.Row, len(keys))
	for j, k := range keys {
		rows[j] = index.Row{
			Key:      index.Key{Unit: benchUnits[k>>40], Procedure: benchProcNames[(k>>32)&0xff]},
			Day:      index.Date(int32(uint32(k))),
			Counters: sums[at[k]],
		}
	}
	return rows
}

var benchData struct {
	once sync.Once
	n    int
	rows []index.Row
	took time.Duration
}

func benchDossierCount(b *testing.B) int {
	n := 1_000_000
	if v := os.Getenv("MOTCUA_BENCH_DOSSIERS"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil || n <= 0 {
			b.Fatalf("MOTCUA_BENCH_DOSSIERS=%q: want a positive number", v)
		}
	}
	return n
}

// bench_records is the naive baseline's table: one row per dossier with what index.Record
// needs. Times are Unix seconds (0: not happened) and the booleans one bit mask, which makes
// the baseline cheaper to read than a real dossiers table, never dearer. It has the index a
// dossiers table would have for listing a unit's dossiers.
const benchRecordsDDL = `CREATE TABLE bench_records (
	unit TEXT NOT NULL, procedure TEXT NOT NULL, channel INTEGER NOT NULL,
	received_at BIGINT NOT NULL, due_at BIGINT NOT NULL, early_by BIGINT NOT NULL,
	processed_at BIGINT NOT NULL, returned_at BIGINT NOT NULL, refused_at BIGINT NOT NULL,
	withdrawn_at BIGINT NOT NULL, stopped_at BIGINT NOT NULL,
	supplement_requests INTEGER NOT NULL, second_supplement_at BIGINT NOT NULL,
	processing_minutes BIGINT NOT NULL, flags INTEGER NOT NULL, rating INTEGER NOT NULL)`

const benchRecordCols = 16

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}

func recordFlags(r *index.Record) int64 {
	var f int64
	for i, b := range []bool{r.Synced, r.PaperResultRequired, r.FeeBearing, r.PaidOnline, r.Digitized, r.Reused,
		r.ResultIsDocument, r.EResult, r.VaultLinked, r.PopulationDataUsed, r.HasNegativeFeedback} {
		if b {
			f |= 1 << i
		}
	}
	return f
}

func setRecordFlags(r *index.Record, f int64) {
	for i, b := range []*bool{&r.Synced, &r.PaperResultRequired, &r.FeeBearing, &r.PaidOnline, &r.Digitized, &r.Reused,
		&r.ResultIsDocument, &r.EResult, &r.VaultLinked, &r.PopulationDataUsed, &r.HasNegativeFeedback} {
		*b = f&(1<<i) != 0
	}
}

// benchRecordArgs returns the bench_records values of one dossier, in column order.
func benchRecordArgs(r *index.Record) []any {
	return []any{r.Unit, r.Procedure, int64(r.Channel), unixOrZero(r.ReceivedAt), unixOrZero(r.DueAt),
		unixOrZero(r.EarlyBy), unixOrZero(r.ProcessedAt), unixOrZero(r.ReturnedAt), unixOrZero(r.RefusedAt),
		unixOrZero(r.WithdrawnAt), unixOrZero(r.StoppedAt), int64(r.SupplementRequests),
		unixOrZero(r.SecondSupplementAt), r.ProcessingMinutes, recordFlags(r), int64(r.Rating)}
}

// loadBenchRecords writes the dossiers into bench_records in one transaction: on SQLite 500 rows
// per INSERT, on PostgreSQL 10,000 rows per INSERT ... SELECT FROM unnest(arrays), as
// ReplaceRollups does.
func loadBenchRecords(b *testing.B, db *sql.DB, e store.Engine, seed uint64, n int) {
	b.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, benchRecordsDDL); err != nil {
		b.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	batch := 500
	if e == store.Postgres {
		batch = 10_000
	}
	var sqliteInsert func(rows int) string
	var pgInsert string
	if e == store.Postgres {
		pgInsert = "INSERT INTO bench_records SELECT * FROM unnest($1::text[], $2::text[]"
		for i := 3; i <= benchRecordCols; i++ {
			pgInsert += fmt.Sprintf(", $%d::bigint[]", i)
		}
		pgInsert += ")"
	} else {
		row := "(" + strings.Repeat("?, ", benchRecordCols-1) + "?)"
		sqliteInsert = func(rows int) string {
			return "INSERT INTO bench_records VALUES " + strings.Repeat(row+", ", rows-1) + row
		}
	}
	var pending [][]any
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		defer func() { pending = pending[:0] }()
		if e == store.Postgres {
			units, procs := make([]string, len(pending)), make([]string, len(pending))
			nums := make([][]int64, benchRecordCols-2)
			for i, v := range pending {
				units[i], procs[i] = v[0].(string), v[1].(string)
				for j := range nums {
					nums[j] = append(nums[j], v[j+2].(int64))
				}
			}
			args := []any{units, procs}
			for _, c := range nums {
				args = append(args, c)
			}
			_, err := tx.ExecContext(ctx, pgInsert, args...)
			return err
		}
		var args []any
		for _, v := range pending {
			args = append(args, v...)
		}
		_, err := tx.ExecContext(ctx, sqliteInsert(len(pending)), args...)
		return err
	}
	var failed error
	benchDossiers(seed, n, func(_, _ int, r *index.Record) {
		if failed != nil {
			return
		}
		if pending = append(pending, benchRecordArgs(r)); len(pending) == batch {
			failed = flush()
		}
	})
	if failed == nil {
		failed = flush()
	}
	if failed != nil {
		b.Fatal(failed)
	}
	if _, err := tx.ExecContext(ctx, "CREATE INDEX bench_records_unit ON bench_records (unit, received_at)"); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE bench_records"); err != nil {
		b.Fatal(err)
	}
}

// naiveTotals is the baseline: read every dossier of the unit received before the period ends
// and fold them with index.Contributions and index.Tally.
func naiveTotals(db *sql.DB, e store.Engine, unit string, p index.Period) (index.Totals, error) {
	q := `SELECT procedure, channel, received_at, due_at, early_by, processed_at, returned_at, refused_at,
		withdrawn_at, stopped_at, supplement_requests, second_supplement_at, processing_minutes, flags, rating
		FROM bench_records WHERE unit = ? AND received_at < ?`
	if e == store.Postgres {
		q = strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
	}
	rows, err := db.QueryContext(context.Background(), q, unit, p.To.AddDays(1).Time().Unix())
	if err != nil {
		return index.Totals{}, err
	}
	defer rows.Close()
	var out []index.Row
	var t [10]int64
	var channel, supp, flags, rating int64
	r := index.Record{Unit: unit}
	for rows.Next() {
		if err := rows.Scan(&r.Procedure, &channel, &t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], &t[7],
			&supp, &t[8], &r.ProcessingMinutes, &flags, &rating); err != nil {
			return index.Totals{}, err
		}
		r.Channel, r.SupplementRequests, r.Rating = index.Channel(channel), int(supp), index.Rating(rating)
		r.ReceivedAt, r.DueAt, r.EarlyBy = timeOrZero(t[0]), timeOrZero(t[1]), timeOrZero(t[2])
		r.ProcessedAt, r.ReturnedAt, r.RefusedAt = timeOrZero(t[3]), timeOrZero(t[4]), timeOrZero(t[5])
		r.WithdrawnAt, r.StoppedAt, r.SecondSupplementAt = timeOrZero(t[6]), timeOrZero(t[7]), timeOrZero(t[8])
		setRecordFlags(&r, flags)
		for _, c := range index.Contributions(r) {
			out = append(out, index.Row(c))
		}
	}
	if err := rows.Err(); err != nil {
		return index.Totals{}, err
	}
	return index.Tally(p, out), nil
}

func percentile(d []time.Duration, q float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkRollupTotals measures index queries on the rollups of a province (see the top of
// this file). Each sub-benchmark reports p50 and p99 of RollupTotals and the median of the
// naive baseline over the same queries, and checks that both give the same totals.
func BenchmarkRollupTotals(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-dossier data set")
	}
	n := benchDossierCount(b)
	benchData.once.Do(func() {
		t0 := time.Now()
		benchData.n, benchData.rows = n, benchRollupRows(benchSeed, n)
		benchData.took = time.Since(t0)
	})
	rows := benchData.rows
	fmt.Printf("rollup bench: %d dossiers -> %d day rows over %d units x %d procedures x 2 years (generated in %.1fs)\n",
		n, len(rows), len(benchUnits), benchProcedures, benchData.took.Seconds())

	y2025, _ := index.Year(2025)
	y2026, _ := index.Year(2026)
	var months []index.Period
	for m := time.January; m <= time.December; m++ {
		p, _ := index.Month(2026, m)
		months = append(months, p)
	}
	cross1, _ := index.Custom(index.NewDate(2026, 2, 15), index.NewDate(2026, 5, 10))
	cross2, _ := index.Custom(index.NewDate(2025, 11, 20), index.NewDate(2026, 1, 9))
	type query struct {
		unit string
		p    index.Period
	}
	cases := []struct {
		name    string
		queries []query
		naive   int // baseline runs
	}{
		{"province-year", []query{{"tinh", y2026}, {"tinh", y2025}}, 3},
		{"commune-month", func() []query {
			var qs []query
			for i := range 180 {
				qs = append(qs, query{fmt.Sprintf("xa-%03d", 1+(i*37)%180), months[i%12]})
			}
			return qs
		}(), 30},
		{"province-custom", []query{{"tinh", cross1}, {"tinh", cross2}}, 3},
	}

	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			dsn := storetest.URL(b, e)
			s, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			if err := s.ReplaceRollups(ctx, rows); err != nil {
				b.Fatal(err)
			}
			took := time.Since(t0)
			fmt.Printf("%s: ReplaceRollups wrote %d day rows (+ month rows) in %.1fs (%.0f rows/s)\n",
				e, len(rows), took.Seconds(), float64(len(rows))/took.Seconds())
			var db *sql.DB
			if e == store.SQLite {
				db, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
			} else {
				db, err = sql.Open("pgx", dsn)
			}
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			t0 = time.Now()
			loadBenchRecords(b, db, e, benchSeed, n)
			fmt.Printf("%s: bench_records loaded with %d dossiers in %.1fs\n", e, n, time.Since(t0).Seconds())

			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					var lat []time.Duration
					i := 0
					for b.Loop() {
						q := c.queries[i%len(c.queries)]
						i++
						t := time.Now()
						if _, err := s.RollupTotals(ctx, q.unit, q.p); err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t))
					}
					var naive []time.Duration
					for j := range c.naive {
						q := c.queries[j%len(c.queries)]
						t := time.Now()
						want, err := naiveTotals(db, e, q.unit, q.p)
						if err != nil {
							b.Fatal(err)
						}
						naive = append(naive, time.Since(t))
						got, err := s.RollupTotals(ctx, q.unit, q.p)
						if err != nil {
							b.Fatal(err)
						}
						if diff := cmp.Diff(want, got); diff != "" {
							b.Fatalf("%s %s..%s: rollups differ from the naive fold (-naive +rollup):\n%s", q.unit, q.p.From, q.p.To, diff)
						}
					}
					p50, p99, nv := percentile(lat, 0.50), percentile(lat, 0.99), percentile(naive, 0.5)
					b.ReportMetric(ms(p50), "p50-ms")
					b.ReportMetric(ms(p99), "p99-ms")
					b.ReportMetric(ms(nv), "naive-ms")
					b.ReportMetric(float64(nv)/float64(p50), "naive/p50")
					fmt.Printf("%s %-15s rollup p50 %7.3f ms  p99 %7.3f ms (%d queries)  naive median %9.1f ms (%d runs)  naive/rollup %6.0fx (vs p99 %6.0fx)\n",
						e, c.name, ms(p50), ms(p99), len(lat), ms(nv), len(naive), float64(nv)/float64(p50), float64(nv)/float64(p99))
				})
			}
		})
	}
}
