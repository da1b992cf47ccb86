package e2e

import (
	"strings"
	"testing"
)

// TestSignInHelpers: an officer with a second factor and an applicant through the identity
// provider both reach a signed-in page in the browser.
func TestSignInHelpers(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)
	SignInOfficer(t, ctx, site, "xa-tan-cuong.leader")
	if body := Text(t, ctx, "header"); !strings.Contains(body, "Đăng xuất") {
		t.Fatalf("officer header: %q", body)
	}
	SignOut(t, ctx)
	SignInApplicant(t, ctx, site, "vneid-demo-0002")
	if body := Text(t, ctx, "header"); !strings.Contains(body, "Hồ sơ của tôi") {
		t.Fatalf("applicant header: %q", body)
	}
}
