package dossier

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/calendar"
)

// walkSpec is an interconnected procedure of 5 working days: the provincial desk receives, the
// Department of Finance leads the appraisal (16 h) while the Department of Construction is
// consulted beside it (8 h), the Department of Agriculture and Environment appraises (12 h),
// the People's Committee's leader decides (4 h) and the desk returns (4 h).
func walkSpec() Spec {
	return Spec{
		Procedure: "LT.01", Version: 3,
		ProcessingTime: calendar.Duration{Value: 5, Unit: calendar.WorkingDay},
		Steps: []StepSpec{
			{Name: "Tiếp nhận", Role: "desk", Unit: "ttpvhcc", ShareMinutes: 240},
			{Name: "Chủ trì thẩm định", Role: "specialist", Unit: "so-tai-chinh", ShareMinutes: 960},
			{Name: "Lấy ý kiến Sở Xây dựng", Role: "specialist", Unit: "so-xay-dung", ShareMinutes: 480, Parallel: true},
			{Name: "Thẩm định đất đai", Role: "specialist", Unit: "so-nong-nghiep-moi-truong", ShareMinutes: 720},
			{Name: "Phê duyệt", Role: "leader", Unit: "van-phong-ubnd", ShareMinutes: 240},
			{Name: "Trả kết quả", Role: "desk", Unit: "ttpvhcc", ShareMinutes: 240},
		},
		SuspendsClockForPayment: true,
		ResultElectronic:        true, ResultPaper: true,
		Components: []Component{
			{Code: "DON", Name: "Văn bản đề nghị", Required: true},
			{Code: "GCN", Name: "Giấy chứng nhận đăng ký doanh nghiệp", DocType: "GCN_DKDN", Required: true},
			{Code: "BV", Name: "Bản vẽ"},
		},
	}
}

var (
	stcLeader  = Actor{ID: "ld-stc", Name: "Hoàng Minh", Unit: "so-tai-chinh", Role: RoleLeader}
	stcExpert  = Actor{ID: "cv-stc", Name: "Vũ Thị Mai", Unit: "so-tai-chinh", Role: "specialist"}
	sxdExpert  = Actor{ID: "cv-sxd", Name: "Đỗ Văn Nam", Unit: "so-xay-dung", Role: "specialist"}
	nnmtExpert = Actor{ID: "cv-nnmt", Name: "Bùi Thị Hoa", Unit: "so-nong-nghiep-moi-truong", Role: "specialist"}
)

// walk runs the issue's full journey (times are VN wall clock, 2 November 2026 is a Monday).
func walk(t testing.TB) *history {
	t.Helper()
	submit := submitCmd(walkSpec(), Document{Component: "DON", Name: "don.pdf", Hash: "h1", Digitized: true})
	submit.ID = "d-walk"
	gcn := Document{Component: "GCN", Name: "GCN", DocType: "GCN_DKDN", OwnerID: "0123456789", Digitized: true, Reused: true, FromVault: true}
	return run(t,
		step{at(2, 20, 0), applicant, submit},
		step{at(3, 8, 0), desk, RequestSupplement{Components: []string{"GCN"}, Reason: "Thiếu giấy chứng nhận đăng ký doanh nghiệp"}},
		step{at(3, 10, 0), applicant, Supplement{Documents: []Document{gcn}}},
		step{at(3, 14, 0), desk, Receive{Code: FormatCode("000.00.01.H55", at(3, 14, 0), 1)}},
		step{at(3, 15, 0), desk, Forward{To: "so-tai-chinh"}},
		step{at(4, 9, 0), stcLeader, Assign{Step: 1, To: "cv-stc"}},
		step{at(4, 16, 0), stcExpert, Forward{To: "so-nong-nghiep-moi-truong"}},
		step{at(5, 8, 45), sxdExpert, CompleteStep{Step: 2, Outcome: "Thống nhất"}},
		step{at(5, 9, 0), nnmtExpert, Suspend{Reason: "Chờ nộp tiền sử dụng đất", ForPayment: true}},
		step{at(9, 9, 0), nnmtExpert, Resume{}},
		step{at(9, 10, 0), leader, Extend{NewDue: at(16, 17, 0), Reason: "Cần xác minh thực địa"}},
		step{at(10, 9, 0), nnmtExpert, Forward{}},
		step{at(10, 10, 0), leader, Approve{Note: "Đồng ý chủ trương"}},
		step{at(10, 10, 30), leader, IssueResult{Documents: []ResultDocument{{Name: "Quyết định chấp thuận", DocType: "KQ.CTDT", Code: "0123456789.KQ.CTDT", Electronic: true, ToVault: true}}}},
		step{at(10, 11, 0), desk, ReturnResult{Method: ReturnElectronic}},
		step{at(10, 14, 0), applicant, Rate{Score: 5, Comment: "Nhanh"}},
	)
}

