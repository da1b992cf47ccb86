package report

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// blank is printed where a paper has a value the dossier does not know, as on a paper form
// left to be filled in by hand.
const blank = "…………"

// Day and month numbers follow Nghị định 30/2020/NĐ-CP (Phụ lục I): a day below 10 and the
// months 1 and 2 take a leading zero, so that a date cannot be altered by adding a digit.
func dayNum(t time.Time) string { return fmt.Sprintf("%02d", t.Day()) }

func monthNum(t time.Time) string {
	if t.Month() <= 2 {
		return fmt.Sprintf("%02d", int(t.Month()))
	}
	return fmt.Sprintf("%d", int(t.Month()))
}

// longDate is "ngày 26 tháng 11 năm 2026" in Vietnam's zone.
func longDate(t time.Time) string {
	if t.IsZero() {
		return "ngày " + blank + " tháng " + blank + " năm " + blank
	}
	t = t.In(calendar.VN)
	return fmt.Sprintf("ngày %s tháng %s năm %d", dayNum(t), monthNum(t), t.Year())
}

// longTime is "15 giờ 30 phút, ngày 26 tháng 11 năm 2026" in Vietnam's zone.
func longTime(t time.Time) string {
	if t.IsZero() {
		return blank
	}
	t = t.In(calendar.VN)
	return fmt.Sprintf("%02d giờ %02d phút, %s", t.Hour(), t.Minute(), longDate(t))
}

// shortTime is a table cell's time, "15:30 ngày 26/11/2026"; empty for a zero time.
func shortTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(calendar.VN)
	return fmt.Sprintf("%02d:%02d ngày %02d/%02d/%d", t.Hour(), t.Minute(), t.Day(), int(t.Month()), t.Year())
}

// shortDate is "26/11/2026"; empty for a zero time.
func shortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(calendar.VN)
	return fmt.Sprintf("%02d/%02d/%d", t.Day(), int(t.Month()), t.Year())
}

// durationVI is a processing time as the catalog prints it: "5 ngày làm việc".
func durationVI(d calendar.Duration) string {
	switch d.Unit {
	case calendar.WorkingDay:
		return fmt.Sprintf("%d ngày làm việc", d.Value)
	case calendar.WorkingHour:
		return fmt.Sprintf("%d giờ làm việc", d.Value)
	case calendar.WorkingMinute:
		return fmt.Sprintf("%d phút làm việc", d.Value)
	case calendar.CalendarDay:
		return fmt.Sprintf("%d ngày", d.Value)
	case calendar.Month:
		return fmt.Sprintf("%d tháng", d.Value)
	case calendar.SameDay:
		if d.Cutoff != "" {
			return "trong ngày (nhận trước " + d.Cutoff + ")"
		}
		return "trong ngày"
	case "":
		return blank
	}
	return d.String()
}

// VerdictVI is a timeliness verdict as the control sheet and the tracking book print it
// (LEGAL §5.6: trước hạn / đúng hạn / quá hạn); empty for NotJudged.
func VerdictVI(t dossier.Timeliness) string {
	switch t {
	case dossier.Early:
		return "Trước hạn"
	case dossier.OnTime:
		return "Đúng hạn"
	case dossier.Late:
		return "Quá hạn"
	case dossier.OpenOnTime:
		return "Đang giải quyết, trong hạn"
	case dossier.Overdue:
		return "Đang giải quyết, quá hạn"
	}
	return string(t)
}

// channelVI names a channel of Điều 15.
func channelVI(c dossier.Channel) string {
	switch c {
	case dossier.ChannelDesk:
		return "Trực tiếp tại Bộ phận Một cửa"
	case dossier.ChannelOnline:
		return "Trực tuyến"
	case dossier.ChannelPostal:
		return "Qua dịch vụ bưu chính công ích"
	}
	return string(c)
}

// returnMethodVI says where the result is collected: the method used, once returned, else
// the channel's usual one (an online dossier with an electronic result gets it online, a
// postal one by post, the others at the desk that received them).
func returnMethodVI(x *dossier.Dossier, n Names) string {
	method := x.ReturnMethod
	if method == "" {
		switch {
		case x.Channel == dossier.ChannelOnline && x.Spec.ResultElectronic:
			method = dossier.ReturnElectronic
		case x.Channel == dossier.ChannelPostal:
			method = dossier.ReturnPost
		default:
			method = dossier.ReturnDesk
		}
	}
	switch method {
	case dossier.ReturnElectronic:
		return "Trực tuyến (kết quả điện tử trên Cổng Dịch vụ công và Kho quản lý dữ liệu điện tử của người nộp)"
	case dossier.ReturnPost:
		return "Qua dịch vụ bưu chính công ích, về địa chỉ của người nộp hồ sơ"
	}
	return "Bộ phận Một cửa – " + n.unit(x.ReceivingUnit)
}

// placeName is the province without its kind, as written before a document's date:
// "Tỉnh Thái Nguyên" -> "Thái Nguyên".
func placeName(province string) string {
	p := strings.TrimSpace(province)
	for _, prefix := range []string{"Tỉnh ", "tỉnh ", "Thành phố ", "thành phố ", "TP. ", "TP "} {
		if rest, ok := strings.CutPrefix(p, prefix); ok {
			return strings.TrimSpace(rest)
		}
	}
	return p
}

// clean makes text safe for the embedded font: Unicode NFC (so "ệ" typed as e + two combining
// marks prints as one glyph), tabs and other spaces as plain spaces, line breaks kept, other
// control characters dropped, and characters outside the Basic Multilingual Plane (which the
// PDF's two-byte encoding cannot carry) replaced by U+FFFD.
func clean(s string) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t' || r == '\r' || (unicode.IsSpace(r) && r != ' '):
			b.WriteByte(' ')
		case unicode.IsControl(r):
			// dropped
		case r > 0xFFFF:
			b.WriteRune(unicode.ReplacementChar)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// orBlank returns s, or the blank placeholder when s is empty.
func orBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return blank
	}
	return s
}

// upper is Vietnamese upper case (strings.ToUpper is right for Vietnamese letters).
func upper(s string) string { return strings.ToUpper(s) }
