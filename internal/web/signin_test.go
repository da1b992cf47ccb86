package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// form loads a page and returns its CSRF token.
func (c *client) formToken(t *testing.T, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", c.s.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := csrfField.FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s has no CSRF field (%d)", path, resp.StatusCode)
	}
	return string(m[1])
}

// submitForm posts an HTML form without following the redirect.
func (c *client) submitForm(t *testing.T, path string, v url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", c.s.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	noFollow := *c.http
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.s.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == auth.SessionCookieName {
			return ck.Value
		}
	}
	return ""
}

func TestStaffSignInWithTOTP(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	site.Clock.Set(vn(2, 9, 0))
	c := site.public()
	tok := c.formToken(t, "/dang-nhap")
	pre := c.sessionCookie()
	// A POST without the token is refused, whatever it carries.
	if st, _, _ := c.submitForm(t, "/dang-nhap", url.Values{"username": {"xa-tan-cuong.desk"}, "password": {"pw"}}); st != http.StatusForbidden {
		t.Fatalf("sign-in without CSRF token: %d", st)
	}
	// A desk officer needs no second factor; the session ID is rotated at sign-in.
	st, loc, _ := c.submitForm(t, "/dang-nhap", url.Values{"csrf_token": {tok}, "username": {"xa-tan-cuong.desk"}, "password": {"pw"}})
	if st != http.StatusSeeOther || loc != "/can-bo" {
		t.Fatalf("desk sign-in: %d %s", st, loc)
	}
	if c.sessionCookie() == pre || c.sessionCookie() == "" {
		t.Fatal("the session ID was not rotated at sign-in")
	}

	// A leader must give the one-time code: the form asks for it, a wrong code fails, the
	// right one signs in, and the same code cannot be used twice.
	l := site.public()
	tok = l.formToken(t, "/dang-nhap")
	st, _, body := l.submitForm(t, "/dang-nhap", url.Values{"csrf_token": {tok}, "username": {"xa-tan-cuong.leader"}, "password": {"pw"}})
	if st != http.StatusOK || !strings.Contains(body, `name="code"`) {
		t.Fatalf("leader without code: %d, form asks for the code: %v", st, strings.Contains(body, `name="code"`))
	}
	st, _, body = l.submitForm(t, "/dang-nhap", url.Values{"csrf_token": {tok}, "username": {"xa-tan-cuong.leader"}, "password": {"pw"}, "code": {"000000"}})
	if st != http.StatusUnauthorized || !strings.Contains(body, auth.SignInFailedMessage) {
		t.Fatalf("leader with a wrong code: %d", st)
	}
	code, _ := auth.TOTPCode(app.DemoTOTPSecret, site.Clock.Now())
	ok := url.Values{"csrf_token": {tok}, "username": {"xa-tan-cuong.leader"}, "password": {"pw"}, "code": {code}}
	if st, loc, _ := l.submitForm(t, "/dang-nhap", ok); st != http.StatusSeeOther || loc != "/can-bo" {
		t.Fatalf("leader with the code: %d %s", st, loc)
	}
	replay := site.public()
	ok.Set("csrf_token", replay.formToken(t, "/dang-nhap"))
	if st, _, _ := replay.submitForm(t, "/dang-nhap", ok); st != http.StatusUnauthorized {
		t.Fatalf("replayed one-time code: %d, want 401", st)
	}

	// Sign out everywhere ends the leader's other sessions.
	other := site.public()
	site.Clock.Set(vn(2, 9, 1))
	code, _ = auth.TOTPCode(app.DemoTOTPSecret, site.Clock.Now())
	if st, _, _ := other.submitForm(t, "/dang-nhap", url.Values{"csrf_token": {other.formToken(t, "/dang-nhap")}, "username": {"xa-tan-cuong.leader"}, "password": {"pw"}, "code": {code}}); st != http.StatusSeeOther {
		t.Fatalf("second leader session: %d", st)
	}
	if st, _, _ := l.submitForm(t, "/dang-xuat-tat-ca", url.Values{"csrf_token": {auth.CSRFToken(site.App.CSRFKey(), l.sessionCookie())}}); st != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", st)
	}
	other.csrf = "x"
	if r := other.get("/api/v1/dossiers"); r.Status != http.StatusUnauthorized {
		t.Fatalf("other session after sign-out everywhere: %d", r.Status)
	}
}

func TestStaffSignInLockout(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	site.Clock.Set(vn(2, 9, 0))
	c := site.public()
	tok := c.formToken(t, "/dang-nhap")
	statuses := []int{}
	for i := 0; i < 12; i++ {
		st, _, _ := c.submitForm(t, "/dang-nhap", url.Values{"csrf_token": {tok}, "username": {"xa-tan-cuong.desk"}, "password": {"wrong"}})
		statuses = append(statuses, st)
	}
	// Two free failures, then growing delays refuse the next attempts at once (429).
	if statuses[0] != 401 || statuses[1] != 401 || statuses[2] != 401 || statuses[3] != 429 {
		t.Fatalf("statuses %v", statuses)
	}
	// Even the right password is refused while throttled.
	if st, _, body := c.submitForm(t, "/dang-nhap", url.Values{"csrf_token": {tok}, "username": {"xa-tan-cuong.desk"}, "password": {"pw"}}); st != 429 || !strings.Contains(body, "thử lại") {
		t.Fatalf("right password while throttled: %d", st)
	}
	site.Clock.Set(vn(2, 9, 30))
	if st, _, _ := c.submitForm(t, "/dang-nhap", url.Values{"csrf_token": {tok}, "username": {"xa-tan-cuong.desk"}, "password": {"pw"}}); st != http.StatusSeeOther {
		t.Fatalf("after the delay: %d", st)
	}
}

// TestApplicantSignInReplay: the OpenID callback works once; the same code and state again
// (a replay) are refused and start no session.
func TestApplicantSignInReplay(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	c := site.public()
	noFollow := *c.http
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.http.Get(site.URL + "/dang-nhap/vneid")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	form := resp.Request.URL.Query()
	form.Set("subject", "vneid-demo-0002")
	form.Set("decision", "allow")
	resp, err = noFollow.PostForm(site.URL+resp.Request.URL.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	if !strings.Contains(callback, "/dang-nhap/vneid/callback?") {
		t.Fatalf("provider redirect: %d %s", resp.StatusCode, callback)
	}
	get := func(cl *http.Client) int {
		req, _ := http.NewRequest("GET", callback, nil)
		req.Header.Set("Accept", "text/html")
		r, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	// A callback without the browser's flow cookie (another browser) is refused.
	stranger := site.public()
	if st := get(stranger.http); st != http.StatusUnauthorized {
		t.Fatalf("callback in another browser: %d", st)
	}
	u, _ := url.Parse(site.URL)
	flowID := ""
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == auth.FlowCookieName {
			flowID = ck.Value
		}
	}
	if flowID == "" {
		t.Fatal("no flow cookie")
	}
	if st := get(&noFollow); st != http.StatusSeeOther {
		t.Fatalf("first callback: %d", st)
	}
	c.csrf = auth.CSRFToken(site.App.CSRFKey(), c.sessionCookie())
	if r := c.get("/api/v1/dossiers"); r.Status != 200 {
		t.Fatalf("signed-in applicant lists dossiers: %d", r.Status)
	}
	// The same flow cookie, code and state again: the flow was consumed.
	replayer := site.public()
	replayer.http.Jar.SetCookies(u, []*http.Cookie{{Name: auth.FlowCookieName, Value: flowID}})
	if st := get(replayer.http); st != http.StatusUnauthorized {
		t.Fatalf("replayed callback: %d", st)
	}
}
