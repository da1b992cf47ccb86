package index

import (
	"slices"
	"time"
)

// Field names one counter of a rollup row. The store creates one column per field (named by
// String), so adding a counter is a change here and a migration, nothing else.
type Field int

// The counters of a rollup row for one (unit, procedure, day). Every counter is a flow: it
// counts dossiers by the day something happened to them, so the counters of a period are a
// plain sum of rows over its days. Stocks at the end of a day T (open, open and overdue, open
// with negative feedback) are differences of sums over all days <= T:
//
//	open(T)         = Σ received(d≤T)         - Σ finished(d≤T)
//	open overdue(T) = Σ overdue_mark(d≤T)     - Σ overdue_clear(d≤T)
//	open negative(T)= Σ negative_received(d≤T)- Σ negative_finished(d≤T)
//
// overdue_mark counts a dossier on its late day L (the day its current due date falls on, or
// the day of a second supplement request, whichever is first, but never before receipt);
// overdue_clear counts a finished dossier on max(L, finish day). A dossier is then counted as
// open and overdue at the end of T exactly when L <= T < finish day.
//
// Counters reflect each dossier's current state (its current due date, flags and rating): a
// due date moved by an extension or by the restart after a supplement moves its mark, so a
// past period is judged with the dossier's final due date, the one the law says applies.
const (
	// Flows counted on the day of receipt (the legal clock starts).
	ReceivedDirect   Field = iota // channel 1, at the desk
	ReceivedOnline                // channel 2
	ReceivedPostal                // channel 3
	Synced                        // synchronized to the national portal (1.4)
	OnlineCounted                 // online and, when a paper result is required, with an e-result (3.3)
	FeeBearing                    // fee > 0 (3.6 denominator)
	PaidOnline                    // fee > 0 and paid online (3.6)
	Digitized                     // 4.2
	Reused                        // at least one component reused (4.4)
	VaultLinked                   // component taken from or result pushed to the data vault (4.5)
	PopulationData                // identity verified or data from the population database (4.7)
	NegativeReceived              // has feedback or a negative rating (stock of 5.3)

	// Flows counted on the day processing ended (LEGAL.md §6).
	FinishedEarly
	FinishedOnTime
	FinishedLate
	EndProcessed // ended by processing (or by return of the result)
	EndRefused
	EndWithdrawn
	EndStopped
	ResultDocument    // processed, and the procedure's result is a document (4.1 denominator)
	EResult           // of those, with an electronic result (4.1)
	ProcessingMinutes // working minutes spent, summed (2.2)
	RatedVerySatisfied
	RatedSatisfied
	RatedDissatisfied
	NegativeFinished // has feedback or a negative rating (5.3)

	// Flows that make the overdue stock.
	OverdueMark
	OverdueClear

	// FieldCount is the number of counters in a row.
	FieldCount
)

var fieldNames = [FieldCount]string{
	"received_direct", "received_online", "received_postal", "synced", "online_counted",
	"fee_bearing", "paid_online", "digitized", "reused", "vault_linked", "population_data",
	"negative_received",
	"finished_early", "finished_on_time", "finished_late", "end_processed", "end_refused",
	"end_withdrawn", "end_stopped", "result_document", "e_result", "processing_minutes",
	"rated_very_satisfied", "rated_satisfied", "rated_dissatisfied", "negative_finished",
	"overdue_mark", "overdue_clear",
}

