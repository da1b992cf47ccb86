package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// reportSite is an application with the demo dossiers, at 26 November 2026.
func reportSite(t *testing.T, s *store.Store) *app.App {
	t.Helper()
	a, now := engine(t, s)
	real := time.Date(2026, 11, 26, 9, 0, 0, 0, calendar.VN)
	now.Store(&real)
	if _, err := a.SeedDemoDossiers(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return a
}

func leaderOf(unit string) auth.Principal {
	return auth.Principal{Kind: auth.KindOfficer, Subject: unit + ".leader", Roles: []auth.RoleAssignment{{Role: auth.RoleLeader, Unit: unit}}}
}

// cellInt reads an integer cell of the workbook.
func cellInt(t *testing.T, f *excelize.File, sheet, cell string) int64 {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, not an integer", sheet, cell, v)
	}
	return n
}

// TestPeriodReportMatchesIndex: the Excel period report of a unit opens, and its figures are
// the index API's for the same unit and period (the summary and the 2.1 and 3.3 fractions);
// the province's rows list every unit under it; officials are credited with their steps.
func TestPeriodReportMatchesIndex(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		a := reportSite(t, s)
		ctx := context.Background()
		period, err := index.Custom(index.NewDate(2026, 11, 1), index.NewDate(2026, 11, 26))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			unit string
			who  auth.Principal
		}{
			{"xa-tan-cuong", leaderOf("xa-tan-cuong")},
			{"thai-nguyen", auth.Principal{Kind: auth.KindOfficer, Subject: "inspector", Roles: []auth.RoleAssignment{{Role: auth.RoleInspector, Unit: "thai-nguyen"}}}},
		} {
			t.Run(tc.unit, func(t *testing.T) {
				rep, err := a.PeriodReport(ctx, tc.who, tc.unit, period)
				if err != nil {
					t.Fatal(err)
				}
				idx, err := a.Index(ctx, app.Public, tc.unit, period)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Rows[0].Unit != tc.unit || rep.Rows[0].Summary != idx.Summary {
					t.Fatalf("report row %s = %+v, index summary %+v", rep.Rows[0].Unit, rep.Rows[0].Summary, idx.Summary)
				}
				if idx.Summary.Received == 0 {
					t.Fatalf("no dossier received at %s in the period: the test has nothing to compare", tc.unit)
				}
				var buf bytes.Buffer
				if err := rep.WriteXLSX(&buf); err != nil {
					t.Fatal(err)
				}
				f, err := excelize.OpenReader(&buf)
				if err != nil {
					t.Fatalf("the workbook does not open: %v", err)
				}
				defer f.Close()
				if unit, _ := f.GetCellValue(app.SheetMovement, "A5"); unit != tc.unit {
					t.Fatalf("A5 = %q, want %s", unit, tc.unit)
				}
				// Columns C.. follow MovementHeaders.
				col := func(h string) string {
					for i, x := range app.MovementHeaders {
						if x == h {
							c, _ := excelize.CoordinatesToCellName(3+i, 5)
							return c
						}
					}
					t.Fatalf("no column %q", h)
					return ""
				}
				on, _ := indicator(idx, "2.1")
				online, _ := indicator(idx, "3.3")
				finished := cellInt(t, f, app.SheetMovement, col("Trước hạn")) + cellInt(t, f, app.SheetMovement, col("Đúng hạn"))
				checks := []struct {
					name      string
					got, want int64
				}{
					{"handled = 2.1 denominator", cellInt(t, f, app.SheetMovement, col("Tổng số phải giải quyết")), on.Denominator},
					{"on time = 2.1 numerator", finished + cellInt(t, f, app.SheetMovement, col("Đang giải quyết trong hạn")), on.Numerator},
					{"received = 3.3 denominator", cellInt(t, f, app.SheetMovement, col("Tiếp nhận trong kỳ")), online.Denominator},
					{"carried over", cellInt(t, f, app.SheetMovement, col("Kỳ trước chuyển sang")), idx.Summary.CarriedOver},
					{"online", cellInt(t, f, app.SheetMovement, col("Trực tuyến")), idx.Summary.ReceivedOnline},
					{"late", cellInt(t, f, app.SheetMovement, col("Quá hạn")), idx.Summary.FinishedLate},
					{"overdue", cellInt(t, f, app.SheetMovement, col("Đang giải quyết quá hạn")), idx.Summary.OpenOverdue},
					{"withdrawn", cellInt(t, f, app.SheetMovement, col("Rút hồ sơ")), idx.Summary.Withdrawn},
					{"stopped", cellInt(t, f, app.SheetMovement, col("Dừng xử lý")), idx.Summary.Stopped},
				}
				for _, c := range checks {
					if c.got != c.want {
						t.Errorf("%s: workbook %d, index %d", c.name, c.got, c.want)
					}
				}
				// Every child row equals that unit's index summary.
				for i, row := range rep.Rows[1:] {
					ci, err := a.Index(ctx, app.Public, row.Unit, period)
					if err != nil {
						t.Fatal(err)
					}
					if row.Summary != ci.Summary {
						t.Errorf("row %s: %+v, index %+v", row.Unit, row.Summary, ci.Summary)
					}
					if got, _ := f.GetCellValue(app.SheetMovement, "A"+strconv.Itoa(6+i)); got != row.Unit {
						t.Errorf("row %d: %q, want %s", 6+i, got, row.Unit)
					}
				}
				if len(rep.Officials) == 0 {
					t.Fatal("no official credited with a step")
				}
				for i, o := range rep.Officials {
					if o.Steps < o.Dossiers || o.StepsLate > o.Steps || o.Officer == "" {
						t.Errorf("official %+v inconsistent", o)
					}
					if got, _ := f.GetCellValue(app.SheetOfficials, "B"+strconv.Itoa(4+i)); got != o.Officer {
						t.Errorf("officials row %d: %q, want %s", 4+i, got, o.Officer)
					}
				}
			})
		}
		if tc := rowUnits(t, a, "thai-nguyen", period); !strings.Contains(tc, "xa-tan-cuong") || !strings.Contains(tc, "ttpvhcc") {
			t.Errorf("province rows %s lack a commune or the service center", tc)
		}
	})
}

