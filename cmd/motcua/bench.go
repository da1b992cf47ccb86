package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // pgbench's scratch database is created through pgx

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
)

func init() {
	register("bench", "bench transitions: durable dossier transitions per second vs pgbench | bench index: index query p50/p99 at a million dossiers vs a naive fold", runBench)
}

// benchResult is what `bench transitions` measured.
type benchResult struct {
	Engine      string  `json:"engine"`
	Clients     int     `json:"clients"`
	Seconds     float64 `json:"seconds"`
	Transitions int64   `json:"transitions"`
	PerSecond   float64 `json:"transitions_per_second"`
	PgbenchTPS  float64 `json:"pgbench_tps,omitempty"`
	Ratio       float64 `json:"ratio,omitempty"`
	Target      float64 `json:"target,omitempty"`
}

func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "index" {
		return runBenchIndex(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "transitions" {
		return usageError{msg: "usage: motcua bench transitions [--db URL] [--clients N] [--duration 10s] [--pgbench URL] [--json] | motcua bench index [--dossiers N] [--db URL] [--queries N] [--json]"}
	}
	fs := flag.NewFlagSet("bench transitions", flag.ContinueOnError)
	db := fs.String("db", "", "database to measure: postgres://... (a scratch database is best) or sqlite:PATH; default a new SQLite file in a temporary folder")
	clients := fs.Int("clients", 16, "concurrent clients")
	dur := fs.Duration("duration", 10*time.Second, "how long each measurement runs")
	pgURL := fs.String("pgbench", "", "PostgreSQL server pgbench runs against (default: --db when it is PostgreSQL, else "+defaultPG+")")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the transition run to this file")
	if err := parse(fs, args[1:], e); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		profileTo = f
	}
	if *clients < 1 || *clients > 512 {
		return usageError{msg: "--clients must be between 1 and 512"}
	}
	if *dur < time.Second {
		return usageError{msg: "--duration must be at least 1s"}
	}
	dsn := *db
	if dsn == "" {
		dir, err := os.MkdirTemp("", "motcua-bench-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	res, err := benchTransitions(ctx, e, dsn, *clients, *dur)
	if err != nil {
		return err
	}
	pg := *pgURL
	if pg == "" {
		pg = defaultPG
		if strings.HasPrefix(dsn, "postgres") {
			pg = dsn
		}
	}
	tps, perr := pgbench(ctx, e, pg, *clients, *dur)
	if perr != nil {
		fmt.Fprintf(e.stderr, "pgbench reference not measured: %v\n", perr)
	} else {
		res.PgbenchTPS = tps
		res.Ratio = res.PerSecond / tps
		res.Target = 0.8
		if res.Engine == string(store.SQLite) {
			res.Target = 3
		}
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(res)
	}
	fmt.Fprintf(e.stdout, "engine %s, %d clients, %.0f s: %d durable transitions, %.0f transitions/s\n", res.Engine, res.Clients, res.Seconds, res.Transitions, res.PerSecond)
	if perr == nil {
		fmt.Fprintf(e.stdout, "pgbench TPC-B (same run, %d clients): %.0f tps\nratio: %.2f (target ≥ %.1f)\n", *clients, tps, res.Ratio, res.Target)
	}
	return nil
}

// profileTo receives the CPU profile of the measured run (--cpuprofile).
var profileTo io.Writer

const defaultPG = "postgres://postgres@127.0.0.1:5432/postgres"

// benchTransitions measures commands through the whole engine (authorization, aggregate,
// state + events on the hash chain + rollups + jobs + outbox in one transaction): each client
// re-assigns the current step of its own dossier in a loop. A command counts once the
// transaction committed.
func benchTransitions(ctx context.Context, e *env, dsn string, clients int, dur time.Duration) (benchResult, error) {
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return benchResult{}, storeError(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return benchResult{}, storeError(err)
	}
	a, err := app.New(s, app.Options{Keyring: auth.GenerateKeyring(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return benchResult{}, err
	}
	if _, err := a.Directory(ctx); err != nil || a.ProvinceName(ctx) == "" {
		if _, err := a.ImportUnits(ctx, "bench", seed.Units()); err != nil {
			return benchResult{}, err
		}
		if _, err := a.ImportProcedures(ctx, "bench", seed.Procedures()); err != nil {
			return benchResult{}, err
		}
	}
	fmt.Fprintf(e.stderr, "preparing %d dossiers on %s…\n", clients, s.Engine())
	desk := auth.Principal{Kind: auth.KindOfficer, Subject: "bench.desk", Roles: []auth.RoleAssignment{{Role: auth.RoleDesk, Unit: "xa-tan-cuong"}}}
	leader := auth.Principal{Kind: auth.KindOfficer, Subject: "bench.leader", Roles: []auth.RoleAssignment{{Role: auth.RoleLeader, Unit: "xa-tan-cuong"}}}
	form, _ := json.Marshal(map[string]any{"nguoi_nop_ho_ten": "Trần Thị Bình", "nguoi_nop_so_dinh_danh": "019192004567", "nguoi_nop_dien_thoai": "0987654321",
		"ten_ho_kinh_doanh": "Hộ kinh doanh đo tải", "dia_diem_kinh_doanh": "Xóm 1", "nganh_nghe": "Bán lẻ", "von_kinh_doanh": 1000000})
	ids := make([]string, clients)
	for i := range ids {
		st, err := a.UploadFile(ctx, desk, "gdn.pdf", strings.NewReader("%PDF-1.4\n%bench\n%%EOF\n"))
		if err != nil {
			return benchResult{}, err
		}
		v, _, err := a.Submit(ctx, desk, app.SubmitInput{Procedure: "HKD.01", Channel: "desk", Form: form,
			Documents: []dossier.Document{{Component: "GDN", Name: "gdn.pdf", Hash: st.Hash, Digitized: true}}}, "")
		if err != nil {
			return benchResult{}, err
		}
		for _, action := range []string{"receive", "forward"} {
			if _, err := a.Act(ctx, desk, v.ID, action, nil, nil); err != nil {
				return benchResult{}, fmt.Errorf("prepare %s: %w", action, err)
			}
		}
		ids[i] = v.ID
	}
	fmt.Fprintf(e.stderr, "measuring for %s…\n", dur)
	var n atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	if profileTo != nil {
		if err := pprof.StartCPUProfile(profileTo); err != nil {
			return benchResult{}, err
		}
		defer pprof.StopCPUProfile()
	}
	stop := time.Now().Add(dur)
	began := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; time.Now().Before(stop); k++ {
				body := fmt.Appendf(nil, `{"to":"xa-tan-cuong.specialist-%d"}`, k%7)
				if _, err := a.Act(ctx, leader, ids[i], "assign", body, nil); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began).Seconds()
	if err, ok := firstErr.Load().(error); ok && err != nil {
		return benchResult{}, fmt.Errorf("transition failed: %w", err)
	}
	return benchResult{Engine: string(s.Engine()), Clients: clients, Seconds: elapsed, Transitions: n.Load(), PerSecond: float64(n.Load()) / elapsed}, nil
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \((without initial connection time|excluding connections establishing)\)`)

// pgbench runs PostgreSQL's own TPC-B-like benchmark on a scratch database of the same server
// with the same number of clients and duration, and returns its tps.
func pgbench(ctx context.Context, e *env, server string, clients int, dur time.Duration) (float64, error) {
	bin, err := exec.LookPath("pgbench")
	if err != nil {
		return 0, errors.New("pgbench is not installed (Debian: postgresql-client or postgresql-contrib)")
	}
	u, err := url.Parse(server)
	if err != nil {
		return 0, err
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return 0, err
	}
	defer admin.Close()
	name := fmt.Sprintf("motcua_pgbench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return 0, fmt.Errorf("create scratch database: %w", err)
	}
	defer admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	scratch := *u
	scratch.Path = "/" + name
	fmt.Fprintf(e.stderr, "pgbench: initializing (scale 10)…\n")
	if out, err := exec.CommandContext(ctx, bin, "-i", "-q", "-s", "10", scratch.String()).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("pgbench -i: %v: %s", err, out)
	}
	fmt.Fprintf(e.stderr, "pgbench: %d clients for %s…\n", clients, dur)
	jobs := min(clients, 4)
	out, err := exec.CommandContext(ctx, bin, "-n", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(jobs), "-T", strconv.Itoa(int(dur.Seconds())), scratch.String()).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %v: %s", err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench printed no tps: %s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}
