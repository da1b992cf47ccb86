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

	// Anything else: a Vietnamese 404 page (or JSON under /api/).
	s.mux.Handle("/", s.handle(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))
}