// String returns the field's snake_case column name.
func (f Field) String() string {
	if f < 0 || f >= FieldCount {
		return "field(" + itoa(int(f)) + ")"
	}
	return fieldNames[f]
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// Fields returns every field in column order.
func Fields() []Field {
	fs := make([]Field, FieldCount)
	for i := range fs {
		fs[i] = Field(i)
	}
	return fs
}

// Counters is one rollup row's values, or a sum of rows. An array rather than a struct so that
// sums are one loop and the store can map columns by Field.
type Counters [FieldCount]int64

// Add adds o to c.
func (c *Counters) Add(o *Counters) {
	for i := range c {
		c[i] += o[i]
	}
}

// Sub subtracts o from c.
func (c *Counters) Sub(o *Counters) {
	for i := range c {
		c[i] -= o[i]
	}
}

// IsZero reports whether every counter is zero; zero deltas need no write.
func (c *Counters) IsZero() bool { return *c == Counters{} }

// Received returns the dossiers received, all channels.
func (c *Counters) Received() int64 {
	return c[ReceivedDirect] + c[ReceivedOnline] + c[ReceivedPostal]
}

// Finished returns the dossiers whose processing ended, whatever the verdict.
func (c *Counters) Finished() int64 {
	return c[FinishedEarly] + c[FinishedOnTime] + c[FinishedLate]
}

// Channel is how a dossier was submitted (LEGAL.md §2), numbered as the law numbers them.
type Channel int

// The three channels.
const (
	ChannelDirect Channel = 1
	ChannelOnline Channel = 2
	ChannelPostal Channel = 3
)

// Rating is the applicant's satisfaction rating of a dossier's handling.
type Rating int

// The rating levels of the national portal; RatingNone when the applicant gave none.
const (
	RatingNone Rating = iota
	RatingVerySatisfied
	RatingSatisfied
	RatingDissatisfied
)

// Verdict is the timeliness of a dossier (LEGAL.md §6).
type Verdict int

// Verdicts. Open dossiers are InProgressOnTime or Overdue at a given moment.
const (
	VerdictNone Verdict = iota
	Early
	OnTime
	Late
	InProgressOnTime
	Overdue
)

// String returns the verdict's English code.
func (v Verdict) String() string {
	return [...]string{"none", "early", "on_time", "late", "in_progress_on_time", "overdue"}[v]
}

// EndKind tells what ended a dossier's processing.
type EndKind int

// End kinds; EndNone while the dossier is open.
const (
	EndNone EndKind = iota
	EndKindProcessed
	EndKindRefused
	EndKindWithdrawn
	EndKindStopped
)

// Key identifies a rollup row apart from its day.
type Key struct {
	Unit      string `json:"unit"`
	Procedure string `json:"procedure"`
}

// Record is what the index needs to know about one dossier, built by the engine from the
// dossier's state. Zero times mean "has not happened".
type Record struct {
	Unit      string
	Procedure string
	Channel   Channel

	// ReceivedAt is when the complete dossier was received and the legal clock started; a
	// dossier not (yet) received counts nowhere.
	ReceivedAt time.Time
	// DueAt is the current due date. The engine moves it when an extension is granted or when
	// the clock restarts after a supplement or a suspension (LEGAL.md §3), and clears it while
	// the clock is stopped: supplement waiting time is thereby excluded, and a dossier waiting
	// for the applicant is never overdue.
	DueAt time.Time
	// EarlyBy is the latest end that counts as early (trước hạn): the due date minus one
	// working day, computed by the caller with the working calendar. Zero: no early verdict.
	EarlyBy time.Time

	ProcessedAt time.Time // processing finished (đã xử lý xong)
	ReturnedAt  time.Time // result handed to the applicant
	RefusedAt   time.Time // refused after receipt (Phiếu từ chối giải quyết)
	WithdrawnAt time.Time // withdrawn by the applicant
	StoppedAt   time.Time // stopped (Thông báo dừng giải quyết)

	// SupplementRequests counts requests for supplements after receipt; more than one makes
	// the dossier late (LEGAL.md §6), from SecondSupplementAt (or receipt when unknown).
	SupplementRequests int
	SecondSupplementAt time.Time

	// ProcessingMinutes is the working time spent, supplement waits excluded, as the engine
	// measures it with the working calendar (indicator 2.2).
	ProcessingMinutes int64

	Synced              bool // synchronized to the national portal
	PaperResultRequired bool // the applicant must (also) receive a paper result
	FeeBearing          bool // the dossier's fee is greater than zero
	PaidOnline          bool
	Digitized           bool
	Reused              bool
	ResultIsDocument    bool // the procedure's result is a document (4.1)
	EResult             bool
	VaultLinked         bool
	PopulationDataUsed  bool
	Rating              Rating
	HasNegativeFeedback bool // a feedback (PAKN) about this dossier
}

// Key returns the rollup key of the record.
func (r *Record) Key() Key { return Key{Unit: r.Unit, Procedure: r.Procedure} }

// Received reports whether the legal clock has started.
func (r *Record) Received() bool { return !r.ReceivedAt.IsZero() }

// End returns when processing ended and why (LEGAL.md §6): the first of processed, result
// returned, refused, withdrawn and stopped, except that a processed dossier ends when it was
// processed whatever happened to the hand-back, so a late hand-back alone is not late.
func (r *Record) End() (time.Time, EndKind) {
	var end time.Time
	kind := EndNone
	consider := func(t time.Time, k EndKind) {
		if !t.IsZero() && (end.IsZero() || t.Before(end)) {
			end, kind = t, k
		}
	}
	if !r.ProcessedAt.IsZero() {
		consider(r.ProcessedAt, EndKindProcessed)
	} else {
		consider(r.ReturnedAt, EndKindProcessed)
	}
	consider(r.RefusedAt, EndKindRefused)
	consider(r.WithdrawnAt, EndKindWithdrawn)
	consider(r.StoppedAt, EndKindStopped)
	if !end.IsZero() && end.Before(r.ReceivedAt) {
		// An end recorded before receipt is a data error; treat it as ending at receipt so
		// stocks never go negative.
		end = r.ReceivedAt
	}
	return end, kind
}

// lateAt returns the instant from which the dossier counts as late even if still open: its
// due date, or its second supplement request, whichever comes first. Zero: never.
func (r *Record) lateAt() time.Time {
	late := r.DueAt
	if r.SupplementRequests > 1 {
		s := r.SecondSupplementAt
		if s.IsZero() {
			s = r.ReceivedAt
		}
		if late.IsZero() || s.Before(late) {
			late = s
		}
	}
	return late
}

// Verdict returns the final timeliness of a finished dossier (LEGAL.md §6): Late with more than
// one supplement request whatever the dates; OnTime when it has no due date; Late when it
// ended after DueAt; Early when it ended at or before EarlyBy; else OnTime. An open or never
// received dossier gets VerdictNone.
func (r *Record) Verdict() Verdict {
	end, _ := r.End()
	switch {
	case !r.Received() || end.IsZero():
		return VerdictNone
	case r.SupplementRequests > 1:
		return Late
	case r.DueAt.IsZero():
		return OnTime
	case end.After(r.DueAt):
		return Late
	case !r.EarlyBy.IsZero() && !end.After(r.EarlyBy):
		return Early
	}
	return OnTime
}

// Judge returns the dossier's timeliness as it stood just before the instant at; a period is
// judged at the first instant of the day after it, so that everything that happened on its
// last day counts (LEGAL.md §6: open dossiers are judged at the period end). A dossier that
// ended before at has its final Verdict; an open one is Overdue once its due date (or a second
// supplement request) lies before at, else InProgressOnTime; one not yet received has
// VerdictNone.
func (r *Record) Judge(at time.Time) Verdict {
	if !r.Received() || !r.ReceivedAt.Before(at) {
		return VerdictNone
	}
	if end, _ := r.End(); !end.IsZero() && end.Before(at) {
		return r.Verdict()
	}
	if l := r.lateAt(); !l.IsZero() && l.Before(at) {
		return Overdue
	}
	return InProgressOnTime
}

// Change is an increment to apply to the rollup row (Key, Day).
type Change struct {
	Key      Key      `json:"key"`
	Day      Date     `json:"day"`
	Counters Counters `json:"counters"`
}

// Contributions returns what one dossier adds to the rollups, at most one Change per day, in
// day order. The rollups are, by construction, the sum of the contributions of all dossiers;
// the recompute command rebuilds them this way.
func Contributions(r Record) []Change {
	if !r.Received() {
		return nil
	}
	var out []Change
	at := func(t time.Time) *Counters {
		d := DateOf(t)
		for i := range out {
			if out[i].Day == d {
				return &out[i].Counters
			}
		}
		out = append(out, Change{Key: r.Key(), Day: d})
		return &out[len(out)-1].Counters
	}
	negative := r.HasNegativeFeedback || r.Rating == RatingDissatisfied

	c := at(r.ReceivedAt)
	switch r.Channel {
	case ChannelOnline:
		c[ReceivedOnline]++
	case ChannelPostal:
		c[ReceivedPostal]++
	default:
		c[ReceivedDirect]++
	}
	end, kind := r.End()
	if r.Synced {
		c[Synced]++
	}
	// An online dossier whose result must be on paper counts for 3.3 only once it got an
	// electronic result too; while open it is given the benefit of the doubt.
	if r.Channel == ChannelOnline && (!r.PaperResultRequired || r.EResult || end.IsZero()) {
		c[OnlineCounted]++
	}
	if r.FeeBearing {
		c[FeeBearing]++
		if r.PaidOnline {
			c[PaidOnline]++
		}
	}
	flag(c, Digitized, r.Digitized)
	flag(c, Reused, r.Reused)
	flag(c, VaultLinked, r.VaultLinked)
	flag(c, PopulationData, r.PopulationDataUsed)
	flag(c, NegativeReceived, negative)

	late := r.lateAt()
	if !late.IsZero() && late.Before(r.ReceivedAt) {
		late = r.ReceivedAt
	}
	if !late.IsZero() {
		at(late)[OverdueMark]++
	}

	if !end.IsZero() {
		c := at(end)
		switch r.Verdict() {
		case Early:
			c[FinishedEarly]++
		case Late:
			c[FinishedLate]++
		default:
			c[FinishedOnTime]++
		}
		switch kind {
		case EndKindProcessed:
			c[EndProcessed]++
			if r.ResultIsDocument {
				c[ResultDocument]++
				flag(c, EResult, r.EResult)
			}
		case EndKindRefused:
			c[EndRefused]++
		case EndKindWithdrawn:
			c[EndWithdrawn]++
		case EndKindStopped:
			c[EndStopped]++
		}
		c[ProcessingMinutes] += r.ProcessingMinutes
		switch r.Rating {
		case RatingVerySatisfied:
			c[RatedVerySatisfied]++
		case RatingSatisfied:
			c[RatedSatisfied]++
		case RatingDissatisfied:
			c[RatedDissatisfied]++
		}
		flag(c, NegativeFinished, negative)
		if !late.IsZero() {
			clear := end
			if late.After(end) {
				clear = late
			}
			at(clear)[OverdueClear]++
		}
	}
	slices.SortFunc(out, func(a, b Change) int { return int(a.Day) - int(b.Day) })
	return out
}

func flag(c *Counters, f Field, b bool) {
	if b {
		c[f]++
	}
}

// Delta returns the increments that turn the rollups from counting before into counting
// after, for a dossier that changed through one event: the engine applies them in the same
// transaction as the event. Either record may be the zero Record (a new dossier, or one
// removed from a key). Changes that cancel out are dropped; the result is sorted by key and
// day so that concurrent transactions lock rows in the same order.
func Delta(before, after Record) []Change {
	out := Contributions(after)
	for _, b := range Contributions(before) {
		i := slices.IndexFunc(out, func(c Change) bool { return c.Key == b.Key && c.Day == b.Day })
		if i < 0 {
			out = append(out, Change{Key: b.Key, Day: b.Day})
			i = len(out) - 1
		}
		out[i].Counters.Sub(&b.Counters)
	}
	out = slices.DeleteFunc(out, func(c Change) bool { return c.Counters.IsZero() })
	slices.SortFunc(out, func(a, b Change) int {
		switch {
		case a.Key.Unit != b.Key.Unit:
			return cmpString(a.Key.Unit, b.Key.Unit)
		case a.Key.Procedure != b.Key.Procedure:
			return cmpString(a.Key.Procedure, b.Key.Procedure)
		}
		return int(a.Day) - int(b.Day)
	})
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
