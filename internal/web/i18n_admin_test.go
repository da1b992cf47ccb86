package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// h1Of is the text of a page's first <h1>, tags removed.
func h1Of(body string) string {
	m := regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
}

// TestLanguageAdminKioskIndex: every page of the administration console, the counters'
// screens and the index pages renders in English with ?lang=en: the English heading and labels,
// none of the Vietnamese ones; the data (unit and procedure names) stays as it is.
func TestLanguageAdminKioskIndex(t *testing.T) {
	site := indexSite(t)
	admin, desk, leader, public := site.officer("admin"), site.officer("xa-tan-cuong.desk"), site.officer("xa-tan-cuong.leader"), site.public()
	for _, tc := range []struct {
		name   string
		c      *client
		path   string
		h1     string   // the English heading's beginning
		want   []string // characteristic English strings
		absent []string // Vietnamese strings of the page that must be gone
	}{
		{"admin home", admin, "/quan-tri", "System administration",
			[]string{"Province-wide settings", "Working calendar", "Units and one-stop desks", "Change log", `aria-label="Administration"`},
			[]string{"Quản trị hệ thống", "Nhật ký thay đổi", "Lịch làm việc"}},
		{"admin calendar", admin, "/quan-tri/lich?year=2026", "Working calendar 2026",
			[]string{"Years with a notice", "Add or replace a year&#39;s notice", "Save the notice", "The province&#39;s working hours:"},
			[]string{"Các năm đã có thông báo", "Lưu thông báo", "Hoặc chọn tệp"}},
		{"admin units", admin, "/quan-tri/don-vi", "Units and one-stop desks",
			[]string{"Identifier", "Provincial department", "Commune level", "Xã Tân Cương"},
			[]string{"Mã định danh", "Sở, ban, ngành<"}},
		{"admin unit", admin, "/quan-tri/don-vi/xa-tan-cuong", "Xã Tân Cương",
			[]string{"Kind of unit", "Opening hours", "Monday", "Save the working hours", "One-stop desk officer", "Active"},
			[]string{"Loại đơn vị", "Thứ Hai", "Lưu giờ làm việc", "Hoạt động"}},
		{"admin officers", admin, "/quan-tri/can-bo?u=xa-tan-cuong.desk", "Officers",
			[]string{"Two-factor authentication", "Add a role", "Lock the account", "Create an officer account", "Initial password", "Processing specialist"},
			[]string{"Tạo tài khoản", "Khóa tài khoản", ">Chuyên viên xử lý</option>", "Trang sau"}},
		{"admin audit", admin, "/quan-tri/nhat-ky", "Change log",
			[]string{"Kind of object", "Working-calendar notice", "Filter", "Newest first."},
			[]string{"Loại đối tượng", "Thông báo lịch làm việc"}},
		{"admin procedures", admin, "/quan-tri/thu-tuc", "Administrative procedures",
			[]string{"Import and export", "Export JSON", "Import the catalog", "Published (", "Commune level"},
			[]string{"Nhập danh mục", "Đang công bố", "Cấp xã<"}},
		{"admin procedure", admin, "/quan-tri/thu-tuc/HKD.01", "",
			[]string{"Versions", "In force", "Where it is handled, by receiving desk", "Show the routing", "Competent authority", "working days"},
			[]string{"Các phiên bản", "Đang áp dụng", "Xem nơi xử lý", "Bước<"}},
		{"ticket machine", public, "/quay/xa-tan-cuong/lay-so", "Take a number",
			[]string{"Touch the service you need.", "Submit a dossier", "Older people, people with disabilities"},
			[]string{"Lấy số thứ tự", "Chạm vào dịch vụ", "Nộp hồ sơ<", "Người cao tuổi"}},
		{"board", public, "/quay/xa-tan-cuong/man-hinh", "Now serving",
			[]string{"Now calling", "No number called yet.", "People waiting"},
			[]string{"Đang phục vụ", "Mời số", "Số người đang chờ"}},
		{"rating screen", public, "/quay/xa-tan-cuong/danh-gia", "Rate your satisfaction",
			[]string{"Touch the dossier whose result you have just received."},
			[]string{"Đánh giá mức độ hài lòng"}},
		{"counter", desk, "/can-bo/quay", "Call numbers at the counter",
			[]string{"Your counter number", "Call the next number", "All (priority first)", "No number is being served.", "A · Submit a dossier"},
			[]string{"Gọi số tại quầy", "Số quầy của bạn", "Gọi số tiếp theo"}},
		{"public statistics", public, "/thong-ke?" + novemberQuery, "Statistics of the index",
			[]string{"Month 11/2026", "Reporting period", "Whole province", "Dossiers completed on time", "Provincial departments", "Communes and wards", "Score by group of indicators"},
			[]string{"Kỳ báo cáo", "Toàn tỉnh", "Tháng 11/2026", "Bảng số liệu"}},
		{"dashboard", leader, "/can-bo/chi-so?unit=xa-tan-cuong&" + novemberQuery, "Index of service to citizens and businesses",
			[]string{"Total score", "Each indicator", "Dossier handling in the period", "Carried over", "Monthly trend, 2026", "Ranking of units", "Download the index as PDF", "Quarter 4"},
			[]string{"Tổng điểm", "Kỳ trước chuyển sang", "Xếp hạng các đơn vị", "Quý 4"}},
		{"drill-down", leader, "/can-bo/chi-so/ho-so?unit=xa-tan-cuong&indicator=2.1&part=mau-so&" + novemberQuery, "Dossiers in the denominator of indicator 2.1",
			[]string{"Dossiers in the list", "End-of-period verdict", "Show the numerator&#39;s dossiers"},
			[]string{"Hồ sơ ở mẫu số", "Số hồ sơ trong danh sách"}},
		{"reports", leader, "/can-bo/bao-cao?unit=xa-tan-cuong&" + novemberQuery, "Reports",
			[]string{"Preview", "Download the Excel report", "Dossier handling — ", "On-time rate", "Officers&#39; results"},
			[]string{"Xem trước", "Tỷ lệ đúng hạn", "Kết quả xử lý hồ sơ của cán bộ"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sep := "?"
			if strings.Contains(tc.path, "?") {
				sep = "&"
			}
			r := tc.c.do("GET", tc.path+sep+"lang=en", nil, map[string]string{"Accept": "text/html"})
			body := string(r.Body)
			if r.Status != 200 || !strings.Contains(body, `<html lang="en">`) {
				t.Fatalf("%s: %d %.1500s", tc.path, r.Status, body)
			}
			if h := h1Of(body); !strings.HasPrefix(h, tc.h1) {
				t.Errorf("h1 %q, want it to start with %q", h, tc.h1)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(body, a) {
					t.Errorf("still has the Vietnamese %q", a)
				}
			}
		})
	}
}

