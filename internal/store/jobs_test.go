package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

func schedule(t *testing.T, s *store.Store, jobs ...store.Job) {
	t.Helper()
	ctx := context.Background()
	err := s.InTx(ctx, func(tx *store.Tx) error {
		for _, j := range jobs {
			if err := tx.ScheduleJob(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, s *store.Store, kind string) int {
	t.Helper()
	n, err := s.CountJobs(context.Background(), kind)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestContractJobs(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		due := t0.Add(time.Hour)
		warn := store.Job{Kind: "due_warning", DossierID: "d1", RunAt: due, Payload: []byte(`{"step":1}`)}
		schedule(t, s, warn, warn) // the same job twice in one transaction
		schedule(t, s, warn)       // and again later
		schedule(t, s, store.Job{Kind: "close_unsupplemented", DossierID: "d1", RunAt: due.Add(time.Minute)},
			store.Job{Kind: "due_warning", DossierID: "d2", RunAt: due})
		if n := count(t, s, "due_warning"); n != 2 {
			t.Fatalf("pending due warnings %d, want 2 (scheduling is idempotent)", n)
		}
		if n := count(t, s, ""); n != 3 {
			t.Fatalf("pending jobs %d, want 3", n)
		}

		if got, err := s.ClaimJobs(ctx, due.Add(-time.Second), 10, time.Minute); err != nil || len(got) != 0 {
			t.Fatalf("claimed %d jobs before they were due (%v)", len(got), err)
		}
		got, err := s.ClaimJobs(ctx, due, 10, time.Minute)
		if err != nil || len(got) != 2 {
			t.Fatalf("claim at the due time: %+v, %v; want the two due warnings", got, err)
		}
		first := got[0]
		if first.Kind != "due_warning" || !first.RunAt.Equal(due) || first.Attempts != 1 || first.DossierID != "d1" || string(first.Payload) != `{"step":1}` {
			t.Fatalf("claimed job %+v", first)
		}
		if again, _ := s.ClaimJobs(ctx, due.Add(30*time.Second), 10, time.Minute); len(again) != 0 {
			t.Fatalf("leased jobs claimed again: %+v", again)
		}
		// The lease ended: a worker died; the job comes back with its attempt counted.
		back, err := s.ClaimJobs(ctx, due.Add(2*time.Minute), 10, 24*time.Hour)
		if err != nil || len(back) != 3 {
			t.Fatalf("after the lease: %d jobs, %v; want the two expired ones and the close job", len(back), err)
		}
		var d1 store.Job
		for _, j := range back {
			if j.Kind == "due_warning" && j.DossierID == "d1" {
				d1 = j
			}
		}
		if d1.Attempts != 2 || string(d1.Payload) != `{"step":1}` {
			t.Fatalf("re-claimed job %+v, want attempts 2", d1)
		}
		retry := due.Add(time.Hour)
		if err := s.FailJob(ctx, d1.ID, "smtp down", retry); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ClaimJobs(ctx, retry.Add(-time.Second), 10, time.Minute); len(got) != 0 {
			t.Fatalf("failed job claimed before its retry time: %+v", got)
		}
		got, err = s.ClaimJobs(ctx, retry, 10, time.Minute)
		if err != nil || len(got) != 1 || got[0].ID != d1.ID || got[0].LastError != "smtp down" || got[0].Attempts != 3 || !got[0].RunAt.Equal(due) {
			t.Fatalf("retry: %+v, %v", got, err)
		}
		if err := s.FinishJob(ctx, d1.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishJob(ctx, d1.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("finishing twice: %v, want ErrNotFound", err)
		}
		schedule(t, s, warn) // a finished job is not scheduled again
		if n := count(t, s, "due_warning"); n != 1 {
			t.Fatalf("pending due warnings %d, want 1 (d2's)", n)
		}

		// Cancelling by kind, then all of a dossier's jobs.
		schedule(t, s, store.Job{Kind: "due_warning", DossierID: "d3", RunAt: due}, store.Job{Kind: "overdue", DossierID: "d3", RunAt: due},
			store.Job{Kind: "close_unsupplemented", DossierID: "d3", RunAt: due})
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.CancelJobs(ctx, "d3", "due_warning", "overdue") }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, "close_unsupplemented"); n != 2 {
			t.Fatalf("close jobs %d, want 2", n)
		}
		if n := count(t, s, "overdue"); n != 0 {
			t.Fatalf("overdue jobs %d, want 0", n)
		}
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.CancelJobs(ctx, "d3") }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, ""); n != 2 {
			t.Fatalf("pending jobs %d, want d1's close job and d2's warning", n)
		}
		// A cancelled job may be scheduled again (e.g. after resumption).
		schedule(t, s, store.Job{Kind: "overdue", DossierID: "d3", RunAt: due})
		if n := count(t, s, "overdue"); n != 1 {
			t.Fatalf("rescheduled after cancel: %d", n)
		}
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.ScheduleJob(ctx, store.Job{Kind: "x"}) }); err == nil {
			t.Fatal("a job without a run time was scheduled")
		}
	})
}

