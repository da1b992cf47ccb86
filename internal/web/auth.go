package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
)

// access is who may reach a route at all. It is the coarse gate in front of a handler; the
// fine decision (role × unit scope × action × dossier state) is app's, through auth.Authorize.
// Every route declares one (routes.go), and the matrix test enumerates them.
type access int

const (
	accessNone      access = iota // no policy: a route declared like this fails the matrix test
	accessPublic                  // anybody; the page shows no personal data
	accessSignedIn                // any signed-in principal; app decides per resource
	accessApplicant               // signed-in applicants
	accessOfficer                 // signed-in officers
	accessConfigure               // administrators and unit administrators
	accessInspector               // inspectors
)

func (a access) String() string {
	return [...]string{"none", "public", "signed-in", "applicant", "officer", "configure", "inspector"}[a]
}

type principalKey struct{}
type sessionKey struct{}

// principalOf returns the request's principal (the public one when nobody signed in).
func principalOf(r *http.Request) auth.Principal {
	p, ok := r.Context().Value(principalKey{}).(auth.Principal)
	if !ok {
		return app.Public
	}
	return p
}

// rawSession returns the request's session cookie value when it names a live session.
func rawSession(r *http.Request) string {
	s, _ := r.Context().Value(sessionKey{}).(string)
	return s
}

// authenticate resolves the principal: a bearer token (API clients) or the session cookie
// (browsers), never both — a request with a bearer token is judged by the token alone, which
// is what lets the CSRF check skip it.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := app.WithRequestID(r.Context(), RequestID(r.Context()))
		if tok, ok := auth.BearerToken(r); ok {
			p, err := s.app.AuthenticateToken(ctx, tok)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			ctx = context.WithValue(ctx, principalKey{}, p)
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if raw, ok := auth.SessionIDFromRequest(r); ok {
			p, sess, err := s.app.Authenticate(ctx, raw)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			if sess.IDHash != "" {
				ctx = context.WithValue(ctx, sessionKey{}, raw)
				ctx = app.WithSession(ctx, sess)
			}
			ctx = context.WithValue(ctx, principalKey{}, p)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// csrf protects every state-changing browser request (see auth.CSRF).
func (s *Server) csrf(next http.Handler) http.Handler {
	return auth.CSRF(s.app.CSRFKey(), next, func(r *http.Request) (string, bool) {
		return auth.SessionIDFromRequest(r)
	})
}

// csrfToken is the token forms of this request's session carry ("" without a session).
func (s *Server) csrfToken(r *http.Request) string {
	raw, ok := auth.SessionIDFromRequest(r)
	if !ok {
		return ""
	}
	return auth.CSRFToken(s.app.CSRFKey(), raw)
}

var (
	errSignIn = &app.Error{Kind: app.KindUnauthenticated, Code: "signin_required", MessageVI: "Vui lòng đăng nhập để tiếp tục.", MessageEN: "Please sign in."}
	errDenied = &app.Error{Kind: app.KindForbidden, Code: "forbidden", MessageVI: "Bạn không có quyền truy cập trang này.", MessageEN: "You are not allowed here."}
)

// guard applies a route's access class before its handler runs.
func (s *Server) guard(a access, h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := principalOf(r)
		switch a {
		case accessPublic:
		case accessSignedIn:
			if p.Kind == auth.KindPublic {
				return s.signInFirst(w, r)
			}
		case accessApplicant:
			if p.Kind == auth.KindPublic {
				return s.signInFirst(w, r)
			}
			if p.Kind != auth.KindApplicant {
				return errDenied
			}
		case accessOfficer:
			if p.Kind == auth.KindPublic {
				return s.signInFirst(w, r)
			}
			if p.Kind != auth.KindOfficer {
				return errDenied
			}
		case accessConfigure:
			if p.Kind == auth.KindPublic {
				return s.signInFirst(w, r)
			}
			if !p.HasRole(auth.RoleAdmin) && !p.HasRole(auth.RoleUnitAdmin) {
				return errDenied
			}
		case accessInspector:
			if p.Kind == auth.KindPublic {
				return s.signInFirst(w, r)
			}
			if !p.HasRole(auth.RoleInspector) {
				return errDenied
			}
		default:
			return errors.New("route without an access policy")
		}
		return h(w, r)
	}
}

// signInFirst answers an anonymous request to a protected route: 401 JSON for the API, a
// redirect to the sign-in page (coming back afterwards) for pages.
func (s *Server) signInFirst(w http.ResponseWriter, r *http.Request) error {
	if wantsJSON(r) || r.Method != http.MethodGet {
		return errSignIn
	}
	http.Redirect(w, r, "/dang-nhap?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	return nil
}

// clientIP is the address rate limits are keyed by.
func (s *Server) clientIP(r *http.Request) string {
	if s.opt.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			ip, _, _ := strings.Cut(f, ",")
			return strings.TrimSpace(ip)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limits are the per-node rate limits of issue 3: sign-in, public look-up and submission.
type limits struct {
	signIn, lookup, submit *auth.RateLimiter
}

func newLimits(now func() time.Time) limits {
	return limits{
		signIn: auth.NewRateLimiter(20, time.Minute, 10, now),
		lookup: auth.NewRateLimiter(60, time.Minute, 30, now),
		submit: auth.NewRateLimiter(30, time.Minute, 10, now),
	}
}

// allow takes a token from l for key, or answers 429 with Retry-After.
func allow(w http.ResponseWriter, l *auth.RateLimiter, key string) error {
	ok, wait := l.Allow(key)
	if ok {
		return nil
	}
	secs := int(wait.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return &app.Error{Kind: app.KindTooMany, Code: "rate_limited", MessageVI: "Bạn thao tác quá nhanh. Vui lòng thử lại sau " + strconv.Itoa(secs) + " giây.", MessageEN: "Too many requests; retry in " + strconv.Itoa(secs) + " s."}
}

// wantsJSON reports whether the client gets JSON errors (the API and non-browser clients).
func wantsJSON(r *http.Request) bool { return !wantsHTML(r) }
