package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/calendar"
)

func yearParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return time.Now().In(calendar.VN).Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 2100 {
		return 0, app.Errorf(app.KindInvalid, "bad_year", "Năm phải trong khoảng 1900–2100.", "year must be between 1900 and 2100.")
	}
	return y, nil
}

// apiHolidays returns the year's list, as `motcua calendar holidays --json` prints it.
func (s *Server) apiHolidays(w http.ResponseWriter, r *http.Request) error {
	y, err := yearParam(r)
	if err != nil {
		return err
	}
	cal, err := s.app.Calendar(r.Context())
	if err != nil {
		return err
	}
	days, err := cal.Holidays(y)
	if err != nil {
		return err
	}
	if days == nil {
		days = []calendar.Day{}
	}
	writeJSON(w, http.StatusOK, days)
	return nil
}

type monthView struct {
	Name  string
	Lang  string // the language of the grid's headings (partials/calendar.html)
	Blank []int  // empty cells before day 1 (weeks start on Monday)
	Days  []dayView
}

// dayView is one cell of a month grid. The kind of day is told by text, not only by colour:
// Mark is a short visible tag ("Lễ", "Nghỉ", "Làm bù") and Label the whole description read by
// screen readers ("Thứ Sáu 2/1/2026: nghỉ bù, hoán đổi — Tết Dương lịch").
type dayView struct {
	Day                int
	Class, Title, Date string
	Mark, Label        string
}

var vnWeekdays = [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// yearGridIn builds the twelve month grids of year y in lang (month and weekday names, marks
// and labels; the holidays' own names stay as the calendar gives them), shared by the public
// calendar page and the administrators' calendar page.
func yearGridIn(cal *calendar.Calendar, y int, lang string) ([]monthView, error) {
	var months []monthView
	for m := time.January; m <= time.December; m++ {
		grid, err := cal.MonthGrid(y, m)
		if err != nil {
			return nil, err
		}
		mv := monthView{Name: "Tháng " + strconv.Itoa(int(m)), Lang: lang}
		weekday := func(d time.Weekday) string { return vnWeekdays[d] }
		if lang == langEN {
			mv.Name = m.String()
			weekday = time.Weekday.String
		}
		if len(grid) > 0 {
			mv.Blank = make([]int, (int(grid[0].Weekday)+6)%7)
		}
		for i, g := range grid {
			dv := dayView{Day: i + 1, Date: g.Date, Title: g.Name}
			weekend := g.Weekday == time.Saturday || g.Weekday == time.Sunday
			what := tr(lang, "cal.day.working")
			switch {
			case g.Kind == calendar.KindHoliday:
				dv.Class, dv.Mark, what = "off holiday", tr(lang, "cal.mark.holiday"), tr(lang, "cal.day.holiday")
			case !g.Working && !weekend:
				dv.Class, dv.Mark, what = "off", tr(lang, "cal.mark.off"), tr(lang, "cal.day.off")
			case g.Working && weekend:
				dv.Class, dv.Mark, what = "work-weekend", tr(lang, "cal.mark.work"), tr(lang, "cal.day.work")
			case weekend:
				dv.Class, what = "weekend", tr(lang, "cal.day.weekend")
			}
			if dv.Class == "off holiday" && weekend {
				dv.Class = "weekend holiday"
			}
			dv.Label = weekday(g.Weekday) + " " + strconv.Itoa(i+1) + "/" + strconv.Itoa(int(m)) + "/" + strconv.Itoa(y) + ": " + what
			if g.Name != "" {
				dv.Label += " — " + g.Name
			}
			mv.Days = append(mv.Days, dv)
		}
		months = append(months, mv)
	}
	return months, nil
}

type calendarPage struct {
	Year, Prev, Next int
	Months           []monthView
	Holidays         calendarDays
	Official         bool
}

// calendarDays is the data of the calendar-holidays partial: a year's days off and make-up
// working days, with the language of the table.
type calendarDays struct {
	Lang string
	Days []calendar.Day
}

// calendarPage shows a year's working calendar as month grids: public information (holidays,
// make-up days and Saturdays worked), the same data deadlines are computed from.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) error {
	y, err := yearParam(r)
	if err != nil {
		return err
	}
	cal, err := s.app.Calendar(r.Context())
	if err != nil {
		return err
	}
	lang := langOf(r)
	d := calendarPage{Year: y, Prev: y - 1, Next: y + 1, Holidays: calendarDays{Lang: lang}}
	for _, n := range cal.Notices() {
		if n.Year == y {
			d.Official = true
		}
	}
	if d.Holidays.Days, err = cal.Holidays(y); err != nil {
		return err
	}
	if d.Months, err = yearGridIn(cal, y, lang); err != nil {
		return err
	}
	return s.render(w, r, "calendar", view{Title: fmt.Sprintf(tr(lang, "cal.pageTitle"), y), Data: d, Styles: []string{"calendar.css"}})
}
