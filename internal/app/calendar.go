package app

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
)

type calendarCache struct {
	mu  sync.Mutex
	cal *calendar.Calendar
}

// EmbeddedCalendar returns the working calendar from the default rules and the embedded
// official notices only (what `motcua calendar` uses without --db).
func EmbeddedCalendar() (*calendar.Calendar, error) {
	ns, err := calendar.ParseNotices(seed.CalendarNotices())
	if err != nil {
		return nil, fmt.Errorf("embedded calendar notices: %w", err)
	}
	return calendar.New(calendar.DefaultConfig(), ns)
}

// Calendar returns the province's working calendar: the default rules, the embedded official
// notices, and the notices administrators stored (which replace embedded ones for their year).
func (a *App) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	a.cal.mu.Lock()
	defer a.cal.mu.Unlock()
	if a.cal.cal != nil {
		return a.cal.cal, nil
	}
	files := seed.CalendarNotices()
	stored, err := a.store.CalendarNotices(ctx)
	if err != nil {
		return nil, err
	}
	for y, body := range stored {
		files[y] = []byte(body)
	}
	ns, err := calendar.ParseNotices(files)
	if err != nil {
		return nil, fmt.Errorf("calendar notices: %w", err)
	}
	c, err := calendar.New(calendar.DefaultConfig(), ns)
	if err != nil {
		return nil, err
	}
	a.cal.cal = c
	return c, nil
}

// PutCalendarNotice validates a yearly notice and stores it, audit-logged; it replaces the
// derived rules (or the embedded notice) for its year. A bad notice changes nothing.
func (a *App) PutCalendarNotice(ctx context.Context, actor string, body []byte) (calendar.Notice, error) {
	n, err := calendar.ParseNotice(body)
	if err != nil {
		return calendar.Notice{}, &Error{Kind: KindInvalid, Code: "invalid_notice", MessageVI: "Thông báo lịch làm việc không hợp lệ: " + err.Error(), MessageEN: "Invalid working-calendar notice: " + err.Error(), Err: err}
	}
	cur, err := a.Calendar(ctx)
	if err != nil {
		return calendar.Notice{}, err
	}
	if _, err := cur.WithNotice(n); err != nil {
		return calendar.Notice{}, &Error{Kind: KindInvalid, Code: "invalid_notice", MessageVI: "Thông báo lịch làm việc không hợp lệ: " + err.Error(), MessageEN: "Invalid working-calendar notice: " + err.Error(), Err: err}
	}
	audit := store.AuditEntry{At: a.now(), Actor: actor, Action: "put", ObjectKind: "calendar_notice", ObjectKey: strconv.Itoa(n.Year), Detail: string(body)}
	if err := a.store.PutCalendarNotice(ctx, n.Year, string(body), audit); err != nil {
		return calendar.Notice{}, err
	}
	a.cal.mu.Lock()
	a.cal.cal = nil
	a.cal.mu.Unlock()
	return n, nil
}

// NoticeYears lists the years with an official notice (embedded or stored).
func (a *App) NoticeYears(ctx context.Context) ([]int, error) {
	c, err := a.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	var ys []int
	for _, n := range c.Notices() {
		ys = append(ys, n.Year)
	}
	sort.Ints(ys)
	return ys, nil
}
