package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The database is the queue (DESIGN: deadlines and notifications are never kept only in
// memory). Outbox messages and jobs are written in the transaction of the command that caused
// them, found by query when due, and claimed with a lease: a claimed row is invisible to other
// claimers until its lease ends, so a worker that dies leaves its work to be claimed again.
// Delivery is therefore at least once; consumers deduplicate by the message's key or the job's
// identity. On PostgreSQL job claims use FOR UPDATE SKIP LOCKED so that several processes claim
// different rows without waiting for each other, and outbox claims lease only messages still
// unleased (see ClaimOutbox); on SQLite the single writer serializes them.

// skipLocked returns the locking clause of a claim's inner SELECT.
func (s *Store) skipLocked() string {
	if s.engine == Postgres {
		return ` FOR UPDATE SKIP LOCKED`
	}
	return ``
}

// OutboxMsg is a message waiting to leave the system. Attempts counts the claims, this one
// included; LastError is the last failure recorded by RetryOutbox.
type OutboxMsg struct {
	ID         int64
	Topic, Key string
	Payload    []byte
	CreatedAt  time.Time
	Attempts   int
	LastError  string
}

// Enqueue adds a message to the outbox in the caller's transaction, so it leaves the system if
// and only if the change that caused it commits. Messages with the same topic and non-empty
// key are claimed in order, one at a time.
func (tx *Tx) Enqueue(ctx context.Context, topic, key string, payload []byte, at time.Time) error {
	if topic == "" {
		return errors.New("enqueue: no topic")
	}
	if payload == nil {
		payload = []byte{}
	}
	if _, err := tx.exec(ctx, `INSERT INTO outbox (topic, key, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?)`,
		topic, key, payload, at, at); err != nil {
		return fmt.Errorf("enqueue %s: %w", topic, err)
	}
	return nil
}

// OutboxItem is one outbox message of a DossierChange.
type OutboxItem struct {
	Payload []byte
	At      time.Time
}

// ClaimOutbox leases up to n due messages of a topic (all topics when topic is "") for lease,
// oldest first. A message is due when it is unsent, its next attempt time has come, its lease
// (if any) has ended, and no earlier unsent message has the same topic and key.
//
// The unsent messages are walked in id order (index outbox_unsent) and each key's order is
// kept here: every unsent message, due or not, blocks the later messages of its key. The walk
// stops once n messages are chosen, so it reads about as many rows as it claims while the
// messages flow, and the whole backlog only when most of it is blocked. The lease is then set
// only on chosen messages still unsent and unleased, so that two claimers never lease the
// same message; and a message stays unsent (blocking its key) until MarkSent, so two claimers
// never lease two messages of one key either.
func (s *Store) ClaimOutbox(ctx context.Context, topic string, n int, lease time.Duration, now time.Time) ([]OutboxMsg, error) {
	if n <= 0 {
		return []OutboxMsg{}, nil
	}
	var out []OutboxMsg
	err := s.InTx(ctx, func(tx *Tx) error {
		out = out[:0]
		q, args := unsentAll, []any(nil)
		if topic != "" {
			q, args = unsentOfTopic, []any{topic}
		}
		chosen, err := s.chooseDue(ctx, tx, q, args, n, now)
		if err != nil {
			return err
		}
		if len(chosen) == 0 {
			return nil
		}
		upd := `UPDATE outbox SET leased_until = ?, attempts = attempts + 1
			WHERE id IN (` + placeholders(len(chosen)) + `) AND sent_at IS NULL AND (leased_until IS NULL OR leased_until <= ?)
			RETURNING id, topic, key, payload, created_at, attempts, last_error`
		args = append(append([]any{now.Add(lease)}, chosen...), now)
		res, err := tx.tx.QueryContext(tx.stmtContext(ctx), s.rebind(upd), normalizeArgs(args)...)
		if err != nil {
			return s.translate(err)
		}
		defer res.Close()
		for res.Next() {
			var m OutboxMsg
			if err := res.Scan(&m.ID, &m.Topic, &m.Key, &m.Payload, zeroTime{&m.CreatedAt}, &m.Attempts, &m.LastError); err != nil {
				return err
			}
			out = append(out, m)
		}
		return res.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	slices.SortFunc(out, func(a, b OutboxMsg) int { return cmp.Compare(a.ID, b.ID) })
	if out == nil {
		out = []OutboxMsg{}
	}
	return out, nil
}

// unsentOfTopic walks one topic's unsent messages in id order, along the partial index
// outbox_unsent (topic, id) (migration 0017): a topic nobody delivers (SMS and e-mail without
// a gateway) piles up, and the national portal's dispatcher must not read that pile every
// few seconds. unsentAll (every topic; tests and tools) reads the table in id order.
const (
	unsentOfTopic = `SELECT id, topic, key, next_at, leased_until FROM outbox WHERE sent_at IS NULL AND topic = ? ORDER BY id`
	unsentAll     = `SELECT id, topic, key, next_at, leased_until FROM outbox WHERE sent_at IS NULL ORDER BY id`
)

// chooseDue walks the unsent messages q selects, in id order, and returns the ids of up to n
// due ones whose key no earlier unsent message holds (see ClaimOutbox).
func (s *Store) chooseDue(ctx context.Context, tx *Tx, q string, args []any, n int, now time.Time) ([]any, error) {
	rows, err := tx.tx.QueryContext(tx.stmtContext(ctx), s.rebind(q), normalizeArgs(args)...)
	if err != nil {
		return nil, s.translate(err)
	}
	defer rows.Close()
	type topicKey struct{ topic, key string }
	blocked := map[topicKey]bool{}
	var chosen []any
	for len(chosen) < n && rows.Next() {
		var id int64
		var k topicKey
		var next, leased time.Time
		if err := rows.Scan(&id, &k.topic, &k.key, zeroTime{&next}, zeroTime{&leased}); err != nil {
			return nil, err
		}
		if k.key != "" {
			if blocked[k] {
				continue
			}
			blocked[k] = true
		}
		if !next.After(now) && !leased.After(now) {
			chosen = append(chosen, id)
		}
	}
	return chosen, rows.Err()
}

// MarkSent records that a message left the system; it is never claimed again.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE outbox SET sent_at = ?, leased_until = NULL WHERE id = ?`, at, id)
		if err != nil {
			return fmt.Errorf("mark outbox %d sent: %w", id, err)
		}
		return affectedOne(res, fmt.Sprintf("outbox message %d", id))
	})
}

