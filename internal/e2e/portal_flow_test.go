package e2e

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/catalog"
)

// portalCheckPage runs the page checks every portal page gets: no serious axe violation at desktop
// and phone widths, screenshots at both, no horizontal scrolling on the phone.
func portalCheckPage(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	SetWidth(t, ctx, DesktopWidth)
	AxeClean(t, ctx)
	Screenshot(t, ctx, name, DesktopWidth)
	NoHorizontalScroll(t, ctx)
	AxeClean(t, ctx)
	Screenshot(t, ctx, name, PhoneWidth)
}

// portalSetField sets a generated form field by its input name (the ids contain dots, which CSS
// would read as classes).
func portalSetField(name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(`[name="`+name+`"]`), value, chromedp.NodeReady)
}

// TestApplicantSubmits is the applicant's path on a phone: find a procedure by typing its
// name without diacritics, open it, follow "Nộp hồ sơ trực tuyến", fill in the generated form,
// upload the application (the page's script uploads it at once, with progress), get the form
// back with an error and everything typed kept, correct it, submit; the dossier page says it
// is submitted; after the desk receives it, the page shows its code and the receipt.
func TestApplicantSubmits(t *testing.T) {
	site := Boot(t)
	bg := context.Background()
	proc, err := site.App.Procedure(bg, "HKD.01")
	if err != nil {
		t.Fatal(err)
	}
	ctx := Tab(t)
	SignInApplicant(t, ctx, site, "vneid-demo-0001")
	SetWidth(t, ctx, PhoneWidth)

	// Search without diacritics from the home page.
	Open(t, ctx, site.URL+"/")
	query := catalog.Fold(proc.Name)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("main form.search input[name=q]"), query, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`main form.search button[type=submit]`), chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`ul.results a[href="/thu-tuc/HKD.01"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("open the procedure from the results: %v", err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`main a[href="/nop-ho-so/HKD.01"]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("follow «Nộp hồ sơ trực tuyến»: %v", err)
	}
	if resp.Status != 200 || !strings.HasSuffix(Location(t, ctx), "/nop-ho-so/HKD.01") {
		t.Fatalf("submission form: %d at %s", resp.Status, Location(t, ctx))
	}
	if got := Text(t, ctx, "main h1"); got != "Nộp hồ sơ trực tuyến" {
		t.Errorf("heading %q", got)
	}
	portalCheckPage(t, ctx, "portal-submit")
	SetWidth(t, ctx, PhoneWidth)

	// Fill in everything but the trade, upload the application form.
	pdf := filepath.Join(t.TempDir(), "giay-de-nghi.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#authority`), "xa-tan-cuong", chromedp.NodeVisible),
		portalSetField("f.nguoi_nop_dien_thoai", "0912345678"),
		portalSetField("f.ten_ho_kinh_doanh", "Hộ kinh doanh Chè An"),
		portalSetField("f.dia_diem_kinh_doanh", "Xóm 1, xã Tân Cương"),
		portalSetField("f.von_kinh_doanh", "50.000.000"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="doc.GDN"]`), []string{pdf}, chromedp.NodeReady),
		// portal.js uploads the file at once and lists it as kept.
		chromedp.WaitVisible(chromedp.CSS(`input[name="uploaded.GDN"]`)),
	); err != nil {
		t.Fatalf("fill in the form: %v", err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.portal-form button[type=submit]`), chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if got := Text(t, ctx, `.error-summary`); !strings.Contains(got, "Ngành, nghề kinh doanh là bắt buộc.") {
		t.Errorf("error summary %q", got)
	}
	if got := Text(t, ctx, `[id="f.nganh_nghe-error"]`); got != "Ngành, nghề kinh doanh là bắt buộc." {
		t.Errorf("error next to the trade field: %q", got)
	}
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.querySelector('[name="f.ten_ho_kinh_doanh"]').value,
		document.querySelector('[name="f.von_kinh_doanh"]').value, document.querySelector('#authority').value,
		String(document.querySelector('input[name="uploaded.GDN"]').checked)]`))
	if err != nil || strings.Join(kept, "|") != "Hộ kinh doanh Chè An|50.000.000|xa-tan-cuong|true" {
		t.Errorf("typed values after the refusal: %q (%v)", kept, err)
	}
	portalCheckPage(t, ctx, "portal-submit-errors")
	SetWidth(t, ctx, PhoneWidth)

	if err := chromedp.Do(ctx, portalSetField("f.nganh_nghe", "Chế biến chè")); err != nil {
		t.Fatal(err)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.portal-form button[type=submit]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := url.Parse(Location(t, ctx))
	m := regexp.MustCompile(`^/ho-so-cua-toi/([0-9a-f-]{36})$`).FindStringSubmatch(loc.Path)
	if resp.Status != 200 || m == nil || loc.Query().Get("tb") != "da-nop" {
		t.Fatalf("after submitting: %d at %s", resp.Status, loc)
	}
	id := m[1]
	if got := Text(t, ctx, "#dossier-status"); got != "Đã nộp, chờ tiếp nhận" {
		t.Errorf("status %q", got)
	}
	if got := Text(t, ctx, ".notice.ok"); !strings.Contains(got, "Đã nộp hồ sơ thành công") {
		t.Errorf("success message %q", got)
	}
	portalCheckPage(t, ctx, "portal-dossier-submitted")

	// The desk receives it; the applicant reloads and sees the code and the receipt.
	act := func(username, action, body string) app.View {
		t.Helper()
		tok, err := site.App.CreateAPIToken(bg, username, "e2e")
		if err != nil {
			t.Fatal(err)
		}
		p, err := site.App.AuthenticateToken(bg, tok)
		if err != nil {
			t.Fatal(err)
		}
		var b []byte
		if body != "" {
			b = []byte(body)
		}
		v, err := site.App.Act(bg, p, id, action, b, nil)
		if err != nil {
			t.Fatalf("%s by %s: %v", action, username, err)
		}
		return v
	}
	v := act("xa-tan-cuong.desk", "receive", "")
	ctx = Tab(t) // a tab's life is bounded (tabTimeout); tabs share the sign-in cookie
	if Open(t, ctx, site.URL+"/ho-so-cua-toi/"+id) != 200 {
		t.Fatal("dossier page after reception")
	}
	if got := Text(t, ctx, "#dossier-code"); got != v.Code || v.Code == "" {
		t.Errorf("code on the page %q, want %q", got, v.Code)
	}
	if got := Text(t, ctx, "#dossier-status"); got != "Đã tiếp nhận" {
		t.Errorf("status after reception %q", got)
	}
	receipt := `a[href="/api/v1/dossiers/` + v.Code + `/forms/receipt.pdf"]`
	if got := Text(t, ctx, receipt); !strings.Contains(got, "Giấy tiếp nhận") {
		t.Errorf("receipt link %q", got)
	}
	portalCheckPage(t, ctx, "portal-dossier-received")

	// "My dossiers" lists it.
	if Open(t, ctx, site.URL+"/ho-so-cua-toi") != 200 {
		t.Fatal("my dossiers")
	}
	if got := Text(t, ctx, `a[href="/ho-so-cua-toi/`+v.Code+`"]`); got != proc.Name {
		t.Errorf("my dossiers link %q, want %q", got, proc.Name)
	}
	portalCheckPage(t, ctx, "portal-my-dossiers")

	// Processed and returned electronically: the applicant rates the handling.
	act("xa-tan-cuong.desk", "forward", "")
	act("xa-tan-cuong.leader", "approve", `{"note":"Đồng ý"}`)
	act("xa-tan-cuong.leader", "issue-result", `{"documents":[{"name":"Giấy chứng nhận đăng ký hộ kinh doanh","electronic":true}]}`)
	act("xa-tan-cuong.desk", "return-result", `{"method":"electronic"}`)
	ctx = Tab(t)
	if Open(t, ctx, site.URL+"/ho-so-cua-toi/"+v.Code) != 200 {
		t.Fatal("returned dossier page")
	}
	if got := Text(t, ctx, "#dossier-status"); got != "Đã trả kết quả" {
		t.Errorf("status after return %q", got)
	}
	portalCheckPage(t, ctx, "portal-dossier-returned")
	SetWidth(t, ctx, PhoneWidth)
	// The radio and the text are set directly: the click and typing paths are the browser's.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#score-5').checked = true`),
		chromedp.SetValue(chromedp.CSS(`#comment`), "Nhanh, đúng hẹn", chromedp.NodeReady)); err != nil {
		t.Fatalf("fill in the rating: %v", err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action$="/danh-gia"] button[type=submit]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("send the rating: %v", err)
	}
	if got := Text(t, ctx, ".notice.ok"); !strings.Contains(got, "Cảm ơn bạn đã đánh giá") {
		t.Errorf("after rating: %q", got)
	}
	if d, err := site.App.Dossier(bg, portalDesk(t, site), v.Code, "e2e"); err != nil || d.Rating != 5 || d.RatingComment != "Nhanh, đúng hẹn" {
		t.Errorf("stored rating %d %q (%v)", d.Rating, d.RatingComment, err)
	}
}

