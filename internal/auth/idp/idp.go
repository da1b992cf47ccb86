// Package idp is the OpenID Connect provider `motcua demo` embeds in place of the national
// electronic identity (VNeID), so that the applicant sign-in runs the real protocol end to
// end: discovery, an authorization page where you pick a test identity, the authorization
// code with PKCE, RS256-signed ID tokens and a userinfo endpoint. It keeps its state in
// memory and is not meant for production.
//
// It also gives tests a way to mint bad tokens (Config.TokenHook), to prove the relying party
// refuses them.
package idp

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/motcua/motcua/internal/auth"
)

// Client is a relying party registered with the provider.
type Client struct {
	ID           string
	Secret       string
	RedirectURIs []string // exact matches only
}

// Claims are the ID token's claims. personal_id, assurance_level and organizations stand in
// for what the national provider asserts; acr carries the assurance level too ("loa1",
// "loa2").
type Claims struct {
	Issuer         string           `json:"iss"`
	Subject        string           `json:"sub"`
	Audience       jwt.Audience     `json:"aud"`
	Expiry         *jwt.NumericDate `json:"exp"`
	IssuedAt       *jwt.NumericDate `json:"iat"`
	AuthTime       *jwt.NumericDate `json:"auth_time,omitempty"`
	Nonce          string           `json:"nonce,omitempty"`
	ACR            string           `json:"acr,omitempty"`
	AssuranceLevel int              `json:"assurance_level"`
	Name           string           `json:"name"`
	PersonalID     string           `json:"personal_id"`
	Organizations  []Organization   `json:"organizations,omitempty"`
}

// Config configures a Provider.
type Config struct {
	// Issuer is the provider's public URL, e.g. "https://motcua.example/idp". Requests are
	// served under its path, so the handler can be mounted at that path with or without
	// http.StripPrefix.
	Issuer  string
	Clients []Client
	People  []Person         // DemoPeople() when nil
	Now     func() time.Time // time.Now when nil
	// Key signs ID tokens; a fresh 2048-bit key is generated when nil.
	Key *rsa.PrivateKey
	// CodeTTL is how long an authorization code may be exchanged (default 1 minute) and
	// TokenTTL how long ID and access tokens are valid (default 5 minutes).
	CodeTTL, TokenTTL time.Duration
	// TokenHook, for tests only, may change the claims of every ID token before signing and
	// return another key to sign with (nil keeps the provider's key), to produce forged,
	// expired or misdirected tokens.
	TokenHook func(c *Claims) *rsa.PrivateKey
}

// Provider is the embedded OpenID provider. It is an http.Handler.
type Provider struct {
	cfg    Config
	base   string // issuer path without trailing slash, e.g. "/idp"
	people map[string]Person
	order  []Person
	kid    string
	signer jose.Signer

	mu     sync.Mutex
	codes  map[string]*grant
	access map[string]accessToken
}

type grant struct {
	clientID, redirectURI, challenge, nonce, subject string
	expires                                          time.Time
}

type accessToken struct {
	subject string
	expires time.Time
}

