package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// The index benchmark (`motcua bench index`): the rollups of a province with a million
// synthetic dossiers, then the real query path of the API (App.Index: settings, directory,
// catalog, IndexTotals, Compute) timed against the naive way in the same run — reading every
// record of the unit and folding them (store.NaiveTotals). The synthetic dossiers are spread
// over the seeded units and procedures the way the engine counts them: each one for its
// competent authority, its receiving unit and every unit above them (rollupUnits).

// IndexBenchOptions configures BenchIndex.
type IndexBenchOptions struct {
	Dossiers int    // synthetic dossiers (default 1,000,000)
	Seed     uint64 // generator seed (default 766)
	Queries  int    // timed index queries per case (default 1,000)
	// Progress, when set, is told what is being done (a stage name, then counts).
	Progress func(stage string, done, total int)
}

// IndexBenchCase is one kind of query measured.
type IndexBenchCase struct {
	Name     string        `json:"name"`
	Queries  int           `json:"queries"`
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
	Naive    time.Duration `json:"naive_median_ns"` // median of the naive fold
	NaiveN   int           `json:"naive_runs"`
	Records  int           `json:"naive_records"` // records the naive fold read (its largest run)
	RatioP50 float64       `json:"ratio_p50"`     // naive median / p50
	RatioP99 float64       `json:"ratio_p99"`     // naive median / p99
}

// IndexBenchResult is what BenchIndex measured.
type IndexBenchResult struct {
	Engine    string           `json:"engine"`
	Dossiers  int              `json:"dossiers"`
	Records   int              `json:"records"`  // index records: dossiers × units counting them
	DayRows   int              `json:"day_rows"` // rollup day rows written
	BuildTime time.Duration    `json:"build_ns"` // generating and writing the rollups
	LoadTime  time.Duration    `json:"load_ns"`  // loading the naive baseline's table
	Cases     []IndexBenchCase `json:"cases"`
}

// benchStart and benchEnd bound the synthetic history: two years, judged at benchEnd (later
// events have not happened).
var (
	benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, index.Zone)
	benchEnd   = time.Date(2027, 1, 1, 0, 0, 0, 0, index.Zone)
)

