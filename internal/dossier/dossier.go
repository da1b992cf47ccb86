// Package dossier is the dossier aggregate: commands in, events out, state from events.
//
// Every rule of Nghị định 118/2025/NĐ-CP that concerns one dossier's life is enforced here,
// in one pure place, so that the JSON API, the staff console, the jobs and the simulator cannot
// differ: Decide checks a command against the current state and the law and returns the events
// it causes (or a *RuleError citing the article it would break); Apply folds one event into the
// state; Replay rebuilds a dossier from its history. The package does no I/O and never reads the
// clock: time, the working calendar and the actor come in through Context.
package dossier

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// State is where a dossier is in its legal life. The values are the API's status names.
type State string

// The states of a dossier.
const (
	Draft                           State = "draft"                              // being prepared, not yet submitted
	Submitted                       State = "submitted"                          // submitted (online, postal or at the desk), waiting for the desk
	SupplementRequested             State = "supplement_requested"               // the desk asked for missing documents before reception
	Received                        State = "received"                           // received by the desk: code issued, legal clock running
	InProgress                      State = "in_progress"                        // handed over to processing, at one or more steps
	SupplementRequestedInProcessing State = "supplement_requested_in_processing" // the authority asked for documents after appraisal
	Suspended                       State = "suspended"                          // clock paused, with a reason (e.g. financial obligation)
	Processed                       State = "processed"                          // decided: approved and signed, or refused in processing
	Returned                        State = "returned"                           // result handed back to the applicant
	Rejected                        State = "rejected"                           // refused at reception, never received
	Withdrawn                       State = "withdrawn"                          // stopped by the applicant before the decision
	Closed                          State = "closed"                             // no supplement within 15 days of the request
)

// States lists every state, in lifecycle order. Tests and the API enumerate it, so a new state
// must be added here to exist.
var States = []State{
	Draft, Submitted, SupplementRequested, Received, InProgress, SupplementRequestedInProcessing,
	Suspended, Processed, Returned, Rejected, Withdrawn, Closed,
}

// Terminal reports whether no further handling is possible (only the applicant's rating of a
// returned dossier is still accepted).
func (s State) Terminal() bool {
	switch s {
	case Returned, Rejected, Withdrawn, Closed:
		return true
	}
	return false
}

// Channel is how a dossier reached the province (Điều 15).
type Channel string

// The three channels of Điều 15.
const (
	ChannelDesk   Channel = "desk"
	ChannelOnline Channel = "online"
	ChannelPostal Channel = "postal"
)

// WorkingDayMinutes is one working day in working minutes (LEGAL §7: 8 working hours).
const WorkingDayMinutes = calendar.WorkingDayMinutes

// Clock is the working calendar the aggregate needs; *calendar.Calendar implements it (the
// package imports internal/calendar for its Duration type only). All deadline arithmetic goes through it, never through time.Time arithmetic,
// except the 15 calendar days of Điều 19 and the 2 hours of Điều 17.2, which are calendar time.
type Clock interface {
	// Due is the deadline of a duration that starts at start.
	Due(start time.Time, d calendar.Duration) (time.Time, error)
	// Elapsed is the number of working minutes between a and b (0 when b is not after a).
	Elapsed(a, b time.Time) int64
	// AddWorkingMinutes moves start forward by m working minutes.
	AddWorkingMinutes(start time.Time, m int64) (time.Time, error)
}

// Spec is the snapshot of the pinned procedure version a dossier is handled under. The caller
// builds it from the catalog and resolves every step's unit to a unit key (receiving desk,
// authority, agency) before submission, so the aggregate never depends on routing rules.
type Spec struct {
	Procedure               string            `json:"procedure"`
	Version                 int               `json:"version"`
	ProcessingTime          calendar.Duration `json:"processing_time"`
	Steps                   []StepSpec        `json:"steps"`
	SuspendsClockForPayment bool              `json:"suspends_clock_for_payment,omitempty"`
	ResultElectronic        bool              `json:"result_electronic,omitempty"`
	ResultPaper             bool              `json:"result_paper,omitempty"`
	Components              []Component       `json:"components,omitempty"`
}

// StepSpec is one step of the procedure's internal process.
type StepSpec struct {
	Name         string `json:"name"`
	Role         string `json:"role"`
	Unit         string `json:"unit"`
	ShareMinutes int64  `json:"share_minutes"`
	Parallel     bool   `json:"parallel,omitempty"` // a consultation beside the preceding main step
}

// Component is one document the procedure asks for.
type Component struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	DocType  string `json:"doc_type,omitempty"`
	Required bool   `json:"required,omitempty"`
}

// component returns the component with the given code.
func (s Spec) component(code string) (Component, bool) {
	for _, c := range s.Components {
		if c.Code == code {
			return c, true
		}
	}
	return Component{}, false
}

// Actor is who issues a command: an officer (ID, name, unit key, role) or the applicant
// (role "applicant"), or the system for jobs (role "system").
type Actor struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Unit string `json:"unit,omitempty"`
	Role string `json:"role,omitempty"`
}

