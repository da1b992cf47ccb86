package dossier

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Windows of the law that are not the procedure's own processing time.
const (
	notifyWithin            = 2 * time.Hour         // Điều 17.2: desk notified of an online dossier
	acceptWithinMinutes     = 8 * 60                // Điều 17.2: accept or ask within 8 working hours
	supplementWindowMinutes = 3 * WorkingDayMinutes // Điều 19: ask after appraisal within 3 working days
	supplementCloseDays     = 15                    // Điều 19: no supplement within 15 days closes the dossier
	extendNoticeMinutes     = 1 * WorkingDayMinutes // Điều 19: apology at least 1 working day ahead
	maxRating, minRating    = 5, 1                  // rating scale of the national portal
	errNoClock              = constErr("dossier: context has no clock")
)

// constErr is an error that can be a constant.
type constErr string

// Error implements error.
func (e constErr) Error() string { return string(e) }

// Decide checks command c against dossier d (nil for a new one) and the law, and returns the
// events it causes, numbered from d.Version+1, or the reason it is refused: a *RuleError when
// the state or the law forbids it, an *InputError when the command is malformed, another error
// when the calendar fails. Decide never changes d.
func Decide(d *Dossier, c Command, ctx Context) ([]Event, error) {
	if d == nil {
		d = New()
	}
	if c == nil {
		return nil, inputErr("action", "Thiếu thao tác.", "missing command")
	}
	if ctx.Clock == nil {
		return nil, errNoClock
	}
	if !Allowed(d.State, c.Name()) {
		return nil, illegalState(d.State, c.Name())
	}
	now := ctx.Now.UTC()
	if now.Before(d.UpdatedAt) {
		// Nodes' clocks differ slightly; history must never run backwards.
		now = d.UpdatedAt
	}
	x := &decider{d: d, clock: ctx.Clock, actor: ctx.Actor, now: now}
	var (
		data   EventData
		reason string
		err    error
	)
	switch c := c.(type) {
	case Submit:
		data, err = x.submit(c)
	case AttachDocument:
		data, err = x.attach(c)
	case RequestSupplement:
		data, reason, err = x.requestSupplement(c)
	case Supplement:
		data, err = x.supplement(c)
	case Receive:
		data, err = x.receive(c)
	case Reject:
		data, reason, err = RejectedData{}, c.Reason, needReason(c.Reason, "reject", ruleReception)
	case Assign:
		data, err = x.assign(c)
	case Forward:
		data, err = x.forward(c)
	case CompleteStep:
		data, err = x.completeStep(c)
	case Suspend:
		data, reason, err = x.suspend(c)
	case Resume:
		data, reason, err = x.resume(c)
	case Extend:
		data, reason, err = x.extend(c)
	case Approve:
		data, reason, err = x.decide(Approved, c.Note, "")
	case Refuse:
		data, reason, err = x.decide(Refused, "", c.Reason)
	case IssueResult:
		data, err = x.issueResult(c)
	case ReturnResult:
		data, err = x.returnResult(c)
	case Withdraw:
		data, reason = WithdrawnData{Verdict: x.stopVerdict(now)}, c.Reason
	case Rate:
		data, err = x.rate(c)
	case Close:
		data, err = x.close()
	case Sync:
		data, err = x.sync(c)
	default:
		return nil, inputErr("action", "Thao tác không được hỗ trợ.", fmt.Sprintf("unsupported command %T", c))
	}
	if err != nil {
		return nil, err
	}
	return []Event{{
		Seq: d.Version + 1, Type: data.EventType(), At: now, Actor: ctx.Actor, Unit: ctx.Actor.Unit,
		Reason: strings.TrimSpace(reason), Data: data,
	}}, nil
}

// decider holds what every rule needs; it only reads d.
type decider struct {
	d     *Dossier
	clock Clock
	actor Actor
	now   time.Time
}

