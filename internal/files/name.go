package files

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	// MaxNameBytes is the longest sanitized name, in bytes of UTF-8: room for a long
	// Vietnamese title (about 40 to 60 letters with diacritics) within every file system's
	// 255-byte limit, even with a suffix added by a browser.
	MaxNameBytes = 120
	// DefaultName replaces a name with nothing left after sanitizing ("tài liệu", document).
	DefaultName = "tai-lieu"
	// maxExtBytes is the longest suffix kept as an extension when a long name is shortened.
	maxExtBytes = 16
)

// SanitizeName makes an uploaded file name safe to store, display and offer as a download:
//   - the path is dropped: only what follows the last '/' or '\' (or a look-alike that a
//     Windows "best fit" code page turns into one) is kept;
//   - invalid UTF-8, control, format (such as the right-to-left override that makes
//     "hoadon\u202Efdp.exe" display as "hoadonexe.pdf"), private-use and unassigned characters
//     are removed, and any kind of space becomes one ordinary space;
//   - the characters Windows reserves, < > : " | ? *, become '_';
//   - the text is put in Unicode NFC, so a Vietnamese name typed on a Mac (decomposed) and on
//     Windows (precomposed) is the same name; letters with diacritics are kept;
//   - leading and trailing spaces and dots are trimmed, and a Windows device name (CON, NUL,
//     COM1, ...) gets a leading '_';
//   - at most MaxNameBytes bytes remain, cut on a character boundary and keeping a short
//     extension ("...dài.pdf");
//   - an empty result becomes DefaultName.
//
// The result contains no '/', '\' or NUL, and SanitizeName(SanitizeName(x)) ==
// SanitizeName(x).
func SanitizeName(name string) string {
	s := strings.ToValidUTF8(name, "")
	if i := strings.LastIndexFunc(s, isSeparator); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		s = s[i+size:]
	}
	s = strings.Map(mapNameRune, s)
	s = norm.NFC.String(s)
	s = strings.Join(strings.Fields(s), " ")
	s = trimName(s)
	s = shorten(avoidDeviceName(s), MaxNameBytes)
	// Shortening at a character boundary can expose a device name ("CONN\u0308..." -> "CON");
	// the prefix then leaves the name within the limit or is kept by a second shortening.
	s = shorten(avoidDeviceName(s), MaxNameBytes)
	if s == "" {
		return DefaultName
	}
	return s
}

// isSeparator reports path separators and the characters Windows best-fit mapping turns into
// them (fullwidth, division and other slashes).
func isSeparator(r rune) bool {
	switch r {
	case '/', '\\', '\uff0f', '\uff3c', '\u2215', '\u2216', '\u2044', '\u29f5', '\u29f8', '\u29f9', '\ufe68':
		return true
	}
	return false
}

func mapNameRune(r rune) rune {
	switch {
	case unicode.IsSpace(r):
		return ' '
	case !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs):
		return -1 // control, format, private use, surrogate, unassigned
	case strings.ContainsRune(`<>:"|?*`, r):
		return '_'
	}
	return r
}

func trimName(s string) string { return strings.Trim(s, " .") }

// deviceNames are the names Windows reserves for devices, with any extension.
var deviceNames = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
	"COM0": true, "COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true,
	"COM6": true, "COM7": true, "COM8": true, "COM9": true, "COM¹": true, "COM²": true, "COM³": true,
	"LPT0": true, "LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true,
	"LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true, "LPT¹": true, "LPT²": true, "LPT³": true,
}

func avoidDeviceName(s string) string {
	stem, _, _ := strings.Cut(s, ".")
	if deviceNames[strings.ToUpper(strings.TrimRight(stem, " "))] {
		return "_" + s
	}
	return s
}

// shorten cuts s to at most max bytes, keeping a short extension, at a place where the
// prefix stays NFC (before a character that does not combine with what precedes it).
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	ext := path.Ext(s)
	if len(ext) > maxExtBytes || strings.ContainsRune(ext, ' ') {
		ext = ""
	}
	stem := s[:len(s)-len(ext)]
	cut := max - len(ext)
	for cut > 0 && !(utf8.RuneStart(stem[cut]) && norm.NFC.FirstBoundaryInString(stem[cut:]) == 0) {
		cut--
	}
	if cut == 0 { // one character with hundreds of combining marks: cut between marks
		cut = max - len(ext)
		for cut > 0 && !utf8.RuneStart(stem[cut]) {
			cut--
		}
	}
	stem = trimName(stem[:cut])
	if stem == "" {
		stem = DefaultName
	}
	return stem + ext
}
