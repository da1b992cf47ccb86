package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestContractQueueTicketsGapFree issues tickets from many goroutines, some in transactions
// that roll back: every area's numbers of the day are exactly 1..n, and another day or
// another desk starts again at 1.
func TestContractQueueTicketsGapFree(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const workers, each = 40, 50
		areas := []string{"A", "B"}
		rollback := errors.New("rolled back on purpose")
		var mu sync.Mutex
		got := map[string][]int64{}
		var failed atomic.Value
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				area := areas[w%len(areas)]
				for i := range each {
					if i%4 == 0 {
						err := s.InTx(ctx, func(tx *store.Tx) error {
							if _, err := tx.NextTicketSeq(ctx, "ttpvhcc", area, "2026-11-26"); err != nil {
								return err
							}
							return rollback
						})
						if !errors.Is(err, rollback) {
							failed.Store(fmt.Errorf("rolled-back tx: %v", err))
							return
						}
					}
					tk, err := s.IssueTicket(ctx, "ttpvhcc", area, "2026-11-26", t0)
					if err != nil {
						failed.Store(err)
						return
					}
					if tk.Area != area || tk.State != store.TicketWaiting || !tk.IssuedAt.Equal(t0) || tk.ID == 0 {
						failed.Store(fmt.Errorf("issued %+v", tk))
						return
					}
					mu.Lock()
					got[area] = append(got[area], tk.Seq)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			t.Fatal(err)
		}
		for _, area := range areas {
			nums := got[area]
			slices.Sort(nums)
			if len(nums) != workers/len(areas)*each {
				t.Fatalf("area %s: %d numbers", area, len(nums))
			}
			for i, n := range nums {
				if n != int64(i+1) {
					t.Fatalf("area %s: position %d holds %d: a gap or a duplicate", area, i, n)
				}
			}
		}
		// Daily reset, and per desk.
		for _, k := range [][2]string{{"ttpvhcc", "2026-11-27"}, {"xa-tan-cuong", "2026-11-26"}} {
			tk, err := s.IssueTicket(ctx, k[0], "A", k[1], t0)
			if err != nil || tk.Seq != 1 {
				t.Fatalf("%v: got %d, %v; want 1", k, tk.Seq, err)
			}
		}
		if _, err := s.IssueTicket(ctx, "ttpvhcc", "A", "26/11/2026", t0); err == nil {
			t.Fatal("a malformed day was accepted")
		}
	})
}

