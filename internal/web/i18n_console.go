package web

import (
	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/dossier"
)

// The English of the console's dossier, reception, approval and access-log pages, the online
// submission form, the generated form and the working calendar. Keys: csd. (console dossier),
// csr. (counter reception), csa. (approval), csl. (access log), submit., fg. (generated form),
// cal. (calendar).
func init() {
	for k, v := range consoleMessages {
		messages[k] = v
	}
}

// consoleMessages are this file's part of the catalog (see messages).
var consoleMessages = map[string]msg{
	// Console: one dossier.
	"csd.version":              {"Phiên bản", "Version"},
	"csd.done":                 {"Đã thực hiện:", "Done:"},
	"csd.filed":                {"Lập hồ sơ tại quầy", "Filing the dossier at the desk"},
	"csd.receipt":              {"In giấy tiếp nhận và hẹn trả kết quả (PDF)", "Print the receipt and result appointment (PDF)"},
	"csd.info":                 {"Thông tin hồ sơ", "Dossier details"},
	"csd.channel":              {"Kênh nộp", "Channel"},
	"csd.channel.online":       {"Trực tuyến", "Online"},
	"csd.channel.postal":       {"Bưu chính", "Post"},
	"csd.channel.desk":         {"Trực tiếp tại quầy", "In person at the desk"},
	"csd.originalDue":          {"hẹn ban đầu", "first due"},
	"csd.reason.supplement":    {"Lý do yêu cầu bổ sung", "Reason for the supplement request"},
	"csd.reason.suspend":       {"Lý do tạm dừng", "Reason for suspending"},
	"csd.reason.reject":        {"Lý do từ chối", "Reason for refusing"},
	"csd.reason.decision":      {"Lý do quyết định", "Reason for the decision"},
	"csd.applicant":            {"Người nộp hồ sơ", "Applicant"},
	"csd.logged":               {"Lượt xem dữ liệu cá nhân này được ghi vào nhật ký truy cập.", "This view of personal data is recorded in the access log."},
	"csd.name":                 {"Họ và tên", "Full name"},
	"csd.personalID":           {"Số định danh cá nhân", "Personal ID number"},
	"csd.enterprise":           {"Mã số doanh nghiệp", "Enterprise code"},
	"csd.phone":                {"Điện thoại", "Telephone"},
	"csd.email":                {"Thư điện tử", "Email"},
	"csd.address":              {"Địa chỉ", "Address"},
	"csd.form":                 {"Tờ khai (%d mục)", "Application form (%d entries)"},
	"csd.missing":              {"Còn thiếu thành phần bắt buộc:", "Required documents still missing:"},
	"csd.view":                 {"Xem", "View"},
	"csd.newTab":               {"(mở trong thẻ mới)", "(opens in a new tab)"},
	"csd.paper":                {"bản giấy", "on paper"},
	"csd.scan":                 {"Ảnh quét:", "Scan:"},
	"csd.sheet":                {"Phiếu kiểm soát quá trình giải quyết", "Processing control sheet"},
	"csd.sheet.region":         {"Bảng phiếu kiểm soát (cuộn ngang)", "Control sheet table (scrolls sideways)"},
	"csd.sheet.empty":          {"Hồ sơ chưa được tiếp nhận, chưa có bước xử lý.", "The dossier has not been received yet; there are no processing steps."},
	"csd.col.step":             {"Bước", "Step"},
	"csd.col.from":             {"Bàn giao từ", "Handed over by"},
	"csd.col.unit":             {"Đơn vị nhận", "Receiving unit"},
	"csd.col.handed":           {"Thời điểm giao", "Handed over"},
	"csd.col.due":              {"Hạn xử lý", "Due"},
	"csd.col.finished":         {"Hoàn thành", "Finished"},
	"csd.col.result":           {"Kết quả", "Result"},
	"csd.history":              {"Lịch sử xử lý", "History"},
	"csd.actions":              {"Thao tác có thể thực hiện", "Available actions"},
	"csd.noActions":            {"Hiện bạn không có thao tác nào với hồ sơ này.", "You have no action to take on this dossier now."},
	"csd.supplementComponents": {"Thành phần cần bổ sung (nêu đủ một lần)", "Documents to supplement (list them all at once)"},
	"csd.reason":               {"Lý do", "Reason"},
	"csd.forPayment":           {"Chờ người nộp thực hiện nghĩa vụ tài chính", "Waiting for the applicant to pay"},
	"csd.newDue":               {"Ngày hẹn trả mới", "New result date"},
	"csd.assignTo":             {"Giao cho cán bộ", "Assign to officer"},
	"csd.chooseOfficer":        {"Chọn cán bộ", "Choose an officer"},
	"csd.forwardTo":            {"Chuyển đến", "Forward to"},
	"csd.nextStep":             {"Bước tiếp theo của quy trình", "The next step of the process"},
	"csd.outcome":              {"Kết quả, ý kiến của bước", "Outcome, opinion of the step"},
	"csd.note":                 {"Ghi chú", "Note"},
	"csd.resultName":           {"Tên văn bản kết quả", "Title of the result document"},
	"csd.resultPrefix":         {"Kết quả:", "Result:"},
	"csd.electronic":           {"Kết quả điện tử (đã ký số)", "Electronic result (digitally signed)"},
	"csd.returnMethod":         {"Hình thức trả kết quả", "How the result is returned"},
	"csd.return.desk":          {"Tại Bộ phận Một cửa", "At the one-stop desk"},
	"csd.return.post":          {"Qua bưu chính", "By post"},
	"csd.return.electronic":    {"Trực tuyến (kết quả điện tử)", "Online (electronic result)"},
	"csd.confirm.text":         {"Xác nhận thực hiện «%s» đối với hồ sơ này? Thao tác được ghi vào lịch sử và không hoàn tác được.", "Confirm «%s» on this dossier? The action is recorded in the history and cannot be undone."},
	"csd.confirm":              {"Xác nhận:", "Confirm:"},
	"csd.blocked":              {"Thao tác chưa thực hiện được (%d)", "Actions not possible yet (%d)"},
	"csd.err.fields":           {"Vui lòng kiểm tra các trường được đánh dấu.", "Please check the marked fields."},
	"csd.err.stale":            {"Hồ sơ vừa được cập nhật bởi người khác trong lúc bạn đang xem. Trang đã được tải lại với thông tin mới nhất; hãy kiểm tra rồi thực hiện lại thao tác.", "Someone else updated the dossier while you were looking at it. The page now shows the latest version; check it and try the action again."},
	"csd.err.components":       {"Chọn đủ các thành phần hồ sơ cần bổ sung (chỉ được yêu cầu một lần).", "Choose every document to supplement (a supplement may be requested once only)."},
	"csd.err.supplement":       {"Nêu rõ lý do yêu cầu bổ sung.", "Give the reason for the supplement request."},
	"csd.err.reject":           {"Nêu rõ lý do từ chối tiếp nhận.", "Give the reason for refusing reception."},
	"csd.err.refuse":           {"Nêu rõ lý do từ chối giải quyết.", "Give the reason for the refusal."},
	"csd.err.suspend":          {"Nêu rõ lý do tạm dừng.", "Give the reason for suspending."},
	"csd.err.assign":           {"Chọn cán bộ được phân công.", "Choose the officer to assign."},
	"csd.err.extend":           {"Nêu rõ lý do gia hạn (nội dung văn bản xin lỗi).", "Give the reason for the extension (the text of the apology letter)."},
	"csd.err.newDue":           {"Chọn ngày hẹn trả kết quả mới.", "Choose the new result date."},
	"csd.err.resultName":       {"Nhập tên văn bản kết quả.", "Enter the title of the result document."},
	"csd.err.method":           {"Chọn hình thức trả kết quả.", "Choose how the result is returned."},
	"csd.err.badMethod":        {"Hình thức trả kết quả không hợp lệ.", "Invalid way of returning the result."},
	"csd.verdict.open":         {"Đang xử lý, trong hạn", "In progress, on time"},

	// Console: counter reception.
	"csr.chooseProc":      {"Chọn thủ tục", "Choose a procedure"},
	"csr.choose":          {"Chọn", "Choose"},
	"csr.channel":         {"Kênh tiếp nhận", "Reception channel"},
	"csr.postal":          {"Qua bưu chính công ích", "By public postal service"},
	"csr.commune":         {"Xã, phường có thẩm quyền giải quyết", "Competent commune or ward"},
	"csr.checklist":       {"Kiểm tra thành phần hồ sơ", "Document checklist"},
	"csr.checklist.hint":  {"Đánh dấu thành phần đã nhận bản giấy và chọn tệp bản quét (bản giấy phải được số hóa khi tiếp nhận).", "Tick the documents received on paper and choose their scans (paper documents must be digitized at reception)."},
	"csr.paper":           {"Đã nhận bản giấy", "Received on paper"},
	"csr.scan":            {"Bản quét (PDF, JPEG, PNG)", "Scan (PDF, JPEG, PNG)"},
	"csr.file":            {"Lập hồ sơ", "File the dossier"},
	"csr.after":           {"Sau khi lập, hồ sơ mở ra để bạn tiếp nhận (cấp mã, hẹn ngày trả) và in giấy tiếp nhận.", "Once filed, the dossier opens so that you receive it (code, result date) and print the receipt."},
	"csr.err.noProc":      {"Không có thủ tục mã %s đang áp dụng.", "No procedure with code %s is in force."},
	"csr.err.chooseProc":  {"Chọn thủ tục hành chính.", "Choose an administrative procedure."},
	"csr.err.scanNeeded":  {"Bản giấy phải được quét (số hóa) khi tiếp nhận: hãy chọn tệp bản quét.", "A paper document must be scanned (digitized) at reception: choose its scan."},
	"csr.err.notFiled":    {"Hồ sơ chưa lập được: vui lòng kiểm tra các trường được đánh dấu.", "The dossier was not filed: please check the marked fields."},
	"csa.title":           {"Hồ sơ chờ phê duyệt", "Dossiers awaiting approval"},
	"csa.results":         {"Kết quả phê duyệt: %d thành công, %d không thành công", "Approval results: %d succeeded, %d failed"},
	"csa.ok":              {"Thành công", "Succeeded"},
	"csa.failed":          {"Không thành công", "Failed"},
	"csa.waiting":         {"%d hồ sơ đang chờ quyết định", "%d dossiers awaiting a decision"},
	"csa.choose":          {"Chọn hồ sơ để phê duyệt", "Choose the dossiers to approve"},
	"csa.due":             {"hẹn trả", "due"},
	"csa.view":            {"Xem hồ sơ", "Open dossier"},
	"csa.note":            {"Ý kiến phê duyệt (ghi vào từng hồ sơ)", "Approval note (recorded on each dossier)"},
	"csa.approveSelected": {"Phê duyệt các hồ sơ đã chọn…", "Approve the selected dossiers…"},
	"csa.each":            {"Mỗi hồ sơ được phê duyệt riêng; hồ sơ nào không phê duyệt được sẽ được báo lý do.", "Each dossier is approved on its own; for any that cannot be approved, the reason is shown."},
	"csa.confirm":         {"Xác nhận phê duyệt", "Confirm the approval"},
	"csa.empty":           {"Không có hồ sơ nào chờ phê duyệt.", "No dossier is awaiting approval."},
	"csa.err.none":        {"Chưa chọn hồ sơ nào để phê duyệt.", "No dossier was selected for approval."},
	"csa.err.version":     {"Thiếu phiên bản hồ sơ; hãy tải lại trang.", "The dossier version is missing; reload the page."},
	"csa.err.stale":       {"Hồ sơ vừa được cập nhật bởi người khác; hãy mở hồ sơ để kiểm tra lại.", "Someone else just updated the dossier; open it to check again."},
	"csa.approved":        {"Đã phê duyệt.", "Approved."},

	// Console: access log.
	"csl.title": {"Nhật ký truy cập dữ liệu cá nhân", "Personal data access log"},
	// Console: notices.
	"csn.title":       {"Thông báo", "Notices"},
	"csn.lead":        {"Thông báo của các đơn vị bạn làm việc: hồ sơ trực tuyến mới, thời hạn tiếp nhận, hồ sơ và bước xử lý sắp đến hạn hoặc quá hạn. Mở trang này là đã xem.", "Notices of your units: new online dossiers, the acceptance deadline, dossiers and steps due soon or overdue. Opening this page marks them seen."},
	"csn.new":         {"Mới", "New"},
	"csn.deadline":    {"thời hạn", "deadline"},
	"csn.notReceived": {"Hồ sơ chưa tiếp nhận", "Dossier not yet received"},
	"csn.empty":       {"Chưa có thông báo nào.", "No notices yet."},
	"csn.past":        {"đã qua", "passed"},
	// Notices by kind (app.NoticeKinds).
	"csn.kind.desk.new_online_dossier": {"Có hồ sơ trực tuyến mới cần kiểm tra, tiếp nhận", "A new online dossier is waiting to be checked and received"},
	"csn.kind.desk.accept_deadline":    {"Sắp hết thời hạn 8 giờ làm việc để tiếp nhận hoặc yêu cầu bổ sung hồ sơ trực tuyến", "The 8 working hours to accept or return an online dossier are almost over"},
	"csn.kind.dossier.due_soon":        {"Hồ sơ sắp đến hạn trả kết quả", "The dossier's result is due soon"},
	"csn.kind.step.due_soon":           {"Bước xử lý sắp đến hạn", "A processing step is due soon"},
	"csn.kind.dossier.overdue":         {"Hồ sơ đã quá hạn giải quyết", "The dossier is overdue"},
	"csl.lead":                         {"Mỗi lần cán bộ xem dữ liệu cá nhân của người nộp hồ sơ đều được ghi lại.", "Every time an officer views an applicant's personal data, it is recorded."},
	"csl.filter":                       {"Lọc nhật ký", "Filter the log"},
	"csl.officerAccount":               {"Tài khoản cán bộ", "Officer account"},
	"csl.col.at":                       {"Thời điểm", "Time"},
	"csl.col.officer":                  {"Cán bộ", "Officer"},
	"csl.col.dossier":                  {"Hồ sơ", "Dossier"},
	"csl.col.what":                     {"Nội dung", "Content"},
	"csl.col.screen":                   {"Màn hình", "Screen"},
	"csl.col.request":                  {"Mã yêu cầu", "Request ID"},
	"csl.empty":                        {"Chưa có lượt truy cập nào phù hợp.", "No matching access yet."},
	"csl.personal":                     {"Xem dữ liệu cá nhân", "Viewed personal data"},

	// Online submission.
	"submit.title":           {"Nộp hồ sơ: %s", "Submit: %s"},
	"submit.back":            {"Thông tin thủ tục", "About the procedure"},
	"submit.notOnline":       {"Thủ tục này chưa được nộp trực tuyến. Vui lòng nộp hồ sơ trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính công ích.", "This procedure cannot be submitted online yet. Please submit the dossier in person at a one-stop desk or by public postal service."},
	"submit.errors":          {"Hồ sơ chưa được nộp. Vui lòng sửa các mục sau:", "The dossier was not submitted. Please correct the following:"},
	"submit.required.before": {"Các mục có dấu", "Entries marked"},
	"submit.required.after":  {"là bắt buộc.", "are required."},
	"submit.where":           {"Nơi giải quyết", "Where it is handled"},
	"submit.commune":         {"Xã, phường giải quyết hồ sơ", "Commune or ward handling the dossier"},
	"submit.commune.hint":    {"Xã, phường nơi bạn cư trú hoặc nơi có đối tượng của thủ tục.", "The commune or ward where you live or where the subject of the procedure is."},
	"submit.chooseCommune":   {"Chọn xã, phường", "Choose a commune or ward"},
	"submit.form":            {"Tờ khai", "Application form"},
	"submit.documents":       {"Giấy tờ kèm theo", "Attached documents"},
	"submit.fileTypes":       {"Tệp PDF, JPG, PNG, DOCX hoặc XLSX.", "PDF, JPG, PNG, DOCX or XLSX files."},
	"submit.copies":          {"%d bản", "%d copies"},
	"submit.uploaded":        {"Đã tải lên:", "Uploaded:"},
	"submit.reuse":           {"Dùng lại giấy tờ đã nộp trong hồ sơ trước", "Reuse a document from an earlier dossier"},
	"submit.reuseDossier":    {"hồ sơ", "dossier"},
	"submit.noReuse":         {"Không dùng lại", "Do not reuse"},
	"submit.chooseFile":      {"Chọn tệp cho", "Choose files for"},
	"submit.feeCaption":      {"Phí, lệ phí phải nộp", "Fees and charges to pay"},
	"submit.feeItem":         {"Khoản", "Item"},
	"submit.amount":          {"Số tiền", "Amount"},
	"submit.total":           {"Tổng cộng", "Total"},
	"submit.estimate":        {"Tạm tính với 1 bản; số tiền được tính lại theo số bản, số trang bạn khai.", "Estimated for 1 copy; the amount is computed again from the copies and pages you declare."},
	"submit.feeNote":         {"Mức phí áp dụng cho hồ sơ nộp trực tuyến; nộp khi Bộ phận Một cửa tiếp nhận hồ sơ.", "Fees for dossiers submitted online; paid when the one-stop desk receives the dossier."},
	"submit.send":            {"Nộp hồ sơ", "Submit the dossier"},
	"submit.err.fee":         {"Chưa tính được phí, lệ phí; cán bộ một cửa sẽ thông báo khi tiếp nhận.", "The fees cannot be computed yet; the one-stop desk will tell you at reception."},
	"submit.err.reuse":       {"Giấy tờ chọn dùng lại không còn trong hồ sơ của bạn; vui lòng tải lên tệp.", "The document chosen for reuse is no longer among your documents; please upload a file."},
	"submit.err.missing":     {"Chưa đính kèm «%s».", "«%s» is not attached."},
	"submit.err.commune":     {"Hãy chọn xã, phường giải quyết hồ sơ.", "Choose the commune or ward handling the dossier."},

	// Generated form.
	"fg.choose":     {"Chọn", "Choose"},
	"fg.err.int":    {"%s phải là số nguyên.", "%s must be a whole number."},
	"fg.err.number": {"%s phải là số.", "%s must be a number."},

	// Working calendar.
	"cal.pageTitle":      {"Lịch làm việc năm %d", "Working calendar %d"},
	"cal.title":          {"Lịch làm việc của cơ quan hành chính năm %d", "Working calendar of the administrative agencies, %d"},
	"cal.official":       {"Theo thông báo chính thức của năm.", "As officially announced for the year."},
	"cal.computed":       {"Chưa có thông báo chính thức; lịch được tính theo quy định (Bộ luật Lao động 2019 và âm lịch Việt Nam).", "No official announcement yet; the calendar is computed from the rules (Labour Code 2019 and the Vietnamese lunar calendar)."},
	"cal.workingDays":    {"Thời hạn giải quyết hồ sơ chỉ tính ngày làm việc.", "Processing times count working days only."},
	"cal.year":           {"Năm", "Year"},
	"cal.days":           {"Ngày nghỉ và ngày làm bù", "Days off and make-up working days"},
	"cal.legend":         {"Chú thích", "Legend"},
	"cal.mark.holiday":   {"Lễ", "Hol."},
	"cal.mark.off":       {"Nghỉ", "Off"},
	"cal.mark.work":      {"Làm bù", "Work"},
	"cal.kind.holiday":   {"Ngày lễ, Tết (nghỉ)", "Public holiday (off)"},
	"cal.kind.dayOff":    {"Nghỉ bù, hoán đổi", "Compensatory or swapped day off"},
	"cal.kind.work":      {"Làm việc bù", "Make-up working day"},
	"cal.legend.work":    {"Thứ Bảy, Chủ nhật làm việc bù", "Saturday or Sunday worked to make up"},
	"cal.legend.weekend": {"Nghỉ cuối tuần", "Weekend"},
	"cal.mon":            {"T2", "Mo"},
	"cal.tue":            {"T3", "Tu"},
	"cal.wed":            {"T4", "We"},
	"cal.thu":            {"T5", "Th"},
	"cal.fri":            {"T6", "Fr"},
	"cal.sat":            {"T7", "Sa"},
	"cal.sun":            {"CN", "Su"},
	"cal.col.date":       {"Ngày", "Date"},
	"cal.col.kind":       {"Loại", "Kind"},
	"cal.col.name":       {"Tên", "Name"},
	"cal.none":           {"Không có.", "None."},
	"cal.day.working":    {"ngày làm việc", "working day"},
	"cal.day.holiday":    {"ngày lễ, Tết, nghỉ", "public holiday, off"},
	"cal.day.off":        {"nghỉ bù, hoán đổi", "compensatory or swapped day off"},
	"cal.day.work":       {"làm việc bù", "make-up working day"},
	"cal.day.weekend":    {"nghỉ cuối tuần", "weekend"},
}

