package app

import (
	"sync"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// hotDossiers keeps the last state this process wrote for recently active dossiers, so that
// the next command on one (an officer receives then forwards, assigns then completes a step)
// is decided without reading and decoding the stored row again.
//
// It is only ever a guess: a command decided on a cached state is written with the update
// conditional on that state's version, so if anything else changed the dossier (another node,
// a job, a document upload) the write is refused as stale, and the command is decided again on
// the row read from the database (actOnce's retry, which also re-checks authorization). The
// same happens when the cached decision is refused for any other reason, so a stale entry
// can cost a retry but never decide anything. Reads for display never use it.
//
// Entries are immutable: callers get the shared *dossier.Dossier as the "before" of a
// decision, which only reads it.
type hotDossiers struct {
	mu    sync.Mutex
	byID  map[string]hotEntry
	codes map[string]string // dossier code → id
}

type hotEntry struct {
	row store.DossierRow
	d   *dossier.Dossier
}

// hotCapacity bounds the cache: a few thousand dossiers' snapshots, a few megabytes.
const hotCapacity = 4096

// get returns the cached state of the dossier with this id or code.
func (h *hotDossiers) get(ref string) (store.DossierRow, *dossier.Dossier, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.byID[ref]
	if !ok {
		id, found := h.codes[ref]
		if !found {
			return store.DossierRow{}, nil, false
		}
		e, ok = h.byID[id]
	}
	return e.row, e.d, ok
}

// put records a dossier's committed state; d must not be changed afterwards.
func (h *hotDossiers) put(row store.DossierRow, d *dossier.Dossier) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byID == nil {
		h.byID, h.codes = map[string]hotEntry{}, map[string]string{}
	}
	if _, ok := h.byID[row.ID]; !ok && len(h.byID) >= hotCapacity {
		for id, e := range h.byID { // evict an arbitrary entry (map order)
			delete(h.byID, id)
			delete(h.codes, e.row.Code)
			break
		}
	}
	h.byID[row.ID] = hotEntry{row: row, d: d}
	if row.Code != "" {
		h.codes[row.Code] = row.ID
	}
}

// drop forgets a dossier (its state changed by a path that does not record it).
func (h *hotDossiers) drop(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e, ok := h.byID[id]; ok {
		delete(h.codes, e.row.Code)
		delete(h.byID, id)
	}
}
