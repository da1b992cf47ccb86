package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// FieldError is one problem with an applicant's form data, worded for the applicant.
type FieldError struct {
	// Field is the property path (e.g. "so_ban"); empty for the form as a whole.
	Field string `json:"field"`
	// Title is the field's Vietnamese title from the schema.
	Title string `json:"title,omitempty"`
	// Message is Vietnamese and names the field by its title.
	Message string `json:"message"`
}

// compiledForm is a compiled schema with the titles and order of its top-level properties.
type compiledForm struct {
	schema *jsonschema.Schema
	order  []string
	titles map[string]string
	types  map[string]string
}

// formCache maps a compacted schema to its compiled form. It is keyed by content rather than
// stored on the Procedure so that copies of a procedure (versions, drafts edited from a
// published spec) can never see a stale schema, and Procedure stays a plain comparable value.
// Schemas are few (one per procedure version), so the cache is only reset if it grows large.
var formCache struct {
	sync.Mutex
	m map[string]*compiledForm
}

const formCacheMax = 20000

// noLoader refuses every external $ref: a form schema must be self-contained, and a domain
// package must not read files or the network.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external reference %q not allowed", url)
}

// CompileForm compiles a JSON Schema (draft 2020-12, formats asserted) and caches it.
func CompileForm(raw json.RawMessage) (*jsonschema.Schema, error) {
	cf, err := compileForm(raw)
	if err != nil {
		return nil, err
	}
	return cf.schema, nil
}

func compileForm(raw json.RawMessage) (*compiledForm, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("form schema: %w", err)
	}
	key := buf.String()
	formCache.Lock()
	cf, ok := formCache.m[key]
	formCache.Unlock()
	if ok {
		return cf, nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("form schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(noLoader{})
	const loc = "urn:motcua:form"
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("form schema: %w", err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("form schema: %w", err)
	}
	cf = &compiledForm{schema: sch, titles: map[string]string{}, types: map[string]string{}}
	cf.order, cf.titles, cf.types = properties(buf.Bytes())
	formCache.Lock()
	if formCache.m == nil || len(formCache.m) >= formCacheMax {
		formCache.m = map[string]*compiledForm{}
	}
	formCache.m[key] = cf
	formCache.Unlock()
	return cf, nil
}

// properties reads the top-level property names in document order with their titles and types.
func properties(schema []byte) (order []string, titles, types map[string]string) {
	titles, types = map[string]string{}, map[string]string{}
	var top struct {
		Properties json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(schema, &top) != nil || len(top.Properties) == 0 {
		return nil, titles, types
	}
	dec := json.NewDecoder(bytes.NewReader(top.Properties))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, titles, types
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		name, _ := t.(string)
		var p struct {
			Title string `json:"title"`
			Type  any    `json:"type"`
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			break
		}
		_ = json.Unmarshal(raw, &p)
		order = append(order, name)
		titles[name] = p.Title
		if s, ok := p.Type.(string); ok {
			types[name] = s
		}
	}
	return order, titles, types
}

// FormFields returns the form's top-level property names in page order with their titles.
func (p *Procedure) FormFields() (names []string, titles map[string]string) {
	o, t, _ := properties(p.Form)
	return o, t
}

// ValidateForm checks the applicant's data against the procedure's form and returns one
// Vietnamese message per problem, in the order the fields appear on the form. No problems
// means nil. The schema is compiled once per distinct schema and cached.
func (p *Procedure) ValidateForm(data map[string]any) []FieldError {
	cf, err := compileForm(p.Form)
	if err != nil {
		return []FieldError{{Message: "Biểu mẫu của thủ tục không hợp lệ; vui lòng báo quản trị hệ thống."}}
	}
	err = cf.schema.Validate(jsonValue(data))
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []FieldError{{Message: "Dữ liệu biểu mẫu không hợp lệ."}}
	}
	var out []FieldError
	collect(ve, cf, &out)
	rank := map[string]int{}
	for i, n := range cf.order {
		rank[n] = i + 1
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank[topField(out[i].Field)], rank[topField(out[j].Field)]
		if ri == 0 {
			ri = len(rank) + 1
		}
		if rj == 0 {
			rj = len(rank) + 1
		}
		return ri < rj
	})
	return dedupe(out)
}

