package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
)

// signinPage is the data of the sign-in page.
type signinPage struct {
	Next     string
	Username string
	AskCode  bool   // the password was right; ask for the one-time code
	Password string // kept (only) while asking for the code, so one form finishes sign-in
	Error    string
	VNeID    bool // applicant sign-in through the identity provider is available
	Demo     bool
	DemoCode string // the demo's current one-time code (demo only)
}

// safeNext keeps redirects on this site: only absolute paths, never "//host" or a scheme.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	return next
}

// ensureSession gives a visitor a pre-session so the sign-in form carries a CSRF token.
func (s *Server) ensureSession(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	if rawSession(r) != "" {
		return r, nil
	}
	raw, err := s.app.StartAnonymousSession(r.Context())
	if err != nil {
		return r, err
	}
	c := auth.SessionCookie(r, raw, 0, s.opt.TrustProxy && s.isTLS(r))
	http.SetCookie(w, c)
	r2 := r.Clone(r.Context())
	r2.Header.Set("Cookie", c.Name+"="+c.Value)
	return r2, nil
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) error {
	r, err := s.ensureSession(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, "signin", view{Title: tr(langOf(r), "signin.title"), Data: signinPage{Next: safeNext(r.URL.Query().Get("next")), VNeID: s.app.ApplicantSignInEnabled(), Demo: s.opt.Demo, DemoCode: s.demoCode()}})
}

func (s *Server) signinSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := allow(w, s.limits.signIn, "ip:"+s.clientIP(r)); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	page := signinPage{Next: safeNext(r.PostFormValue("next")), Username: strings.TrimSpace(r.PostFormValue("username")), VNeID: s.app.ApplicantSignInEnabled(), Demo: s.opt.Demo, DemoCode: s.demoCode()}
	raw, p, err := s.app.SignInStaff(r.Context(), page.Username, r.PostFormValue("password"), r.PostFormValue("code"), rawSessionCookie(r))
	if err != nil {
		var ae *app.Error
		if !errors.As(err, &ae) || ae.Kind == app.KindInternal {
			return err
		}
		status := http.StatusUnauthorized
		switch ae.Code {
		case app.CodeTOTPRequired:
			page.AskCode, page.Password = true, r.PostFormValue("password")
			if strings.TrimSpace(r.PostFormValue("code")) == "" {
				ae = nil
			}
			status = http.StatusOK
		case app.CodeThrottled:
			status = http.StatusTooManyRequests
		case app.CodeTOTPNotEnrolled:
			status = http.StatusForbidden
		}
		if ae != nil {
			page.Error = ae.MessageVI
			if langOf(r) == langEN && ae.MessageEN != "" {
				page.Error = ae.MessageEN
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		return s.renderStatusErr(w, r, status, "signin", view{Title: tr(langOf(r), "signin.title"), Data: page})
	}
	http.SetCookie(w, auth.SessionCookie(r, raw, 0, s.opt.TrustProxy && s.isTLS(r)))
	next := page.Next
	if next == "" {
		next = "/can-bo"
		if p.Kind == auth.KindApplicant {
			next = "/ho-so-cua-toi"
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// rawSessionCookie is the session cookie's value, live or not (rotated away at sign-in).
func rawSessionCookie(r *http.Request) string {
	raw, _ := auth.SessionIDFromRequest(r)
	return raw
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.SignOut(r.Context(), rawSessionCookie(r)); err != nil {
		return err
	}
	http.SetCookie(w, auth.ClearSessionCookie(r, s.opt.TrustProxy && s.isTLS(r)))
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) signoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.SignOutEverywhere(r.Context(), principalOf(r)); err != nil {
		return err
	}
	http.SetCookie(w, auth.ClearSessionCookie(r, s.opt.TrustProxy && s.isTLS(r)))
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// vneidBegin starts applicant sign-in at the identity provider.
func (s *Server) vneidBegin(w http.ResponseWriter, r *http.Request) error {
	if err := allow(w, s.limits.signIn, "ip:"+s.clientIP(r)); err != nil {
		return err
	}
	to, flowID, err := s.app.BeginApplicantSignIn(r.Context())
	if err != nil {
		return err
	}
	http.SetCookie(w, auth.FlowCookie(r, flowID, 10*time.Minute, s.opt.TrustProxy && s.isTLS(r)))
	if next := safeNext(r.URL.Query().Get("next")); next != "" {
		http.SetCookie(w, &http.Cookie{Name: "motcua_next", Value: next, Path: "/", MaxAge: 600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.opt.TrustProxy && s.isTLS(r)})
	}
	http.Redirect(w, r, to, http.StatusFound)
	return nil
}

// vneidCallback finishes applicant sign-in: code exchange, token verification, session.
func (s *Server) vneidCallback(w http.ResponseWriter, r *http.Request) error {
	flowID := ""
	if c, err := r.Cookie(auth.FlowCookieName); err == nil {
		flowID = c.Value
	}
	q := r.URL.Query()
	raw, _, err := s.app.FinishApplicantSignIn(r.Context(), flowID, q.Get("code"), q.Get("state"), q.Get("error"), rawSessionCookie(r))
	http.SetCookie(w, &http.Cookie{Name: auth.FlowCookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if err != nil {
		return err
	}
	http.SetCookie(w, auth.SessionCookie(r, raw, 0, s.opt.TrustProxy && s.isTLS(r)))
	next := "/ho-so-cua-toi"
	if c, err := r.Cookie("motcua_next"); err == nil && safeNext(c.Value) != "" {
		next = c.Value
		http.SetCookie(w, &http.Cookie{Name: "motcua_next", Value: "", Path: "/", MaxAge: -1})
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) demoCode() string {
	if !s.opt.Demo {
		return ""
	}
	return s.app.DemoTOTPCode()
}
