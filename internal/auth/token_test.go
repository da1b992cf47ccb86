package auth

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestNewTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		sid := NewSessionID()
		raw, err := base64.RawURLEncoding.DecodeString(sid)
		if err != nil || len(raw) != 32 {
			t.Fatalf("session id %q: %d bytes, %v", sid, len(raw), err)
		}
		tok := NewAPIToken()
		body, ok := strings.CutPrefix(tok, "mc_")
		if !ok {
			t.Fatalf("API token %q lacks the mc_ prefix", tok)
		}
		if raw, err := base64.RawURLEncoding.DecodeString(body); err != nil || len(raw) != 32 {
			t.Fatalf("API token %q: %d bytes, %v", tok, len(raw), err)
		}
		if seen[sid] || seen[tok] {
			t.Fatalf("token repeated")
		}
		seen[sid], seen[tok] = true, true
	}
}

func TestHashToken(t *testing.T) {
	sum := sha256.Sum256([]byte("mc_abc"))
	if got, want := HashToken("mc_abc"), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("HashToken = %q, want %q", got, want)
	}
	if HashToken("a") == HashToken("b") {
		t.Errorf("distinct tokens hash alike")
	}
}

func TestCSRFToken(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := CSRFToken(key, "session-1")
	tests := []struct {
		name       string
		key        []byte
		sid, token string
		want       bool
	}{
		{"right", key, "session-1", tok, true},
		{"other session", key, "session-2", tok, false},
		{"other key", []byte("another key another key another k"), "session-1", tok, false},
		{"empty token", key, "session-1", "", false},
		{"empty session", key, "", CSRFToken(key, ""), false},
		{"truncated", key, "session-1", tok[:len(tok)-1], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidCSRFToken(tt.key, tt.sid, tt.token); got != tt.want {
				t.Errorf("ValidCSRFToken = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCSRFMiddleware(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := CSRF(key, ok, SessionIDFromRequest)
	good := CSRFToken(key, "sess-A")
	form := func(v url.Values) *strings.Reader { return strings.NewReader(v.Encode()) }
	tests := []struct {
		name   string
		method string
		cookie string
		header map[string]string
		body   *strings.Reader
		want   int
	}{
		{"GET passes", "GET", "", nil, nil, 204},
		{"HEAD passes", "HEAD", "sess-A", nil, nil, 204},
		{"OPTIONS passes", "OPTIONS", "", nil, nil, 204},
		{"POST with header", "POST", "sess-A", map[string]string{"X-CSRF-Token": good}, nil, 204},
		{"POST with form field", "POST", "sess-A", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form(url.Values{"csrf_token": {good}, "x": {"1"}}), 204},
		{"POST without token", "POST", "sess-A", nil, nil, 403},
		{"POST with another session's token", "POST", "sess-B", map[string]string{"X-CSRF-Token": good}, nil, 403},
		{"POST without session", "POST", "", map[string]string{"X-CSRF-Token": good}, nil, 403},
		{"PUT without token", "PUT", "sess-A", nil, nil, 403},
		{"PATCH with header", "PATCH", "sess-A", map[string]string{"X-CSRF-Token": good}, nil, 204},
		{"DELETE without token", "DELETE", "sess-A", nil, nil, 403},
		{"unknown method is state-changing", "PROPFIND", "sess-A", nil, nil, 403},
		{"bearer API call", "POST", "", map[string]string{"Authorization": "Bearer mc_xyz"}, nil, 204},
		{"basic auth is not bearer", "POST", "", map[string]string{"Authorization": "Basic abc"}, nil, 403},
		{"empty bearer", "POST", "sess-A", map[string]string{"Authorization": "Bearer "}, nil, 403},
		{"token in the query string is ignored", "POST", "sess-A", nil, nil, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := "/x"
			if strings.Contains(tt.name, "query") {
				target = "/x?csrf_token=" + url.QueryEscape(good)
			}
			var req *http.Request
			if tt.body != nil {
				req = httptest.NewRequest(tt.method, target, tt.body)
			} else {
				req = httptest.NewRequest(tt.method, target, nil)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: SessionCookieName, Value: tt.cookie})
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("status = %d, want %d", rec.Code, tt.want)
			}
			if rec.Code == 403 && !strings.Contains(rec.Body.String(), "Phiên làm việc") {
				t.Errorf("403 body %q is not the Vietnamese message", rec.Body.String())
			}
		})
	}
}

func TestSessionCookie(t *testing.T) {
	plain := httptest.NewRequest("GET", "http://motcua.local/", nil)
	overTLS := httptest.NewRequest("GET", "https://motcua.local/", nil)
	overTLS.TLS = &tls.ConnectionState{}
	tests := []struct {
		name       string
		r          *http.Request
		force      bool
		wantSecure bool
	}{
		{"plain http", plain, false, false},
		{"behind a TLS proxy", plain, true, true},
		{"direct TLS", overTLS, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := SessionCookie(tt.r, "v", 8*time.Hour, tt.force)
			if c.Name != "motcua_session" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != tt.wantSecure || c.MaxAge != 8*3600 {
				t.Errorf("cookie = %+v", c)
			}
			cl := ClearSessionCookie(tt.r, tt.force)
			if cl.MaxAge >= 0 || cl.Value != "" || cl.Secure != tt.wantSecure {
				t.Errorf("clearing cookie = %+v", cl)
			}
		})
	}
}

func TestBearerToken(t *testing.T) {
	for header, want := range map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "Basic abc": "", "": "", "Bearer": ""} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", header)
		got, ok := BearerToken(r)
		if got != want || ok != (want != "") {
			t.Errorf("BearerToken(%q) = %q, %v", header, got, ok)
		}
	}
}

func BenchmarkValidCSRFToken(b *testing.B) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := CSRFToken(key, "session")
	for b.Loop() {
		if !ValidCSRFToken(key, "session", tok) {
			b.Fatal("invalid")
		}
	}
}
