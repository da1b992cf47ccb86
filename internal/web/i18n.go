package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/dossier"
)

// The site speaks Vietnamese first. English is a choice the visitor makes with the switch in the
// header (?lang=en, remembered in a cookie); it is never guessed from Accept-Language.
const (
	langVI     = "vi"
	langEN     = "en"
	langCookie = "motcua_lang"
	langParam  = "lang"
)

// langOf is the language a request asks for: the lang query parameter, then the cookie, then
// Vietnamese.
func langOf(r *http.Request) string {
	if l, ok := parseLang(r.URL.Query().Get(langParam)); ok {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l
		}
	}
	return langVI
}

func parseLang(s string) (string, bool) {
	switch s {
	case langVI, langEN:
		return s, true
	}
	return "", false
}

// chooseLang returns the request's language and remembers an explicit choice (?lang=) in a
// cookie for a year.
func (s *Server) chooseLang(w http.ResponseWriter, r *http.Request) string {
	if l, ok := parseLang(r.URL.Query().Get(langParam)); ok {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: http.SameSiteLaxMode, Secure: s.opt.TrustProxy && s.isTLS(r)})
		return l
	}
	return langOf(r)
}

// langSwitch is the header link to the other language.
type langSwitch struct {
	URL, Lang, Label string
}

// switchTo builds the link that shows the current page in the other language: same path and
// query, lang replaced. A page rendered for a POST links to the GET page of the same path when
// there is one, else to the home page.
func (s *Server) switchTo(r *http.Request, cur string) langSwitch {
	to := langSwitch{Lang: langEN, Label: "English"}
	if cur == langEN {
		to = langSwitch{Lang: langVI, Label: "Tiếng Việt"}
	}
	p, q := r.URL.Path, r.URL.Query()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		q = url.Values{}
		if _, pat := s.mux.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: p}, Host: r.Host}); pat == "" {
			p = "/"
		}
	}
	if p == "" || !strings.HasPrefix(p, "/") {
		p = "/"
	}
	q.Set(langParam, to.Lang)
	to.URL = (&url.URL{Path: p, RawQuery: q.Encode()}).String()
	return to
}

// msg is one message of the catalog in both languages.
type msg struct{ vi, en string }

// tr returns the message key in lang (Vietnamese unless lang is English); an unknown key comes
// back as itself so that a mistake shows instead of failing a page (TestMessageKeys finds them).
func tr(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return m.en
	}
	return m.vi
}

// tmplT is the template function t: {{t $.Lang "nav.procedures"}}. An unknown key fails the
// page, which render turns into an error before anything is sent.
func tmplT(lang, key string) (string, error) {
	if _, ok := messages[key]; !ok {
		return "", fmt.Errorf("i18n: unknown message %q", key)
	}
	return tr(lang, key), nil
}

// stateLabel is a dossier state as a badge shows it, capitalised.
func stateLabel(lang string, st dossier.State) string {
	if lang == langEN {
		if n, ok := stateNamesEN[st]; ok {
			return n
		}
		return string(st)
	}
	return csCapitalize(dossier.StateNameVI(st))
}

// scoreLabel names a satisfaction score (1..5).
func scoreLabel(lang string, score int) string {
	if score < 1 || score >= len(portalScoreLabels) {
		return ""
	}
	if lang == langEN {
		return scoreLabelsEN[score]
	}
	return portalScoreLabels[score]
}

// scoreLabelsEN are portalScoreLabels in English.
var scoreLabelsEN = []string{"", "Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"}

// stateNamesEN are the dossier states in English (the Vietnamese names live in package dossier).
var stateNamesEN = map[dossier.State]string{
	dossier.Draft:                           "Draft",
	dossier.Submitted:                       "Submitted, awaiting reception",
	dossier.SupplementRequested:             "Supplement requested before reception",
	dossier.Received:                        "Received",
	dossier.InProgress:                      "Being processed",
	dossier.SupplementRequestedInProcessing: "Supplement requested during processing",
	dossier.Suspended:                       "Suspended",
	dossier.Processed:                       "Processed",
	dossier.Returned:                        "Result returned",
	dossier.Rejected:                        "Reception refused",
	dossier.Withdrawn:                       "Withdrawn",
	dossier.Closed:                          "Closed (supplement not provided)",
}

