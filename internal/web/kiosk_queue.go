package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/org"
)

// ticketPage is the data of the ticket machine: the areas to choose from, or the ticket just
// issued.
type ticketPage struct {
	Desk   org.Desk
	Areas  []app.ServiceArea
	Ticket *app.Ticket
	Ahead  int
	Error  string
}

func (k *kiosk) ticketScreen(w http.ResponseWriter, r *http.Request) error {
	d, err := k.s.app.KioskDesk(r.Context(), r.PathValue("desk"))
	if err != nil {
		return err
	}
	r, err = k.s.ensureSession(w, r)
	if err != nil {
		return err
	}
	noStore(w)
	page := ticketPage{Desk: d, Areas: kioskAreas(langOf(r))}
	if v := r.URL.Query().Get("ve"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errNotFound
		}
		t, ahead, err := k.s.app.TicketAt(r.Context(), d.Key, id)
		if err != nil {
			return err
		}
		if a, ok := kioskArea(langOf(r), t.Area); ok {
			t.AreaName = a.Name
		}
		page.Ticket, page.Ahead = &t, ahead
	}
	return k.s.render(w, r, "kiosk_ticket", view{Title: tr(langOf(r), "kiosk.ticket.title") + " — " + d.Name, Data: page, Styles: []string{"kiosk.css"}})
}

func (k *kiosk) issue(w http.ResponseWriter, r *http.Request) error {
	d, err := k.s.app.KioskDesk(r.Context(), r.PathValue("desk"))
	if err != nil {
		return err
	}
	if err := allow(w, k.limit, "ticket:"+k.s.clientIP(r)); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	t, err := k.s.app.IssueTicket(r.Context(), d.Key, r.PostFormValue("area"))
	if err != nil {
		if app.KindOf(err) == app.KindInvalid && wantsHTML(r) {
			noStore(w)
			lang := langOf(r)
			return k.s.renderStatusErr(w, r, http.StatusUnprocessableEntity, "kiosk_ticket", view{Title: tr(lang, "kiosk.ticket.title") + " — " + d.Name,
				Data: ticketPage{Desk: d, Areas: kioskAreas(lang), Error: kioskMessage(lang, classify(err))}, Styles: []string{"kiosk.css"}})
		}
		return err
	}
	http.Redirect(w, r, "/quay/"+url.PathEscape(d.Key)+"/lay-so?ve="+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
	return nil
}

// boardPage is the data of the "now serving" board.
type boardPage struct {
	Desk  org.Desk
	Areas []app.ServiceArea
	Board app.Board
}

func (k *kiosk) board(w http.ResponseWriter, r *http.Request) error {
	d, err := k.s.app.KioskDesk(r.Context(), r.PathValue("desk"))
	if err != nil {
		return err
	}
	b, err := k.s.app.QueueBoard(r.Context(), d.Key)
	if err != nil {
		return err
	}
	noStore(w)
	return k.s.render(w, r, "kiosk_board", view{Title: tr(langOf(r), "kiosk.serving") + " — " + d.Name, Data: boardPage{Desk: d, Areas: kioskAreas(langOf(r)), Board: b}, Styles: []string{"kiosk.css"}})
}

// keepAlive is how often an idle event stream sends a comment, so that proxies keep it open.
const keepAlive = 25 * time.Second

// events streams a desk's board as server-sent events ("board", JSON of app.Board): one at
// once, then one after every change. Changes come from the application's in-process broker
// and, on PostgreSQL (several nodes may serve), from re-reading the board every few seconds;
// an event is sent only when the board differs from the last one sent. The stream ends when
// the client goes or the server shuts down. A client that does not accept text/event-stream
// gets the current event and the end of the stream.
func (k *kiosk) events(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := k.s.app.KioskDesk(ctx, r.PathValue("desk"))
	if err != nil {
		return err
	}
	first, err := k.s.app.QueueBoard(ctx, d.Key)
	if err != nil {
		return err
	}
	sub, cancel := k.s.app.SubscribeQueue(d.Key)
	defer cancel()
	k.watchShutdown(r)
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives any write timeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)

	var last []byte
	send := func(b app.Board) bool {
		data, err := json.Marshal(b)
		if err != nil || bytes.Equal(data, last) {
			return err == nil
		}
		last = data
		if _, err := fmt.Fprintf(w, "event: board\ndata: %s\n\n", data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return nil
	}
	if !send(first) || !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		return nil
	}
	var poll <-chan time.Time
	if k.pollEvery > 0 {
		t := time.NewTicker(k.pollEvery)
		defer t.Stop()
		poll = t.C
	}
	ping := time.NewTicker(keepAlive)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-k.stop:
			return nil
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return nil
			}
			continue
		case <-sub:
		case <-poll:
		}
		b, err := k.s.app.QueueBoard(ctx, d.Key)
		if err != nil {
			if ctx.Err() == nil {
				k.s.log.Warn("queue board", "desk", d.Key, "err", err)
			}
			return nil
		}
		if !send(b) {
			return nil
		}
	}
}

