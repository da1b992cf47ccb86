package calendar_test

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
)

// A dossier received on the Friday before Tết 2026 with a 3-working-day deadline: Tết (16-20
// February, from the official notice) and the weekends do not count.
func ExampleCalendar_Due() {
	notices, err := calendar.ParseNotices(seed.CalendarNotices())
	if err != nil {
		panic(err)
	}
	c, err := calendar.New(calendar.DefaultConfig(), notices)
	if err != nil {
		panic(err)
	}
	received := time.Date(2026, 2, 13, 10, 15, 0, 0, calendar.VN)
	d, _ := calendar.ParseDuration("3d")
	due, _ := c.Due(received, d)
	fmt.Println(due.Format(time.RFC3339))
	fmt.Println(c.Elapsed(received, due), "working minutes")

	// Monday 07:30 + 4 working hours ends at the morning session's end, not after lunch.
	monday := time.Date(2026, 3, 2, 7, 30, 0, 0, calendar.VN)
	due, _ = c.Due(monday, calendar.Duration{Value: 4, Unit: calendar.WorkingHour})
	fmt.Println(due.Format(time.RFC3339))
	// Output:
	// 2026-02-25T10:15:00+07:00
	// 1440 working minutes
	// 2026-03-02T11:30:00+07:00
}

// Years without a notice follow the statutory rules: in 2027 Tết (mùng 1 on Saturday 6
// February) and 1 May fall partly on weekends, so make-up days follow.
func ExampleCalendar_Holidays() {
	c, err := calendar.New(calendar.DefaultConfig(), nil)
	if err != nil {
		panic(err)
	}
	days, _ := c.Holidays(2027)
	for _, d := range days {
		fmt.Println(d.Date, d.Kind, d.Name)
	}
	// Output:
	// 2027-01-01 holiday Tết Dương lịch
	// 2027-02-05 holiday Tết Nguyên Đán
	// 2027-02-06 holiday Tết Nguyên Đán (Mùng 1 Đinh Mùi)
	// 2027-02-07 holiday Tết Nguyên Đán
	// 2027-02-08 holiday Tết Nguyên Đán
	// 2027-02-09 holiday Tết Nguyên Đán
	// 2027-02-10 day_off Nghỉ bù Tết Nguyên Đán (Mùng 1 Đinh Mùi) rơi vào Thứ Bảy 6/2
	// 2027-02-11 day_off Nghỉ bù Tết Nguyên Đán rơi vào Chủ nhật 7/2
	// 2027-04-16 holiday Giỗ Tổ Hùng Vương (10/3 âm lịch)
	// 2027-04-30 holiday Ngày Chiến thắng
	// 2027-05-01 holiday Ngày Quốc tế Lao động
	// 2027-05-03 day_off Nghỉ bù Ngày Quốc tế Lao động rơi vào Thứ Bảy 1/5
	// 2027-09-01 holiday Quốc khánh (ngày liền kề)
	// 2027-09-02 holiday Quốc khánh
	// 2027-11-24 holiday Ngày Văn hóa Việt Nam
}

func ExampleToLunar() {
	l, _ := calendar.ToLunar(2025, time.July, 25)
	fmt.Println(l, calendar.YearName(l.Year))
	// Output: 1/6 nhuận/2025 Ất Tỵ
}
