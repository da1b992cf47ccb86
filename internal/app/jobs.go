package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// supplementWait is the 15 calendar days an applicant has to bring a supplement (Điều 19).
const supplementWait = 15 * 24 * time.Hour

// deadlineKinds are the jobs tied to the dossier's current deadlines; they are replaced
// whenever a command moves a deadline.
var deadlineKinds = []string{JobAcceptWarning, JobDueWarning, JobStepDueWarning, JobOverdue, JobCloseSupplement}

// Notice kinds: what a deadline job tells the officers of the unit concerned (a console
// notice) and the outside channels (an outbox message). The values are stored.
const (
	NoticeNewOnline      = "desk.new_online_dossier" // an online dossier waits for the desk
	NoticeAcceptDeadline = "desk.accept_deadline"    // the 8 working hours to accept end soon
	NoticeDueSoon        = "dossier.due_soon"
	NoticeStepDueSoon    = "step.due_soon"
	NoticeOverdue        = "dossier.overdue"
)

// NoticeKinds lists the notice kinds (the console names each one).
var NoticeKinds = []string{NoticeNewOnline, NoticeAcceptDeadline, NoticeDueSoon, NoticeStepDueSoon, NoticeOverdue}

// jobPlan is the durable jobs a command leaves behind: the one-off notice of a new online
// dossier, and the dossier's deadline jobs, replaced only when its deadlines changed.
type jobPlan struct {
	once     []store.Job
	replace  bool // cancel the dossier's deadline jobs and schedule deadlines
	deadline []deadlineJob
	id       string
}

// deadlineJob is a deadline job before its payload is encoded; comparable, so that the jobs
// of two states compare without encoding anything.
type deadlineJob struct {
	kind    string
	at      time.Time
	payload jobPayload
}

// jobPayload is the payload of a deadline job. Its fields are in alphabetical order of their
// JSON names (the order the payload had when it was a map).
type jobPayload struct {
	AcceptBy *time.Time `json:"accept_by,omitempty"`
	DueAt    *time.Time `json:"due_at,omitempty"`
	Step     *int       `json:"step,omitempty"`
	Unit     string     `json:"unit,omitempty"`
}

