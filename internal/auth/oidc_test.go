package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/auth/idp"
)

// memFlows is the in-memory FlowStore the store's implementation must behave like.
type memFlows struct {
	mu    sync.Mutex
	flows map[string]auth.Flow
	// tamper, when set, changes a flow as it is taken (to simulate a wrong PKCE verifier).
	tamper func(*auth.Flow)
}

func (m *memFlows) SaveFlow(_ context.Context, id string, f auth.Flow) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.flows == nil {
		m.flows = map[string]auth.Flow{}
	}
	m.flows[id] = f
	return nil
}

func (m *memFlows) TakeFlow(_ context.Context, id string) (auth.Flow, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.flows[id]
	if !ok {
		return auth.Flow{}, auth.ErrFlowNotFound
	}
	delete(m.flows, id)
	if m.tamper != nil {
		m.tamper(&f)
	}
	return f, nil
}

var (
	keyOnce          sync.Once
	idpKey, forgeKey *rsa.PrivateKey
)

func keys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if idpKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if forgeKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return idpKey, forgeKey
}

// clock is shared by the provider and the relying party.
var testNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// world is a provider mounted at /idp on one httptest server and a relying party application
// (login and callback routes) on another, talking real HTTP.
type world struct {
	idpURL string
	rpURL  string
	flows  *memFlows
	rp     *auth.RelyingParty
	client *http.Client // the browser, with a cookie jar
	// last is what the callback route produced.
	mu      sync.Mutex
	lastID  auth.Identity
	lastErr error
}

func newWorld(t *testing.T, hook func(*idp.Claims) *rsa.PrivateKey) *world {
	t.Helper()
	key, _ := keys(t)
	w := &world{flows: &memFlows{}}

	idpSrv := httptest.NewUnstartedServer(nil)
	w.idpURL = "http://" + idpSrv.Listener.Addr().String()
	rpSrv := httptest.NewUnstartedServer(nil)
	w.rpURL = "http://" + rpSrv.Listener.Addr().String()

	provider, err := idp.New(idp.Config{
		Issuer:    w.idpURL + "/idp",
		Clients:   []idp.Client{{ID: "motcua", Secret: "s3cret", RedirectURIs: []string{w.rpURL + "/callback"}}},
		Now:       func() time.Time { return testNow },
		Key:       key,
		TokenHook: hook,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/idp/", provider) // mounted without StripPrefix, as the lead does in demo mode
	idpSrv.Config.Handler = mux
	idpSrv.Start()
	t.Cleanup(idpSrv.Close)

	w.rp, err = auth.NewRelyingParty(context.Background(), auth.OIDCConfig{
		Issuer: w.idpURL + "/idp", ClientID: "motcua", ClientSecret: "s3cret",
		RedirectURL: w.rpURL + "/callback", HTTPClient: idpSrv.Client(),
		Now: func() time.Time { return testNow },
	}, w.flows)
	if err != nil {
		t.Fatal(err)
	}
	rpMux := http.NewServeMux()
	rpMux.HandleFunc("GET /login", func(rw http.ResponseWriter, r *http.Request) {
		u, flowID, err := w.rp.Begin(r.Context())
		if err != nil {
			http.Error(rw, "begin", 500)
			return
		}
		http.SetCookie(rw, auth.FlowCookie(r, flowID, 10*time.Minute, false))
		http.Redirect(rw, r, u, http.StatusFound)
	})
	rpMux.HandleFunc("GET /callback", func(rw http.ResponseWriter, r *http.Request) {
		var flowID string
		if c, err := r.Cookie(auth.FlowCookieName); err == nil {
			flowID = c.Value
		}
		q := r.URL.Query()
		var id auth.Identity
		if e := q.Get("error"); e != "" {
			err = w.rp.FinishError(r.Context(), flowID, q.Get("state"), e)
		} else {
			id, err = w.rp.Finish(r.Context(), flowID, q.Get("code"), q.Get("state"))
		}
		w.mu.Lock()
		w.lastID, w.lastErr = id, err
		w.mu.Unlock()
		if err != nil {
			http.Error(rw, "Đăng nhập không thành công.", http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(rw).Encode(id)
	})
	rpSrv.Config.Handler = rpMux
	rpSrv.Start()
	t.Cleanup(rpSrv.Close)

	jar, _ := cookiejar.New(nil)
	w.client = &http.Client{Jar: jar}
	return w
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)
var formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)

// signIn follows the whole flow as a browser would: login -> provider page -> pick subject
// -> form POST -> redirect to the callback. It returns the callback's response and the
// callback URL the provider redirected to.
func (w *world) signIn(t *testing.T, subject string) (*http.Response, string) {
	t.Helper()
	resp, err := w.client.Get(w.rpURL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Công dân thử nghiệm") {
		t.Fatalf("authorize page: %d\n%s", resp.StatusCode, page)
	}
	form := url.Values{"subject": {subject}, "decision": {"allow"}}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	action := formAction.FindStringSubmatch(string(page))
	if action == nil {
		t.Fatalf("no form on the authorize page")
	}
	var callback string
	w.client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), w.rpURL+"/callback") {
			callback = req.URL.String()
		}
		return nil
	}
	defer func() { w.client.CheckRedirect = nil }()
	resp, err = w.client.PostForm(w.idpURL+html.UnescapeString(action[1]), form)
	if err != nil {
		t.Fatal(err)
	}
	return resp, callback
}