func needReason(reason, action, rule string) error {
	if strings.TrimSpace(reason) == "" {
		return reasonRequired(action, rule)
	}
	return nil
}

// calErr wraps a calendar failure; it is neither the law's nor the caller's fault.
func calErr(what string, err error) error { return fmt.Errorf("dossier: %s: calendar: %w", what, err) }

func (x *decider) documents(field string, docs []Document) ([]Document, error) {
	out := make([]Document, len(docs))
	for i, doc := range docs {
		if _, ok := x.d.Spec.component(doc.Component); !ok {
			return nil, inputErr(fmt.Sprintf("%s[%d].component", field, i),
				fmt.Sprintf("Thành phần hồ sơ «%s» không có trong thủ tục.", doc.Component),
				fmt.Sprintf("unknown component %q", doc.Component))
		}
		doc.AddedAt = x.now
		out[i] = doc
	}
	return out, nil
}

func (x *decider) submit(c Submit) (EventData, error) {
	switch {
	case strings.TrimSpace(c.ID) == "":
		return nil, inputErr("id", "Thiếu mã định danh hồ sơ.", "missing id")
	case c.Channel != ChannelDesk && c.Channel != ChannelOnline && c.Channel != ChannelPostal:
		return nil, inputErr("channel", "Kênh nộp phải là trực tiếp, trực tuyến hoặc bưu chính.", "channel must be desk, online or postal")
	case c.Spec.Procedure == "":
		return nil, inputErr("procedure", "Thiếu mã thủ tục.", "missing procedure")
	case c.Authority == "":
		return nil, inputErr("authority", "Thiếu cơ quan có thẩm quyền.", "missing authority")
	case c.ReceivingUnit == "":
		return nil, inputErr("receiving_unit", "Thiếu nơi tiếp nhận.", "missing receiving unit")
	case strings.TrimSpace(c.Applicant.Name) == "":
		return nil, inputErr("applicant.name", "Thiếu tên người nộp hồ sơ.", "missing applicant name")
	case len(c.Form) > 0 && !json.Valid(c.Form):
		return nil, inputErr("form", "Dữ liệu tờ khai không hợp lệ.", "form is not valid JSON")
	}
	if err := validateSpec(c.Spec); err != nil {
		return nil, err
	}
	// Components are checked against the submitted spec, the dossier has none yet.
	x2 := *x
	x2.d = &Dossier{Spec: c.Spec}
	docs, err := x2.documents("documents", c.Documents)
	if err != nil {
		return nil, err
	}
	data := SubmittedData{
		ID: c.ID, Channel: c.Channel, Spec: cloneSpec(c.Spec), Authority: c.Authority,
		ReceivingUnit: c.ReceivingUnit, Applicant: c.Applicant, Form: slices.Clone(c.Form),
		Documents: docs, IdentityLevel: c.IdentityLevel, PaidOnline: c.PaidOnline,
	}
	if c.Channel == ChannelOnline {
		data.NotifyBy = x.now.Add(notifyWithin)
		if data.AcceptBy, err = x.addWorking(x.now, acceptWithinMinutes); err != nil {
			return nil, calErr("acceptance deadline", err)
		}
	}
	return data, nil
}

func validateSpec(s Spec) error {
	if err := s.ProcessingTime.Validate(); err != nil {
		return inputErr("spec.processing_time", "Thời hạn giải quyết không hợp lệ.", err.Error())
	}
	main := 0
	for i, st := range s.Steps {
		if st.Unit == "" {
			return inputErr(fmt.Sprintf("spec.steps[%d].unit", i), "Bước xử lý thiếu đơn vị.", "step has no unit")
		}
		if st.ShareMinutes < 0 {
			return inputErr(fmt.Sprintf("spec.steps[%d].share_minutes", i), "Thời gian của bước không được âm.", "negative share")
		}
		if !st.Parallel {
			main++
		}
	}
	if main == 0 {
		return inputErr("spec.steps", "Quy trình phải có ít nhất một bước chính.", "the process needs at least one main step")
	}
	seen := map[string]bool{}
	for i, c := range s.Components {
		if c.Code == "" || seen[c.Code] {
			return inputErr(fmt.Sprintf("spec.components[%d].code", i), "Mã thành phần hồ sơ trống hoặc trùng.", "empty or duplicate component code")
		}
		seen[c.Code] = true
	}
	return nil
}

