// Package catalog is the province's catalog of administrative procedures (TTHC): the model of
// motcua.procedures/v1 and its validation, applicant forms (JSON Schema), fee calculation,
// versions and their differences, diacritics-insensitive search, boundary-free routing to the
// competent authority, and the spreadsheet form administrators edit.
//
// The JSON format of the seed is the canonical form: Parse reads it strictly (unknown fields
// are errors, so typos in an import are caught), Marshal writes it back, and
// Parse(Marshal(Parse(x))) equals Parse(x). The package does no I/O.
package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/org"
)

// Format is the format tag of a procedures file.
const Format = "motcua.procedures/v1"

// Level is the administrative level whose authority decides a procedure.
type Level string

// Levels of the two-tier local government (LEGAL §1).
const (
	LevelProvince Level = "province"
	LevelCommune  Level = "commune"
)

// OnlineLevel says how much of a procedure can be done online (DVC toàn trình / một phần).
type OnlineLevel string

// Online levels.
const (
	OnlineFull    OnlineLevel = "full"
	OnlinePartial OnlineLevel = "partial"
	OnlineNone    OnlineLevel = "none"
)

// Agency keys procedures use for the commune-level bodies every commune has implicitly.
const (
	// AgencyCommuneCommittee is the commune's People's Committee: the commune unit itself.
	AgencyCommuneCommittee = "ubnd-xa"
	// AgencyCommunePolice is the commune's police: unit org.PolicePrefix + commune key.
	AgencyCommunePolice = "cong-an-xa"
)

// Procedure is one administrative procedure as published. It is a value: versions hold their
// own copy (see Clone), so a dossier keeps the rules it was submitted under.
type Procedure struct {
	Code                string               `json:"code"`
	Name                string               `json:"name"`
	Field               string               `json:"field"`
	Level               Level                `json:"level"`
	Authority           Authority            `json:"authority"`
	Interconnected      bool                 `json:"interconnected"`
	OnlineLevel         OnlineLevel          `json:"online_level"`
	ApplicantKind       string               `json:"applicant_kind,omitempty"`
	ProcessingTime      ProcessingTime       `json:"processing_time"`
	Fees                []Fee                `json:"fees"`
	FinancialObligation *FinancialObligation `json:"financial_obligation,omitempty"`
	Documents           []Document           `json:"documents"`
	// Form is the applicant form as a JSON Schema (2020-12). It stays raw, compacted, so that
	// the order of properties (the order of fields on the page) survives.
	Form        json.RawMessage `json:"form"`
	Result      Result          `json:"result"`
	Process     []Step          `json:"process"`
	LegalBasis  []string        `json:"legal_basis"`
	Publication *Publication    `json:"publication,omitempty"`
	Note        string          `json:"note,omitempty"`
}

// Authority names the competent authority: a level and an agency key. For commune procedures
// the agency is ubnd-xa or cong-an-xa and the commune is chosen per dossier by routing.
type Authority struct {
	Level  Level  `json:"level"`
	Agency string `json:"agency"`
}

// Time units of processing_time and step shares; they mirror package calendar's Unit strings.
const (
	UnitWorkingDay    = "working_day"
	UnitWorkingHour   = "working_hour"
	UnitWorkingMinute = "working_minute"
	UnitCalendarDay   = "day"
	UnitMonth         = "month"
	UnitSameDay       = "same_day"
)

