package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultChromium is Debian's chromium, which ./scripts/test installs when it is missing.
const DefaultChromium = "/usr/bin/chromium"

// PhoneWidth is the narrowest screen the portal must serve without horizontal scrolling.
const PhoneWidth = 360

// DesktopWidth is the width of the desktop screenshots.
const DesktopWidth = 1280

// tabTimeout bounds one test's browser work so that a stuck page fails the test instead of
// hanging the run until go test's own timeout; it is a guard, not a performance check.
const tabTimeout = 2 * time.Minute

// waitTimeout bounds waiting for one element, so that a missing element fails its test soon.
const waitTimeout = 20 * time.Second

// browser is the one Chromium of the test binary, started by the first Tab.
var browser struct {
	once   sync.Once
	ctx    context.Context // holds the browser; tabs are its children
	cancel context.CancelFunc
	err    error
}

// Main runs the tests of a package and then stops the shared browser. Call it from TestMain:
//
//	func TestMain(m *testing.M) { e2e.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// chromiumPath is $MOTCUA_CHROMIUM, or DefaultChromium.
func chromiumPath() string {
	if p := os.Getenv("MOTCUA_CHROMIUM"); p != "" {
		return p
	}
	return DefaultChromium
}

// startBrowser starts Chromium headless once for the whole binary.
func startBrowser(path string) (context.Context, error) {
	browser.once.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.WindowSize(DesktopWidth, 900),
			// Scrollbars would make the desktop layout width depend on the page length.
			chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("mute-audio", true),
			chromedp.Flag("lang", "vi-VN"),
		)
		if os.Geteuid() == 0 {
			// Chromium refuses to start its sandbox as root (CI and this project's machines).
			opts = append(opts, chromedp.NoSandbox)
		}
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(allocCtx)
		browser.cancel = func() { cancelBrowser(); cancelAlloc() }
		// The first Do starts the browser and binds its life to ctx, which has no deadline.
		if err := chromedp.Do(ctx); err != nil {
			browser.cancel()
			browser.err = fmt.Errorf("start %s: %w", path, err)
			return
		}
		browser.ctx = ctx
	})
	return browser.ctx, browser.err
}

// Tab opens a new tab in the shared browser for the test and closes it when the test ends. The
// returned context carries the tab; pass it to chromedp.Do and chromedp.Run and to the helpers
// here. When Chromium is not installed the test is skipped, or fails under CI=true.
func Tab(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath()
	if fi, err := os.Stat(path); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		msg := fmt.Sprintf("headless Chromium not found at %s: install Debian's package (apt-get install chromium) or set MOTCUA_CHROMIUM", path)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	bctx, err := startBrowser(path)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	tab, closeTab := chromedp.NewContext(bctx)
	t.Cleanup(closeTab)
	// Open the tab with a context without deadline: the first Run binds the tab's life to it.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("browser: open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, tabTimeout)
	t.Cleanup(cancel)
	return ctx
}

// Open loads url in the tab, waits for the page to load, and returns the HTTP status of the
// document.
func Open(t testing.TB, ctx context.Context, url string) int {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return int(resp.Status)
}