// New checks cfg and returns a provider. Every person must have a valid personal ID,
// assurance level 1 or 2 and valid enterprise codes, so that the demo cannot sign in with
// data the real provider would never assert.
func New(cfg Config) (*Provider, error) {
	u, err := url.Parse(cfg.Issuer)
	if err != nil || u.Scheme == "" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("idp: issuer %q is not an absolute URL", cfg.Issuer)
	}
	if cfg.People == nil {
		cfg.People = DemoPeople()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CodeTTL <= 0 {
		cfg.CodeTTL = time.Minute
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 5 * time.Minute
	}
	if cfg.Key == nil {
		if cfg.Key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("idp: generate key: %w", err)
		}
	}
	p := &Provider{
		cfg:    cfg,
		base:   strings.TrimSuffix(u.Path, "/"),
		people: map[string]Person{},
		codes:  map[string]*grant{},
		access: map[string]accessToken{},
	}
	now := cfg.Now()
	for i, per := range cfg.People {
		if per.Subject == "" {
			return nil, fmt.Errorf("idp: people[%d]: empty subject", i)
		}
		if _, dup := p.people[per.Subject]; dup {
			return nil, fmt.Errorf("idp: people[%d]: duplicate subject %q", i, per.Subject)
		}
		if err := auth.ValidPersonalID(per.PersonalID, now); err != nil {
			return nil, fmt.Errorf("idp: people[%d]: %w", i, err)
		}
		if per.AssuranceLevel != 1 && per.AssuranceLevel != 2 {
			return nil, fmt.Errorf("idp: people[%d]: assurance level %d", i, per.AssuranceLevel)
		}
		for j, o := range per.Organizations {
			if err := auth.ValidEnterpriseCode(o.EnterpriseCode); err != nil {
				return nil, fmt.Errorf("idp: people[%d].organizations[%d]: %w", i, j, err)
			}
		}
		p.people[per.Subject] = per
		p.order = append(p.order, per)
	}
	for i, c := range cfg.Clients {
		if c.ID == "" || c.Secret == "" || len(c.RedirectURIs) == 0 {
			return nil, fmt.Errorf("idp: clients[%d]: id, secret and redirect URIs are required", i)
		}
	}
	thumb, err := (&jose.JSONWebKey{Key: &cfg.Key.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("idp: key thumbprint: %w", err)
	}
	p.kid = base64.RawURLEncoding.EncodeToString(thumb[:12])
	if p.signer, err = newSigner(cfg.Key, p.kid); err != nil {
		return nil, err
	}
	return p, nil
}

func newSigner(key *rsa.PrivateKey, kid string) (jose.Signer, error) {
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("idp: signer: %w", err)
	}
	return s, nil
}

// ServeHTTP routes the provider's endpoints.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if p.base != "" {
		path = strings.TrimPrefix(path, p.base) // tolerate being mounted with or without StripPrefix
	}
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case path == "/.well-known/openid-configuration" && r.Method == http.MethodGet:
		p.discovery(w)
	case path == "/jwks" && r.Method == http.MethodGet:
		p.jwks(w)
	case path == "/authorize" && r.Method == http.MethodGet:
		p.authorizePage(w, r)
	case path == "/authorize" && r.Method == http.MethodPost:
		p.authorizeSubmit(w, r)
	case path == "/token" && r.Method == http.MethodPost:
		p.token(w, r)
	case path == "/userinfo" && (r.Method == http.MethodGet || r.Method == http.MethodPost):
		p.userinfo(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (p *Provider) discovery(w http.ResponseWriter) {
	iss := strings.TrimSuffix(p.cfg.Issuer, "/")
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                iss + "/authorize",
		"token_endpoint":                        iss + "/token",
		"userinfo_endpoint":                     iss + "/userinfo",
		"jwks_uri":                              iss + "/jwks",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"scopes_supported":                      []string{"openid", "profile"},
		"acr_values_supported":                  []string{"loa1", "loa2"},
		"claims_supported": []string{"sub", "name", "personal_id", "assurance_level", "acr",
			"organizations", "nonce", "auth_time"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &p.cfg.Key.PublicKey, KeyID: p.kid, Algorithm: string(jose.RS256), Use: "sig",
	}}})
}

// authRequest is an authorization request, from the query (GET) or the form (POST).
type authRequest struct {
	ClientID, RedirectURI, State, Nonce, Challenge, Method, Scope, ResponseType string
}

func readAuthRequest(v url.Values) authRequest {
	return authRequest{
		ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"), State: v.Get("state"),
		Nonce: v.Get("nonce"), Challenge: v.Get("code_challenge"), Method: v.Get("code_challenge_method"),
		Scope: v.Get("scope"), ResponseType: v.Get("response_type"),
	}
}

// check validates an authorization request. A bad client or redirect URI is shown as a page
// (redirecting to an unregistered URI would make the provider an open redirector); other
// faults go back to the client as an OAuth error.
func (p *Provider) check(ar authRequest) (redirectable bool, errCode string) {
	i := slices.IndexFunc(p.cfg.Clients, func(c Client) bool { return c.ID == ar.ClientID })
	if i < 0 || !slices.Contains(p.cfg.Clients[i].RedirectURIs, ar.RedirectURI) {
		return false, "invalid_client"
	}
	switch {
	case ar.ResponseType != "code":
		return true, "unsupported_response_type"
	case !slices.Contains(strings.Fields(ar.Scope), "openid"):
		return true, "invalid_scope"
	case ar.State == "":
		return true, "invalid_request"
	case ar.Challenge == "" || ar.Method != "S256": // PKCE is mandatory, and never "plain"
		return true, "invalid_request"
	}
	return true, ""
}