func (j deadlineJob) equal(k deadlineJob) bool {
	eqTime := func(a, b *time.Time) bool { return a == nil && b == nil || a != nil && b != nil && a.Equal(*b) }
	eqInt := func(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	return j.kind == k.kind && j.at.Equal(k.at) && eqTime(j.payload.AcceptBy, k.payload.AcceptBy) && eqTime(j.payload.DueAt, k.payload.DueAt) &&
		eqInt(j.payload.Step, k.payload.Step) && j.payload.Unit == k.payload.Unit
}

// planJobs keeps the dossier's durable jobs in step with its state: a job exists exactly for
// each deadline still ahead. Commands that move no deadline (an assignment) write no job.
func planJobs(before, after *dossier.Dossier) jobPlan {
	p := jobPlan{id: after.ID}
	if after.State == dossier.Submitted && after.Channel == dossier.ChannelOnline && (before == nil || before.State != dossier.Submitted) {
		b, _ := json.Marshal(map[string]any{"notify_by": after.NotifyBy})
		p.once = append(p.once, store.Job{Kind: JobNotifyDesk, DossierID: after.ID, RunAt: after.UpdatedAt.UTC(), Payload: b})
	}
	p.deadline = deadlineJobs(after)
	if before == nil {
		p.replace = len(p.deadline) > 0
		return p
	}
	p.replace = !slices.EqualFunc(deadlineJobs(before), p.deadline, deadlineJob.equal)
	return p
}

// deadlineJobs are the deadline jobs a dossier in its state should have, a pure function of
// the state so that two states can be compared.
func deadlineJobs(d *dossier.Dossier) []deadlineJob {
	var out []deadlineJob
	add := func(kind string, at time.Time, payload jobPayload) {
		if at.IsZero() {
			return
		}
		out = append(out, deadlineJob{kind: kind, at: at.UTC(), payload: payload})
	}
	switch d.State {
	case dossier.Submitted:
		if !d.AcceptBy.IsZero() {
			add(JobAcceptWarning, d.AcceptBy.Add(-time.Hour), jobPayload{AcceptBy: &d.AcceptBy})
		}
	case dossier.SupplementRequested, dossier.SupplementRequestedInProcessing:
		add(JobCloseSupplement, d.SupplementRequestedAt.Add(supplementWait), jobPayload{})
	case dossier.Received, dossier.InProgress:
		if !d.DueAt.IsZero() {
			add(JobDueWarning, d.DueAt.Add(-24*time.Hour), jobPayload{DueAt: &d.DueAt})
			add(JobOverdue, d.DueAt, jobPayload{DueAt: &d.DueAt})
		}
		for _, i := range d.OpenSteps() {
			st := d.Steps[i]
			add(JobStepDueWarning, st.Due.Add(-time.Hour), jobPayload{Step: &i, Unit: st.Unit, DueAt: &st.Due})
		}
	}
	return out
}

// into puts the plan into a dossier change, encoding the payloads of the jobs it schedules.
func (p jobPlan) into(c *store.DossierChange) {
	c.Jobs = append(c.Jobs, p.once...)
	if !p.replace {
		return
	}
	c.CancelJobKinds = deadlineKinds
	for _, j := range p.deadline {
		b := []byte("null")
		if j.payload != (jobPayload{}) {
			b, _ = json.Marshal(j.payload)
		}
		c.Jobs = append(c.Jobs, store.Job{Kind: j.kind, DossierID: p.id, RunAt: j.at, Payload: b})
	}
}

// JobStats is what one RunJobs pass did.
type JobStats struct{ Done, Failed int }

// RunJobs claims the jobs that are due and runs them; each job's effect (an outbox message, a
// command) is committed before the job is marked done, and a job whose lease expires (the
// process died) is claimed again by any node.
func (a *App) RunJobs(ctx context.Context, max int) (JobStats, error) {
	now := a.now()
	jobs, err := a.store.ClaimJobs(ctx, now, max, 2*time.Minute)
	if err != nil {
		return JobStats{}, err
	}
	var st JobStats
	for _, j := range jobs {
		if err := a.runJob(ctx, j); err != nil {
			st.Failed++
			a.log.Warn("job failed", "kind", j.Kind, "dossier", j.DossierID, "attempt", j.Attempts, "err", err)
			backoff := time.Duration(1<<min(j.Attempts, 10)) * time.Minute
			if ferr := a.store.FailJob(ctx, j.ID, err.Error(), now.Add(backoff)); ferr != nil {
				return st, ferr
			}
			continue
		}
		// A job whose own command rescheduled the dossier's deadlines (closing it cancels
		// them) is already gone: that is done too.
		if err := a.store.FinishJob(ctx, j.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return st, err
		}
		st.Done++
	}
	return st, nil
}

func (a *App) runJob(ctx context.Context, j store.Job) error {
	row, err := a.store.Dossier(ctx, j.DossierID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // nothing to do for a dossier that no longer exists
	}
	if err != nil {
		return err
	}
	var pl jobPayload
	_ = json.Unmarshal(j.Payload, &pl) // the one-off notice's payload has none of these fields
	// notify queues the message for the outside channels (SMS, e-mail) and, in the same
	// transaction, the console's notices for the units concerned: the receiving desk for a
	// dossier still to receive, else the competent authority and the unit of the step.
	notify := func(kind string) error {
		msg, _ := json.Marshal(map[string]any{"kind": kind, "dossier": row.ID, "code": row.Code, "status": row.State, "unit": row.ReceivingUnit, "authority": row.Authority, "due_at": row.DueAt})
		units := []string{row.Authority}
		if kind == NoticeNewOnline || kind == NoticeAcceptDeadline {
			units = []string{row.ReceivingUnit} // still at the desk
		}
		if pl.Unit != "" && !slices.Contains(units, pl.Unit) {
			units = append(units, pl.Unit)
		}
		due := row.DueAt
		switch {
		case pl.AcceptBy != nil:
			due = *pl.AcceptBy
		case pl.DueAt != nil:
			due = *pl.DueAt
		}
		now := a.now()
		return a.store.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.Enqueue(ctx, TopicNotifications, row.ID, msg, now); err != nil {
				return err
			}
			for _, u := range units {
				if u == "" {
					continue
				}
				if err := tx.Notify(ctx, store.Notification{Unit: u, Kind: kind, DossierID: row.ID, Code: row.Code, DueAt: due, CreatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	switch j.Kind {
	case JobNotifyDesk:
		if row.State != string(dossier.Submitted) {
			return nil
		}
		return notify(NoticeNewOnline)
	case JobAcceptWarning:
		if row.State != string(dossier.Submitted) {
			return nil
		}
		return notify(NoticeAcceptDeadline)
	case JobDueWarning:
		return notify(NoticeDueSoon)
	case JobStepDueWarning:
		return notify(NoticeStepDueSoon)
	case JobOverdue:
		return notify(NoticeOverdue)
	case JobCloseSupplement:
		if row.State != string(dossier.SupplementRequested) && row.State != string(dossier.SupplementRequestedInProcessing) {
			return nil
		}
		return a.closeUnanswered(ctx, row.ID)
	}
	return fmt.Errorf("unknown job kind %q", j.Kind)
}

// closeUnanswered closes a dossier whose supplement did not come within 15 days.
func (a *App) closeUnanswered(ctx context.Context, id string) error {
	_, err := a.actAsSystem(ctx, id, "close", dossier.Close{})
	return err
}

// actAsSystem decides and writes a command the system issues (a job's, the portal
// dispatcher's) on the dossier's current state. A refusal by the rules is no error: the
// dossier moved on (answered, already recorded) and there is nothing to do; applied tells.
func (a *App) actAsSystem(ctx context.Context, id, action string, cmd dossier.Command) (applied bool, err error) {
	row, err := a.store.Dossier(ctx, id)
	if err != nil {
		return false, err
	}
	seen, err := loadRow(row)
	if err != nil {
		return false, err
	}
	env, err := a.commandEnv(ctx, Public, action, seen)
	if err != nil {
		return false, err
	}
	defer a.dz.hot.drop(id)
	err = a.store.InTx(ctx, func(tx *store.Tx) error {
		applied = false // the function may run again
		row, err := tx.DossierForUpdate(ctx, id)
		if err != nil {
			return err
		}
		before, err := loadRow(row)
		if err != nil {
			return err
		}
		evs, err := dossier.Decide(before, cmd, dossier.Context{Now: a.now(), Clock: env.cal, Actor: dossier.Actor{ID: "system", Role: dossier.RoleSystem}})
		if err != nil {
			if dossier.IsRule(err) {
				return nil
			}
			return err
		}
		after := before.Clone()
		for _, e := range evs {
			dossier.Apply(after, e)
		}
		applied = true
		return a.persist(ctx, tx, row, before, after, evs, env)
	})
	if err != nil {
		return false, err
	}
	return applied, nil
}

// RunJobsLoop runs RunJobs every interval until ctx ends.
func (a *App) RunJobsLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := a.RunJobs(ctx, 100); err != nil && ctx.Err() == nil {
			a.log.Warn("job runner", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
