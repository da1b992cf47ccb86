package index

import (
	"fmt"
	"math"
	"testing"
)

// sameResult reports how got (Score) and want (scoreRat) differ, "" when they agree bit for
// bit.
func sameResult(got, want IndicatorResult) string {
	sameFloat := func(name string, g, w *float64) string {
		switch {
		case (g == nil) != (w == nil):
			return fmt.Sprintf("%s: %v, want %v", name, fmtPtr(g), fmtPtr(w))
		case g != nil && math.Float64bits(*g) != math.Float64bits(*w):
			return fmt.Sprintf("%s: %v, want %v", name, *g, *w)
		}
		return ""
	}
	if d := sameFloat("rate", got.Rate, want.Rate); d != "" {
		return d
	}
	if d := sameFloat("points", got.Points, want.Points); d != "" {
		return d
	}
	if math.Float64bits(got.MaxPoints) != math.Float64bits(want.MaxPoints) {
		return fmt.Sprintf("max points: %v, want %v", got.MaxPoints, want.MaxPoints)
	}
	if math.Float64bits(got.Rule.Threshold) != math.Float64bits(want.Rule.Threshold) {
		return fmt.Sprintf("threshold: %v, want %v", got.Rule.Threshold, want.Rule.Threshold)
	}
	g, w := got, want
	g.Rate, g.Points, w.Rate, w.Points, g.MaxPoints, w.MaxPoints = nil, nil, nil, nil, 0, 0
	g.Rule.Threshold, w.Rule.Threshold = 0, 0
	if g != w {
		return fmt.Sprintf("%+v, want %+v", g, w)
	}
	return ""
}

func fmtPtr(f *float64) string {
	if f == nil {
		return "nil"
	}
	return fmt.Sprint(*f)
}

// try calls fn, returning what it panicked with, if it did.
func try(fn func() IndicatorResult) (r IndicatorResult, panicked any) {
	defer func() { panicked = recover() }()
	return fn(), nil
}

// checkExact asserts Score(ind, num, den) equals scoreRat's, panics included.
func checkExact(t *testing.T, ind Indicator, num, den int64) {
	t.Helper()
	got, gp := try(func() IndicatorResult { return Score(ind, num, den) })
	want, wp := try(func() IndicatorResult { return scoreRat(ind, num, den) })
	switch {
	case (gp == nil) != (wp == nil):
		t.Fatalf("%s %+v: Score(%d, %d) panicked with %v, scoreRat with %v", ind.ID, ind.Rule, num, den, gp, wp)
	case gp != nil:
		return
	}
	if d := sameResult(got, want); d != "" {
		t.Fatalf("%s (points %v, %+v, %s): Score(%d, %d): %s", ind.ID, ind.Points, ind.Rule, ind.Measure, num, den, d)
	}
}

func synth(points float64, kind RuleKind, threshold float64, measure string) Indicator {
	return Indicator{ID: "9.9", Group: "g", NameVI: "x", NameEN: "x", FormulaVI: "x", Points: points,
		Rule: Rule{Kind: kind, Threshold: threshold}, Measure: measure}
}

