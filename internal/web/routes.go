package web

import (
	"net/http"
)

// route is one entry of the routing table: the pattern, who may reach it at all, and the
// handler. The table is the single source for the mux and for the authorization matrix test.
type route struct {
	Method, Pattern string
	Access          access
	// Dossier marks routes whose resource is a dossier: app decides per dossier, and an
	// out-of-scope dossier answers 404.
	Dossier bool
	h       handlerFunc
}

// add registers a route.
func (s *Server) add(method, pattern string, a access, h handlerFunc) *route {
	s.table = append(s.table, route{Method: method, Pattern: pattern, Access: a, h: h})
	rt := &s.table[len(s.table)-1]
	s.mux.Handle(method+" "+pattern, s.handle(s.guard(a, h)))
	return rt
}

// dossier registers a route about one dossier.
func (s *Server) dossier(method, pattern string, a access, h handlerFunc) {
	s.add(method, pattern, a, h)
	s.table[len(s.table)-1].Dossier = true
}

// Routes returns a copy of the routing table (for tests and the OpenAPI check).
func (s *Server) Routes() []route { return append([]route(nil), s.table...) }

// routes declares every route of the server in one place.
func (s *Server) routes() {
	// Operations.
	s.add("GET", "/healthz", accessPublic, s.healthz)
	s.add("GET", "/readyz", accessPublic, s.readyz)
	s.mux.Handle("GET /metrics", s.metricsHandler())
	s.table = append(s.table, route{Method: "GET", Pattern: "/metrics", Access: accessPublic})

	// Static assets under content-hash URLs.
	s.add("GET", "/static/{file}", accessPublic, s.static)

	// Public portal.
	s.add("GET", "/{$}", accessPublic, s.home)
	s.add("GET", "/thu-tuc", accessPublic, s.catalogList)
	s.add("GET", "/thu-tuc/{code}", accessPublic, s.procedurePage)
	s.add("GET", "/lich-lam-viec", accessPublic, s.calendarPage)
	s.add("GET", "/tra-cuu", accessPublic, s.lookupPage)

	// Sign-in.
	s.add("GET", "/dang-nhap", accessPublic, s.signinForm)
	s.add("POST", "/dang-nhap", accessPublic, s.signinSubmit)
	s.add("GET", "/dang-nhap/vneid", accessPublic, s.vneidBegin)
	s.add("GET", "/dang-nhap/vneid/callback", accessPublic, s.vneidCallback)
	s.add("POST", "/dang-xuat", accessPublic, s.signout)
	s.add("POST", "/dang-xuat-tat-ca", accessSignedIn, s.signoutEverywhere)

	// JSON API.
	s.add("GET", "/api/v1/openapi.json", accessPublic, s.openAPI)
	s.add("GET", "/api/v1/procedures", accessPublic, s.apiProcedures)
	s.add("GET", "/api/v1/procedures/{code}", accessPublic, s.apiProcedure)
	s.add("GET", "/api/v1/calendar/holidays", accessPublic, s.apiHolidays)
	s.add("GET", "/api/v1/lookup/{code}", accessPublic, s.apiLookup)
	s.add("POST", "/api/v1/files", accessSignedIn, s.apiUpload)
	s.add("POST", "/api/v1/dossiers", accessSignedIn, s.apiSubmit)
	s.add("GET", "/api/v1/dossiers", accessSignedIn, s.apiList)
	s.dossier("GET", "/api/v1/dossiers/{code}", accessSignedIn, s.apiDossier)
	s.dossier("GET", "/api/v1/dossiers/{code}/events", accessSignedIn, s.apiEvents)
	s.dossier("POST", "/api/v1/dossiers/{code}/documents", accessSignedIn, s.apiAttach)
	s.dossier("POST", "/api/v1/dossiers/{code}/actions/{action}", accessSignedIn, s.apiAct)
	s.dossier("GET", "/api/v1/dossiers/{code}/forms/{form}", accessSignedIn, s.apiForm)
	s.dossier("POST", "/api/v1/dossiers/{code}/inspections", accessSignedIn, s.apiInspect)
	s.dossier("GET", "/api/v1/dossiers/{code}/inspections", accessSignedIn, s.apiInspections)
	s.add("GET", "/api/v1/access-log", accessInspector, s.apiAccessLog)
	s.add("GET", "/api/v1/units/{unit}/tracking-book", accessOfficer, s.apiTrackingBook)

	// The areas of the site, each in its own file.
	s.portalRoutes()  // applicants: submit, my dossiers (portal_pages.go)
	s.consoleRoutes() // officers: work queues, dossier page, reception, approval (console.go)
	s.kioskRoutes()   // counters: rating kiosk, queue tickets, now-serving board (kiosk.go)
	s.adminRoutes()   // administrators: calendar, units, desks, officers, catalog (admin.go)
	s.indexRoutes()   // the service index: API, dashboards, public statistics, reports (index_pages.go)

	// Anything else: a Vietnamese 404 page (or JSON under /api/).
	s.mux.Handle("/", s.handle(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))
}
