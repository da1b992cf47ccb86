package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// portalPage is one HTML answer of the portal, redirects not followed.
type portalPage struct {
	Status   int
	Location string
	Body     string
}

// has reports whether the page contains s (HTML-escaped as a template would write it).
func (p portalPage) has(s string) bool {
	return strings.Contains(p.Body, s) || strings.Contains(p.Body, html.EscapeString(s))
}

// portalBrowse sends a browser request (HTML, cookies, no redirect following).
func (c *client) portalBrowse(method, path string, body io.Reader, contentType string) portalPage {
	c.s.t.Helper()
	req, err := http.NewRequest(method, c.s.URL+path, body)
	if err != nil {
		c.s.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return portalPage{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(b)}
}

// portalPost posts a multipart form as a browser without script would: the CSRF token in the
// csrf_token field, files in their inputs.
func (c *client) portalPost(path string, fields url.Values, files map[string][]byte) portalPage {
	c.s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField(auth.CSRFFormField, c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for input, content := range files {
		fw, _ := mw.CreateFormFile(input, strings.TrimPrefix(input, "doc.")+".pdf")
		_, _ = fw.Write(content)
	}
	mw.Close()
	return c.portalBrowse("POST", path, &buf, mw.FormDataContentType())
}

// portalHKDFields is a complete HKD.01 (business household registration) submission at Tân Cương.
func portalHKDFields() url.Values {
	return url.Values{
		"authority": {"xa-tan-cuong"}, "f.nguoi_nop_ho_ten": {"Nguyễn Văn An"}, "f.nguoi_nop_so_dinh_danh": {anID},
		"f.nguoi_nop_dien_thoai": {anPhone}, "f.ten_ho_kinh_doanh": {"Hộ kinh doanh Chè An"}, "f.dia_diem_kinh_doanh": {"Xóm 1, xã Tân Cương"},
		"f.nganh_nghe": {"Chế biến chè"}, "f.von_kinh_doanh": {"50.000.000"},
	}
}

var portalDossierPath = regexp.MustCompile(`^/ho-so-cua-toi/([^/?]+)\?tb=da-nop$`)

// portalSubmitHKD files an HKD.01 dossier through the portal form and returns its id.
func portalSubmitHKD(t *testing.T, c *client) string {
	t.Helper()
	r := c.portalPost("/nop-ho-so/HKD.01", portalHKDFields(), map[string][]byte{"doc.GDN": pdfBytes("GDN")})
	m := portalDossierPath.FindStringSubmatch(r.Location)
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("submit HKD.01: %d to %q: %.2000s", r.Status, r.Location, r.Body)
	}
	return m[1]
}

// TestPortalSubmitForm: the generated form of a commune procedure, prefilled for the signed-in
// applicant, with the commune choice, the document inputs and the fee; a procedure that cannot
// be submitted online says so; officers and anonymous visitors are kept out.
func TestPortalSubmitForm(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	an := site.applicant("vneid-demo-0001")
	r := an.portalBrowse("GET", "/nop-ho-so/HKD.01", nil, "")
	if r.Status != 200 {
		t.Fatalf("GET: %d %.500s", r.Status, r.Body)
	}
	for _, want := range []string{
		`name="csrf_token" value="` + an.csrf + `"`,
		`enctype="multipart/form-data"`,
		`id="f.nguoi_nop_ho_ten" name="f.nguoi_nop_ho_ten" type="text" value="Nguyễn Văn An"`, // prefilled from the identity
		`value="` + anID + `"`,
		`<label for="f.ten_ho_kinh_doanh">`,
		`id="f.von_kinh_doanh" name="f.von_kinh_doanh" type="text" value="" inputmode="numeric"`,
		`<option value="xa-tan-cuong">`, // the communes
		`<option value="">— Chọn xã, phường —</option>`,
		`type="file" id="doc.GDN" name="doc.GDN"`,
		`(bắt buộc)`,
		`Phí, lệ phí`,
	} {
		if !r.has(want) {
			t.Errorf("form lacks %q", want)
		}
	}
	// The 200 KB first-load budget of issue 7: the page and its stylesheets and script.
	size := len(r.Body)
	for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(r.Body, -1) {
		size += len(an.get(m[1]).Body)
	}
	if t.Logf("submission form first load: %d bytes", size); size > 200<<10 {
		t.Errorf("submission form first load %d bytes, over 200 KB", size)
	}
	if strings.Contains(r.Body, `<option value="xa-tan-cuong" selected>`) {
		t.Error("a commune is preselected; the default must be none")
	}
	// Fee shown before submitting: 2.000.635 charges per copy, quoted for 1 before typing.
	r = an.portalBrowse("GET", "/nop-ho-so/2.000635", nil, "")
	if r.Status != 200 || !r.has("Tổng cộng") || !r.has("Tạm tính với 1 bản") || !r.has(`<select id="f.loai_trich_luc"`) {
		t.Errorf("fee/enum on 2.000635: %d %.3000s", r.Status, r.Body)
	}
	// 2.000884 cannot be filed online.
	if r := an.portalBrowse("GET", "/nop-ho-so/2.000884", nil, ""); r.Status != 200 || !r.has("chưa được nộp trực tuyến") || strings.Contains(r.Body, `action="/nop-ho-so/`) {
		t.Errorf("offline procedure: %d %.1000s", r.Status, r.Body)
	}
	if r := an.portalBrowse("GET", "/nop-ho-so/KHONG.CO", nil, ""); r.Status != 404 {
		t.Errorf("unknown procedure: %d", r.Status)
	}
	if r := site.public().portalBrowse("GET", "/nop-ho-so/HKD.01", nil, ""); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/dang-nhap?next=") {
		t.Errorf("anonymous: %d %q, want a redirect to sign in", r.Status, r.Location)
	}
	if r := site.officer("xa-tan-cuong.desk").get("/nop-ho-so/HKD.01"); r.Status != 403 {
		t.Errorf("officer: %d, want 403", r.Status)
	}
}