func TestContractJobsConcurrentClaimers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const total = 300
		var jobs []store.Job
		for i := range total {
			jobs = append(jobs, store.Job{Kind: "notify", DossierID: fmt.Sprint("d", i), RunAt: t0.Add(time.Duration(i) * time.Second)})
		}
		schedule(t, s, jobs...)
		now := t0.Add(time.Hour)
		var mu sync.Mutex
		claims := map[int64]int{}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				for {
					got, err := s.ClaimJobs(ctx, now, 7, time.Hour)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, j := range got {
						claims[j.ID]++
					}
					mu.Unlock()
					// Finish every other batch; the rest stay leased.
					if got[0].ID%2 == 0 {
						for _, j := range got {
							if err := s.FinishJob(ctx, j.ID); err != nil {
								errs <- err
								return
							}
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(claims) != total {
			t.Fatalf("%d jobs claimed, want %d", len(claims), total)
		}
		for id, n := range claims {
			if n != 1 {
				t.Fatalf("job %d claimed %d times while leased", id, n)
			}
		}
	})
}

func TestContractOutbox(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		enqueue := func(topic, key, payload string) {
			t.Helper()
			if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.Enqueue(ctx, topic, key, []byte(payload), t0) }); err != nil {
				t.Fatal(err)
			}
		}
		enqueue("portal", "d1", "d1 received")
		enqueue("portal", "d1", "d1 forwarded")
		enqueue("portal", "d2", "d2 received")
		enqueue("sms", "", "hello")
		enqueue("sms", "", "again")
		// A rolled-back change sends nothing.
		_ = s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.Enqueue(ctx, "portal", "d9", []byte("never"), t0); err != nil {
				return err
			}
			return errors.New("rollback")
		})
		payloads := func(ms []store.OutboxMsg) []string {
			out := []string{}
			for _, m := range ms {
				out = append(out, string(m.Payload))
			}
			return out
		}
		now := t0.Add(time.Second)
		got, err := s.ClaimOutbox(ctx, "portal", 10, time.Minute, now)
		if err != nil {
			t.Fatal(err)
		}
		// d1's second message waits for the first: same key, in order.
		if diff := cmp.Diff([]string{"d1 received", "d2 received"}, payloads(got)); diff != "" {
			t.Fatalf("first claim (-want +got):\n%s", diff)
		}
		if got[0].Topic != "portal" || got[0].Key != "d1" || got[0].Attempts != 1 || !got[0].CreatedAt.Equal(t0) {
			t.Fatalf("message %+v", got[0])
		}
		if again, _ := s.ClaimOutbox(ctx, "portal", 10, time.Minute, now); len(again) != 0 {
			t.Fatalf("leased or blocked messages claimed: %v", payloads(again))
		}
		if err := s.MarkSent(ctx, got[0].ID, now); err != nil {
			t.Fatal(err)
		}
		later := now.Add(10 * time.Minute)
		if err := s.RetryOutbox(ctx, got[1].ID, "portal 503", later); err != nil {
			t.Fatal(err)
		}
		next, err := s.ClaimOutbox(ctx, "portal", 10, time.Minute, now)
		if err != nil || cmp.Diff([]string{"d1 forwarded"}, payloads(next)) != "" {
			t.Fatalf("after d1's first was sent: %v, %v", payloads(next), err)
		}
		retried, err := s.ClaimOutbox(ctx, "portal", 10, time.Minute, later)
		if err != nil || len(retried) != 2 {
			t.Fatalf("at the retry time: %v, %v; want d2's retry and d1's expired lease", payloads(retried), err)
		}
		for _, m := range retried {
			if m.Key == "d2" && (m.LastError != "portal 503" || m.Attempts != 2) {
				t.Fatalf("retried message %+v", m)
			}
		}
		if err := s.MarkSent(ctx, retried[0].ID, later); err != nil {
			t.Fatal(err)
		}
		if err := s.RetryOutbox(ctx, retried[0].ID, "x", later); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("retrying a sent message: %v, want ErrNotFound", err)
		}
		// Keyless messages are not ordered; other topics are separate; "" claims every topic.
		sms, _ := s.ClaimOutbox(ctx, "sms", 1, time.Minute, now)
		if cmp.Diff([]string{"hello"}, payloads(sms)) != "" {
			t.Fatalf("sms: %v", payloads(sms))
		}
		every, _ := s.ClaimOutbox(ctx, "", 10, time.Minute, now)
		if cmp.Diff([]string{"again"}, payloads(every)) != "" {
			t.Fatalf("every topic: %v", payloads(every))
		}
	})
}