// TestContractQueueCallNext calls tickets from many counters at once: each waiting ticket is
// called exactly once, the priority area first, then in issue order; a counter's previous
// ticket is served when it calls the next; recall and finish work only on called tickets.
func TestContractQueueCallNext(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		day := "2026-11-26"
		var issued []store.QueueTicket
		for i := range 30 {
			area := "A"
			if i%10 == 9 {
				area = "P"
			}
			tk, err := s.IssueTicket(ctx, "xa-a", area, day, t0.Add(time.Duration(i)*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			issued = append(issued, tk)
		}
		if _, err := s.IssueTicket(ctx, "xa-b", "A", day, t0); err != nil { // another desk's queue
			t.Fatal(err)
		}
		// The first call takes the priority area's oldest ticket.
		first, err := s.CallNextTicket(ctx, store.CallQuery{Desk: "xa-a", Day: day, First: "P", Counter: 1, By: "o1", At: t0})
		if err != nil {
			t.Fatal(err)
		}
		if first.Area != "P" || first.Seq != 1 || first.State != store.TicketCalled || first.Counter != 1 || first.CalledBy != "o1" || !first.CalledAt.Equal(t0) {
			t.Fatalf("first call: %+v", first)
		}
		// Only area A: the oldest A ticket.
		a1, err := s.CallNextTicket(ctx, store.CallQuery{Desk: "xa-a", Day: day, Areas: []string{"A"}, Counter: 2, By: "o2", At: t0})
		if err != nil || a1.Area != "A" || a1.Seq != 1 {
			t.Fatalf("area A call: %+v, %v", a1, err)
		}
		// Counter 1 calls again: its previous ticket is served.
		if _, err := s.CallNextTicket(ctx, store.CallQuery{Desk: "xa-a", Day: day, First: "P", Counter: 1, By: "o1", At: t0.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		prev, err := s.Ticket(ctx, first.ID)
		if err != nil || prev.State != store.TicketServed || !prev.FinishedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("previous ticket of counter 1: %+v, %v", prev, err)
		}
		// Recall, then no-show; a finished ticket can be neither recalled nor finished again.
		rc, err := s.RecallTicket(ctx, "xa-a", a1.ID, t0.Add(2*time.Minute))
		if err != nil || rc.Recalls != 1 || !rc.CalledAt.Equal(t0.Add(2*time.Minute)) {
			t.Fatalf("recall: %+v, %v", rc, err)
		}
		if _, err := s.RecallTicket(ctx, "xa-b", a1.ID, t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("recall through another desk: %v, want ErrNotFound", err)
		}
		ns, err := s.FinishTicket(ctx, "xa-a", a1.ID, store.TicketNoShow, t0.Add(3*time.Minute))
		if err != nil || ns.State != store.TicketNoShow {
			t.Fatalf("no-show: %+v, %v", ns, err)
		}
		if _, err := s.FinishTicket(ctx, "xa-a", a1.ID, store.TicketServed, t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("finish a finished ticket: %v, want ErrNotFound", err)
		}
		if _, err := s.RecallTicket(ctx, "xa-a", a1.ID, t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("recall a finished ticket: %v, want ErrNotFound", err)
		}
		counts, err := s.QueueCounts(ctx, "xa-a", day)
		if err != nil || counts["A"] != 26 || counts["P"] != 1 {
			t.Fatalf("waiting counts %v, %v", counts, err)
		}
		ahead, err := s.WaitingBefore(ctx, issued[len(issued)-1])
		if err != nil || ahead != 26 {
			t.Fatalf("waiting before the last ticket: %d, %v; want 26", ahead, err)
		}

		// The remaining 27 tickets, called by 9 counters at once, 4 calls each (36 > 27).
		var mu sync.Mutex
		seen := map[int64]int{}
		served := map[int]bool{} // counters that called at least one ticket
		misses := 0
		var failed atomic.Value
		var wg sync.WaitGroup
		for c := range 9 {
			wg.Go(func() {
				for range 4 {
					tk, err := s.CallNextTicket(ctx, store.CallQuery{Desk: "xa-a", Day: day, First: "P", Counter: 10 + c, By: "o", At: t0.Add(time.Hour)})
					mu.Lock()
					switch {
					case errors.Is(err, store.ErrNotFound):
						misses++
					case err != nil:
						failed.Store(err)
					default:
						seen[tk.ID]++
						served[tk.Counter] = true
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			t.Fatal(err)
		}
		if len(seen) != 27 || misses != 9 {
			t.Fatalf("%d tickets called, %d empty calls; want 27 and 9", len(seen), misses)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("ticket %d called %d times", id, n)
			}
		}
		left, err := s.QueueTickets(ctx, "xa-a", day, []string{store.TicketWaiting}, 0)
		if err != nil || len(left) != 0 {
			t.Fatalf("still waiting: %d, %v", len(left), err)
		}
		called, err := s.QueueTickets(ctx, "xa-a", day, []string{store.TicketCalled}, 0)
		// One ticket still called per counter: counter 1's and the last of each counter above.
		if err != nil || len(called) != 1+len(served) {
			t.Fatalf("called: %d, %v; want one per counter (%d)", len(called), err, 1+len(served))
		}
		other, err := s.QueueTickets(ctx, "xa-b", day, nil, 0)
		if err != nil || len(other) != 1 || other[0].State != store.TicketWaiting {
			t.Fatalf("the other desk's queue: %+v, %v", other, err)
		}
		if _, err := s.Ticket(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing ticket: %v", err)
		}
	})
}

// TestContractReturnedAtUnit lists the dossiers a unit returned since a time, and only those
// still returned.
func TestContractReturnedAtUnit(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		insert(t, s, row("a", nil), row("b", nil), row("c", nil), row("d", nil))
		ret := func(id, unit string, at time.Time, state string) {
			t.Helper()
			prev, err := s.Dossier(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			r := prev
			r.State, r.UpdatedAt = state, at
			c := advance(t, prev, r, store.NewEvent{Seq: 2, Type: "result_returned", At: at, Actor: "o", Unit: unit, Body: body(2, "result_returned", at, `{"method":"desk"}`)})
			if err := s.Apply(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		ret("a", "xa-a", t0.Add(-10*time.Minute), "returned")
		ret("b", "xa-a", t0.Add(-5*time.Minute), "returned")
		ret("c", "xa-b", t0.Add(-5*time.Minute), "returned") // another unit
		ret("d", "xa-a", t0.Add(-2*time.Hour), "returned")   // too old
		got, err := s.ReturnedAtUnit(ctx, "xa-a", t0.Add(-time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.Dossier.ID)
		}
		if !slices.Equal(ids, []string{"b", "a"}) {
			t.Fatalf("returned at xa-a in the last hour: %v, want [b a]", ids)
		}
		if !got[0].ReturnedAt.Equal(t0.Add(-5*time.Minute)) || got[0].Dossier.ApplicantName != "Nguyễn Văn b" {
			t.Fatalf("first: %+v", got[0])
		}
	})
}
