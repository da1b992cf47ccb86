package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

func testEnv() (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, &out, &errb
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestMainBootsServesAndKeepsData boots the whole program twice on the same data folder, the
// way `motcua demo` is run twice by a user.
func TestMainBootsServesAndKeepsData(t *testing.T) {
	data := t.TempDir()
	boot := func() *Main {
		e, _, _ := testEnv()
		m := NewMain(config{Data: data, Addr: "127.0.0.1:0", LogLevel: "error", LogFormat: "text"}, e)
		m.beforeServe = func(ctx context.Context, m *Main) error { return seedDemo(ctx, m, e, 10, 20) }
		if err := m.Run(context.Background()); err != nil {
			t.Fatalf("run: %v", err)
		}
		return m
	}
	m := boot()
	// The demo dossiers in every state, then ten days of simulated history at 20 a day.
	dossiers := func(m *Main) int64 {
		n, err := m.Store.QueryIntForTest(context.Background(), `SELECT COUNT(*) FROM dossiers`)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	first := dossiers(m)
	if first < 33+150 || first > 33+200 {
		t.Errorf("%d dossiers after the first start, want the 33 demo dossiers and about 200 of history", first)
	}
	code, body, hdr := get(t, m.URL()+"/")
	if code != 200 || !strings.Contains(body, "Cổng dịch vụ công") || !strings.Contains(body, `lang="vi"`) {
		t.Fatalf("home: %d %q", code, body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"} {
		if hdr.Get(h) == "" {
			t.Errorf("home lacks header %s", h)
		}
	}
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP lacks frame-ancestors: %q", hdr.Get("Content-Security-Policy"))
	}
	if hdr.Get("Strict-Transport-Security") != "" {
		t.Errorf("HSTS sent over plain HTTP")
	}
	for path, want := range map[string]string{"/healthz": `"ok"`, "/readyz": `"sqlite"`, "/metrics": "motcua_http_requests_total"} {
		code, body, _ := get(t, m.URL()+path)
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d %q", path, code, body)
		}
	}
	if code, _, _ := get(t, m.URL()+"/khong-co-trang-nay"); code != 404 {
		t.Errorf("unknown page: %d", code)
	}
	province := m.App.ProvinceName(context.Background())
	if province == "" {
		t.Fatal("demo did not seed the province")
	}
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "motcua.db")); err != nil {
		t.Fatalf("no database in the data folder: %v", err)
	}
	m2 := boot()
	defer m2.Close()
	if got := m2.App.ProvinceName(context.Background()); got != province {
		t.Fatalf("second run lost data: province %q, want %q", got, province)
	}
	if got := dossiers(m2); got != first {
		t.Errorf("second run: %d dossiers, want the first run's %d (the history is written once)", got, first)
	}
}

