package catalog_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/catalog"
)

func TestXLSXRoundTrip(t *testing.T) {
	ps := seedFile(t).Procedures
	var buf bytes.Buffer
	if err := catalog.ExportXLSX(&buf, ps); err != nil {
		t.Fatal(err)
	}
	got, err := catalog.ImportXLSX(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("ImportXLSX(ExportXLSX(seed)): %v", err)
	}
	if diff := cmp.Diff(ps, got); diff != "" {
		t.Errorf("spreadsheet round trip differs (-json +xlsx):\n%s", diff)
	}
}

// editCell exports the seed, sets one cell and returns the workbook bytes.
func editCell(t *testing.T, sheet, cell, value string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := catalog.ExportXLSX(&buf, seedFile(t).Procedures); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue(sheet, cell, value); err != nil {
		t.Fatal(err)
	}
	out, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestImportXLSXRefuses(t *testing.T) {
	tests := []struct {
		name             string
		sheet, cell, val string
		wantRow          int
		wantField        string
		wantMsg          string
	}{
		{"non-numeric duration", catalog.SheetProcedures, "J3", "ba", 3, "J (Thời hạn)", "số nguyên"},
		{"bad boolean", catalog.SheetDocuments, "F2", "có lẽ", 2, "F (Bắt buộc)", "có"},
		{"bad tiers", catalog.SheetFees, "H2", "1-2=2000", 2, "H (Bậc (từ-đến:mức; ...))", "từ-đến:mức"},
		{"unknown procedure", catalog.SheetProcess, "A4", "KHONG.CO", 4, "A (Mã thủ tục)", "KHONG.CO"},
		{"broken schema JSON", catalog.SheetForms, "B2", "{\"type\":", 2, "B (JSON Schema)", "JSON"},
		{"renamed header", catalog.SheetFees, "D1", "Tiền", 1, "D", "Mức thu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.ImportXLSX(bytes.NewReader(editCell(t, tt.sheet, tt.cell, tt.val)))
			ve, ok := catalog.AsValidationError(err)
			if !ok {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.Sheet == tt.sheet && p.Row == tt.wantRow && p.Field == tt.wantField && strings.Contains(p.Message, tt.wantMsg) {
					return
				}
			}
			t.Errorf("no problem on %s row %d %s with %q in:\n%v", tt.sheet, tt.wantRow, tt.wantField, tt.wantMsg, err)
		})
	}
}

func TestImportXLSXThenValidate(t *testing.T) {
	// Layout is ImportXLSX's job, meaning is Validate's: an overlapping tier imports, then fails
	// validation exactly as it would from JSON.
	b := editCell(t, catalog.SheetFees, "H2", "1-2:2000; 2-:1000")
	ps, err := catalog.ImportXLSX(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	idx := procIndex(t, func(p *catalog.Procedure) bool { return len(p.Fees) > 0 })
	ps[idx].Fees[0].Tiers = []catalog.Tier{{From: 1, To: 2, Amount: 2000}, {From: 2, Amount: 1000}}
	if err := catalog.Validate(ps, seedDir(t)); err == nil || !strings.Contains(err.Error(), "chồng lấn") {
		t.Errorf("overlapping tiers accepted: %v", err)
	}
}

func TestTiersNotation(t *testing.T) {
	in := []catalog.Tier{{From: 1, To: 2, Amount: 2000}, {From: 3, Amount: 1000}}
	s := catalog.FormatTiers(in)
	out, err := catalog.ParseTiers(s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("tiers %q round trip:\n%s", s, diff)
	}
	for _, bad := range []string{"1:2000", "a-2:1", "1-b:1", "1-2:x"} {
		if _, err := catalog.ParseTiers(bad); err == nil {
			t.Errorf("ParseTiers(%q) accepted", bad)
		}
	}
}

func FuzzParseTiers(f *testing.F) {
	f.Add("1-2:2000; 3-:1000")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := catalog.ParseTiers(s)
		if err != nil {
			return
		}
		again, err := catalog.ParseTiers(catalog.FormatTiers(ts))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", catalog.FormatTiers(ts), err)
		}
		if diff := cmp.Diff(ts, again); diff != "" && len(ts) > 0 {
			t.Fatalf("round trip:\n%s", diff)
		}
	})
}
