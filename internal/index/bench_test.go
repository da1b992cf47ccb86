package index

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// provinceYear builds a year of rollup rows for 110 units × 15 procedures, every day
// filled, ordered as the store's (unit, procedure, day) index returns them.
func provinceYear(b *testing.B) ([]Row, []ProcedureFacts, Period) {
	b.Helper()
	p, err := Year(2026)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const units, procs = 110, 15
	rows := make([]Row, 0, units*procs*p.Days())
	facts := make([]ProcedureFacts, procs)
	for j := range procs {
		facts[j] = ProcedureFacts{Procedure: "p" + strconv.Itoa(j), OnlineLevel: OnlineFull, FeeBearing: j%2 == 0, CompletePublication: true}
	}
	for u := range units {
		unit := "u" + strconv.Itoa(u)
		for j := range procs {
			for day := p.From; day <= p.To; day++ {
				var c Counters
				for f := range c {
					c[f] = int64(rng.IntN(4))
				}
				c[OverdueClear] = c[OverdueMark] // keep stocks sane
				rows = append(rows, Row{Key: Key{unit, facts[j].Procedure}, Day: day, Counters: c})
			}
		}
	}
	return rows, facts, p
}

// BenchmarkComputeProvinceYear sums a province-year of counters in memory (602,250 rows)
// and scores it: the in-process cost of an index query once the rows are read.
func BenchmarkComputeProvinceYear(b *testing.B) {
	rows, facts, p := provinceYear(b)
	cfg := DefaultConfig()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		in := Inputs{Period: p, Totals: Tally(p, rows), Procedures: facts}
		rep := Compute(cfg, in)
		if rep.MaxTotal == 0 {
			b.Fatal("nothing scored")
		}
	}
	b.ReportMetric(float64(len(rows)), "rows")
}

// BenchmarkCompute scores already summed counters: the part that does not grow with data.
func BenchmarkCompute(b *testing.B) {
	recs, facts := handUnit()
	p, _ := Month(2026, time.March)
	in := Inputs{Period: p, Totals: Tally(p, rowsOf(recs)), Procedures: facts}
	cfg := DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		Compute(cfg, in)
	}
}

// BenchmarkDelta is the per-event cost the engine pays inside its transaction.
func BenchmarkDelta(b *testing.B) {
	recs, _ := handUnit()
	before := recs[0]
	after := before
	after.DueAt = after.DueAt.Add(48 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		Delta(before, after)
	}
}
