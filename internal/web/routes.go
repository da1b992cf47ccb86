package web

import (
	"net/http"
)

// routes declares every route of the server in one place.
func (s *Server) routes() {
	// Operations.
	s.mux.Handle("GET /healthz", s.handle(s.healthz))
	s.mux.Handle("GET /readyz", s.handle(s.readyz))
	s.mux.Handle("GET /metrics", s.metricsHandler())

	// Static assets under content-hash URLs.
	s.mux.Handle("GET /static/{file}", s.handle(s.static))

	// Public portal.
	s.mux.Handle("GET /{$}", s.handle(s.home))
	s.mux.Handle("GET /thu-tuc", s.handle(s.catalogList))
	s.mux.Handle("GET /thu-tuc/{code}", s.handle(s.procedurePage))
	s.mux.Handle("GET /lich-lam-viec", s.handle(s.calendarPage))

	// JSON API.
	s.mux.Handle("GET /api/v1/procedures", s.handle(s.apiProcedures))
	s.mux.Handle("GET /api/v1/procedures/{code}", s.handle(s.apiProcedure))
	s.mux.Handle("GET /api/v1/calendar/holidays", s.handle(s.apiHolidays))

	// Anything else: a Vietnamese 404 page (or JSON under /api/).
	s.mux.Handle("/", s.handle(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))
}
