package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/auth/idp"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/web"
)

// clock is a settable clock shared by the application and the embedded identity provider.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// vn builds a Vietnam wall-clock time in November 2026 (2 November is a Monday).
func vn(day, hour, min int) time.Time {
	return time.Date(2026, 11, day, hour, min, 0, 0, calendar.VN)
}

// site is a whole seeded MotCua behind a real HTTP server: the real router, app and store,
// the demo's embedded identity provider at /idp, demo officers with password "pw".
type site struct {
	t     testing.TB
	URL   string
	App   *app.App
	Store *store.Store
	Clock *clock
	srv   *web.Server
}

func newSite(t testing.TB, s *store.Store) *site {
	t.Helper()
	ck := &clock{t: vn(2, 9, 0)}
	ctx := context.Background()
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	redirect := hs.URL + "/dang-nhap/vneid/callback"
	provider, err := idp.New(idp.Config{Issuer: hs.URL + "/idp", Now: ck.Now, Clients: []idp.Client{{ID: "motcua", Secret: "s3cret", RedirectURIs: []string{redirect}}}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(s, app.Options{Now: ck.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Keyring: auth.GenerateKeyring(), BaseURL: hs.URL,
		OIDC: &auth.OIDCConfig{Issuer: hs.URL + "/idp", ClientID: "motcua", ClientSecret: "s3cret", RedirectURL: redirect}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportUnits(ctx, "test", seed.Units()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportProcedures(ctx, "test", seed.Procedures()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateDemoOfficers(ctx, "pw"); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(a, web.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), IDP: provider, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/", srv)
	return &site{t: t, URL: hs.URL, App: a, Store: s, Clock: ck, srv: srv}
}

// client is one user agent: an officer with an API token, an applicant with a browser
// session (cookie + CSRF token), or the public.
type client struct {
	s     *site
	name  string
	token string
	http  *http.Client
	csrf  string
}

func (s *site) public() *client {
	jar, _ := cookiejar.New(nil)
	return &client{s: s, name: "public", http: &http.Client{Jar: jar}}
}

// officer returns a client authenticated with a fresh API token of username.
func (s *site) officer(username string) *client {
	s.t.Helper()
	tok, err := s.App.CreateAPIToken(context.Background(), username, "test")
	if err != nil {
		s.t.Fatalf("token for %s: %v", username, err)
	}
	c := s.public()
	c.name, c.token = username, tok
	return c
}

// applicant signs a demo person in through the embedded OpenID provider: the real redirect,
// the provider's consent form, the code exchange and the ID token verification.
func (s *site) applicant(subject string) *client {
	s.t.Helper()
	c := s.public()
	c.name = subject
	resp, err := c.http.Get(s.URL + "/dang-nhap/vneid")
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Request.URL.Path, "/idp/") {
		s.t.Fatalf("begin sign-in: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	form := resp.Request.URL.Query()
	form.Set("subject", subject)
	form.Set("decision", "allow")
	resp, err = c.http.PostForm(s.URL+resp.Request.URL.Path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(s.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == auth.SessionCookieName {
			c.csrf = auth.CSRFToken(s.App.CSRFKey(), ck.Value)
		}
	}
	if c.csrf == "" {
		s.t.Fatalf("applicant %s: no session after the OIDC callback (last: %d %s)", subject, resp.StatusCode, resp.Request.URL)
	}
	return c
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.Status, r.Body)
	}
	return m
}

func (c *client) do(method, path string, body io.Reader, header map[string]string) response {
	c.s.t.Helper()
	req, err := http.NewRequest(method, c.s.URL+path, body)
	if err != nil {
		c.s.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.csrf != "" {
		req.Header.Set(auth.CSRFHeader, c.csrf)
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func (c *client) get(path string) response { return c.do("GET", path, nil, nil) }

func (c *client) post(path string, v any, header map[string]string) response {
	var b []byte
	switch x := v.(type) {
	case nil:
	case string:
		b = []byte(x)
	default:
		b, _ = json.Marshal(v)
	}
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range header {
		h[k] = v
	}
	return c.do("POST", path, bytes.NewReader(b), h)
}

// upload posts a file as multipart with extra fields.
func (c *client) upload(path, name string, content []byte, fields map[string]string) response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	mw.Close()
	return c.do("POST", path, &buf, map[string]string{"Content-Type": mw.FormDataContentType()})
}

// act runs an action and checks the status.
func (c *client) act(t *testing.T, ref, action string, body any, want int) map[string]any {
	t.Helper()
	r := c.post("/api/v1/dossiers/"+ref+"/actions/"+action, body, nil)
	if r.Status != want {
		t.Fatalf("%s %s by %s: status %d, want %d: %s", action, ref, c.name, r.Status, want, r.Body)
	}
	return r.json(t)
}

// pdfBytes is a small valid-looking PDF document.
func pdfBytes(text string) []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% " + text + "\ntrailer<</Root 1 0 R>>\n%%EOF\n")
}

// pdfText extracts a PDF's text with Poppler's pdftotext (installed by scripts/test), with
// whitespace collapsed. Without the tool it returns "" (and the caller skips its text checks),
// except with CI=true, where the tool is required.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required when CI=true (apt-get install poppler-utils)")
		}
		t.Log("pdftotext not installed: PDF text not checked")
		return ""
	}
	cmd := exec.Command(path, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func vnZone() *time.Location { return calendar.VN }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
