package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestApprovalQueuePages: the leader's approval queue holds exactly the dossiers whose current
// step is the leader's, sorted by due time (not by the order they were filed), with an exact
// total on every page. On both engines.
func TestApprovalQueuePages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newIxEngine(t, s)
		ctx := context.Background()
		specialist := ixOfficer(ixUnit, auth.RoleSpecialist)
		leader := ixOfficer(ixUnit, auth.RoleLeader)
		monday := time.Date(2026, 10, 5, 8, 0, 0, 0, calendar.VN)
		// Received on these days of the week (so due in this order of days), filed in this order.
		days := []int{3, 0, 4, 1, 2}
		var want []string // ids in due order
		due := map[string]time.Time{}
		for _, d := range days {
			at := monday.AddDate(0, 0, d)
			v := e.receive(at, false, true)
			v = e.act(at.Add(time.Hour), specialist, v.ID, "forward", map[string]any{"note": "Đủ điều kiện"})
			due[v.ID] = v.DueAt
			want = append(want, v.ID)
		}
		// Two more stay with the specialist: not awaiting the leader.
		for range 2 {
			e.receive(monday.AddDate(0, 0, 1), false, true)
		}
		slices.SortFunc(want, func(x, y string) int {
			if c := due[x].Compare(due[y]); c != 0 {
				return c
			}
			return strings.Compare(x, y)
		})
		if due[want[0]].Equal(due[want[len(want)-1]]) {
			t.Fatalf("the dossiers should have different due times: %v", due)
		}
		var got []string
		for off := 0; off < 6; off += 2 {
			views, total, err := e.a.ConsoleQueue(ctx, leader, app.QueueApproval, app.ListFilter{Limit: 2, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			if total != len(want) {
				t.Errorf("offset %d: total %d, want %d", off, total, len(want))
			}
			if wantLen := min(2, len(want)-off); len(views) != wantLen {
				t.Errorf("offset %d: %d dossiers, want %d", off, len(views), wantLen)
			}
			for _, v := range views {
				got = append(got, v.ID)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("approval queue %v, want (by due time) %v", got, want)
		}
		views, total, err := e.a.ConsoleQueue(ctx, leader, app.QueueApproval, app.ListFilter{Limit: 2, Offset: 10})
		if err != nil || len(views) != 0 || total != len(want) {
			t.Errorf("past the end: %d dossiers of %d (%v), want none of %d", len(views), total, err, len(want))
		}
	})
}
