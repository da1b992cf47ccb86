package dossier

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// transitions is the lifecycle as the law describes it, written independently of the
// implementation's table: for each state, the commands it accepts and the state they lead to.
// Every other (state, command) pair must be refused.
var transitions = map[State]map[string]State{
	Draft: {"submit": Submitted},
	Submitted: {
		"attach-document": Submitted, "request-supplement": SupplementRequested, "receive": Received,
		"reject": Rejected, "withdraw": Withdrawn,
	},
	SupplementRequested: {
		"attach-document": SupplementRequested, "supplement": Submitted, "reject": Rejected,
		"withdraw": Withdrawn, "close": Closed,
	},
	Received: {
		"attach-document": Received, "request-supplement": SupplementRequestedInProcessing,
		"assign": Received, "forward": InProgress, "complete-step": Received, "suspend": Suspended,
		"extend": Received, "approve": Processed, "refuse": Processed, "withdraw": Withdrawn,
		"sync": Received,
	},
	InProgress: {
		"attach-document": InProgress, "request-supplement": SupplementRequestedInProcessing,
		"assign": InProgress, "forward": InProgress, "complete-step": InProgress, "suspend": Suspended,
		"extend": InProgress, "approve": Processed, "refuse": Processed, "withdraw": Withdrawn,
		"sync": InProgress,
	},
	SupplementRequestedInProcessing: {
		"attach-document": SupplementRequestedInProcessing, "supplement": InProgress,
		"withdraw": Withdrawn, "close": Closed, "sync": SupplementRequestedInProcessing,
	},
	Suspended: {"resume": InProgress, "withdraw": Withdrawn, "sync": Suspended},
	Processed: {"issue-result": Processed, "return-result": Returned, "sync": Processed},
	Returned:  {"rate": Returned, "sync": Returned},
	Rejected:  {},
	// A dossier stopped after reception can still be acknowledged by the national portal
	// (TestRules); the fixtures of these two states were stopped before reception, so there
	// sync is refused by rule, not by state (receivedOnly).
	Withdrawn: {"sync": Withdrawn},
	Closed:    {"sync": Closed},
}

// receivedOnly are the commands the state table allows in a state the dossier may reach
// without being received, refused then with not_received.
var receivedOnly = map[string]bool{"sync": true}

// eventOf is the event each command produces when accepted.
var eventOf = map[string]EventType{
	"submit": EventSubmitted, "attach-document": EventDocumentAttached,
	"request-supplement": EventSupplementRequested, "supplement": EventSupplemented,
	"receive": EventReceived, "reject": EventRejected, "assign": EventAssigned,
	"forward": EventForwarded, "complete-step": EventStepCompleted, "suspend": EventSuspended,
	"resume": EventResumed, "extend": EventExtended, "approve": EventApproved, "refuse": EventRefused,
	"issue-result": EventResultIssued, "return-result": EventResultReturned,
	"withdraw": EventWithdrawn, "rate": EventRated, "close": EventClosed, "sync": EventSynced,
}

