package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDialect: one writer connection (BEGIN IMMEDIATE, so writers queue instead of failing
// on lock upgrades) plus a pool of query-only readers, all in WAL mode. busy_timeout is set
// before journal_mode so that opening next to a busy writer waits instead of failing.
type sqliteDialect struct{}

func (sqliteDialect) engine() Engine         { return SQLite }
func (sqliteDialect) placeholder(int) string { return "?" }

func (sqliteDialect) isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error { return nil }

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "synchronous(FULL)")
	} else {
		// NORMAL: a commit writes the WAL without waiting for the disk; the group committer
		// then syncs the WAL file itself, off the writer's path, and acknowledges a commit
		// only after that sync (see groupCommitter). Checkpoints still sync as usual.
		q.Add("_pragma", "synchronous(NORMAL)")
		// Checkpoints (copying the WAL back into the database file, with two syncs) mostly
		// run on a checkpointer connection while the writer goes on (see startCheckpointer).
		// But the log only restarts from its beginning when a checkpoint has caught up with
		// its end, which one running beside a busy writer never does: under a steady stream
		// of commits the WAL grew by 150 MB a second, and every sync then had to allocate
		// new blocks. So the writer also checkpoints once the log passes walCheckpointPages,
		// between two of its own commits, where there is only the remainder to copy; and
		// a log that grew past walSizeLimit is truncated back when it restarts.
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walCheckpointPages))
		q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walSizeLimit))
	}
	// Group commit runs every transaction function in a savepoint; SQLite copies each page a
	// savepoint modifies to a sub-journal, a temporary file unless temporary storage is in
	// memory. It only serves rollbacks of the live transaction, never crash recovery.
	q.Add("_pragma", "temp_store(MEMORY)")
	// A page cache of 64 MiB per connection (the default is 2 MiB): a batch of commands or of
	// simulated dossiers touches pages all over the dossier and event indexes, and pages that
	// stay cached are neither read again nor spilled to the log before the commit.
	q.Add("_pragma", "cache_size(-65536)")
	q.Set("_time_format", "sqlite")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, &ConfigError{Msg: "sqlite: no file path given (use --db sqlite:PATH)"}
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &ConfigError{Msg: fmt.Sprintf("the folder %s for the SQLite database does not exist", dir)}
	}
	if !st.IsDir() {
		return nil, &ConfigError{Msg: fmt.Sprintf("%s is not a folder", dir)}
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		w.Close()
		return nil, &ConfigError{Msg: fmt.Sprintf("cannot open the SQLite database %s: %v", path, err)}
	}
	// A write probe: an unwritable file or folder fails here, before anything else runs.
	if _, err := w.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"); err != nil {
		w.Close()
		return nil, &ConfigError{Msg: fmt.Sprintf("cannot write to the SQLite database %s: %v", path, err)}
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	ck, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open sqlite checkpointer: %w", err)
	}
	ck.SetMaxOpenConns(1)
	sq := &Store{engine: SQLite, w: w, r: r, d: sqliteDialect{}, dsn: "sqlite:" + path, rebound: map[string]string{}}
	wal := &walFile{path: path + "-wal"}
	sq.gc = newGroupCommitter(sq, wal.sync)
	sq.gc.wal = wal
	sq.gc.startCheckpointer(ck)
	return sq, nil
}

// walCheckpointPages is the size of the log (in pages of 4 KiB, 16 MiB) beyond which the writer
// checkpoints after a commit, and walSizeLimit the size in bytes to which a larger log file is
// truncated when the log restarts. SQLite's default of 1,000 pages made the writer checkpoint
// after nearly every batch of a simulation (a batch writes several MiB): 22% of its time went
// to copying pages back, most of them the same index and rollup pages again. At 4,000 pages
// `motcua simulate` writes 15% more dossiers a second (2,451 and 2,702 against 2,088 and
// 2,320, runs alternated) and `bench transitions` does not move.
const (
	walCheckpointPages = 4000
	walSizeLimit       = 64 << 20
)

// maxBatch bounds how many InTx functions share one SQLite transaction. Larger batches amortize
// the fsync further but make every caller in the batch wait for the slowest function.
const maxBatch = 128

