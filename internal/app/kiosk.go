package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// The counters (LEGAL §1, Điều 13.2b): queue tickets per desk and service area, the "now
// serving" board, and the touch screen where an applicant rates a dossier just returned.
//
// Service areas are one short list for every desk rather than the catalog's fields: the
// fields are many (and change with each catalog import) while a desk's ticket machine offers a
// few big buttons, and the ticket letter must stay the same from one day to the next. The
// priority area (Điều 13.2b: priority counters) is called before the others.

// ServiceArea is one kind of queue ticket: Key is also the ticket's letter.
type ServiceArea struct {
	Key      string
	Name     string
	Hint     string
	Priority bool
}

// ServiceAreas are the areas of every desk's queue, in the order the ticket screen shows them.
var ServiceAreas = []ServiceArea{
	{Key: "A", Name: "Nộp hồ sơ", Hint: "Tiếp nhận hồ sơ thủ tục hành chính"},
	{Key: "B", Name: "Nhận kết quả", Hint: "Trả kết quả giải quyết hồ sơ"},
	{Key: "C", Name: "Hướng dẫn, tư vấn", Hint: "Hỏi thủ tục, tra cứu, hướng dẫn kê khai"},
	{Key: "U", Name: "Ưu tiên", Hint: "Người cao tuổi, người khuyết tật, phụ nữ mang thai", Priority: true},
}

// priorityArea is the key of the area called first.
const priorityArea = "U"

// ServiceAreaOf returns the area with key.
func ServiceAreaOf(key string) (ServiceArea, bool) {
	i := slices.IndexFunc(ServiceAreas, func(a ServiceArea) bool { return a.Key == key })
	if i < 0 {
		return ServiceArea{}, false
	}
	return ServiceAreas[i], true
}

// Ticket is a queue ticket with its printed number ("A-012").
type Ticket struct {
	store.QueueTicket
	Number   string
	AreaName string
}

func ticketOf(t store.QueueTicket) Ticket {
	a, _ := ServiceAreaOf(t.Area)
	return Ticket{QueueTicket: t, Number: fmt.Sprintf("%s-%03d", t.Area, t.Seq), AreaName: a.Name}
}

// Board is what a desk's "now serving" screen shows: the tickets at the counters (latest call
// first) and how many wait per area.
type Board struct {
	Desk    string         `json:"desk"`
	Serving []BoardTicket  `json:"serving"`
	Waiting map[string]int `json:"waiting"`
}

// BoardTicket is one called ticket on the board.
type BoardTicket struct {
	Number   string    `json:"number"`
	Counter  int       `json:"counter"`
	Area     string    `json:"area"`
	CalledAt time.Time `json:"called_at"`
	Recalls  int       `json:"recalls"`
}

var (
	errUnknownDesk = &Error{Kind: KindNotFound, Code: "desk_not_found", MessageVI: "Không có bộ phận một cửa này.", MessageEN: "No such desk."}
	errNotDeskHere = &Error{Kind: KindForbidden, Code: "not_desk_officer", MessageVI: "Chỉ cán bộ một cửa của đơn vị này được gọi số tại quầy.", MessageEN: "Only this unit's desk officers run its queue."}
	errNoTicket    = &Error{Kind: KindNotFound, Code: "ticket_not_found", MessageVI: "Không tìm thấy số thứ tự đang gọi.", MessageEN: "No such called ticket."}
	errQueueEmpty  = &Error{Kind: KindNotFound, Code: "queue_empty", MessageVI: "Không còn người chờ.", MessageEN: "Nobody is waiting."}
)

// KioskDesk returns a desk by key; KindNotFound when there is none.
func (a *App) KioskDesk(ctx context.Context, key string) (org.Desk, error) {
	dir, err := a.Directory(ctx)
	if err != nil {
		return org.Desk{}, err
	}
	d, ok := dir.Desk(key)
	if !ok {
		return org.Desk{}, errUnknownDesk
	}
	return d, nil
}

