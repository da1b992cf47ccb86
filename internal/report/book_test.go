package report

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/dossier"
)

func TestNewBookRow(t *testing.T) {
	c := workingCalendar(t)
	asOf := vnAt(12, 9, 8, 0)
	timeEq := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	tests := []struct {
		fixture string
		want    BookRow
	}{
		{"walk", BookRow{
			Code: walkCode, Applicant: "Nguyễn Thị Lan", Procedure: "Chấp thuận chủ trương đầu tư dự án đầu tư (mã thủ tục 1.009645)",
			Authority: "Văn phòng Ủy ban nhân dân tỉnh", ReceivedAt: vnAt(11, 26, 15, 30), DueAt: vnAt(12, 10, 17, 0),
			HandedOverAt: vnAt(11, 26, 16, 0), ResultAt: vnAt(12, 8, 10, 30), ReturnedAt: vnAt(12, 8, 11, 0),
			Verdict: dossier.Early, Note: "Có yêu cầu bổ sung; Đã gia hạn, có phiếu xin lỗi",
		}},
		{"refused", BookRow{
			Code: walkCode, Applicant: "Nguyễn Thị Lan", Procedure: "Chấp thuận chủ trương đầu tư dự án đầu tư (mã thủ tục 1.009645)",
			Authority: "Văn phòng Ủy ban nhân dân tỉnh", ReceivedAt: receiveAt, DueAt: vnAt(12, 3, 15, 30),
			HandedOverAt: vnAt(11, 26, 16, 0), ResultAt: vnAt(11, 30, 9, 0),
			Verdict: dossier.Early, Note: "Từ chối giải quyết",
		}},
		{"in progress", BookRow{
			Code: walkCode, Applicant: "Nguyễn Thị Lan", Procedure: "Chấp thuận chủ trương đầu tư dự án đầu tư (mã thủ tục 1.009645)",
			Authority: "Văn phòng Ủy ban nhân dân tỉnh", ReceivedAt: receiveAt, DueAt: vnAt(12, 3, 15, 30),
			HandedOverAt: vnAt(11, 26, 16, 0), Verdict: dossier.Overdue,
		}},
		{"rejected", BookRow{
			Applicant: "Nguyễn Thị Lan", Procedure: "Chấp thuận chủ trương đầu tư dự án đầu tư (mã thủ tục 1.009645)",
			Authority: "Văn phòng Ủy ban nhân dân tỉnh", Note: "Từ chối tiếp nhận",
		}},
	}
	for _, tt := range tests {
		got := NewBookRow(fixture(t, tt.fixture), names(), asOf, c)
		if diff := cmp.Diff(tt.want, got, timeEq); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.fixture, diff)
		}
	}
	if got := NewBookRow(fixture(t, "walk"), names(), asOf, nil); got.Verdict != dossier.NotJudged {
		t.Errorf("verdict without a clock: %q", got.Verdict)
	}
}

// TestTrackingBook prints a month of a unit's dossiers over several landscape pages.
func TestTrackingBook(t *testing.T) {
	c := workingCalendar(t)
	now := vnAt(12, 9, 8, 0)
	var rows []BookRow
	names := names()
	fx := fixtures()
	keys := make([]string, 0, len(fx))
	for k := range fx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i := 0; i < 4; i++ {
		for _, k := range keys {
			r := NewBookRow(play(t, fx[k]...), names, now, c)
			if r.Code != "" {
				r.Code = strings.Replace(r.Code, "-0001", fmt.Sprintf("-%04d", len(rows)+1), 1)
			}
			rows = append(rows, r)
		}
	}
	var b bytes.Buffer
	if err := TrackingBook(&b, "Trung tâm Phục vụ hành chính công tỉnh", vnAt(11, 1, 0, 0), vnAt(11, 30, 0, 0), rows, now); err != nil {
		t.Fatal(err)
	}
	pdf := b.Bytes()
	writeSample(t, "so-theo-doi-ho-so.pdf", pdf)
	text := pdfText(t, pdf)
	wantText(t, text, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/11/2026 đến ngày 30/11/2026", "ngày 09 tháng 12 năm 2026")
	count := map[dossier.Timeliness]int{}
	layout := pdfText(t, pdf, "-layout") // the table read row by row
	for _, r := range rows {
		count[r.Verdict]++
		// A code wraps after its authority part; each row's date-and-sequence part is unique.
		if _, rest, ok := strings.Cut(r.Code, "-"); ok && !strings.Contains(layout, rest) {
			t.Errorf("code %s missing", r.Code)
		}
	}
	if got, want := strings.Count(layout, "000.00.01.H55-"), len(rows)-4*4; got != want { // 4 fixtures never received
		t.Errorf("%d codes printed, want %d", got, want)
	}
	wantText(t, text, fmt.Sprintf("Tổng số: %d hồ sơ; trước hạn: %d; đúng hạn: %d; quá hạn: %d; đang giải quyết trong hạn: %d; đang giải quyết quá hạn: %d.",
		len(rows), count[dossier.Early], count[dossier.OnTime], count[dossier.Late], count[dossier.OpenOnTime], count[dossier.Overdue]))
	pages := pdfPages(t, pdf)
	if pages < 2 {
		t.Errorf("%d rows on %d page", len(rows), pages)
	}
	// Every page holding rows starts with the table header.
	for p := 1; p <= pages; p++ {
		page := pdfText(t, pdf, "-f", fmt.Sprint(p), "-l", fmt.Sprint(p))
		if strings.Contains(page, "Nguyễn Thị Lan") && !strings.Contains(page, "Mã hồ sơ") {
			t.Errorf("page %d has rows without the table header", p)
		}
		wantText(t, page, fmt.Sprintf("Trang %d/%d", p, pages))
	}
	if size := pdfPageSize(t, pdf); !strings.HasPrefix(size, "841.89") {
		t.Errorf("page size %s pt, want A4 landscape", size)
	}

	b.Reset()
	if err := TrackingBook(&b, "UBND xã Tân Cương", vnAt(11, 1, 0, 0), vnAt(11, 30, 0, 0), nil, now); err != nil {
		t.Fatal(err)
	}
	wantText(t, pdfText(t, b.Bytes()), "UBND XÃ TÂN CƯƠNG", "(Không có hồ sơ trong kỳ.)", "Tổng số: 0 hồ sơ")
	if err := TrackingBook(&b, "x", vnAt(11, 30, 0, 0), vnAt(11, 1, 0, 0), nil, now); err == nil {
		t.Error("a period ending before it starts was accepted")
	}
}