// counterPage is the data of the officers' queue page.
type counterPage struct {
	Desks   []org.Desk
	Desk    org.Desk
	Counter string // as typed
	Area    string
	Areas   []app.ServiceArea
	Called  []app.Ticket
	Waiting []app.Ticket
	Counts  map[string]int
	Last    *app.Ticket // the ticket just called
	Errors  map[string]string
	Notice  string
}

// counterURL is the queue page of a desk, keeping the officer's counter and area.
func counterURL(desk, counter, area string, called int64) string {
	q := url.Values{"quay": {desk}}
	if counter != "" {
		q.Set("so-quay", counter)
	}
	if area != "" {
		q.Set("khu-vuc", area)
	}
	if called != 0 {
		q.Set("vua-goi", strconv.FormatInt(called, 10))
	}
	return "/can-bo/quay?" + q.Encode()
}

// counterPageFor loads the page of the desk key (the officer's first desk when empty).
func (k *kiosk) counterPageFor(r *http.Request, key string) (counterPage, error) {
	ctx := r.Context()
	p := principalOf(r)
	desks, err := k.s.app.QueueDesks(ctx, p)
	if err != nil {
		return counterPage{}, err
	}
	if len(desks) == 0 {
		return counterPage{}, app.Errorf(app.KindForbidden, "not_desk_officer", "Chỉ cán bộ Bộ phận Một cửa được gọi số tại quầy.", "Only desk officers run the queue.")
	}
	page := counterPage{Desks: desks, Desk: desks[0], Areas: kioskAreas(langOf(r)), Errors: map[string]string{}}
	if key != "" {
		found := false
		for _, d := range desks {
			if d.Key == key {
				page.Desk, found = d, true
			}
		}
		if !found {
			if _, err := k.s.app.KioskDesk(ctx, key); err != nil {
				return counterPage{}, err
			}
			return counterPage{}, app.Errorf(app.KindForbidden, "not_desk_officer", "Chỉ cán bộ một cửa của đơn vị này được gọi số tại quầy.", "Only this unit's desk officers run its queue.")
		}
	}
	if page.Called, err = k.s.app.QueueTickets(ctx, p, page.Desk.Key, "called"); err != nil {
		return counterPage{}, err
	}
	if page.Waiting, err = k.s.app.QueueTickets(ctx, p, page.Desk.Key, "waiting"); err != nil {
		return counterPage{}, err
	}
	page.Counts = map[string]int{}
	for _, t := range page.Waiting {
		page.Counts[t.Area]++
	}
	if len(page.Waiting) > 20 {
		page.Waiting = page.Waiting[:20]
	}
	return page, nil
}

func (k *kiosk) renderCounter(w http.ResponseWriter, r *http.Request, status int, page counterPage) error {
	noStore(w)
	return k.s.renderStatusErr(w, r, status, "kiosk_counter", view{Title: tr(langOf(r), "kiosk.counter.title") + " — " + page.Desk.Name, Data: page, Styles: []string{"kiosk.css"}})
}

func (k *kiosk) counter(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := k.counterPageFor(r, q.Get("quay"))
	if err != nil {
		return err
	}
	page.Counter, page.Area = q.Get("so-quay"), q.Get("khu-vuc")
	if v := q.Get("vua-goi"); v != "" {
		for i, t := range page.Called {
			if strconv.FormatInt(t.ID, 10) == v {
				page.Last = &page.Called[i]
			}
		}
	}
	return k.renderCounter(w, r, http.StatusOK, page)
}

func (k *kiosk) callNext(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	desk, counter, area := r.PostFormValue("quay"), strings.TrimSpace(r.PostFormValue("so-quay")), r.PostFormValue("khu-vuc")
	n, convErr := strconv.Atoi(counter)
	if convErr != nil {
		n = 0
	}
	t, err := k.s.app.CallNextTicket(r.Context(), principalOf(r), desk, n, area)
	if err == nil {
		http.Redirect(w, r, counterURL(t.Desk, counter, area, t.ID), http.StatusSeeOther)
		return nil
	}
	var ae *app.Error
	if !errors.As(err, &ae) || (ae.Kind != app.KindInvalid && ae.Code != "queue_empty") || !wantsHTML(r) {
		return err
	}
	// Re-render with what the officer typed and the message next to its field.
	page, perr := k.counterPageFor(r, desk)
	if perr != nil {
		return perr
	}
	page.Counter, page.Area = counter, area
	status := http.StatusUnprocessableEntity
	if ae.Code == "queue_empty" {
		page.Notice, status = kioskMessage(langOf(r), classify(err)), http.StatusOK
	}
	for f, m := range ae.Fields {
		page.Errors[f] = m
	}
	return k.renderCounter(w, r, status, page)
}

func (k *kiosk) ticketAction(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	desk := r.PostFormValue("quay")
	if _, err := k.s.app.UpdateTicket(r.Context(), principalOf(r), desk, id, r.PostFormValue("thao-tac")); err != nil {
		return err
	}
	http.Redirect(w, r, counterURL(desk, r.PostFormValue("so-quay"), r.PostFormValue("khu-vuc"), 0), http.StatusSeeOther)
	return nil
}
