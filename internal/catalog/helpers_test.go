package catalog_test

import (
	"encoding/json"
	"testing"

	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/seed"
)

// seedDir parses the seed's units. The seed currently keys two communes "xa-van-lang";
// org.ParseUnits refuses that; seed.Units applies the documented erratum (seed.Errata).
func seedDir(t testing.TB) *org.Directory {
	t.Helper()
	d, err := org.ParseUnits(seed.Units()) // seed.Units applies the documented seed errata
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
