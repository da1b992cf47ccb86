package web

import (
	"net/http"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
)

// The counters' screens (issue 7): the ticket machine (/quay/{desk}/lay-so), the "now serving"
// board (/quay/{desk}/man-hinh, live through server-sent events at /quay/{desk}/su-kien), the
// rating touch screen (/quay/{desk}/danh-gia) — public, showing only masked data — and the
// desk officers' queue page (/can-bo/quay). {desk} is a desk key (the unit's key: ttpvhcc,
// xa-tan-cuong, ...).

func init() {
	registerPages("kiosk_ticket", "kiosk_board", "kiosk_rating", "kiosk_counter")
}

// kiosk holds the state of the counters' routes: the per-IP limit of the public touch
// screens, and the signal that ends the event streams when the HTTP server shuts down.
type kiosk struct {
	s     *Server
	limit *auth.RateLimiter

	stopOnce sync.Once
	stop     chan struct{} // closed at server shutdown
	servers  sync.Map      // *http.Server → true: shutdown hook registered
	// pollEvery is how often an event stream re-reads the board besides the in-process
	// signals: on PostgreSQL another node may have called a ticket. Zero on SQLite (one node).
	pollEvery time.Duration
}

// kioskPoll is the poll interval of event streams on PostgreSQL.
const kioskPoll = 3 * time.Second

// kioskRoutes registers this area's routes (see routes.go).
func (s *Server) kioskRoutes() {
	k := &kiosk{s: s, stop: make(chan struct{}),
		// A ticket machine serves a whole hall from one address: generous, but a script
		// cannot empty the number range.
		limit: auth.NewRateLimiter(60, time.Minute, 20, s.app.Now)}
	if s.app.Store().Engine() == store.Postgres {
		k.pollEvery = kioskPoll
	}
	s.add("GET", "/quay/{desk}/lay-so", accessPublic, k.ticketScreen)
	s.add("POST", "/quay/{desk}/lay-so", accessPublic, k.issue)
	s.add("GET", "/quay/{desk}/man-hinh", accessPublic, k.board)
	s.add("GET", "/quay/{desk}/su-kien", accessPublic, k.events)
	s.add("GET", "/quay/{desk}/danh-gia", accessPublic, k.ratingScreen)
	s.add("POST", "/quay/{desk}/danh-gia", accessPublic, k.rate)
	s.add("GET", "/can-bo/quay", accessOfficer, k.counter)
	s.add("POST", "/can-bo/quay/goi", accessOfficer, k.callNext)
	s.add("POST", "/can-bo/quay/ve/{id}", accessOfficer, k.ticketAction)
}

// watchShutdown makes sure the shutdown of the HTTP server serving r ends the event streams:
// http.Server.Shutdown waits for active requests, and a stream is never idle.
func (k *kiosk) watchShutdown(r *http.Request) {
	hs, ok := r.Context().Value(http.ServerContextKey).(*http.Server)
	if !ok {
		return
	}
	if _, loaded := k.servers.LoadOrStore(hs, true); !loaded {
		hs.RegisterOnShutdown(func() { k.stopOnce.Do(func() { close(k.stop) }) })
	}
}

// noStore marks a kiosk answer as never cached (tickets and lists change every minute).
func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }
