package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/integration"
	"github.com/motcua/motcua/internal/store"
)

// Synchronization with the National Public Service Portal (DESIGN: integrations; QĐ 766,
// indicator 1.4). Every command queues a status message in its own transaction (prepare); the
// dispatcher here claims the due messages, delivers them, and marks them sent. Messages of one
// dossier leave in order, one at a time (the outbox's per-key order), so the portal never sees
// a later status before an earlier one. Delivery is at least once; the idempotency key
// (dossier id and event number) lets the portal drop a repeat.
//
// When the portal acknowledges a message carrying the dossier's code — the reception, or any
// later status of a received dossier — the dossier is recorded as synchronized (the system's
// "sync" command, one event in its hash chain), which feeds indicator 1.4 through the rollups
// like every other fact of the dossier, and which `motcua index recompute` finds again in the
// events.

// NationalSender delivers one message to the national portal: *integration.NationalPortal, or
// a test's client of a fake portal.
type NationalSender interface {
	Send(ctx context.Context, key string, payload []byte) (integration.Delivery, error)
}

// SyncReport is what one delivery pass did.
type SyncReport struct {
	Claimed int // messages claimed
	Sent    int // acknowledged and marked sent
	Failed  int // left for a later attempt
	Synced  int // dossiers newly recorded as synchronized
}

const (
	syncLease       = 2 * time.Minute  // a claimed message is another dispatcher's again after this
	syncParallel    = 4                // deliveries in flight at once (always of different dossiers)
	syncRetryFirst  = 30 * time.Second // after a temporary failure, doubled on each attempt...
	syncRetryMax    = 30 * time.Minute // ...up to this
	syncRetryRefuse = time.Hour        // after the portal refused a message
)

// syncRetryAfter is how long a message waits after its attempts-th failed attempt.
func syncRetryAfter(attempts int, rejected bool) time.Duration {
	if rejected {
		return syncRetryRefuse
	}
	d := syncRetryFirst
	for i := 1; i < attempts && d < syncRetryMax; i++ {
		d *= 2
	}
	return min(d, syncRetryMax)
}

// DeliverNationalSync claims up to n due messages for the national portal and delivers them
// through to. A message the portal does not acknowledge stays in the outbox, due again later
// (sooner after a temporary failure than after a refusal), with its error recorded.
func (a *App) DeliverNationalSync(ctx context.Context, to NationalSender, n int) (SyncReport, error) {
	msgs, err := a.store.ClaimOutbox(ctx, TopicNationalSync, n, syncLease, a.now())
	if err != nil {
		return SyncReport{}, err
	}
	rep := SyncReport{Claimed: len(msgs)}
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, syncParallel)
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			sent, synced, err := a.deliverOne(ctx, to, m.ID, m.Attempts, m.Payload)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				if firstErr == nil {
					firstErr = err
				}
				rep.Failed++
			case sent:
				rep.Sent++
			default:
				rep.Failed++
			}
			if synced {
				rep.Synced++
			}
		}()
	}
	wg.Wait()
	return rep, firstErr
}

// deliverOne delivers one claimed message. sent reports that it was acknowledged and marked
// sent; synced that its dossier was recorded as synchronized now. err is a failure of this
// system (the store), not of the portal: the portal's failures are recorded on the message.
func (a *App) deliverOne(ctx context.Context, to NationalSender, id int64, attempts int, payload []byte) (sent, synced bool, err error) {
	var msg statusMessage
	if err := json.Unmarshal(payload, &msg); err != nil || msg.Dossier == "" {
		// Not a message this version wrote; keep it, visible, rather than lose it.
		return false, false, a.store.RetryOutbox(ctx, id, fmt.Sprintf("unreadable message: %v", err), a.now().Add(syncRetryRefuse))
	}
	ack, serr := to.Send(ctx, fmt.Sprintf("%s/%d", msg.Dossier, msg.Seq), payload)
	if serr != nil {
		rejected := integration.IsRejected(serr)
		a.log.Warn("national portal sync", "dossier", msg.Dossier, "seq", msg.Seq, "attempt", attempts, "rejected", rejected, "err", serr)
		return false, false, a.store.RetryOutbox(ctx, id, serr.Error(), a.now().Add(syncRetryAfter(attempts, rejected)))
	}
	if msg.Code != "" {
		// Recorded before the message is marked sent: after a crash in between the message is
		// delivered again, and the second sync is refused as already recorded.
		synced, err = a.actAsSystem(ctx, msg.Dossier, "sync", dossier.Sync{Reference: ack.Reference})
		if err != nil {
			return false, false, err
		}
	}
	if err := a.store.MarkSent(ctx, id, a.now()); err != nil {
		return false, synced, err
	}
	return true, synced, nil
}