// TestScoreExact checks hand-computed figures, each from the fast path (fast false marks the
// cases it leaves to big.Rat) and equal to scoreRat's.
func TestScoreExact(t *testing.T) {
	const ratio, avg = "dossiers_on_time", "average_processing_days"
	none := math.NaN() // nil
	tests := []struct {
		name         string
		ind          Indicator
		num, den     int64
		rate, points float64
		slow         bool // scoreExact declines: Score falls back to scoreRat
	}{
		{"2/3", synth(6, Linear, 0, ratio), 2, 3, 66.67, 4, false},
		{"1/3", synth(6, Linear, 0, ratio), 1, 3, 33.33, 2, false},
		{"1/8", synth(6, Linear, 0, ratio), 1, 8, 12.5, 0.75, false},
		{"1/8 of 2", synth(2, Linear, 0, ratio), 1, 8, 12.5, 0.25, false},
		{"points x.xx5 up", synth(2, Linear, 0, ratio), 1, 16, 6.25, 0.13, false},
		{"rate x.xx5 up", synth(2, Linear, 0, ratio), 1, 32, 3.13, 0.06, false},
		{"rate 0.125", synth(6, Linear, 0, ratio), 1, 800, 0.13, 0.01, false},
		{"tiny", synth(6, Linear, 0, ratio), 1, 3200, 0.03, 0, false},
		{"points 0.25", synth(0.25, Linear, 0, ratio), 1, 2, 50, 0.13, false},
		{"points 2.5 of 7/9", synth(2.5, Linear, 0, ratio), 7, 9, 77.78, 1.94, false},
		{"points 0.1", synth(0.1, Linear, 0, ratio), 1, 2, 50, 0.05, false},
		{"zero", synth(6, Linear, 0, ratio), 0, 5, 0, 0, false},
		{"all", synth(6, Linear, 0, ratio), 5, 5, 100, 6, false},
		{"clamp above", synth(6, Linear, 0, ratio), 3, 2, 150, 6, false},
		{"negative num", synth(6, Linear, 0, ratio), -1, 8, -12.5, 0, false},
		{"negative half away", synth(6, Linear, 0, ratio), -1, 800, -0.13, 0, false},
		{"negative den", synth(6, Linear, 0, ratio), 1, -800, -0.13, 0, false},
		{"both negative", synth(6, Linear, 0, ratio), -1, -8, 12.5, 0.75, false},
		{"den MinInt64", synth(6, Linear, 0, ratio), 1 << 40, math.MinInt64, 0, 0, false},
		{"linear n/a", synth(6, Linear, 0, ratio), 0, 0, none, none, false},
		{"full_at reached", synth(2, FullAt, 80, ratio), 4, 5, 80, 2, false},
		{"full_at above", synth(2, FullAt, 80, ratio), 9, 10, 90, 2, false},
		{"full_at 60/80", synth(2, FullAt, 80, ratio), 3, 5, 60, 1.5, false},
		{"full_at 2/3", synth(2, FullAt, 80, ratio), 2, 3, 66.67, 1.67, false},
		{"full_at x.xx5", synth(2, FullAt, 80, ratio), 79, 100, 79, 1.98, false},
		{"full_at clamp", synth(2, FullAt, 80, ratio), 7, 5, 140, 2, false},
		{"full_at negative", synth(2, FullAt, 80, ratio), -7, 5, -140, 0, false},
		{"full_at n/a", synth(2, FullAt, 80, ratio), 0, 0, none, none, false},
		{"full_at decimal threshold", synth(20, FullAt, 66.67, ratio), 2, 3, 66.67, 20, false},
		{"full_at decimal threshold below", synth(20, FullAt, 66.67, ratio), 1, 2, 50, 15, false},
		{"full_at 0.5 threshold", synth(3, FullAt, 0.5, ratio), 1, 400, 0.25, 1.5, false},
		{"zero if none: none", synth(6, FullAtOrZeroIfNone, 90, ratio), 0, 0, none, 0, false},
		{"zero if none: 89%", synth(6, FullAtOrZeroIfNone, 90, ratio), 89, 100, 89, 5.93, false},
		{"zero if none: 3/4", synth(6, FullAtOrZeroIfNone, 90, ratio), 3, 4, 75, 5, false},
		{"full if none: none", synth(6, LinearOrFullIfNone, 0, ratio), 0, 0, none, 6, false},
		{"full if none: 0.125", synth(0.125, LinearOrFullIfNone, 0, ratio), 0, 0, none, 0.13, false},
		{"full if none: 1/2", synth(6, LinearOrFullIfNone, 0, ratio), 1, 2, 50, 3, false},
		{"monitored", synth(0, Monitored, 0, ratio), 1, 3, 33.33, none, false},
		{"monitored n/a", synth(0, Monitored, 0, ratio), 0, 0, none, none, false},
		{"average 2 days", synth(0, Monitored, 0, avg), 960, 1, 2, none, false},
		{"average 0.0125", synth(0, Monitored, 0, avg), 6, 1, 0.01, none, false},
		{"average 0.025", synth(0, Monitored, 0, avg), 12, 1, 0.03, none, false},
		{"average -0.025", synth(0, Monitored, 0, avg), -12, 1, -0.03, none, false},
		{"average 2.5", synth(0, Monitored, 0, avg), 1200, 1, 2.5, none, false},
		{"average 1/3", synth(0, Monitored, 0, avg), 160, 1, 0.33, none, false},
		{"average of 3", synth(0, Monitored, 0, avg), 2400, 3, 1.67, none, false},
		{"average linear", synth(4, Linear, 0, avg), 24000, 1, 50, 2, false},
		// Left to big.Rat: 100·num overflows, den·scale overflows, points that are no int64
		// fraction, negative points or threshold. Only agreement with scoreRat is checked
		// for these (where int64 wraps in it, its figures are not the hand-computed ones).
		{"num MinInt64", synth(6, Linear, 0, ratio), math.MinInt64, 1, 0, 0, true},
		{"num MaxInt64", synth(6, Linear, 0, ratio), math.MaxInt64, -1, 0, 0, true},
		{"100·num overflows", synth(6, Linear, 0, ratio), math.MaxInt64/100 + 1, math.MaxInt64, 0, 0, true},
		{"rate too large", synth(6, Linear, 0, ratio), math.MaxInt64 / 100, 1, 0, 0, true},
		{"den·scale overflows", synth(0, Monitored, 0, avg), 1, math.MaxInt64/480 + 1, 0, 0, true},
		{"points 1e-30", synth(1e-30, Linear, 0, ratio), 1, 1, 0, 0, true},
		{"points 1e30", synth(1e30, LinearOrFullIfNone, 0, ratio), 0, 0, 0, 0, true},
		{"points negative", synth(-2, Linear, 0, ratio), 1, 2, 0, 0, true},
		{"threshold negative", synth(2, FullAt, -5, ratio), 1, 2, 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := measures[tc.ind.Measure]
			_, ok := scoreExact(&tc.ind, &m, tc.num, tc.den)
			if ok == tc.slow {
				t.Errorf("scoreExact ok = %v, want %v", ok, !tc.slow)
			}
			checkExact(t, tc.ind, tc.num, tc.den)
			if tc.slow {
				return
			}
			r := Score(tc.ind, tc.num, tc.den)
			for _, f := range []struct {
				name string
				got  *float64
				want float64
			}{{"rate", r.Rate, tc.rate}, {"points", r.Points, tc.points}} {
				switch {
				case math.IsNaN(f.want) && f.got != nil:
					t.Errorf("%s = %v, want nil", f.name, *f.got)
				case !math.IsNaN(f.want) && f.got == nil:
					t.Errorf("%s = nil, want %v", f.name, f.want)
				case f.got != nil && *f.got != f.want:
					t.Errorf("%s = %v, want %v", f.name, *f.got, f.want)
				}
			}
		})
	}
}

