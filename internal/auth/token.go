package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// tokenBytes is the entropy of session IDs and API tokens: 256 bits, beyond any guessing.
const tokenBytes = 32

// APITokenPrefix marks MotCua API tokens so that secret scanners and people recognize one
// that leaked into a log or a repository.
const APITokenPrefix = "mc_"

// NewSessionID returns a fresh random session identifier for the session cookie. Store only
// HashToken of it, so that a copy of the sessions table does not hand out live sessions.
func NewSessionID() string { return randomToken() }

// NewAPIToken returns a fresh API token "mc_" + 43 base64url characters. It is shown to its
// owner once; store only HashToken of it.
func NewAPIToken() string { return APITokenPrefix + randomToken() }

func randomToken() string {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is the form in which session IDs and API tokens are stored and looked up:
// lowercase hex SHA-256. A plain hash suffices (no salt, no slow hash) because the tokens
// carry 256 random bits.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CSRFToken returns the anti-forgery token bound to a session: HMAC-SHA256 of the session ID
// under a server key. Being derived, it needs no storage, changes whenever the session is
// rotated, and is useless with any other session.
func CSRFToken(key []byte, sessionID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("motcua/csrf/v1\x00"))
	m.Write([]byte(sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// ValidCSRFToken reports, in constant time, whether token is the CSRF token of sessionID.
func ValidCSRFToken(key []byte, sessionID, token string) bool {
	if sessionID == "" || token == "" {
		return false
	}
	want := CSRFToken(key, sessionID)
	return subtle.ConstantTimeCompare([]byte(want), []byte(token)) == 1
}

// CSRFHeader and CSRFFormField are where state-changing requests carry the CSRF token: the
// header for scripts and uploads, the hidden form field for plain HTML forms.
const (
	CSRFHeader    = "X-CSRF-Token"
	CSRFFormField = "csrf_token"
)

// csrfRefused is the Vietnamese answer to a request without a valid token. It names no cause:
// the usual one is a page left open past its session.
const csrfRefused = "Phiên làm việc đã hết hạn hoặc yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại.\n"

// CSRF protects next against cross-site request forgery. Safe methods (GET, HEAD, OPTIONS,
// TRACE) pass. Any other method needs the CSRF token of the request's session, in the
// X-CSRF-Token header or the csrf_token form field, or is refused with 403. lookup returns
// the (raw) session ID the request's cookie names; a state-changing request without a
// session is refused too, so give anonymous visitors a pre-session before showing them a form
// (it is rotated at sign-in anyway).
//
// Requests carrying "Authorization: Bearer" are let through: a browser cannot attach that
// header cross-site, and API clients send no cookies. The authentication step after this
// middleware must then authenticate such a request by its bearer token only, never by a
// cookie it may also carry.
func CSRF(key []byte, next http.Handler, lookup func(*http.Request) (sessionID string, ok bool)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			next.ServeHTTP(w, r)
			return
		}
		if isBearer(r) {
			next.ServeHTTP(w, r)
			return
		}
		sid, ok := lookup(r)
		if ok {
			token := r.Header.Get(CSRFHeader)
			if token == "" {
				token = r.PostFormValue(CSRFFormField)
			}
			if ValidCSRFToken(key, sid, token) {
				next.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(csrfRefused))
	})
}

// BearerToken returns the token of an "Authorization: Bearer" header, if any.
func BearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

func isBearer(r *http.Request) bool {
	_, ok := BearerToken(r)
	return ok
}

// SessionCookieName is the name of the session cookie.
const SessionCookieName = "motcua_session"

// SessionCookie builds the session cookie for value, valid for maxAge (0: until the browser
// closes). It is HttpOnly (scripts cannot read it), SameSite=Lax (not sent on cross-site
// POSTs, still sent when following a link or the OIDC redirect back), Path=/ and Secure when
// the request arrived over TLS or forceSecure says a TLS proxy sits in front.
func SessionCookie(r *http.Request, value string, maxAge time.Duration, forceSecure bool) *http.Cookie {
	c := &http.Cookie{
		Name:     SessionCookieName,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   forceSecure || r.TLS != nil,
	}
	if maxAge > 0 {
		c.MaxAge = int(maxAge / time.Second)
	}
	return c
}

// ClearSessionCookie builds the cookie that deletes the session cookie at sign-out.
func ClearSessionCookie(r *http.Request, forceSecure bool) *http.Cookie {
	c := SessionCookie(r, "", 0, forceSecure)
	c.MaxAge = -1
	return c
}

// SessionIDFromRequest returns the session cookie's value, if any.
func SessionIDFromRequest(r *http.Request) (string, bool) {
	c, err := r.Cookie(SessionCookieName)
	if err != nil || c.Value == "" {
		return "", false
	}
	return c.Value, true
}