// TestPortalSubmitValidation: a refused form keeps every typed value and shows each error in
// Vietnamese next to its field (aria-describedby), the summary links to the fields, and no
// dossier is filed.
func TestPortalSubmitValidation(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	an := site.applicant("vneid-demo-0001")
	f := portalHKDFields()
	f.Del("authority")
	f.Del("f.nganh_nghe")
	f.Set("f.von_kinh_doanh", "năm mươi triệu")
	f.Set("f.nguoi_nop_dien_thoai", "12345")
	r := an.portalPost("/nop-ho-so/HKD.01", f, nil)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %.1000s", r.Status, r.Body)
	}
	for _, want := range []string{
		`value="Hộ kinh doanh Chè An"`, `value="Xóm 1, xã Tân Cương"`, `value="năm mươi triệu"`, `value="12345"`, // kept
		`aria-describedby="f.von_kinh_doanh-error"`, `<p class="field-error" id="f.von_kinh_doanh-error">Vốn kinh doanh (đồng) phải là số nguyên.</p>`,
		`id="f.nganh_nghe-error">`, `là bắt buộc.</p>`,
		`id="f.nguoi_nop_dien_thoai-error">`, `không đúng định dạng.`,
		`id="authority-error">Hãy chọn xã, phường giải quyết hồ sơ.</p>`,
		`id="doc.GDN-error">Chưa đính kèm`,
		`<a href="#f.von_kinh_doanh">`, `<a href="#authority">`,
		`aria-invalid="true"`,
	} {
		if !r.has(want) {
			t.Errorf("refused form lacks %q", want)
		}
	}
	if n, _ := site.Store.QueryIntForTest(context.Background(), "SELECT COUNT(*) FROM dossiers"); n != 0 {
		t.Fatalf("%d dossiers after a refused form", n)
	}
	// An upload that came with a refused form is kept (checked box), and counts on resubmission.
	f = portalHKDFields()
	f.Del("f.nganh_nghe")
	r = an.portalPost("/nop-ho-so/HKD.01", f, map[string][]byte{"doc.GDN": pdfBytes("GDN kept")})
	if r.Status != http.StatusUnprocessableEntity || !r.has(`name="uploaded.GDN"`) || r.has(`id="doc.GDN-error"`) {
		t.Fatalf("upload with a refused form: %d %.3000s", r.Status, r.Body)
	}
	kept := html.UnescapeString(regexp.MustCompile(`name="uploaded.GDN" value="([^"]+)"`).FindStringSubmatch(r.Body)[1])
	f = portalHKDFields()
	f.Set("uploaded.GDN", kept)
	r = an.portalPost("/nop-ho-so/HKD.01", f, nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("resubmission with the kept upload: %d %.2000s", r.Status, r.Body)
	}
	id := portalDossierPath.FindStringSubmatch(r.Location)[1]
	d := an.get("/api/v1/dossiers/" + id).json(t)
	docs, _ := d["documents"].([]any)
	if len(docs) != 1 || str(docs[0].(map[string]any), "component") != "GDN" || d["form"].(map[string]any)["von_kinh_doanh"] != float64(50000000) {
		t.Errorf("filed dossier: documents %v form %v", docs, d["form"])
	}
	// A file the store refuses (not a document type) is reported next to its component.
	r = an.portalPost("/nop-ho-so/HKD.01", portalHKDFields(), map[string][]byte{"doc.GDN": []byte("MZ\x90\x00 not a document")})
	if r.Status != http.StatusUnprocessableEntity || !r.has(`id="doc.GDN-error">GDN.pdf: `) {
		t.Errorf("refused file: %d %.3000s", r.Status, r.Body)
	}
}

