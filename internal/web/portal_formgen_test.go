package web

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/catalog"
)

// formgenProc is a procedure whose form has one field of each kind the generator handles.
func formgenProc() *catalog.Procedure {
	return &catalog.Procedure{Code: "T.01", Form: json.RawMessage(`{"type":"object","properties":{
		"ten":{"type":"string","title":"Họ và tên","maxLength":100},
		"dien_thoai":{"type":"string","title":"Số điện thoại","pattern":"^0[0-9]{9}$"},
		"ngay":{"type":"string","title":"Ngày sinh","format":"date"},
		"loai":{"type":"string","title":"Loại","enum":["A","B"]},
		"so_ban":{"type":"integer","title":"Số bản","minimum":1},
		"dien_tich":{"type":"number","title":"Diện tích"},
		"ghi_chu":{"type":"string","maxLength":500,"description":"Nếu có"}},
		"required":["ten","so_ban"]}`)}
}

func TestFormgenNumber(t *testing.T) {
	for _, tc := range []struct {
		in      string
		integer bool
		want    float64
		ok      bool
	}{
		{"50.000.000", true, 50000000, true},
		{"50 000 000", true, 50000000, true},
		{"1,500", true, 1500, true},
		{"12", true, 12, true},
		{"2,5", false, 2.5, true},
		{"2.5", false, 2.5, true},
		{"2,5", true, 0, false},
		{"năm", true, 0, false},
		{"1e400", false, 0, false},
		{"NaN", false, 0, false},
	} {
		got, ok := formgenNumber(tc.in, tc.integer)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("formgenNumber(%q, %v) = %v, %v; want %v, %v", tc.in, tc.integer, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormValues(t *testing.T) {
	p := formgenProc()
	vals := url.Values{"x.ten": {"  Lê Văn C "}, "x.so_ban": {"2"}, "x.dien_tich": {"12,5"}, "x.loai": {""}, "ten": {"not prefixed"}}
	raw, errs := formValues(p, vals, "x.")
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"ten": "Lê Văn C", "so_ban": float64(2), "dien_tich": 12.5}, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	_, errs = formValues(p, url.Values{"x.so_ban": {"hai"}, "x.dien_tich": {"?"}}, "x.")
	if diff := cmp.Diff(map[string]string{"so_ban": "Số bản phải là số nguyên.", "dien_tich": "Diện tích phải là số."}, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if got := formStrings(p, url.Values{"x.so_ban": {" hai "}, "x.ten": {""}}, "x."); !cmp.Equal(got, map[string]string{"so_ban": "hai"}) {
		t.Errorf("formStrings = %v", got)
	}
	if got := formStringsJSON(json.RawMessage(`{"so_ban":2,"ten":"A","dien_tich":12.5,"x":null}`)); !cmp.Equal(got, map[string]string{"so_ban": "2", "ten": "A", "dien_tich": "12.5"}) {
		t.Errorf("formStringsJSON = %v", got)
	}
}

func TestFormModel(t *testing.T) {
	v := formModel(formgenProc(), "f.", map[string]string{"ten": "An"}, map[string]string{"so_ban": "Số bản là bắt buộc.", "ngay.x": "nested"})
	type row struct {
		Name, Input, Control, Type, InputMode, Value, Error, DescribedBy string
		Required                                                         bool
	}
	var got []row
	for _, f := range v.Fields {
		got = append(got, row{f.Name, f.Input, f.Control, f.Type, f.InputMode, f.Value, f.Error, f.DescribedBy(), f.Required})
	}
	want := []row{
		{"ten", "f.ten", "input", "text", "", "An", "", "", true},
		{"dien_thoai", "f.dien_thoai", "input", "tel", "tel", "", "", "", false},
		{"ngay", "f.ngay", "input", "date", "", "", "nested", "f.ngay-error", false},
		{"loai", "f.loai", "select", "text", "", "", "", "", false},
		{"so_ban", "f.so_ban", "input", "text", "numeric", "", "Số bản là bắt buộc.", "f.so_ban-error", true},
		{"dien_tich", "f.dien_tich", "input", "text", "decimal", "", "", "", false},
		{"ghi_chu", "f.ghi_chu", "textarea", "text", "", "", "", "f.ghi_chu-hint", false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if !v.HasErrors() || v.Fields[3].Options[1] != "B" || v.Fields[6].Label != "ghi_chu" {
		t.Errorf("model: %+v", v)
	}
}
