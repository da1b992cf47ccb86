package calendar

import (
	"fmt"
	"strconv"
	"strings"
)

// Unit is the unit of a processing time, as procedures.json writes it.
type Unit string

// The units of a Duration. Working units count working time only; calendar units count dates and
// end at the end of a working day.
const (
	WorkingDay    Unit = "working_day"    // 8 working hours
	WorkingHour   Unit = "working_hour"   // 60 working minutes
	WorkingMinute Unit = "working_minute" // one minute of a working session
	CalendarDay   Unit = "day"            // ends on a non-working day -> end of next working day
	Month         Unit = "month"          // same rule
	SameDay       Unit = "same_day"       // end of the start's working day; started after Cutoff -> next working day's end
)

// WorkingDayMinutes is the length of a working day: the law fixes 8 working hours, so every
// session list must add up to it and "3d" always means 24 working hours.
const WorkingDayMinutes = 8 * 60

// MaxDurationValue bounds Duration.Value: far beyond any legal deadline, small enough that no
// arithmetic on it overflows.
const MaxDurationValue = 1_000_000

// Duration is a processing time: a value in a unit, and for SameDay an optional cut-off clock
// time ("15:00") after which a dossier counts as received on the next working day.
type Duration struct {
	Value  int
	Unit   Unit
	Cutoff string // "15:00", SameDay only
}

// suffixes maps the short forms of ParseDuration to units; order matters for parsing ("cd"
// before "d", "mo" before "m").
var suffixes = []struct {
	s string
	u Unit
}{
	{"cd", CalendarDay},
	{"mo", Month},
	{"d", WorkingDay},
	{"h", WorkingHour},
	{"m", WorkingMinute},
}

// ParseDuration parses the short form used by the CLI and configuration: "3d" (working days),
// "4h" (working hours), "90m" (working minutes), "10cd" (calendar days), "2mo" (months),
// "sameday" and "sameday@15:00". Values are non-negative decimal integers up to
// MaxDurationValue; anything else is an error wrapping ErrInvalidDuration.
func ParseDuration(s string) (Duration, error) {
	if rest, ok := strings.CutPrefix(s, "sameday"); ok {
		d := Duration{Unit: SameDay}
		if rest != "" {
			c, ok := strings.CutPrefix(rest, "@")
			if !ok || c == "" {
				return Duration{}, fmt.Errorf("duration %q: want sameday or sameday@HH:MM: %w", s, ErrInvalidDuration)
			}
			d.Cutoff = c
		}
		if err := d.Validate(); err != nil {
			return Duration{}, fmt.Errorf("duration %q: %w", s, err)
		}
		return d, nil
	}
	for _, sf := range suffixes {
		num, ok := strings.CutSuffix(s, sf.s)
		if !ok {
			continue
		}
		if num == "" {
			return Duration{}, fmt.Errorf("duration %q: missing number: %w", s, ErrInvalidDuration)
		}
		if num[0] == '-' {
			return Duration{}, fmt.Errorf("duration %q: negative: %w", s, ErrInvalidDuration)
		}
		for i := 0; i < len(num); i++ {
			if num[i] < '0' || num[i] > '9' {
				return Duration{}, fmt.Errorf("duration %q: %q is not a whole number: %w", s, num, ErrInvalidDuration)
			}
		}
		v, err := strconv.Atoi(num)
		if err != nil || v > MaxDurationValue {
			return Duration{}, fmt.Errorf("duration %q: larger than %d: %w", s, MaxDurationValue, ErrInvalidDuration)
		}
		return Duration{Value: v, Unit: sf.u}, nil
	}
	return Duration{}, fmt.Errorf("duration %q: unknown unit (want d, h, m, cd, mo, sameday): %w", s, ErrInvalidDuration)
}

// String returns the short form; ParseDuration(d.String()) == d for every valid d.
func (d Duration) String() string {
	switch d.Unit {
	case SameDay:
		if d.Cutoff != "" {
			return "sameday@" + d.Cutoff
		}
		return "sameday"
	case CalendarDay:
		return strconv.Itoa(d.Value) + "cd"
	case Month:
		return strconv.Itoa(d.Value) + "mo"
	case WorkingDay:
		return strconv.Itoa(d.Value) + "d"
	case WorkingHour:
		return strconv.Itoa(d.Value) + "h"
	case WorkingMinute:
		return strconv.Itoa(d.Value) + "m"
	}
	return fmt.Sprintf("%d%s", d.Value, d.Unit)
}

// Validate checks a Duration built from data (procedures.json writes value, unit and cutoff
// separately): a known unit, 0 <= Value <= MaxDurationValue, Value 0 and a valid HH:MM cut-off
// (or none) for SameDay, no cut-off otherwise.
func (d Duration) Validate() error {
	switch d.Unit {
	case WorkingDay, WorkingHour, WorkingMinute, CalendarDay, Month:
		if d.Cutoff != "" {
			return fmt.Errorf("cutoff %q: only for unit %s: %w", d.Cutoff, SameDay, ErrInvalidDuration)
		}
	case SameDay:
		if d.Value != 0 {
			return fmt.Errorf("value %d: must be 0 for unit %s: %w", d.Value, SameDay, ErrInvalidDuration)
		}
		if d.Cutoff != "" {
			if _, err := parseClock(d.Cutoff, false); err != nil {
				return fmt.Errorf("cutoff: %v: %w", err, ErrInvalidDuration)
			}
		}
		return nil
	default:
		return fmt.Errorf("unit %q: unknown (want working_day, working_hour, working_minute, day, month, same_day): %w", d.Unit, ErrInvalidDuration)
	}
	if d.Value < 0 {
		return fmt.Errorf("value %d: negative: %w", d.Value, ErrInvalidDuration)
	}
	if d.Value > MaxDurationValue {
		return fmt.Errorf("value %d: larger than %d: %w", d.Value, MaxDurationValue, ErrInvalidDuration)
	}
	return nil
}

// workingMinutes returns the duration in working minutes for working units (ok false otherwise).
func (d Duration) workingMinutes() (int64, bool) {
	switch d.Unit {
	case WorkingDay:
		return int64(d.Value) * WorkingDayMinutes, true
	case WorkingHour:
		return int64(d.Value) * 60, true
	case WorkingMinute:
		return int64(d.Value), true
	}
	return 0, false
}