// SetWidth resizes the tab's viewport. Widths up to 480 px emulate a phone (mobile viewport
// rules, touch, portrait), as applicants mostly use phones; wider ones a desktop window.
func SetWidth(t testing.TB, ctx context.Context, width int) {
	t.Helper()
	var act chromedp.Action[chromedp.Void]
	if width <= 480 {
		act = chromedp.EmulateViewport(int64(width), 780, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	} else {
		act = chromedp.EmulateViewport(int64(width), 900)
	}
	if err := chromedp.Do(ctx, act); err != nil {
		t.Fatalf("set viewport width %d: %v", width, err)
	}
}

// ArtifactsDir is where Screenshot writes: $MOTCUA_ARTIFACTS/screenshots, or a folder of the
// test's temporary directory (deleted after the test) when the variable is not set.
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	root := os.Getenv("MOTCUA_ARTIFACTS")
	if root == "" {
		return t.TempDir()
	}
	dir := filepath.Join(root, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	return dir
}

var safeName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// Screenshot sets the viewport to width and writes a full-page PNG of the current page to
// ArtifactsDir as NAME-WIDTH.png; name is lowercase letters, digits, '.', '_' and '-'. It fails
// the test when the image is not a PNG exactly width pixels wide, and returns the file's path.
func Screenshot(t testing.TB, ctx context.Context, name string, width int) string {
	t.Helper()
	if !safeName.MatchString(name) {
		t.Fatalf("screenshot name %q: use lowercase letters, digits, '.', '_' and '-'", name)
	}
	SetWidth(t, ctx, width)
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s at %d px: %v", name, width, err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot %s at %d px: not a PNG: %v", name, width, err)
	}
	if cfg.Width != width {
		t.Errorf("screenshot %s: image is %d px wide, want %d (the page is wider than the screen?)", name, cfg.Width, width)
	}
	path := filepath.Join(ArtifactsDir(t), fmt.Sprintf("%s-%d.png", name, width))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot %s (%dx%d)", path, cfg.Width, cfg.Height)
	return path
}

// overflow is what NoHorizontalScroll measures, in CSS pixels.
type overflow struct {
	ScrollWidth int      `json:"scrollWidth"` // of the document element: the page's full width
	ClientWidth int      `json:"clientWidth"` // of the document element: the layout viewport
	InnerWidth  int      `json:"innerWidth"`  // of the window: the visual viewport
	Widest      []string `json:"widest"`      // elements reaching past the viewport's right edge
}

// Wide reports whether the page scrolls horizontally.
func (o overflow) Wide() bool {
	return o.ScrollWidth > o.ClientWidth || o.ScrollWidth > o.InnerWidth
}

// measureOverflow reads the page's widths and names up to five elements that stick out on the
// right. Both clientWidth and innerWidth are compared: on a phone the browser may zoom out a
// page that is too wide, which grows innerWidth and would hide the overflow.
const measureOverflow = `(() => {
  const de = document.documentElement, cw = de.clientWidth;
  const widest = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > cw + 0.5) {
      let name = el.tagName.toLowerCase();
      if (el.id) name += '#' + el.id;
      if (typeof el.className === 'string' && el.className.trim()) name += '.' + el.className.trim().split(/\s+/).join('.');
      widest.push(name + ' (right edge ' + Math.round(r.right) + ' px)');
      if (widest.length === 5) break;
    }
  }
  return {scrollWidth: de.scrollWidth, clientWidth: cw, innerWidth: window.innerWidth, widest};
})()`

func measure(ctx context.Context) (overflow, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[overflow](measureOverflow))
}

// NoHorizontalScroll sets the viewport to PhoneWidth and fails the test when the current page
// is wider than the screen, naming the elements that stick out.
func NoHorizontalScroll(t testing.TB, ctx context.Context) {
	t.Helper()
	SetWidth(t, ctx, PhoneWidth)
	o, err := measure(ctx)
	if err != nil {
		t.Fatalf("measure page width: %v", err)
	}
	if o.Wide() {
		t.Errorf("page scrolls horizontally at %d px: scrollWidth %d, clientWidth %d, innerWidth %d; sticking out: %s",
			PhoneWidth, o.ScrollWidth, o.ClientWidth, o.InnerWidth, strings.Join(o.Widest, ", "))
	}
}

// Text returns the visible text of the first element matching the CSS selector, waiting (at
// most waitTimeout) for it to be visible.
func Text(t testing.TB, ctx context.Context, selector string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s (waited up to %s): %v", selector, waitTimeout, err)
	}
	return strings.TrimSpace(s)
}

// Location returns the tab's current URL.
func Location(t testing.TB, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return u
}