// RetryOutbox records a failed delivery and makes the message due again at nextAt.
func (s *Store) RetryOutbox(ctx context.Context, id int64, lastErr string, nextAt time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE outbox SET last_error = ?, next_at = ?, leased_until = NULL WHERE id = ? AND sent_at IS NULL`, lastErr, nextAt, id)
		if err != nil {
			return fmt.Errorf("retry outbox %d: %w", id, err)
		}
		return affectedOne(res, fmt.Sprintf("unsent outbox message %d", id))
	})
}

// Job is a durable job: a kind (what to do), the dossier it concerns ("" for none), when it is
// scheduled, and its payload. Attempts counts the claims, the current one included; LastError
// is the last failure recorded by FailJob.
type Job struct {
	ID        int64
	Kind      string
	DossierID string
	RunAt     time.Time
	Payload   []byte
	Attempts  int
	LastError string
}

// ScheduleJob schedules a job in the caller's transaction. A job is identified by (kind,
// dossier, run time): scheduling the same one again, even after it finished, does nothing.
func (tx *Tx) ScheduleJob(ctx context.Context, j Job) error {
	if j.Kind == "" || j.RunAt.IsZero() {
		return errors.New("schedule job: kind and run time are required")
	}
	if j.Payload == nil {
		j.Payload = []byte{}
	}
	if _, err := tx.exec(ctx, `INSERT INTO jobs (kind, dossier_id, run_at, next_at, payload) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (dossier_id, kind, run_at) DO NOTHING`, j.Kind, j.DossierID, j.RunAt, j.RunAt, j.Payload); err != nil {
		return fmt.Errorf("schedule job %s for %q: %w", j.Kind, j.DossierID, err)
	}
	return nil
}

// CancelJobs deletes a dossier's unfinished jobs of the given kinds (all kinds when none are
// given), including jobs being run: FinishJob and FailJob on them then report ErrNotFound.
func (tx *Tx) CancelJobs(ctx context.Context, dossierID string, kinds ...string) error {
	q := `DELETE FROM jobs WHERE dossier_id = ? AND done_at IS NULL`
	args := []any{dossierID}
	if len(kinds) > 0 {
		q += ` AND kind IN (` + placeholders(len(kinds)) + `)`
		args = appendStrings(args, kinds)
	}
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("cancel jobs of %q: %w", dossierID, err)
	}
	return nil
}

// ClaimJobs leases up to n due jobs (next run time reached, unfinished, not leased or lease
// ended) for lease, earliest first. Safe with several processes: a job is leased to one
// claimer at a time.
func (s *Store) ClaimJobs(ctx context.Context, now time.Time, n int, lease time.Duration) ([]Job, error) {
	if n <= 0 {
		return []Job{}, nil
	}
	q := `UPDATE jobs SET leased_until = ?, attempts = attempts + 1 WHERE id IN (
		SELECT j.id FROM jobs j WHERE j.done_at IS NULL AND j.next_at <= ? AND (j.leased_until IS NULL OR j.leased_until <= ?)
		ORDER BY j.next_at, j.id LIMIT ?` + s.skipLocked() + `)
		RETURNING id, kind, dossier_id, run_at, next_at, payload, attempts, last_error`
	type claimed struct {
		Job
		next time.Time
	}
	var got []claimed
	err := s.InTx(ctx, func(tx *Tx) error {
		got = got[:0]
		rows, err := tx.tx.QueryContext(tx.stmtContext(ctx), s.rebind(q), normalizeArgs([]any{now.Add(lease), now, now, n})...)
		if err != nil {
			return s.translate(err)
		}
		defer rows.Close()
		for rows.Next() {
			var c claimed
			if err := rows.Scan(&c.ID, &c.Kind, &c.DossierID, zeroTime{&c.RunAt}, zeroTime{&c.next}, &c.Payload, &c.Attempts, &c.LastError); err != nil {
				return err
			}
			got = append(got, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	slices.SortFunc(got, func(a, b claimed) int {
		if c := a.next.Compare(b.next); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	out := make([]Job, len(got))
	for i, c := range got {
		out[i] = c.Job
	}
	return out, nil
}

// FinishJob marks a job done; its row stays so that the same job is not scheduled again.
func (s *Store) FinishJob(ctx context.Context, id int64) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE jobs SET done_at = ?, leased_until = NULL WHERE id = ? AND done_at IS NULL`, time.Now(), id)
		if err != nil {
			return fmt.Errorf("finish job %d: %w", id, err)
		}
		return affectedOne(res, fmt.Sprintf("unfinished job %d", id))
	})
}