// ProcessingTime is the legal processing time. It mirrors calendar.Duration field by field
// (plus a note for the applicant) so the catalog does not wait on that package.
type ProcessingTime struct {
	Value int    `json:"value"`
	Unit  string `json:"unit"`
	// Cutoff (HH:MM) applies to same_day: received after it, the result is due the next
	// working day.
	Cutoff string `json:"cutoff,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Fee is one charge (phí or lệ phí). Amount alone is a fixed fee; Per multiplies it by a form
// field (copies, pages) or states it is per dossier; Tiers price pages by rank; the others
// describe reductions. Amount is a pointer because "free" (0) and "priced by tiers" (absent)
// differ.
type Fee struct {
	Name            string      `json:"name"`
	Kind            string      `json:"kind"` // le_phi | phi
	Amount          *int64      `json:"amount,omitempty"`
	Per             string      `json:"per,omitempty"` // copy | page | dossier
	CountField      string      `json:"count_field,omitempty"`
	MultiplierField string      `json:"multiplier_field,omitempty"`
	Tiers           []Tier      `json:"tiers,omitempty"`
	MaxPerCopy      int64       `json:"max_per_copy,omitempty"`
	Reduced         *ReducedFee `json:"reduced,omitempty"`
	ExemptFor       string      `json:"exempt_for,omitempty"`
	OnlineAmount    *int64      `json:"online_amount,omitempty"`
	Note            string      `json:"note,omitempty"`
}

// Tier prices the units From..To (1-based, inclusive; To 0 = no upper bound).
type Tier struct {
	From   int   `json:"from"`
	To     int   `json:"to,omitempty"`
	Amount int64 `json:"amount"`
}

// ReducedFee is the amount for the groups named in For.
type ReducedFee struct {
	Amount int64  `json:"amount"`
	For    string `json:"for"`
}

// FinancialObligation marks procedures whose clock stops while the applicant pays taxes or
// charges (e.g. land registration).
type FinancialObligation struct {
	SuspendsClock bool   `json:"suspends_clock"`
	Note          string `json:"note,omitempty"`
}

// Document forms.
const (
	FormOriginal      = "original"
	FormCopy          = "copy"
	FormCertifiedCopy = "certified_copy"
)

// Document is one component of the dossier. DocType is the document-type code used to reuse
// the document from the applicant's data vault instead of asking again.
type Document struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Form     string `json:"form"`
	Count    int    `json:"count"`
	Required bool   `json:"required"`
	DocType  string `json:"doc_type,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Result is what the authority issues.
type Result struct {
	Name       string `json:"name"`
	DocType    string `json:"doc_type"`
	Electronic bool   `json:"electronic"`
	Paper      bool   `json:"paper"`
}

// Step roles and unit selectors of the internal process.
const (
	StepUnitReceivingDesk = "receiving_desk"
	StepUnitAuthority     = "authority"
	StepUnitAgencyPrefix  = "agency:"
)

// Step is one step of the internal process. Parallel steps (consultations) run beside the main
// line with their own deadline and do not count towards the processing time.
type Step struct {
	Name     string `json:"name"`
	Role     string `json:"role"` // desk | specialist | leader
	Unit     string `json:"unit"` // receiving_desk | authority | agency:KEY
	Share    Share  `json:"share"`
	Parallel bool   `json:"parallel,omitempty"`
}

// Duration converts the processing time for deadline arithmetic (the note is for people only).
func (t ProcessingTime) Duration() calendar.Duration {
	return calendar.Duration{Value: t.Value, Unit: calendar.Unit(t.Unit), Cutoff: t.Cutoff}
}

// Share is a step's part of the processing time.
type Share struct {
	Value int    `json:"value"`
	Unit  string `json:"unit"` // working_hour | working_day | working_minute
}

// Minutes converts the share into working minutes (a working day is 8 working hours).
func (s Share) Minutes() int {
	switch s.Unit {
	case UnitWorkingDay:
		return s.Value * 8 * 60
	case UnitWorkingHour:
		return s.Value * 60
	case UnitWorkingMinute:
		return s.Value
	}
	return 0
}

// Publication holds the dates of QĐ 766 indicators 1.1 and 1.2.
type Publication struct {
	Decision         string `json:"decision"`
	DecidedOn        string `json:"decided_on"`
	BasisEffectiveOn string `json:"basis_effective_on"`
	PublishedOn      string `json:"published_on"`
}

// File is a whole procedures file.
type File struct {
	Format     string       `json:"format"`
	Note       string       `json:"note,omitempty"`
	Procedures []*Procedure `json:"procedures"`
}

type fileWire struct {
	Format     string            `json:"format"`
	Note       string            `json:"note,omitempty"`
	Procedures []json.RawMessage `json:"procedures"`
}

// ValidationError and Problem are shared with package org so that every import reports its
// defects the same way: all at once, each with row, code, field and a Vietnamese message.
type (
	ValidationError = org.ValidationError
	Problem         = org.Problem
)

// Parse reads a motcua.procedures/v1 file strictly. It checks only what decoding can: syntax,
// types and unknown fields, each reported with the procedure's row. Run Validate before
// accepting the result.
func Parse(b []byte) (*File, error) {
	var w fileWire
	if err := org.StrictDecode(b, &w); err != nil {
		field, msg := org.DecodeProblem(err)
		return nil, &ValidationError{Problems: []Problem{{Row: 0, Field: field, Message: msg}}}
	}
	f := &File{Format: w.Format, Note: w.Note}
	var ps []Problem
	if w.Format != Format {
		ps = append(ps, Problem{Field: "format", Message: fmt.Sprintf("định dạng phải là %q, có %q", Format, w.Format)})
	}
	for i, raw := range w.Procedures {
		p, err := ParseProcedure(raw)
		if err != nil {
			field, msg := org.DecodeProblem(err)
			ps = append(ps, Problem{Row: i + 1, Code: peekCode(raw), Field: field, Message: msg})
			continue
		}
		f.Procedures = append(f.Procedures, p)
	}
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	return f, nil
}

// ParseProcedure decodes one procedure strictly (the API's PUT body, one spreadsheet row set).
func ParseProcedure(b []byte) (*Procedure, error) {
	var p Procedure
	if err := org.StrictDecode(b, &p); err != nil {
		return nil, err
	}
	if err := p.normalize(); err != nil {
		return nil, err
	}
	return &p, nil
}

func peekCode(raw []byte) string {
	var c struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(raw, &c)
	return c.Code
}

// normalize gives every procedure one in-memory shape whatever its source: empty lists are
// nil and the form schema is compacted, so that JSON and spreadsheet imports compare equal.
func (p *Procedure) normalize() error {
	p.Fees = nilIfEmpty(p.Fees)
	for i := range p.Fees {
		p.Fees[i].Tiers = nilIfEmpty(p.Fees[i].Tiers)
	}
	p.Documents = nilIfEmpty(p.Documents)
	p.Process = nilIfEmpty(p.Process)
	p.LegalBasis = nilIfEmpty(p.LegalBasis)
	if len(p.Form) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, p.Form); err != nil {
			return fmt.Errorf("form: %w", err)
		}
		if bytes.Equal(buf.Bytes(), []byte("null")) {
			p.Form = nil
		} else {
			p.Form = json.RawMessage(buf.Bytes())
		}
	}
	return nil
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// wire returns a copy with the list fields present ([] instead of null) for writing.
func (p *Procedure) wire() *Procedure {
	q := *p
	if q.Fees == nil {
		q.Fees = []Fee{}
	}
	if q.Documents == nil {
		q.Documents = []Document{}
	}
	if q.Process == nil {
		q.Process = []Step{}
	}
	if q.LegalBasis == nil {
		q.LegalBasis = []string{}
	}
	if q.Form == nil {
		q.Form = json.RawMessage("{}")
	}
	return &q
}

