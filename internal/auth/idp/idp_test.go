package idp_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/auth/idp"
)

const (
	issuer   = "https://motcua.example/idp"
	redirect = "https://motcua.example/auth/callback"
	verifier = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" // 43 characters
)

var (
	now     = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

func challenge(v string) string {
	s := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(s[:])
}

type fixture struct {
	p     *idp.Provider
	clock time.Time
}

func newProvider(t *testing.T) *fixture {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	f := &fixture{clock: now}
	p, err := idp.New(idp.Config{
		Issuer:  issuer,
		Clients: []idp.Client{{ID: "motcua", Secret: "s3cret", RedirectURIs: []string{redirect}}},
		Now:     func() time.Time { return f.clock },
		Key:     key,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.p = p
	return f
}

func (f *fixture) do(t *testing.T, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	f.p.ServeHTTP(rec, r)
	return rec
}

func authParams() url.Values {
	return url.Values{
		"client_id": {"motcua"}, "redirect_uri": {redirect}, "response_type": {"code"},
		"scope": {"openid profile"}, "state": {"st"}, "nonce": {"nn"},
		"code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"},
	}
}

// code runs the authorization POST for subject and returns the code from the redirect.
func (f *fixture) code(t *testing.T, subject string) string {
	t.Helper()
	form := authParams()
	form.Set("subject", subject)
	form.Set("decision", "allow")
	r := httptest.NewRequest("POST", "/idp/authorize", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := f.do(t, r)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("authorize POST: %d %s", rec.Code, rec.Body)
	}
	loc, _ := url.Parse(rec.Header().Get("Location"))
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirect || loc.Query().Get("state") != "st" {
		t.Fatalf("redirect to %s", loc)
	}
	return loc.Query().Get("code")
}

func (f *fixture) exchange(t *testing.T, form url.Values, basic bool) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("POST", "/idp/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		r.SetBasicAuth("motcua", "s3cret")
	}
	return f.do(t, r)
}

func tokenForm(code string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
}

func TestDemoPeopleAreValid(t *testing.T) {
	people := idp.DemoPeople()
	if len(people) != 6 {
		t.Errorf("%d demo people, want 6", len(people))
	}
	withOrg, levels := 0, map[int]bool{}
	for _, p := range people {
		if err := auth.ValidPersonalID(p.PersonalID, now); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		if p.Name == auth.MaskName(p.Name) || !strings.ContainsAny(p.Name, "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐ") {
			t.Errorf("%q is not a Vietnamese name with diacritics", p.Name)
		}
		levels[p.AssuranceLevel] = true
		if len(p.Organizations) > 0 {
			withOrg++
		}
		for _, o := range p.Organizations {
			if err := auth.ValidEnterpriseCode(o.EnterpriseCode); err != nil {
				t.Errorf("%s: %v", o.Name, err)
			}
		}
	}
	if withOrg != 2 || !levels[1] || !levels[2] || len(levels) != 2 {
		t.Errorf("%d people represent a business (want 2); levels %v (want 1 and 2)", withOrg, levels)
	}
}

func TestNewRejectsBadPeople(t *testing.T) {
	bad := []idp.Person{
		{Subject: "x", PersonalID: "123", Name: "A", AssuranceLevel: 1},
		{Subject: "x", PersonalID: "019085001234", Name: "A", AssuranceLevel: 3},
		{Subject: "", PersonalID: "019085001234", Name: "A", AssuranceLevel: 1},
		{Subject: "x", PersonalID: "019085001234", Name: "A", AssuranceLevel: 1, Organizations: []idp.Organization{{EnterpriseCode: "1"}}},
	}
	for i, p := range bad {
		if _, err := idp.New(idp.Config{Issuer: issuer, People: []idp.Person{p}}); err == nil {
			t.Errorf("case %d: bad person accepted", i)
		}
	}
	if _, err := idp.New(idp.Config{Issuer: "/idp"}); err == nil {
		t.Errorf("relative issuer accepted")
	}
}

func TestDiscoveryAndJWKS(t *testing.T) {
	f := newProvider(t)
	for _, prefix := range []string{"/idp", ""} { // mounted with or without StripPrefix
		rec := f.do(t, httptest.NewRequest("GET", prefix+"/.well-known/openid-configuration", nil))
		var d map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
			t.Fatalf("%s: %v", prefix, err)
		}
		if d["issuer"] != issuer || d["token_endpoint"] != issuer+"/token" || d["jwks_uri"] != issuer+"/jwks" {
			t.Errorf("discovery %v", d)
		}
	}
	rec := f.do(t, httptest.NewRequest("GET", "/idp/jwks", nil))
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(rec.Body.Bytes(), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 || !set.Keys[0].IsPublic() || set.Keys[0].KeyID == "" || set.Keys[0].Algorithm != "RS256" {
		t.Errorf("jwks %+v", set.Keys)
	}
}

func TestAuthorizePage(t *testing.T) {
	f := newProvider(t)
	rec := f.do(t, httptest.NewRequest("GET", "/idp/authorize?"+authParams().Encode(), nil))
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `<html lang="vi">`) || !strings.Contains(body, `method="post"`) || strings.Contains(body, "<script") {
		t.Fatalf("page %d:\n%s", rec.Code, body)
	}
	for _, p := range idp.DemoPeople() {
		if !strings.Contains(body, p.Name) || !strings.Contains(body, `value="`+p.Subject+`"`) {
			t.Errorf("page does not offer %s", p.Name)
		}
	}

	tests := []struct {
		name      string
		change    func(url.Values)
		wantCode  int
		wantError string // OAuth error in the redirect, "" for a page
	}{
		{"unregistered redirect", func(v url.Values) { v.Set("redirect_uri", "https://evil.example/cb") }, 400, ""},
		{"unknown client", func(v url.Values) { v.Set("client_id", "other") }, 400, ""},
		{"no PKCE", func(v url.Values) { v.Del("code_challenge") }, 303, "invalid_request"},
		{"plain PKCE", func(v url.Values) { v.Set("code_challenge_method", "plain") }, 303, "invalid_request"},
		{"no state", func(v url.Values) { v.Del("state") }, 303, "invalid_request"},
		{"no openid scope", func(v url.Values) { v.Set("scope", "profile") }, 303, "invalid_scope"},
		{"implicit flow", func(v url.Values) { v.Set("response_type", "token") }, 303, "unsupported_response_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := authParams()
			tt.change(v)
			rec := f.do(t, httptest.NewRequest("GET", "/idp/authorize?"+v.Encode(), nil))
			if rec.Code != tt.wantCode {
				t.Fatalf("status %d, want %d", rec.Code, tt.wantCode)
			}
			loc := rec.Header().Get("Location")
			if tt.wantError == "" && loc != "" {
				t.Errorf("redirected to %s for an unregistered client or URI", loc)
			}
			if tt.wantError != "" && !strings.Contains(loc, "error="+tt.wantError) {
				t.Errorf("Location %q lacks error=%s", loc, tt.wantError)
			}
		})
	}
}

