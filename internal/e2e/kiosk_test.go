package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

// deskOfficer is a commune's desk officer as the application sees one.
func deskOfficer(unit string) auth.Principal {
	return auth.Principal{Kind: auth.KindOfficer, Subject: unit + ".desk", Roles: []auth.RoleAssignment{{Role: auth.RoleDesk, Unit: unit}}}
}

// returnedAtDesk files a business household registration at a commune's desk and drives it,
// through the application as its officers would, to its result handed back at the desk.
func returnedAtDesk(t *testing.T, a *app.App, unit string) string {
	t.Helper()
	ctx := context.Background()
	officer := func(role string) auth.Principal {
		return auth.Principal{Kind: auth.KindOfficer, Subject: unit + "." + role, Roles: []auth.RoleAssignment{{Role: role, Unit: unit}}}
	}
	proc, err := a.Procedure(ctx, "HKD.01")
	if err != nil {
		t.Fatal(err)
	}
	desk := deskOfficer(unit)
	var docs []dossier.Document
	for _, c := range proc.Documents {
		if !c.Required {
			continue
		}
		st, err := a.UploadFile(ctx, desk, "giay.pdf", strings.NewReader("%PDF-1.4\n% "+c.Code+"\ntrailer<</Root 1 0 R>>\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, dossier.Document{Component: c.Code, Name: c.Name + ".pdf", Hash: st.Hash, MediaType: st.MediaType, Size: st.Size, Digitized: true})
	}
	form, _ := json.Marshal(map[string]any{"nguoi_nop_ho_ten": "Lê Thị Hoa", "nguoi_nop_so_dinh_danh": "019192004567", "nguoi_nop_dien_thoai": "0987654321",
		"ten_ho_kinh_doanh": "Hộ kinh doanh Hoa", "dia_diem_kinh_doanh": "Xóm 2", "nganh_nghe": "Bán chè", "von_kinh_doanh": 10000000})
	v, _, err := a.Submit(ctx, desk, app.SubmitInput{Procedure: "HKD.01", Channel: "desk", Authority: unit, Form: form, Documents: docs}, "")
	if err != nil {
		t.Fatal(err)
	}
	act := func(p auth.Principal, action string, body any) {
		t.Helper()
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		if v, err = a.Act(ctx, p, v.ID, action, b, nil); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	act(desk, "receive", nil)
	act(desk, "forward", nil)
	for _, i := range v.OpenSteps() {
		if v.Steps[i].Parallel {
			act(officer(auth.RoleSpecialist), "complete-step", map[string]any{"step": i, "outcome": "Thống nhất"})
		}
	}
	act(officer(auth.RoleLeader), "approve", map[string]any{"note": "Đồng ý"})
	act(officer(auth.RoleLeader), "issue-result", map[string]any{"documents": []map[string]any{{"name": "Giấy chứng nhận", "electronic": true}}})
	act(desk, "return-result", map[string]any{"method": "desk"})
	return v.Code
}

// checkPage runs the checks every page gets: a heading, axe at both widths, no horizontal
// scrolling on a phone, screenshots at both widths.
func checkPage(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	// Touch screens go back to their first page after a while: stop their timers first.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`for (let i = setTimeout(() => {}, 0); i > 0; i--) clearTimeout(i)`)); err != nil {
		t.Fatal(err)
	}
	SetWidth(t, ctx, DesktopWidth)
	if h1 := Text(t, ctx, "main h1"); h1 == "" {
		t.Errorf("%s: empty main heading", name)
	}
	AxeClean(t, ctx)
	Screenshot(t, ctx, name, DesktopWidth)
	NoHorizontalScroll(t, ctx)
	AxeClean(t, ctx)
	Screenshot(t, ctx, name, PhoneWidth)
}

// TestKioskQueue: a ticket from the touch screen, the "now serving" board updated live when
// the desk officer calls it from the queue page, and every page checked.
func TestKioskQueue(t *testing.T) {
	site := Boot(t)
	ctx := Tab(t)

	// The ticket machine: tap "Nộp hồ sơ".
	if got := Open(t, ctx, site.URL+"/quay/xa-tan-cuong/lay-so"); got != 200 {
		t.Fatalf("ticket machine: %d", got)
	}
	checkPage(t, ctx, "kiosk-ticket-machine")
	SetWidth(t, ctx, DesktopWidth)
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button.kiosk-area[value="A"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("tap an area: %v", err)
	}
	if got := Text(t, ctx, "#ticket-number"); got != "A-001" {
		t.Fatalf("ticket number %q, want A-001", got)
	}
	checkPage(t, ctx, "kiosk-ticket")

	// The board, open before the call.
	board := Tab(t)
	SetWidth(t, board, DesktopWidth)
	if got := Open(t, board, site.URL+"/quay/xa-tan-cuong/man-hinh"); got != 200 {
		t.Fatalf("board: %d", got)
	}
	checkPage(t, board, "kiosk-board-empty")
	SetWidth(t, board, DesktopWidth)
	if got := Text(t, board, "#serving li"); got != "Chưa gọi số nào." {
		t.Fatalf("board before the call: %q", got)
	}
	// A mark in the page: it survives only if the board changes without reloading.
	if err := chromedp.Do(board, chromedp.Evaluate[chromedp.Void](`window.kioskMark = 1`)); err != nil {
		t.Fatal(err)
	}
	// Wait until the stream delivered its first event (the page's script is connected).
	if _, err := chromedp.Run(board, chromedp.Poll[bool](`document.querySelector('[data-board-events]').hasAttribute('data-updated')`)); err != nil {
		t.Fatalf("the board's event stream never delivered: %v", err)
	}

	// The desk officer calls the next ticket from the queue page.
	SignInOfficer(t, ctx, site, "xa-tan-cuong.desk")
	if got := Open(t, ctx, site.URL+"/can-bo/quay"); got != 200 {
		t.Fatalf("queue page: %d", got)
	}
	checkPage(t, ctx, "kiosk-counter")
	SetWidth(t, ctx, DesktopWidth)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#so-quay`), "4", chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button.call-next`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("call next: %v", err)
	}
	if got := Text(t, ctx, "#just-called"); !strings.Contains(got, "A-001") || !strings.Contains(got, "quầy 4") {
		t.Errorf("queue page after the call: %q", got)
	}
	checkPage(t, ctx, "kiosk-counter-serving")

	// The board shows it, without a reload.
	pctx, cancel := context.WithTimeout(board, waitTimeout)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`(document.querySelector('#serving .num') || {}).textContent === 'A-001'`)); err != nil {
		t.Fatalf("the board did not show A-001: %v", err)
	}
	if got := Text(t, board, "#serving li"); !strings.Contains(got, "đến quầy 4") {
		t.Errorf("board entry %q", got)
	}
	if mark, err := chromedp.Run(board, chromedp.Evaluate[int](`window.kioskMark || 0`)); err != nil || mark != 1 {
		t.Errorf("the board reloaded instead of updating live (mark %d, %v)", mark, err)
	}
	// A call through the application reaches the board the same way.
	if _, err := site.App.IssueTicket(context.Background(), "xa-tan-cuong", "U"); err != nil {
		t.Fatal(err)
	}
	if _, err := site.App.CallNextTicket(context.Background(), deskOfficer("xa-tan-cuong"), "xa-tan-cuong", 2, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`(document.querySelector('#serving .num') || {}).textContent === 'U-001'`)); err != nil {
		t.Fatalf("the board did not show U-001: %v", err)
	}
	checkPage(t, board, "kiosk-board")
	SignOut(t, ctx)
}

