package calendar_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
)

func TestParseNoticeSeed(t *testing.T) {
	for year, b := range seed.CalendarNotices() {
		n, err := calendar.ParseNotice(b)
		if err != nil {
			t.Fatalf("seed notice %d: %v", year, err)
		}
		if n.Year != year || len(n.DaysOff) == 0 || n.Source == "" {
			t.Errorf("seed notice %d parsed as %+v", year, n)
		}
	}
}

func TestParseNoticeErrors(t *testing.T) {
	tests := []struct {
		name, json, wantIn string
	}{
		{"not JSON", `{"year":`, "notice"},
		{"unknown field", `{"year":2027,"days_off":[],"working_days":[],"extra":1}`, `unknown field "extra"`},
		{"unknown field in an entry", `{"year":2027,"days_off":[{"date":"2027-01-01","kind":"holiday","name":"x","note":"y"}]}`, `unknown field "note"`},
		{"trailing data", `{"year":2027,"days_off":[]} {}`, "trailing data"},
		{"year out of range", `{"year":1800,"days_off":[]}`, "year 1800"},
		{"year missing", `{"days_off":[]}`, "year 0"},
		{"malformed date", `{"year":2027,"days_off":[{"date":"2027-1-01","kind":"holiday","name":"x"}]}`, "days_off[0] (2027-1-01): malformed date"},
		{"no such date", `{"year":2027,"days_off":[{"date":"2027-02-29","kind":"holiday","name":"x"}]}`, "days_off[0] (2027-02-29): malformed date"},
		{"date outside the year", `{"year":2027,"days_off":[{"date":"2027-01-01","kind":"holiday","name":"x"},{"date":"2026-12-31","kind":"day_off","name":"x"}]}`, "days_off[1] (2026-12-31): date outside the notice's year"},
		{"duplicate date", `{"year":2027,"days_off":[{"date":"2027-01-01","kind":"holiday","name":"x"},{"date":"2027-01-01","kind":"holiday","name":"y"}]}`, "days_off[1] (2027-01-01): duplicate date, already in days_off[0]"},
		{"duplicate across lists", `{"year":2027,"days_off":[{"date":"2027-01-02","kind":"holiday","name":"x"}],"working_days":[{"date":"2027-01-02","kind":"working_day","name":"y"}]}`, "working_days[0] (2027-01-02): duplicate date"},
		{"bad kind", `{"year":2027,"days_off":[{"date":"2027-01-01","kind":"vacation","name":"x"}]}`, `days_off[0] (2027-01-01): kind "vacation"`},
		{"working_day among days off", `{"year":2027,"days_off":[{"date":"2027-01-02","kind":"working_day","name":"x"}]}`, `days_off[0] (2027-01-02): kind "working_day"`},
		{"holiday among working days", `{"year":2027,"working_days":[{"date":"2027-01-02","kind":"holiday","name":"x"}]}`, `working_days[0] (2027-01-02): kind "holiday"`},
		{"working_day on a weekday", `{"year":2027,"working_days":[{"date":"2027-01-06","kind":"working_day","name":"x"}]}`, "working_days[0] (2027-01-06): kind working_day on a Wednesday"},
		{"day_off on a Saturday", `{"year":2027,"days_off":[{"date":"2027-01-02","kind":"day_off","name":"x"}]}`, "days_off[0] (2027-01-02): kind day_off on a Saturday"},
		{"missing name", `{"year":2027,"days_off":[{"date":"2027-01-01","kind":"holiday"}]}`, "days_off[0] (2027-01-01): name is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := calendar.ParseNotice([]byte(tc.json))
			if !errors.Is(err, calendar.ErrInvalidNotice) {
				t.Fatalf("error = %v, want ErrInvalidNotice", err)
			}
			if !strings.Contains(err.Error(), tc.wantIn) {
				t.Errorf("error %q does not say %q", err, tc.wantIn)
			}
		})
	}
	// A holiday may be listed on a weekend (it documents the holiday, changes nothing).
	if _, err := calendar.ParseNotice([]byte(`{"year":2026,"days_off":[{"date":"2026-04-26","kind":"holiday","name":"Giỗ Tổ"}]}`)); err != nil {
		t.Errorf("holiday on a Sunday: %v", err)
	}
}

