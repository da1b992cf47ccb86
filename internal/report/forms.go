package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// The papers of one dossier. Each prints the date it was issued (the event that caused it),
// so a reprint tomorrow reads like the original; the footer says when it was printed.

// supplementCloseDays is Điều 19's 15 days without a supplement after which the dossier is
// closed (the aggregate counts them the same way, in calendar days).
const supplementCloseDays = 15

// issuedBy prints the header of a dossier paper issued by unit key on date, under the
// province's People's Committee.
func (d *doc) issuedBy(in Input, unit string, date time.Time) {
	parent := ""
	if p := strings.TrimSpace(in.Names.Province); p != "" {
		parent = "UBND " + p
	}
	d.nationalHeader(parent, in.Names.unit(unit), in.Names.Province, date)
}

// footerFor identifies the dossier on every page.
func footerFor(x *dossier.Dossier) string {
	if x.Code != "" {
		return "Mã hồ sơ: " + x.Code
	}
	return "Hồ sơ " + x.ID
}

// applicantLabel is how a form addresses the applicant: "Ông/Bà" or "Tổ chức".
func applicantLabel(a dossier.Applicant) string {
	if a.Kind == "organization" {
		return "Tổ chức"
	}
	return "Ông/Bà"
}

// procedureLine is the procedure's name followed by its code.
func procedureLine(x *dossier.Dossier, n Names) string {
	name := strings.TrimSpace(n.Procedure)
	switch {
	case name == "":
		return x.Spec.Procedure
	case x.Spec.Procedure == "":
		return name
	}
	return fmt.Sprintf("%s (mã thủ tục %s)", name, x.Spec.Procedure)
}

// applicantBlock prints who the dossier belongs to.
func (d *doc) applicantBlock(x *dossier.Dossier) {
	a := x.Applicant
	d.field(applicantLabel(a)+":", a.Name)
	d.field("Địa chỉ:", a.Address)
	d.field("Số điện thoại:", a.Phone)
	if a.Email != "" {
		d.field("Thư điện tử:", a.Email)
	}
}

// docGroup is one line of the receipt's list: a component and the documents received for it.
type docGroup struct {
	name  string
	form  string
	count int
}

// receivedDocuments groups the documents received up to reception by component, in the
// procedure's order (documents attached later are not on the receipt).
func receivedDocuments(x *dossier.Dossier) []docGroup {
	byComp := map[string][]dossier.Document{}
	var order []string
	for _, c := range x.Spec.Components {
		order = append(order, c.Code)
	}
	for _, doc := range x.Documents {
		if !doc.AddedAt.IsZero() && doc.AddedAt.After(x.ReceivedAt) {
			continue
		}
		if _, ok := byComp[doc.Component]; !ok && !slices.Contains(order, doc.Component) {
			order = append(order, doc.Component)
		}
		byComp[doc.Component] = append(byComp[doc.Component], doc)
	}
	var out []docGroup
	for _, code := range order {
		docs := byComp[code]
		if len(docs) == 0 {
			continue
		}
		name := code
		for _, c := range x.Spec.Components {
			if c.Code == code && c.Name != "" {
				name = c.Name
			}
		}
		var forms []string
		for _, doc := range docs {
			f := documentForm(doc, x.Channel)
			if !slices.Contains(forms, f) {
				forms = append(forms, f)
			}
		}
		out = append(out, docGroup{name: name, form: strings.Join(forms, "; "), count: len(docs)})
	}
	return out
}

// documentForm says in what form a document was received.
func documentForm(doc dossier.Document, ch dossier.Channel) string {
	switch {
	case doc.FromVault:
		return "Bản điện tử, từ Kho quản lý dữ liệu điện tử"
	case doc.Reused:
		return "Khai thác từ cơ sở dữ liệu"
	case ch == dossier.ChannelOnline:
		return "Bản điện tử"
	case doc.Digitized:
		return "Bản giấy, đã số hóa"
	}
	return "Bản giấy"
}