func (w *world) result() (auth.Identity, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lastID, w.lastErr
}

func TestOIDCFullFlow(t *testing.T) {
	w := newWorld(t, nil)
	resp, callback := w.signIn(t, "vneid-demo-0001")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		_, err := w.result()
		t.Fatalf("callback status %d (%v): %s", resp.StatusCode, err, body)
	}
	var want auth.Identity
	for _, p := range idp.DemoPeople() {
		if p.Subject == "vneid-demo-0001" {
			want = auth.Identity{Subject: p.Subject, PersonalID: p.PersonalID, Name: p.Name, AssuranceLevel: p.AssuranceLevel}
			for _, o := range p.Organizations {
				want.Organizations = append(want.Organizations, auth.Org{EnterpriseCode: o.EnterpriseCode, Name: o.Name})
			}
		}
	}
	got, err := w.result()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("identity (-want +got):\n%s", diff)
	}
	if len(got.Organizations) == 0 {
		t.Errorf("the chosen person represents businesses but none came through")
	}

	// The same callback again: the state was consumed, so it is refused.
	resp, err = w.client.Get(callback)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := w.result(); resp.StatusCode != http.StatusUnauthorized || !errors.Is(err, auth.ErrFlowNotFound) {
		t.Errorf("replayed state: status %d, err %v; want 401, ErrFlowNotFound", resp.StatusCode, err)
	}
}

func TestOIDCEveryDemoPersonSignsIn(t *testing.T) {
	w := newWorld(t, nil)
	for _, p := range idp.DemoPeople() {
		resp, _ := w.signIn(t, p.Subject)
		resp.Body.Close()
		got, err := w.result()
		if err != nil || got.PersonalID != p.PersonalID || got.AssuranceLevel != p.AssuranceLevel {
			t.Errorf("%s: %+v, %v", p.Name, got, err)
		}
	}
}

func TestOIDCRejectsBadTokens(t *testing.T) {
	_, forged := keys(t)
	tests := []struct {
		name   string
		reason string // the refusal must be for this cause, not another one
		hook   func(*idp.Claims) *rsa.PrivateKey
	}{
		{"forged signature", "signature", func(*idp.Claims) *rsa.PrivateKey { return forged }},
		{"expired token", "expired", func(c *idp.Claims) *rsa.PrivateKey {
			c.IssuedAt = jwt.NewNumericDate(testNow.Add(-10 * time.Minute))
			c.Expiry = jwt.NewNumericDate(testNow.Add(-time.Second))
			return nil
		}},
		{"wrong audience", "audience", func(c *idp.Claims) *rsa.PrivateKey { c.Audience = jwt.Audience{"another-app"}; return nil }},
		{"wrong nonce", "nonce", func(c *idp.Claims) *rsa.PrivateKey { c.Nonce = "not-the-nonce"; return nil }},
		{"missing nonce", "nonce", func(c *idp.Claims) *rsa.PrivateKey { c.Nonce = ""; return nil }},
		{"wrong issuer", "different provider", func(c *idp.Claims) *rsa.PrivateKey { c.Issuer = "https://evil.example/idp"; return nil }},
		{"invalid personal id", "personal_id", func(c *idp.Claims) *rsa.PrivateKey { c.PersonalID = "019385001234"; return nil }},
		{"unknown assurance level", "assurance level", func(c *idp.Claims) *rsa.PrivateKey { c.AssuranceLevel, c.ACR = 3, "loa3"; return nil }},
		{"invalid enterprise code", "enterprise_code", func(c *idp.Claims) *rsa.PrivateKey {
			c.Organizations = []idp.Organization{{EnterpriseCode: "46012", Name: "X"}}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.hook)
			resp, _ := w.signIn(t, "vneid-demo-0001")
			resp.Body.Close()
			_, err := w.result()
			if resp.StatusCode != http.StatusUnauthorized || !errors.Is(err, auth.ErrTokenRejected) {
				t.Fatalf("status %d, err %v; want 401, ErrTokenRejected", resp.StatusCode, err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("err %q does not name the cause %q", err, tt.reason)
			}
		})
	}
}

