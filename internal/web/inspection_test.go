package web_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestInspectionsAndTrackingBook: inspectors write inspection records and nobody else does;
// a unit's tracking book is a PDF for its officers and not found for others.
func TestInspectionsAndTrackingBook(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	site.Clock.Set(vn(2, 9, 0))
	desk := site.officer("xa-tan-cuong.desk")
	up := desk.upload("/api/v1/files", "gdn.pdf", pdfBytes("GDN"), nil)
	sub := desk.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "desk", "form": map[string]any{
		"nguoi_nop_ho_ten": "Trần Thị Bình", "nguoi_nop_so_dinh_danh": "019192004567", "nguoi_nop_dien_thoai": "0987654321",
		"ten_ho_kinh_doanh": "Hộ kinh doanh Bình", "dia_diem_kinh_doanh": "Xóm 2", "nganh_nghe": "Bán lẻ", "von_kinh_doanh": 1000000,
	}, "documents": []map[string]any{{"component": "GDN", "name": "gdn.pdf", "hash": str(up.json(t), "hash")}}}, nil)
	id := str(sub.json(t), "id")
	code := str(desk.act(t, id, "receive", nil, 200), "code")

	finding := map[string]any{"severity": "violation", "rule": "Điều 17, NĐ 118/2025/NĐ-CP", "finding": "Tiếp nhận quá 8 giờ làm việc"}
	inspector := site.officer("inspector")
	if r := inspector.post("/api/v1/dossiers/"+code+"/inspections", finding, nil); r.Status != 201 || !strings.Contains(string(r.Body), "Tiếp nhận quá") {
		t.Fatalf("inspector: %d %s", r.Status, r.Body)
	}
	if r := inspector.post("/api/v1/dossiers/"+code+"/inspections", map[string]any{"severity": "grave", "finding": "x"}, nil); r.Status != 400 || !strings.Contains(string(r.Body), "Mức độ") {
		t.Fatalf("bad severity: %d %s", r.Status, r.Body)
	}
	if r := desk.post("/api/v1/dossiers/"+code+"/inspections", finding, nil); r.Status != 403 {
		t.Fatalf("desk writes an inspection: %d", r.Status)
	}
	if r := site.officer("xa-dai-phuc.desk").post("/api/v1/dossiers/"+code+"/inspections", finding, nil); r.Status != 404 {
		t.Fatalf("out of scope: %d", r.Status)
	}
	if r := desk.get("/api/v1/dossiers/" + code + "/inspections"); r.Status != 200 || strings.Count(string(r.Body), `"severity"`) != 1 {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}

	book := "/api/v1/units/xa-tan-cuong/tracking-book?from=2026-11-01&to=2026-11-30"
	r := desk.get(book)
	if r.Status != 200 || !strings.HasPrefix(string(r.Body), "%PDF") {
		t.Fatalf("tracking book: %d %.100s", r.Status, r.Body)
	}
	if text := pdfText(t, r.Body); text != "" && (!strings.Contains(strings.ReplaceAll(text, "-", ""), strings.ReplaceAll(code, "-", "")) || !strings.Contains(text, "đến ngày 30/11/2026")) {
		t.Errorf("tracking book lacks %s: %s", code, text)
	}
	if r := site.officer("xa-dai-phuc.desk").get(book); r.Status != 404 {
		t.Fatalf("another commune's book: %d", r.Status)
	}
	if r := desk.get("/api/v1/units/xa-tan-cuong/tracking-book?from=2026-11-30&to=2026-11-01"); r.Status != 400 {
		t.Fatalf("reversed period: %d", r.Status)
	}
}
