package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/index"
)

// The rollups of the service index (migration 0005): rollup_days holds one row of counters per
// (unit, procedure, day), rollup_months the same summed per month. Both are written together,
// so a month row always equals the sum of its day rows; a period query reads whole months from
// rollup_months and only the partial months at its ends from rollup_days, which keeps an index
// query at a few hundred rows whatever the number of dossiers. Every day row has its month row
// (possibly all zero), through which a query finds the procedures to read day rows of: day
// rows are then read along the primary key, with no second index to maintain.
//
// Columns are generated from index.Fields() (one BIGINT per field, named Field.String()), so the
// store never lists counters by hand; the migration has to, and a contract test compares the
// two.

// rollupColumns are the counter columns in index.Field order.
var rollupColumns = func() []string {
	fs := index.Fields()
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.String()
	}
	return out
}()

// rollupColumnList is rollupColumns joined for a SELECT or INSERT list.
var rollupColumnList = strings.Join(rollupColumns, ", ")

// rollupArgs is the number of bind values of one rollup row: unit, procedure, period, counters.
const rollupArgs = 3 + int(index.FieldCount)

// replaceBatch is the number of rows per INSERT when SQLite rollups are rebuilt: 512 × 31
// values stays below SQLite's limit of 32,766 bind values.
const replaceBatch = 512

// applyBatch bounds the rows of one upsert in ApplyRollup; an event touches a handful.
const applyBatch = 64

// rollupRow is one row to write: its key, its day ('YYYY-MM-DD') or month ('YYYY-MM') and its
// counters.
type rollupRow struct {
	unit, procedure, period string
	c                       index.Counters
}

func (r *rollupRow) appendArgs(args []any) []any {
	args = append(args, r.unit, r.procedure, r.period)
	for _, v := range r.c {
		args = append(args, v)
	}
	return args
}

func compareRollupRows(a, b *rollupRow) int {
	if c := strings.Compare(a.unit, b.unit); c != 0 {
		return c
	}
	if c := strings.Compare(a.procedure, b.procedure); c != 0 {
		return c
	}
	return strings.Compare(a.period, b.period)
}

// rollupSQL caches the INSERT statements by table, row count and mode.
var rollupSQL sync.Map // rollupSQLKey -> string

type rollupSQLKey struct {
	table string
	n     int
	add   bool
}

