package catalog_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/seed"
)

// seedDir parses the seed's units. The seed currently keys two communes "xa-van-lang";
// org.ParseUnits refuses that, so the later duplicate is renamed for the tests (and logged)
// until the seed is fixed.
func seedDir(t testing.TB) *org.Directory {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(seed.Units(), &m); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range m["communes"].([]any) {
		c := c.(map[string]any)
		k := c["key"].(string)
		if seen[k] {
			c["key"] = k + "-" + strings.SplitN(c["identifier"].(string), ".", 2)[0]
			t.Logf("SEED DEFECT: duplicate commune key %q renamed to %q for the tests", k, c["key"])
		}
		seen[k] = true
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	d, err := org.ParseUnits(b)
	if err != nil {
		t.Fatalf("ParseUnits(seed): %v", err)
	}
	return d
}

func seedFile(t testing.TB) *catalog.File {
	t.Helper()
	f, err := catalog.Parse(seed.Procedures())
	if err != nil {
		t.Fatalf("Parse(seed): %v", err)
	}
	return f
}

// seedProc returns the seed procedure with code.
func seedProc(t testing.TB, code string) *catalog.Procedure {
	t.Helper()
	for _, p := range seedFile(t).Procedures {
		if p.Code == code {
			return p
		}
	}
	t.Fatalf("seed has no procedure %s", code)
	return nil
}

// rawProcedures decodes the seed generically, for tests that break one field.
func rawProcedures(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(seed.Procedures(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
