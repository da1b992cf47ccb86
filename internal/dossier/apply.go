package dossier

import (
	"fmt"
	"slices"
	"time"
)

// Apply folds one event into the dossier. It is the only code that changes a Dossier and it
// consults nothing but the event: every value a calendar computed is already in the payload,
// so replaying history years later, under another calendar, rebuilds the same state. Events
// that do not fit the state (a step index out of range) are applied as far as they can be;
// Replay rejects histories whose shape is wrong.
func Apply(d *Dossier, e Event) {
	d.Version = e.Seq
	d.UpdatedAt = e.At
	at := e.At
	switch x := e.Data.(type) {
	case SubmittedData:
		d.ID, d.Channel, d.Spec = x.ID, x.Channel, cloneSpec(x.Spec)
		d.Authority, d.ReceivingUnit, d.Applicant = x.Authority, x.ReceivingUnit, x.Applicant
		d.Form, d.Documents = slices.Clone(x.Form), slices.Clone(x.Documents)
		d.IdentityLevel, d.PaidOnline = x.IdentityLevel, x.PaidOnline
		d.SubmittedAt, d.NotifyBy, d.AcceptBy = at, x.NotifyBy, x.AcceptBy
		d.Current = -1
		d.State = Submitted
	case DocumentAttachedData:
		d.Documents = append(d.Documents, x.Document)
	case SupplementRequestedData:
		d.SupplementRequests++
		d.SupplementRequestedAt, d.SupplementReason = at, e.Reason
		d.SupplementComponents = slices.Clone(x.Components)
		if x.BeforeReception {
			d.State = SupplementRequested
		} else {
			d.PausedFrom, d.State = d.State, SupplementRequestedInProcessing
		}
	case SupplementedData:
		d.Documents = append(d.Documents, x.Documents...)
		d.SupplementedAt = at
		if d.State == SupplementRequested {
			d.State = Submitted
			d.AcceptBy = x.AcceptBy
			break
		}
		d.DueAt = x.DueAt
		d.setDues(x.StepDues)
		d.State, d.PausedFrom = resumeState(d.PausedFrom), ""
	case ReceivedData:
		d.Code, d.ReceivedAt, d.DueAt = x.Code, at, x.DueAt
		d.Steps = slices.Clone(x.Steps)
		d.handover(x.Handover, at)
		d.State = Received
	case RejectedData:
		d.RejectedAt, d.RejectReason = at, e.Reason
		d.State = Rejected
	case AssignedData:
		if d.validStep(x.Step) {
			d.Steps[x.Step].Assignee = x.Assignee
		}
	case ForwardedData:
		if x.AdHoc != nil {
			d.Steps = append(d.Steps, *x.AdHoc)
		}
		d.handover(x.Handover, at)
		d.State = InProgress
	case StepCompletedData:
		for _, f := range x.Finished {
			if d.validStep(f.Step) {
				d.Steps[f.Step].Outcome, d.Steps[f.Step].Note = x.Outcome, x.Note
			}
		}
		d.handover(x.Handover, at)
	case SuspendedData:
		d.PausedFrom, d.State = d.State, Suspended
		d.SuspendedAt, d.SuspendReason = at, e.Reason
	case ResumedData:
		d.PausedMinutes += x.PausedMinutes
		d.DueAt = x.DueAt
		d.setDues(x.StepDues)
		d.State, d.PausedFrom = resumeState(d.PausedFrom), ""
		d.SuspendedAt = time.Time{}
	case ExtendedData:
		d.Extensions++
		d.OriginalDueAt, d.DueAt = x.OriginalDueAt, x.NewDueAt
		d.ExtendedAt, d.ExtensionReason = at, e.Reason
		d.setDues(x.StepDues)
	case ApprovedData:
		d.decided(DecidedData(x), e, at)
	case RefusedData:
		d.decided(DecidedData(x), e, at)
	case ResultIssuedData:
		d.Results = append(d.Results, x.Documents...)
		d.ResultIssuedAt = at
	case ResultReturnedData:
		d.handover(x.Handover, at)
		d.ReturnedAt, d.ReturnMethod = at, x.Method
		d.State = Returned
	case WithdrawnData:
		d.WithdrawnAt, d.StopReason = at, e.Reason
		d.State = Withdrawn
	case ClosedData:
		d.ClosedAt, d.StopReason = at, e.Reason
		d.State = Closed
	case RatedData:
		d.Rating, d.RatingComment, d.RatedAt = x.Score, x.Comment, at
	case SyncedData:
		d.SyncedAt = at
	}
}

