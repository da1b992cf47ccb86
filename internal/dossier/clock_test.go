package dossier

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// vn is Vietnam's time zone; the fake calendar counts in it.
var vn = time.FixedZone("ICT", 7*3600)

// The real calendar satisfies the aggregate's Clock without an adapter.
var _ Clock = (*calendar.Calendar)(nil)

// fakeCal is a deliberately simple working calendar for hand-computed tests: Monday to Friday,
// sessions 07:30-11:30 and 13:00-17:00, no holidays. It walks day by day, which is slow but
// obviously right.
type fakeCal struct{}

var fakeSessions = [][2]int{{7*60 + 30, 11*60 + 30}, {13 * 60, 17 * 60}}

func midnight(t time.Time) time.Time {
	t = t.In(vn)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vn)
}

func workday(day time.Time) bool {
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

func (fakeCal) AddWorkingMinutes(start time.Time, m int64) (time.Time, error) {
	if m < 0 {
		return time.Time{}, fmt.Errorf("negative minutes %d", m)
	}
	if m == 0 {
		return start, nil
	}
	rem := time.Duration(m) * time.Minute
	t := start.In(vn)
	for day := midnight(t); day.Year() < 2200; day = day.AddDate(0, 0, 1) {
		if !workday(day) {
			continue
		}
		for _, s := range fakeSessions {
			from, end := day.Add(time.Duration(s[0])*time.Minute), day.Add(time.Duration(s[1])*time.Minute)
			if !t.Before(end) {
				continue
			}
			if t.After(from) {
				from = t
			}
			if avail := end.Sub(from); rem <= avail {
				return from.Add(rem), nil
			} else {
				rem -= avail
			}
			t = end
		}
	}
	return time.Time{}, fmt.Errorf("out of range")
}

func (fakeCal) Elapsed(a, b time.Time) int64 {
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	for day := midnight(a); !day.After(b); day = day.AddDate(0, 0, 1) {
		if !workday(day) {
			continue
		}
		for _, s := range fakeSessions {
			from, end := day.Add(time.Duration(s[0])*time.Minute), day.Add(time.Duration(s[1])*time.Minute)
			if a.After(from) {
				from = a
			}
			if b.Before(end) {
				end = b
			}
			if end.After(from) {
				total += end.Sub(from)
			}
		}
	}
	return int64(total / time.Minute)
}

// endOfWorkday returns 17:00 of the first working day on or after day.
func endOfWorkday(day time.Time) time.Time {
	day = midnight(day)
	for !workday(day) {
		day = day.AddDate(0, 0, 1)
	}
	return day.Add(17 * time.Hour)
}

func (c fakeCal) Due(start time.Time, d calendar.Duration) (time.Time, error) {
	switch d.Unit {
	case calendar.WorkingDay:
		return c.AddWorkingMinutes(start, int64(d.Value)*WorkingDayMinutes)
	case calendar.WorkingHour:
		return c.AddWorkingMinutes(start, int64(d.Value)*60)
	case calendar.WorkingMinute:
		return c.AddWorkingMinutes(start, int64(d.Value))
	case calendar.CalendarDay:
		return endOfWorkday(midnight(start).AddDate(0, 0, d.Value)), nil
	case calendar.Month:
		return endOfWorkday(midnight(start).AddDate(0, d.Value, 0)), nil
	case calendar.SameDay:
		cut := 17 * time.Hour
		if d.Cutoff != "" {
			var h, m int
			if _, err := fmt.Sscanf(d.Cutoff, "%d:%d", &h, &m); err != nil {
				return time.Time{}, err
			}
			cut = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
		}
		day := midnight(start)
		if workday(day) && start.In(vn).Sub(day) < cut {
			return day.Add(17 * time.Hour), nil
		}
		return endOfWorkday(day.AddDate(0, 0, 1)), nil
	}
	return time.Time{}, fmt.Errorf("unknown unit %q", d.Unit)
}

// at is a VN wall-clock time in November 2026 (2 November is a Monday).
func at(day, hour, minute int) time.Time {
	return time.Date(2026, time.November, day, hour, minute, 0, 0, vn)
}

func TestFakeCalendar(t *testing.T) {
	c := fakeCal{}
	tests := []struct {
		name  string
		start time.Time
		m     int64
		want  time.Time
	}{
		{"within a session", at(2, 8, 0), 60, at(2, 9, 0)},
		{"ends at session end", at(2, 7, 30), 240, at(2, 11, 30)},
		{"crosses lunch", at(2, 11, 0), 60, at(2, 13, 30)},
		{"crosses the weekend", at(6, 16, 0), 120, at(9, 8, 30)},
		{"from the evening", at(2, 20, 0), 480, at(3, 17, 0)},
		{"one working week", at(3, 14, 0), 5 * 480, at(10, 14, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.AddWorkingMinutes(tt.start, tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("AddWorkingMinutes = %s, want %s", got, tt.want)
			}
			if e := c.Elapsed(tt.start, got); e != tt.m {
				t.Errorf("Elapsed back = %d, want %d", e, tt.m)
			}
		})
	}
}
