package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestNotices: the deadline jobs leave notices for the units concerned — the receiving desk's
// unit before reception, the competent authority after — with the deadline they warn about;
// listing them marks them seen for that officer only.
func TestNotices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newIxEngine(t, s)
		ctx := context.Background()
		run := func(at time.Time) {
			t.Helper()
			e.set(at)
			if _, err := e.a.RunJobs(ctx, 100); err != nil {
				t.Fatal(err)
			}
		}
		kinds := func(p auth.Principal) ([]string, int) {
			t.Helper()
			unread, err := e.a.UnreadNotices(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			ns, err := e.a.Notices(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range ns {
				if n.Unread {
					out = append(out, n.Kind)
				}
			}
			return out, unread
		}
		desk, leader := ixOfficer(ixUnit, auth.RoleDesk), ixOfficer(ixUnit, auth.RoleLeader)
		monday := time.Date(2026, 10, 5, 8, 0, 0, 0, calendar.VN)
		e.set(monday)
		v := e.file(true, true)
		run(monday.Add(time.Minute))
		if got, n := kinds(desk); !slices.Equal(got, []string{"desk.new_online_dossier"}) || n != 1 {
			t.Fatalf("desk notices %v (unread %d), want the new online dossier", got, n)
		}
		if got, _ := kinds(desk); len(got) != 0 {
			t.Errorf("still unread after listing: %v", got)
		}
		v = e.act(monday.Add(time.Hour), desk, v.ID, "receive", nil)
		e.act(monday.Add(time.Hour), desk, v.ID, "forward", nil)
		run(v.DueAt.Add(time.Minute))
		got, _ := kinds(leader)
		for _, want := range []string{"dossier.due_soon", "dossier.overdue", "desk.new_online_dossier"} {
			if !slices.Contains(got, want) {
				t.Errorf("leader's unread notices %v lack %s", got, want)
			}
		}
		ns, _ := e.a.Notices(ctx, leader)
		for _, n := range ns {
			if n.Kind == "dossier.overdue" && (!n.DueAt.Equal(v.DueAt) || n.DossierID != v.ID || n.Code == "") {
				t.Errorf("overdue notice %+v: want the dossier's due time %s and code", n, v.DueAt)
			}
		}
		if _, err := e.a.Notices(ctx, e.applicant); err == nil {
			t.Error("an applicant listed notices")
		}
		if n, _ := e.a.UnreadNotices(ctx, ixOfficer("xa-dai-phuc", auth.RoleDesk)); n != 0 {
			t.Errorf("another commune has %d unread notices", n)
		}
	})
}
