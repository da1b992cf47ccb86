package dossier

import (
	"sort"
	"strings"
	"time"
)

// Timeliness is how a dossier or a step stands against its due date (LEGAL §6).
type Timeliness string

// The verdicts. OpenOnTime and Overdue judge an open dossier at a given time; NotJudged is for
// dossiers that were never received (no legal clock ran).
const (
	NotJudged  Timeliness = ""
	Early      Timeliness = "early"   // trước hạn: finished at least one working day early
	OnTime     Timeliness = "on_time" // đúng hạn
	Late       Timeliness = "late"    // trễ hạn
	OpenOnTime Timeliness = "in_progress_on_time"
	Overdue    Timeliness = "overdue"
)

// Counts reports whether the verdict counts as on time for indicator 2.1 (done early or on
// time, or still open within the time).
func (t Timeliness) Counts() bool { return t == Early || t == OnTime || t == OpenOnTime }

// Verdict judges a finished piece of work: late when end is after due, early when it finished
// at least one working day (480 working minutes) before due, on time otherwise.
func Verdict(end, due time.Time, clock Clock) Timeliness {
	if due.IsZero() || end.IsZero() {
		return NotJudged
	}
	if end.After(due) {
		return Late
	}
	if clock.Elapsed(end, due) >= WorkingDayMinutes {
		return Early
	}
	return OnTime
}

// pauseStart returns when the current pause (suspension or supplement in processing) began.
func (d *Dossier) pauseStart() (time.Time, bool) {
	if d.PausedFrom == "" {
		return time.Time{}, false
	}
	if !d.SuspendedAt.IsZero() {
		return d.SuspendedAt, true
	}
	return d.SupplementRequestedAt, true
}

// End returns when processing ended for the timeliness count (LEGAL §6): the first of
// processed (decided, approved or refused), returned, stopped (withdrawn, closed). Processed
// wins over returned, so a late hand-back alone is not late. A dossier stopped while its clock
// was paused ended when the pause began: waiting time is never counted.
func (d *Dossier) End() (time.Time, bool) {
	switch {
	case !d.ProcessedAt.IsZero():
		return d.ProcessedAt, true
	case !d.ReturnedAt.IsZero():
		return d.ReturnedAt, true
	}
	var stop time.Time
	switch {
	case !d.WithdrawnAt.IsZero():
		stop = d.WithdrawnAt
	case !d.ClosedAt.IsZero():
		stop = d.ClosedAt
	default:
		return time.Time{}, false
	}
	if p, ok := d.pauseStart(); ok && p.Before(stop) {
		return p, true
	}
	return stop, true
}

// Timeliness judges the dossier: finished dossiers by their end against the due date, open
// ones at asOf (or when their clock was paused, if earlier). A dossier with more than one
// supplement request counts as late whatever its dates.
func (d *Dossier) Timeliness(asOf time.Time, clock Clock) Timeliness {
	if d.ReceivedAt.IsZero() {
		return NotJudged
	}
	if d.SupplementRequests > 1 {
		return Late
	}
	if end, ok := d.End(); ok {
		return Verdict(end, d.DueAt, clock)
	}
	at := asOf
	if p, ok := d.pauseStart(); ok && p.Before(at) {
		at = p
	}
	if at.After(d.DueAt) {
		return Overdue
	}
	return OpenOnTime
}

// Record is the dossier as the service-index rollups count it (QĐ 766 indicators 2.1, 3.3,
// 3.6, 4.1, 4.2, 4.4, 4.5, 4.7, 5.3), kept in the same transaction as the events.
type Record struct {
	ID                  string     `json:"id"`
	Code                string     `json:"code,omitempty"`
	Procedure           string     `json:"procedure"`
	Authority           string     `json:"authority"`
	ReceivingUnit       string     `json:"receiving_unit"`
	State               State      `json:"status"`
	Channel             Channel    `json:"channel"`
	ReceivedAt          time.Time  `json:"received_at,omitzero"`
	FinishedAt          time.Time  `json:"finished_at,omitzero"`
	DueAt               time.Time  `json:"due_at,omitzero"`
	Verdict             Timeliness `json:"verdict,omitempty"`
	Decision            Decision   `json:"decision,omitempty"`
	PaidOnline          bool       `json:"paid_online"`
	DigitizedComponents int        `json:"digitized_components"`
	ReusedComponents    int        `json:"reused_components"`
	EResult             bool       `json:"e_result"`
	IdentityLevel       int        `json:"identity_level"`
	VaultLinked         bool       `json:"vault_linked"`
	Rating              int        `json:"rating,omitempty"`
	SupplementRequests  int        `json:"supplement_requests"`
	Extended            bool       `json:"extended"`
}

