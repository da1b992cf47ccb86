package dossier

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/calendar"
)

// Officers and the applicant of the tests.
var (
	applicant = Actor{ID: "cd-001", Name: "Nguyễn Thị Lan", Role: RoleApplicant}
	desk      = Actor{ID: "mc-01", Name: "Trần Văn Bình", Unit: "ttpvhcc", Role: "desk"}
	leader    = Actor{ID: "ld-01", Name: "Lê Văn Cường", Unit: "van-phong-ubnd", Role: RoleLeader}
	expert    = Actor{ID: "cv-01", Name: "Phạm Thu Hà", Unit: "van-phong-ubnd", Role: "specialist"}
	system    = Actor{ID: "system", Role: RoleSystem}
)

// simpleSpec is a 3-working-day procedure without consultations: desk 4h, specialist 12h,
// leader 4h, desk 4h.
func simpleSpec() Spec {
	return Spec{
		Procedure: "T.01", Version: 1,
		ProcessingTime: calendar.Duration{Value: 3, Unit: calendar.WorkingDay},
		Steps: []StepSpec{
			{Name: "Tiếp nhận", Role: "desk", Unit: "ttpvhcc", ShareMinutes: 240},
			{Name: "Thẩm định", Role: "specialist", Unit: "van-phong-ubnd", ShareMinutes: 720},
			{Name: "Phê duyệt", Role: "leader", Unit: "van-phong-ubnd", ShareMinutes: 240},
			{Name: "Trả kết quả", Role: "desk", Unit: "ttpvhcc", ShareMinutes: 240},
		},
		Components: []Component{
			{Code: "DON", Name: "Đơn đề nghị", Required: true},
			{Code: "CCCD", Name: "Căn cước", DocType: "CCCD", Required: true},
			{Code: "ANH", Name: "Ảnh"},
		},
		ResultElectronic: true, ResultPaper: true,
	}
}

func doc(component string) Document {
	return Document{Component: component, Name: component + ".pdf", Hash: "sha256-" + component, MediaType: "application/pdf", Size: 1024, Digitized: true}
}

func submitCmd(spec Spec, docs ...Document) Submit {
	return Submit{
		ID: "d-1", Channel: ChannelOnline, Spec: spec, Authority: "van-phong-ubnd", ReceivingUnit: "ttpvhcc",
		Applicant: Applicant{Name: "Nguyễn Thị Lan", PersonalID: "019190000001"},
		Form:      json.RawMessage(`{"ho_ten":"Nguyễn Thị Lan"}`), Documents: docs, IdentityLevel: 2,
	}
}

// step is one command of a scripted history.
type step struct {
	at    time.Time
	actor Actor
	cmd   Command
}

// history runs a script and returns the events and the state; any refusal fails the test.
type history struct {
	d      *Dossier
	events []Event
}

func run(t testing.TB, script ...step) *history {
	t.Helper()
	h := &history{d: New()}
	for i, s := range script {
		h.do(t, i, s)
	}
	return h
}

func (h *history) do(t testing.TB, i int, s step) []Event {
	t.Helper()
	evs, err := Decide(h.d, s.cmd, Context{Now: s.at, Clock: fakeCal{}, Actor: s.actor})
	if err != nil {
		t.Fatalf("step %d (%s): %v", i, s.cmd.Name(), err)
	}
	for _, e := range evs {
		Apply(h.d, e)
	}
	h.events = append(h.events, evs...)
	return evs
}

// fixture builds a dossier of simpleSpec in the given state, through legal commands only.
func fixture(t testing.TB, s State) *history {
	t.Helper()
	code := FormatCode("000.00.01.H55", at(3, 0, 0), 1)
	submit := step{at(3, 8, 0), applicant, submitCmd(simpleSpec(), doc("DON"), doc("CCCD"))}
	receive := step{at(3, 9, 0), desk, Receive{Code: code}}
	forward := step{at(3, 10, 0), desk, Forward{}}
	approve := []step{
		{at(3, 14, 0), expert, Forward{}},
		{at(3, 15, 0), leader, Approve{}},
		{at(3, 15, 30), leader, IssueResult{Documents: []ResultDocument{{Name: "Giấy phép", DocType: "KQ.T01", Electronic: true}}}},
	}
	var script []step
	switch s {
	case Draft:
	case Submitted:
		script = []step{submit}
	case SupplementRequested:
		script = []step{submit, {at(3, 9, 0), desk, RequestSupplement{Components: []string{"CCCD"}, Reason: "Ảnh căn cước mờ"}}}
	case Received:
		script = []step{submit, receive}
	case InProgress:
		script = []step{submit, receive, forward}
	case SupplementRequestedInProcessing:
		script = []step{submit, receive, forward, {at(3, 11, 0), expert, RequestSupplement{Components: []string{"CCCD"}, Reason: "Căn cước hết hạn"}}}
	case Suspended:
		script = []step{submit, receive, forward, {at(3, 11, 0), expert, Suspend{Reason: "Chờ xác minh"}}}
	case Processed:
		script = append([]step{submit, receive, forward}, approve...)
	case Returned:
		script = append(append([]step{submit, receive, forward}, approve...), step{at(3, 16, 0), desk, ReturnResult{Method: ReturnElectronic}})
	case Rejected:
		script = []step{submit, {at(3, 9, 0), desk, Reject{Reason: "Không thuộc thẩm quyền"}}}
	case Withdrawn:
		script = []step{submit, {at(3, 9, 0), applicant, Withdraw{Reason: "Không còn nhu cầu"}}}
	case Closed:
		script = []step{submit, {at(3, 9, 0), desk, RequestSupplement{Components: []string{"CCCD"}, Reason: "Thiếu căn cước"}},
			{at(19, 9, 0), system, Close{}}}
	default:
		t.Fatalf("no fixture for state %q", s)
	}
	h := run(t, script...)
	if h.d.State != s {
		t.Fatalf("fixture for %q ended in %q", s, h.d.State)
	}
	return h
}

// wantRule asserts err is a *RuleError with the code and complete messages.
func wantRule(t *testing.T, err error, code string) {
	t.Helper()
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("got %v (%T), want a *RuleError %s", err, err, code)
	}
	if re.Code != code {
		t.Fatalf("rule code %q, want %q (%v)", re.Code, code, err)
	}
	if re.Rule == "" || re.MessageVI == "" || re.MessageEN == "" {
		t.Errorf("refusal %q lacks a rule or a message: %+v", code, re)
	}
}

// wantInput asserts err is an *InputError naming the field.
func wantInput(t *testing.T, err error, field string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want an *InputError on %s", err, err, field)
	}
	if ie.Field != field {
		t.Errorf("input error on %q, want %q", ie.Field, field)
	}
}

// sameDossier compares two states.
func sameDossier(t *testing.T, want, got *Dossier) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dossier differs (-want +got):\n%s", diff)
	}
}

func types(evs []Event) []EventType {
	out := make([]EventType, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}
