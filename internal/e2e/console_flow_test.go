package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// consoleCheckPage runs the page checks every console page gets: axe at both widths, screenshots at
// both widths, and no horizontal scrolling on a phone.
func consoleCheckPage(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	SetWidth(t, ctx, DesktopWidth)
	AxeClean(t, ctx)
	Screenshot(t, ctx, name, DesktopWidth)
	NoHorizontalScroll(t, ctx)
	AxeClean(t, ctx)
	Screenshot(t, ctx, name, PhoneWidth)
	SetWidth(t, ctx, DesktopWidth)
}

// consoleConfirm opens an action's confirmation on the dossier page and confirms it; it returns
// the page's location afterwards.
func consoleConfirm(t *testing.T, ctx context.Context, action string) string {
	t.Helper()
	form := `#act-` + action
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(form+` summary`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("open %s: %v", action, err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(form+` button[type=submit]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("confirm %s: %v", action, err)
	}
	loc := Location(t, ctx)
	if !strings.Contains(loc, "xong="+action) {
		t.Fatalf("%s: landed on %s: %s", action, loc, Text(t, ctx, "main"))
	}
	return loc
}

// TestConsoleFlow: a desk officer files and receives a counter dossier and prints its receipt;
// the specialist hands it to the leader, who approves it from the approval queue and issues
// the result; the desk returns it. Every console page is checked with axe at 1280 and 360 px.
func TestConsoleFlow(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)
	scan := filepath.Join(t.TempDir(), "giay-de-nghi.pdf")
	if err := os.WriteFile(scan, []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	SignInOfficer(t, ctx, site, "xa-tan-cuong.desk")
	Open(t, ctx, site.URL+"/can-bo")
	if h := Text(t, ctx, "main h1"); h != "Bàn làm việc" {
		t.Fatalf("console heading %q", h)
	}
	if q := Text(t, ctx, ".queues"); !strings.Contains(q, "Chờ tiếp nhận") {
		t.Errorf("queues: %q", q)
	}
	consoleCheckPage(t, ctx, "console-home")

	// The deadline jobs' notices for the desk's commune (the demo's online dossiers).
	if _, err := site.App.RunJobs(context.Background(), 500); err != nil {
		t.Fatal(err)
	}
	Open(t, ctx, site.URL+"/can-bo")
	if link := Text(t, ctx, `a[href="/can-bo/thong-bao"]`); !strings.HasPrefix(link, "Thông báo ") {
		t.Errorf("notices link without an unread count: %q", link)
	}
	Open(t, ctx, site.URL+"/can-bo/thong-bao")
	if body := Text(t, ctx, "main"); !strings.Contains(body, "Có hồ sơ trực tuyến mới cần kiểm tra, tiếp nhận") {
		t.Errorf("notices page: %q", body)
	}
	consoleCheckPage(t, ctx, "console-notices")

	// Counter reception: the generated form, the checklist with a scan.
	Open(t, ctx, site.URL+"/can-bo/tiep-nhan?thu-tuc=HKD.01")
	consoleCheckPage(t, ctx, "console-reception")
	for sel, v := range map[string]string{
		`[id="f.nguoi_nop_ho_ten"]`: "Lê Văn Cường", `[id="f.nguoi_nop_so_dinh_danh"]`: "019092001111", `[id="f.nguoi_nop_dien_thoai"]`: "0912345678",
		`[id="f.ten_ho_kinh_doanh"]`: "Hộ kinh doanh Cường", `[id="f.dia_diem_kinh_doanh"]`: "Xóm 2, xã Tân Cương", `[id="f.nganh_nghe"]`: "Bán chè",
		`[id="f.von_kinh_doanh"]`: "20.000.000",
	} {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), v, chromedp.NodeVisible)); err != nil {
			t.Fatalf("type %s: %v", sel, err)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`[id="giay.GDN"]`), chromedp.NodeVisible),
		chromedp.SetUploadFiles(chromedp.CSS(`[id="quet.GDN"]`), []string{scan}, chromedp.NodeReady),
	); err != nil {
		t.Fatalf("checklist: %v", err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.reception-form button[type=submit]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("file the dossier: %v", err)
	}
	if loc := Location(t, ctx); !strings.Contains(loc, "xong=nop") {
		t.Fatalf("after filing: %s: %s", loc, Text(t, ctx, "main"))
	}
	consoleCheckPage(t, ctx, "console-dossier-submitted")

	// Receive, then print the receipt: the link returns a PDF.
	loc := consoleConfirm(t, ctx, "receive")
	code := strings.TrimPrefix(strings.Split(loc, "?")[0], site.URL+"/can-bo/ho-so/")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
	  const x = new XMLHttpRequest();
	  x.open('GET', document.querySelector('#receipt-link').href, false);
	  x.send();
	  return x.status + ' ' + x.getResponseHeader('Content-Type');
	})()`))
	if err != nil || got != "200 application/pdf" {
		t.Fatalf("receipt link: %q %v", got, err)
	}
	consoleCheckPage(t, ctx, "console-dossier")
	consoleConfirm(t, ctx, "forward")
	SignOut(t, ctx)

	SignInOfficer(t, ctx, site, "xa-tan-cuong.specialist")
	Open(t, ctx, site.URL+"/can-bo/ho-so/"+code)
	consoleConfirm(t, ctx, "forward")
	SignOut(t, ctx)

	SignInOfficer(t, ctx, site, "xa-tan-cuong.leader")
	Open(t, ctx, site.URL+"/can-bo/phe-duyet")
	consoleCheckPage(t, ctx, "console-approval")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`input[name="ho-so"][value="`+code+`"]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`details.confirm summary`), chromedp.NodeVisible),
	); err != nil {
		t.Fatalf("choose for approval: %v", err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`details.confirm button[type=submit]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("bulk approve: %v", err)
	}
	if res := Text(t, ctx, "#results-h"); !strings.Contains(res, "1 thành công") {
		t.Fatalf("approval report: %q", res)
	}
	consoleCheckPage(t, ctx, "console-approval-report")
	Open(t, ctx, site.URL+"/can-bo/ho-so/"+code)
	consoleConfirm(t, ctx, "issue-result")
	SignOut(t, ctx)

	SignInOfficer(t, ctx, site, "xa-tan-cuong.desk")
	Open(t, ctx, site.URL+"/can-bo/ho-so/"+code)
	consoleConfirm(t, ctx, "return-result")
	if st := Text(t, ctx, ".status-line"); !strings.Contains(st, "Đã trả kết quả") {
		t.Errorf("after return: %q", st)
	}
	consoleCheckPage(t, ctx, "console-dossier-returned")
	SignOut(t, ctx)

	SignInOfficer(t, ctx, site, "inspector")
	Open(t, ctx, site.URL+"/can-bo/nhat-ky-truy-cap")
	if body := Text(t, ctx, "main"); !strings.Contains(body, "console:/can-bo/ho-so") {
		t.Errorf("access log lacks the console's reads")
	}
	consoleCheckPage(t, ctx, "console-access-log")
}
