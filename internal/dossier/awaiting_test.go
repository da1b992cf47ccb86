package dossier

import (
	"testing"
	"time"
)

func TestAwaitingLeader(t *testing.T) {
	const specialist = "specialist"
	on := time.Date(2026, 10, 5, 8, 0, 0, 0, time.UTC)
	open := func(role, unit string) Step { return Step{Role: role, Unit: unit, StartedAt: on} }
	done := func(role, unit string) Step {
		return Step{Role: role, Unit: unit, StartedAt: on, FinishedAt: on.Add(time.Hour)}
	}
	cases := []struct {
		name    string
		current int
		steps   []Step
		want    string
	}{
		{"leader's step open", 1, []Step{done(specialist, "xa-a"), open(RoleLeader, "xa-a")}, "xa-a"},
		{"another unit's leader", 1, []Step{done(specialist, "xa-a"), open(RoleLeader, "so-tu-phap")}, "so-tu-phap"},
		{"leader's step finished", 1, []Step{done(specialist, "xa-a"), done(RoleLeader, "xa-a")}, ""},
		{"leader's step not started", 1, []Step{done(specialist, "xa-a"), {Role: RoleLeader, Unit: "xa-a"}}, ""},
		{"specialist's step open", 0, []Step{open(specialist, "xa-a"), {Role: RoleLeader, Unit: "xa-a"}}, ""},
		{"no current step", -1, []Step{open(RoleLeader, "xa-a")}, ""},
		{"current beyond the steps", 2, []Step{open(RoleLeader, "xa-a")}, ""},
		{"no steps", 0, nil, ""},
	}
	for _, c := range cases {
		d := &Dossier{Current: c.current, Steps: c.steps}
		if got := d.AwaitingLeader(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
