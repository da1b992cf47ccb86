package report

import (
	"fmt"
	"image/color"

	"github.com/boombuler/barcode/qr"
)

// quietZone is the white border a QR code needs around it, in modules (ISO/IEC 18004).
const quietZone = 4

// rectFiller is the one drawing operation a QR code needs; *fpdf.Fpdf implements it, and the
// tests record the rectangles to compare them with the encoder's matrix.
type rectFiller interface {
	Rect(x, y, w, h float64, style string)
}

// qrMatrix encodes content at error-correction level M (15 % of the symbol may be damaged,
// enough for a printed, folded, stamped receipt) and returns its dark modules, row by row.
func qrMatrix(content string) ([][]bool, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("encode qr code: %w", err)
	}
	b := code.Bounds()
	m := make([][]bool, b.Dy())
	for y := range m {
		m[y] = make([]bool, b.Dx())
		for x := range m[y] {
			m[y][x] = dark(code.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return m, nil
}

func dark(c color.Color) bool {
	g := color.GrayModel.Convert(c).(color.Gray)
	return g.Y < 128
}

// drawQR draws the QR code of content as filled vector rectangles (one per horizontal run of
// dark modules) so it stays sharp at any printer resolution. The symbol and its quiet zone
// fill the square of side size at (x, y).
func drawQR(r rectFiller, content string, x, y, size float64) error {
	m, err := qrMatrix(content)
	if err != nil {
		return err
	}
	n := len(m)
	mod := size / float64(n+2*quietZone)
	ox, oy := x+quietZone*mod, y+quietZone*mod
	for row := range m {
		for col := 0; col < n; {
			if !m[row][col] {
				col++
				continue
			}
			run := col
			for run < n && m[row][run] {
				run++
			}
			r.Rect(ox+float64(col)*mod, oy+float64(row)*mod, float64(run-col)*mod, mod, "F")
			col = run
		}
	}
	return nil
}