// TestKioskRatingRecorded: after a return at the desk, the applicant taps their dossier on
// the touch screen and a rating; the rating is stored on the dossier.
func TestKioskRatingRecorded(t *testing.T) {
	site := Boot(t)
	code := returnedAtDesk(t, site.App, "xa-tan-cuong")
	ctx := Tab(t)
	if got := Open(t, ctx, site.URL+"/quay/xa-tan-cuong/danh-gia"); got != 200 {
		t.Fatalf("rating screen: %d", got)
	}
	checkPage(t, ctx, "kiosk-rating-list")
	SetWidth(t, ctx, PhoneWidth)
	link := `.kiosk-list a[href$="` + code + `"]`
	if got := Text(t, ctx, link); !strings.Contains(got, auth.MaskName("Lê Thị Hoa")) || strings.Contains(got, "Lê Thị Hoa") {
		t.Errorf("list entry %q: want the masked name only", got)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(link), chromedp.NodeVisible)); err != nil {
		t.Fatalf("tap the dossier: %v", err)
	}
	if got := Text(t, ctx, "#rating-code"); got != code {
		t.Fatalf("rating form for %q, want %s", got, code)
	}
	checkPage(t, ctx, "kiosk-rating-form")
	SetWidth(t, ctx, PhoneWidth)
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button.rate[value="4"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("tap a rating: %v", err)
	}
	if got := Text(t, ctx, "main h1"); got != "Cảm ơn bạn đã đánh giá!" {
		t.Errorf("after rating: %q", got)
	}
	checkPage(t, ctx, "kiosk-rating-thanks")
	row, err := site.Store.Dossier(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	var d dossier.Dossier
	if err := json.Unmarshal(row.Snapshot, &d); err != nil {
		t.Fatal(err)
	}
	if d.Rating != 4 || d.RatedAt.IsZero() || time.Since(d.RatedAt) > time.Hour {
		t.Errorf("stored rating %d at %v, want 4 just now", d.Rating, d.RatedAt)
	}
}
