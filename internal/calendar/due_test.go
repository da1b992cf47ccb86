package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// Hand-computed deadlines over the official 2026 notice (default sessions 07:30-11:30,
// 13:00-17:00). 2026-03-02 is a Monday.
func TestDue(t *testing.T) {
	c := seeded(t)
	tests := []struct {
		name, start, dur, want string
	}{
		{"one working day from the first minute ends at the day's end", "2026-03-02T07:30:00+07:00", "1d", "2026-03-02T17:00:00+07:00"},
		{"4 hours end at the morning session's end, not 13:00", "2026-03-02T07:30:00+07:00", "4h", "2026-03-02T11:30:00+07:00"},
		{"240 minutes likewise", "2026-03-02T07:30:00+07:00", "240m", "2026-03-02T11:30:00+07:00"},
		{"one more minute crosses lunch", "2026-03-02T07:30:00+07:00", "241m", "2026-03-02T13:01:00+07:00"},
		{"start at lunch counts from 13:00", "2026-03-02T12:00:00+07:00", "1h", "2026-03-02T14:00:00+07:00"},
		{"start at a session end counts from the next session", "2026-03-02T11:30:00+07:00", "1m", "2026-03-02T13:01:00+07:00"},
		{"start before work", "2026-03-02T06:00:00+07:00", "1h", "2026-03-02T08:30:00+07:00"},
		{"start after work", "2026-03-02T17:00:00+07:00", "1h", "2026-03-03T08:30:00+07:00"},
		{"start on Sunday", "2026-03-01T10:00:00+07:00", "1d", "2026-03-02T17:00:00+07:00"},
		{"zero in working time is the start", "2026-03-02T09:10:00+07:00", "0d", "2026-03-02T09:10:00+07:00"},
		{"zero at lunch is the next working moment", "2026-03-02T12:00:00+07:00", "0h", "2026-03-02T13:00:00+07:00"},
		{"zero on Saturday is Monday 07:30", "2026-03-07T10:00:00+07:00", "0m", "2026-03-09T07:30:00+07:00"},
		{"issue example: across Tết 2026", "2026-02-13T10:15:00+07:00", "3d", "2026-02-25T10:15:00+07:00"},
		{"worked Saturday 10/01/2026 counts", "2026-01-09T16:00:00+07:00", "2h", "2026-01-10T08:30:00+07:00"},
		{"worked Saturday 22/8/2026 counts", "2026-08-21T16:00:00+07:00", "2h", "2026-08-22T08:30:00+07:00"},
		{"swapped 31/8 and 1-2/9 are off", "2026-08-28T16:00:00+07:00", "2h", "2026-09-03T08:30:00+07:00"},
		{"make-up day for Giỗ Tổ 27/4/2026 is off", "2026-04-23T16:00:00+07:00", "2d", "2026-04-28T16:00:00+07:00"},
		{"input in UTC, output in VN", "2026-03-02T00:30:00Z", "1d", "2026-03-02T17:00:00+07:00"},
		{"seconds are kept", "2026-03-02T10:00:30+07:00", "1h", "2026-03-02T11:00:30+07:00"},
		{"365 working days", "2026-03-02T07:30:00+07:00", "365d", ""},
		{"calendar days ending on Giỗ Tổ Sunday then a day off", "2026-04-16T10:00:00+07:00", "10cd", "2026-04-28T17:00:00+07:00"},
		{"calendar days ending on a working day end at its close", "2026-03-02T10:00:00+07:00", "3cd", "2026-03-05T17:00:00+07:00"},
		{"zero calendar days is the same day's end", "2026-03-02T10:00:00+07:00", "0cd", "2026-03-02T17:00:00+07:00"},
		{"calendar days from after work count from the next working day", "2026-03-06T17:30:00+07:00", "1cd", "2026-03-10T17:00:00+07:00"},
		{"month ending on Saturday 28/2 (30/1 has no 30/2)", "2026-01-30T09:00:00+07:00", "1mo", "2026-03-02T17:00:00+07:00"},
		{"month on a working day", "2026-03-02T09:00:00+07:00", "2mo", "2026-05-04T17:00:00+07:00"},
		{"same day before the cut-off", "2026-03-02T14:00:00+07:00", "sameday@15:00", "2026-03-02T17:00:00+07:00"},
		{"same day exactly at the cut-off", "2026-03-02T15:00:00+07:00", "sameday@15:00", "2026-03-02T17:00:00+07:00"},
		{"same day one second after the cut-off", "2026-03-02T15:00:01+07:00", "sameday@15:00", "2026-03-03T17:00:00+07:00"},
		{"same day on Saturday", "2026-03-07T16:00:00+07:00", "sameday@15:00", "2026-03-09T17:00:00+07:00"},
		{"same day after the cut-off before Tết", "2026-02-13T16:00:00+07:00", "sameday@15:00", "2026-02-23T17:00:00+07:00"},
		{"same day without cut-off after work", "2026-03-02T17:30:00+07:00", "sameday", "2026-03-03T17:00:00+07:00"},
		{"last day of the range", "2100-12-30T10:00:00+07:00", "1d", "2100-12-31T10:00:00+07:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := at(t, tc.start)
			got, err := c.Due(start, dur(t, tc.dur))
			if err != nil {
				t.Fatalf("Due(%s, %s): %v", tc.start, tc.dur, err)
			}
			if got.Location() != calendar.VN {
				t.Errorf("Due returned location %v, want VN", got.Location())
			}
			if tc.want == "" { // checked by its inverse only
				if m := c.Elapsed(start, got); m != 365*480 {
					t.Errorf("Elapsed(start, Due 365d) = %d", m)
				}
				return
			}
			if want := at(t, tc.want); !got.Equal(want) || got.Format(time.RFC3339) != tc.want {
				t.Errorf("Due(%s, %s) = %s, want %s", tc.start, tc.dur, got.Format(time.RFC3339), tc.want)
			}
		})
	}
}

