package index

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// at returns 2026-mm-dd hh:mi in Vietnam.
func at(m time.Month, d, h, mi int) time.Time {
	return time.Date(2026, m, d, h, mi, 0, 0, Zone)
}

func TestRecordVerdict(t *testing.T) {
	recv := at(3, 2, 9, 0)
	due := at(3, 10, 17, 0)
	early := at(3, 9, 17, 0)
	tests := []struct {
		name string
		r    Record
		want Verdict
	}{
		{"open", Record{ReceivedAt: recv, DueAt: due}, VerdictNone},
		{"not received", Record{ProcessedAt: due}, VerdictNone},
		{"processed exactly at due is on time", Record{ReceivedAt: recv, DueAt: due, EarlyBy: early, ProcessedAt: due}, OnTime},
		{"one minute late", Record{ReceivedAt: recv, DueAt: due, ProcessedAt: due.Add(time.Minute)}, Late},
		{"a working day early", Record{ReceivedAt: recv, DueAt: due, EarlyBy: early, ProcessedAt: early}, Early},
		{"less than a working day early is on time", Record{ReceivedAt: recv, DueAt: due, EarlyBy: early, ProcessedAt: early.Add(time.Minute)}, OnTime},
		{"no early threshold: on time", Record{ReceivedAt: recv, DueAt: due, ProcessedAt: recv.Add(time.Hour)}, OnTime},
		{"processed before returned: late hand-back alone is not late", Record{ReceivedAt: recv, DueAt: due, ProcessedAt: at(3, 10, 9, 0), ReturnedAt: at(3, 20, 9, 0)}, OnTime},
		{"returned without processed mark ends at return", Record{ReceivedAt: recv, DueAt: due, ReturnedAt: at(3, 11, 9, 0)}, Late},
		{"processed late, returned early (data order) still uses processed", Record{ReceivedAt: recv, DueAt: due, ProcessedAt: at(3, 12, 9, 0), ReturnedAt: at(3, 5, 9, 0)}, Late},
		{"withdrawn before due", Record{ReceivedAt: recv, DueAt: due, WithdrawnAt: at(3, 4, 9, 0)}, OnTime},
		{"refused after due", Record{ReceivedAt: recv, DueAt: due, RefusedAt: at(3, 11, 9, 0)}, Late},
		{"stopped first wins over later processing", Record{ReceivedAt: recv, DueAt: due, StoppedAt: at(3, 6, 9, 0), ProcessedAt: at(3, 12, 9, 0)}, OnTime},
		{"one supplement, due moved past the wait: on time", Record{ReceivedAt: recv, DueAt: at(3, 20, 17, 0), SupplementRequests: 1, ProcessedAt: at(3, 18, 9, 0)}, OnTime},
		{"two supplements count late even if early", Record{ReceivedAt: recv, DueAt: due, EarlyBy: early, SupplementRequests: 2, ProcessedAt: at(3, 3, 9, 0)}, Late},
		{"no due date (same-day, no receipt)", Record{ReceivedAt: recv, ProcessedAt: at(3, 30, 9, 0)}, OnTime},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Verdict(); got != tc.want {
				t.Errorf("Verdict() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRecordJudgeAtPeriodEnd(t *testing.T) {
	recv := at(3, 2, 9, 0)
	due := at(3, 10, 17, 0)
	endOf := func(d int) time.Time { return NewDate(2026, 3, d).AddDays(1).Time() }
	tests := []struct {
		name string
		r    Record
		at   time.Time
		want Verdict
	}{
		{"open before due", Record{ReceivedAt: recv, DueAt: due}, endOf(9), InProgressOnTime},
		{"open on the due day after the due hour is overdue at the day's end", Record{ReceivedAt: recv, DueAt: due}, endOf(10), Overdue},
		{"open after due", Record{ReceivedAt: recv, DueAt: due}, endOf(31), Overdue},
		{"finished late, judged before it finished: overdue", Record{ReceivedAt: recv, DueAt: due, ProcessedAt: at(3, 20, 9, 0)}, endOf(15), Overdue},
		{"finished late, judged after", Record{ReceivedAt: recv, DueAt: due, ProcessedAt: at(3, 20, 9, 0)}, endOf(20), Late},
		{"finished on time, judged before it finished", Record{ReceivedAt: recv, DueAt: due, ProcessedAt: at(3, 10, 9, 0)}, endOf(9), InProgressOnTime},
		{"waiting for a supplement: no due date, never overdue", Record{ReceivedAt: recv, SupplementRequests: 1}, endOf(31), InProgressOnTime},
		{"supplement restarted the clock: judged by the new due date", Record{ReceivedAt: recv, DueAt: at(3, 25, 17, 0), SupplementRequests: 1}, endOf(20), InProgressOnTime},
		{"second supplement request makes an open dossier overdue from that day", Record{ReceivedAt: recv, DueAt: at(3, 25, 17, 0), SupplementRequests: 2, SecondSupplementAt: at(3, 5, 10, 0)}, endOf(5), Overdue},
		{"before the second supplement request", Record{ReceivedAt: recv, DueAt: at(3, 25, 17, 0), SupplementRequests: 2, SecondSupplementAt: at(3, 5, 10, 0)}, endOf(4), InProgressOnTime},
		{"not yet received", Record{ReceivedAt: recv, DueAt: due}, endOf(1), VerdictNone},
		{"received exactly at the judging instant is not yet counted", Record{ReceivedAt: endOf(1), DueAt: due}, endOf(1), VerdictNone},
		{"finished exactly at midnight belongs to the next day", Record{ReceivedAt: recv, DueAt: endOf(3), ProcessedAt: endOf(3)}, endOf(3), InProgressOnTime},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Judge(tc.at); got != tc.want {
				t.Errorf("Judge(%v) = %v, want %v", tc.at, got, tc.want)
			}
		})
	}
}

func TestContributionsHandCase(t *testing.T) {
	// Received online on 2 March, due 10 March, finished late on 12 March with an e-result,
	// paid online; the overdue mark sits on 10 March and is cleared on 12 March.
	r := Record{
		Unit: "xa-a", Procedure: "p1", Channel: ChannelOnline,
		ReceivedAt: at(3, 2, 9, 0), DueAt: at(3, 10, 17, 0), ProcessedAt: at(3, 12, 8, 30),
		FeeBearing: true, PaidOnline: true, ResultIsDocument: true, EResult: true,
		ProcessingMinutes: 600, Rating: RatingSatisfied,
	}
	k := Key{"xa-a", "p1"}
	var d2, d10, d12 Counters
	d2[ReceivedOnline], d2[OnlineCounted], d2[FeeBearing], d2[PaidOnline] = 1, 1, 1, 1
	d10[OverdueMark] = 1
	d12[FinishedLate], d12[EndProcessed], d12[ResultDocument], d12[EResult] = 1, 1, 1, 1
	d12[ProcessingMinutes], d12[RatedSatisfied], d12[OverdueClear] = 600, 1, 1
	want := []Change{
		{k, NewDate(2026, 3, 2), d2},
		{k, NewDate(2026, 3, 10), d10},
		{k, NewDate(2026, 3, 12), d12},
	}
	if diff := cmp.Diff(want, Contributions(r)); diff != "" {
		t.Errorf("Contributions (-want +got):\n%s", diff)
	}

	// The engine grants an extension to 15 March: the mark moves, the verdict turns on time.
	ext := r
	ext.DueAt = at(3, 15, 17, 0)
	var m10, m12, m15 Counters
	m10[OverdueMark] = -1
	m12[FinishedLate], m12[FinishedOnTime], m12[OverdueClear] = -1, 1, -1
	m15[OverdueMark], m15[OverdueClear] = 1, 1
	wantDelta := []Change{
		{k, NewDate(2026, 3, 10), m10},
		{k, NewDate(2026, 3, 12), m12},
		{k, NewDate(2026, 3, 15), m15},
	}
	if diff := cmp.Diff(wantDelta, Delta(r, ext)); diff != "" {
		t.Errorf("Delta (-want +got):\n%s", diff)
	}
	if got := Delta(r, r); len(got) != 0 {
		t.Errorf("Delta(r, r) = %v, want nothing", got)
	}
}

func TestFieldNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Fields() {
		n := f.String()
		if n == "" || seen[n] {
			t.Errorf("field %d: name %q empty or repeated", f, n)
		}
		seen[n] = true
	}
	if got := Field(-1).String(); got != "field(-1)" {
		t.Errorf("Field(-1) = %q", got)
	}
}

