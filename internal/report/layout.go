package report

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// DejaVu Sans covers Vietnamese completely (every precomposed letter with its diacritics) and
// may be redistributed (fonts/LICENSE). fpdf embeds only the glyphs a document uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

const (
	family = "DejaVu"

	portrait  = "P"
	landscape = "L"

	bodySize  = 11.0 // pt: body text (DejaVu Sans is wide; 11 pt reads like 13 pt Times)
	bodyLine  = 5.8  // mm
	cellSize  = 9.0  // pt: table cells (the default)
	cellLine  = 4.2  // mm, for cellSize
	cellPad   = 1.2  // mm above and below a cell's text
	cellInset = 1.3  // mm left and right of a cell's text
)

// doc is one PDF being laid out: A4, margins of Nghị định 30/2020/NĐ-CP (wider on the left for
// binding), a footer with the dossier code, the printing time and the page number.
type doc struct {
	pdf     *fpdf.Fpdf
	footer  string    // left part of the footer, e.g. "Mã hồ sơ: …"
	printed time.Time // printed in the footer
	left    float64
	right   float64
	top     float64
	bottom  float64
	cellPt  float64 // table cell font size
	cellLn  float64 // table cell line height
}

func newDoc(orient, title string, now time.Time) (*doc, error) {
	d := &doc{printed: now, left: 30, right: 15, top: 20, bottom: 20, cellPt: cellSize, cellLn: cellLine}
	if orient == landscape {
		d.left, d.right, d.top, d.bottom = 20, 15, 15, 17
	}
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orient, UnitStr: "mm", SizeStr: "A4"})
	d.pdf = p
	p.AddUTF8FontFromBytes(family, "", fontRegular)
	p.AddUTF8FontFromBytes(family, "B", fontBold)
	p.SetMargins(d.left, d.top, d.right)
	p.SetAutoPageBreak(true, d.bottom)
	p.SetCellMargin(cellInset)
	// A reprint of the same state is the same file: dates come from the caller, catalogs sorted.
	p.SetCreationDate(now)
	p.SetModificationDate(now)
	p.SetCatalogSort(true)
	p.SetTitle(clean(title), true)
	p.SetCreator("MotCua", true)
	p.SetLang("vi-VN")
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(d.drawFooter)
	p.AddPage()
	d.font("", bodySize)
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("set up pdf: %w", err)
	}
	return d, nil
}

