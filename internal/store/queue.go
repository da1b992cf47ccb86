package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The counters' queue: tickets per desk and service area, numbered from 1 each day. A ticket
// is waiting when issued, called when an officer calls it to a counter, then served or
// no_show. Numbers come from an upsert counter taken in the issuing transaction (as the
// dossier codes), so a rolled-back issue gives its number back.

// Ticket states.
const (
	TicketWaiting = "waiting"
	TicketCalled  = "called"
	TicketServed  = "served"
	TicketNoShow  = "no_show"
)

// QueueTicket is one queue ticket. Day is Vietnam's civil date of issue (YYYY-MM-DD); Seq
// the ticket's number in its desk, area and day; Counter the counter it was called to (0
// before); CalledAt and FinishedAt are zero until then.
type QueueTicket struct {
	ID         int64
	Desk       string
	Area       string
	Day        string
	Seq        int64
	State      string
	Counter    int
	CalledBy   string
	Recalls    int
	IssuedAt   time.Time
	CalledAt   time.Time
	FinishedAt time.Time
}

const ticketColumns = `id, desk, area, day, seq, state, counter, called_by, recalls, issued_at, called_at, finished_at`

func scanTicket(sc interface{ Scan(...any) error }) (QueueTicket, error) {
	var t QueueTicket
	err := sc.Scan(&t.ID, &t.Desk, &t.Area, &t.Day, &t.Seq, &t.State, &t.Counter, &t.CalledBy, &t.Recalls,
		zeroTime{&t.IssuedAt}, zeroTime{&t.CalledAt}, zeroTime{&t.FinishedAt})
	return t, err
}

func checkDay(day string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return fmt.Errorf("day %q is not YYYY-MM-DD", day)
	}
	return nil
}

// NextTicketSeq returns the next number of a desk's service area on day, incremented inside
// the caller's transaction: no gaps, no duplicates.
func (tx *Tx) NextTicketSeq(ctx context.Context, desk, area, day string) (int64, error) {
	if desk == "" || area == "" {
		return 0, errors.New("next ticket number: desk and area are required")
	}
	if err := checkDay(day); err != nil {
		return 0, fmt.Errorf("next ticket number: %w", err)
	}
	var n int64
	err := tx.queryRow(ctx, `INSERT INTO queue_sequences (desk, area, day, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (desk, area, day) DO UPDATE SET last = queue_sequences.last + 1 RETURNING last`, desk, area, day).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next ticket number %s %s %s: %w", desk, area, day, tx.s.translate(err))
	}
	return n, nil
}

// InsertTicket stores a waiting ticket numbered seq in the caller's transaction and returns it
// with its id.
func (tx *Tx) InsertTicket(ctx context.Context, desk, area, day string, seq int64, at time.Time) (QueueTicket, error) {
	t, err := scanTicket(tx.queryRow(ctx, `INSERT INTO queue_tickets (desk, area, day, seq, state, issued_at) VALUES (?, ?, ?, ?, ?, ?)
		RETURNING `+ticketColumns, desk, area, day, seq, TicketWaiting, at))
	if err != nil {
		return QueueTicket{}, fmt.Errorf("insert ticket %s %s-%d: %w", desk, area, seq, tx.s.translate(err))
	}
	return t, nil
}

// IssueTicket takes the next number of a desk's area on day and stores the waiting ticket,
// in one transaction.
func (s *Store) IssueTicket(ctx context.Context, desk, area, day string, at time.Time) (QueueTicket, error) {
	var t QueueTicket
	err := s.InTx(ctx, func(tx *Tx) error {
		seq, err := tx.NextTicketSeq(ctx, desk, area, day)
		if err != nil {
			return err
		}
		t, err = tx.InsertTicket(ctx, desk, area, day, seq, at)
		return err
	})
	if err != nil {
		return QueueTicket{}, fmt.Errorf("issue ticket: %w", err)
	}
	return t, nil
}

