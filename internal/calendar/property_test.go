package calendar_test

import (
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// randomStart returns an instant in 2024-2028, to the second, in a random zone.
func randomStart(r *rand.Rand) time.Time {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, calendar.VN).Unix()
	span := time.Date(2029, 1, 1, 0, 0, 0, 0, calendar.VN).Unix() - base
	zones := []*time.Location{calendar.VN, time.UTC, time.FixedZone("X", -5*3600)}
	return time.Unix(base+r.Int63n(span), 0).In(zones[r.Intn(len(zones))])
}

// randomWorkingMinutes favours the interesting sizes: whole days and hours and small counts.
func randomWorkingMinutes(r *rand.Rand) int64 {
	switch r.Intn(4) {
	case 0:
		return int64(r.Intn(366)) * 480
	case 1:
		return int64(r.Intn(100)) * 60
	case 2:
		return int64(r.Intn(600))
	}
	return int64(r.Intn(365 * 480))
}

// TestDueElapsedInverse: Elapsed(start, Due(start, d)) == d for working units, always; the due
// is never before the start, and is in working time or at a session's end.
func TestDueElapsedInverse(t *testing.T) {
	c := seeded(t)
	r := rand.New(rand.NewSource(20260213))
	for i := 0; i < 200000; i++ {
		start := randomStart(r)
		m := randomWorkingMinutes(r)
		due, err := c.AddWorkingMinutes(start, m)
		if err != nil {
			t.Fatalf("AddWorkingMinutes(%s, %d): %v", start, m, err)
		}
		if got := c.Elapsed(start, due); got != m {
			t.Fatalf("Elapsed(%s, Due(+%dm) = %s) = %d", start.Format(time.RFC3339), m, due.Format(time.RFC3339), got)
		}
		if due.Before(start) {
			t.Fatalf("Due(%s, %dm) = %s is before the start", start, m, due)
		}
		if m > 0 {
			// One second earlier the period has not elapsed: due is the earliest such instant.
			if got := c.Elapsed(start, due.Add(-time.Second)); got >= m {
				t.Fatalf("Due(%s, %dm) = %s is not the earliest", start, m, due)
			}
			if !c.IsWorkingDay(due) {
				t.Fatalf("Due(%s, %dm) = %s is on a day off", start, m, due)
			}
		}
	}
}

// TestDueMonotonic: a later start or a longer duration never gives an earlier deadline, for
// every unit.
func TestDueMonotonic(t *testing.T) {
	c := seeded(t)
	r := rand.New(rand.NewSource(766))
	units := []calendar.Unit{calendar.WorkingDay, calendar.WorkingHour, calendar.WorkingMinute, calendar.CalendarDay, calendar.Month}
	for i := 0; i < 20000; i++ {
		u := units[r.Intn(len(units))]
		d := calendar.Duration{Value: r.Intn(40), Unit: u}
		starts := []time.Time{randomStart(r)}
		for j := 0; j < 4; j++ {
			starts = append(starts, starts[0].Add(time.Duration(r.Int63n(int64(96*time.Hour)))))
		}
		sort.Slice(starts, func(a, b int) bool { return starts[a].Before(starts[b]) })
		var prev time.Time
		for _, s := range starts {
			due, err := c.Due(s, d)
			if err != nil {
				t.Fatal(err)
			}
			if due.Before(prev) {
				t.Fatalf("Due(%s, %v) = %s before the due of an earlier start %s", s, d, due, prev)
			}
			prev = due
		}
		s := starts[0]
		prev = time.Time{}
		for v := 0; v <= 12; v++ {
			due, err := c.Due(s, calendar.Duration{Value: v, Unit: u})
			if err != nil {
				t.Fatal(err)
			}
			if due.Before(prev) {
				t.Fatalf("Due(%s, %d %s) = %s before the due of a shorter duration %s", s, v, u, due, prev)
			}
			prev = due
		}
	}
	// Same day: monotonic in the start.
	d := calendar.Duration{Unit: calendar.SameDay, Cutoff: "15:00"}
	var prev time.Time
	for s := time.Date(2026, 2, 10, 0, 0, 0, 0, calendar.VN); s.Before(time.Date(2026, 3, 10, 0, 0, 0, 0, calendar.VN)); s = s.Add(17 * time.Minute) {
		due, err := c.Due(s, d)
		if err != nil {
			t.Fatal(err)
		}
		if due.Before(prev) || due.Before(s) {
			t.Fatalf("same day from %s = %s (previous %s)", s, due, prev)
		}
		prev = due
	}
}

// naive is an independent oracle: it walks minute by minute using only IsWorkingDay and the
// default sessions.
type naive struct{ c *calendar.Calendar }