var pageTmpl = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập bằng tài khoản định danh điện tử (thử nghiệm)</title></head>
<body>
<main>
<h1>Đăng nhập bằng tài khoản định danh điện tử</h1>
<p>Đây là máy chủ định danh thử nghiệm của MotCua. Chọn một công dân thử nghiệm để đăng nhập.</p>
{{if .Error}}<p role="alert">{{.Error}}</p>{{end}}
{{if .Request}}
<form method="post" action="{{.Action}}">
{{with .Request}}
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="response_type" value="{{.ResponseType}}">
<input type="hidden" name="scope" value="{{.Scope}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="nonce" value="{{.Nonce}}">
<input type="hidden" name="code_challenge" value="{{.Challenge}}">
<input type="hidden" name="code_challenge_method" value="{{.Method}}">
{{end}}
<fieldset>
<legend>Công dân thử nghiệm</legend>
{{range $i, $p := .People}}
<p><label><input type="radio" name="subject" value="{{$p.Subject}}"{{if eq $i 0}} checked{{end}}>
<strong>{{$p.Name}}</strong>, số định danh {{$p.PersonalID}}, mức độ định danh {{$p.AssuranceLevel}}
{{range $p.Organizations}}<br>Đại diện: {{.Name}} (mã số doanh nghiệp {{.EnterpriseCode}}){{end}}
</label></p>
{{end}}
</fieldset>
<button type="submit" name="decision" value="allow">Đăng nhập</button>
<button type="submit" name="decision" value="deny">Hủy</button>
</form>
{{end}}
</main>
</body>
</html>
`))

type page struct {
	Error   string
	Action  string
	Request *authRequest
	People  []Person
}

func (p *Provider) authorizePage(w http.ResponseWriter, r *http.Request) {
	ar := readAuthRequest(r.URL.Query())
	if redirectable, code := p.check(ar); code != "" {
		p.fail(w, r, ar, redirectable, code)
		return
	}
	p.render(w, http.StatusOK, page{Action: p.base + "/authorize", Request: &ar, People: p.order})
}

func (p *Provider) authorizeSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		p.render(w, http.StatusBadRequest, page{Error: "Yêu cầu không hợp lệ."})
		return
	}
	ar := readAuthRequest(r.PostForm)
	if redirectable, code := p.check(ar); code != "" {
		p.fail(w, r, ar, redirectable, code)
		return
	}
	if r.PostForm.Get("decision") != "allow" {
		p.fail(w, r, ar, true, "access_denied")
		return
	}
	person, ok := p.people[r.PostForm.Get("subject")]
	if !ok {
		p.render(w, http.StatusBadRequest, page{Error: "Vui lòng chọn một công dân thử nghiệm.",
			Action: p.base + "/authorize", Request: &ar, People: p.order})
		return
	}
	code := randomString()
	now := p.cfg.Now()
	p.mu.Lock()
	p.expireLocked(now)
	p.codes[code] = &grant{clientID: ar.ClientID, redirectURI: ar.RedirectURI, challenge: ar.Challenge,
		nonce: ar.Nonce, subject: person.Subject, expires: now.Add(p.cfg.CodeTTL)}
	p.mu.Unlock()
	redirectWith(w, r, ar.RedirectURI, url.Values{"code": {code}, "state": {ar.State}})
}

func (p *Provider) fail(w http.ResponseWriter, r *http.Request, ar authRequest, redirectable bool, code string) {
	if !redirectable {
		p.render(w, http.StatusBadRequest, page{Error: "Ứng dụng yêu cầu đăng nhập không được đăng ký hoặc địa chỉ quay lại không hợp lệ."})
		return
	}
	redirectWith(w, r, ar.RedirectURI, url.Values{"error": {code}, "state": {ar.State}})
}

func redirectWith(w http.ResponseWriter, r *http.Request, target string, params url.Values) {
	u, err := url.Parse(target)
	if err != nil {
		http.Error(w, "invalid redirect_uri", http.StatusBadRequest)
		return
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

func (p *Provider) render(w http.ResponseWriter, status int, pg page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, pg)
}

// expireLocked drops expired codes and tokens so memory stays bounded. p.mu must be held.
func (p *Provider) expireLocked(now time.Time) {
	for k, g := range p.codes {
		if !now.Before(g.expires) {
			delete(p.codes, k)
		}
	}
	for k, a := range p.access {
		if !now.Before(a.expires) {
			delete(p.access, k)
		}
	}
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		// RFC 6749 §2.3.1: client credentials in Basic auth are form-urlencoded.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	i := slices.IndexFunc(p.cfg.Clients, func(c Client) bool { return c.ID == id })
	if i < 0 || subtle.ConstantTimeCompare([]byte(p.cfg.Clients[i].Secret), []byte(secret)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="idp"`)
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	now := p.cfg.Now()
	code := r.PostForm.Get("code")
	p.mu.Lock()
	g, found := p.codes[code]
	delete(p.codes, code) // one-time, whatever happens next
	p.mu.Unlock()
	if !found || !now.Before(g.expires) || g.clientID != id || g.redirectURI != r.PostForm.Get("redirect_uri") {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	verifier := r.PostForm.Get("code_verifier")
	sum := sha256.Sum256([]byte(verifier))
	if len(verifier) < 43 || len(verifier) > 128 ||
		subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1 {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	person := p.people[g.subject]
	idToken, err := p.mintIDToken(person, id, g.nonce, now)
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	}
	at := randomString()
	p.mu.Lock()
	p.access[at] = accessToken{subject: person.Subject, expires: now.Add(p.cfg.TokenTTL)}
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": at,
		"token_type":   "Bearer",
		"expires_in":   int(p.cfg.TokenTTL / time.Second),
		"id_token":     idToken,
		"scope":        "openid profile",
	})
}

