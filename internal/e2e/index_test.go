package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestIndexPages opens the public statistics, the officers' index dashboard, a drill-down and
// the reports form in Chromium: a heading, no serious accessibility violation at desktop and
// phone widths, no horizontal scrolling on a phone, screenshots at both widths.
func TestIndexPages(t *testing.T) {
	site := Boot(t)
	check := func(t *testing.T, ctx context.Context, name, path string) {
		t.Helper()
		SetWidth(t, ctx, DesktopWidth)
		if got := Open(t, ctx, site.URL+path); got != 200 {
			t.Fatalf("GET %s: status %d", path, got)
		}
		if h1 := Text(t, ctx, "main h1"); h1 == "" {
			t.Errorf("%s: empty main heading", path)
		}
		AxeClean(t, ctx)
		Screenshot(t, ctx, name, DesktopWidth)
		NoHorizontalScroll(t, ctx)
		AxeClean(t, ctx)
		Screenshot(t, ctx, name, PhoneWidth)
	}
	t.Run("public-statistics", func(t *testing.T) {
		ctx := Tab(t)
		check(t, ctx, "index-public", "/thong-ke")
		if body := Text(t, ctx, "main"); !strings.Contains(body, "Hồ sơ giải quyết đúng hạn") || !strings.Contains(body, "Xã Tân Cương") {
			t.Errorf("/thong-ke: headline or unit missing")
		}
	})
	t.Run("officer-pages", func(t *testing.T) {
		ctx := Tab(t)
		SignInOfficer(t, ctx, site, "xa-tan-cuong.leader")
		defer SignOut(t, ctx)
		check(t, ctx, "index-dashboard", "/can-bo/chi-so?unit=xa-tan-cuong")
		// The chart is an image with a name, and its figures are in a table.
		named, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('svg.chart')].every(s => s.getAttribute('role') === 'img' && s.querySelector('title').textContent.length > 0)`))
		if err != nil || !named {
			t.Errorf("charts without role=img and a title (%v)", err)
		}
		// Follow the first drill-down link to the dossiers behind a figure.
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('a[href^="/can-bo/chi-so/ho-so"]') || {}).getAttribute ? document.querySelector('a[href^="/can-bo/chi-so/ho-so"]').getAttribute('href') : ""`))
		if err != nil || href == "" {
			t.Fatalf("no drill-down link (%v)", err)
		}
		check(t, ctx, "index-drill", href)
		check(t, ctx, "index-reports", "/can-bo/bao-cao?unit=xa-tan-cuong")
	})
}
