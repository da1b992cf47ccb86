package files_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/files"
	"golang.org/x/text/unicode/norm"
)

func TestSanitizeName(t *testing.T) {
	long := strings.Repeat("Giấy chứng nhận quyền sử dụng đất ", 8) // 8 x 43 bytes
	tests := []struct {
		name, in, want string
	}{
		{"vietnamese kept", "Giấy khai sinh bản sao.pdf", "Giấy khai sinh bản sao.pdf"},
		{"decomposed becomes precomposed", norm.NFD.String("Đơn đề nghị cấp đổi.docx"), "Đơn đề nghị cấp đổi.docx"},
		{"unix path", "../../etc/passwd", "passwd"},
		{"windows path", `C:\fakepath\Tờ khai.pdf`, "Tờ khai.pdf"},
		{"fullwidth slash", "..\uff0f..\uff0fboot.ini", "boot.ini"},
		{"trailing separator", "ho-so/", "tai-lieu"},
		{"NUL and controls", "to\x00khai\x07\x1b[31m.pdf", "tokhai[31m.pdf"},
		{"whitespace controls become one space", "Giấy\ttờ\r\n  nhà đất.pdf", "Giấy tờ nhà đất.pdf"},
		{"right-to-left override", "hoadon\u202efdp.exe", "hoadonfdp.exe"},
		{"zero-width and bidi marks", "ho\u200bso\u200e\u2066.pdf", "hoso.pdf"},
		{"reserved characters", `Báo cáo: quý 1? <bản "chính"> *|.xlsx`, `Báo cáo_ quý 1_ _bản _chính__ __.xlsx`},
		{"no-break and ideographic spaces", "Hồ\u00a0sơ\u3000gốc.pdf", "Hồ sơ gốc.pdf"},
		{"leading dots and spaces", " ..bashrc", "bashrc"},
		{"trailing dots and spaces", "don.pdf. . ", "don.pdf"},
		{"device name", "CON.pdf", "_CON.pdf"},
		{"device name in lower case", "lpt1", "_lpt1"},
		{"not a device name", "CONG-VAN.pdf", "CONG-VAN.pdf"},
		{"invalid UTF-8", "bi\xffen\xc3 lai.pdf", "bien lai.pdf"},
		{"private use", "a\ue000b.png", "ab.png"},
		{"empty", "", "tai-lieu"},
		{"only junk", " ./\\.. \x00", "tai-lieu"},
		{"dots in a Vietnamese name", "Quyết định số 12.2025.QĐ-UBND", "Quyết định số 12.2025.QĐ-UBND"},
		{"long name keeps its extension", long + ".pdf", shortenTo(long, 116) + ".pdf"},
		{"long name without extension", long, shortenTo(long, 120)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := files.SanitizeName(tt.in)
			if got != tt.want {
				t.Errorf("SanitizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := files.SanitizeName(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

// shortenTo cuts an ASCII-ending Vietnamese string to at most n bytes on a rune boundary and
// trims trailing spaces: the expected form of a long name.
func shortenTo(s string, n int) string {
	for len(s) > n || !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return strings.TrimRight(s, " .")
}

func TestSanitizeNameLimitCountsBytes(t *testing.T) {
	// "ệ" is 3 bytes: 60 of them are 180 bytes, cut to 40 letters, never in the middle of one.
	got := files.SanitizeName(strings.Repeat("ệ", 60))
	if got != strings.Repeat("ệ", 40) {
		t.Errorf("got %q (%d bytes)", got, len(got))
	}
	// A letter followed by many combining marks is never split from its first mark when it
	// can be avoided, and the result stays normalized.
	odd := "a" + strings.Repeat("\u0323\u0302", 100) + ".pdf"
	if got := files.SanitizeName(odd); len(got) > files.MaxNameBytes || !norm.NFC.IsNormalString(got) || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("SanitizeName(a + 200 marks) = %q (%d bytes)", got, len(got))
	}
}

func FuzzSanitizeName(f *testing.F) {
	for _, s := range []string{
		"Giấy khai sinh.pdf", norm.NFD.String("Đơn đề nghị.docx"), "../../etc/passwd", `C:\a\b.pdf`,
		"hoadon\u202efdp.exe", "CON", "CONN\u0308", " . ", "a\x00b", "\xff\xfe", strings.Repeat("ệ", 50) + ".xlsx",
		"a" + strings.Repeat("\u0301", 130), strings.Repeat(".", 200) + "x", "\u037e\u2126\u212b.pdf",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := files.SanitizeName(in)
		switch {
		case got == "":
			t.Fatalf("SanitizeName(%q) is empty", in)
		case strings.ContainsAny(got, "/\\\x00"):
			t.Fatalf("SanitizeName(%q) = %q contains a separator or NUL", in, got)
		case !utf8.ValidString(got):
			t.Fatalf("SanitizeName(%q) = %q is not valid UTF-8", in, got)
		case len(got) > files.MaxNameBytes:
			t.Fatalf("SanitizeName(%q) = %q is %d bytes", in, got, len(got))
		case !norm.NFC.IsNormalString(got):
			t.Fatalf("SanitizeName(%q) = %q is not NFC", in, got)
		case strings.IndexFunc(got, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0:
			t.Fatalf("SanitizeName(%q) = %q keeps a control or format character", in, got)
		}
		if again := files.SanitizeName(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, got, again)
		}
	})
}
