package auth

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ValidPersonalID checks a 12-digit personal identification number (số định danh cá nhân)
// as LEGAL.md §9 describes it: a province-of-birth code 001–096, a century-and-sex digit
// (0/1 for the 1900s, 2/3 for the 2000s, 4/5 for the 2100s ...), two digits of the birth year,
// and six random digits. The birth year must not be after now (the caller's clock), which is
// how a mistyped century digit is caught. There is no check digit, so a well-formed number may
// still belong to nobody; only the population database can say.
func ValidPersonalID(s string, now time.Time) error {
	const field = "personal_id"
	if len(s) != 12 || !allDigits(s) {
		return invalid(field, "must be 12 digits", "Số định danh cá nhân phải gồm đúng 12 chữ số.")
	}
	province, _ := strconv.Atoi(s[0:3])
	if province < 1 || province > 96 {
		return invalid(field, "province code "+s[0:3]+" is not 001-096",
			"Mã tỉnh nơi đăng ký khai sinh ("+s[0:3]+") không hợp lệ.")
	}
	year := PersonalIDBirthYear(s)
	if year > now.Year() {
		return invalid(field, "birth year "+strconv.Itoa(year)+" is in the future",
			"Năm sinh trong số định danh cá nhân ("+strconv.Itoa(year)+") không hợp lệ.")
	}
	return nil
}

// PersonalIDBirthYear returns the birth year a 12-digit personal ID encodes (1900s for
// century digits 0/1, 2000s for 2/3, and so on). It does not validate s; call ValidPersonalID
// first.
func PersonalIDBirthYear(s string) int {
	if len(s) != 12 || !allDigits(s) {
		return 0
	}
	century := int(s[3]-'0') / 2
	yy, _ := strconv.Atoi(s[4:6])
	return 1900 + 100*century + yy
}

// ValidEnterpriseCode checks an enterprise (tax) code: 10 digits, or for a dependent unit
// (branch, representative office) 10 digits, "-" and 3 digits.
func ValidEnterpriseCode(s string) error {
	base, branch, hasBranch := strings.Cut(s, "-")
	if len(base) != 10 || !allDigits(base) || hasBranch && (len(branch) != 3 || !allDigits(branch)) {
		return invalid("enterprise_code", "must be 10 digits, or 10 digits, '-' and 3 digits",
			"Mã số doanh nghiệp phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với đơn vị phụ thuộc.")
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// MaskName masks a person's name for public pages (lookup, statistics, published answers to
// feedback) so that a dossier can be recognized by its owner but not attributed by others.
//
// The rule: the family name (first word) is kept whole, because it is shared by a large part
// of the population (Nguyễn alone by about four in ten); every middle name becomes its first
// letter and "***"; the given name (last word) becomes its first letter and "*". The stars
// are a fixed count, so the length of the hidden part is not revealed, and the different
// count lets a reader tell the given name's initial from the middle ones. Diacritics are kept
// on the letters shown (the text is NFC-normalized first, so "Ễ" typed with combining marks
// is still one letter). A one-word name is shown as its first letter and "*". White space is
// collapsed.
//
//	MaskName("Nguyễn Văn An") == "Nguyễn V*** A*"
//	MaskName("Đặng Thị Ánh Tuyết") == "Đặng T*** Á*** T*"
func MaskName(name string) string {
	words := strings.Fields(norm.NFC.String(name))
	switch len(words) {
	case 0:
		return ""
	case 1:
		return initial(words[0]) + "*"
	}
	var b strings.Builder
	b.WriteString(words[0])
	for i, w := range words[1:] {
		b.WriteByte(' ')
		b.WriteString(initial(w))
		if i == len(words)-2 {
			b.WriteString("*")
		} else {
			b.WriteString("***")
		}
	}
	return b.String()
}

// initial returns the first letter of w with any combining marks that still follow it
// after NFC (rare, but then the letter would lose its tone mark).
func initial(w string) string {
	_, n := utf8.DecodeRuneInString(w)
	for n < len(w) {
		r, size := utf8.DecodeRuneInString(w[n:])
		if !unicode.Is(unicode.Mn, r) {
			break
		}
		n += size
	}
	return w[:n]
}

// MaskPersonalID shows only the last three digits of a personal ID ("*********345"): the
// first six encode province of birth, sex and birth year, which are themselves personal
// data. Anything that is not 12 digits is masked entirely.
func MaskPersonalID(s string) string {
	if len(s) != 12 || !allDigits(s) {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	return strings.Repeat("*", 9) + s[9:]
}

// MaskPhone keeps the first three digits (the network, which helps an applicant recognize
// their own number) and the last three: "0912345678" -> "091****678". Numbers shorter than
// eight digits are masked entirely.
func MaskPhone(s string) string {
	n := utf8.RuneCountInString(s)
	if n < 8 || !allDigits(s) {
		return strings.Repeat("*", n)
	}
	return s[:3] + strings.Repeat("*", n-6) + s[n-3:]
}
