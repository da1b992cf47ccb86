package index

import (
	"math/big"
)

// OnlineLevel is how far a procedure can be done online (GLOSSARY: DVC toàn trình / một phần).
type OnlineLevel string

// Online levels.
const (
	OnlineNone    OnlineLevel = "none"
	OnlinePartial OnlineLevel = "partial"
	OnlineFull    OnlineLevel = "full"
)

// ProcedureFacts are the per-procedure facts of indicators 1.1-1.3, 3.1, 3.2, 3.4, 3.5 and
// 4.6, judged by the caller (which holds the catalog and the working calendar) for the unit
// and period being computed.
type ProcedureFacts struct {
	// Procedure is the procedure's code, the same as in the rollup keys, so that its period
	// counters (Totals.ByProcedure) can be found for 3.2 and 3.5.
	Procedure string `json:"procedure"`
	// PublishedInPeriod: a publishing decision for the procedure was signed in the period
	// (denominator of 1.1 and 1.2).
	PublishedInPeriod bool `json:"published_in_period"`
	// PublishedOnTime: that decision came at least 5 working days before the legal basis took
	// effect (1.1).
	PublishedOnTime bool `json:"published_on_time"`
	// NationalDBOnTime: it was published on the national TTHC database within 5 working days
	// of the decision (1.2).
	NationalDBOnTime bool `json:"national_db_on_time"`
	// CompletePublication: every part is published (1.3).
	CompletePublication bool        `json:"complete_publication"`
	OnlineLevel         OnlineLevel `json:"online_level"`
	FeeBearing          bool        `json:"fee_bearing"`
	// PaymentIntegrated: online payment is integrated for its fees (3.4).
	PaymentIntegrated bool `json:"payment_integrated"`
	// UsesPopulationData: identity verification or data from the population database is
	// deployed for it (4.6).
	UsesPopulationData bool `json:"uses_population_data"`
}

// Feedback counts feedback (PAKN) of the unit closed in the period, for 5.1 and 5.2.
type Feedback struct {
	Total     int64 `json:"total"`
	OnTime    int64 `json:"on_time"`
	Satisfied int64 `json:"satisfied"`
}

// CertifiedCopies counts, for 4.3, the commune-level units under the unit and how many of
// them provide electronic certified copies (a commune counts 1 of 1 or 0 of 1).
type CertifiedCopies struct {
	Communes  int64 `json:"communes"`
	Providing int64 `json:"providing"`
}

// Row is one rollup row, as the store reads it.
type Row struct {
	Key      Key
	Day      Date
	Counters Counters
}

// Totals are the sums of a unit's rollup rows Compute needs: every row dated before the
// period (for stocks), the rows within it, and the latter per procedure code.
type Totals struct {
	Before      Counters
	During      Counters
	ByProcedure map[string]*Counters
}

// Tally sums rows, already restricted to the unit's keys, for period p. Rows after the
// period are ignored. The cost is one pass over the rows and never looks at a dossier.
func Tally(p Period, rows []Row) Totals {
	t := Totals{ByProcedure: map[string]*Counters{}}
	var last string
	var cur *Counters
	for i := range rows {
		r := &rows[i]
		switch {
		case r.Day < p.From:
			t.Before.Add(&r.Counters)
		case r.Day <= p.To:
			t.During.Add(&r.Counters)
			if cur == nil || r.Key.Procedure != last {
				last = r.Key.Procedure
				cur = t.ByProcedure[last]
				if cur == nil {
					cur = &Counters{}
					t.ByProcedure[last] = cur
				}
			}
			cur.Add(&r.Counters)
		}
	}
	return t
}

// Inputs is everything Compute needs for one unit and period.
type Inputs struct {
	Period          Period           `json:"period"`
	Totals          Totals           `json:"-"`
	Procedures      []ProcedureFacts `json:"procedures"`
	Feedback        Feedback         `json:"feedback"`
	CertifiedCopies CertifiedCopies  `json:"certified_copies"`
}