func TestAuthorizeDenied(t *testing.T) {
	f := newProvider(t)
	form := authParams()
	form.Set("decision", "deny")
	r := httptest.NewRequest("POST", "/idp/authorize", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := f.do(t, r)
	if loc := rec.Header().Get("Location"); rec.Code != 303 || !strings.Contains(loc, "error=access_denied") || !strings.Contains(loc, "state=st") {
		t.Errorf("deny: %d %s", rec.Code, loc)
	}
}

func TestTokenEndpoint(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *fixture, form url.Values) bool // returns whether to use basic auth
		want   int
		error  string
	}{
		{"valid, basic auth", func(*fixture, url.Values) bool { return true }, 200, ""},
		{"valid, secret in form", func(_ *fixture, v url.Values) bool {
			v.Set("client_id", "motcua")
			v.Set("client_secret", "s3cret")
			return false
		}, 200, ""},
		{"wrong secret", func(_ *fixture, v url.Values) bool {
			v.Set("client_id", "motcua")
			v.Set("client_secret", "guess")
			return false
		}, 401, "invalid_client"},
		{"wrong verifier", func(_ *fixture, v url.Values) bool {
			v.Set("code_verifier", strings.Repeat("z", 43))
			return true
		}, 400, "invalid_grant"},
		{"short verifier", func(_ *fixture, v url.Values) bool { v.Set("code_verifier", "abc"); return true }, 400, "invalid_grant"},
		{"no verifier", func(_ *fixture, v url.Values) bool { v.Del("code_verifier"); return true }, 400, "invalid_grant"},
		{"other redirect uri", func(_ *fixture, v url.Values) bool { v.Set("redirect_uri", redirect+"x"); return true }, 400, "invalid_grant"},
		{"expired code", func(f *fixture, _ url.Values) bool { f.clock = f.clock.Add(2 * time.Minute); return true }, 400, "invalid_grant"},
		{"wrong grant type", func(_ *fixture, v url.Values) bool { v.Set("grant_type", "password"); return true }, 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newProvider(t)
			form := tokenForm(f.code(t, "vneid-demo-0004"))
			basic := tt.change(f, form)
			rec := f.exchange(t, form, basic)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			var resp map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatal(err)
			}
			if tt.error != "" {
				if resp["error"] != tt.error {
					t.Errorf("error = %v, want %s", resp["error"], tt.error)
				}
				return
			}
			checkIDToken(t, resp["id_token"].(string))
			// userinfo with the access token
			r := httptest.NewRequest("GET", "/idp/userinfo", nil)
			r.Header.Set("Authorization", "Bearer "+resp["access_token"].(string))
			ui := f.do(t, r)
			var c idp.UserInfo
			if err := json.Unmarshal(ui.Body.Bytes(), &c); err != nil || ui.Code != 200 || c.Subject != "vneid-demo-0004" || len(c.Organizations) != 1 {
				t.Errorf("userinfo %d %s (%v)", ui.Code, ui.Body, err)
			}
		})
	}
}