func cloneSpec(s Spec) Spec {
	s.Steps = slices.Clone(s.Steps)
	s.Components = slices.Clone(s.Components)
	return s
}

func (x *decider) addWorking(t time.Time, m int64) (time.Time, error) {
	if m == 0 {
		return t.UTC(), nil
	}
	r, err := x.clock.AddWorkingMinutes(t, m)
	if err != nil {
		return time.Time{}, err
	}
	if r.Before(t) {
		return time.Time{}, fmt.Errorf("adding %d working minutes to %s went back in time", m, t)
	}
	return r.UTC(), nil
}

func (x *decider) attach(c AttachDocument) (EventData, error) {
	docs, err := x.documents("document", []Document{c.Document})
	if err != nil {
		return nil, err
	}
	return DocumentAttachedData{Document: docs[0]}, nil
}

func (x *decider) requestSupplement(c RequestSupplement) (EventData, string, error) {
	d := x.d
	if d.SupplementRequests >= 1 {
		return nil, "", ruleErr(CodeSupplementOnce, ruleGuidance,
			"Hồ sơ đã được yêu cầu bổ sung một lần; pháp luật chỉ cho phép yêu cầu bổ sung, hoàn thiện hồ sơ một lần và phải nêu đầy đủ các thành phần còn thiếu.",
			"a supplement was already requested for this dossier; the law allows one request, listing everything missing at once")
	}
	if err := needReason(c.Reason, "request-supplement", ruleGuidance); err != nil {
		return nil, "", err
	}
	if len(c.Components) == 0 {
		return nil, "", inputErr("components", "Phải liệt kê đầy đủ các thành phần hồ sơ cần bổ sung.", "list every missing component")
	}
	seen := map[string]bool{}
	for i, code := range c.Components {
		if _, ok := d.Spec.component(code); !ok || seen[code] {
			return nil, "", inputErr(fmt.Sprintf("components[%d]", i),
				fmt.Sprintf("Thành phần «%s» không có trong thủ tục hoặc bị lặp.", code),
				fmt.Sprintf("component %q is unknown or repeated", code))
		}
		seen[code] = true
	}
	before := d.State == Submitted
	if !before && x.clock.Elapsed(d.ReceivedAt, x.now) > supplementWindowMinutes {
		return nil, "", ruleErr(CodeSupplementWindow, ruleProcessing,
			"Đã quá 03 ngày làm việc kể từ ngày tiếp nhận; không được yêu cầu bổ sung hồ sơ.",
			"more than 3 working days have passed since reception; a supplement can no longer be requested")
	}
	return SupplementRequestedData{
		Components: slices.Clone(c.Components), BeforeReception: before,
		CloseAfter: x.now.AddDate(0, 0, supplementCloseDays),
	}, c.Reason, nil
}

