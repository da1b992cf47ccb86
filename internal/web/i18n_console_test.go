package web_test

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

var (
	csH1 = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)
	// vietnameseLetter matches a letter only Vietnamese uses (a vowel with a diacritic or đ).
	vietnameseLetter = regexp.MustCompile(`[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]`)
)

// wantEnglish checks that an answer is an English page: lang="en", an <h1> without Vietnamese,
// each of want present and none of unwanted.
func wantEnglish(t *testing.T, name string, status int, body string, wantStatus int, want, unwanted []string) {
	t.Helper()
	if status != wantStatus || !strings.Contains(body, `<html lang="en">`) {
		t.Fatalf("%s: %d (want %d), lang en %v: %.1500s", name, status, wantStatus, strings.Contains(body, `<html lang="en">`), body)
	}
	h1 := csH1.FindStringSubmatch(body)
	if h1 == nil {
		t.Errorf("%s: no <h1>", name)
	} else if vietnameseLetter.MatchString(h1[1]) {
		t.Errorf("%s: Vietnamese heading %q", name, h1[1])
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", name, w)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s still has %q", name, u)
		}
	}
}

// TestLanguageConsoleDossier: the console's dossier page, its action forms, their errors and
// the notice after an action in English; the procedure's and the dossier's own data stay as
// they are.
func TestLanguageConsoleDossier(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	id := csSubmitOnline(t, site)
	desk := site.officer("xa-tan-cuong.desk")

	r := desk.csHTML("/can-bo/ho-so/" + id + "?lang=en")
	wantEnglish(t, "dossier page", r.Status, r.Body, 200, []string{
		"<h1>Dossier awaiting reception</h1>", "Submitted, awaiting reception", "Dossier details", "Handling authority", "Channel</dt><dd>Online</dd>",
		"Applicant</h2>", "This view of personal data is recorded in the access log.", "Application form (", "Processing control sheet",
		"The dossier has not been received yet", "History", "Dossier submitted", "Available actions", "Receive the dossier",
		"Request a supplement", "Refuse reception", "Confirm «Receive the dossier» on this dossier?", "Confirm: Receive the dossier",
		"Hộ kinh doanh Chè An", // the applicant's form data as typed
	}, []string{"Thông tin hồ sơ", "Thao tác có thể thực hiện", "Tiếp nhận hồ sơ", "Lịch sử xử lý", "Xác nhận"})

	// A form error in English next to its field; the typed reason of another form is kept.
	ver := csVersion(t, r)
	r = desk.csPostForm("/can-bo/ho-so/"+id+"/thao-tac/reject?lang=en", url.Values{"version": {ver}, "confirm": {"1"}, "reason": {" "}})
	wantEnglish(t, "refused action", r.Status, r.Body, 422, []string{"Please check the marked fields.", `id="reject-reason-error">Give the reason for refusing reception.</p>`}, nil)

	// Done: the notice names the action in English; the badge and the control sheet follow.
	r = desk.csPostForm("/can-bo/ho-so/"+id+"/thao-tac/receive?lang=en", url.Values{"version": {ver}, "confirm": {"1"}})
	if r.Status != 303 {
		t.Fatalf("receive: %d %.1000s", r.Status, r.Body)
	}
	r = desk.csHTML(r.Location + "&lang=en")
	wantEnglish(t, "received dossier", r.Status, r.Body, 200, []string{"Done: Receive the dossier.", "Received</span>", "Result due", "Print the receipt",
		"<th scope=\"col\">Handed over by</th>", `data-label="Result"`, "Received by the one-stop desk"}, []string{"Đã thực hiện"})

	// Vietnamese stays the default.
	r = desk.csHTML("/can-bo/ho-so/" + id + "?lang=vi")
	if !strings.Contains(r.Body, "Thông tin hồ sơ") || !strings.Contains(r.Body, "Đã tiếp nhận") && !strings.Contains(r.Body, "Phiếu kiểm soát") {
		t.Errorf("Vietnamese dossier page: %.1500s", r.Body)
	}
}

