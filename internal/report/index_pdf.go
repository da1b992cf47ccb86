package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// IndexSheet is a unit's service index for one period (Quyết định 766/QĐ-TTg), as printed by
// IndexPDF. The caller converts the index package's report into it, so this package stays free
// of the index engine (see internal/layers).
type IndexSheet struct {
	Province string // the province's name, printed above the unit ("" for the province itself)
	Unit     string // the unit's full name
	From, To time.Time
	Total    float64
	MaxTotal float64
	Groups   []IndexGroup
	// Movement is the period's dossier movement as label/value pairs (carried over, received,
	// finished on time, ...), printed under the indicators.
	Movement [][2]string
}

// IndexGroup is one group of indicators with its points.
type IndexGroup struct {
	Name       string
	Points     float64
	MaxPoints  float64
	Nominal    float64
	Indicators []IndexLine
}

// IndexLine is one indicator: its number in LEGAL.md §8, name, formula, figures and points.
// Rate and Points are nil when not available (zero denominator) or not scored.
type IndexLine struct {
	ID          string
	Name        string
	Formula     string
	Numerator   int64
	Denominator int64
	Rate        *float64
	Points      *float64
	MaxPoints   float64
	// Average marks an indicator whose rate is an average in working days (2.2), not a
	// percentage.
	Average bool
}

// IndexPDF writes a unit's service index as an A4 landscape PDF: the heading, the total, one
// table row per indicator (with its formula, numerator, denominator, rate and points), group
// subtotals, and the period's dossier movement. now is the printing time.
func IndexPDF(w io.Writer, s IndexSheet, now time.Time) error {
	if s.To.Before(s.From) {
		return fmt.Errorf("report: index: period ends (%s) before it starts (%s)", shortDate(s.To), shortDate(s.From))
	}
	d, err := newDoc(landscape, "Bộ chỉ số phục vụ người dân, doanh nghiệp – "+s.Unit, now)
	if err != nil {
		return fmt.Errorf("report: index: %w", err)
	}
	d.footer = "Bộ chỉ số phục vụ người dân, doanh nghiệp – " + s.Unit
	d.cellPt, d.cellLn = 8.5, 4
	d.nationalHeader(s.Province, s.Unit, "", now)
	d.title("Kết quả Bộ chỉ số phục vụ người dân, doanh nghiệp",
		fmt.Sprintf("(Quyết định 766/QĐ-TTg) — từ ngày %s đến ngày %s", shortDate(s.From), shortDate(s.To)))
	d.strongField("Đơn vị:", s.Unit)
	d.strongField("Tổng điểm:", fmt.Sprintf("%s / %s điểm", Decimal(s.Total), Decimal(s.MaxTotal)))
	d.pdf.Ln(2)

	var rows [][]string
	for _, g := range s.Groups {
		rows = append(rows, []string{"", strings.ToUpper(g.Name), "", "", "", "",
			fmt.Sprintf("%s / %s", Decimal(g.Points), Decimal(g.MaxPoints))})
		for _, l := range g.Indicators {
			rate := "N/A"
			if l.Rate != nil {
				rate = Decimal(*l.Rate)
				if l.Average {
					rate += " ngày"
				} else {
					rate += "%"
				}
			}
			pts := "Không tính điểm"
			if l.Points != nil {
				pts = fmt.Sprintf("%s / %s", Decimal(*l.Points), Decimal(l.MaxPoints))
			} else if l.MaxPoints == 0 {
				pts = "Theo dõi"
			}
			rows = append(rows, []string{l.ID, l.Name, l.Formula, strconv.FormatInt(l.Numerator, 10),
				strconv.FormatInt(l.Denominator, 10), rate, pts})
		}
	}
	d.table([]column{
		{"Số", 8, "C"}, {"Chỉ số", 50, "L"}, {"Cách tính", 92, "L"}, {"Tử số", 18, "R"},
		{"Mẫu số", 18, "R"}, {"Tỷ lệ", 18, "R"}, {"Điểm", 24, "R"},
	}, rows)

	if len(s.Movement) > 0 {
		d.ensure(30)
		d.label("Tình hình giải quyết hồ sơ trong kỳ")
		mv := make([][]string, len(s.Movement))
		for i, m := range s.Movement {
			mv[i] = []string{m[0], m[1]}
		}
		d.table([]column{{"Nội dung", 3, "L"}, {"Số hồ sơ", 1, "R"}}, mv)
	}
	d.note("Tỷ lệ làm tròn 2 chữ số thập phân; N/A: mẫu số bằng 0. Chỉ số không tính điểm không được cộng vào tổng điểm và điểm tối đa.")
	if err := d.output(w); err != nil {
		return fmt.Errorf("report: index: %w", err)
	}
	return nil
}

// Decimal formats a figure the Vietnamese way, with a decimal comma and at most 2 decimals:
// 99.76 → "99,76", 6 → "6", 12.5 → "12,5".
func Decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return strings.Replace(s, ".", ",", 1)
}
