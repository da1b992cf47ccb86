package calendar

import (
	"fmt"
	"strings"
	"time"
)

// Session is one working session of a day, in minutes after local midnight, half-open
// [Start, End): 07:30-11:30 is Session{450, 690}.
type Session struct{ Start, End int }

// String formats the session as "07:30-11:30".
func (s Session) String() string { return formatClock(s.Start) + "-" + formatClock(s.End) }

// DefaultSessions are the working sessions of state agencies unless a province or desk sets
// others: 07:30-11:30 and 13:00-17:00, 8 hours.
func DefaultSessions() []Session { return []Session{{450, 690}, {780, 1020}} }

// ParseSessions parses a session list as an administrator writes it:
// "07:30-11:30,13:00-17:00". The result is validated like Config.Sessions.
func ParseSessions(s string) ([]Session, error) {
	var out []Session
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("session %q: want HH:MM-HH:MM: %w", part, ErrInvalidConfig)
		}
		a, err := parseClock(from, false)
		if err != nil {
			return nil, fmt.Errorf("session %q: %v: %w", part, err, ErrInvalidConfig)
		}
		b, err := parseClock(to, true)
		if err != nil {
			return nil, fmt.Errorf("session %q: %v: %w", part, err, ErrInvalidConfig)
		}
		out = append(out, Session{a, b})
	}
	if err := validateSessions(out); err != nil {
		return nil, err
	}
	return out, nil
}

// validateSessions requires sessions in order, non-empty, not overlapping, within the day, and
// adding up to exactly one working day (8 hours): the law counts a working day as 8 hours, and
// durations in working days and hours must agree at every desk.
func validateSessions(ss []Session) error {
	if len(ss) == 0 {
		return fmt.Errorf("sessions: none: %w", ErrInvalidConfig)
	}
	total := 0
	for i, s := range ss {
		if s.Start < 0 || s.End > 24*60 || s.Start >= s.End {
			return fmt.Errorf("sessions[%d] %v: want 00:00 <= start < end <= 24:00: %w", i, s, ErrInvalidConfig)
		}
		if i > 0 && s.Start < ss[i-1].End {
			return fmt.Errorf("sessions[%d] %v: starts before the previous session ends: %w", i, s, ErrInvalidConfig)
		}
		total += s.End - s.Start
	}
	if total != WorkingDayMinutes {
		return fmt.Errorf("sessions: %d working minutes a day, the law fixes %d: %w", total, WorkingDayMinutes, ErrInvalidConfig)
	}
	return nil
}

// Config holds the rules that are not yet data: the working sessions, the weekly working days,
// the defaults for the parts of the holidays each year's notice decides (which 5 days of Tết,
// which day beside 2/9), and the range of years the tables cover. Start from DefaultConfig.
type Config struct {
	// Sessions are the day's working sessions (province default; a desk overrides them with
	// WithSessions). They must add up to WorkingDayMinutes.
	Sessions []Session
	// WorkingWeekdays are the days of the weekly rule (Monday-Friday).
	WorkingWeekdays []time.Weekday
	// TetOffsets are the 5 Tết days as offsets from mùng 1 (lunar New Year's day), for years
	// without a notice: the day before and mùng 1 to mùng 4 by default. Each within -7..7.
	TetOffsets []int
	// NationalDayAdjacent is the day beside 2/9 for years without a notice: -1 (1/9, as in
	// 2025 and 2026) or +1 (3/9).
	NationalDayAdjacent int
	// FirstYear and LastYear bound the precomputed tables (within MinYear..MaxYear). Dates
	// outside them give ErrOutOfRange.
	FirstYear, LastYear int

	weekly [7]bool
}

// DefaultConfig returns the national defaults over the whole supported range.
func DefaultConfig() Config {
	return Config{
		Sessions:            DefaultSessions(),
		WorkingWeekdays:     []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		TetOffsets:          []int{-1, 0, 1, 2, 3},
		NationalDayAdjacent: -1,
		FirstYear:           MinYear,
		LastYear:            MaxYear,
	}
}

// validate checks the configuration and returns a private copy.
func (c Config) validate() (Config, error) {
	if err := validateSessions(c.Sessions); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if len(c.WorkingWeekdays) == 0 {
		return Config{}, fmt.Errorf("config: working_weekdays: none: %w", ErrInvalidConfig)
	}
	for _, w := range c.WorkingWeekdays {
		if w < time.Sunday || w > time.Saturday {
			return Config{}, fmt.Errorf("config: working_weekdays: %d is not a weekday: %w", int(w), ErrInvalidConfig)
		}
	}
	if len(c.TetOffsets) != 5 {
		return Config{}, fmt.Errorf("config: tet_offsets: %d days, the law gives 5: %w", len(c.TetOffsets), ErrInvalidConfig)
	}
	seen := map[int]bool{}
	for _, o := range c.TetOffsets {
		if o < -7 || o > 7 || seen[o] {
			return Config{}, fmt.Errorf("config: tet_offsets %v: want 5 distinct offsets within -7..7 of mùng 1: %w", c.TetOffsets, ErrInvalidConfig)
		}
		seen[o] = true
	}
	if c.NationalDayAdjacent != -1 && c.NationalDayAdjacent != 1 {
		return Config{}, fmt.Errorf("config: national_day_adjacent %d: want -1 (1/9) or +1 (3/9): %w", c.NationalDayAdjacent, ErrInvalidConfig)
	}
	if c.FirstYear < MinYear || c.LastYear > MaxYear || c.FirstYear > c.LastYear {
		return Config{}, fmt.Errorf("config: years %d..%d: want within %d..%d: %w", c.FirstYear, c.LastYear, MinYear, MaxYear, ErrInvalidConfig)
	}
	out := c
	out.Sessions = append([]Session(nil), c.Sessions...)
	out.WorkingWeekdays = append([]time.Weekday(nil), c.WorkingWeekdays...)
	out.TetOffsets = append([]int(nil), c.TetOffsets...)
	out.weekly = weekdaySet(c.WorkingWeekdays)
	return out, nil
}
