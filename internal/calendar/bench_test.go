package calendar_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

var (
	sinkTime    time.Time
	sinkMinutes int64
)

// BenchmarkDue shows that the cost does not grow with the duration: the deadline is found by
// prefix counts and an index of working days, never by walking the days.
func BenchmarkDue(b *testing.B) {
	c := seeded(b)
	start := time.Date(2026, 2, 13, 10, 15, 0, 0, calendar.VN)
	for _, tc := range []struct {
		name string
		days int
	}{{"1d", 1}, {"30d", 30}, {"365d", 365}} {
		d := calendar.Duration{Value: tc.days, Unit: calendar.WorkingDay}
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				due, err := c.Due(start, d)
				if err != nil {
					b.Fatal(err)
				}
				sinkTime = due
			}
		})
	}
}

func BenchmarkElapsed(b *testing.B) {
	c := seeded(b)
	start := time.Date(2026, 2, 13, 10, 15, 0, 0, calendar.VN)
	for _, tc := range []struct {
		name string
		days int
	}{{"1d", 1}, {"30d", 30}, {"365d", 365}} {
		end, err := c.Due(start, calendar.Duration{Value: tc.days, Unit: calendar.WorkingDay})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				sinkMinutes = c.Elapsed(start, end)
			}
		})
	}
}

func BenchmarkDueCalendarDays(b *testing.B) {
	c := seeded(b)
	start := time.Date(2026, 2, 13, 10, 15, 0, 0, calendar.VN)
	d := calendar.Duration{Value: 30, Unit: calendar.CalendarDay}
	for b.Loop() {
		sinkTime, _ = c.Due(start, d)
	}
}

// BenchmarkNew is the one-off cost of building the tables (1900-2100).
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := calendar.New(calendar.DefaultConfig(), nil); err != nil {
			b.Fatal(err)
		}
	}
}
