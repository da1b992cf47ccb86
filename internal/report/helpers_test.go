package report

import (
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/seed"
)

// The tests drive the real aggregate with the real working calendar (statutory holidays and
// the embedded official notices), so the dates printed are the dates the province would see.

var (
	calOnce sync.Once
	cal     *calendar.Calendar
	calErr  error
)

func workingCalendar(t testing.TB) *calendar.Calendar {
	t.Helper()
	calOnce.Do(func() {
		notices, err := calendar.ParseNotices(seed.CalendarNotices())
		if err != nil {
			calErr = err
			return
		}
		cal, calErr = calendar.New(calendar.DefaultConfig(), notices)
	})
	if calErr != nil {
		t.Fatalf("calendar: %v", calErr)
	}
	return cal
}

// vnAt is a wall-clock time in Vietnam, November/December 2026 (23 November is a Monday, 24
// November the new Ngày Văn hóa Việt Nam holiday).
func vnAt(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, calendar.VN)
}

var (
	applicant  = dossier.Actor{ID: "cd-001", Name: "Nguyễn Thị Lan", Role: dossier.RoleApplicant}
	desk       = dossier.Actor{ID: "mc-01", Name: "Trần Văn Bình", Unit: "ttpvhcc", Role: "desk"}
	leader     = dossier.Actor{ID: "ld-01", Name: "Lê Văn Cường", Unit: "van-phong-ubnd", Role: dossier.RoleLeader}
	stcLeader  = dossier.Actor{ID: "ld-stc", Name: "Hoàng Minh", Unit: "so-tai-chinh", Role: dossier.RoleLeader}
	stcExpert  = dossier.Actor{ID: "cv-stc", Name: "Vũ Thị Mai", Unit: "so-tai-chinh", Role: "specialist"}
	sxdExpert  = dossier.Actor{ID: "cv-sxd", Name: "Đỗ Văn Nam", Unit: "so-xay-dung", Role: "specialist"}
	nnmtExpert = dossier.Actor{ID: "cv-nnmt", Name: "Bùi Thị Hoa", Unit: "so-nong-nghiep-moi-truong", Role: "specialist"}
	system     = dossier.Actor{ID: "system", Role: dossier.RoleSystem}
)

// names are the display names a caller resolves from units.json and the catalog.
func names() Names {
	return Names{
		Province: "Tỉnh Thái Nguyên",
		Units: map[string]string{
			"ttpvhcc":                   "Trung tâm Phục vụ hành chính công tỉnh",
			"van-phong-ubnd":            "Văn phòng Ủy ban nhân dân tỉnh",
			"so-tai-chinh":              "Sở Tài chính",
			"so-xay-dung":               "Sở Xây dựng",
			"so-nong-nghiep-moi-truong": "Sở Nông nghiệp và Môi trường",
		},
		Procedure: "Chấp thuận chủ trương đầu tư dự án đầu tư",
	}
}

const lookupURL = "https://dichvucong.thainguyen.gov.vn/tra-cuu/000.00.01.H55-261126-0001"

// interSpec is an interconnected procedure of 5 working days: the provincial desk receives,
// the Department of Finance leads the appraisal (16 h) while the Department of Construction is
// consulted beside it (8 h), the Department of Agriculture and Environment appraises (12 h),
// the People's Committee's leader decides (4 h) and the desk returns (4 h).
func interSpec() dossier.Spec {
	return dossier.Spec{
		Procedure: "1.009645", Version: 2,
		ProcessingTime: calendar.Duration{Value: 5, Unit: calendar.WorkingDay},
		Steps: []dossier.StepSpec{
			{Name: "Tiếp nhận hồ sơ", Role: "desk", Unit: "ttpvhcc", ShareMinutes: 240},
			{Name: "Chủ trì thẩm định", Role: "specialist", Unit: "so-tai-chinh", ShareMinutes: 960},
			{Name: "Lấy ý kiến Sở Xây dựng", Role: "specialist", Unit: "so-xay-dung", ShareMinutes: 480, Parallel: true},
			{Name: "Thẩm định đất đai", Role: "specialist", Unit: "so-nong-nghiep-moi-truong", ShareMinutes: 720},
			{Name: "Phê duyệt", Role: "leader", Unit: "van-phong-ubnd", ShareMinutes: 240},
			{Name: "Trả kết quả", Role: "desk", Unit: "ttpvhcc", ShareMinutes: 240},
		},
		SuspendsClockForPayment: true,
		ResultElectronic:        true, ResultPaper: true,
		Components: []dossier.Component{
			{Code: "DON", Name: "Văn bản đề nghị thực hiện dự án đầu tư", Required: true},
			{Code: "GCN", Name: "Giấy chứng nhận đăng ký doanh nghiệp", DocType: "GCN_DKDN", Required: true},
			{Code: "DX", Name: "Đề xuất dự án đầu tư", Required: true},
			{Code: "BV", Name: "Bản vẽ tổng mặt bằng"},
		},
	}
}