// BenchIndex builds the rollups of opt.Dossiers synthetic dossiers over 2025-2026 in the
// store, replacing every rollup, and measures index queries (see above). It refuses a
// database holding dossiers: it is meant for a scratch database. The naive baseline's table
// is dropped at the end.
func (a *App) BenchIndex(ctx context.Context, opt IndexBenchOptions) (IndexBenchResult, error) {
	if opt.Dossiers <= 0 {
		opt.Dossiers = 1_000_000
	}
	if opt.Seed == 0 {
		opt.Seed = 766
	}
	if opt.Queries <= 0 {
		opt.Queries = 1000
	}
	progress := func(stage string, done, total int) {
		if opt.Progress != nil {
			opt.Progress(stage, done, total)
		}
	}
	res := IndexBenchResult{Engine: string(a.store.Engine()), Dossiers: opt.Dossiers}
	if _, n, err := a.store.Dossiers(ctx, store.DossierFilter{Scope: auth.DossierScope{All: true}, Limit: 1}); err != nil {
		return res, err
	} else if n > 0 {
		return res, errors.New("bench index: the database holds dossiers; run it on a scratch database (its rollups are replaced)")
	}
	gen, err := a.newBenchGen(ctx, opt.Seed)
	if err != nil {
		return res, err
	}

	// The rollups: every record's contributions summed per (unit, procedure, day).
	t0 := time.Now()
	type rowKey struct {
		key index.Key
		day index.Date
	}
	at := map[rowKey]int{}
	var rows []index.Row
	gen.each(opt.Dossiers, func(i int, r *index.Record) {
		res.Records++
		for _, c := range index.Contributions(*r) {
			k := rowKey{c.Key, c.Day}
			j, ok := at[k]
			if !ok {
				j = len(rows)
				at[k] = j
				rows = append(rows, index.Row{Key: c.Key, Day: c.Day})
			}
			rows[j].Counters.Add(&c.Counters)
		}
		if i%10_000 == 0 {
			progress("generating the rollups", i, opt.Dossiers)
		}
	})
	at = nil
	progress("generating the rollups", opt.Dossiers, opt.Dossiers)
	progress("writing the rollups", 0, len(rows))
	if err := a.store.ReplaceRollups(ctx, rows); err != nil {
		return res, err
	}
	res.DayRows, res.BuildTime = len(rows), time.Since(t0)
	rows = nil
	progress("writing the rollups", res.DayRows, res.DayRows)

	// The naive baseline's table: the same records, one row each.
	t0 = time.Now()
	loaded := 0
	records := make(chan index.Record, 4096)
	go func() {
		defer close(records)
		gen.each(opt.Dossiers, func(_ int, r *index.Record) {
			select {
			case records <- *r:
			case <-ctx.Done():
			}
		})
	}()
	_, err = a.store.BenchRecords(ctx, func() (index.Record, bool) {
		r, ok := <-records
		if loaded++; loaded%50_000 == 0 {
			progress("loading the naive baseline's table", loaded, res.Records)
		}
		return r, ok
	})
	for range records { // drain on error
	}
	if err != nil {
		return res, err
	}
	defer a.store.DropBenchRecords(context.WithoutCancel(ctx)) //nolint:errcheck // best effort: a scratch database
	res.LoadTime = time.Since(t0)
	progress("loading the naive baseline's table", res.Records, res.Records)

	// The queries.
	province := gen.dir.Province().Key
	y2026, _ := index.Year(2026)
	var months []index.Period
	for m := time.January; m <= time.December; m++ {
		p, _ := index.Month(2026, m)
		months = append(months, p)
	}
	communes := gen.dir.Communes()
	type query struct {
		unit string
		p    index.Period
	}
	cases := []struct {
		name    string
		queries func(i int) query
		naive   int
	}{
		{"province, year", func(int) query { return query{province, y2026} }, 3},
		{"commune, month", func(i int) query { return query{communes[(i*37)%len(communes)].Key, months[i%12]} }, 30},
		{"commune, year", func(i int) query { return query{communes[(i*37)%len(communes)].Key, y2026} }, 30},
	}
	public := auth.Principal{Kind: auth.KindPublic}
	for _, c := range cases {
		bc := IndexBenchCase{Name: c.name, Queries: opt.Queries, NaiveN: c.naive}
		for i := range 100 { // warm the caches (settings, catalog, statements, pages) after the last case's naive folds
			q := c.queries(i)
			if _, err := a.Index(ctx, public, q.unit, q.p); err != nil {
				return res, err
			}
		}
		// Each timed phase starts with a collection, as testing.B does, so that neither pays
		// for the garbage of the one before (the naive folds make a lot).
		runtime.GC()
		lat := make([]time.Duration, 0, opt.Queries)
		for i := range opt.Queries {
			if i%20 == 0 {
				progress("index queries: "+c.name, i, opt.Queries)
			}
			q := c.queries(i)
			t := time.Now()
			if _, err := a.Index(ctx, public, q.unit, q.p); err != nil {
				return res, err
			}
			lat = append(lat, time.Since(t))
		}
		var naive []time.Duration
		runtime.GC()
		for i := range c.naive {
			progress("naive folds: "+c.name, i, c.naive)
			q := c.queries(i)
			t := time.Now()
			want, err := a.store.NaiveTotals(ctx, q.unit, q.p)
			if err != nil {
				return res, err
			}
			naive = append(naive, time.Since(t))
			bc.Records = max(bc.Records, int(want.Before.Received()+want.During.Received()))
			got, err := a.store.RollupTotals(ctx, q.unit, q.p)
			if err != nil {
				return res, err
			}
			if !reflect.DeepEqual(want, got) {
				return res, fmt.Errorf("bench index: %s %s..%s: the rollups differ from the naive fold", q.unit, q.p.From, q.p.To)
			}
			lean, _, err := a.store.IndexTotals(ctx, q.unit, q.p)
			if err != nil {
				return res, err
			}
			if !reflect.DeepEqual(want.Lean(), lean) {
				return res, fmt.Errorf("bench index: %s %s..%s: the index's reading of the rollups differs from the naive fold", q.unit, q.p.From, q.p.To)
			}
		}
		bc.P50, bc.P99, bc.Naive = percentile(lat, 0.50), percentile(lat, 0.99), percentile(naive, 0.50)
		bc.RatioP50, bc.RatioP99 = float64(bc.Naive)/float64(bc.P50), float64(bc.Naive)/float64(bc.P99)
		res.Cases = append(res.Cases, bc)
	}
	return res, nil
}

