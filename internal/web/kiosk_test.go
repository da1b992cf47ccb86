package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// postForm posts an HTML form as c (bearer token or session with its CSRF token) without
// following the redirect; it returns the status, the Location and the body.
func (c *client) postForm(t *testing.T, path string, v url.Values, accept string) (int, string, string) {
	t.Helper()
	if c.csrf != "" {
		v.Set("csrf_token", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.s.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", accept)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	noFollow := *c.http
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// page gets an HTML page as c.
func (c *client) page(t *testing.T, path string) (int, string) {
	t.Helper()
	r := c.do("GET", path, nil, map[string]string{"Accept": "text/html"})
	return r.Status, string(r.Body)
}

// kioskScreen is an anonymous touch screen: a public client whose pre-session (given by the
// first page) carries the forms' CSRF token.
func kioskScreen(t *testing.T, site *site, path string) *client {
	t.Helper()
	c := site.public()
	if st, _ := c.page(t, path); st != 200 {
		t.Fatalf("%s: %d", path, st)
	}
	c.csrf = auth.CSRFToken(site.App.CSRFKey(), c.sessionCookie())
	return c
}

// board reads a desk's board once from its event stream (a client that does not ask for
// text/event-stream gets one event).
func board(t *testing.T, site *site, desk string) app.Board {
	t.Helper()
	r := site.public().get("/quay/" + desk + "/su-kien")
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("board of %s: %d %s", desk, r.Status, r.Header.Get("Content-Type"))
	}
	_, data, ok := strings.Cut(string(r.Body), "event: board\ndata: ")
	if !ok {
		t.Fatalf("no board event: %q", r.Body)
	}
	var b app.Board
	if err := json.Unmarshal([]byte(strings.SplitN(data, "\n", 2)[0]), &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKioskTickets(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	screen := kioskScreen(t, site, "/quay/xa-tan-cuong/lay-so")

	issue := func(area string) (int, string, string) {
		return screen.postForm(t, "/quay/xa-tan-cuong/lay-so", url.Values{"area": {area}}, "text/html")
	}
	for i, want := range []string{"A-001", "A-002", "U-001"} {
		status, loc, _ := issue(want[:1])
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/quay/xa-tan-cuong/lay-so?ve=") {
			t.Fatalf("ticket %d: %d %q", i, status, loc)
		}
		st, body := screen.page(t, loc)
		if st != 200 || !strings.Contains(body, `id="ticket-number">`+want+`<`) {
			t.Fatalf("ticket page %s: %d, want number %s", loc, st, want)
		}
	}
	if status, _, body := issue("Z"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Hãy chọn một loại dịch vụ.") || !strings.Contains(body, `aria-describedby="area-error"`) {
		t.Errorf("unknown area: %d", status)
	}
	if st, _ := screen.page(t, "/quay/khong-co/lay-so"); st != 404 {
		t.Errorf("unknown desk: %d", st)
	}
	if st, _ := screen.page(t, "/quay/xa-dai-phuc/lay-so?ve=1"); st != 404 {
		t.Errorf("another desk's ticket: %d", st)
	}
	// Without the pre-session's token a post is refused (CSRF).
	if st, _, _ := site.public().postForm(t, "/quay/xa-tan-cuong/lay-so", url.Values{"area": {"A"}}, "text/html"); st != http.StatusForbidden {
		t.Errorf("post without CSRF token: %d", st)
	}
	// One address cannot drain the numbers: the per-IP limit answers 429 with Retry-After.
	limited := false
	for range 30 {
		if st, _, _ := issue("C"); st == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("30 tickets at once from one address were all issued")
	}

	// Numbers restart the next day.
	site.Clock.Set(vn(3, 9, 0))
	status, loc, _ := issue("A")
	if status != http.StatusSeeOther {
		t.Fatalf("next day: %d", status)
	}
	if _, body := screen.page(t, loc); !strings.Contains(body, `id="ticket-number">A-001<`) {
		t.Error("the next day's first ticket is not A-001")
	}
}

func TestKioskCallNext(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	ctx := context.Background()
	for _, area := range []string{"A", "A", "U"} {
		if _, err := site.App.IssueTicket(ctx, "xa-tan-cuong", area); err != nil {
			t.Fatal(err)
		}
	}
	desk := site.officer("xa-tan-cuong.desk")
	call := func(c *client, counter, area, accept string) (int, string, string) {
		return c.postForm(t, "/can-bo/quay/goi", url.Values{"quay": {"xa-tan-cuong"}, "so-quay": {counter}, "khu-vuc": {area}}, accept)
	}
	// The priority ticket first.
	status, loc, _ := call(desk, "3", "", "text/html")
	if status != http.StatusSeeOther || !strings.Contains(loc, "so-quay=3") {
		t.Fatalf("call next: %d %q", status, loc)
	}
	if st, body := desk.page(t, loc); st != 200 || !strings.Contains(body, "Đã gọi số <strong>U-001</strong> đến quầy 3") {
		t.Fatalf("queue page after the call: %d", st)
	}
	b := board(t, site, "xa-tan-cuong")
	if len(b.Serving) != 1 || b.Serving[0].Number != "U-001" || b.Serving[0].Counter != 3 || b.Waiting["A"] != 2 {
		t.Fatalf("board: %+v", b)
	}
	// Refused: another unit's desk officer, a specialist of the unit, the public.
	for _, c := range []*client{site.officer("xa-dai-phuc.desk"), site.officer("xa-tan-cuong.specialist"), site.officer("ttpvhcc.desk")} {
		if st, _, _ := call(c, "1", "", "application/json"); st != http.StatusForbidden {
			t.Errorf("call by %s: %d, want 403", c.name, st)
		}
	}
	if st, _, _ := call(site.public(), "1", "", "application/json"); st != http.StatusUnauthorized && st != http.StatusForbidden {
		t.Errorf("anonymous call: %d", st)
	}
	if st, _ := site.officer("xa-dai-phuc.desk").page(t, "/can-bo/quay?quay=xa-tan-cuong"); st != http.StatusForbidden {
		t.Errorf("another unit's queue page: %d, want 403", st)
	}
	// A bad counter: the page again, with what was typed and the message next to the field.
	status, _, body := call(desk, "ba", "A", "text/html")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="so-quay-error">Số quầy phải từ 1 đến 99.`) || !strings.Contains(body, `value="ba"`) {
		t.Errorf("bad counter: %d", status)
	}
	// Counter 3 calls again: U-001 is served, A-001 comes.
	if st, _, _ := call(desk, "3", "", "text/html"); st != http.StatusSeeOther {
		t.Fatalf("second call: %d", st)
	}
	tickets, err := site.Store.QueueTickets(ctx, "xa-tan-cuong", "2026-11-02", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	var a1 int64
	for _, tk := range tickets {
		states[tk.Area+"-"+string(rune('0'+tk.Seq))] = tk.State
		if tk.Area == "A" && tk.Seq == 1 {
			a1 = tk.ID
		}
	}
	if states["U-1"] != store.TicketServed || states["A-1"] != store.TicketCalled || states["A-2"] != store.TicketWaiting {
		t.Fatalf("states after the second call: %v", states)
	}
	// Recall, then no-show; another unit cannot touch the ticket.
	act := func(c *client, action string) int {
		st, _, _ := c.postForm(t, "/can-bo/quay/ve/"+strconv.FormatInt(a1, 10), url.Values{"quay": {"xa-tan-cuong"}, "thao-tac": {action}}, "application/json")
		return st
	}
	if st := act(site.officer("xa-dai-phuc.desk"), "served"); st != http.StatusForbidden {
		t.Errorf("another unit marks served: %d", st)
	}
	if st := act(desk, "recall"); st != http.StatusSeeOther {
		t.Errorf("recall: %d", st)
	}
	if b := board(t, site, "xa-tan-cuong"); len(b.Serving) != 1 || b.Serving[0].Recalls != 1 {
		t.Errorf("board after recall: %+v", b)
	}
	if st := act(desk, "no-show"); st != http.StatusSeeOther {
		t.Errorf("no-show: %d", st)
	}
	if st := act(desk, "served"); st != http.StatusNotFound {
		t.Errorf("finish a finished ticket: %d, want 404", st)
	}
	if st := act(desk, "lost"); st != http.StatusBadRequest {
		t.Errorf("unknown action: %d, want 400", st)
	}
	// The last one, then nobody waits: a notice, not an error.
	call(desk, "3", "", "text/html")
	if st, _, body := call(desk, "3", "", "text/html"); st != 200 || !strings.Contains(body, "Không còn người chờ.") {
		t.Errorf("empty queue: %d", st)
	}
}

// readEvent reads the next "board" event of a stream.
func readEvent(t *testing.T, r *bufio.Reader) app.Board {
	t.Helper()
	event := ""
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read stream: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "board":
			var b app.Board
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &b); err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}

// openStream opens a desk's event stream; the context bounds the whole test's reading.
func openStream(t *testing.T, ctx context.Context, base, desk string) (*bufio.Reader, io.Closer) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/quay/"+desk+"/su-kien", nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return bufio.NewReader(resp.Body), resp.Body
}

func TestKioskBoardStream(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	desk := auth.Principal{Kind: auth.KindOfficer, Subject: "xa-tan-cuong.desk", Roles: []auth.RoleAssignment{{Role: auth.RoleDesk, Unit: "xa-tan-cuong"}}}

	stream, body := openStream(t, ctx, site.URL, "xa-tan-cuong")
	defer body.Close()
	if b := readEvent(t, stream); len(b.Serving) != 0 || b.Desk != "xa-tan-cuong" {
		t.Fatalf("first event: %+v", b)
	}
	// Another desk's change sends nothing here; this desk's ticket shows in the waiting count.
	if _, err := site.App.IssueTicket(ctx, "xa-dai-phuc", "A"); err != nil {
		t.Fatal(err)
	}
	if _, err := site.App.IssueTicket(ctx, "xa-tan-cuong", "B"); err != nil {
		t.Fatal(err)
	}
	if b := readEvent(t, stream); b.Waiting["B"] != 1 || len(b.Serving) != 0 {
		t.Fatalf("after a ticket: %+v", b)
	}
	if _, err := site.App.CallNextTicket(ctx, desk, "xa-tan-cuong", 2, ""); err != nil {
		t.Fatal(err)
	}
	b := readEvent(t, stream)
	if len(b.Serving) != 1 || b.Serving[0].Number != "B-001" || b.Serving[0].Counter != 2 || b.Waiting["B"] != 0 {
		t.Fatalf("after the call: %+v", b)
	}
	// The board page renders the same state without script.
	if st, page := site.public().page(t, "/quay/xa-tan-cuong/man-hinh"); st != 200 || !strings.Contains(page, `<span class="num">B-001</span>`) || !strings.Contains(page, `data-board-events="/quay/xa-tan-cuong/su-kien"`) {
		t.Errorf("board page: %d", st)
	}
	if st, _ := site.public().page(t, "/quay/khong-co/man-hinh"); st != 404 {
		t.Errorf("unknown desk's board: %d", st)
	}
}

// TestKioskStreamEndsAtShutdown: http.Server.Shutdown waits for active requests; an event
// stream must end by itself, or the shutdown would wait for its deadline.
func TestKioskStreamEndsAtShutdown(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	hs := httptest.NewUnstartedServer(site.srv)
	hs.Start()
	defer hs.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream, body := openStream(t, ctx, hs.URL, "ttpvhcc")
	defer body.Close()
	readEvent(t, stream)
	if err := hs.Config.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v (the stream kept it waiting)", err)
	}
	if _, err := io.ReadAll(stream); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("stream after shutdown: %v", err)
	}
}

// TestKioskStreamEndsWithClient: the handler returns when the client goes (the broker then
// has no subscriber left).
func TestKioskStreamEndsWithClient(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	ctx, cancel := context.WithCancel(context.Background())
	stream, body := openStream(t, ctx, site.URL, "ttpvhcc")
	readEvent(t, stream)
	cancel()
	body.Close()
	// The server side notices at its next write: a change of the desk makes one.
	deadline, stop := context.WithTimeout(context.Background(), 20*time.Second)
	defer stop()
	for deadline.Err() == nil {
		if _, err := site.App.IssueTicket(context.Background(), "ttpvhcc", "A"); err != nil {
			t.Fatal(err)
		}
		if app.QueueSubscribersForTest(site.App, "ttpvhcc") == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the stream's handler still runs after the client left")
}

// returnedDossier files a dossier at a commune's desk and drives it to returned (method desk
// or electronic) through the application, as the officers would; it returns the code.
func returnedDossier(t *testing.T, a *app.App, unit, method string) string {
	t.Helper()
	ctx := context.Background()
	officer := func(role string) auth.Principal {
		return auth.Principal{Kind: auth.KindOfficer, Subject: unit + "." + role, Roles: []auth.RoleAssignment{{Role: role, Unit: unit}}}
	}
	proc, err := a.Procedure(ctx, "HKD.01")
	if err != nil {
		t.Fatal(err)
	}
	desk := officer(auth.RoleDesk)
	var docs []dossier.Document
	for _, c := range proc.Documents {
		if !c.Required {
			continue
		}
		st, err := a.UploadFile(ctx, desk, "giay.pdf", strings.NewReader(string(pdfBytes(c.Name))))
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
		b, _ := json.Marshal(body)
		if body == nil {
			b = nil
		}
		if v, err = a.Act(ctx, p, v.ID, action, b, nil); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	act(desk, "receive", nil)
	act(desk, "forward", nil)
	for _, i := range v.OpenSteps() {
		if st := v.Steps[i]; st.Parallel {
			act(officer(auth.RoleSpecialist), "complete-step", map[string]any{"step": i, "outcome": "Thống nhất"})
		}
	}
	act(officer(auth.RoleLeader), "approve", map[string]any{"note": "Đồng ý"})
	act(officer(auth.RoleLeader), "issue-result", map[string]any{"documents": []map[string]any{{"name": "Giấy chứng nhận", "electronic": true}}})
	act(desk, "return-result", map[string]any{"method": method})
	return v.Code
}

func TestKioskRating(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	ctx := context.Background()
	code := returnedDossier(t, site.App, "xa-tan-cuong", "desk")
	online := returnedDossier(t, site.App, "xa-tan-cuong", "electronic")

	screen := kioskScreen(t, site, "/quay/xa-tan-cuong/danh-gia")
	st, list := screen.page(t, "/quay/xa-tan-cuong/danh-gia")
	if st != 200 || !strings.Contains(list, code) || strings.Contains(list, online) {
		t.Fatalf("rating list: %d; want %s listed and not %s", st, code, online)
	}
	for _, secret := range []string{"Lê Thị Hoa", "019192004567", "0987654321"} {
		if strings.Contains(list, secret) {
			t.Errorf("the public rating list shows %q", secret)
		}
	}
	if !strings.Contains(list, auth.MaskName("Lê Thị Hoa")) {
		t.Errorf("the list does not show the masked name %q", auth.MaskName("Lê Thị Hoa"))
	}
	if st, page := screen.page(t, "/quay/xa-tan-cuong/danh-gia?ho-so="+url.QueryEscape(code)); st != 200 || !strings.Contains(page, "Rất hài lòng") || !strings.Contains(page, "Chưa hài lòng") {
		t.Fatalf("rating form: %d", st)
	}
	rate := func(c *client, desk, ref, score string) (int, string) {
		st, _, body := c.postForm(t, "/quay/"+desk+"/danh-gia", url.Values{"ho-so": {ref}, "diem": {score}, "y-kien": {"Nhanh"}}, "text/html")
		return st, body
	}
	// Refused: another desk, a dossier returned electronically, a score out of range.
	if st, _ := rate(screen, "xa-dai-phuc", code, "5"); st != http.StatusNotFound {
		t.Errorf("rating at another desk: %d, want 404", st)
	}
	if st, _ := rate(screen, "xa-tan-cuong", online, "5"); st != http.StatusNotFound {
		t.Errorf("rating a dossier returned online: %d, want 404", st)
	}
	if st, body := rate(screen, "xa-tan-cuong", code, "9"); st != http.StatusUnprocessableEntity && st != http.StatusBadRequest || !strings.Contains(body, `id="score-error"`) || !strings.Contains(body, "Nhanh") {
		t.Errorf("score 9: %d", st)
	}
	// The rating is stored on the dossier, by the kiosk in the applicant's role.
	if st, _ := rate(screen, "xa-tan-cuong", code, "4"); st != http.StatusSeeOther {
		t.Fatalf("rate: %d", st)
	}
	row, err := site.Store.Dossier(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	var d dossier.Dossier
	if err := json.Unmarshal(row.Snapshot, &d); err != nil {
		t.Fatal(err)
	}
	if d.Rating != 4 || d.RatingComment != "Nhanh" {
		t.Errorf("stored rating %d %q, want 4 \"Nhanh\"", d.Rating, d.RatingComment)
	}
	evs, err := site.Store.DossierEvents(ctx, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Type != "rated" || last.Actor != "kiosk:xa-tan-cuong" {
		t.Errorf("last event %s by %s", last.Type, last.Actor)
	}
	// Twice: refused, and the dossier leaves the list.
	if st, body := rate(screen, "xa-tan-cuong", code, "5"); st != http.StatusConflict && st != http.StatusNotFound || !strings.Contains(body, `role="alert"`) {
		t.Errorf("second rating: %d", st)
	}
	if _, list := screen.page(t, "/quay/xa-tan-cuong/danh-gia"); strings.Contains(list, code) {
		t.Error("a rated dossier is still listed")
	}
	// After 24 hours the kiosk no longer accepts a rating.
	late := returnedDossier(t, site.App, "xa-tan-cuong", "desk")
	site.Clock.Set(site.Clock.Now().Add(25 * time.Hour))
	if _, err := site.App.RateAtKiosk(ctx, "xa-tan-cuong", late, 5, ""); app.KindOf(err) != app.KindNotFound {
		t.Errorf("rating after 25 hours: %v, want not found", err)
	}
}

// TestKioskStreamPollsOnPostgres: with several nodes on one PostgreSQL database, a change
// made by another node (here a second application over the same store, with its own broker)
// reaches the stream by polling.
func TestKioskStreamPollsOnPostgres(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.Postgres))
	other, err := app.New(site.Store, app.Options{Now: site.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream, body := openStream(t, ctx, site.URL, "xa-tan-cuong")
	defer body.Close()
	readEvent(t, stream)
	if _, err := other.IssueTicket(ctx, "xa-tan-cuong", "C"); err != nil {
		t.Fatal(err)
	}
	if b := readEvent(t, stream); b.Waiting["C"] != 1 {
		t.Fatalf("after another node's ticket: %+v", b)
	}
}