// actionLabelsEN are the console's actions in English (app.ActionLabelVI in Vietnamese).
var actionLabelsEN = map[string]string{
	"receive":            "Receive the dossier",
	"request-supplement": "Request a supplement",
	"supplement":         "Supplement the dossier",
	"reject":             "Refuse reception",
	"assign":             "Assign an officer",
	"forward":            "Forward to the next step",
	"complete-step":      "Complete the step",
	"suspend":            "Suspend",
	"resume":             "Resume processing",
	"extend":             "Extend (with a letter of apology)",
	"approve":            "Approve",
	"refuse":             "Refuse",
	"issue-result":       "Issue the result",
	"return-result":      "Return the result",
	"withdraw":           "Withdraw the dossier",
	"rate":               "Rate",
}

// actionLabel names a console action in lang.
func actionLabel(lang, action string) string {
	if lang == langEN {
		if l, ok := actionLabelsEN[action]; ok {
			return l
		}
	}
	return app.ActionLabelVI(action)
}

// errMessage is an app error's message in lang.
func errMessage(lang string, e *app.Error) string {
	if lang == langEN && e.MessageEN != "" {
		return e.MessageEN
	}
	return e.MessageVI
}

// csEvent names an event of the console's timeline in lang.
func csEvent(lang, t string) string {
	if lang == langEN {
		if s, ok := eventLabelsEN[t]; ok {
			return s
		}
		return t
	}
	return csEventVI(t)
}

// csVerdict names a timeliness verdict as the control sheet prints it, with its badge colour.
func csVerdict(lang string, t dossier.Timeliness) (string, string) {
	switch t {
	case dossier.Early:
		return tr(lang, "verdict.early"), "ok"
	case dossier.OnTime:
		return tr(lang, "verdict.onTime"), "ok"
	case dossier.Late:
		return tr(lang, "verdict.late"), "bad"
	case dossier.OpenOnTime:
		return tr(lang, "csd.verdict.open"), ""
	case dossier.Overdue:
		return tr(lang, "due.bad"), "bad"
	}
	return tr(lang, "dossier.step.open"), ""
}
