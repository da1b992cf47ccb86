package calendar_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
)

// TestNoticesReproduced: with the official notices loaded, Holidays(year) is exactly the
// notice's entries, by date. The expected list is read from the embedded seed files with plain
// encoding/json, not through ParseNotice.
func TestNoticesReproduced(t *testing.T) {
	c := seeded(t)
	files := seed.CalendarNotices()
	if len(files) < 2 {
		t.Fatalf("want the 2025 and 2026 notices in the seed, got %d files", len(files))
	}
	for year, b := range files {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			var raw struct {
				DaysOff     []calendar.Day `json:"days_off"`
				WorkingDays []calendar.Day `json:"working_days"`
			}
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			want := append(raw.DaysOff, raw.WorkingDays...)
			sort.Slice(want, func(i, j int) bool { return want[i].Date < want[j].Date })
			got, err := c.Holidays(year)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Holidays(%d) (-notice +got):\n%s", year, diff)
			}
			// Every listed date has the effect its kind says.
			for _, d := range got {
				day, _ := time.ParseInLocation(time.DateOnly, d.Date, calendar.VN)
				if w := c.IsWorkingDay(day.Add(10 * time.Hour)); w != (d.Kind == calendar.KindWorkingDay) {
					t.Errorf("%s (%s): IsWorkingDay = %v", d.Date, d.Kind, w)
				}
			}
		})
	}
}

type dk struct {
	Date string
	Kind calendar.DayKind
}

func datesKinds(days []calendar.Day) []dk {
	out := make([]dk, len(days))
	for i, d := range days {
		out[i] = dk{d.Date, d.Kind}
	}
	return out
}

// Derived years, worked out by hand from the statutory rules and published lunar dates.
func TestDerivedYears(t *testing.T) {
	const H, O = calendar.KindHoliday, calendar.KindDayOff
	tests := []struct {
		year int
		cfg  func(*calendar.Config)
		want []dk
	}{
		{2027, nil, []dk{
			{"2027-01-01", H},
			{"2027-02-05", H}, {"2027-02-06", H}, {"2027-02-07", H}, {"2027-02-08", H}, {"2027-02-09", H}, // Tết 6/2 (Saturday)
			{"2027-02-10", O}, {"2027-02-11", O}, // make-up for Saturday 6/2 and Sunday 7/2
			{"2027-04-16", H},                                       // Giỗ Tổ
			{"2027-04-30", H}, {"2027-05-01", H}, {"2027-05-03", O}, // 1/5 on Saturday
			{"2027-09-01", H}, {"2027-09-02", H},
			{"2027-11-24", H},
		}},
		{2027, func(c *calendar.Config) { c.TetOffsets = []int{-2, -1, 0, 1, 2}; c.NationalDayAdjacent = 1 }, []dk{
			{"2027-01-01", H},
			{"2027-02-04", H}, {"2027-02-05", H}, {"2027-02-06", H}, {"2027-02-07", H}, {"2027-02-08", H},
			{"2027-02-09", O}, {"2027-02-10", O},
			{"2027-04-16", H},
			{"2027-04-30", H}, {"2027-05-01", H}, {"2027-05-03", O},
			{"2027-09-02", H}, {"2027-09-03", H},
			{"2027-11-24", H},
		}},
		{2030, nil, []dk{
			{"2030-01-01", H},
			{"2030-02-01", H}, {"2030-02-02", H}, {"2030-02-03", H}, {"2030-02-04", H}, {"2030-02-05", H}, // Tết 2/2 (CN 3/2)
			{"2030-02-06", O}, {"2030-02-07", O},
			{"2030-04-12", H},
			{"2030-04-30", H}, {"2030-05-01", H},
			{"2030-09-01", H}, {"2030-09-02", H}, {"2030-09-03", O}, // 1/9 on Sunday
			{"2030-11-24", H}, {"2030-11-25", O}, // 24/11 on Sunday
		}},
		{1985, nil, []dk{
			{"1985-01-01", H},
			{"1985-01-20", H}, {"1985-01-21", H}, {"1985-01-22", H}, {"1985-01-23", H}, {"1985-01-24", H}, // Tết 21/1 (CN 20/2)
			{"1985-01-25", O}, // make-up for Sunday 20/1
			{"1985-04-29", H}, {"1985-04-30", H}, {"1985-05-01", H},
			{"1985-09-01", H}, {"1985-09-02", H}, {"1985-09-03", O},
			// no 24/11 before 1 July 2026
		}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.year), func(t *testing.T) {
			cfg := calendar.DefaultConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			c, err := calendar.New(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Holidays(tc.year)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, datesKinds(got)); diff != "" {
				t.Errorf("Holidays(%d) (-want +got):\n%s", tc.year, diff)
			}
		})
	}
}