// QueueDesks returns the desks whose queue p runs: those of the units where p is a desk
// officer.
func (a *App) QueueDesks(ctx context.Context, p auth.Principal) ([]org.Desk, error) {
	dir, err := a.Directory(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.Desk
	for _, d := range dir.Desks() {
		if deskOfficerAt(p, d.Unit) {
			out = append(out, d)
		}
	}
	return out, nil
}

func deskOfficerAt(p auth.Principal, unit string) bool {
	return p.Kind == auth.KindOfficer && slices.ContainsFunc(p.Roles, func(r auth.RoleAssignment) bool { return r.Role == auth.RoleDesk && r.Unit == unit })
}

// queueDay is the civil date in Vietnam that numbers restart on.
func queueDay(t time.Time) string { return t.In(calendar.VN).Format(time.DateOnly) }

// IssueTicket gives the next ticket of a desk's service area (the public ticket screen).
func (a *App) IssueTicket(ctx context.Context, desk, area string) (Ticket, error) {
	d, err := a.KioskDesk(ctx, desk)
	if err != nil {
		return Ticket{}, err
	}
	if _, ok := ServiceAreaOf(area); !ok {
		return Ticket{}, invalidField("area", "Hãy chọn một loại dịch vụ.", "Choose a service area.")
	}
	now := a.now()
	t, err := a.store.IssueTicket(ctx, d.Key, area, queueDay(now), now)
	if err != nil {
		return Ticket{}, err
	}
	a.queueHub().publish(d.Key)
	return ticketOf(t), nil
}

// TicketAt returns a ticket of a desk issued today, with the number of people waiting before
// it; KindNotFound for another desk's or another day's ticket.
func (a *App) TicketAt(ctx context.Context, desk string, id int64) (Ticket, int, error) {
	t, err := a.store.Ticket(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (t.Desk != desk || t.Day != queueDay(a.now())) {
		return Ticket{}, 0, Errorf(KindNotFound, "ticket_not_found", "Không tìm thấy số thứ tự.", "No such ticket.")
	}
	if err != nil {
		return Ticket{}, 0, err
	}
	ahead := 0
	if t.State == store.TicketWaiting {
		if ahead, err = a.store.WaitingBefore(ctx, t); err != nil {
			return Ticket{}, 0, err
		}
	}
	return ticketOf(t), ahead, nil
}

// deskFor checks that p is a desk officer of the desk's unit.
func (a *App) deskFor(ctx context.Context, p auth.Principal, desk string) (org.Desk, error) {
	d, err := a.KioskDesk(ctx, desk)
	if err != nil {
		return org.Desk{}, err
	}
	if !deskOfficerAt(p, d.Unit) {
		return org.Desk{}, errNotDeskHere
	}
	return d, nil
}

// CallNextTicket calls the next waiting ticket to a counter (priority area first); area, when
// not empty, restricts the call to one service area. The counter's previous ticket is served.
func (a *App) CallNextTicket(ctx context.Context, p auth.Principal, desk string, counter int, area string) (Ticket, error) {
	d, err := a.deskFor(ctx, p, desk)
	if err != nil {
		return Ticket{}, err
	}
	if counter < 1 || counter > 99 {
		return Ticket{}, invalidField("counter", "Số quầy phải từ 1 đến 99.", "counter must be 1 to 99.")
	}
	q := store.CallQuery{Desk: d.Key, Day: queueDay(a.now()), First: priorityArea, Counter: counter, By: p.Subject, At: a.now()}
	if area != "" {
		if _, ok := ServiceAreaOf(area); !ok {
			return Ticket{}, invalidField("area", "Loại dịch vụ không hợp lệ.", "Unknown service area.")
		}
		q.Areas = []string{area}
	}
	t, err := a.store.CallNextTicket(ctx, q)
	if errors.Is(err, store.ErrNotFound) {
		return Ticket{}, errQueueEmpty
	}
	if err != nil {
		return Ticket{}, err
	}
	a.queueHub().publish(d.Key)
	return ticketOf(t), nil
}

// Ticket outcomes an officer records.
const (
	TicketRecall = "recall"
	TicketServed = "served"
	TicketNoShow = "no-show"
)

// UpdateTicket records an officer's action on a called ticket: recall (call again), served or
// no-show.
func (a *App) UpdateTicket(ctx context.Context, p auth.Principal, desk string, id int64, action string) (Ticket, error) {
	d, err := a.deskFor(ctx, p, desk)
	if err != nil {
		return Ticket{}, err
	}
	var t store.QueueTicket
	switch action {
	case TicketRecall:
		t, err = a.store.RecallTicket(ctx, d.Key, id, a.now())
	case TicketServed:
		t, err = a.store.FinishTicket(ctx, d.Key, id, store.TicketServed, a.now())
	case TicketNoShow:
		t, err = a.store.FinishTicket(ctx, d.Key, id, store.TicketNoShow, a.now())
	default:
		return Ticket{}, invalidField("action", "Thao tác không hợp lệ.", "action must be recall, served or no-show.")
	}
	if errors.Is(err, store.ErrNotFound) {
		return Ticket{}, errNoTicket
	}
	if err != nil {
		return Ticket{}, err
	}
	a.queueHub().publish(d.Key)
	return ticketOf(t), nil
}

// QueueBoard returns what a desk's board shows now.
func (a *App) QueueBoard(ctx context.Context, desk string) (Board, error) {
	d, err := a.KioskDesk(ctx, desk)
	if err != nil {
		return Board{}, err
	}
	day := queueDay(a.now())
	called, err := a.store.QueueTickets(ctx, d.Key, day, []string{store.TicketCalled}, 0)
	if err != nil {
		return Board{}, err
	}
	slices.SortStableFunc(called, func(x, y store.QueueTicket) int { return y.CalledAt.Compare(x.CalledAt) })
	b := Board{Desk: d.Key, Serving: []BoardTicket{}}
	for _, t := range called {
		b.Serving = append(b.Serving, BoardTicket{Number: ticketOf(t).Number, Counter: t.Counter, Area: t.Area, CalledAt: t.CalledAt, Recalls: t.Recalls})
	}
	if b.Waiting, err = a.store.QueueCounts(ctx, d.Key, day); err != nil {
		return Board{}, err
	}
	return b, nil
}

// QueueTickets returns a desk's tickets of today in the given states, for its officers.
func (a *App) QueueTickets(ctx context.Context, p auth.Principal, desk string, states ...string) ([]Ticket, error) {
	d, err := a.deskFor(ctx, p, desk)
	if err != nil {
		return nil, err
	}
	ts, err := a.store.QueueTickets(ctx, d.Key, queueDay(a.now()), states, 200)
	if err != nil {
		return nil, err
	}
	out := make([]Ticket, len(ts))
	for i, t := range ts {
		out[i] = ticketOf(t)
	}
	return out, nil
}

// SubscribeQueue returns a channel that receives a value after each committed change of a
// desk's queue in this process (changes made close together may arrive as one), and a function
// that ends the subscription. Other processes' changes are not seen: on PostgreSQL with
// several nodes the board also polls (see web).
func (a *App) SubscribeQueue(desk string) (<-chan struct{}, func()) {
	return a.queueHub().subscribe(desk)
}

// queueHub is the in-process broker of queue changes: one signal channel per subscriber,
// buffered by one, so a slow subscriber coalesces changes and never blocks a publisher.
type queueHub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

func (a *App) queueHub() *queueHub { return &a.queue }

func (h *queueHub) subscribe(desk string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[string]map[chan struct{}]struct{}{}
	}
	if h.subs[desk] == nil {
		h.subs[desk] = map[chan struct{}]struct{}{}
	}
	h.subs[desk][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs[desk], ch)
			if len(h.subs[desk]) == 0 {
				delete(h.subs, desk)
			}
			h.mu.Unlock()
		})
	}
}