// FailJob records a failed run and makes the job due again at retryAt.
func (s *Store) FailJob(ctx context.Context, id int64, errText string, retryAt time.Time) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE jobs SET last_error = ?, next_at = ?, leased_until = NULL WHERE id = ? AND done_at IS NULL`, errText, retryAt, id)
		if err != nil {
			return fmt.Errorf("fail job %d: %w", id, err)
		}
		return affectedOne(res, fmt.Sprintf("unfinished job %d", id))
	})
}

// CountJobs counts the unfinished jobs of a kind (of every kind when kind is "").
func (s *Store) CountJobs(ctx context.Context, kind string) (pending int, err error) {
	q, args := `SELECT COUNT(*) FROM jobs WHERE done_at IS NULL`, []any{}
	if kind != "" {
		q += ` AND kind = ?`
		args = append(args, kind)
	}
	if err := s.queryRow(ctx, q, args...).Scan(&pending); err != nil {
		return 0, fmt.Errorf("count jobs: %w", s.translate(err))
	}
	return pending, nil
}

// FileRow is the metadata of an uploaded file; the content is in the blob store under Hash.
type FileRow struct {
	Hash      string
	Size      int64
	MediaType string
	CreatedAt time.Time
}

// PutFile records a file's metadata; recording the same hash again does nothing.
func (tx *Tx) PutFile(ctx context.Context, hash string, size int64, mediaType string, at time.Time) error {
	if hash == "" {
		return errors.New("put file: no hash")
	}
	if _, err := tx.exec(ctx, `INSERT INTO files (hash, size, media_type, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
		hash, size, mediaType, at); err != nil {
		return fmt.Errorf("put file %s: %w", hash, err)
	}
	return nil
}

