package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/motcua/motcua/internal/files"
)

// Small real files. Each is what the named program would accept, reduced to what identifies it.

// pdfOf returns a minimal PDF (header, one empty page, trailer) padded with a comment to size
// bytes when size is larger.
func pdfOf(size int) []byte {
	body := "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" +
		"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
		"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n" +
		"trailer<</Root 1 0 R>>\n%%EOF\n"
	b := []byte(body)
	if size > len(b) {
		b = append(b, '%')
		b = append(b, bytes.Repeat([]byte{'x'}, size-len(b))...)
	}
	return b
}

func pdfBytes() []byte { return pdfOf(0) }

// pngBytes is a 1x1 PNG (signature, IHDR, IDAT, IEND).
func pngBytes() []byte {
	b, _ := hex.DecodeString("89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
		"1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
	return b
}

// jpegBytes is the start of a JFIF JPEG (SOI, APP0) followed by an EOI marker.
func jpegBytes() []byte {
	return append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), 0xff, 0xd9)
}

func exeBytes() []byte {
	b := make([]byte, 256)
	copy(b, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
	copy(b[128:], "PE\x00\x00")
	return b
}

func htmlBytes() []byte {
	return []byte("<!DOCTYPE html>\n<html><head><title>Hóa đơn</title></head><body><script>alert(1)</script></body></html>\n")
}

// zipOf builds a ZIP archive holding the given entries (name, content), in order.
func zipOf(t testing.TB, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		f, err := w.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(f, entries[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="%s"/>` +
		`</Relationships>`
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>%s</Types>`
	docxMain = `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`
	docmMain = `<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>`
	xlsxMain = `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	wordDocument = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:body><w:p><w:r><w:t>Đơn đề nghị</w:t></w:r></w:p></w:body></w:document>`
	workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="Bảng kê" sheetId="1" r:id="rId1"/></sheets></workbook>`
	workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`</Relationships>`
	sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Số tiền</t></is></c></row></sheetData></worksheet>`
)

func docxBytes(t testing.TB) []byte {
	return zipOf(t,
		"[Content_Types].xml", fmt.Sprintf(contentTypes, docxMain),
		"_rels/.rels", fmt.Sprintf(rels, "word/document.xml"),
		"word/document.xml", wordDocument)
}

func docmBytes(t testing.TB) []byte {
	return zipOf(t,
		"[Content_Types].xml", fmt.Sprintf(contentTypes, docmMain),
		"_rels/.rels", fmt.Sprintf(rels, "word/document.xml"),
		"word/document.xml", wordDocument,
		"word/vbaProject.bin", "Attribute VB_Name = \"AutoOpen\"")
}

func xlsxBytes(t testing.TB) []byte {
	return zipOf(t,
		"[Content_Types].xml", fmt.Sprintf(contentTypes, xlsxMain),
		"_rels/.rels", fmt.Sprintf(rels, "xl/workbook.xml"),
		"xl/workbook.xml", workbook,
		"xl/_rels/workbook.xml.rels", workbookRels,
		"xl/worksheets/sheet1.xml", sheet)
}

// plainZipBytes is an archive of two ordinary files: neither DOCX nor XLSX.
func plainZipBytes(t testing.TB) []byte {
	return zipOf(t, "ho-so/don.pdf", string(pdfBytes()), "ho-so/ghi-chu.txt", "Bản sao")
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// newLocal returns a Local in a fresh folder and the folder.
func newLocal(t testing.TB) (*files.Local, string) {
	t.Helper()
	dir := t.TempDir()
	l, err := files.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l, dir
}

// filesUnder lists the regular files under dir, relative and sorted.
func filesUnder(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// memBlob is a Blob that is not a Local, to exercise Save's general path. It records Puts.
type memBlob struct {
	mu   sync.Mutex
	m    map[string][]byte
	puts int
}

func newMemBlob() *memBlob { return &memBlob{m: map[string][]byte{}} }

func (b *memBlob) Put(_ context.Context, hash string, r io.Reader, size int64) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if int64(len(data)) != size || sha(data) != hash {
		return fmt.Errorf("memBlob: content of %d bytes does not match %s (%d bytes)", len(data), hash, size)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.puts++
	b.m[hash] = data
	return nil
}

func (b *memBlob) Open(_ context.Context, hash string) (io.ReadCloser, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.m[hash]
	if !ok {
		return nil, files.ErrNotFound
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

func (b *memBlob) Exists(_ context.Context, hash string) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.m[hash]
	return ok, nil
}

// readBlob returns the stored content of hash.
func readBlob(t testing.TB, b files.Blob, hash string) []byte {
	t.Helper()
	rc, err := b.Open(context.Background(), hash)
	if err != nil {
		t.Fatalf("Open(%s): %v", hash, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// emptyDir fails the test when dir holds any file.
func emptyDir(t testing.TB, dir string) {
	t.Helper()
	if left := filesUnder(t, dir); len(left) > 0 {
		t.Errorf("files left in %s: %v", dir, left)
	}
}