func (h *queueHub) publish(desk string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[desk] {
		select {
		case ch <- struct{}{}:
		default: // a signal is already pending
		}
	}
}

// KioskDossier is a dossier on the rating screen: the code, the masked name and the
// procedure, nothing else.
type KioskDossier struct {
	Code          string
	Applicant     string
	ProcedureName string
	ReturnedAt    time.Time
}

// kioskListWindow is how far back the rating screen lists returned dossiers; kioskRateWindow
// how long after the return the kiosk still accepts a rating.
const (
	kioskListWindow = time.Hour
	kioskRateWindow = 24 * time.Hour
)

// ReturnedAtKiosk lists the dossiers returned at a desk's unit, at the desk, in the last hour
// and not rated yet, with masked names.
func (a *App) ReturnedAtKiosk(ctx context.Context, desk string) ([]KioskDossier, error) {
	d, err := a.KioskDesk(ctx, desk)
	if err != nil {
		return nil, err
	}
	rows, err := a.store.ReturnedAtUnit(ctx, d.Unit, a.now().Add(-kioskListWindow), 50)
	if err != nil {
		return nil, err
	}
	out := []KioskDossier{}
	for _, r := range rows {
		x, err := loadRow(r.Dossier)
		if err != nil {
			return nil, err
		}
		if x.ReturnMethod != dossier.ReturnDesk || x.Rating != 0 || x.Code == "" {
			continue
		}
		k := KioskDossier{Code: x.Code, Applicant: auth.MaskName(x.Applicant.Name), ReturnedAt: r.ReturnedAt}
		if proc, err := a.pinnedProcedure(ctx, x.Spec.Procedure, x.Spec.Version); err == nil {
			k.ProcedureName = proc.Name
		}
		out = append(out, k)
	}
	return out, nil
}

// KioskDossierAt returns one dossier the kiosk of a desk may rate (see RateAtKiosk), masked.
func (a *App) KioskDossierAt(ctx context.Context, desk, code string) (KioskDossier, error) {
	d, err := a.KioskDesk(ctx, desk)
	if err != nil {
		return KioskDossier{}, err
	}
	row, x, err := a.kioskRatable(ctx, d, code)
	if err != nil {
		return KioskDossier{}, err
	}
	k := KioskDossier{Code: x.Code, Applicant: auth.MaskName(x.Applicant.Name), ReturnedAt: x.ReturnedAt}
	if proc, err := a.pinnedProcedure(ctx, row.Procedure, row.ProcedureVersion); err == nil {
		k.ProcedureName = proc.Name
	}
	return k, nil
}

