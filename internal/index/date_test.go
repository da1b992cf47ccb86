package index

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func d(y int, m time.Month, day int) Date { return NewDate(y, m, day) }

func TestDateOf(t *testing.T) {
	tests := []struct {
		in   time.Time
		want Date
	}{
		{time.Date(2026, 3, 1, 16, 59, 0, 0, time.UTC), d(2026, 3, 1)},
		{time.Date(2026, 3, 1, 17, 0, 0, 0, time.UTC), d(2026, 3, 2)}, // midnight in Vietnam
		{time.Date(2026, 3, 2, 0, 0, 0, 0, Zone), d(2026, 3, 2)},
		{time.Date(2024, 2, 29, 23, 59, 0, 0, Zone), d(2024, 2, 29)},
	}
	for _, tc := range tests {
		t.Run(tc.in.String(), func(t *testing.T) {
			if got := DateOf(tc.in); got != tc.want {
				t.Errorf("DateOf = %s, want %s", got, tc.want)
			}
			if got := DateOf(tc.want.Time()); got != tc.want {
				t.Errorf("DateOf(Time()) = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2026-08-31", d(2026, 8, 31), false},
		{"2028-02-29", d(2028, 2, 29), false},
		{"2026-02-29", 0, true},
		{"2026-13-01", 0, true},
		{"2026-00-10", 0, true},
		{"1999-12-31", 0, true},
		{"2026-8-31", 0, true},
		{"+026-08-31", 0, true},
		{"2026-+8-31", 0, true},
		{"2026-08--1", 0, true},
		{"", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseDate(%q) = %s, %v; want %s, err %v", tc.in, got, err, tc.want, tc.wantErr)
			}
			if err == nil && got.String() != tc.in {
				t.Errorf("round trip %q -> %q", tc.in, got.String())
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-08-31", "2026-02-29", "0000-00-00", "2199-12-31", "abcd-ef-gh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dt, err := ParseDate(s)
		if err != nil {
			return
		}
		if dt.String() != s {
			t.Errorf("ParseDate(%q) = %s: not a round trip", s, dt)
		}
		var back Date
		if err := back.UnmarshalText([]byte(dt.String())); err != nil || back != dt {
			t.Errorf("UnmarshalText(%s) = %s, %v", dt, back, err)
		}
	})
}

func TestPeriods(t *testing.T) {
	mk := func(p Period, err error) Period {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name     string
		p        Period
		from, to Date
		previous Period
	}{
		{"February of a leap year", mk(Month(2028, time.February)), d(2028, 2, 1), d(2028, 2, 29),
			Period{d(2028, 1, 1), d(2028, 1, 31), KindMonth}},
		{"January steps back a year", mk(Month(2026, time.January)), d(2026, 1, 1), d(2026, 1, 31),
			Period{d(2025, 12, 1), d(2025, 12, 31), KindMonth}},
		{"March steps back to February", mk(Month(2026, time.March)), d(2026, 3, 1), d(2026, 3, 31),
			Period{d(2026, 2, 1), d(2026, 2, 28), KindMonth}},
		{"quarter 3", mk(Quarter(2026, 3)), d(2026, 7, 1), d(2026, 9, 30),
			Period{d(2026, 4, 1), d(2026, 6, 30), KindQuarter}},
		{"quarter 1", mk(Quarter(2026, 1)), d(2026, 1, 1), d(2026, 3, 31),
			Period{d(2025, 10, 1), d(2025, 12, 31), KindQuarter}},
		{"first half", mk(Months6(2026, 1)), d(2026, 1, 1), d(2026, 6, 30),
			Period{d(2025, 7, 1), d(2025, 12, 31), KindHalf}},
		{"second half", mk(Months6(2026, 2)), d(2026, 7, 1), d(2026, 12, 31),
			Period{d(2026, 1, 1), d(2026, 6, 30), KindHalf}},
		{"9 months", mk(Months9(2026)), d(2026, 1, 1), d(2026, 9, 30),
			Period{d(2025, 1, 1), d(2025, 9, 30), KindNine}},
		{"year", mk(Year(2026)), d(2026, 1, 1), d(2026, 12, 31),
			Period{d(2025, 1, 1), d(2025, 12, 31), KindYear}},
		{"custom", mk(Custom(d(2026, 3, 10), d(2026, 3, 19))), d(2026, 3, 10), d(2026, 3, 19),
			Period{d(2026, 2, 28), d(2026, 3, 9), KindCustom}},
		{"first possible year steps back by its 366 days", mk(Year(MinYear)), d(MinYear, 1, 1), d(MinYear, 12, 31),
			Period{d(MinYear-2, 12, 31), d(MinYear-1, 12, 31), KindCustom}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.p.From != tc.from || tc.p.To != tc.to {
				t.Errorf("period %s..%s, want %s..%s", tc.p.From, tc.p.To, tc.from, tc.to)
			}
			if err := tc.p.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if diff := cmp.Diff(tc.previous, tc.p.Previous()); diff != "" {
				t.Errorf("Previous (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPeriodErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"month 13", second(Month(2026, 13))},
		{"month 0", second(Month(2026, 0))},
		{"year too early", second(Month(1999, 1))},
		{"quarter 5", second(Quarter(2026, 5))},
		{"half 3", second(Months6(2026, 3))},
		{"9 months too late", second(Months9(MaxYear + 1))},
		{"year too late", second(Year(MaxYear + 1))},
		{"from after to", second(Custom(d(2026, 3, 2), d(2026, 3, 1)))},
		{"too long", second(Custom(d(2020, 1, 1), d(2030, 1, 2)))},
		{"before the range", second(Custom(d(1999, 12, 31), d(2026, 3, 1)))},
		{"unknown kind", Period{From: d(2026, 1, 1), To: d(2026, 1, 1), Kind: "week"}.Validate()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Error("no error")
			}
		})
	}
	if p, err := Custom(d(2020, 1, 1), d(2029, 12, 31)); err != nil || p.Days() != 3653 {
		t.Errorf("ten years: %v, %d days", err, p.Days())
	}
}

func second(_ Period, err error) error { return err }
