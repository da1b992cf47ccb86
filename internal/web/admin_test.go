package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// adminForm posts an HTML form (as a browser does, without following the redirect).
func (c *client) adminForm(path string, v url.Values) response {
	c.s.t.Helper()
	return c.adminNoRedirect("POST", path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
}

// adminMultipart posts a multipart form with one file field, without following the redirect.
func (c *client) adminMultipart(path, field, name string, content []byte, fields url.Values) response {
	c.s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile(field, name)
		_, _ = fw.Write(content)
	}
	mw.Close()
	return c.adminNoRedirect("POST", path, &buf, mw.FormDataContentType())
}

func (c *client) adminNoRedirect(method, path string, body io.Reader, ct string) response {
	c.s.t.Helper()
	req, err := http.NewRequest(method, c.s.URL+path, body)
	if err != nil {
		c.s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept", "text/html")
	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b.Bytes()}
}

// adminPage GETs an HTML page.
func (c *client) adminPage(path string) response {
	c.s.t.Helper()
	return c.do("GET", path, nil, map[string]string{"Accept": "text/html"})
}

func adminWant(t *testing.T, what string, r response, status int, contains ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, r.Status, status, r.Body)
	}
	for _, c := range contains {
		if !strings.Contains(string(r.Body), c) {
			t.Errorf("%s: body lacks %q", what, c)
		}
	}
}