func checkIDToken(t *testing.T, raw string) {
	t.Helper()
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var c idp.Claims
	if err := tok.Claims(&key.PublicKey, &c); err != nil {
		t.Fatalf("id token does not verify with the provider key: %v", err)
	}
	if c.Issuer != issuer || len(c.Audience) != 1 || c.Audience[0] != "motcua" || c.Nonce != "nn" ||
		c.Expiry.Time().Sub(now) != 5*time.Minute || c.ACR != "loa2" || c.AssuranceLevel != 2 {
		t.Errorf("claims %+v", c)
	}
}

func TestCodeIsOneTime(t *testing.T) {
	f := newProvider(t)
	form := tokenForm(f.code(t, "vneid-demo-0001"))
	if rec := f.exchange(t, form, true); rec.Code != 200 {
		t.Fatalf("first exchange: %d", rec.Code)
	}
	if rec := f.exchange(t, form, true); rec.Code != 400 || !strings.Contains(rec.Body.String(), "invalid_grant") {
		t.Errorf("second exchange: %d %s", rec.Code, rec.Body)
	}
	// A failed exchange (wrong verifier) also burns the code.
	form = tokenForm(f.code(t, "vneid-demo-0001"))
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("code_verifier", strings.Repeat("q", 43))
	f.exchange(t, bad, true)
	if rec := f.exchange(t, form, true); rec.Code != 400 {
		t.Errorf("exchange after a failed attempt: %d", rec.Code)
	}
}

func TestUserinfoRejects(t *testing.T) {
	f := newProvider(t)
	rec := f.exchange(t, tokenForm(f.code(t, "vneid-demo-0002")), true)
	var resp map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &resp)
	at := resp["access_token"].(string)
	for name, header := range map[string]string{"none": "", "unknown": "Bearer nope", "basic": "Basic " + at} {
		r := httptest.NewRequest("GET", "/idp/userinfo", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		if rec := f.do(t, r); rec.Code != 401 {
			t.Errorf("%s: %d", name, rec.Code)
		}
	}
	f.clock = f.clock.Add(6 * time.Minute)
	r := httptest.NewRequest("GET", "/idp/userinfo", nil)
	r.Header.Set("Authorization", "Bearer "+at)
	if rec := f.do(t, r); rec.Code != 401 {
		t.Errorf("expired access token: %d", rec.Code)
	}
}