func (n naive) working(t time.Time) bool {
	t = t.In(calendar.VN)
	if !n.c.IsWorkingDay(t) {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	return (m >= 7*60+30 && m < 11*60+30) || (m >= 13*60 && m < 17*60)
}

func (n naive) elapsed(a, b time.Time) int64 {
	var k int64
	for t := a; t.Before(b); t = t.Add(time.Minute) {
		if n.working(t) {
			k++
		}
	}
	return k
}

func (n naive) due(start time.Time, m int64) time.Time {
	t := start
	if m == 0 {
		for !n.working(t) {
			t = t.Add(time.Minute)
		}
		return t
	}
	for k := int64(0); k < m; t = t.Add(time.Minute) {
		if n.working(t) {
			k++
		}
	}
	return t
}

func TestAgainstNaiveWalk(t *testing.T) {
	c := seeded(t)
	o := naive{c}
	r := rand.New(rand.NewSource(42))
	for i := 0; i < 400; i++ {
		start := randomStart(r).Truncate(time.Minute)
		if i < 100 { // concentrate on the notice years and their swaps
			start = time.Date(2025, 1, 1, 0, 0, 0, 0, calendar.VN).Add(time.Duration(r.Int63n(int64(2 * 365 * 24 * time.Hour)))).Truncate(time.Minute)
		}
		m := int64(r.Intn(10 * 480))
		want := o.due(start, m)
		got, err := c.AddWorkingMinutes(start, m)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Fatalf("AddWorkingMinutes(%s, %d) = %s, naive walk %s", start.Format(time.RFC3339), m, got.Format(time.RFC3339), want.Format(time.RFC3339))
		}
		end := start.Add(time.Duration(r.Int63n(int64(15 * 24 * time.Hour)))).Truncate(time.Minute)
		if got, want := c.Elapsed(start, end), o.elapsed(start, end); got != want {
			t.Fatalf("Elapsed(%s, %s) = %d, naive walk %d", start.Format(time.RFC3339), end.Format(time.RFC3339), got, want)
		}
	}
}

// TestCalendarUnitsEndAtClose: calendar-unit and same-day deadlines fall at the end of the last
// session of a working day, on or after the period's last date.
func TestCalendarUnitsEndAtClose(t *testing.T) {
	c := seeded(t)
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 20000; i++ {
		start := randomStart(r)
		d := calendar.Duration{Value: r.Intn(60), Unit: calendar.CalendarDay}
		if r.Intn(2) == 0 {
			d = calendar.Duration{Value: r.Intn(13), Unit: calendar.Month}
		}
		due, err := c.Due(start, d)
		if err != nil {
			t.Fatal(err)
		}
		if due.Hour() != 17 || due.Minute() != 0 || !c.IsWorkingDay(due) {
			t.Fatalf("Due(%s, %v) = %s: not the close of a working day", start, d, due)
		}
		// The period counts from the date of the next working moment; its last date L is that
		// date plus the value (months keep the day or take the month's last day); the due is
		// the close of the first working day on or after L.
		eff, err := c.AddWorkingMinutes(start, 0)
		if err != nil {
			t.Fatal(err)
		}
		var last time.Time
		if d.Unit == calendar.CalendarDay {
			last = time.Date(eff.Year(), eff.Month(), eff.Day()+d.Value, 0, 0, 0, 0, calendar.VN)
		} else {
			first := time.Date(eff.Year(), eff.Month()+time.Month(d.Value), 1, 0, 0, 0, 0, calendar.VN)
			lastDay := first.AddDate(0, 1, -1).Day()
			last = first.AddDate(0, 0, min(eff.Day(), lastDay)-1)
		}
		dueDate := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, calendar.VN)
		if dueDate.Before(last) {
			t.Fatalf("Due(%s, %v) = %s: before the period's last date %s", start, d, due, last.Format(time.DateOnly))
		}
		for x := last; x.Before(dueDate); x = x.AddDate(0, 0, 1) {
			if c.IsWorkingDay(x) {
				t.Fatalf("Due(%s, %v) = %s skips the working day %s", start, d, due, x.Format(time.DateOnly))
			}
		}
	}
}

func TestDueExcludingInverse(t *testing.T) {
	c := seeded(t)
	r := rand.New(rand.NewSource(99))
	for i := 0; i < 20000; i++ {
		start := randomStart(r)
		m := randomWorkingMinutes(r)
		var paused []calendar.Interval
		for j := r.Intn(4); j > 0; j-- {
			from := start.Add(time.Duration(r.Int63n(int64(60*24*time.Hour))) - 24*time.Hour)
			paused = append(paused, calendar.Interval{From: from, To: from.Add(time.Duration(r.Int63n(int64(10 * 24 * time.Hour))))})
		}
		due, err := c.DueExcluding(start, calendar.Duration{Value: int(m), Unit: calendar.WorkingMinute}, paused)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.ElapsedExcluding(start, due, paused); got != m {
			t.Fatalf("ElapsedExcluding(%s, DueExcluding(+%dm) = %s, %v) = %d", start, m, due, paused, got)
		}
		if plain, _ := c.AddWorkingMinutes(start, m); due.Before(plain) {
			t.Fatalf("pauses made the deadline earlier: %s < %s", due, plain)
		}
	}
}
