package dossier

import (
	"encoding/json"
	"fmt"
	"time"
)

// EventType names what happened, in the past tense of the command.
type EventType string

// The event types.
const (
	EventSubmitted           EventType = "submitted"
	EventDocumentAttached    EventType = "document_attached"
	EventSupplementRequested EventType = "supplement_requested"
	EventSupplemented        EventType = "supplemented"
	EventReceived            EventType = "received"
	EventRejected            EventType = "rejected"
	EventAssigned            EventType = "assigned"
	EventForwarded           EventType = "forwarded"
	EventStepCompleted       EventType = "step_completed"
	EventSuspended           EventType = "suspended"
	EventResumed             EventType = "resumed"
	EventExtended            EventType = "extended"
	EventApproved            EventType = "approved"
	EventRefused             EventType = "refused"
	EventResultIssued        EventType = "result_issued"
	EventResultReturned      EventType = "result_returned"
	EventWithdrawn           EventType = "withdrawn"
	EventRated               EventType = "rated"
	EventClosed              EventType = "closed"
	EventSynced              EventType = "synced"
)

// Event is one fact of a dossier's history. Every event records who (Actor, and the Actor's
// Unit), when (At, UTC), why (Reason, where the law asks for one) and a typed Data payload
// carrying every value Decide computed with the calendar, so Apply needs no calendar.
type Event struct {
	Seq    int64     `json:"seq"` // the dossier's version after this event
	Type   EventType `json:"type"`
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
	Unit   string    `json:"unit,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Data   EventData `json:"data"`
}

// EventData is the typed payload of an event; its EventType must equal the event's Type.
type EventData interface {
	EventType() EventType
}

// StepVerdict is a step finished by an event, with its timeliness against its own due date.
type StepVerdict struct {
	Step    int        `json:"step"`
	Verdict Timeliness `json:"verdict"`
}

// StepDue is a step's new due date (after a supplement, a resumption or an extension).
type StepDue struct {
	Step int       `json:"step"`
	Due  time.Time `json:"due_at"`
}

// Handover is the part of an event that moves the dossier between steps: the steps it
// finished and the steps it started (handed over to their units).
type Handover struct {
	Finished []StepVerdict `json:"finished,omitempty"`
	Started  []int         `json:"started,omitempty"`
	Current  int           `json:"current_step"` // the main step holding the dossier afterwards, -1 for none
}

// SubmittedData is the payload of "submitted".
type SubmittedData struct {
	ID            string          `json:"id"`
	Channel       Channel         `json:"channel"`
	Spec          Spec            `json:"spec"`
	Authority     string          `json:"authority"`
	ReceivingUnit string          `json:"receiving_unit"`
	Applicant     Applicant       `json:"applicant"`
	Form          json.RawMessage `json:"form,omitempty"`
	Documents     []Document      `json:"documents,omitempty"`
	IdentityLevel int             `json:"identity_level,omitempty"`
	PaidOnline    bool            `json:"paid_online,omitempty"`
	NotifyBy      time.Time       `json:"notify_by,omitzero"`
	AcceptBy      time.Time       `json:"accept_by,omitzero"`
}

// DocumentAttachedData is the payload of "document_attached".
type DocumentAttachedData struct {
	Document Document `json:"document"`
}

// SupplementRequestedData is the payload of "supplement_requested".
type SupplementRequestedData struct {
	Components      []string  `json:"components"`
	BeforeReception bool      `json:"before_reception"`
	CloseAfter      time.Time `json:"close_after"` // 15 days later the dossier may be closed
}

// SupplementedData is the payload of "supplemented". Before reception it renews the 8-hour
// acceptance deadline; in processing it carries the restarted due dates.
type SupplementedData struct {
	Documents []Document `json:"documents,omitempty"`
	AcceptBy  time.Time  `json:"accept_by,omitzero"`
	DueAt     time.Time  `json:"due_at,omitzero"`
	StepDues  []StepDue  `json:"step_dues,omitempty"`
}

// ReceivedData is the payload of "received": the code, the due date and the planned steps.
type ReceivedData struct {
	Code  string    `json:"code"`
	DueAt time.Time `json:"due_at"`
	Steps []Step    `json:"steps"`
	Handover
}

// RejectedData is the payload of "rejected" (the reasons are the event's Reason).
type RejectedData struct{}

// AssignedData is the payload of "assigned".
type AssignedData struct {
	Step     int    `json:"step"`
	Assignee string `json:"assignee"`
}

// ForwardedData is the payload of "forwarded".
type ForwardedData struct {
	FromUnit string `json:"from_unit,omitempty"`
	ToUnit   string `json:"to_unit"`
	Parallel bool   `json:"parallel,omitempty"`
	AdHoc    *Step  `json:"ad_hoc,omitempty"` // an unplanned consultation appended to the steps
	Note     string `json:"note,omitempty"`
	Handover
}

// StepCompletedData is the payload of "step_completed".
type StepCompletedData struct {
	Outcome string `json:"outcome,omitempty"`
	Note    string `json:"note,omitempty"`
	Handover
}

// SuspendedData is the payload of "suspended".
type SuspendedData struct {
	ForPayment bool `json:"for_payment,omitempty"`
}

// ResumedData is the payload of "resumed".
type ResumedData struct {
	PausedMinutes int64     `json:"paused_minutes"`
	DueAt         time.Time `json:"due_at"`
	StepDues      []StepDue `json:"step_dues,omitempty"`
}

// ExtendedData is the payload of "extended"; OriginalDueAt is printed on the apology.
type ExtendedData struct {
	OriginalDueAt time.Time `json:"original_due_at"`
	NewDueAt      time.Time `json:"new_due_at"`
	StepDues      []StepDue `json:"step_dues,omitempty"`
}

// DecidedData is the shape of the payloads of "approved" and "refused".
type DecidedData struct {
	Decision Decision   `json:"decision"`
	Verdict  Timeliness `json:"verdict"` // the dossier's timeliness at the decision
	Note     string     `json:"note,omitempty"`
	Handover
}

// ResultIssuedData is the payload of "result_issued".
type ResultIssuedData struct {
	Documents []ResultDocument `json:"documents"`
}

// ResultReturnedData is the payload of "result_returned".
type ResultReturnedData struct {
	Method string `json:"method"`
	Handover
}

// StoppedData is the shape of the payloads of "withdrawn" and "closed"; Verdict is the dossier's timeliness
// when it stopped (empty when it was never received).
type StoppedData struct {
	Verdict Timeliness `json:"verdict,omitempty"`
}

// RatedData is the payload of "rated".
type RatedData struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

// ApprovedData is the payload of "approved".
type ApprovedData DecidedData

// RefusedData is the payload of "refused".
type RefusedData DecidedData

// WithdrawnData is the payload of "withdrawn".
type WithdrawnData StoppedData

// ClosedData is the payload of "closed".
type ClosedData StoppedData

// EventType implements EventData.
func (SubmittedData) EventType() EventType { return EventSubmitted }

// EventType implements EventData.
func (DocumentAttachedData) EventType() EventType { return EventDocumentAttached }

// EventType implements EventData.
func (SupplementRequestedData) EventType() EventType { return EventSupplementRequested }

// EventType implements EventData.
func (SupplementedData) EventType() EventType { return EventSupplemented }

// EventType implements EventData.
func (ReceivedData) EventType() EventType { return EventReceived }

// EventType implements EventData.
func (RejectedData) EventType() EventType { return EventRejected }

// EventType implements EventData.
func (AssignedData) EventType() EventType { return EventAssigned }

// EventType implements EventData.
func (ForwardedData) EventType() EventType { return EventForwarded }

// EventType implements EventData.
func (StepCompletedData) EventType() EventType { return EventStepCompleted }

// EventType implements EventData.
func (SuspendedData) EventType() EventType { return EventSuspended }

// EventType implements EventData.
func (ResumedData) EventType() EventType { return EventResumed }

// EventType implements EventData.
func (ExtendedData) EventType() EventType { return EventExtended }

// EventType implements EventData.
func (ApprovedData) EventType() EventType { return EventApproved }

// EventType implements EventData.
func (RefusedData) EventType() EventType { return EventRefused }

// EventType implements EventData.
func (ResultIssuedData) EventType() EventType { return EventResultIssued }

// EventType implements EventData.
func (ResultReturnedData) EventType() EventType { return EventResultReturned }

// EventType implements EventData.
func (WithdrawnData) EventType() EventType { return EventWithdrawn }

// EventType implements EventData.
func (ClosedData) EventType() EventType { return EventClosed }

// EventType implements EventData.
func (RatedData) EventType() EventType { return EventRated }

// Commutes reports whether events of type t change nothing a command is decided on (only
// "synced", the national portal's acknowledgement): a command decided on the version before
// such events is as valid after them, so a client holding that version is not stale.
func (t EventType) Commutes() bool { return t == EventSynced }

// SyncedData is the payload of "synced": the portal's acknowledgement, when it gave one.
type SyncedData struct {
	Reference string `json:"reference,omitempty"`
}

// EventType implements EventData.
func (SyncedData) EventType() EventType { return EventSynced }

// decoders turn a stored payload back into its typed value; EventTypes is derived from it.
var decoders = map[EventType]func(json.RawMessage) (EventData, error){
	EventSubmitted:           decode[SubmittedData],
	EventDocumentAttached:    decode[DocumentAttachedData],
	EventSupplementRequested: decode[SupplementRequestedData],
	EventSupplemented:        decode[SupplementedData],
	EventReceived:            decode[ReceivedData],
	EventRejected:            decode[RejectedData],
	EventAssigned:            decode[AssignedData],
	EventForwarded:           decode[ForwardedData],
	EventStepCompleted:       decode[StepCompletedData],
	EventSuspended:           decode[SuspendedData],
	EventResumed:             decode[ResumedData],
	EventExtended:            decode[ExtendedData],
	EventApproved:            decode[ApprovedData],
	EventRefused:             decode[RefusedData],
	EventResultIssued:        decode[ResultIssuedData],
	EventResultReturned:      decode[ResultReturnedData],
	EventWithdrawn:           decode[WithdrawnData],
	EventRated:               decode[RatedData],
	EventClosed:              decode[ClosedData],
	EventSynced:              decode[SyncedData],
}

func decode[T EventData](raw json.RawMessage) (EventData, error) {
	var v T
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// UnmarshalJSON decodes an event with its typed payload, so events read from the store Apply
// exactly like events fresh from Decide.
func (e *Event) UnmarshalJSON(b []byte) error {
	var aux struct {
		Seq    int64           `json:"seq"`
		Type   EventType       `json:"type"`
		At     time.Time       `json:"at"`
		Actor  Actor           `json:"actor"`
		Unit   string          `json:"unit"`
		Reason string          `json:"reason"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("decode event: %w", err)
	}
	dec, ok := decoders[aux.Type]
	if !ok {
		return fmt.Errorf("decode event %d: unknown type %q", aux.Seq, aux.Type)
	}
	data, err := dec(aux.Data)
	if err != nil {
		return fmt.Errorf("decode event %d (%s) data: %w", aux.Seq, aux.Type, err)
	}
	*e = Event{Seq: aux.Seq, Type: aux.Type, At: aux.At, Actor: aux.Actor, Unit: aux.Unit, Reason: aux.Reason, Data: data}
	return nil
}

// DataJSON returns the payload as JSON (for the events API and the store's data column).
func (e Event) DataJSON() (json.RawMessage, error) {
	b, err := json.Marshal(e.Data)
	if err != nil {
		return nil, fmt.Errorf("encode event %d data: %w", e.Seq, err)
	}
	return b, nil
}

// DecodeData rebuilds a typed payload from a stored type and data column.
func DecodeData(t EventType, raw json.RawMessage) (EventData, error) {
	dec, ok := decoders[t]
	if !ok {
		return nil, fmt.Errorf("decode event data: unknown type %q", t)
	}
	return dec(raw)
}