func TestDerivedNames(t *testing.T) {
	got, err := derived(t).Holidays(2027)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, d := range got {
		names[d.Date] = d.Name
	}
	want := map[string]string{
		"2027-02-06": "Tết Nguyên Đán (Mùng 1 Đinh Mùi)",
		"2027-04-16": "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
		"2027-05-03": "Nghỉ bù Ngày Quốc tế Lao động rơi vào Thứ Bảy 1/5",
		"2027-11-24": "Ngày Văn hóa Việt Nam",
	}
	for date, w := range want {
		if names[date] != w {
			t.Errorf("%s: name %q, want %q", date, names[date], w)
		}
	}
	// 1947: Giỗ Tổ fell on 30/4; one day off carries both names.
	days1947, err := derived(t).Holidays(1947)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range days1947 {
		if d.Date == "1947-04-30" {
			found = true
			if want := "Giỗ Tổ Hùng Vương (10/3 âm lịch); Ngày Chiến thắng"; d.Name != want || d.Kind != calendar.KindHoliday {
				t.Errorf("1947-04-30: %+v, want holiday %q", d, want)
			}
		}
	}
	if !found {
		t.Error("1947-04-30 is not listed")
	}
}

// TestDerivedRules checks the statutory rules on every derived year of the range, against the
// lunar calendar (tested on its own above).
func TestDerivedRules(t *testing.T) {
	c := derived(t)
	cfg := calendar.DefaultConfig()
	for y := calendar.MinYear; y <= calendar.MaxYear; y++ {
		days, err := c.Holidays(y)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]calendar.DayKind{}
		var weekendHolidays, dayOffs int
		for i, d := range days {
			if i > 0 && days[i-1].Date >= d.Date {
				t.Fatalf("%d: not sorted or duplicate at %s", y, d.Date)
			}
			if d.Date[:4] != fmt.Sprint(y) {
				t.Fatalf("%d: entry %s outside its year", y, d.Date)
			}
			kinds[d.Date] = d.Kind
			date, _ := time.ParseInLocation(time.DateOnly, d.Date, calendar.VN)
			weekend := date.Weekday() == time.Saturday || date.Weekday() == time.Sunday
			switch d.Kind {
			case calendar.KindHoliday:
				if weekend {
					weekendHolidays++
				}
			case calendar.KindDayOff:
				dayOffs++
				if weekend {
					t.Errorf("%d: make-up day %s on a weekend", y, d.Date)
				}
			default:
				t.Errorf("%d: derived year lists kind %s", y, d.Kind)
			}
			if c.IsWorkingDay(date.Add(9 * time.Hour)) {
				t.Errorf("%d: %s (%s) is a working day", y, d.Date, d.Kind)
			}
		}
		if dayOffs != weekendHolidays {
			t.Errorf("%d: %d holidays on weekends but %d make-up days", y, weekendHolidays, dayOffs)
		}
		must := []string{fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-04-30", y), fmt.Sprintf("%d-05-01", y), fmt.Sprintf("%d-09-01", y), fmt.Sprintf("%d-09-02", y)}
		ty, tm, td, _ := calendar.FromLunar(calendar.LunarDate{Year: y, Month: 1, Day: 1})
		tet := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
		for _, off := range cfg.TetOffsets {
			must = append(must, tet.AddDate(0, 0, off).Format(time.DateOnly))
		}
		gy, gm, gd, _ := calendar.FromLunar(calendar.LunarDate{Year: y, Month: 3, Day: 10})
		must = append(must, fmt.Sprintf("%d-%02d-%02d", gy, gm, gd))
		if y >= 2026 {
			must = append(must, fmt.Sprintf("%d-11-24", y))
		} else if _, ok := kinds[fmt.Sprintf("%d-11-24", y)]; ok {
			t.Errorf("%d: 24/11 is a holiday before 2026", y)
		}
		for _, m := range must {
			if kinds[m] != calendar.KindHoliday {
				t.Errorf("%d: %s is not listed as a holiday", y, m)
			}
		}
		distinct := map[string]bool{}
		for _, m := range must {
			distinct[m] = true
		}
		if len(kinds)-dayOffs != len(distinct) {
			t.Errorf("%d: %d holidays, want %d", y, len(kinds)-dayOffs, len(distinct))
		}
		if len(distinct) != len(must) {
			t.Logf("%d: two holidays on one date", y) // Giỗ Tổ on 30/4, as in 1947
		}
	}
}

