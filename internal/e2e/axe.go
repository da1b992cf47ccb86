package e2e

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core's axe.min.js (version and licence in testdata/README.md).
//
//go:embed testdata/axe.min.js
var axeSource string

// AxeTags are the rule sets Axe runs: WCAG 2.0/2.1 level A and AA, and axe's best practices.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// Violation is one axe-core rule that failed, with the elements that failed it.
type Violation struct {
	Rule    string          `json:"id"`     // axe rule id, e.g. "color-contrast"
	Impact  string          `json:"impact"` // minor, moderate, serious or critical
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that failed a rule.
type ViolationNode struct {
	Target  string `json:"target"`  // CSS selector of the element
	HTML    string `json:"html"`    // its opening markup, as axe quotes it
	Summary string `json:"summary"` // what is wrong and how to fix it
}

// Serious reports whether the violation blocks or seriously hinders some users; those fail the
// tests, lesser ones are only logged.
func (v Violation) Serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

// String formats the violation for a test failure: rule, impact, help and every element.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s]: %s (%s)", v.Rule, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %s  %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return b.String()
}

// axeRun runs axe on the whole document and flattens its result for Go. Targets are arrays of
// selectors (nested for shadow DOM and frames); they are joined into one string.
const axeRun = `(async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']});
  return r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(s => typeof s === 'string' ? s : JSON.stringify(s)).join(' '),
      html: n.html, summary: n.failureSummary || ''
    }))
  }));
})()`

// runAxe injects axe-core into the current page (once per document) and returns every violation
// of AxeTags.
func runAxe(ctx context.Context) ([]Violation, error) {
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if err != nil {
		return nil, fmt.Errorf("axe: %w", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			return nil, fmt.Errorf("axe: inject axe-core: %w", err)
		}
	}
	tags := `['` + strings.Join(AxeTags, `','`) + `']`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe: run: %w", err)
	}
	return vs, nil
}

// Axe runs axe-core on the current page of the tab and returns every violation, serious or not.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	vs, err := runAxe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// AxeClean runs Axe and fails the test on any serious or critical violation, printing each with
// its elements; minor and moderate ones are logged.
func AxeClean(t testing.TB, ctx context.Context) {
	t.Helper()
	for _, v := range Axe(t, ctx) {
		if v.Serious() {
			t.Errorf("accessibility: %s", v)
		} else {
			t.Logf("accessibility (not failing): %s", v)
		}
	}
}
