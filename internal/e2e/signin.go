package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// SignInOfficer signs an officer in through the sign-in form of the tab's browser, with the
// demo password and, when the form asks for it, the demo's current one-time code.
func SignInOfficer(t testing.TB, ctx context.Context, site *Site, username string) {
	t.Helper()
	Open(t, ctx, site.URL+"/dang-nhap")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#username`), username, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(`#password`), DemoPassword, chromedp.NodeVisible),
	); err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/dang-nhap"] button[type=submit]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("sign in %s: submit: %v", username, err)
	}
	hasCode, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#code')`))
	if err != nil {
		t.Fatal(err)
	}
	if hasCode {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#code`), site.App.DemoTOTPCode(), chromedp.NodeVisible)); err != nil {
			t.Fatalf("sign in %s: one-time code: %v", username, err)
		}
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/dang-nhap"] button[type=submit]`), chromedp.NodeVisible)); err != nil {
			t.Fatalf("sign in %s: submit code: %v", username, err)
		}
	}
	if loc := Location(t, ctx); strings.Contains(loc, "/dang-nhap") {
		t.Fatalf("sign in %s: still on %s", username, loc)
	}
}

// SignInApplicant signs a demo person (idp.DemoPeople subject, e.g. "vneid-demo-0001") in
// through the embedded identity provider: the real redirect, the provider's page and the
// callback.
func SignInApplicant(t testing.TB, ctx context.Context, site *Site, subject string) {
	t.Helper()
	Open(t, ctx, site.URL+"/dang-nhap/vneid")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="subject"][value="`+subject+`"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("applicant sign-in %s: choose: %v", subject, err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button[name="decision"][value="allow"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("applicant sign-in %s: %v", subject, err)
	}
	if loc := Location(t, ctx); strings.Contains(loc, "/idp/") || strings.Contains(loc, "/dang-nhap") {
		t.Fatalf("applicant sign-in %s: still on %s", subject, loc)
	}
}

// SignOut clears the browser's cookies. Every tab of the shared browser shares them: use one
// signed-in user at a time, and sign out between users.
func SignOut(t testing.TB, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}
