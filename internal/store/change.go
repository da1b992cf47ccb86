package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/motcua/motcua/internal/audit"
	"github.com/motcua/motcua/internal/index"
)

// DossierChange is everything one command writes, prepared by the caller outside any
// transaction: the dossier's new row, its events already linked into the hash chain, the
// index rollup deltas, the jobs and the outbox messages. Applying it only writes, so the
// transaction is as short as the engine allows: on SQLite a handful of statements of the
// group-committed writer, on PostgreSQL one round trip (see Store.Apply).
//
// A change is also how the simulator writes a dossier's whole history at once: Prev nil and
// the events of every command, chained from audit.Genesis.
type DossierChange struct {
	// Row is the dossier's new state. Row.Version is the last event's Seq and Row.LastHash its
	// Hash.
	Row DossierRow
	// Prev is the stored row the change was decided on, nil for a new dossier. The write
	// happens only if the dossier is still at Prev.Version (else ErrStale, also when it does
	// not exist, and nothing is written); the side tables are updated by the difference between Prev's lists and Row's.
	Prev *DossierRow
	// Events continue the chain: numbered from Prev.Version+1 (1 for a new dossier), the first
	// linked to Prev.LastHash (audit.Genesis for a new dossier), each to the one before. The
	// caller computes the hashes (audit.Link over audit.CanonicalJSON of Body).
	Events  []NewEvent
	Rollups []index.Change
	// CancelJobKinds, when not empty, cancels the dossier's unfinished jobs of these kinds
	// before Jobs are scheduled (a dossier whose deadlines moved).
	CancelJobKinds []string
	Jobs           []Job
	// Outbox messages of Topic, keyed by the dossier's id, in order.
	Topic  string
	Outbox []OutboxItem
}

// check validates the change's shape: a chain that does not continue Prev's is a programming
// error, refused before anything is written.
func (c *DossierChange) check() error {
	r := &c.Row
	if r.ID == "" {
		return errors.New("dossier change without a dossier id")
	}
	if len(r.Snapshot) == 0 {
		return fmt.Errorf("dossier change %s without a snapshot", r.ID)
	}
	if len(c.Events) == 0 {
		return fmt.Errorf("dossier change %s without events", r.ID)
	}
	seq, hash := int64(0), audit.Genesis
	if c.Prev != nil {
		if c.Prev.ID != r.ID {
			return fmt.Errorf("dossier change %s decided on dossier %s", r.ID, c.Prev.ID)
		}
		seq, hash = c.Prev.Version, c.Prev.LastHash
		if seq > 0 && hash == "" {
			return fmt.Errorf("dossier change %s: the stored row has no last hash", r.ID)
		}
		if seq == 0 {
			hash = audit.Genesis
		}
	}
	for _, e := range c.Events {
		if e.Seq != seq+1 || e.PrevHash != hash || e.Hash == "" {
			return fmt.Errorf("dossier change %s: event %d does not continue the chain at %d", r.ID, e.Seq, seq)
		}
		// The verifier checks that the columns repeat the body; so does the writer.
		if err := checkHeader(e.Body, e.Seq, e.Type, e.At); err != nil {
			return fmt.Errorf("dossier change %s: event %d: %w", r.ID, e.Seq, err)
		}
		seq, hash = e.Seq, e.Hash
	}
	if r.Version != seq || r.LastHash != hash {
		return fmt.Errorf("dossier change %s: version %d and last hash do not match the last event %d", r.ID, r.Version, seq)
	}
	if len(c.Outbox) > 0 && c.Topic == "" {
		return fmt.Errorf("dossier change %s: outbox messages without a topic", r.ID)
	}
	return nil
}

// statement is one prepared statement. A guard (a conditional update) must change exactly one
// row, or what it guards is stale; stale then says what.
type statement struct {
	q     string
	args  []any
	guard bool
	stale string
}

// dossierColumnNames are the columns of dossierValues, in its order.
var dossierColumnNames = []string{"code", "state", "version", "procedure_code", "procedure_version", "authority", "receiving_unit", "channel",
	"applicant_id_hash", "org_code", "applicant_name", "search_text", "step_units", "assignees",
	"submitted_at", "received_at", "due_at", "finished_at", "updated_at", "snapshot", "last_hash", "leader_unit"}