// Report is the service index of one unit for one period. Total and MaxTotal add up the
// scored indicators only: one not scored (N/A) is missing from both.
type Report struct {
	Period   Period        `json:"period"`
	Groups   []GroupResult `json:"groups"`
	Total    float64       `json:"total"`
	MaxTotal float64       `json:"max_total"`
	Summary  Summary       `json:"summary"`
}

// GroupResult is one group of a Report. Points is the sum of its indicators' rounded points,
// so what the dashboard shows adds up; MaxPoints sums the scored indicators' maxima and
// NominalPoints is the decision's figure for the group.
type GroupResult struct {
	ID            string            `json:"id"`
	NameVI        string            `json:"name_vi"`
	NameEN        string            `json:"name_en"`
	Points        float64           `json:"points"`
	MaxPoints     float64           `json:"max_points"`
	NominalPoints float64           `json:"nominal_points"`
	Indicators    []IndicatorResult `json:"indicators"`
}

// IndicatorResult is one indicator of a Report. Rate is a percentage rounded to 2 decimals
// (for 2.2, an average in working days), nil when the denominator is zero (N/A). Points is
// rounded to 2 decimals, nil when the indicator is not scored.
type IndicatorResult struct {
	ID          string   `json:"id"`
	NameVI      string   `json:"name_vi"`
	NameEN      string   `json:"name_en"`
	FormulaVI   string   `json:"formula_vi"`
	Rule        Rule     `json:"rule"`
	Numerator   int64    `json:"numerator"`
	Denominator int64    `json:"denominator"`
	Rate        *float64 `json:"rate"`
	Points      *float64 `json:"points"`
	MaxPoints   float64  `json:"max_points"`
}

// measure yields an indicator's numerator and denominator. average marks a measure whose
// rate is numerator / denominator / scale instead of a percentage.
type measure struct {
	fn      func(in *Inputs, s *Summary) (num, den int64)
	average bool
	scale   int64
	dossier bool // counts dossiers, so Involve can tell which ones
}

// minutesPerWorkingDay converts 2.2's working minutes into working days (LEGAL.md §7).
const minutesPerWorkingDay = 8 * 60

// countProcedures counts procedures passing in (denominator) and, among those, num.
func countProcedures(in *Inputs, in2 func(*ProcedureFacts) bool, num func(*ProcedureFacts, *Counters) bool) (n, d int64) {
	for i := range in.Procedures {
		f := &in.Procedures[i]
		if !in2(f) {
			continue
		}
		d++
		c := in.Totals.ByProcedure[f.Procedure]
		if c == nil {
			c = &noCounters
		}
		if num(f, c) {
			n++
		}
	}
	return n, d
}

// noCounters stands for a procedure without rows in countProcedures (a shared zero value, so
// that it is not allocated on every call; the num functions only read it).
var noCounters Counters

func all(*ProcedureFacts) bool { return true }

