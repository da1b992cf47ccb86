package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
)

// Session lifetimes: an officer's shared counter PC signs out after 30 idle minutes; any
// session ends after 12 hours (one working day and some).
const (
	SessionIdle   = 30 * time.Minute
	SessionMaxAge = 12 * time.Hour
)

// Sign-in error codes the web layer reacts to (the form asks for the one-time code, or sends
// the officer to enrolment).
const (
	CodeSignInFailed    = "signin_failed"
	CodeTOTPRequired    = "totp_required"
	CodeTOTPNotEnrolled = "totp_not_enrolled"
	CodeThrottled       = "signin_throttled"
)

// Public is the principal of a request nobody signed in to.
var Public = auth.Principal{Kind: auth.KindPublic}

// identity holds what sign-in needs: the keyring, the session rules and, when applicant
// sign-in is configured, the OpenID relying party (built on first use, because in the demo
// the provider is this very server, which is not listening yet when App is built).
type identity struct {
	keys     *auth.Keyring
	sessions auth.Sessions
	staff    auth.StaffSignIn
	csrfKey  []byte

	oidcCfg *auth.OIDCConfig
	rpMu    sync.Mutex
	rp      *auth.RelyingParty
}

func (a *App) initIdentity(opt Options) {
	keys := opt.Keyring
	if keys == nil {
		// Tests and tools that never touch personal data still need a keyring; a fresh one
		// makes anything sealed with it unreadable after the process exits, which is the
		// safe failure.
		keys = auth.GenerateKeyring()
	}
	a.id = &identity{
		keys:     keys,
		sessions: auth.Sessions{Store: a.store, IdleTimeout: SessionIdle, MaxAge: SessionMaxAge},
		staff:    auth.StaffSignIn{Store: a.store, Keyring: keys, Throttle: auth.DefaultThrottle},
		csrfKey:  []byte(keys.BlindIndex("csrf", "motcua-csrf-v1")),
		oidcCfg:  opt.OIDC,
	}
}

// Keyring returns the keyring that seals personal data.
func (a *App) Keyring() *auth.Keyring { return a.id.keys }

// CSRFKey is the key CSRF tokens are derived with; every node with the same keyring derives
// the same key, so a form rendered by one node posts to another.
func (a *App) CSRFKey() []byte { return a.id.csrfKey }

// ApplicantSignInEnabled reports whether an identity provider is configured.
func (a *App) ApplicantSignInEnabled() bool { return a.id.oidcCfg != nil }

// SignInStaff checks an officer's password and one-time code and starts a session, ending
// the browser's previous one (oldSession). It returns the raw session ID for the cookie.
func (a *App) SignInStaff(ctx context.Context, username, password, code, oldSession string) (string, auth.Principal, error) {
	now := a.now()
	acct, err := a.id.staff.SignIn(ctx, username, password, code, now)
	if err != nil {
		var th *auth.ThrottledError
		switch {
		case errors.As(err, &th):
			return "", Public, &Error{Kind: KindTooMany, Code: CodeThrottled, MessageVI: th.Decision.Message(now),
				MessageEN: fmt.Sprintf("Too many failed attempts; try again in %s.", th.Decision.RetryAfter(now).Round(time.Second)), Err: err}
		case errors.Is(err, auth.ErrTOTPRequired):
			return "", Public, &Error{Kind: KindUnauthenticated, Code: CodeTOTPRequired, MessageVI: "Nhập mã xác thực 6 chữ số từ ứng dụng xác thực.", MessageEN: "Enter the 6-digit code from your authenticator app.", Err: err}
		case errors.Is(err, auth.ErrTOTPNotEnrolled):
			return "", Public, &Error{Kind: KindForbidden, Code: CodeTOTPNotEnrolled, MessageVI: "Tài khoản này cần xác thực hai lớp nhưng chưa được thiết lập. Liên hệ quản trị hệ thống.", MessageEN: "This account needs a second factor that is not set up yet. Contact the administrator.", Err: err}
		case errors.Is(err, auth.ErrSignInFailed):
			return "", Public, &Error{Kind: KindUnauthenticated, Code: CodeSignInFailed, MessageVI: auth.SignInFailedMessage, MessageEN: "Wrong username, password or code.", Err: err}
		}
		return "", Public, fmt.Errorf("sign in: %w", err)
	}
	raw, _, err := a.id.sessions.Start(ctx, auth.KindOfficer, acct.Username, 0, oldSession, now)
	if err != nil {
		return "", Public, err
	}
	a.log.Info("staff signed in", "user", acct.Username)
	return raw, officerPrincipal(acct), nil
}

