package files_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/files"
	"github.com/xuri/excelize/v2"
)

func TestSave(t *testing.T) {
	type want struct {
		typ, name string // when accepted
		code      string // when refused
	}
	ok := func(typ, name string) want { return want{typ: typ, name: name} }
	refused := func(code string) want { return want{code: code} }
	tests := []struct {
		name    string
		file    string
		content []byte
		want    want
	}{
		{"pdf", "Giấy khai sinh.pdf", pdfBytes(), ok(files.TypePDF, "Giấy khai sinh.pdf")},
		{"png with an upper-case extension", "Ảnh chân dung.PNG", pngBytes(), ok(files.TypePNG, "Ảnh chân dung.PNG")},
		{"jpg", "cccd-mat-truoc.jpg", jpegBytes(), ok(files.TypeJPEG, "cccd-mat-truoc.jpg")},
		{"jpeg", "cccd-mat-sau.jpeg", jpegBytes(), ok(files.TypeJPEG, "cccd-mat-sau.jpeg")},
		{"docx", "Đơn đề nghị.docx", docxBytes(t), ok(files.TypeDOCX, "Đơn đề nghị.docx")},
		{"xlsx", "Bảng kê.xlsx", xlsxBytes(t), ok(files.TypeXLSX, "Bảng kê.xlsx")},
		{"no extension gets one", "scan", pdfBytes(), ok(files.TypePDF, "scan.pdf")},
		{"a dot is not an extension", "Quyết định 12.2025", pdfBytes(), ok(files.TypePDF, "Quyết định 12.2025.pdf")},
		{"no name", "", jpegBytes(), ok(files.TypeJPEG, "tai-lieu.jpg")},
		{"browser path", `C:\fakepath\Tờ khai.docx`, docxBytes(t), ok(files.TypeDOCX, "Tờ khai.docx")},

		{"program named pdf", "hoa-don.pdf", exeBytes(), refused(files.CodeDisguised)},
		{"web page named pdf", "hoa-don.pdf", htmlBytes(), refused(files.CodeDisguised)},
		{"zip named pdf", "hoa-don.pdf", plainZipBytes(t), refused(files.CodeDisguised)},
		{"unknown bytes named pdf", "hoa-don.pdf", []byte{0, 1, 2, 3, 0xfe}, refused(files.CodeDisguised)},
		{"zip named docx", "don.docx", plainZipBytes(t), refused(files.CodeDisguised)},
		{"xlsx named docx", "don.docx", xlsxBytes(t), refused(files.CodeDisguised)},
		{"docx named xlsx", "bang-ke.xlsx", docxBytes(t), refused(files.CodeDisguised)},
		{"macro document named docx", "don.docx", docmBytes(t), refused(files.CodeDisguised)},
		{"docx holding a VBA project", "don.docx",
			zipOf(t, "[Content_Types].xml", fmt.Sprintf(contentTypes, docxMain), "word/document.xml", wordDocument, "word/vbaProject.bin", "x"),
			refused(files.CodeDisguised)},
		{"png named jpg", "anh.jpg", pngBytes(), refused(files.CodeDisguised)},
		{"pdf named exe", "setup.exe", pdfBytes(), refused(files.CodeDisguised)},
		{"docx content types without the document part", "don.docx",
			zipOf(t, "[Content_Types].xml", fmt.Sprintf(contentTypes, docxMain), "word/other.xml", "x"), refused(files.CodeDisguised)},
		{"main part outside word/", "don.docx",
			zipOf(t, "[Content_Types].xml", strings.ReplaceAll(fmt.Sprintf(contentTypes, docxMain), "/word/", "/xl/"), "xl/document.xml", wordDocument),
			refused(files.CodeDisguised)},
		{"both a document and a workbook", "don.docx",
			zipOf(t, "[Content_Types].xml", fmt.Sprintf(contentTypes, docxMain+xlsxMain), "word/document.xml", wordDocument, "xl/workbook.xml", workbook),
			refused(files.CodeDisguised)},
		{"broken content types", "don.docx", zipOf(t, "[Content_Types].xml", "<Types><Override", "word/document.xml", wordDocument), refused(files.CodeDisguised)},
		{"truncated docx", "don.docx", docxBytes(t)[:200], refused(files.CodeDisguised)},

		{"program", "setup.exe", exeBytes(), refused(files.CodeTypeNotAllowed)},
		{"right-to-left trick", "hoadon\u202efdp.exe", exeBytes(), refused(files.CodeTypeNotAllowed)},
		{"web page", "trang.html", htmlBytes(), refused(files.CodeTypeNotAllowed)},
		{"zip", "ho-so.zip", plainZipBytes(t), refused(files.CodeTypeNotAllowed)},
		{"text", "ghi-chu.txt", []byte("Ghi chú của cán bộ"), refused(files.CodeTypeNotAllowed)},
		{"word 97", "don.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00"), refused(files.CodeTypeNotAllowed)},
		{"unknown bytes without extension", "du-lieu", []byte{0, 1, 2, 3}, refused(files.CodeTypeNotAllowed)},
		{"empty", "trong.pdf", nil, refused(files.CodeEmpty)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, dir := newLocal(t)
			got, err := files.Save(context.Background(), l, tt.file, bytes.NewReader(tt.content), files.DefaultLimits())
			if tt.want.code != "" {
				var fe *files.Error
				if !errors.As(err, &fe) || fe.Code != tt.want.code {
					t.Fatalf("Save = %+v, %v; want refusal %q", got, err, tt.want.code)
				}
				if fe.MessageVI == "" || fe.MessageEN == "" || fe.MessageVI == fe.MessageEN {
					t.Errorf("messages: vi %q, en %q", fe.MessageVI, fe.MessageEN)
				}
				emptyDir(t, dir) // no blob, no temporary file
				return
			}
			if err != nil {
				t.Fatalf("Save: %v", err)
			}
			wantStored := files.Stored{Hash: sha(tt.content), Size: int64(len(tt.content)), MediaType: tt.want.typ, Name: tt.want.name}
			if diff := cmp.Diff(wantStored, got); diff != "" {
				t.Errorf("Stored (-want +got):\n%s", diff)
			}
			if !bytes.Equal(readBlob(t, l, got.Hash), tt.content) {
				t.Error("stored content differs")
			}
			h := got.Hash
			if diff := cmp.Diff([]string{h[:2] + "/" + h[2:4] + "/" + h}, filesUnder(t, dir)); diff != "" {
				t.Errorf("files in the store (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSaveRefusalMessages(t *testing.T) {
	l, _ := newLocal(t)
	_, err := files.Save(context.Background(), l, "hoa-don.pdf", bytes.NewReader(exeBytes()), files.DefaultLimits())
	var fe *files.Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"«hoa-don.pdf»", "PDF", "EXE"} {
		if !strings.Contains(fe.MessageVI, want) {
			t.Errorf("MessageVI %q lacks %q", fe.MessageVI, want)
		}
	}
	_, err = files.Save(context.Background(), l, "x.pdf", bytes.NewReader(pdfOf(2<<20)), files.Limits{MaxBytes: 1 << 20, Allowed: []string{files.TypePDF}})
	if !errors.As(err, &fe) || fe.MessageVI != "Tệp vượt quá dung lượng tối đa cho phép (1 MB)." {
		t.Errorf("too large: %v", err)
	}
}

// countingReader yields a PDF header followed by zeros for ever, counting what it hands out.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	head := pdfBytes()
	for i := range p {
		if r.n < int64(len(head)) {
			p[i] = head[r.n]
		} else {
			p[i] = 0
		}
		r.n++
	}
	return len(p), nil
}

func TestSaveSizeLimit(t *testing.T) {
	lim := files.DefaultLimits()
	t.Run("exactly at the limit", func(t *testing.T) {
		l, _ := newLocal(t)
		content := pdfOf(int(lim.MaxBytes))
		got, err := files.Save(context.Background(), l, "ban-do.pdf", bytes.NewReader(content), lim)
		if err != nil || got.Size != lim.MaxBytes || got.Hash != sha(content) {
			t.Fatalf("Save = %+v, %v", got, err)
		}
	})
	t.Run("one byte over", func(t *testing.T) {
		l, dir := newLocal(t)
		_, err := files.Save(context.Background(), l, "ban-do.pdf", bytes.NewReader(pdfOf(int(lim.MaxBytes)+1)), lim)
		var fe *files.Error
		if !errors.As(err, &fe) || fe.Code != files.CodeTooLarge {
			t.Fatalf("err = %v, want %s", err, files.CodeTooLarge)
		}
		emptyDir(t, dir)
	})
	t.Run("reading stops at the limit plus one", func(t *testing.T) {
		l, dir := newLocal(t)
		r := &countingReader{}
		_, err := files.Save(context.Background(), l, "vo-tan.pdf", r, lim)
		var fe *files.Error
		if !errors.As(err, &fe) || fe.Code != files.CodeTooLarge {
			t.Fatalf("err = %v, want %s", err, files.CodeTooLarge)
		}
		if r.n != lim.MaxBytes+1 {
			t.Errorf("read %d bytes, want %d", r.n, lim.MaxBytes+1)
		}
		emptyDir(t, dir)
	})
}

// failingReader passes r through, then ends with err instead of io.EOF.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func TestSaveFailuresLeaveNothing(t *testing.T) {
	t.Run("upload interrupted", func(t *testing.T) {
		l, dir := newLocal(t)
		r := &failingReader{r: bytes.NewReader(pdfOf(300 << 10)), err: io.ErrUnexpectedEOF}
		_, err := files.Save(context.Background(), l, "don.pdf", r, files.DefaultLimits())
		var fe *files.Error
		if !errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &fe) {
			t.Fatalf("err = %v, want the reader's error and no refusal", err)
		}
		emptyDir(t, dir)
	})
	t.Run("request cancelled", func(t *testing.T) {
		l, dir := newLocal(t)
		ctx, cancel := context.WithCancel(context.Background())
		r := &failingReader{r: bytes.NewReader(pdfOf(1 << 20)), err: io.EOF}
		cancelAfterFirst := readerFunc(func(p []byte) (int, error) {
			n, err := r.Read(p[:min(len(p), 4096)])
			cancel()
			return n, err
		})
		_, err := files.Save(ctx, l, "don.pdf", cancelAfterFirst, files.DefaultLimits())
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		emptyDir(t, dir)
	})
}

