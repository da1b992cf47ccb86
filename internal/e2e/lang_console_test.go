package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestConsolePagesInEnglish: the working calendar, the counter reception form and a dossier
// page of the console in English, each checked with axe and screenshotted at 1280 and 360 px.
// Not parallel: the language cookie and the sign-in are shared by every tab.
func TestConsolePagesInEnglish(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)
	// Leave a signed-out, Vietnamese browser for the other tests (runs before the tab closes).
	t.Cleanup(func() {
		SignOut(t, ctx)
		_, _ = chromedp.Run(ctx, chromedp.NavigateResponse(site.URL+"/?lang=vi"))
	})
	SetWidth(t, ctx, DesktopWidth)

	if got := Open(t, ctx, site.URL+"/lich-lam-viec?year=2026&lang=en"); got != 200 {
		t.Fatalf("calendar: %d", got)
	}
	if h1, lang := Text(t, ctx, "main h1"), htmlLang(t, ctx); h1 != "Working calendar of the administrative agencies, 2026" || lang != "en" {
		t.Errorf("calendar: %q in %q", h1, lang)
	}
	if legend := Text(t, ctx, ".legend-list"); !strings.Contains(legend, "Public holiday (off)") {
		t.Errorf("calendar legend %q", legend)
	}
	consoleCheckPage(t, ctx, "calendar-en")

	// Signing in keeps the language (the cookie is not the session's).
	SignInOfficer(t, ctx, site, "xa-tan-cuong.desk")
	if got := Open(t, ctx, site.URL+"/can-bo/tiep-nhan?thu-tuc=HKD.01&lang=en"); got != 200 {
		t.Fatalf("reception: %d", got)
	}
	if h1, lang := Text(t, ctx, "main h1"), htmlLang(t, ctx); h1 != "Receive a dossier at the desk" || lang != "en" {
		t.Errorf("reception: %q in %q", h1, lang)
	}
	if cl := Text(t, ctx, ".checklist legend"); cl != "Document checklist" {
		t.Errorf("checklist legend %q", cl)
	}
	consoleCheckPage(t, ctx, "console-reception-en")

	// A demo dossier of the desk's queue.
	Open(t, ctx, site.URL+"/can-bo")
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.dossier-list a') || {}).href || ''`))
	if err != nil || href == "" {
		t.Fatalf("no dossier in the desk's queue: %v", err)
	}
	if got := Open(t, ctx, href); got != 200 {
		t.Fatalf("dossier %s: %d", href, got)
	}
	if h1, lang := Text(t, ctx, "main h1"), htmlLang(t, ctx); !strings.HasPrefix(h1, "Dossier") || lang != "en" {
		t.Errorf("dossier page: %q in %q", h1, lang)
	}
	if h := Text(t, ctx, "#actions-h"); h != "Available actions" {
		t.Errorf("actions heading %q", h)
	}
	consoleCheckPage(t, ctx, "console-dossier-en")
}
