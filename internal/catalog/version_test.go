package catalog_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/catalog"
)

var ict = time.FixedZone("ICT", 7*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ict) }

func TestPinnedDossierKeepsItsVersion(t *testing.T) {
	v1 := seedProc(t, "1.013225") // building permit: calendar days, several documents, one fee
	h, err := catalog.NewHistory(v1).Publish(1, day(2025, 7, 1))
	if err != nil {
		t.Fatal(err)
	}
	// A dossier is submitted and pinned to the version in force.
	submitted := day(2026, 3, 2).Add(9 * time.Hour)
	pin, err := h.At(submitted)
	if err != nil || pin.Number != 1 {
		t.Fatalf("At(submission) = %d, %v; want version 1", pin.Number, err)
	}
	form := map[string]any{}
	fee1, err := pin.Spec.Fee(form, false, false, false)
	if err != nil {
		t.Fatal(err)
	}

	// The province simplifies the procedure: one document fewer, a shorter time, a lower fee.
	draft := v1.Clone()
	draft.Documents = draft.Documents[:len(draft.Documents)-1]
	draft.ProcessingTime.Value -= 3
	*draft.Fees[0].Amount /= 2
	// Keep the shares adding up: 15 calendar days count as 11 working days, 12 as 10.
	draft.Process[1].Share.Value -= 8
	h = h.Edit(draft)
	if d, ok := h.Draft(); !ok || d.Number != 2 {
		t.Fatalf("editing a published version must open draft 2, got %+v", d)
	}
	if err := draft.Validate(seedDir(t)); err != nil {
		t.Fatalf("simplified draft invalid: %v", err)
	}
	h, err = h.Publish(2, day(2026, 4, 1))
	if err != nil {
		t.Fatal(err)
	}

	// The pinned dossier still reads version 1: documents, time and fees.
	got, err := h.Get(pin.Number)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v1.Documents, got.Spec.Documents); diff != "" {
		t.Errorf("pinned documents changed:\n%s", diff)
	}
	if got.Spec.ProcessingTime != v1.ProcessingTime {
		t.Errorf("pinned time = %+v, want %+v", got.Spec.ProcessingTime, v1.ProcessingTime)
	}
	fee, err := got.Spec.Fee(form, false, false, false)
	if err != nil || fee.Total != fee1.Total {
		t.Errorf("pinned fee = %d, %v; want %d", fee.Total, err, fee1.Total)
	}
	if got.Status != catalog.StatusRetired || !got.EffectiveTo.Equal(day(2026, 4, 1)) {
		t.Errorf("version 1 should be retired from the new effective date: %+v", got)
	}
	// New dossiers get version 2 from its effective date; before it, version 1 still governs.
	for _, tc := range []struct {
		at   time.Time
		want int
	}{{day(2026, 3, 31).Add(23 * time.Hour), 1}, {day(2026, 4, 1), 2}, {day(2027, 1, 1), 2}} {
		v, err := h.At(tc.at)
		if err != nil || v.Number != tc.want {
			t.Errorf("At(%v) = %d, %v; want %d", tc.at, v.Number, err, tc.want)
		}
	}
	if _, err := h.At(day(2025, 6, 30)); !errors.Is(err, catalog.ErrNotInForce) {
		t.Errorf("At before first publication: err = %v", err)
	}
	// Editing the draft in place, after the fact, must not reach version 1 either.
	draft.Documents[0].Name = "changed"
	if got, _ := h.Get(1); got.Spec.Documents[0].Name == "changed" {
		t.Error("history shares memory with the caller's spec")
	}
}

func TestVersionTransitions(t *testing.T) {
	p := seedProc(t, "HKD.01")
	h := catalog.NewHistory(p)
	if _, err := h.Publish(2, day(2026, 1, 1)); !errors.Is(err, catalog.ErrNoVersion) {
		t.Errorf("publishing a missing version: %v", err)
	}
	h1, err := h.Publish(1, day(2026, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 1 || h.Versions[0].Status != catalog.StatusDraft {
		t.Error("Publish modified its receiver")
	}
	if _, err := h1.Publish(1, day(2026, 2, 1)); !errors.Is(err, catalog.ErrNotDraft) {
		t.Errorf("republishing: %v", err)
	}
	h2 := h1.Edit(p)
	h2 = h2.Edit(p) // a second edit updates the same draft
	if len(h2.Versions) != 2 {
		t.Fatalf("want 2 versions, got %d", len(h2.Versions))
	}
	if _, err := h2.Publish(2, day(2025, 12, 1)); !errors.Is(err, catalog.ErrEffectiveAge) {
		t.Errorf("publishing before the current version: %v", err)
	}
}

func TestDiff(t *testing.T) {
	a := seedProc(t, "1.013225")
	b := a.Clone()
	removed := b.Documents[len(b.Documents)-1]
	b.Documents = b.Documents[:len(b.Documents)-1]
	b.Documents[0].Count = 2
	b.Documents = append(b.Documents, catalog.Document{Code: "NEW", Name: "Giấy tờ mới", Form: "copy", Count: 1, Required: true})
	b.ProcessingTime.Value = 12
	*b.Fees[0].Amount = 50000
	b.Process[1].Share.Value = 40
	b.Process = append(b.Process, catalog.Step{Name: "Lưu trữ", Role: "specialist", Unit: "authority", Share: catalog.Share{Value: 1, Unit: "working_hour"}, Parallel: true})

	got := catalog.Diff(a, b)
	var kinds []string
	for _, c := range got {
		kinds = append(kinds, c.Kind+":"+c.Path)
		if c.Summary == "" {
			t.Errorf("change %+v has no summary", c)
		}
	}
	want := []string{
		"document_removed:documents." + removed.Code,
		"document_changed:documents." + a.Documents[0].Code,
		"document_added:documents.NEW",
		"processing_time:processing_time",
		"fee_changed:fees." + a.Fees[0].Name,
		"step_changed:process." + a.Process[1].Name,
		"step_added:process.Lưu trữ",
	}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("Diff kinds (-want +got):\n%s", diff)
	}
	for _, c := range got {
		if c.Kind == "processing_time" && !strings.Contains(c.Summary, "12 ngày") {
			t.Errorf("time summary %q", c.Summary)
		}
		if c.Kind == "fee_changed" && !strings.Contains(c.Summary, "50.000 đ") {
			t.Errorf("fee summary %q", c.Summary)
		}
	}
	if d := catalog.Diff(a, a.Clone()); len(d) != 0 {
		t.Errorf("Diff of equal procedures = %+v", d)
	}
}
