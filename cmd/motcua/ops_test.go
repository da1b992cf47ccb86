package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
)

// seededFolder boots the demo once in a fresh data folder and stops it.
func seededFolder(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	e, _, _ := testEnv()
	m := NewMain(config{Data: data, Addr: "127.0.0.1:0", LogLevel: "error", LogFormat: "text"}, e)
	m.demo = true
	m.beforeServe = func(ctx context.Context, m *Main) error { return seedDemo(ctx, m, e, 5, 10) }
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("demo: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	return data
}

func runCmd(args ...string) (int, string, string) {
	e, out, errb := testEnv()
	code := run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

func TestTokenCreate(t *testing.T) {
	data := seededFolder(t)
	code, out, _ := runCmd("token", "create", "--user", "ttpvhcc.desk", "--data", data)
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), auth.APITokenPrefix) {
		t.Fatalf("token create: %d %q", code, out)
	}
	if code, _, errOut := runCmd("token", "create", "--user", "khong-co", "--data", data); code != 1 || !strings.Contains(errOut, "khong-co") {
		t.Fatalf("unknown user: %d %q", code, errOut)
	}
	if code, _, _ := runCmd("token", "create", "--data", data); code != 2 {
		t.Fatalf("missing --user: %d", code)
	}
	s, err := store.Open(context.Background(), "sqlite:"+filepath.Join(data, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Only the hash is stored.
	tok := strings.TrimSpace(out)
	if user, err := s.APITokenUser(context.Background(), auth.HashToken(tok), nowForTest()); err != nil || user != "ttpvhcc.desk" {
		t.Fatalf("token lookup: %q %v", user, err)
	}
	dump, _ := s.DumpTextForTest(context.Background())
	if strings.Contains(dump, tok) {
		t.Fatal("the raw token is stored")
	}
}

// TestAuditVerify: the demo's chains verify; editing one event row makes `audit verify` exit
// non-zero naming that event.
func TestAuditVerify(t *testing.T) {
	data := seededFolder(t)
	code, out, errOut := runCmd("audit", "verify", "--data", data)
	if code != 0 || !strings.Contains(out, "audit chain OK") {
		t.Fatalf("verify: %d %q %q", code, out, errOut)
	}
	n := regexp.MustCompile(`(\d+) events`).FindStringSubmatch(out)
	if n == nil || n[1] == "0" {
		t.Fatalf("verified nothing: %q", out)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(data, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	var id string
	var seq int64
	{
		row, err := s.QueryIntForTest(ctx, `SELECT COUNT(*) FROM dossier_events WHERE type = 'approved'`)
		if err != nil || row == 0 {
			t.Fatalf("no approved events: %d %v", row, err)
		}
		seq, _ = s.QueryIntForTest(ctx, `SELECT MIN(seq) FROM dossier_events WHERE type = 'approved'`)
		rows, _, err := s.Dossiers(ctx, store.DossierFilter{Scope: auth.DossierScope{All: true}, State: []string{"returned"}, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			evs, _ := s.DossierEvents(ctx, r.ID)
			for _, e := range evs {
				if e.Type == "approved" {
					id, seq = r.ID, e.Seq
				}
			}
		}
	}
	if id == "" {
		t.Fatal("no returned dossier with an approval")
	}
	if err := s.ExecForTest(ctx, `UPDATE dossier_events SET body = REPLACE(body, 'Đồng ý', 'Từ chối') WHERE dossier_id = ? AND seq = ?`, id, seq); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, _ = runCmd("audit", "verify", "--data", data)
	if code != 1 || !strings.Contains(out, "BROKEN") || !strings.Contains(out, id) || !regexp.MustCompile(`event `+strconv.FormatInt(seq, 10)+`\b`).MatchString(out) {
		t.Fatalf("tampered: exit %d, %q (want dossier %s event %d)", code, out, id, seq)
	}
}

func nowForTest() time.Time { return time.Now() }

// TestKeysRotate: rotation adds a primary key, re-encrypts every sealed value with it, and
// everything stays readable; with --drop-old the old key is gone and still nothing is lost.
func TestKeysRotate(t *testing.T) {
	data := seededFolder(t)
	keysFile := filepath.Join(data, "keys.json")
	before, err := os.ReadFile(keysFile)
	if err != nil {
		t.Fatal(err)
	}
	oldKeys, _ := auth.ParseKeyring(before)
	code, out, errOut := runCmd("keys", "rotate", "--data", data, "--drop-old")
	if code != 0 || !strings.Contains(out, "re-encrypted") {
		t.Fatalf("rotate: %d %q %q", code, out, errOut)
	}
	after, _ := os.ReadFile(keysFile)
	newKeys, err := auth.ParseKeyring(after)
	if err != nil {
		t.Fatal(err)
	}
	if newKeys.Primary() == oldKeys.Primary() || len(newKeys.KeyIDs()) != 1 {
		t.Fatalf("keyring after rotation: primary %d (was %d), keys %v", newKeys.Primary(), oldKeys.Primary(), newKeys.KeyIDs())
	}
	if fi, _ := os.Stat(keysFile); fi.Mode().Perm() != 0o600 {
		t.Errorf("keyring mode %v", fi.Mode().Perm())
	}
	// Every sealed value opens with the new keyring alone.
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(data, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opened := 0
	_, err = s.ResealAll(ctx, func(sealed string) (string, bool, error) {
		for _, p := range []string{auth.PurposePersonalID, auth.PurposePhone, auth.PurposeTOTPSecret, "email", "form"} {
			if _, err := newKeys.Open(p, sealed); err == nil {
				opened++
				return sealed, false, nil
			}
		}
		t.Errorf("a value does not open with the rotated keyring")
		return sealed, false, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if opened == 0 {
		t.Fatal("no sealed values found")
	}
	if code, _, _ := runCmd("keys", "--data", data); code != 2 {
		t.Fatalf("keys without rotate: %d", code)
	}
}
