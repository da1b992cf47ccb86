package dossier

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// fuzzCommand turns two bytes into a command (and its actor) for dossier d: the first picks
// the command, the second its parameters. Commands are mostly well formed so that random
// sequences go deep into the lifecycle.
func fuzzCommand(op, arg byte, d *Dossier) (Command, Actor) {
	components := []string{"DON", "GCN", "BV"}
	comp := components[int(arg)%len(components)]
	switch op % 25 {
	case 0:
		c := submitCmd(walkSpec(), doc("DON"), doc("GCN"))
		if arg%4 == 3 { // incomplete: the desk must ask for GCN
			c.Documents = c.Documents[:1]
		}
		c.Channel = []Channel{ChannelDesk, ChannelOnline, ChannelPostal}[int(arg)%3]
		return c, applicant
	case 1:
		return AttachDocument{Document: doc(comp)}, applicant
	case 2:
		return RequestSupplement{Components: []string{comp}, Reason: "Thiếu"}, desk
	case 3:
		return Supplement{Documents: []Document{doc(comp)}}, applicant
	case 4:
		return Receive{Code: FormatCode("000.00.01.H55", at(3, 0, 0), int64(arg)+1)}, desk
	case 5:
		return Reject{Reason: "Sai thẩm quyền"}, desk
	case 6:
		return Assign{Step: int(arg%8) - 1, To: "cv"}, leader
	case 7:
		return Forward{}, expert
	case 8:
		return Forward{To: "so-xay-dung", Parallel: true}, expert
	case 9:
		return Forward{To: "cong-an-tinh", Parallel: true, ShareMinutes: int64(arg) * 10}, expert
	case 10:
		return CompleteStep{Step: -1}, expert
	case 11:
		return CompleteStep{Step: int(arg % 8), Outcome: "Đồng ý"}, expert
	case 12:
		return Suspend{Reason: "Chờ", ForPayment: arg%2 == 0}, expert
	case 13:
		return Resume{}, expert
	case 14:
		return Extend{NewDue: d.DueAt.Add(time.Duration(int(arg)-64) * time.Hour), Reason: "Gia hạn"}, leader
	case 15:
		return Approve{}, leader
	case 16:
		return Approve{}, expert
	case 17:
		return Refuse{Reason: "Không đủ điều kiện"}, leader
	case 18:
		return IssueResult{Documents: []ResultDocument{{Name: "KQ", Electronic: arg%2 == 0}}}, leader
	case 19:
		return ReturnResult{Method: []string{ReturnDesk, ReturnPost, ReturnElectronic}[int(arg)%3]}, desk
	case 20:
		return Withdraw{}, applicant
	case 21:
		return Rate{Score: int(arg % 7)}, applicant
	case 22:
		return Close{}, system
	case 23:
		return Sync{}, []Actor{system, desk}[int(arg)%2]
	default:
		return Reject{}, desk
	}
}

// FuzzLifecycle feeds random command sequences (three bytes per command: command, parameter,
// time step) and checks the invariants of the aggregate after each accepted one.
func FuzzLifecycle(f *testing.F) {
	f.Add([]byte{0, 0, 10, 4, 1, 10, 7, 0, 10, 8, 0, 10, 11, 2, 10, 7, 0, 10, 15, 0, 10, 18, 0, 10, 19, 2, 10, 21, 5, 10})
	f.Add([]byte{0, 1, 1, 2, 1, 1, 3, 1, 1, 4, 0, 1, 2, 2, 1, 12, 1, 40, 13, 0, 40, 14, 200, 5, 14, 100, 5})
	f.Add([]byte{0, 0, 0, 4, 0, 0, 2, 0, 0, 22, 0, 255, 22, 0, 255, 20, 0, 0})
	f.Add([]byte{0, 2, 3, 4, 2, 3, 9, 30, 3, 15, 0, 3, 10, 0, 3, 17, 0, 3, 19, 0, 3, 21, 3, 3})
	f.Add([]byte{0, 0, 10, 23, 0, 10, 4, 1, 10, 23, 1, 10, 23, 0, 10, 20, 0, 10, 23, 0, 10})
	f.Fuzz(func(t *testing.T, script []byte) {
		if len(script) > 300 {
			script = script[:300]
		}
		d := New()
		var events []Event
		now := at(2, 20, 0)
		for i := 0; i+2 < len(script); i += 3 {
			// Time moves forward by up to ~10 hours, or by days when the step byte is high.
			if s := script[i+2]; s >= 250 {
				now = now.Add(time.Duration(s-249) * 72 * time.Hour)
			} else {
				now = now.Add(time.Duration(s) * 151 * time.Second)
			}
			cmd, actor := fuzzCommand(script[i], script[i+1], d)
			before := d.Clone()
			evs, err := Decide(d, cmd, Context{Now: now, Clock: fakeCal{}, Actor: actor})
			if diff := diffDossier(before, d); diff != "" {
				t.Fatalf("Decide(%s) mutated the dossier: %s", cmd.Name(), diff)
			}
			if err != nil {
				var re *RuleError
				var ie *InputError
				if !errors.As(err, &re) && !errors.As(err, &ie) {
					t.Fatalf("%s: unexpected error kind %T: %v", cmd.Name(), err, err)
				}
				if re != nil && (re.MessageVI == "" || re.MessageEN == "" || re.Rule == "") {
					t.Fatalf("%s: refusal without messages or rule: %+v", cmd.Name(), re)
				}
				if !Allowed(d.State, cmd.Name()) && (re == nil || re.Code != CodeIllegalState) {
					t.Fatalf("%s in %s: %v, want illegal_state", cmd.Name(), d.State, err)
				}
				continue
			}
			if before.State.Terminal() && !(before.State == Returned && cmd.Name() == "rate") && cmd.Name() != "sync" {
				t.Fatalf("terminal state %s accepted %s", before.State, cmd.Name())
			}
			if len(evs) != 1 {
				t.Fatalf("%s produced %d events", cmd.Name(), len(evs))
			}
			for _, e := range evs {
				if err := Check(d, e); err != nil {
					t.Fatalf("%s produced an event that does not fit: %v", cmd.Name(), err)
				}
				Apply(d, e)
				events = append(events, e)
			}
			checkInvariants(t, before, d)
		}
		// Replay, also through JSON, rebuilds exactly the state built step by step.
		r, err := Replay(events)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffDossier(d, r); diff != "" {
			t.Fatalf("replay differs: %s", diff)
		}
		raw, err := json.Marshal(events)
		if err != nil {
			t.Fatal(err)
		}
		var back []Event
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if r, err = Replay(back); err != nil {
			t.Fatal(err)
		}
		if diff := diffDossier(d, r); diff != "" {
			t.Fatalf("replay from JSON differs: %s", diff)
		}
	})
}

