package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

func init() {
	register("index", "service index: index recompute (rebuild the rollups from the event log)", runIndex)
}

func runIndex(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "recompute" {
		return usageError{msg: "usage: motcua index recompute [--db URL | --data DIR]"}
	}
	fs := flag.NewFlagSet("index recompute", flag.ContinueOnError)
	c := flags(fs, e, "./motcua-data", false)
	if err := parse(fs, args[1:], e); err != nil {
		return err
	}
	a, done, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer done()
	start := time.Now()
	bar := newProgress(e.stderr, "recompute", "dossiers")
	res, err := a.RecomputeRollups(ctx, bar.update)
	bar.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "recomputed the rollups of %d dossiers from their events: %d day rows in %.1fs\n", res.Dossiers, res.Rows, time.Since(start).Seconds())
	if res.Diverged > 0 {
		fmt.Fprintf(e.stdout, "warning: %d dossiers' events do not end in their stored state; the events were counted\n", res.Diverged)
	}
	return nil
}

// progress draws a one-line progress bar on a terminal stream (stderr).
type progress struct {
	w           io.Writer
	label, unit string
	start, last time.Time
	shown       bool
}

func newProgress(w io.Writer, label, unit string) *progress {
	return &progress{w: w, label: label, unit: unit, start: time.Now()}
}

// update redraws the bar at most ten times a second, and always at the end.
func (p *progress) update(done, total int) {
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	const width = 30
	filled := 0
	pct := 100.0
	if total > 0 {
		filled = min(width, done*width/total)
		pct = float64(done) * 100 / float64(total)
	}
	rate := float64(done) / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r%s [%s%s] %5.1f%% %d/%d %s, %.0f/s ", p.label, strings.Repeat("#", filled), strings.Repeat(" ", width-filled), pct, done, total, p.unit, rate)
}

// finish ends the bar's line.
func (p *progress) finish() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}