func officerPrincipal(acct auth.StaffAccount) auth.Principal {
	return auth.Principal{Kind: auth.KindOfficer, Subject: acct.Username, Roles: acct.Roles}
}

// Authenticate returns the principal of a session cookie value; an unknown or expired
// session is the public principal (no error: the request simply is not signed in).
func (a *App) Authenticate(ctx context.Context, rawSession string) (auth.Principal, auth.Session, error) {
	sess, err := a.id.sessions.Resume(ctx, rawSession, a.now())
	if errors.Is(err, auth.ErrSessionNotFound) {
		return Public, auth.Session{}, nil
	}
	if err != nil {
		return Public, auth.Session{}, err
	}
	p, err := a.principal(ctx, sess.Kind, sess.Subject)
	if err != nil {
		return Public, auth.Session{}, err
	}
	return p, sess, nil
}

// principal rebuilds a principal from the store on every request, so that a role removed
// or an account disabled takes effect at once.
func (a *App) principal(ctx context.Context, kind auth.PrincipalKind, subject string) (auth.Principal, error) {
	switch kind {
	case auth.KindOfficer:
		acct, err := a.store.StaffAccount(ctx, subject)
		if errors.Is(err, auth.ErrUnknownAccount) {
			return Public, nil
		}
		if err != nil {
			return Public, err
		}
		if acct.Disabled {
			return Public, nil
		}
		return officerPrincipal(acct), nil
	case auth.KindApplicant:
		row, err := a.store.Applicant(ctx, subject)
		if errors.Is(err, store.ErrNotFound) {
			return Public, nil
		}
		if err != nil {
			return Public, err
		}
		var orgs []auth.Org
		_ = json.Unmarshal([]byte(row.Orgs), &orgs)
		p := auth.Principal{Kind: auth.KindApplicant, Subject: subject, PersonalIDHash: row.IDHash}
		for _, o := range orgs {
			p.Orgs = append(p.Orgs, o.EnterpriseCode)
		}
		return p, nil
	}
	return Public, nil
}

// AuthenticateToken returns the officer an API token belongs to. A missing, revoked or
// unknown token is KindUnauthenticated.
func (a *App) AuthenticateToken(ctx context.Context, token string) (auth.Principal, error) {
	bad := &Error{Kind: KindUnauthenticated, Code: "bad_token", MessageVI: "Mã truy cập API không hợp lệ hoặc đã bị thu hồi.", MessageEN: "The API token is invalid or revoked."}
	if !strings.HasPrefix(token, auth.APITokenPrefix) {
		return Public, bad
	}
	user, err := a.store.APITokenUser(ctx, auth.HashToken(token), a.now())
	if errors.Is(err, store.ErrNotFound) {
		return Public, bad
	}
	if err != nil {
		return Public, err
	}
	p, err := a.principal(ctx, auth.KindOfficer, user)
	if err != nil {
		return Public, err
	}
	if p.Kind != auth.KindOfficer {
		return Public, bad
	}
	return p, nil
}

// CreateAPIToken issues a token for an officer; the token is returned once and only its
// hash is stored.
func (a *App) CreateAPIToken(ctx context.Context, username, label string) (string, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if _, err := a.store.StaffAccount(ctx, username); err != nil {
		if errors.Is(err, auth.ErrUnknownAccount) {
			return "", &Error{Kind: KindNotFound, Code: "unknown_user", MessageVI: fmt.Sprintf("Không có cán bộ %q.", username), MessageEN: fmt.Sprintf("No officer %q.", username)}
		}
		return "", err
	}
	tok := auth.NewAPIToken()
	now := a.now()
	if err := a.store.CreateAPIToken(ctx, auth.HashToken(tok), username, label, now); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	if err := a.store.AppendAudit(ctx, store.AuditEntry{At: now, Actor: "cli", Action: "token.create", ObjectKind: "officer", ObjectKey: username, Detail: jsonString(map[string]string{"label": label})}); err != nil {
		return "", err
	}
	return tok, nil
}