// sample returns a well-formed command of each name for dossier d, with the time to issue it
// and the actor (the leader signs, the applicant withdraws and rates).
func sample(name string, d *Dossier) (Command, time.Time, Actor) {
	now := d.UpdatedAt.Add(30 * time.Minute)
	if d.UpdatedAt.IsZero() {
		now = at(3, 8, 0)
	}
	switch name {
	case "submit":
		return submitCmd(simpleSpec(), doc("DON"), doc("CCCD")), now, applicant
	case "attach-document":
		return AttachDocument{Document: doc("ANH")}, now, applicant
	case "request-supplement":
		return RequestSupplement{Components: []string{"ANH"}, Reason: "Thiếu ảnh"}, now, desk
	case "supplement":
		return Supplement{Documents: []Document{doc("CCCD")}}, now, applicant
	case "receive":
		return Receive{Code: FormatCode("000.00.01.H55", now, 7)}, now, desk
	case "reject":
		return Reject{Reason: "Không thuộc thẩm quyền"}, now, desk
	case "assign":
		return Assign{Step: -1, To: "cv-02"}, now, leader
	case "forward":
		return Forward{}, now, expert
	case "complete-step":
		return CompleteStep{Step: -1, Outcome: "Đạt"}, now, expert
	case "suspend":
		return Suspend{Reason: "Chờ xác minh thực địa"}, now, expert
	case "resume":
		return Resume{}, now, expert
	case "extend":
		return Extend{NewDue: d.DueAt.Add(48 * time.Hour), Reason: "Cần xác minh thêm"}, now, leader
	case "approve":
		return Approve{}, now, leader
	case "refuse":
		return Refuse{Reason: "Không đủ điều kiện"}, now, leader
	case "issue-result":
		return IssueResult{Documents: []ResultDocument{{Name: "Bản sao", Electronic: true}}}, now, leader
	case "return-result":
		return ReturnResult{Method: ReturnDesk}, now, desk
	case "withdraw":
		return Withdraw{Reason: "Không còn nhu cầu"}, now, applicant
	case "rate":
		return Rate{Score: 5}, now, applicant
	case "close":
		return Close{}, d.SupplementRequestedAt.AddDate(0, 0, 16), system
	case "sync":
		return Sync{Reference: "DVCQG-1"}, now, system
	}
	return nil, now, Actor{}
}

// TestEveryStateCommandPair crosses every state with every command: the pairs the law allows
// produce the right event, a state change as in transitions, an intact d, and the same state
// as replaying the history; all others are refused with illegal_state.
func TestEveryStateCommandPair(t *testing.T) {
	for _, s := range States {
		if _, ok := transitions[s]; !ok {
			t.Errorf("state %q has no entry in the test's transition table", s)
		}
	}
	for _, name := range CommandNames {
		if _, ok := eventOf[name]; !ok {
			t.Errorf("command %q has no expected event in the test", name)
		}
	}
	for _, s := range States {
		for _, name := range CommandNames {
			t.Run(fmt.Sprintf("%s/%s", s, name), func(t *testing.T) {
				h := fixture(t, s)
				before := h.d.Clone()
				cmd, now, actor := sample(name, h.d)
				if cmd == nil {
					t.Fatalf("no sample command for %q", name)
				}
				if cmd.Name() != name {
					t.Fatalf("sample for %q is named %q", name, cmd.Name())
				}
				evs, err := Decide(h.d, cmd, Context{Now: now, Clock: fakeCal{}, Actor: actor})
				sameDossier(t, before, h.d) // Decide never mutates
				next, allowed := transitions[s][name]
				if Allowed(s, name) != allowed {
					t.Errorf("Allowed(%s, %s) = %v, the law says %v", s, name, !allowed, allowed)
				}
				if !allowed {
					wantRule(t, err, CodeIllegalState)
					if evs != nil {
						t.Errorf("refused command returned events %v", evs)
					}
					return
				}
				if receivedOnly[name] && h.d.Code == "" {
					wantRule(t, err, CodeNotReceived)
					return
				}
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if diff := cmp.Diff([]EventType{eventOf[name]}, types(evs)); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
				for i, e := range evs {
					if e.Seq != before.Version+int64(i)+1 || e.Actor != actor || e.Unit != actor.Unit || !e.At.Equal(now) {
						t.Errorf("event %d header = seq %d actor %v unit %q at %s", i, e.Seq, e.Actor, e.Unit, e.At)
					}
					Apply(h.d, e)
				}
				if h.d.State != next {
					t.Errorf("state after %s = %q, want %q", name, h.d.State, next)
				}
				replayed, err := Replay(append(h.events, evs...))
				if err != nil {
					t.Fatal(err)
				}
				sameDossier(t, h.d, replayed)
			})
		}
	}
}

