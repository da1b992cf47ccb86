package layers

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/motcua/motcua/internal/"

// domain lists the pure packages and the internal packages each may import.
var domain = map[string][]string{
	"calendar": {},
	"org":      {},
	"catalog":  {"calendar", "org"},
	"dossier":  {"calendar", "audit"},
	"index":    {"calendar"},
	"audit":    {},
	// report renders forms from values (the PDF library is pure Go); it writes to an io.Writer.
	"report": {"calendar", "dossier"},
}

// forbidden are standard or third-party imports that mean I/O or infrastructure.
var forbidden = []string{
	"os", "os/exec", "net", "net/http", "database/sql", "io/ioutil", "log", "log/slog", "syscall",
	"modernc.org/sqlite", "github.com/jackc/pgx", "github.com/prometheus",
}

func TestDomainPackagesStayPure(t *testing.T) {
	for pkg, allowed := range domain {
		dir := filepath.Join("..", pkg)
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Logf("%s: not present yet", pkg)
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.ImportsOnly)
			if err != nil {
				t.Fatalf("%s/%s: %v", pkg, name, err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(path, module) {
					dep := strings.TrimPrefix(path, module)
					if !contains(allowed, dep) {
						t.Errorf("%s/%s imports internal/%s; domain package %s may import only %v", pkg, name, dep, pkg, allowed)
					}
					continue
				}
				for _, bad := range forbidden {
					if path == bad || strings.HasPrefix(path, bad+"/") {
						t.Errorf("%s/%s imports %s: domain packages do no I/O", pkg, name, path)
					}
				}
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
