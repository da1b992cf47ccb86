package index

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Zone is Vietnam's civil time (UTC+7, no daylight saving). A dossier event belongs to the day
// it happened on in Vietnam, whatever the server's time zone, so rollups are keyed in this zone.
var Zone = time.FixedZone("ICT", 7*60*60)

// Date is a civil date in Vietnam, counted in days since 1970-01-01. A plain integer keeps
// rollup rows small and lets periods be compared and iterated without time zone arithmetic.
type Date int32

// Range limits for dates and periods: the index has no meaning before electronic one-stop
// systems existed, and a bound keeps a mistyped year from turning into a huge query.
const (
	MinYear = 2000
	MaxYear = 2199
	// MaxPeriodDays bounds a custom period (ten years, leap days included).
	MaxPeriodDays = 3653
)

// NewDate returns the date y-m-d. Out-of-range months and days are normalized as time.Date
// does; use ParseDate to validate text.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(t.Unix() / 86400)
}

// DateOf returns the Vietnamese civil date of the instant t.
func DateOf(t time.Time) Date {
	t = t.In(Zone)
	return NewDate(t.Year(), t.Month(), t.Day())
}

// ParseDate parses "YYYY-MM-DD" and rejects impossible dates and years outside
// [MinYear, MaxYear].
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	y, err1 := strconv.Atoi(s[0:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:10])
	if err := errors.Join(err1, err2, err3); err != nil || s[0] == '+' || s[5] == '+' || s[8] == '+' ||
		s[0] == '-' || s[5] == '-' || s[8] == '-' {
		return 0, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	if y < MinYear || y > MaxYear {
		return 0, fmt.Errorf("parse date %q: year outside %d-%d", s, MinYear, MaxYear)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return 0, fmt.Errorf("parse date %q: no such day", s)
	}
	return NewDate(y, time.Month(m), d), nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Time returns midnight at the start of the date in Vietnam.
func (d Date) Time() time.Time {
	y, m, dd := d.YMD()
	return time.Date(y, m, dd, 0, 0, 0, 0, Zone)
}

// YMD returns the year, month and day.
func (d Date) YMD() (int, time.Month, int) {
	t := time.Unix(int64(d)*86400, 0).UTC()
	return t.Year(), t.Month(), t.Day()
}

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	y, m, dd := d.YMD()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// MarshalText formats the date as YYYY-MM-DD, the form the API uses.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// PeriodKind tells how a period was built, so that Previous can step back by the same
// calendar unit (a month before March is February, not the 31 days before).
type PeriodKind string

// The period kinds of LEGAL.md §8: month, quarter, 6 and 9 months, year, or any range.
const (
	KindMonth   PeriodKind = "month"
	KindQuarter PeriodKind = "quarter"
	KindHalf    PeriodKind = "6months"
	KindNine    PeriodKind = "9months"
	KindYear    PeriodKind = "year"
	KindCustom  PeriodKind = "custom"
)

// Period is a closed range of civil dates [From, To]. Dossiers still open are judged at the
// end of To (LEGAL.md §6).
type Period struct {
	From Date       `json:"from"`
	To   Date       `json:"to"`
	Kind PeriodKind `json:"kind"`
}

func checkYear(y int) error {
	if y < MinYear || y > MaxYear {
		return fmt.Errorf("year %d outside %d-%d", y, MinYear, MaxYear)
	}
	return nil
}

// Month returns the calendar month m of year y.
func Month(y int, m time.Month) (Period, error) {
	if err := checkYear(y); err != nil {
		return Period{}, fmt.Errorf("month period: %w", err)
	}
	if m < time.January || m > time.December {
		return Period{}, fmt.Errorf("month period: month %d outside 1-12", int(m))
	}
	return Period{From: NewDate(y, m, 1), To: NewDate(y, m, daysIn(y, m)), Kind: KindMonth}, nil
}

// Quarter returns quarter q (1-4) of year y.
func Quarter(y, q int) (Period, error) {
	if err := checkYear(y); err != nil {
		return Period{}, fmt.Errorf("quarter period: %w", err)
	}
	if q < 1 || q > 4 {
		return Period{}, fmt.Errorf("quarter period: quarter %d outside 1-4", q)
	}
	first := time.Month(3*q - 2)
	return Period{From: NewDate(y, first, 1), To: NewDate(y, first+2, daysIn(y, first+2)), Kind: KindQuarter}, nil
}

// Months6 returns half h of year y: 1 is January-June ("6 tháng đầu năm", the usual
// six-month report), 2 is July-December.
func Months6(y, h int) (Period, error) {
	if err := checkYear(y); err != nil {
		return Period{}, fmt.Errorf("6-month period: %w", err)
	}
	if h < 1 || h > 2 {
		return Period{}, fmt.Errorf("6-month period: half %d outside 1-2", h)
	}
	first := time.Month(6*h - 5)
	return Period{From: NewDate(y, first, 1), To: NewDate(y, first+5, daysIn(y, first+5)), Kind: KindHalf}, nil
}

// Months9 returns January-September of year y, the nine-month report.
func Months9(y int) (Period, error) {
	if err := checkYear(y); err != nil {
		return Period{}, fmt.Errorf("9-month period: %w", err)
	}
	return Period{From: NewDate(y, time.January, 1), To: NewDate(y, time.September, 30), Kind: KindNine}, nil
}

// Year returns the calendar year y.
func Year(y int) (Period, error) {
	if err := checkYear(y); err != nil {
		return Period{}, fmt.Errorf("year period: %w", err)
	}
	return Period{From: NewDate(y, time.January, 1), To: NewDate(y, time.December, 31), Kind: KindYear}, nil
}

// Custom returns the range [from, to] after Validate.
func Custom(from, to Date) (Period, error) {
	p := Period{From: from, To: to, Kind: KindCustom}
	if err := p.Validate(); err != nil {
		return Period{}, err
	}
	return p, nil
}

// Validate checks that from <= to, both dates lie in [MinYear, MaxYear] and the period is at
// most MaxPeriodDays long. Error messages name the field.
func (p Period) Validate() error {
	lo, hi := NewDate(MinYear, time.January, 1), NewDate(MaxYear, time.December, 31)
	switch {
	case p.From < lo || p.From > hi:
		return fmt.Errorf("period: from %s outside %d-%d", p.From, MinYear, MaxYear)
	case p.To < lo || p.To > hi:
		return fmt.Errorf("period: to %s outside %d-%d", p.To, MinYear, MaxYear)
	case p.From > p.To:
		return fmt.Errorf("period: from %s after to %s", p.From, p.To)
	case p.Days() > MaxPeriodDays:
		return fmt.Errorf("period: %d days, more than %d", p.Days(), MaxPeriodDays)
	}
	switch p.Kind {
	case KindMonth, KindQuarter, KindHalf, KindNine, KindYear, KindCustom, "":
	default:
		return fmt.Errorf("period: unknown kind %q", p.Kind)
	}
	return nil
}

// Days returns the number of days in the period.
func (p Period) Days() int { return int(p.To-p.From) + 1 }

// Contains reports whether d lies in the period.
func (p Period) Contains(d Date) bool { return d >= p.From && d <= p.To }

// Previous returns the period before p of the same kind: the previous month, quarter, half
// or year; for 9 months the same months of the previous year (the comparison reports make);
// for a custom range the same number of days ending the day before From. Reports use it for
// the "carried over from the previous period" column and for comparisons.
func (p Period) Previous() Period {
	y, m, _ := p.From.YMD()
	var q Period
	var err error
	switch p.Kind {
	case KindMonth:
		if m == time.January {
			q, err = Month(y-1, time.December)
		} else {
			q, err = Month(y, m-1)
		}
	case KindQuarter:
		if m <= time.March {
			q, err = Quarter(y-1, 4)
		} else {
			q, err = Quarter(y, (int(m)-1)/3)
		}
	case KindHalf:
		if m <= time.June {
			q, err = Months6(y-1, 2)
		} else {
			q, err = Months6(y, 1)
		}
	case KindNine:
		q, err = Months9(y - 1)
	case KindYear:
		q, err = Year(y - 1)
	default:
		n := p.Days()
		q = Period{From: p.From.AddDays(-n), To: p.From.AddDays(-1), Kind: p.Kind}
	}
	if err != nil {
		// Only the year bound can fail; step back by days so the result is still usable.
		n := p.Days()
		q = Period{From: p.From.AddDays(-n), To: p.From.AddDays(-1), Kind: KindCustom}
	}
	return q
}
