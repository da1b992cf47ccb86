package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/dossier"
)

// templateKeys walks a parsed template tree and reports every key passed to t; a key that is
// not a string literal is reported through bad, since it cannot be checked.
func templateKeys(n parse.Node, found func(string), bad func(string)) {
	switch n := n.(type) {
	case nil:
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			templateKeys(c, found, bad)
		}
	case *parse.ActionNode:
		templateKeys(n.Pipe, found, bad)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			templateKeys(c, found, bad)
		}
	case *parse.CommandNode:
		if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "t" {
			if len(n.Args) != 3 {
				bad(n.String())
			} else if s, ok := n.Args[2].(*parse.StringNode); ok {
				found(s.Text)
			} else {
				bad(n.String())
			}
		}
		for _, a := range n.Args {
			templateKeys(a, found, bad)
		}
	case *parse.IfNode:
		templateKeys(n.Pipe, found, bad)
		templateKeys(n.List, found, bad)
		templateKeys(n.ElseList, found, bad)
	case *parse.RangeNode:
		templateKeys(n.Pipe, found, bad)
		templateKeys(n.List, found, bad)
		templateKeys(n.ElseList, found, bad)
	case *parse.WithNode:
		templateKeys(n.Pipe, found, bad)
		templateKeys(n.List, found, bad)
		templateKeys(n.ElseList, found, bad)
	case *parse.TemplateNode:
		templateKeys(n.Pipe, found, bad)
	}
}

// goKeys finds the literal keys of every tr(lang, "key") call in the package's Go files.
func goKeys(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "tr" {
				return true
			}
			if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				k, _ := strconv.Unquote(lit.Value)
				keys[k] = true
			}
			return true
		})
	}
	return keys
}

// dynamicKeys are the keys the Go code builds at run time ("due."+class, "csn.kind."+kind).
var dynamicKeys = func() []string {
	keys := []string{"due.ok", "due.warn", "due.bad"}
	for _, k := range app.NoticeKinds {
		keys = append(keys, "csn.kind."+k)
	}
	return keys
}()

// TestMessageKeys: every key a template or the Go code uses exists in both languages, with the
// same printf verbs; every message of the catalog is used.
func TestMessageKeys(t *testing.T) {
	p, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for name, tmpl := range p.tmpl {
		for _, sub := range tmpl.Templates() {
			if sub.Tree == nil {
				continue
			}
			templateKeys(sub.Tree.Root, func(k string) {
				used[k] = true
				if _, ok := messages[k]; !ok {
					t.Errorf("%s (%s): unknown message key %q", name, sub.Name(), k)
				}
			}, func(cmd string) {
				t.Errorf("%s (%s): %s: the key of t must be a string literal", name, sub.Name(), cmd)
			})
		}
	}
	if len(used) < 50 {
		t.Fatalf("only %d keys found in the templates: the walker is broken", len(used))
	}
	for k := range goKeys(t) {
		used[k] = true
		if _, ok := messages[k]; !ok {
			t.Errorf("Go code: unknown message key %q", k)
		}
	}
	for _, k := range dynamicKeys {
		used[k] = true
		if _, ok := messages[k]; !ok {
			t.Errorf("dynamic key %q missing", k)
		}
	}
	for k, m := range messages {
		if strings.TrimSpace(m.vi) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("message %q lacks a language: %+v", k, m)
		}
		if strings.Count(m.vi, "%") != strings.Count(m.en, "%") {
			t.Errorf("message %q: printf verbs differ between %q and %q", k, m.vi, m.en)
		}
		if !used[k] {
			t.Errorf("message %q is never used", k)
		}
	}
}

// TestTranslatedEnumerations: every dossier state, history event and satisfaction score has an
// English name.
func TestTranslatedEnumerations(t *testing.T) {
	for _, st := range dossier.States {
		if stateNamesEN[st] == "" {
			t.Errorf("state %s has no English name", st)
		}
		if got := stateLabel(langVI, st); got == "" || got == string(st) {
			t.Errorf("state %s: Vietnamese label %q", st, got)
		}
	}
	if len(stateNamesEN) != len(dossier.States) {
		t.Errorf("stateNamesEN has %d entries for %d states", len(stateNamesEN), len(dossier.States))
	}
	for ev := range portalEventLabels {
		if eventLabelsEN[ev] == "" {
			t.Errorf("event %s has no English label", ev)
		}
	}
	if len(eventLabelsEN) != len(portalEventLabels) {
		t.Errorf("eventLabelsEN has %d entries, portalEventLabels %d", len(eventLabelsEN), len(portalEventLabels))
	}
	for i := 1; i < len(portalScoreLabels); i++ {
		if scoreLabel(langEN, i) == "" || scoreLabel(langVI, i) != portalScoreLabels[i] {
			t.Errorf("score %d: %q / %q", i, scoreLabel(langVI, i), scoreLabel(langEN, i))
		}
	}
	if len(scoreLabelsEN) != len(portalScoreLabels) {
		t.Errorf("scoreLabelsEN has %d entries, portalScoreLabels %d", len(scoreLabelsEN), len(portalScoreLabels))
	}
}

func TestTemplateFuncFailsOnUnknownKey(t *testing.T) {
	if _, err := tmplT(langEN, "no.such.key"); err == nil {
		t.Error("t accepted an unknown key")
	}
	if got, err := tmplT(langEN, "nav.signin"); err != nil || got != "Sign in" {
		t.Errorf("t en nav.signin = %q, %v", got, err)
	}
	if got := tr("fr", "nav.signin"); got != "Đăng nhập" {
		t.Errorf("unknown language: %q, want Vietnamese", got)
	}
}

func TestLangOf(t *testing.T) {
	for _, tc := range []struct {
		name, target, cookie, acceptLanguage, want string
	}{
		{"default is Vietnamese", "/", "", "", "vi"},
		{"Accept-Language is ignored", "/", "", "en-US,en;q=0.9", "vi"},
		{"query", "/?lang=en", "", "", "en"},
		{"cookie", "/", "en", "", "en"},
		{"query beats cookie", "/?lang=vi", "en", "", "vi"},
		{"unknown query falls back to the cookie", "/?lang=fr", "en", "", "en"},
		{"unknown cookie", "/", "de", "", "vi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tc.target, nil)
			if tc.cookie != "" {
				r.Header.Set("Cookie", langCookie+"="+tc.cookie)
			}
			if tc.acceptLanguage != "" {
				r.Header.Set("Accept-Language", tc.acceptLanguage)
			}
			if got := langOf(r); got != tc.want {
				t.Errorf("langOf = %q, want %q", got, tc.want)
			}
		})
	}
}
