package dossier

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Command is an intention to change a dossier. Name is the API action name
// (POST /api/v1/dossiers/{code}/actions/{name}).
type Command interface {
	Name() string
	command()
}

// CommandNames lists every command's name. Tests enumerate it against States, so a new command
// must be added here (and to the transition table) to exist.
var CommandNames = []string{
	"submit", "attach-document", "request-supplement", "supplement", "receive", "reject",
	"assign", "forward", "complete-step", "suspend", "resume", "extend", "approve", "refuse",
	"issue-result", "return-result", "withdraw", "rate", "close", "sync",
}

// allowedIn is the transition table: the states in which each command may be considered at
// all. Rules that depend on more than the state (once only, deadlines, roles) are checked by
// Decide after this table.
var allowedIn = map[string][]State{
	"submit":             {Draft},
	"attach-document":    {Submitted, SupplementRequested, Received, InProgress, SupplementRequestedInProcessing},
	"request-supplement": {Submitted, Received, InProgress},
	"supplement":         {SupplementRequested, SupplementRequestedInProcessing},
	"receive":            {Submitted},
	"reject":             {Submitted, SupplementRequested},
	"assign":             {Received, InProgress},
	"forward":            {Received, InProgress},
	"complete-step":      {Received, InProgress},
	"suspend":            {Received, InProgress},
	"resume":             {Suspended},
	"extend":             {Received, InProgress},
	"approve":            {Received, InProgress},
	"refuse":             {Received, InProgress},
	"issue-result":       {Processed},
	"return-result":      {Processed},
	"withdraw":           {Submitted, SupplementRequested, Received, InProgress, SupplementRequestedInProcessing, Suspended},
	"rate":               {Returned},
	"close":              {SupplementRequested, SupplementRequestedInProcessing},
	// Any state a received dossier can be in: the acknowledgement may come after the dossier
	// moved on (the portal was unreachable for a while). Decide refuses it before reception.
	"sync": {Received, InProgress, SupplementRequestedInProcessing, Suspended, Processed, Returned, Withdrawn, Closed},
}

// Allowed reports whether the command name may be issued in the state (the console uses it to
// show only the buttons that can work; Decide may still refuse on a rule).
func Allowed(s State, name string) bool {
	for _, a := range allowedIn[name] {
		if a == s {
			return true
		}
	}
	return false
}

// Submit creates the dossier (Điều 15): at the desk, by post or online. The caller has already
// validated Form against the pinned procedure version's schema and resolved Spec's step units.
type Submit struct {
	ID            string          `json:"id"`
	Channel       Channel         `json:"channel"`
	Spec          Spec            `json:"spec"`
	Authority     string          `json:"authority"`      // unit key of the competent authority
	ReceivingUnit string          `json:"receiving_unit"` // unit key of the desk that receives it
	Applicant     Applicant       `json:"applicant"`
	Form          json.RawMessage `json:"form,omitempty"`
	Documents     []Document      `json:"documents,omitempty"`
	IdentityLevel int             `json:"identity_level,omitempty"` // e-ID assurance level verified at submission
	PaidOnline    bool            `json:"paid_online,omitempty"`
}

// AttachDocument adds one uploaded document (POST .../documents, or the desk's scan of a paper
// component at reception).
type AttachDocument struct {
	Document Document `json:"document"`
}

// RequestSupplement asks the applicant, once, for everything missing (Điều 16, Điều 19).
type RequestSupplement struct {
	Components []string `json:"components"`
	Reason     string   `json:"reason"`
}

// Supplement brings the requested documents; the processing time restarts from zero.
type Supplement struct {
	Documents []Document `json:"documents,omitempty"`
}

// Receive accepts a complete dossier at the desk (Điều 17). Code is allocated by the caller in
// the same transaction (FormatCode with the authority's daily sequence).
type Receive struct {
	Code string `json:"code"`
}

// Reject refuses reception, with reasons (Phiếu từ chối tiếp nhận).
type Reject struct {
	Reason string `json:"reason"`
}

// Assign gives a step to an officer. Step -1 means the current main step.
type Assign struct {
	Step int    `json:"step"`
	To   string `json:"to"`
}

// Forward hands the dossier over: to the next main step of the process (To empty or equal to
// that step's unit), or, with Parallel, to a consulted agency beside the current step. An
// unplanned consultation needs its own deadline as ShareMinutes.
type Forward struct {
	To           string `json:"to,omitempty"`
	Parallel     bool   `json:"parallel,omitempty"`
	ShareMinutes int64  `json:"share_minutes,omitempty"`
	StepName     string `json:"step_name,omitempty"` // name of an unplanned consultation
	Note         string `json:"note,omitempty"`
}

// CompleteStep finishes an open step with its outcome (a consultation's opinion, an
// appraisal). Step -1 means the current main step.
type CompleteStep struct {
	Step    int    `json:"step"`
	Outcome string `json:"outcome,omitempty"`
	Note    string `json:"note,omitempty"`
}

// Suspend pauses the legal clock, with a reason. ForPayment marks the applicant's financial
// obligation, which pauses the clock only where the procedure says so.
type Suspend struct {
	Reason     string `json:"reason"`
	ForPayment bool   `json:"for_payment,omitempty"`
}

// Resume restarts the clock; every open deadline moves by the paused working time.
type Resume struct {
	Note string `json:"note,omitempty"`
}

// Extend moves the due date once, with the apology (Điều 19).
type Extend struct {
	NewDue time.Time `json:"new_due"`
	Reason string    `json:"reason"`
}