func drawReceipt(d *doc, in Input) error {
	x := in.Dossier
	n := in.Names
	d.issuedBy(in, x.ReceivingUnit, x.ReceivedAt)
	d.title(Receipt.Title(), "")
	d.centered(d.left, d.contentWidth(), "Mã hồ sơ: "+x.Code, "B", 12, 6.5)
	d.pdf.Ln(3)

	// The QR code of the lookup page sits at the right of the applicant's block.
	qrBottom := 0.0
	if in.LookupURL != "" {
		const size = 27.0
		w, _ := d.pageSize()
		qx, qy := w-d.right-size, d.pdf.GetY()
		d.pdf.SetFillColor(0, 0, 0)
		if err := drawQR(d.pdf, in.LookupURL, qx, qy, size); err != nil {
			return err
		}
		d.pdf.SetXY(qx, qy+size)
		d.font("", 7)
		d.pdf.MultiCell(size, 3, "Quét mã để tra cứu hồ sơ", "", "C", false)
		qrBottom = d.pdf.GetY()
		d.pdf.SetXY(d.left, qy)
		d.pdf.SetRightMargin(d.right + size + 3)
	}
	d.paragraph(n.unit(x.ReceivingUnit)+" đã tiếp nhận hồ sơ của:", "L")
	d.applicantBlock(x)
	d.field("Nội dung yêu cầu giải quyết:", procedureLine(x, n))
	d.pdf.SetRightMargin(d.right)
	d.pdf.SetY(max(d.pdf.GetY(), qrBottom))
	d.field("Cơ quan giải quyết:", n.unit(x.Authority))
	d.field("Hình thức nộp hồ sơ:", channelVI(x.Channel))

	d.label("Thành phần hồ sơ nộp gồm:")
	groups := receivedDocuments(x)
	if len(groups) == 0 {
		d.paragraph("(Không có giấy tờ kèm theo.)", "L")
	} else {
		rows := make([][]string, len(groups))
		for i, g := range groups {
			rows[i] = []string{fmt.Sprint(i + 1), g.name, g.form, fmt.Sprintf("%02d", g.count)}
		}
		d.table([]column{
			{"STT", 11, "C"}, {"Tên giấy tờ", 84, "L"}, {"Hình thức", 50, "L"}, {"Số lượng", 20, "C"},
		}, rows)
	}

	d.field("Số lượng hồ sơ:", "01 (bộ)")
	d.field("Thời gian giải quyết hồ sơ theo quy định:", durationVI(x.Spec.ProcessingTime))
	d.field("Thời gian nhận hồ sơ:", longTime(x.ReceivedAt))
	d.strongField("Ngày hẹn trả kết quả:", longTime(x.DueAt))
	if x.Extensions > 0 {
		d.note(fmt.Sprintf("Ngày hẹn đã được điều chỉnh theo Phiếu xin lỗi và hẹn lại ngày trả kết quả (%s); ngày hẹn trước đó: %s.",
			longDate(x.ExtendedAt), longTime(x.OriginalDueAt)))
	}
	d.field("Nhận kết quả:", returnMethodVI(x, n))
	if in.LookupURL != "" {
		d.field("Tra cứu hồ sơ:", in.LookupURL)
	}
	d.signatures(
		signer{role: "Người nộp hồ sơ", hint: "Ký và ghi rõ họ tên", name: x.Applicant.Name},
		signer{role: "Người tiếp nhận hồ sơ", hint: "Ký và ghi rõ họ tên", name: in.Officer},
	)
	d.note("Giấy tiếp nhận được lập thành 02 bản: 01 bản giao người nộp hồ sơ, 01 bản lưu tại Bộ phận Một cửa. " +
		"Khi nhận kết quả, người nộp hồ sơ mang theo Giấy tiếp nhận này hoặc cung cấp mã hồ sơ.")
	return nil
}

// supplementUnit is the unit that asked for the supplement: the receiving desk before
// reception, else the unit of the main step that held the dossier when it asked.
func supplementUnit(x *dossier.Dossier) (unit string, beforeReception bool) {
	at := x.SupplementRequestedAt
	if x.ReceivedAt.IsZero() || at.Before(x.ReceivedAt) {
		return x.ReceivingUnit, true
	}
	for i := len(x.Steps) - 1; i >= 0; i-- {
		s := x.Steps[i]
		if s.Parallel || s.StartedAt.IsZero() || s.StartedAt.After(at) {
			continue
		}
		if s.FinishedAt.IsZero() || !s.FinishedAt.Before(at) {
			return s.Unit, false
		}
	}
	return x.Authority, false
}

func componentName(x *dossier.Dossier, code string) (name string, required bool) {
	for _, c := range x.Spec.Components {
		if c.Code == code {
			if c.Name != "" {
				return c.Name, c.Required
			}
			return code, c.Required
		}
	}
	return code, false
}

