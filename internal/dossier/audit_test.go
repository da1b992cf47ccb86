package dossier

import (
	"encoding/json"
	"testing"

	"github.com/motcua/motcua/internal/audit"
)

// TestEventsChainThroughStorage: the canonical bytes of an event are the same fresh from
// Decide and after a JSON round trip through the store, so a chain written at command time
// verifies when recomputed from the stored rows, and an edited payload is named.
func TestEventsChainThroughStorage(t *testing.T) {
	h := walk(t)
	prev := audit.Genesis
	var written []audit.Linked
	for _, e := range h.events {
		c, err := audit.Canonical(e)
		if err != nil {
			t.Fatal(err)
		}
		l := audit.Link(prev, e.Seq, c)
		written = append(written, l)
		prev = l.Hash
	}
	raw, err := json.Marshal(h.events)
	if err != nil {
		t.Fatal(err)
	}
	var stored []Event
	if err := json.Unmarshal(raw, &stored); err != nil {
		t.Fatal(err)
	}
	recompute := func(events []Event) []audit.Linked {
		out := make([]audit.Linked, len(events))
		for i, e := range events {
			c, err := audit.Canonical(e)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = audit.Linked{Seq: e.Seq, PrevHash: written[i].PrevHash, Hash: written[i].Hash, Canonical: c}
		}
		return out
	}
	if idx, err := audit.Verify(recompute(stored)); err != nil {
		t.Fatalf("stored events do not verify at %d: %v", idx, err)
	}
	x := stored[7].Data.(StepCompletedData)
	x.Outcome = "Không thống nhất"
	stored[7].Data = x
	if idx, err := audit.Verify(recompute(stored)); idx != 7 || err == nil {
		t.Fatalf("edited event 8 not named: %d %v", idx, err)
	}
}
