package index

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// randomInputs returns inputs with arbitrary counters (small, so that zeros are common) and
// procedure facts, some procedures having counters and no facts or facts and no counters.
func randomInputs(rng *rand.Rand) Inputs {
	counters := func() Counters {
		var c Counters
		for f := range c {
			if rng.IntN(3) > 0 {
				c[f] = int64(rng.IntN(4))
			}
		}
		return c
	}
	in := Inputs{Period: Period{From: NewDate(2026, 1, 1), To: NewDate(2026, 12, 31)}}
	in.Totals = Totals{Before: counters(), During: counters(), ByProcedure: map[string]*Counters{}}
	codes := []string{"1.001", "1.002", "2.001", "2.002", "3.001"}
	for _, code := range codes {
		if rng.IntN(3) > 0 {
			c := counters()
			in.Totals.ByProcedure[code] = &c
		}
		if rng.IntN(4) > 0 {
			levels := []OnlineLevel{OnlineNone, OnlinePartial, OnlineFull}
			in.Procedures = append(in.Procedures, ProcedureFacts{
				Procedure: code, OnlineLevel: levels[rng.IntN(3)], FeeBearing: rng.IntN(2) == 0,
				PaymentIntegrated: rng.IntN(2) == 0, UsesPopulationData: rng.IntN(2) == 0,
				PublishedInPeriod: rng.IntN(2) == 0, PublishedOnTime: rng.IntN(2) == 0,
				NationalDBOnTime: rng.IntN(2) == 0, CompletePublication: rng.IntN(2) == 0,
			})
		}
	}
	return in
}

// FuzzComputeLean checks that Compute reads nothing of Totals but what Lean keeps: a measure
// that starts reading another counter before the period or per procedure fails here until
// StockFields or ProcedureFields (and with them store.IndexTotals) say so.
func FuzzComputeLean(f *testing.F) {
	for seed := range uint64(20) {
		f.Add(seed)
	}
	cfg := DefaultConfig()
	f.Fuzz(func(t *testing.T, seed uint64) {
		in := randomInputs(rand.New(rand.NewPCG(seed, 766)))
		lean := in
		lean.Totals = in.Totals.Lean()
		if got, want := Compute(cfg, lean), Compute(cfg, in); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: Compute differs on lean totals:\n got %+v\nwant %+v", seed, got, want)
		}
	})
}

// TestLean checks what Lean keeps on a hand-made case.
func TestLean(t *testing.T) {
	var before, during, p1, p2 Counters
	for f := range before {
		before[f], during[f] = int64(f)+1, int64(f)+100
	}
	p1[ReceivedOnline], p1[FinishedLate] = 2, 5
	p2[FinishedLate] = 7 // nothing Compute reads per procedure
	got := Totals{Before: before, During: during, ByProcedure: map[string]*Counters{"a": &p1, "b": &p2}}.Lean()
	var wantBefore, wantP1 Counters
	for _, f := range StockFields {
		wantBefore[f] = int64(f) + 1
	}
	wantP1[ReceivedOnline] = 2
	want := Totals{Before: wantBefore, During: during, ByProcedure: map[string]*Counters{"a": &wantP1, "b": {}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Lean() = %+v, want %+v", got, want)
	}
}
