package files_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/motcua/motcua/internal/files"
)

func TestLocalPutOpenExists(t *testing.T) {
	l, dir := newLocal(t)
	ctx := context.Background()
	content := pdfBytes()
	h := sha(content)

	if ok, err := l.Exists(ctx, h); ok || err != nil {
		t.Fatalf("Exists before Put = %v, %v", ok, err)
	}
	if _, err := l.Open(ctx, h); !errors.Is(err, files.ErrNotFound) {
		t.Fatalf("Open before Put: %v, want ErrNotFound", err)
	}
	if err := l.Put(ctx, h, bytes.NewReader(content), int64(len(content))); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Exists(ctx, h); !ok || err != nil {
		t.Fatalf("Exists after Put = %v, %v", ok, err)
	}
	if !bytes.Equal(readBlob(t, l, h), content) {
		t.Error("content differs")
	}
	path := filepath.Join(dir, h[:2], h[2:4], h)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("blob not at dir/ab/cd/<hash>: %v", err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
	rc, err := l.Open(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, ok := rc.(io.ReadSeeker); !ok {
		t.Error("Open's reader cannot seek (needed for range requests)")
	}
}

// failIfRead fails the test when read: an idempotent Put must not even look at its input.
type failIfRead struct{ t *testing.T }

func (f failIfRead) Read([]byte) (int, error) {
	f.t.Error("Put read the content of a blob already stored")
	return 0, io.ErrUnexpectedEOF
}

func TestLocalPutIdempotent(t *testing.T) {
	l, dir := newLocal(t)
	ctx := context.Background()
	content := pngBytes()
	h := sha(content)
	if err := l.Put(ctx, h, bytes.NewReader(content), int64(len(content))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, h[:2], h[2:4], h)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if err := l.Put(ctx, h, failIfRead{t}, int64(len(content))); err != nil {
		t.Fatalf("second Put: %v", err)
	}
	info, err := os.Stat(path)
	if err != nil || !info.ModTime().Equal(old) {
		t.Errorf("blob rewritten by the second Put (mtime %v, want %v; %v)", info.ModTime(), old, err)
	}
	if diff := cmp.Diff([]string{h[:2] + "/" + h[2:4] + "/" + h}, filesUnder(t, dir)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestLocalPutRefusesWrongInput(t *testing.T) {
	content := pdfBytes()
	h := sha(content)
	tests := []struct {
		name    string
		hash    string
		content []byte
		size    int64
		want    error // nil: any error
	}{
		{"content of another hash", sha([]byte("khác")), content, int64(len(content)), files.ErrHashMismatch},
		{"wrong size", h, content, int64(len(content)) + 1, nil},
		{"path in the hash", "../../../../etc/passwd", content, int64(len(content)), files.ErrInvalidHash},
		{"upper-case hex", "ABCDEF" + h[6:], content, int64(len(content)), files.ErrInvalidHash},
		{"short hash", h[:63], content, int64(len(content)), files.ErrInvalidHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, dir := newLocal(t)
			err := l.Put(context.Background(), tt.hash, bytes.NewReader(tt.content), tt.size)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("Put = %v, want %v", err, tt.want)
			}
			emptyDir(t, dir)
		})
	}
}

func TestLocalPutInterrupted(t *testing.T) {
	l, dir := newLocal(t)
	content := pdfOf(1 << 20)
	r := &failingReader{r: bytes.NewReader(content[:700<<10]), err: io.ErrUnexpectedEOF}
	if err := l.Put(context.Background(), sha(content), r, int64(len(content))); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Put = %v, want the reader's error", err)
	}
	emptyDir(t, dir)
	if ok, _ := l.Exists(context.Background(), sha(content)); ok {
		t.Error("a partial blob exists")
	}
}

func TestLocalMalformedHashIsNotFound(t *testing.T) {
	l, _ := newLocal(t)
	for _, h := range []string{"", "..", "../tmp", "00/../../x", sha(nil)[:10]} {
		if _, err := l.Open(context.Background(), h); !errors.Is(err, files.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", h, err)
		}
		if ok, err := l.Exists(context.Background(), h); ok || err != nil {
			t.Errorf("Exists(%q) = %v, %v", h, ok, err)
		}
	}
}

func TestNewLocalSweepsStaleTemporaryFiles(t *testing.T) {
	_, dir := newLocal(t)
	stale := filepath.Join(dir, "tmp", "up-stale")
	fresh := filepath.Join(dir, "tmp", "up-fresh")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("%PDF-"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-25 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := files.NewLocal(dir); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"tmp/up-fresh"}, filesUnder(t, dir)); diff != "" {
		t.Errorf("files after reopening (-want +got):\n%s", diff)
	}
}

func TestNewLocalErrors(t *testing.T) {
	if _, err := files.NewLocal(""); err == nil {
		t.Error("NewLocal(\"\") succeeded")
	}
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := files.NewLocal(filepath.Join(file, "blobs")); err == nil {
		t.Error("NewLocal under a regular file succeeded")
	}
}
