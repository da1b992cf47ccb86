package files

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
)

// Media types recognized from content. The five accepted by default are the first five.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

	TypeZIP     = "application/zip"                               // any other ZIP archive
	TypeEXE     = "application/vnd.microsoft.portable-executable" // Windows program ("MZ")
	TypeHTML    = "text/html"
	TypeUnknown = "application/octet-stream"

	typeELF  = "application/x-executable"
	typeOLE  = "application/x-ole-storage" // legacy .doc/.xls/.ppt/.msi
	typeDOCM = "application/vnd.ms-word.document.macroEnabled.12"
	typeXLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
	typeDOTX = "application/vnd.openxmlformats-officedocument.wordprocessingml.template"
	typeXLTX = "application/vnd.openxmlformats-officedocument.spreadsheetml.template"
	typePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)

// sniffLen is how much of the start of a file DetectType looks at (as http.DetectContentType).
const sniffLen = 512

// magics are the signatures checked before falling back to http.DetectContentType, which
// knows neither programs nor OLE files. Order matters only for shared prefixes (none here).
var magics = []struct {
	sig []byte
	typ string
}{
	{[]byte("%PDF-"), TypePDF},
	{[]byte("\x89PNG\r\n\x1a\n"), TypePNG},
	{[]byte("\xff\xd8\xff"), TypeJPEG},
	{[]byte("PK\x03\x04"), TypeZIP},
	{[]byte("PK\x05\x06"), TypeZIP}, // empty archive
	{[]byte("MZ"), TypeEXE},
	{[]byte("\x7fELF"), typeELF},
	{[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), typeOLE},
}

// DetectType returns the media type of a file from its first bytes (at most 512 are looked
// at): PDF, PNG, JPEG, ZIP, Windows and Linux programs and OLE files by their signature, the
// rest (HTML, GIF, WebP, plain text, ...) as http.DetectContentType sees them, without
// parameters; TypeUnknown for empty or unrecognized input. DOCX and XLSX are ZIP archives and
// come out as TypeZIP here: telling them apart needs the whole file, which Save has.
func DetectType(head []byte) string {
	if len(head) == 0 {
		return TypeUnknown
	}
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, m.sig) {
			return m.typ
		}
	}
	t := http.DetectContentType(head)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	return t
}

// extTypes is what a file name's extension declares. Extensions not listed declare nothing
// (Vietnamese names often contain dots: "Quyết định 12.2025"); programs and web pages are
// listed so that a real PDF named .exe is refused rather than stored under that name.
var extTypes = map[string]string{
	".pdf": TypePDF, ".jpg": TypeJPEG, ".jpeg": TypeJPEG, ".jpe": TypeJPEG, ".jfif": TypeJPEG,
	".png": TypePNG, ".docx": TypeDOCX, ".xlsx": TypeXLSX,
	".zip": TypeZIP, ".docm": typeDOCM, ".xlsm": typeXLSM, ".dotx": typeDOTX, ".xltx": typeXLTX,
	".pptx": typePPTX, ".doc": typeOLE, ".xls": typeOLE, ".ppt": typeOLE, ".msi": typeOLE,
	".exe": TypeEXE, ".dll": TypeEXE, ".scr": TypeEXE, ".com": TypeEXE, ".cpl": TypeEXE,
	".htm": TypeHTML, ".html": TypeHTML, ".gif": "image/gif", ".webp": "image/webp",
	".bmp": "image/bmp", ".txt": "text/plain",
}

// typeExts is the extension given to a stored name that declares no type.
var typeExts = map[string]string{
	TypePDF: ".pdf", TypeJPEG: ".jpg", TypePNG: ".png", TypeDOCX: ".docx", TypeXLSX: ".xlsx",
	"image/gif": ".gif", "image/webp": ".webp", "image/bmp": ".bmp", "text/plain": ".txt",
}

// labels are the short names users know formats by.
var labels = map[string]string{
	TypePDF: "PDF", TypeJPEG: "JPEG", TypePNG: "PNG", TypeDOCX: "DOCX", TypeXLSX: "XLSX",
	TypeZIP: "ZIP", TypeEXE: "EXE", TypeHTML: "HTML", typeELF: "ELF", typeOLE: "DOC/XLS (Office 97–2003)",
	typeDOCM: "DOCM", typeXLSM: "XLSM", typeDOTX: "DOTX", typeXLTX: "XLTX",
	typePPTX: "PPTX", "image/gif": "GIF", "image/webp": "WEBP", "image/bmp": "BMP", "text/plain": "TXT",
}

