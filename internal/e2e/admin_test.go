package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAdminPages opens the administration console as the system administrator: every page,
// then the calendar and officer forms refused with errors shown next to their fields. Each
// state has no serious accessibility violation at desktop and phone width, no horizontal
// scrolling on a phone, and screenshots at both widths.
func TestAdminPages(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)
	SetWidth(t, ctx, DesktopWidth)
	SignInOfficer(t, ctx, site, "admin")

	check := func(t *testing.T, name string) {
		t.Helper()
		if h1 := Text(t, ctx, "main h1"); h1 == "" {
			t.Errorf("%s: empty main heading", name)
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
	pages := []struct{ name, path string }{
		{"admin-home", "/quan-tri"},
		{"admin-calendar", "/quan-tri/lich?year=2026"},
		{"admin-units", "/quan-tri/don-vi"},
		{"admin-unit", "/quan-tri/don-vi/xa-tan-cuong"},
		{"admin-officers", "/quan-tri/can-bo?don-vi=xa-tan-cuong&u=xa-tan-cuong.leader"},
		{"admin-audit", "/quan-tri/nhat-ky"},
		{"admin-procedures", "/quan-tri/thu-tuc"},
		{"admin-procedure", "/quan-tri/thu-tuc/HKD.01?quay=xa-dai-phuc&noi-giai-quyet=xa-tan-cuong"},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			if got := Open(t, ctx, site.URL+pg.path); got != 200 {
				t.Fatalf("GET %s: status %d", pg.path, got)
			}
			check(t, pg.name)
		})
	}

	t.Run("calendar-labels", func(t *testing.T) {
		Open(t, ctx, site.URL+"/quan-tri/lich?year=2026")
		// The day kinds are in text: a visible mark and a label for screen readers.
		label := Text(t, ctx, `[data-date="2026-01-02"] .visually-hidden`)
		if !strings.Contains(label, "nghỉ bù") {
			t.Errorf("2 January 2026 is labelled %q", label)
		}
		if mark := Text(t, ctx, `[data-date="2026-01-10"] .mark`); mark != "Làm bù" {
			t.Errorf("10 January 2026 (a Saturday worked) shows %q", mark)
		}
	})

	t.Run("calendar-refused", func(t *testing.T) {
		Open(t, ctx, site.URL+"/quan-tri/lich?year=2026")
		bad := `{"year": 2027, "days_off": [{"date": "2028-01-01", "kind": "holiday", "name": "Sai năm"}], "working_days": []}`
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS(`#notice`), bad),
		); err != nil {
			t.Fatal(err)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action^="/quan-tri/lich"] button[type=submit]`), chromedp.NodeVisible))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 400 {
			t.Errorf("refused notice: status %d, want 400", resp.Status)
		}
		if msg := Text(t, ctx, "#notice-error"); !strings.Contains(msg, "không hợp lệ") {
			t.Errorf("field error %q", msg)
		}
		kept, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#notice').value`))
		if err != nil || kept != bad {
			t.Errorf("the form did not keep the notice (%v): %q", err, kept)
		}
		check(t, "admin-calendar-refused")
	})

	t.Run("officer-refused", func(t *testing.T) {
		Open(t, ctx, site.URL+"/quan-tri/can-bo?don-vi=xa-tan-cuong")
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.CSS(`#n-username`), "Tên Sai", chromedp.NodeVisible),
			chromedp.SendKeys(chromedp.CSS(`#n-name`), "Lê Văn Cường", chromedp.NodeVisible),
			chromedp.SendKeys(chromedp.CSS(`#n-password`), "ngan", chromedp.NodeVisible),
		); err != nil {
			t.Fatal(err)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/quan-tri/can-bo"][method="post"] button[type=submit]`), chromedp.NodeVisible))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 400 {
			t.Errorf("refused officer: status %d, want 400", resp.Status)
		}
		for _, sel := range []string{"#n-username-error", "#n-password-error", "#n-role-error"} {
			if Text(t, ctx, sel) == "" {
				t.Errorf("no error at %s", sel)
			}
		}
		if name, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#n-name').value`)); name != "Lê Văn Cường" {
			t.Errorf("the form lost the name: %q", name)
		}
		check(t, "admin-officers-refused")
	})
}
