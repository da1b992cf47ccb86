package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/catalog"
)

// The form generated from a procedure's JSON Schema (catalog.Procedure.Form), shared by the
// applicant portal and the desk's counter reception: formModel builds what the "formgen"
// partial (templates/partials/formgen.html) renders, formValues parses a POSTed form back
// into the typed JSON the schema validates, formStrings keeps what was typed so a refused form
// comes back as the user left it.

// formView is one generated form: its fields in schema order, each with its value and error.
type formView struct {
	// Lang is the language of the form's own words ("" is Vietnamese); the schema's titles
	// and descriptions are shown as the procedure gives them.
	Lang string
	// Prefix is prepended to every input's name and id ("f." in the portal), so the generated
	// fields never collide with the page's own fields (csrf_token, authority, files).
	Prefix string
	Fields []formField
}

// formField is one input of a generated form.
type formField struct {
	Name         string   // property name in the schema and in the dossier's form JSON
	Input        string   // the input's name and id: Prefix + Name
	Label        string   // the schema's title (the name when there is none)
	Hint         string   // the schema's description
	Control      string   // input | select | textarea
	Type         string   // the input's type: text, email, date, tel
	InputMode    string   // numeric, decimal, tel, email or ""
	Autocomplete string   // the HTML autocomplete token for the applicant's own details
	MaxLength    int      // 0: none
	Required     bool     // listed in the schema's required
	Options      []string // enum values (Control select)
	Value        string   // what is shown in the control
	Error        string   // the Vietnamese message shown under the field
}

// HintID and ErrorID are the ids aria-describedby points at.
func (f formField) HintID() string { return f.Input + "-hint" }

// ErrorID is the id of the field's error message.
func (f formField) ErrorID() string { return f.Input + "-error" }

// DescribedBy lists the ids describing the control: the error first, then the hint.
func (f formField) DescribedBy() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ErrorID())
	}
	if f.Hint != "" {
		ids = append(ids, f.HintID())
	}
	return strings.Join(ids, " ")
}

// HasErrors reports whether any field carries an error.
func (v formView) HasErrors() bool {
	return slices.ContainsFunc(v.Fields, func(f formField) bool { return f.Error != "" })
}

// schemaProp is what the form generator reads of one top-level property.
type schemaProp struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Type        any      `json:"type"`
	Format      string   `json:"format"`
	Pattern     string   `json:"pattern"`
	MaxLength   int      `json:"maxLength"`
	Enum        []any    `json:"enum"`
	Minimum     *float64 `json:"minimum"`
}

func (p schemaProp) typeName() string {
	switch t := p.Type.(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && s != "null" {
				return s
			}
		}
	}
	return "string"
}

// schemaOf reads a procedure form's properties (in page order) and its required list.
func schemaOf(p *catalog.Procedure) (order []string, props map[string]schemaProp, required map[string]bool) {
	order, _ = p.FormFields()
	var top struct {
		Properties map[string]schemaProp `json:"properties"`
		Required   []string              `json:"required"`
	}
	_ = json.Unmarshal(p.Form, &top) // a published form was validated at import
	required = map[string]bool{}
	for _, r := range top.Required {
		required[r] = true
	}
	if top.Properties == nil {
		top.Properties = map[string]schemaProp{}
	}
	return order, top.Properties, required
}

// formgenAutocomplete gives the applicant's own details their autocomplete tokens (WCAG 1.3.5).
var formgenAutocomplete = map[string]string{
	"nguoi_nop_ho_ten":     "name",
	"nguoi_nop_dien_thoai": "tel-national",
	"nguoi_nop_email":      "email",
	"nguoi_nop_dia_chi":    "street-address",
}

// formgenTextareaFrom is the maxLength from which a string gets a multi-line box.
const formgenTextareaFrom = 300

// formModel builds the generated form of procedure p with the values to show (by property
// name) and the errors to show next to their fields (by property name, as app.Error.Fields
// carries them; nested paths "a.b" are shown on their top-level field).
func formModel(p *catalog.Procedure, prefix string, values, errs map[string]string) formView {
	order, props, required := schemaOf(p)
	v := formView{Prefix: prefix}
	for _, name := range order {
		sp := props[name]
		f := formField{
			Name: name, Input: prefix + name, Label: sp.Title, Hint: sp.Description,
			Control: "input", Type: "text", Required: required[name], MaxLength: sp.MaxLength,
			Autocomplete: formgenAutocomplete[name], Value: values[name],
		}
		if f.Label == "" {
			f.Label = name
		}
		switch typ := sp.typeName(); {
		case len(sp.Enum) > 0:
			f.Control = "select"
			for _, e := range sp.Enum {
				f.Options = append(f.Options, fmt.Sprint(e))
			}
		case typ == "integer":
			f.InputMode = "numeric"
		case typ == "number":
			f.InputMode = "decimal"
		case sp.Format == "date":
			f.Type = "date"
		case sp.Format == "email":
			f.Type, f.InputMode = "email", "email"
		case strings.HasPrefix(sp.Pattern, "^0[0-9]"):
			f.Type, f.InputMode = "tel", "tel"
		case strings.HasPrefix(sp.Pattern, "^[0-9]"):
			f.InputMode = "numeric"
		case sp.MaxLength >= formgenTextareaFrom:
			f.Control = "textarea"
		}
		f.Error = formgenFieldError(errs, name)
		v.Fields = append(v.Fields, f)
	}
	return v
}

