package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Notification is a notice for the officers of a unit (migration 0016): what happened (Kind,
// e.g. "desk.new_online_dossier"), about which dossier, and the deadline it concerns.
type Notification struct {
	ID        int64
	Unit      string
	Kind      string
	DossierID string
	Code      string    // the dossier's code, "" before reception
	DueAt     time.Time // the deadline the notice is about; zero for none
	CreatedAt time.Time
}

// Notify adds a notice in the caller's transaction (a job writes it with its other effects).
func (tx *Tx) Notify(ctx context.Context, n Notification) error {
	if n.Unit == "" || n.Kind == "" || n.DossierID == "" || n.CreatedAt.IsZero() {
		return errors.New("notify: unit, kind, dossier and time are required")
	}
	if _, err := tx.exec(ctx, `INSERT INTO notifications (unit, kind, dossier_id, code, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		n.Unit, n.Kind, n.DossierID, n.Code, nullableTime(n.DueAt), n.CreatedAt); err != nil {
		return fmt.Errorf("notify %s: %w", n.Unit, err)
	}
	return nil
}

// Notifications returns the newest notices of the units, newest first, at most limit (1 to
// 500; default 50).
func (s *Store) Notifications(ctx context.Context, units []string, limit int) ([]Notification, error) {
	out := []Notification{}
	if len(units) == 0 {
		return out, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	args := make([]any, 0, len(units)+1)
	for _, u := range units {
		args = append(args, u)
	}
	args = append(args, limit)
	rows, err := s.query(ctx, `SELECT id, unit, kind, dossier_id, code, due_at, created_at FROM notifications
		WHERE unit IN (`+placeholders(len(units))+`) ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.Unit, &n.Kind, &n.DossierID, &n.Code, zeroTime{&n.DueAt}, zeroTime{&n.CreatedAt}); err != nil {
			return nil, fmt.Errorf("notifications: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadNotifications counts the notices of the units newer than the last one the officer
// has seen, up to limit (the console shows "limit+" beyond).
func (s *Store) UnreadNotifications(ctx context.Context, username string, units []string, limit int) (int, error) {
	if len(units) == 0 {
		return 0, nil
	}
	args := []any{username}
	for _, u := range units {
		args = append(args, u)
	}
	args = append(args, limit)
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications
		WHERE id > COALESCE((SELECT seen_id FROM notification_marks WHERE username = ?), 0)
		AND unit IN (`+placeholders(len(units))+`) LIMIT ?) AS unread`, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("unread notifications: %w", err)
	}
	return n, nil
}

// MarkNotificationsSeen records that the officer has seen the notices up to id; the mark
// never moves back (an older page opened later does not make notices unread again).
func (s *Store) MarkNotificationsSeen(ctx context.Context, username string, id int64) error {
	return s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO notification_marks (username, seen_id) VALUES (?, ?)
			ON CONFLICT (username) DO UPDATE SET seen_id = CASE WHEN excluded.seen_id > notification_marks.seen_id
			THEN excluded.seen_id ELSE notification_marks.seen_id END`, username, id)
		if err != nil {
			return fmt.Errorf("mark notifications seen: %w", err)
		}
		return nil
	})
}

// NotificationMark returns the last notice the officer has seen (0 for none).
func (s *Store) NotificationMark(ctx context.Context, username string) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT COALESCE((SELECT seen_id FROM notification_marks WHERE username = ?), 0)`, username).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("notification mark: %w", err)
	}
	return id, nil
}