// TestTerminalStatesAcceptOnlyRating: after the end, only the applicant's rating of a returned
// dossier and the national portal's acknowledgement (which changes no handling) are recorded.
func TestTerminalStatesAcceptOnlyRating(t *testing.T) {
	for _, s := range States {
		for _, name := range CommandNames {
			if s.Terminal() && Allowed(s, name) && !(s == Returned && name == "rate") && name != "sync" {
				t.Errorf("terminal state %s accepts %s", s, name)
			}
		}
	}
}

// TestRules checks each rule of the law that goes beyond the state table.
func TestRules(t *testing.T) {
	type tc struct {
		name  string
		from  State
		setup []func(*Dossier) step // further legal steps after the fixture
		do    func(*Dossier) step
		code  string // rule code, or "" with field
		field string
	}
	next := func(d *Dossier, m time.Duration) time.Time { return d.UpdatedAt.Add(m) }
	tests := []tc{
		{name: "second supplement request is refused", from: SupplementRequested,
			setup: []func(*Dossier) step{
				func(d *Dossier) step {
					return step{next(d, time.Hour), applicant, Supplement{Documents: []Document{doc("CCCD")}}}
				},
				func(d *Dossier) step {
					return step{next(d, time.Hour), desk, Receive{Code: "000.00.01.H55-261103-0002"}}
				},
			},
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), expert, RequestSupplement{Components: []string{"ANH"}, Reason: "Thiếu ảnh"}}
			}, code: CodeSupplementOnce},
		{name: "supplement request after 3 working days of receipt", from: InProgress,
			do: func(d *Dossier) step {
				return step{at(6, 9, 1), expert, RequestSupplement{Components: []string{"ANH"}, Reason: "Thiếu ảnh"}}
			}, code: CodeSupplementWindow},
		{name: "supplement request exactly 3 working days after receipt is allowed", from: InProgress,
			setup: []func(*Dossier) step{func(*Dossier) step {
				return step{at(6, 9, 0), expert, RequestSupplement{Components: []string{"ANH"}, Reason: "Thiếu ảnh"}}
			}},
			do: func(d *Dossier) step {
				return step{next(d, 0), applicant, Supplement{Documents: []Document{doc("ANH")}}}
			}},
		{name: "supplement request without reason", from: Submitted,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), desk, RequestSupplement{Components: []string{"ANH"}}}
			}, code: CodeReasonRequired},
		{name: "supplement request must list components", from: Submitted,
			do:    func(d *Dossier) step { return step{next(d, time.Hour), desk, RequestSupplement{Reason: "Thiếu"}} },
			field: "components"},
		{name: "supplement request for an unknown component", from: Submitted,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), desk, RequestSupplement{Components: []string{"ANH", "XYZ"}, Reason: "Thiếu"}}
			}, field: "components[1]"},
		{name: "supplement without the requested document", from: SupplementRequested,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), applicant, Supplement{Documents: []Document{doc("ANH")}}}
			},
			code: CodeSupplementIncomplete},
		{name: "supplement by earlier attachment is complete", from: SupplementRequested,
			setup: []func(*Dossier) step{func(d *Dossier) step {
				return step{next(d, time.Hour), applicant, AttachDocument{Document: doc("CCCD")}}
			}},
			do: func(d *Dossier) step { return step{next(d, time.Hour), applicant, Supplement{}} }},
		{name: "receiving an incomplete dossier", from: Draft,
			setup: []func(*Dossier) step{func(*Dossier) step {
				return step{at(3, 8, 0), applicant, submitCmd(simpleSpec(), doc("DON"))}
			}},
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), desk, Receive{Code: "000.00.01.H55-261103-0001"}}
			},
			code: CodeIncompleteDossier},
		{name: "receiving with a malformed code", from: Submitted,
			do:    func(d *Dossier) step { return step{next(d, time.Hour), desk, Receive{Code: "H55-1"}} },
			field: "code"},
		{name: "reject without reason", from: Submitted,
			do:   func(d *Dossier) step { return step{next(d, time.Hour), desk, Reject{}} },
			code: CodeReasonRequired},
		{name: "second extension", from: InProgress,
			setup: []func(*Dossier) step{func(d *Dossier) step {
				return step{next(d, time.Hour), leader, Extend{NewDue: d.DueAt.Add(24 * time.Hour), Reason: "Xác minh"}}
			}},
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), leader, Extend{NewDue: d.DueAt.Add(24 * time.Hour), Reason: "Lần nữa"}}
			}, code: CodeExtensionOnce},
		{name: "extension less than one working day before due", from: InProgress,
			do: func(d *Dossier) step {
				// due is Fri 6 Nov 09:00 (3 WD from Tue 09:00); Thu 09:01 leaves 479 working minutes.
				return step{at(5, 9, 1), leader, Extend{NewDue: d.DueAt.Add(24 * time.Hour), Reason: "Xác minh"}}
			}, code: CodeExtensionTooLate},
		{name: "extension exactly one working day before due", from: InProgress,
			do: func(d *Dossier) step {
				return step{at(5, 9, 0), leader, Extend{NewDue: d.DueAt.Add(24 * time.Hour), Reason: "Xác minh"}}
			}},
		{name: "extension after the due date", from: InProgress,
			do: func(d *Dossier) step {
				return step{at(9, 9, 0), leader, Extend{NewDue: at(12, 17, 0), Reason: "Xác minh"}}
			}, code: CodeExtensionTooLate},
		{name: "extension to an earlier date", from: InProgress,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), leader, Extend{NewDue: d.DueAt.Add(-time.Hour), Reason: "Xác minh"}}
			}, code: CodeExtensionNotLater},
		{name: "extension without reason", from: InProgress,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), leader, Extend{NewDue: d.DueAt.Add(24 * time.Hour)}}
			}, code: CodeReasonRequired},
		{name: "approval by a specialist", from: InProgress,
			do:   func(d *Dossier) step { return step{next(d, time.Hour), expert, Approve{}} },
			code: CodeLeaderOnly},
		{name: "refusal by a desk officer", from: InProgress,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), desk, Refuse{Reason: "Không đủ điều kiện"}}
			},
			code: CodeLeaderOnly},
		{name: "refusal without reason", from: InProgress,
			do:   func(d *Dossier) step { return step{next(d, time.Hour), leader, Refuse{}} },
			code: CodeReasonRequired},
		{name: "forward to a unit off the process", from: InProgress,
			do:   func(d *Dossier) step { return step{next(d, time.Hour), expert, Forward{To: "so-xay-dung"}} },
			code: CodeWrongRoute},
		{name: "forward past the last step", from: InProgress,
			setup: []func(*Dossier) step{
				func(d *Dossier) step { return step{next(d, time.Hour), expert, Forward{}} },
				func(d *Dossier) step { return step{next(d, time.Hour), leader, Forward{}} },
			},
			do:   func(d *Dossier) step { return step{next(d, time.Hour), desk, Forward{}} },
			code: CodeNoNextStep},
		{name: "unplanned consultation needs a deadline", from: InProgress,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), expert, Forward{To: "so-xay-dung", Parallel: true}}
			},
			field: "share_minutes"},
		{name: "approval waits for an open consultation", from: InProgress,
			setup: []func(*Dossier) step{func(d *Dossier) step {
				return step{next(d, time.Hour), expert, Forward{To: "so-xay-dung", Parallel: true, ShareMinutes: 480}}
			}},
			do:   func(d *Dossier) step { return step{next(d, time.Hour), leader, Approve{}} },
			code: CodeConsultationOpen},
		{name: "completing a step that is not open", from: InProgress,
			do:   func(d *Dossier) step { return step{next(d, time.Hour), expert, CompleteStep{Step: 0}} },
			code: CodeStepNotOpen},
		{name: "completing a step that does not exist", from: InProgress,
			do:    func(d *Dossier) step { return step{next(d, time.Hour), expert, CompleteStep{Step: 42}} },
			field: "step"},
		{name: "assign without an officer", from: InProgress,
			do:    func(d *Dossier) step { return step{next(d, time.Hour), leader, Assign{Step: -1}} },
			field: "to"},
		{name: "return before the result is issued", from: InProgress,
			setup: []func(*Dossier) step{func(d *Dossier) step { return step{next(d, time.Hour), leader, Approve{}} }},
			do:    func(d *Dossier) step { return step{next(d, time.Hour), desk, ReturnResult{Method: ReturnDesk}} },
			code:  CodeResultNotIssued},
		{name: "electronic return without an electronic result", from: InProgress,
			setup: []func(*Dossier) step{
				func(d *Dossier) step { return step{next(d, time.Hour), leader, Approve{}} },
				func(d *Dossier) step {
					return step{next(d, time.Hour), leader, IssueResult{Documents: []ResultDocument{{Name: "Giấy phép (bản giấy)"}}}}
				},
			},
			do:   func(d *Dossier) step { return step{next(d, time.Hour), desk, ReturnResult{Method: ReturnElectronic}} },
			code: CodeNoElectronicResult},
		{name: "return of a refusal needs no result", from: InProgress,
			setup: []func(*Dossier) step{func(d *Dossier) step {
				return step{next(d, time.Hour), leader, Refuse{Reason: "Không đủ điều kiện"}}
			}},
			do: func(d *Dossier) step { return step{next(d, time.Hour), desk, ReturnResult{Method: ReturnPost}} }},
		{name: "result after a refusal", from: InProgress,
			setup: []func(*Dossier) step{func(d *Dossier) step {
				return step{next(d, time.Hour), leader, Refuse{Reason: "Không đủ điều kiện"}}
			}},
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), leader, IssueResult{Documents: []ResultDocument{{Name: "X"}}}}
			}, code: CodeResultAfterRefusal},
		{name: "bad return method", from: Processed,
			do:    func(d *Dossier) step { return step{next(d, time.Hour), desk, ReturnResult{Method: "pigeon"}} },
			field: "method"},
		{name: "closing before 15 days", from: SupplementRequested,
			do: func(d *Dossier) step {
				return step{d.SupplementRequestedAt.AddDate(0, 0, 15).Add(-time.Second), system, Close{}}
			},
			code: CodeCloseTooEarly},
		{name: "closing at 15 days", from: SupplementRequestedInProcessing,
			do: func(d *Dossier) step { return step{d.SupplementRequestedAt.AddDate(0, 0, 15), system, Close{}} }},
		{name: "sync recorded by an officer", from: Received,
			do:   func(d *Dossier) step { return step{next(d, time.Minute), desk, Sync{}} },
			code: CodeSystemOnly},
		{name: "second sync", from: InProgress,
			setup: []func(*Dossier) step{func(d *Dossier) step { return step{next(d, time.Minute), system, Sync{}} }},
			do:    func(d *Dossier) step { return step{next(d, time.Minute), system, Sync{Reference: "again"}} },
			code:  CodeAlreadySynced},
		{name: "sync of a dossier withdrawn after reception", from: Received,
			setup: []func(*Dossier) step{func(d *Dossier) step {
				return step{next(d, time.Hour), applicant, Withdraw{Reason: "Không còn nhu cầu"}}
			}},
			do: func(d *Dossier) step { return step{next(d, time.Hour), system, Sync{}} }},
		{name: "sync of a dossier withdrawn before reception", from: Withdrawn,
			do:   func(d *Dossier) step { return step{next(d, time.Hour), system, Sync{}} },
			code: CodeNotReceived},
		{name: "suspend for payment when the procedure does not pause", from: InProgress,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), expert, Suspend{Reason: "Chờ nộp thuế", ForPayment: true}}
			},
			code: CodeSuspendNotAllowed},
		{name: "suspend without reason", from: InProgress,
			do:   func(d *Dossier) step { return step{next(d, time.Hour), expert, Suspend{}} },
			code: CodeReasonRequired},
		{name: "second rating", from: Returned,
			setup: []func(*Dossier) step{func(d *Dossier) step { return step{next(d, time.Hour), applicant, Rate{Score: 4}} }},
			do:    func(d *Dossier) step { return step{next(d, time.Hour), applicant, Rate{Score: 5}} },
			code:  CodeAlreadyRated},
		{name: "rating out of scale", from: Returned,
			do:    func(d *Dossier) step { return step{next(d, time.Hour), applicant, Rate{Score: 6}} },
			field: "score"},
		{name: "document for an unknown component", from: Submitted,
			do: func(d *Dossier) step {
				return step{next(d, time.Hour), applicant, AttachDocument{Document: doc("XYZ")}}
			},
			field: "document[0].component"},
		{name: "submit without applicant name", from: Draft,
			do: func(*Dossier) step {
				c := submitCmd(simpleSpec())
				c.Applicant.Name = " "
				return step{at(3, 8, 0), applicant, c}
			}, field: "applicant.name"},
		{name: "submit with a bad channel", from: Draft,
			do: func(*Dossier) step {
				c := submitCmd(simpleSpec())
				c.Channel = "fax"
				return step{at(3, 8, 0), applicant, c}
			}, field: "channel"},
		{name: "submit with a broken form", from: Draft,
			do: func(*Dossier) step {
				c := submitCmd(simpleSpec())
				c.Form = json.RawMessage(`{"a":`)
				return step{at(3, 8, 0), applicant, c}
			}, field: "form"},
		{name: "submit with a process without main step", from: Draft,
			do: func(*Dossier) step {
				s := simpleSpec()
				s.Steps = []StepSpec{{Unit: "x", Parallel: true}}
				return step{at(3, 8, 0), applicant, submitCmd(s)}
			}, field: "spec.steps"},
		{name: "submit a document of another procedure", from: Draft,
			do: func(*Dossier) step {
				return step{at(3, 8, 0), applicant, submitCmd(simpleSpec(), doc("DON"), doc("GPXD"))}
			}, field: "documents[1].component"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := fixture(t, tt.from)
			for i, f := range tt.setup {
				h.do(t, i, f(h.d))
			}
			s := tt.do(h.d)
			before := h.d.Clone()
			evs, err := Decide(h.d, s.cmd, Context{Now: s.at, Clock: fakeCal{}, Actor: s.actor})
			sameDossier(t, before, h.d)
			switch {
			case tt.code != "":
				wantRule(t, err, tt.code)
			case tt.field != "":
				wantInput(t, err, tt.field)
			default:
				if err != nil || len(evs) != 1 {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if evs != nil {
				t.Errorf("refused command returned events")
			}
		})
	}
}