// MarshalFile writes procedures as an indented motcua.procedures/v1 file.
func MarshalFile(note string, ps []*Procedure) ([]byte, error) {
	w := struct {
		Format     string       `json:"format"`
		Note       string       `json:"note,omitempty"`
		Procedures []*Procedure `json:"procedures"`
	}{Format: Format, Note: note, Procedures: make([]*Procedure, 0, len(ps))}
	for _, p := range ps {
		w.Procedures = append(w.Procedures, p.wire())
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(w); err != nil {
		return nil, fmt.Errorf("marshal procedures: %w", err)
	}
	return buf.Bytes(), nil
}

// MarshalProcedure writes one procedure as compact JSON.
func MarshalProcedure(p *Procedure) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p.wire()); err != nil {
		return nil, fmt.Errorf("marshal procedure %s: %w", p.Code, err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Clone returns a deep copy, so that editing a draft never changes a published version that
// dossiers are pinned to.
func (p *Procedure) Clone() *Procedure {
	q := *p
	q.Fees = nil
	for _, f := range p.Fees {
		f.Amount = clonePtr(f.Amount)
		f.OnlineAmount = clonePtr(f.OnlineAmount)
		f.Reduced = clonePtr(f.Reduced)
		f.Tiers = append([]Tier(nil), f.Tiers...)
		q.Fees = append(q.Fees, f)
	}
	q.FinancialObligation = clonePtr(p.FinancialObligation)
	q.Documents = append([]Document(nil), p.Documents...)
	q.Form = append(json.RawMessage(nil), p.Form...)
	q.Process = append([]Step(nil), p.Process...)
	q.LegalBasis = append([]string(nil), p.LegalBasis...)
	q.Publication = clonePtr(p.Publication)
	return &q
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Document returns the document component with code.
func (p *Procedure) Document(code string) (Document, bool) {
	for _, d := range p.Documents {
		if d.Code == code {
			return d, true
		}
	}
	return Document{}, false
}

// AsValidationError extracts the ValidationError from err, if any.
func AsValidationError(err error) (*ValidationError, bool) { return org.AsValidationError(err) }
