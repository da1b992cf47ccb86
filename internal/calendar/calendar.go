package calendar

import (
	"fmt"
	"sort"
	"time"
)

// workDaySec is one working day in seconds.
const workDaySec = WorkingDayMinutes * 60

// Calendar answers working-time questions for one set of rules: holidays and notices (shared,
// precomputed once per Calendar built by New) and the working sessions (per desk). It is
// immutable and safe for concurrent use; the With... methods return new Calendars.
type Calendar struct {
	t        *tables
	sessions []Session
	ss       []secSession // sessions in seconds after midnight
}

type secSession struct{ start, end int64 }

// tables are the precomputed per-day facts over the configured years. Day i is local day number
// day0+i. Working days have the same length (WorkingDayMinutes), so working time up to any
// instant is a prefix count of working days times that length plus the part of its own day.
type tables struct {
	cfg     Config
	day0    int
	working []bool   // per day: a working day?
	wpre    []int32  // wpre[i] = number of working days before day i; len = days+1
	widx    []int32  // widx[k] = day index of the k-th working day
	years   [][]Day  // the holidays list of each year
	notices []Notice // by year, ascending
}

// New builds a Calendar for cfg over cfg.FirstYear..cfg.LastYear. Each notice replaces the
// derived rules for its year. An invalid config or notice (or two notices for one year) is an
// error and builds nothing. The build costs a few milliseconds: build once, share it.
func New(cfg Config, notices []Notice) (*Calendar, error) {
	cfg, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	byYear := map[int]Notice{}
	for _, n := range notices {
		if err := n.Validate(); err != nil {
			return nil, err
		}
		if n.Year < cfg.FirstYear || n.Year > cfg.LastYear {
			return nil, fmt.Errorf("notice %d: outside the calendar's years %d..%d: %w", n.Year, cfg.FirstYear, cfg.LastYear, ErrOutOfRange)
		}
		if _, dup := byYear[n.Year]; dup {
			return nil, fmt.Errorf("notice %d: two notices for one year: %w", n.Year, ErrInvalidNotice)
		}
		byYear[n.Year] = n.clone()
	}
	t, err := buildTables(cfg, byYear)
	if err != nil {
		return nil, err
	}
	return newCalendar(t, cfg.Sessions), nil
}

func newCalendar(t *tables, sessions []Session) *Calendar {
	c := &Calendar{t: t, sessions: append([]Session(nil), sessions...)}
	for _, s := range sessions {
		c.ss = append(c.ss, secSession{int64(s.Start) * 60, int64(s.End) * 60})
	}
	return c
}

func buildTables(cfg Config, notices map[int]Notice) (*tables, error) {
	t := &tables{cfg: cfg, day0: daysFromCivil(cfg.FirstYear, 1, 1)}
	n := daysFromCivil(cfg.LastYear+1, 1, 1) - t.day0
	t.working = make([]bool, n)
	for i := range t.working {
		t.working[i] = cfg.weekly[weekdayOfDays(t.day0+i)]
	}
	for y := cfg.FirstYear; y <= cfg.LastYear; y++ {
		var days []Day
		if nt, ok := notices[y]; ok {
			days = nt.entries()
			t.notices = append(t.notices, nt)
		} else {
			var err error
			if days, err = deriveYear(&cfg, y); err != nil {
				return nil, err
			}
		}
		t.years = append(t.years, days)
		for _, d := range days {
			z, _ := parseDate(d.Date) // validated by Notice.Validate or produced by deriveYear
			i := z - t.day0
			if i < 0 || i >= n {
				continue
			}
			t.working[i] = d.Kind == KindWorkingDay
		}
	}
	t.wpre = make([]int32, n+1)
	for i, w := range t.working {
		t.wpre[i+1] = t.wpre[i]
		if w {
			t.widx = append(t.widx, int32(i))
			t.wpre[i+1]++
		}
	}
	return t, nil
}

// WithSessions returns a Calendar for a desk with its own working sessions, sharing the holiday
// tables (no rebuild). The sessions must add up to WorkingDayMinutes.
func (c *Calendar) WithSessions(s []Session) (*Calendar, error) {
	if err := validateSessions(s); err != nil {
		return nil, err
	}
	return newCalendar(c.t, s), nil
}

// WithNotice returns a new Calendar in which n adds or replaces the notice for its year (an
// administrator's edit). The receiver is unchanged, so a bad notice changes nothing.
func (c *Calendar) WithNotice(n Notice) (*Calendar, error) {
	list := []Notice{n}
	for _, old := range c.t.notices {
		if old.Year != n.Year {
			list = append(list, old)
		}
	}
	nc, err := New(c.t.cfg, list)
	if err != nil {
		return nil, err
	}
	return newCalendar(nc.t, c.sessions), nil
}