func topField(f string) string {
	if i := strings.IndexByte(f, '.'); i >= 0 {
		return f[:i]
	}
	return f
}

func dedupe(in []FieldError) []FieldError {
	seen := map[FieldError]bool{}
	var out []FieldError
	for _, e := range in {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// jsonValue converts Go values a caller may pass (ints, float64 from encoding/json, nested
// maps) into what the validator accepts; unsupported values become strings so that they fail
// type checks rather than panicking.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonValue(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = jsonValue(e)
		}
		return s
	case []string:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = e
		}
		return s
	case nil, bool, string, float64, float32, json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return x
	}
	return fmt.Sprint(v)
}

func collect(ve *jsonschema.ValidationError, cf *compiledForm, out *[]FieldError) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collect(c, cf, out)
		}
		return
	}
	field := strings.Join(ve.InstanceLocation, ".")
	title := func(f string) string {
		if t := cf.titles[f]; t != "" {
			return t
		}
		if f == "" {
			return "Biểu mẫu"
		}
		return f
	}
	add := func(f, msg string) {
		*out = append(*out, FieldError{Field: f, Title: cf.titles[f], Message: msg})
	}
	t := title(field)
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			f := m
			if field != "" {
				f = field + "." + m
			}
			add(f, fmt.Sprintf("%s là bắt buộc.", title(f)))
		}
	case *kind.AdditionalProperties:
		for _, m := range k.Properties {
			f := m
			if field != "" {
				f = field + "." + m
			}
			add(f, fmt.Sprintf("Trường %q không có trong biểu mẫu.", m))
		}
	case *kind.Type:
		add(field, fmt.Sprintf("%s phải là %s.", t, typeNames(k.Want)))
	case *kind.MinLength:
		add(field, fmt.Sprintf("%s phải có ít nhất %d ký tự.", t, k.Want))
	case *kind.MaxLength:
		add(field, fmt.Sprintf("%s không được dài quá %d ký tự.", t, k.Want))
	case *kind.Pattern:
		add(field, fmt.Sprintf("%s không đúng định dạng.", t))
	case *kind.Enum:
		var opts []string
		for _, w := range k.Want {
			opts = append(opts, fmt.Sprint(w))
		}
		add(field, fmt.Sprintf("%s phải là một trong các giá trị: %s.", t, strings.Join(opts, ", ")))
	case *kind.Format:
		switch k.Want {
		case "date":
			add(field, fmt.Sprintf("%s phải là ngày hợp lệ theo dạng YYYY-MM-DD.", t))
		case "email":
			add(field, fmt.Sprintf("%s phải là địa chỉ thư điện tử hợp lệ.", t))
		default:
			add(field, fmt.Sprintf("%s không đúng định dạng %s.", t, k.Want))
		}
	case *kind.Minimum:
		add(field, fmt.Sprintf("%s phải lớn hơn hoặc bằng %s.", t, k.Want.RatString()))
	case *kind.Maximum:
		add(field, fmt.Sprintf("%s phải nhỏ hơn hoặc bằng %s.", t, k.Want.RatString()))
	case *kind.ExclusiveMinimum:
		add(field, fmt.Sprintf("%s phải lớn hơn %s.", t, k.Want.RatString()))
	case *kind.ExclusiveMaximum:
		add(field, fmt.Sprintf("%s phải nhỏ hơn %s.", t, k.Want.RatString()))
	default:
		add(field, fmt.Sprintf("%s không hợp lệ.", t))
	}
}

func typeNames(want []string) string {
	names := map[string]string{
		"string": "chuỗi ký tự", "integer": "số nguyên", "number": "số", "boolean": "giá trị đúng/sai",
		"object": "đối tượng", "array": "danh sách", "null": "rỗng",
	}
	var out []string
	for _, w := range want {
		if n, ok := names[w]; ok {
			out = append(out, n)
		} else {
			out = append(out, w)
		}
	}
	return strings.Join(out, " hoặc ")
}
