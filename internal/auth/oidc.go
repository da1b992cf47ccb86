package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig configures the relying party applicants sign in through.
type OIDCConfig struct {
	Issuer       string // the provider's issuer URL, exactly as its discovery document states it
	ClientID     string
	ClientSecret string
	RedirectURL  string       // MotCua's callback URL, registered with the provider
	Scopes       []string     // besides "openid"; default "profile"
	HTTPClient   *http.Client // nil: http.DefaultClient; tests pass the httptest client
	// Now is the clock used for token expiry and flow expiry (time.Now when nil).
	Now func() time.Time
	// FlowTTL bounds the time between Begin and Finish (default 10 minutes).
	FlowTTL time.Duration
}

// Flow is a sign-in in progress: the secrets the callback must match. It is stored server
// side, never in the browser.
type Flow struct {
	State    string
	Nonce    string
	Verifier string // PKCE code verifier
	Expires  time.Time
}

// FlowStore keeps pending sign-ins between Begin and Finish. The store implements it (table
// of pending flows, or the session store); tests use a map.
type FlowStore interface {
	// SaveFlow stores f under id.
	SaveFlow(ctx context.Context, id string, f Flow) error
	// TakeFlow returns the flow stored under id and removes it in the same step (a
	// DELETE ... RETURNING), so that each flow can finish at most once. It returns an error
	// matching ErrFlowNotFound when there is none.
	TakeFlow(ctx context.Context, id string) (Flow, error)
}

// Errors of Finish. Each means the sign-in failed; callers show one Vietnamese message for
// all of them and log the detail.
var (
	// ErrFlowNotFound: no pending flow under that id: already finished (a replay), expired
	// and purged, or never begun.
	ErrFlowNotFound = errors.New("oidc: no pending sign-in")
	// ErrFlowExpired: the flow took longer than FlowTTL.
	ErrFlowExpired = errors.New("oidc: sign-in expired")
	// ErrStateMismatch: the state returned does not match the flow (a forged callback).
	ErrStateMismatch = errors.New("oidc: state mismatch")
	// ErrTokenRejected: the code exchange or the ID token failed verification (signature,
	// issuer, audience, expiry, nonce, or claims MotCua requires).
	ErrTokenRejected = errors.New("oidc: token rejected")
	// ErrProviderError: the provider sent the user back with an error (e.g. they cancelled).
	ErrProviderError = errors.New("oidc: provider returned an error")
)

// Org is an organization the applicant may represent, as the identity provider asserts it.
type Org struct {
	EnterpriseCode string
	Name           string
}

// Identity is an applicant as verified through OpenID Connect.
type Identity struct {
	Subject        string // provider's subject identifier
	PersonalID     string // 12-digit personal identification number (validated)
	Name           string
	AssuranceLevel int // 1 or 2, recorded on each dossier (index indicators 4.6/4.7)
	Organizations  []Org
}

// RelyingParty runs the authorization code flow with PKCE (S256), state and nonce.
type RelyingParty struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	flows    FlowStore
	now      func() time.Time
}

// NewRelyingParty fetches the provider's discovery document and returns a relying party.
func NewRelyingParty(ctx context.Context, cfg OIDCConfig, flows FlowStore) (*RelyingParty, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" || flows == nil {
		return nil, errors.New("oidc: issuer, client id, redirect URL and flow store are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FlowTTL <= 0 {
		cfg.FlowTTL = 10 * time.Minute
	}
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"profile"}
	}
	provider, err := oidc.NewProvider(clientContext(ctx, cfg.HTTPClient), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery: %w", err)
	}
	rp := &RelyingParty{
		cfg:   cfg,
		flows: flows,
		now:   cfg.Now,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			RedirectURL:  cfg.RedirectURL,
			Endpoint:     provider.Endpoint(),
			Scopes:       append([]string{oidc.ScopeOpenID}, cfg.Scopes...),
		},
		verifier: provider.Verifier(&oidc.Config{
			ClientID:             cfg.ClientID,
			SupportedSigningAlgs: []string{oidc.RS256, oidc.ES256, oidc.PS256},
			Now:                  cfg.Now,
		}),
	}
	return rp, nil
}

func clientContext(ctx context.Context, c *http.Client) context.Context {
	if c == nil {
		return ctx
	}
	ctx = oidc.ClientContext(ctx, c)
	return context.WithValue(ctx, oauth2.HTTPClient, c)
}

// Begin starts a sign-in. It stores a fresh state, nonce and PKCE verifier under a new flow
// id and returns the provider URL to redirect the browser to and the flow id, which the
// caller keeps in a short-lived cookie (FlowCookie) to find the flow again at the callback.
func (rp *RelyingParty) Begin(ctx context.Context) (redirectURL, flowID string, err error) {
	f := Flow{
		State:    randomToken(),
		Nonce:    randomToken(),
		Verifier: oauth2.GenerateVerifier(),
		Expires:  rp.now().Add(rp.cfg.FlowTTL),
	}
	flowID = randomToken()
	if err := rp.flows.SaveFlow(ctx, flowID, f); err != nil {
		return "", "", fmt.Errorf("save oidc flow: %w", err)
	}
	u := rp.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return u, flowID, nil
}