// rollupInsertSQL returns an INSERT of n rows into a rollup table. With add, a row that exists
// gets the new values added to its counters (negative values subtract).
func rollupInsertSQL(table string, n int, add bool) string {
	k := rollupSQLKey{table, n, add}
	if q, ok := rollupSQL.Load(k); ok {
		return q.(string)
	}
	period := "day"
	if table == "rollup_months" {
		period = "month"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (unit, procedure, %s, %s) VALUES ", table, period, rollupColumnList)
	row := "(" + strings.Repeat("?, ", rollupArgs-1) + "?)"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	if add {
		fmt.Fprintf(&b, " ON CONFLICT (unit, procedure, %s) DO UPDATE SET ", period)
		for i, c := range rollupColumns {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s = %s.%s + excluded.%s", c, table, c, c)
		}
	}
	q := b.String()
	rollupSQL.Store(k, q)
	return q
}

// monthOf returns the 'YYYY-MM' month of a day.
func monthOf(d index.Date) string {
	y, m, _ := d.YMD()
	return fmt.Sprintf("%04d-%02d", y, int(m))
}

func firstOfMonth(d index.Date) index.Date {
	y, m, _ := d.YMD()
	return index.NewDate(y, m, 1)
}

func lastOfMonth(d index.Date) index.Date {
	y, m, _ := d.YMD()
	return index.NewDate(y, m+1, 1).AddDays(-1)
}

// parseDay reads a stored 'YYYY-MM-DD' day. Unlike index.ParseDate it accepts any year: what
// was written is read back.
func parseDay(s string) (index.Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("stored day %q: want YYYY-MM-DD", s)
	}
	num := func(t string) (int, bool) {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return 0, false
			}
			n = n*10 + int(t[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[0:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, fmt.Errorf("stored day %q: want YYYY-MM-DD", s)
	}
	return index.NewDate(y, time.Month(m), d), nil
}

func checkRollupKey(k index.Key) error {
	if k.Unit == "" || k.Procedure == "" {
		return fmt.Errorf("rollup key %q/%q: unit and procedure are required", k.Unit, k.Procedure)
	}
	return nil
}

// ApplyRollup adds changes (from index.Delta or index.Contributions) to the day rows and the
// month rows inside the caller's transaction, so the rollups move together with the dossier
// event that caused them. Negative counters subtract. All-zero changes, and changes to the same
// row that cancel out, write nothing. Rows are written in (unit, procedure, day) order so that
// concurrent transactions take row locks in the same order.
func (tx *Tx) ApplyRollup(ctx context.Context, changes []index.Change) error {
	stmts, err := appendRollups(nil, changes)
	if err != nil {
		return fmt.Errorf("apply rollup: %w", err)
	}
	for _, st := range stmts {
		if _, err := tx.exec(ctx, st.q, st.args...); err != nil {
			return fmt.Errorf("apply rollup: %w", err)
		}
	}
	return nil
}

// mergeChanges sums changes per day row, drops the day rows that sum to zero and derives the
// month rows from the others, both sorted by key and period. A month row is written whenever
// one of its day rows is, even if the month's sum is zero, so that every day row has its month
// row (RollupTotals finds a month's procedures through it).
func mergeChanges(changes []index.Change) (days, months []rollupRow, err error) {
	type dayKey struct {
		key index.Key
		day index.Date
	}
	at := map[dayKey]int{}
	for i := range changes {
		c := &changes[i]
		if c.Counters.IsZero() {
			continue
		}
		if err := checkRollupKey(c.Key); err != nil {
			return nil, nil, err
		}
		k := dayKey{c.Key, c.Day}
		j, ok := at[k]
		if !ok {
			j = len(days)
			at[k] = j
			days = append(days, rollupRow{unit: c.Key.Unit, procedure: c.Key.Procedure, period: c.Day.String()})
		}
		days[j].c.Add(&c.Counters)
	}
	days = slices.DeleteFunc(days, func(r rollupRow) bool { return r.c.IsZero() })
	slices.SortFunc(days, func(a, b rollupRow) int { return compareRollupRows(&a, &b) })
	for i := range days {
		d := &days[i]
		if n := len(months); n == 0 || months[n-1].unit != d.unit || months[n-1].procedure != d.procedure || months[n-1].period != d.period[:7] {
			months = append(months, rollupRow{unit: d.unit, procedure: d.procedure, period: d.period[:7]})
		}
		months[len(months)-1].c.Add(&d.c)
	}
	return days, months, nil
}

// rollupPlan splits a period into what each rollup table answers: the whole months before it
// and within it from rollup_months; the days of From's month before From, and the days of the
// partial months at either end of the period, from rollup_days.
type rollupPlan struct {
	beforeMonth string    // month rows < beforeMonth are before the period
	beforeDays  [2]string // day rows in [0, 1] are before the period; none when empty
	fullMonths  [2]string // month rows in [0, 1] are within the period; none when empty
	dayRanges   [][2]string
}

func planRollup(p index.Period) rollupPlan {
	pl := rollupPlan{beforeMonth: monthOf(p.From)}
	fullFrom, fullTo := p.From, p.To // the whole months inside the period, as days
	if first := firstOfMonth(p.From); p.From != first {
		// From's month is partial: its days before From, and from From to its end (or To).
		last := lastOfMonth(p.From)
		pl.beforeDays = [2]string{first.String(), p.From.AddDays(-1).String()}
		pl.dayRanges = append(pl.dayRanges, [2]string{p.From.String(), min(last, p.To).String()})
		fullFrom = last.AddDays(1)
	}
	if fullFrom <= p.To && p.To != lastOfMonth(p.To) {
		// To's month is partial and was not read above.
		first := firstOfMonth(p.To)
		pl.dayRanges = append(pl.dayRanges, [2]string{first.String(), p.To.String()})
		fullTo = first.AddDays(-1)
	}
	if fullFrom <= fullTo {
		pl.fullMonths = [2]string{monthOf(fullFrom), monthOf(fullTo)}
	}
	return pl
}

// rollupSums is the select list summing every counter; CAST because PostgreSQL sums BIGINT
// into NUMERIC.
var rollupSums = func() string {
	var b strings.Builder
	for i, c := range rollupColumns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "CAST(SUM(%s) AS BIGINT)", c)
	}
	return b.String()
}()

