package dossier

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date is a civil date (no time, no zone): the receipt day printed in a dossier code.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Identifier shapes of Điều 28 / LEGAL §4: the TT 01/2018 form V1V2V3.Z1Z2.Y1Y2.MX1X2 used by
// provincial systems, and the TT 04/2025 form MX1X2.Y1Y2Y3.Z1Z2 of nationwide systems.
var (
	identTT01 = regexp.MustCompile(`^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$`)
	identTT04 = regexp.MustCompile(`^[A-Z][0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{2}$`)
)

// FormatCode builds a dossier code (Điều 28): the competent authority's identifier, the
// receipt date as yymmdd (day is read in its own location, which the caller sets to Vietnam's),
// and that day's sequence number with at least four digits (it grows past 9999).
func FormatCode(identifier string, day time.Time, seq int64) string {
	return fmt.Sprintf("%s-%s-%04d", identifier, day.Format("060102"), seq)
}

// CodeParts is a parsed dossier code.
type CodeParts struct {
	Identifier string
	Day        Date
	Operator   string // TT 04/2025 only: the two-digit operator code (AA)
	Seq        int64
	TT04       bool // the code has the TT 04/2025 form
}

// ParseCode splits a dossier code into the authority identifier, the receipt date and the
// daily sequence. It accepts the provincial form (000.00.00.H55-261126-0001) and the
// TT 04/2025 form of nationwide systems (G01.123.45-260201-010001, whose sequence is the part
// after the operator code).
func ParseCode(s string) (identifier string, day Date, seq int64, err error) {
	p, err := ParseCodeParts(s)
	if err != nil {
		return "", Date{}, 0, err
	}
	return p.Identifier, p.Day, p.Seq, nil
}

// ParseCodeParts is ParseCode with every part, including the TT 04/2025 operator.
func ParseCodeParts(s string) (CodeParts, error) {
	bad := func(why string) (CodeParts, error) {
		return CodeParts{}, fmt.Errorf("dossier code %q: %s", s, why)
	}
	last := strings.LastIndexByte(s, '-')
	if last < 0 {
		return bad("missing date and sequence")
	}
	mid := strings.LastIndexByte(s[:last], '-')
	if mid < 0 {
		return bad("missing date")
	}
	ident, date, num := s[:mid], s[mid+1:last], s[last+1:]
	var p CodeParts
	switch {
	case identTT01.MatchString(ident):
	case identTT04.MatchString(ident):
		p.TT04 = true
	default:
		return bad("authority identifier has neither the TT 01/2018 nor the TT 04/2025 form")
	}
	p.Identifier = ident
	if len(date) != 6 || !allDigits(date) {
		return bad("date must be yymmdd")
	}
	yy, _ := strconv.Atoi(date[0:2])
	mm, _ := strconv.Atoi(date[2:4])
	dd, _ := strconv.Atoi(date[4:6])
	t := time.Date(2000+yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(mm) || t.Day() != dd {
		return bad("no such date")
	}
	p.Day = Date{Year: 2000 + yy, Month: time.Month(mm), Day: dd}
	if p.TT04 {
		if len(num) < 6 {
			return bad("sequence must be the operator's two digits and at least four digits")
		}
		p.Operator, num = num[:2], num[2:]
		if !allDigits(p.Operator) {
			return bad("operator code must be two digits")
		}
	}
	if len(num) < 4 || len(num) > 18 || !allDigits(num) {
		return bad("sequence must have 4 to 18 digits")
	}
	if len(num) > 4 && num[0] == '0' {
		return bad("sequence past four digits must not be zero-padded")
	}
	seq, _ := strconv.ParseInt(num, 10, 64)
	if seq < 1 {
		return bad("sequence starts at 1")
	}
	p.Seq = seq
	return p, nil
}

// String formats the parts back into a code.
func (p CodeParts) String() string {
	day := time.Date(p.Day.Year, p.Day.Month, p.Day.Day, 0, 0, 0, 0, time.UTC)
	if p.TT04 {
		return fmt.Sprintf("%s-%s-%s%04d", p.Identifier, day.Format("060102"), p.Operator, p.Seq)
	}
	return FormatCode(p.Identifier, day, p.Seq)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