// groupCommitter makes SQLite writes durable without paying one fsync per transaction. SQLite
// has one writer at a time, and a COMMIT that waits for the disk (synchronous=FULL) keeps it
// idle meanwhile; so instead of queueing on the connection, concurrent InTx callers queue on a
// channel, and a single writer goroutine takes every waiting call (up to maxBatch), runs each
// function in its own SAVEPOINT of one BEGIN IMMEDIATE transaction, and commits once. A
// function's error rolls back to its savepoint (its writes disappear, the others' stay); if the
// COMMIT fails every function of the batch gets the error. The result is exactly the serial
// execution of the functions, in batch order.
//
// The disk wait is pipelined: the COMMIT only writes the WAL (synchronous=NORMAL), and the
// committed batch goes to a second goroutine that syncs the WAL file and only then tells the
// batch's callers "done", while the writer already runs the next batch. One sync covers every
// batch committed before it started, and the WAL is written in commit order, so a command is
// acknowledged only when it and everything it was decided on are on disk. What a reader may
// see a fraction of a millisecond before it is on disk was acknowledged to nobody. If a sync
// fails, the batches it covered get the error and the store refuses further writes (the state
// of the file is then unknown; PostgreSQL stops for the same reason).
//
// The functions run on the writer goroutine. A function calling InTx again would wait for
// itself, so that is detected (by goroutine identity) and refused with ErrNestedTx.
type groupCommitter struct {
	s       *Store
	stmts   stmtCache
	reqs    chan *txRequest // unbuffered: the waiting callers are the blocked senders
	quit    chan struct{}
	stopped chan struct{} // closed when the writer and the syncer have ended
	writer  atomic.Uint64 // the writer goroutine's id
	once    sync.Once

	committed chan []*txRequest // committed batches waiting for the sync
	sync      func() error      // makes the committed WAL durable
	broken    atomic.Pointer[error]

	commits     chan struct{} // a commit happened (buffered 1): the checkpointer may run
	checkpoints sync.WaitGroup
	ck          *sql.DB
	wal         *walFile // closed with the committer (nil in tests that sync otherwise)

	raw rawConn // the writer connection's own statements for prepared changes
}

// checkpointEvery is the least time between two checkpoints: each one syncs the log and the
// database file, so under a stream of commits they are spaced out.
const checkpointEvery = 50 * time.Millisecond

// startCheckpointer starts the goroutine that checkpoints the WAL on its own connection after
// commits, at most every checkpointEvery. A PASSIVE checkpoint copies what no reader still
// needs and never blocks the writer or the readers; the writer restarts the log from its
// beginning once everything in it was copied. Close checkpoints fully and truncates the log.
func (g *groupCommitter) startCheckpointer(ck *sql.DB) {
	g.ck = ck
	g.checkpoints.Go(func() {
		last := time.Time{}
		for {
			select {
			case <-g.quit:
				return
			case <-g.commits:
			}
			if wait := checkpointEvery - time.Since(last); wait > 0 {
				select {
				case <-g.quit:
					return
				case <-time.After(wait):
				}
			}
			last = time.Now()
			_, _ = ck.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		}
	})
}

// txRequest is one InTx call waiting for (or in) a batch.
type txRequest struct {
	ctx      context.Context
	fn       func(*Tx) error
	err      error
	panicked any           // fn's panic, re-raised in the caller's goroutine
	done     chan struct{} // closed when err is final

	replayable bool // fn may run again with the same effect (see commitWithoutSavepoints)
}

// wroteNothing marks an error of a function that failed before writing anything: the guarded
// update of a stale change matched no row, or its first statement failed (SQLite undoes a
// failed statement and keeps the transaction).
type wroteNothing struct{ err error }

func (e *wroteNothing) Error() string { return e.err.Error() }
func (e *wroteNothing) Unwrap() error { return e.err }

// errClosed is returned to InTx callers after Close.
var errClosed = errors.New("store: closed")

// errPanicked marks a function that panicked; its caller panics again with the value.
var errPanicked = errors.New("store: transaction function panicked")

// committedBacklog bounds the batches waiting for a sync; the writer waits beyond it.
const committedBacklog = 64

func newGroupCommitter(s *Store, sync func() error) *groupCommitter {
	g := &groupCommitter{s: s, reqs: make(chan *txRequest), quit: make(chan struct{}), stopped: make(chan struct{}),
		stmts:     stmtCache{ready: map[string]*sql.Stmt{}, wanted: map[string]bool{}},
		committed: make(chan []*txRequest, committedBacklog), sync: sync, commits: make(chan struct{}, 1)}
	started := make(chan struct{})
	go g.loop(started)
	go g.syncer()
	<-started
	return g
}

// walFile makes the WAL file at path durable. The file is opened on first use (SQLite creates
// it with the first write) and kept open until the store closes: fsync on any descriptor of a
// file flushes the file.
type walFile struct {
	path string
	f    *os.File
}

func (w *walFile) sync() error {
	if w.f == nil {
		f, err := os.OpenFile(w.path, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("open the write-ahead log: %w", err)
		}
		w.f = f
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("sync the write-ahead log: %w", err)
	}
	return nil
}

