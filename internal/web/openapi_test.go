package web_test

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestOpenAPIMatchesRouter: every /api/v1 route of the router is in /api/v1/openapi.json with
// its method, and every operation of the document is served, so the two cannot drift apart;
// and real responses validate against the document's schemas.
func TestOpenAPIMatchesRouter(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	r := site.public().get("/api/v1/openapi.json")
	if r.Status != 200 {
		t.Fatalf("openapi.json: %d", r.Status)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, rt := range site.srv.Routes() {
		if strings.HasPrefix(rt.Pattern, "/api/v1/") {
			served[rt.Method+" "+rt.Pattern] = true
		}
	}
	var missing, extra []string
	for k := range served {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("routes not in openapi.json: %v\noperations not served: %v", missing, extra)
	}

	// Responses validate against the document's schemas.
	c := jsonschema.NewCompiler()
	var whole any
	if err := json.Unmarshal(r.Body, &whole); err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("openapi.json", whole); err != nil {
		t.Fatal(err)
	}
	schema := func(name string) *jsonschema.Schema {
		s, err := c.Compile("openapi.json#/components/schemas/" + name)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		return s
	}
	validate := func(name string, body []byte) {
		t.Helper()
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema(name).Validate(v); err != nil {
			t.Errorf("%s does not match the schema: %v\n%s", name, err, body)
		}
	}
	at := site.Clock.Set
	at(vn(2, 9, 0))
	desk := site.officer("xa-tan-cuong.desk")
	up := desk.upload("/api/v1/files", "gdn.pdf", pdfBytes("GDN"), nil)
	sub := desk.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "desk", "form": map[string]any{
		"nguoi_nop_ho_ten": "Trần Thị Bình", "nguoi_nop_so_dinh_danh": "019192004567", "nguoi_nop_dien_thoai": "0987654321",
		"ten_ho_kinh_doanh": "Hộ kinh doanh Bình", "dia_diem_kinh_doanh": "Xóm 2", "nganh_nghe": "Bán lẻ", "von_kinh_doanh": 1000000,
	}, "documents": []map[string]any{{"component": "GDN", "name": "gdn.pdf", "hash": str(up.json(t), "hash")}}}, nil)
	if sub.Status != 201 {
		t.Fatalf("submit: %d %s", sub.Status, sub.Body)
	}
	validate("Dossier", sub.Body)
	id := str(sub.json(t), "id")
	recv := desk.post("/api/v1/dossiers/"+id+"/actions/receive", nil, nil)
	validate("Dossier", recv.Body)
	code := str(recv.json(t), "code")
	ev := desk.get("/api/v1/dossiers/" + code + "/events")
	var events struct{ Events []json.RawMessage }
	_ = json.Unmarshal(ev.Body, &events)
	if len(events.Events) != 2 {
		t.Fatalf("events: %s", ev.Body)
	}
	for _, e := range events.Events {
		validate("Event", e)
	}
	validate("Lookup", site.public().get("/api/v1/lookup/"+code).Body)
	validate("Error", desk.post("/api/v1/dossiers/"+code+"/actions/approve", nil, nil).Body)
	validate("Error", site.public().get("/api/v1/lookup/000.00.00.H55-261102-9999").Body)
}

// TestIndexAPIMatchesSchema: the index answer validates against the document and carries
// every indicator with its LEGAL §8 number.
func TestIndexAPIMatchesSchema(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	r := site.public().get("/api/v1/index?unit=thai-nguyen&from=2026-01-01&to=2026-12-31")
	if r.Status != 200 {
		t.Fatalf("index: %d %s", r.Status, r.Body)
	}
	var doc any
	_ = json.Unmarshal(site.public().get("/api/v1/openapi.json").Body, &doc)
	c := jsonschema.NewCompiler()
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("openapi.json#/components/schemas/IndexReport")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(r.Body))
	if err := s.Validate(v); err != nil {
		t.Fatalf("index answer: %v", err)
	}
	for _, id := range []string{`"id":"2.1"`, `"id":"3.3"`, `"id":"4.2"`, `"total":`} {
		if !strings.Contains(string(r.Body), id) {
			t.Errorf("index answer lacks %s", id)
		}
	}
	if r := site.public().get("/api/v1/index?unit=thai-nguyen&from=2026-13-01&to=2026-12-31"); r.Status != 400 {
		t.Errorf("bad date: %d", r.Status)
	}
}
