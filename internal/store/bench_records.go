package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/index"
)

// The naive baseline of `motcua bench index`: a table with one row per index record (a dossier
// as counted for one unit) holding what index.Record needs, and a fold of a unit's records
// with index.Contributions and index.Tally — what an index query would cost without rollups.
// Times are Unix seconds (0: not happened) and the booleans one bit mask, which makes the
// baseline cheaper to read than a real dossiers table, never dearer. The table lives only in
// the scratch database the benchmark runs on; it is no part of the schema.

const benchRecordsDDL = `CREATE TABLE bench_records (
	unit TEXT NOT NULL, procedure TEXT NOT NULL, channel BIGINT NOT NULL,
	received_at BIGINT NOT NULL, due_at BIGINT NOT NULL, early_by BIGINT NOT NULL,
	processed_at BIGINT NOT NULL, returned_at BIGINT NOT NULL, refused_at BIGINT NOT NULL,
	withdrawn_at BIGINT NOT NULL, stopped_at BIGINT NOT NULL,
	supplement_requests BIGINT NOT NULL, second_supplement_at BIGINT NOT NULL,
	processing_minutes BIGINT NOT NULL, flags BIGINT NOT NULL, rating BIGINT NOT NULL)`

// benchRecordCols is the number of columns of bench_records.
const benchRecordCols = 16

// benchSQLiteRows is the number of rows per INSERT on SQLite (16 values each, below SQLite's
// limit of 32,766 bind values); benchPGRows the rows per unnest INSERT on PostgreSQL.
const (
	benchSQLiteRows = 1000
	benchPGRows     = 10_000
)

// BenchRecords loads records into a new bench_records table (replacing any) and indexes it by
// unit and receipt time, the index a dossiers table has for listing a unit's dossiers. next
// returns the records one by one and false at the end. Rows are written in transactions of
// about 100,000. Times are stored to the second.
func (s *Store) BenchRecords(ctx context.Context, next func() (index.Record, bool)) (int, error) {
	err := s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DROP TABLE IF EXISTS bench_records"); err != nil {
			return err
		}
		_, err := tx.exec(ctx, benchRecordsDDL)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("bench records: %w", err)
	}
	per := benchSQLiteRows
	if s.engine == Postgres {
		per = benchPGRows
	}
	n := 0
	for done := false; !done; {
		err := s.InTx(ctx, func(tx *Tx) error {
			for stmts := 0; stmts < 100_000/per; stmts++ {
				var rows []index.Record
				for len(rows) < per {
					r, ok := next()
					if !ok {
						done = true
						break
					}
					rows = append(rows, r)
				}
				if len(rows) == 0 {
					return nil
				}
				if err := tx.insertBenchRecords(ctx, rows); err != nil {
					return err
				}
				n += len(rows)
				if done {
					return nil
				}
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("bench records: %w", err)
		}
	}
	err = s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "CREATE INDEX bench_records_unit ON bench_records (unit, received_at)"); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "ANALYZE bench_records")
		return err
	})
	if err != nil {
		return n, fmt.Errorf("bench records: index: %w", err)
	}
	return n, nil
}

// DropBenchRecords removes the bench_records table.
func (s *Store) DropBenchRecords(ctx context.Context) error {
	return s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DROP TABLE IF EXISTS bench_records")
		return err
	})
}

func (tx *Tx) insertBenchRecords(ctx context.Context, rows []index.Record) error {
	if tx.s.engine == Postgres {
		units, procs := make([]string, len(rows)), make([]string, len(rows))
		nums := make([][]int64, benchRecordCols-2)
		for i := range rows {
			v := benchRecordValues(&rows[i])
			units[i], procs[i] = rows[i].Unit, rows[i].Procedure
			for j := range nums {
				nums[j] = append(nums[j], v[j])
			}
		}
		args := []any{units, procs}
		for _, c := range nums {
			args = append(args, c)
		}
		q := "INSERT INTO bench_records SELECT * FROM unnest(?::text[], ?::text[]" + strings.Repeat(", ?::bigint[]", benchRecordCols-2) + ")"
		_, err := tx.exec(ctx, q, args...)
		return err
	}
	row := "(" + strings.Repeat("?, ", benchRecordCols-1) + "?)"
	q := "INSERT INTO bench_records VALUES " + strings.Repeat(row+", ", len(rows)-1) + row
	args := make([]any, 0, len(rows)*benchRecordCols)
	for i := range rows {
		args = append(args, rows[i].Unit, rows[i].Procedure)
		for _, v := range benchRecordValues(&rows[i]) {
			args = append(args, v)
		}
	}
	_, err := tx.exec(ctx, q, args...)
	return err
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}