func (w *walFile) close() {
	if w.f != nil {
		_ = w.f.Close()
	}
}

// syncer acknowledges committed batches once a sync of the WAL has covered them: it takes every
// batch waiting, syncs once, and answers all of them. It ends after the writer, with the last
// batch answered.
func (g *groupCommitter) syncer() {
	defer close(g.stopped)
	var batches [][]*txRequest
	for b := range g.committed {
		batches = append(batches[:0], b)
	drain:
		for {
			select {
			case b, ok := <-g.committed:
				if !ok {
					break drain
				}
				batches = append(batches, b)
			default:
				break drain
			}
		}
		var err error
		if g.broken.Load() == nil {
			if err = g.sync(); err != nil {
				err = fmt.Errorf("store: committed changes may not be on disk: %w", err)
				g.broken.Store(&err)
			}
		} else {
			err = *g.broken.Load()
		}
		for _, b := range batches {
			for _, r := range b {
				if err != nil && r.err == nil {
					r.err = err
				}
				close(r.done)
			}
		}
	}
}

// run is InTx on SQLite.
func (g *groupCommitter) run(ctx context.Context, fn func(*Tx) error) error {
	return g.submit(ctx, fn, false)
}

// submit queues fn for the writer. A replayable fn only runs statements computed before it
// was queued, so running it again gives the same writes (see commitWithoutSavepoints).
func (g *groupCommitter) submit(ctx context.Context, fn func(*Tx) error, replayable bool) error {
	if err := g.broken.Load(); err != nil {
		return *err
	}
	r := &txRequest{ctx: ctx, fn: fn, done: make(chan struct{}), replayable: replayable}
	select {
	case g.reqs <- r: // the writer was waiting for work, so this is not the writer
	default:
		if err := g.send(ctx, r); err != nil {
			return err
		}
	}
	// Once taken, the request is always answered: fn may be running with the shared transaction.
	<-r.done
	if r.panicked != nil {
		panic(r.panicked)
	}
	return r.err
}

// nestedCheckAfter is how long a request waits for the writer before its sender checks that it
// is not the writer itself (see send).
const nestedCheckAfter = 20 * time.Millisecond

// send waits until the writer takes r. A function running on the writer that calls InTx would
// wait here forever, so a sender still waiting after nestedCheckAfter checks whether it is the
// writer goroutine, and then fails with ErrNestedTx. The check reads a stack trace, which costs
// about a tenth of a whole state change, hence only after that wait and not on every call.
func (g *groupCommitter) send(ctx context.Context, r *txRequest) error {
	t := time.NewTimer(nestedCheckAfter)
	defer t.Stop()
	for {
		select {
		case g.reqs <- r:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-g.quit:
			return errClosed
		case <-t.C:
			if goroutineID() == g.writer.Load() {
				return ErrNestedTx
			}
		}
	}
}

// close stops the writer after the batch in progress (later InTx calls fail), then checkpoints
// the whole log into the database file and truncates it.
func (g *groupCommitter) close() {
	g.once.Do(func() {
		close(g.quit)
		<-g.stopped
		if g.raw.dc != nil {
			// The statements belong to the writer connection: close them while it is open.
			if conn, err := g.s.w.Conn(context.Background()); err == nil {
				_ = conn.Raw(func(dc any) error {
					if dc == g.raw.dc {
						g.raw.close()
					}
					return nil
				})
				_ = conn.Close()
			}
		}
		g.checkpoints.Wait()
		if g.ck != nil {
			_, _ = g.ck.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
			_ = g.ck.Close()
		}
		if g.wal != nil {
			g.wal.close()
		}
	})
	<-g.stopped
}

