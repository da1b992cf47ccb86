package index

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func f(v float64) *float64 { return &v }

// TestScore checks every indicator's scoring rule on hand-computed cases, including the
// special cases of LEGAL.md §8 and the rounding decision (points from the exact rate).
func TestScore(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		id            string
		name          string
		num, den      int64
		rate, points  *float64
		wantMaxPoints float64
	}{
		{"1.1", "three of four on time: 6 × 75%", 3, 4, f(75), f(4.5), 6},
		{"1.1", "nothing published: not scored", 0, 0, nil, nil, 6},
		{"1.1", "none on time", 0, 5, f(0), f(0), 6},
		{"1.2", "4 × 1/3", 1, 3, f(33.33), f(1.33), 4},
		{"1.2", "nothing published: not scored", 0, 0, nil, nil, 4},
		{"1.3", "2 × 87/89 = 1.955 rounds up", 87, 89, f(97.75), f(1.96), 2},
		{"1.3", "numerator above denominator is capped", 3, 2, f(150), f(2), 2},
		{"1.4", "exact rate: 6 × 1/48 = 0.125 -> 0.13 (rounded rate 2.08% would give 0.12)", 1, 48, f(2.08), f(0.13), 6},
		{"1.4", "all synced", 10, 10, f(100), f(6), 6},
		{"2.1", "20 × 7/8", 7, 8, f(87.5), f(17.5), 20},
		{"2.1", "no dossiers: N/A", 0, 0, nil, nil, 20},
		{"2.2", "monitored: 4800 working minutes over 4 dossiers = 2.5 working days", 4800, 4, f(2.5), nil, 0},
		{"2.2", "monitored: 1000 minutes over 3 dossiers = 0.69 days", 1000, 3, f(0.69), nil, 0},
		{"3.1", "exactly at 80%: full", 4, 5, f(80), f(2), 2},
		{"3.1", "60% of full at 80%: 2 × 60/80", 3, 5, f(60), f(1.5), 2},
		{"3.1", "above 80%: full", 9, 10, f(90), f(2), 2},
		{"3.1", "no procedures: N/A", 0, 0, nil, nil, 2},
		{"3.2", "4 × 25%", 1, 4, f(25), f(1), 4},
		{"3.3", "at 50%: full", 1, 2, f(50), f(6), 6},
		{"3.3", "25%: 6 × 25/50", 1, 4, f(25), f(3), 6},
		{"3.3", "49%: 6 × 49/50", 49, 100, f(49), f(5.88), 6},
		{"3.4", "exact rate: 2 × 12.195/80 = 0.3049 -> 0.30 (rounded rate 12.20% would give 0.31)", 5, 41, f(12.2), f(0.3), 2},
		{"3.5", "2.5 × 93/310", 93, 310, f(30), f(0.75), 2},
		{"3.6", "6 × 82913/98459", 82913, 98459, f(84.21), f(5.05), 6},
		{"3.6", "no fee-bearing dossiers: N/A", 0, 0, nil, nil, 6},
		{"4.1", "6 × 133274/184513", 133274, 184513, f(72.23), f(4.33), 6},
		{"4.2", "4 × 1/3", 1, 3, f(33.33), f(1.33), 4},
		{"4.3", "the commune provides it", 1, 1, f(100), f(2), 2},
		{"4.3", "the commune does not", 0, 1, f(0), f(0), 2},
		{"4.3", "no commune under the unit: N/A", 0, 0, nil, nil, 2},
		{"4.4", "2 × 1.71% / 80%", 3160, 184513, f(1.71), f(0.04), 2},
		{"4.4", "at 80%: full", 8, 10, f(80), f(2), 2},
		{"4.5", "none linked", 0, 10, f(0), f(0), 4},
		{"4.6", "2 × 297/1301", 297, 1301, f(22.83), f(0.46), 2},
		{"4.7", "rate 3.125% rounds half up to 3.13", 1, 32, f(3.13), f(0.06), 2},
		{"5.1", "no feedback: full 6 points, rate N/A", 0, 0, nil, f(6), 6},
		{"5.1", "6 × 182/247", 182, 247, f(73.68), f(4.42), 6},
		{"5.2", "no feedback: full 6 points", 0, 0, nil, f(6), 6},
		{"5.2", "6 × 137/247", 137, 247, f(55.47), f(3.33), 6},
		{"5.2", "none satisfied", 0, 4, f(0), f(0), 6},
		{"5.3", "no dossiers: 0 points", 0, 0, nil, f(0), 6},
		{"5.3", "at 90%: full", 9, 10, f(90), f(6), 6},
		{"5.3", "min(6, 6 × 78.35% / 90%)", 144574, 184513, f(78.35), f(5.22), 6},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		covered[tc.id] = true
		t.Run(tc.id+" "+tc.name, func(t *testing.T) {
			ind := indicatorByID(t, cfg, tc.id)
			got := Score(ind, tc.num, tc.den)
			want := IndicatorResult{
				ID: ind.ID, NameVI: ind.NameVI, NameEN: ind.NameEN, FormulaVI: ind.FormulaVI, Rule: ind.Rule,
				Numerator: tc.num, Denominator: tc.den, Rate: tc.rate, Points: tc.points, MaxPoints: tc.wantMaxPoints,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Score (-want +got):\n%s", diff)
			}
		})
	}
	for _, ind := range cfg.Indicators {
		if !covered[ind.ID] {
			t.Errorf("indicator %s has no hand-computed case", ind.ID)
		}
	}
}