func TestOIDCRejectsWrongPKCEVerifier(t *testing.T) {
	w := newWorld(t, nil)
	w.flows.tamper = func(f *auth.Flow) { f.Verifier = strings.Repeat("x", 43) }
	resp, _ := w.signIn(t, "vneid-demo-0002")
	resp.Body.Close()
	_, err := w.result()
	if resp.StatusCode != http.StatusUnauthorized || !errors.Is(err, auth.ErrTokenRejected) {
		t.Errorf("status %d, err %v; want 401, ErrTokenRejected", resp.StatusCode, err)
	}
}

func TestOIDCRejectsForgedCallbacks(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"unknown flow", func() error {
			_, err := w.rp.Finish(ctx, "no-such-flow", "code", "state")
			return err
		}, auth.ErrFlowNotFound},
		{"empty flow id", func() error {
			_, err := w.rp.Finish(ctx, "", "code", "state")
			return err
		}, auth.ErrFlowNotFound},
		{"state of another flow", func() error {
			_, flowID, err := w.rp.Begin(ctx)
			if err != nil {
				return err
			}
			_, err = w.rp.Finish(ctx, flowID, "code", "someone-elses-state")
			return err
		}, auth.ErrStateMismatch},
		{"state mismatch consumes the flow", func() error {
			u, flowID, err := w.rp.Begin(ctx)
			if err != nil {
				return err
			}
			state := mustQuery(u, "state")
			if _, err := w.rp.Finish(ctx, flowID, "code", "wrong"); !errors.Is(err, auth.ErrStateMismatch) {
				return fmt.Errorf("first try: %v", err)
			}
			_, err = w.rp.Finish(ctx, flowID, "code", state)
			return err
		}, auth.ErrFlowNotFound},
		{"provider error", func() error {
			u, flowID, err := w.rp.Begin(ctx)
			if err != nil {
				return err
			}
			return w.rp.FinishError(ctx, flowID, mustQuery(u, "state"), "access_denied")
		}, auth.ErrProviderError},
		{"invalid code", func() error {
			u, flowID, err := w.rp.Begin(ctx)
			if err != nil {
				return err
			}
			_, err = w.rp.Finish(ctx, flowID, "made-up-code", mustQuery(u, "state"))
			return err
		}, auth.ErrTokenRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestOIDCFlowExpires(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	u, flowID, err := w.rp.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := auth.NewRelyingParty(ctx, auth.OIDCConfig{
		Issuer: w.idpURL + "/idp", ClientID: "motcua", ClientSecret: "s3cret", RedirectURL: w.rpURL + "/callback",
		Now: func() time.Time { return testNow.Add(11 * time.Minute) },
	}, w.flows)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rp.Finish(ctx, flowID, "code", mustQuery(u, "state")); !errors.Is(err, auth.ErrFlowExpired) {
		t.Errorf("err = %v, want ErrFlowExpired", err)
	}
}

func TestOIDCAuthorizeURL(t *testing.T) {
	w := newWorld(t, nil)
	u, _, err := w.rp.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for param, want := range map[string]string{"response_type": "code", "client_id": "motcua",
		"code_challenge_method": "S256", "redirect_uri": w.rpURL + "/callback"} {
		if got := mustQuery(u, param); got != want {
			t.Errorf("%s = %q, want %q", param, got, want)
		}
	}
	for _, param := range []string{"state", "nonce", "code_challenge"} {
		if len(mustQuery(u, param)) < 43 {
			t.Errorf("%s %q is too short to be unguessable", param, mustQuery(u, param))
		}
	}
	if !strings.Contains(mustQuery(u, "scope"), "openid") {
		t.Errorf("scope lacks openid")
	}
}

func mustQuery(raw, param string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u.Query().Get(param)
}
