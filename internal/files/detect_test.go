package files_test

import (
	"bytes"
	"testing"

	"github.com/motcua/motcua/internal/files"
	"github.com/xuri/excelize/v2"
)

func TestDetectType(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"pdf", pdfBytes(), files.TypePDF},
		{"png", pngBytes(), files.TypePNG},
		{"jpeg", jpegBytes(), files.TypeJPEG},
		{"docx is a zip from its head", docxBytes(t), files.TypeZIP},
		{"zip", plainZipBytes(t), files.TypeZIP},
		{"empty zip", []byte("PK\x05\x06" + string(make([]byte, 18))), files.TypeZIP},
		{"windows program", exeBytes(), files.TypeEXE},
		{"linux program", []byte("\x7fELF\x02\x01\x01\x00"), "application/x-executable"},
		{"word 97", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), "application/x-ole-storage"},
		{"html", htmlBytes(), files.TypeHTML},
		{"html after blank lines", []byte("\n\n  <html><body>x</body></html>"), files.TypeHTML},
		{"script tag", []byte("<script>alert(1)</script>"), files.TypeHTML},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "image/gif"},
		{"plain text", []byte("Giấy xác nhận cư trú\n"), "text/plain"},
		{"binary", []byte{0x00, 0x01, 0x02, 0xfe, 0x9c}, files.TypeUnknown},
		{"empty", nil, files.TypeUnknown},
		{"pdf signature not at the start", append([]byte("<html>"), pdfBytes()...), files.TypeHTML},
		{"only the first 512 bytes count", append(bytes.Repeat([]byte{0}, 512), pdfBytes()...), files.TypeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := files.DetectType(tt.head); got != tt.want {
				t.Errorf("DetectType = %q, want %q", got, tt.want)
			}
		})
	}
}

// The hand-built Office fixtures must be files Office software opens, or the DOCX/XLSX tests
// prove nothing; excelize is the reader we have for XLSX.
func TestFixturesAreRealOfficeFiles(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(xlsxBytes(t)))
	if err != nil {
		t.Fatalf("excelize cannot open the XLSX fixture: %v", err)
	}
	defer f.Close()
	v, err := f.GetCellValue("Bảng kê", "A1")
	if err != nil || v != "Số tiền" {
		t.Errorf("A1 = %q, %v; want Số tiền", v, err)
	}
}

func FuzzDetectType(f *testing.F) {
	for _, b := range [][]byte{pdfBytes(), pngBytes(), jpegBytes(), exeBytes(), htmlBytes(), docxBytes(f), plainZipBytes(f), nil, {0xff}} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := files.DetectType(b)
		if got == "" {
			t.Fatalf("DetectType(%q) is empty", b)
		}
		if len(b) > 512 && files.DetectType(b[:512]) != got {
			t.Fatalf("DetectType looked past 512 bytes")
		}
	})
}