// changedColumns returns the SET list and values of the columns whose values differ between
// prev and r (version and last hash always do).
func changedColumns(r, prev *DossierRow) (string, []any) {
	var set strings.Builder
	var args []any
	col := func(name string, v any) {
		if len(args) > 0 {
			set.WriteString(", ")
		}
		set.WriteString(name + " = ?")
		args = append(args, v)
	}
	str := func(name, v, old string) {
		if v != old {
			col(name, v)
		}
	}
	tm := func(name string, v, old time.Time) {
		if !v.Equal(old) {
			col(name, nullableTime(v))
		}
	}
	if r.Code != prev.Code {
		col("code", nullString(r.Code))
	}
	if r.LeaderUnit != prev.LeaderUnit {
		col("leader_unit", nullString(r.LeaderUnit))
	}
	str("state", r.State, prev.State)
	col("version", r.Version)
	str("procedure_code", r.Procedure, prev.Procedure)
	if r.ProcedureVersion != prev.ProcedureVersion {
		col("procedure_version", r.ProcedureVersion)
	}
	str("authority", r.Authority, prev.Authority)
	str("receiving_unit", r.ReceivingUnit, prev.ReceivingUnit)
	str("channel", r.Channel, prev.Channel)
	str("applicant_id_hash", r.ApplicantIDHash, prev.ApplicantIDHash)
	str("org_code", r.OrgCode, prev.OrgCode)
	if r.ApplicantName != prev.ApplicantName || r.Procedure != prev.Procedure {
		col("applicant_name", r.ApplicantName)
		col("search_text", searchText(*r))
	}
	if !slices.Equal(r.StepUnits, prev.StepUnits) {
		col("step_units", jsonList(r.StepUnits))
	}
	if !slices.Equal(r.Assignees, prev.Assignees) {
		col("assignees", jsonList(r.Assignees))
	}
	tm("submitted_at", r.SubmittedAt, prev.SubmittedAt)
	tm("received_at", r.ReceivedAt, prev.ReceivedAt)
	tm("due_at", r.DueAt, prev.DueAt)
	tm("finished_at", r.FinishedAt, prev.FinishedAt)
	tm("updated_at", r.UpdatedAt, prev.UpdatedAt)
	if string(r.Snapshot) != string(prev.Snapshot) {
		col("snapshot", string(r.Snapshot))
	}
	col("last_hash", r.LastHash)
	return set.String(), args
}

// compile turns the change into statements, in the order that keeps row locks ordered on
// PostgreSQL (the dossier first, rollups sorted by key).
func compile(c *DossierChange) ([]statement, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	r := &c.Row
	var out []statement
	var oldUnits, oldAssignees []string
	if c.Prev == nil {
		vals, err := dossierValues(*r)
		if err != nil {
			return nil, err
		}
		out = append(out, statement{q: `INSERT INTO dossiers (` + strings.Join(dossierColumnNames, ", ") + `, id) VALUES (` + placeholders(len(vals)+1) + `)`,
			args: append(vals, r.ID)})
	} else {
		// Only the columns that changed: fewer index entries to rewrite (an assignment changes
		// neither the state nor the due time).
		set, args := changedColumns(r, c.Prev)
		out = append(out, statement{q: `UPDATE dossiers SET ` + set + ` WHERE id = ? AND version = ?`,
			args: append(args, r.ID, c.Prev.Version), guard: true, stale: fmt.Sprintf("dossier %s is not at version %d any more", r.ID, c.Prev.Version)})
		oldUnits, oldAssignees = c.Prev.StepUnits, c.Prev.Assignees
	}
	out = appendSetDiff(out, "dossier_units", "unit", r.ID, oldUnits, r.StepUnits)
	out = appendSetDiff(out, "dossier_assignees", "assignee", r.ID, oldAssignees, r.Assignees)

	for start := 0; start < len(c.Events); start += eventsPerStatement {
		chunk := c.Events[start:min(start+eventsPerStatement, len(c.Events))]
		args := make([]any, 0, 9*len(chunk))
		for _, e := range chunk {
			args = append(args, r.ID, e.Seq, e.Type, e.At.UTC(), e.Actor, e.Unit, string(e.Body), e.Hash, e.PrevHash)
		}
		out = append(out, statement{q: `INSERT INTO dossier_events (dossier_id, seq, type, at, actor, unit, body, hash, prev_hash) VALUES ` +
			repeatJoin("(?, ?, ?, ?, ?, ?, ?, ?, ?)", len(chunk)), args: args})
	}

	out, err := appendRollups(out, c.Rollups)
	if err != nil {
		return nil, fmt.Errorf("dossier change %s: %w", r.ID, err)
	}

	if len(c.CancelJobKinds) > 0 {
		out = append(out, statement{q: `DELETE FROM jobs WHERE dossier_id = ? AND done_at IS NULL AND kind IN (` + placeholders(len(c.CancelJobKinds)) + `)`,
			args: appendStrings([]any{r.ID}, c.CancelJobKinds)})
	}
	if len(c.Jobs) > 0 {
		args := make([]any, 0, 5*len(c.Jobs))
		for _, j := range c.Jobs {
			if j.Kind == "" || j.RunAt.IsZero() {
				return nil, fmt.Errorf("dossier change %s: a job needs a kind and a run time", r.ID)
			}
			if j.Payload == nil {
				j.Payload = []byte{}
			}
			args = append(args, j.Kind, r.ID, j.RunAt, j.RunAt, j.Payload)
		}
		out = append(out, statement{q: `INSERT INTO jobs (kind, dossier_id, run_at, next_at, payload) VALUES ` + repeatJoin("(?, ?, ?, ?, ?)", len(c.Jobs)) +
			` ON CONFLICT (dossier_id, kind, run_at) DO NOTHING`, args: args})
	}
	if len(c.Outbox) > 0 {
		args := make([]any, 0, 5*len(c.Outbox))
		for _, it := range c.Outbox {
			payload := it.Payload
			if payload == nil {
				payload = []byte{}
			}
			args = append(args, c.Topic, r.ID, payload, it.At, it.At)
		}
		out = append(out, statement{q: `INSERT INTO outbox (topic, key, payload, created_at, next_at) VALUES ` + repeatJoin("(?, ?, ?, ?, ?)", len(c.Outbox)), args: args})
	}
	return out, nil
}

