package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
)

// TestCrashLosesNoAcknowledgedCommand runs the real binary, fires a burst of commands at it
// over HTTP, kills it with SIGKILL in the middle, restarts it on the same data and checks that
// every command the server acknowledged (2xx) is there, and that the audit chain verifies.
func TestCrashLosesNoAcknowledgedCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := filepath.Join(t.TempDir(), "motcua")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := seededFolder(t)
	code, out, _ := runCmd("token", "create", "--user", "xa-tan-cuong.desk", "--data", data)
	if code != 0 {
		t.Fatalf("token: %d", code)
	}
	token := strings.TrimSpace(out)

	start := func() (*exec.Cmd, string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr, "--log-level", "error")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		base := "http://" + addr
		for i := 0; i < 100; i++ {
			if resp, err := http.Get(base + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return cmd, base
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		cmd.Process.Kill()
		t.Fatal("server did not become ready")
		return nil, ""
	}
	cmd, base := start()

	// The burst: each worker files counter dossiers and receives them, remembering every
	// acknowledged (dossier, version).
	var mu sync.Mutex
	acked := map[string]int64{}
	call := func(method, path string, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	form := map[string]any{"nguoi_nop_ho_ten": "Trần Thị Bình", "nguoi_nop_so_dinh_danh": "019192004567", "nguoi_nop_dien_thoai": "0987654321",
		"ten_ho_kinh_doanh": "Hộ kinh doanh thử", "dia_diem_kinh_doanh": "Xóm 1", "nganh_nghe": "Bán lẻ", "von_kinh_doanh": 1000000}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				st, m := call("POST", "/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "desk", "form": form})
				if st != 201 {
					continue
				}
				id := m["id"].(string)
				mu.Lock()
				acked[id] = int64(m["version"].(float64))
				mu.Unlock()
				if st, m := call("POST", "/api/v1/dossiers/"+id+"/actions/reject", map[string]any{"reason": "Thử nghiệm"}); st == 200 {
					mu.Lock()
					acked[id] = int64(m["version"].(float64))
					mu.Unlock()
				}
			}
		}()
	}
	// Kill in the middle of the burst, once a good number of commands were acknowledged.
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 60 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	cancel()
	wg.Wait()
	if len(acked) < 5 {
		t.Fatalf("only %d commands acknowledged before the kill; the test proves little", len(acked))
	}

	s, err := store.Open(context.Background(), "sqlite:"+filepath.Join(data, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for id, v := range acked {
		row, err := s.Dossier(context.Background(), id)
		if err != nil || row.Version < v {
			lost++
			t.Errorf("acknowledged dossier %s version %d: stored %d, %v", id, v, row.Version, err)
		}
	}
	s.Close()
	t.Logf("%d dossiers acknowledged before SIGKILL, %d lost", len(acked), lost)
	if code, out, errOut := runCmd("audit", "verify", "--data", data); code != 0 {
		t.Fatalf("audit verify after the crash: %d %s %s", code, out, errOut)
	}
	// The restarted server serves the same data.
	cmd, base = start()
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	for id := range acked {
		if st, _ := call("GET", "/api/v1/dossiers/"+id, nil); st != 200 {
			t.Fatalf("after restart, GET %s: %d", id, st)
		}
		break
	}
}
