package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// openWithSync opens a SQLite store whose WAL sync is sync.
func openWithSync(t *testing.T, sync func() error) *Store {
	t.Helper()
	s, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.gc.close()
	s.gc = newGroupCommitter(s, sync)
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGroupCommitAcknowledgesAfterSync: InTx returns only after a sync that started after its
// batch committed, and one sync covers every batch committed before it.
func TestGroupCommitAcknowledgesAfterSync(t *testing.T) {
	var syncs atomic.Int64
	gate := make(chan struct{})
	var gated atomic.Bool
	s := openWithSync(t, func() error {
		if gated.Load() {
			<-gate
		}
		syncs.Add(1)
		return nil
	})
	ctx := context.Background()
	gated.Store(true)
	const n = 20
	var done atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := s.SetSetting(ctx, "k"+string(rune('a'+i)), "v", time.Now()); err != nil {
				t.Error(err)
			}
			done.Add(1)
		})
	}
	// The writes commit (a reader sees them) but nobody is told before the sync ends.
	deadline := time.Now().Add(5 * time.Second)
	for {
		var c int
		if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings WHERE key LIKE 'k%'`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if c == n || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	if d := done.Load(); d != 0 {
		t.Fatalf("%d writers were answered before their commit was synced", d)
	}
	gated.Store(false)
	close(gate)
	wg.Wait()
	if got := syncs.Load(); got < 1 || got > n {
		t.Fatalf("%d syncs for %d writes", got, n)
	}
}

// TestGroupCommitSyncFailure: a failed sync fails the writes it covered, and the store then
// refuses to write (what is on disk is unknown).
func TestGroupCommitSyncFailure(t *testing.T) {
	var fail atomic.Bool
	s := openWithSync(t, func() error {
		if fail.Load() {
			return errors.New("disk on fire")
		}
		return nil
	})
	ctx := context.Background()
	if err := s.SetSetting(ctx, "before", "ok", time.Now()); err != nil {
		t.Fatal(err)
	}
	fail.Store(true)
	if err := s.SetSetting(ctx, "during", "x", time.Now()); err == nil {
		t.Fatal("a write whose sync failed was acknowledged")
	}
	fail.Store(false)
	if err := s.SetSetting(ctx, "after", "x", time.Now()); err == nil {
		t.Fatal("the store kept writing after a failed sync")
	}
}

// TestWALSyncerSyncsTheLog: the real syncer finds the WAL file SQLite writes.
func TestWALSyncerSyncsTheLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := &walFile{path: path + "-wal"}
	defer w.close()
	if err := w.sync(); err != nil {
		t.Fatal(err)
	}
	if err := (&walFile{path: filepath.Join(t.TempDir(), "none-wal")}).sync(); err == nil {
		t.Fatal("syncing a missing log succeeded")
	}
}

// TestWALStaysBoundedUnderSteadyWrites: under a steady stream of commits, with no idle moment
// for the checkpointer to catch up, the log still restarts from its beginning: its file stays a
// few checkpoint intervals long instead of growing with everything ever written.
func TestWALStaysBoundedUnderSteadyWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	value := string(make([]byte, 8<<10)) // three pages a write, at least
	// Write three times the bound, so that a log that never restarts would exceed it.
	const writers = 8
	rounds := 12 * walCheckpointPages * 4096 / (writers * len(value))
	var largest atomic.Int64
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			for k := range rounds {
				if err := s.SetSetting(ctx, fmt.Sprintf("w%d", i), value+fmt.Sprint(k), time.Now()); err != nil {
					t.Error(err)
					return
				}
				if k%50 == 0 {
					if st, err := os.Stat(path + "-wal"); err == nil {
						for {
							l := largest.Load()
							if st.Size() <= l || largest.CompareAndSwap(l, st.Size()) {
								break
							}
						}
					}
				}
			}
		})
	}
	wg.Wait()
	written := int64(writers * rounds * len(value))
	// The writer checkpoints past walCheckpointPages; a batch in flight may add to that.
	limit := int64(4 * walCheckpointPages * 4096)
	if l := largest.Load(); l == 0 || l > limit {
		t.Fatalf("the WAL file reached %d bytes (limit %d) for %d bytes written", l, limit, written)
	}
}

// TestBatchOfPreparedChanges: a batch of prepared changes (run on the driver connection
// without savepoints) keeps exactly the writes of the changes that succeeded. A change whose
// first statement fails wrote nothing and only gets its error; a change failing after it wrote
// makes the batch run again with savepoints, and its first write is undone.
func TestBatchOfPreparedChanges(t *testing.T) {
	s := openWithSync(t, func() error { return nil })
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, "CREATE TABLE probe (k TEXT PRIMARY KEY, n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, "INSERT INTO probe (k, n) VALUES ('taken', 0)"); err != nil {
		t.Fatal(err)
	}
	insert := func(k string) statement {
		return statement{q: "INSERT INTO probe (k, n) VALUES (?, ?)", args: []any{k, 1}}
	}
	stale := statement{q: "UPDATE probe SET n = n + 1 WHERE k = ? AND n = ?", args: []any{"taken", 99}, guard: true, stale: "probe moved"}
	req := func(stmts ...statement) *txRequest {
		return &txRequest{ctx: ctx, done: make(chan struct{}), replayable: true,
			fn: func(tx *Tx) error { return tx.runStmts(ctx, stmts) }}
	}
	keys := func() []string {
		rows, err := s.w.QueryContext(ctx, "SELECT k FROM probe ORDER BY k")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			out = append(out, k)
		}
		return out
	}
	cases := []struct {
		name     string
		batch    []*txRequest
		failed   []bool // which requests get an error
		want     []string
		sentinel error // the error of the failed requests, when known
	}{
		{"all succeed", []*txRequest{req(insert("a1")), req(insert("a2"), insert("a3"))},
			[]bool{false, false}, []string{"a1", "a2", "a3", "taken"}, nil},
		{"stale first statement", []*txRequest{req(insert("b1")), req(stale, insert("b2")), req(insert("b3"))},
			[]bool{false, true, false}, []string{"a1", "a2", "a3", "b1", "b3", "taken"}, ErrStale},
		{"failure after a write", []*txRequest{req(insert("c1")), req(insert("c2"), insert("taken")), req(insert("c3"))},
			[]bool{false, true, false}, []string{"a1", "a2", "a3", "b1", "b3", "c1", "c3", "taken"}, ErrConflict},
	}
	for _, c := range cases {
		s.gc.commit(c.batch)
		for i, r := range c.batch {
			if (r.err != nil) != c.failed[i] {
				t.Errorf("%s: request %d: err %v, want failure %v", c.name, i, r.err, c.failed[i])
			}
			if r.err != nil && c.sentinel != nil && !errors.Is(r.err, c.sentinel) {
				t.Errorf("%s: request %d: err %v, want %v", c.name, i, r.err, c.sentinel)
			}
		}
		if got := keys(); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: rows %v, want %v", c.name, got, c.want)
		}
	}
}