func TestDecideWithoutClock(t *testing.T) {
	if _, err := Decide(nil, submitCmd(simpleSpec()), Context{Now: at(3, 8, 0)}); err == nil {
		t.Fatal("Decide without a calendar succeeded")
	}
}

func TestTimeNeverRunsBackwards(t *testing.T) {
	h := fixture(t, InProgress)
	evs, err := Decide(h.d, Assign{Step: -1, To: "cv-9"}, Context{Now: h.d.UpdatedAt.Add(-time.Hour), Clock: fakeCal{}, Actor: leader})
	if err != nil {
		t.Fatal(err)
	}
	if !evs[0].At.Equal(h.d.UpdatedAt) {
		t.Errorf("event at %s, before the last event %s", evs[0].At, h.d.UpdatedAt)
	}
}

func TestOnlineDeadlines(t *testing.T) {
	h := run(t, step{at(2, 20, 0), applicant, submitCmd(simpleSpec(), doc("DON"), doc("CCCD"))})
	// Điều 17.2: notified within 2 hours, accepted within 8 working hours (Tue 07:30-17:00).
	if want := at(2, 22, 0); !h.d.NotifyBy.Equal(want) {
		t.Errorf("notify by %s, want %s", h.d.NotifyBy, want)
	}
	if want := at(3, 17, 0); !h.d.AcceptBy.Equal(want) {
		t.Errorf("accept by %s, want %s", h.d.AcceptBy, want)
	}
	c := submitCmd(simpleSpec())
	c.Channel = ChannelDesk
	h = run(t, step{at(2, 9, 0), desk, c})
	if !h.d.AcceptBy.IsZero() || !h.d.NotifyBy.IsZero() {
		t.Errorf("desk dossier has online deadlines: %s %s", h.d.NotifyBy, h.d.AcceptBy)
	}
}

