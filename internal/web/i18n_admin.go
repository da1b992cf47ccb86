package web

import (
	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/org"
)

// The English of the administration console (admin_*.html), the counters' screens
// (kiosk_*.html) and the index pages (index_*.html). The data these pages show stays as it is:
// unit and procedure names, the indicators of Quyết định 766/QĐ-TTg, the service areas of the
// ticket machine, the audit log's details and the per-field messages of package app.

func init() {
	for k, v := range adminMessages {
		messages[k] = v
	}
}

// adminPick returns m in lang (Vietnamese unless lang is English).
func adminPick(lang string, m msg) string {
	if lang == langEN {
		return m.en
	}
	return m.vi
}

// adminRoleNamesEN are the officers' roles in English (org.Role.Label names them in Vietnamese).
var adminRoleNamesEN = map[org.Role]string{
	org.RoleDesk:       "One-stop desk officer",
	org.RoleSpecialist: "Processing specialist",
	org.RoleLeader:     "Approving leader",
	org.RoleUnitAdmin:  "Unit administrator",
	org.RoleAdmin:      "System administrator",
	org.RoleInspector:  "Inspector",
}

// adminRoleLabel names an officer's role in lang.
func adminRoleLabel(lang string, r org.Role) string {
	if lang == langEN {
		if n, ok := adminRoleNamesEN[r]; ok {
			return n
		}
	}
	return r.Label()
}

// kioskMessage is the message of a classified error in lang; English falls back to
// Vietnamese when the error has no English message.
func kioskMessage(lang string, sf safe) string {
	if lang == langEN && sf.MessageEN != "" {
		return sf.MessageEN
	}
	return sf.MessageVI
}

// kioskAreasEN are the ticket machine's service areas in English, by key (name, hint).
var kioskAreasEN = map[string][2]string{
	"A": {"Submit a dossier", "Reception of administrative dossiers"},
	"B": {"Collect a result", "Results of dossiers handed back"},
	"C": {"Guidance and advice", "Questions about procedures, look-ups, help with forms"},
	"U": {"Priority", "Older people, people with disabilities, pregnant women"},
}

// kioskAreas are app.ServiceAreas in lang.
func kioskAreas(lang string) []app.ServiceArea {
	out := make([]app.ServiceArea, len(app.ServiceAreas))
	for i, a := range app.ServiceAreas {
		out[i], _ = kioskArea(lang, a.Key)
	}
	return out
}

// kioskArea is the service area key in lang.
func kioskArea(lang, key string) (app.ServiceArea, bool) {
	a, ok := app.ServiceAreaOf(key)
	if ok && lang == langEN {
		if en, found := kioskAreasEN[key]; found {
			a.Name, a.Hint = en[0], en[1]
		}
	}
	return a, ok
}

// indexVerdict names the end-of-period verdict of a dossier in a drill-down list.
func indexVerdict(lang string, t dossier.Timeliness) string {
	switch t {
	case dossier.Early:
		return tr(lang, "verdict.early")
	case dossier.OnTime:
		return tr(lang, "verdict.onTime")
	case dossier.Late:
		return tr(lang, "due.bad")
	case dossier.OpenOnTime:
		return tr(lang, "index.verdict.openOnTime")
	case dossier.Overdue:
		return tr(lang, "index.verdict.openOverdue")
	}
	return string(t)
}