// WithoutNotice returns a new Calendar in which year y follows the derived rules again.
func (c *Calendar) WithoutNotice(y int) (*Calendar, error) {
	var list []Notice
	for _, old := range c.t.notices {
		if old.Year != y {
			list = append(list, old)
		}
	}
	nc, err := New(c.t.cfg, list)
	if err != nil {
		return nil, err
	}
	return newCalendar(nc.t, c.sessions), nil
}

// Notices returns copies of the notices in force, by year.
func (c *Calendar) Notices() []Notice {
	out := make([]Notice, len(c.t.notices))
	for i, n := range c.t.notices {
		out[i] = n.clone()
	}
	return out
}

// Sessions returns the working sessions this Calendar counts.
func (c *Calendar) Sessions() []Session { return append([]Session(nil), c.sessions...) }

// Years returns the first and last year the Calendar covers.
func (c *Calendar) Years() (first, last int) { return c.t.cfg.FirstYear, c.t.cfg.LastYear }

func (c *Calendar) checkYear(y int) error {
	if y < c.t.cfg.FirstYear || y > c.t.cfg.LastYear {
		return fmt.Errorf("year %d: %w (%d..%d)", y, ErrOutOfRange, c.t.cfg.FirstYear, c.t.cfg.LastYear)
	}
	return nil
}

// Holidays returns the `calendar holidays` list of year y, sorted by date: every public holiday
// (kind holiday, even on a weekend), every make-up or swapped weekday off (day_off) and every
// weekend day worked (working_day). For a year with a notice, exactly the notice's entries.
func (c *Calendar) Holidays(y int) ([]Day, error) {
	if err := c.checkYear(y); err != nil {
		return nil, err
	}
	return append([]Day(nil), c.t.years[y-c.t.cfg.FirstYear]...), nil
}

// DateInfo describes one date for the console's month grid.
type DateInfo struct {
	Date    string       `json:"date"`
	Weekday time.Weekday `json:"weekday"`
	Working bool         `json:"working"`
	Kind    DayKind      `json:"kind,omitempty"` // set when the date is in the year's list
	Name    string       `json:"name,omitempty"`
}

// MonthGrid returns every date of a month with whether it is worked and why not.
func (c *Calendar) MonthGrid(y int, m time.Month) ([]DateInfo, error) {
	if err := c.checkYear(y); err != nil {
		return nil, err
	}
	if m < time.January || m > time.December {
		return nil, fmt.Errorf("month %d: %w", int(m), ErrNoSuchDate)
	}
	byDate := map[string]Day{}
	for _, d := range c.t.years[y-c.t.cfg.FirstYear] {
		byDate[d.Date] = d
	}
	first := daysFromCivil(y, int(m), 1)
	out := make([]DateInfo, 0, 31)
	for z := first; z < first+daysIn(y, int(m)); z++ {
		di := DateInfo{Date: formatDate(z), Weekday: weekdayOfDays(z), Working: c.t.working[z-c.t.day0]}
		if d, ok := byDate[di.Date]; ok {
			di.Kind, di.Name = d.Kind, d.Name
		}
		out = append(out, di)
	}
	return out, nil
}

// IsWorkingDay reports whether t's date (in Vietnam) is a working day. Outside the Calendar's
// years it answers by the weekly rule alone.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	z, _ := dayOf(t)
	i := z - c.t.day0
	if i < 0 || i >= len(c.t.working) {
		return c.t.cfg.weekly[weekdayOfDays(z)]
	}
	return c.t.working[i]
}

// locate returns t's day index in the tables and its second of day; ok is false outside them.
func (c *Calendar) locate(t time.Time) (i int, sod int64, ok bool) {
	z, sod := dayOf(t)
	i = z - c.t.day0
	return i, sod, i >= 0 && i < len(c.t.working)
}

func (c *Calendar) errRange(t time.Time) error {
	return fmt.Errorf("%s: %w (%d..%d)", t.In(VN).Format(time.RFC3339), ErrOutOfRange, c.t.cfg.FirstYear, c.t.cfg.LastYear)
}

// within returns the working seconds of a working day before second sod.
func (c *Calendar) within(sod int64) int64 {
	var w int64
	for _, s := range c.ss {
		if sod <= s.start {
			break
		}
		if sod < s.end {
			return w + sod - s.start
		}
		w += s.end - s.start
	}
	return w
}

// clock returns the earliest second of a working day at which r (0 < r <= workDaySec) working
// seconds have passed: a session's end when r completes it.
func (c *Calendar) clock(r int64) int64 {
	for _, s := range c.ss {
		l := s.end - s.start
		if r <= l {
			return s.start + r
		}
		r -= l
	}
	return c.ss[len(c.ss)-1].end
}