// monthProcs selects the procedures having a month row, hence possibly day rows, in a month:
// day rows are then read through the primary key, one contiguous range per procedure.
const monthProcs = "SELECT procedure FROM rollup_months WHERE unit = ? AND month = ?"

// sql returns the query and its arguments. Each branch sums in the order of an index (the
// "before" parts into one row, the others per procedure), so the result has at most
// 2 + 3 × procedures rows: part (0 before, 1 during), procedure, counters.
func (pl *rollupPlan) sql(unit string) (string, []any) {
	var branches []string
	var args []any
	branches = append(branches, "SELECT 0 AS part, '' AS procedure, "+rollupSums+" FROM rollup_months WHERE unit = ? AND month < ? GROUP BY unit")
	args = append(args, unit, pl.beforeMonth)
	if pl.beforeDays[0] != "" {
		branches = append(branches, "SELECT 0, '', "+rollupSums+" FROM rollup_days WHERE unit = ? AND procedure IN ("+monthProcs+") AND day >= ? AND day <= ? GROUP BY unit")
		args = append(args, unit, unit, pl.beforeDays[0][:7], pl.beforeDays[0], pl.beforeDays[1])
	}
	if pl.fullMonths[0] != "" {
		branches = append(branches, "SELECT 1, procedure, "+rollupSums+" FROM rollup_months WHERE unit = ? AND month >= ? AND month <= ? GROUP BY procedure")
		args = append(args, unit, pl.fullMonths[0], pl.fullMonths[1])
	}
	for _, r := range pl.dayRanges {
		branches = append(branches, "SELECT 1, procedure, "+rollupSums+" FROM rollup_days WHERE unit = ? AND procedure IN ("+monthProcs+") AND day >= ? AND day <= ? GROUP BY procedure")
		args = append(args, unit, unit, r[0][:7], r[0], r[1])
	}
	return strings.Join(branches, " UNION ALL "), args
}

