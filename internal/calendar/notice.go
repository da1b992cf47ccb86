package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// DayKind says why a date departs from the weekly rule.
type DayKind string

// The kinds of Day, as the yearly notices and the `calendar holidays` output write them.
const (
	KindHoliday    DayKind = "holiday"     // a statutory public holiday (listed even on a weekend)
	KindDayOff     DayKind = "day_off"     // a weekday off: make-up for a holiday on a weekend, or swapped
	KindWorkingDay DayKind = "working_day" // a weekend day worked in exchange for a swapped day
)

// Day is one dated entry of a year's calendar: Date is ISO 8601 ("2026-02-17").
type Day struct {
	Date string  `json:"date"`
	Kind DayKind `json:"kind"`
	Name string  `json:"name"`
}

// Notice is a government's yearly working-calendar notice for civil servants, in exactly the
// format of the shared data files (data/calendar/YYYY.json). When a Calendar has a notice for a
// year, the notice replaces the derived rules for that year: its days_off are not worked, its
// working_days are, every other date follows the weekly rule.
type Notice struct {
	Year        int    `json:"year"`
	Source      string `json:"source,omitempty"`
	DaysOff     []Day  `json:"days_off"`
	WorkingDays []Day  `json:"working_days"`
}

// ParseNotice decodes and validates one notice strictly: unknown fields, trailing data, a year
// out of range, a malformed date, a date outside the notice's year, a duplicate date, a wrong or
// misplaced kind, a missing name, a working_day that is not a Saturday or Sunday and a day_off on
// a Saturday or Sunday are errors naming the entry (and wrapping ErrInvalidNotice). A public
// holiday may be listed on a weekend: it changes nothing but documents the holiday.
func ParseNotice(b []byte) (Notice, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var n Notice
	if err := dec.Decode(&n); err != nil {
		return Notice{}, fmt.Errorf("notice: %v: %w", err, ErrInvalidNotice)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Notice{}, fmt.Errorf("notice: trailing data after the JSON object: %w", ErrInvalidNotice)
	}
	if err := n.Validate(); err != nil {
		return Notice{}, err
	}
	return n, nil
}

// ParseNotices parses the notices of a set of files keyed by year (as seed.CalendarNotices
// returns them), checking that each file's year matches its key. The result is sorted by year.
func ParseNotices(files map[int][]byte) ([]Notice, error) {
	var out []Notice
	for year, b := range files {
		n, err := ParseNotice(b)
		if err != nil {
			return nil, fmt.Errorf("notice file %d: %w", year, err)
		}
		if n.Year != year {
			return nil, fmt.Errorf("notice file %d: year is %d: %w", year, n.Year, ErrInvalidNotice)
		}
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}

// Validate applies the rules of ParseNotice to a notice built in code or loaded from a database.
func (n Notice) Validate() error {
	if n.Year < MinYear || n.Year > MaxYear {
		return fmt.Errorf("notice: year %d: %w (%d..%d): %w", n.Year, ErrOutOfRange, MinYear, MaxYear, ErrInvalidNotice)
	}
	seen := map[int]string{}
	check := func(list string, i int, d Day) error {
		where := fmt.Sprintf("notice %d: %s[%d] (%s)", n.Year, list, i, d.Date)
		z, err := parseDate(d.Date)
		if err != nil {
			return fmt.Errorf("%s: %v: %w", where, err, ErrInvalidNotice)
		}
		if y, _, _ := civilFromDays(z); y != n.Year {
			return fmt.Errorf("%s: date outside the notice's year %d: %w", where, n.Year, ErrInvalidNotice)
		}
		if prev, dup := seen[z]; dup {
			return fmt.Errorf("%s: duplicate date, already in %s: %w", where, prev, ErrInvalidNotice)
		}
		seen[z] = fmt.Sprintf("%s[%d]", list, i)
		if d.Name == "" {
			return fmt.Errorf("%s: name is required: %w", where, ErrInvalidNotice)
		}
		wd := weekdayOfDays(z)
		weekend := wd == time.Saturday || wd == time.Sunday
		switch {
		case list == "days_off" && d.Kind == KindHoliday:
		case list == "days_off" && d.Kind == KindDayOff:
			if weekend {
				return fmt.Errorf("%s: kind day_off on a %s: a day off must be a weekday: %w", where, wd, ErrInvalidNotice)
			}
		case list == "working_days" && d.Kind == KindWorkingDay:
			if !weekend {
				return fmt.Errorf("%s: kind working_day on a %s: a day worked in exchange must be a Saturday or Sunday: %w", where, wd, ErrInvalidNotice)
			}
		case list == "days_off":
			return fmt.Errorf("%s: kind %q: want holiday or day_off: %w", where, d.Kind, ErrInvalidNotice)
		default:
			return fmt.Errorf("%s: kind %q: want working_day: %w", where, d.Kind, ErrInvalidNotice)
		}
		return nil
	}
	for i, d := range n.DaysOff {
		if err := check("days_off", i, d); err != nil {
			return err
		}
	}
	for i, d := range n.WorkingDays {
		if err := check("working_days", i, d); err != nil {
			return err
		}
	}
	return nil
}

// entries returns the notice's days sorted by date: the `calendar holidays` list of its year.
func (n Notice) entries() []Day {
	out := make([]Day, 0, len(n.DaysOff)+len(n.WorkingDays))
	out = append(out, n.DaysOff...)
	out = append(out, n.WorkingDays...)
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// clone returns a deep copy, so that a Calendar never shares slices with its caller.
func (n Notice) clone() Notice {
	n.DaysOff = append([]Day(nil), n.DaysOff...)
	n.WorkingDays = append([]Day(nil), n.WorkingDays...)
	return n
}