// adminMessages are this area's messages; keys start with admin., kiosk. or index.
var adminMessages = map[string]msg{
	// Administration: shared words and navigation.
	"admin.nav":            {"Quản trị", "Administration"},
	"admin.nav.units":      {"Đơn vị, bộ phận một cửa", "Units and one-stop desks"},
	"admin.nav.officers":   {"Cán bộ", "Officers"},
	"admin.nav.audit":      {"Nhật ký thay đổi", "Change log"},
	"admin.nav.calendar":   {"Lịch làm việc", "Working calendar"},
	"admin.nav.procedures": {"Thủ tục hành chính", "Administrative procedures"},
	"admin.nav.sync":       {"Đồng bộ Cổng DVC quốc gia", "National portal sync"},
	"admin.all":            {"Tất cả", "All"},
	"admin.filter":         {"Lọc", "Filter"},
	"admin.unit":           {"Đơn vị", "Unit"},
	"admin.validity":       {"Hiệu lực", "Valid"},
	"admin.from":           {"từ", "from"},
	"admin.to":             {"đến", "to"},
	"admin.or":             {"hoặc", "or"},
	"admin.choose":         {"Chọn", "Choose"},
	"admin.errorWord":      {"lỗi", "error"},

	// Notices after a successful form.
	"admin.ok.notice":         {"Đã lưu thông báo lịch làm việc. Thời hạn giải quyết hồ sơ mới được tính theo lịch này.", "The working-calendar notice is saved. New dossiers' time limits are counted with this calendar."},
	"admin.ok.sessions":       {"Đã lưu giờ làm việc của bộ phận một cửa.", "The one-stop desk's working hours are saved."},
	"admin.ok.created":        {"Đã tạo tài khoản cán bộ.", "The officer's account is created."},
	"admin.ok.role":           {"Đã cập nhật vai trò.", "The roles are updated."},
	"admin.ok.disabled":       {"Đã khóa tài khoản và kết thúc mọi phiên đăng nhập của cán bộ.", "The account is locked and all of the officer's sessions have ended."},
	"admin.ok.enabled":        {"Đã mở khóa tài khoản.", "The account is unlocked."},
	"admin.ok.retry":          {"Tin sẽ được gửi lại trong vài giây.", "The message will be sent again within seconds."},
	"admin.ok.imported":       {"Đã nhập danh mục thủ tục hành chính.", "The procedure catalog is imported."},
	"admin.ok.importedCounts": {"Đã nhập danh mục: %s thủ tục mới, %s thủ tục có phiên bản mới, %s thủ tục không đổi.", "Catalog imported: %s new procedures, %s procedures with a new version, %s unchanged."},
	"admin.ok.totp":           {"Đã cấp mã xác thực hai lớp mới; các phiên đăng nhập của cán bộ đã kết thúc.", "A new two-factor secret is issued; the officer's sessions have ended."},

	// Home.
	"admin.home.title":  {"Quản trị hệ thống", "System administration"},
	"admin.home.system": {"Cấu hình toàn tỉnh: lịch làm việc, đơn vị, cán bộ và danh mục thủ tục hành chính.", "Province-wide settings: working calendar, units, officers and the procedure catalog."},
	"admin.home.unit":   {"Quản trị đơn vị: bộ phận một cửa và cán bộ của đơn vị bạn.", "Unit administration: your unit's one-stop desk and officers."},
	"admin.home.audit":  {"Mọi thay đổi đều được ghi vào nhật ký: ai thay đổi, lúc nào, thay đổi gì.", "Every change is logged: who changed what, and when."},

	// Calendar.
	"admin.cal.title":        {"Lịch làm việc năm", "Working calendar"},
	"admin.cal.year":         {"Năm", "Year"},
	"admin.cal.official":     {"có thông báo chính thức; thông báo thay thế quy tắc tính sẵn cho cả năm.", "has an official notice; it replaces the computed rules for the whole year."},
	"admin.cal.computed":     {"chưa có thông báo chính thức: lịch được tính theo quy định (Bộ luật Lao động 2019 và âm lịch Việt Nam).", "has no official notice yet: the calendar is computed from the rules (Labour Code 2019 and the Vietnamese lunar calendar)."},
	"admin.cal.sessions":     {"Giờ làm việc của tỉnh:", "The province's working hours:"},
	"admin.cal.years":        {"Các năm đã có thông báo", "Years with a notice"},
	"admin.cal.noYears":      {"Chưa có năm nào.", "None yet."},
	"admin.cal.days":         {"Ngày nghỉ và ngày làm bù năm", "Days off and make-up working days,"},
	"admin.cal.form":         {"Thêm hoặc thay thế thông báo của một năm", "Add or replace a year's notice"},
	"admin.cal.format":       {"Định dạng như các tệp data/calendar/NĂM.json:", "Same format as the files data/calendar/YEAR.json:"},
	"admin.cal.weekend":      {"chỉ thứ Bảy, Chủ nhật", "Saturdays and Sundays only"},
	"admin.cal.refused":      {"Thông báo có lỗi sẽ không được lưu và lịch không thay đổi.", "A notice with errors is not saved and the calendar does not change."},
	"admin.cal.text":         {"Nội dung thông báo (JSON)", "Notice (JSON)"},
	"admin.cal.file":         {"Hoặc chọn tệp .json", "Or choose a .json file"},
	"admin.cal.save":         {"Lưu thông báo", "Save the notice"},
	"admin.cal.err.empty":    {"Dán nội dung thông báo (JSON) hoặc chọn tệp .json.", "Paste the notice (JSON) or choose a .json file."},
	"admin.cal.err.large":    {"Tệp thông báo quá lớn (tối đa 256 KB).", "The notice file is too large (256 KB at most)."},
	"admin.cal.err.notSaved": {"Thông báo chưa được lưu; lịch làm việc không thay đổi.", "The notice is not saved; the working calendar has not changed."},
	"admin.cal.err.title":    {"Lịch làm việc — lỗi", "Working calendar — error"},

	// Units.
	"admin.units.title":        {"Đơn vị và bộ phận một cửa", "Units and one-stop desks"},
	"admin.units.lead":         {"Cây đơn vị theo cấp trực thuộc, với mã định danh và thời gian hiệu lực. Danh mục đơn vị được cập nhật bằng lệnh", "The units as a tree by parent, with identifiers and validity. The unit list is updated with the command"},
	"admin.units.caption":      {"Danh sách đơn vị, theo cấp trực thuộc", "Units, by parent"},
	"admin.units.kind":         {"Loại", "Kind"},
	"admin.units.identifier":   {"Mã định danh", "Identifier"},
	"admin.units.desk":         {"Một cửa", "One-stop desk"},
	"admin.units.empty":        {"Không có đơn vị nào bạn được quản trị.", "You administer no unit."},
	"admin.unit.back":          {"Danh sách đơn vị", "All units"},
	"admin.unit.kind":          {"Loại đơn vị", "Kind of unit"},
	"admin.unit.key":           {"Mã trong hệ thống", "Key in the system"},
	"admin.unit.parent":        {"Trực thuộc", "Part of"},
	"admin.unit.unlimited":     {"không giới hạn", "without limit"},
	"admin.unit.predecessors":  {"Hình thành từ", "Formed from"},
	"admin.unit.part":          {"một phần", "in part"},
	"admin.unit.desk":          {"Bộ phận một cửa", "One-stop desk"},
	"admin.unit.hours":         {"Giờ tiếp nhận hồ sơ", "Opening hours"},
	"admin.unit.sessions":      {"Giờ làm việc tính thời hạn giải quyết", "Working hours counted for time limits"},
	"admin.unit.own":           {"Bộ phận này có giờ làm việc riêng:", "This desk has its own working hours:"},
	"admin.unit.province":      {"Theo giờ làm việc của tỉnh:", "The province's working hours:"},
	"admin.unit.sessions.text": {"Thời hạn của hồ sơ tiếp nhận tại đây được tính theo giờ làm việc này (mỗi ngày làm việc đúng 8 giờ).", "The time limits of dossiers received here are counted in these hours (each working day is exactly 8 hours)."},
	"admin.unit.sessionsField": {"Các buổi làm việc", "Working sessions"},
	"admin.unit.sessions.hint": {"Ví dụ: 07:00-11:00,13:30-17:30. Để trống để dùng giờ của tỉnh.", "For example: 07:00-11:00,13:30-17:30. Leave empty to use the province's hours."},
	"admin.unit.save":          {"Lưu giờ làm việc", "Save the working hours"},
	"admin.unit.reset":         {"Dùng giờ của tỉnh", "Use the province's hours"},
	"admin.unit.officers":      {"Cán bộ của đơn vị", "The unit's officers"},
	"admin.unit.manage":        {"Quản lý cán bộ của đơn vị", "Manage the unit's officers"},
	"admin.unit.roles":         {"Vai trò tại đơn vị", "Roles in the unit"},
	"admin.unit.noOfficers":    {"Chưa có cán bộ.", "No officers yet."},
	"admin.unit.children":      {"Đơn vị trực thuộc", "Subordinate units"},
	"admin.unit.notSaved":      {"Giờ làm việc chưa được lưu.", "The working hours are not saved."},

	// Officers.
	"admin.off.title":          {"Cán bộ", "Officers"},
	"admin.off.errTitle":       {"Cán bộ — lỗi", "Officers — error"},
	"admin.off.enrol":          {"Mã xác thực hai lớp của", "Two-factor secret of"},
	"admin.off.enrol.text":     {"Trao mã này cho cán bộ để thêm vào ứng dụng xác thực (Google Authenticator, Microsoft Authenticator…).", "Give this secret to the officer to add to an authenticator app (Google Authenticator, Microsoft Authenticator…)."},
	"admin.off.enrol.once":     {"Mã chỉ hiển thị một lần.", "It is shown only once."},
	"admin.off.secret":         {"Khóa bí mật", "Secret key"},
	"admin.off.otpauth":        {"Địa chỉ otpauth", "otpauth address"},
	"admin.off.status":         {"Trạng thái", "Status"},
	"admin.off.locked":         {"Đã khóa", "Locked"},
	"admin.off.active":         {"Hoạt động", "Active"},
	"admin.off.totp":           {"Xác thực hai lớp", "Two-factor authentication"},
	"admin.off.totp.set":       {"đã thiết lập", "set up"},
	"admin.off.totp.unset":     {"chưa thiết lập", "not set up"},
	"admin.off.roles":          {"Vai trò", "Roles"},
	"admin.off.role":           {"Vai trò", "Role"},
	"admin.off.removeRole":     {"Bỏ vai trò", "Remove role"},
	"admin.off.at":             {"tại", "at"},
	"admin.off.noRoles":        {"Chưa có vai trò nào.", "No roles yet."},
	"admin.off.addRole":        {"Thêm vai trò", "Add a role"},
	"admin.off.atUnit":         {"tại đơn vị", "in the unit"},
	"admin.off.unlock":         {"Mở khóa tài khoản", "Unlock the account"},
	"admin.off.lock":           {"Khóa tài khoản", "Lock the account"},
	"admin.off.reissue":        {"Cấp lại mã xác thực hai lớp", "Issue a new two-factor secret"},
	"admin.off.lock.hint":      {"Khóa tài khoản kết thúc ngay mọi phiên đăng nhập của cán bộ.", "Locking the account ends all of the officer's sessions at once."},
	"admin.off.roleNotChanged": {"Vai trò chưa được thay đổi.", "The roles have not changed."},
	"admin.off.list":           {"Danh sách cán bộ", "Officers"},
	"admin.off.q":              {"Tên hoặc tên đăng nhập", "Name or user name"},
	"admin.off.officer":        {"Cán bộ", "Officer"},
	"admin.off.rolesByUnit":    {"Vai trò theo đơn vị", "Roles by unit"},
	"admin.off.empty":          {"Không có cán bộ nào.", "No officers."},
	"admin.off.new":            {"Tạo tài khoản cán bộ", "Create an officer account"},
	"admin.off.name":           {"Họ và tên", "Full name"},
	"admin.off.password":       {"Mật khẩu ban đầu", "Initial password"},
	"admin.off.password.hint":  {"Ít nhất 10 ký tự. Cán bộ nên đổi mật khẩu sau lần đăng nhập đầu.", "At least 10 characters. The officer should change it after the first sign-in."},
	"admin.off.create":         {"Tạo tài khoản", "Create the account"},

	// Audit log.
	"admin.audit.title":       {"Nhật ký thay đổi", "Change log"},
	"admin.sync.title":        {"Đồng bộ với Cổng Dịch vụ công quốc gia", "Synchronization with the National Public Service Portal"},
	"admin.sync.lead":         {"Mọi thay đổi trạng thái hồ sơ được gửi lên Cổng Dịch vụ công quốc gia theo thứ tự; một tin chưa gửi được sẽ giữ lại các tin sau của cùng hồ sơ. Tin bị từ chối được gửi lại sau mỗi giờ, tin lỗi tạm thời sau 30 giây đến 30 phút.", "Every status change of a dossier is sent to the National Public Service Portal in order; a message not yet delivered holds back the later ones of its dossier. A refused message is retried hourly, a temporary failure after 30 seconds to 30 minutes."},
	"admin.sync.lag":          {"Tin chưa gửi lâu nhất đã chờ", "Oldest unsent message has waited"},
	"admin.sync.none":         {"không có tin nào đang chờ", "no message is waiting"},
	"admin.sync.problems":     {"Tin chưa gửi được", "Messages not delivered"},
	"admin.sync.dossier":      {"Hồ sơ", "Dossier"},
	"admin.sync.event":        {"Sự kiện", "Event"},
	"admin.sync.attempts":     {"Số lần gửi", "Attempts"},
	"admin.sync.error":        {"Lỗi lần gần nhất", "Last error"},
	"admin.sync.next":         {"Gửi lại lúc", "Next attempt"},
	"admin.sync.empty":        {"Không có tin nào bị lỗi.", "No message has failed."},
	"admin.sync.action":       {"Thao tác", "Action"},
	"admin.sync.retry":        {"Gửi lại ngay", "Send again now"},
	"admin.audit.lead":        {"Mọi thay đổi cấu hình: ai, lúc nào, thay đổi gì. Mới nhất ở trên.", "Every configuration change: who, when, what. Newest first."},
	"admin.audit.kind":        {"Loại đối tượng", "Kind of object"},
	"admin.audit.key":         {"Mã đối tượng", "Object key"},
	"admin.audit.placeholder": {"vd. xa-tan-cuong.desk, 2026", "e.g. xa-tan-cuong.desk, 2026"},
	"admin.audit.at":          {"Thời điểm", "Time"},
	"admin.audit.actor":       {"Người thực hiện", "By"},
	"admin.audit.action":      {"Thao tác", "Action"},
	"admin.audit.object":      {"Đối tượng", "Object"},
	"admin.audit.detail":      {"Chi tiết", "Details"},
	"admin.audit.empty":       {"Không có mục nào.", "No entries."},
	"admin.audit.older":       {"Cũ hơn", "Older"},

	// Procedures.
	"admin.procs.title":       {"Thủ tục hành chính", "Administrative procedures"},
	"admin.procs.lead":        {"Danh mục đang công bố. Nhập tệp để công bố phiên bản mới: thủ tục thay đổi được tạo phiên bản mới, hồ sơ đã nộp vẫn giữ phiên bản cũ.", "The published catalog. Import a file to publish new versions: a changed procedure gets a new version; dossiers already submitted keep theirs."},
	"admin.procs.io":          {"Nhập và xuất danh mục", "Import and export"},
	"admin.procs.exportJSON":  {"Xuất JSON", "Export JSON"},
	"admin.procs.exportXLSX":  {"Xuất Excel (.xlsx)", "Export Excel (.xlsx)"},
	"admin.procs.file":        {"Tệp danh mục (.json theo định dạng motcua.procedures/v1, hoặc .xlsx)", "Catalog file (.json in the motcua.procedures/v1 format, or .xlsx)"},
	"admin.procs.import":      {"Nhập danh mục", "Import the catalog"},
	"admin.procs.problems":    {"Các lỗi trong tệp", "Errors in the file"},
	"admin.procs.row":         {"Dòng", "Row"},
	"admin.procs.sheet":       {"Trang tính", "Sheet"},
	"admin.procs.field":       {"Trường", "Field"},
	"admin.procs.error":       {"Lỗi", "Error"},
	"admin.procs.published":   {"Đang công bố", "Published"},
	"admin.procs.q":           {"Tìm thủ tục (không cần dấu)", "Find a procedure (Vietnamese, diacritics optional)"},
	"admin.procs.name":        {"Tên thủ tục", "Procedure"},
	"admin.procs.empty":       {"Không có thủ tục nào.", "No procedures."},
	"admin.procs.err.noFile":  {"Chọn tệp danh mục thủ tục (.json hoặc .xlsx) để nhập.", "Choose a catalog file (.json or .xlsx) to import."},
	"admin.procs.err.refused": {"Không có thủ tục nào được nhập: tệp bị từ chối toàn bộ.", "Nothing was imported: the whole file is refused."},
	"admin.procs.err.title":   {"Thủ tục hành chính — lỗi nhập", "Administrative procedures — import error"},
	"admin.proc.back":         {"Danh mục thủ tục", "Procedure catalog"},
	"admin.proc.public":       {"Trang công khai", "Public page"},
	"admin.proc.time":         {"Thời hạn:", "Time limit:"},
	"admin.proc.versions":     {"Các phiên bản", "Versions"},
	"admin.proc.version":      {"Phiên bản", "Version"},
	"admin.proc.createdBy":    {"Tạo bởi", "Created by"},
	"admin.proc.compareFrom":  {"So sánh từ phiên bản", "Compare version"},
	"admin.proc.compareTo":    {"đến phiên bản", "with version"},
	"admin.proc.compare":      {"So sánh", "Compare"},
	"admin.proc.changes":      {"Thay đổi từ phiên bản", "Changes from version"},
	"admin.proc.changesTo":    {"đến phiên bản", "to version"},
	"admin.proc.change":       {"Thay đổi", "Change"},
	"admin.proc.before":       {"Trước", "Before"},
	"admin.proc.after":        {"Sau", "After"},
	"admin.proc.noChanges":    {"Không có thay đổi về thành phần hồ sơ, thời hạn, phí hay quy trình.", "No change in documents, time limit, fees or steps."},
	"admin.proc.oneVersion":   {"Thủ tục mới có một phiên bản.", "The procedure has one version only."},
	"admin.proc.routing":      {"Nơi xử lý theo bộ phận tiếp nhận", "Where it is handled, by receiving desk"},
	"admin.proc.routing.text": {"Tiếp nhận không phụ thuộc địa giới hành chính: bất kỳ bộ phận một cửa nào cũng nhận hồ sơ của thủ tục này; hệ thống chuyển hồ sơ đến cơ quan có thẩm quyền.", "Reception ignores administrative boundaries: any one-stop desk receives this procedure's dossiers, and the system forwards them to the competent authority."},
	"admin.proc.desk":         {"Bộ phận một cửa tiếp nhận", "Receiving one-stop desk"},
	"admin.proc.commune":      {"Xã có thẩm quyền giải quyết", "Competent commune"},
	"admin.proc.deskCommune":  {"Xã của bộ phận tiếp nhận", "The receiving desk's commune"},
	"admin.proc.show":         {"Xem nơi xử lý", "Show the routing"},
	"admin.proc.step":         {"Bước", "Step"},
	"admin.proc.task":         {"Công việc", "Task"},
	"admin.proc.unit":         {"Đơn vị xử lý", "Handling unit"},
	"admin.proc.share":        {"Thời gian", "Time"},
	"admin.proc.routingError": {"Không xác định được nơi xử lý với lựa chọn này: chọn bộ phận một cửa và xã có thẩm quyền hợp lệ.", "No routing for this choice: choose a valid one-stop desk and competent commune."},
	"admin.share.days":        {"%d ngày làm việc", "%d working days"},
	"admin.share.hours":       {"%d giờ", "%d h"},
	"admin.share.minutes":     {"%d phút", "%d min"},

	// Counters' screens.
	"kiosk.service":             {"Dịch vụ", "Service"},
	"kiosk.desk":                {"Bộ phận một cửa", "One-stop desk"},
	"kiosk.serving":             {"Đang phục vụ", "Now serving"},
	"kiosk.toCounter":           {"đến quầy", "to counter"},
	"kiosk.back":                {"Quay lại", "Back"},
	"kiosk.ticket.title":        {"Lấy số thứ tự", "Take a number"},
	"kiosk.ticket.pick":         {"Chạm vào dịch vụ bạn cần.", "Touch the service you need."},
	"kiosk.ticket.yours":        {"Số thứ tự của bạn", "Your number"},
	"kiosk.ticket.where":        {"Nơi phục vụ", "Served at"},
	"kiosk.ticket.issued":       {"Lấy số lúc", "Taken at"},
	"kiosk.ticket.ahead":        {"Số người chờ trước bạn", "People waiting before you"},
	"kiosk.ticket.watch":        {"Vui lòng theo dõi màn hình và loa gọi số.", "Please watch the screen and listen for your number."},
	"kiosk.ticket.print":        {"In phiếu", "Print the ticket"},
	"kiosk.ticket.done":         {"Xong", "Done"},
	"kiosk.board.calling":       {"Mời số", "Now calling"},
	"kiosk.board.none":          {"Chưa gọi số nào.", "No number called yet."},
	"kiosk.board.waiting":       {"Số người đang chờ", "People waiting"},
	"kiosk.counter.title":       {"Gọi số tại quầy", "Call numbers at the counter"},
	"kiosk.counter.board":       {"Màn hình “Đang phục vụ”", "“Now serving” screen"},
	"kiosk.counter.machine":     {"Máy lấy số", "Ticket machine"},
	"kiosk.counter.choose":      {"Chọn", "Choose"},
	"kiosk.counter.called":      {"Đã gọi số", "Called number"},
	"kiosk.counter.number":      {"Số quầy của bạn", "Your counter number"},
	"kiosk.counter.allAreas":    {"Tất cả (ưu tiên trước)", "All (priority first)"},
	"kiosk.counter.next":        {"Gọi số tiếp theo", "Call the next number"},
	"kiosk.counter.ticket":      {"Số", "Number"},
	"kiosk.counter.counter":     {"Quầy", "Counter"},
	"kiosk.counter.calledAt":    {"Gọi lúc", "Called at"},
	"kiosk.counter.actions":     {"Thao tác", "Actions"},
	"kiosk.counter.recalls":     {"số lần gọi lại:", "recalled:"},
	"kiosk.counter.recall":      {"Gọi lại", "Call again"},
	"kiosk.counter.served":      {"Đã phục vụ", "Served"},
	"kiosk.counter.noShow":      {"Vắng mặt", "Absent"},
	"kiosk.counter.noneServing": {"Chưa có số nào đang được phục vụ.", "No number is being served."},
	"kiosk.counter.waiting":     {"Đang chờ", "Waiting"},
	"kiosk.counter.upNext":      {"Tiếp theo:", "Next:"},
	"kiosk.rating.title":        {"Đánh giá mức độ hài lòng", "Rate your satisfaction"},
	"kiosk.rating.pick":         {"Chạm vào hồ sơ bạn vừa nhận kết quả.", "Touch the dossier whose result you have just received."},
	"kiosk.rating.empty":        {"Chưa có hồ sơ nào được trả kết quả tại quầy trong một giờ qua.", "No result has been returned at this desk in the last hour."},
	"kiosk.rating.question":     {"Bạn có hài lòng với việc giải quyết hồ sơ?", "Are you satisfied with how your dossier was handled?"},
	"kiosk.rating.comment":      {"Góp ý thêm (không bắt buộc)", "Comments (optional)"},
	"kiosk.rating.touch":        {"Chạm vào một mức đánh giá", "Touch a rating"},
	"kiosk.rating.notMine":      {"Không phải hồ sơ của tôi — quay lại danh sách", "Not my dossier — back to the list"},
	"kiosk.rating.thanks":       {"Cảm ơn bạn đã đánh giá!", "Thank you for your rating!"},
	"kiosk.rating.helps":        {"Ý kiến của bạn giúp đơn vị phục vụ tốt hơn:", "Your opinion helps to serve you better:"},

	// Index pages: shared words.
	"index.table":               {"Bảng số liệu, cuộn ngang để xem hết", "Data table, scroll sideways to see all of it"},
	"index.unit":                {"Đơn vị", "Unit"},
	"index.total":               {"Tổng điểm", "Total score"},
	"index.max":                 {"Điểm tối đa", "Maximum"},
	"index.points":              {"Điểm", "Score"},
	"index.pointsWord":          {"điểm", "points"},
	"index.no":                  {"Số", "No."},
	"index.indicator":           {"Chỉ số và cách tính", "Indicator and formula"},
	"index.numerator":           {"Tử số", "Numerator"},
	"index.denominator":         {"Mẫu số", "Denominator"},
	"index.rate":                {"Tỷ lệ", "Rate"},
	"index.rank":                {"Hạng", "Rank"},
	"index.rankWord":            {"hạng", "rank"},
	"index.groups":              {"Điểm theo nhóm chỉ số", "Score by group of indicators"},
	"index.crumb":               {"Bộ chỉ số", "Service index"},
	"index.movement":            {"Tình hình giải quyết hồ sơ", "Dossier handling"},
	"index.excel":               {"Tải báo cáo Excel", "Download the Excel report"},
	"index.pdf":                 {"Tải PDF Bộ chỉ số", "Download the index as PDF"},
	"index.noData":              {"Chưa có dữ liệu.", "No data yet."},
	"index.days":                {"ngày", "days"},
	"index.monitored":           {"Theo dõi", "Monitored"},
	"index.notScored":           {"Không tính điểm", "Not scored"},
	"index.group.province":      {"Tỉnh", "Province"},
	"index.group.agencies":      {"Sở, ban, ngành", "Provincial departments"},
	"index.group.communes":      {"Xã, phường", "Communes and wards"},
	"index.chart.groups":        {"Mỗi thanh là điểm đạt được của một nhóm so với điểm tối đa của nhóm; số liệu chi tiết ở bảng bên dưới.", "Each bar is a group's score against the group's maximum; the figures are in the table below."},
	"index.chart.trend":         {"Mỗi thanh là tổng điểm của một tháng trên thang 100 điểm; bảng số liệu ở ngay dưới biểu đồ.", "Each bar is a month's total score out of 100; the figures are in the table just below the chart."},
	"index.chart.trendTitle":    {"Tổng điểm theo tháng năm %d — %s", "Total score by month, %d — %s"},
	"index.verdict.openOnTime":  {"Đang giải quyết, trong hạn", "In progress, on time"},
	"index.verdict.openOverdue": {"Đang giải quyết, quá hạn", "In progress, overdue"},

	// Period selector.
	"index.period":              {"Kỳ báo cáo", "Reporting period"},
	"index.period.kind":         {"Loại kỳ", "Kind of period"},
	"index.period.year":         {"Năm", "Year"},
	"index.period.month":        {"Tháng", "Month"},
	"index.period.month.hint":   {"(kỳ tháng)", "(monthly period)"},
	"index.period.quarter":      {"Quý", "Quarter"},
	"index.period.quarter.hint": {"(kỳ quý)", "(quarterly period)"},
	"index.period.half":         {"Nửa năm", "Half year"},
	"index.period.half.hint":    {"(kỳ 6 tháng)", "(six-month period)"},
	"index.period.h1":           {"6 tháng đầu năm", "First half of"},
	"index.period.h2":           {"6 tháng cuối năm", "Second half of"},
	"index.period.from":         {"Từ ngày", "From"},
	"index.period.to":           {"Đến ngày", "To"},
	"index.period.optional":     {"(tùy chọn)", "(optional)"},
	"index.label.month":         {"Tháng %d/%d", "Month %d/%d"},
	"index.label.quarter":       {"Quý %d/%d", "Quarter %d/%d"},
	"index.label.nine":          {"9 tháng đầu năm", "First nine months of"},
	"index.label.custom":        {"Từ %s đến %s", "From %s to %s"},
	"index.err.year":            {"Năm phải từ %d đến %d.", "The year must be between %d and %d."},
	"index.err.month":           {"Tháng phải từ 1 đến 12.", "The month must be between 1 and 12."},
	"index.err.quarter":         {"Quý phải từ 1 đến 4.", "The quarter must be between 1 and 4."},
	"index.err.half":            {"Chọn 6 tháng đầu năm hoặc 6 tháng cuối năm.", "Choose the first or the second half of the year."},
	"index.err.date":            {"Nhập ngày có thật dạng YYYY-MM-DD (ví dụ %s), từ năm %d đến %d.", "Enter a real date as YYYY-MM-DD (for example %s), from %d to %d."},
	"index.err.range":           {"Ngày kết thúc phải không trước ngày bắt đầu, và kỳ dài không quá 10 năm.", "The end date must not be before the start date, and the period must not exceed 10 years."},
	"index.err.kind":            {"Chọn loại kỳ: tháng, quý, 6 tháng, 9 tháng, năm hoặc tùy chọn.", "Choose a kind of period: month, quarter, half year, nine months, year or custom."},
	"index.err.period":          {"Kỳ báo cáo không hợp lệ.", "Invalid reporting period."},

	// Dashboard.
	"index.dash.pageTitle":   {"Bộ chỉ số phục vụ", "Service index"},
	"index.dash.title":       {"Bộ chỉ số phục vụ người dân, doanh nghiệp", "Index of service to citizens and businesses"},
	"index.dash.show":        {"Xem chỉ số", "Show the index"},
	"index.dash.maxNote":     {"Điểm tối đa chỉ gồm các chỉ số có dữ liệu trong kỳ.", "The maximum counts only the indicators with data in the period."},
	"index.dash.handled":     {"Hồ sơ phải giải quyết", "Dossiers to handle"},
	"index.dash.handledNote": {"kỳ trước chuyển sang và tiếp nhận trong kỳ; đúng hạn:", "carried over and received in the period; on time:"},
	"index.dash.details":     {"Chi tiết từng chỉ số", "Each indicator"},
	"index.dash.drillHint":   {"Bấm vào tử số hoặc mẫu số để xem danh sách hồ sơ tạo nên con số đó.", "Select a numerator or denominator to list the dossiers behind it."},
	"index.dash.numLink":     {"Xem hồ sơ ở tử số của chỉ số", "Dossiers in the numerator of indicator"},
	"index.dash.denLink":     {"Xem hồ sơ ở mẫu số của chỉ số", "Dossiers in the denominator of indicator"},
	"index.dash.movement":    {"Tình hình giải quyết hồ sơ trong kỳ", "Dossier handling in the period"},
	"index.dash.trend":       {"Xu hướng theo tháng năm", "Monthly trend,"},
	"index.dash.trendTable":  {"Bảng số liệu theo tháng", "Figures by month"},
	"index.dash.noTrend":     {"Chưa có tháng nào của năm", "No month yet in"},
	"index.dash.attention":   {"Cần chú ý", "Needs attention"},
	"index.dash.worst":       {"Đơn vị điểm thấp nhất", "Lowest-scoring units"},
	"index.dash.worstProcs":  {"Thủ tục nhiều hồ sơ quá hạn nhất", "Procedures with the most late dossiers"},
	"index.dash.lateWord":    {"hồ sơ quá hạn", "dossiers late"},
	"index.dash.noLate":      {"Không có hồ sơ giải quyết quá hạn trong kỳ.", "No dossier was completed late in the period."},
	"index.dash.ranking":     {"Xếp hạng các đơn vị", "Ranking of units"},
	"index.dash.rankCaption": {"Xếp hạng các sở, ban, ngành và xã, phường theo tổng điểm", "Departments, communes and wards ranked by total score"},

	// Drill-down.
	"index.drill.crumb":    {"Hồ sơ", "Dossiers"},
	"index.drill.heading":  {"Hồ sơ ở %s của chỉ số %s", "Dossiers in the %s of indicator %s"},
	"index.drill.num":      {"tử số", "numerator"},
	"index.drill.den":      {"mẫu số", "denominator"},
	"index.drill.seeNum":   {"Xem hồ sơ ở tử số", "Show the numerator's dossiers"},
	"index.drill.seeDen":   {"Xem hồ sơ ở mẫu số", "Show the denominator's dossiers"},
	"index.drill.count":    {"Số hồ sơ trong danh sách", "Dossiers in the list"},
	"index.drill.shown":    {"hiển thị số hồ sơ đầu tiên:", "first ones shown:"},
	"index.drill.finished": {"Kết thúc", "Finished"},
	"index.drill.verdict":  {"Đánh giá cuối kỳ", "End-of-period verdict"},
	"index.drill.empty":    {"Không có hồ sơ nào.", "No dossiers."},

	// Public statistics.
	"index.public.title":     {"Thống kê Bộ chỉ số phục vụ người dân, doanh nghiệp", "Statistics of the index of service to citizens and businesses"},
	"index.public.lead":      {"Số liệu tổng hợp theo Quyết định 766/QĐ-TTg, tính trực tiếp từ hồ sơ trên hệ thống; không chứa thông tin cá nhân.", "Figures aggregated under Decision 766/QĐ-TTg, computed directly from the dossiers in the system; no personal data."},
	"index.public.show":      {"Xem thống kê", "Show the statistics"},
	"index.public.province":  {"Toàn tỉnh", "Whole province"},
	"index.public.total":     {"Tổng điểm Bộ chỉ số", "Total index score"},
	"index.public.details":   {"Chi tiết từng chỉ số của tỉnh", "The province's indicators one by one"},
	"index.public.caption":   {"tổng điểm và các tỷ lệ chính", "total score and the main rates"},
	"index.public.online":    {"Trực tuyến", "Online"},
	"index.public.paid":      {"Thanh toán trực tuyến", "Paid online"},
	"index.public.digitized": {"Số hóa", "Digitised"},
	"index.public.reused":    {"Sử dụng lại dữ liệu", "Data reused"},
	"index.public.eresult":   {"Kết quả điện tử", "Electronic result"},
	"index.public.detail":    {"%s / %s (chỉ số %s)", "%s / %s (indicator %s)"},

	// Reports.
	"index.reports.title":     {"Báo cáo", "Reports"},
	"index.reports.lead":      {"Báo cáo tình hình giải quyết hồ sơ theo kỳ (Excel), kết quả xử lý của từng cán bộ, và Bộ chỉ số của đơn vị (PDF).", "Dossier handling by period (Excel), each officer's results, and the unit's service index (PDF)."},
	"index.reports.preview":   {"Xem trước", "Preview"},
	"index.reports.source":    {"Số liệu từ dữ liệu tổng hợp của Bộ chỉ số, trùng với số liệu trên trang Bộ chỉ số.", "The figures come from the index's aggregates and match the index page."},
	"index.reports.officials": {"Kết quả xử lý hồ sơ của cán bộ", "Officers' results"},
	"index.reports.dossiers":  {"Hồ sơ đã xử lý", "Dossiers handled"},
	"index.reports.steps":     {"Bước đã xử lý", "Steps handled"},
	"index.reports.late":      {"Bước trễ hạn", "Steps late"},
	"index.reports.average":   {"Trung bình một bước (ngày làm việc)", "Average per step (working days)"},
	"index.reports.noSteps":   {"Không có bước xử lý nào kết thúc trong kỳ.", "No processing step ended in the period."},
	"index.col.received":      {"Tiếp nhận", "Received"},
	"index.col.refused":       {"Trả lại", "Refused"},
	"index.col.withdrawn":     {"Rút", "Withdrawn"},
	"index.col.rate":          {"Tỷ lệ đúng hạn", "On-time rate"},

	// Movement summary.
	"index.sum.carried":     {"Kỳ trước chuyển sang", "Carried over"},
	"index.sum.received":    {"Tiếp nhận trong kỳ", "Received in the period"},
	"index.sum.direct":      {"— trực tiếp", "— in person"},
	"index.sum.online":      {"— trực tuyến", "— online"},
	"index.sum.postal":      {"— qua dịch vụ bưu chính", "— by post"},
	"index.sum.finished":    {"Đã giải quyết", "Completed"},
	"index.sum.early":       {"— trước hạn", "— early"},
	"index.sum.onTime":      {"— đúng hạn", "— on time"},
	"index.sum.late":        {"— quá hạn", "— late"},
	"index.sum.openOnTime":  {"Đang giải quyết trong hạn", "In progress, on time"},
	"index.sum.openOverdue": {"Đang giải quyết quá hạn", "In progress, overdue"},
	"index.sum.refused":     {"Trả lại (từ chối)", "Refused"},
	"index.sum.withdrawn":   {"Rút hồ sơ", "Withdrawn"},
	"index.sum.stopped":     {"Dừng xử lý", "Stopped"},
}
