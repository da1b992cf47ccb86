package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sort"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/calendar"
)

func init() {
	register("simulate", "write a realistic province history through the dossier engine: simulate --from DATE --to DATE --rate N [--seed S]", runSimulate)
}

func runSimulate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	c := flags(fs, e, "./motcua-data", false)
	from := fs.String("from", "", "first day of submissions, YYYY-MM-DD (required)")
	to := fs.String("to", "", "last day of submissions, YYYY-MM-DD, included (required)")
	rate := fs.Int("rate", 300, "dossiers submitted per day across the province")
	seed := fs.Uint64("seed", 766, "random seed: the same seed gives the same history on an empty database")
	batch := fs.Int("batch", 200, "dossiers written per transaction")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the simulation to this file")
	if err := parse(fs, args, e); err != nil {
		return err
	}
	day := func(name, s string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", s, calendar.VN)
		if err != nil {
			return time.Time{}, usageError{msg: fmt.Sprintf("--%s must be a date YYYY-MM-DD", name)}
		}
		return t, nil
	}
	f, err := day("from", *from)
	if err != nil {
		return err
	}
	t, err := day("to", *to)
	if err != nil {
		return err
	}
	t = t.AddDate(0, 0, 1)
	switch {
	case !t.After(f):
		return usageError{msg: "--to must not be before --from"}
	case *rate < 1 || *rate > 100_000:
		return usageError{msg: "--rate must be between 1 and 100000 dossiers a day"}
	case *batch < 1 || *batch > 10_000:
		return usageError{msg: "--batch must be between 1 and 10000"}
	}
	a, done, err := openAppWithKeys(ctx, c, e, nil)
	if err != nil {
		return err
	}
	defer done()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	bar := newProgress(e.stderr, "simulate", "dossiers")
	res, err := a.Simulate(ctx, app.SimulateOptions{From: f, To: t, Rate: *rate, Seed: *seed, Batch: *batch, Progress: bar.update})
	bar.finish()
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(e.stdout, "simulated %d dossiers (%d events) from %s to %s in %.1fs: %.0f dossiers/s\n", res.Dossiers, res.Events, *from, *to, secs, float64(res.Dossiers)/secs)
	if res.Refused > 0 {
		var why []string
		for k, v := range res.RefusedBy {
			why = append(why, fmt.Sprintf("%s ×%d", k, v))
		}
		sort.Strings(why)
		fmt.Fprintf(e.stdout, "the engine refused %d commands: %v\n", res.Refused, why)
	}
	return nil
}