func theApplicant() dossier.Applicant {
	return dossier.Applicant{
		Kind: "citizen", Name: "Nguyễn Thị Lan", PersonalID: "019190000001",
		Address: "Số 12, tổ 5, phường Phan Đình Phùng, tỉnh Thái Nguyên", Phone: "0912 345 678",
		Email: "lan.nguyen@example.vn",
	}
}

func submitCmd(ch dossier.Channel, docs ...dossier.Document) dossier.Submit {
	return dossier.Submit{
		ID: "d-report", Channel: ch, Spec: interSpec(), Authority: "van-phong-ubnd", ReceivingUnit: "ttpvhcc",
		Applicant: theApplicant(), Documents: docs, IdentityLevel: 2,
	}
}

func paper(component, name string) dossier.Document {
	return dossier.Document{Component: component, Name: name, Digitized: true}
}

// cmd is one command of a scripted history.
type cmd struct {
	at    time.Time
	actor dossier.Actor
	c     dossier.Command
}

// play runs a script through Decide and Apply; any refusal fails the test.
func play(t testing.TB, script ...cmd) *dossier.Dossier {
	t.Helper()
	c := workingCalendar(t)
	d := dossier.New()
	for i, s := range script {
		evs, err := dossier.Decide(d, s.c, dossier.Context{Now: s.at, Clock: c, Actor: s.actor})
		if err != nil {
			t.Fatalf("step %d (%s): %v", i, s.c.Name(), err)
		}
		for _, e := range evs {
			dossier.Apply(d, e)
		}
	}
	return d
}

const walkCode = "000.00.01.H55-261126-0001"

// walkScript is the issue's full journey: online submission, supplement before reception,
// reception, hand-over across two departments with a parallel consultation (answered late),
// suspension for payment, extension with apology, approval, electronic result, return, rating.
func walkScript() []cmd {
	gcn := dossier.Document{Component: "GCN", Name: "GCN", DocType: "GCN_DKDN", OwnerID: "0123456789", Digitized: true, Reused: true, FromVault: true}
	return []cmd{
		{vnAt(11, 23, 20, 0), applicant, submitCmd(dossier.ChannelOnline,
			dossier.Document{Component: "DON", Name: "don.pdf", Digitized: true},
			dossier.Document{Component: "DX", Name: "de-xuat.pdf", Digitized: true},
			dossier.Document{Component: "BV", Name: "ban-ve-1.pdf", Digitized: true},
			dossier.Document{Component: "BV", Name: "ban-ve-2.pdf", Digitized: true})},
		{vnAt(11, 25, 8, 0), desk, dossier.RequestSupplement{Components: []string{"GCN"}, Reason: "Thiếu giấy chứng nhận đăng ký doanh nghiệp"}},
		{vnAt(11, 25, 10, 0), applicant, dossier.Supplement{Documents: []dossier.Document{gcn}}},
		{vnAt(11, 26, 15, 30), desk, dossier.Receive{Code: walkCode}},
		{vnAt(11, 26, 16, 0), desk, dossier.Forward{To: "so-tai-chinh"}},
		{vnAt(11, 27, 9, 0), stcLeader, dossier.Assign{Step: 1, To: "cv-stc"}},
		{vnAt(11, 30, 11, 0), sxdExpert, dossier.CompleteStep{Step: 2, Outcome: "Thống nhất, đề nghị bổ sung phương án phòng cháy"}},
		{vnAt(11, 30, 16, 0), stcExpert, dossier.Forward{To: "so-nong-nghiep-moi-truong"}},
		{vnAt(12, 1, 9, 0), nnmtExpert, dossier.Suspend{Reason: "Chờ nộp tiền sử dụng đất", ForPayment: true}},
		{vnAt(12, 3, 9, 0), nnmtExpert, dossier.Resume{}},
		{vnAt(12, 3, 10, 0), leader, dossier.Extend{NewDue: vnAt(12, 10, 17, 0), Reason: "Cần xác minh thực địa ranh giới khu đất"}},
		{vnAt(12, 8, 9, 0), nnmtExpert, dossier.Forward{}},
		{vnAt(12, 8, 10, 0), leader, dossier.Approve{Note: "Đồng ý chủ trương"}},
		{vnAt(12, 8, 10, 30), leader, dossier.IssueResult{Documents: []dossier.ResultDocument{{Name: "Quyết định chấp thuận chủ trương đầu tư", Electronic: true, ToVault: true}}}},
		{vnAt(12, 8, 11, 0), desk, dossier.ReturnResult{Method: dossier.ReturnElectronic}},
		{vnAt(12, 8, 14, 0), applicant, dossier.Rate{Score: 5, Comment: "Nhanh"}},
	}
}

