package catalog_test

import (
	"errors"
	"testing"

	"github.com/motcua/motcua/internal/catalog"
)

func ptr(v int64) *int64 { return &v }

func TestFee(t *testing.T) {
	// Certified copies (the seed's 2.000815 rule, restated here so the expected amounts are
	// computed by hand, not by the code under test): 2,000 for each of pages 1-2, 1,000 from
	// page 3, at most 200,000 per copy, times the number of copies.
	certified := &catalog.Procedure{Fees: []catalog.Fee{{Name: "Phí chứng thực", Kind: "phi", Per: "page",
		CountField: "so_trang", MultiplierField: "so_ban", MaxPerCopy: 200000,
		Tiers: []catalog.Tier{{From: 1, To: 2, Amount: 2000}, {From: 3, Amount: 1000}}}}}
	perCopy := &catalog.Procedure{Fees: []catalog.Fee{{Name: "Phí trích lục", Kind: "phi", Amount: ptr(8000), Per: "copy", CountField: "so_ban"}}}
	records := &catalog.Procedure{Fees: []catalog.Fee{{Name: "Phí LLTP", Kind: "phi", Amount: ptr(200000), Per: "dossier",
		Reduced: &catalog.ReducedFee{Amount: 100000, For: "sinh viên"}, ExemptFor: "trẻ em"}}}
	residence := &catalog.Procedure{Fees: []catalog.Fee{{Name: "Lệ phí cư trú", Kind: "le_phi", Amount: ptr(20000), OnlineAmount: ptr(10000)}}}
	two := &catalog.Procedure{Fees: []catalog.Fee{
		{Name: "Lệ phí", Kind: "le_phi", Amount: ptr(100000)},
		{Name: "Phí", Kind: "phi", Amount: ptr(5000), Per: "copy", CountField: "so_ban"}}}
	free := &catalog.Procedure{Fees: []catalog.Fee{{Name: "Lệ phí", Kind: "le_phi", Amount: ptr(0)}}}

	tests := []struct {
		name                    string
		p                       *catalog.Procedure
		form                    map[string]any
		online, reduced, exempt bool
		want                    int64
	}{
		{"1 page 1 copy", certified, map[string]any{"so_trang": 1.0, "so_ban": 1.0}, false, false, false, 2000},
		{"2 pages", certified, map[string]any{"so_trang": 2.0, "so_ban": 1.0}, false, false, false, 4000},
		{"3 pages", certified, map[string]any{"so_trang": 3.0, "so_ban": 1.0}, false, false, false, 5000},
		{"10 pages 3 copies", certified, map[string]any{"so_trang": 10, "so_ban": 3}, false, false, false, 3 * (4000 + 8000)},
		{"198 pages reaches the cap exactly", certified, map[string]any{"so_trang": 198, "so_ban": 1}, false, false, false, 200000},
		{"500 pages capped", certified, map[string]any{"so_trang": 500, "so_ban": 2}, false, false, false, 400000},
		{"per copy", perCopy, map[string]any{"so_ban": 3.0}, false, false, false, 24000},
		{"per dossier", records, nil, false, false, false, 200000},
		{"reduced", records, nil, false, true, false, 100000},
		{"exempt", records, nil, false, false, true, 0},
		{"exempt wins over reduced", records, nil, false, true, true, 0},
		{"online price", residence, nil, true, false, false, 10000},
		{"desk price", residence, nil, false, false, false, 20000},
		{"reduced without a reduction", residence, nil, false, true, true, 20000},
		{"several fees", two, map[string]any{"so_ban": 2}, false, false, false, 110000},
		{"free", free, nil, true, true, true, 0},
		{"no fees", &catalog.Procedure{}, nil, false, false, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := tt.p.Fee(tt.form, tt.online, tt.reduced, tt.exempt)
			if err != nil {
				t.Fatal(err)
			}
			if q.Total != tt.want {
				t.Errorf("Total = %d, want %d (%+v)", q.Total, tt.want, q.Lines)
			}
			var sum int64
			for _, l := range q.Lines {
				sum += l.Amount
			}
			if sum != q.Total || len(q.Lines) != len(tt.p.Fees) {
				t.Errorf("lines %+v do not add up to %d", q.Lines, q.Total)
			}
		})
	}
}

func TestFeeInputErrors(t *testing.T) {
	p := &catalog.Procedure{Fees: []catalog.Fee{{Name: "Phí", Kind: "phi", Amount: ptr(8000), Per: "copy", CountField: "so_ban"}}}
	for _, form := range []map[string]any{nil, {"so_ban": "ba"}, {"so_ban": 1.5}, {"so_ban": 0}, {"so_ban": 1e12}} {
		if _, err := p.Fee(form, false, false, false); !errors.Is(err, catalog.ErrFeeInput) {
			t.Errorf("Fee(%v) err = %v, want ErrFeeInput", form, err)
		}
	}
}

func TestFeeSeed(t *testing.T) {
	// The seed's certified-copy fee must follow the rule of the issue: 2,000/page for pages
	// 1-2, 1,000 from page 3, capped at 200,000 per copy.
	p := seedProc(t, "2.000815")
	q, err := p.Fee(map[string]any{"so_trang": 5.0, "so_ban": 2.0}, false, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(2 * (2*2000 + 3*1000)); q.Total != want {
		t.Errorf("Total = %d, want %d", q.Total, want)
	}
}

func TestVND(t *testing.T) {
	for in, want := range map[int64]string{0: "0 đ", 999: "999 đ", 1000: "1.000 đ", 200000: "200.000 đ", 1234567: "1.234.567 đ", -5000: "-5.000 đ"} {
		if got := catalog.VND(in); got != want {
			t.Errorf("VND(%d) = %q, want %q", in, got, want)
		}
	}
}
