package calendar

import (
	"fmt"
	"sort"
	"time"
)

// cultureDayFrom is the first day Ngày Văn hóa Việt Nam (24/11) is a public holiday
// (Nghị quyết 28/2026/QH16).
var cultureDayFrom = daysFromCivil(2026, 7, 1)

var weekdayNames = [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// deriveYear applies the statutory rules (Bộ luật Lao động 2019, Điều 111-112) to year y: the
// public holidays, listed whatever their weekday, and for each holiday on a weekly rest day a
// make-up day off on the next working weekday that is not already off, in date order.
func deriveYear(cfg *Config, y int) ([]Day, error) {
	holidays := map[int]string{}
	add := func(z int, name string) {
		if prev, ok := holidays[z]; ok {
			// Two holidays on one date (possible in principle for Giỗ Tổ and 30/4): one day
			// off, both names; the law grants no extra day for the coincidence.
			name = prev + "; " + name
		}
		holidays[z] = name
	}
	add(daysFromCivil(y, 1, 1), "Tết Dương lịch")
	tet, err := dayOfLunar(LunarDate{Year: y, Month: 1, Day: 1})
	if err != nil {
		return nil, fmt.Errorf("year %d: tết: %w", y, err)
	}
	for _, off := range cfg.TetOffsets {
		name := "Tết Nguyên Đán"
		if off == 0 {
			name = "Tết Nguyên Đán (Mùng 1 " + YearName(y) + ")"
		}
		add(tet+off, name)
	}
	gioTo, err := dayOfLunar(LunarDate{Year: y, Month: 3, Day: 10})
	if err != nil {
		return nil, fmt.Errorf("year %d: giỗ tổ: %w", y, err)
	}
	add(gioTo, "Giỗ Tổ Hùng Vương (10/3 âm lịch)")
	add(daysFromCivil(y, 4, 30), "Ngày Chiến thắng")
	add(daysFromCivil(y, 5, 1), "Ngày Quốc tế Lao động")
	nd := daysFromCivil(y, 9, 2)
	add(nd+cfg.NationalDayAdjacent, "Quốc khánh (ngày liền kề)")
	add(nd, "Quốc khánh")
	if cd := daysFromCivil(y, 11, 24); cd >= cultureDayFrom {
		add(cd, "Ngày Văn hóa Việt Nam")
	}

	dates := make([]int, 0, len(holidays))
	for z := range holidays {
		dates = append(dates, z)
	}
	sort.Ints(dates)
	out := make([]Day, 0, len(dates)+4)
	taken := map[int]bool{}
	for _, z := range dates {
		taken[z] = true
		out = append(out, Day{Date: formatDate(z), Kind: KindHoliday, Name: holidays[z]})
	}
	for _, z := range dates {
		if cfg.weekly[weekdayOfDays(z)] {
			continue
		}
		c := z + 1
		for !cfg.weekly[weekdayOfDays(c)] || taken[c] {
			c++
		}
		taken[c] = true
		_, m, d := civilFromDays(z)
		name := fmt.Sprintf("Nghỉ bù %s rơi vào %s %d/%d", holidays[z], weekdayNames[weekdayOfDays(z)], d, m)
		out = append(out, Day{Date: formatDate(c), Kind: KindDayOff, Name: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// weekdaySet turns a list of weekdays into a lookup table.
func weekdaySet(ws []time.Weekday) (set [7]bool) {
	for _, w := range ws {
		if w >= 0 && w < 7 {
			set[w] = true
		}
	}
	return set
}