// worked returns the working seconds from the start of the tables to t, clamped at both ends.
func (c *Calendar) worked(t time.Time) int64 {
	i, sod, _ := c.locate(t)
	if i < 0 {
		return 0
	}
	if i >= len(c.t.working) {
		return int64(c.t.wpre[len(c.t.working)]) * workDaySec
	}
	w := int64(c.t.wpre[i]) * workDaySec
	if c.t.working[i] {
		w += c.within(sod)
	}
	return w
}

// at returns the earliest instant at which w working seconds (w > 0) have passed since the
// start of the tables.
func (c *Calendar) at(w int64) (time.Time, bool) {
	k := (w - 1) / workDaySec
	if k >= int64(len(c.t.widx)) {
		return time.Time{}, false
	}
	return instant(c.t.day0+int(c.t.widx[k]), c.clock(w-k*workDaySec)), true
}

// nextWorking returns the first working moment at or after (day index i, second sod).
func (c *Calendar) nextWorking(i int, sod int64) (int, int64, bool) {
	if c.t.working[i] {
		for _, s := range c.ss {
			if sod < s.start {
				return i, s.start, true
			}
			if sod < s.end {
				return i, sod, true
			}
		}
	}
	k := c.t.wpre[i+1]
	if int(k) >= len(c.t.widx) {
		return 0, 0, false
	}
	return int(c.t.widx[k]), c.ss[0].start, true
}

// endOfWorkingDayFrom returns the end of the last session of the first working day at or
// after day index i.
func (c *Calendar) endOfWorkingDayFrom(i int) (time.Time, bool) {
	if i >= len(c.t.working) {
		return time.Time{}, false
	}
	k := c.t.wpre[i]
	if int(k) >= len(c.t.widx) {
		return time.Time{}, false
	}
	return instant(c.t.day0+int(c.t.widx[k]), c.ss[len(c.ss)-1].end), true
}

// AddWorkingMinutes returns the earliest instant at which m working minutes have passed since
// start (what Due uses for working units). A start outside working time counts from the next
// working moment; a period that completes a session ends at that session's end (Monday 07:30 +
// 240 minutes = Monday 11:30, not 13:00). m = 0 gives the next working moment itself (start,
// when start is in working time), so a zero deadline is never on a day off. Negative m and
// results outside the Calendar's years are errors.
func (c *Calendar) AddWorkingMinutes(start time.Time, m int64) (time.Time, error) {
	if m < 0 {
		return time.Time{}, fmt.Errorf("working minutes %d: negative: %w", m, ErrInvalidDuration)
	}
	i, sod, ok := c.locate(start)
	if !ok {
		return time.Time{}, c.errRange(start)
	}
	if m == 0 {
		j, s, ok := c.nextWorking(i, sod)
		if !ok {
			return time.Time{}, fmt.Errorf("next working moment after %s: %w", start.In(VN).Format(time.RFC3339), ErrOutOfRange)
		}
		if j == i && s == sod {
			return start.In(VN), nil
		}
		return instant(c.t.day0+j, s), nil
	}
	total := int64(len(c.t.widx)) * workDaySec
	if m > total/60 {
		return time.Time{}, fmt.Errorf("%d working minutes after %s: %w", m, start.In(VN).Format(time.RFC3339), ErrOutOfRange)
	}
	due, ok := c.at(c.worked(start) + m*60)
	if !ok {
		return time.Time{}, fmt.Errorf("%d working minutes after %s: %w", m, start.In(VN).Format(time.RFC3339), ErrOutOfRange)
	}
	return due, nil
}