// TestSupplementInProcessingRestartsClock: due dates are recomputed from the supplement, and
// finished steps keep theirs.
func TestSupplementInProcessingRestartsClock(t *testing.T) {
	h := fixture(t, SupplementRequestedInProcessing) // received Tue 3 Nov 09:00, step 1 open
	step0 := h.d.Steps[0]
	h.do(t, 0, step{at(5, 10, 0), applicant, Supplement{Documents: []Document{doc("CCCD")}}})
	// 3 working days from Thu 5 Nov 10:00 = Tue 10 Nov 10:00.
	if want := at(10, 10, 0); !h.d.DueAt.Equal(want) {
		t.Errorf("due %s, want %s", h.d.DueAt.In(vn), want)
	}
	// Step 1 (12 h) now runs from Thu 10:00 + 4 h (step 0's share) = Thu 15:30: 90 min on Thu,
	// 480 on Fri, 150 on Mon from 07:30, so due Mon 9 Nov 10:00.
	if want := at(9, 10, 0); !h.d.Steps[1].Due.Equal(want) {
		t.Errorf("step 1 due %s, want %s", h.d.Steps[1].Due.In(vn), want)
	}
	if !h.d.Steps[0].Due.Equal(step0.Due) {
		t.Errorf("finished step 0 due moved from %s to %s", step0.Due, h.d.Steps[0].Due)
	}
	if h.d.State != InProgress || h.d.PausedFrom != "" {
		t.Errorf("state %s paused from %q", h.d.State, h.d.PausedFrom)
	}
}