// TestScoreExactUnknownRule: an unknown rule kind is left to scoreRat, which scores nothing
// without a denominator.
func TestScoreExactUnknownRule(t *testing.T) {
	ind := synth(2, "bogus", 0, "dossiers_on_time")
	m := measures[ind.Measure]
	if _, ok := scoreExact(&ind, &m, 1, 2); ok {
		t.Error("scoreExact handled an unknown rule")
	}
	checkExact(t, ind, 0, 0)
	checkExact(t, ind, 1, 2)
}

// TestComputeExact compares Compute's indicators with scoreRat on the hand case.
func TestComputeExact(t *testing.T) {
	recs, facts := handUnit()
	p, _ := Month(2026, 3)
	in := Inputs{Period: p, Totals: Tally(p, rowsOf(recs)), Procedures: facts,
		CertifiedCopies: CertifiedCopies{Communes: 3, Providing: 2}, Feedback: Feedback{Total: 7, OnTime: 6, Satisfied: 5}}
	cfg := DefaultConfig()
	rep := Compute(cfg, in)
	s := Summarize(&in.Totals.Before, &in.Totals.During)
	n := 0
	for _, g := range rep.Groups {
		for _, r := range g.Indicators {
			ind := cfg.Indicators[n]
			num, den := measures[ind.Measure].fn(&in, &s)
			if d := sameResult(r, scoreRat(ind, num, den)); d != "" {
				t.Errorf("%s: %s", r.ID, d)
			}
			n++
		}
	}
	if n != len(cfg.Indicators) {
		t.Errorf("%d indicators, want %d", n, len(cfg.Indicators))
	}
}