func (x *decider) supplement(c Supplement) (EventData, error) {
	d := x.d
	docs, err := x.documents("documents", c.Documents)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, code := range d.SupplementComponents {
		if d.hasComponent(code, d.SupplementRequestedAt) || slices.ContainsFunc(docs, func(doc Document) bool { return doc.Component == code }) {
			continue
		}
		missing = append(missing, code)
	}
	if len(missing) > 0 {
		return nil, ruleErr(CodeSupplementIncomplete, ruleProcessing,
			fmt.Sprintf("Hồ sơ bổ sung chưa đầy đủ, còn thiếu: %s.", joinCodes(missing)),
			fmt.Sprintf("the supplement is incomplete, still missing: %s", joinCodes(missing)))
	}
	data := SupplementedData{Documents: docs}
	if d.State == SupplementRequested {
		if d.Channel == ChannelOnline {
			if data.AcceptBy, err = x.addWorking(x.now, acceptWithinMinutes); err != nil {
				return nil, calErr("acceptance deadline", err)
			}
		}
		return data, nil
	}
	// Điều 19: the processing time restarts from zero when the complete supplement arrives.
	due, steps, err := x.plan(x.now)
	if err != nil {
		return nil, err
	}
	data.DueAt = due
	for i, s := range d.Steps {
		if !s.FinishedAt.IsZero() {
			continue
		}
		nd := due
		if i < len(steps) && !s.AdHoc {
			nd = steps[i]
		} else if s.AdHoc {
			if nd, err = x.addWorking(x.now, s.ShareMinutes); err != nil {
				return nil, calErr("consultation due date", err)
			}
			nd = minTime(nd, due)
		}
		data.StepDues = append(data.StepDues, StepDue{Step: i, Due: nd})
	}
	return data, nil
}

// plan computes the dossier's due date and every planned step's due date for a clock that
// starts at start: main steps chain by their shares; a parallel step runs beside the main step
// before it, from that step's start, with its own share; no step is due after the dossier, and
// the last main step is due with the dossier.
func (x *decider) plan(start time.Time) (time.Time, []time.Time, error) {
	spec := x.d.Spec
	due, err := x.clock.Due(start, spec.ProcessingTime)
	if err != nil {
		return time.Time{}, nil, calErr("due date", err)
	}
	if due.Before(start) {
		return time.Time{}, nil, calErr("due date", fmt.Errorf("due %s before start %s", due, start))
	}
	due = due.UTC()
	dues := make([]time.Time, len(spec.Steps))
	mainEnd, anchorStart, lastMain := start, start, -1
	for i, s := range spec.Steps {
		from := anchorStart
		if !s.Parallel {
			from = mainEnd
			anchorStart = mainEnd
		}
		t, err := x.addWorking(from, s.ShareMinutes)
		if err != nil {
			return time.Time{}, nil, calErr("step due date", err)
		}
		if !s.Parallel {
			mainEnd, lastMain = t, i
		}
		dues[i] = minTime(t, due)
	}
	if lastMain >= 0 {
		dues[lastMain] = due
	}
	return due, dues, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func (x *decider) receive(c Receive) (EventData, error) {
	if _, _, _, err := ParseCode(c.Code); err != nil {
		return nil, inputErr("code", "Mã hồ sơ không đúng quy định tại Điều 28.", err.Error())
	}
	if missing := x.d.MissingComponents(); len(missing) > 0 {
		return nil, ruleErr(CodeIncompleteDossier, ruleReception,
			fmt.Sprintf("Hồ sơ chưa đầy đủ, thiếu: %s. Hãy yêu cầu bổ sung (một lần, nêu đủ các thành phần) hoặc từ chối tiếp nhận.", joinCodes(missing)),
			fmt.Sprintf("the dossier is incomplete, missing: %s; request a supplement (once, listing everything) or reject it", joinCodes(missing)))
	}
	due, dues, err := x.plan(x.now)
	if err != nil {
		return nil, err
	}
	steps := make([]Step, len(x.d.Spec.Steps))
	first := -1
	for i, s := range x.d.Spec.Steps {
		steps[i] = Step{Index: i, Name: s.Name, Role: s.Role, Unit: s.Unit, ShareMinutes: s.ShareMinutes, Parallel: s.Parallel, Due: dues[i]}
		if first < 0 && !s.Parallel {
			first = i
		}
	}
	h := Handover{Current: first}
	for i := 0; i < first; i++ { // consultations planned before any main step run from reception
		h.Started = append(h.Started, i)
	}
	h.Started = append(h.Started, first)
	for j := first + 1; j < len(steps) && steps[j].Parallel; j++ {
		h.Started = append(h.Started, j)
	}
	return ReceivedData{Code: c.Code, DueAt: due, Steps: steps, Handover: h}, nil
}

// step resolves a step argument (-1 = the current main step) to an open step.
func (x *decider) openStep(i int) (int, error) {
	d := x.d
	if i == -1 {
		i = d.Current
	}
	if i < 0 || i >= len(d.Steps) {
		if i == -1 || i == d.Current {
			return 0, ruleErr(CodeStepNotOpen, ruleND118, "Không có bước xử lý nào đang mở.", "no step is open")
		}
		return 0, inputErr("step", "Bước xử lý không tồn tại.", fmt.Sprintf("no step %d", i))
	}
	if !d.Steps[i].Open() {
		return 0, ruleErr(CodeStepNotOpen, ruleND118,
			fmt.Sprintf("Bước «%s» không ở trạng thái đang xử lý.", d.Steps[i].Name),
			fmt.Sprintf("step %d (%s) is not open", i, d.Steps[i].Name))
	}
	return i, nil
}

func (x *decider) assign(c Assign) (EventData, error) {
	i, err := x.openStep(c.Step)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.To) == "" {
		return nil, inputErr("to", "Thiếu cán bộ được phân công.", "missing assignee")
	}
	return AssignedData{Step: i, Assignee: c.To}, nil
}

