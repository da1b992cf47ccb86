package calendar_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/calendar"
)

// Tết (mùng 1 tháng Giêng) as published in Vietnamese calendars. The years marked CN are those in
// which the Chinese calendar (UTC+8) puts the New Year on another day.
var tetDates = []struct {
	year     int
	month    time.Month
	day      int
	chinaDay string
}{
	{1968, time.January, 29, "CN 1968-01-30 (North Vietnam switched to UTC+7 that year)"},
	{1975, time.February, 11, ""},
	{1976, time.January, 31, ""},
	{1977, time.February, 18, ""},
	{1985, time.January, 21, "CN 1985-02-20"},
	{1990, time.January, 27, ""},
	{1991, time.February, 15, ""},
	{1992, time.February, 4, ""},
	{2000, time.February, 5, ""},
	{2001, time.January, 24, ""},
	{2002, time.February, 12, ""},
	{2003, time.February, 1, ""},
	{2004, time.January, 22, ""},
	{2005, time.February, 9, ""},
	{2006, time.January, 29, ""},
	{2007, time.February, 17, "CN 2007-02-18"},
	{2008, time.February, 7, ""},
	{2009, time.January, 26, ""},
	{2010, time.February, 14, ""},
	{2011, time.February, 3, ""},
	{2012, time.January, 23, ""},
	{2013, time.February, 10, ""},
	{2014, time.January, 31, ""},
	{2015, time.February, 19, ""},
	{2016, time.February, 8, ""},
	{2017, time.January, 28, ""},
	{2018, time.February, 16, ""},
	{2019, time.February, 5, ""},
	{2020, time.January, 25, ""},
	{2021, time.February, 12, ""},
	{2022, time.February, 1, ""},
	{2023, time.January, 22, ""},
	{2024, time.February, 10, ""},
	{2025, time.January, 29, ""},
	{2026, time.February, 17, ""},
	{2027, time.February, 6, ""},
	{2028, time.January, 26, ""},
	{2029, time.February, 13, ""},
	{2030, time.February, 2, "CN 2030-02-03"},
}

func TestTet(t *testing.T) {
	for _, tc := range tetDates {
		t.Run(fmt.Sprint(tc.year), func(t *testing.T) {
			y, m, d, err := calendar.FromLunar(calendar.LunarDate{Year: tc.year, Month: 1, Day: 1})
			if err != nil {
				t.Fatal(err)
			}
			if y != tc.year || m != tc.month || d != tc.day {
				t.Errorf("Tết %d = %d-%02d-%02d, want %d-%02d-%02d %s", tc.year, y, m, d, tc.year, tc.month, tc.day, tc.chinaDay)
			}
			l, err := calendar.ToLunar(tc.year, tc.month, tc.day)
			if err != nil {
				t.Fatal(err)
			}
			if want := (calendar.LunarDate{Year: tc.year, Month: 1, Day: 1}); l != want {
				t.Errorf("ToLunar(%d-%02d-%02d) = %v, want %v", tc.year, tc.month, tc.day, l, want)
			}
			prev, err := calendar.ToLunar(tc.year, tc.month, tc.day-1)
			if err == nil && (prev.Year != tc.year-1 || prev.Month != 12 || prev.Day < 29) {
				t.Errorf("day before Tết %d = %v, want 29 or 30/12/%d", tc.year, prev, tc.year-1)
			}
		})
	}
}

// Giỗ Tổ Hùng Vương (10/3 lunar) as published, 2016-2027.
func TestGioTo(t *testing.T) {
	want := map[int]string{
		2016: "2016-04-16", 2017: "2017-04-06", 2018: "2018-04-25", 2019: "2019-04-14",
		2020: "2020-04-02", 2021: "2021-04-21", 2022: "2022-04-10", 2023: "2023-04-29",
		2024: "2024-04-18", 2025: "2025-04-07", 2026: "2026-04-26", 2027: "2027-04-16",
	}
	for year, w := range want {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			y, m, d, err := calendar.FromLunar(calendar.LunarDate{Year: year, Month: 3, Day: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%d-%02d-%02d", y, m, d); got != w {
				t.Errorf("Giỗ Tổ %d = %s, want %s", year, got, w)
			}
		})
	}
}

func TestLeapMonth(t *testing.T) {
	want := map[int]int{
		2001: 4, 2004: 2, 2006: 7, 2009: 5, 2012: 4, 2014: 9, 2017: 6, 2020: 4, 2023: 2, 2025: 6, 2028: 5,
		2002: 0, 2019: 0, 2024: 0, 2026: 0, 2027: 0,
	}
	for year, w := range want {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			got, err := calendar.LeapMonth(year)
			if err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("LeapMonth(%d) = %d, want %d", year, got, w)
			}
			if w == 0 {
				return
			}
			// The leap month follows the regular month of the same number.
			y1, m1, d1, err := calendar.FromLunar(calendar.LunarDate{Year: year, Month: w, Day: 1})
			if err != nil {
				t.Fatal(err)
			}
			y2, m2, d2, err := calendar.FromLunar(calendar.LunarDate{Year: year, Month: w, Day: 1, Leap: true})
			if err != nil {
				t.Fatal(err)
			}
			gap := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24
			if gap != 29 && gap != 30 {
				t.Errorf("leap month %d of %d starts %v days after the regular one", w, year, gap)
			}
		})
	}
}

