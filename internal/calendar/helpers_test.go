package calendar_test

import (
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
)

var (
	seedOnce sync.Once
	seedCal  *calendar.Calendar
	seedErr  error
)

// seeded returns the default Calendar with the embedded official notices, built once.
func seeded(t testing.TB) *calendar.Calendar {
	t.Helper()
	seedOnce.Do(func() {
		ns, err := calendar.ParseNotices(seed.CalendarNotices())
		if err != nil {
			seedErr = err
			return
		}
		seedCal, seedErr = calendar.New(calendar.DefaultConfig(), ns)
	})
	if seedErr != nil {
		t.Fatalf("seeded calendar: %v", seedErr)
	}
	return seedCal
}

// derived returns a Calendar without notices: every year from the statutory rules.
func derived(t testing.TB) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(calendar.DefaultConfig(), nil)
	if err != nil {
		t.Fatalf("derived calendar: %v", err)
	}
	return c
}

// at parses an RFC 3339 instant or fails the test.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad test time %q: %v", s, err)
	}
	return v
}

func dur(t testing.TB, s string) calendar.Duration {
	t.Helper()
	d, err := calendar.ParseDuration(s)
	if err != nil {
		t.Fatalf("bad test duration %q: %v", s, err)
	}
	return d
}