// randomRecord draws a dossier history around March-April 2026 with the awkward cases made
// likely: midnight boundaries, times given in UTC, dates out of order, missing due dates,
// several supplement requests, units changing.
func randomRecord(rng *rand.Rand) Record {
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, Zone)
	instant := func() time.Time {
		var t time.Time
		if rng.IntN(5) == 0 {
			t = base.Add(time.Duration(rng.IntN(60)) * 24 * time.Hour) // midnight
		} else {
			t = base.Add(time.Duration(rng.IntN(60*24*60)) * time.Minute)
		}
		if rng.IntN(2) == 0 {
			t = t.UTC()
		}
		return t
	}
	maybe := func(p int) time.Time {
		if rng.IntN(100) < p {
			return instant()
		}
		return time.Time{}
	}
	r := Record{
		Unit:      []string{"u1", "u2"}[rng.IntN(2)],
		Procedure: []string{"p1", "p2", "p3"}[rng.IntN(3)],
		Channel:   Channel(1 + rng.IntN(3)),
	}
	if rng.IntN(10) == 0 {
		return r // never received
	}
	r.ReceivedAt = instant()
	if rng.IntN(10) < 8 {
		if rng.IntN(8) == 0 {
			r.DueAt = instant() // possibly before receipt
		} else {
			r.DueAt = r.ReceivedAt.Add(time.Duration(rng.IntN(20*24*60)) * time.Minute)
		}
		if rng.IntN(2) == 0 {
			r.EarlyBy = r.DueAt.Add(-24 * time.Hour)
		}
	}
	after := func(p int) time.Time {
		if rng.IntN(100) >= p {
			return time.Time{}
		}
		if rng.IntN(10) == 0 {
			return instant() // may precede receipt
		}
		return r.ReceivedAt.Add(time.Duration(rng.IntN(30*24*60)) * time.Minute)
	}
	r.ProcessedAt = after(55)
	r.ReturnedAt = after(30)
	r.RefusedAt = after(5)
	r.WithdrawnAt = after(5)
	r.StoppedAt = after(5)
	r.SupplementRequests = rng.IntN(4)
	if r.SupplementRequests > 1 {
		r.SecondSupplementAt = maybe(80)
	}
	r.ProcessingMinutes = int64(rng.IntN(5000))
	b := func() bool { return rng.IntN(2) == 0 }
	r.Synced, r.PaperResultRequired, r.FeeBearing, r.PaidOnline = b(), b(), b(), b()
	r.Digitized, r.Reused, r.ResultIsDocument, r.EResult = b(), b(), b(), b()
	r.VaultLinked, r.PopulationDataUsed, r.HasNegativeFeedback = b(), b(), rng.IntN(5) == 0
	r.Rating = Rating(rng.IntN(4))
	return r
}