// TestContractOutboxConcurrentClaims: claimers racing over messages of a few keys never lease
// a message twice, never lease two messages of one key (the earlier one is unsent), and a
// message waiting for its retry time still holds back the later ones of its key.
func TestContractOutboxConcurrentClaims(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const keys, per = 5, 8
		err := s.InTx(ctx, func(tx *store.Tx) error {
			for i := range keys * per {
				if err := tx.Enqueue(ctx, "portal", fmt.Sprint("k", i%keys), []byte(fmt.Sprint(i)), t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		now := t0.Add(time.Second)
		var mu sync.Mutex
		leased := map[int64]int{}
		perKey := map[string]int{}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 3 {
					got, err := s.ClaimOutbox(ctx, "portal", 3, time.Minute, now)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					for _, m := range got {
						leased[m.ID]++
						perKey[m.Key]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for id, n := range leased {
			if n != 1 {
				t.Fatalf("message %d leased %d times", id, n)
			}
		}
		if len(perKey) != keys {
			t.Fatalf("leased keys %v, want one message of each of %d keys", perKey, keys)
		}
		for k, n := range perKey {
			if n != 1 {
				t.Fatalf("key %s: %d messages leased at once", k, n)
			}
		}
		// k0's first message fails and is retried later: k0's next one still waits for it.
		var first int64
		for id := range leased {
			if first == 0 || id < first {
				first = id
			}
		}
		if err := s.RetryOutbox(ctx, first, "portal 503", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := s.ClaimOutbox(ctx, "portal", 100, time.Minute, now.Add(2*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range got {
			if m.Key == "k0" {
				t.Fatalf("claimed %s message %d while its earlier message waits for its retry", m.Key, m.ID)
			}
		}
		if len(got) != keys-1 {
			t.Fatalf("claimed %d messages after the leases ended, want one for each of the other %d keys", len(got), keys-1)
		}
	})
}

// TestContractGroupCommitIsolatesFailures: concurrent transactions (batched together on SQLite)
// where one fails: the others' rows are there, the failing one's are not, and each caller gets
// its own result.
func TestContractGroupCommitIsolatesFailures(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n, bad = 20, 7
		boom := errors.New("boom")
		changes := make([]store.DossierChange, n)
		for i := range changes {
			changes[i] = newChange(t, row(fmt.Sprint("gc-", i), nil), event(1, "submitted", t0))
		}
		// Hold the writer so that the 20 calls queue up and, on SQLite, share one batch.
		hold, started := make(chan struct{}), make(chan struct{}, n)
		var holder sync.WaitGroup
		holder.Go(func() {
			_ = s.InTx(ctx, func(tx *store.Tx) error { <-hold; return nil })
		})
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				started <- struct{}{}
				errs[i] = s.InTx(ctx, func(tx *store.Tx) error {
					if err := tx.AppendAudit(ctx, store.AuditEntry{At: t0, Actor: "t", Action: "group", ObjectKind: "gc", ObjectKey: fmt.Sprint(i)}); err != nil {
						return err
					}
					if err := tx.Apply(ctx, changes[i]); err != nil {
						return err
					}
					if i == bad {
						return boom
					}
					return nil
				})
			})
		}
		for range n {
			<-started
		}
		time.Sleep(20 * time.Millisecond) // let the callers reach the queue (not an assertion)
		close(hold)
		wg.Wait()
		holder.Wait()
		for i, err := range errs {
			switch {
			case i == bad && !errors.Is(err, boom):
				t.Fatalf("the failing call got %v, want its own error", err)
			case i != bad && err != nil:
				t.Fatalf("call %d failed because of another: %v", i, err)
			}
			_, derr := s.Dossier(ctx, fmt.Sprint("gc-", i))
			if i == bad && !errors.Is(derr, store.ErrNotFound) {
				t.Fatalf("the failing call's dossier was stored (%v)", derr)
			}
			if i != bad && derr != nil {
				t.Fatalf("dossier of call %d: %v", i, derr)
			}
		}
		log, err := s.AuditLog(ctx, "gc", 100)
		if err != nil || len(log) != n-1 {
			t.Fatalf("audit rows %d, %v; want %d", len(log), err, n-1)
		}
		for _, e := range log {
			if e.ObjectKey == fmt.Sprint(bad) {
				t.Fatal("the failing call's audit row was stored")
			}
		}
	})
}

// TestGroupCommitLostTransaction breaks the shared SQLite transaction from inside some
// functions (a raw ROLLBACK, as SQLite does by itself on an I/O error): whatever the batching,
// every call told "done" must have its row, and every call told "failed" must have none.
func TestGroupCommitLostTransaction(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	const n = 30
	hold, started := make(chan struct{}), make(chan struct{}, n)
	var holder sync.WaitGroup
	holder.Go(func() { _ = s.InTx(ctx, func(tx *store.Tx) error { <-hold; return nil }) })
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			started <- struct{}{}
			errs[i] = s.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.AppendAudit(ctx, store.AuditEntry{At: t0, Actor: "t", Action: "x", ObjectKind: "lost", ObjectKey: fmt.Sprint(i)}); err != nil {
					return err
				}
				switch i % 10 {
				case 3: // breaks the transaction and reports it
					_ = tx.ExecForTest(ctx, "ROLLBACK")
					return errors.New("broke it")
				case 6: // breaks it and claims success
					_ = tx.ExecForTest(ctx, "ROLLBACK")
				}
				return nil
			})
		})
	}
	for range n {
		<-started
	}
	time.Sleep(20 * time.Millisecond)
	close(hold)
	wg.Wait()
	holder.Wait()
	log, err := s.AuditLog(ctx, "lost", 100)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, e := range log {
		stored[e.ObjectKey] = true
	}
	ok := 0
	for i, err := range errs {
		if (err == nil) != stored[fmt.Sprint(i)] {
			t.Errorf("call %d: error %v but row stored = %v", i, err, stored[fmt.Sprint(i)])
		}
		if err == nil {
			ok++
		}
		if i%10 == 6 && err == nil {
			t.Errorf("call %d broke the transaction and was told it committed", i)
		}
	}
	if ok == 0 {
		t.Fatal("no call succeeded: the calls after a broken one should be retried in a new transaction")
	}
	// The writer still works.
	if err := s.SetSetting(ctx, "after", "ok", t0); err != nil {
		t.Fatal(err)
	}
}

