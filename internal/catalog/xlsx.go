package catalog

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The spreadsheet form of the catalog, for administrators who edit in Excel: one sheet per
// section, one row per procedure, fee, document, step or legal text, child rows keyed by the
// procedure code in column A. The form schema stays JSON in a cell: no spreadsheet layout
// expresses a JSON Schema better than the schema itself.
const (
	SheetProcedures = "Thủ tục"
	SheetFees       = "Phí"
	SheetDocuments  = "Thành phần hồ sơ"
	SheetProcess    = "Quy trình"
	SheetForms      = "Biểu mẫu"
	SheetLegal      = "Căn cứ pháp lý"
)

var sheetHeaders = map[string][]string{
	SheetProcedures: {"Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp", "Cấp cơ quan có thẩm quyền", "Mã cơ quan có thẩm quyền",
		"Liên thông", "Mức DVC trực tuyến", "Đối tượng", "Thời hạn", "Đơn vị thời hạn", "Giờ chốt", "Ghi chú thời hạn",
		"Nghĩa vụ tài chính dừng thời hạn", "Ghi chú nghĩa vụ tài chính", "Tên kết quả", "Mã loại kết quả",
		"Kết quả điện tử", "Kết quả giấy", "Quyết định công bố", "Ngày quyết định", "Ngày căn cứ có hiệu lực",
		"Ngày công khai", "Ghi chú"},
	SheetFees: {"Mã thủ tục", "Tên khoản thu", "Loại", "Mức thu", "Tính theo", "Trường số lượng", "Trường hệ số",
		"Bậc (từ-đến:mức; ...)", "Tối đa mỗi bản", "Mức giảm", "Đối tượng giảm", "Đối tượng miễn", "Mức thu trực tuyến", "Ghi chú"},
	SheetDocuments: {"Mã thủ tục", "Mã thành phần", "Tên thành phần", "Hình thức", "Số lượng", "Bắt buộc", "Mã loại giấy tờ", "Ghi chú"},
	SheetProcess:   {"Mã thủ tục", "STT", "Tên bước", "Vai trò", "Đơn vị", "Thời gian", "Đơn vị thời gian", "Song song"},
	SheetForms:     {"Mã thủ tục", "JSON Schema"},
	SheetLegal:     {"Mã thủ tục", "Văn bản"},
}

var sheetOrder = []string{SheetProcedures, SheetFees, SheetDocuments, SheetProcess, SheetForms, SheetLegal}

func yesNo(b bool) string {
	if b {
		return "có"
	}
	return "không"
}

func optInt(p *int64) any {
	if p == nil {
		return ""
	}
	return *p
}

func intOrEmpty(v int64) any {
	if v == 0 {
		return ""
	}
	return v
}

// FormatTiers writes tiers as "1-2:2000; 3-:1000".
func FormatTiers(ts []Tier) string {
	var parts []string
	for _, t := range ts {
		to := ""
		if t.To != 0 {
			to = strconv.Itoa(t.To)
		}
		parts = append(parts, fmt.Sprintf("%d-%s:%d", t.From, to, t.Amount))
	}
	return strings.Join(parts, "; ")
}

// ParseTiers reads the FormatTiers notation.
func ParseTiers(s string) ([]Tier, error) {
	var out []Tier
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		rng, amt, ok := strings.Cut(part, ":")
		from, to, ok2 := strings.Cut(rng, "-")
		if !ok || !ok2 {
			return nil, fmt.Errorf("bậc %q phải có dạng từ-đến:mức", part)
		}
		var t Tier
		var err error
		if t.From, err = strconv.Atoi(strings.TrimSpace(from)); err != nil {
			return nil, fmt.Errorf("bậc %q: giới hạn dưới không phải số", part)
		}
		if to = strings.TrimSpace(to); to != "" {
			if t.To, err = strconv.Atoi(to); err != nil {
				return nil, fmt.Errorf("bậc %q: giới hạn trên không phải số", part)
			}
		}
		if t.Amount, err = strconv.ParseInt(strings.TrimSpace(amt), 10, 64); err != nil {
			return nil, fmt.Errorf("bậc %q: mức thu không phải số", part)
		}
		out = append(out, t)
	}
	return out, nil
}