func complete(ch dossier.Channel) dossier.Submit {
	return submitCmd(ch, paper("DON", "Đơn"), paper("GCN", "GCN"), paper("DX", "Đề xuất"))
}

var (
	submitAt  = vnAt(11, 25, 8, 0)
	receiveAt = vnAt(11, 26, 15, 30)
)

// fixtures are dossiers in the situations the forms distinguish, built through legal
// commands only.
func fixtures() map[string][]cmd {
	received := []cmd{
		{submitAt, applicant, complete(dossier.ChannelDesk)},
		{receiveAt, desk, dossier.Receive{Code: walkCode}},
	}
	inProgress := append(received[:2:2], cmd{vnAt(11, 26, 16, 0), desk, dossier.Forward{}})
	with := func(base []cmd, more ...cmd) []cmd { return append(append([]cmd(nil), base...), more...) }
	return map[string][]cmd{
		"submitted": {{submitAt, applicant, complete(dossier.ChannelOnline)}},
		"supplement before reception": {
			{submitAt, applicant, submitCmd(dossier.ChannelOnline, paper("DON", "Đơn"))},
			{vnAt(11, 25, 9, 0), desk, dossier.RequestSupplement{Components: []string{"GCN", "DX"}, Reason: "Thiếu giấy chứng nhận và đề xuất dự án"}},
		},
		"rejected": {
			{submitAt, applicant, complete(dossier.ChannelDesk)},
			{vnAt(11, 25, 9, 0), desk, dossier.Reject{Reason: "Thủ tục không thuộc thẩm quyền giải quyết của tỉnh"}},
		},
		"received":    received,
		"in progress": inProgress,
		"supplement in processing": with(inProgress,
			cmd{vnAt(11, 27, 9, 0), stcExpert, dossier.RequestSupplement{Components: []string{"BV"}, Reason: "Cần bản vẽ tổng mặt bằng để thẩm định"}}),
		"extended": with(inProgress,
			cmd{vnAt(11, 27, 9, 0), leader, dossier.Extend{NewDue: vnAt(12, 10, 17, 0), Reason: "Cần xác minh thực địa"}}),
		"refused": with(inProgress,
			cmd{vnAt(11, 30, 9, 0), leader, dossier.Refuse{Reason: "Dự án không phù hợp quy hoạch sử dụng đất"}}),
		"withdrawn": with(received,
			cmd{vnAt(11, 27, 9, 0), applicant, dossier.Withdraw{Reason: "Doanh nghiệp thay đổi địa điểm dự án"}}),
		"closed": {
			{submitAt, applicant, submitCmd(dossier.ChannelOnline, paper("DON", "Đơn"))},
			{vnAt(11, 25, 9, 0), desk, dossier.RequestSupplement{Components: []string{"GCN", "DX"}, Reason: "Thiếu giấy chứng nhận"}},
			{vnAt(12, 10, 9, 0), system, dossier.Close{}},
		},
		"walk": walkScript(),
	}
}

func fixture(t testing.TB, name string) *dossier.Dossier {
	t.Helper()
	script, ok := fixtures()[name]
	if !ok {
		t.Fatalf("no fixture %q", name)
	}
	return play(t, script...)
}

func input(x *dossier.Dossier) Input {
	return Input{Dossier: x, Names: names(), LookupURL: lookupURL, Now: vnAt(12, 9, 8, 15), Officer: "Trần Văn Bình"}
}
