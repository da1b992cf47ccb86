package dossier

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
)

// realCalendar is the province's official calendar built from the embedded seed notices.
func realCalendar(t testing.TB) *calendar.Calendar {
	t.Helper()
	notices, err := calendar.ParseNotices(seed.CalendarNotices())
	if err != nil {
		t.Fatal(err)
	}
	c, err := calendar.New(calendar.DefaultConfig(), notices)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seedSpecs turns every seed procedure into the Spec the app would pin, resolving step units
// the way routing does (receiving desk, authority, agency key).
func seedSpecs(t testing.TB) []Spec {
	t.Helper()
	type dur struct {
		Value  int    `json:"value"`
		Unit   string `json:"unit"`
		Cutoff string `json:"cutoff"`
	}
	var file struct {
		Procedures []struct {
			Code           string `json:"code"`
			ProcessingTime dur    `json:"processing_time"`
			Documents      []struct {
				Code     string `json:"code"`
				Name     string `json:"name"`
				Required bool   `json:"required"`
				DocType  string `json:"doc_type"`
			} `json:"documents"`
			Process []struct {
				Name     string `json:"name"`
				Role     string `json:"role"`
				Unit     string `json:"unit"`
				Share    dur    `json:"share"`
				Parallel bool   `json:"parallel"`
			} `json:"process"`
			Result struct {
				Electronic bool `json:"electronic"`
				Paper      bool `json:"paper"`
			} `json:"result"`
			FinancialObligation *struct {
				SuspendsClock bool `json:"suspends_clock"`
			} `json:"financial_obligation"`
		} `json:"procedures"`
	}
	if err := json.Unmarshal(seed.Procedures(), &file); err != nil {
		t.Fatal(err)
	}
	perUnit := map[string]int64{"working_hour": 60, "working_day": WorkingDayMinutes, "working_minute": 1}
	var specs []Spec
	for _, p := range file.Procedures {
		s := Spec{
			Procedure: p.Code, Version: 1,
			ProcessingTime:   calendar.Duration{Value: p.ProcessingTime.Value, Unit: calendar.Unit(p.ProcessingTime.Unit), Cutoff: p.ProcessingTime.Cutoff},
			ResultElectronic: p.Result.Electronic, ResultPaper: p.Result.Paper,
		}
		if p.FinancialObligation != nil {
			s.SuspendsClockForPayment = p.FinancialObligation.SuspendsClock
		}
		for _, st := range p.Process {
			unit := st.Unit
			switch {
			case unit == "receiving_desk":
				unit = "desk"
			case strings.HasPrefix(unit, "agency:"):
				unit = strings.TrimPrefix(unit, "agency:")
			}
			m, ok := perUnit[st.Share.Unit]
			if !ok {
				t.Fatalf("%s: share unit %q", p.Code, st.Share.Unit)
			}
			s.Steps = append(s.Steps, StepSpec{Name: st.Name, Role: st.Role, Unit: unit, ShareMinutes: int64(st.Share.Value) * m, Parallel: st.Parallel})
		}
		for _, d := range p.Documents {
			s.Components = append(s.Components, Component{Code: d.Code, Name: d.Name, DocType: d.DocType, Required: d.Required})
		}
		specs = append(specs, s)
	}
	if len(specs) == 0 {
		t.Fatal("no seed procedures")
	}
	return specs
}

// TestSeedProceduresWithRealCalendar takes every seed procedure through its whole process on
// the official calendar, received at awkward moments (after the same-day cut-off, before the
// 30/4-1/5 and 2/9 holidays, on 24/11), and checks the plan's invariants.
func TestSeedProceduresWithRealCalendar(t *testing.T) {
	cal := realCalendar(t)
	starts := []time.Time{
		time.Date(2026, 11, 26, 16, 30, 0, 0, vn),
		time.Date(2026, 4, 29, 10, 0, 0, 0, vn),
		time.Date(2026, 8, 31, 14, 0, 0, 0, vn),
		time.Date(2026, 11, 23, 15, 30, 0, 0, vn),
	}
	for _, spec := range seedSpecs(t) {
		for _, start := range starts {
			t.Run(fmt.Sprintf("%s/%s", spec.Procedure, start.Format("2006-01-02T15:04")), func(t *testing.T) {
				walkSeed(t, cal, spec, start)
			})
		}
	}
}

func walkSeed(t *testing.T, cal Clock, spec Spec, start time.Time) {
	d := New()
	now := start
	act := func(a Actor, c Command) {
		t.Helper()
		evs, err := Decide(d, c, Context{Now: now, Clock: cal, Actor: a})
		if err != nil {
			t.Fatalf("%s at %s: %v", c.Name(), now, err)
		}
		for _, e := range evs {
			Apply(d, e)
		}
		now = now.Add(37 * time.Minute)
	}
	var docs []Document
	for _, c := range spec.Components {
		docs = append(docs, doc(c.Code))
	}
	sub := submitCmd(spec, docs...)
	sub.Channel = ChannelDesk
	act(desk, sub)
	act(desk, Receive{Code: FormatCode("000.00.00.H55", start, 1)})

	if d.DueAt.Before(d.ReceivedAt) {
		t.Fatalf("due %s before reception %s", d.DueAt, d.ReceivedAt)
	}
	if spec.ProcessingTime.Unit == calendar.SameDay && d.DueAt.Sub(d.ReceivedAt) > 5*24*time.Hour {
		t.Errorf("same-day procedure due %s", d.DueAt)
	}
	prevMain := d.ReceivedAt
	last := lastMainIndex(d.Steps)
	for i, s := range d.Steps {
		if s.Due.Before(d.ReceivedAt) || s.Due.After(d.DueAt) {
			t.Errorf("step %d due %s outside [%s, %s]", i, s.Due, d.ReceivedAt, d.DueAt)
		}
		if !s.Parallel {
			if s.Due.Before(prevMain) {
				t.Errorf("main step %d due %s before the previous main step's %s", i, s.Due, prevMain)
			}
			prevMain = s.Due
		}
	}
	if !d.Steps[last].Due.Equal(d.DueAt) {
		t.Errorf("last step due %s, dossier due %s", d.Steps[last].Due, d.DueAt)
	}

	for d.nextMain(d.Current) != last && d.nextMain(d.Current) >= 0 {
		act(expert, Forward{})
	}
	for _, i := range d.OpenSteps() {
		if d.Steps[i].Parallel {
			act(expert, CompleteStep{Step: i, Outcome: "Thống nhất"})
		}
	}
	act(leader, Approve{})
	act(leader, IssueResult{Documents: []ResultDocument{{Name: "Kết quả", Electronic: true}}})
	act(desk, ReturnResult{Method: ReturnDesk})
	if d.State != Returned || len(d.OpenSteps()) != 0 {
		t.Fatalf("ended %s with open steps %v", d.State, d.OpenSteps())
	}
	if rows := d.ControlSheet(); len(rows) != len(d.Steps) {
		t.Errorf("control sheet has %d rows for %d steps", len(rows), len(d.Steps))
	}
	if v := d.Timeliness(now, cal); !v.Counts() {
		t.Errorf("a dossier handled within minutes is %s", v)
	}
}
