package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
)

// runBenchIndex is `motcua bench index`: the p50/p99 of index queries on the rollups of a
// simulated province against the naive fold of every record of the unit, in the same run.
func runBenchIndex(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench index", flag.ContinueOnError)
	db := fs.String("db", "", "scratch database: postgres://... or sqlite:PATH (its rollups are replaced; a database with dossiers is refused); default a new SQLite file in a temporary folder")
	dossiers := fs.Int("dossiers", 1_000_000, "synthetic dossiers")
	queries := fs.Int("queries", 1000, "timed index queries per case")
	seedN := fs.Uint64("seed", 766, "generator seed")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parse(fs, args, e); err != nil {
		return err
	}
	if *dossiers < 1 || *dossiers > 50_000_000 {
		return usageError{msg: "--dossiers must be between 1 and 50000000"}
	}
	if *queries < 1 || *queries > 100_000 {
		return usageError{msg: "--queries must be between 1 and 100000"}
	}
	dsn := *db
	if dsn == "" {
		dir, err := os.MkdirTemp("", "motcua-bench-index-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return storeError(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return storeError(err)
	}
	a, err := app.New(s, app.Options{Keyring: auth.GenerateKeyring(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	if _, err := a.Directory(ctx); err != nil || a.ProvinceName(ctx) == "" {
		if _, err := a.ImportUnits(ctx, "bench", seed.Units()); err != nil {
			return err
		}
		if _, err := a.ImportProcedures(ctx, "bench", seed.Procedures()); err != nil {
			return err
		}
	}
	var bar *progress
	stage := ""
	res, err := a.BenchIndex(ctx, app.IndexBenchOptions{Dossiers: *dossiers, Seed: *seedN, Queries: *queries,
		Progress: func(st string, done, total int) {
			if st != stage {
				if bar != nil {
					bar.finish()
				}
				stage, bar = st, newProgress(e.stderr, st, "done")
			}
			bar.update(done, total)
		}})
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(res)
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	fmt.Fprintf(e.stdout, "engine %s: %d dossiers -> %d index records -> %d rollup day rows (built in %.1fs; naive table loaded in %.1fs)\n",
		res.Engine, res.Dossiers, res.Records, res.DayRows, res.BuildTime.Seconds(), res.LoadTime.Seconds())
	fmt.Fprintln(e.stdout, "query (App.Index, the API's path)   p50 ms   p99 ms   naive median ms (runs, records read)   naive/p50   naive/p99")
	for _, c := range res.Cases {
		fmt.Fprintf(e.stdout, "%-35s %8.3f %8.3f   %12.1f (%d, %d)   %9.0fx  %9.0fx\n",
			c.Name+fmt.Sprintf(" ×%d", c.Queries), ms(c.P50), ms(c.P99), ms(c.Naive), c.NaiveN, c.Records, c.RatioP50, c.RatioP99)
	}
	fmt.Fprintln(e.stdout, "targets: p99 ≤ 10 ms; naive/p99 ≥ 1000x")
	return nil
}
