package seed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestEmbeddedCopyMatchesShared guards against the embedded copy drifting from the project's
// shared seed data when that folder is present (it is beside the repository in development and
// in CI).
func TestEmbeddedCopyMatchesShared(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("shared seed folder %s not present: nothing to compare", shared)
	}
	for _, rel := range Files() {
		want, err := os.ReadFile(filepath.Join(shared, rel))
		if err != nil {
			t.Errorf("%s: embedded but not in shared data: %v", rel, err)
			continue
		}
		got, _ := File(rel)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: embedded copy differs from %s; copy it again", rel, shared)
		}
	}
}

func TestEmbeddedFilesAreJSON(t *testing.T) {
	check := func(name string, b []byte) {
		t.Helper()
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	check("units.json", Units())
	check("procedures.json", Procedures())
	if len(CalendarNotices()) < 2 {
		t.Fatalf("want at least the 2025 and 2026 notices, got years %v", NoticeYears())
	}
	for y, b := range CalendarNotices() {
		check(fmt.Sprintf("calendar/%d.json", y), b)
	}
}

func TestErrataApplyOnceAndFixTheDuplicateKey(t *testing.T) {
	raw, _ := File("units.json")
	fixed := Units()
	for _, e := range Errata {
		if bytes.Count(raw, []byte(e.Find)) == 1 && bytes.Contains(fixed, []byte(e.Find)) {
			t.Errorf("erratum not applied: %s", e.Why)
		}
	}
	var f struct {
		Communes []struct{ Key string } `json:"communes"`
	}
	if err := json.Unmarshal(fixed, &f); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range f.Communes {
		if seen[c.Key] {
			t.Errorf("duplicate commune key %q after errata", c.Key)
		}
		seen[c.Key] = true
	}
}