// CallQuery is a call of the next ticket to a counter: among the desk's tickets of Day still
// waiting (of Areas, all areas when empty), tickets of the First area go before the others,
// then the oldest first.
type CallQuery struct {
	Desk    string
	Day     string
	Areas   []string
	First   string
	Counter int
	By      string
	At      time.Time
}

// CallNextTicket calls the next waiting ticket to a counter. The ticket the counter was
// serving, if any, is marked served in the same transaction (calling the next person means
// the previous one is done). Concurrent calls never get the same ticket: on PostgreSQL the
// candidate is locked with SKIP LOCKED, on SQLite the single writer serializes them.
// ErrNotFound when nobody is waiting.
func (s *Store) CallNextTicket(ctx context.Context, q CallQuery) (QueueTicket, error) {
	if q.Counter <= 0 {
		return QueueTicket{}, errors.New("call next ticket: counter must be positive")
	}
	if err := checkDay(q.Day); err != nil {
		return QueueTicket{}, fmt.Errorf("call next ticket: %w", err)
	}
	inner := `SELECT id FROM queue_tickets WHERE desk = ? AND day = ? AND state = ?`
	args := []any{TicketCalled, q.Counter, q.By, q.At, q.Desk, q.Day, TicketWaiting}
	if len(q.Areas) > 0 {
		inner += ` AND area IN (?` + strings.Repeat(`, ?`, len(q.Areas)-1) + `)`
		for _, a := range q.Areas {
			args = append(args, a)
		}
	}
	inner += ` ORDER BY CASE WHEN area = ? THEN 0 ELSE 1 END, id LIMIT 1` + s.skipLocked()
	args = append(args, q.First)
	var t QueueTicket
	err := s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE queue_tickets SET state = ?, finished_at = ? WHERE desk = ? AND day = ? AND state = ? AND counter = ?`,
			TicketServed, q.At, q.Desk, q.Day, TicketCalled, q.Counter); err != nil {
			return err
		}
		var err error
		t, err = scanTicket(tx.queryRow(ctx, `UPDATE queue_tickets SET state = ?, counter = ?, called_by = ?, called_at = ?
			WHERE id = (`+inner+`) RETURNING `+ticketColumns, args...))
		return tx.s.translate(err)
	})
	if errors.Is(err, ErrNotFound) {
		return QueueTicket{}, ErrNotFound
	}
	if err != nil {
		return QueueTicket{}, fmt.Errorf("call next ticket %s: %w", q.Desk, err)
	}
	return t, nil
}

// RecallTicket calls a called ticket again (the person did not come yet): the call time moves
// and the recall count grows. ErrNotFound unless the desk's ticket id is in state called.
func (s *Store) RecallTicket(ctx context.Context, desk string, id int64, at time.Time) (QueueTicket, error) {
	return s.updateCalledTicket(ctx, desk, id, `recalls = recalls + 1, called_at = ?`, at)
}

// FinishTicket ends a called ticket as served or no_show. ErrNotFound unless the desk's
// ticket id is in state called.
func (s *Store) FinishTicket(ctx context.Context, desk string, id int64, state string, at time.Time) (QueueTicket, error) {
	if state != TicketServed && state != TicketNoShow {
		return QueueTicket{}, fmt.Errorf("finish ticket: state %q is not served or no_show", state)
	}
	return s.updateCalledTicket(ctx, desk, id, `state = '`+state+`', finished_at = ?`, at)
}

func (s *Store) updateCalledTicket(ctx context.Context, desk string, id int64, set string, at time.Time) (QueueTicket, error) {
	var t QueueTicket
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		t, err = scanTicket(tx.queryRow(ctx, `UPDATE queue_tickets SET `+set+` WHERE id = ? AND desk = ? AND state = ? RETURNING `+ticketColumns,
			at, id, desk, TicketCalled))
		return tx.s.translate(err)
	})
	if errors.Is(err, ErrNotFound) {
		return QueueTicket{}, ErrNotFound
	}
	if err != nil {
		return QueueTicket{}, fmt.Errorf("update ticket %d: %w", id, err)
	}
	return t, nil
}

// Ticket returns one ticket by id; ErrNotFound when there is none.
func (s *Store) Ticket(ctx context.Context, id int64) (QueueTicket, error) {
	t, err := scanTicket(s.queryRow(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE id = ?`, id))
	if err != nil {
		return QueueTicket{}, fmt.Errorf("ticket %d: %w", id, s.translate(err))
	}
	return t, nil
}

