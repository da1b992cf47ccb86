package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// csResp is a console page as a browser gets it (redirects not followed).
type csResp struct {
	Status   int
	Location string
	Header   http.Header
	Body     string
}

// csPage requests a console page as HTML without following redirects.
func (c *client) csPage(method, path string, body io.Reader, contentType string) csResp {
	c.s.t.Helper()
	req, err := http.NewRequest(method, c.s.URL+path, body)
	if err != nil {
		c.s.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Accept", "text/html")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	noFollow := *c.http
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return csResp{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Header: resp.Header, Body: string(b)}
}

func (c *client) csHTML(path string) csResp { return c.csPage("GET", path, nil, "") }

func (c *client) csPostForm(path string, v url.Values) csResp {
	return c.csPage("POST", path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
}

var csVersionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// csVersion reads the dossier version the page's action forms carry.
func csVersion(t *testing.T, r csResp) string {
	t.Helper()
	m := csVersionField.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no version on the page (%d): %.300s", r.Status, r.Body)
	}
	return m[1]
}

// csQueueCount reads a queue's count on the console's home page.
func csQueueCount(t *testing.T, body, key string) int {
	t.Helper()
	m := regexp.MustCompile(`href="/can-bo\?hang=` + key + `"[^>]*><span>[^<]*</span> <strong class="count">(\d+)</strong>`).FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// csAct posts an action form with the given version and extra fields.
func (c *client) csAct(ref, action, ver string, fields url.Values) csResp {
	v := url.Values{"version": {ver}, "confirm": {"1"}}
	for k, x := range fields {
		v[k] = x
	}
	return c.csPostForm("/can-bo/ho-so/"+ref+"/thao-tac/"+action, v)
}

// csSubmitOnline files HKD.01 at Tân Cương as the demo applicant An and returns its id.
func csSubmitOnline(t *testing.T, site *site) string {
	t.Helper()
	owner := site.applicant("vneid-demo-0001")
	up := owner.upload("/api/v1/files", "giay-de-nghi.pdf", pdfBytes("GDN"), nil)
	if up.Status != 201 {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	r := owner.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "online", "authority": "xa-tan-cuong",
		"documents": []map[string]any{{"component": "GDN", "name": "giay-de-nghi.pdf", "hash": str(up.json(t), "hash"), "digitized": true}}, "form": map[string]any{
			"nguoi_nop_ho_ten": "Nguyễn Văn An", "nguoi_nop_so_dinh_danh": anID, "nguoi_nop_dien_thoai": anPhone,
			"ten_ho_kinh_doanh": "Hộ kinh doanh Chè An", "dia_diem_kinh_doanh": "Xóm 1, xã Tân Cương", "nganh_nghe": "Chế biến chè", "von_kinh_doanh": 50000000,
		}}, nil)
	if r.Status != 201 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	return str(r.json(t), "id")
}

// TestConsoleWalk takes an online dossier through the console's pages and action forms:
// queues with counts and masked names, the dossier page (logged), the document viewer, a stale
// version, validation next to the field, scope (404) and role (403) refusals, the bulk
// approval with a per-dossier report, and the return. On both engines.
func TestConsoleWalk(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		site := newSite(t, s)
		site.Clock.Set(vn(2, 9, 0))
		id := csSubmitOnline(t, site)
		desk, elsewhere := site.officer("xa-tan-cuong.desk"), site.officer("xa-dai-phuc.desk")
		specialist, leader := site.officer("xa-tan-cuong.specialist"), site.officer("xa-tan-cuong.leader")

		home := desk.csHTML("/can-bo")
		if home.Status != 200 || csQueueCount(t, home.Body, "cho-tiep-nhan") != 1 {
			t.Fatalf("desk home: %d, to receive = %d", home.Status, csQueueCount(t, home.Body, "cho-tiep-nhan"))
		}
		if strings.Contains(home.Body, "Nguyễn Văn An") || !strings.Contains(home.Body, "Nguyễn V") {
			t.Errorf("lists must mask the applicant's name")
		}
		if n := csQueueCount(t, elsewhere.csHTML("/can-bo").Body, "cho-tiep-nhan"); n != 0 {
			t.Errorf("another commune's desk counts %d to receive, want 0", n)
		}
		if n := csQueueCount(t, desk.csHTML("/can-bo?hang=cho-tiep-nhan&thu-tuc=HKD.01").Body, "cho-tiep-nhan"); n != 1 {
			t.Errorf("filtered queue page count = %d", n)
		}
		if b := desk.csHTML("/can-bo?hang=cho-tiep-nhan&trang-thai=returned").Body; !strings.Contains(b, "(0 hồ sơ)") {
			t.Errorf("status filter outside the queue should list nothing")
		}

		// The dossier page: personal data, logged with the console's screen.
		pg := desk.csHTML("/can-bo/ho-so/" + id)
		if pg.Status != 200 || !strings.Contains(pg.Body, "Nguyễn Văn An") || !strings.Contains(pg.Body, anID) {
			t.Fatalf("dossier page: %d", pg.Status)
		}
		log, err := s.AccessLog(context.Background(), store.AccessFilter{DossierID: id})
		if err != nil || len(log) == 0 || log[0].Screen != "console:/can-bo/ho-so" || log[0].Officer != "xa-tan-cuong.desk" {
			t.Fatalf("access log: %+v %v", log, err)
		}
		if !strings.Contains(pg.Body, `action="/can-bo/ho-so/`+id+`/thao-tac/receive"`) || strings.Contains(pg.Body, `/thao-tac/approve"`) {
			t.Errorf("desk should be offered receive and not approve")
		}
		if !strings.Contains(pg.Body, "Phê duyệt</strong>: Vai trò") {
			t.Errorf("approve should be listed as blocked with its reason")
		}
		ver := csVersion(t, pg)

		// Document viewer: inline, nosniff, the stored type.
		m := regexp.MustCompile(`/can-bo/ho-so/[^"/]+/tai-lieu\?h=([0-9a-f]+)`).FindString(pg.Body)
		if m == "" {
			t.Fatal("no document link")
		}
		doc := desk.csHTML(strings.ReplaceAll(m, "&amp;", "&"))
		if doc.Status != 200 || doc.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(doc.Header.Get("Content-Disposition"), "inline") || doc.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(doc.Body, "%PDF") {
			t.Errorf("document: %d %v", doc.Status, doc.Header)
		}
		if r := elsewhere.csHTML(m); r.Status != 404 {
			t.Errorf("document out of scope: %d, want 404", r.Status)
		}

		// Scope and role.
		if r := elsewhere.csHTML("/can-bo/ho-so/" + id); r.Status != 404 {
			t.Errorf("out-of-scope page: %d, want 404", r.Status)
		}
		if r := elsewhere.csAct(id, "receive", ver, nil); r.Status != 404 {
			t.Errorf("out-of-scope action: %d, want 404", r.Status)
		}
		// A reason is required next to its field; what was typed stays.
		r := desk.csAct(id, "reject", ver, url.Values{"reason": {"  "}})
		if r.Status != 422 || !strings.Contains(r.Body, `id="reject-reason-error"`) || !strings.Contains(r.Body, "Nêu rõ lý do từ chối tiếp nhận") {
			t.Errorf("reject without reason: %d", r.Status)
		}
		r = desk.csAct(id, "request-supplement", ver, url.Values{"reason": {"Thiếu biên bản họp"}})
		if r.Status != 422 || !strings.Contains(r.Body, "Thiếu biên bản họp") {
			t.Errorf("supplement without components should keep the reason: %d", r.Status)
		}
		// Stale version.
		if r := desk.csAct(id, "receive", "999", nil); r.Status != 412 || !strings.Contains(r.Body, "Hồ sơ vừa được cập nhật") {
			t.Errorf("stale: %d %.200s", r.Status, r.Body)
		}
		r = desk.csAct(id, "receive", ver, nil)
		if r.Status != 303 || !strings.Contains(r.Location, "?xong=receive") {
			t.Fatalf("receive: %d %s %.300s", r.Status, r.Location, r.Body)
		}
		code := strings.TrimPrefix(strings.Split(r.Location, "?")[0], "/can-bo/ho-so/")
		pg = desk.csHTML(r.Location)
		if !strings.Contains(pg.Body, "/api/v1/dossiers/"+code+"/forms/receipt.pdf") || !strings.Contains(pg.Body, "Đã thực hiện: Tiếp nhận hồ sơ") {
			t.Errorf("received page: receipt link or notice missing")
		}
		// The desk cannot approve.
		if r := desk.csAct(code, "approve", csVersion(t, pg), nil); r.Status != 403 {
			t.Errorf("desk approves: %d, want 403", r.Status)
		}
		if r := desk.csAct(code, "forward", csVersion(t, pg), nil); r.Status != 303 {
			t.Fatalf("desk forward: %d %.300s", r.Status, r.Body)
		}
		if n := csQueueCount(t, specialist.csHTML("/can-bo").Body, "cua-toi"); n != 1 {
			t.Errorf("specialist's own queue = %d, want 1", n)
		}
		pg = specialist.csHTML("/can-bo/ho-so/" + code)
		if r := specialist.csAct(code, "forward", csVersion(t, pg), url.Values{"note": {"Đủ điều kiện"}}); r.Status != 303 {
			t.Fatalf("specialist forward: %d %.300s", r.Status, r.Body)
		}

		// The leader's approval queue, with a bulk approval of this dossier and a stale one.
		home = leader.csHTML("/can-bo")
		if n := csQueueCount(t, home.Body, "cho-phe-duyet"); n != 1 {
			t.Errorf("approval queue count = %d, want 1", n)
		}
		if csQueueCount(t, desk.csHTML("/can-bo").Body, "cho-phe-duyet") != -1 {
			t.Errorf("a desk officer has no approval queue")
		}
		ap := leader.csHTML("/can-bo/phe-duyet")
		if ap.Status != 200 || !strings.Contains(ap.Body, code) {
			t.Fatalf("approval page: %d", ap.Status)
		}
		if r := desk.csHTML("/can-bo/phe-duyet"); r.Status != 403 {
			t.Errorf("desk approval page: %d, want 403", r.Status)
		}
		lv := regexp.MustCompile(`name="v\.` + regexp.QuoteMeta(code) + `" value="(\d+)"`).FindStringSubmatch(ap.Body)
		if lv == nil {
			t.Fatal("no version for the dossier in the approval form")
		}
		r = leader.csPostForm("/can-bo/phe-duyet", url.Values{"ho-so": {code, "000.00.00.H55-261102-9999"}, "v." + code: {lv[1]}, "v.000.00.00.H55-261102-9999": {"1"}, "note": {"Đồng ý"}})
		if r.Status != 200 || !strings.Contains(r.Body, "1 thành công, 1 không thành công") {
			t.Fatalf("bulk approve: %d %.400s", r.Status, r.Body)
		}
		pg = leader.csHTML("/can-bo/ho-so/" + code)
		if !strings.Contains(pg.Body, "Đã giải quyết") {
			t.Errorf("approved dossier should be processed")
		}
		if r := leader.csAct(code, "issue-result", csVersion(t, pg), url.Values{"result_name": {"Giấy chứng nhận đăng ký hộ kinh doanh"}, "electronic": {"1"}}); r.Status != 303 {
			t.Fatalf("issue result: %d %.300s", r.Status, r.Body)
		}
		pg = desk.csHTML("/can-bo/ho-so/" + code)
		if r := desk.csAct(code, "return-result", csVersion(t, pg), url.Values{"method": {"desk"}}); r.Status != 303 {
			t.Fatalf("return: %d %.300s", r.Status, r.Body)
		}
		if b := desk.csHTML("/can-bo/ho-so/" + code).Body; !strings.Contains(b, "Đã trả kết quả") || !strings.Contains(b, "Trả kết quả") {
			t.Errorf("returned dossier page")
		}

		// Inspectors read the access log; others may not.
		al := site.officer("inspector").csHTML("/can-bo/nhat-ky-truy-cap?ho-so=" + url.QueryEscape(code))
		if al.Status != 200 || !strings.Contains(al.Body, "console:/can-bo/ho-so") || !strings.Contains(al.Body, "xa-tan-cuong.leader") {
			t.Errorf("access log page: %d", al.Status)
		}
		if r := desk.csHTML("/can-bo/nhat-ky-truy-cap"); r.Status != 403 {
			t.Errorf("desk reads the access log: %d, want 403", r.Status)
		}
	})
}