// formgenFieldError returns the message for a field, or for the first nested path under it.
func formgenFieldError(errs map[string]string, name string) string {
	if m, ok := errs[name]; ok {
		return m
	}
	var keys []string
	for k := range errs {
		if strings.HasPrefix(k, name+".") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if len(keys) > 0 {
		return errs[keys[0]]
	}
	return ""
}

// formStrings returns the generated fields' values as typed (trimmed), by property name, to
// show them again when the submission is refused.
func formStrings(p *catalog.Procedure, vals url.Values, prefix string) map[string]string {
	order, _, _ := schemaOf(p)
	out := make(map[string]string, len(order))
	for _, name := range order {
		if s := strings.TrimSpace(vals.Get(prefix + name)); s != "" {
			out[name] = s
		}
	}
	return out
}

// formStringsJSON turns stored form data (a dossier's form) into the strings the generated
// form shows, e.g. to prefill the form of a counter reception from an earlier dossier.
func formStringsJSON(raw json.RawMessage) map[string]string {
	out := map[string]string{}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return out
	}
	for k, v := range m {
		switch x := v.(type) {
		case nil:
		case string:
			out[k] = x
		case json.Number:
			out[k] = x.String()
		default:
			b, _ := json.Marshal(x)
			out[k] = string(b)
		}
	}
	return out
}

// formgenThousands matches integers written with formgenThousands separators ("50.000.000", "1,500").
var formgenThousands = regexp.MustCompile(`^[0-9]{1,3}([.,][0-9]{3})+$`)

// formgenNumber reads a number as Vietnamese users type it: "50.000.000" and "50 000 000" are
// fifty million, "2,5" is two and a half. ok is false for anything else.
func formgenNumber(s string, integer bool) (float64, bool) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", "")
	if formgenThousands.MatchString(s) {
		s = strings.NewReplacer(".", "", ",", "").Replace(s)
	} else if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	if integer && f != math.Trunc(f) {
		return 0, false
	}
	return f, true
}

// formValues parses the generated fields of a POSTed form into the JSON object the schema
// validates: empty fields are left out (so "required" reports them), integers and numbers are
// converted, strings trimmed. Values that cannot be converted are reported by property name
// with a Vietnamese message; the schema's own validation (app.Submit) reports the rest.
func formValues(p *catalog.Procedure, vals url.Values, prefix string) (json.RawMessage, map[string]string) {
	return formValuesIn(langVI, p, vals, prefix)
}

// formValuesIn is formValues with its messages in lang.
func formValuesIn(lang string, p *catalog.Procedure, vals url.Values, prefix string) (json.RawMessage, map[string]string) {
	order, props, _ := schemaOf(p)
	data := map[string]any{}
	errs := map[string]string{}
	for _, name := range order {
		s := strings.TrimSpace(vals.Get(prefix + name))
		if s == "" {
			continue
		}
		sp := props[name]
		title := sp.Title
		if title == "" {
			title = name
		}
		switch sp.typeName() {
		case "integer":
			f, ok := formgenNumber(s, true)
			if !ok || math.Abs(f) > 1<<53 {
				errs[name] = fmt.Sprintf(tr(lang, "fg.err.int"), title)
				continue
			}
			data[name] = int64(f)
		case "number":
			f, ok := formgenNumber(s, false)
			if !ok {
				errs[name] = fmt.Sprintf(tr(lang, "fg.err.number"), title)
				continue
			}
			data[name] = f
		case "boolean":
			data[name] = s == "true" || s == "on" || s == "1"
		default:
			data[name] = s
		}
	}
	raw, err := json.Marshal(data)
	if err != nil { // cannot happen: strings and finite numbers only
		return json.RawMessage("{}"), map[string]string{"": "Dữ liệu biểu mẫu không hợp lệ."}
	}
	return raw, errs
}
