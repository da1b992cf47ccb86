package app

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/motcua/motcua/internal/files"
)

// memBlob keeps documents in memory, for tests and tools that store no files.
type memBlob struct {
	mu sync.RWMutex
	m  map[string][]byte
}

func newMemBlob() *memBlob { return &memBlob{m: map[string][]byte{}} }

func (b *memBlob) Put(_ context.Context, hash string, r io.Reader, _ int64) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.m[hash]; !ok {
		b.m[hash] = data
	}
	return nil
}

func (b *memBlob) Open(_ context.Context, hash string) (io.ReadCloser, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	data, ok := b.m[hash]
	if !ok {
		return nil, files.ErrNotFound
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

func (b *memBlob) Exists(_ context.Context, hash string) (bool, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	_, ok := b.m[hash]
	return ok, nil
}
