package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
)

// Limits are what Save accepts.
type Limits struct {
	MaxBytes int64    // the largest accepted file, in bytes
	Allowed  []string // accepted media types, spelled as DetectType and Save detect them
}

// DefaultLimits accepts PDF, JPEG, PNG, DOCX and XLSX files of up to 20 MiB: scans and
// office documents, the formats the national portal takes for dossier components.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes: 20 << 20,
		Allowed:  []string{TypePDF, TypeJPEG, TypePNG, TypeDOCX, TypeXLSX},
	}
}

// Stored describes a saved upload.
type Stored struct {
	Hash      string // lowercase hex SHA-256 of the content, the blob's key
	Size      int64  // bytes
	MediaType string // detected from the content; one of Limits.Allowed
	Name      string // sanitized, ending with the extension of MediaType
}

// Codes of *Error.
const (
	CodeTooLarge       = "too_large"        // more than Limits.MaxBytes: 413
	CodeEmpty          = "empty"            // no content
	CodeTypeNotAllowed = "type_not_allowed" // the content is not of an accepted type: 415
	CodeDisguised      = "disguised"        // the name's extension and the content disagree
)

// Error is an upload Save refused. Its messages are safe to show, Vietnamese first; nothing
// was stored.
type Error struct {
	Code      string
	MessageVI string
	MessageEN string
}

// Error implements error with the English message, for logs.
func (e *Error) Error() string { return "files: " + e.Code + ": " + e.MessageEN }

// spooler is a Blob that can take Save's temporary file as the blob itself (Local), so an
// upload is written once instead of spooled and copied.
type spooler interface {
	spool() (*os.File, error)
	adopt(ctx context.Context, f *os.File, hash string) error
}

// Save streams r into b while hashing it (SHA-256) and sniffing its type, and refuses, with an
// *Error, a file that is larger than lim.MaxBytes (reading stops at MaxBytes+1 bytes), empty,
// of a type not in lim.Allowed, or disguised: its name's extension declares one type and its
// content is another (a .pdf that is really a program, a web page or a ZIP). DOCX and XLSX
// are told apart from other ZIP archives by their [Content_Types].xml and word/ or xl/ parts.
//
// The upload is spooled to a temporary file (inside a Local store, else in os.TempDir) that is
// removed on every refusal or failure, so a blob is only ever created complete. The name is
// sanitized (SanitizeName); one that declares no type gets the extension of its content.
// Other errors are I/O failures or ctx's.
func Save(ctx context.Context, b Blob, name string, r io.Reader, lim Limits) (Stored, error) {
	if lim.MaxBytes <= 0 || len(lim.Allowed) == 0 {
		return Stored{}, fmt.Errorf("files: save: invalid limits (max %d bytes, %d types)", lim.MaxBytes, len(lim.Allowed))
	}
	name = SanitizeName(name)
	sp, direct := b.(spooler)
	var f *os.File
	var err error
	if direct {
		f, err = sp.spool()
	} else {
		f, err = os.CreateTemp("", "motcua-upload-*")
	}
	if err != nil {
		return Stored{}, fmt.Errorf("files: save %q: spool: %w", name, err)
	}
	owned := true // f is ours to remove, until adopt takes it
	defer func() {
		if owned {
			f.Close()
			os.Remove(f.Name())
		}
	}()

	h := sha256.New()
	head := &headWriter{}
	n, err := io.CopyBuffer(io.MultiWriter(f, h, head),
		io.LimitReader(ctxReader{ctx, r}, lim.MaxBytes+1), make([]byte, copyBuffer))
	if err != nil {
		return Stored{}, fmt.Errorf("files: save %q: %w", name, err)
	}
	switch {
	case n > lim.MaxBytes:
		return Stored{}, tooLarge(lim.MaxBytes)
	case n == 0:
		return Stored{}, &Error{Code: CodeEmpty, MessageVI: "Tệp rỗng, không có nội dung.", MessageEN: "the file is empty"}
	}
	typ := DetectType(head.b)
	if typ == TypeZIP {
		typ = detectZip(f, n)
	}
	if err := checkType(name, typ, lim.Allowed); err != nil {
		return Stored{}, err
	}

	hash := hex.EncodeToString(h.Sum(nil))
	if direct {
		owned = false
		err = sp.adopt(ctx, f, hash)
	} else if _, err = f.Seek(0, io.SeekStart); err == nil {
		err = b.Put(ctx, hash, f, n)
	}
	if err != nil {
		return Stored{}, fmt.Errorf("files: save %q: %w", name, err)
	}
	return Stored{Hash: hash, Size: n, MediaType: typ, Name: withExt(name, typ)}, nil
}

// headWriter keeps the first sniffLen bytes written to it.
type headWriter struct{ b []byte }

func (w *headWriter) Write(p []byte) (int, error) {
	if room := sniffLen - len(w.b); room > 0 {
		w.b = append(w.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// checkType refuses a type that disagrees with the name's extension, when either of them is
// an accepted type (so a .pdf holding a program is "disguised", while an .exe holding a
// program is simply not accepted), then a type not accepted.
func checkType(name, typ string, allowed []string) error {
	declared := extTypes[strings.ToLower(path.Ext(name))]
	ok := slices.Contains(allowed, typ)
	switch {
	case declared != "" && declared != typ && (ok || slices.Contains(allowed, declared)):
		return &Error{
			Code: CodeDisguised,
			MessageVI: fmt.Sprintf("Tệp «%s» mang đuôi của định dạng %s nhưng nội dung thực là %s. Vui lòng tải lên đúng tệp gốc.",
				name, label(declared), labelVI(typ)),
			MessageEN: fmt.Sprintf("file %q is named as %s but its content is %s", name, label(declared), labelEN(typ)),
		}
	case !ok:
		accepted := make([]string, len(allowed))
		for i, t := range allowed {
			accepted[i] = label(t)
		}
		return &Error{
			Code: CodeTypeNotAllowed,
			MessageVI: fmt.Sprintf("Tệp «%s» có định dạng %s, không được chấp nhận. Chỉ nhận tệp %s.",
				name, labelVI(typ), strings.Join(accepted, ", ")),
			MessageEN: fmt.Sprintf("file %q is %s, which is not accepted; accepted formats: %s",
				name, labelEN(typ), strings.Join(accepted, ", ")),
		}
	}
	return nil
}

func labelVI(typ string) string {
	if typ == TypeUnknown {
		return "không xác định"
	}
	return label(typ)
}

func labelEN(typ string) string {
	if typ == TypeUnknown {
		return "of an unknown format"
	}
	return label(typ)
}

// withExt gives a name that declares no type the extension of typ ("Giấy khai sinh" ->
// "Giấy khai sinh.pdf"), still within MaxNameBytes.
func withExt(name, typ string) string {
	if extTypes[strings.ToLower(path.Ext(name))] == typ {
		return name
	}
	ext, ok := typeExts[typ]
	if !ok {
		return name
	}
	return SanitizeName(name + ext)
}

func tooLarge(max int64) *Error {
	var size string
	switch {
	case max%(1<<20) == 0:
		size = fmt.Sprintf("%d MB", max>>20)
	case max%(1<<10) == 0:
		size = fmt.Sprintf("%d KB", max>>10)
	default:
		size = fmt.Sprintf("%d byte", max)
	}
	return &Error{
		Code:      CodeTooLarge,
		MessageVI: fmt.Sprintf("Tệp vượt quá dung lượng tối đa cho phép (%s).", size),
		MessageEN: fmt.Sprintf("the file is larger than the %s limit", strings.Replace(size, "byte", "bytes", 1)),
	}
}