// TestBadConfigurationExitsWithOneSentence checks each bad setting: exit code 2, one line on
// stderr without a stack trace, and nothing created.
func TestBadConfigurationExitsWithOneSentence(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	fileNotDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(fileNotDir, []byte("x"), 0o600)
	cases := []struct {
		name      string
		args      []string
		want      string
		untouched string // a path that must not exist afterwards
	}{
		{"unknown scheme", []string{"serve", "--db", "mysql://x", "--addr", "127.0.0.1:0"}, "unknown database scheme", ""},
		{"negative history", []string{"demo", "--history-days", "-1", "--data", filepath.Join(t.TempDir(), "h")}, "--history-days", "h"},
		{"unreachable postgres", []string{"serve", "--db", "postgres://postgres@127.0.0.1:1/x?connect_timeout=2", "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "pg")}, "cannot reach PostgreSQL", ""},
		{"unwritable data folder", []string{"serve", "--data", filepath.Join(fileNotDir, "sub"), "--addr", "127.0.0.1:0"}, "data folder", ""},
		{"port in use", []string{"serve", "--addr", busy.Addr().String(), "--data", filepath.Join(t.TempDir(), "new")}, "already in use", "new"},
		{"unknown flag", []string{"serve", "--nope"}, "flag provided but not defined", ""},
		{"bad national portal", []string{"serve", "--national-portal", "ftp://dvc.example", "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "np")}, "--national-portal", "np"},
		{"unknown command", []string{"fly"}, "unknown command", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, _, errb := testEnv()
			code := run(context.Background(), c.args, e)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr %q", code, errb.String())
			}
			last := strings.TrimSpace(errb.String())
			if i := strings.LastIndex(last, "\n"); i >= 0 {
				last = last[i+1:]
			}
			if !strings.Contains(last, c.want) || strings.Contains(errb.String(), "goroutine") {
				t.Fatalf("stderr %q, want a sentence containing %q", errb.String(), c.want)
			}
			if c.untouched != "" {
				for i, a := range c.args {
					if a == "--data" {
						if _, err := os.Stat(c.args[i+1]); err == nil {
							t.Fatalf("the data folder %s was created although the command failed", c.args[i+1])
						}
					}
				}
			}
		})
	}
}

func TestMigrateCommandIsIdempotent(t *testing.T) {
	data := t.TempDir()
	for i := 0; i < 2; i++ {
		e, out, errb := testEnv()
		if code := run(context.Background(), []string{"migrate", "--data", data}, e); code != 0 {
			t.Fatalf("run %d: exit %d: %s", i, code, errb.String())
		}
		if !strings.Contains(out.String(), "schema version") {
			t.Fatalf("output %q", out.String())
		}
	}
}

// TestServeRunsTheSeededProvinceOnPostgres: `motcua demo --db postgres://...` seeds, then
// `motcua serve --db postgres://...` serves the same province.
func TestServeRunsTheSeededProvinceOnPostgres(t *testing.T) {
	dsn := storetest.URL(t, store.Postgres)
	e, _, _ := testEnv()
	cfg := config{DB: dsn, Data: t.TempDir(), Addr: "127.0.0.1:0", LogLevel: "error", LogFormat: "text"}
	demo := NewMain(cfg, e)
	demo.beforeServe = func(ctx context.Context, m *Main) error { return seedDemo(ctx, m, e, 3, 10) }
	if err := demo.Run(context.Background()); err != nil {
		t.Fatalf("demo on postgres: %v", err)
	}
	if err := demo.Close(); err != nil {
		t.Fatal(err)
	}
	serve := NewMain(cfg, e)
	if err := serve.Run(context.Background()); err != nil {
		t.Fatalf("serve on postgres: %v", err)
	}
	defer serve.Close()
	for path, want := range map[string]string{
		"/":                                "Tỉnh Thái Nguyên",
		"/readyz":                          `"postgres"`,
		"/api/v1/procedures?limit=1":       `"total":15`,
		"/thu-tuc?q=dang+ky+ho+kinh+doanh": "Đăng ký thành lập hộ kinh doanh",
	} {
		code, body, _ := get(t, serve.URL()+path)
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want %q in %.200s", path, code, want, body)
		}
	}
	n, err := serve.Store.CountOfficers(context.Background())
	if err != nil || n < 500 {
		t.Fatalf("officers on postgres: %d, %v", n, err)
	}
}

// TestNewerSchemaIsRefusedByTheCLI: a database migrated by a newer binary makes serve exit
// with one sentence and leaves the database as it was.
func TestNewerSchemaIsRefusedByTheCLI(t *testing.T) {
	data := t.TempDir()
	e, _, errb := testEnv()
	if code := run(context.Background(), []string{"migrate", "--data", data}, e); code != 0 {
		t.Fatalf("migrate: %s", errb.String())
	}
	s, err := store.Open(context.Background(), "sqlite:"+filepath.Join(data, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InTx(context.Background(), func(tx *store.Tx) error { return store.ForceSchemaVersionForTest(context.Background(), tx, 999) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	e, _, errb = testEnv()
	code := run(context.Background(), []string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, e)
	if code != 2 || !strings.Contains(errb.String(), "newer") || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

func TestDemoResetStartsOver(t *testing.T) {
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "motcua.db"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "keep.txt"), []byte("not ours"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &config{Data: data}
	if err := resetDemo(c); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "motcua.db")); !os.IsNotExist(err) {
		t.Fatalf("database not removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "keep.txt")); err != nil {
		t.Fatalf("reset removed a file that is not MotCua's: %v", err)
	}
	if err := resetDemo(&config{Data: data, DB: "postgres://x"}); err == nil {
		t.Fatal("reset of a PostgreSQL database was accepted")
	}
}