// Approve is the leader's positive decision.
type Approve struct {
	Note string `json:"note,omitempty"`
}

// Refuse is the leader's refusal in processing (Phiếu từ chối giải quyết), with reasons.
type Refuse struct {
	Reason string `json:"reason"`
}

// IssueResult records the signed result documents of an approved dossier.
type IssueResult struct {
	Documents []ResultDocument `json:"documents"`
}

// ReturnResult hands the result (or the refusal) to the applicant.
type ReturnResult struct {
	Method string `json:"method"` // desk | post | electronic
}

// Return methods.
const (
	ReturnDesk       = "desk"
	ReturnPost       = "post"
	ReturnElectronic = "electronic"
)

// Withdraw stops the dossier at the applicant's request, until the decision (Điều 21).
type Withdraw struct {
	Reason string `json:"reason,omitempty"`
}

// Rate is the applicant's satisfaction rating after return, once, Score 1 (very unsatisfied)
// to 5 (very satisfied).
type Rate struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

// Close ends a dossier whose supplement did not come within 15 days of the request; the job
// issues it.
type Close struct{}

// Sync records that the National Public Service Portal acknowledged the dossier's reception
// (QĐ 766, indicator 1.4): the outbox dispatcher issues it, once, as the system. It changes no
// handling and no deadline.
type Sync struct {
	Reference string `json:"reference,omitempty"` // the portal's acknowledgement, when it gives one
}

// Name implements Command.
func (Submit) Name() string { return "submit" }

// Name implements Command.
func (AttachDocument) Name() string { return "attach-document" }

// Name implements Command.
func (RequestSupplement) Name() string { return "request-supplement" }

// Name implements Command.
func (Supplement) Name() string { return "supplement" }

// Name implements Command.
func (Receive) Name() string { return "receive" }

// Name implements Command.
func (Reject) Name() string { return "reject" }

// Name implements Command.
func (Assign) Name() string { return "assign" }

// Name implements Command.
func (Forward) Name() string { return "forward" }

// Name implements Command.
func (CompleteStep) Name() string { return "complete-step" }

// Name implements Command.
func (Suspend) Name() string { return "suspend" }

// Name implements Command.
func (Resume) Name() string { return "resume" }

// Name implements Command.
func (Extend) Name() string { return "extend" }

// Name implements Command.
func (Approve) Name() string { return "approve" }

// Name implements Command.
func (Refuse) Name() string { return "refuse" }

// Name implements Command.
func (IssueResult) Name() string { return "issue-result" }

// Name implements Command.
func (ReturnResult) Name() string { return "return-result" }

// Name implements Command.
func (Withdraw) Name() string { return "withdraw" }

// Name implements Command.
func (Rate) Name() string { return "rate" }

// Name implements Command.
func (Close) Name() string { return "close" }

// Name implements Command.
func (Sync) Name() string { return "sync" }

func (Submit) command()            {}
func (AttachDocument) command()    {}
func (RequestSupplement) command() {}
func (Supplement) command()        {}
func (Receive) command()           {}
func (Reject) command()            {}
func (Assign) command()            {}
func (Forward) command()           {}
func (CompleteStep) command()      {}
func (Suspend) command()           {}
func (Resume) command()            {}
func (Extend) command()            {}
func (Approve) command()           {}
func (Refuse) command()            {}
func (IssueResult) command()       {}
func (ReturnResult) command()      {}
func (Withdraw) command()          {}
func (Rate) command()              {}
func (Close) command()             {}
func (Sync) command()              {}

// DecodeCommand builds the command of an API action from its JSON body (POST
// .../actions/{name}). Unknown actions and unknown or malformed fields are *InputError; an
// absent "step" means the current step.
func DecodeCommand(name string, body []byte) (Command, error) {
	switch name {
	case "submit":
		return decodeAs(Submit{}, body)
	case "attach-document":
		return decodeAs(AttachDocument{}, body)
	case "request-supplement":
		return decodeAs(RequestSupplement{}, body)
	case "supplement":
		return decodeAs(Supplement{}, body)
	case "receive":
		return decodeAs(Receive{}, body)
	case "reject":
		return decodeAs(Reject{}, body)
	case "assign":
		return decodeAs(Assign{Step: -1}, body)
	case "forward":
		return decodeAs(Forward{}, body)
	case "complete-step":
		return decodeAs(CompleteStep{Step: -1}, body)
	case "suspend":
		return decodeAs(Suspend{}, body)
	case "resume":
		return decodeAs(Resume{}, body)
	case "extend":
		return decodeAs(Extend{}, body)
	case "approve":
		return decodeAs(Approve{}, body)
	case "refuse":
		return decodeAs(Refuse{}, body)
	case "issue-result":
		return decodeAs(IssueResult{}, body)
	case "return-result":
		return decodeAs(ReturnResult{}, body)
	case "withdraw":
		return decodeAs(Withdraw{}, body)
	case "rate":
		return decodeAs(Rate{}, body)
	case "close":
		return decodeAs(Close{}, body)
	case "sync":
		return decodeAs(Sync{}, body)
	}
	return nil, inputErr("action", "Thao tác không tồn tại.", fmt.Sprintf("unknown action %q", name))
}

func decodeAs[T Command](v T, body []byte) (Command, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return v, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return nil, inputErr("body", "Dữ liệu gửi lên không hợp lệ.", err.Error())
	}
	if dec.More() {
		return nil, inputErr("body", "Dữ liệu gửi lên không hợp lệ.", "trailing data after the JSON body")
	}
	return v, nil
}