type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// A Blob that is not a Local gets the upload through Put, only when accepted, and Save's
// spool file in os.TempDir is removed in every case.
func TestSaveOtherBlob(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	b := newMemBlob()
	ctx := context.Background()

	for _, c := range []struct {
		name    string
		content []byte
	}{{"hoa-don.pdf", htmlBytes()}, {"don.docx", plainZipBytes(t)}, {"lon.pdf", pdfOf(2 << 20)}} {
		_, err := files.Save(ctx, b, c.name, bytes.NewReader(c.content), files.Limits{MaxBytes: 1 << 20, Allowed: files.DefaultLimits().Allowed})
		var fe *files.Error
		if !errors.As(err, &fe) {
			t.Fatalf("Save(%s) = %v, want a refusal", c.name, err)
		}
	}
	if b.puts != 0 {
		t.Errorf("%d Puts after refusals", b.puts)
	}
	emptyDir(t, tmp)

	content := docxBytes(t)
	got, err := files.Save(ctx, b, "don.docx", bytes.NewReader(content), files.DefaultLimits())
	if err != nil || got.MediaType != files.TypeDOCX {
		t.Fatalf("Save = %+v, %v", got, err)
	}
	if b.puts != 1 || !bytes.Equal(readBlob(t, b, got.Hash), content) {
		t.Errorf("puts = %d, content stored: %v", b.puts, bytes.Equal(readBlob(t, b, got.Hash), content))
	}
	emptyDir(t, tmp)
}