// eventLabelsEN are the events of a dossier's history in English (portalEventLabels in
// Vietnamese).
var eventLabelsEN = map[string]string{
	string(dossier.EventSubmitted):           "Dossier submitted",
	string(dossier.EventDocumentAttached):    "Document attached",
	string(dossier.EventSupplementRequested): "Supplement requested",
	string(dossier.EventSupplemented):        "Dossier supplemented",
	string(dossier.EventReceived):            "Received by the one-stop desk",
	string(dossier.EventRejected):            "Reception refused",
	string(dossier.EventAssigned):            "Officer assigned",
	string(dossier.EventForwarded):           "Forwarded for processing",
	string(dossier.EventStepCompleted):       "A processing step completed",
	string(dossier.EventSuspended):           "Processing suspended",
	string(dossier.EventResumed):             "Processing resumed",
	string(dossier.EventExtended):            "Extended; new result date",
	string(dossier.EventApproved):            "Approved",
	string(dossier.EventRefused):             "Refused",
	string(dossier.EventResultIssued):        "Result issued",
	string(dossier.EventResultReturned):      "Result returned",
	string(dossier.EventWithdrawn):           "Dossier withdrawn",
	string(dossier.EventRated):               "Satisfaction rated",
	string(dossier.EventClosed):              "Closed: supplement not provided in time",
	string(dossier.EventSynced):              "Synchronized to the National Public Service Portal",
}

// queueLabelsEN are the console's work queues in English, by key (app names them in Vietnamese).
var queueLabelsEN = map[string]string{
	app.QueueToReceive:  "To receive",
	app.QueueMine:       "Mine",
	app.QueueDueSoon:    "Due soon",
	app.QueueOverdue:    "Overdue",
	app.QueueSupplement: "Awaiting supplement",
	app.QueueSuspended:  "Suspended",
	app.QueueApproval:   "Awaiting approval",
}