// SignOut ends one browser's session.
func (a *App) SignOut(ctx context.Context, rawSession string) error {
	return a.id.sessions.End(ctx, rawSession)
}

// SignOutEverywhere ends every session of the principal.
func (a *App) SignOutEverywhere(ctx context.Context, p auth.Principal) error {
	if p.Kind == auth.KindPublic {
		return nil
	}
	return a.id.sessions.EndAll(ctx, p.Kind, p.Subject)
}

// StartAnonymousSession gives a visitor a pre-session so that forms (sign-in) carry a CSRF
// token; it is rotated at sign-in.
func (a *App) StartAnonymousSession(ctx context.Context) (string, error) {
	raw, _, err := a.id.sessions.Start(ctx, auth.KindPublic, "", 0, "", a.now())
	return raw, err
}

// relyingParty builds the OpenID relying party on first use.
func (a *App) relyingParty(ctx context.Context) (*auth.RelyingParty, error) {
	if a.id.oidcCfg == nil {
		return nil, &Error{Kind: KindNotFound, Code: "oidc_disabled", MessageVI: "Đăng nhập bằng định danh điện tử chưa được cấu hình.", MessageEN: "Electronic-identity sign-in is not configured."}
	}
	a.id.rpMu.Lock()
	defer a.id.rpMu.Unlock()
	if a.id.rp != nil {
		return a.id.rp, nil
	}
	cfg := *a.id.oidcCfg
	if cfg.Now == nil {
		cfg.Now = a.now
	}
	rp, err := auth.NewRelyingParty(ctx, cfg, a.store)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Code: "oidc_unavailable", MessageVI: "Không kết nối được hệ thống định danh điện tử. Vui lòng thử lại sau.", MessageEN: "The electronic-identity provider cannot be reached. Try again later.", Err: err}
	}
	a.id.rp = rp
	return rp, nil
}

// BeginApplicantSignIn starts the authorization code flow; the caller redirects to the URL
// and keeps flowID in a short-lived cookie.
func (a *App) BeginApplicantSignIn(ctx context.Context) (redirectURL, flowID string, err error) {
	rp, err := a.relyingParty(ctx)
	if err != nil {
		return "", "", err
	}
	return rp.Begin(ctx)
}

var errApplicantSignIn = &Error{Kind: KindUnauthenticated, Code: "oidc_failed", MessageVI: "Đăng nhập bằng định danh điện tử không thành công. Vui lòng thử lại.", MessageEN: "Electronic-identity sign-in failed. Please try again."}

// FinishApplicantSignIn completes the flow at the callback: the code is exchanged, the ID
// token verified, the applicant's identity stored with its personal ID sealed, and a session
// started with the assurance level of this sign-in.
func (a *App) FinishApplicantSignIn(ctx context.Context, flowID, code, state, providerError, oldSession string) (string, auth.Principal, error) {
	rp, err := a.relyingParty(ctx)
	if err != nil {
		return "", Public, err
	}
	if providerError != "" {
		err := rp.FinishError(ctx, flowID, state, providerError)
		return "", Public, &Error{Kind: errApplicantSignIn.Kind, Code: errApplicantSignIn.Code, MessageVI: errApplicantSignIn.MessageVI, MessageEN: errApplicantSignIn.MessageEN, Err: err}
	}
	ident, err := rp.Finish(ctx, flowID, code, state)
	if err != nil {
		a.log.Warn("applicant sign-in refused", "err", err)
		return "", Public, &Error{Kind: errApplicantSignIn.Kind, Code: errApplicantSignIn.Code, MessageVI: errApplicantSignIn.MessageVI, MessageEN: errApplicantSignIn.MessageEN, Err: err}
	}
	now := a.now()
	orgs, _ := json.Marshal(ident.Organizations)
	row := store.ApplicantRow{
		Subject:        ident.Subject,
		IDHash:         a.id.keys.BlindIndex(auth.PurposePersonalID, ident.PersonalID),
		IDSealed:       a.id.keys.Seal(auth.PurposePersonalID, ident.PersonalID),
		Name:           ident.Name,
		AssuranceLevel: ident.AssuranceLevel,
		Orgs:           string(orgs),
		UpdatedAt:      now,
	}
	if err := a.store.PutApplicant(ctx, row); err != nil {
		return "", Public, fmt.Errorf("store applicant: %w", err)
	}
	raw, _, err := a.id.sessions.Start(ctx, auth.KindApplicant, ident.Subject, ident.AssuranceLevel, oldSession, now)
	if err != nil {
		return "", Public, err
	}
	p := auth.Principal{Kind: auth.KindApplicant, Subject: ident.Subject, PersonalIDHash: row.IDHash}
	for _, o := range ident.Organizations {
		p.Orgs = append(p.Orgs, o.EnterpriseCode)
	}
	return raw, p, nil
}