// An XLSX written by a real spreadsheet library, not by hand.
func TestSaveExcelizeWorkbook(t *testing.T) {
	f := excelize.NewFile()
	if err := f.SetCellValue("Sheet1", "A1", "Lệ phí"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	l, _ := newLocal(t)
	got, err := files.Save(context.Background(), l, "le-phi.xlsx", &buf, files.DefaultLimits())
	if err != nil || got.MediaType != files.TypeXLSX {
		t.Fatalf("Save = %+v, %v", got, err)
	}
}

// A DOCX-looking archive with more entries than any real document is not inspected.
func TestSaveZipWithTooManyEntries(t *testing.T) {
	entries := []string{"[Content_Types].xml", fmt.Sprintf(contentTypes, docxMain), "word/document.xml", wordDocument}
	for i := range 10001 {
		entries = append(entries, fmt.Sprintf("word/media/%d", i), "")
	}
	l, dir := newLocal(t)
	_, err := files.Save(context.Background(), l, "don.docx", bytes.NewReader(zipOf(t, entries...)), files.DefaultLimits())
	var fe *files.Error
	if !errors.As(err, &fe) || fe.Code != files.CodeDisguised {
		t.Fatalf("err = %v, want %s", err, files.CodeDisguised)
	}
	emptyDir(t, dir)
}

func TestSaveConcurrentSameContent(t *testing.T) {
	l, dir := newLocal(t)
	content := pdfOf(1 << 20)
	const n = 20
	got := make([]files.Stored, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got[i], errs[i] = files.Save(context.Background(), l, "ban-sao.pdf", bytes.NewReader(content), files.DefaultLimits())
		})
	}
	wg.Wait()
	want := files.Stored{Hash: sha(content), Size: int64(len(content)), MediaType: files.TypePDF, Name: "ban-sao.pdf"}
	for i := range n {
		if errs[i] != nil || got[i] != want {
			t.Errorf("Save #%d = %+v, %v", i, got[i], errs[i])
		}
	}
	h := want.Hash
	if diff := cmp.Diff([]string{h[:2] + "/" + h[2:4] + "/" + h}, filesUnder(t, dir)); diff != "" {
		t.Errorf("files in the store (-want +got):\n%s", diff)
	}
	if !bytes.Equal(readBlob(t, l, h), content) {
		t.Error("stored content differs")
	}
}