// finish returns the verdict of finishing open step i now, against its own due date.
func (x *decider) finish(i int) StepVerdict {
	return StepVerdict{Step: i, Verdict: Verdict(x.now, x.d.Steps[i].Due, x.clock)}
}

// startMain returns the steps that start when main step i starts: i and its consultations.
func (x *decider) startMain(i int) []int {
	return append([]int{i}, x.d.anchoredTo(i)...)
}

func (x *decider) forward(c Forward) (EventData, error) {
	d := x.d
	if c.Parallel {
		if c.To == "" {
			return nil, inputErr("to", "Thiếu cơ quan được lấy ý kiến.", "missing consulted unit")
		}
		for j, s := range d.Steps {
			if s.Parallel && !s.AdHoc && s.StartedAt.IsZero() && s.Unit == c.To {
				return ForwardedData{FromUnit: x.currentUnit(), ToUnit: c.To, Parallel: true, Note: c.Note,
					Handover: Handover{Started: []int{j}, Current: d.Current}}, nil
			}
		}
		if c.ShareMinutes <= 0 {
			return nil, inputErr("share_minutes", "Phải nêu thời hạn trả lời của cơ quan được lấy ý kiến.", "an unplanned consultation needs its own deadline")
		}
		due, err := x.addWorking(x.now, c.ShareMinutes)
		if err != nil {
			return nil, calErr("consultation due date", err)
		}
		name := c.StepName
		if name == "" {
			name = "Lấy ý kiến " + c.To
		}
		idx := len(d.Steps)
		st := Step{Index: idx, Name: name, Role: "specialist", Unit: c.To, ShareMinutes: c.ShareMinutes,
			Parallel: true, AdHoc: true, Due: minTime(due, d.DueAt)}
		return ForwardedData{FromUnit: x.currentUnit(), ToUnit: c.To, Parallel: true, AdHoc: &st, Note: c.Note,
			Handover: Handover{Started: []int{idx}, Current: d.Current}}, nil
	}
	next := d.nextMain(x.lastStartedMain())
	if next < 0 {
		return nil, ruleErr(CodeNoNextStep, ruleND118,
			"Hồ sơ đã ở bước cuối của quy trình; hãy phê duyệt, từ chối hoặc trả kết quả.",
			"the dossier is at the last step of its process; approve, refuse or return it")
	}
	if c.To != "" && c.To != d.Steps[next].Unit {
		return nil, ruleErr(CodeWrongRoute, ruleInterAgent,
			fmt.Sprintf("Theo quy trình, bước tiếp theo («%s») thuộc %s, không phải %s.", d.Steps[next].Name, d.Steps[next].Unit, c.To),
			fmt.Sprintf("the next step of the process (%s) belongs to %s, not %s", d.Steps[next].Name, d.Steps[next].Unit, c.To))
	}
	h := Handover{Started: x.startMain(next), Current: next}
	if cur := d.Current; cur >= 0 && cur < len(d.Steps) && d.Steps[cur].Open() {
		h.Finished = []StepVerdict{x.finish(cur)}
	}
	return ForwardedData{FromUnit: x.currentUnit(), ToUnit: d.Steps[next].Unit, Note: c.Note, Handover: h}, nil
}