// TestLanguageConsoleDesk: counter reception, bulk approval and the access log in English,
// with their errors.
func TestLanguageConsoleDesk(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	desk := site.officer("xa-tan-cuong.desk")
	r := desk.csHTML("/can-bo/tiep-nhan?lang=en&thu-tuc=HKD.01")
	wantEnglish(t, "reception", r.Status, r.Body, 200, []string{"<h1>Receive a dossier at the desk</h1>", "Reception channel", "In person at the desk",
		"By public postal service", "Competent commune or ward", "Application form", "Document checklist", "Received on paper", "Scan (PDF, JPEG, PNG)",
		"File the dossier", "(required)"}, []string{"Kiểm tra thành phần", "Lập hồ sơ", "(bắt buộc)"})

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"thu-tuc": "HKD.01", "channel": "desk", "authority": "xa-tan-cuong", "idem": "en1", "giay.GDN": "1", "f.von_kinh_doanh": "nhiều"} {
		_ = mw.WriteField(k, v)
	}
	mw.Close()
	r = desk.csPage("POST", "/can-bo/tiep-nhan?lang=en", &buf, mw.FormDataContentType())
	wantEnglish(t, "refused reception", r.Status, r.Body, 422, []string{"A paper document must be scanned (digitized) at reception", "must be a whole number."},
		[]string{"Bản giấy phải được quét", "phải là số nguyên"})
	r = desk.csHTML("/can-bo/tiep-nhan?lang=en&thu-tuc=KHONG.CO")
	wantEnglish(t, "unknown procedure", r.Status, r.Body, 200, []string{"No procedure with code KHONG.CO is in force."}, nil)

	leader := site.officer("xa-tan-cuong.leader")
	r = leader.csHTML("/can-bo/phe-duyet?lang=en")
	wantEnglish(t, "approval", r.Status, r.Body, 200, []string{"<h1>Dossiers awaiting approval</h1>", "No dossier is awaiting approval.", "‹ Workbench"}, nil)
	r = leader.csPostForm("/can-bo/phe-duyet?lang=en", url.Values{"confirm": {"1"}})
	wantEnglish(t, "empty approval", r.Status, r.Body, 422, []string{"No dossier was selected for approval."}, nil)

	id := csSubmitOnline(t, site)
	desk.csHTML("/can-bo/ho-so/" + id) // logged: personal data seen
	r = site.officer("inspector").csHTML("/can-bo/nhat-ky-truy-cap?lang=en")
	wantEnglish(t, "access log", r.Status, r.Body, 200, []string{"<h1>Personal data access log</h1>", "Officer account", "Dossier code",
		`<th scope="col">Request ID</th>`, `data-label="Content">Viewed personal data</td>`, "xa-tan-cuong.desk"}, []string{"Xem dữ liệu cá nhân", "Tài khoản cán bộ"})
}

// TestLanguageSubmitAndCalendar: the online submission form, its error summary and the
// generated form's messages in English; the working calendar in English while the
// administrators' calendar and the Vietnamese page keep their Vietnamese.
func TestLanguageSubmitAndCalendar(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	an := site.applicant("vneid-demo-0001")
	r := an.portalBrowse("GET", "/nop-ho-so/HKD.01?lang=en", nil, "")
	wantEnglish(t, "submission form", r.Status, r.Body, 200, []string{"<h1>Submit online</h1>", "About the procedure", "Where it is handled",
		"— Choose a commune or ward —", "Application form", "Attached documents", "(required)", "Fees and charges", "Submit the dossier",
		"Entries marked", "Đăng ký thành lập hộ kinh doanh"}, []string{"Giấy tờ kèm theo", "Nộp hồ sơ</button>", "(bắt buộc)"})

	fields := portalHKDFields()
	fields.Set("authority", "")
	fields.Set("f.von_kinh_doanh", "nhiều")
	r = an.portalPost("/nop-ho-so/HKD.01", fields, nil) // the cookie carries English
	wantEnglish(t, "refused submission", r.Status, r.Body, 422, []string{"The dossier was not submitted. Please correct the following:",
		"Choose the commune or ward handling the dossier.", "must be a whole number.", "is not attached."}, []string{"Hãy chọn xã, phường"})

	pub := site.public()
	cr := pub.do("GET", "/lich-lam-viec?year=2026&lang=en", nil, map[string]string{"Accept": "text/html"})
	wantEnglish(t, "calendar", cr.Status, string(cr.Body), 200, []string{"<h1>Working calendar of the administrative agencies, 2026</h1>",
		"<title>Working calendar 2026", "Days off and make-up working days", "Legend", "Public holiday (off)", "<h2>January</h2>",
		`aria-hidden="true">Mo</div>`, "Thursday 1/1/2026: public holiday, off", `<th scope="col">Kind</th>`, "Ngày Văn hóa Việt Nam"},
		[]string{"Tháng 1<", "Chú thích", "Thứ Năm"})
	cr = pub.do("GET", "/lich-lam-viec?year=2026&lang=vi", nil, map[string]string{"Accept": "text/html"})
	if b := string(cr.Body); !strings.Contains(b, "<h2>Tháng 1</h2>") || !strings.Contains(b, "Thứ Năm 1/1/2026: ngày lễ, Tết, nghỉ") || !strings.Contains(b, ">T2</div>") {
		t.Errorf("Vietnamese calendar: %.2000s", b)
	}
}