func (g *groupCommitter) loop(started chan<- struct{}) {
	defer close(g.committed)
	g.writer.Store(goroutineID())
	close(started)
	batch := make([]*txRequest, 0, maxBatch)
	for {
		select {
		case <-g.quit:
			return
		case r := <-g.reqs:
			batch = append(batch[:0], r)
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		g.commit(batch)
		g.committed <- slices.Clone(batch) // answered by the syncer
		// The send made the syncer runnable on this goroutine's P, where it would wait
		// until the writer blocks, that is after the next batch: give it the P now, so the
		// sync covering this batch starts at once (the syncer soon blocks in the system call
		// and the writer goes on). On two cores this halved the wait for the sync and
		// doubled the batches in bench transitions (16 clients: 4,800 to 6,000 a second).
		runtime.Gosched()
		select {
		case g.commits <- struct{}{}:
		default:
		}
		clear(batch)
		// Between batches the connection is free: prepare the statements the batch asked for.
		g.stmts.prepareWanted(g.s.w)
	}
}

// maxPrepared bounds the statement cache; statements with generated IN lists vary, and those
// past the bound are simply parsed each time.
const maxPrepared = 256

// stmtCache keeps the writer's statements prepared. Parsing SQL is about a quarter of the CPU
// time of a typical state change on SQLite (modernc has no statement cache of its own; pgx has
// one for PostgreSQL). A statement cannot be prepared on the single writer connection while a
// batch holds it, so the first use of a query parses it and asks for it; the writer prepares
// the asked-for queries between batches; later transactions use the prepared statement
// (Tx.StmtContext reuses it on the same connection).
type stmtCache struct {
	mu     sync.Mutex
	ready  map[string]*sql.Stmt
	wanted map[string]bool // true: preparing failed, do not try again
}

// get returns the prepared statement of q, or nil after noting that q is wanted.
func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.ready[q]; ok {
		return st
	}
	if _, ok := c.wanted[q]; !ok && len(c.ready)+len(c.wanted) < maxPrepared {
		c.wanted[q] = false
	}
	return nil
}

// prepareWanted prepares the wanted statements; it runs on the writer between batches.
func (c *stmtCache) prepareWanted(db *sql.DB) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, failed := range c.wanted {
		if failed {
			continue
		}
		st, err := db.PrepareContext(context.Background(), q)
		if err != nil {
			c.wanted[q] = true
			continue
		}
		c.ready[q] = st
		delete(c.wanted, q)
	}
}

// commit runs the batch in one transaction and sets every request's err. Requests that had not
// run when the transaction was lost are retried in a new one.
func (g *groupCommitter) commit(batch []*txRequest) {
	if g.commitWithoutSavepoints(batch) {
		return
	}
	g.commitWithSavepoints(batch)
}

// commitWithoutSavepoints runs a batch of replayable functions (prepared dossier changes) in one
// transaction without a savepoint each: a savepoint costs two statements and a copy of every
// page the function changes. A function that fails without having written anything just gets
// its error; any other failure rolls the transaction back and returns false, and the batch
// runs again with savepoints (replayable functions give the same writes the second time).
//
// These batches run on the driver connection itself, not through database/sql, whose
// bookkeeping for every statement (a statement wrapper per transaction, locks, dependency
// tracking, the arguments checked and converted) cost the writer more than SQLite's own work
// on some of them: in bench transitions the statements of one command took the writer 24 µs
// through database/sql and 19 µs directly (CPU profiles, 16 clients, 10 s each).
func (g *groupCommitter) commitWithoutSavepoints(batch []*txRequest) bool {
	for _, r := range batch {
		if !r.replayable {
			return false
		}
	}
	ctx := context.Background()
	conn, err := g.s.w.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	done := false
	_ = conn.Raw(func(dc any) error {
		if g.raw.use(dc) {
			done = g.commitRaw(batch)
		}
		return nil
	})
	return done
}

// commitRaw is commitWithoutSavepoints on the driver connection in g.raw.
func (g *groupCommitter) commitRaw(batch []*txRequest) bool {
	if _, err := g.raw.run("BEGIN IMMEDIATE"); err != nil {
		return false
	}
	committed := 0
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		err := call(r, &Tx{s: g.s, raw: &g.raw})
		var clean *wroteNothing
		switch {
		case err == nil:
			committed++
		case errors.As(err, &clean):
			r.err = err
		default:
			_, _ = g.raw.run("ROLLBACK")
			for _, r := range batch {
				r.err, r.panicked = nil, nil
			}
			return false
		}
	}
	if committed == 0 {
		_, _ = g.raw.run("ROLLBACK")
		return true
	}
	if _, err := g.raw.run("COMMIT"); err != nil {
		// A COMMIT that failed may leave the transaction open (SQLITE_BUSY): end it.
		_, _ = g.raw.run("ROLLBACK")
		err = g.s.translate(fmt.Errorf("commit: %w", err))
		for _, r := range batch {
			if r.err == nil {
				r.err = err
			}
		}
	}
	return true
}

// rawConn runs statements on the writer's driver connection, each prepared once and kept
// (up to maxPrepared). It is used only by the writer goroutine, inside database/sql's Conn.Raw.
type rawConn struct {
	dc    any // the driver connection the statements belong to
	ex    driver.ExecerContext
	prep  driver.ConnPrepareContext
	stmts map[string]driver.StmtExecContext
}