func TestHolidaysOutOfRange(t *testing.T) {
	c := seeded(t)
	for _, y := range []int{1899, 2101, 0} {
		if _, err := c.Holidays(y); err == nil {
			t.Errorf("Holidays(%d): no error", y)
		}
	}
	cfg := calendar.DefaultConfig()
	cfg.FirstYear, cfg.LastYear = 2024, 2030
	small, err := calendar.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := small.Holidays(2031); err == nil {
		t.Error("Holidays(2031) on a 2024-2030 calendar: no error")
	}
	if _, err := small.Due(at(t, "2030-12-31T10:00:00+07:00"), dur(t, "1d")); err == nil {
		t.Error("Due past the last year: no error")
	}
}

func TestMonthGrid(t *testing.T) {
	c := seeded(t)
	grid, err := c.MonthGrid(2026, time.February)
	if err != nil {
		t.Fatal(err)
	}
	if len(grid) != 28 {
		t.Fatalf("February 2026 has %d days", len(grid))
	}
	var off []string
	for _, d := range grid {
		if !d.Working && d.Weekday != time.Saturday && d.Weekday != time.Sunday {
			off = append(off, d.Date)
			if d.Kind == "" || d.Name == "" {
				t.Errorf("%s is off without a reason", d.Date)
			}
		}
	}
	if diff := cmp.Diff([]string{"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"}, off); diff != "" {
		t.Errorf("weekdays off in February 2026 (-want +got):\n%s", diff)
	}
	if _, err := c.MonthGrid(2026, 13); err == nil {
		t.Error("MonthGrid(2026, 13): no error")
	}
}

func TestConfigErrors(t *testing.T) {
	tests := map[string]func(*calendar.Config){
		"no sessions":            func(c *calendar.Config) { c.Sessions = nil },
		"7-hour day":             func(c *calendar.Config) { c.Sessions = []calendar.Session{{Start: 480, End: 900}} },
		"no weekdays":            func(c *calendar.Config) { c.WorkingWeekdays = nil },
		"weekday 9":              func(c *calendar.Config) { c.WorkingWeekdays = []time.Weekday{9} },
		"4 Tết days":             func(c *calendar.Config) { c.TetOffsets = []int{0, 1, 2, 3} },
		"Tết offset 8":           func(c *calendar.Config) { c.TetOffsets = []int{0, 1, 2, 3, 8} },
		"Tết offsets repeated":   func(c *calendar.Config) { c.TetOffsets = []int{0, 1, 2, 3, 3} },
		"2/9 adjacent 0":         func(c *calendar.Config) { c.NationalDayAdjacent = 0 },
		"2/9 adjacent 2":         func(c *calendar.Config) { c.NationalDayAdjacent = 2 },
		"years before range":     func(c *calendar.Config) { c.FirstYear = 1800 },
		"years after range":      func(c *calendar.Config) { c.LastYear = 2200 },
		"years inverted":         func(c *calendar.Config) { c.FirstYear, c.LastYear = 2030, 2020 },
		"zero config by mistake": func(c *calendar.Config) { *c = calendar.Config{} },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := calendar.DefaultConfig()
			mutate(&cfg)
			if _, err := calendar.New(cfg, nil); err == nil {
				t.Error("New: no error")
			}
		})
	}
}
