package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/index"
)

// The rollups of the service index (migrations 0005 and 0018): rollup_days holds one row of
// counters per (unit, procedure, day), rollup_months the same summed per month, rollup_years
// per year, and rollup_unit_years per (unit, year), every procedure together. All are written
// together, so a month row always equals the sum of its day rows, a year row the sum of its
// month rows and a unit-year row the sum of the unit's year rows. A period query reads whole
// years from the year rows, the whole months of its partial years from rollup_months and only
// the days of its partial months from rollup_days (rollupPlan), which keeps a query at a few
// dozen rows whatever the number of dossiers. An index query (IndexTotals) reads less still:
// a unit's calendar year is one unit-year row plus two counters of each procedure's year row,
// and the stocks carried into it one unit-year row per earlier year. Every day row has its
// month row and every month row its year row (possibly all zero), through which a query finds
// the procedures to read day or month rows of: those rows are then read along the primary key,
// one contiguous range per procedure, with no second index to maintain.
//
// The unit-year rows are the only rows shared by every procedure of a unit: on PostgreSQL,
// commands that change the rollups of the same unit wait for each other's commit on that row
// (the province's row is touched by every such command of the province). With 16 clients each
// committing a rollup change of a commune and of the province, the local server took about
// 1,300 commits a second against 3,000 without unit-year rows; a province's receptions and
// decisions come in at a few per second at most.
//
// Columns are generated from index.Fields() (one BIGINT per field, named Field.String()), so the
// store never lists counters by hand; the migrations have to, and a contract test compares
// them.

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