func TestDueErrors(t *testing.T) {
	c := seeded(t)
	tests := []struct {
		name  string
		start string
		d     calendar.Duration
		want  error
	}{
		{"negative", "2026-03-02T10:00:00+07:00", calendar.Duration{Value: -1, Unit: calendar.WorkingDay}, calendar.ErrInvalidDuration},
		{"unknown unit", "2026-03-02T10:00:00+07:00", calendar.Duration{Value: 1, Unit: "fortnight"}, calendar.ErrInvalidDuration},
		{"cut-off on working days", "2026-03-02T10:00:00+07:00", calendar.Duration{Value: 1, Unit: calendar.WorkingDay, Cutoff: "15:00"}, calendar.ErrInvalidDuration},
		{"bad cut-off", "2026-03-02T10:00:00+07:00", calendar.Duration{Unit: calendar.SameDay, Cutoff: "25:00"}, calendar.ErrInvalidDuration},
		{"same day with a value", "2026-03-02T10:00:00+07:00", calendar.Duration{Value: 2, Unit: calendar.SameDay}, calendar.ErrInvalidDuration},
		{"too large", "2026-03-02T10:00:00+07:00", calendar.Duration{Value: calendar.MaxDurationValue + 1, Unit: calendar.WorkingDay}, calendar.ErrInvalidDuration},
		{"start before the range", "1899-12-31T10:00:00+07:00", calendar.Duration{Value: 1, Unit: calendar.WorkingDay}, calendar.ErrOutOfRange},
		{"start after the range", "2101-01-03T10:00:00+07:00", calendar.Duration{Value: 1, Unit: calendar.WorkingDay}, calendar.ErrOutOfRange},
		{"result after the range", "2100-12-31T10:00:00+07:00", calendar.Duration{Value: 1, Unit: calendar.WorkingDay}, calendar.ErrOutOfRange},
		{"huge result after the range", "2026-03-02T10:00:00+07:00", calendar.Duration{Value: calendar.MaxDurationValue, Unit: calendar.WorkingDay}, calendar.ErrOutOfRange},
		{"calendar days after the range", "2100-12-31T10:00:00+07:00", calendar.Duration{Value: 1, Unit: calendar.CalendarDay}, calendar.ErrOutOfRange},
		{"months after the range", "2026-03-02T10:00:00+07:00", calendar.Duration{Value: calendar.MaxDurationValue, Unit: calendar.Month}, calendar.ErrOutOfRange},
		{"same day after the range", "2100-12-31T17:30:00+07:00", calendar.Duration{Unit: calendar.SameDay}, calendar.ErrOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Due(at(t, tc.start), tc.d)
			if !errors.Is(err, tc.want) {
				t.Errorf("Due(%s, %+v) error = %v, want %v", tc.start, tc.d, err, tc.want)
			}
		})
	}
	if _, err := c.AddWorkingMinutes(at(t, "2026-03-02T10:00:00+07:00"), -5); !errors.Is(err, calendar.ErrInvalidDuration) {
		t.Errorf("AddWorkingMinutes(-5) error = %v", err)
	}
	if _, err := c.Due(time.Time{}, calendar.Duration{Value: 1, Unit: calendar.WorkingDay}); !errors.Is(err, calendar.ErrOutOfRange) {
		t.Errorf("Due(zero time) error = %v", err)
	}
}

func TestZeroDurationKeepsSubSecondStart(t *testing.T) {
	c := seeded(t)
	start := time.Date(2026, 3, 2, 9, 0, 0, 500, calendar.VN)
	got, err := c.Due(start, calendar.Duration{Unit: calendar.WorkingHour})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(start) {
		t.Errorf("Due(start, 0h) = %v, want the start %v", got, start)
	}
}

