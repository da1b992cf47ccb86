// Package e2e tests MotCua in a real browser: a seeded server booted in-process (Boot) and
// Debian's headless Chromium driven through the DevTools protocol (chromedp).
//
// One browser serves the whole test binary (start it lazily, stop it in TestMain with Main);
// every test gets its own tab (Tab). Helpers check what a person would notice: axe-core
// accessibility violations (Axe, AxeClean), horizontal scrolling on a 360 px phone
// (NoHorizontalScroll), and full-page screenshots at a given width (Screenshot), written to
// $MOTCUA_ARTIFACTS/screenshots when that variable is set.
//
// The browser is /usr/bin/chromium (the Debian package that ./scripts/test installs), or the
// program named by $MOTCUA_CHROMIUM. Without it the tests skip with a message, except under
// CI=true, where a missing browser fails them: CI must never pass by testing nothing.
//
// Nothing here is imported by the program; the package exists for its tests.
package e2e