func resumeState(s State) State {
	if s == "" {
		return InProgress
	}
	return s
}

func (d *Dossier) decided(x DecidedData, e Event, at time.Time) {
	d.Decision, d.ProcessedAt = x.Decision, at
	d.DecisionReason = e.Reason
	if d.DecisionReason == "" {
		d.DecisionReason = x.Note
	}
	d.handover(x.Handover, at)
	d.State = Processed
}

func (d *Dossier) validStep(i int) bool { return i >= 0 && i < len(d.Steps) }

func (d *Dossier) handover(h Handover, at time.Time) {
	for _, f := range h.Finished {
		if d.validStep(f.Step) {
			d.Steps[f.Step].FinishedAt, d.Steps[f.Step].Verdict = at, f.Verdict
		}
	}
	for _, i := range h.Started {
		if d.validStep(i) {
			d.Steps[i].StartedAt = at
		}
	}
	d.Current = h.Current
}

func (d *Dossier) setDues(dues []StepDue) {
	for _, sd := range dues {
		if d.validStep(sd.Step) {
			d.Steps[sd.Step].Due = sd.Due
		}
	}
}

// Replay rebuilds a dossier from its whole history. The history must start with "submitted",
// number its events 1, 2, 3 ... and carry payloads of the events' own types.
func Replay(events []Event) (*Dossier, error) {
	d := New()
	for i, e := range events {
		if err := Check(d, e); err != nil {
			return nil, fmt.Errorf("replay event %d: %w", i, err)
		}
		Apply(d, e)
	}
	return d, nil
}

// Check reports whether event e can follow dossier d: the next sequence number, a payload of
// the event's type, "submitted" first and only first, and step indexes that exist.
func Check(d *Dossier, e Event) error {
	if e.Seq != d.Version+1 {
		return fmt.Errorf("sequence %d does not follow version %d", e.Seq, d.Version)
	}
	if e.Data == nil || e.Data.EventType() != e.Type {
		return fmt.Errorf("event %d: payload does not match type %q", e.Seq, e.Type)
	}
	if (e.Type == EventSubmitted) != (d.Version == 0) {
		return fmt.Errorf("event %d: %q must be the first event and only the first", e.Seq, e.Type)
	}
	n := len(d.Steps)
	switch x := e.Data.(type) {
	case ReceivedData:
		n = len(x.Steps)
	case ForwardedData:
		if x.AdHoc != nil {
			n++
		}
	}
	var idx []int
	switch x := e.Data.(type) {
	case AssignedData:
		idx = []int{x.Step}
	case ReceivedData:
		idx = handoverSteps(x.Handover)
	case ForwardedData:
		idx = handoverSteps(x.Handover)
	case StepCompletedData:
		idx = handoverSteps(x.Handover)
	case ApprovedData:
		idx = handoverSteps(x.Handover)
	case RefusedData:
		idx = handoverSteps(x.Handover)
	case ResultReturnedData:
		idx = handoverSteps(x.Handover)
	case SupplementedData:
		idx = dueSteps(x.StepDues)
	case ResumedData:
		idx = dueSteps(x.StepDues)
	case ExtendedData:
		idx = dueSteps(x.StepDues)
	}
	for _, i := range idx {
		if i < 0 || i >= n {
			return fmt.Errorf("event %d: step %d does not exist", e.Seq, i)
		}
	}
	return nil
}

func handoverSteps(h Handover) []int {
	out := slices.Clone(h.Started)
	for _, f := range h.Finished {
		out = append(out, f.Step)
	}
	return out
}

func dueSteps(ds []StepDue) []int {
	out := make([]int, len(ds))
	for i, sd := range ds {
		out[i] = sd.Step
	}
	return out
}