func (x *decider) currentUnit() string {
	if i := x.lastStartedMain(); i >= 0 {
		return x.d.Steps[i].Unit
	}
	return ""
}

// lastStartedMain is the main step that holds the dossier (started last), -1 before reception.
func (x *decider) lastStartedMain() int {
	if c := x.d.Current; c >= 0 {
		return c
	}
	for i := len(x.d.Steps) - 1; i >= 0; i-- {
		if !x.d.Steps[i].Parallel && !x.d.Steps[i].StartedAt.IsZero() {
			return i
		}
	}
	return -1
}

func (x *decider) completeStep(c CompleteStep) (EventData, error) {
	i, err := x.openStep(c.Step)
	if err != nil {
		return nil, err
	}
	return StepCompletedData{Outcome: c.Outcome, Note: c.Note,
		Handover: Handover{Finished: []StepVerdict{x.finish(i)}, Current: x.d.Current}}, nil
}

func (x *decider) suspend(c Suspend) (EventData, string, error) {
	if err := needReason(c.Reason, "suspend", ruleProcessing); err != nil {
		return nil, "", err
	}
	if c.ForPayment && !x.d.Spec.SuspendsClockForPayment {
		return nil, "", ruleErr(CodeSuspendNotAllowed, ruleProcessing,
			"Thủ tục này không quy định tạm dừng thời hạn giải quyết trong thời gian thực hiện nghĩa vụ tài chính.",
			"this procedure does not pause its processing time while the applicant pays")
	}
	return SuspendedData{ForPayment: c.ForPayment}, c.Reason, nil
}

// shiftOpen moves the due date of every unfinished step by m working minutes; a step due with
// the dossier moves to newDue exactly.
func (x *decider) shiftOpen(m int64, newDue time.Time) ([]StepDue, error) {
	var out []StepDue
	for i, s := range x.d.Steps {
		if !s.FinishedAt.IsZero() || s.Due.IsZero() {
			continue
		}
		nd := newDue
		if !s.Due.Equal(x.d.DueAt) {
			t, err := x.addWorking(s.Due, m)
			if err != nil {
				return nil, calErr("step due date", err)
			}
			nd = minTime(t, newDue)
		}
		out = append(out, StepDue{Step: i, Due: nd})
	}
	return out, nil
}

func (x *decider) resume(c Resume) (EventData, string, error) {
	paused := x.clock.Elapsed(x.d.SuspendedAt, x.now)
	due, err := x.addWorking(x.d.DueAt, paused)
	if err != nil {
		return nil, "", calErr("due date", err)
	}
	steps, err := x.shiftOpen(paused, due)
	if err != nil {
		return nil, "", err
	}
	return ResumedData{PausedMinutes: paused, DueAt: due, StepDues: steps}, c.Note, nil
}

