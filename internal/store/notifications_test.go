package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestContractNotifications: notices are listed per unit, newest first, with their fields;
// the unread count follows each officer's mark, which never moves back; a notice without its
// required fields is refused and writes nothing.
func TestContractNotifications(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
		due := at.Add(8 * time.Hour)
		notify := func(n store.Notification) error {
			return s.InTx(ctx, func(tx *store.Tx) error { return tx.Notify(ctx, n) })
		}
		for i, n := range []store.Notification{
			{Unit: "xa-a", Kind: "desk.new_online_dossier", DossierID: "d1", CreatedAt: at},
			{Unit: "xa-b", Kind: "dossier.overdue", DossierID: "d2", Code: "X-1", DueAt: due, CreatedAt: at.Add(time.Minute)},
			{Unit: "xa-a", Kind: "desk.accept_deadline", DossierID: "d1", DueAt: due, CreatedAt: at.Add(2 * time.Minute)},
		} {
			if err := notify(n); err != nil {
				t.Fatalf("notice %d: %v", i, err)
			}
		}
		if err := notify(store.Notification{Unit: "xa-a", Kind: "x", CreatedAt: at}); err == nil {
			t.Fatal("a notice without a dossier was accepted")
		}
		got, err := s.Notifications(ctx, []string{"xa-a"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Kind != "desk.accept_deadline" || got[1].Kind != "desk.new_online_dossier" || got[0].ID <= got[1].ID {
			t.Fatalf("xa-a notices %+v: want the two, newest first", got)
		}
		if !got[0].DueAt.Equal(due) || !got[1].DueAt.IsZero() || !got[1].CreatedAt.Equal(at) || got[0].DossierID != "d1" {
			t.Errorf("fields read back wrong: %+v", got)
		}
		both, _ := s.Notifications(ctx, []string{"xa-a", "xa-b"}, 2)
		if len(both) != 2 || both[1].Code != "X-1" {
			t.Errorf("two units, limit 2: %+v", both)
		}
		if none, _ := s.Notifications(ctx, nil, 10); len(none) != 0 {
			t.Errorf("no units: %+v", none)
		}
		unread := func(user string, units ...string) int {
			t.Helper()
			n, err := s.UnreadNotifications(ctx, user, units, 99)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := unread("an", "xa-a", "xa-b"); n != 3 {
			t.Errorf("unread before any mark: %d, want 3", n)
		}
		if err := s.MarkNotificationsSeen(ctx, "an", got[1].ID); err != nil {
			t.Fatal(err)
		}
		if n := unread("an", "xa-a", "xa-b"); n != 2 {
			t.Errorf("unread after seeing the first: %d, want 2", n)
		}
		if n := unread("binh", "xa-a"); n != 2 {
			t.Errorf("another officer's count moved: %d, want 2", n)
		}
		s.MarkNotificationsSeen(ctx, "an", got[0].ID)
		s.MarkNotificationsSeen(ctx, "an", got[1].ID) // an older page: the mark stays
		if n := unread("an", "xa-a", "xa-b"); n != 0 {
			t.Errorf("unread after seeing all: %d, want 0", n)
		}
		if n, _ := s.UnreadNotifications(ctx, "binh", []string{"xa-a", "xa-b"}, 1); n != 1 {
			t.Errorf("unread capped at 1: %d", n)
		}
	})
}