// rollups is the in-memory stand-in for the rollup table.
type rollups map[Key]map[Date]*Counters

func (ru rollups) apply(cs []Change) {
	for _, c := range cs {
		m := ru[c.Key]
		if m == nil {
			m = map[Date]*Counters{}
			ru[c.Key] = m
		}
		if m[c.Day] == nil {
			m[c.Day] = &Counters{}
		}
		m[c.Day].Add(&c.Counters)
		if m[c.Day].IsZero() {
			delete(m, c.Day)
		}
	}
}

// sums returns the counters of one unit (all units when unit is "") before and during p.
func (ru rollups) sums(unit string, p Period) (before, during Counters) {
	for k, days := range ru {
		if unit != "" && k.Unit != unit {
			continue
		}
		for d, c := range days {
			switch {
			case d < p.From:
				before.Add(c)
			case d <= p.To:
				during.Add(c)
			}
		}
	}
	return before, during
}

// bruteSummary walks the dossiers directly, judging each at the period's start and end
// instants, without any of the day arithmetic the counters rely on.
func bruteSummary(recs []Record, unit string, p Period) Summary {
	start, stop := p.From.Time(), p.To.AddDays(1).Time()
	var s Summary
	for _, r := range recs {
		if unit != "" && r.Unit != unit || r.ReceivedAt.IsZero() {
			continue
		}
		end, kind := r.End()
		endedBy := func(t time.Time) bool { return !end.IsZero() && end.Before(t) }
		openAt := func(t time.Time) bool { return r.ReceivedAt.Before(t) && !endedBy(t) }
		lateBy := func(t time.Time) bool {
			if !r.DueAt.IsZero() && r.DueAt.Before(t) {
				return true
			}
			if r.SupplementRequests > 1 {
				s := r.SecondSupplementAt
				if s.IsZero() {
					s = r.ReceivedAt
				}
				return s.Before(t)
			}
			return false
		}
		negative := r.HasNegativeFeedback || r.Rating == RatingDissatisfied
		if openAt(start) {
			s.CarriedOver++
		}
		if !r.ReceivedAt.Before(start) && r.ReceivedAt.Before(stop) {
			s.Received++
			switch r.Channel {
			case ChannelOnline:
				s.ReceivedOnline++
			case ChannelPostal:
				s.ReceivedPostal++
			default:
				s.ReceivedDirect++
			}
		}
		if endedBy(stop) && !endedBy(start) {
			s.Finished++
			switch r.Verdict() {
			case Early:
				s.FinishedEarly++
			case OnTime:
				s.FinishedOnTime++
			case Late:
				s.FinishedLate++
			}
			switch kind {
			case EndKindProcessed:
				s.Processed++
			case EndKindRefused:
				s.Refused++
			case EndKindWithdrawn:
				s.Withdrawn++
			case EndKindStopped:
				s.Stopped++
			}
			if negative {
				s.Negative++
			}
		}
		if openAt(stop) {
			if lateBy(stop) {
				s.OpenOverdue++
			} else {
				s.OpenOnTime++
			}
			if negative {
				s.Negative++
			}
		}
	}
	s.Handled = s.CarriedOver + s.Received
	return s
}