func (x *decider) extend(c Extend) (EventData, string, error) {
	d := x.d
	if d.Extensions >= 1 {
		return nil, "", ruleErr(CodeExtensionOnce, ruleProcessing,
			"Hồ sơ đã được gia hạn một lần; thời hạn giải quyết chỉ được điều chỉnh một lần.",
			"the due date was already moved once; it may be moved only once")
	}
	if err := needReason(c.Reason, "extend", ruleProcessing); err != nil {
		return nil, "", err
	}
	if c.NewDue.IsZero() {
		return nil, "", inputErr("new_due", "Thiếu ngày hẹn trả kết quả mới.", "missing new due date")
	}
	newDue := c.NewDue.UTC()
	if !newDue.After(d.DueAt) {
		return nil, "", ruleErr(CodeExtensionNotLater, ruleProcessing,
			"Ngày hẹn mới phải sau ngày hẹn trả kết quả hiện tại.",
			"the new due date must be later than the current one")
	}
	if !x.now.Before(d.DueAt) || x.clock.Elapsed(x.now, d.DueAt) < extendNoticeMinutes {
		return nil, "", ruleErr(CodeExtensionTooLate, ruleProcessing,
			"Văn bản xin lỗi và hẹn lại ngày trả kết quả phải gửi chậm nhất 01 ngày làm việc trước ngày hẹn trả.",
			"the apology and new date must be sent at least one working day before the due date")
	}
	steps, err := x.shiftOpen(x.clock.Elapsed(d.DueAt, newDue), newDue)
	if err != nil {
		return nil, "", err
	}
	return ExtendedData{OriginalDueAt: d.DueAt, NewDueAt: newDue, StepDues: steps}, c.Reason, nil
}

// decide approves or refuses: only a leader signs, an approval waits for every consultation,
// and the dossier goes to the last main step of the process (the desk that returns it).
func (x *decider) decide(dec Decision, note, reason string) (EventData, string, error) {
	d := x.d
	action := "approve"
	if dec == Refused {
		action = "refuse"
	}
	if x.actor.Role != RoleLeader {
		return nil, "", ruleErr(CodeLeaderOnly, ruleProcessing,
			"Chỉ lãnh đạo cơ quan có thẩm quyền được quyết định giải quyết hồ sơ.",
			fmt.Sprintf("only a leader of the competent authority may %s", action))
	}
	if dec == Refused {
		if err := needReason(reason, action, ruleProcessing); err != nil {
			return nil, "", err
		}
	} else {
		var open []string
		for _, s := range d.Steps {
			if s.Parallel && s.Open() {
				open = append(open, s.Unit)
			}
		}
		if len(open) > 0 {
			return nil, "", ruleErr(CodeConsultationOpen, ruleInterAgent,
				fmt.Sprintf("Còn chờ ý kiến của: %s.", joinCodes(open)),
				fmt.Sprintf("consultations still open: %s", joinCodes(open)))
		}
	}
	h := Handover{Current: d.Current}
	if cur := d.Current; cur >= 0 && cur < len(d.Steps) && d.Steps[cur].Open() {
		h.Finished = []StepVerdict{x.finish(cur)}
	}
	if last := lastMainIndex(d.Steps); last >= 0 && last != d.Current && d.Steps[last].StartedAt.IsZero() {
		h.Started, h.Current = []int{last}, last
	}
	data := DecidedData{Decision: dec, Verdict: Verdict(x.now, d.DueAt, x.clock), Note: note, Handover: h}
	if dec == Refused {
		return RefusedData(data), reason, nil
	}
	return ApprovedData(data), reason, nil
}

func lastMainIndex(steps []Step) int {
	for i := len(steps) - 1; i >= 0; i-- {
		if !steps[i].Parallel {
			return i
		}
	}
	return -1
}

func (x *decider) issueResult(c IssueResult) (EventData, error) {
	if x.d.Decision == Refused {
		return nil, ruleErr(CodeResultAfterRefusal, ruleProcessing,
			"Hồ sơ đã bị từ chối giải quyết; không có kết quả để ban hành.",
			"the dossier was refused; there is no result to issue")
	}
	if len(c.Documents) == 0 {
		return nil, inputErr("documents", "Phải có ít nhất một văn bản kết quả.", "at least one result document is required")
	}
	for i, r := range c.Documents {
		if strings.TrimSpace(r.Name) == "" {
			return nil, inputErr(fmt.Sprintf("documents[%d].name", i), "Thiếu tên văn bản kết quả.", "missing result name")
		}
	}
	return ResultIssuedData{Documents: slices.Clone(c.Documents)}, nil
}

