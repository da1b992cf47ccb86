package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// langCookieOf returns the motcua_lang cookie a response sets (nil when none).
func langCookieOf(h http.Header) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "motcua_lang" {
			return c
		}
	}
	return nil
}

// TestLanguageSwitch: ?lang=en sets the cookie and renders in English, the cookie keeps the
// choice on the next pages, ?lang=vi switches back; Accept-Language never chooses.
func TestLanguageSwitch(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	c := site.public()

	// Vietnamese first, whatever the browser prefers.
	r := c.do("GET", "/", nil, map[string]string{"Accept": "text/html", "Accept-Language": "en-US,en;q=0.9"})
	body := string(r.Body)
	if r.Status != 200 || !strings.Contains(body, `<html lang="vi">`) || !strings.Contains(body, "Cổng dịch vụ công") || langCookieOf(r.Header) != nil {
		t.Fatalf("default page: %d, cookie %v: %.600s", r.Status, langCookieOf(r.Header), body)
	}
	if !strings.Contains(body, `href="/?lang=en" hreflang="en" lang="en">English</a>`) {
		t.Errorf("no English switch on the Vietnamese page: %.1500s", body)
	}

	r = c.do("GET", "/?lang=en", nil, map[string]string{"Accept": "text/html"})
	body = string(r.Body)
	ck := langCookieOf(r.Header)
	if ck == nil || ck.Value != "en" || ck.MaxAge != 365*24*3600 || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Fatalf("cookie after ?lang=en: %+v", ck)
	}
	for _, want := range []string{`<html lang="en">`, "Public service portal", "Skip to main content", `aria-label="Main navigation"`,
		"Administrative procedures", "Track a dossier", ">Sign in<", "Open-source software.",
		`href="/?lang=vi" hreflang="vi" lang="vi">Tiếng Việt</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("English home page lacks %q", want)
		}
	}
	if strings.Contains(body, "Bỏ qua, đến nội dung chính") || strings.Contains(body, "Tra cứu hồ sơ") {
		t.Errorf("English home page still has Vietnamese chrome")
	}
	if got := r.Header.Get("Content-Language"); got != "en" {
		t.Errorf("Content-Language %q", got)
	}

	// The cookie carries the choice; the switch keeps the path and the query.
	r = c.do("GET", "/thu-tuc?q=khai+sinh&level=commune", nil, map[string]string{"Accept": "text/html"})
	body = string(r.Body)
	if langCookieOf(r.Header) != nil {
		t.Error("a page without ?lang= set the cookie again")
	}
	for _, want := range []string{`<html lang="en">`, "<h1>Administrative procedures</h1>", "procedures matching “khai sinh”", "All fields", "Commune level",
		`href="/thu-tuc?lang=vi&amp;level=commune&amp;q=khai&#43;sinh" hreflang="vi"`} {
		if !strings.Contains(body, want) {
			t.Errorf("English catalog lacks %q", want)
		}
	}
	r = c.do("GET", "/thu-tuc/HKD.01", nil, map[string]string{"Accept": "text/html"})
	for _, want := range []string{"Required documents", "Processing time", "Legal basis", "Submit online"} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("English procedure page lacks %q", want)
		}
	}
	r = c.do("GET", "/tra-cuu?ma=000.00.00.H55-261126-9999", nil, map[string]string{"Accept": "text/html"})
	if !strings.Contains(string(r.Body), "No dossier has this code.") || !strings.Contains(string(r.Body), "Dossier code (printed on the receipt)") {
		t.Errorf("English look-up: %.2000s", r.Body)
	}

	// Error pages show the English message first, the Vietnamese one marked as such.
	r = c.do("GET", "/thu-tuc/KHONG.CO", nil, map[string]string{"Accept": "text/html"})
	body = string(r.Body)
	if r.Status != 404 || !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, `<p lang="vi" class="muted">`) || !strings.Contains(body, "Back to the home page") {
		t.Errorf("English error page: %d %.2000s", r.Status, body)
	}

	// Back to Vietnamese.
	r = c.do("GET", "/thu-tuc?lang=vi", nil, map[string]string{"Accept": "text/html"})
	if ck := langCookieOf(r.Header); ck == nil || ck.Value != "vi" {
		t.Fatalf("cookie after ?lang=vi: %+v", ck)
	}
	r = c.do("GET", "/", nil, map[string]string{"Accept": "text/html"})
	if body := string(r.Body); !strings.Contains(body, `<html lang="vi">`) || !strings.Contains(body, "Cổng dịch vụ công") {
		t.Errorf("after switching back: %.600s", body)
	}

	// An unknown language changes nothing.
	r = c.do("GET", "/?lang=fr", nil, map[string]string{"Accept": "text/html"})
	if langCookieOf(r.Header) != nil || !strings.Contains(string(r.Body), `<html lang="vi">`) {
		t.Errorf("?lang=fr: cookie %v", langCookieOf(r.Header))
	}
}

// TestLanguageSignIn: the sign-in page and its errors in English; a page answering a POST
// switches language through the GET page of the same path.
func TestLanguageSignIn(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	c := site.public()
	r := c.do("GET", "/dang-nhap?lang=en", nil, map[string]string{"Accept": "text/html"})
	body := string(r.Body)
	for _, want := range []string{"<h1>Sign in</h1>", "User name", "Password", "Sign in with VNeID"} {
		if !strings.Contains(body, want) {
			t.Errorf("English sign-in page lacks %q", want)
		}
	}
	csrf := csrfField.FindStringSubmatch(body)
	if csrf == nil {
		t.Fatalf("no csrf field: %.2000s", body)
	}
	form := url.Values{"csrf_token": {csrf[1]}, "username": {"xa-tan-cuong.desk"}, "password": {"wrong"}}
	r = c.do("POST", "/dang-nhap", strings.NewReader(form.Encode()), map[string]string{"Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded"})
	body = string(r.Body)
	if r.Status != http.StatusUnauthorized || !strings.Contains(body, `<html lang="en">`) || strings.Contains(body, "Tên đăng nhập hoặc mật khẩu") {
		t.Errorf("failed sign-in in English: %d %.3000s", r.Status, body)
	}
	if !strings.Contains(body, `href="/dang-nhap?lang=vi" hreflang="vi"`) {
		t.Errorf("switch on a POST answer does not lead to the GET page: %.1500s", body)
	}
}

// TestLanguageApplicantAndConsole: "my dossiers", the dossier page and the console's work
// queues in English; the procedure's own texts stay Vietnamese.
func TestLanguageApplicantAndConsole(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	an := site.applicant("vneid-demo-0001")
	id := portalSubmitHKD(t, an)
	an.portalBrowse("GET", "/?lang=en", nil, "")

	r := an.portalBrowse("GET", "/ho-so-cua-toi", nil, "")
	for _, want := range []string{"<h1>My dossiers</h1>", "Dossiers 1–1 of 1.", "Submitted, awaiting reception", "Not yet (awaiting reception)", ">Sign out<", "My dossiers</a>"} {
		if !r.has(want) {
			t.Errorf("English my dossiers lacks %q", want)
		}
	}
	r = an.portalBrowse("GET", "/ho-so-cua-toi/"+id, nil, "")
	for _, want := range []string{"Dossier awaiting reception", "Progress", "Dossier submitted", "Documents submitted", "Withdraw the dossier", "Handling authority", "Xã Tân Cương"} {
		if !r.has(want) {
			t.Errorf("English dossier page lacks %q", want)
		}
	}

	desk := site.officer("xa-tan-cuong.desk")
	r2 := desk.csHTML("/can-bo?lang=en")
	for _, want := range []string{`<html lang="en">`, "<h1>Workbench</h1>", "Work queues", "To receive", "All statuses", "Only dossiers assigned to me", "Submitted, awaiting reception", "No code yet"} {
		if !strings.Contains(r2.Body, want) {
			t.Errorf("English console lacks %q", want)
		}
	}
	r2 = desk.csHTML("/can-bo?lang=en&han-truoc=hom-nay")
	if !strings.Contains(r2.Body, "Invalid date (year-month-day).") {
		t.Errorf("English console error: %.3000s", r2.Body)
	}
}