func TestGroupCommitNestedPanicCancel(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	var inner error
	err := s.InTx(ctx, func(tx *store.Tx) error {
		inner = s.InTx(ctx, func(*store.Tx) error { return nil })
		return nil
	})
	if err != nil || !errors.Is(inner, store.ErrNestedTx) {
		t.Fatalf("nested InTx: outer %v, inner %v; want nil and ErrNestedTx", err, inner)
	}

	func() {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "kaboom") {
				t.Fatalf("recovered %v, want the function's panic", p)
			}
		}()
		_ = s.InTx(ctx, func(tx *store.Tx) error {
			_ = tx.AppendAudit(ctx, store.AuditEntry{At: t0, Actor: "t", Action: "x", ObjectKind: "panic", ObjectKey: "p"})
			panic("kaboom")
		})
	}()
	if got, _ := s.AuditLog(ctx, "panic", 10); len(got) != 0 {
		t.Fatal("a panicking function's write was committed")
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := s.InTx(cctx, func(*store.Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("cancelled context: %v, ran %v", err, ran)
	}
	if err := s.SetSetting(ctx, "after", "ok", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "closed", "x", t0); err == nil {
		t.Fatal("a write after Close succeeded")
	}
}

// TestContractClaimReadsOnlyItsTopic: the claim of one topic walks that topic's unsent
// messages along the index by (topic, id), not the unsent messages of every topic — a topic
// nothing delivers piles up, and the national portal's dispatcher claims every few seconds.
func TestContractClaimReadsOnlyItsTopic(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
		err := s.InTx(ctx, func(tx *store.Tx) error {
			for i := range 200 {
				if err := tx.Enqueue(ctx, "notify_applicant", fmt.Sprint("d", i), []byte("x"), t0); err != nil {
					return err
				}
			}
			return tx.Enqueue(ctx, "national_portal", "d1", []byte("received"), t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		plan, err := s.ClaimPlanForTest(ctx, "national_portal")
		if err != nil {
			t.Fatal(err)
		}
		byTopic := strings.Contains(plan, "USING INDEX outbox_unsent (topic=?)") || // SQLite
			strings.Contains(plan, "outbox_unsent") && strings.Contains(plan, "Index Cond: (topic =") // PostgreSQL
		if !byTopic {
			t.Errorf("the claim of one topic does not search the index by topic:\n%s", plan)
		}
		got, err := s.ClaimOutbox(ctx, "national_portal", 10, time.Minute, t0.Add(time.Second))
		if err != nil || len(got) != 1 || string(got[0].Payload) != "received" {
			t.Fatalf("claim: %v %v", got, err)
		}
		// Problems: the failed unsent messages of the topic only.
		if ps, err := s.OutboxProblems(ctx, "national_portal", 10); err != nil || len(ps) != 0 {
			t.Fatalf("problems before any failure: %v %v", ps, err)
		}
		next := t0.Add(time.Hour)
		if err := s.RetryOutbox(ctx, got[0].ID, "HTTP 422: thiếu mã", next); err != nil {
			t.Fatal(err)
		}
		other, _ := s.ClaimOutbox(ctx, "notify_applicant", 1, time.Minute, t0.Add(time.Second))
		if err := s.RetryOutbox(ctx, other[0].ID, "no gateway", next); err != nil {
			t.Fatal(err)
		}
		ps, err := s.OutboxProblems(ctx, "national_portal", 10)
		if err != nil || len(ps) != 1 {
			t.Fatalf("problems: %v %v", ps, err)
		}
		if p := ps[0]; p.ID != got[0].ID || p.Key != "d1" || p.Attempts != 1 || p.LastError != "HTTP 422: thiếu mã" || !p.NextAt.Equal(next) || !p.CreatedAt.Equal(t0) || string(p.Payload) != "received" {
			t.Errorf("problem %+v", p)
		}
	})
}

// TestContractRetryOutboxNow: an administrator's "send again now" makes a failed message due at
// once, with its audit entry; a message leased by a dispatcher is not claimed twice; a sent, an
// unknown or another topic's message is ErrNotFound and writes no audit entry.
func TestContractRetryOutboxNow(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
		err := s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.Enqueue(ctx, "national_portal", "d1", []byte("received"), t0); err != nil {
				return err
			}
			return tx.Enqueue(ctx, "notify_applicant", "d1", []byte("x"), t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ClaimOutbox(ctx, "national_portal", 1, time.Minute, t0)
		if err != nil || len(got) != 1 {
			t.Fatalf("claim: %v %v", got, err)
		}
		id := got[0].ID
		if err := s.RetryOutbox(ctx, id, "HTTP 422", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		now := t0.Add(10 * time.Minute)
		if got, _ := s.ClaimOutbox(ctx, "national_portal", 1, time.Minute, now); len(got) != 0 {
			t.Fatalf("claimed before its next attempt: %v", got)
		}
		audit := func(key string) store.AuditEntry {
			return store.AuditEntry{At: now, Actor: "admin", Action: "retry", ObjectKind: "national_sync", ObjectKey: key}
		}
		if err := s.RetryOutboxNow(ctx, "national_portal", id, now, audit(fmt.Sprint(id))); err != nil {
			t.Fatal(err)
		}
		got, err = s.ClaimOutbox(ctx, "national_portal", 1, time.Minute, now)
		if err != nil || len(got) != 1 || got[0].ID != id {
			t.Fatalf("claim after retry now: %v %v", got, err)
		}
		// Leased: due again, but not claimed twice while the lease runs.
		if err := s.RetryOutboxNow(ctx, "national_portal", id, now, audit(fmt.Sprint(id))); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ClaimOutbox(ctx, "national_portal", 1, time.Minute, now.Add(time.Second)); len(got) != 0 {
			t.Fatalf("claimed twice while leased: %v", got)
		}
		if err := s.MarkSent(ctx, id, now.Add(2*time.Second)); err != nil {
			t.Fatal(err)
		}
		other, _ := s.ClaimOutbox(ctx, "notify_applicant", 1, time.Minute, now)
		for name, bad := range map[string]int64{"sent": id, "unknown": id + 1000, "other topic": other[0].ID} {
			if err := s.RetryOutboxNow(ctx, "national_portal", bad, now, audit("bad")); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: %v, want ErrNotFound", name, err)
			}
		}
		entries, err := s.AuditEntries(ctx, store.AuditFilter{Kind: "national_sync"})
		if err != nil || len(entries) != 2 || entries[0].ObjectKey != fmt.Sprint(id) {
			t.Errorf("audit entries %+v %v, want the two retries only", entries, err)
		}
	})
}
