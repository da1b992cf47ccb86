package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
)

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"3d", "4h", "90m", "10cd", "2mo", "sameday", "sameday@15:00", "-1d", "1000001d", "sameday@", "0cd", "99999999999999999999999m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := calendar.ParseDuration(s)
		if err != nil {
			if !errors.Is(err, calendar.ErrInvalidDuration) {
				t.Fatalf("ParseDuration(%q) error %v does not wrap ErrInvalidDuration", s, err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("ParseDuration(%q) = %+v, which does not validate: %v", s, d, err)
		}
		back, err := calendar.ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip of %q: %+v -> %q -> %+v, %v", s, d, d.String(), back, err)
		}
	})
}

func FuzzParseNotice(f *testing.F) {
	for _, b := range seed.CalendarNotices() {
		f.Add(b)
	}
	f.Add([]byte(`{"year":2027,"days_off":[{"date":"2027-01-01","kind":"holiday","name":"x"}],"working_days":[]}`))
	f.Add([]byte(`{"year":2027,"working_days":[{"date":"2027-01-02","kind":"working_day","name":"x"}]}`))
	f.Add([]byte(`{"year":2027,"days_off":[{"date":"2027-02-30","kind":"day_off","name":"x"}]}`))
	base, err := calendar.New(calendar.DefaultConfig(), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := calendar.ParseNotice(b)
		if err != nil {
			if !errors.Is(err, calendar.ErrInvalidNotice) {
				t.Fatalf("error %v does not wrap ErrInvalidNotice", err)
			}
			return
		}
		// Anything ParseNotice accepts, a Calendar accepts and reproduces exactly.
		c, err := base.WithNotice(n)
		if err != nil {
			t.Fatalf("accepted notice rejected by WithNotice: %v", err)
		}
		got, err := c.Holidays(n.Year)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(n.DaysOff)+len(n.WorkingDays) {
			t.Fatalf("Holidays(%d) has %d entries, the notice %d", n.Year, len(got), len(n.DaysOff)+len(n.WorkingDays))
		}
		for _, d := range got {
			day, err := time.ParseInLocation(time.DateOnly, d.Date, calendar.VN)
			if err != nil {
				t.Fatal(err)
			}
			if c.IsWorkingDay(day) != (d.Kind == calendar.KindWorkingDay) {
				t.Fatalf("%s (%s) not applied", d.Date, d.Kind)
			}
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-02-13T10:15:00+07:00", "2026-02-13T03:15:00Z", "2026-02-13T10:15", "2026-02-13", "2026-02-30", "0000-01-01T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := calendar.ParseTime(s)
		if err != nil {
			return
		}
		if v.Location() != calendar.VN {
			t.Fatalf("ParseTime(%q) in %v, want VN", s, v.Location())
		}
		back, err := calendar.ParseTime(v.Format(time.RFC3339Nano))
		if err != nil || !back.Equal(v) {
			t.Fatalf("round trip of %q: %v -> %v, %v", s, v, back, err)
		}
	})
}

func FuzzParseSessions(f *testing.F) {
	for _, s := range []string{"07:30-11:30,13:00-17:00", "07:00-11:30, 13:30-17:00", "16:00-24:00", "24:00-08:00", "07:30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ss, err := calendar.ParseSessions(s)
		if err != nil {
			return
		}
		total := 0
		for i, x := range ss {
			total += x.End - x.Start
			if i > 0 && x.Start < ss[i-1].End {
				t.Fatalf("ParseSessions(%q) = %v overlaps", s, ss)
			}
		}
		if total != calendar.WorkingDayMinutes {
			t.Fatalf("ParseSessions(%q) = %v totals %d minutes", s, ss, total)
		}
		var parts []string
		for _, x := range ss {
			parts = append(parts, x.String())
		}
		joined := ""
		for i, p := range parts {
			if i > 0 {
				joined += ","
			}
			joined += p
		}
		back, err := calendar.ParseSessions(joined)
		if err != nil || !cmp.Equal(back, ss) {
			t.Fatalf("round trip of %q: %v -> %q -> %v, %v", s, ss, joined, back, err)
		}
	})
}

// FuzzDue drives Due with arbitrary instants and working durations: no panic, and the inverse
// holds whenever a deadline exists.
func FuzzDue(f *testing.F) {
	f.Add(int64(1770952500), int64(1440))
	f.Add(int64(-2208988800), int64(0))
	f.Add(int64(4133980799), int64(480))
	c, err := calendar.New(calendar.DefaultConfig(), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, unix, m int64) {
		start := time.Unix(unix, 0)
		due, err := c.AddWorkingMinutes(start, m)
		if err != nil {
			if !errors.Is(err, calendar.ErrOutOfRange) && !errors.Is(err, calendar.ErrInvalidDuration) {
				t.Fatalf("AddWorkingMinutes(%v, %d): unexpected error %v", start, m, err)
			}
			return
		}
		if got := c.Elapsed(start, due); got != m {
			t.Fatalf("Elapsed(%v, AddWorkingMinutes(%d) = %v) = %d", start, m, due, got)
		}
	})
}
