package catalog

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Status is the life stage of a procedure version.
type Status string

// Statuses. A draft is editable and invisible to applicants; a published version is in force
// from EffectiveFrom; a retired one has been superseded from EffectiveTo on but stays readable
// forever, because dossiers are pinned to it.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusRetired   Status = "retired"
)

// Version is one numbered edition of a procedure. A dossier stores (Procedure, Number) at
// submission and is judged by that Spec to the end, whatever is published later.
type Version struct {
	Procedure     string    `json:"procedure"`
	Number        int       `json:"number"`
	Status        Status    `json:"status"`
	EffectiveFrom time.Time `json:"effective_from,omitzero"`
	EffectiveTo   time.Time `json:"effective_to,omitzero"`
	Spec          Procedure `json:"spec"`
}

// InForce reports whether the version governs dossiers submitted at t.
func (v Version) InForce(t time.Time) bool {
	if v.Status == StatusDraft || v.EffectiveFrom.IsZero() || t.Before(v.EffectiveFrom) {
		return false
	}
	return v.EffectiveTo.IsZero() || t.Before(v.EffectiveTo)
}

// Errors of version transitions.
var (
	ErrNotDraft     = errors.New("version is not a draft")
	ErrNoVersion    = errors.New("no such version")
	ErrNotInForce   = errors.New("no version in force")
	ErrEffectiveAge = errors.New("effective date must be after the current version's")
)

// History is the ordered list of versions of one procedure. Its methods are pure: they
// return a new History and leave the receiver untouched, so the caller stores the result in
// one transaction or not at all.
type History struct {
	Versions []Version `json:"versions"`
}

// NewHistory starts a procedure's history with spec as draft 1.
func NewHistory(spec *Procedure) History {
	return History{Versions: []Version{{Procedure: spec.Code, Number: 1, Status: StatusDraft, Spec: *spec.Clone()}}}
}

func (h History) clone() History {
	out := History{Versions: make([]Version, len(h.Versions))}
	for i, v := range h.Versions {
		v.Spec = *v.Spec.Clone()
		out.Versions[i] = v
	}
	return out
}

// Get returns version number n (the one a dossier is pinned to).
func (h History) Get(n int) (Version, error) {
	for _, v := range h.Versions {
		if v.Number == n {
			return v, nil
		}
	}
	return Version{}, fmt.Errorf("version %d: %w", n, ErrNoVersion)
}

// Draft returns the open draft, if any.
func (h History) Draft() (Version, bool) {
	for _, v := range h.Versions {
		if v.Status == StatusDraft {
			return v, true
		}
	}
	return Version{}, false
}

// At returns the version in force at t: the one a dossier submitted at t is pinned to.
func (h History) At(t time.Time) (Version, error) {
	for _, v := range h.Versions {
		if v.InForce(t) {
			return v, nil
		}
	}
	return Version{}, fmt.Errorf("at %s: %w", t.Format(time.RFC3339), ErrNotInForce)
}

// Latest returns the published version with the latest EffectiveFrom (which may still lie in
// the future), the one new drafts start from.
func (h History) Latest() (Version, bool) {
	var best Version
	found := false
	for _, v := range h.Versions {
		if v.Status == StatusDraft {
			continue
		}
		if !found || v.EffectiveFrom.After(best.EffectiveFrom) {
			best, found = v, true
		}
	}
	return best, found
}

// Edit records a change: it replaces the open draft's spec, or, when every version is
// published or retired, opens a new draft numbered after the highest. Published versions
// are never modified.
func (h History) Edit(spec *Procedure) History {
	out := h.clone()
	for i, v := range out.Versions {
		if v.Status == StatusDraft {
			out.Versions[i].Spec = *spec.Clone()
			return out
		}
	}
	n := 0
	for _, v := range out.Versions {
		n = max(n, v.Number)
	}
	code := spec.Code
	if len(out.Versions) > 0 {
		code = out.Versions[0].Procedure
	}
	out.Versions = append(out.Versions, Version{Procedure: code, Number: n + 1, Status: StatusDraft, Spec: *spec.Clone()})
	return out
}

