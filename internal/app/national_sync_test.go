package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/integration"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// fakePortal is the National Public Service Portal as a real HTTP server: it answers with the
// status it is told to and records every request.
type fakePortal struct {
	*httptest.Server
	mu     sync.Mutex
	status int
	got    []portalRequest
}

type portalRequest struct {
	key, auth, event, dossier, code string
	seq                             int64
}

func newFakePortal(t *testing.T) *fakePortal {
	p := &fakePortal{status: http.StatusOK}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m struct {
			Dossier, Code, Event string
			Seq                  int64
		}
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(body, &m) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		p.got = append(p.got, portalRequest{key: r.Header.Get("Idempotency-Key"), auth: r.Header.Get("Authorization"), event: m.Event, dossier: m.Dossier, code: m.Code, seq: m.Seq})
		w.WriteHeader(p.status)
		if p.status == http.StatusOK {
			io.WriteString(w, `{"reference":"DVCQG-`+m.Dossier[:8]+`"}`)
		} else {
			io.WriteString(w, `{"error":"unavailable"}`)
		}
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *fakePortal) answer(status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status = status
}

func (p *fakePortal) requests() []portalRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.got)
}

// TestNationalSync delivers a dossier's status messages to the portal through failures and
// checks what the index counts: a message the portal does not acknowledge stays and comes back
// later (sooner after a temporary failure than after a refusal) with the same idempotency
// key; the messages of a dossier leave in order; the acknowledged reception records the
// dossier as synchronized once (an event by the system, indicator 1.4), and that record is
// not sent back.
func TestNationalSync(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newIxEngine(t, s)
		ctx := context.Background()
		portal := newFakePortal(t)
		to := &integration.NationalPortal{Endpoint: portal.URL + "/trang-thai-ho-so", Token: "bi-mat"}
		deliver := func(want app.SyncReport) {
			t.Helper()
			got, err := e.a.DeliverNationalSync(ctx, to, 100)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("delivery pass = %+v, want %+v", got, want)
			}
		}
		desk := ixOfficer(ixUnit, auth.RoleDesk)
		day := time.Date(2026, 10, 6, 8, 0, 0, 0, calendar.VN)
		e.set(day)
		v := e.file(true, true)
		e.act(day.Add(time.Hour), desk, v.ID, "receive", nil)

		// The portal is down: the first message waits, due again in 30 seconds, not before.
		portal.answer(http.StatusServiceUnavailable)
		deliver(app.SyncReport{Claimed: 1, Failed: 1})
		deliver(app.SyncReport{})
		e.set(day.Add(time.Hour + 29*time.Second))
		deliver(app.SyncReport{})
		// The system administrator sees the failing message; an officer may not look.
		admin := auth.Principal{Kind: auth.KindOfficer, Subject: "admin", Roles: []auth.RoleAssignment{{Role: auth.RoleAdmin, Unit: "thai-nguyen"}}}
		st, err := e.a.NationalSyncStatus(ctx, admin)
		if err != nil || len(st.Problems) != 1 {
			t.Fatalf("sync status: %+v %v", st, err)
		}
		if p := st.Problems[0]; p.DossierID != v.ID || p.Event != "submitted" || p.Seq != 1 || p.Attempts != 1 ||
			!strings.Contains(p.LastError, "503") || !p.NextAttempt.Equal(day.Add(time.Hour+30*time.Second)) {
			t.Errorf("problem %+v: want the submission, tried once, 503, due again 30 s after", p)
		}
		if _, err := e.a.NationalSyncStatus(ctx, desk); err == nil {
			t.Error("a desk officer read the sync status")
		}
		// The lag the metrics report: the first message waits since the submission.
		if lag, err := e.a.OutboxLag(ctx); err != nil || lag[app.TopicNationalSync] != time.Hour+29*time.Second {
			t.Errorf("lag while the portal is down: %v %v, want 1h0m29s", lag, err)
		}

		// Back up: one message of the dossier per pass, in order; the reception records the sync.
		portal.answer(http.StatusOK)
		e.set(day.Add(time.Hour + 31*time.Second))
		deliver(app.SyncReport{Claimed: 1, Sent: 1})
		deliver(app.SyncReport{Claimed: 1, Sent: 1, Synced: 1})
		deliver(app.SyncReport{}) // the sync itself is not sent back
		if lag, _ := e.a.OutboxLag(ctx); lag[app.TopicNationalSync] != 0 {
			t.Errorf("lag once everything was delivered: %v, want 0", lag)
		}
		if st, _ := e.a.NationalSyncStatus(ctx, admin); len(st.Problems) != 0 || st.Lag != 0 {
			t.Errorf("sync status once delivered: %+v", st)
		}

		reqs := portal.requests()
		var keys, events []string
		for _, r := range reqs {
			keys, events = append(keys, r.key), append(events, r.event)
			if r.auth != "Bearer bi-mat" || r.dossier != v.ID {
				t.Errorf("request %+v: wrong token or dossier", r)
			}
		}
		if want := []string{v.ID + "/1", v.ID + "/1", v.ID + "/2"}; !slices.Equal(keys, want) {
			t.Errorf("idempotency keys %v, want %v", keys, want)
		}
		if want := []string{"submitted", "submitted", "received"}; !slices.Equal(events, want) {
			t.Errorf("events sent %v, want %v", events, want)
		}
		if reqs[2].code == "" {
			t.Error("the reception message carries no dossier code")
		}
		evs, err := e.a.Events(ctx, desk, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Type != "synced" || last.Actor != "system" || len(evs) != 3 {
			t.Fatalf("history %v: want submitted, received, synced by the system", types(evs))
		}
		var body struct {
			Data struct{ Reference string } `json:"data"`
		}
		if err := json.Unmarshal(last.Body, &body); err != nil || body.Data.Reference != "DVCQG-"+v.ID[:8] {
			t.Errorf("synced event body %s: want the portal's reference", last.Body)
		}
		got, err := e.a.Dossier(ctx, desk, v.ID, "")
		if err != nil || got.SyncedAt.IsZero() {
			t.Fatalf("dossier not recorded as synchronized: %v", err)
		}
		// Indicator 1.4 of the commune for the day: 1 of 1 received.
		p := index.Period{From: index.DateOf(day), To: index.DateOf(day)}
		rep, err := e.a.Index(ctx, auth.Principal{Kind: auth.KindPublic}, ixUnit, p)
		if err != nil {
			t.Fatal(err)
		}
		if ind := ixIndicator(t, rep, "1.4"); ind.Numerator != 1 || ind.Denominator != 1 {
			t.Errorf("1.4 = %d/%d, want 1/1", ind.Numerator, ind.Denominator)
		}

		// The officer who loaded the dossier before the sync is not stale: the sync changes
		// nothing a command decides on. A real change in between still is.
		e.set(day.Add(2 * time.Hour))
		before := got.Version - 1
		if _, err := e.a.Act(ctx, desk, v.ID, "forward", nil, &before); err != nil {
			t.Fatalf("forward with the version before the sync: %v", err)
		}
		if _, err := e.a.Act(ctx, ixOfficer(ixUnit, auth.RoleLeader), v.ID, "assign", []byte(`{"to":"`+ixUnit+`.specialist"}`), &before); !isStale(err) {
			t.Fatalf("assign with a version before a forward: %v, want stale", err)
		}

		// A refusal by the portal waits an hour; the message is not lost meanwhile.
		portal.answer(http.StatusUnprocessableEntity)
		deliver(app.SyncReport{Claimed: 1, Failed: 1})
		portal.answer(http.StatusOK)
		e.set(day.Add(2*time.Hour + 59*time.Minute))
		deliver(app.SyncReport{})
		e.set(day.Add(3*time.Hour + time.Minute))
		deliver(app.SyncReport{Claimed: 1, Sent: 1})

		// At least once: a crash after the sync was recorded and before its message was marked
		// sent delivers the message again, and the dossier is not synchronized twice.
		w := e.file(false, true)
		e.act(day.Add(3*time.Hour+2*time.Minute), desk, w.ID, "receive", nil)
		deliver(app.SyncReport{Claimed: 1, Sent: 1}) // submitted
		if ok, err := e.a.RecordSyncForTest(ctx, w.ID); err != nil || !ok {
			t.Fatalf("record sync: %v %v", ok, err)
		}
		deliver(app.SyncReport{Claimed: 1, Sent: 1}) // received: already recorded
		evs, _ = e.a.Events(ctx, desk, w.ID)
		if n := slices.IndexFunc(evs, func(r store.EventRow) bool { return r.Type == "synced" }); n < 0 || slices.ContainsFunc(evs[n+1:], func(r store.EventRow) bool { return r.Type == "synced" }) {
			t.Errorf("history %v: want exactly one synced event", types(evs))
		}
	})
}

func isStale(err error) bool {
	var ae *app.Error
	return errors.As(err, &ae) && ae.Kind == app.KindStale
}

func types(evs []store.EventRow) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}