// Roles the aggregate itself checks; the authorization layer checks the rest.
const (
	RoleLeader    = "leader"
	RoleApplicant = "applicant"
	RoleSystem    = "system"
)

// Context carries what Decide may not find out by itself.
type Context struct {
	Now   time.Time
	Clock Clock
	Actor Actor
}

// Applicant is the person or organization the dossier belongs to.
type Applicant struct {
	Kind           string `json:"kind,omitempty"` // citizen | organization
	Name           string `json:"name"`
	PersonalID     string `json:"personal_id,omitempty"`
	EnterpriseCode string `json:"enterprise_code,omitempty"`
	Address        string `json:"address,omitempty"`
	Phone          string `json:"phone,omitempty"`
	Email          string `json:"email,omitempty"`
}

// Document is one file of the dossier with the minimum metadata of LEGAL §3 / Điều 19 (type
// code, owner's ID number, name, summary, validity period and scope).
type Document struct {
	Component string    `json:"component"`
	Name      string    `json:"name"`
	Hash      string    `json:"hash,omitempty"` // content hash in file storage
	MediaType string    `json:"media_type,omitempty"`
	Size      int64     `json:"size,omitempty"`
	DocType   string    `json:"doc_type,omitempty"`
	OwnerID   string    `json:"owner_id,omitempty"`
	Summary   string    `json:"summary,omitempty"`
	ValidFrom time.Time `json:"valid_from,omitzero"`
	ValidTo   time.Time `json:"valid_to,omitzero"`
	Scope     string    `json:"scope,omitempty"`
	Digitized bool      `json:"digitized,omitempty"`  // the component exists as a signed electronic file
	Reused    bool      `json:"reused,omitempty"`     // taken from a national/sector database or the vault
	FromVault bool      `json:"from_vault,omitempty"` // taken from the applicant's data vault
	AddedAt   time.Time `json:"added_at,omitzero"`    // set by the event that brought it
}

// ResultDocument is one result issued for an approved dossier.
type ResultDocument struct {
	Name       string `json:"name"`
	DocType    string `json:"doc_type,omitempty"`
	Code       string `json:"code,omitempty"` // e-result document code: applicant ID + result-type code
	Hash       string `json:"hash,omitempty"`
	Electronic bool   `json:"electronic,omitempty"`
	ToVault    bool   `json:"to_vault,omitempty"` // pushed to the applicant's data vault
}

// Step is one step of this dossier's process, planned at reception and updated as it moves.
type Step struct {
	Index        int        `json:"index"`
	Name         string     `json:"name"`
	Role         string     `json:"role"`
	Unit         string     `json:"unit"`
	ShareMinutes int64      `json:"share_minutes"`
	Parallel     bool       `json:"parallel,omitempty"`
	AdHoc        bool       `json:"ad_hoc,omitempty"` // a consultation added by forwarding, not in the spec
	Due          time.Time  `json:"due_at,omitzero"`
	StartedAt    time.Time  `json:"started_at,omitzero"` // handed over to the step's unit
	Assignee     string     `json:"assignee,omitempty"`
	FinishedAt   time.Time  `json:"finished_at,omitzero"`
	Verdict      Timeliness `json:"verdict,omitempty"` // judged when the step finished
	Outcome      string     `json:"outcome,omitempty"` // e.g. the consulted agency's opinion
	Note         string     `json:"note,omitempty"`
}

// Open reports whether the step has started and not finished.
func (s Step) Open() bool { return !s.StartedAt.IsZero() && s.FinishedAt.IsZero() }

// AwaitingLeader is the unit whose leader must decide now: the unit of the current main step
// when that step is a leader's and open, else "".
func (d *Dossier) AwaitingLeader() string {
	if d.Current < 0 || d.Current >= len(d.Steps) {
		return ""
	}
	s := d.Steps[d.Current]
	if !s.Open() || s.Role != RoleLeader {
		return ""
	}
	return s.Unit
}

// Decision is the authority's decision on a processed dossier.
type Decision string

// The two decisions.
const (
	Approved Decision = "approved"
	Refused  Decision = "refused"
)