func drawSupplementRequest(d *doc, in Input) error {
	x := in.Dossier
	n := in.Names
	unit, before := supplementUnit(x)
	d.issuedBy(in, unit, x.SupplementRequestedAt)
	d.title(SupplementRequest.Title(), "")

	d.field("Kính gửi:", applicantLabel(x.Applicant)+" "+x.Applicant.Name)
	d.field("Địa chỉ:", x.Applicant.Address)
	d.field("Nội dung yêu cầu giải quyết:", procedureLine(x, n))
	if x.Code != "" {
		d.field("Mã hồ sơ:", x.Code)
	}
	if before {
		d.field("Ngày nộp hồ sơ:", longTime(x.SubmittedAt))
	} else {
		d.field("Ngày tiếp nhận hồ sơ:", longTime(x.ReceivedAt))
	}
	d.pdf.Ln(1)
	d.paragraph(fmt.Sprintf("Sau khi xem xét hồ sơ, %s đề nghị %s bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
		n.unit(unit), strings.ToLower(applicantLabel(x.Applicant))), "J")
	rows := make([][]string, len(x.SupplementComponents))
	for i, code := range x.SupplementComponents {
		name, required := componentName(x, code)
		req := "Không bắt buộc"
		if required {
			req = "Bắt buộc"
		}
		rows[i] = []string{fmt.Sprint(i + 1), name, req}
	}
	d.table([]column{{"STT", 11, "C"}, {"Giấy tờ cần bổ sung, hoàn thiện", 119, "L"}, {"Ghi chú", 35, "C"}}, rows)
	d.field("Lý do:", x.SupplementReason)
	deadline := x.SupplementRequestedAt.AddDate(0, 0, supplementCloseDays)
	d.paragraph(fmt.Sprintf("Thời hạn bổ sung: trong %d ngày kể từ %s (đến %s). Quá thời hạn trên mà hồ sơ không được bổ sung, "+
		"hồ sơ sẽ bị dừng giải quyết (Điều 19 Nghị định 118/2025/NĐ-CP).",
		supplementCloseDays, longTime(x.SupplementRequestedAt), longTime(deadline)), "J")
	if !before {
		d.paragraph("Thời gian chờ bổ sung không tính vào thời hạn giải quyết; thời hạn giải quyết được tính lại từ đầu "+
			"kể từ khi nhận đủ hồ sơ bổ sung.", "J")
	}
	if !x.SupplementedAt.IsZero() && x.SupplementedAt.After(x.SupplementRequestedAt) {
		d.field("Đã nhận hồ sơ bổ sung lúc:", longTime(x.SupplementedAt))
	}
	d.paragraph(fmt.Sprintf("Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, %s liên hệ cán bộ hướng dẫn dưới đây để được giải đáp.",
		strings.ToLower(applicantLabel(x.Applicant))), "J")
	d.signatures(signer{}, signer{role: "Người hướng dẫn", hint: "Ký và ghi rõ họ tên", name: in.Officer})
	return nil
}

func drawRefusal(d *doc, in Input) error {
	x := in.Dossier
	n := in.Names
	rejected := x.State == dossier.Rejected
	unit, at, reason := x.Authority, x.ProcessedAt, x.DecisionReason
	heading, verb := "Phiếu từ chối giải quyết hồ sơ", "không giải quyết"
	if rejected {
		unit, at, reason = x.ReceivingUnit, x.RejectedAt, x.RejectReason
		heading, verb = Refusal.Title(), "không tiếp nhận"
	}
	d.issuedBy(in, unit, at)
	d.title(heading, "")
	d.field("Kính gửi:", applicantLabel(x.Applicant)+" "+x.Applicant.Name)
	d.field("Địa chỉ:", x.Applicant.Address)
	d.field("Nội dung yêu cầu giải quyết:", procedureLine(x, n))
	if x.Code != "" {
		d.field("Mã hồ sơ:", x.Code)
		d.field("Ngày tiếp nhận hồ sơ:", longTime(x.ReceivedAt))
	} else {
		d.field("Ngày nộp hồ sơ:", longTime(x.SubmittedAt))
	}
	d.pdf.Ln(1)
	d.paragraph(fmt.Sprintf("Qua xem xét, %s thông báo %s hồ sơ này với lý do cụ thể như sau:", n.unit(unit), verb), "J")
	d.field("Lý do:", reason)
	d.paragraph(fmt.Sprintf("Xin thông báo để %s được biết và thực hiện.", strings.ToLower(applicantLabel(x.Applicant))), "J")
	role, hint := "Thủ trưởng cơ quan", "Ký, ghi rõ họ tên và đóng dấu"
	name := ""
	if rejected {
		role, hint, name = "Người tiếp nhận hồ sơ", "Ký và ghi rõ họ tên", in.Officer
	}
	d.signatures(signer{}, signer{role: role, hint: hint, name: name})
	return nil
}