// TestPortalDossierLifecycle: submit with an upload, see the receipt after the desk receives
// it, supplement when asked, reuse a document in a later dossier, withdraw with confirmation;
// other applicants get 404 on every page and action. On both engines.
func TestPortalDossierLifecycle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		site := newSite(t, s)
		an := site.applicant("vneid-demo-0001")
		binh := site.applicant("vneid-demo-0002")
		desk := site.officer("xa-tan-cuong.desk")
		id := portalSubmitHKD(t, an)

		r := an.portalBrowse("GET", "/ho-so-cua-toi/"+id+"?tb=da-nop", nil, "")
		for _, want := range []string{"Đã nộp hồ sơ thành công", "Đã nộp, chờ tiếp nhận", "Chưa có — mã hồ sơ", "Đã nộp hồ sơ", "GDN.pdf", "Xã Tân Cương"} {
			if !r.has(want) {
				t.Errorf("new dossier page lacks %q", want)
			}
		}
		if r.Status != 200 || r.has("receipt.pdf") {
			t.Errorf("before reception: %d, receipt link %v", r.Status, r.has("receipt.pdf"))
		}
		// Other applicants: 404 on the page and on every action.
		for _, path := range []string{"/ho-so-cua-toi/" + id} {
			if got := binh.portalBrowse("GET", path, nil, "").Status; got != 404 {
				t.Errorf("another applicant GET %s: %d", path, got)
			}
		}
		for _, act := range []string{"rut", "danh-gia", "bo-sung"} {
			if got := binh.portalPost("/ho-so-cua-toi/"+id+"/"+act, url.Values{"confirm": {"yes"}, "score": {"5"}}, nil).Status; got != 404 {
				t.Errorf("another applicant POST %s: %d, want 404", act, got)
			}
		}

		// The desk asks for a new application form; the applicant supplements.
		desk.act(t, id, "request-supplement", map[string]any{"components": []string{"GDN"}, "reason": "Giấy đề nghị thiếu chữ ký"}, 200)
		r = an.portalBrowse("GET", "/ho-so-cua-toi/"+id, nil, "")
		if !r.has("Bổ sung hồ sơ") || !r.has("Giấy đề nghị thiếu chữ ký") || !r.has(`action="/ho-so-cua-toi/`+id+`/bo-sung"`) || !r.has("Yêu cầu bổ sung, hoàn thiện hồ sơ") {
			t.Fatalf("supplement requested page: %.3000s", r.Body)
		}
		r = an.portalPost("/ho-so-cua-toi/"+id+"/bo-sung", nil, nil)
		if r.Status != http.StatusUnprocessableEntity || !r.has(`id="doc.GDN-error">Chưa chọn tệp`) {
			t.Errorf("supplement without file: %d %.2000s", r.Status, r.Body)
		}
		r = an.portalPost("/ho-so-cua-toi/"+id+"/bo-sung", nil, map[string][]byte{"doc.GDN": pdfBytes("GDN signed")})
		if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location, "?tb=da-bo-sung") {
			t.Fatalf("supplement: %d %q %.2000s", r.Status, r.Location, r.Body)
		}
		if st := str(an.get("/api/v1/dossiers/"+id).json(t), "status"); st != "submitted" {
			t.Fatalf("after supplement: %s", st)
		}

		// The desk receives: the page shows the code, the due date and the receipt.
		desk.act(t, id, "receive", nil, 200)
		code := str(desk.get("/api/v1/dossiers/"+id).json(t), "code")
		r = an.portalBrowse("GET", "/ho-so-cua-toi/"+code, nil, "")
		for _, want := range []string{code, "Đã tiếp nhận", "Bộ phận Một cửa đã tiếp nhận hồ sơ", "/api/v1/dossiers/" + code + "/forms/receipt.pdf", "Ngày hẹn trả kết quả", "Rút hồ sơ"} {
			if !r.has(want) {
				t.Errorf("received dossier page lacks %q", want)
			}
		}
		if pdf := an.get("/api/v1/dossiers/" + code + "/forms/receipt.pdf"); pdf.Status != 200 || !bytes.HasPrefix(pdf.Body, []byte("%PDF")) {
			t.Errorf("receipt link: %d", pdf.Status)
		}
		// "My dossiers" lists it with its code and status.
		r = an.portalBrowse("GET", "/ho-so-cua-toi", nil, "")
		if r.Status != 200 || !r.has(code) || !r.has("Đã tiếp nhận") || !r.has("Đăng ký thành lập hộ kinh doanh") && !r.has(`href="/ho-so-cua-toi/`+code+`"`) {
			t.Errorf("my dossiers: %d %.2000s", r.Status, r.Body)
		}
		if r := binh.portalBrowse("GET", "/ho-so-cua-toi", nil, ""); r.has(code) {
			t.Error("another applicant's list shows the dossier")
		}

		// Withdraw: refused without the confirmation (reason kept), then done.
		r = an.portalPost("/ho-so-cua-toi/"+code+"/rut", url.Values{"reason": {"Nộp nhầm thủ tục"}}, nil)
		if r.Status != http.StatusUnprocessableEntity || !r.has(`id="confirm-error">Hãy đánh dấu xác nhận rút hồ sơ.`) || !r.has("Nộp nhầm thủ tục</textarea>") || !r.has(`aria-describedby="confirm-error"`) {
			t.Errorf("withdraw without confirmation: %d %.3000s", r.Status, r.Body)
		}
		r = an.portalPost("/ho-so-cua-toi/"+code+"/rut", url.Values{"reason": {"Nộp nhầm thủ tục"}, "confirm": {"yes"}}, nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d %.2000s", r.Status, r.Body)
		}
		r = an.portalBrowse("GET", r.Location, nil, "")
		if !r.has("Đã rút hồ sơ") || !r.has("Lý do: Nộp nhầm thủ tục") || r.has(`action="/ho-so-cua-toi/`+code+`/rut"`) {
			t.Errorf("withdrawn page: %.3000s", r.Body)
		}
		// Withdrawing again is refused by the engine, shown on the page.
		r = an.portalPost("/ho-so-cua-toi/"+code+"/rut", url.Values{"confirm": {"yes"}}, nil)
		if r.Status != http.StatusUnprocessableEntity || !r.has("Không thể rút hồ sơ") {
			t.Errorf("second withdrawal: %d %.1500s", r.Status, r.Body)
		}
	})
}