// percentile returns the q-quantile of d (nearest rank).
func percentile(d []time.Duration, q float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// benchGen generates synthetic dossiers' index records over the seeded units and procedures.
type benchGen struct {
	dir     *org.Directory
	seed    uint64
	procs   []*catalog.Procedure
	weights []float64 // cumulative
	fee     []bool
	// units[p][c]: the units counting a dossier of procedure p filed for commune c (for a
	// provincial procedure, the same for every commune).
	units [][][]string
}

func (a *App) newBenchGen(ctx context.Context, seed uint64) (*benchGen, error) {
	env, err := a.simEnv(ctx)
	if err != nil {
		return nil, err
	}
	g := &benchGen{dir: env.dir, seed: seed}
	communes := env.dir.Communes()
	for k, sp := range env.procs {
		p := sp.p
		g.procs = append(g.procs, p)
		g.weights = append(g.weights, env.weights[k])
		g.fee = append(g.fee, feeBearing(p))
		per := make([][]string, len(communes))
		for c := range communes {
			authority, deskUnit := "", env.dir.ServiceCenter()
			if p.Level == catalog.LevelCommune {
				authority, deskUnit = communes[c].Key, communes[c].Key
			} else if c > 0 {
				per[c] = per[0]
				continue
			}
			routing, err := catalog.Route(p, env.dir, env.desk[deskUnit], authority)
			if err != nil {
				return nil, fmt.Errorf("bench index: route %s at %s: %w", p.Code, deskUnit, err)
			}
			per[c] = rollupUnits(env.dir, &dossier.Dossier{Authority: routing.Authority, ReceivingUnit: routing.ReceivingUnit})
		}
		g.units = append(g.units, per)
	}
	return g, nil
}

// each calls fn with the index records of n dossiers, the same for the same seed: a dossier's
// record for every unit counting it (the same record but for its unit). i is the dossier's
// number; r is reused between calls.
func (g *benchGen) each(n int, fn func(i int, r *index.Record)) {
	rng := rand.New(rand.NewPCG(g.seed, uint64(n)))
	communes := len(g.units[0])
	span := benchEnd.Sub(benchStart)
	sec := func(d time.Duration) time.Duration { return d.Truncate(time.Second) }
	prob := func(p float64) bool { return rng.Float64() < p }
	for i := range n {
		x := rng.Float64()
		k := 0
		for k < len(g.weights)-1 && x >= g.weights[k] {
			k++
		}
		units := g.units[k][rng.IntN(communes)]
		p := g.procs[k]
		r := index.Record{Procedure: p.Code, Channel: index.ChannelDirect}
		switch x := rng.Float64(); {
		case x < 0.55 && p.OnlineLevel != catalog.OnlineNone:
			r.Channel = index.ChannelOnline
		case x > 0.97:
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
		r.PaperResultRequired = p.Result.Paper && prob(0.3)
		r.FeeBearing = g.fee[k]
		r.PaidOnline = r.FeeBearing && prob(0.6)
		r.Digitized = prob(0.85)
		r.Reused = prob(0.4)
		r.ResultIsDocument = p.Result.DocType != "" || p.Result.Name != ""
		r.EResult = prob(0.7)
		r.VaultLinked = prob(0.3)
		r.PopulationDataUsed = prob(0.7)
		r.HasNegativeFeedback = prob(0.005)
		for _, u := range units {
			r.Unit = u
			fn(i, &r)
		}
	}
}
