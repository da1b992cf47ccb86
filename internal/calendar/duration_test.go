package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want calendar.Duration
	}{
		{"3d", calendar.Duration{Value: 3, Unit: calendar.WorkingDay}},
		{"0d", calendar.Duration{Value: 0, Unit: calendar.WorkingDay}},
		{"4h", calendar.Duration{Value: 4, Unit: calendar.WorkingHour}},
		{"90m", calendar.Duration{Value: 90, Unit: calendar.WorkingMinute}},
		{"10cd", calendar.Duration{Value: 10, Unit: calendar.CalendarDay}},
		{"2mo", calendar.Duration{Value: 2, Unit: calendar.Month}},
		{"sameday", calendar.Duration{Unit: calendar.SameDay}},
		{"sameday@15:00", calendar.Duration{Unit: calendar.SameDay, Cutoff: "15:00"}},
		{"1000000d", calendar.Duration{Value: calendar.MaxDurationValue, Unit: calendar.WorkingDay}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := calendar.ParseDuration(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("ParseDuration(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			if s := got.String(); s != tc.in {
				t.Errorf("String() = %q, want %q", s, tc.in)
			}
		})
	}
}

func TestParseDurationErrors(t *testing.T) {
	for _, in := range []string{
		"", "3", "d", "-3d", "+3d", "3 d", " 3d", "3d ", "3.5h", "3x", "3w", "3D", "1e3d",
		"1000001d", "99999999999999999999d", "sameday@", "sameday@25:00", "sameday@15:60", "sameday@1500",
		"sameday15:00", "samedays", "2sameday", "0x10d", "٣d",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := calendar.ParseDuration(in)
			if !errors.Is(err, calendar.ErrInvalidDuration) {
				t.Errorf("ParseDuration(%q) error = %v, want ErrInvalidDuration", in, err)
			}
		})
	}
}

func TestDurationValidate(t *testing.T) {
	ok := []calendar.Duration{
		{Value: 15, Unit: calendar.WorkingDay},
		{Value: 0, Unit: calendar.SameDay, Cutoff: "15:00"},
		{Value: 3, Unit: calendar.Month},
	}
	for _, d := range ok {
		if err := d.Validate(); err != nil {
			t.Errorf("%+v: %v", d, err)
		}
	}
	bad := []calendar.Duration{
		{Value: -1, Unit: calendar.WorkingHour},
		{Value: 1, Unit: ""},
		{Value: 1, Unit: "working_days"},
		{Value: 1, Unit: calendar.CalendarDay, Cutoff: "15:00"},
		{Value: 1, Unit: calendar.SameDay},
		{Unit: calendar.SameDay, Cutoff: "3pm"},
	}
	for _, d := range bad {
		if err := d.Validate(); !errors.Is(err, calendar.ErrInvalidDuration) {
			t.Errorf("%+v: error = %v, want ErrInvalidDuration", d, err)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-02-13T10:15:00+07:00", "2026-02-13T10:15:00+07:00"},
		{"2026-02-13T03:15:00Z", "2026-02-13T10:15:00+07:00"},
		{"2026-02-13T10:15", "2026-02-13T10:15:00+07:00"},
		{"2026-02-13T10:15:30", "2026-02-13T10:15:30+07:00"},
		{"2026-02-13", "2026-02-13T00:00:00+07:00"},
	}
	for _, tc := range tests {
		got, err := calendar.ParseTime(tc.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tc.in, err)
			continue
		}
		if got.Format(time.RFC3339) != tc.want {
			t.Errorf("ParseTime(%q) = %s, want %s", tc.in, got.Format(time.RFC3339), tc.want)
		}
	}
	for _, in := range []string{"", "2026-02-30", "2026-02-13 10:15", "13/02/2026", "2026-02-13T25:00", "yesterday"} {
		if _, err := calendar.ParseTime(in); err == nil {
			t.Errorf("ParseTime(%q): no error", in)
		}
	}
}