// Finish completes a sign-in at the callback with the code and state the provider returned.
// The flow is consumed first, whatever the outcome, so a state can never be used twice. The
// ID token's signature, issuer, audience and expiry are checked by go-oidc, the nonce here,
// and the claims must carry a valid personal ID and an assurance level of 1 or 2.
//
// When the callback carries an "error" parameter instead of a code, call FinishError.
func (rp *RelyingParty) Finish(ctx context.Context, flowID, code, state string) (Identity, error) {
	f, err := rp.takeFlow(ctx, flowID)
	if err != nil {
		return Identity{}, err
	}
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return Identity{}, ErrStateMismatch
	}
	ctx = clientContext(ctx, rp.cfg.HTTPClient)
	tok, err := rp.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: code exchange: %v", ErrTokenRejected, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, fmt.Errorf("%w: no id_token in the token response", ErrTokenRejected)
	}
	idt, err := rp.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrTokenRejected, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return Identity{}, fmt.Errorf("%w: nonce mismatch", ErrTokenRejected)
	}
	var c idClaims
	if err := idt.Claims(&c); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %v", ErrTokenRejected, err)
	}
	id, err := c.identity(idt.Subject, rp.now())
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrTokenRejected, err)
	}
	return id, nil
}

// FinishError consumes the flow when the provider returned an error (the applicant cancelled,
// or the provider refused), so that the state cannot be reused, and reports it.
func (rp *RelyingParty) FinishError(ctx context.Context, flowID, state, providerError string) error {
	f, err := rp.takeFlow(ctx, flowID)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return ErrStateMismatch
	}
	return fmt.Errorf("%w: %q", ErrProviderError, providerError)
}

func (rp *RelyingParty) takeFlow(ctx context.Context, flowID string) (Flow, error) {
	if flowID == "" {
		return Flow{}, ErrFlowNotFound
	}
	f, err := rp.flows.TakeFlow(ctx, flowID)
	if err != nil {
		return Flow{}, fmt.Errorf("take oidc flow: %w", err)
	}
	if !rp.now().Before(f.Expires) {
		return Flow{}, ErrFlowExpired
	}
	return f, nil
}

// idClaims are the claims MotCua reads from the ID token.
type idClaims struct {
	Name           string `json:"name"`
	PersonalID     string `json:"personal_id"`
	ACR            string `json:"acr"`
	AssuranceLevel int    `json:"assurance_level"`
	Organizations  []struct {
		EnterpriseCode string `json:"enterprise_code"`
		Name           string `json:"name"`
	} `json:"organizations"`
}

func (c idClaims) identity(subject string, now time.Time) (Identity, error) {
	if err := ValidPersonalID(c.PersonalID, now); err != nil {
		return Identity{}, err
	}
	if strings.TrimSpace(c.Name) == "" {
		return Identity{}, errors.New("name claim is empty")
	}
	// Both claims may be present; should they disagree, the lower level is the safe one.
	level := c.AssuranceLevel
	if a := acrLevel(c.ACR); level == 0 || a != 0 && a < level {
		level = a
	}
	if level != 1 && level != 2 {
		return Identity{}, fmt.Errorf("assurance level %d (acr %q) is not 1 or 2", c.AssuranceLevel, c.ACR)
	}
	id := Identity{Subject: subject, PersonalID: c.PersonalID, Name: strings.TrimSpace(c.Name), AssuranceLevel: level}
	for i, o := range c.Organizations {
		if err := ValidEnterpriseCode(o.EnterpriseCode); err != nil {
			return Identity{}, fmt.Errorf("organizations[%d]: %w", i, err)
		}
		id.Organizations = append(id.Organizations, Org{EnterpriseCode: o.EnterpriseCode, Name: o.Name})
	}
	return id, nil
}

// acrLevel reads an assurance level from an acr value such as "loa2" or a URI ending in it.
func acrLevel(acr string) int {
	switch {
	case strings.HasSuffix(acr, "loa1"):
		return 1
	case strings.HasSuffix(acr, "loa2"):
		return 2
	}
	return 0
}

// FlowCookieName is the cookie holding the flow id between Begin and Finish.
const FlowCookieName = "motcua_oidc_flow"

// FlowCookie builds the cookie carrying a flow id. It must be SameSite=Lax, not Strict: the
// browser comes back from the provider by a cross-site redirect, and a Strict cookie would
// not be sent with it. It lives only as long as the flow.
func FlowCookie(r *http.Request, flowID string, ttl time.Duration, forceSecure bool) *http.Cookie {
	return &http.Cookie{
		Name:     FlowCookieName,
		Value:    flowID,
		Path:     "/",
		MaxAge:   int(ttl / time.Second),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   forceSecure || r.TLS != nil,
	}
}