func label(typ string) string {
	if l, ok := labels[typ]; ok {
		return l
	}
	return typ
}

// OOXML (DOCX, XLSX, ...) is a ZIP whose [Content_Types].xml names the main part and its
// content type. ooxmlMain maps the main part's content type (lower case) to the file type and
// the folder the main part must be in.
var ooxmlMain = map[string]struct{ typ, dir string }{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":   {TypeDOCX, "word/"},
	"application/vnd.ms-word.document.macroenabled.main+xml":                             {typeDOCM, "word/"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml":   {typeDOTX, "word/"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":         {TypeXLSX, "xl/"},
	"application/vnd.ms-excel.sheet.macroenabled.main+xml":                               {typeXLSM, "xl/"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml":      {typeXLTX, "xl/"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": {typePPTX, "ppt/"},
}

const (
	// maxZipEntries bounds the archives inspected: a real DOCX or XLSX has tens to a few
	// hundred parts, while a 20 MiB archive of empty entries would make archive/zip allocate
	// some 100 MB for its directory.
	maxZipEntries = 10000
	// maxContentTypes bounds how much of [Content_Types].xml is decompressed (a few KB in
	// practice), so a compression bomb costs nothing.
	maxContentTypes = 1 << 20
)

// detectZip tells a DOCX or XLSX (or a macro-enabled or other Office file) from a plain ZIP:
// the archive must hold [Content_Types].xml declaring exactly one main document part, that
// part must exist in the folder its type requires (word/ or xl/), and a Word or Excel file
// holding a VBA project counts as macro-enabled whatever it declares. Anything else,
// including an archive that cannot be read, is TypeZIP.
func detectZip(ra io.ReaderAt, size int64) string {
	if n, ok := zipEntries(ra, size); !ok || n > maxZipEntries {
		return TypeZIP
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return TypeZIP
	}
	parts := make(map[string]bool, len(zr.File))
	var ct *zip.File
	for _, f := range zr.File {
		name := strings.ToLower(f.Name) // OPC part names compare case-insensitively
		parts[name] = true
		if name == "[content_types].xml" {
			ct = f
		}
	}
	if ct == nil {
		return TypeZIP
	}
	overrides, err := readContentTypes(ct)
	if err != nil {
		return TypeZIP
	}
	found := ""
	for _, o := range overrides {
		m, ok := ooxmlMain[strings.ToLower(strings.TrimSpace(o.ContentType))]
		part := strings.ToLower(strings.TrimPrefix(o.PartName, "/"))
		if !ok || !parts[part] || !strings.HasPrefix(part, m.dir) {
			continue
		}
		if found != "" && found != m.typ {
			return TypeZIP // two main documents: neither a DOCX nor an XLSX
		}
		found = m.typ
	}
	switch {
	case found == TypeDOCX && parts["word/vbaproject.bin"]:
		return typeDOCM
	case found == TypeXLSX && parts["xl/vbaproject.bin"]:
		return typeXLSM
	case found == "":
		return TypeZIP
	}
	return found
}

type override struct {
	PartName    string `xml:"PartName,attr"`
	ContentType string `xml:"ContentType,attr"`
}

func readContentTypes(f *zip.File) ([]override, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var types struct {
		Overrides []override `xml:"Override"`
	}
	if err := xml.NewDecoder(io.LimitReader(rc, maxContentTypes)).Decode(&types); err != nil {
		return nil, err
	}
	return types.Overrides, nil
}

// zipEntries reads the entry count from the archive's end-of-central-directory record, the
// last "PK\x05\x06" within the final 64 KiB + 22 bytes. ok is false when there is none, and a
// ZIP64 archive (count 0xFFFF) reports the maximum.
func zipEntries(ra io.ReaderAt, size int64) (n int, ok bool) {
	const eocdLen, maxComment = 22, 65535
	tail := int64(eocdLen + maxComment)
	if tail > size {
		tail = size
	}
	buf := make([]byte, tail)
	if _, err := ra.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, false
	}
	if len(buf) < eocdLen {
		return 0, false
	}
	// As archive/zip: the last signature with room for a whole record after it.
	i := bytes.LastIndex(buf[:len(buf)-eocdLen+4], []byte("PK\x05\x06"))
	if i < 0 {
		return 0, false
	}
	return int(binary.LittleEndian.Uint16(buf[i+10:])), true
}