// TestConsoleOverdueQueues moves the clock past a received dossier's due date: it leaves
// "due soon" and enters "overdue".
func TestConsoleOverdueQueues(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	site.Clock.Set(vn(2, 9, 0))
	id := csSubmitOnline(t, site)
	desk := site.officer("xa-tan-cuong.desk")
	desk.act(t, id, "receive", nil, 200)
	due := str(desk.get("/api/v1/dossiers/"+id).json(t), "due_at") // 3 working days: Thursday 5 Nov
	cases := []struct {
		name          string
		day, h        int
		soon, overdue int
	}{
		{"just received", 2, 10, 0, 0},
		{"the day before", 4, 10, 1, 0},
		{"after the due time", 6, 10, 0, 1},
	}
	for _, tc := range cases {
		site.Clock.Set(vn(tc.day, tc.h, 0))
		b := desk.csHTML("/can-bo").Body
		if got := [2]int{csQueueCount(t, b, "sap-den-han"), csQueueCount(t, b, "qua-han")}; got != [2]int{tc.soon, tc.overdue} {
			t.Errorf("%s (due %s): due soon, overdue = %v, want %v", tc.name, due, got, [2]int{tc.soon, tc.overdue})
		}
		list := desk.csHTML("/can-bo?hang=sap-den-han").Body
		if listed := strings.Contains(list, "/can-bo/ho-so/"); listed != (tc.soon == 1) {
			t.Errorf("%s: due-soon list shows the dossier = %v", tc.name, listed)
		}
	}
}

