package web_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestBadInputWritesNothing: each malformed request gets a clear 4xx with a Vietnamese message
// and leaves the database as it was.
func TestBadInputWritesNothing(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	site := newSite(t, s)
	ctx := context.Background()
	site.Clock.Set(vn(2, 9, 0))
	desk := site.officer("xa-tan-cuong.desk")
	count := func() string {
		var b strings.Builder
		for _, table := range []string{"dossiers", "dossier_events", "files", "outbox", "jobs", "idempotency_keys"} {
			n, err := s.QueryIntForTest(ctx, "SELECT COUNT(*) FROM "+table)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(table + "=" + strconv.FormatInt(n, 10) + " ")
		}
		return b.String()
	}
	before := count()
	form := map[string]any{"nguoi_nop_ho_ten": "Trần Thị Bình", "nguoi_nop_so_dinh_danh": "019192004567", "nguoi_nop_dien_thoai": "0987654321",
		"ten_ho_kinh_doanh": "Hộ kinh doanh Bình", "dia_diem_kinh_doanh": "Xóm 2", "nganh_nghe": "Bán lẻ", "von_kinh_doanh": 1000000}
	exe := append([]byte("MZ\x90\x00\x03"), bytes.Repeat([]byte{0}, 200)...)
	huge := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 21<<20)...)
	cases := []struct {
		name   string
		do     func() response
		status int
		text   string
	}{
		{"unknown procedure", func() response {
			return desk.post("/api/v1/dossiers", map[string]any{"procedure": "KHONG.CO", "channel": "desk", "form": form}, nil)
		}, 400, "KHONG.CO"},
		{"form failing its schema", func() response {
			f := map[string]any{"nguoi_nop_ho_ten": "B", "von_kinh_doanh": "nhiều"}
			return desk.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "desk", "form": f}, nil)
		}, 400, `"fields"`},
		{"unknown field in the body", func() response {
			return desk.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "desk", "form": form, "priority": "cao"}, nil)
		}, 400, "priority"},
		{"invalid JSON", func() response { return desk.post("/api/v1/dossiers", `{"procedure":`, nil) }, 400, "JSON"},
		{"disguised file", func() response { return desk.upload("/api/v1/files", "giay-to.pdf", exe, nil) }, 400, "file_disguised"},
		{"oversized file", func() response { return desk.upload("/api/v1/files", "lon.pdf", huge, nil) }, 413, ""},
		{"empty file", func() response { return desk.upload("/api/v1/files", "rong.pdf", nil, nil) }, 400, "file_empty"},
		{"unknown dossier code", func() response { return desk.get("/api/v1/dossiers/001.00.50.H55-261102-9999") }, 404, "dossier_not_found"},
		{"action on an unknown dossier", func() response {
			return desk.post("/api/v1/dossiers/khong-co/actions/receive", nil, nil)
		}, 404, "dossier_not_found"},
		{"unknown action", func() response { return desk.post("/api/v1/dossiers/khong-co/actions/fly", nil, nil) }, 404, ""},
		{"malformed If-Match", func() response {
			return desk.post("/api/v1/dossiers/khong-co/actions/receive", nil, map[string]string{"If-Match": "phiên bản"})
		}, 400, "If-Match"},
	}
	for _, c := range cases {
		r := c.do()
		if r.Status != c.status || !strings.Contains(string(r.Body), c.text) {
			t.Errorf("%s: %d %.300s; want %d with %q", c.name, r.Status, r.Body, c.status, c.text)
		}
		if r.Status < 500 && strings.Contains(string(r.Body), `"message"`) && !strings.ContainsAny(string(r.Body), "àáảãạăâđèéêìíòóôơùúưỳý") {
			t.Errorf("%s: no Vietnamese message: %.200s", c.name, r.Body)
		}
		if after := count(); after != before {
			t.Fatalf("%s wrote something: %s -> %s", c.name, before, after)
		}
	}
	// A large document within the limit is accepted (the 1 MiB cap of ordinary bodies does not
	// apply to uploads).
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("y"), 3<<20)...)
	if r := desk.upload("/api/v1/files", "ban-ve.pdf", big, nil); r.Status != 201 {
		t.Fatalf("3 MiB upload: %d %.200s", r.Status, r.Body)
	}
	// A stale If-Match on a real dossier writes nothing either.
	up := desk.upload("/api/v1/files", "gdn.pdf", pdfBytes("GDN"), nil)
	sub := desk.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "desk", "form": form,
		"documents": []map[string]any{{"component": "GDN", "name": "gdn.pdf", "hash": str(up.json(t), "hash")}}}, nil)
	id := str(sub.json(t), "id")
	before = count()
	if r := desk.post("/api/v1/dossiers/"+id+"/actions/receive", nil, map[string]string{"If-Match": `"7"`}); r.Status != 412 {
		t.Fatalf("stale If-Match: %d", r.Status)
	}
	if after := count(); after != before {
		t.Fatalf("a stale command wrote something: %s -> %s", before, after)
	}
	// Another desk knowing the hash of this desk's upload cannot submit it as its own document
	// (and then read it through its dossier).
	other := site.officer("xa-dai-phuc.desk")
	r := other.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "desk", "form": form,
		"documents": []map[string]any{{"component": "GDN", "name": "gdn.pdf", "hash": str(up.json(t), "hash")}}}, nil)
	if r.Status != 400 || !strings.Contains(string(r.Body), "không do tài khoản này tải lên") {
		t.Fatalf("submitting another desk's upload: %d %.300s; want 400 with the reason", r.Status, r.Body)
	}
	if after := count(); after != before {
		t.Fatalf("a refused reference wrote something: %s -> %s", before, after)
	}
}
