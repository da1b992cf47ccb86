package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestCalendarCommandJSON(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"calendar", "due", "--from", "2026-02-13T10:15:00+07:00", "--duration", "3d", "--json"}, `{"due":"2026-02-25T10:15:00+07:00"}`},
		{[]string{"calendar", "due", "--from", "2026-11-23T07:30:00+07:00", "--duration", "1d", "--json"}, `{"due":"2026-11-23T17:00:00+07:00"}`},
		{[]string{"calendar", "elapsed", "--from", "2026-02-13T10:15:00+07:00", "--to", "2026-02-25T10:15:00+07:00", "--json"}, `{"minutes":1440}`},
	}
	for _, c := range cases {
		e, out, errb := testEnv()
		if code := run(context.Background(), c.args, e); code != 0 {
			t.Fatalf("%v: exit %d %s", c.args, code, errb.String())
		}
		if got := strings.TrimSpace(out.String()); got != c.want {
			t.Errorf("%v: got %s, want %s", c.args, got, c.want)
		}
	}
	e, out, _ := testEnv()
	if code := run(context.Background(), []string{"calendar", "holidays", "--year", "2026", "--json"}, e); code != 0 {
		t.Fatal(code)
	}
	var days []map[string]string
	if err := json.Unmarshal(out.Bytes(), &days); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, d := range days {
		if len(d) != 3 || d["date"] == "" || d["name"] == "" {
			t.Fatalf("entry %v: want exactly date, kind, name", d)
		}
		kinds[d["date"]] = d["kind"]
	}
	for date, kind := range map[string]string{"2026-02-17": "holiday", "2026-01-02": "day_off", "2026-01-10": "working_day", "2026-11-24": "holiday"} {
		if kinds[date] != kind {
			t.Errorf("%s: kind %q, want %q", date, kinds[date], kind)
		}
	}
}

func TestCalendarCommandBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"calendar", "due", "--from", "2026-02-13T10:15:00+07:00", "--duration", "-3d"},
		{"calendar", "due", "--from", "2026-02-13T10:15:00+07:00", "--duration", "3 weeks"},
		{"calendar", "due", "--from", "13/02/2026", "--duration", "3d"},
		{"calendar", "holidays", "--year", "2500"},
		{"calendar", "elapsed", "--from", "2026-02-13T10:15:00+07:00", "--to", "yesterday"},
		{"calendar", "fly"},
	} {
		e, _, errb := testEnv()
		if code := run(context.Background(), args, e); code != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one sentence", args, code, errb.String())
		}
	}
}