// RollupTotals returns the sums index.Compute needs for a unit and a period: exactly what
// index.Tally(p, rows) returns for the unit's non-zero day rows, except that a procedure whose
// counters over the period are all zero is absent from ByProcedure (Compute reads a missing
// procedure as zero). Whole months are read from the month rows, so the cost depends on the
// number of procedures and months of history, not on the number of dossiers.
func (s *Store) RollupTotals(ctx context.Context, unit string, p index.Period) (index.Totals, error) {
	if p.From > p.To {
		return index.Totals{}, fmt.Errorf("rollup totals %s: period from %s after to %s", unit, p.From, p.To)
	}
	pl := planRollup(p)
	q, args := pl.sql(unit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return index.Totals{}, fmt.Errorf("rollup totals %s: %w", unit, err)
	}
	defer rows.Close()
	t := index.Totals{ByProcedure: map[string]*index.Counters{}}
	var part int
	var proc string
	var c index.Counters
	dest := make([]any, 0, rollupArgs-1)
	dest = append(dest, &part, &proc)
	for i := range c {
		dest = append(dest, &c[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return index.Totals{}, fmt.Errorf("rollup totals %s: %w", unit, err)
		}
		if part == 0 {
			t.Before.Add(&c)
			continue
		}
		t.During.Add(&c)
		if c.IsZero() {
			continue
		}
		bp := t.ByProcedure[proc]
		if bp == nil {
			bp = &index.Counters{}
			t.ByProcedure[proc] = bp
		}
		bp.Add(&c)
	}
	if err := rows.Err(); err != nil {
		return index.Totals{}, fmt.Errorf("rollup totals %s: %w", unit, err)
	}
	return t, nil
}

// ReplaceRollups deletes every rollup and writes rows instead, with the month rows derived from
// them, in one transaction (readers see the old rollups until it commits). It is what
// `motcua index recompute` uses after summing index.Contributions of every dossier. Rows need
// not be sorted; rows with the same key and day are summed and all-zero rows are skipped.
func (s *Store) ReplaceRollups(ctx context.Context, rows []index.Row) error {
	sorted := rows
	if !slices.IsSortedFunc(rows, compareIndexRows) {
		sorted = slices.Clone(rows)
		slices.SortFunc(sorted, compareIndexRows)
	}
	err := s.InTx(ctx, func(tx *Tx) error {
		for _, table := range []string{"rollup_days", "rollup_months"} {
			if _, err := tx.exec(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("clear %s: %w", table, err)
			}
		}
		days := &rollupBatch{tx: tx, table: "rollup_days"}
		months := &rollupBatch{tx: tx, table: "rollup_months"}
		defer days.close()
		defer months.close()
		var day, month rollupRow
		var dayKey index.Key
		var dayDate index.Date
		haveDay, haveMonth := false, false
		flushDay := func() error {
			if !haveDay || day.c.IsZero() {
				return nil
			}
			day.period = dayDate.String()
			if haveMonth && (month.unit != day.unit || month.procedure != day.procedure || month.period != day.period[:7]) {
				if err := months.add(ctx, &month); err != nil {
					return err
				}
				haveMonth = false
			}
			if !haveMonth {
				month = rollupRow{unit: day.unit, procedure: day.procedure, period: day.period[:7]}
				haveMonth = true
			}
			month.c.Add(&day.c)
			return days.add(ctx, &day)
		}
		for i := range sorted {
			r := &sorted[i]
			if haveDay && r.Key == dayKey && r.Day == dayDate {
				day.c.Add(&r.Counters)
				continue
			}
			if err := flushDay(); err != nil {
				return err
			}
			if err := checkRollupKey(r.Key); err != nil {
				return err
			}
			day = rollupRow{unit: r.Key.Unit, procedure: r.Key.Procedure, c: r.Counters}
			dayKey, dayDate, haveDay = r.Key, r.Day, true
		}
		if err := flushDay(); err != nil {
			return err
		}
		if haveMonth {
			if err := months.add(ctx, &month); err != nil {
				return err
			}
		}
		if err := days.flush(ctx); err != nil {
			return err
		}
		return months.flush(ctx)
	})
	if err != nil {
		return fmt.Errorf("replace rollups: %w", err)
	}
	return nil
}

func compareIndexRows(a, b index.Row) int {
	if c := strings.Compare(a.Key.Unit, b.Key.Unit); c != 0 {
		return c
	}
	if c := strings.Compare(a.Key.Procedure, b.Key.Procedure); c != 0 {
		return c
	}
	return int(a.Day) - int(b.Day)
}

// rollupBatch gathers rows for bulk INSERTs. SQLite gets multi-row INSERTs of replaceBatch
// rows through one prepared statement. PostgreSQL plans a statement with thousands of bind
// values slowly (about 3,000 rows/s), so there the rows travel column by column as arrays
// through unnest, pgBatch rows per statement (about 15 times faster); the arrays are only
// parameters, nothing is stored as an array.
type rollupBatch struct {
	tx    *Tx
	table string
	n     int

	// SQLite
	stmt *sql.Stmt
	args []any

	// PostgreSQL
	units, procs, periods []string
	counters              [index.FieldCount][]int64
}

// pgBatch is the number of rows per unnest INSERT on PostgreSQL.
const pgBatch = 10_000

func (b *rollupBatch) size() int {
	if b.tx.s.engine == Postgres {
		return pgBatch
	}
	return replaceBatch
}

func (b *rollupBatch) add(ctx context.Context, r *rollupRow) error {
	if b.tx.s.engine == Postgres {
		b.units, b.procs, b.periods = append(b.units, r.unit), append(b.procs, r.procedure), append(b.periods, r.period)
		for f, v := range r.c {
			b.counters[f] = append(b.counters[f], v)
		}
	} else {
		if b.args == nil {
			b.args = make([]any, 0, replaceBatch*rollupArgs)
		}
		b.args = r.appendArgs(b.args)
	}
	b.n++
	if b.n == b.size() {
		return b.flush(ctx)
	}
	return nil
}

func (b *rollupBatch) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	var err error
	switch {
	case b.tx.s.engine == Postgres:
		args := make([]any, 0, rollupArgs)
		args = append(args, b.units, b.procs, b.periods)
		for f := range b.counters {
			args = append(args, b.counters[f])
		}
		_, err = b.tx.exec(ctx, rollupUnnestSQL(b.table), args...)
		b.units, b.procs, b.periods = b.units[:0], b.procs[:0], b.periods[:0]
		for f := range b.counters {
			b.counters[f] = b.counters[f][:0]
		}
	case b.n == replaceBatch:
		if b.stmt == nil {
			b.stmt, err = b.tx.tx.PrepareContext(ctx, rollupInsertSQL(b.table, replaceBatch, false))
			if err != nil {
				return fmt.Errorf("insert into %s: %w", b.table, err)
			}
		}
		_, err = b.stmt.ExecContext(ctx, b.args...)
		err = b.tx.s.translate(err)
	default:
		_, err = b.tx.exec(ctx, rollupInsertSQL(b.table, b.n, false), b.args...)
	}
	if err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	b.args, b.n = b.args[:0], 0
	return nil
}