func adminAuditSize(t *testing.T, s *store.Store) int {
	t.Helper()
	es, err := s.AuditEntries(context.Background(), store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func TestAdminPages(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	admin := site.officer("admin")
	unitAdmin := site.officer("xa-tan-cuong.unit_admin")
	desk := site.officer("xa-tan-cuong.desk")
	pages := []struct {
		path     string
		contains []string
	}{
		{"/quan-tri", []string{"Quản trị hệ thống", `href="/quan-tri/lich"`}},
		{"/quan-tri/lich", []string{"Lịch làm việc năm 2026", "Các năm đã có thông báo", "Tết Nguyên Đán", "Ngày lễ, Tết", `class="visually-hidden">Thứ Năm 1/1/2026: ngày lễ, Tết, nghỉ — Tết Dương lịch`, "Lễ</small>"}},
		{"/quan-tri/lich?year=2030", []string{"chưa có thông báo chính thức"}},
		{"/quan-tri/don-vi", []string{"Xã Tân Cương", "Trung tâm Phục vụ hành chính công"}},
		{"/quan-tri/don-vi/xa-tan-cuong", []string{"Bộ phận một cửa", "07:30-11:30,13:00-17:00", "xa-tan-cuong.desk"}},
		{"/quan-tri/can-bo?don-vi=xa-tan-cuong", []string{"xa-tan-cuong.leader", "Lãnh đạo phê duyệt", "Tạo tài khoản cán bộ"}},
		{"/quan-tri/can-bo?u=xa-tan-cuong.desk", []string{"Khóa tài khoản", "Cấp lại mã xác thực hai lớp"}},
		{"/quan-tri/nhat-ky", []string{"Nhật ký thay đổi", "import"}},
		{"/quan-tri/thu-tuc", []string{"HKD.01", "xuat.json", "xuat.xlsx"}},
		{"/quan-tri/dong-bo", []string{"Đồng bộ với Cổng Dịch vụ công quốc gia", "không có tin nào đang chờ", "Không có tin nào bị lỗi.", `href="/quan-tri/dong-bo" aria-current="page"`}},
		{"/quan-tri/thu-tuc/HKD.01?quay=xa-dai-phuc&noi-giai-quyet=xa-tan-cuong", []string{"Nơi xử lý theo bộ phận tiếp nhận", "Cơ quan có thẩm quyền: <strong>Xã Tân Cương</strong>"}},
	}
	for _, pg := range pages {
		adminWant(t, "GET "+pg.path+" as admin", admin.adminPage(pg.path), 200, pg.contains...)
	}

	// The public calendar labels every day kind in text, with a legend.
	adminWant(t, "public calendar", site.public().adminPage("/lich-lam-viec?year=2026"), 200,
		"Chú thích", `Thứ Sáu 2/1/2026: nghỉ bù, hoán đổi`, `Thứ Bảy 10/1/2026: làm việc bù`, "Làm bù</small>")

	// Unit administrators: their own unit only; province-wide pages are refused (403).
	adminWant(t, "own unit", unitAdmin.adminPage("/quan-tri/don-vi/xa-tan-cuong"), 200, "Các buổi làm việc")
	adminWant(t, "other unit", unitAdmin.adminPage("/quan-tri/don-vi/xa-dai-phuc"), 403)
	adminWant(t, "calendar as unit admin", unitAdmin.adminPage("/quan-tri/lich"), 403)
	adminWant(t, "catalog as unit admin", unitAdmin.adminPage("/quan-tri/thu-tuc"), 403)
	adminWant(t, "sync as unit admin", unitAdmin.adminPage("/quan-tri/dong-bo"), 403)
	adminWant(t, "export as unit admin", unitAdmin.adminPage("/quan-tri/thu-tuc/xuat.json"), 403)
	list := unitAdmin.adminPage("/quan-tri/can-bo")
	adminWant(t, "officers as unit admin", list, 200, "xa-tan-cuong.desk")
	if strings.Contains(string(list.Body), "xa-dai-phuc.desk") {
		t.Error("a unit administrator sees officers of another unit")
	}
	adminWant(t, "officer of another unit", unitAdmin.adminPage("/quan-tri/can-bo?u=xa-dai-phuc.desk"), 200)
	if strings.Contains(string(unitAdmin.adminPage("/quan-tri/can-bo?u=xa-dai-phuc.desk").Body), "Khóa tài khoản") {
		t.Error("a unit administrator gets actions on an officer of another unit")
	}
	units := string(unitAdmin.adminPage("/quan-tri/don-vi").Body)
	if !strings.Contains(units, "Xã Tân Cương") || strings.Contains(units, "Xã Đại Phúc") {
		t.Error("the unit list of a unit administrator is not limited to their unit")
	}

	// Officers without the configure role are refused everywhere.
	for _, p := range []string{"/quan-tri", "/quan-tri/lich", "/quan-tri/can-bo", "/quan-tri/don-vi/xa-tan-cuong", "/quan-tri/nhat-ky"} {
		adminWant(t, "GET "+p+" as desk officer", desk.adminPage(p), 403)
	}
	adminWant(t, "POST as desk officer", desk.adminForm("/quan-tri/don-vi/xa-tan-cuong/gio-lam-viec", url.Values{"sessions": {"07:00-11:00,13:30-17:30"}}), 403)
	adminWant(t, "unknown unit", admin.adminPage("/quan-tri/don-vi/khong-co"), 404)
	adminWant(t, "unknown procedure", admin.adminPage("/quan-tri/thu-tuc/KHONG.CO"), 404)
}

func TestAdminCalendarNotice(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	admin := site.officer("admin")
	ctx := context.Background()
	notice := `{"year": 2027, "source": "Thông báo thử", "days_off": [{"date": "2027-01-01", "kind": "holiday", "name": "Tết Dương lịch"}, {"date": "2027-01-04", "kind": "day_off", "name": "Nghỉ hoán đổi"}], "working_days": [{"date": "2027-01-09", "kind": "working_day", "name": "Làm bù"}]}`

	bad := []struct{ name, body string }{
		{"date outside its year", strings.Replace(notice, "2027-01-04", "2028-01-04", 1)},
		{"duplicate date", strings.Replace(notice, "2027-01-04", "2027-01-01", 1)},
		{"malformed JSON", `{"year": 2027,`},
		{"empty", ""},
	}
	before := adminAuditSize(t, site.Store)
	years, _ := site.App.NoticeYears(ctx)
	for _, b := range bad {
		r := admin.adminForm("/quan-tri/lich", url.Values{"notice": {b.body}})
		adminWant(t, b.name, r, 400, "Thông báo chưa được lưu; lịch làm việc không thay đổi.", `aria-describedby="notice-error"`)
		if b.body != "" && !strings.Contains(string(r.Body), adminEscaped(b.body)) {
			t.Errorf("%s: the form lost what was typed", b.name)
		}
	}
	if got, _ := site.App.NoticeYears(ctx); len(got) != len(years) {
		t.Fatalf("a refused notice changed the years: %v -> %v", years, got)
	}
	if n := adminAuditSize(t, site.Store); n != before {
		t.Fatalf("a refused notice wrote %d audit entries", n-before)
	}

	// A good notice, uploaded as a file.
	r := admin.adminMultipart("/quan-tri/lich", "file", "2027.json", []byte(notice), url.Values{"notice": {""}})
	adminWant(t, "upload", r, 303)
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/quan-tri/lich?year=2027") {
		t.Fatalf("redirect to %q", loc)
	}
	cal, err := site.App.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal.IsWorkingDay(time.Date(2027, 1, 4, 9, 0, 0, 0, calendar.VN)) || !cal.IsWorkingDay(time.Date(2027, 1, 9, 9, 0, 0, 0, calendar.VN)) {
		t.Fatal("the stored notice is not in force")
	}
	adminWant(t, "calendar 2027", admin.adminPage("/quan-tri/lich?year=2027&ok=notice"), 200, "Đã lưu thông báo", "Thông báo thử", `Thứ Hai 4/1/2027: nghỉ bù, hoán đổi`)
	es, _ := site.Store.AuditEntries(ctx, store.AuditFilter{Kind: "calendar_notice", Key: "2027"})
	if len(es) != 1 || es[0].Actor != "admin" {
		t.Fatalf("audit entries %+v", es)
	}
	adminWant(t, "audit filtered", admin.adminPage("/quan-tri/nhat-ky?loai=calendar_notice&doi-tuong=2027"), 200, "calendar_notice", "2027")
}

// adminEscaped escapes s as html/template writes it in a textarea.
func adminEscaped(s string) string {
	r := strings.NewReplacer(`"`, "&#34;", "<", "&lt;", ">", "&gt;", "&", "&amp;", "'", "&#39;")
	return r.Replace(s)
}

func TestAdminDeskSessions(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	ctx := context.Background()
	unitAdmin := site.officer("xa-tan-cuong.unit_admin")
	path := "/quan-tri/don-vi/xa-tan-cuong/gio-lam-viec"

	before := adminAuditSize(t, site.Store)
	for _, bad := range []string{"07:00-11:00", "13:30-17:30,07:00-11:00", "7h-11h"} {
		r := unitAdmin.adminForm(path, url.Values{"sessions": {bad}})
		adminWant(t, "sessions "+bad, r, 400, "tổng cộng đúng 8 giờ", `aria-invalid="true"`, `value="`+bad+`"`)
	}
	if n := adminAuditSize(t, site.Store); n != before {
		t.Fatalf("refused sessions wrote %d audit entries", n-before)
	}
	adminWant(t, "other unit's desk", unitAdmin.adminForm("/quan-tri/don-vi/xa-dai-phuc/gio-lam-viec", url.Values{"sessions": {"07:00-11:00,13:30-17:30"}}), 403)

	province, err := site.App.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deskBefore, err := site.App.DeskCalendar(ctx, "xa-tan-cuong")
	if err != nil || deskBefore != province {
		t.Fatalf("a desk without sessions must count the province calendar (%v)", err)
	}
	adminWant(t, "set sessions", unitAdmin.adminForm(path, url.Values{"sessions": {"07:00-11:00, 13:30-17:30"}}), 303)
	adminWant(t, "unit page", unitAdmin.adminPage("/quan-tri/don-vi/xa-tan-cuong"), 200, "giờ làm việc riêng: <strong>07:00-11:00,13:30-17:30</strong>")

	// Same start, same duration: the desk's sessions give another due time.
	start := time.Date(2026, 11, 2, 7, 0, 0, 0, calendar.VN) // Monday
	d, _ := calendar.ParseDuration("4h")
	cal, err := site.App.DeskCalendar(ctx, "xa-tan-cuong")
	if err != nil {
		t.Fatal(err)
	}
	got, err := cal.Due(start, d)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := province.Due(start, d)
	if want := time.Date(2026, 11, 2, 11, 0, 0, 0, calendar.VN); !got.Equal(want) {
		t.Errorf("desk due %v, want %v", got, want)
	}
	if want := time.Date(2026, 11, 2, 11, 30, 0, 0, calendar.VN); !def.Equal(want) {
		t.Errorf("province due %v, want %v", def, want)
	}
	d1, _ := calendar.ParseDuration("1d")
	if got, _ := cal.Due(start, d1); !got.Equal(time.Date(2026, 11, 2, 17, 30, 0, 0, calendar.VN)) {
		t.Errorf("desk 1d due %v, want 17:30", got)
	}
	if other, _ := site.App.DeskCalendar(ctx, "xa-dai-phuc"); other != province {
		t.Error("another desk lost the province calendar")
	}
	if again, _ := site.App.DeskCalendar(ctx, "xa-tan-cuong"); again != cal {
		t.Error("the desk calendar is not cached")
	}
	es, _ := site.Store.AuditEntries(ctx, store.AuditFilter{Kind: "desk", Key: "xa-tan-cuong"})
	if len(es) != 1 || es[0].Actor != "xa-tan-cuong.unit_admin" {
		t.Fatalf("audit %+v", es)
	}

	// Back to the province's sessions.
	adminWant(t, "reset sessions", unitAdmin.adminForm(path, url.Values{"sessions": {"07:00-11:00,13:30-17:30"}, "reset": {"1"}}), 303)
	if c, _ := site.App.DeskCalendar(ctx, "xa-tan-cuong"); c != province {
		t.Error("after the reset the desk still counts its own sessions")
	}
}

func TestAdminOfficers(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	ctx := context.Background()
	admin := site.officer("admin")
	unitAdmin := site.officer("xa-tan-cuong.unit_admin")

	bad := []struct {
		name   string
		form   url.Values
		errors []string
	}{
		{"everything missing", url.Values{}, []string{"Tên đăng nhập gồm", "Nhập họ và tên", "Mật khẩu phải có ít nhất 10 ký tự", "Chọn ít nhất một vai trò"}},
		{"taken username", url.Values{"username": {"xa-tan-cuong.desk"}, "name": {"Lê Văn Cường"}, "password": {"mat-khau-dai-du"}, "role": {"desk"}, "unit": {"xa-tan-cuong"}}, []string{"đã có người dùng"}},
		{"unknown unit", url.Values{"username": {"cuong.le"}, "name": {"Lê Văn Cường"}, "password": {"mat-khau-dai-du"}, "role": {"desk"}, "unit": {"khong-co"}}, []string{"Không có đơn vị này."}},
	}
	before := adminAuditSize(t, site.Store)
	count, _ := site.Store.CountOfficers(ctx)
	for _, b := range bad {
		r := admin.adminForm("/quan-tri/can-bo", b.form)
		adminWant(t, b.name, r, 400, b.errors...)
		if u := b.form.Get("name"); u != "" && !strings.Contains(string(r.Body), `value="`+u+`"`) {
			t.Errorf("%s: the form lost the name", b.name)
		}
		if p := b.form.Get("password"); p != "" && strings.Contains(string(r.Body), p) {
			t.Errorf("%s: the password was sent back", b.name)
		}
	}
	if n, _ := site.Store.CountOfficers(ctx); n != count || adminAuditSize(t, site.Store) != before {
		t.Fatal("a refused form wrote something")
	}

	// A unit administrator creates in their unit only, and no province-wide role.
	adminWant(t, "unit admin, other unit", unitAdmin.adminForm("/quan-tri/can-bo", url.Values{"username": {"x.y"}, "name": {"X Y"}, "password": {"mat-khau-dai-du"}, "role": {"desk"}, "unit": {"xa-dai-phuc"}}), 403)
	adminWant(t, "unit admin, admin role", unitAdmin.adminForm("/quan-tri/can-bo", url.Values{"username": {"x.y"}, "name": {"X Y"}, "password": {"mat-khau-dai-du"}, "role": {"admin"}, "unit": {"xa-tan-cuong"}}), 403)
	r := unitAdmin.adminForm("/quan-tri/can-bo", url.Values{"username": {"cuong.le"}, "name": {"Lê Văn Cường"}, "password": {"mat-khau-dai-du"}, "role": {"desk"}, "unit": {"xa-tan-cuong"}})
	adminWant(t, "create desk officer", r, 303)
	o, err := site.Store.Officer(ctx, "cuong.le")
	if err != nil || o.Name != "Lê Văn Cường" || len(o.Roles) != 1 || o.Roles[0].Unit != "xa-tan-cuong" || o.TOTPSecret != "" {
		t.Fatalf("created %+v, %v", o, err)
	}
	if _, _, err := site.App.SignInStaff(ctx, "cuong.le", "mat-khau-dai-du", "", ""); err != nil {
		t.Fatalf("the new officer cannot sign in: %v", err)
	}

	// A leader needs a second factor: the secret is shown once.
	r = admin.adminForm("/quan-tri/can-bo", url.Values{"username": {"lanh.dao"}, "name": {"Phạm Thị Dung"}, "password": {"mat-khau-dai-du"}, "role": {"leader"}, "unit": {"xa-tan-cuong"}})
	adminWant(t, "create leader", r, 200, "Mã chỉ hiển thị một lần", "otpauth://")
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Error("the page with the secret may be cached")
	}

	// Roles.
	userPath := "/quan-tri/can-bo/cuong.le"
	adminWant(t, "add role", unitAdmin.adminForm(userPath+"/vai-tro", url.Values{"role": {"specialist"}, "unit": {"xa-tan-cuong"}}), 303)
	adminWant(t, "add role twice", unitAdmin.adminForm(userPath+"/vai-tro", url.Values{"role": {"specialist"}, "unit": {"xa-tan-cuong"}}), 400, "đã có vai trò này")
	adminWant(t, "add role elsewhere", unitAdmin.adminForm(userPath+"/vai-tro", url.Values{"role": {"specialist"}, "unit": {"xa-dai-phuc"}}), 403)
	adminWant(t, "bad role", unitAdmin.adminForm(userPath+"/vai-tro", url.Values{"role": {"king"}, "unit": {"xa-tan-cuong"}}), 400, "Vai trò không hợp lệ.")
	adminWant(t, "remove role", unitAdmin.adminForm(userPath+"/vai-tro/xoa", url.Values{"role": {"specialist"}, "unit": {"xa-tan-cuong"}}), 303)
	adminWant(t, "remove role not held", unitAdmin.adminForm(userPath+"/vai-tro/xoa", url.Values{"role": {"specialist"}, "unit": {"xa-tan-cuong"}}), 404)
	adminWant(t, "officer of another unit", unitAdmin.adminForm("/quan-tri/can-bo/xa-dai-phuc.desk/vai-tro", url.Values{"role": {"desk"}, "unit": {"xa-tan-cuong"}}), 404)

	// Disable ends the officer's sessions; enable lets them back in.
	raw, _, err := site.App.SignInStaff(ctx, "cuong.le", "mat-khau-dai-du", "", "")
	if err != nil {
		t.Fatal(err)
	}
	adminWant(t, "bad status", unitAdmin.adminForm(userPath+"/trang-thai", url.Values{"disabled": {"maybe"}}), 400)
	adminWant(t, "disable", unitAdmin.adminForm(userPath+"/trang-thai", url.Values{"disabled": {"1"}}), 303)
	if p, _, _ := site.App.Authenticate(ctx, raw); p.Kind != auth.KindPublic {
		t.Fatal("the disabled officer's session still works")
	}
	if _, _, err := site.App.SignInStaff(ctx, "cuong.le", "mat-khau-dai-du", "", ""); err == nil {
		t.Fatal("a disabled officer signed in")
	}
	adminWant(t, "disable other unit", unitAdmin.adminForm("/quan-tri/can-bo/xa-dai-phuc.desk/trang-thai", url.Values{"disabled": {"1"}}), 404)
	adminWant(t, "disable self", admin.adminForm("/quan-tri/can-bo/admin/trang-thai", url.Values{"disabled": {"1"}}), 409)
	adminWant(t, "enable", unitAdmin.adminForm(userPath+"/trang-thai", url.Values{"disabled": {"0"}}), 303)
	if _, _, err := site.App.SignInStaff(ctx, "cuong.le", "mat-khau-dai-du", "", ""); err != nil {
		t.Fatalf("the re-enabled officer cannot sign in: %v", err)
	}

	// A new second factor for the leader.
	old, _ := site.Store.Officer(ctx, "lanh.dao")
	adminWant(t, "reset totp", admin.adminForm("/quan-tri/can-bo/lanh.dao/xac-thuc", nil), 200, "otpauth://")
	if now, _ := site.Store.Officer(ctx, "lanh.dao"); now.TOTPSecret == old.TOTPSecret || now.TOTPSecret == "" {
		t.Fatal("the second factor was not replaced")
	}
	adminWant(t, "reset totp elsewhere", unitAdmin.adminForm("/quan-tri/can-bo/xa-dai-phuc.leader/xac-thuc", nil), 404)

	// Every change is in the audit log, newest first, visible to the unit administrator too.
	es, _ := site.Store.AuditEntries(ctx, store.AuditFilter{Kind: "officer", Key: "cuong.le"})
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action)
	}
	if got, want := strings.Join(actions, ","), "enable,disable,remove_role,add_role,create"; got != want {
		t.Fatalf("audit actions %s, want %s", got, want)
	}
	log := unitAdmin.adminPage("/quan-tri/nhat-ky?loai=officer")
	adminWant(t, "audit as unit admin", log, 200, "cuong.le", "remove_role")
	if strings.Contains(string(log.Body), "lanh.dao") && !strings.Contains(string(log.Body), "xa-tan-cuong") {
		t.Error("unexpected entries")
	}
	if strings.Contains(string(unitAdmin.adminPage("/quan-tri/nhat-ky").Body), "calendar_notice") {
		t.Error("a unit administrator sees province-wide changes")
	}
}

