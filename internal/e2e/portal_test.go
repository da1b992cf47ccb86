package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/store"
)

func TestMain(m *testing.M) { Main(m) }

// published returns the seeded catalog in its default order.
func published(t *testing.T, site *Site) []*catalog.Procedure {
	t.Helper()
	ps, _, err := site.App.SearchProcedures(context.Background(), catalog.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) == 0 {
		t.Fatal("the seeded catalog is empty")
	}
	return ps
}

// longestName is the procedure whose name is longest: the hardest heading to fit on a phone.
func longestName(ps []*catalog.Procedure) *catalog.Procedure {
	best := ps[0]
	for _, p := range ps[1:] {
		if utf8.RuneCountInString(p.Name) > utf8.RuneCountInString(best.Name) {
			best = p
		}
	}
	return best
}

// TestPublicPages opens every public page in Chromium: the right status and a heading, no
// serious accessibility violation, no horizontal scrolling on a phone, and screenshots at phone
// and desktop widths.
func TestPublicPages(t *testing.T) {
	site := Boot(t)
	proc := longestName(published(t, site))
	pages := []struct {
		name, path string
		status     int
	}{
		{"home", "/", 200},
		{"catalog", "/thu-tuc", 200},
		{"catalog-search", "/thu-tuc?q=" + url.QueryEscape("chung thuc"), 200},
		{"procedure", "/thu-tuc/" + url.PathEscape(proc.Code), 200},
		{"calendar", "/lich-lam-viec", 200},
		{"not-found", "/khong-co-trang-nay", 404},
		{"signin", "/dang-nhap", 200},
		{"lookup", "/tra-cuu", 200},
		{"lookup-result", "/tra-cuu?ma=" + url.QueryEscape(receivedCode(t, site)), 200},
		{"lookup-unknown", "/tra-cuu?ma=000.00.00.H55-261102-9999", 200},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			t.Parallel()
			ctx := Tab(t)
			SetWidth(t, ctx, DesktopWidth)
			if got := Open(t, ctx, site.URL+pg.path); got != pg.status {
				t.Errorf("GET %s: status %d, want %d", pg.path, got, pg.status)
			}
			if h1 := Text(t, ctx, "main h1"); h1 == "" {
				t.Errorf("%s: empty main heading", pg.path)
			}
			if lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || lang != "vi" {
				t.Errorf("%s: <html lang> = %q (%v), want vi", pg.path, lang, err)
			}
			AxeClean(t, ctx)
			Screenshot(t, ctx, pg.name, DesktopWidth)
			NoHorizontalScroll(t, ctx)
			AxeClean(t, ctx) // at phone width: what is visible, and how, can change
			Screenshot(t, ctx, pg.name, PhoneWidth)
		})
	}
	// Every procedure page fits a phone, not only the one above: tables and long names differ.
	t.Run("every-procedure-at-360", func(t *testing.T) {
		t.Parallel()
		ctx := Tab(t)
		SetWidth(t, ctx, PhoneWidth)
		for _, p := range published(t, site) {
			if got := Open(t, ctx, site.URL+"/thu-tuc/"+url.PathEscape(p.Code)); got != 200 {
				t.Errorf("procedure %s: status %d", p.Code, got)
				continue
			}
			o, err := measure(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if o.Wide() {
				t.Errorf("procedure %s scrolls horizontally at %d px: scrollWidth %d, clientWidth %d, innerWidth %d; sticking out: %s",
					p.Code, PhoneWidth, o.ScrollWidth, o.ClientWidth, o.InnerWidth, strings.Join(o.Widest, ", "))
			}
		}
	})
}

