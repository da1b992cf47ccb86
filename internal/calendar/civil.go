package calendar

import (
	"fmt"
	"time"
)

// VN is Vietnam time (UTC+7, no daylight saving). A fixed zone, so the package never needs tzdata.
var VN = time.FixedZone("ICT", 7*3600)

const (
	vnOffset   = 7 * 3600
	secPerDay  = 86400
	unixEpochJ = 2440588 // Julian day number of 1970-01-01
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// daysFromCivil returns the number of days from 1970-01-01 to the proleptic Gregorian date
// (Howard Hinnant's algorithm: exact integer arithmetic, no time.Time allocation).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := int(floorDiv(int64(y), 400))
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := int(floorDiv(int64(z), 146097))
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// weekdayOfDays returns the weekday of a day number (1970-01-01 was a Thursday).
func weekdayOfDays(z int) time.Weekday {
	return time.Weekday(((z % 7) + 7 + 4) % 7)
}

func isLeapYear(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeapYear(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// localSeconds returns t as seconds since 1970-01-01 00:00 in Vietnam time (sub-second parts
// dropped, rounding toward the past).
func localSeconds(t time.Time) int64 { return t.Unix() + vnOffset }

// dayOf returns the Vietnamese local day number and second of day of t.
func dayOf(t time.Time) (day int, sod int64) {
	ls := localSeconds(t)
	d := floorDiv(ls, secPerDay)
	return int(d), ls - d*secPerDay
}

// instant builds the time at second sod of local day `day`, in VN.
func instant(day int, sod int64) time.Time {
	return time.Unix(int64(day)*secPerDay+sod-vnOffset, 0).In(VN)
}

// formatDate formats a day number as ISO 8601 "2026-02-17".
func formatDate(z int) string {
	y, m, d := civilFromDays(z)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// parseDate parses a strict ISO 8601 calendar date "YYYY-MM-DD" into a day number.
func parseDate(s string) (int, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("malformed date %q: want YYYY-MM-DD", s)
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, fmt.Errorf("malformed date %q: want YYYY-MM-DD", s)
	}
	if !validDate(y, m, d) {
		return 0, fmt.Errorf("malformed date %q: no such day", s)
	}
	return daysFromCivil(y, m, d), nil
}

// atoiDigits parses a non-empty string of ASCII digits (no sign, no spaces).
func atoiDigits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseClock parses "HH:MM" (24-hour, two digits each) into minutes after midnight; "24:00" is
// accepted only when allow24 is set (a session may end at midnight).
func parseClock(s string, allow24 bool) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("malformed time %q: want HH:MM", s)
	}
	h, ok1 := atoiDigits(s[0:2])
	m, ok2 := atoiDigits(s[3:5])
	if !ok1 || !ok2 || m > 59 || h > 24 || (h == 24 && (m != 0 || !allow24)) {
		return 0, fmt.Errorf("malformed time %q: want HH:MM", s)
	}
	return h*60 + m, nil
}

func formatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// ParseTime parses an instant as the CLI and forms write it: RFC 3339 with an offset
// ("2026-02-13T10:15:00+07:00", "…Z"), or, without an offset, Vietnam local time
// ("2026-02-13T10:15", "2026-02-13T10:15:00", "2026-02-13" for midnight). The result is in VN.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
			if t, err = time.ParseInLocation(layout, s, VN); err == nil {
				break
			}
		}
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("malformed time %q: want RFC 3339 (2026-02-13T10:15:00+07:00) or a local date/time", s)
	}
	if t.Year() < 1 {
		return time.Time{}, fmt.Errorf("time %q: %w", s, ErrOutOfRange)
	}
	return t.In(VN), nil
}
