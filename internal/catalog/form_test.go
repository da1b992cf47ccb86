package catalog_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// validBirth is a complete, valid form for the birth registration procedure.
func validBirth() map[string]any {
	return map[string]any{
		"nguoi_nop_ho_ten":       "Nguyễn Thị Lan",
		"nguoi_nop_so_dinh_danh": "019190000123",
		"nguoi_nop_dien_thoai":   "0912345678",
		"nguoi_nop_email":        "lan@example.vn",
		"tre_ho_ten":             "Nguyễn Minh An",
		"tre_ngay_sinh":          "2026-11-20",
		"tre_gioi_tinh":          "Nam",
		"tre_noi_sinh":           "Bệnh viện A",
		"me_ho_ten":              "Nguyễn Thị Lan",
	}
}

func TestValidateForm(t *testing.T) {
	p := seedProc(t, "1.001193")
	_, titles := p.FormFields()
	tests := []struct {
		name   string
		change func(m map[string]any)
		want   []string // field names with a problem, in form order
		msg    string   // a fragment of the first message
	}{
		{"valid", func(m map[string]any) {}, nil, ""},
		{"required", func(m map[string]any) { delete(m, "tre_ho_ten") }, []string{"tre_ho_ten"}, "là bắt buộc"},
		{"pattern", func(m map[string]any) { m["nguoi_nop_so_dinh_danh"] = "12345" }, []string{"nguoi_nop_so_dinh_danh"}, "không đúng định dạng"},
		{"min length", func(m map[string]any) { m["me_ho_ten"] = "A" }, []string{"me_ho_ten"}, "ít nhất 2 ký tự"},
		{"max length", func(m map[string]any) { m["tre_noi_sinh"] = strings.Repeat("x", 251) }, []string{"tre_noi_sinh"}, "250 ký tự"},
		{"enum", func(m map[string]any) { m["tre_gioi_tinh"] = "Khác" }, []string{"tre_gioi_tinh"}, "Nam, Nữ"},
		{"date format", func(m map[string]any) { m["tre_ngay_sinh"] = "20/11/2026" }, []string{"tre_ngay_sinh"}, "YYYY-MM-DD"},
		{"email format", func(m map[string]any) { m["nguoi_nop_email"] = "lan@" }, []string{"nguoi_nop_email"}, "thư điện tử"},
		{"type", func(m map[string]any) { m["tre_ho_ten"] = 42.0 }, []string{"tre_ho_ten"}, "chuỗi ký tự"},
		{"extra field", func(m map[string]any) { m["mat_khau"] = "x" }, []string{"mat_khau"}, "không có trong biểu mẫu"},
		{"several in form order", func(m map[string]any) {
			delete(m, "me_ho_ten")
			m["nguoi_nop_dien_thoai"] = "123"
		}, []string{"nguoi_nop_dien_thoai", "me_ho_ten"}, "Số điện thoại"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validBirth()
			tt.change(m)
			errs := p.ValidateForm(m)
			var got []string
			for _, e := range errs {
				got = append(got, e.Field)
				if titles[e.Field] != "" && !strings.Contains(e.Message, titles[e.Field]) {
					t.Errorf("message %q does not name the field's title %q", e.Message, titles[e.Field])
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("fields (-want +got):\n%s\n%v", diff, errs)
			}
			if tt.msg != "" && !strings.Contains(errs[0].Message, tt.msg) {
				t.Errorf("message %q lacks %q", errs[0].Message, tt.msg)
			}
		})
	}
}

func TestValidateFormNumbers(t *testing.T) {
	p := seedProc(t, "2.000815")
	var m map[string]any
	_ = json.Unmarshal([]byte(`{"nguoi_nop_ho_ten":"Trần Văn B","nguoi_nop_so_dinh_danh":"019090000001",
		"nguoi_nop_dien_thoai":"0987654321","ten_giay_to":"Bằng tốt nghiệp","so_trang":3,"so_ban":2}`), &m)
	if errs := p.ValidateForm(m); errs != nil {
		t.Fatalf("valid form refused: %v", errs)
	}
	m["so_trang"] = 2.5
	if errs := p.ValidateForm(m); len(errs) != 1 || errs[0].Field != "so_trang" || !strings.Contains(errs[0].Message, "số nguyên") {
		t.Errorf("non-integer page count: %v", errs)
	}
	m["so_trang"] = 0
	if errs := p.ValidateForm(m); len(errs) != 1 || !strings.Contains(errs[0].Message, "lớn hơn hoặc bằng 1") {
		t.Errorf("zero pages: %v", errs)
	}
}
