package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var identNow = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func TestValidPersonalID(t *testing.T) {
	tests := []struct {
		id       string
		wantErr  bool
		wantYear int
	}{
		{"019085012345", false, 1985}, // Thái Nguyên, man born 1985
		{"006190123456", false, 1990}, // Bắc Kạn, woman born 1990
		{"001200000001", false, 2000}, // Hà Nội, boy born 2000
		{"096326999999", false, 2026}, // born this year
		{"001099000000", false, 1999},
		{"019327000000", true, 2027}, // born next year
		{"019400000000", true, 2100}, // 22nd century
		{"000085012345", true, 1985}, // province 000
		{"097085012345", true, 1985}, // province 097
		{"19085012345", true, 0},     // 11 digits
		{"0190850123456", true, 0},   // 13 digits
		{"01908501234a", true, 0},    // letter
		{"019 85012345", true, 0},    // space
		{"", true, 0},
		{"０19085012345", true, 0}, // full-width digit
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			err := ValidPersonalID(tt.id, identNow)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			var ve *ValidationError
			if err != nil && (!errors.As(err, &ve) || ve.Field != "personal_id" || ve.Message == "") {
				t.Errorf("err %#v is not a ValidationError on personal_id with a message", err)
			}
			if got := PersonalIDBirthYear(tt.id); got != tt.wantYear {
				t.Errorf("PersonalIDBirthYear = %d, want %d", got, tt.wantYear)
			}
		})
	}
}

func TestValidEnterpriseCode(t *testing.T) {
	tests := map[string]bool{
		"4601234567":      true,
		"4601234567-001":  true,
		"0100109106-999":  true,
		"460123456":       false,
		"46012345678":     false,
		"4601234567-01":   false,
		"4601234567-0011": false,
		"4601234567-":     false,
		"46012345a7":      false,
		"4601234567_001":  false,
		"":                false,
	}
	for code, valid := range tests {
		t.Run(code, func(t *testing.T) {
			err := ValidEnterpriseCode(code)
			if (err == nil) != valid {
				t.Errorf("ValidEnterpriseCode(%q) = %v, want valid=%v", code, err, valid)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("err %v is not ErrInvalid", err)
			}
		})
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Văn An", "Nguyễn V*** A*"},
		{"Đặng Thị Ánh Tuyết", "Đặng T*** Á*** T*"},
		{"Lê Na", "Lê N*"},
		{"Ông", "Ô*"},
		{"  Trần   Thị  Bình ", "Trần T*** B*"},
		{"", ""},
		{"   ", ""},
		{norm.NFD.String("Hoàng Ễ Ước"), "Hoàng Ễ*** Ư*"}, // typed with combining marks
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MaskName(tt.in); got != tt.want {
				t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskPersonalID(t *testing.T) {
	tests := map[string]string{
		"019085012345": "*********345",
		"12345":        "*****",
		"":             "",
		"01908501234x": "************",
	}
	for in, want := range tests {
		if got := MaskPersonalID(in); got != want {
			t.Errorf("MaskPersonalID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := map[string]string{
		"0912345678":  "091****678",
		"02083851234": "020*****234",
		"1234567":     "*******",
		"09123x5678":  "**********",
	}
	for in, want := range tests {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzValidPersonalID(f *testing.F) {
	f.Add("019085012345")
	f.Add("000000000000")
	f.Add("999999999999")
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidPersonalID(s, identNow)
		if err != nil {
			return
		}
		if len(s) != 12 || PersonalIDBirthYear(s) > identNow.Year() || PersonalIDBirthYear(s) < 1900 {
			t.Fatalf("accepted %q", s)
		}
		if m := MaskPersonalID(s); strings.Contains(m, s[:9]) || len(m) != 12 {
			t.Fatalf("mask %q leaks %q", m, s)
		}
	})
}

func FuzzMaskName(f *testing.F) {
	f.Add("Nguyễn Văn An")
	f.Add("a b c d e f")
	f.Fuzz(func(t *testing.T, name string) {
		m := MaskName(name)
		if !utf8.ValidString(m) && utf8.ValidString(name) {
			t.Fatalf("MaskName(%q) = %q is not valid UTF-8", name, m)
		}
		words := strings.Fields(norm.NFC.String(name))
		if len(words) >= 2 && len(words[len(words)-1]) > 4 && strings.Contains(m, words[len(words)-1]) && !strings.Contains(words[0], words[len(words)-1]) {
			t.Fatalf("MaskName(%q) = %q shows the given name", name, m)
		}
	})
}