// Due returns the deadline of a period of duration d that starts at start, in VN time.
//
//   - Working units (working_day = 8 working hours, working_hour, working_minute): the earliest
//     instant at which d of working time has passed (see AddWorkingMinutes), so that
//     Elapsed(start, Due(start, d)) equals d in minutes.
//   - Calendar days and months: counted from the date of the next working moment (a start after
//     the day's last session counts from the next working day); the period ends at the end of
//     the last working session of its last date, or, when that date is not a working day, of the
//     next working day. Months keep the day of the month, or take the month's last day when it
//     has no such day (31/1 + 1 month = 28/2 or 29/2).
//   - Same day: the end of the working day of the next working moment; with a Cutoff, a start
//     whose next working moment is after the cut-off gives the end of the next working day.
func (c *Calendar) Due(start time.Time, d Duration) (time.Time, error) {
	if err := d.Validate(); err != nil {
		return time.Time{}, err
	}
	if m, ok := d.workingMinutes(); ok {
		return c.AddWorkingMinutes(start, m)
	}
	i, sod, ok := c.locate(start)
	if !ok {
		return time.Time{}, c.errRange(start)
	}
	j, s, ok := c.nextWorking(i, sod)
	if !ok {
		return time.Time{}, fmt.Errorf("next working moment after %s: %w", start.In(VN).Format(time.RFC3339), ErrOutOfRange)
	}
	var last int // day index of the period's last date
	switch d.Unit {
	case CalendarDay:
		last = j + d.Value
	case Month:
		y, mo, dd := civilFromDays(c.t.day0 + j)
		months := y*12 + (mo - 1) + d.Value
		ny, nm := months/12, months%12+1
		if ny > c.t.cfg.LastYear {
			return time.Time{}, fmt.Errorf("%s after %s: %w", d, start.In(VN).Format(time.RFC3339), ErrOutOfRange)
		}
		last = daysFromCivil(ny, nm, min(dd, daysIn(ny, nm))) - c.t.day0
	case SameDay:
		last = j
		if d.Cutoff != "" {
			cut, _ := parseClock(d.Cutoff, false) // validated
			if s > int64(cut)*60 {
				last = j + 1
			}
		}
	}
	due, ok := c.endOfWorkingDayFrom(last)
	if !ok {
		return time.Time{}, fmt.Errorf("%s after %s: %w", d, start.In(VN).Format(time.RFC3339), ErrOutOfRange)
	}
	return due, nil
}

// Elapsed returns the working minutes in [a, b), rounded down; 0 if b is not after a. Instants
// outside the Calendar's years are clamped to its ends.
func (c *Calendar) Elapsed(a, b time.Time) int64 {
	if !b.After(a) {
		return 0
	}
	return (c.worked(b) - c.worked(a)) / 60
}

// Interval is a half-open span of time [From, To), e.g. a period the clock was suspended.
type Interval struct{ From, To time.Time }

// pausedSpans maps pauses to working-second spans clipped to [lo, hi), sorted and merged. The
// working-seconds count is monotone, so the image of a union is the union of the images.
func (c *Calendar) pausedSpans(paused []Interval, lo, hi int64) [][2]int64 {
	spans := make([][2]int64, 0, len(paused))
	for _, p := range paused {
		if !p.To.After(p.From) {
			continue
		}
		f, t := max(c.worked(p.From), lo), min(c.worked(p.To), hi)
		if t > f {
			spans = append(spans, [2]int64{f, t})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	merged := spans[:0]
	for _, s := range spans {
		if n := len(merged); n > 0 && s[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], s[1])
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// ElapsedExcluding returns the working minutes in [a, b) outside every paused interval (a
// suspended clock); pauses may overlap each other and the ends of [a, b).
func (c *Calendar) ElapsedExcluding(a, b time.Time, paused []Interval) int64 {
	if !b.After(a) {
		return 0
	}
	wa, wb := c.worked(a), c.worked(b)
	w := wb - wa
	for _, s := range c.pausedSpans(paused, wa, wb) {
		w -= s[1] - s[0]
	}
	return w / 60
}

// DueExcluding returns the deadline of a period of duration d from start when the clock was or
// will be suspended during the paused intervals. For working units the paused working time is
// not counted, so ElapsedExcluding(start, due, paused) equals d. For calendar units and same-day
// the deadline is moved later by the working time paused before it (and again for any pause the
// move brings in), since the law extends the period by the time suspended.
func (c *Calendar) DueExcluding(start time.Time, d Duration, paused []Interval) (time.Time, error) {
	due, err := c.Due(start, d)
	if err != nil || len(paused) == 0 {
		return due, err
	}
	ws := c.worked(start)
	if m, ok := d.workingMinutes(); ok {
		if m == 0 {
			return due, nil
		}
		cur, rem := ws, m*60
		for _, s := range c.pausedSpans(paused, ws, int64(len(c.t.widx))*workDaySec) {
			if s[0] >= cur+rem {
				break
			}
			if s[0] > cur {
				rem -= s[0] - cur
			}
			cur = max(cur, s[1])
		}
		t, ok := c.at(cur + rem)
		if !ok {
			return time.Time{}, fmt.Errorf("%s after %s with pauses: %w", d, start.In(VN).Format(time.RFC3339), ErrOutOfRange)
		}
		return t, nil
	}
	base := c.worked(due)
	var extra int64
	for {
		var p int64
		for _, s := range c.pausedSpans(paused, ws, base+extra) {
			p += s[1] - s[0]
		}
		if p == extra {
			break
		}
		extra = p
	}
	if extra == 0 {
		return due, nil
	}
	t, ok := c.at(base + extra)
	if !ok {
		return time.Time{}, fmt.Errorf("%s after %s with pauses: %w", d, start.In(VN).Format(time.RFC3339), ErrOutOfRange)
	}
	return t, nil
}
