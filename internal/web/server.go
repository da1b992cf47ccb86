// Package web is MotCua's HTTP layer: the applicant portal, the staff console and the JSON API
// under /api/v1, over the same use cases in package app. Handlers are thin (decode, call app,
// encode) and return errors; one table (errors.go) turns errors into statuses and safe
// Vietnamese/English messages. Templates and static files are embedded and parsed at start-up.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/motcua/motcua/internal/app"
)

// Options configures the server.
type Options struct {
	Logger *slog.Logger
	// MaxBodyBytes caps ordinary request bodies (uploads have their own limit). Default 1 MiB.
	MaxBodyBytes int64
	// TrustProxy trusts X-Forwarded-Proto from a reverse proxy (for HSTS and Secure cookies).
	TrustProxy bool
	// Version is shown on /healthz.
	Version string
	// Demo shows demo hints (the sign-in page says where the demo accounts are printed).
	Demo bool
	// IDP, when set, is the embedded OpenID provider of the demo, served under /idp/ (outside
	// the site's sessions and CSRF checks: it stands for the national provider).
	IDP http.Handler
}

// Server serves every HTTP route of MotCua.
type Server struct {
	app     *app.App
	opt     Options
	log     *slog.Logger
	mux     *http.ServeMux
	reg     *prometheus.Registry
	metrics *metrics
	pages   *pages
	handler http.Handler
	limits  limits
	table   []route // every route with its access class (routes.go), for the matrix test
}

// New builds the server and parses every template; a template error fails here, at start-up.
func New(a *app.App, opt Options) (*Server, error) {
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 1 << 20
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	s := &Server{app: a, opt: opt, log: opt.Logger, mux: http.NewServeMux(), reg: prometheus.NewRegistry()}
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.metrics = newMetrics(s.reg)
	s.reg.MustRegister(outboxLagCollector{a})
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = p
	s.limits = newLimits(a.Now)
	s.routes()
	site := s.csrf(s.authenticate(s.mux))
	s.handler = s.observe(s.secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opt.IDP != nil && (r.URL.Path == "/idp" || strings.HasPrefix(r.URL.Path, "/idp/")) {
			s.opt.IDP.ServeHTTP(w, r)
			return
		}
		site.ServeHTTP(w, r)
	})))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Registry exposes the Prometheus registry so other parts (jobs, store) can add collectors.
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// handlerFunc is a handler that returns an error; see handle.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: a returned error is classified and written once.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

var errPanic = errors.New("panic in handler")

// writeError answers with the safe form of err: JSON for API and non-HTML clients, a page
// otherwise.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	sf := classify(err)
	logError(s.log, r, sf, err)
	if wantsHTML(r) {
		s.renderStatus(w, r, sf.Status, "error", errorPage{Title: http.StatusText(sf.Status), Message: sf.MessageVI, MessageEN: sf.MessageEN, Status: sf.Status, RequestID: RequestID(r.Context())})
		return
	}
	writeJSON(w, sf.Status, map[string]any{"error": sf})
}

func wantsHTML(r *http.Request) bool {
	if len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/" {
		return false
	}
	accept := r.Header.Get("Accept")
	return accept == "" || containsToken(accept, "text/html") || containsToken(accept, "*/*") && r.Method == http.MethodGet
}

func containsToken(h, tok string) bool {
	for i := 0; i+len(tok) <= len(h); i++ {
		if h[i:i+len(tok)] == tok {
			return true
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{})
}

// outboxLagCollector reports, at each scrape, how long the oldest unsent message of each
// outbox topic has waited: motcua_outbox_oldest_unsent_seconds{topic="national_portal"} is
// the national portal's synchronization lag (alert when it grows).
type outboxLagCollector struct{ a *app.App }

var outboxLagDesc = prometheus.NewDesc("motcua_outbox_oldest_unsent_seconds",
	"How long the oldest unsent outbox message of the topic has waited (0 when none waits).", []string{"topic"}, nil)

// Describe implements prometheus.Collector.
func (c outboxLagCollector) Describe(ch chan<- *prometheus.Desc) { ch <- outboxLagDesc }

// Collect implements prometheus.Collector.
func (c outboxLagCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	lag, err := c.a.OutboxLag(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxLagDesc, err)
		return
	}
	for _, topic := range app.OutboxTopics {
		ch <- prometheus.MustNewConstMetric(outboxLagDesc, prometheus.GaugeValue, lag[topic].Seconds(), topic)
	}
}