// PutUpload records that uploader (a principal's key) uploaded the file hash; recording it again
// does nothing.
func (tx *Tx) PutUpload(ctx context.Context, hash, uploader string, at time.Time) error {
	if hash == "" || uploader == "" {
		return errors.New("put upload: hash and uploader are required")
	}
	if _, err := tx.exec(ctx, `INSERT INTO file_uploads (hash, uploader, created_at) VALUES (?, ?, ?) ON CONFLICT (hash, uploader) DO NOTHING`,
		hash, uploader, at); err != nil {
		return fmt.Errorf("put upload %s: %w", hash, err)
	}
	return nil
}

// UploadedBy reports whether uploader uploaded the file hash.
func (s *Store) UploadedBy(ctx context.Context, uploader, hash string) (bool, error) {
	var one int
	err := s.queryRow(ctx, `SELECT 1 FROM file_uploads WHERE hash = ? AND uploader = ?`, hash, uploader).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("upload of %s by %s: %w", hash, uploader, s.translate(err))
	}
	return true, nil
}

// File returns a file's metadata; ErrNotFound when it was never recorded.
func (s *Store) File(ctx context.Context, hash string) (FileRow, error) {
	var f FileRow
	err := s.queryRow(ctx, `SELECT hash, size, media_type, created_at FROM files WHERE hash = ?`, hash).Scan(&f.Hash, &f.Size, &f.MediaType, zeroTime{&f.CreatedAt})
	if err != nil {
		return FileRow{}, fmt.Errorf("file %s: %w", hash, s.translate(err))
	}
	return f, nil
}

// OldestUnsent returns when the oldest unsent message of a topic was queued (ok false when
// the topic has none): the delivery lag an operator watches. One step along outbox_unsent.
func (s *Store) OldestUnsent(ctx context.Context, topic string) (at time.Time, ok bool, err error) {
	err = s.queryRow(ctx, `SELECT created_at FROM outbox WHERE sent_at IS NULL AND topic = ? ORDER BY id LIMIT 1`, topic).Scan(zeroTime{&at})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("oldest unsent %s: %w", topic, err)
	}
	return at, true, nil
}

// OutboxProblem is an unsent message that failed at least once: what it is, how often it was
// tried, the last failure and when it is tried again.
type OutboxProblem struct {
	ID                int64
	Key               string
	Payload           []byte
	CreatedAt, NextAt time.Time
	Attempts          int
	LastError         string
}

// RetryOutboxNow makes an unsent message of a topic due at now, with its audit entry, in one
// transaction: an administrator's "send again now" once the cause of its failures is fixed,
// instead of waiting for the next attempt. A message that is unknown, of another topic or
// already sent is ErrNotFound. A message being sent at this moment keeps its lease, so it is
// never claimed twice at once.
func (s *Store) RetryOutboxNow(ctx context.Context, topic string, id int64, now time.Time, audit AuditEntry) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE outbox SET next_at = ? WHERE id = ? AND topic = ? AND sent_at IS NULL`, now, id, topic)
		if err != nil {
			return fmt.Errorf("retry outbox %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("outbox message %d of %s: %w", id, topic, ErrNotFound)
		}
		return tx.AppendAudit(ctx, audit)
	})
}

// OutboxProblems returns the unsent messages of a topic that failed at least once, oldest
// first, at most limit (1 to 500; default 100). It walks the topic's unsent messages only.
func (s *Store) OutboxProblems(ctx context.Context, topic string, limit int) ([]OutboxProblem, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.query(ctx, `SELECT id, key, payload, created_at, next_at, attempts, last_error FROM outbox
		WHERE sent_at IS NULL AND topic = ? AND last_error <> '' ORDER BY id LIMIT ?`, topic, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox problems %s: %w", topic, err)
	}
	defer rows.Close()
	out := []OutboxProblem{}
	for rows.Next() {
		var p OutboxProblem
		if err := rows.Scan(&p.ID, &p.Key, &p.Payload, zeroTime{&p.CreatedAt}, zeroTime{&p.NextAt}, &p.Attempts, &p.LastError); err != nil {
			return nil, fmt.Errorf("outbox problems %s: %w", topic, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