// measures are the built-in numerator/denominator pairs the configuration refers to by name.
var measures = map[string]measure{
	"procedures_published_on_time": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return countProcedures(in, func(f *ProcedureFacts) bool { return f.PublishedInPeriod },
			func(f *ProcedureFacts, _ *Counters) bool { return f.PublishedOnTime })
	}},
	"procedures_national_db_on_time": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return countProcedures(in, func(f *ProcedureFacts) bool { return f.PublishedInPeriod },
			func(f *ProcedureFacts, _ *Counters) bool { return f.NationalDBOnTime })
	}},
	"procedures_complete_publication": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return countProcedures(in, all, func(f *ProcedureFacts, _ *Counters) bool { return f.CompletePublication })
	}},
	"dossiers_synced": {dossier: true, fn: func(in *Inputs, s *Summary) (int64, int64) {
		return in.Totals.During[Synced], s.Received
	}},
	"dossiers_on_time": {dossier: true, fn: func(_ *Inputs, s *Summary) (int64, int64) {
		return s.OnTime(), s.Handled
	}},
	"average_processing_days": {dossier: true, average: true, scale: minutesPerWorkingDay, fn: func(in *Inputs, s *Summary) (int64, int64) {
		return in.Totals.During[ProcessingMinutes], s.Finished
	}},
	"procedures_online": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return countProcedures(in, all, func(f *ProcedureFacts, _ *Counters) bool { return isOnline(f) })
	}},
	"online_procedures_used": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return countProcedures(in, isOnline, func(_ *ProcedureFacts, c *Counters) bool { return c[ReceivedOnline] > 0 })
	}},
	"dossiers_online": {dossier: true, fn: func(in *Inputs, s *Summary) (int64, int64) {
		return in.Totals.During[OnlineCounted], s.Received
	}},
	"fee_procedures_integrated": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return countProcedures(in, func(f *ProcedureFacts) bool { return f.FeeBearing },
			func(f *ProcedureFacts, _ *Counters) bool { return f.PaymentIntegrated })
	}},
	"fee_procedures_paid_online": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return countProcedures(in, func(f *ProcedureFacts) bool { return f.FeeBearing },
			func(_ *ProcedureFacts, c *Counters) bool { return c[PaidOnline] > 0 })
	}},
	"dossiers_paid_online": {dossier: true, fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return in.Totals.During[PaidOnline], in.Totals.During[FeeBearing]
	}},
	"dossiers_e_result": {dossier: true, fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return in.Totals.During[EResult], in.Totals.During[ResultDocument]
	}},
	"dossiers_digitized": {dossier: true, fn: func(in *Inputs, s *Summary) (int64, int64) {
		return in.Totals.During[Digitized], s.Received
	}},
	"communes_certified_copies": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return in.CertifiedCopies.Providing, in.CertifiedCopies.Communes
	}},
	"dossiers_reused": {dossier: true, fn: func(in *Inputs, s *Summary) (int64, int64) {
		return in.Totals.During[Reused], s.Received
	}},
	"dossiers_vault_linked": {dossier: true, fn: func(in *Inputs, s *Summary) (int64, int64) {
		return in.Totals.During[VaultLinked], s.Received
	}},
	"procedures_population_data": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return countProcedures(in, all, func(f *ProcedureFacts, _ *Counters) bool { return f.UsesPopulationData })
	}},
	"dossiers_population_data": {dossier: true, fn: func(in *Inputs, s *Summary) (int64, int64) {
		return in.Totals.During[PopulationData], s.Received
	}},
	"feedback_on_time": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return in.Feedback.OnTime, in.Feedback.Total
	}},
	"feedback_satisfied": {fn: func(in *Inputs, _ *Summary) (int64, int64) {
		return in.Feedback.Satisfied, in.Feedback.Total
	}},
	// 5.3 = 100% - (late % + negative %) over the dossiers handled in the period. The two
	// percentages are added as the formula says, so a late dossier that was also rated badly
	// counts twice; the result never drops below zero.
	"dossier_satisfaction": {dossier: true, fn: func(_ *Inputs, s *Summary) (int64, int64) {
		n := s.Handled - (s.Handled - s.OnTime()) - s.Negative
		return max(n, 0), s.Handled
	}},
}

func isOnline(f *ProcedureFacts) bool {
	return f.OnlineLevel == OnlinePartial || f.OnlineLevel == OnlineFull
}