// ApplicantProfile is what the portal shows a signed-in applicant about themselves.
type ApplicantProfile struct {
	Name           string
	PersonalID     string // opened for the applicant's own eyes only
	AssuranceLevel int
	Orgs           []auth.Org
}

// Applicant returns the signed-in applicant's profile.
func (a *App) Applicant(ctx context.Context, p auth.Principal) (ApplicantProfile, error) {
	if p.Kind != auth.KindApplicant {
		return ApplicantProfile{}, errSignInRequired
	}
	row, err := a.store.Applicant(ctx, p.Subject)
	if err != nil {
		return ApplicantProfile{}, fmt.Errorf("applicant: %w", err)
	}
	id, err := a.id.keys.Open(auth.PurposePersonalID, row.IDSealed)
	if err != nil {
		return ApplicantProfile{}, fmt.Errorf("applicant: open id: %w", err)
	}
	prof := ApplicantProfile{Name: row.Name, PersonalID: id, AssuranceLevel: row.AssuranceLevel}
	_ = json.Unmarshal([]byte(row.Orgs), &prof.Orgs)
	return prof, nil
}

var errSignInRequired = &Error{Kind: KindUnauthenticated, Code: "signin_required", MessageVI: "Vui lòng đăng nhập.", MessageEN: "Please sign in."}

// ResealAll re-encrypts every sealed value in the database with the keyring's primary key
// (after `motcua keys rotate` added a new one and saved the keyring). Values already under
// the primary key are left alone, so a run that was interrupted can simply be repeated.
func (a *App) ResealAll(ctx context.Context, progress func(done int)) (int, error) {
	keys := a.id.keys
	n, err := a.store.ResealAll(ctx, func(sealed string) (string, bool, error) {
		// The purpose is bound into each ciphertext; try each purpose we seal with.
		var lastErr error
		for _, purpose := range []string{auth.PurposePersonalID, auth.PurposePhone, auth.PurposeTOTPSecret, PurposeEmail, PurposeForm} {
			out, changed, err := keys.Reseal(purpose, sealed)
			if err == nil {
				return out, changed, nil
			}
			lastErr = err
		}
		return "", false, lastErr
	}, progress)
	if err != nil {
		return n, fmt.Errorf("reseal: %w", err)
	}
	if err := a.store.AppendAudit(ctx, store.AuditEntry{At: a.now(), Actor: "cli", Action: "keys.reseal", ObjectKind: "keyring", ObjectKey: fmt.Sprint(keys.Primary()), Detail: jsonString(map[string]int{"resealed": n})}); err != nil {
		return n, err
	}
	return n, nil
}

// PurposeEmail seals applicants' e-mail addresses on dossiers.
const PurposeEmail = "email"

// AccessLog returns the data-access log for inspectors (ActionViewAccessLog).
func (a *App) AccessLog(ctx context.Context, p auth.Principal, f store.AccessFilter) ([]store.AccessEntry, error) {
	if err := auth.Authorize(p, auth.ActionViewAccessLog, auth.Resource{}); err != nil {
		return nil, authzError(err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return a.store.AccessLog(ctx, f)
}

// authzError turns an auth decision into the app's error kinds: out of scope is "not found"
// (so codes of other units cannot be probed), in scope but not allowed is "forbidden".
func authzError(err error) error {
	switch {
	case errors.Is(err, auth.ErrNotFound):
		return &Error{Kind: KindNotFound, Code: "not_found", MessageVI: "Không tìm thấy.", MessageEN: "Not found.", Err: err}
	case errors.Is(err, auth.ErrForbidden):
		return &Error{Kind: KindForbidden, Code: "forbidden", MessageVI: "Bạn không có quyền thực hiện thao tác này.", MessageEN: "You are not allowed to do this.", Err: err}
	}
	return err
}

// jsonString encodes v for an audit entry's detail.
func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}