func TestElapsed(t *testing.T) {
	c := seeded(t)
	tests := []struct {
		name, a, b string
		want       int64
	}{
		{"a working day", "2026-03-02T07:30:00+07:00", "2026-03-02T17:00:00+07:00", 480},
		{"across lunch", "2026-03-02T11:00:00+07:00", "2026-03-02T13:30:00+07:00", 60},
		{"issue example inverse", "2026-02-13T10:15:00+07:00", "2026-02-25T10:15:00+07:00", 1440},
		{"weekend", "2026-03-07T00:00:00+07:00", "2026-03-09T00:00:00+07:00", 0},
		{"worked Saturday", "2026-01-09T17:00:00+07:00", "2026-01-12T07:30:00+07:00", 480},
		{"a whole non-notice week", "2027-03-01T00:00:00+07:00", "2027-03-08T00:00:00+07:00", 5 * 480},
		{"b before a", "2026-03-02T17:00:00+07:00", "2026-03-02T07:30:00+07:00", 0},
		{"equal", "2026-03-02T10:00:00+07:00", "2026-03-02T10:00:00+07:00", 0},
		{"59 seconds are not a minute", "2026-03-02T10:00:00+07:00", "2026-03-02T10:00:59+07:00", 0},
		{"60 seconds are", "2026-03-02T10:00:00+07:00", "2026-03-02T10:01:00+07:00", 1},
		{"zones mixed", "2026-03-02T00:30:00Z", "2026-03-02T17:00:00+07:00", 480},
		{"clamped before the range", "1899-06-01T00:00:00+07:00", "1900-01-02T07:31:00+07:00", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Elapsed(at(t, tc.a), at(t, tc.b)); got != tc.want {
				t.Errorf("Elapsed(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestElapsedExcluding(t *testing.T) {
	c := seeded(t)
	a, b := at(t, "2026-03-02T07:30:00+07:00"), at(t, "2026-03-03T17:00:00+07:00") // 960 minutes
	iv := func(from, to string) calendar.Interval { return calendar.Interval{From: at(t, from), To: at(t, to)} }
	tests := []struct {
		name   string
		paused []calendar.Interval
		want   int64
	}{
		{"none", nil, 960},
		{"one pause over lunch", []calendar.Interval{iv("2026-03-02T10:00:00+07:00", "2026-03-02T14:00:00+07:00")}, 960 - 150},
		{"overlapping pauses count once", []calendar.Interval{
			iv("2026-03-02T11:00:00+07:00", "2026-03-02T14:00:00+07:00"),
			iv("2026-03-02T10:00:00+07:00", "2026-03-02T12:00:00+07:00"),
		}, 960 - 150},
		{"pause beyond both ends", []calendar.Interval{iv("2026-03-01T00:00:00+07:00", "2026-03-02T09:30:00+07:00"), iv("2026-03-03T16:00:00+07:00", "2026-03-05T00:00:00+07:00")}, 960 - 120 - 60},
		{"pause in non-working time", []calendar.Interval{iv("2026-03-02T17:00:00+07:00", "2026-03-03T07:30:00+07:00")}, 960},
		{"empty and inverted pauses are ignored", []calendar.Interval{iv("2026-03-02T10:00:00+07:00", "2026-03-02T10:00:00+07:00"), iv("2026-03-02T12:00:00+07:00", "2026-03-02T08:00:00+07:00")}, 960},
		{"whole span paused", []calendar.Interval{iv("2026-03-01T00:00:00+07:00", "2026-03-04T00:00:00+07:00")}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.ElapsedExcluding(a, b, tc.paused); got != tc.want {
				t.Errorf("ElapsedExcluding = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestDueExcluding(t *testing.T) {
	c := seeded(t)
	iv := func(from, to string) calendar.Interval { return calendar.Interval{From: at(t, from), To: at(t, to)} }
	tests := []struct {
		name, start, dur string
		paused           []calendar.Interval
		want             string
	}{
		{"no pause", "2026-03-02T07:30:00+07:00", "1d", nil, "2026-03-02T17:00:00+07:00"},
		{"150 paused minutes move the deadline", "2026-03-02T07:30:00+07:00", "1d",
			[]calendar.Interval{iv("2026-03-02T10:00:00+07:00", "2026-03-02T14:00:00+07:00")}, "2026-03-03T10:00:00+07:00"},
		{"a pause after the deadline changes nothing", "2026-03-02T07:30:00+07:00", "1d",
			[]calendar.Interval{iv("2026-03-02T17:00:00+07:00", "2026-03-04T10:00:00+07:00")}, "2026-03-02T17:00:00+07:00"},
		{"a pause from the start", "2026-03-02T07:30:00+07:00", "4h",
			[]calendar.Interval{iv("2026-03-02T07:00:00+07:00", "2026-03-03T07:30:00+07:00")}, "2026-03-03T11:30:00+07:00"},
		{"calendar days extended by the paused working time", "2026-03-02T10:00:00+07:00", "3cd",
			[]calendar.Interval{iv("2026-03-03T07:30:00+07:00", "2026-03-04T17:00:00+07:00")}, "2026-03-09T17:00:00+07:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := at(t, tc.start)
			got, err := c.DueExcluding(start, dur(t, tc.dur), tc.paused)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format(time.RFC3339) != tc.want {
				t.Errorf("DueExcluding = %s, want %s", got.Format(time.RFC3339), tc.want)
			}
		})
	}
}

func TestWithSessions(t *testing.T) {
	base := seeded(t)
	desk, err := base.WithSessions([]calendar.Session{{Start: 7 * 60, End: 11*60 + 30}, {Start: 13*60 + 30, End: 17 * 60}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := desk.Due(at(t, "2026-03-02T07:00:00+07:00"), dur(t, "1d"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "2026-03-02T17:00:00+07:00"; got.Format(time.RFC3339) != want {
		t.Errorf("desk Due = %s, want %s", got.Format(time.RFC3339), want)
	}
	got, _ = desk.Due(at(t, "2026-03-02T07:00:00+07:00"), dur(t, "4h"))
	if want := "2026-03-02T11:00:00+07:00"; got.Format(time.RFC3339) != want {
		t.Errorf("desk Due 4h = %s, want %s", got.Format(time.RFC3339), want)
	}
	// The holiday tables are shared: Tết is off at the desk too.
	if desk.IsWorkingDay(at(t, "2026-02-17T10:00:00+07:00")) {
		t.Error("desk works on Tết")
	}
	// The province calendar is unchanged.
	got, _ = base.Due(at(t, "2026-03-02T07:00:00+07:00"), dur(t, "1d"))
	if want := "2026-03-02T17:00:00+07:00"; got.Format(time.RFC3339) != want {
		t.Errorf("base Due = %s", got.Format(time.RFC3339))
	}
	if s := base.Sessions(); len(s) != 2 || s[0].String() != "07:30-11:30" {
		t.Errorf("base sessions changed: %v", s)
	}
	bad := [][]calendar.Session{
		nil,
		{{Start: 450, End: 690}}, // 4 hours
		{{Start: 780, End: 1020}, {Start: 450, End: 690}}, // out of order
		{{Start: 450, End: 800}, {Start: 780, End: 910}},  // overlapping
		{{Start: 1200, End: 1500}, {Start: 0, End: 180}},  // past midnight
		{{Start: 600, End: 600}, {Start: 0, End: 480}},    // empty
	}
	for _, s := range bad {
		if _, err := base.WithSessions(s); !errors.Is(err, calendar.ErrInvalidConfig) {
			t.Errorf("WithSessions(%v) error = %v, want ErrInvalidConfig", s, err)
		}
	}
}

func TestParseSessions(t *testing.T) {
	got, err := calendar.ParseSessions("07:00-11:30, 13:30-17:00")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (calendar.Session{Start: 420, End: 690}) || got[1] != (calendar.Session{Start: 810, End: 1020}) {
		t.Errorf("ParseSessions = %v", got)
	}
	if got, err := calendar.ParseSessions("16:00-24:00"); err != nil || got[0].End != 1440 {
		t.Errorf("ParseSessions(16:00-24:00) = %v, %v", got, err)
	}
	for _, s := range []string{"", "07:30", "07:30-11:30", "7:30-15:30", "07:30-15:61", "24:00-08:00", "07:30-11:30;13:00-17:00", "17:00-09:00"} {
		if _, err := calendar.ParseSessions(s); !errors.Is(err, calendar.ErrInvalidConfig) {
			t.Errorf("ParseSessions(%q) error = %v, want ErrInvalidConfig", s, err)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := seeded(t)
	tests := map[string]bool{
		"2026-03-02T10:00:00+07:00": true,  // Monday
		"2026-03-07T10:00:00+07:00": false, // Saturday
		"2026-01-10T10:00:00+07:00": true,  // Saturday worked (notice)
		"2026-01-02T10:00:00+07:00": false, // swapped day off (notice)
		"2026-02-17T10:00:00+07:00": false, // Tết
		"2026-03-01T18:00:00Z":      true,  // Monday 01:00 in Vietnam
		"2027-02-10T10:00:00+07:00": false, // derived make-up for Tết on Saturday
		"1850-01-07T10:00:00+07:00": true,  // outside the range: weekly rule (a Monday)
	}
	for s, want := range tests {
		if got := c.IsWorkingDay(at(t, s)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", s, got, want)
		}
	}
}