func TestEventJSONRoundTrip(t *testing.T) {
	h := walk(t)
	raw, err := json.Marshal(h.events)
	if err != nil {
		t.Fatal(err)
	}
	var back []Event
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	d, err := Replay(back)
	if err != nil {
		t.Fatal(err)
	}
	sameDossier(t, h.d, d)
	for i := range back {
		if back[i].Data.EventType() != back[i].Type {
			t.Errorf("event %d payload type %s for %s", i, back[i].Data.EventType(), back[i].Type)
		}
	}
	var bad Event
	if err := json.Unmarshal([]byte(`{"seq":1,"type":"teleported","data":{}}`), &bad); err == nil {
		t.Error("unknown event type decoded")
	}
}

func TestReplayRejectsBadHistories(t *testing.T) {
	h := fixture(t, InProgress)
	ev := h.events
	tests := map[string][]Event{
		"gap":              {ev[0], ev[2]},
		"not submitted":    {ev[1]},
		"submitted twice":  {ev[0], func() Event { e := ev[0]; e.Seq = 2; return e }()},
		"payload mismatch": {ev[0], func() Event { e := ev[1]; e.Type = EventRejected; return e }()},
		"step out of range": {ev[0], ev[1], func() Event {
			e := ev[2]
			x := e.Data.(ForwardedData)
			x.Started = []int{99}
			e.Data = x
			return e
		}()},
	}
	for name, events := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Replay(events); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func BenchmarkDecideApply(b *testing.B) {
	h := fixture(b, InProgress)
	ctx := Context{Now: at(3, 12, 0), Clock: fakeCal{}, Actor: leader}
	for b.Loop() {
		d := h.d.Clone()
		evs, err := Decide(d, Assign{Step: -1, To: "cv-2"}, ctx)
		if err != nil {
			b.Fatal(err)
		}
		Apply(d, evs[0])
	}
}