// appendRollups appends the upserts of rollup changes (see ApplyRollup).
func appendRollups(out []statement, changes []index.Change) ([]statement, error) {
	if len(changes) == 0 {
		return out, nil
	}
	days, months, years, unitYears, err := mergeChanges(changes)
	if err != nil {
		return nil, err
	}
	for _, part := range []struct {
		table string
		rows  []rollupRow
	}{{tableDays, days}, {tableMonths, months}, {tableYears, years}, {tableUnitYears, unitYears}} {
		for rows := part.rows; len(rows) > 0; {
			n := min(len(rows), applyBatch)
			args := make([]any, 0, n*rollupArgs)
			for i := range rows[:n] {
				args = rows[i].appendArgs(args, part.table)
			}
			out = append(out, statement{q: rollupInsertSQL(part.table, n, true), args: args})
			rows = rows[n:]
		}
	}
	return out, nil
}

// eventsPerStatement bounds the rows of one event INSERT (9 values each).
const eventsPerStatement = 50

// appendSetDiff appends the statements that turn a dossier's rows of a side table from old to
// new: a value replaced by another is one UPDATE, the rest deletes and one insert.
func appendSetDiff(out []statement, table, column, id string, old, new []string) []statement {
	old = slices.Compact(slices.Sorted(slices.Values(old)))
	new = slices.Compact(slices.Sorted(slices.Values(new)))
	var gone, added []string
	for _, v := range old {
		if _, found := slices.BinarySearch(new, v); !found {
			gone = append(gone, v)
		}
	}
	for _, v := range new {
		if _, found := slices.BinarySearch(old, v); !found {
			added = append(added, v)
		}
	}
	for len(gone) > 0 && len(added) > 0 {
		out = append(out, statement{q: `UPDATE ` + table + ` SET ` + column + ` = ? WHERE dossier_id = ? AND ` + column + ` = ?`, args: []any{added[0], id, gone[0]}})
		gone, added = gone[1:], added[1:]
	}
	for _, v := range gone {
		out = append(out, statement{q: `DELETE FROM ` + table + ` WHERE dossier_id = ? AND ` + column + ` = ?`, args: []any{id, v}})
	}
	if len(added) > 0 {
		args := make([]any, 0, 2*len(added))
		for _, v := range added {
			args = append(args, id, v)
		}
		out = append(out, statement{q: `INSERT INTO ` + table + ` (dossier_id, ` + column + `) VALUES ` + repeatJoin("(?, ?)", len(added)), args: args})
	}
	return out
}

// Script is a list of prepared writes that one transaction applies, all or nothing: dossier
// changes, sealed personal data, rollup deltas and claims of daily code numbers. Everything is
// computed when the script is built, outside any transaction; running it only executes
// statements (see Store.Run).
type Script struct {
	stmts []statement
}

// Change adds a dossier change (see DossierChange).
func (sc *Script) Change(c DossierChange) error {
	stmts, err := compile(&c)
	if err != nil {
		return err
	}
	sc.stmts = append(sc.stmts, stmts...)
	return nil
}

// PutPII adds the storing (or replacing) of a dossier's sealed personal data.
func (sc *Script) PutPII(p DossierPII) {
	sc.stmts = append(sc.stmts, statement{q: putPIISQL,
		args: []any{p.DossierID, nullString(p.IDHash), nullString(p.IDSealed), nullString(p.PhoneSealed), nullString(p.EmailSealed), nullString(p.FormSealed)}})
}

// Rollups adds rollup deltas (see ApplyRollup).
func (sc *Script) Rollups(changes []index.Change) error {
	var err error
	sc.stmts, err = appendRollups(sc.stmts, changes)
	return err
}