func (b *rollupBatch) close() {
	if b.stmt != nil {
		_ = b.stmt.Close()
	}
}

// rollupUnnestSQL is PostgreSQL's bulk INSERT of a rollup table from one array per column.
func rollupUnnestSQL(table string) string {
	period := "day"
	if table == "rollup_months" {
		period = "month"
	}
	return fmt.Sprintf("INSERT INTO %s (unit, procedure, %s, %s) SELECT * FROM unnest(?::text[], ?::text[], ?::text[]%s)",
		table, period, rollupColumnList, strings.Repeat(", ?::bigint[]", len(rollupColumns)))
}

// RollupRows calls fn with every day row whose counters are not all zero, in (unit, procedure,
// day) order, and stops at the first error fn returns, which it returns unchanged. Recompute
// uses it to compare the live rollups with rebuilt ones.
func (s *Store) RollupRows(ctx context.Context, fn func(index.Row) error) error {
	rows, err := s.query(ctx, "SELECT unit, procedure, day, "+rollupColumnList+" FROM rollup_days ORDER BY unit, procedure, day")
	if err != nil {
		return fmt.Errorf("rollup rows: %w", err)
	}
	defer rows.Close()
	var r index.Row
	var day string
	dest := make([]any, 0, rollupArgs)
	dest = append(dest, &r.Key.Unit, &r.Key.Procedure, &day)
	for i := range r.Counters {
		dest = append(dest, &r.Counters[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("rollup rows: %w", err)
		}
		if r.Counters.IsZero() {
			continue
		}
		if r.Day, err = parseDay(day); err != nil {
			return fmt.Errorf("rollup rows: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rollup rows: %w", err)
	}
	return nil
}

// RollupUnits returns, sorted, the units that have rollup rows.
func (s *Store) RollupUnits(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, "SELECT DISTINCT unit FROM rollup_months ORDER BY unit")
	if err != nil {
		return nil, fmt.Errorf("rollup units: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("rollup units: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rollup units: %w", err)
	}
	return out, nil
}