// messages is the catalog of the translated pages. Keys are area.name; the procedures' own
// texts (names, documents, legal basis) are legal text and stay Vietnamese.
var messages = map[string]msg{
	// Chrome (layout.html).
	"skip":             {"Bỏ qua, đến nội dung chính", "Skip to main content"},
	"nav.label":        {"Điều hướng chính", "Main navigation"},
	"nav.procedures":   {"Thủ tục hành chính", "Administrative procedures"},
	"nav.lookup":       {"Tra cứu hồ sơ", "Track a dossier"},
	"nav.console":      {"Bàn làm việc", "Workbench"},
	"nav.mine":         {"Hồ sơ của tôi", "My dossiers"},
	"nav.signout":      {"Đăng xuất", "Sign out"},
	"nav.signin":       {"Đăng nhập", "Sign in"},
	"nav.account":      {"Tài khoản của tôi", "My account"},
	"brand.electronic": {"điện tử", "e-government"},
	"footer.system":    {"MotCua — hệ thống thông tin giải quyết thủ tục hành chính", "MotCua — the information system for administrative procedures"},
	"footer.oss":       {"Phần mềm nguồn mở.", "Open-source software."},

	// Error page.
	"error.home":      {"Về trang chủ", "Back to the home page"},
	"error.requestID": {"Mã yêu cầu:", "Request ID:"},

	// Home page.
	"home.title":         {"Cổng dịch vụ công", "Public service portal"},
	"home.lead":          {"Nộp hồ sơ thủ tục hành chính trực tuyến hoặc tại bất kỳ Bộ phận Một cửa nào trong tỉnh, theo dõi tiến độ và nhận kết quả.", "Submit administrative dossiers online or at any one-stop desk in the province, follow their progress and receive the result."},
	"home.search":        {"Tìm thủ tục hành chính", "Find an administrative procedure"},
	"home.placeholder":   {"Ví dụ: đăng ký khai sinh", "For example: đăng ký khai sinh (birth registration)"},
	"home.services":      {"Dịch vụ", "Services"},
	"home.catalog.text":  {"Danh mục thủ tục, thành phần hồ sơ, thời hạn và phí, lệ phí.", "The procedures, the documents they need, time limits and fees."},
	"home.lookup.text":   {"Nhập mã hồ sơ trên giấy tiếp nhận để xem tình trạng giải quyết.", "Enter the dossier code printed on your receipt to see its status."},
	"home.online":        {"Nộp hồ sơ trực tuyến", "Submit online"},
	"home.online.text":   {"Đăng nhập bằng tài khoản định danh điện tử để nộp và theo dõi hồ sơ.", "Sign in with your electronic identity account to submit and follow dossiers."},
	"common.search":      {"Tìm kiếm", "Search"},
	"common.pagination":  {"Phân trang", "Pagination"},
	"common.prev":        {"Trang trước", "Previous page"},
	"common.next":        {"Trang sau", "Next page"},
	"common.page":        {"Trang", "Page"},
	"common.yes":         {"Có", "Yes"},
	"common.no":          {"Không", "No"},
	"common.province":    {"Cấp tỉnh", "Province level"},
	"common.commune":     {"Cấp xã", "Commune level"},
	"common.required":    {"(bắt buộc)", "(required)"},
	"common.dossierCode": {"Mã hồ sơ", "Dossier code"},
	"common.submittedAt": {"Ngày nộp", "Submitted"},
	"common.receivedAt":  {"Ngày tiếp nhận", "Received"},
	"common.dueAt":       {"Ngày hẹn trả kết quả", "Result due"},
	"common.authority":   {"Cơ quan giải quyết", "Handling authority"},
	"common.procedure":   {"Thủ tục", "Procedure"},
	"common.status":      {"Tình trạng", "Status"},
	"common.applicant":   {"Người nộp", "Applicant"},
	"common.reason":      {"Lý do:", "Reason:"},

	// Catalog list.
	"catalog.title":          {"Thủ tục hành chính", "Administrative procedures"},
	"catalog.search":         {"Tìm thủ tục (có thể gõ không dấu)", "Find a procedure (Vietnamese, diacritics optional)"},
	"catalog.placeholder":    {"Ví dụ: dang ky ho kinh doanh", "For example: dang ky ho kinh doanh"},
	"catalog.field":          {"Lĩnh vực", "Field"},
	"catalog.allFields":      {"Tất cả lĩnh vực", "All fields"},
	"catalog.level":          {"Cấp thực hiện", "Level"},
	"catalog.allLevels":      {"Mọi cấp", "All levels"},
	"catalog.online":         {"Dịch vụ công trực tuyến", "Online public service"},
	"catalog.allOnline":      {"Mọi mức độ trực tuyến", "Any online level"},
	"catalog.full":           {"Toàn trình", "Fully online"},
	"catalog.partial":        {"Một phần", "Partly online"},
	"catalog.none":           {"Không trực tuyến", "Not online"},
	"catalog.count":          {"%d thủ tục", "%d procedures"},
	"catalog.matching":       {"phù hợp với", "matching"},
	"catalog.code":           {"Mã", "Code"},
	"catalog.badge.full":     {"Trực tuyến toàn trình", "Fully online"},
	"catalog.badge.partial":  {"Trực tuyến một phần", "Partly online"},
	"catalog.interconnected": {"Liên thông", "Joint procedure"},
	"catalog.empty":          {"Không tìm thấy thủ tục nào. Hãy thử từ khóa khác, ví dụ “khai sinh” hoặc “chứng thực”.", "No procedure found. Try other words, for example “khai sinh” (birth) or “chứng thực” (certification)."},

	// Procedure page.
	"proc.back":           {"Danh mục thủ tục", "All procedures"},
	"proc.code":           {"Mã thủ tục", "Procedure code"},
	"proc.field":          {"Lĩnh vực", "Field"},
	"proc.submit":         {"Nộp hồ sơ trực tuyến", "Submit online"},
	"proc.authority":      {"Cơ quan có thẩm quyền", "Competent authority"},
	"proc.time":           {"Thời hạn giải quyết", "Processing time"},
	"proc.how":            {"Cách thức thực hiện", "How to submit"},
	"proc.how.text":       {"Nộp trực tiếp tại bất kỳ Bộ phận Một cửa nào trong tỉnh; qua dịch vụ bưu chính công ích", "In person at any one-stop desk in the province; by public postal service"},
	"proc.how.full":       {"; trực tuyến toàn trình", "; fully online"},
	"proc.how.partial":    {"; trực tuyến một phần", "; partly online"},
	"proc.result":         {"Kết quả", "Result"},
	"proc.electronic":     {"(có bản điện tử)", "(also issued electronically)"},
	"proc.joint":          {"Liên thông", "Joint procedure"},
	"proc.joint.text":     {"Hồ sơ được giải quyết liên thông giữa nhiều cơ quan; bạn chỉ nộp một lần.", "Several authorities handle the dossier together; you submit it once."},
	"proc.financial":      {"Nghĩa vụ tài chính", "Financial obligations"},
	"proc.financial.text": {"Thời gian thực hiện nghĩa vụ tài chính không tính vào thời hạn giải quyết.", "Time spent on financial obligations does not count towards the processing time."},
	"proc.documents":      {"Thành phần hồ sơ", "Required documents"},
	"proc.doc":            {"Giấy tờ", "Document"},
	"proc.kind":           {"Loại", "Kind"},
	"proc.count":          {"Số lượng", "Copies"},
	"proc.required":       {"Bắt buộc", "Required"},
	"proc.original":       {"Bản chính", "Original"},
	"proc.certified":      {"Bản sao chứng thực", "Certified copy"},
	"proc.copy":           {"Bản sao", "Copy"},
	"proc.fees":           {"Phí, lệ phí", "Fees and charges"},
	"proc.noFees":         {"Không thu phí, lệ phí.", "No fees or charges."},
	"proc.process":        {"Quy trình giải quyết", "Processing steps"},
	"proc.parallel":       {"song song", "in parallel"},
	"proc.legal":          {"Căn cứ pháp lý", "Legal basis"},

	// Look-up.
	"lookup.title":       {"Tra cứu hồ sơ", "Track a dossier"},
	"lookup.code":        {"Mã hồ sơ (in trên giấy tiếp nhận)", "Dossier code (printed on the receipt)"},
	"lookup.placeholder": {"Ví dụ: 000.00.00.H55-261126-0001", "For example: 000.00.00.H55-261126-0001"},
	"lookup.submit":      {"Tra cứu", "Look up"},
	"lookup.notFound":    {"Không tìm thấy hồ sơ có mã này. Kiểm tra lại mã in trên giấy tiếp nhận.", "No dossier has this code. Check the code printed on the receipt."},
	"lookup.dossier":     {"Hồ sơ", "Dossier"},
	"lookup.finishedAt":  {"Ngày giải quyết xong", "Completed"},

	// Sign-in.
	"signin.title":      {"Đăng nhập", "Sign in"},
	"signin.citizens":   {"Người dân, doanh nghiệp", "Citizens and businesses"},
	"signin.vneid.text": {"Đăng nhập bằng tài khoản định danh điện tử (VNeID) để nộp và theo dõi hồ sơ.", "Sign in with your electronic identity account (VNeID) to submit and follow dossiers."},
	"signin.vneid":      {"Đăng nhập bằng VNeID", "Sign in with VNeID"},
	"signin.officers":   {"Cán bộ, công chức", "Officers"},
	"signin.username":   {"Tên đăng nhập", "User name"},
	"signin.password":   {"Mật khẩu", "Password"},
	"signin.code":       {"Mã xác thực (6 chữ số)", "Authentication code (6 digits)"},
	"signin.code.hint":  {"Mở ứng dụng xác thực trên điện thoại để lấy mã.", "Open the authenticator app on your phone to get the code."},
	"signin.submit":     {"Đăng nhập", "Sign in"},
	"signin.demo":       {"Bản trình diễn: tài khoản và mật khẩu được in ra khi chạy", "Demonstration: the accounts and passwords are printed by"},
	"signin.demo.code":  {"; mã xác thực hiện tại của các tài khoản lãnh đạo, quản trị, thanh tra:", "; the current authentication code of the leader, administrator and inspector accounts:"},

	// My dossiers.
	"mine.title":     {"Hồ sơ của tôi", "My dossiers"},
	"mine.range":     {"Hồ sơ %d–%d trong tổng số %d.", "Dossiers %d–%d of %d."},
	"mine.noCode":    {"Chưa có (chờ tiếp nhận)", "Not yet (awaiting reception)"},
	"mine.due":       {"Ngày hẹn trả", "Result due"},
	"mine.notYet":    {"Chưa có", "Not yet"},
	"mine.empty":     {"Bạn chưa nộp hồ sơ nào.", "You have not submitted any dossier."},
	"mine.emptyLink": {"Tìm thủ tục để nộp hồ sơ trực tuyến", "Find a procedure to submit online"},

	// One dossier (applicant).
	"dossier.title":            {"Hồ sơ %s", "Dossier %s"},
	"dossier.titlePending":     {"Hồ sơ chờ tiếp nhận", "Dossier awaiting reception"},
	"dossier.noCode":           {"Chưa có — mã hồ sơ được cấp khi Bộ phận Một cửa tiếp nhận", "Not yet — the one-stop desk gives the code when it receives the dossier"},
	"dossier.dueLater":         {"Có sau khi hồ sơ được tiếp nhận", "Known once the dossier is received"},
	"dossier.extended":         {"(đã gia hạn)", "(extended)"},
	"dossier.receiving":        {"Nơi tiếp nhận", "Received at"},
	"dossier.yourRating":       {"Đánh giá của bạn", "Your rating"},
	"dossier.supplement":       {"Bổ sung hồ sơ", "Supplement the dossier"},
	"dossier.supplement.send":  {"Gửi hồ sơ bổ sung", "Send the supplement"},
	"dossier.papers":           {"Giấy tờ của hồ sơ", "Papers of the dossier"},
	"dossier.progress":         {"Tiến trình giải quyết", "Progress"},
	"dossier.steps":            {"Các bước xử lý", "Processing steps"},
	"dossier.step.done":        {"Hoàn thành", "Completed"},
	"dossier.step.open":        {"Đang xử lý", "In progress"},
	"dossier.step.due":         {"hạn", "due"},
	"dossier.step.ahead":       {"Chưa đến bước này", "Not reached yet"},
	"dossier.step.skipped":     {"Không thực hiện", "Not carried out"},
	"dossier.documents":        {"Giấy tờ đã nộp", "Documents submitted"},
	"dossier.reused":           {"dùng lại", "reused"},
	"dossier.noDocuments":      {"Chưa có giấy tờ.", "No documents yet."},
	"dossier.rate":             {"Đánh giá mức độ hài lòng", "Rate your satisfaction"},
	"dossier.rate.question":    {"Bạn hài lòng thế nào với việc giải quyết hồ sơ này?", "How satisfied are you with the handling of this dossier?"},
	"dossier.rate.comment":     {"Ý kiến (không bắt buộc)", "Comments (optional)"},
	"dossier.rate.send":        {"Gửi đánh giá", "Send the rating"},
	"dossier.withdraw":         {"Rút hồ sơ", "Withdraw the dossier"},
	"dossier.withdraw.text":    {"Bạn có thể rút hồ sơ trước khi có quyết định giải quyết. Hồ sơ đã rút sẽ dừng giải quyết và không thể tiếp tục.", "You can withdraw the dossier until a decision is taken. A withdrawn dossier stops being handled and cannot be resumed."},
	"dossier.withdraw.open":    {"Tôi muốn rút hồ sơ này", "I want to withdraw this dossier"},
	"dossier.withdraw.reason":  {"Lý do rút hồ sơ", "Reason for withdrawing"},
	"dossier.withdraw.confirm": {"Tôi xác nhận rút hồ sơ và hiểu rằng hồ sơ sẽ dừng giải quyết.", "I confirm the withdrawal and understand that the dossier will stop being handled."},
	"verdict.early":            {"Trước hạn", "Early"},
	"verdict.onTime":           {"Đúng hạn", "On time"},
	"verdict.late":             {"Trễ hạn", "Late"},

	// Console work queues.
	"console.title":         {"Bàn làm việc", "Workbench"},
	"console.functions":     {"Chức năng cán bộ", "Officer functions"},
	"console.reception":     {"Tiếp nhận hồ sơ tại quầy", "Receive a dossier at the desk"},
	"console.approval":      {"Phê duyệt hồ sơ", "Approve dossiers"},
	"console.accessLog":     {"Nhật ký truy cập", "Access log"},
	"console.notices":       {"Thông báo", "Notices"},
	"console.queues":        {"Hàng đợi công việc", "Work queues"},
	"console.all":           {"Tất cả hồ sơ", "All dossiers"},
	"console.filter":        {"Lọc hồ sơ", "Filter dossiers"},
	"console.q":             {"Tìm theo mã hồ sơ, tên người nộp", "Search by dossier code or applicant name"},
	"console.status":        {"Trạng thái", "Status"},
	"console.allStatuses":   {"Tất cả trạng thái", "All statuses"},
	"console.allProcedures": {"Tất cả thủ tục", "All procedures"},
	"console.dueBefore":     {"Hạn trả đến ngày", "Due on or before"},
	"console.mineOnly":      {"Chỉ hồ sơ được giao cho tôi", "Only dossiers assigned to me"},
	"console.apply":         {"Lọc", "Filter"},
	"console.dossiers":      {"hồ sơ", "dossiers"},
	"console.due":           {"Hẹn trả:", "Due:"},
	"console.empty":         {"Không có hồ sơ nào.", "No dossiers."},
	"console.noCode":        {"Chưa cấp mã", "No code yet"},
	"console.err.queue":     {"Hàng đợi này không dành cho vai trò của bạn.", "This queue is not for your role."},
	"console.err.status":    {"Trạng thái không hợp lệ.", "Invalid status."},
	"console.err.date":      {"Ngày không hợp lệ (định dạng năm-tháng-ngày).", "Invalid date (year-month-day)."},
	"due.bad":               {"Quá hạn", "Overdue"},
	"due.warn":              {"Sắp đến hạn", "Due soon"},
	"due.ok":                {"Trong hạn", "On time"},
}