// Publish puts draft n in force from `from`. The version in force before (the latest
// published) is retired from the same instant, so that exactly one version governs every
// moment after the first publication. from must be after the retiring version's start.
func (h History) Publish(n int, from time.Time) (History, error) {
	out := h.clone()
	idx := -1
	for i, v := range out.Versions {
		if v.Number == n {
			idx = i
		}
	}
	if idx < 0 {
		return h, fmt.Errorf("publish version %d: %w", n, ErrNoVersion)
	}
	if out.Versions[idx].Status != StatusDraft {
		return h, fmt.Errorf("publish version %d: %w", n, ErrNotDraft)
	}
	if from.IsZero() {
		return h, errors.New("publish: effective date required")
	}
	if prev, ok := out.Latest(); ok {
		if !from.After(prev.EffectiveFrom) {
			return h, fmt.Errorf("publish version %d from %s: %w", n, from.Format(time.DateOnly), ErrEffectiveAge)
		}
		for i, v := range out.Versions {
			if v.Number == prev.Number {
				out.Versions[i].Status = StatusRetired
				out.Versions[i].EffectiveTo = from
			}
		}
	}
	out.Versions[idx].Status = StatusPublished
	out.Versions[idx].EffectiveFrom = from
	sort.Slice(out.Versions, func(i, j int) bool { return out.Versions[i].Number < out.Versions[j].Number })
	return out, nil
}