func TestParseNotices(t *testing.T) {
	b := seed.CalendarNotices()
	ns, err := calendar.ParseNotices(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(ns); i++ {
		if ns[i-1].Year >= ns[i].Year {
			t.Errorf("not sorted by year: %d then %d", ns[i-1].Year, ns[i].Year)
		}
	}
	for year, content := range b {
		if _, err := calendar.ParseNotices(map[int][]byte{year + 1: content}); !errors.Is(err, calendar.ErrInvalidNotice) {
			t.Errorf("file keyed %d holding the %d notice: error = %v", year+1, year, err)
		}
	}
}

// An administrator's notice replaces the derived rules for its year; a bad one changes nothing.
func TestWithNotice(t *testing.T) {
	base := seeded(t)
	before, _ := base.Holidays(2027)
	n := calendar.Notice{
		Year: 2027,
		DaysOff: []calendar.Day{
			{Date: "2027-01-01", Kind: calendar.KindHoliday, Name: "Tết Dương lịch"},
			{Date: "2027-02-12", Kind: calendar.KindDayOff, Name: "Nghỉ hoán đổi"},
		},
		WorkingDays: []calendar.Day{{Date: "2027-02-20", Kind: calendar.KindWorkingDay, Name: "Làm bù cho ngày 12/02"}},
	}
	c, err := base.WithNotice(n)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.Holidays(2027)
	want := []calendar.Day{n.DaysOff[0], n.DaysOff[1], n.WorkingDays[0]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Holidays(2027) with the notice (-want +got):\n%s", diff)
	}
	if !c.IsWorkingDay(at(t, "2027-02-20T10:00:00+07:00")) || c.IsWorkingDay(at(t, "2027-02-12T10:00:00+07:00")) {
		t.Error("the notice's swap is not applied")
	}
	if !c.IsWorkingDay(at(t, "2027-02-08T10:00:00+07:00")) {
		t.Error("a derived Tết day survived the notice that replaces the year")
	}
	// The official notices are kept.
	if len(c.Notices()) != len(base.Notices())+1 {
		t.Errorf("%d notices after adding one to %d", len(c.Notices()), len(base.Notices()))
	}
	// Replacing the same year again replaces, not adds.
	n2 := n
	n2.WorkingDays = nil
	n2.DaysOff = n.DaysOff[:1]
	c2, err := c.WithNotice(n2)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c2.Holidays(2027); len(got) != 1 {
		t.Errorf("replaced notice lists %d days, want 1", len(got))
	}
	// And removing it restores the derived rules.
	c3, err := c2.WithoutNotice(2027)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c3.Holidays(2027); !cmp.Equal(got, before) {
		t.Error("WithoutNotice(2027) did not restore the derived year")
	}

	bad := n
	bad.DaysOff = append([]calendar.Day{}, n.DaysOff...)
	bad.DaysOff = append(bad.DaysOff, calendar.Day{Date: "2028-01-03", Kind: calendar.KindDayOff, Name: "x"})
	if _, err := base.WithNotice(bad); !errors.Is(err, calendar.ErrInvalidNotice) {
		t.Errorf("bad notice: error = %v, want ErrInvalidNotice", err)
	}
	after, _ := base.Holidays(2027)
	if !cmp.Equal(before, after) {
		t.Error("a rejected notice changed the calendar")
	}
	// The caller's slices are not shared.
	n.DaysOff[0].Name = "changed"
	if got, _ := c.Holidays(2027); got[0].Name == "changed" {
		t.Error("the calendar shares the notice's slices")
	}
}

func TestNewNoticeErrors(t *testing.T) {
	ns, err := calendar.ParseNotices(seed.CalendarNotices())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calendar.New(calendar.DefaultConfig(), append(ns, ns[0])); !errors.Is(err, calendar.ErrInvalidNotice) {
		t.Errorf("two notices for one year: error = %v", err)
	}
	cfg := calendar.DefaultConfig()
	cfg.FirstYear, cfg.LastYear = 2030, 2040
	if _, err := calendar.New(cfg, ns); !errors.Is(err, calendar.ErrOutOfRange) {
		t.Errorf("notice outside the years: error = %v", err)
	}
	broken := calendar.Notice{Year: 2027, DaysOff: []calendar.Day{{Date: "2027-13-01", Kind: calendar.KindHoliday, Name: "x"}}}
	if _, err := calendar.New(calendar.DefaultConfig(), []calendar.Notice{broken}); !errors.Is(err, calendar.ErrInvalidNotice) {
		t.Errorf("notice built in code with a bad date: error = %v", err)
	}
}
