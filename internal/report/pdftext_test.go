package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The PDFs are read back with Poppler (pdftotext, pdfinfo, pdftoppm) and the QR code with
// ZBar (zbarimg): independent readers, so a test passes only if a real viewer would show the
// text. scripts/test installs them; elsewhere the tests skip without them, except in CI.

func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required when CI=true (apt-get install poppler-utils zbar-tools)", name)
	}
	t.Skipf("%s not installed (apt-get install poppler-utils zbar-tools); skipping the PDF read-back", name)
	return ""
}

func runTool(t *testing.T, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(needTool(t, name), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	if s := stderr.String(); strings.Contains(s, "Error") || strings.Contains(s, "Syntax") {
		t.Fatalf("%s reports a malformed PDF: %s", name, s)
	}
	return out
}

var spaces = regexp.MustCompile(`\s+`)

// pdfText is the PDF's text as Poppler extracts it, whitespace collapsed to single spaces so
// that a phrase wrapped over two lines still matches. Extra pdftotext options (-layout, -f N
// -l N for one page) go before the file names.
func pdfText(t *testing.T, pdf []byte, opts ...string) string {
	t.Helper()
	args := append(append([]string{"-enc", "UTF-8"}, opts...), "-", "-")
	out := runTool(t, pdf, "pdftotext", args...)
	return spaces.ReplaceAllString(string(out), " ")
}

// pdfPages is the page count pdfinfo reads.
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	out := runTool(t, pdf, "pdfinfo", "-")
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo printed no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pdfPageSize is the first page's size in points as pdfinfo reads it, e.g. "595.276 x 841.89".
func pdfPageSize(t *testing.T, pdf []byte) string {
	t.Helper()
	out := runTool(t, pdf, "pdfinfo", "-")
	m := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+ x [\d.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo printed no page size:\n%s", out)
	}
	return string(m[1])
}

// wantText asserts every phrase is in the text (whitespace-insensitive).
func wantText(t *testing.T, text string, phrases ...string) {
	t.Helper()
	for _, p := range phrases {
		if !strings.Contains(text, spaces.ReplaceAllString(p, " ")) {
			t.Errorf("PDF text lacks %q", p)
		}
	}
}

// artifactDir is where sample PDFs go: $MOTCUA_ARTIFACTS when set (CI keeps them), else a
// temporary folder.
func artifactDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("MOTCUA_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func writeSample(t *testing.T, name string, pdf []byte) {
	t.Helper()
	path := filepath.Join(artifactDir(t), name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("sample: %s (%d bytes)", path, len(pdf))
}