// TestLanguageAdminKioskIndexErrors: the messages these areas build themselves follow the
// language: a refused calendar notice, a wrong period, a refused catalog import.
func TestLanguageAdminKioskIndexErrors(t *testing.T) {
	site := indexSite(t)
	admin := site.officer("admin")
	admin.do("GET", "/quan-tri?lang=en", nil, map[string]string{"Accept": "text/html"}) // the cookie carries the choice

	r := admin.adminForm("/quan-tri/lich?year=2026", url.Values{"notice": {""}})
	body := string(r.Body)
	for _, want := range []string{"Paste the notice (JSON) or choose a .json file.", "The notice is not saved; the working calendar has not changed.", "<title>Working calendar — error"} {
		if !strings.Contains(body, want) {
			t.Errorf("refused notice (%d) lacks %q", r.Status, want)
		}
	}
	r = admin.adminMultipart("/quan-tri/thu-tuc/nhap", "file", "", nil, nil)
	if body := string(r.Body); r.Status != 400 || !strings.Contains(body, "Choose a catalog file (.json or .xlsx) to import.") || !strings.Contains(body, "Nothing was imported") {
		t.Errorf("refused import in English: %d %.2000s", r.Status, body)
	}

	leader := site.officer("xa-tan-cuong.leader")
	r = leader.ixPage("/can-bo/chi-so?unit=xa-tan-cuong&kind=month&year=1900&month=13&lang=en")
	body = string(r.Body)
	if r.Status != 422 || !strings.Contains(body, "The year must be between") || !strings.Contains(body, `id="year-error"`) || strings.Contains(body, "Năm phải từ") {
		t.Errorf("period error in English: %d %.3000s", r.Status, body)
	}
	// Vietnamese stays the default for another visitor.
	r = site.public().ixPage("/thong-ke?kind=quarter&year=2026&quarter=9")
	if body := string(r.Body); !strings.Contains(body, "Quý phải từ 1 đến 4.") || !strings.Contains(body, `<html lang="vi">`) {
		t.Errorf("period error in Vietnamese: %d %.2000s", r.Status, body)
	}
}