func TestAdminCatalog(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	ctx := context.Background()
	admin := site.officer("admin")

	exp := admin.adminPage("/quan-tri/thu-tuc/xuat.json")
	adminWant(t, "export json", exp, 200, `"HKD.01"`)
	if cd := exp.Header.Get("Content-Disposition"); !strings.Contains(cd, "procedures.json") {
		t.Errorf("Content-Disposition %q", cd)
	}
	x := admin.adminPage("/quan-tri/thu-tuc/xuat.xlsx")
	adminWant(t, "export xlsx", x, 200)
	if !bytes.HasPrefix(x.Body, []byte("PK")) {
		t.Fatal("the spreadsheet is not a zip file")
	}

	// A malformed file is refused whole, with each problem by row and field.
	f, err := catalog.Parse(seed.Procedures())
	if err != nil {
		t.Fatal(err)
	}
	var hkd *catalog.Procedure
	for _, p := range f.Procedures {
		if p.Code == "HKD.01" {
			hkd = p
		}
	}
	removed := hkd.Documents[len(hkd.Documents)-1].Name
	hkd.Documents = hkd.Documents[:len(hkd.Documents)-1]
	savedCode := f.Procedures[1].Code
	f.Procedures[1].Code = f.Procedures[0].Code // a duplicate code
	badFile, err := catalog.MarshalFile("", f.Procedures)
	if err != nil {
		t.Fatal(err)
	}
	versions, _ := site.App.ProcedureHistory(ctx, "HKD.01")
	before := adminAuditSize(t, site.Store)
	r := admin.adminMultipart("/quan-tri/thu-tuc/nhap", "file", "procedures.json", badFile, nil)
	adminWant(t, "bad import", r, 400, "Không có thủ tục nào được nhập", "Các lỗi trong tệp", "<th scope=\"col\">Dòng</th>", "<tr><td>2</td><td></td><td>"+f.Procedures[0].Code+"</td>")
	if after, _ := site.App.ProcedureHistory(ctx, "HKD.01"); len(after) != len(versions) || adminAuditSize(t, site.Store) != before {
		t.Fatal("a refused import changed the catalog")
	}
	adminWant(t, "no file", admin.adminMultipart("/quan-tri/thu-tuc/nhap", "file", "", nil, nil), 400, "Chọn tệp danh mục")
	adminWant(t, "not json", admin.adminMultipart("/quan-tri/thu-tuc/nhap", "file", "x.json", []byte("không phải JSON"), nil), 400, "không hợp lệ")

	// A good file: HKD.01 gets version 2, and the diff shows the document no longer asked for.
	f.Procedures[1].Code = savedCode
	goodFile, err := catalog.MarshalFile("", f.Procedures)
	if err != nil {
		t.Fatal(err)
	}
	r = admin.adminMultipart("/quan-tri/thu-tuc/nhap", "file", "procedures.json", goodFile, nil)
	adminWant(t, "import", r, 303)
	adminWant(t, "after import", admin.adminPage(r.Header.Get("Location")), 200, "Đã nhập danh mục: 0 thủ tục mới, 1 thủ tục có phiên bản mới")
	p := admin.adminPage("/quan-tri/thu-tuc/HKD.01")
	adminWant(t, "procedure page", p, 200, "Thay đổi từ phiên bản 1 đến phiên bản 2", "Hết hiệu lực", "Đang áp dụng")
	if !strings.Contains(string(p.Body), adminEscaped(removed)) || strings.Contains(string(p.Body), "Không có thay đổi") {
		t.Errorf("the diff does not show the removed document %q", removed)
	}
	adminWant(t, "bad version", admin.adminPage("/quan-tri/thu-tuc/HKD.01?tu=9"), 400)

	// Boundary-free reception: received in Đại Phúc for Tân Cương, decided by Tân Cương.
	rt := admin.adminPage("/quan-tri/thu-tuc/HKD.01?quay=xa-dai-phuc&noi-giai-quyet=xa-tan-cuong")
	adminWant(t, "routing", rt, 200, "<td>Xã Đại Phúc</td>", "<td>Xã Tân Cương</td>")
	adminWant(t, "routing at the center", admin.adminPage("/quan-tri/thu-tuc/LLTP.01?quay=ttpvhcc"), 200, "Sở Tư pháp", "Công an tỉnh")
	adminWant(t, "routing error", admin.adminPage("/quan-tri/thu-tuc/HKD.01?quay=khong-co"), 200, "Không xác định được nơi xử lý")
}