func checkInvariants(t *testing.T, before, d *Dossier) {
	t.Helper()
	if d.Version != before.Version+1 {
		t.Fatalf("version %d after %d", d.Version, before.Version)
	}
	if d.SupplementRequests > 1 {
		t.Fatalf("%d supplement requests", d.SupplementRequests)
	}
	if d.Extensions > 1 {
		t.Fatalf("%d extensions", d.Extensions)
	}
	if !d.ReceivedAt.IsZero() {
		if d.DueAt.Before(d.ReceivedAt) {
			t.Fatalf("due %s before reception %s", d.DueAt, d.ReceivedAt)
		}
		for i, s := range d.Steps {
			if s.Due.Before(d.ReceivedAt) {
				t.Fatalf("step %d due %s before reception %s", i, s.Due, d.ReceivedAt)
			}
			if !s.FinishedAt.IsZero() && (s.StartedAt.IsZero() || s.FinishedAt.Before(s.StartedAt)) {
				t.Fatalf("step %d finished %s but started %s", i, s.FinishedAt, s.StartedAt)
			}
		}
	}
	if d.State == Received || d.State == InProgress {
		if d.PausedFrom != "" {
			t.Fatalf("running dossier remembers a pause from %s", d.PausedFrom)
		}
	}
	if d.State == Processed && d.Decision == "" {
		t.Fatal("processed without a decision")
	}
	if d.Decision == Approved {
		for _, s := range d.Steps {
			if s.Parallel && s.Open() {
				t.Fatalf("approved with consultation %s open", s.Unit)
			}
		}
	}
	if !d.SyncedAt.IsZero() && d.Code == "" {
		t.Fatal("synchronized before reception")
	}
	if !before.SyncedAt.IsZero() && !d.SyncedAt.Equal(before.SyncedAt) {
		t.Fatalf("synchronized twice: %s then %s", before.SyncedAt, d.SyncedAt)
	}
	if d.State != before.State && d.SyncedAt != before.SyncedAt {
		t.Fatalf("sync changed the state %s -> %s", before.State, d.State)
	}
	if d.Rating != 0 && (d.Rating < 1 || d.Rating > 5 || d.State != Returned) {
		t.Fatalf("rating %d in %s", d.Rating, d.State)
	}
}

// diffDossier compares two states in their JSON form (times compared as instants).
func diffDossier(a, b *Dossier) string {
	ja, _ := json.Marshal(normalize(a))
	jb, _ := json.Marshal(normalize(b))
	if string(ja) != string(jb) {
		return "\n" + string(ja) + "\n" + string(jb)
	}
	return ""
}

func normalize(d *Dossier) *Dossier {
	c := d.Clone()
	utc := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.UTC()
		}
	}
	for i := range c.Steps {
		utc(&c.Steps[i].Due)
		utc(&c.Steps[i].StartedAt)
		utc(&c.Steps[i].FinishedAt)
	}
	for i := range c.Documents {
		utc(&c.Documents[i].AddedAt)
	}
	for _, p := range []*time.Time{&c.UpdatedAt, &c.SubmittedAt, &c.NotifyBy, &c.AcceptBy, &c.ReceivedAt, &c.DueAt,
		&c.OriginalDueAt, &c.SupplementRequestedAt, &c.SupplementedAt, &c.ExtendedAt, &c.SuspendedAt,
		&c.ProcessedAt, &c.ResultIssuedAt, &c.ReturnedAt, &c.RejectedAt, &c.WithdrawnAt, &c.ClosedAt, &c.RatedAt} {
		utc(p)
	}
	return c
}