// portalDesk is the principal of Tân Cương's desk officer.
func portalDesk(t *testing.T, site *Site) auth.Principal {
	t.Helper()
	tok, err := site.App.CreateAPIToken(context.Background(), "xa-tan-cuong.desk", "e2e")
	if err != nil {
		t.Fatal(err)
	}
	p, err := site.App.AuthenticateToken(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestApplicantDossierStates opens the dossier page of demo dossiers waiting for the
// applicant's supplement and withdrawn, and checks them like every page.
func TestApplicantDossierStates(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)
	SignInApplicant(t, ctx, site, "vneid-demo-0002")
	for _, st := range []struct{ state, name, section string }{
		{"supplement_requested", "portal-dossier-supplement", "#sec-bo-sung"},
		{"withdrawn", "portal-dossier-withdrawn", "#sec-tien-trinh"},
	} {
		Open(t, ctx, site.URL+"/ho-so-cua-toi")
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		  const r = await fetch('/api/v1/dossiers?status=`+st.state+`', {headers: {Accept: 'application/json'}});
		  const j = await r.json();
		  const d = j.items[0];
		  return d ? '/ho-so-cua-toi/' + (d.code || d.id) : '';
		})()`, chromedp.EvalAwaitPromise))
		if err != nil || href == "" {
			t.Fatalf("%s demo dossier: %q %v", st.state, href, err)
		}
		if got := Open(t, ctx, site.URL+href); got != 200 {
			t.Fatalf("%s: status %d", href, got)
		}
		if Text(t, ctx, st.section) == "" {
			t.Errorf("%s: no %s section", href, st.section)
		}
		portalCheckPage(t, ctx, st.name)
	}
}