// use makes dc the connection; the statements of an earlier one are forgotten (that connection
// was closed, and its statements with it). False when dc cannot run statements directly.
func (c *rawConn) use(dc any) bool {
	if c.dc == dc {
		return true
	}
	ex, ok1 := dc.(driver.ExecerContext)
	pc, ok2 := dc.(driver.ConnPrepareContext)
	if !ok1 || !ok2 {
		return false
	}
	*c = rawConn{dc: dc, ex: ex, prep: pc, stmts: map[string]driver.StmtExecContext{}}
	return true
}

// run runs a statement without arguments (BEGIN, COMMIT, ROLLBACK).
func (c *rawConn) run(q string) (driver.Result, error) {
	return c.ex.ExecContext(context.Background(), q, nil)
}

// exec runs q with args, converted as database/sql would convert them.
func (c *rawConn) exec(q string, args []any) (driver.Result, error) {
	ctx := context.Background()
	st := c.stmts[q]
	if st == nil {
		ds, err := c.prep.PrepareContext(ctx, q)
		if err != nil {
			return nil, err
		}
		se, ok := ds.(driver.StmtExecContext)
		if !ok {
			_ = ds.Close()
			return nil, fmt.Errorf("store: the SQLite driver's statement %T cannot execute", ds)
		}
		if len(c.stmts) < maxPrepared {
			c.stmts[q] = se
		} else {
			defer ds.Close()
		}
		st = se
	}
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return nil, fmt.Errorf("store: argument %d of %q: %w", i+1, q, err)
		}
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return st.ExecContext(ctx, nv)
}

// close closes the kept statements; the writer has ended.
func (c *rawConn) close() {
	for _, st := range c.stmts {
		if s, ok := st.(driver.Stmt); ok {
			_ = s.Close()
		}
	}
	*c = rawConn{}
}

// commitWithSavepoints runs the batch with a savepoint per function.
func (g *groupCommitter) commitWithSavepoints(batch []*txRequest) {
	ctx := context.Background() // no single caller may cancel the shared transaction
	sqlTx, err := g.s.w.BeginTx(ctx, nil)
	if err != nil {
		for _, r := range batch {
			r.err = fmt.Errorf("begin: %w", err)
		}
		return
	}
	// lost fails the requests that ran successfully in the aborted transaction.
	lost := func(ran []*txRequest, cause error) {
		_ = sqlTx.Rollback()
		for _, r := range ran {
			if r.err == nil {
				r.err = fmt.Errorf("store: transaction lost with its batch: %w", cause)
			}
		}
	}
	committed := 0
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		if _, err := g.exec(ctx, sqlTx, "SAVEPOINT fn"); err != nil {
			lost(batch[:i], err)
			g.commitWithSavepoints(batch[i:])
			return
		}
		if err := call(r, &Tx{s: g.s, tx: sqlTx}); err != nil {
			r.err = err
			// ROLLBACK TO fails when SQLite already rolled the whole transaction back (an
			// interrupted statement, a full disk): then the batch so far is lost.
			_, rerr := g.exec(ctx, sqlTx, "ROLLBACK TO fn")
			if rerr == nil {
				_, rerr = g.exec(ctx, sqlTx, "RELEASE fn")
			}
			if rerr != nil {
				lost(batch[:i], rerr)
				g.commitWithSavepoints(batch[i+1:])
				return
			}
			continue
		}
		if _, err := g.exec(ctx, sqlTx, "RELEASE fn"); err != nil {
			lost(batch[:i+1], err)
			g.commitWithSavepoints(batch[i+1:])
			return
		}
		committed++
	}
	if committed == 0 {
		_ = sqlTx.Rollback()
		return
	}
	if err := sqlTx.Commit(); err != nil {
		err = g.s.translate(fmt.Errorf("commit: %w", err))
		for _, r := range batch {
			if r.err == nil {
				r.err = err
			}
		}
	}
}

// exec runs a statement of the batch's own (savepoints), prepared when possible.
func (g *groupCommitter) exec(ctx context.Context, sqlTx *sql.Tx, q string) (sql.Result, error) {
	if st := g.stmts.get(q); st != nil {
		return sqlTx.StmtContext(ctx, st).ExecContext(ctx)
	}
	return sqlTx.ExecContext(ctx, q)
}

// call runs fn, turning a panic into errPanicked so the writer survives it.
func call(r *txRequest, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panicked = fmt.Sprintf("store: panic in a transaction function: %v\n%s", p, debug.Stack())
			err = errPanicked
		}
	}()
	return r.fn(tx)
}

// goroutineID returns the current goroutine's id, read from the first line of its stack trace
// ("goroutine 42 [running]:"). It is used only to refuse nested InTx calls on the writer.
func goroutineID() uint64 {
	var buf [40]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	var id uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}