// TestCountersMatchBruteForce is the proof of the counter design: for thousands of random
// dossier histories, maintained live through Delta at every step, the period summaries read
// from the rollups equal a direct evaluation of the dossiers, and the live rollups equal a
// rebuild from the final states (what recompute does).
func TestCountersMatchBruteForce(t *testing.T) {
	for seed := range uint64(20) {
		t.Run("seed"+itoa(int(seed)), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 766))
			live, rebuilt := rollups{}, rollups{}
			recs := make([]Record, 300)
			for i := range recs {
				var prev Record
				for range 1 + rng.IntN(4) { // a few successive states of one dossier
					next := randomRecord(rng)
					live.apply(Delta(prev, next))
					prev = next
				}
				recs[i] = prev
				rebuilt.apply(Contributions(prev))
			}
			if diff := cmp.Diff(rebuilt, live); diff != "" {
				t.Fatalf("live rollups differ from rebuilt (-rebuilt +live):\n%s", diff)
			}
			for range 30 {
				from := NewDate(2026, 2, 20).AddDays(rng.IntN(100))
				p := Period{From: from, To: from.AddDays(rng.IntN(40)), Kind: KindCustom}
				for _, unit := range []string{"", "u1"} {
					before, during := live.sums(unit, p)
					got := Summarize(&before, &during)
					want := bruteSummary(recs, unit, p)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("unit %q period %s..%s (-brute +counters):\n%s", unit, p.From, p.To, diff)
					}
					if diff := cmp.Diff(bruteFlows(recs, unit, p), flowsOf(&during)); diff != "" {
						t.Fatalf("unit %q period %s..%s flows (-brute +counters):\n%s", unit, p.From, p.To, diff)
					}
					if got.Handled != got.Finished+got.OpenOnTime+got.OpenOverdue {
						t.Fatalf("handled %d != finished %d + open %d + %d", got.Handled, got.Finished, got.OpenOnTime, got.OpenOverdue)
					}
				}
			}
		})
	}
}

// flowsOf keeps the counters that are plain flows tied to a dossier's flags.
func flowsOf(c *Counters) map[string]int64 {
	m := map[string]int64{}
	for _, f := range []Field{Synced, OnlineCounted, FeeBearing, PaidOnline, Digitized, Reused, VaultLinked,
		PopulationData, ResultDocument, EResult, ProcessingMinutes, RatedVerySatisfied, RatedSatisfied, RatedDissatisfied} {
		m[f.String()] = c[f]
	}
	return m
}

// bruteFlows counts, dossier by dossier, the flag counters of the dossiers received (or, for
// results, processing time and ratings, finished) in the period.
func bruteFlows(recs []Record, unit string, p Period) map[string]int64 {
	start, stop := p.From.Time(), p.To.AddDays(1).Time()
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(start) && t.Before(stop) }
	m := flowsOf(&Counters{})
	for _, r := range recs {
		if unit != "" && r.Unit != unit || r.ReceivedAt.IsZero() {
			continue
		}
		end, kind := r.End()
		if in(r.ReceivedAt) {
			count := func(f Field, b bool) {
				if b {
					m[f.String()]++
				}
			}
			count(Synced, r.Synced)
			count(OnlineCounted, r.Channel == ChannelOnline && (!r.PaperResultRequired || r.EResult || end.IsZero()))
			count(FeeBearing, r.FeeBearing)
			count(PaidOnline, r.FeeBearing && r.PaidOnline)
			count(Digitized, r.Digitized)
			count(Reused, r.Reused)
			count(VaultLinked, r.VaultLinked)
			count(PopulationData, r.PopulationDataUsed)
		}
		if in(end) {
			if kind == EndKindProcessed && r.ResultIsDocument {
				m[ResultDocument.String()]++
				if r.EResult {
					m[EResult.String()]++
				}
			}
			m[ProcessingMinutes.String()] += r.ProcessingMinutes
			switch r.Rating {
			case RatingVerySatisfied:
				m[RatedVerySatisfied.String()]++
			case RatingSatisfied:
				m[RatedSatisfied.String()]++
			case RatingDissatisfied:
				m[RatedDissatisfied.String()]++
			}
		}
	}
	return m
}