// TestPortalReuse: a typed document of an earlier dossier is offered for the same component
// type in a new one and filed as reused; a hash that is not the applicant's is refused.
func TestPortalReuse(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	an := site.applicant("vneid-demo-0001")
	binh := site.applicant("vneid-demo-0002")
	// 1.004222 (residence registration) asks for CHO (doc_type CHO_O).
	fields := url.Values{"authority": {"xa-tan-cuong"}, "f.nguoi_nop_ho_ten": {"Nguyễn Văn An"}, "f.nguoi_nop_so_dinh_danh": {anID},
		"f.nguoi_nop_dien_thoai": {anPhone}, "f.dia_chi_thuong_tru": {"Xóm 1, xã Tân Cương"}}
	r := an.portalPost("/nop-ho-so/1.004222", fields, map[string][]byte{"doc.CT01": pdfBytes("CT01"), "doc.CHO": pdfBytes("CHO")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("first dossier: %d %.3000s", r.Status, r.Body)
	}
	first := portalDossierPath.FindStringSubmatch(r.Location)[1]
	var hash string
	for _, d := range an.get("/api/v1/dossiers/" + first).json(t)["documents"].([]any) {
		if m := d.(map[string]any); m["component"] == "CHO" {
			hash = str(m, "hash")
		}
	}
	r = an.portalBrowse("GET", "/nop-ho-so/1.004222", nil, "")
	if !r.has(`name="reuse.CHO" value="`+hash+`"`) || r.has(`name="reuse.CT01"`) {
		t.Fatalf("reuse not offered for CHO only: %.4000s", r.Body)
	}
	if r := binh.portalBrowse("GET", "/nop-ho-so/1.004222", nil, ""); r.has(hash) {
		t.Error("another applicant is offered An's document")
	}
	// Binh cannot reuse An's document by sending its hash.
	bf := url.Values{"authority": {"xa-tan-cuong"}, "f.nguoi_nop_ho_ten": {"Trần Thị Bình"}, "f.nguoi_nop_so_dinh_danh": {"019192004567"},
		"f.nguoi_nop_dien_thoai": {"0987654321"}, "f.dia_chi_thuong_tru": {"Tổ 5"}, "reuse.CHO": {hash}}
	r = binh.portalPost("/nop-ho-so/1.004222", bf, map[string][]byte{"doc.CT01": pdfBytes("CT01 b")})
	if r.Status != http.StatusUnprocessableEntity || !r.has(`id="doc.CHO-error">Giấy tờ chọn dùng lại không còn`) {
		t.Errorf("foreign reuse: %d %.3000s", r.Status, r.Body)
	}
	fields.Set("reuse.CHO", hash)
	r = an.portalPost("/nop-ho-so/1.004222", fields, map[string][]byte{"doc.CT01": pdfBytes("CT01 again")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("second dossier: %d %.3000s", r.Status, r.Body)
	}
	second := portalDossierPath.FindStringSubmatch(r.Location)[1]
	found := false
	for _, d := range an.get("/api/v1/dossiers/" + second).json(t)["documents"].([]any) {
		m := d.(map[string]any)
		if m["component"] == "CHO" && str(m, "hash") == hash && m["reused"] == true && m["from_vault"] == true {
			found = true
		}
	}
	if !found {
		t.Errorf("second dossier does not carry the reused CHO document")
	}
	if r := an.portalBrowse("GET", "/ho-so-cua-toi/"+second, nil, ""); !r.has("dùng lại") {
		t.Error("dossier page does not mark the reused document")
	}
}

// portalWalkToReturned takes a received HKD.01 dossier of Tân Cương through processing to
// the electronic return of its result.
func portalWalkToReturned(t *testing.T, site *site, ref string) {
	t.Helper()
	desk, leader := site.officer("xa-tan-cuong.desk"), site.officer("xa-tan-cuong.leader")
	desk.act(t, ref, "forward", nil, 200)
	leader.act(t, ref, "approve", map[string]any{"note": "Đồng ý"}, 200)
	leader.act(t, ref, "issue-result", map[string]any{"documents": []map[string]any{{"name": "Giấy chứng nhận đăng ký hộ kinh doanh", "electronic": true}}}, 200)
	desk.act(t, ref, "return-result", map[string]any{"method": "electronic"}, 200)
}

// TestPortalRate: after the result is returned the applicant rates once, 1 to 5; a missing
// score is refused next to the choice, the comment kept.
func TestPortalRate(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	an := site.applicant("vneid-demo-0001")
	id := portalSubmitHKD(t, an)
	if r := an.portalBrowse("GET", "/ho-so-cua-toi/"+id, nil, ""); r.has(`/danh-gia"`) {
		t.Error("rating offered before the return")
	}
	site.officer("xa-tan-cuong.desk").act(t, id, "receive", nil, 200)
	portalWalkToReturned(t, site, id)
	ref := id
	r := an.portalBrowse("GET", "/ho-so-cua-toi/"+ref, nil, "")
	if !r.has("Đánh giá mức độ hài lòng") || !r.has(`name="score" value="5"`) || r.has(`/rut"`) || !r.has("Đã trả kết quả") {
		t.Fatalf("returned dossier page: %.3000s", r.Body)
	}
	r = an.portalPost("/ho-so-cua-toi/"+ref+"/danh-gia", url.Values{"comment": {"Cán bộ hướng dẫn tận tình"}}, nil)
	if r.Status != http.StatusUnprocessableEntity || !r.has(`id="score-error">Hãy chọn mức độ hài lòng từ 1 đến 5.`) || !r.has("Cán bộ hướng dẫn tận tình</textarea>") {
		t.Errorf("rating without score: %d %.3000s", r.Status, r.Body)
	}
	r = an.portalPost("/ho-so-cua-toi/"+ref+"/danh-gia", url.Values{"score": {"4"}, "comment": {"Cán bộ hướng dẫn tận tình"}}, nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("rating: %d %.2000s", r.Status, r.Body)
	}
	var d struct {
		Rating int `json:"rating"`
	}
	if err := json.Unmarshal(an.get("/api/v1/dossiers/"+ref).Body, &d); err != nil || d.Rating != 4 {
		t.Errorf("rating stored: %d (%v)", d.Rating, err)
	}
	r = an.portalBrowse("GET", "/ho-so-cua-toi/"+ref+"?tb=da-danh-gia", nil, "")
	if !r.has("Cảm ơn bạn đã đánh giá") || !r.has("4/5 — Cán bộ hướng dẫn tận tình") || r.has(`action="/ho-so-cua-toi/`+ref+`/danh-gia"`) {
		t.Errorf("rated page: %.3000s", r.Body)
	}
	// Rating twice is the engine's refusal, shown on the page.
	r = an.portalPost("/ho-so-cua-toi/"+ref+"/danh-gia", url.Values{"score": {"1"}}, nil)
	if r.Status != http.StatusUnprocessableEntity || !r.has(`class="error-summary" role="alert"`) {
		t.Errorf("second rating: %d %.2000s", r.Status, r.Body)
	}
}

// TestPortalDocumentDownload: the applicant opens their own document; another applicant
// cannot.
func TestPortalDocumentDownload(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	site.Clock.Set(vn(2, 9, 0))
	an := site.applicant("vneid-demo-0001")
	content := pdfBytes("giay de nghi")
	up := an.upload("/api/v1/files", "giay-de-nghi.pdf", content, nil)
	hash := str(up.json(t), "hash")
	r := an.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "online", "authority": "xa-tan-cuong",
		"documents": []map[string]any{{"component": "GDN", "name": "giay-de-nghi.pdf", "hash": hash}}, "form": map[string]any{
			"nguoi_nop_ho_ten": "Nguyễn Văn An", "nguoi_nop_so_dinh_danh": anID, "nguoi_nop_dien_thoai": anPhone,
			"ten_ho_kinh_doanh": "Hộ kinh doanh An", "dia_diem_kinh_doanh": "Xóm 1", "nganh_nghe": "Chè", "von_kinh_doanh": 1000000}}, nil)
	id := str(r.json(t), "id")
	page := an.do("GET", "/ho-so-cua-toi/"+id, nil, map[string]string{"Accept": "text/html"})
	if !strings.Contains(string(page.Body), "/tai-lieu?h="+hash) {
		t.Fatalf("dossier page has no link to the document: %d %s", page.Status, page.Body)
	}
	doc := an.get("/ho-so-cua-toi/" + id + "/tai-lieu?h=" + hash)
	if doc.Status != 200 || !bytes.Equal(doc.Body, content) || doc.Header.Get("Content-Type") != "application/pdf" || doc.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("document: %d %q", doc.Status, doc.Header.Get("Content-Type"))
	}
	if r := site.applicant("vneid-demo-0002").get("/ho-so-cua-toi/" + id + "/tai-lieu?h=" + hash); r.Status != 404 {
		t.Fatalf("another applicant: %d", r.Status)
	}
}
