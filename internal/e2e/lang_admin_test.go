package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAdminKioskIndexPagesInEnglish: the public statistics, the ticket machine and the
// administration console's officers page in English, each checked with axe at 1280 and 360 px,
// without horizontal scrolling on a phone, and screenshotted at both widths. Not parallel: the
// language cookie and the sign-in are shared by every tab.
func TestAdminKioskIndexPagesInEnglish(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)
	// Leave a signed-out, Vietnamese browser for the other tests (runs before the tab closes).
	t.Cleanup(func() {
		SignOut(t, ctx)
		_, _ = chromedp.Run(ctx, chromedp.NavigateResponse(site.URL+"/?lang=vi"))
	})
	check := func(t *testing.T, name string) {
		t.Helper()
		if lang := htmlLang(t, ctx); lang != "en" {
			t.Errorf("%s: <html lang=%q>", name, lang)
		}
		SetWidth(t, ctx, DesktopWidth)
		AxeClean(t, ctx)
		Screenshot(t, ctx, name, DesktopWidth)
		SetWidth(t, ctx, PhoneWidth)
		NoHorizontalScroll(t, ctx)
		AxeClean(t, ctx)
		Screenshot(t, ctx, name, PhoneWidth)
		SetWidth(t, ctx, DesktopWidth)
	}
	SetWidth(t, ctx, DesktopWidth)

	if got := Open(t, ctx, site.URL+"/thong-ke?kind=year&year=2026&lang=en"); got != 200 {
		t.Fatalf("statistics: %d", got)
	}
	if h1 := Text(t, ctx, "main h1"); h1 != "Statistics of the index of service to citizens and businesses" {
		t.Errorf("statistics h1 %q", h1)
	}
	if legend := Text(t, ctx, "fieldset.period legend"); legend != "Reporting period" {
		t.Errorf("period legend %q", legend)
	}
	check(t, "statistics-en")

	if got := Open(t, ctx, site.URL+"/quay/xa-tan-cuong/lay-so?lang=en"); got != 200 {
		t.Fatalf("ticket machine: %d", got)
	}
	if h1 := Text(t, ctx, "main h1"); h1 != "Take a number" {
		t.Errorf("ticket machine h1 %q", h1)
	}
	check(t, "kiosk-ticket-en")

	SignInOfficer(t, ctx, site, "admin")
	if got := Open(t, ctx, site.URL+"/quan-tri/can-bo?don-vi=xa-tan-cuong&u=xa-tan-cuong.leader&lang=en"); got != 200 {
		t.Fatalf("officers: %d", got)
	}
	if h1 := Text(t, ctx, "main h1"); h1 != "Officers" {
		t.Errorf("officers h1 %q", h1)
	}
	if nav := Text(t, ctx, "nav.admin-nav"); !strings.Contains(nav, "Working calendar") || !strings.Contains(nav, "Change log") {
		t.Errorf("admin navigation %q", nav)
	}
	check(t, "admin-officers-en")
}