// Change is one difference between two versions of a procedure.
type Change struct {
	// Kind is one of document_added, document_removed, document_changed, processing_time,
	// fee_added, fee_removed, fee_changed, step_added, step_removed, step_changed, online_level.
	Kind   string `json:"kind"`
	Path   string `json:"path"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Summary is a Vietnamese sentence for the simplification report.
	Summary string `json:"summary"`
}

// Diff lists what changed from a to b in what applicants feel: documents, processing time,
// fees, online level and the internal process. Documents are matched by code, fees by name,
// steps by name (and occurrence).
func Diff(a, b *Procedure) []Change {
	var out []Change
	add := func(kind, path, before, after, summary string) {
		out = append(out, Change{Kind: kind, Path: path, Before: before, After: after, Summary: summary})
	}
	// Documents.
	ad := map[string]Document{}
	for _, d := range a.Documents {
		ad[d.Code] = d
	}
	bd := map[string]bool{}
	for _, d := range b.Documents {
		bd[d.Code] = true
		old, ok := ad[d.Code]
		switch {
		case !ok:
			add("document_added", "documents."+d.Code, "", describeDoc(d), "Thêm thành phần hồ sơ: "+d.Name+".")
		case old != d:
			add("document_changed", "documents."+d.Code, describeDoc(old), describeDoc(d), "Thay đổi thành phần hồ sơ: "+d.Name+" ("+describeDoc(old)+" → "+describeDoc(d)+").")
		}
	}
	for _, d := range a.Documents {
		if !bd[d.Code] {
			add("document_removed", "documents."+d.Code, describeDoc(d), "", "Bỏ thành phần hồ sơ: "+d.Name+".")
		}
	}
	// Processing time.
	if ta, tb := a.ProcessingTime, b.ProcessingTime; ta.Value != tb.Value || ta.Unit != tb.Unit || ta.Cutoff != tb.Cutoff {
		add("processing_time", "processing_time", ta.Label(), tb.Label(),
			fmt.Sprintf("Thời hạn giải quyết: %s → %s.", ta.Label(), tb.Label()))
	}
	if a.OnlineLevel != b.OnlineLevel {
		add("online_level", "online_level", string(a.OnlineLevel), string(b.OnlineLevel),
			fmt.Sprintf("Mức dịch vụ công trực tuyến: %s → %s.", a.OnlineLevel.Label(), b.OnlineLevel.Label()))
	}
	// Fees.
	af := map[string]Fee{}
	for _, f := range a.Fees {
		af[f.Name] = f
	}
	bf := map[string]bool{}
	for _, f := range b.Fees {
		bf[f.Name] = true
		old, ok := af[f.Name]
		switch {
		case !ok:
			add("fee_added", "fees."+f.Name, "", f.Label(), "Thêm khoản thu: "+f.Name+" ("+f.Label()+").")
		case old.Label() != f.Label():
			add("fee_changed", "fees."+f.Name, old.Label(), f.Label(), "Thay đổi "+f.Name+": "+old.Label()+" → "+f.Label()+".")
		}
	}
	for _, f := range a.Fees {
		if !bf[f.Name] {
			add("fee_removed", "fees."+f.Name, f.Label(), "", "Bỏ khoản thu: "+f.Name+".")
		}
	}
	// Steps.
	as, bs := stepKeys(a.Process), stepKeys(b.Process)
	for k, s := range bs {
		old, ok := as[k]
		switch {
		case !ok:
			add("step_added", "process."+k, "", describeStep(s), "Thêm bước: "+s.Name+" ("+describeStep(s)+").")
		case old != s:
			add("step_changed", "process."+k, describeStep(old), describeStep(s), "Thay đổi bước "+s.Name+": "+describeStep(old)+" → "+describeStep(s)+".")
		}
	}
	for k, s := range as {
		if _, ok := bs[k]; !ok {
			add("step_removed", "process."+k, describeStep(s), "", "Bỏ bước: "+s.Name+".")
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ki, kj := kindRank(out[i].Kind), kindRank(out[j].Kind); ki != kj {
			return ki < kj
		}
		return out[i].Path < out[j].Path
	})
	return out
}

func kindRank(k string) int {
	order := []string{"document_removed", "document_changed", "document_added", "processing_time", "online_level",
		"fee_removed", "fee_changed", "fee_added", "step_removed", "step_changed", "step_added"}
	for i, o := range order {
		if o == k {
			return i
		}
	}
	return len(order)
}

func stepKeys(steps []Step) map[string]Step {
	m := map[string]Step{}
	seen := map[string]int{}
	for _, s := range steps {
		seen[s.Name]++
		k := s.Name
		if n := seen[s.Name]; n > 1 {
			k = fmt.Sprintf("%s#%d", s.Name, n)
		}
		m[k] = s
	}
	return m
}

func describeDoc(d Document) string {
	form := map[string]string{FormOriginal: "bản chính", FormCopy: "bản sao", FormCertifiedCopy: "bản sao chứng thực"}[d.Form]
	req := "bắt buộc"
	if !d.Required {
		req = "không bắt buộc"
	}
	return fmt.Sprintf("%d %s, %s", d.Count, form, req)
}

func describeStep(s Step) string {
	out := fmt.Sprintf("%s tại %s, %s", s.Role, s.Unit, hours(s.Share.Minutes()))
	if s.Parallel {
		out += ", song song"
	}
	return out
}

// Label is the processing time in Vietnamese: "3 ngày làm việc", "trong ngày (nhận trước 15:00)".
func (t ProcessingTime) Label() string {
	switch t.Unit {
	case UnitWorkingDay:
		return fmt.Sprintf("%d ngày làm việc", t.Value)
	case UnitWorkingHour:
		return fmt.Sprintf("%d giờ làm việc", t.Value)
	case UnitWorkingMinute:
		return fmt.Sprintf("%d phút làm việc", t.Value)
	case UnitCalendarDay:
		return fmt.Sprintf("%d ngày", t.Value)
	case UnitMonth:
		return fmt.Sprintf("%d tháng", t.Value)
	case UnitSameDay:
		if t.Cutoff != "" {
			return "trong ngày (nhận trước " + t.Cutoff + ")"
		}
		return "trong ngày"
	}
	return fmt.Sprintf("%d %s", t.Value, t.Unit)
}

// Label is the online level in Vietnamese.
func (l OnlineLevel) Label() string {
	switch l {
	case OnlineFull:
		return "toàn trình"
	case OnlinePartial:
		return "một phần"
	case OnlineNone:
		return "không trực tuyến"
	}
	return string(l)
}

// Label describes the fee's price in Vietnamese: "100.000 đ", "8.000 đ/bản", tiers and caps.
func (f Fee) Label() string {
	unit := map[string]string{"copy": "/bản", "page": "/trang", "dossier": "/hồ sơ"}[f.Per]
	var s string
	switch {
	case len(f.Tiers) > 0:
		for i, t := range f.Tiers {
			if i > 0 {
				s += "; "
			}
			if t.To == 0 {
				s += fmt.Sprintf("từ trang %d: %s%s", t.From, VND(t.Amount), unit)
			} else {
				s += fmt.Sprintf("trang %d–%d: %s%s", t.From, t.To, VND(t.Amount), unit)
			}
		}
	case f.Amount != nil && *f.Amount == 0:
		s = "miễn phí"
	case f.Amount != nil:
		s = VND(*f.Amount) + unit
	}
	if f.MaxPerCopy > 0 {
		s += fmt.Sprintf("; tối đa %s/bản", VND(f.MaxPerCopy))
	}
	if f.OnlineAmount != nil {
		s += fmt.Sprintf("; trực tuyến %s", VND(*f.OnlineAmount))
	}
	if f.Reduced != nil {
		s += fmt.Sprintf("; giảm còn %s cho %s", VND(f.Reduced.Amount), f.Reduced.For)
	}
	if f.ExemptFor != "" {
		s += "; miễn cho " + f.ExemptFor
	}
	return s
}