func (d *doc) output(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("lay out pdf: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

func (d *doc) font(style string, size float64) { d.pdf.SetFont(family, style, size) }

func (d *doc) pageSize() (w, h float64) { return d.pdf.GetPageSize() }

// contentWidth is the width between the margins.
func (d *doc) contentWidth() float64 {
	w, _ := d.pageSize()
	return w - d.left - d.right
}

// limit is the lowest y content may reach on a page.
func (d *doc) limit() float64 {
	_, h := d.pageSize()
	return h - d.bottom
}

// ensure starts a new page unless h millimetres fit below the current position, so that a
// block (a signature, a paragraph and its table header) is never cut by the page end.
func (d *doc) ensure(h float64) {
	if d.pdf.GetY()+h > d.limit() {
		d.pdf.AddPage()
	}
}

func (d *doc) drawFooter() {
	p := d.pdf
	w, h := d.pageSize()
	p.SetY(h - d.bottom + 6)
	d.font("", 7.5)
	p.SetTextColor(90, 90, 90)
	left := d.footer
	if !d.printed.IsZero() {
		if left != "" {
			left += " · "
		}
		left += "In lúc " + shortTime(d.printed)
	}
	p.SetX(d.left)
	p.CellFormat(w-d.left-d.right-30, 4, clean(left), "", 0, "L", false, 0, "")
	p.CellFormat(30, 4, fmt.Sprintf("Trang %d/{nb}", p.PageNo()), "", 0, "R", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

// wrap splits text into lines no wider than w millimetres (cell insets included) in the
// current font. Lines break at spaces, and inside long tokens after '-', '/' or '.', so a
// dossier code or a URL breaks at its separators rather than mid-number; a token with no
// separator that is still too wide breaks between characters.
func (d *doc) wrap(text string, w float64) []string {
	avail := w - 2*cellInset
	var out []string
	for _, para := range strings.Split(clean(text), "\n") {
		out = append(out, d.wrapLine(para, avail)...)
	}
	return out
}

func (d *doc) wrapLine(s string, avail float64) []string {
	width := d.pdf.GetStringWidth
	var atoms []string // each ends at a break opportunity
	start := 0
	for i, r := range s {
		if r == ' ' || r == '-' || r == '/' || r == '.' {
			atoms = append(atoms, s[start:i+len(string(r))])
			start = i + len(string(r))
		}
	}
	if start < len(s) {
		atoms = append(atoms, s[start:])
	}
	var lines []string
	line := ""
	flush := func() {
		lines = append(lines, strings.TrimRight(line, " "))
		line = ""
	}
	for _, a := range atoms {
		if width(strings.TrimRight(line+a, " ")) <= avail {
			line += a
			continue
		}
		if line != "" {
			flush()
			a = strings.TrimLeft(a, " ")
		}
		for width(strings.TrimRight(a, " ")) > avail { // a token wider than the cell
			rs := []rune(a)
			n := 1
			for n < len(rs) && width(string(rs[:n+1])) <= avail {
				n++
			}
			line = string(rs[:n])
			flush()
			a = string(rs[n:])
		}
		line = a
	}
	if line != "" || len(lines) == 0 {
		flush()
	}
	return lines
}

// paragraph prints text over the full width, wrapped, in the body font.
func (d *doc) paragraph(text, align string) {
	d.font("", bodySize)
	d.pdf.SetX(d.left)
	d.pdf.MultiCell(0, bodyLine, clean(text), "", align, false)
	d.pdf.Ln(1)
}

// field prints "Label: value" with the label in bold, the value wrapping under the label.
func (d *doc) field(label, value string) {
	p := d.pdf
	p.SetX(d.left)
	d.font("B", bodySize)
	p.Write(bodyLine, clean(label)+" ")
	d.font("", bodySize)
	p.Write(bodyLine, clean(orBlank(value)))
	p.Ln(bodyLine)
}

// label prints a bold line introducing what follows (a table, a list).
func (d *doc) label(text string) {
	d.font("B", bodySize)
	d.pdf.SetX(d.left)
	d.pdf.MultiCell(0, bodyLine, clean(text), "", "L", false)
	d.font("", bodySize)
}

// strongField is field with the value in bold too (the due date, the dossier code).
func (d *doc) strongField(label, value string) {
	p := d.pdf
	p.SetX(d.left)
	d.font("B", bodySize)
	p.Write(bodyLine, clean(label)+" "+clean(orBlank(value)))
	p.Ln(bodyLine)
	d.font("", bodySize)
}

// centered prints each wrapped line of text centred in the band [x, x+w].
func (d *doc) centered(x, w float64, text string, style string, size, line float64) {
	d.font(style, size)
	for _, l := range d.wrap(text, w) {
		d.pdf.SetX(x)
		d.pdf.CellFormat(w, line, l, "", 2, "C", false, 0, "")
	}
}

// fitSize returns the largest size up to max at which text fits in w millimetres on one line.
func (d *doc) fitSize(text, style string, max, w float64) float64 {
	size := max
	for ; size > 6; size -= 0.5 {
		d.font(style, size)
		if d.pdf.GetStringWidth(text) <= w {
			break
		}
	}
	return size
}

// nationalHeader prints the head of an administrative document: the issuing body on the left
// (its parent above, its own name in bold, a short rule), the national motto on the right,
// and under the motto the place and date.
func (d *doc) nationalHeader(parent, issuer, place string, date time.Time) {
	p := d.pdf
	cw := d.contentWidth()
	leftW := cw * 0.45
	rightW := cw - leftW - 2
	rightX := d.left + leftW + 2
	y0 := p.GetY()
	lineH := 5.2

	p.SetY(y0)
	if strings.TrimSpace(parent) != "" {
		d.centered(d.left, leftW, upper(parent), "", 10.5, lineH)
	}
	d.centered(d.left, leftW, upper(issuer), "B", 10.5, lineH)
	yl := p.GetY() + 1
	p.SetLineWidth(0.3)
	p.Line(d.left+leftW/2-12, yl, d.left+leftW/2+12, yl)

	const motto1, motto2 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
	p.SetY(y0)
	size := d.fitSize(motto1, "B", 10.5, rightW)
	d.font("B", size)
	p.SetX(rightX)
	p.CellFormat(rightW, lineH, motto1, "", 2, "C", false, 0, "")
	d.font("B", size+0.5)
	p.SetX(rightX)
	p.CellFormat(rightW, lineH, motto2, "", 2, "C", false, 0, "")
	mw := p.GetStringWidth(motto2)
	yr := p.GetY() + 0.6
	p.Line(rightX+rightW/2-mw/2, yr, rightX+rightW/2+mw/2, yr)

	p.SetY(max(yl, yr) + 3)
	if !date.IsZero() {
		line := longDate(date)
		if pl := placeName(place); pl != "" {
			line = pl + ", " + line
		}
		d.font("", 10)
		p.SetX(rightX)
		p.CellFormat(rightW, lineH, clean(line), "", 2, "C", false, 0, "")
	}
	p.Ln(4)
	d.font("", bodySize)
}

// title prints a form's heading in bold capitals, with an optional second line.
func (d *doc) title(main, sub string) {
	d.centered(d.left, d.contentWidth(), upper(main), "B", 13, 6.5)
	if sub != "" {
		d.centered(d.left, d.contentWidth(), sub, "B", 11, 6)
	}
	d.pdf.Ln(4)
	d.font("", bodySize)
}

// column is one column of a table; widths are relative and scaled to the content width.
type column struct {
	title string
	width float64
	align string // "L", "C" or "R"
}

// table prints a bordered table whose rows grow with their wrapped text. The header row is
// repeated at the top of every page the table runs onto; a row is never cut by a page end (a
// single row taller than a page is shortened, ending in "…").
func (d *doc) table(cols []column, rows [][]string) {
	p := d.pdf
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	k := d.contentWidth() / total
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width * k
	}

	p.SetAutoPageBreak(false, 0)
	defer p.SetAutoPageBreak(true, d.bottom)

	layout := func(cells []string, style string) ([][]string, float64) {
		d.font(style, d.cellPt)
		lines := make([][]string, len(cells))
		n := 1
		for i, c := range cells {
			if i < len(widths) {
				lines[i] = d.wrap(c, widths[i])
				n = max(n, len(lines[i]))
			}
		}
		return lines, float64(n)*d.cellLn + 2*cellPad
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	headLines, headH := layout(titles, "B")
	drawRow := func(lines [][]string, h float64, style string, fill bool) {
		d.font(style, d.cellPt)
		x, y := d.left, p.GetY()
		for i, w := range widths {
			st := "D"
			if fill {
				p.SetFillColor(232, 232, 232)
				st = "FD"
			}
			p.SetLineWidth(0.2)
			p.Rect(x, y, w, h, st)
			align := cols[i].align
			if fill {
				align = "C"
			}
			if i < len(lines) {
				for j, l := range lines[i] {
					p.SetXY(x, y+cellPad+float64(j)*d.cellLn)
					p.CellFormat(w, d.cellLn, l, "", 0, align, false, 0, "")
				}
			}
			x += w
		}
		p.SetXY(d.left, y+h)
	}
	header := func() { drawRow(headLines, headH, "B", true) }

	d.ensure(headH + d.cellLn + 2*cellPad)
	header()
	_, pageH := d.pageSize()
	maxLines := int((pageH - d.top - d.bottom - headH - 2*cellPad) / d.cellLn)
	for _, r := range rows {
		lines, h := layout(r, "")
		if h > float64(maxLines)*d.cellLn+2*cellPad {
			for i := range lines {
				if len(lines[i]) > maxLines {
					lines[i] = append(lines[i][:maxLines-1:maxLines-1], lines[i][maxLines-1]+"…")
				}
			}
			h = float64(maxLines)*d.cellLn + 2*cellPad
		}
		if p.GetY()+h > d.limit() {
			p.AddPage()
			header()
		}
		drawRow(lines, h, "", false)
	}
	d.font("", bodySize)
	p.Ln(3)
}

// signer is one signature block: who signs, the hint under it, the name printed under the
// space left for the signature.
type signer struct {
	role string
	hint string
	name string
}

// signatures prints up to two signature blocks side by side, kept on one page.
func (d *doc) signatures(left, right signer) {
	p := d.pdf
	d.ensure(44)
	half := d.contentWidth() / 2
	y := p.GetY() + 2
	for i, s := range []signer{left, right} {
		if s.role == "" {
			continue
		}
		x := d.left + float64(i)*half
		p.SetY(y)
		d.centered(x, half, upper(s.role), "B", 10.5, 5.2)
		if s.hint != "" {
			d.centered(x, half, "("+s.hint+")", "", 9, 4.5)
		}
		if s.name != "" {
			p.SetY(y + 32)
			d.centered(x, half, s.name, "B", 10.5, 5.2)
		}
	}
	p.SetY(y + 40)
	d.font("", bodySize)
}

// note prints a small remark over the full width.
func (d *doc) note(text string) {
	d.font("", 8.5)
	d.pdf.SetX(d.left)
	d.pdf.MultiCell(0, 4.2, clean(text), "", "L", false)
	d.font("", bodySize)
}