func TestFullWalk(t *testing.T) {
	h := walk(t)
	wantTypes := []EventType{
		EventSubmitted, EventSupplementRequested, EventSupplemented, EventReceived, EventForwarded,
		EventAssigned, EventForwarded, EventStepCompleted, EventSuspended, EventResumed, EventExtended,
		EventForwarded, EventApproved, EventResultIssued, EventResultReturned, EventRated,
	}
	if diff := cmp.Diff(wantTypes, types(h.events)); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	state := func(n int) *Dossier { // the dossier after the first n events
		t.Helper()
		d, err := Replay(h.events[:n])
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	dues := func(d *Dossier) []time.Time {
		out := make([]time.Time, len(d.Steps))
		for i, s := range d.Steps {
			out[i] = s.Due.In(vn)
		}
		return out
	}
	timeEq := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

	// The supplement before reception renews the 8-working-hour acceptance deadline:
	// Tue 10:00 + 90 + 240 minutes, then 150 minutes on Wednesday.
	if d := state(3); d.State != Submitted || !d.AcceptBy.Equal(at(4, 10, 0)) {
		t.Errorf("after supplement: %s, accept by %s", d.State, d.AcceptBy.In(vn))
	}

	// Reception Tue 3 Nov 14:00: 5 working days -> Tue 10 Nov 14:00. Steps chain by their
	// shares (4 h -> Wed 08:30, 16 h -> Fri 08:30, 12 h -> Mon 14:00, 4 h -> Tue 08:30, the last
	// step due with the dossier); the consultation runs beside step 1 from its start
	// (Wed 08:30 + 8 h -> Thu 08:30).
	d := state(4)
	if d.Code != "000.00.01.H55-261103-0001" || !d.ReceivedAt.Equal(at(3, 14, 0)) || !d.DueAt.Equal(at(10, 14, 0)) {
		t.Errorf("receipt: code %s received %s due %s", d.Code, d.ReceivedAt.In(vn), d.DueAt.In(vn))
	}
	want := []time.Time{at(4, 8, 30), at(6, 8, 30), at(5, 8, 30), at(9, 14, 0), at(10, 8, 30), at(10, 14, 0)}
	if diff := cmp.Diff(want, dues(d), timeEq); diff != "" {
		t.Errorf("step dues at reception (-want +got):\n%s", diff)
	}

	// Forwarding to the Department of Finance starts the consultation at the same time.
	if d := state(5); d.State != InProgress || d.Current != 1 || !d.Steps[2].StartedAt.Equal(at(3, 15, 0)) {
		t.Errorf("after forward: %s current %d consultation started %s", d.State, d.Current, d.Steps[2].StartedAt)
	}

	// Suspended Thu 5 Nov 09:00: judged at the pause, however late we look.
	if d := state(9); d.State != Suspended || d.Timeliness(at(30, 9, 0), fakeCal{}) != OpenOnTime {
		t.Errorf("suspended: %s %s", d.State, d.Timeliness(at(30, 9, 0), fakeCal{}))
	}

	// Resumed Mon 9 Nov 09:00 after 150+240+480+90 = 960 working minutes: every open due date
	// moves by 960 working minutes; finished steps keep theirs.
	d = state(10)
	if d.State != InProgress || d.PausedMinutes != 960 || !d.DueAt.Equal(at(12, 14, 0)) {
		t.Errorf("resumed: %s paused %d due %s", d.State, d.PausedMinutes, d.DueAt.In(vn))
	}
	want = []time.Time{at(4, 8, 30), at(6, 8, 30), at(5, 8, 30), at(11, 14, 0), at(12, 8, 30), at(12, 14, 0)}
	if diff := cmp.Diff(want, dues(d), timeEq); diff != "" {
		t.Errorf("step dues after resumption (-want +got):\n%s", diff)
	}

	// Extended Mon 9 Nov to Mon 16 Nov 17:00 (1140 working minutes later than Thu 12 Nov 14:00).
	d = state(11)
	if !d.OriginalDueAt.Equal(at(12, 14, 0)) || !d.DueAt.Equal(at(16, 17, 0)) || d.Extensions != 1 || d.ExtensionReason == "" {
		t.Errorf("extended: original %s due %s (%d)", d.OriginalDueAt.In(vn), d.DueAt.In(vn), d.Extensions)
	}
	want = []time.Time{at(4, 8, 30), at(6, 8, 30), at(5, 8, 30), at(13, 17, 0), at(16, 11, 30), at(16, 17, 0)}
	if diff := cmp.Diff(want, dues(d), timeEq); diff != "" {
		t.Errorf("step dues after extension (-want +got):\n%s", diff)
	}

	// The control sheet: one row per hand-over with its verdict.
	wantSheet := []HandOver{
		{Step: 0, Name: "Tiếp nhận", Unit: "ttpvhcc", HandedOverAt: at(3, 14, 0), ReceivedAt: at(3, 14, 0), Due: at(4, 8, 30), FinishedAt: at(3, 15, 0), Verdict: OnTime},
		{Step: 1, Name: "Chủ trì thẩm định", FromUnit: "ttpvhcc", Unit: "so-tai-chinh", HandedOverAt: at(3, 15, 0), ReceivedAt: at(3, 15, 0), Due: at(6, 8, 30), FinishedAt: at(4, 16, 0), Verdict: Early},
		{Step: 2, Name: "Lấy ý kiến Sở Xây dựng", FromUnit: "so-tai-chinh", Unit: "so-xay-dung", HandedOverAt: at(3, 15, 0), ReceivedAt: at(3, 15, 0), Due: at(5, 8, 30), FinishedAt: at(5, 8, 45), Verdict: Late, Note: "Thống nhất"},
		{Step: 3, Name: "Thẩm định đất đai", FromUnit: "so-tai-chinh", Unit: "so-nong-nghiep-moi-truong", HandedOverAt: at(4, 16, 0), ReceivedAt: at(4, 16, 0), Due: at(13, 17, 0), FinishedAt: at(10, 9, 0), Verdict: Early},
		{Step: 4, Name: "Phê duyệt", FromUnit: "so-nong-nghiep-moi-truong", Unit: "van-phong-ubnd", HandedOverAt: at(10, 9, 0), ReceivedAt: at(10, 9, 0), Due: at(16, 11, 30), FinishedAt: at(10, 10, 0), Verdict: Early},
		{Step: 5, Name: "Trả kết quả", FromUnit: "van-phong-ubnd", Unit: "ttpvhcc", HandedOverAt: at(10, 10, 0), ReceivedAt: at(10, 10, 0), Due: at(16, 17, 0), FinishedAt: at(10, 11, 0), Verdict: Early},
	}
	if diff := cmp.Diff(wantSheet, h.d.ControlSheet(), timeEq); diff != "" {
		t.Errorf("control sheet (-want +got):\n%s", diff)
	}
	if h.d.Steps[1].Assignee != "cv-stc" {
		t.Errorf("assignee %q", h.d.Steps[1].Assignee)
	}

	// The end: processed Tue 10 Nov 10:00, early against Mon 16 Nov 17:00.
	wantRecord := Record{
		ID: "d-walk", Code: "000.00.01.H55-261103-0001", Procedure: "LT.01", Authority: "van-phong-ubnd",
		ReceivingUnit: "ttpvhcc", State: Returned, Channel: ChannelOnline, ReceivedAt: at(3, 14, 0),
		FinishedAt: at(10, 10, 0), DueAt: at(16, 17, 0), Verdict: Early, Decision: Approved,
		DigitizedComponents: 2, ReusedComponents: 1, EResult: true, IdentityLevel: 2, VaultLinked: true,
		Rating: 5, SupplementRequests: 1, Extended: true,
	}
	if diff := cmp.Diff(wantRecord, h.d.Record(at(30, 0, 0), fakeCal{}), timeEq); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	approved := h.events[12].Data.(ApprovedData)
	if approved.Verdict != Early || approved.Decision != Approved {
		t.Errorf("approved payload %+v", approved)
	}
	if h.d.ReturnMethod != ReturnElectronic || !h.d.ReturnedAt.Equal(at(10, 11, 0)) || h.d.Current != -1 {
		t.Errorf("returned %s at %s current %d", h.d.ReturnMethod, h.d.ReturnedAt, h.d.Current)
	}
	for i, e := range h.events {
		if e.Actor.ID == "" || e.At.IsZero() || e.At.Location() != time.UTC {
			t.Errorf("event %d (%s) lacks actor or UTC time: %+v", i, e.Type, e)
		}
	}
}

func TestTimeliness(t *testing.T) {
	c := fakeCal{}
	due := at(10, 14, 0)
	tests := []struct {
		end  time.Time
		want Timeliness
	}{
		{at(9, 14, 0), Early},    // exactly one working day before
		{at(9, 14, 1), OnTime},   // a minute less than a working day before
		{at(10, 14, 0), OnTime},  // at the due time
		{at(10, 14, 1), Late},    // a minute late
		{at(6, 17, 0), Early},    // Friday evening before a Tuesday afternoon due
		{time.Time{}, NotJudged}, // never finished
	}
	for _, tt := range tests {
		if got := Verdict(tt.end, due, c); got != tt.want {
			t.Errorf("Verdict(%s) = %s, want %s", tt.end.In(vn), got, tt.want)
		}
	}

	open := fixture(t, InProgress) // due Fri 6 Nov 09:00
	if got := open.d.Timeliness(at(6, 9, 0), c); got != OpenOnTime {
		t.Errorf("open at due time: %s", got)
	}
	if got := open.d.Timeliness(at(6, 9, 1), c); got != Overdue {
		t.Errorf("open after due time: %s", got)
	}
	if got := fixture(t, Submitted).d.Timeliness(at(30, 9, 0), c); got != NotJudged {
		t.Errorf("never received: %s", got)
	}

	// Withdrawn while waiting for a supplement: judged when the wait began.
	h := fixture(t, SupplementRequestedInProcessing) // asked Tue 3 Nov 11:00, due Fri 6 Nov 09:00
	h.do(t, 0, step{at(20, 9, 0), applicant, Withdraw{}})
	if end, _ := h.d.End(); !end.Equal(at(3, 11, 0)) {
		t.Errorf("end %s, want the supplement request", end.In(vn))
	}
	if got := h.d.Timeliness(at(30, 0, 0), c); got != Early {
		t.Errorf("withdrawn during supplement wait: %s", got)
	}
	if got := h.events[len(h.events)-1].Data.(WithdrawnData).Verdict; got != Early {
		t.Errorf("withdrawn payload verdict %s", got)
	}

	// Imported history with two supplement requests counts late (LEGAL §6).
	h = fixture(t, Returned)
	h.d.SupplementRequests = 2
	if got := h.d.Timeliness(at(30, 0, 0), c); got != Late {
		t.Errorf("two supplement requests: %s", got)
	}
}