// RunNationalSyncLoop delivers messages to the national portal until ctx ends: at once again
// while there is a backlog, else every interval.
func (a *App) RunNationalSyncLoop(ctx context.Context, to NationalSender, every time.Duration) {
	const batch = 100
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := a.DeliverNationalSync(ctx, to, batch)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("national portal sync", "err", err)
		}
		if rep.Claimed == batch && rep.Failed == 0 && err == nil {
			if ctx.Err() != nil {
				return
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// OutboxTopics are the outbox's topics: what leaves the system, and by which way.
var OutboxTopics = []string{TopicNationalSync, TopicNotifications}

// OutboxLag returns, per topic, how long its oldest unsent message has waited (zero when none
// waits): the national portal's synchronization lag, for the metrics.
func (a *App) OutboxLag(ctx context.Context) (map[string]time.Duration, error) {
	out := make(map[string]time.Duration, len(OutboxTopics))
	for _, topic := range OutboxTopics {
		lag, err := a.outboxLag(ctx, topic)
		if err != nil {
			return nil, err
		}
		out[topic] = lag
	}
	return out, nil
}

// outboxLag is how long the oldest unsent message of one topic has waited (zero when none).
func (a *App) outboxLag(ctx context.Context, topic string) (time.Duration, error) {
	at, ok, err := a.store.OldestUnsent(ctx, topic)
	if err != nil || !ok {
		return 0, err
	}
	return max(a.now().Sub(at), 0), nil
}

// SyncProblem is a status message the national portal has not acknowledged after at least one
// attempt; it holds back the later messages of its dossier.
type SyncProblem struct {
	ID                     int64 // the message's, for RetryNationalSync
	DossierID, Code, Event string
	Seq                    int64
	Queued, NextAttempt    time.Time
	Attempts               int
	LastError              string
}

// SyncStatus is the national portal synchronization as the system administrator sees it.
type SyncStatus struct {
	Lag      time.Duration // how long the oldest unsent message has waited
	Problems []SyncProblem // oldest first, at most 100
}

// NationalSyncStatus returns the synchronization lag and the messages that keep failing.
// System administrators only.
func (a *App) NationalSyncStatus(ctx context.Context, p auth.Principal) (SyncStatus, error) {
	if err := a.AuthorizeConfigure(p, ""); err != nil {
		return SyncStatus{}, err
	}
	lag, err := a.outboxLag(ctx, TopicNationalSync)
	if err != nil {
		return SyncStatus{}, err
	}
	ps, err := a.store.OutboxProblems(ctx, TopicNationalSync, 100)
	if err != nil {
		return SyncStatus{}, err
	}
	st := SyncStatus{Lag: lag, Problems: []SyncProblem{}}
	for _, m := range ps {
		var msg statusMessage
		_ = json.Unmarshal(m.Payload, &msg) // an unreadable one still shows its error
		st.Problems = append(st.Problems, SyncProblem{ID: m.ID, DossierID: m.Key, Code: msg.Code, Event: msg.Event, Seq: msg.Seq,
			Queued: m.CreatedAt, NextAttempt: m.NextAt, Attempts: m.Attempts, LastError: m.LastError})
	}
	return st, nil
}

// RetryNationalSync makes a failing national portal message (SyncProblem.ID) due now, so that
// the dispatcher sends it on its next pass (within seconds) instead of at its next attempt (up
// to an hour later for a refused one): for when the cause was fixed on either side. System
// administrators only; audit-logged. A message already delivered, or unknown, is KindNotFound.
func (a *App) RetryNationalSync(ctx context.Context, p auth.Principal, id int64) error {
	if err := a.AuthorizeConfigure(p, ""); err != nil {
		return err
	}
	now := a.now()
	audit := store.AuditEntry{At: now, Actor: p.Subject, Action: "retry", ObjectKind: "national_sync", ObjectKey: strconv.FormatInt(id, 10)}
	err := a.store.RetryOutboxNow(ctx, TopicNationalSync, id, now, audit)
	if errors.Is(err, store.ErrNotFound) {
		return Errorf(KindNotFound, "message_not_found", "Không tìm thấy tin cần gửi lại: tin này có thể đã được gửi xong.", "No such undelivered message: it may have been delivered already.")
	}
	if err != nil {
		return fmt.Errorf("retry national sync %d: %w", id, err)
	}
	return nil
}