// Compute scores one unit for one period.
//
// Rounding: rates are shown rounded to 2 decimals, half away from zero. Points are computed
// from the exact rate (the fraction numerator/denominator, in exact rational arithmetic) and
// then rounded to 2 decimals; groups and the total add the rounded points, so every figure on
// a dashboard is the sum of the figures below it. The portal's published points for Phú Thọ,
// August 2026, are reproduced this way (see reference_test.go).
func Compute(cfg Config, in Inputs) Report {
	s := Summarize(&in.Totals.Before, &in.Totals.During)
	rep := Report{Period: in.Period, Summary: s}
	if len(cfg.Groups) > 0 {
		rep.Groups = make([]GroupResult, 0, len(cfg.Groups))
	}
	// One backing array for every group's indicators and one for their rates and points
	// (should they outgrow it, with repeated group IDs, append moves on to a new one and what
	// points into the old stays valid). Each group gets its own part, capped so that appending
	// to it cannot reach the next.
	results := make([]IndicatorResult, 0, len(cfg.Indicators))
	vals := make([]float64, 0, 2*len(cfg.Indicators))
	var total, maxTotal int64
	for _, g := range cfg.Groups {
		gr := GroupResult{ID: g.ID, NameVI: g.NameVI, NameEN: g.NameEN, NominalPoints: g.Points}
		start := len(results)
		var gp, gmax int64
		for i := range cfg.Indicators {
			ind := &cfg.Indicators[i]
			if ind.Group != g.ID {
				continue
			}
			results = append(results, IndicatorResult{})
			r := &results[len(results)-1]
			score(r, ind, &in, &s, &vals)
			if r.Points != nil {
				gp += hundredths(*r.Points)
				gmax += hundredths(r.MaxPoints)
			}
		}
		gr.Indicators = results[start:len(results):len(results)]
		gr.Points, gr.MaxPoints = float64(gp)/100, float64(gmax)/100
		total += gp
		maxTotal += gmax
		rep.Groups = append(rep.Groups, gr)
	}
	rep.Total, rep.MaxTotal = float64(total)/100, float64(maxTotal)/100
	return rep
}

// hundredths converts a value already rounded to 2 decimals into an exact integer.
func hundredths(f float64) int64 {
	if f < 0 {
		return -hundredths(-f)
	}
	return int64(f*100 + 0.5)
}

// score scores ind into r (zero) for Compute. The result's rate and points are appended to
// vals and point there, instead of being allocated one by one.
func score(r *IndicatorResult, ind *Indicator, in *Inputs, s *Summary, vals *[]float64) {
	var num, den int64
	m, ok := measures[ind.Measure]
	if ok { // else rejected by Config.Validate
		num, den = m.fn(in, s)
	}
	scoreWith(r, ind, &m, num, den, vals)
}

// Score scores one indicator from its numerator and denominator by the indicator's rule. It is
// what Compute does for each indicator, exposed so that figures from elsewhere (the national
// portal's, a drill-down's) can be scored by the same rules.
func Score(ind Indicator, num, den int64) IndicatorResult {
	m := measures[ind.Measure]
	var r IndicatorResult
	scoreWith(&r, &ind, &m, num, den, nil)
	return r
}

// scoreWith is Score into r (zero), with the indicator's measure m already looked up; the rate
// and points are appended to vals when it is not nil. It computes in integers (scoreExact) and
// falls back to the rational arithmetic of scoreRat, the reference, for the inputs scoreExact
// does not handle; the two agree exactly (TestScoreExact, FuzzScoreExact).
func scoreWith(r *IndicatorResult, ind *Indicator, m *measure, num, den int64, vals *[]float64) {
	e, ok := scoreExact(ind, m, num, den)
	if !ok {
		*r = scoreRat(*ind, num, den)
		return
	}
	r.ID, r.NameVI, r.NameEN, r.FormulaVI, r.Rule = ind.ID, ind.NameVI, ind.NameEN, ind.FormulaVI, ind.Rule
	r.Numerator, r.Denominator = num, den
	if ind.Rule.Kind != Monitored {
		r.MaxPoints = ind.Points
	}
	put := func(f float64) *float64 {
		if vals == nil {
			return ptr(f)
		}
		*vals = append(*vals, f)
		return &(*vals)[len(*vals)-1]
	}
	if e.hasRate {
		r.Rate = put(e.rate)
	}
	if e.hasPoints {
		r.Points = put(e.points)
	}
}