func TestSaveInvalidLimits(t *testing.T) {
	l, dir := newLocal(t)
	for _, lim := range []files.Limits{{}, {MaxBytes: 10}, {Allowed: []string{files.TypePDF}}} {
		_, err := files.Save(context.Background(), l, "x.pdf", bytes.NewReader(pdfBytes()), lim)
		var fe *files.Error
		if err == nil || errors.As(err, &fe) {
			t.Errorf("Save with %+v: %v, want a plain error", lim, err)
		}
	}
	emptyDir(t, dir)
}

// Save's refusals and acceptances hold for any bytes: the ZIP inspection never panics and
// an accepted file is of an accepted type, stored whole.
func FuzzSave(f *testing.F) {
	for _, b := range [][]byte{pdfBytes(), pngBytes(), docxBytes(f), xlsxBytes(f), docmBytes(f), plainZipBytes(f), exeBytes(), nil} {
		f.Add("don.docx", b)
	}
	f.Add("a.pdf", pdfBytes())
	lim := files.DefaultLimits()
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		b := newMemBlob()
		got, err := files.Save(context.Background(), b, name, bytes.NewReader(content), lim)
		var fe *files.Error
		switch {
		case errors.As(err, &fe):
			if b.puts != 0 {
				t.Fatal("refused but stored")
			}
		case err != nil:
			t.Fatalf("Save: %v", err)
		default:
			if !slices.Contains(lim.Allowed, got.MediaType) || got.Size != int64(len(content)) || got.Hash != sha(content) {
				t.Fatalf("Save = %+v", got)
			}
			if got.Name != files.SanitizeName(got.Name) {
				t.Fatalf("name %q is not sanitized", got.Name)
			}
		}
	})
}
