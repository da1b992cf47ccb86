package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// htmlLang returns document.documentElement.lang of the current page.
func htmlLang(t testing.TB, ctx context.Context) string {
	t.Helper()
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		t.Fatalf("read <html lang>: %v", err)
	}
	return lang
}

// clickSwitch follows the language switch of the header and checks the page loaded.
func clickSwitch(t testing.TB, ctx context.Context, hreflang string) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`header a[hreflang="`+hreflang+`"]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("click the %s switch: %v", hreflang, err)
	}
	if resp == nil || resp.Status != 200 {
		t.Fatalf("after the %s switch: %+v", hreflang, resp)
	}
}

// TestLanguageSwitchInBrowser: a visitor on the (Vietnamese) home page clicks "English": the
// page, its chrome and <html lang> turn English and stay English on the next page; "Tiếng
// Việt" brings Vietnamese back. Not parallel: the language cookie is shared by every tab.
func TestLanguageSwitchInBrowser(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)
	// Leave Vietnamese for the other tests, whatever happens here (runs before the tab closes).
	t.Cleanup(func() { _, _ = chromedp.Run(ctx, chromedp.NavigateResponse(site.URL+"/?lang=vi")) })
	SetWidth(t, ctx, DesktopWidth)
	if got := Open(t, ctx, site.URL+"/"); got != 200 {
		t.Fatalf("home: %d", got)
	}
	if lang := htmlLang(t, ctx); lang != "vi" {
		t.Fatalf("home starts in %q, want vi", lang)
	}
	if got := Text(t, ctx, `header a[hreflang="en"]`); got != "English" {
		t.Fatalf("switch reads %q", got)
	}

	clickSwitch(t, ctx, "en")
	if lang := htmlLang(t, ctx); lang != "en" {
		t.Errorf("after the switch <html lang> = %q, want en", lang)
	}
	if h1 := Text(t, ctx, "main h1"); !strings.HasPrefix(h1, "Public service portal") {
		t.Errorf("English home heading %q", h1)
	}
	if nav := Text(t, ctx, "header nav"); !strings.Contains(nav, "Administrative procedures") || !strings.Contains(nav, "Tiếng Việt") {
		t.Errorf("English navigation %q", nav)
	}
	AxeClean(t, ctx)
	Screenshot(t, ctx, "home-en", DesktopWidth)
	NoHorizontalScroll(t, ctx)
	AxeClean(t, ctx)
	Screenshot(t, ctx, "home-en", PhoneWidth)

	// The choice holds on the next page (cookie), with the procedure data still Vietnamese.
	if got := Open(t, ctx, site.URL+"/thu-tuc"); got != 200 {
		t.Fatalf("catalog: %d", got)
	}
	if h1, lang := Text(t, ctx, "main h1"), htmlLang(t, ctx); h1 != "Administrative procedures" || lang != "en" {
		t.Errorf("catalog after the switch: %q in %q", h1, lang)
	}

	// And back, from a phone this time.
	SetWidth(t, ctx, PhoneWidth)
	clickSwitch(t, ctx, "vi")
	if loc := Location(t, ctx); !strings.Contains(loc, "/thu-tuc") {
		t.Errorf("switching back left the page: %s", loc)
	}
	if h1, lang := Text(t, ctx, "main h1"), htmlLang(t, ctx); h1 != "Thủ tục hành chính" || lang != "vi" {
		t.Errorf("after switching back: %q in %q", h1, lang)
	}
	if got := Open(t, ctx, site.URL+"/"); got != 200 || htmlLang(t, ctx) != "vi" {
		t.Errorf("home after switching back: %d, lang %q", got, htmlLang(t, ctx))
	}
}