func (x *decider) returnResult(c ReturnResult) (EventData, error) {
	d := x.d
	switch c.Method {
	case ReturnDesk, ReturnPost, ReturnElectronic:
	default:
		return nil, inputErr("method", "Hình thức trả kết quả phải là tại Bộ phận Một cửa, bưu chính hoặc trực tuyến.", "method must be desk, post or electronic")
	}
	if d.Decision == Approved {
		if len(d.Results) == 0 {
			return nil, ruleErr(CodeResultNotIssued, ruleReturn, "Chưa có kết quả giải quyết được ban hành.", "no result has been issued yet")
		}
		if c.Method == ReturnElectronic && !slices.ContainsFunc(d.Results, func(r ResultDocument) bool { return r.Electronic }) {
			return nil, ruleErr(CodeNoElectronicResult, ruleReturn,
				"Không có kết quả điện tử để trả trực tuyến.", "there is no electronic result to return online")
		}
	}
	h := Handover{Current: -1}
	if cur := d.Current; cur >= 0 && cur < len(d.Steps) && d.Steps[cur].Open() {
		h.Finished = []StepVerdict{x.finish(cur)}
	}
	return ResultReturnedData{Method: c.Method, Handover: h}, nil
}

// stopVerdict is the dossier's timeliness if it stops now (withdrawal, closing): waiting time
// is not counted, so a paused dossier is judged when its pause began.
func (x *decider) stopVerdict(now time.Time) Timeliness {
	d := x.d
	if d.ReceivedAt.IsZero() {
		return NotJudged
	}
	end := now
	if p, ok := d.pauseStart(); ok && p.Before(end) {
		end = p
	}
	return Verdict(end, d.DueAt, x.clock)
}

func (x *decider) rate(c Rate) (EventData, error) {
	if x.d.Rating != 0 {
		return nil, ruleErr(CodeAlreadyRated, ruleRating, "Hồ sơ đã được đánh giá.", "the dossier was already rated")
	}
	if c.Score < minRating || c.Score > maxRating {
		return nil, inputErr("score", "Điểm đánh giá từ 1 đến 5.", "score must be 1 to 5")
	}
	//lint:ignore S1016 the command and the event are separate contracts that may diverge
	return RatedData{Score: c.Score, Comment: c.Comment}, nil
}

func (x *decider) close() (EventData, error) {
	if x.now.Before(x.d.SupplementRequestedAt.AddDate(0, 0, supplementCloseDays)) {
		return nil, ruleErr(CodeCloseTooEarly, ruleProcessing,
			"Chưa hết 15 ngày kể từ khi yêu cầu bổ sung hồ sơ.",
			"15 days have not passed since the supplement was requested")
	}
	return ClosedData{Verdict: x.stopVerdict(x.now)}, nil
}

func (x *decider) sync(c Sync) (EventData, error) {
	if x.actor.Role != RoleSystem {
		return nil, ruleErr(CodeSystemOnly, ruleSync,
			"Chỉ hệ thống ghi nhận việc đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia.",
			"only the system records the national portal's acknowledgement")
	}
	if x.d.Code == "" {
		return nil, ruleErr(CodeNotReceived, ruleSync,
			"Hồ sơ chưa được tiếp nhận nên chưa thể đồng bộ.", "the dossier was never received")
	}
	if !x.d.SyncedAt.IsZero() {
		return nil, ruleErr(CodeAlreadySynced, ruleSync,
			"Hồ sơ đã được ghi nhận đồng bộ.", "the dossier was already synchronized")
	}
	return SyncedData{Reference: strings.TrimSpace(c.Reference)}, nil
}

// IsInput reports whether err is (or wraps) an *InputError.
func IsInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}