func rowUnits(t *testing.T, a *app.App, unit string, p index.Period) string {
	t.Helper()
	rep, err := a.PeriodReport(context.Background(), auth.Principal{Kind: auth.KindOfficer, Subject: "admin", Roles: []auth.RoleAssignment{{Role: auth.RoleAdmin, Unit: "thai-nguyen"}}}, unit, p)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range rep.Rows {
		keys = append(keys, r.Unit)
	}
	return strings.Join(keys, ",")
}

func indicator(rep index.Report, id string) (index.IndicatorResult, bool) {
	for _, g := range rep.Groups {
		for _, ind := range g.Indicators {
			if ind.ID == id {
				return ind, true
			}
		}
	}
	return index.IndicatorResult{}, false
}

// TestPeriodReportScope: the report names officials, so it is for staff of the unit or above,
// inspectors and administrators; anybody else is told the unit does not exist.
func TestPeriodReportScope(t *testing.T) {
	a := reportSite(t, storetest.Open(t, store.SQLite))
	ctx := context.Background()
	p, _ := index.Month(2026, time.November)
	for _, tc := range []struct {
		name string
		who  auth.Principal
		unit string
		ok   bool
	}{
		{"leader of the commune", leaderOf("xa-tan-cuong"), "xa-tan-cuong", true},
		{"leader of another commune", leaderOf("xa-dai-phuc"), "xa-tan-cuong", false},
		{"commune leader asking for the province", leaderOf("xa-tan-cuong"), "thai-nguyen", false},
		{"applicant", auth.Principal{Kind: auth.KindApplicant, Subject: "vneid-demo-0002"}, "xa-tan-cuong", false},
		{"public", app.Public, "xa-tan-cuong", false},
		{"unknown unit", leaderOf("xa-tan-cuong"), "khong-co", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.PeriodReport(ctx, tc.who, tc.unit, p)
			if tc.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tc.ok && app.KindOf(err) != app.KindNotFound {
				t.Fatalf("err = %v, want not found", err)
			}
		})
	}
	if _, err := a.PeriodReport(ctx, leaderOf("xa-tan-cuong"), "xa-tan-cuong", index.Period{From: 10, To: 5}); app.KindOf(err) != app.KindInvalid {
		t.Fatalf("bad period: %v", err)
	}
}

// TestIndexPDF: the PDF of a unit's index names the unit and carries the index's total, read
// back by an independent reader (Poppler's pdftotext).
func TestIndexPDF(t *testing.T) {
	a := reportSite(t, storetest.Open(t, store.SQLite))
	ctx := context.Background()
	p, _ := index.Month(2026, time.November)
	var buf bytes.Buffer
	if err := a.IndexPDF(ctx, leaderOf("xa-tan-cuong"), "xa-tan-cuong", p, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	rep, err := a.Index(ctx, app.Public, "xa-tan-cuong", p)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfToText(t, buf.Bytes())
	if text == "" {
		return
	}
	for _, want := range []string{"Xã Tân Cương", report.Decimal(rep.Total) + " / " + report.Decimal(rep.MaxTotal) + " điểm", "Tỷ lệ hồ sơ giải quyết đúng hạn", "01/11/2026", "30/11/2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	if err := a.IndexPDF(ctx, app.Public, "khong-co", p, &buf); app.KindOf(err) != app.KindNotFound {
		t.Errorf("unknown unit: %v", err)
	}
}

// pdfToText extracts a PDF's text with pdftotext, whitespace collapsed; "" (and a log line)
// without the tool, except with CI=true where it is required.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required when CI=true")
		}
		t.Log("pdftotext not installed: PDF text not checked")
		return ""
	}
	cmd := exec.Command(path, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) || err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestAverageStepDays: working minutes per step in working days, rounded to 2 decimals.
func TestAverageStepDays(t *testing.T) {
	for _, tc := range []struct {
		o    app.OfficialPerformance
		want float64
	}{
		{app.OfficialPerformance{}, 0},
		{app.OfficialPerformance{Steps: 2, StepMinutes: 480}, 0.5},
		{app.OfficialPerformance{Steps: 3, StepMinutes: 480}, 0.33},
		{app.OfficialPerformance{Steps: 1, StepMinutes: 1200}, 2.5},
	} {
		if got := tc.o.AverageStepDays(); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.o, got, tc.want)
		}
	}
}