// isASCII reports whether s has no diacritics left, as typed on a phone without Vietnamese
// input.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// TestSearchWithoutDiacritics is the applicant's first step on a phone: type a procedure's name
// without diacritics into the home page's search box, find the procedure, open its page.
func TestSearchWithoutDiacritics(t *testing.T) {
	site := Boot(t)
	// The shortest seeded name that has diacritics, folded as an applicant without a Vietnamese
	// keyboard would type it ("Đăng ký kết hôn" -> "dang ky ket hon").
	var want *catalog.Procedure
	for _, p := range published(t, site) {
		if !isASCII(p.Name) && (want == nil || utf8.RuneCountInString(p.Name) < utf8.RuneCountInString(want.Name)) {
			want = p
		}
	}
	if want == nil {
		t.Fatal("no seeded procedure name has diacritics")
	}
	query := catalog.Fold(want.Name)
	if !isASCII(query) || query == strings.ToLower(want.Name) {
		t.Fatalf("query %q is not %q without diacritics", query, want.Name)
	}
	t.Logf("searching %q for %s %q", query, want.Code, want.Name)

	ctx := Tab(t)
	SetWidth(t, ctx, PhoneWidth)
	if got := Open(t, ctx, site.URL+"/"); got != 200 {
		t.Fatalf("home: status %d", got)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("main form.search input[name=q]"), query, chromedp.NodeVisible)); err != nil {
		t.Fatalf("type the query: %v", err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`main form.search button[type=submit]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("submit the search: %v", err)
	}
	if resp.Status != 200 {
		t.Fatalf("search results: status %d", resp.Status)
	}
	u, err := url.Parse(Location(t, ctx))
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/thu-tuc" || u.Query().Get("q") != query {
		t.Errorf("results URL %s, want /thu-tuc?q=%s", u, url.QueryEscape(query))
	}
	link := `ul.results a[href="/thu-tuc/` + want.Code + `"]`
	if got := Text(t, ctx, link); got != want.Name {
		t.Errorf("result link text %q, want %q", got, want.Name)
	}
	Screenshot(t, ctx, "search-results", PhoneWidth)

	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(link), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("open the result: %v", err)
	}
	if resp.Status != 200 {
		t.Fatalf("procedure page: status %d", resp.Status)
	}
	if u, err := url.Parse(Location(t, ctx)); err != nil || u.Path != "/thu-tuc/"+want.Code {
		t.Errorf("landed on %v (%v), want /thu-tuc/%s", u, err, want.Code)
	}
	if got := Text(t, ctx, "main h1"); got != want.Name {
		t.Errorf("procedure page heading %q, want %q", got, want.Name)
	}
}

// TestHarnessSeesProblems checks the checks: on a page broken on purpose, axe reports the
// critical violations and the width check sees the overflow. Without this, a harness that
// silently checked nothing would pass every page.
func TestHarnessSeesProblems(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)
	SetWidth(t, ctx, PhoneWidth)
	if got := Open(t, ctx, site.URL+"/"); got != 200 {
		t.Fatalf("home: status %d", got)
	}
	before, err := measure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before.Wide() || before.ClientWidth != PhoneWidth {
		t.Fatalf("home page before breaking it: %+v, want %d px wide without overflow", before, PhoneWidth)
	}
	// DevTools evaluation is not subject to the page's CSP, so this runs despite script-src 'self'.
	breakPage := `(() => {
	  const m = document.querySelector('main');
	  const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; m.append(img);
	  const b = document.createElement('button'); m.append(b);
	  const wide = document.createElement('div'); wide.id = 'too-wide'; wide.textContent = 'x'; wide.style.width = '600px'; m.append(wide);
	})()`
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](breakPage)); err != nil {
		t.Fatal(err)
	}
	after, err := measure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Wide() {
		t.Errorf("a 600 px element at %d px: no overflow measured: %+v", PhoneWidth, after)
	}
	if !strings.Contains(strings.Join(after.Widest, " "), "div#too-wide") {
		t.Errorf("overflow culprits %q do not name div#too-wide", after.Widest)
	}
	found := map[string]bool{}
	for _, v := range Axe(t, ctx) {
		if v.Serious() {
			found[v.Rule] = true
		}
	}
	for _, rule := range []string{"image-alt", "button-name"} {
		if !found[rule] {
			t.Errorf("axe did not report %s as serious or critical; got %v", rule, found)
		}
	}
}

// receivedCode is the code of one of the demo's received dossiers.
func receivedCode(t *testing.T, site *Site) string {
	t.Helper()
	rows, _, err := site.Store.Dossiers(context.Background(), store.DossierFilter{Scope: auth.DossierScope{All: true}, State: []string{"received"}, Limit: 1})
	if err != nil || len(rows) == 0 || rows[0].Code == "" {
		t.Fatalf("no received demo dossier: %v", err)
	}
	return rows[0].Code
}