var errNotRatableHere = &Error{Kind: KindNotFound, Code: "not_returned_here", MessageVI: "Không có hồ sơ này trong danh sách trả kết quả tại quầy trong 24 giờ qua.", MessageEN: "No dossier with that code was returned at this desk in the last 24 hours."}

// kioskRatable loads a dossier by code and checks the kiosk may rate it: its result was
// handed back at the desk (method desk) by the desk's unit within kioskRateWindow. A rating
// already given is left to the aggregate, which refuses a second one.
func (a *App) kioskRatable(ctx context.Context, d org.Desk, code string) (store.DossierRow, *dossier.Dossier, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return store.DossierRow{}, nil, errNotRatableHere
	}
	row, err := a.store.Dossier(ctx, code)
	if errors.Is(err, store.ErrNotFound) || err == nil && row.Code != code {
		return store.DossierRow{}, nil, errNotRatableHere
	}
	if err != nil {
		return store.DossierRow{}, nil, err
	}
	x, err := loadRow(row)
	if err != nil {
		return store.DossierRow{}, nil, err
	}
	if x.State != dossier.Returned || x.ReturnMethod != dossier.ReturnDesk || a.now().Sub(x.ReturnedAt) > kioskRateWindow {
		return store.DossierRow{}, nil, errNotRatableHere
	}
	evs, err := a.store.DossierEvents(ctx, row.ID)
	if err != nil {
		return store.DossierRow{}, nil, err
	}
	unit := ""
	for _, e := range evs {
		if e.Type == string(dossier.EventResultReturned) {
			unit = e.Unit
		}
	}
	if unit != d.Unit {
		return store.DossierRow{}, nil, errNotRatableHere
	}
	return row, x, nil
}

// RateAtKiosk records the rating of an applicant standing at a desk's touch screen. Rating is
// the applicant's action (ActionRate); the kiosk acts for the applicant physically present, so
// instead of the applicant's sign-in it checks that the dossier was returned at this desk's
// unit, at the desk, within the last 24 hours. The command runs through the same transaction
// path as Act, as the actor "kiosk:DESK" in the applicant's role.
func (a *App) RateAtKiosk(ctx context.Context, desk, ref string, score int, comment string) (View, error) {
	d, err := a.KioskDesk(ctx, desk)
	if err != nil {
		return View{}, err
	}
	actor := dossier.Actor{ID: "kiosk:" + d.Key, Role: dossier.RoleApplicant}
	cmd := dossier.Rate{Score: score, Comment: strings.TrimSpace(comment)}
	for attempt := 0; ; attempt++ {
		row, before, err := a.kioskRatable(ctx, d, ref)
		if err != nil {
			return View{}, err
		}
		out, err := a.actAs(ctx, row, before, cmd, actor)
		if errors.Is(err, store.ErrStale) && attempt < 10 {
			continue
		}
		if err != nil {
			return View{}, err
		}
		a.log.Info("dossier rated at kiosk", "id", out.ID, "desk", d.Key, "score", score)
		return View{Dossier: out}, nil
	}
}

// actAs decides cmd on a dossier already loaded and authorized by the caller, as actor, and
// writes it like actOnce: decided and prepared outside the transaction, written inside it if
// the version did not move (store.ErrStale otherwise).
func (a *App) actAs(ctx context.Context, row store.DossierRow, before *dossier.Dossier, cmd dossier.Command, actor dossier.Actor) (*dossier.Dossier, error) {
	env, err := a.commandEnv(ctx, Public, cmd.Name(), before)
	if err != nil {
		return nil, err
	}
	env.actor = actor
	evs, err := dossier.Decide(before, cmd, dossier.Context{Now: a.now(), Clock: env.cal, Actor: actor})
	if err != nil {
		return nil, commandError(err)
	}
	after := before.Clone()
	for _, e := range evs {
		dossier.Apply(after, e)
	}
	c, err := a.prepare(before, after, evs, env, row.ApplicantIDHash, &row)
	if err != nil {
		return nil, err
	}
	defer a.dz.hot.drop(row.ID)
	if err := a.store.Apply(ctx, c.DossierChange); err != nil {
		return nil, fmt.Errorf("%s: %w", cmd.Name(), err)
	}
	return after, nil
}

// QueueSubscribersForTest counts the live subscriptions to a desk's queue (tests check that
// event streams end).
func QueueSubscribersForTest(a *App, desk string) int {
	h := a.queueHub()
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[desk])
}
