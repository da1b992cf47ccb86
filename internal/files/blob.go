package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Blob is where document bytes live, keyed by the lowercase hex SHA-256 of the content. Local
// is the default; an S3-compatible store will be the second implementation.
//
// Errors: Open returns an error wrapping ErrNotFound for an absent (or malformed) hash; Put
// returns one wrapping ErrInvalidHash for a malformed hash and ErrHashMismatch when the bytes
// do not hash to the key, and then stores nothing.
type Blob interface {
	// Put stores the size bytes of r under hash. It is idempotent: when the hash is already
	// stored nothing is read or written. A blob becomes visible only complete.
	Put(ctx context.Context, hash string, r io.Reader, size int64) error
	// Open returns the content of hash; the caller closes it.
	Open(ctx context.Context, hash string) (io.ReadCloser, error)
	// Exists reports whether hash is stored.
	Exists(ctx context.Context, hash string) (bool, error)
}

// Errors of Blob implementations.
var (
	ErrNotFound     = errors.New("files: blob not found")
	ErrInvalidHash  = errors.New("files: not a lowercase hex SHA-256")
	ErrHashMismatch = errors.New("files: content does not match its hash")
)

const (
	fileMode = 0o640 // the service's group (backups) may read documents; nobody else
	dirMode  = 0o750
	// staleSpool is the age after which a file left in the temporary folder (by a crash) is
	// certainly not being written any more and NewLocal removes it.
	staleSpool = 24 * time.Hour
)

// Local stores blobs in a folder, content-addressed as dir/ab/cd/<hash> (two levels of 256
// shards keep folders small at millions of documents). Writes go to a temporary file in
// dir/tmp — the same file system, so the final rename is atomic — which is fsynced, made
// mode 0o640 and renamed into place, then the shard folder is fsynced: a reader never sees a
// partial blob, and an acknowledged blob survives a crash. Local is safe for concurrent use,
// also by several processes sharing the folder.
type Local struct {
	dir string
	tmp string
}

var _ Blob = (*Local)(nil)

// NewLocal opens (creating it if needed) the blob folder dir, checks that it is writable and
// removes temporary files a crash left behind more than a day ago.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("files: empty storage folder")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("files: storage folder %s: %w", dir, err)
	}
	l := &Local{dir: abs, tmp: filepath.Join(abs, "tmp")}
	if err := os.MkdirAll(l.tmp, dirMode); err != nil {
		return nil, fmt.Errorf("files: create storage folder: %w", err)
	}
	probe, err := l.spool()
	if err != nil {
		return nil, fmt.Errorf("files: storage folder %s is not writable: %w", abs, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	l.sweep(time.Now().Add(-staleSpool))
	return l, nil
}

// sweep removes temporary files last modified before cutoff. It is best effort: a file it
// cannot remove is only wasted space.
func (l *Local) sweep(cutoff time.Time) {
	entries, err := os.ReadDir(l.tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && info.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(l.tmp, e.Name()))
		}
	}
}

// Put implements Blob. It verifies that the content hashes to hash and has size bytes (size
// < 0: unknown) before making it visible.
func (l *Local) Put(ctx context.Context, hash string, r io.Reader, size int64) error {
	if !validHash(hash) {
		return fmt.Errorf("files: put %.80q: %w", hash, ErrInvalidHash)
	}
	if ok, err := l.Exists(ctx, hash); err != nil || ok {
		return err
	}
	f, err := l.spool()
	if err != nil {
		return fmt.Errorf("files: put %s: %w", hash, err)
	}
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(f, h), ctxReader{ctx, r}, make([]byte, copyBuffer))
	switch {
	case err != nil:
		err = fmt.Errorf("files: put %s: %w", hash, err)
	case size >= 0 && n != size:
		err = fmt.Errorf("files: put %s: read %d bytes, want %d", hash, n, size)
	case hex.EncodeToString(h.Sum(nil)) != hash:
		err = fmt.Errorf("files: put %s: %w", hash, ErrHashMismatch)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	return l.adopt(ctx, f, hash)
}

// Open implements Blob. The reader is an *os.File, so it also implements io.Seeker (for
// http.ServeContent and range requests).
func (l *Local) Open(ctx context.Context, hash string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("files: open %.80q: %w", hash, err)
	}
	if !validHash(hash) {
		return nil, fmt.Errorf("files: open %.80q: %w", hash, ErrNotFound)
	}
	f, err := os.Open(l.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("files: open %s: %w", hash, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", hash, err)
	}
	return f, nil
}

// Exists implements Blob. A malformed hash is simply not stored.
func (l *Local) Exists(ctx context.Context, hash string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("files: exists %.80q: %w", hash, err)
	}
	if !validHash(hash) {
		return false, nil
	}
	_, err := os.Stat(l.path(hash))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, fmt.Errorf("files: exists %s: %w", hash, err)
	}
}

func (l *Local) path(hash string) string {
	return filepath.Join(l.dir, hash[:2], hash[2:4], hash)
}

// spool creates a temporary file in dir/tmp. Together with adopt it lets Save write an upload
// once, straight into the store, instead of spooling it elsewhere and copying it.
func (l *Local) spool() (*os.File, error) {
	return os.CreateTemp(l.tmp, "up-*")
}

// adopt makes the complete temporary file f the blob hash. It owns f: f is closed in every
// case and removed unless it was renamed into place. When hash is already stored (another
// upload of the same content won), f is dropped.
func (l *Local) adopt(ctx context.Context, f *os.File, hash string) (err error) {
	name := f.Name()
	defer func() {
		if err != nil {
			os.Remove(name)
		}
	}()
	if err := ctx.Err(); err != nil {
		f.Close()
		return fmt.Errorf("files: put %s: %w", hash, err)
	}
	if ok, err := l.Exists(ctx, hash); err != nil || ok {
		f.Close()
		os.Remove(name)
		return err
	}
	if err := f.Chmod(fileMode); err != nil {
		f.Close()
		return fmt.Errorf("files: put %s: %w", hash, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("files: put %s: sync: %w", hash, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("files: put %s: %w", hash, err)
	}
	shard, err := l.mkShard(hash)
	if err != nil {
		return fmt.Errorf("files: put %s: %w", hash, err)
	}
	// Renaming over a concurrent writer's identical blob is harmless: same name, same bytes.
	if err := os.Rename(name, filepath.Join(shard, hash)); err != nil {
		return fmt.Errorf("files: put %s: %w", hash, err)
	}
	if err := syncDir(shard); err != nil {
		return fmt.Errorf("files: put %s: %w", hash, err)
	}
	return nil
}

// mkShard creates dir/ab/cd for hash, fsyncing the parent of each folder it creates so that
// the new entries are durable before a blob is acknowledged inside them.
func (l *Local) mkShard(hash string) (string, error) {
	dir := l.dir
	for _, part := range []string{hash[:2], hash[2:4]} {
		sub := filepath.Join(dir, part)
		switch err := os.Mkdir(sub, dirMode); {
		case err == nil:
			if err := syncDir(dir); err != nil {
				return "", err
			}
		case !errors.Is(err, fs.ErrExist):
			return "", err
		}
		dir = sub
	}
	return dir, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// validHash reports whether h is 64 lowercase hex digits. Checking it before building a path
// is what keeps a hash taken from a URL from naming any other file.
func validHash(h string) bool {
	if len(h) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// copyBuffer is the chunk size of uploads: large enough that a 20 MiB file is 80 system calls.
const copyBuffer = 256 << 10

// ctxReader stops a long copy when its request is cancelled (the client went away).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
