package catalog_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/seed"
)

func TestSeedValidates(t *testing.T) {
	f := seedFile(t)
	if err := catalog.Validate(f.Procedures, seedDir(t)); err != nil {
		t.Fatalf("seed does not validate: %v", err)
	}
	raw := rawProcedures(t)
	if got, want := len(f.Procedures), len(raw["procedures"].([]any)); got != want {
		t.Errorf("parsed %d procedures, file has %d", got, want)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	f := seedFile(t)
	b, err := catalog.MarshalFile(f.Note, f.Procedures)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := catalog.Parse(b)
	if err != nil {
		t.Fatalf("Parse(Marshal(seed)): %v", err)
	}
	if diff := cmp.Diff(f, f2); diff != "" {
		t.Errorf("round trip differs (-seed +round trip):\n%s", diff)
	}
	// The export must also mean the same JSON as the seed file, key for key.
	var a, c any
	if err := json.Unmarshal(seed.Procedures(), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, c); diff != "" {
		t.Errorf("exported JSON differs from the seed (-seed +export):\n%s", diff)
	}
}

func TestCloneIsDeep(t *testing.T) {
	p := seedProc(t, "2.000815")
	before, _ := catalog.MarshalProcedure(p)
	q := p.Clone()
	q.Documents[0].Name = "x"
	q.Fees[0].Tiers[0].Amount = 1
	q.Process[0].Share.Value = 99
	q.LegalBasis[0] = "x"
	q.Form[2] = 'X'
	after, _ := catalog.MarshalProcedure(p)
	if string(before) != string(after) {
		t.Errorf("editing a clone changed the original")
	}
}

// breakSeed applies f to procedure i of the decoded seed and returns the file re-encoded.
func breakSeed(t *testing.T, i int, f func(p map[string]any)) []byte {
	t.Helper()
	m := rawProcedures(t)
	f(m["procedures"].([]any)[i].(map[string]any))
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func obj(v any, path ...any) map[string]any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// procIndex finds a seed procedure's position by a property rather than by a hard-coded
// index, so the tests survive seed edits.
func procIndex(t *testing.T, pred func(p *catalog.Procedure) bool) int {
	t.Helper()
	for i, p := range seedFile(t).Procedures {
		if pred(p) {
			return i
		}
	}
	t.Fatal("no seed procedure matches")
	return -1
}

func TestImportRefuses(t *testing.T) {
	tiered := procIndex(t, func(p *catalog.Procedure) bool { return len(p.Fees) > 0 && len(p.Fees[0].Tiers) > 1 })
	parallel := procIndex(t, func(p *catalog.Procedure) bool { return p.Level == catalog.LevelProvince })
	twoDocs := procIndex(t, func(p *catalog.Procedure) bool { return len(p.Documents) >= 2 })
	tests := []struct {
		name      string
		row       int
		mutate    func(p map[string]any)
		wantField string
		wantMsg   string
	}{
		{"missing name", 0, func(p map[string]any) { delete(p, "name") }, "name", "thiếu"},
		{"missing document name", twoDocs, func(p map[string]any) { delete(obj(p, "documents", 1), "name") }, "documents[1].name", "thiếu"},
		{"bad duration unit", 1, func(p map[string]any) { obj(p, "processing_time")["unit"] = "week" }, "processing_time.unit", "week"},
		{"negative duration", 1, func(p map[string]any) { obj(p, "processing_time")["value"] = -3 }, "processing_time.value", "lớn hơn 0"},
		{"bad cutoff", 0, func(p map[string]any) { obj(p, "processing_time")["cutoff"] = "25:00" }, "processing_time.cutoff", "HH:MM"},
		{"unknown agency", parallel, func(p map[string]any) { obj(p, "authority")["agency"] = "so-khong-co" }, "authority.agency", "so-khong-co"},
		{"unknown step agency", parallel, func(p map[string]any) { obj(p, "process", 1)["unit"] = "agency:so-khong-co" }, "process[1].unit", "so-khong-co"},
		{"bad step selector", 0, func(p map[string]any) { obj(p, "process", 0)["unit"] = "desk" }, "process[0].unit", "không hợp lệ"},
		{"bad step role", 0, func(p map[string]any) { obj(p, "process", 0)["role"] = "admin" }, "process[0].role", "admin"},
		{"commune agency for province", parallel, func(p map[string]any) { obj(p, "authority")["agency"] = "ubnd-xa" }, "authority.agency", "cấp xã"},
		{"shares do not add up", 0, func(p map[string]any) { obj(p, "process", 0, "share")["value"] = 5 }, "process", "khác thời hạn"},
		{"duplicate document code", twoDocs, func(p map[string]any) {
			obj(p, "documents", 1)["code"] = obj(p, "documents", 0)["code"]
		}, "documents[1].code", "trùng"},
		{"invalid JSON Schema", 0, func(p map[string]any) { obj(p, "form")["type"] = "objekt" }, "form", "JSON Schema"},
		{"invalid schema keyword value", 0, func(p map[string]any) {
			for _, v := range obj(p, "form", "properties") {
				v.(map[string]any)["minLength"] = -1
				break
			}
		}, "form", "JSON Schema"},
		{"overlapping tiers", tiered, func(p map[string]any) { obj(p, "fees", 0, "tiers", 1)["from"] = 2 }, "fees[0].tiers[1].from", "chồng lấn"},
		{"gap in tiers", tiered, func(p map[string]any) { obj(p, "fees", 0, "tiers", 1)["from"] = 5 }, "fees[0].tiers[1].from", "hở"},
		{"open tier not last", tiered, func(p map[string]any) { delete(obj(p, "fees", 0, "tiers", 0), "to") }, "fees[0].tiers[0].to", "bậc cuối"},
		{"count field not in form", tiered, func(p map[string]any) { obj(p, "fees", 0)["count_field"] = "so_to" }, "fees[0].count_field", "so_to"},
		{"fee without amount", 0, func(p map[string]any) { delete(obj(p, "fees", 0), "amount") }, "fees[0].amount", "thiếu"},
		{"bad document form", 0, func(p map[string]any) { obj(p, "documents", 0)["form"] = "photo" }, "documents[0].form", "photo"},
		{"bad online level", 0, func(p map[string]any) { p["online_level"] = "yes" }, "online_level", "yes"},
		{"no legal basis", 0, func(p map[string]any) { p["legal_basis"] = []any{} }, "legal_basis", "căn cứ"},
	}
	dir := seedDir(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := catalog.Parse(breakSeed(t, tt.row, tt.mutate))
			if err == nil {
				err = catalog.Validate(f.Procedures, dir)
			}
			ve, ok := catalog.AsValidationError(err)
			if !ok {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.Row == tt.row+1 && p.Field == tt.wantField && strings.Contains(p.Message, tt.wantMsg) {
					return
				}
			}
			t.Errorf("no problem row %d field %s containing %q in:\n%v", tt.row+1, tt.wantField, tt.wantMsg, err)
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name      string
		mutate    func(p map[string]any)
		wantField string
	}{
		{"unknown field", func(p map[string]any) { p["procesing_time"] = 3 }, "procesing_time"},
		{"nested unknown field", func(p map[string]any) { obj(p, "documents", 0)["reqired"] = true }, "reqired"},
		{"wrong type", func(p map[string]any) { obj(p, "processing_time")["value"] = "ba" }, "processing_time.value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.Parse(breakSeed(t, 2, tt.mutate))
			ve, ok := catalog.AsValidationError(err)
			if !ok || len(ve.Problems) != 1 {
				t.Fatalf("err = %v, want one problem", err)
			}
			if p := ve.Problems[0]; p.Row != 3 || p.Field != tt.wantField || p.Code == "" {
				t.Errorf("problem = %+v, want row 3 field %s with code", p, tt.wantField)
			}
		})
	}
	if _, err := catalog.Parse([]byte(`{"format":"motcua.procedures/v1","procedures":[`)); err == nil {
		t.Error("truncated JSON accepted")
	}
}

func TestDuplicateProcedureCode(t *testing.T) {
	m := rawProcedures(t)
	ps := m["procedures"].([]any)
	obj(ps[4])["code"] = obj(ps[1])["code"]
	b, _ := json.Marshal(m)
	f, err := catalog.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	ve, ok := catalog.AsValidationError(catalog.Validate(f.Procedures, seedDir(t)))
	if !ok || len(ve.Problems) != 1 {
		t.Fatalf("want exactly one problem, got %v", ve)
	}
	if p := ve.Problems[0]; p.Row != 5 || p.Field != "code" || !strings.Contains(p.Message, "dòng 2") {
		t.Errorf("problem = %+v", p)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	b := breakSeed(t, 0, func(p map[string]any) {
		delete(p, "name")
		obj(p, "processing_time")["unit"] = "fortnight"
		obj(p, "process", 0)["role"] = "boss"
	})
	f, err := catalog.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	ve, ok := catalog.AsValidationError(catalog.Validate(f.Procedures, seedDir(t)))
	if !ok {
		t.Fatal("broken procedure accepted")
	}
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	for _, want := range []string{"name", "processing_time.unit", "process[0].role"} {
		if !strings.Contains(strings.Join(fields, " "), want) {
			t.Errorf("problems %v lack %s", fields, want)
		}
	}
}

func TestValidateControlCharacterInCode(t *testing.T) {
	for _, code := range []string{"1.001\x1f", "\x1e1.001", "1.0\n01"} {
		b := breakSeed(t, 0, func(p map[string]any) { p["code"] = code })
		f, err := catalog.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		ve, ok := catalog.AsValidationError(catalog.Validate(f.Procedures, seedDir(t)))
		if !ok || len(ve.Problems) != 1 || ve.Problems[0].Field != "code" || !strings.Contains(ve.Problems[0].Message, "ký tự điều khiển") {
			t.Errorf("code %q: problems %v, want one about control characters", code, ve)
		}
	}
}

func TestWorkingMinutes(t *testing.T) {
	tests := []struct {
		in   catalog.ProcessingTime
		want int
		ok   bool
	}{
		{catalog.ProcessingTime{Value: 3, Unit: "working_day"}, 3 * 8 * 60, true},
		{catalog.ProcessingTime{Value: 4, Unit: "working_hour"}, 4 * 60, true},
		{catalog.ProcessingTime{Value: 0, Unit: "same_day"}, 8 * 60, true},
		{catalog.ProcessingTime{Value: 6, Unit: "day"}, 6 * 8 * 60, true},  // no full week
		{catalog.ProcessingTime{Value: 7, Unit: "day"}, 5 * 8 * 60, true},  // one week
		{catalog.ProcessingTime{Value: 10, Unit: "day"}, 8 * 8 * 60, true}, // one week + 3 days
		{catalog.ProcessingTime{Value: 14, Unit: "day"}, 10 * 8 * 60, true},
		{catalog.ProcessingTime{Value: 1, Unit: "month"}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in.Label(), func(t *testing.T) {
			got, ok := tt.in.WorkingMinutes()
			if got != tt.want || ok != tt.ok {
				t.Errorf("WorkingMinutes() = %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(seed.Procedures())
	f.Add([]byte(`{"format":"motcua.procedures/v1","procedures":[{"code":"X","form":{"type":"object"}}]}`))
	f.Add([]byte(`{"procedures":[{"fees":[{"tiers":[{"from":1}]}]}]}`))
	dir := seedDir(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := catalog.Parse(b)
		if err != nil {
			if _, ok := catalog.AsValidationError(err); !ok {
				t.Fatalf("error is not a ValidationError: %v", err)
			}
			return
		}
		_ = catalog.Validate(file.Procedures, dir) // must not panic
		out, err := catalog.MarshalFile(file.Note, file.Procedures)
		if err != nil {
			t.Fatal(err)
		}
		again, err := catalog.Parse(out)
		if err != nil {
			t.Fatalf("re-parse failed: %v", err)
		}
		if diff := cmp.Diff(file.Procedures, again.Procedures); diff != "" {
			t.Fatalf("round trip differs:\n%s", diff)
		}
	})
}

func TestProcessingTimeDuration(t *testing.T) {
	for _, p := range seedFile(t).Procedures {
		d := p.ProcessingTime.Duration()
		if d.Value != p.ProcessingTime.Value || string(d.Unit) != p.ProcessingTime.Unit || d.Cutoff != p.ProcessingTime.Cutoff {
			t.Errorf("%s: Duration() = %+v from %+v", p.Code, d, p.ProcessingTime)
		}
	}
}