// ExportXLSX writes procedures as a workbook with one sheet per section.
func ExportXLSX(w io.Writer, ps []*Procedure) error {
	f := excelize.NewFile()
	defer f.Close()
	rows := map[string][][]any{}
	for _, p := range ps {
		fo, pub := p.FinancialObligation, p.Publication
		var foSusp, foNote, pd, pdo, pbe, ppo string
		if fo != nil {
			foSusp, foNote = yesNo(fo.SuspendsClock), fo.Note
		}
		if pub != nil {
			pd, pdo, pbe, ppo = pub.Decision, pub.DecidedOn, pub.BasisEffectiveOn, pub.PublishedOn
		}
		t := p.ProcessingTime
		rows[SheetProcedures] = append(rows[SheetProcedures], []any{p.Code, p.Name, p.Field, string(p.Level),
			string(p.Authority.Level), p.Authority.Agency, yesNo(p.Interconnected), string(p.OnlineLevel), p.ApplicantKind,
			t.Value, t.Unit, t.Cutoff, t.Note, foSusp, foNote, p.Result.Name, p.Result.DocType,
			yesNo(p.Result.Electronic), yesNo(p.Result.Paper), pd, pdo, pbe, ppo, p.Note})
		for _, fe := range p.Fees {
			var ra any = ""
			rf := ""
			if fe.Reduced != nil {
				ra, rf = fe.Reduced.Amount, fe.Reduced.For
			}
			rows[SheetFees] = append(rows[SheetFees], []any{p.Code, fe.Name, fe.Kind, optInt(fe.Amount), fe.Per,
				fe.CountField, fe.MultiplierField, FormatTiers(fe.Tiers), intOrEmpty(fe.MaxPerCopy), ra, rf,
				fe.ExemptFor, optInt(fe.OnlineAmount), fe.Note})
		}
		for _, d := range p.Documents {
			rows[SheetDocuments] = append(rows[SheetDocuments], []any{p.Code, d.Code, d.Name, d.Form, d.Count,
				yesNo(d.Required), d.DocType, d.Note})
		}
		for i, s := range p.Process {
			rows[SheetProcess] = append(rows[SheetProcess], []any{p.Code, i + 1, s.Name, s.Role, s.Unit,
				s.Share.Value, s.Share.Unit, yesNo(s.Parallel)})
		}
		rows[SheetForms] = append(rows[SheetForms], []any{p.Code, string(p.Form)})
		for _, l := range p.LegalBasis {
			rows[SheetLegal] = append(rows[SheetLegal], []any{p.Code, l})
		}
	}
	for i, name := range sheetOrder {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("export xlsx: %w", err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("export xlsx: %w", err)
		}
		hdr := make([]any, len(sheetHeaders[name]))
		for j, h := range sheetHeaders[name] {
			hdr[j] = h
		}
		if err := f.SetSheetRow(name, "A1", &hdr); err != nil {
			return fmt.Errorf("export xlsx %s: %w", name, err)
		}
		for j, r := range rows[name] {
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := f.SetSheetRow(name, cell, &r); err != nil {
				return fmt.Errorf("export xlsx %s row %d: %w", name, j+2, err)
			}
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

// sheetReader reads one row of one sheet and records problems with sheet, row and column.
type sheetReader struct {
	sheet string
	row   int // 1-based sheet row
	cells []string
	code  string
	ps    *[]Problem
}

func (r *sheetReader) fail(col int, format string, args ...any) {
	name, _ := excelize.ColumnNumberToName(col + 1)
	*r.ps = append(*r.ps, Problem{Sheet: r.sheet, Row: r.row, Code: r.code,
		Field: fmt.Sprintf("%s (%s)", name, sheetHeaders[r.sheet][col]), Message: fmt.Sprintf(format, args...)})
}

func (r *sheetReader) str(col int) string {
	if col < len(r.cells) {
		return strings.TrimSpace(r.cells[col])
	}
	return ""
}

func (r *sheetReader) raw(col int) string {
	if col < len(r.cells) {
		return r.cells[col]
	}
	return ""
}

func (r *sheetReader) integer(col int) int {
	s := r.str(col)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		r.fail(col, "%q không phải số nguyên", s)
	}
	return n
}

func (r *sheetReader) optInt64(col int) *int64 {
	s := r.str(col)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.fail(col, "%q không phải số nguyên", s)
		return nil
	}
	return &n
}

func (r *sheetReader) boolean(col int) bool {
	switch strings.ToLower(r.str(col)) {
	case "có", "x", "true", "1", "yes":
		return true
	case "", "không", "false", "0", "no":
		return false
	}
	r.fail(col, "%q phải là \"có\" hoặc \"không\"", r.str(col))
	return false
}

// ImportXLSX reads a workbook written by ExportXLSX (or edited from it). It checks the layout
// and cell types, naming sheet, row and column of each problem; run Validate on the result
// before accepting it, exactly as for a JSON import.
func ImportXLSX(rd io.Reader) ([]*Procedure, error) {
	f, err := excelize.OpenReader(rd)
	if err != nil {
		return nil, &ValidationError{Problems: []Problem{{Message: "không đọc được tệp Excel: " + err.Error()}}}
	}
	defer f.Close()
	var ps []Problem
	sheets := map[string][][]string{}
	for _, name := range sheetOrder {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			ps = append(ps, Problem{Sheet: name, Message: "thiếu sheet \"" + name + "\""})
			continue
		}
		want := sheetHeaders[name]
		var hdr []string
		if len(rows) > 0 {
			hdr = rows[0]
		}
		for i, h := range want {
			got := ""
			if i < len(hdr) {
				got = strings.TrimSpace(hdr[i])
			}
			if got != h {
				col, _ := excelize.ColumnNumberToName(i + 1)
				ps = append(ps, Problem{Sheet: name, Row: 1, Field: col, Message: fmt.Sprintf("tiêu đề cột phải là %q, có %q", h, got)})
			}
		}
		if len(rows) > 0 {
			sheets[name] = rows[1:]
		}
	}
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}

	byCode := map[string]*Procedure{}
	var out []*Procedure
	for i, cells := range sheets[SheetProcedures] {
		r := &sheetReader{sheet: SheetProcedures, row: i + 2, cells: cells, ps: &ps}
		if blank(cells) {
			continue
		}
		p := &Procedure{Code: r.str(0), Name: r.str(1), Field: r.str(2), Level: Level(r.str(3)),
			Authority: Authority{Level: Level(r.str(4)), Agency: r.str(5)}, Interconnected: r.boolean(6),
			OnlineLevel: OnlineLevel(r.str(7)), ApplicantKind: r.str(8),
			ProcessingTime: ProcessingTime{Value: r.integer(9), Unit: r.str(10), Cutoff: r.str(11), Note: r.str(12)},
			Result:         Result{Name: r.str(15), DocType: r.str(16), Electronic: r.boolean(17), Paper: r.boolean(18)},
			Note:           r.str(23)}
		r.code = p.Code
		if r.str(13) != "" || r.str(14) != "" {
			p.FinancialObligation = &FinancialObligation{SuspendsClock: r.boolean(13), Note: r.str(14)}
		}
		if r.str(19) != "" || r.str(20) != "" || r.str(21) != "" || r.str(22) != "" {
			p.Publication = &Publication{Decision: r.str(19), DecidedOn: r.str(20), BasisEffectiveOn: r.str(21), PublishedOn: r.str(22)}
		}
		if p.Code == "" {
			r.fail(0, "thiếu mã thủ tục")
			continue
		}
		if _, dup := byCode[p.Code]; dup {
			r.fail(0, "trùng mã thủ tục %q", p.Code)
			continue
		}
		byCode[p.Code] = p
		out = append(out, p)
	}
	child := func(sheet string, each func(r *sheetReader, p *Procedure)) {
		for i, cells := range sheets[sheet] {
			if blank(cells) {
				continue
			}
			r := &sheetReader{sheet: sheet, row: i + 2, cells: cells, ps: &ps}
			r.code = r.str(0)
			p, ok := byCode[r.code]
			if !ok {
				r.fail(0, "mã thủ tục %q không có trong sheet %q", r.code, SheetProcedures)
				continue
			}
			each(r, p)
		}
	}
	child(SheetFees, func(r *sheetReader, p *Procedure) {
		fe := Fee{Name: r.str(1), Kind: r.str(2), Amount: r.optInt64(3), Per: r.str(4), CountField: r.str(5),
			MultiplierField: r.str(6), ExemptFor: r.str(11), OnlineAmount: r.optInt64(12), Note: r.str(13)}
		tiers, err := ParseTiers(r.str(7))
		if err != nil {
			r.fail(7, "%v", err)
		}
		fe.Tiers = tiers
		if m := r.optInt64(8); m != nil {
			fe.MaxPerCopy = *m
		}
		if r.str(9) != "" || r.str(10) != "" {
			fe.Reduced = &ReducedFee{For: r.str(10)}
			if a := r.optInt64(9); a != nil {
				fe.Reduced.Amount = *a
			}
		}
		p.Fees = append(p.Fees, fe)
	})
	child(SheetDocuments, func(r *sheetReader, p *Procedure) {
		p.Documents = append(p.Documents, Document{Code: r.str(1), Name: r.str(2), Form: r.str(3), Count: r.integer(4),
			Required: r.boolean(5), DocType: r.str(6), Note: r.str(7)})
	})
	child(SheetProcess, func(r *sheetReader, p *Procedure) {
		if n := r.integer(1); n != len(p.Process)+1 {
			r.fail(1, "số thứ tự bước phải là %d", len(p.Process)+1)
		}
		p.Process = append(p.Process, Step{Name: r.str(2), Role: r.str(3), Unit: r.str(4),
			Share: Share{Value: r.integer(5), Unit: r.str(6)}, Parallel: r.boolean(7)})
	})
	seenForm := map[string]bool{}
	child(SheetForms, func(r *sheetReader, p *Procedure) {
		if seenForm[p.Code] {
			r.fail(0, "thủ tục %q có nhiều hơn một biểu mẫu", p.Code)
			return
		}
		seenForm[p.Code] = true
		s := r.raw(1)
		if !json.Valid([]byte(s)) {
			r.fail(1, "JSON Schema không phải JSON hợp lệ")
			return
		}
		p.Form = json.RawMessage(s)
	})
	child(SheetLegal, func(r *sheetReader, p *Procedure) {
		p.LegalBasis = append(p.LegalBasis, r.str(1))
	})
	for _, p := range out {
		if err := p.normalize(); err != nil {
			ps = append(ps, Problem{Sheet: SheetForms, Code: p.Code, Field: "B", Message: err.Error()})
		}
	}
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	return out, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