// TestLunarEveryDay converts every day 1900-2100 both ways and checks the calendar's shape: days
// advance by one or start a new month after 29 or 30, months follow in order with at most one
// leap month a year, a leap month repeats the month before it, and each year has 12 or 13 months.
func TestLunarEveryDay(t *testing.T) {
	d := time.Date(calendar.MinYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(calendar.MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	var prev calendar.LunarDate
	months := map[int]int{}
	for ; d.Before(end); d = d.AddDate(0, 0, 1) {
		l, err := calendar.ToLunar(d.Year(), d.Month(), d.Day())
		if err != nil {
			t.Fatalf("ToLunar(%s): %v", d.Format(time.DateOnly), err)
		}
		y, m, dd, err := calendar.FromLunar(l)
		if err != nil {
			t.Fatalf("FromLunar(%v) from %s: %v", l, d.Format(time.DateOnly), err)
		}
		if y != d.Year() || m != d.Month() || dd != d.Day() {
			t.Fatalf("FromLunar(ToLunar(%s)) = %d-%02d-%02d", d.Format(time.DateOnly), y, m, dd)
		}
		if prev.Year != 0 {
			switch {
			case l.Day == prev.Day+1:
				if l.Month != prev.Month || l.Year != prev.Year || l.Leap != prev.Leap {
					t.Fatalf("%s: %v follows %v", d.Format(time.DateOnly), l, prev)
				}
			case l.Day == 1:
				if prev.Day != 29 && prev.Day != 30 {
					t.Fatalf("%s: month %v ended on day %d", d.Format(time.DateOnly), prev, prev.Day)
				}
				okNext := (l.Leap && !prev.Leap && l.Month == prev.Month && l.Year == prev.Year) ||
					(!l.Leap && l.Month == prev.Month%12+1 && (l.Year == prev.Year || (l.Month == 1 && l.Year == prev.Year+1)))
				if !okNext {
					t.Fatalf("%s: month %v follows %v", d.Format(time.DateOnly), l, prev)
				}
				if l.Month == 1 && !l.Leap && !(d.Month() == time.January && d.Day() >= 20 || d.Month() == time.February && d.Day() <= 21) {
					t.Fatalf("%s: Tết outside 20 January - 21 February", d.Format(time.DateOnly))
				}
				months[l.Year]++
			default:
				t.Fatalf("%s: %v follows %v", d.Format(time.DateOnly), l, prev)
			}
		}
		prev = l
	}
	for y := calendar.MinYear; y <= calendar.MaxYear-1; y++ {
		leap, _ := calendar.LeapMonth(y)
		want := 12
		if leap != 0 {
			want = 13
		}
		if months[y] != want {
			t.Errorf("lunar year %d has %d months, leap month %d", y, months[y], leap)
		}
	}
}

func TestLunarErrors(t *testing.T) {
	tests := []struct {
		name string
		l    calendar.LunarDate
		want error
	}{
		{"day 31", calendar.LunarDate{Year: 2026, Month: 1, Day: 31}, calendar.ErrNoSuchDate},
		{"day 0", calendar.LunarDate{Year: 2026, Month: 1, Day: 0}, calendar.ErrNoSuchDate},
		{"month 13", calendar.LunarDate{Year: 2026, Month: 13, Day: 1}, calendar.ErrNoSuchDate},
		{"no leap month in 2026", calendar.LunarDate{Year: 2026, Month: 6, Day: 1, Leap: true}, calendar.ErrNoSuchDate},
		{"wrong leap month in 2025", calendar.LunarDate{Year: 2025, Month: 5, Day: 1, Leap: true}, calendar.ErrNoSuchDate},
		{"year before range", calendar.LunarDate{Year: 1800, Month: 1, Day: 1}, calendar.ErrOutOfRange},
		{"year after range", calendar.LunarDate{Year: 2101, Month: 1, Day: 1}, calendar.ErrOutOfRange},
		{"month 1 of 1899 not covered", calendar.LunarDate{Year: 1899, Month: 1, Day: 1}, calendar.ErrOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := calendar.FromLunar(tc.l)
			if !errors.Is(err, tc.want) {
				t.Errorf("FromLunar(%+v) error = %v, want %v", tc.l, err, tc.want)
			}
		})
	}
	// A 29-day month has no day 30.
	for m := 1; m <= 12; m++ {
		y1, m1, d1, _ := calendar.FromLunar(calendar.LunarDate{Year: 2026, Month: m, Day: 29})
		_, _, _, err := calendar.FromLunar(calendar.LunarDate{Year: 2026, Month: m, Day: 30})
		next, _ := calendar.ToLunar(y1, m1, d1+1)
		if next.Day == 1 && !errors.Is(err, calendar.ErrNoSuchDate) {
			t.Errorf("month %d of 2026 has 29 days but day 30 gives %v", m, err)
		}
	}
	gregorian := []struct {
		y    int
		m    time.Month
		d    int
		want error
	}{
		{2026, time.February, 29, calendar.ErrNoSuchDate},
		{2026, time.April, 31, calendar.ErrNoSuchDate},
		{2026, 13, 1, calendar.ErrNoSuchDate},
		{1899, time.December, 31, calendar.ErrOutOfRange},
		{2101, time.January, 1, calendar.ErrOutOfRange},
	}
	for _, g := range gregorian {
		if _, err := calendar.ToLunar(g.y, g.m, g.d); !errors.Is(err, g.want) {
			t.Errorf("ToLunar(%d, %d, %d) error = %v, want %v", g.y, g.m, g.d, err, g.want)
		}
	}
}

func TestYearName(t *testing.T) {
	got := []string{calendar.YearName(1985), calendar.YearName(2024), calendar.YearName(2025), calendar.YearName(2026)}
	want := []string{"Ất Sửu", "Giáp Thìn", "Ất Tỵ", "Bính Ngọ"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("YearName (-want +got):\n%s", diff)
	}
}

func TestLunarDateString(t *testing.T) {
	if got := (calendar.LunarDate{Year: 2025, Month: 6, Day: 1, Leap: true}).String(); got != "1/6 nhuận/2025" {
		t.Errorf("String = %q", got)
	}
}
