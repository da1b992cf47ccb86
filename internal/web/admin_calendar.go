package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/calendar"
)

// adminCalendarPage is the data of /quan-tri/lich.
type adminCalendarPage struct {
	adminBase
	Year, Prev, Next int
	Years            []int // years with an official notice
	Official         bool  // Year has a notice
	Months           []monthView
	Days             []calendar.Day
	Holidays         calendarDays // Days, for the calendar-holidays partial
	Sessions         string       // the province's working sessions
	// The form: the notice text (kept when refused) and its error.
	NoticeText, NoticeError string
}

// adminCalendarYear reads ?year=, defaulting to the application's current year.
func (s *Server) adminCalendarYear(r *http.Request) (int, error) {
	if r.URL.Query().Get("year") == "" {
		return s.app.Now().In(calendar.VN).Year(), nil
	}
	return yearParam(r)
}

func (s *Server) adminCalendarData(r *http.Request, y int) (adminCalendarPage, error) {
	d := adminCalendarPage{adminBase: s.adminBase(r, "/quan-tri/lich"), Year: y, Prev: y - 1, Next: y + 1}
	cal, err := s.app.Calendar(r.Context())
	if err != nil {
		return d, err
	}
	if d.Years, err = s.app.NoticeYears(r.Context()); err != nil {
		return d, err
	}
	for _, n := range cal.Notices() {
		if n.Year == y {
			d.Official = true
			b, err := json.MarshalIndent(n, "", "  ")
			if err == nil {
				d.NoticeText = string(b)
			}
		}
	}
	if d.Days, err = cal.Holidays(y); err != nil {
		return d, err
	}
	d.Holidays = calendarDays{Lang: langOf(r), Days: d.Days}
	if d.Months, err = yearGridIn(cal, y, langOf(r)); err != nil {
		return d, err
	}
	var ss []string
	for _, x := range cal.Sessions() {
		ss = append(ss, x.String())
	}
	d.Sessions = strings.Join(ss, ", ")
	return d, nil
}

// adminCalendar shows the years with official notices, a year's month grids and the form to
// add or replace a year's notice. Province-wide: system administrators only.
func (s *Server) adminCalendar(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.AuthorizeConfigure(principalOf(r), ""); err != nil {
		return err
	}
	y, err := s.adminCalendarYear(r)
	if err != nil {
		return err
	}
	d, err := s.adminCalendarData(r, y)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin_calendar", view{Title: tr(langOf(r), "admin.cal.title") + " " + strconv.Itoa(y), Data: d, Styles: []string{"admin.css", "calendar.css"}})
}

// maxNotice bounds a notice's size: a real one is a few kilobytes.
const maxNotice = 256 << 10

// adminCalendarPut stores a year's notice from the textarea or an uploaded JSON file (the file
// wins when both are given). A refused notice changes nothing and the form keeps the text.
func (s *Server) adminCalendarPut(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	if err := s.app.AuthorizeConfigure(p, ""); err != nil {
		return err
	}
	body := []byte(strings.TrimSpace(r.PostFormValue("notice")))
	if f, _, err := r.FormFile("file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(f, maxNotice+1))
		f.Close()
		if err != nil {
			return err
		}
		if len(b) > 0 {
			body = b
		}
	} else if !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		return &app.Error{Kind: app.KindInvalid, Code: "bad_form", MessageVI: "Không đọc được dữ liệu gửi lên.", MessageEN: "The form could not be read.", Err: err}
	}
	lang := langOf(r)
	var failure string
	switch {
	case len(body) == 0:
		failure = tr(lang, "admin.cal.err.empty")
	case len(body) > maxNotice:
		failure = tr(lang, "admin.cal.err.large")
	}
	var n calendar.Notice
	if failure == "" {
		var err error
		n, err = s.app.PutCalendarNotice(r.Context(), p.Subject, body)
		if err != nil {
			_, msg, other := adminFormFailure(lang, err)
			if other != nil {
				return other
			}
			failure = msg
		}
	}
	if failure != "" {
		y, err := s.adminCalendarYear(r)
		if err != nil {
			y = s.app.Now().In(calendar.VN).Year()
		}
		d, err := s.adminCalendarData(r, y)
		if err != nil {
			return err
		}
		d.NoticeText, d.NoticeError = string(body), failure
		d.Error = tr(lang, "admin.cal.err.notSaved")
		return s.renderStatusErr(w, r, http.StatusBadRequest, "admin_calendar", view{Title: tr(lang, "admin.cal.err.title"), Data: d, Styles: []string{"admin.css", "calendar.css"}})
	}
	return adminRedirect(w, r, "/quan-tri/lich?year="+strconv.Itoa(n.Year), "notice")
}