// ClaimSeq adds the taking of the numbers from+1..to of an authority's daily code sequence
// (see NextDossierSeq), which must still be at from (read with DossierSeq) when the script
// runs: otherwise the script is stale (ErrStale, or ErrConflict when the day's sequence was
// started meanwhile) and writes nothing.
func (sc *Script) ClaimSeq(authority, day string, from, to int64) {
	if from == 0 {
		sc.stmts = append(sc.stmts, statement{q: `INSERT INTO code_sequences (authority, day, last) VALUES (?, ?, ?)`, args: []any{authority, day, to}})
		return
	}
	sc.stmts = append(sc.stmts, statement{q: `UPDATE code_sequences SET last = ? WHERE authority = ? AND day = ? AND last = ?`,
		args: []any{to, authority, day, from}, guard: true, stale: fmt.Sprintf("the code sequence of %s on %s is not at %d any more", authority, day, from)})
}

// Append adds the statements of other, after sc's.
func (sc *Script) Append(other *Script) { sc.stmts = append(sc.stmts, other.stmts...) }

// DossierSeq returns the last number taken of an authority's daily code sequence (0 when
// none).
func (s *Store) DossierSeq(ctx context.Context, authority, day string) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT last FROM code_sequences WHERE authority = ? AND day = ?`, authority, day).Scan(&n)
	if err = s.translate(err); err != nil && !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("code sequence %s %s: %w", authority, day, err)
	}
	return n, nil
}

// Apply writes a prepared change in tx: all of it, or nothing with the error (ErrStale when
// the dossier is no longer at c.Prev's version, ErrConflict when a new dossier's id or code is
// taken).
func (tx *Tx) Apply(ctx context.Context, c DossierChange) error {
	stmts, err := compile(&c)
	if err != nil {
		return err
	}
	return tx.runStmts(ctx, stmts)
}

// runStmts executes prepared statements in tx. A failure of the first statement has written
// nothing (SQLite undoes a failed statement and keeps the transaction), which the group
// committer relies on.
func (tx *Tx) runStmts(ctx context.Context, stmts []statement) error {
	for i, st := range stmts {
		res, err := tx.exec(ctx, st.q, st.args...)
		if err == nil && st.guard {
			var n int64
			if n, err = res.RowsAffected(); err == nil && n != 1 {
				err = fmt.Errorf("%w: %s", ErrStale, st.stale)
			}
		}
		if err != nil {
			if i == 0 && (errors.Is(err, ErrStale) || errors.Is(err, ErrConflict)) {
				return &wroteNothing{err}
			}
			return err
		}
	}
	return nil
}

// Apply writes a prepared change in a transaction of its own and returns once it is durable
// (Run of a script of this one change).
func (s *Store) Apply(ctx context.Context, c DossierChange) error {
	var sc Script
	if err := sc.Change(c); err != nil { // outside the transaction: on SQLite, not on the writer's time
		return err
	}
	if err := s.Run(ctx, &sc); err != nil {
		return fmt.Errorf("dossier %s: %w", c.Row.ID, err)
	}
	return nil
}

// Run applies a script in a transaction of its own and returns once it is durable. On SQLite it
// joins the group commit, without a savepoint of its own (its statements can simply run
// again). On PostgreSQL the statements go to the server as one pipeline ending in a single
// Sync, which the server runs as one implicit transaction: one network round trip instead of
// one per statement, and row locks held for the server's execution time only. A guard is
// written so that it fails when it changed no row (a division by the number of rows it
// updated), which aborts the pipeline's transaction.
func (s *Store) Run(ctx context.Context, sc *Script) error {
	stmts := sc.stmts
	if len(stmts) == 0 {
		return nil
	}
	if s.engine != Postgres {
		return s.gc.submit(ctx, func(tx *Tx) error { return tx.runStmts(ctx, stmts) }, true)
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: unexpected PostgreSQL driver connection %T", dc)
		}
		b := &pgx.Batch{}
		for _, st := range stmts {
			q := s.rebind(st.q)
			if st.guard {
				q = `WITH changed AS (` + q + ` RETURNING 1) SELECT 1 / count(*) FROM changed`
			}
			b.Queue(q, normalizeArgs(st.args)...)
		}
		br := pc.Conn().SendBatch(ctx, b)
		var first error
		for _, st := range stmts {
			_, err := br.Exec()
			if err != nil && first == nil {
				first = err
				var pe *pgconn.PgError
				if st.guard && errors.As(err, &pe) && pe.Code == "22012" {
					first = fmt.Errorf("%w: %s", ErrStale, st.stale)
				}
			}
		}
		if err := br.Close(); err != nil && first == nil {
			first = err
		}
		return first
	})
	if err != nil && !errors.Is(err, ErrStale) && !errors.Is(err, sql.ErrConnDone) && !errors.Is(err, context.Canceled) {
		err = s.translate(err)
	}
	return err
}