func drawApology(d *doc, in Input) error {
	x := in.Dossier
	n := in.Names
	label := strings.ToLower(applicantLabel(x.Applicant))
	d.issuedBy(in, x.Authority, x.ExtendedAt)
	d.title(Apology.Title(), "")
	d.field("Kính gửi:", applicantLabel(x.Applicant)+" "+x.Applicant.Name)
	d.field("Địa chỉ:", x.Applicant.Address)
	d.pdf.Ln(1)
	d.paragraph(fmt.Sprintf("Ngày %s, %s tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính: %s.",
		strings.TrimPrefix(longDate(x.ReceivedAt), "ngày "), n.unit(x.ReceivingUnit), procedureLine(x, n)), "J")
	d.field("Mã hồ sơ:", x.Code)
	d.field("Thời gian hẹn trả kết quả giải quyết hồ sơ:", longTime(x.OriginalDueAt))
	d.paragraph(fmt.Sprintf("Tuy nhiên, đến nay %s chưa thể trả kết quả giải quyết hồ sơ cho %s đúng thời hạn như đã hẹn.",
		n.unit(x.Authority), label), "J")
	d.field("Lý do:", x.ExtensionReason)
	d.paragraph(fmt.Sprintf("Sự chậm trễ này đã gây phiền hà cho %s. %s xin lỗi %s và hẹn lại thời gian trả kết quả:",
		label, n.unit(x.Authority), label), "J")
	d.strongField("Ngày hẹn trả kết quả mới:", longTime(x.DueAt))
	d.paragraph(fmt.Sprintf("Rất mong nhận được sự thông cảm của %s.", label), "J")
	d.signatures(signer{}, signer{role: "Thủ trưởng cơ quan", hint: "Ký, ghi rõ họ tên và đóng dấu"})
	return nil
}

func drawStopNotice(d *doc, in Input) error {
	x := in.Dossier
	n := in.Names
	label := strings.ToLower(applicantLabel(x.Applicant))
	received := !x.ReceivedAt.IsZero()
	unit := x.ReceivingUnit
	if received {
		unit = x.Authority
	}
	at := x.WithdrawnAt
	if x.State == dossier.Closed {
		at = x.ClosedAt
	}
	d.issuedBy(in, unit, at)
	d.title("Thông báo", "Về việc dừng giải quyết hồ sơ")
	d.field("Kính gửi:", applicantLabel(x.Applicant)+" "+x.Applicant.Name)
	d.field("Địa chỉ:", x.Applicant.Address)
	d.field("Nội dung yêu cầu giải quyết:", procedureLine(x, n))
	if received {
		d.field("Mã hồ sơ:", x.Code)
		d.field("Ngày tiếp nhận hồ sơ:", longTime(x.ReceivedAt))
	} else {
		d.field("Ngày nộp hồ sơ:", longTime(x.SubmittedAt))
	}
	d.pdf.Ln(1)
	if x.State == dossier.Withdrawn {
		d.paragraph(fmt.Sprintf("Ngày %s, %s đã đề nghị dừng giải quyết (rút) hồ sơ nêu trên.",
			strings.TrimPrefix(longDate(x.WithdrawnAt), "ngày "), label), "J")
		reason := x.StopReason
		if strings.TrimSpace(reason) == "" {
			reason = "Theo đề nghị của người nộp hồ sơ."
		}
		d.field("Lý do:", reason)
		d.paragraph(fmt.Sprintf("Căn cứ Điều 21 Nghị định 118/2025/NĐ-CP, %s thông báo dừng giải quyết hồ sơ nêu trên kể từ %s.",
			n.unit(unit), longTime(x.WithdrawnAt)), "J")
	} else {
		d.paragraph(fmt.Sprintf("Ngày %s, %s đã đề nghị %s bổ sung, hoàn thiện hồ sơ. Đã quá %d ngày kể từ ngày yêu cầu mà hồ sơ chưa được bổ sung.",
			strings.TrimPrefix(longDate(x.SupplementRequestedAt), "ngày "), n.unit(supplementUnitKey(x)), label, supplementCloseDays), "J")
		if strings.TrimSpace(x.StopReason) != "" {
			d.field("Ghi chú:", x.StopReason)
		}
		d.paragraph(fmt.Sprintf("Căn cứ Điều 19 Nghị định 118/2025/NĐ-CP, %s thông báo dừng giải quyết hồ sơ nêu trên kể từ %s.",
			n.unit(unit), longTime(x.ClosedAt)), "J")
	}
	d.paragraph(fmt.Sprintf("Giấy tờ bản giấy của hồ sơ (nếu có) được trả lại cho %s tại %s. Xin thông báo để %s được biết.",
		label, n.unit(x.ReceivingUnit), label), "J")
	d.signatures(signer{}, signer{role: "Thủ trưởng cơ quan", hint: "Ký, ghi rõ họ tên và đóng dấu"})
	return nil
}