// Dossier is the aggregate's state. It is built only by Apply, so every field can be rebuilt
// from the events; the store may also keep it as a JSON snapshot with its Version.
type Dossier struct {
	ID            string          `json:"id"`
	Code          string          `json:"code,omitempty"`
	State         State           `json:"status"`
	Version       int64           `json:"version"`
	Spec          Spec            `json:"spec"`
	Channel       Channel         `json:"channel,omitempty"`
	Authority     string          `json:"authority,omitempty"`
	ReceivingUnit string          `json:"receiving_unit,omitempty"`
	Applicant     Applicant       `json:"applicant"`
	Form          json.RawMessage `json:"form,omitempty"`
	Documents     []Document      `json:"documents,omitempty"`
	IdentityLevel int             `json:"identity_level,omitempty"`
	PaidOnline    bool            `json:"paid_online,omitempty"`
	UpdatedAt     time.Time       `json:"updated_at,omitzero"`

	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	NotifyBy    time.Time `json:"notify_by,omitzero"` // Điều 17.2: desk notified within 2 hours
	AcceptBy    time.Time `json:"accept_by,omitzero"` // Điều 17.2: accept or ask within 8 working hours

	ReceivedAt    time.Time `json:"received_at,omitzero"`
	DueAt         time.Time `json:"due_at,omitzero"`
	OriginalDueAt time.Time `json:"original_due_at,omitzero"` // the due date before the extension
	Steps         []Step    `json:"steps,omitempty"`
	Current       int       `json:"current_step"` // the main step holding the dossier, -1 for none

	SupplementRequests    int       `json:"supplement_requests,omitempty"`
	SupplementRequestedAt time.Time `json:"supplement_requested_at,omitzero"`
	SupplementComponents  []string  `json:"supplement_components,omitempty"`
	SupplementReason      string    `json:"supplement_reason,omitempty"`
	SupplementedAt        time.Time `json:"supplemented_at,omitzero"`

	Extensions      int       `json:"extensions,omitempty"`
	ExtendedAt      time.Time `json:"extended_at,omitzero"`
	ExtensionReason string    `json:"extension_reason,omitempty"`

	SuspendedAt   time.Time `json:"suspended_at,omitzero"`
	SuspendReason string    `json:"suspend_reason,omitempty"`
	PausedFrom    State     `json:"paused_from,omitempty"` // the state to go back to after a pause
	PausedMinutes int64     `json:"paused_minutes,omitempty"`

	Decision       Decision         `json:"decision,omitempty"`
	DecisionReason string           `json:"decision_reason,omitempty"`
	ProcessedAt    time.Time        `json:"processed_at,omitzero"`
	Results        []ResultDocument `json:"results,omitempty"`
	ResultIssuedAt time.Time        `json:"result_issued_at,omitzero"`
	ReturnedAt     time.Time        `json:"returned_at,omitzero"`
	ReturnMethod   string           `json:"return_method,omitempty"`

	RejectedAt   time.Time `json:"rejected_at,omitzero"`
	RejectReason string    `json:"reject_reason,omitempty"`
	WithdrawnAt  time.Time `json:"withdrawn_at,omitzero"`
	ClosedAt     time.Time `json:"closed_at,omitzero"`
	StopReason   string    `json:"stop_reason,omitempty"`

	Rating        int       `json:"rating,omitempty"`
	RatingComment string    `json:"rating_comment,omitempty"`
	RatedAt       time.Time `json:"rated_at,omitzero"`

	// SyncedAt is when the national portal acknowledged the reception (indicator 1.4).
	SyncedAt time.Time `json:"synced_at,omitzero"`
}

// New returns an empty draft, the state before the first event.
func New() *Dossier { return &Dossier{State: Draft, Current: -1} }

// Clone returns a deep copy, so callers can keep a state while deciding on another.
func (d *Dossier) Clone() *Dossier {
	c := *d
	c.Spec.Steps = slices.Clone(d.Spec.Steps)
	c.Spec.Components = slices.Clone(d.Spec.Components)
	c.Form = slices.Clone(d.Form)
	c.Documents = slices.Clone(d.Documents)
	c.Steps = slices.Clone(d.Steps)
	c.SupplementComponents = slices.Clone(d.SupplementComponents)
	c.Results = slices.Clone(d.Results)
	return &c
}

// MissingComponents lists the required components without a document, in spec order.
func (d *Dossier) MissingComponents() []string {
	var out []string
	for _, c := range d.Spec.Components {
		if c.Required && !d.hasComponent(c.Code, time.Time{}) {
			out = append(out, c.Code)
		}
	}
	return out
}

// hasComponent reports whether a document for the component was added at or after since.
func (d *Dossier) hasComponent(code string, since time.Time) bool {
	for _, doc := range d.Documents {
		if doc.Component == code && !doc.AddedAt.Before(since) {
			return true
		}
	}
	return false
}

// OpenSteps returns the indexes of the steps that have started and not finished.
func (d *Dossier) OpenSteps() []int {
	var out []int
	for i, s := range d.Steps {
		if s.Open() {
			out = append(out, i)
		}
	}
	return out
}

// nextMain returns the first main step after i that has not started, or -1.
func (d *Dossier) nextMain(i int) int {
	for j := i + 1; j < len(d.Steps); j++ {
		if !d.Steps[j].Parallel && d.Steps[j].StartedAt.IsZero() {
			return j
		}
	}
	return -1
}

// anchoredTo returns the planned parallel steps that run beside main step i (the parallel
// steps that follow it in the spec before the next main step) and have not started.
func (d *Dossier) anchoredTo(i int) []int {
	var out []int
	for j := i + 1; j < len(d.Steps); j++ {
		s := d.Steps[j]
		if !s.Parallel {
			break
		}
		if !s.AdHoc && s.StartedAt.IsZero() {
			out = append(out, j)
		}
	}
	return out
}