// TestConsoleReception files a counter dossier from the generated form and the checklist:
// errors next to their fields with the typed values kept, then success and reception.
func TestConsoleReception(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	desk := site.officer("xa-tan-cuong.desk")
	if r := site.officer("xa-tan-cuong.specialist").csHTML("/can-bo/tiep-nhan"); r.Status != 403 {
		t.Errorf("specialist reception page: %d, want 403", r.Status)
	}
	pg := desk.csHTML("/can-bo/tiep-nhan?thu-tuc=HKD.01")
	if pg.Status != 200 || !strings.Contains(pg.Body, `name="f.nguoi_nop_ho_ten"`) || !strings.Contains(pg.Body, `name="quet.GDN"`) || !strings.Contains(pg.Body, `<option value="xa-tan-cuong" selected>`) {
		t.Fatalf("reception form: %d", pg.Status)
	}
	post := func(fields map[string]string, scan []byte) csResp {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		if scan != nil {
			fw, _ := mw.CreateFormFile("quet.GDN", "scan.pdf")
			_, _ = fw.Write(scan)
		}
		mw.Close()
		return desk.csPage("POST", "/can-bo/tiep-nhan", &buf, mw.FormDataContentType())
	}
	fields := map[string]string{"thu-tuc": "HKD.01", "channel": "desk", "authority": "xa-tan-cuong", "idem": "t1",
		"f.nguoi_nop_ho_ten": "Lê Văn Cường", "f.nguoi_nop_so_dinh_danh": "12345", "f.nguoi_nop_dien_thoai": "0912345678",
		"f.ten_ho_kinh_doanh": "Hộ kinh doanh Cường", "f.dia_diem_kinh_doanh": "Xóm 2", "f.nganh_nghe": "Bán chè", "f.von_kinh_doanh": "20.000.000", "giay.GDN": "1"}
	// Paper without its scan, and an invalid personal ID.
	r := post(fields, nil)
	if r.Status != 422 || !strings.Contains(r.Body, `id="quet-GDN-error"`) || !strings.Contains(r.Body, `value="Lê Văn Cường"`) {
		t.Fatalf("paper without scan: %d %.300s", r.Status, r.Body)
	}
	r = post(fields, pdfBytes("GDN"))
	if r.Status != 422 || !strings.Contains(r.Body, `id="f.nguoi_nop_so_dinh_danh-error"`) || !strings.Contains(r.Body, `value="Hộ kinh doanh Cường"`) {
		t.Fatalf("bad personal ID: %d %.400s", r.Status, r.Body)
	}
	fields["f.nguoi_nop_so_dinh_danh"] = "019092001111"
	r = post(fields, pdfBytes("GDN"))
	if r.Status != 303 || !strings.Contains(r.Location, "?xong=nop") {
		t.Fatalf("file counter dossier: %d %.400s", r.Status, r.Body)
	}
	pg = desk.csHTML(r.Location)
	if !strings.Contains(pg.Body, "/thao-tac/receive") || !strings.Contains(pg.Body, "Trực tiếp tại quầy") {
		t.Fatalf("counter dossier page lacks reception")
	}
	ref := strings.TrimPrefix(strings.Split(r.Location, "?")[0], "/can-bo/ho-so/")
	r = desk.csAct(ref, "receive", csVersion(t, pg), nil)
	if r.Status != 303 {
		t.Fatalf("receive: %d", r.Status)
	}
	code := strings.TrimPrefix(strings.Split(r.Location, "?")[0], "/can-bo/ho-so/")
	receipt := desk.get("/api/v1/dossiers/" + code + "/forms/receipt.pdf")
	if receipt.Status != 200 || !bytes.HasPrefix(receipt.Body, []byte("%PDF")) {
		t.Errorf("receipt: %d", receipt.Status)
	}
}