type idFigures struct {
	Num, Den     int64
	Rate, Points *float64
}

func figures(rep Report) map[string]idFigures {
	m := map[string]idFigures{}
	for _, g := range rep.Groups {
		for _, r := range g.Indicators {
			m[r.ID] = idFigures{r.Numerator, r.Denominator, r.Rate, r.Points}
		}
	}
	return m
}

func groupPoints(rep Report) map[string]float64 {
	m := map[string]float64{}
	for _, g := range rep.Groups {
		m[g.ID] = g.Points
	}
	return m
}

// handUnit is a commune's March 2026, small enough to count by hand (see the comments).
func handUnit() ([]Record, []ProcedureFacts) {
	d := func(m time.Month, day, h int) time.Time { return time.Date(2026, m, day, h, 0, 0, 0, Zone) }
	rec := func(proc string, ch Channel, recv, due time.Time) Record {
		return Record{Unit: "xa-a", Procedure: proc, Channel: ch, ReceivedAt: recv, DueAt: due}
	}
	// A: early (ended a working day before its due date).
	a := rec("p1", ChannelDirect, d(3, 2, 9), d(3, 10, 17))
	a.EarlyBy, a.ProcessedAt, a.ProcessingMinutes = d(3, 9, 17), d(3, 5, 10), 480
	a.Synced, a.Digitized, a.ResultIsDocument, a.EResult = true, true, true, true
	a.FeeBearing, a.PaidOnline, a.PopulationDataUsed, a.Rating = true, true, true, RatingVerySatisfied
	// B: one supplement; the engine moved the due date from 12 to 20 March when the
	// supplement arrived, so finishing on 18 March is on time. Online but its paper result got
	// no e-result: not counted by 3.3.
	b := rec("p2", ChannelOnline, d(3, 3, 9), d(3, 20, 17))
	b.SupplementRequests, b.ProcessedAt, b.ProcessingMinutes = 1, d(3, 18, 9), 960
	b.Synced, b.PaperResultRequired, b.ResultIsDocument = true, true, true
	b.Reused, b.VaultLinked = true, true
	// C: two supplement requests: late although finished long before its due date.
	c := rec("p2", ChannelOnline, d(3, 4, 9), d(3, 25, 17))
	c.SupplementRequests, c.SecondSupplementAt, c.ProcessedAt, c.ProcessingMinutes = 2, d(3, 6, 9), d(3, 10, 9), 480
	c.Digitized, c.ResultIsDocument, c.EResult, c.PopulationDataUsed = true, true, true, true
	c.Rating = RatingDissatisfied
	// D: processed on the due day, handed back a week later: on time.
	dd := rec("p3", ChannelDirect, d(3, 5, 9), d(3, 13, 17))
	dd.ProcessedAt, dd.ReturnedAt, dd.ProcessingMinutes = d(3, 13, 9), d(3, 20, 9), 480
	dd.Synced, dd.FeeBearing = true, true
	// E: open at the end of March, due in April: in progress on time; has a complaint.
	e := rec("p1", ChannelPostal, d(3, 20, 9), d(4, 10, 17))
	e.HasNegativeFeedback = true
	// F: open at the end of March, due 27 March: overdue.
	ff := rec("p3", ChannelDirect, d(3, 16, 9), d(3, 27, 17))
	// G: received in February, carried over, finished on time in March.
	g := rec("p1", ChannelDirect, d(2, 20, 9), d(3, 3, 17))
	g.ProcessedAt, g.ProcessingMinutes, g.ResultIsDocument = d(3, 2, 9), 480, true
	// H: received and finished in February: not in March at all.
	h := rec("p1", ChannelOnline, d(2, 10, 9), d(2, 20, 17))
	h.ProcessedAt = d(2, 19, 9)
	// I: received in April.
	i := rec("p2", ChannelOnline, d(4, 2, 9), d(4, 20, 17))
	// J: withdrawn by the applicant before its due date: on time.
	j := rec("p4", ChannelOnline, d(3, 9, 9), d(3, 30, 17))
	j.WithdrawnAt = d(3, 11, 9)
	recs := []Record{a, b, c, dd, e, ff, g, h, i, j}
	facts := []ProcedureFacts{
		{Procedure: "p1", PublishedInPeriod: true, PublishedOnTime: true, NationalDBOnTime: true, CompletePublication: true,
			OnlineLevel: OnlineFull, FeeBearing: true, PaymentIntegrated: true, UsesPopulationData: true},
		{Procedure: "p2", PublishedInPeriod: true, NationalDBOnTime: true, CompletePublication: true, OnlineLevel: OnlinePartial},
		{Procedure: "p3", OnlineLevel: OnlineNone, FeeBearing: true},
		{Procedure: "p4", CompletePublication: true, OnlineLevel: OnlineFull, UsesPopulationData: true},
	}
	return recs, facts
}