func supplementUnitKey(x *dossier.Dossier) string {
	u, _ := supplementUnit(x)
	return u
}

// stepVerdict is the control sheet's result of a row: the verdict of a finished step, or, for
// a step still open, whether it is already past its own deadline at now.
func stepVerdict(h dossier.HandOver, now time.Time) string {
	if h.FinishedAt.IsZero() {
		if !h.Due.IsZero() && now.After(h.Due) {
			return "Đang xử lý, quá hạn"
		}
		return "Đang xử lý"
	}
	if h.Verdict == dossier.NotJudged {
		return "—"
	}
	return VerdictVI(h.Verdict)
}

// tableTime is a time in a narrow table cell, on two lines: "15:30" / "26/11/2026".
func tableTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	s := shortTime(t)
	return strings.Replace(s, " ngày ", "\n", 1)
}

func drawControlSheet(d *doc, in Input) error {
	x := in.Dossier
	n := in.Names
	d.issuedBy(in, x.ReceivingUnit, in.Now)
	d.title(ControlSheet.Title(), "")
	d.strongField("Mã hồ sơ:", x.Code)
	d.field("Kèm theo hồ sơ của:", x.Applicant.Name)
	d.field("Nội dung yêu cầu giải quyết:", procedureLine(x, n))
	d.field("Cơ quan giải quyết:", n.unit(x.Authority))
	d.field("Ngày nhận hồ sơ:", longTime(x.ReceivedAt))
	due := longTime(x.DueAt)
	if x.Extensions > 0 {
		due += " (đã gia hạn; ngày hẹn trước đó: " + longTime(x.OriginalDueAt) + ")"
	}
	d.field("Ngày hẹn trả kết quả:", due)
	if x.PausedMinutes > 0 {
		d.field("Thời gian tạm dừng (không tính vào thời hạn):", pausedVI(x.PausedMinutes))
	}
	d.field("Tình trạng hồ sơ:", dossier.StateNameVI(x.State))
	d.pdf.Ln(1)

	sheet := x.ControlSheet()
	rows := make([][]string, len(sheet))
	for i, h := range sheet {
		who := h.Name
		if h.FromUnit != "" {
			who += "\nGiao: " + n.unit(h.FromUnit)
		}
		who += "\nNhận: " + n.unit(h.Unit)
		rows[i] = []string{fmt.Sprint(i + 1), who, tableTime(h.HandedOverAt), tableTime(h.Due),
			tableTime(h.FinishedAt), stepVerdict(h, in.Now), h.Note}
	}
	d.table([]column{
		{"STT", 10, "C"}, {"Bước xử lý, cơ quan giao – nhận", 44, "L"}, {"Thời gian giao, nhận", 22, "C"},
		{"Hạn xử lý", 22, "C"}, {"Thời gian hoàn thành", 22, "C"}, {"Kết quả (trước / đúng / quá hạn)", 22, "C"},
		{"Ghi chú", 23, "L"},
	}, rows)
	d.signatures(signer{}, signer{role: "Người lập phiếu", hint: "Ký và ghi rõ họ tên", name: in.Officer})
	return nil
}

// pausedVI is a paused working time in working days, hours and minutes: "2 ngày 4 giờ làm việc".
func pausedVI(minutes int64) string {
	days, rest := minutes/dossier.WorkingDayMinutes, minutes%dossier.WorkingDayMinutes
	hours, mins := rest/60, rest%60
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d ngày", days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf("%d giờ", hours))
	}
	if mins > 0 {
		parts = append(parts, fmt.Sprintf("%d phút", mins))
	}
	if len(parts) == 0 {
		return "0 giờ"
	}
	return strings.Join(parts, " ") + " làm việc"
}