// benchRecordValues returns the numeric columns of a record, in column order after unit and
// procedure.
func benchRecordValues(r *index.Record) []int64 {
	var flags int64
	for i, b := range []bool{r.Synced, r.PaperResultRequired, r.FeeBearing, r.PaidOnline, r.Digitized, r.Reused,
		r.ResultIsDocument, r.EResult, r.VaultLinked, r.PopulationDataUsed, r.HasNegativeFeedback} {
		if b {
			flags |= 1 << i
		}
	}
	return []int64{int64(r.Channel), unixOrZero(r.ReceivedAt), unixOrZero(r.DueAt), unixOrZero(r.EarlyBy),
		unixOrZero(r.ProcessedAt), unixOrZero(r.ReturnedAt), unixOrZero(r.RefusedAt), unixOrZero(r.WithdrawnAt),
		unixOrZero(r.StoppedAt), int64(r.SupplementRequests), unixOrZero(r.SecondSupplementAt), r.ProcessingMinutes,
		flags, int64(r.Rating)}
}

// NaiveTotals is the baseline: it reads every bench record of the unit received before the
// period ends and folds them with index.Contributions and index.Tally. The result equals
// RollupTotals over rollups built from the same records.
func (s *Store) NaiveTotals(ctx context.Context, unit string, p index.Period) (index.Totals, error) {
	rows, err := s.r.QueryContext(ctx, s.rebind(`SELECT procedure, channel, received_at, due_at, early_by, processed_at, returned_at,
		refused_at, withdrawn_at, stopped_at, supplement_requests, second_supplement_at, processing_minutes, flags, rating
		FROM bench_records WHERE unit = ? AND received_at < ?`), unit, p.To.AddDays(1).Time().Unix())
	if err != nil {
		return index.Totals{}, fmt.Errorf("naive totals %s: %w", unit, err)
	}
	defer rows.Close()
	var out []index.Row
	var t [9]int64
	var channel, supp, flags, rating int64
	r := index.Record{Unit: unit}
	for rows.Next() {
		if err := rows.Scan(&r.Procedure, &channel, &t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], &t[7],
			&supp, &t[8], &r.ProcessingMinutes, &flags, &rating); err != nil {
			return index.Totals{}, fmt.Errorf("naive totals %s: %w", unit, err)
		}
		r.Channel, r.SupplementRequests, r.Rating = index.Channel(channel), int(supp), index.Rating(rating)
		r.ReceivedAt, r.DueAt, r.EarlyBy = timeOrZero(t[0]), timeOrZero(t[1]), timeOrZero(t[2])
		r.ProcessedAt, r.ReturnedAt, r.RefusedAt = timeOrZero(t[3]), timeOrZero(t[4]), timeOrZero(t[5])
		r.WithdrawnAt, r.StoppedAt, r.SecondSupplementAt = timeOrZero(t[6]), timeOrZero(t[7]), timeOrZero(t[8])
		for i, b := range []*bool{&r.Synced, &r.PaperResultRequired, &r.FeeBearing, &r.PaidOnline, &r.Digitized, &r.Reused,
			&r.ResultIsDocument, &r.EResult, &r.VaultLinked, &r.PopulationDataUsed, &r.HasNegativeFeedback} {
			*b = flags&(1<<i) != 0
		}
		for _, c := range index.Contributions(r) {
			out = append(out, index.Row(c))
		}
	}
	if err := rows.Err(); err != nil {
		return index.Totals{}, fmt.Errorf("naive totals %s: %w", unit, err)
	}
	return index.Tally(p, out), nil
}