// Record returns the rollup view, judging an open dossier at asOf.
func (d *Dossier) Record(asOf time.Time, clock Clock) Record {
	r := Record{
		ID: d.ID, Code: d.Code, Procedure: d.Spec.Procedure, Authority: d.Authority,
		ReceivingUnit: d.ReceivingUnit, State: d.State, Channel: d.Channel,
		ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, Decision: d.Decision, PaidOnline: d.PaidOnline,
		IdentityLevel: d.IdentityLevel, Rating: d.Rating, SupplementRequests: d.SupplementRequests,
		Extended: d.Extensions > 0,
	}
	if end, ok := d.End(); ok {
		r.FinishedAt = end
	}
	r.Verdict = d.Timeliness(asOf, clock)
	digitized, reused := map[string]bool{}, map[string]bool{}
	for _, doc := range d.Documents {
		if doc.Digitized {
			digitized[doc.Component] = true
		}
		if doc.Reused || doc.FromVault {
			reused[doc.Component] = true
		}
		if doc.FromVault {
			r.VaultLinked = true
		}
	}
	r.DigitizedComponents, r.ReusedComponents = len(digitized), len(reused)
	for _, res := range d.Results {
		if res.Electronic {
			r.EResult = true
		}
		if res.ToVault {
			r.VaultLinked = true
		}
	}
	return r
}

// HandOver is one row of the control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ): a
// unit the dossier was handed to, when, its deadline and how that step ended.
type HandOver struct {
	Step         int        `json:"step"`
	Name         string     `json:"name"`
	FromUnit     string     `json:"from_unit,omitempty"`
	Unit         string     `json:"unit"`
	HandedOverAt time.Time  `json:"handed_over_at"`
	ReceivedAt   time.Time  `json:"received_at"`
	Due          time.Time  `json:"due_at"`
	FinishedAt   time.Time  `json:"finished_at,omitzero"`
	Verdict      Timeliness `json:"verdict,omitempty"`
	Note         string     `json:"note,omitempty"`
}

// ControlSheet lists every hand-over in the order it happened, one row per step that started.
// Electronic hand-overs arrive at once, so a row's received time is its hand-over time;
// parallel consultations come from the main step they run beside.
func (d *Dossier) ControlSheet() []HandOver {
	var idx []int
	for i, s := range d.Steps {
		if !s.StartedAt.IsZero() {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return d.Steps[idx[a]].StartedAt.Before(d.Steps[idx[b]].StartedAt) })
	rows := make([]HandOver, 0, len(idx))
	from := ""
	for _, i := range idx {
		s := d.Steps[i]
		var note []string
		for _, n := range []string{s.Outcome, s.Note} {
			if n != "" {
				note = append(note, n)
			}
		}
		row := HandOver{
			Step: i, Name: s.Name, FromUnit: from, Unit: s.Unit, HandedOverAt: s.StartedAt,
			ReceivedAt: s.StartedAt, Due: s.Due, FinishedAt: s.FinishedAt, Verdict: s.Verdict,
			Note: strings.Join(note, "; "),
		}
		if s.Parallel {
			row.FromUnit = d.anchorUnit(i)
		} else {
			from = s.Unit
		}
		rows = append(rows, row)
	}
	return rows
}

// anchorUnit returns the unit of the main step a parallel step runs beside.
func (d *Dossier) anchorUnit(i int) string {
	if d.Steps[i].AdHoc {
		// An unplanned consultation comes from whichever main step was open when it started.
		for j := len(d.Steps) - 1; j >= 0; j-- {
			s := d.Steps[j]
			if !s.Parallel && !s.StartedAt.IsZero() && !s.StartedAt.After(d.Steps[i].StartedAt) {
				return s.Unit
			}
		}
		return ""
	}
	for j := i - 1; j >= 0; j-- {
		if !d.Steps[j].Parallel {
			return d.Steps[j].Unit
		}
	}
	return ""
}