func rowsOf(recs []Record) []Row {
	var rows []Row
	for _, r := range recs {
		for _, c := range Contributions(r) {
			rows = append(rows, Row(c))
		}
	}
	return rows
}

// TestComputeHandCase computes a commune's March 2026 from dossier histories through the
// counters, and checks each indicator against figures counted by hand from handUnit's
// comments.
func TestComputeHandCase(t *testing.T) {
	recs, facts := handUnit()
	p, err := Month(2026, time.March)
	if err != nil {
		t.Fatal(err)
	}
	in := Inputs{Period: p, Totals: Tally(p, rowsOf(recs)), Procedures: facts, CertifiedCopies: CertifiedCopies{Communes: 1, Providing: 1}}
	rep := Compute(DefaultConfig(), in)

	wantSummary := Summary{
		CarriedOver: 1, Received: 7, ReceivedDirect: 3, ReceivedOnline: 3, ReceivedPostal: 1, Handled: 8,
		Finished: 6, FinishedEarly: 1, FinishedOnTime: 4, FinishedLate: 1,
		Processed: 5, Withdrawn: 1, OpenOnTime: 1, OpenOverdue: 1, Negative: 2,
	}
	if diff := cmp.Diff(wantSummary, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	want := map[string]idFigures{
		"1.1": {1, 2, f(50), f(3)},       // p1 of p1, p2 published on time
		"1.2": {2, 2, f(100), f(4)},      //
		"1.3": {3, 4, f(75), f(1.5)},     // p1, p2, p4 complete
		"1.4": {3, 7, f(42.86), f(2.57)}, // A, B, D synced
		"2.1": {6, 8, f(75), f(15)},      // A G B D J + E open in time; C late, F overdue
		"2.2": {2880, 6, f(1), nil},      // 2880 minutes / 6 finished / 480
		"3.1": {3, 4, f(75), f(1.88)},    // 2 × 75 / 80 = 1.875
		"3.2": {2, 3, f(66.67), f(2.67)}, // p2 (B, C) and p4 (J) got online dossiers, p1 none
		"3.3": {2, 7, f(28.57), f(3.43)}, // C and J; B has a paper result without e-result
		"3.4": {1, 2, f(50), f(1.25)},    // p1 of p1, p3
		"3.5": {1, 2, f(50), f(1.25)},    // A paid online under p1
		"3.6": {1, 2, f(50), f(3)},       // A of A, D
		"4.1": {2, 4, f(50), f(3)},       // A, C of A, B, C, G
		"4.2": {2, 7, f(28.57), f(1.14)}, // A, C
		"4.3": {1, 1, f(100), f(2)},      //
		"4.4": {1, 7, f(14.29), f(0.36)}, // B: 2 × (100/7) / 80 = 0.357
		"4.5": {1, 7, f(14.29), f(0.57)}, // B
		"4.6": {2, 4, f(50), f(1)},       // p1, p4
		"4.7": {2, 7, f(28.57), f(0.57)}, // A, C
		"5.1": {0, 0, nil, f(6)},         // no feedback
		"5.2": {0, 0, nil, f(6)},         //
		"5.3": {4, 8, f(50), f(3.33)},    // 8 - 2 late - 2 negative (C rated badly, E complaint)
	}
	if diff := cmp.Diff(want, figures(rep)); diff != "" {
		t.Errorf("indicators (-want +got):\n%s", diff)
	}
	wantGroups := map[string]float64{
		"transparency": 11.07, "timeliness": 15, "online": 7.98, "payment": 5.5, "digitization": 8.64, "satisfaction": 15.33,
	}
	if diff := cmp.Diff(wantGroups, groupPoints(rep)); diff != "" {
		t.Errorf("group points (-want +got):\n%s", diff)
	}
	if rep.Total != 63.52 || rep.MaxTotal != 100 {
		t.Errorf("total %v / %v, want 63.52 / 100", rep.Total, rep.MaxTotal)
	}
}

// TestComputeSpecialCases: with nothing published, 1.1 and 1.2 are not scored and the total
// and its maximum lack them; an empty unit gets 0 for 5.3 and full points for 5.1 and 5.2.
func TestComputeSpecialCases(t *testing.T) {
	p, err := Month(2026, time.April)
	if err != nil {
		t.Fatal(err)
	}
	rep := Compute(DefaultConfig(), Inputs{Period: p, Procedures: []ProcedureFacts{{Procedure: "p1", CompletePublication: true}}})
	got := figures(rep)
	want := map[string]idFigures{
		"1.1": {0, 0, nil, nil}, "1.2": {0, 0, nil, nil}, "1.3": {1, 1, f(100), f(2)}, "1.4": {0, 0, nil, nil},
		"2.1": {0, 0, nil, nil}, "2.2": {0, 0, nil, nil},
		"3.1": {0, 1, f(0), f(0)}, "3.2": {0, 0, nil, nil}, "3.3": {0, 0, nil, nil},
		"3.4": {0, 0, nil, nil}, "3.5": {0, 0, nil, nil}, "3.6": {0, 0, nil, nil},
		"4.1": {0, 0, nil, nil}, "4.2": {0, 0, nil, nil}, "4.3": {0, 0, nil, nil}, "4.4": {0, 0, nil, nil},
		"4.5": {0, 0, nil, nil}, "4.6": {0, 1, f(0), f(0)}, "4.7": {0, 0, nil, nil},
		"5.1": {0, 0, nil, f(6)}, "5.2": {0, 0, nil, f(6)}, "5.3": {0, 0, nil, f(0)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("indicators (-want +got):\n%s", diff)
	}
	// Scored: 1.3 (2), 3.1 (2), 4.6 (2), 5.1-5.3 (18) = 24 points at most; 2 + 6 + 6 earned.
	if rep.Total != 14 || rep.MaxTotal != 24 {
		t.Errorf("total %v / %v, want 14 / 24", rep.Total, rep.MaxTotal)
	}
	if g := rep.Groups[0]; g.MaxPoints != 2 || g.NominalPoints != 18 {
		t.Errorf("transparency max %v nominal %v, want 2 and 18", g.MaxPoints, g.NominalPoints)
	}
}

// TestReportJSON pins the API field names the issue asks for.
func TestReportJSON(t *testing.T) {
	p, _ := Month(2026, time.April)
	rep := Compute(DefaultConfig(), Inputs{Period: p})
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Period struct{ From, To string }
		Total  *float64 `json:"total"`
		Groups []struct {
			Indicators []map[string]json.RawMessage `json:"indicators"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if v.Period.From != "2026-04-01" || v.Period.To != "2026-04-30" || v.Total == nil {
		t.Errorf("period/total: %s", b)
	}
	ind := v.Groups[5].Indicators[2]
	for _, k := range []string{"id", "numerator", "denominator", "rate", "points", "max_points"} {
		if _, ok := ind[k]; !ok {
			t.Errorf("indicator JSON lacks %q: %v", k, ind)
		}
	}
	if string(ind["id"]) != `"5.3"` || string(ind["rate"]) != "null" || string(ind["points"]) != "0" {
		t.Errorf("5.3 JSON = %v", ind)
	}
}

// TestInvolveAddsUp: for random dossiers, the dossiers Involve puts behind each numerator and
// denominator add up to the figures Compute reports from the counters.
func TestInvolveAddsUp(t *testing.T) {
	cfg := DefaultConfig()
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 8))
		recs := make([]Record, 400)
		for i := range recs {
			recs[i] = randomRecord(rng)
		}
		p, err := Custom(NewDate(2026, 3, 10), NewDate(2026, 4, 9))
		if err != nil {
			t.Fatal(err)
		}
		rep := Compute(cfg, Inputs{Period: p, Totals: Tally(p, rowsOf(recs))})
		num, den := map[string]int64{}, map[string]int64{}
		for _, r := range recs {
			for _, v := range Involve(cfg, r, p) {
				if v.InNumerator {
					num[v.ID]++
				}
				if v.InDenominator {
					den[v.ID]++
				}
			}
		}
		figs := figures(rep)
		ids := Involve(cfg, Record{}, p) // every dossier-based indicator, none involved
		for _, v := range ids {
			id, fig := v.ID, figs[v.ID]
			if v.InNumerator || v.InDenominator {
				t.Errorf("%s: a never received dossier is involved", id)
			}
			if fig.Den != den[id] {
				t.Errorf("seed %d %s: denominator %d, involved dossiers %d", seed, id, fig.Den, den[id])
			}
			if id != "2.2" && id != "5.3" && fig.Num != num[id] {
				t.Errorf("seed %d %s: numerator %d, involved dossiers %d", seed, id, fig.Num, num[id])
			}
		}
		if len(ids) != 11 {
			t.Errorf("%d dossier-based indicators, want 11 (1.4, 2.1, 2.2, 3.3, 3.6, 4.1, 4.2, 4.4, 4.5, 4.7, 5.3)", len(ids))
		}
	}
	// A dossier received and finished early in March is in 2.1's numerator and denominator
	// for March, and in neither for April.
	recs, _ := handUnit()
	march, _ := Month(2026, time.March)
	april, _ := Month(2026, time.April)
	has := func(vs []Involvement, id string) Involvement {
		for _, v := range vs {
			if v.ID == id {
				return v
			}
		}
		return Involvement{}
	}
	if got := has(Involve(cfg, recs[0], march), "2.1"); !got.InNumerator || !got.InDenominator {
		t.Errorf("March 2.1: %+v", got)
	}
	if got := has(Involve(cfg, recs[0], april), "2.1"); got.InNumerator || got.InDenominator {
		t.Errorf("April 2.1: %+v", got)
	}
	// F, open and overdue at the end of March, is in 2.1's denominator only.
	if got := has(Involve(cfg, recs[5], march), "2.1"); got.InNumerator || !got.InDenominator {
		t.Errorf("overdue F, March 2.1: %+v", got)
	}
}
