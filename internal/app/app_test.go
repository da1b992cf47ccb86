package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// seeded returns an app over a fresh store holding the seed's units and procedures.
func seeded(t *testing.T, s *store.Store) *app.App {
	t.Helper()
	a, err := app.New(s, app.Options{Now: func() time.Time { return time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.ImportUnits(ctx, "test", seed.Units()); err != nil {
		t.Fatalf("import seed units: %v", err)
	}
	if _, err := a.ImportProcedures(ctx, "test", seed.Procedures()); err != nil {
		t.Fatalf("import seed procedures: %v", err)
	}
	return a
}

// mutateProcedures returns the seed procedures file with f applied to the parsed JSON.
func mutateProcedures(t *testing.T, f func(ps []any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(seed.Procedures(), &m); err != nil {
		t.Fatal(err)
	}
	f(m["procedures"].([]any))
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportsAreAllOrNothing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seeded(t, s)
		before, err := a.ExportProcedures(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cases := map[string]struct {
			mutate func(ps []any)
			field  string
		}{
			"missing name":        {func(ps []any) { delete(ps[3].(map[string]any), "name") }, "name"},
			"unknown agency":      {func(ps []any) { ps[7].(map[string]any)["authority"].(map[string]any)["agency"] = "so-khong-ton-tai" }, "authority"},
			"duplicate code":      {func(ps []any) { ps[2].(map[string]any)["code"] = ps[1].(map[string]any)["code"] }, "code"},
			"bad duration unit":   {func(ps []any) { ps[9].(map[string]any)["processing_time"].(map[string]any)["unit"] = "fortnight" }, "processing_time"},
			"invalid JSON Schema": {func(ps []any) { ps[0].(map[string]any)["form"].(map[string]any)["type"] = 42 }, "form"},
		}
		for name, c := range cases {
			t.Run(name, func(t *testing.T) {
				b := mutateProcedures(t, func(ps []any) {
					// a valid change in the same file must not be stored either
					ps[10].(map[string]any)["name"] = "Tên đã đổi"
					c.mutate(ps)
				})
				_, err := a.ImportProcedures(ctx, "test", b)
				var ae *app.Error
				if !errors.As(err, &ae) || ae.Kind != app.KindInvalid {
					t.Fatalf("err = %v, want an invalid-data error", err)
				}
				found := false
				for k := range ae.Fields {
					if strings.Contains(k, c.field) && strings.Contains(k, "dòng") {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem names row and field %q: %v", c.field, ae.Fields)
				}
				after, _ := a.ExportProcedures(ctx)
				if string(after) != string(before) {
					t.Fatal("a refused import changed the catalog")
				}
			})
		}
		t.Run("units with a duplicate key", func(t *testing.T) {
			raw, _ := seed.File("units.json")
			_, err := a.ImportUnits(ctx, "test", raw) // the unpatched shared file has a duplicate key
			if app.KindOf(err) != app.KindInvalid {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestExportImportRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seeded(t, s)
		out, err := a.ExportProcedures(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := a.ImportProcedures(ctx, "test", out)
		if err != nil || sum.Unchanged != 15 || sum.Created+sum.NewVersions != 0 {
			t.Fatalf("re-import of the export: %+v, %v", sum, err)
		}
		orig, _ := catalog.Parse(seed.Procedures())
		back, err := catalog.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(orig.Procedures) != len(back.Procedures) {
			t.Fatalf("%d procedures exported, seed has %d", len(back.Procedures), len(orig.Procedures))
		}
		for i := range orig.Procedures {
			a, _ := catalog.MarshalProcedure(orig.Procedures[i])
			b, _ := catalog.MarshalProcedure(back.Procedures[i])
			if string(a) != string(b) {
				t.Errorf("procedure %s differs after export", orig.Procedures[i].Code)
			}
		}
	})
}

func TestPinnedVersionSurvivesNewVersion(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seeded(t, s)
		v1, err := a.ProcedureVersion(ctx, "HKD.01", 1)
		if err != nil {
			t.Fatal(err)
		}
		// Mutate through the catalog types: the form's property order (the order of fields on
		// the page) is part of the spec, and a Go map would reorder it.
		f, err := catalog.Parse(seed.Procedures())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Procedures {
			if p.Code == "HKD.01" {
				p.Documents = p.Documents[:1]
				amount := int64(50000)
				p.Fees[0].Amount = &amount
			}
		}
		b, err := catalog.MarshalFile("", f.Procedures)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := a.ImportProcedures(ctx, "test", b)
		if err != nil || sum.NewVersions != 1 {
			t.Fatalf("publish version 2: %+v %v", sum, err)
		}
		cur, _ := a.Procedure(ctx, "HKD.01")
		again, _ := a.ProcedureVersion(ctx, "HKD.01", 1)
		if len(cur.Documents) != 1 || len(again.Documents) != len(v1.Documents) || len(v1.Documents) < 2 {
			t.Fatalf("version 1 has %d documents (was %d), current has %d", len(again.Documents), len(v1.Documents), len(cur.Documents))
		}
		if d := catalog.Diff(again, cur); len(d) == 0 {
			t.Fatal("no diff between the versions")
		}
	})
}

func TestCalendarNoticeReplacesDerivedRules(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seeded(t, s)
		notice := `{"year":2027,"source":"test","days_off":[{"date":"2027-01-01","kind":"holiday","name":"Tết Dương lịch"}],"working_days":[]}`
		if _, err := a.PutCalendarNotice(ctx, "admin", []byte(notice)); err != nil {
			t.Fatal(err)
		}
		cal, _ := a.Calendar(ctx)
		days, _ := cal.Holidays(2027)
		if len(days) != 1 {
			t.Fatalf("the stored notice did not replace the derived 2027 rules: %v", days)
		}
		bad := `{"year":2027,"days_off":[{"date":"2028-01-01","kind":"holiday","name":"x"}],"working_days":[]}`
		if _, err := a.PutCalendarNotice(ctx, "admin", []byte(bad)); app.KindOf(err) != app.KindInvalid {
			t.Fatalf("bad notice: %v", err)
		}
		cal, _ = a.Calendar(ctx)
		if days, _ := cal.Holidays(2027); len(days) != 1 {
			t.Fatal("a refused notice changed the calendar")
		}
		log, _ := s.AuditLog(ctx, "calendar_notice", 10)
		if len(log) != 1 || log[0].Actor != "admin" {
			t.Fatalf("audit log: %+v", log)
		}
	})
}

func TestXLSXExportImportRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seeded(t, s)
		var buf bytes.Buffer
		if err := a.ExportProceduresXLSX(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		sum, err := a.ImportProceduresXLSX(ctx, "test", buf.Bytes())
		if err != nil || sum.Unchanged != 15 {
			t.Fatalf("xlsx re-import: %+v %v", sum, err)
		}
		if _, err := a.ImportProceduresXLSX(ctx, "test", []byte("not a spreadsheet")); app.KindOf(err) != app.KindInvalid {
			t.Fatalf("garbage xlsx: %v", err)
		}
	})
}
