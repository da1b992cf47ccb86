package report

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

func TestLongTime(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{vnAt(11, 26, 15, 30), "15 giờ 30 phút, ngày 26 tháng 11 năm 2026"},
		// Stored times are UTC; forms print Vietnam's wall clock.
		{time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC), "15 giờ 30 phút, ngày 26 tháng 11 năm 2026"},
		{time.Date(2026, 11, 30, 18, 5, 0, 0, time.UTC), "01 giờ 05 phút, ngày 01 tháng 12 năm 2026"},
		// Nghị định 30/2020: days below 10 and months 1 and 2 take a leading zero, others not.
		{time.Date(2027, 2, 3, 7, 30, 0, 0, calendar.VN), "07 giờ 30 phút, ngày 03 tháng 02 năm 2027"},
		{time.Date(2027, 3, 9, 7, 30, 0, 0, calendar.VN), "07 giờ 30 phút, ngày 09 tháng 3 năm 2027"},
		{time.Time{}, blank},
	}
	for _, tt := range tests {
		if got := longTime(tt.at); got != tt.want {
			t.Errorf("longTime(%s) = %q, want %q", tt.at, got, tt.want)
		}
	}
	if got := shortTime(time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC)); got != "15:30 ngày 26/11/2026" {
		t.Errorf("shortTime = %q", got)
	}
	if got := tableTime(time.Date(2027, 1, 4, 1, 0, 0, 0, time.UTC)); got != "08:00\n04/01/2027" {
		t.Errorf("tableTime = %q", got)
	}
}

func TestLabels(t *testing.T) {
	for d, want := range map[calendar.Duration]string{
		{Value: 5, Unit: calendar.WorkingDay}:     "5 ngày làm việc",
		{Value: 4, Unit: calendar.WorkingHour}:    "4 giờ làm việc",
		{Value: 30, Unit: calendar.CalendarDay}:   "30 ngày",
		{Value: 2, Unit: calendar.Month}:          "2 tháng",
		{Unit: calendar.SameDay, Cutoff: "15:00"}: "trong ngày (nhận trước 15:00)",
		{Unit: calendar.SameDay}:                  "trong ngày",
		{Value: 90, Unit: calendar.WorkingMinute}: "90 phút làm việc",
		{}: blank,
	} {
		if got := durationVI(d); got != want {
			t.Errorf("durationVI(%v) = %q, want %q", d, got, want)
		}
	}
	for v, want := range map[dossier.Timeliness]string{
		dossier.Early: "Trước hạn", dossier.OnTime: "Đúng hạn", dossier.Late: "Quá hạn",
		dossier.OpenOnTime: "Đang giải quyết, trong hạn", dossier.Overdue: "Đang giải quyết, quá hạn", dossier.NotJudged: "",
	} {
		if got := VerdictVI(v); got != want {
			t.Errorf("VerdictVI(%q) = %q, want %q", v, got, want)
		}
	}
	for in, want := range map[string]string{
		"Tỉnh Thái Nguyên": "Thái Nguyên", "Thành phố Hà Nội": "Hà Nội", "Thái Nguyên": "Thái Nguyên", "": "",
	} {
		if got := placeName(in); got != want {
			t.Errorf("placeName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := pausedVI(2*480 + 90); got != "2 ngày 1 giờ 30 phút làm việc" {
		t.Errorf("pausedVI = %q", got)
	}
}

// TestWrap: table cells break at spaces, and inside codes and URLs at their separators; no
// line is wider than the cell; nothing is lost.
func TestWrap(t *testing.T) {
	d, err := newDoc(portrait, "t", vnAt(11, 26, 8, 0))
	if err != nil {
		t.Fatal(err)
	}
	d.font("", cellSize)
	tests := []struct {
		text  string
		width float64
		want  []string // nil: only check widths and content
	}{
		{"", 30, []string{""}},
		{walkCode, 30, []string{"000.00.01.H55-", "261126-0001"}},
		{"Sở Nông nghiệp và Môi trường", 30, []string{"Sở Nông nghiệp", "và Môi trường"}},
		{"Giao: A\nNhận: B", 60, []string{"Giao: A", "Nhận: B"}},
		{strings.Repeat("9", 60), 20, nil},
		{lookupURL, 25, nil},
	}
	for _, tt := range tests {
		got := d.wrap(tt.text, tt.width)
		if tt.want != nil && strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %v) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
		for _, l := range got {
			if w := d.pdf.GetStringWidth(l); w > tt.width-2*cellInset+1e-9 {
				t.Errorf("wrap(%q): line %q is %.1f mm wide in a %.1f mm cell", tt.text, l, w, tt.width)
			}
		}
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if squash(strings.Join(got, "")) != squash(tt.text) {
			t.Errorf("wrap(%q) lost text: %q", tt.text, got)
		}
	}
}
