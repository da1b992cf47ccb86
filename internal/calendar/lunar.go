package calendar

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"time"
)

// The Vietnamese lunisolar calendar, computed for UTC+7 from astronomical new moons and solar
// terms (the algorithm of Hồ Ngọc Đức, after Jean Meeus, "Astronomical Algorithms"). It is not the
// Chinese calendar: China computes the same rules at UTC+8, which moves Tết by a day or a month
// in some years (1985, 2007, 2030 ...).
//
// The rules: a month starts on the local day of a new moon; month 11 is the month containing the
// winter solstice; a year between two months 11 with 13 months has a leap month, the first month
// without a major solar term (trung khí), numbered like the month before it.

// LunarDate is a date of the Vietnamese lunar calendar. Year is the Gregorian year in which the
// lunar year begins (Tết); Leap marks the intercalary month (tháng nhuận) that repeats Month.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// String formats the date the Vietnamese way, day/month/year, with "nhuận" for a leap month.
func (l LunarDate) String() string {
	if l.Leap {
		return fmt.Sprintf("%d/%d nhuận/%d", l.Day, l.Month, l.Year)
	}
	return fmt.Sprintf("%d/%d/%d", l.Day, l.Month, l.Year)
}

// MinYear and MaxYear bound the years (Gregorian, and lunar years by the Gregorian year of their
// Tết) that the package supports.
const (
	MinYear = 1900
	MaxYear = 2100
)

const lunarTZ = 7.0

// newMoon returns the Julian day (UT, fractional) of the k-th new moon after 1900-01-01.
func newMoon(k int) float64 {
	kf := float64(k)
	T := kf / 1236.85
	T2 := T * T
	T3 := T2 * T
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*T2 - 0.000000155*T3
	jd1 += 0.00033 * math.Sin((166.56+132.87*T-0.009173*T2)*dr)
	M := 359.2242 + 29.10535608*kf - 0.0000333*T2 - 0.00000347*T3
	Mpr := 306.0253 + 385.81691806*kf + 0.0107306*T2 + 0.00001236*T3
	F := 21.2964 + 390.67050646*kf - 0.0016528*T2 - 0.00000239*T3
	C1 := (0.1734-0.000393*T)*math.Sin(M*dr) + 0.0021*math.Sin(2*dr*M)
	C1 -= 0.4068*math.Sin(Mpr*dr) - 0.0161*math.Sin(dr*2*Mpr)
	C1 -= 0.0004 * math.Sin(dr*3*Mpr)
	C1 += 0.0104*math.Sin(dr*2*F) - 0.0051*math.Sin(dr*(M+Mpr))
	C1 -= 0.0074*math.Sin(dr*(M-Mpr)) - 0.0004*math.Sin(dr*(2*F+M))
	C1 -= 0.0004*math.Sin(dr*(2*F-M)) + 0.0006*math.Sin(dr*(2*F+Mpr))
	C1 += 0.0010*math.Sin(dr*(2*F-Mpr)) + 0.0005*math.Sin(dr*(2*Mpr+M))
	var deltaT float64
	if T < -11 {
		deltaT = 0.001 + 0.000839*T + 0.0002261*T2 - 0.00000845*T3 - 0.000000081*T*T3
	} else {
		deltaT = -0.000278 + 0.000265*T + 0.000262*T2
	}
	return jd1 + C1 - deltaT
}

// sunLongitude returns the sun's apparent longitude in radians [0, 2π) at Julian day jd (UT).
func sunLongitude(jd float64) float64 {
	T := (jd - 2451545.0) / 36525
	T2 := T * T
	dr := math.Pi / 180
	M := 357.52910 + 35999.05030*T - 0.0001559*T2 - 0.00000048*T*T2
	L0 := 280.46645 + 36000.76983*T + 0.0003032*T2
	DL := (1.914600 - 0.004817*T - 0.000014*T2) * math.Sin(dr*M)
	DL += (0.019993-0.000101*T)*math.Sin(dr*2*M) + 0.000290*math.Sin(dr*3*M)
	L := (L0 + DL) * dr
	L -= 2 * math.Pi * math.Floor(L/(2*math.Pi))
	return L
}

// newMoonDay returns the Julian day number of the local (UTC+7) day of the k-th new moon.
func newMoonDay(k int) int {
	return int(math.Floor(newMoon(k) + 0.5 + lunarTZ/24))
}

// sunSector returns which of the 12 major-term sectors (0..11, 30° each) the sun is in at the
// start of the local day with Julian day number jdn.
func sunSector(jdn int) int {
	return int(math.Floor(sunLongitude(float64(jdn)-0.5-lunarTZ/24) / math.Pi * 6))
}