// QueueTickets returns a desk's tickets of day in the given states (all when none), in issue
// order, at most limit (100 when limit <= 0).
func (s *Store) QueueTickets(ctx context.Context, desk, day string, states []string, limit int) ([]QueueTicket, error) {
	if limit <= 0 {
		limit = 100
	}
	q := `SELECT ` + ticketColumns + ` FROM queue_tickets WHERE desk = ? AND day = ?`
	args := []any{desk, day}
	if len(states) > 0 {
		q += ` AND state IN (?` + strings.Repeat(`, ?`, len(states)-1) + `)`
		for _, st := range states {
			args = append(args, st)
		}
	}
	q += ` ORDER BY id LIMIT ?`
	args = append(args, limit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("queue tickets %s: %w", desk, err)
	}
	defer rows.Close()
	out := []QueueTicket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("queue tickets %s: %w", desk, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue tickets %s: %w", desk, err)
	}
	return out, nil
}

// QueueCounts returns, per service area, how many of a desk's tickets of day are waiting.
func (s *Store) QueueCounts(ctx context.Context, desk, day string) (map[string]int, error) {
	rows, err := s.query(ctx, `SELECT area, COUNT(*) FROM queue_tickets WHERE desk = ? AND day = ? AND state = ? GROUP BY area`, desk, day, TicketWaiting)
	if err != nil {
		return nil, fmt.Errorf("queue counts %s: %w", desk, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var area string
		var n int
		if err := rows.Scan(&area, &n); err != nil {
			return nil, fmt.Errorf("queue counts %s: %w", desk, err)
		}
		out[area] = n
	}
	return out, rows.Err()
}

// WaitingBefore counts the tickets of the same desk and day still waiting that were issued
// before t (the people ahead of its holder, all areas together).
func (s *Store) WaitingBefore(ctx context.Context, t QueueTicket) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM queue_tickets WHERE desk = ? AND day = ? AND state = ? AND id < ?`,
		t.Desk, t.Day, TicketWaiting, t.ID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("waiting before ticket %d: %w", t.ID, err)
	}
	return n, nil
}

// ReturnedDossier is a dossier whose result was handed back, with when and by which unit
// (the unit of the result_returned event).
type ReturnedDossier struct {
	Dossier    DossierRow
	ReturnedAt time.Time
}

// scanWith scans the columns of scanDossier followed by extra destinations.
type scanWith struct {
	rows  *sql.Rows
	extra []any
}

func (x scanWith) Scan(dest ...any) error { return x.rows.Scan(append(dest, x.extra...)...) }

// ReturnedAtUnit lists the dossiers still in state returned whose result a unit handed back
// since a time, the latest first, at most limit (50 when limit <= 0).
func (s *Store) ReturnedAtUnit(ctx context.Context, unit string, since time.Time, limit int) ([]ReturnedDossier, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.query(ctx, `SELECT `+dossierColumns+`, e.at FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
		WHERE e.type = 'result_returned' AND e.unit = ? AND e.at >= ? AND d.state = 'returned'
		ORDER BY e.at DESC, d.id LIMIT ?`, unit, since, limit)
	if err != nil {
		return nil, fmt.Errorf("returned at %s: %w", unit, err)
	}
	defer rows.Close()
	out := []ReturnedDossier{}
	for rows.Next() {
		var r ReturnedDossier
		if r.Dossier, err = scanDossier(scanWith{rows, []any{zeroTime{&r.ReturnedAt}}}); err != nil {
			return nil, fmt.Errorf("returned at %s: %w", unit, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("returned at %s: %w", unit, err)
	}
	return out, nil
}