// scoreRat is Score in exact rational arithmetic (math/big): the reference scoreExact must
// agree with, and what Score uses for inputs scoreExact does not handle.
func scoreRat(ind Indicator, num, den int64) IndicatorResult {
	r := IndicatorResult{ID: ind.ID, NameVI: ind.NameVI, NameEN: ind.NameEN, FormulaVI: ind.FormulaVI, Rule: ind.Rule}
	m := measures[ind.Measure]
	r.Numerator, r.Denominator = num, den
	if ind.Rule.Kind != Monitored {
		r.MaxPoints = ind.Points
	}
	var rate *big.Rat // exact percentage
	if r.Denominator != 0 {
		if m.average {
			rate = big.NewRat(r.Numerator, r.Denominator*m.scale)
		} else {
			rate = big.NewRat(100*r.Numerator, r.Denominator)
		}
		r.Rate = ptr(round2(rate))
	}
	pts := exact(ind.Points)
	switch {
	case ind.Rule.Kind == Monitored:
		return r
	case rate == nil && ind.Rule.Kind == LinearOrFullIfNone:
		r.Points = ptr(round2(pts))
		return r
	case rate == nil && ind.Rule.Kind == FullAtOrZeroIfNone:
		r.Points = ptr(0)
		return r
	case rate == nil:
		return r // N/A: not scored
	}
	var p *big.Rat
	switch ind.Rule.Kind {
	case Linear, LinearOrFullIfNone:
		p = new(big.Rat).Mul(pts, rate)
		p.Quo(p, big.NewRat(100, 1))
	case FullAt, FullAtOrZeroIfNone:
		t := exact(ind.Rule.Threshold)
		if rate.Cmp(t) >= 0 {
			p = pts
		} else {
			p = new(big.Rat).Mul(pts, rate)
			p.Quo(p, t)
		}
	}
	// Clamp: a numerator larger than its denominator (inconsistent input) must not give more
	// than the indicator's points.
	if p.Cmp(pts) > 0 {
		p = pts
	}
	if p.Sign() < 0 {
		p = new(big.Rat)
	}
	r.Points = ptr(round2(p))
	return r
}

func ptr(f float64) *float64 { return &f }

// round2 rounds x to 2 decimals, half away from zero, exactly.
func round2(x *big.Rat) float64 {
	n := new(big.Int).Mul(x.Num(), big.NewInt(100))
	neg := n.Sign() < 0
	n.Abs(n)
	d := x.Denom()
	// floor((2n + d) / 2d) rounds n/d half up for n >= 0.
	n.Lsh(n, 1).Add(n, d)
	q := n.Quo(n, new(big.Int).Lsh(d, 1)).Int64()
	if neg {
		q = -q
	}
	return float64(q) / 100
}

// Involvement tells whether one dossier is counted in an indicator's numerator and
// denominator for a period.
type Involvement struct {
	ID            string `json:"id"`
	InNumerator   bool   `json:"in_numerator"`
	InDenominator bool   `json:"in_denominator"`
}

// Involve lists, for the indicators that count dossiers, whether the dossier r is behind their
// numerator and denominator in period p: the drill-down from a figure to its dossiers, decided
// by the same counters and measures as the figure itself, so the two cannot disagree. For 2.2
// the numerator is working time (InNumerator: some time was counted); for 5.3 a dossier both
// late and rated badly is subtracted twice in the aggregate but is simply not in the numerator
// here.
func Involve(cfg Config, r Record, p Period) []Involvement {
	var rows []Row
	for _, c := range Contributions(r) {
		rows = append(rows, Row(c))
	}
	in := Inputs{Period: p, Totals: Tally(p, rows)}
	s := Summarize(&in.Totals.Before, &in.Totals.During)
	var out []Involvement
	for _, ind := range cfg.Indicators {
		m, ok := measures[ind.Measure]
		if !ok || !m.dossier {
			continue
		}
		num, den := m.fn(&in, &s)
		out = append(out, Involvement{ID: ind.ID, InNumerator: num > 0, InDenominator: den > 0})
	}
	return out
}
