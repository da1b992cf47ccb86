package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// BookRow is one dossier line of the tracking book (Sổ theo dõi hồ sơ, LEGAL §5 item 7).
// Names are display names; zero times print as empty cells.
type BookRow struct {
	Code         string
	Applicant    string
	Procedure    string // the procedure's name (and code)
	Authority    string // the competent authority's name
	ReceivedAt   time.Time
	DueAt        time.Time
	HandedOverAt time.Time // sent to the competent authority
	ResultAt     time.Time // result (or refusal) back from the authority
	ReturnedAt   time.Time // result handed to the applicant
	Verdict      dossier.Timeliness
	Note         string
}

// NewBookRow builds the tracking book's line of dossier x, judging an open dossier at asOf with
// clock (LEGAL §6; a nil clock leaves the verdict empty). n.Procedure is x's procedure name.
func NewBookRow(x *dossier.Dossier, n Names, asOf time.Time, clock dossier.Clock) BookRow {
	r := BookRow{
		Code: x.Code, Applicant: x.Applicant.Name, Procedure: procedureLine(x, n),
		Authority: n.unit(x.Authority), ReceivedAt: x.ReceivedAt, DueAt: x.DueAt, ReturnedAt: x.ReturnedAt,
		ResultAt: x.ResultIssuedAt,
	}
	if r.ResultAt.IsZero() {
		r.ResultAt = x.ProcessedAt
	}
	// Sent to the authority: the first hand-over to another unit than the receiving desk, or,
	// when the desk's own unit decides (a commune), the first hand-over after reception.
	for i, h := range x.ControlSheet() {
		if i == 0 {
			continue
		}
		if h.Unit != x.ReceivingUnit {
			r.HandedOverAt = h.HandedOverAt
			break
		}
		if r.HandedOverAt.IsZero() {
			r.HandedOverAt = h.HandedOverAt
		}
	}
	if clock != nil {
		r.Verdict = x.Timeliness(asOf, clock)
	}
	var notes []string
	switch {
	case x.State == dossier.Rejected:
		notes = append(notes, "Từ chối tiếp nhận")
	case x.Decision == dossier.Refused:
		notes = append(notes, "Từ chối giải quyết")
	case x.State == dossier.Withdrawn:
		notes = append(notes, "Rút hồ sơ")
	case x.State == dossier.Closed:
		notes = append(notes, "Dừng do không bổ sung")
	}
	if x.SupplementRequests > 0 {
		notes = append(notes, "Có yêu cầu bổ sung")
	}
	if x.Extensions > 0 {
		notes = append(notes, "Đã gia hạn, có phiếu xin lỗi")
	}
	r.Note = strings.Join(notes, "; ")
	return r
}

// TrackingBook writes a unit's tracking book for the period from..to (the first and last days,
// printed as dates) as a landscape A4 PDF, one line per row in the order given, with a count
// of the verdicts at the end. now is the printing time (zero: the end of the period).
func TrackingBook(w io.Writer, unitName string, from, to time.Time, rows []BookRow, now time.Time) error {
	if to.Before(from) {
		return fmt.Errorf("report: tracking book: period ends (%s) before it starts (%s)", shortDate(to), shortDate(from))
	}
	if now.IsZero() {
		now = to
	}
	d, err := newDoc(landscape, "Sổ theo dõi hồ sơ", now)
	if err != nil {
		return fmt.Errorf("report: tracking book: %w", err)
	}
	d.footer = "Sổ theo dõi hồ sơ – " + unitName
	d.cellPt, d.cellLn = 8, 3.8 // twelve columns across the page
	d.nationalHeader("", unitName, "", now)
	d.title("Sổ theo dõi hồ sơ", fmt.Sprintf("Từ ngày %s đến ngày %s", shortDate(from), shortDate(to)))

	cells := make([][]string, len(rows))
	count := map[dossier.Timeliness]int{}
	for i, r := range rows {
		count[r.Verdict]++
		cells[i] = []string{
			fmt.Sprint(i + 1), r.Code, r.Procedure, r.Applicant, r.Authority,
			tableTime(r.ReceivedAt), tableTime(r.DueAt), tableTime(r.HandedOverAt), tableTime(r.ResultAt),
			tableTime(r.ReturnedAt), VerdictVI(r.Verdict), r.Note,
		}
	}
	if len(rows) == 0 {
		d.paragraph("(Không có hồ sơ trong kỳ.)", "C")
	} else {
		d.table([]column{
			{"STT", 9, "C"}, {"Mã hồ sơ", 28, "L"}, {"Tên thủ tục hành chính", 42, "L"}, {"Người nộp", 26, "L"},
			{"Cơ quan giải quyết", 28, "L"}, {"Ngày nhận hồ sơ", 19, "C"}, {"Ngày hẹn trả kết quả", 19, "C"},
			{"Chuyển cơ quan giải quyết", 19, "C"}, {"Nhận kết quả", 19, "C"}, {"Trả kết quả", 19, "C"},
			{"Kết quả (trước / đúng / quá hạn)", 17, "C"}, {"Ghi chú", 17, "L"},
		}, cells)
	}
	d.ensure(12)
	d.field("Tổng số:", fmt.Sprintf("%d hồ sơ; trước hạn: %d; đúng hạn: %d; quá hạn: %d; đang giải quyết trong hạn: %d; đang giải quyết quá hạn: %d.",
		len(rows), count[dossier.Early], count[dossier.OnTime], count[dossier.Late], count[dossier.OpenOnTime], count[dossier.Overdue]))
	if err := d.output(w); err != nil {
		return fmt.Errorf("report: tracking book: %w", err)
	}
	return nil
}