// FuzzScoreExact checks that Score (integer arithmetic, falling back to big.Rat) equals
// scoreRat for any numerator and denominator, with the default indicators and with synthetic
// ones: points in steps of 0.25 up to 20, thresholds from 1 to 100 with 2 decimals, and points
// from arbitrary float bits.
func FuzzScoreExact(f *testing.F) {
	const maxI, minI = math.MaxInt64, math.MinInt64
	seeds := [][2]int64{
		{2, 3}, {1, 3}, {1, 8}, {1, 16}, {1, 32}, {1, 800}, {79, 100}, {89, 100}, {3, 2}, {0, 0},
		{0, 1}, {5, 0}, {-1, 8}, {1, -800}, {-1, -8}, {960, 1}, {12, 1}, {-12, 1}, {2400, 3},
		{minI, 1}, {minI, -1}, {maxI, 1}, {maxI, -1}, {maxI, maxI}, {minI, minI}, {1, minI},
		{maxI / 100, 1}, {maxI/100 + 1, 1}, {-maxI / 100, 1}, {-maxI/100 - 1, 3},
		{maxI / 100, maxI}, {1 << 40, 1}, {1 << 59, 1 << 59}, {1, 1 << 59}, {1, maxI / 480},
		{1, maxI/480 + 1}, {1 << 50, 3}, {2001, 3000}, {6667, 10000}, {1, 400},
	}
	for i, s := range seeds {
		f.Add(s[0], s[1], uint16(i*7), uint16(i*131), uint8(i), uint64(i)*0x0123456789abcdef)
	}
	f.Add(int64(1), int64(2), uint16(0), uint16(0), uint8(1), math.Float64bits(math.NaN()))
	f.Add(int64(1), int64(2), uint16(3), uint16(0), uint8(6), math.Float64bits(math.Inf(1)))
	f.Add(int64(-1), int64(2), uint16(3), uint16(0), uint8(1), math.Float64bits(-2))
	f.Add(int64(7), int64(9), uint16(10), uint16(6567), uint8(3), math.Float64bits(2.5))
	f.Add(int64(1), int64(3), uint16(80), uint16(9900), uint8(4), math.Float64bits(1e-7))
	f.Add(int64(1), int64(0), uint16(80), uint16(0), uint8(3), math.Float64bits(1e21))
	cfg := DefaultConfig()
	kinds := []RuleKind{Linear, FullAt, Monitored, LinearOrFullIfNone, FullAtOrZeroIfNone}
	f.Fuzz(func(t *testing.T, num, den int64, p, th uint16, k uint8, raw uint64) {
		for _, ind := range cfg.Indicators {
			checkExact(t, ind, num, den)
		}
		kind := kinds[int(k)%len(kinds)]
		measure := "dossiers_on_time"
		if k/8%2 == 1 {
			measure = "average_processing_days"
		}
		points := float64(p%81) * 0.25
		threshold := float64(100+int(th)%9901) / 100
		if kind == Monitored {
			points = 0
		}
		if kind != FullAt && kind != FullAtOrZeroIfNone {
			threshold = 0
		}
		checkExact(t, synth(points, kind, threshold, measure), num, den)
		// Arbitrary points and threshold: negative, NaN, huge, tiny, any decimal.
		other := math.Float64frombits(raw)
		checkExact(t, synth(other, kind, threshold, measure), num, den)
		checkExact(t, synth(points, kind, other, measure), num, den)
		checkExact(t, synth(float64(p)/100, kind, float64(th)/1000, measure), num, den)
	})
}

// BenchmarkComputeTallied scores a province's year of counters, already summed: Compute on
// realistic magnitudes, every indicator scored.
func BenchmarkComputeTallied(b *testing.B) {
	rows, facts, p := provinceYear(b)
	in := Inputs{Period: p, Totals: Tally(p, rows), Procedures: facts,
		Feedback: Feedback{Total: 1234, OnTime: 1200, Satisfied: 1111}, CertifiedCopies: CertifiedCopies{Communes: 110, Providing: 97}}
	cfg := DefaultConfig()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Compute(cfg, in)
	}
}

// BenchmarkScore scores one full_at indicator with the integer path (Score) and with the
// big.Rat reference (scoreRat).
func BenchmarkScore(b *testing.B) {
	ind := synth(2, FullAt, 80, "dossiers_on_time")
	for _, bc := range []struct {
		name string
		fn   func(Indicator, int64, int64) IndicatorResult
	}{{"exact", Score}, {"rat", scoreRat}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bc.fn(ind, 12345, 16789)
			}
		})
	}
}
