package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/index"
)

// TestPlanRollup checks by hand the ranges a few periods are read from.
func TestPlanRollup(t *testing.T) {
	d := index.NewDate
	y := func(to string) rollupRange { return rollupRange{table: tableYears, to: to} }
	tests := []struct {
		name     string
		from, to index.Date
		before   []rollupRange
		during   []rollupRange
	}{
		{"a year", d(2026, 1, 1), d(2026, 12, 31),
			[]rollupRange{y("2025")},
			[]rollupRange{{table: tableYears, from: "2026", to: "2026"}}},
		{"a month", d(2026, 3, 1), d(2026, 3, 31),
			[]rollupRange{y("2025"), {table: tableMonths, from: "2026-01", to: "2026-02", parent: "2026"}},
			[]rollupRange{{table: tableMonths, from: "2026-03", to: "2026-03", parent: "2026"}}},
		{"January", d(2026, 1, 1), d(2026, 1, 31),
			[]rollupRange{y("2025")},
			[]rollupRange{{table: tableMonths, from: "2026-01", to: "2026-01", parent: "2026"}}},
		{"one day", d(2026, 3, 17), d(2026, 3, 17),
			[]rollupRange{y("2025"), {table: tableMonths, from: "2026-01", to: "2026-02", parent: "2026"},
				{table: tableDays, from: "2026-03-01", to: "2026-03-16", parent: "2026-03"}},
			[]rollupRange{{table: tableDays, from: "2026-03-17", to: "2026-03-17", parent: "2026-03"}}},
		{"every kind of part", d(2025, 11, 15), d(2027, 1, 20),
			[]rollupRange{y("2024"), {table: tableMonths, from: "2025-01", to: "2025-10", parent: "2025"},
				{table: tableDays, from: "2025-11-01", to: "2025-11-14", parent: "2025-11"}},
			[]rollupRange{
				{table: tableDays, from: "2025-11-15", to: "2025-11-30", parent: "2025-11"},
				{table: tableMonths, from: "2025-12", to: "2025-12", parent: "2025"},
				{table: tableYears, from: "2026", to: "2026"},
				{table: tableDays, from: "2027-01-01", to: "2027-01-20", parent: "2027-01"}}},
		{"whole years and months on both sides", d(2024, 10, 1), d(2027, 2, 28),
			[]rollupRange{y("2023"), {table: tableMonths, from: "2024-01", to: "2024-09", parent: "2024"}},
			[]rollupRange{
				{table: tableMonths, from: "2024-10", to: "2024-12", parent: "2024"},
				{table: tableYears, from: "2025", to: "2026"},
				{table: tableMonths, from: "2027-01", to: "2027-02", parent: "2027"}}},
		{"a year but its last day", d(2026, 1, 1), d(2026, 12, 30),
			[]rollupRange{y("2025")},
			[]rollupRange{
				{table: tableMonths, from: "2026-01", to: "2026-11", parent: "2026"},
				{table: tableDays, from: "2026-12-01", to: "2026-12-30", parent: "2026-12"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := planRollup(index.Period{From: tt.from, To: tt.to})
			if diff := cmp.Diff(tt.before, pl.before, cmp.AllowUnexported(rollupRange{})); diff != "" {
				t.Errorf("before (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.during, pl.during, cmp.AllowUnexported(rollupRange{})); diff != "" {
				t.Errorf("during (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzPlanRollup checks that a plan reads every day before the period exactly once in before
// and every day of the period exactly once in during, that its ranges are well formed (a range
// of days or months inside its parent, from <= to), and that it reads few rows: at most one
// range of years and two of months and of days in during.
func FuzzPlanRollup(f *testing.F) {
	f.Add(0, 364)
	f.Add(300, 800)
	f.Add(31, 0)
	f.Add(59, 700)
	f.Fuzz(func(t *testing.T, start, length int) {
		base := index.NewDate(2024, time.January, 1)
		if start < 0 || start > 2000 || length < 0 || length > 2000 {
			t.Skip()
		}
		p := index.Period{From: base.AddDays(start), To: base.AddDays(start + length)}
		pl := planRollup(p)
		// The days a range covers, from the earliest day the test can reach.
		lowest := index.NewDate(2015, time.January, 1)
		covered := func(r rollupRange) (index.Date, index.Date) {
			t.Helper()
			parse := func(s string, last bool) index.Date {
				var dd index.Date
				var err error
				switch len(s) {
				case 4:
					dd, err = parseDay(s + "-01-01")
					if last {
						dd = lastOfYear(dd)
					}
				case 7:
					dd, err = parseDay(s + "-01")
					if last {
						dd = lastOfMonth(dd)
					}
				default:
					dd, err = parseDay(s)
				}
				if err != nil {
					t.Fatalf("range %+v: %v", r, err)
				}
				return dd
			}
			want := map[string]int{tableYears: 4, tableMonths: 7, tableDays: 10}[r.table]
			if len(r.to) != want || (r.from != "" && len(r.from) != want) {
				t.Fatalf("range %+v: bounds do not fit its table", r)
			}
			from := lowest
			if r.from != "" {
				from = parse(r.from, false)
			}
			to := parse(r.to, true)
			if from > to {
				t.Fatalf("range %+v: from after to", r)
			}
			switch r.table {
			case tableYears:
				if r.parent != "" {
					t.Fatalf("range %+v: years have no parent", r)
				}
			case tableMonths:
				if r.parent != yearOf(from) || r.parent != yearOf(to) {
					t.Fatalf("range %+v: months outside their parent year", r)
				}
			case tableDays:
				if r.parent != monthOf(from) || r.parent != monthOf(to) {
					t.Fatalf("range %+v: days outside their parent month", r)
				}
			}
			return from, to
		}
		check := func(name string, ranges []rollupRange, from, to index.Date) {
			t.Helper()
			seen := map[index.Date]int{}
			for _, r := range ranges {
				a, b := covered(r)
				for dd := a; dd <= b; dd++ {
					seen[dd]++
				}
			}
			for dd := from; dd <= to; dd++ {
				if seen[dd] != 1 {
					t.Fatalf("%s..%s: %s reads %s %d times", p.From, p.To, name, dd, seen[dd])
				}
			}
			if n := len(seen); n != int(to-from)+1 {
				t.Fatalf("%s..%s: %s reads %d days, want %d", p.From, p.To, name, n, int(to-from)+1)
			}
		}
		check("before", pl.before, lowest, p.From.AddDays(-1))
		check("during", pl.during, p.From, p.To)
		count := map[string]int{}
		for _, r := range pl.during {
			count[r.table]++
		}
		if count[tableYears] > 1 || count[tableMonths] > 2 || count[tableDays] > 2 {
			t.Fatalf("%s..%s: during has %v ranges", p.From, p.To, count)
		}
	})
}

// TestAddLeanProcedures checks the parsing of a during row's procedure list.
func TestAddLeanProcedures(t *testing.T) {
	item := func(proc string, vals ...string) string {
		s := proc
		for _, v := range vals {
			s += leanUnitSep + v
		}
		return s
	}
	by := map[string]*index.Counters{}
	list := item("1.001", "2", "0") + leanRecordSep + item("2.002", "0", "5") + leanRecordSep + item("1.001", "1", "3")
	if err := addLeanProcedures(by, list); err != nil {
		t.Fatal(err)
	}
	var want1, want2 index.Counters
	want1[index.ReceivedOnline], want1[index.PaidOnline] = 3, 3
	want2[index.PaidOnline] = 5
	if diff := cmp.Diff(map[string]*index.Counters{"1.001": &want1, "2.002": &want2}, by); diff != "" {
		t.Errorf("parsed (-want +got):\n%s", diff)
	}
	if err := addLeanProcedures(by, ""); err != nil {
		t.Errorf("empty list: %v", err)
	}
	for _, bad := range []string{item("1.001", "2"), item("1.001", "2", "3", "4"), item("", "1", "2"), item("1.001", "x", "2"), "1.001"} {
		if err := addLeanProcedures(map[string]*index.Counters{}, bad); err == nil {
			t.Errorf("list %q accepted", bad)
		}
	}
}