// appendArgs appends the row's bind values for table: rollup_unit_years has no procedure.
func (r *rollupRow) appendArgs(args []any, table string) []any {
	if table == tableUnitYears {
		args = append(args, r.unit, r.period)
	} else {
		args = append(args, r.unit, r.procedure, r.period)
	}
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

// The rollup tables: per procedure by day 'YYYY-MM-DD', month 'YYYY-MM' and year 'YYYY', and
// per unit (every procedure together) by year.
const (
	tableDays      = "rollup_days"
	tableMonths    = "rollup_months"
	tableYears     = "rollup_years"
	tableUnitYears = "rollup_unit_years"
)

// periodColumn names a rollup table's period column.
func periodColumn(table string) string {
	switch table {
	case tableMonths:
		return "month"
	case tableYears, tableUnitYears:
		return "year"
	}
	return "day"
}

// keyColumns lists a rollup table's key columns in the order of its INSERT.
func keyColumns(table string) string {
	if table == tableUnitYears {
		return "unit, year"
	}
	return "unit, procedure, " + periodColumn(table)
}

// primaryKey lists a rollup table's key columns in key order: a year's rows of a unit are
// together, days and months are by procedure (see rollupRange.where).
func primaryKey(table string) string {
	if table == tableYears {
		return "unit, year, procedure"
	}
	return keyColumns(table)
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
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s, %s) VALUES ", table, keyColumns(table), rollupColumnList)
	args := rollupArgs
	if table == tableUnitYears {
		args--
	}
	row := "(" + strings.Repeat("?, ", args-1) + "?)"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	if add {
		fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET ", primaryKey(table))
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

// ApplyRollup adds changes (from index.Delta or index.Contributions) to the day, month, year
// and unit-year rows inside the caller's transaction, so the rollups move together with the
// dossier event that caused them. Negative counters subtract. All-zero changes, and changes to
// the same row that cancel out, write nothing. Each table's rows are written in key order, and
// the tables in the same order, so that concurrent transactions take row locks in the same
// order.
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
// month, year and unit-year rows from the others, all sorted by key and period. A month row is written
// whenever one of its day rows is, and a year row whenever one of its month rows is, even if
// their sums are zero, so that every day row has its month row and every month row its year
// row (RollupTotals finds a month's or a year's procedures through them).
func mergeChanges(changes []index.Change) (days, months, years, unitYears []rollupRow, err error) {
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
			return nil, nil, nil, nil, err
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
	months = sumUp(days, 7)
	years = sumUp(months, 4)
	return days, months, years, sumUnits(years), nil
}

// sumUnits sums year rows per (unit, year), every procedure together, sorted by unit and year.
func sumUnits(years []rollupRow) []rollupRow {
	var out []rollupRow
	at := map[[2]string]int{}
	for i := range years {
		r := &years[i]
		j, ok := at[[2]string{r.unit, r.period}]
		if !ok {
			j = len(out)
			at[[2]string{r.unit, r.period}] = j
			out = append(out, rollupRow{unit: r.unit, period: r.period})
		}
		out[j].c.Add(&r.c)
	}
	slices.SortFunc(out, func(a, b rollupRow) int { return compareRollupRows(&a, &b) })
	return out
}

// sumUp sums rows sorted by key and period into the rows of the coarser period that is their
// period's first n characters ('YYYY-MM' of a day, 'YYYY' of a month), in the same order.
func sumUp(rows []rollupRow, n int) []rollupRow {
	var out []rollupRow
	for i := range rows {
		r := &rows[i]
		if k := len(out); k == 0 || out[k-1].unit != r.unit || out[k-1].procedure != r.procedure || out[k-1].period != r.period[:n] {
			out = append(out, rollupRow{unit: r.unit, procedure: r.procedure, period: r.period[:n]})
		}
		out[len(out)-1].c.Add(&r.c)
	}
	return out
}

// rollupRange is one contiguous range of rows of one rollup table: periods from..to
// (inclusive; from "" for everything up to to). A range of day or month rows lies within one
// parent period (a month or a year) whose rows in the next coarser table list the procedures
// that can have rows in it.
type rollupRange struct {
	table    string
	from, to string
	parent   string
}

// rollupPlan splits a period into what each rollup table answers. before sums every row dated
// before the period: the earlier years, the months of From's year before From's month and the
// days of From's month before From. during covers the period: its whole years, the whole
// months of its partial years and the days of its partial months.
type rollupPlan struct {
	before, during []rollupRange
}

func yearOf(d index.Date) string {
	y, _, _ := d.YMD()
	return fmt.Sprintf("%04d", y)
}

func firstOfYear(d index.Date) index.Date {
	y, _, _ := d.YMD()
	return index.NewDate(y, time.January, 1)
}

func lastOfYear(d index.Date) index.Date {
	y, _, _ := d.YMD()
	return index.NewDate(y, time.December, 31)
}

func planRollup(p index.Period) rollupPlan {
	var pl rollupPlan
	// Before: years before From's year, then the months and days leading to From.
	pl.before = append(pl.before, rollupRange{table: tableYears, to: yearOf(firstOfYear(p.From).AddDays(-1))})
	if first := firstOfYear(p.From); firstOfMonth(p.From) != first {
		pl.before = append(pl.before, rollupRange{table: tableMonths, from: monthOf(first), to: monthOf(firstOfMonth(p.From).AddDays(-1)), parent: yearOf(first)})
	}
	if first := firstOfMonth(p.From); p.From != first {
		pl.before = append(pl.before, rollupRange{table: tableDays, from: first.String(), to: p.From.AddDays(-1).String(), parent: monthOf(first)})
	}
	// During: from a cursor, the largest whole unit that starts there and ends by To.
	for d := p.From; d <= p.To; {
		switch {
		case d == firstOfYear(d) && lastOfYear(d) <= p.To:
			// The whole years from d to the last one ending by To.
			last := lastOfYear(p.To)
			if last != p.To {
				last = firstOfYear(p.To).AddDays(-1)
			}
			pl.during = append(pl.during, rollupRange{table: tableYears, from: yearOf(d), to: yearOf(last)})
			d = last.AddDays(1)
		case d == firstOfMonth(d) && lastOfMonth(d) <= p.To:
			// The whole months from d to the end of its year or the last one ending by To.
			last := min(lastOfYear(d), p.To)
			if last != lastOfMonth(last) {
				last = firstOfMonth(last).AddDays(-1)
			}
			pl.during = append(pl.during, rollupRange{table: tableMonths, from: monthOf(d), to: monthOf(last), parent: yearOf(d)})
			d = last.AddDays(1)
		default:
			// The days from d to the end of its month or of the period.
			last := min(lastOfMonth(d), p.To)
			pl.during = append(pl.during, rollupRange{table: tableDays, from: d.String(), to: last.String(), parent: monthOf(d)})
			d = last.AddDays(1)
		}
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

// where returns the conditions selecting the range's rows of a unit (arguments: appendArgs).
// Day and month rows are found through the procedures of their parent's row, so that each
// procedure's rows are one contiguous range of the primary key.
func (r *rollupRange) where() string {
	col := periodColumn(r.table)
	var b strings.Builder
	b.WriteString("unit = ?")
	if r.parent != "" {
		parentTable := tableMonths
		if r.table == tableMonths {
			parentTable = tableYears
		}
		fmt.Fprintf(&b, " AND procedure IN (SELECT procedure FROM %s WHERE unit = ? AND %s = ?)", parentTable, periodColumn(parentTable))
	}
	if r.from != "" {
		fmt.Fprintf(&b, " AND %s >= ?", col)
	}
	fmt.Fprintf(&b, " AND %s <= ?", col)
	return b.String()
}

// appendArgs appends the arguments of where's conditions, in their order.
func (r *rollupRange) appendArgs(args []any, unit string) []any {
	args = append(args, unit)
	if r.parent != "" {
		args = append(args, unit, r.parent)
	}
	if r.from != "" {
		args = append(args, r.from)
	}
	return append(args, r.to)
}

// sql returns the query and its arguments. Each branch sums in the order of an index (the
// before parts into one row each, the others per procedure), so the result has at most
// 3 + 5 × procedures rows: part (0 before, 1 during), procedure, counters.
func (pl *rollupPlan) sql(unit string) (string, []any) {
	var branches []string
	var args []any
	for _, r := range pl.before {
		branches = append(branches, "SELECT 0 AS part, '' AS procedure, "+rollupSums+" FROM "+r.table+" WHERE "+r.where()+" GROUP BY unit")
		args = r.appendArgs(args, unit)
	}
	for _, r := range pl.during {
		branches = append(branches, "SELECT 1, procedure, "+rollupSums+" FROM "+r.table+" WHERE "+r.where()+" GROUP BY procedure")
		args = r.appendArgs(args, unit)
	}
	return strings.Join(branches, " UNION ALL "), args
}

// An index query (IndexTotals) is one statement with one row per range of the plan. A before
// row sums index.StockFields only (the other counters are 0); whole years before the period
// come from the unit-year rows, one per year. A during row sums every counter and lists, in
// one text column, the index.ProcedureFields of each of the range's rows that has a counter
// that is not zero: "procedure<US>value<US>value" items joined by <RS> (ASCII unit and record
// separators, bound as parameters; the catalog refuses codes with control characters).
// Summing and listing in the same pass reads each row once, and a per-procedure row would cost
// a row through the driver each. For whole years the sums come from the unit-year rows and
// the list from the procedures' year rows, read by a subquery for two counters only.
const (
	leanUnitSep   = "\x1f"
	leanRecordSep = "\x1e"
)

var leanBefore, leanList, leanSetting = func() (string, string, string) {
	stock := map[index.Field]bool{}
	for _, f := range index.StockFields {
		stock[f] = true
	}
	var sums, zeros, item, nonZero []string
	for _, f := range index.Fields() {
		if stock[f] {
			sums = append(sums, fmt.Sprintf("CAST(SUM(%s) AS BIGINT)", f))
		} else {
			sums = append(sums, "0")
		}
		zeros = append(zeros, "0")
		nonZero = append(nonZero, fmt.Sprintf("%s <> 0", f))
	}
	item = append(item, "procedure")
	for _, f := range index.ProcedureFields {
		item = append(item, f.String())
	}
	return "SELECT 0 AS part, '' AS procs, " + strings.Join(sums, ", "),
		"string_agg(CASE WHEN " + strings.Join(nonZero, " OR ") + " THEN " + strings.Join(item, " || ? || ") + " END, ?)",
		"value, " + strings.Join(zeros, ", ") + " FROM settings WHERE key = ?"
}()

// leanSQLs caches the statements of IndexTotals by the shape of their plan (a few dozen
// shapes: which tables, with which bounds, before and during).
var leanSQLs sync.Map // string -> string

// leanBranch is one SELECT of IndexTotals' statement: a before row, a during row of day or
// month rows, or a during row of whole years (its sums from the unit-year rows r, its list
// from the procedures' year rows sub).
type leanBranch struct {
	kind byte // 'b', 'd' or 'y'
	r    rollupRange
	sub  rollupRange
}

func (pl *rollupPlan) leanBranches() []leanBranch {
	var out []leanBranch
	for _, r := range pl.before {
		if r.table == tableYears {
			r.table = tableUnitYears
		}
		out = append(out, leanBranch{kind: 'b', r: r})
	}
	for _, r := range pl.during {
		if r.table != tableYears {
			out = append(out, leanBranch{kind: 'd', r: r})
			continue
		}
		u := r
		u.table = tableUnitYears
		out = append(out, leanBranch{kind: 'y', r: u, sub: r})
	}
	return out
}

// appendArgs appends the branch's arguments in the order of its SQL.
func (b *leanBranch) appendArgs(args []any, unit string) []any {
	if b.kind != 'b' {
		for range index.ProcedureFields {
			args = append(args, leanUnitSep)
		}
		args = append(args, leanRecordSep)
	}
	if b.kind == 'y' {
		args = b.sub.appendArgs(args, unit)
	}
	return b.r.appendArgs(args, unit)
}

// sql returns the branch's SELECT.
func (b *leanBranch) sql() string {
	from := " FROM " + b.r.table + " WHERE " + b.r.where() + " GROUP BY unit"
	switch b.kind {
	case 'b':
		return leanBefore + from
	case 'd':
		return "SELECT 1, " + leanList + ", " + rollupSums + from
	}
	return "SELECT 1, (SELECT " + leanList + " FROM " + b.sub.table + " WHERE " + b.sub.where() + "), " + rollupSums + from
}

// leanSQL returns the statement of IndexTotals and its arguments: settings are read by rows
// numbered 2, 3... in their order.
func (pl *rollupPlan) leanSQL(unit string, settings []string) (string, []any) {
	branches := pl.leanBranches()
	shape := make([]byte, 1, 1+3*len(branches))
	shape[0] = byte(len(settings))
	args := make([]any, 0, len(settings)+12*len(branches))
	for _, k := range settings {
		args = append(args, k)
	}
	for i := range branches {
		b := &branches[i]
		n := len(args)
		args = b.appendArgs(args, unit)
		// The statement depends on the kind of branch, its table and which conditions apply
		// (told by the number of arguments: parent, from).
		shape = append(shape, b.kind, b.r.table[7], byte('0'+len(args)-n))
	}
	if q, ok := leanSQLs.Load(string(shape)); ok {
		return q.(string), args
	}
	var parts []string
	for i := range settings {
		parts = append(parts, fmt.Sprintf("SELECT %d, %s", 2+i, leanSetting))
	}
	for i := range branches {
		parts = append(parts, branches[i].sql())
	}
	q := strings.Join(parts, " UNION ALL ")
	leanSQLs.Store(string(shape), q)
	return q, args
}

// IndexTotals returns what an index query reads of a unit's rollups for a period: exactly
// RollupTotals(unit, p).Lean() (index.Totals.Lean), in one statement that reads each row of
// the plan once and returns one row per range (see leanBefore). The same statement
// reads the settings named, which an index query needs too: their values are returned by key
// (a setting not set is absent). Counters are counts, never negative, so a procedure's sum
// over the period is all zero exactly when each of its rows is.
func (s *Store) IndexTotals(ctx context.Context, unit string, p index.Period, settings ...string) (index.Totals, map[string]string, error) {
	if p.From > p.To {
		return index.Totals{}, nil, fmt.Errorf("index totals %s: period from %s after to %s", unit, p.From, p.To)
	}
	pl := planRollup(p)
	q, args := pl.leanSQL(unit, settings)
	t := index.Totals{ByProcedure: make(map[string]*index.Counters, 32)}
	set := map[string]string{}
	err := func() error {
		rows, err := s.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var part int
		var text sql.NullString
		var c index.Counters
		dest := make([]any, 0, 2+len(c))
		dest = append(dest, &part, &text)
		for i := range c {
			dest = append(dest, &c[i])
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			switch {
			case part == 0:
				t.Before.Add(&c)
			case part == 1:
				t.During.Add(&c)
				if err := addLeanProcedures(t.ByProcedure, text.String); err != nil {
					return err
				}
			case part-2 < len(settings):
				set[settings[part-2]] = text.String
			}
		}
		return rows.Err()
	}()
	if err != nil {
		return index.Totals{}, nil, fmt.Errorf("index totals %s: %w", unit, err)
	}
	return t, set, nil
}

// addLeanProcedures adds the items of a during row's procedure list (see leanBefore) to by.
func addLeanProcedures(by map[string]*index.Counters, list string) error {
	for list != "" {
		var item string
		item, list, _ = strings.Cut(list, leanRecordSep)
		proc, rest, ok := strings.Cut(item, leanUnitSep)
		if !ok || proc == "" {
			return fmt.Errorf("procedure list item %q: want procedure and %d counters", item, len(index.ProcedureFields))
		}
		c := by[proc]
		if c == nil {
			c = new(index.Counters)
			by[proc] = c
		}
		for i, f := range index.ProcedureFields {
			var v string
			v, rest, ok = strings.Cut(rest, leanUnitSep)
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || ok != (i < len(index.ProcedureFields)-1) {
				return fmt.Errorf("procedure list item %q: want procedure and %d counters", item, len(index.ProcedureFields))
			}
			c[f] += n
		}
	}
	return nil
}

// RollupTotals returns every sum of a unit's rollups for a period (the reports read them all;
// an index query reads less, see IndexTotals): exactly what
// index.Tally(p, rows) returns for the unit's non-zero day rows, except that a procedure whose
// counters over the period are all zero is absent from ByProcedure (Compute reads a missing
// procedure as zero). Whole years and months are read from the year and month rows, so the
// cost depends on the number of procedures and years of history, not on the number of
// dossiers.
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

// ReplaceRollups deletes every rollup and writes rows instead, with the month and year rows
// derived from them, in one transaction (readers see the old rollups until it commits). It is
// what `motcua index recompute` uses after summing index.Contributions of every dossier. Rows
// need not be sorted; rows with the same key and day are summed and all-zero rows are skipped.
func (s *Store) ReplaceRollups(ctx context.Context, rows []index.Row) error {
	sorted := rows
	if !slices.IsSortedFunc(rows, compareIndexRows) {
		sorted = slices.Clone(rows)
		slices.SortFunc(sorted, compareIndexRows)
	}
	err := s.InTx(ctx, func(tx *Tx) error {
		for _, table := range []string{tableDays, tableMonths, tableYears, tableUnitYears} {
			if _, err := tx.exec(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("clear %s: %w", table, err)
			}
		}
		// Day rows are written as they are complete; each is added to its month row, written
		// when the next day row belongs to another month, and the month row to its year row.
		// Year rows are few (units × procedures × years): kept, and summed per unit at the end.
		var yearRows []rollupRow
		years := &rollupLevel{batch: rollupBatch{tx: tx, table: tableYears}, n: 4, done: func(r *rollupRow) { yearRows = append(yearRows, *r) }}
		months := &rollupLevel{batch: rollupBatch{tx: tx, table: tableMonths}, n: 7, up: years}
		days := &rollupBatch{tx: tx, table: tableDays}
		defer days.close()
		defer months.batch.close()
		defer years.batch.close()
		var day rollupRow
		var dayKey index.Key
		var dayDate index.Date
		haveDay := false
		flushDay := func() error {
			if !haveDay || day.c.IsZero() {
				return nil
			}
			day.period = dayDate.String()
			if err := months.add(ctx, &day); err != nil {
				return err
			}
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
		if err := days.flush(ctx); err != nil {
			return err
		}
		if err := months.close(ctx); err != nil {
			return err
		}
		units := &rollupBatch{tx: tx, table: tableUnitYears}
		defer units.close()
		for _, r := range sumUnits(yearRows) {
			if err := units.add(ctx, &r); err != nil {
				return err
			}
		}
		return units.flush(ctx)
	})
	if err != nil {
		return fmt.Errorf("replace rollups: %w", err)
	}
	return nil
}

// rollupLevel sums rows of a finer period, given in (unit, procedure, period) order, into the
// rows of its own period (the first n characters of theirs), written through batch as each one
// is complete and added to the level above when there is one.
type rollupLevel struct {
	batch rollupBatch
	n     int
	up    *rollupLevel
	done  func(*rollupRow) // when set, told of every row written
	cur   rollupRow
	have  bool
}

func (l *rollupLevel) add(ctx context.Context, r *rollupRow) error {
	if l.have && (l.cur.unit != r.unit || l.cur.procedure != r.procedure || l.cur.period != r.period[:l.n]) {
		if err := l.emit(ctx); err != nil {
			return err
		}
	}
	if !l.have {
		l.cur, l.have = rollupRow{unit: r.unit, procedure: r.procedure, period: r.period[:l.n]}, true
	}
	l.cur.c.Add(&r.c)
	return nil
}

func (l *rollupLevel) emit(ctx context.Context) error {
	l.have = false
	if l.done != nil {
		l.done(&l.cur)
	}
	if l.up != nil {
		if err := l.up.add(ctx, &l.cur); err != nil {
			return err
		}
	}
	return l.batch.add(ctx, &l.cur)
}

// close writes the pending row and everything batched, here and in the levels above.
func (l *rollupLevel) close(ctx context.Context) error {
	if l.have {
		if err := l.emit(ctx); err != nil {
			return err
		}
	}
	if err := l.batch.flush(ctx); err != nil {
		return err
	}
	if l.up != nil {
		return l.up.close(ctx)
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
		b.args = r.appendArgs(b.args, b.table)
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
		if b.table == tableUnitYears {
			args = append(args, b.units, b.periods)
		} else {
			args = append(args, b.units, b.procs, b.periods)
		}
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
	keys := "?::text[], ?::text[], ?::text[]"
	if table == tableUnitYears {
		keys = "?::text[], ?::text[]"
	}
	return fmt.Sprintf("INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s%s)",
		table, keyColumns(table), rollupColumnList, keys, strings.Repeat(", ?::bigint[]", len(rollupColumns)))
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
	rows, err := s.query(ctx, "SELECT DISTINCT unit FROM rollup_years ORDER BY unit")
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
