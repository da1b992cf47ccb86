package report

import (
	"bytes"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

// rectRecorder records what drawQR draws.
type rectRecorder struct{ rects [][4]float64 }

func (r *rectRecorder) Rect(x, y, w, h float64, style string) {
	if style != "F" {
		panic("QR modules must be filled, got style " + style)
	}
	r.rects = append(r.rects, [4]float64{x, y, w, h})
}

// TestQRDrawnMatrix rasterizes the rectangles drawQR draws back to modules and compares them
// with the encoder's own matrix, module by module, quiet zone included.
func TestQRDrawnMatrix(t *testing.T) {
	for _, content := range []string{lookupURL, "https://dichvucong.thainguyen.gov.vn/tra-cuu/" + strings.Repeat("x", 300), "a"} {
		code, err := qr.Encode(content, qr.M, qr.Auto)
		if err != nil {
			t.Fatal(err)
		}
		n := code.Bounds().Dx()
		const x0, y0, size = 100.0, 50.0, 27.0
		var rec rectRecorder
		if err := drawQR(&rec, content, x0, y0, size); err != nil {
			t.Fatal(err)
		}
		full := n + 2*quietZone
		mod := size / float64(full)
		grid := make([][]bool, full)
		for i := range grid {
			grid[i] = make([]bool, full)
		}
		for _, r := range rec.rects {
			if r[0] < x0-1e-9 || r[1] < y0-1e-9 || r[0]+r[2] > x0+size+1e-9 || r[1]+r[3] > y0+size+1e-9 {
				t.Fatalf("rectangle %v outside the symbol's square", r)
			}
			c0, r0 := math.Round((r[0]-x0)/mod), math.Round((r[1]-y0)/mod)
			cols, rows := math.Round(r[2]/mod), math.Round(r[3]/mod)
			for dy := 0; dy < int(rows); dy++ {
				for dx := 0; dx < int(cols); dx++ {
					if grid[int(r0)+dy][int(c0)+dx] {
						t.Fatalf("module (%v,%v) drawn twice", c0+float64(dx), r0+float64(dy))
					}
					grid[int(r0)+dy][int(c0)+dx] = true
				}
			}
		}
		for y := 0; y < full; y++ {
			for x := 0; x < full; x++ {
				want := false
				if mx, my := x-quietZone, y-quietZone; mx >= 0 && my >= 0 && mx < n && my < n {
					want = color.GrayModel.Convert(code.At(mx, my)).(color.Gray).Y < 128
				}
				if grid[y][x] != want {
					t.Fatalf("%d-character content: module (%d,%d) drawn %v, encoder says %v", len(content), x, y, grid[y][x], want)
				}
			}
		}
	}
}

// TestReceiptQRDecodes prints the receipt at 200 dpi and scans it with ZBar: the code must
// lead back to the lookup page.
func TestReceiptQRDecodes(t *testing.T) {
	pdf := render(t, Receipt, input(fixture(t, "walk")))
	dir := t.TempDir()
	in := filepath.Join(dir, "receipt.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	// Grey PGM: Poppler writes it at once, where PNG compression takes seconds.
	runTool(t, nil, "pdftoppm", "-r", "200", "-gray", "-singlefile", in, filepath.Join(dir, "page"))
	cmd := exec.Command(needTool(t, "zbarimg"), "--nodbus", "-q", "--raw", filepath.Join(dir, "page.pgm"))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		t.Fatalf("zbarimg found no QR code: %v", err)
	}
	if got := strings.TrimSpace(stdout.String()); got != lookupURL {
		t.Errorf("QR code reads %q, want %q", got, lookupURL)
	}
}