// lunarMonth11 returns the Julian day number of the first day of month 11 (the month with the
// winter solstice) of Gregorian year y.
func lunarMonth11(y int) int {
	off := daysFromCivil(y, 12, 31) + unixEpochJ - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// newMoonIndex returns k such that newMoonDay(k) is the month starting at jdn.
func newMoonIndex(jdn int) int {
	return int(math.Floor((float64(jdn)-2415021.076998695)/29.530588853 + 0.5))
}

// leapMonthOffset returns, for a 13-month year starting at month 11 (day a11), the offset from
// that month of the leap month: the first month whose start and the next month's start lie in the
// same sector, i.e. a month without a major solar term.
func leapMonthOffset(a11 int) int {
	k := newMoonIndex(a11)
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// lunarTable lists every lunar month start from month 11 of lunar year MinYear-1 to month 11 of
// lunar year MaxYear+1, so that both conversions are a binary search or an index.
type lunarTable struct {
	starts []int              // day numbers (days since 1970-01-01) of month starts; the last is a sentinel
	labels []LunarDate        // label of each month (Day unset); len(starts)-1 entries
	index  map[lunarMonth]int // label -> index in starts
}

type lunarMonth struct {
	year, month int
	leap        bool
}

var (
	lunarOnce sync.Once
	lunarTab  *lunarTable
)

func lunar() *lunarTable {
	lunarOnce.Do(func() { lunarTab = buildLunarTable(MinYear-1, MaxYear+1) })
	return lunarTab
}

// buildLunarTable covers the years (suì) between months 11 of Gregorian years from-1 .. to.
func buildLunarTable(from, to int) *lunarTable {
	t := &lunarTable{}
	a11 := lunarMonth11(from)
	for y := from + 1; y <= to; y++ {
		b11 := lunarMonth11(y)
		k := newMoonIndex(a11)
		n := 12
		leap := -1
		if b11-a11 > 365 {
			n = 13
			leap = leapMonthOffset(a11)
		}
		for j := 0; j < n; j++ {
			start := newMoonDay(k + j)
			if j == 0 && start != a11 {
				panic(fmt.Sprintf("calendar: lunar table: month 11 of %d starts on JDN %d, new moon %d gives %d", y-1, a11, k, start))
			}
			month := j + 11
			isLeap := false
			if leap >= 0 && j >= leap {
				month = j + 10
				isLeap = j == leap
			}
			if month > 12 {
				month -= 12
			}
			year := y
			if month >= 11 && j < 4 {
				year = y - 1
			}
			t.starts = append(t.starts, start-unixEpochJ)
			t.labels = append(t.labels, LunarDate{Year: year, Month: month, Leap: isLeap})
		}
		if next := newMoonDay(k + n); next != b11 {
			panic(fmt.Sprintf("calendar: lunar table: year %d has %d months but month 11 of %d starts on JDN %d, not %d", y, n, y, b11, next))
		}
		a11 = b11
	}
	t.starts = append(t.starts, a11-unixEpochJ)
	t.index = make(map[lunarMonth]int, len(t.labels))
	for i, l := range t.labels {
		t.index[lunarMonth{l.Year, l.Month, l.Leap}] = i
	}
	return t
}

// ToLunar converts a Gregorian date to the Vietnamese lunar calendar.
func ToLunar(y int, m time.Month, d int) (LunarDate, error) {
	if y < MinYear || y > MaxYear {
		return LunarDate{}, fmt.Errorf("lunar: year %d: %w", y, ErrOutOfRange)
	}
	if !validDate(y, int(m), d) {
		return LunarDate{}, fmt.Errorf("lunar: %04d-%02d-%02d: %w", y, int(m), d, ErrNoSuchDate)
	}
	return lunarOfDay(daysFromCivil(y, int(m), d)), nil
}

// lunarOfDay converts a day number within the table.
func lunarOfDay(z int) LunarDate {
	t := lunar()
	i := sort.SearchInts(t.starts, z+1) - 1
	l := t.labels[i]
	l.Day = z - t.starts[i] + 1
	return l
}

// FromLunar converts a Vietnamese lunar date to the Gregorian calendar. A leap month exists only
// in the year that has it, and a month has 29 or 30 days: anything else is an error.
func FromLunar(l LunarDate) (y int, m time.Month, d int, err error) {
	z, err := dayOfLunar(l)
	if err != nil {
		return 0, 0, 0, err
	}
	yy, mm, dd := civilFromDays(z)
	return yy, time.Month(mm), dd, nil
}

func dayOfLunar(l LunarDate) (int, error) {
	// Lunar year MinYear-1 is there only for its months 11 and 12, which hold January MinYear.
	if l.Year < MinYear-1 || l.Year > MaxYear {
		return 0, fmt.Errorf("lunar: year %d: %w", l.Year, ErrOutOfRange)
	}
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return 0, fmt.Errorf("lunar: %v: %w", l, ErrNoSuchDate)
	}
	t := lunar()
	i, ok := t.index[lunarMonth{l.Year, l.Month, l.Leap}]
	switch {
	case ok:
		if n := t.starts[i+1] - t.starts[i]; l.Day > n {
			return 0, fmt.Errorf("lunar: %v: the month has %d days: %w", l, n, ErrNoSuchDate)
		}
		return t.starts[i] + l.Day - 1, nil
	case l.Year < MinYear:
		return 0, fmt.Errorf("lunar: %v: %w", l, ErrOutOfRange)
	case l.Leap:
		return 0, fmt.Errorf("lunar: %v: year %d has no leap month %d: %w", l, l.Year, l.Month, ErrNoSuchDate)
	}
	return 0, fmt.Errorf("lunar: %v: %w", l, ErrNoSuchDate)
}

// LeapMonth returns the leap month of lunar year y (0 if the year has none).
func LeapMonth(y int) (int, error) {
	if y < MinYear || y > MaxYear {
		return 0, fmt.Errorf("lunar: year %d: %w", y, ErrOutOfRange)
	}
	t := lunar()
	for m := 1; m <= 12; m++ {
		if _, ok := t.index[lunarMonth{y, m, true}]; ok {
			return m, nil
		}
	}
	return 0, nil
}

var (
	stems    = [10]string{"Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"}
	branches = [12]string{"Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"}
)

// YearName returns the sexagenary (can chi) name of lunar year y, e.g. "Bính Ngọ" for 2026, as
// printed in holiday names ("Mùng 1 Bính Ngọ").
func YearName(y int) string {
	return stems[((y+6)%10+10)%10] + " " + branches[((y+8)%12+12)%12]
}