func (p *Provider) claims(person Person) Claims {
	return Claims{
		Subject: person.Subject, Name: person.Name, PersonalID: person.PersonalID,
		AssuranceLevel: person.AssuranceLevel, ACR: fmt.Sprintf("loa%d", person.AssuranceLevel),
		Organizations: person.Organizations,
	}
}

func (p *Provider) mintIDToken(person Person, clientID, nonce string, now time.Time) (string, error) {
	c := p.claims(person)
	c.Issuer = strings.TrimSuffix(p.cfg.Issuer, "/")
	c.Audience = jwt.Audience{clientID}
	c.IssuedAt = jwt.NewNumericDate(now)
	c.AuthTime = jwt.NewNumericDate(now)
	c.Expiry = jwt.NewNumericDate(now.Add(p.cfg.TokenTTL))
	c.Nonce = nonce
	signer := p.signer
	if p.cfg.TokenHook != nil {
		if key := p.cfg.TokenHook(&c); key != nil {
			var err error
			// Same key id as the real key, as a forger would claim.
			if signer, err = newSigner(key, p.kid); err != nil {
				return "", err
			}
		}
	}
	tok, err := jwt.Signed(signer).Claims(c).Serialize()
	if err != nil {
		return "", fmt.Errorf("idp: sign id token: %w", err)
	}
	return tok, nil
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	tok, ok := auth.BearerToken(r)
	now := p.cfg.Now()
	p.mu.Lock()
	a, found := p.access[tok]
	p.mu.Unlock()
	if !ok || !found || !now.Before(a.expires) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		oauthError(w, http.StatusUnauthorized, "invalid_token")
		return
	}
	c := p.claims(p.people[a.subject])
	writeJSON(w, http.StatusOK, UserInfo{Subject: c.Subject, Name: c.Name, PersonalID: c.PersonalID,
		ACR: c.ACR, AssuranceLevel: c.AssuranceLevel, Organizations: c.Organizations})
}

// UserInfo is the userinfo endpoint's answer: the identity claims without the token ones.
type UserInfo struct {
	Subject        string         `json:"sub"`
	Name           string         `json:"name"`
	PersonalID     string         `json:"personal_id"`
	ACR            string         `json:"acr,omitempty"`
	AssuranceLevel int            `json:"assurance_level"`
	Organizations  []Organization `json:"organizations,omitempty"`
}

func oauthError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
