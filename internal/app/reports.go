package app

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/store"
)

// The reports of issue 8: the period report of a unit (dossier movement, from the index
// rollups only) with the per-official performance used in the officials' annual evaluation
// (from the dossiers' steps and events), as an Excel workbook; and a unit's service index as a
// PDF.

// PeriodReport is a unit's report for a period: the movement of the unit and of each unit
// directly under it, and the performance of the officials who handled its steps.
type PeriodReport struct {
	Unit     string       `json:"unit"`
	UnitName string       `json:"unit_name"`
	Period   index.Period `json:"period"`
	// Rows are the unit itself first, then the units directly under it in directory order.
	Rows      []PeriodRow           `json:"rows"`
	Officials []OfficialPerformance `json:"officials"`
	// Generated is when the report was made (printed in the workbook).
	Generated time.Time `json:"generated"`
}

// PeriodRow is one unit's dossier movement over the period, derived from its rollups only.
type PeriodRow struct {
	Unit    string        `json:"unit"`
	Name    string        `json:"name"`
	Summary index.Summary `json:"summary"`
}

// OfficialPerformance is what one official did in the period: the dossiers whose steps they
// finished, the steps, the late ones and the working time the steps took.
type OfficialPerformance struct {
	Officer   string `json:"officer"`
	Dossiers  int    `json:"dossiers"`
	Steps     int    `json:"steps"`
	StepsLate int    `json:"steps_late"`
	// StepMinutes sums the working minutes from each step's hand-over to its end.
	StepMinutes int64 `json:"step_minutes"`
}

// AverageStepDays is the average working time of a step in working days, 2 decimals; 0
// without steps.
func (o OfficialPerformance) AverageStepDays() float64 {
	if o.Steps == 0 {
		return 0
	}
	days := float64(o.StepMinutes) / float64(o.Steps) / float64(dossier.WorkingDayMinutes)
	return float64(int64(days*100+0.5)) / 100
}

// within reports whether key (a unit or a desk) is root or lies under it.
func within(dir *org.Directory, key, root string) bool {
	for n := 0; key != "" && n < 10; n++ {
		if key == root {
			return true
		}
		if u, ok := dir.Unit(key); ok {
			key = u.Parent
			continue
		}
		if d, ok := dir.Desk(key); ok {
			key = d.Unit
			continue
		}
		return false
	}
	return false
}

// unitName is a unit's full name, or its key when unknown.
func unitName(dir *org.Directory, key string) string {
	if u, ok := dir.Unit(key); ok {
		return u.FullName()
	}
	return key
}

// PeriodReport builds the period report of unit for p. The movement comes from the rollups
// (the same sums the service index is computed from, so the two agree); the officials' figures
// come from the steps of the dossiers handled in the unit.
func (a *App) PeriodReport(ctx context.Context, p auth.Principal, unit string, period index.Period) (PeriodReport, error) {
	if err := period.Validate(); err != nil {
		return PeriodReport{}, &Error{Kind: KindInvalid, Code: "bad_period", MessageVI: "Kỳ báo cáo không hợp lệ.", MessageEN: "Invalid period.", Err: err}
	}
	dir, err := a.Directory(ctx)
	if err != nil {
		return PeriodReport{}, err
	}
	// Reports name officials: staff of the unit or above, inspectors and administrators only
	// (the drill-down's rule); anybody else is answered as for an unknown unit.
	if _, ok := dir.Unit(unit); !ok || !mayDrill(dir, p, unit) {
		return PeriodReport{}, errUnitNotFound
	}
	rep := PeriodReport{Unit: unit, UnitName: unitName(dir, unit), Period: period, Generated: a.now()}
	keys := []string{unit}
	for _, c := range dir.Children(unit) {
		keys = append(keys, c.Key)
	}
	for _, k := range keys {
		t, err := a.store.RollupTotals(ctx, k, period)
		if err != nil {
			return PeriodReport{}, fmt.Errorf("period report %s: %w", unit, err)
		}
		rep.Rows = append(rep.Rows, PeriodRow{Unit: k, Name: unitName(dir, k), Summary: index.Summarize(&t.Before, &t.During)})
	}
	rep.Officials, err = a.officialPerformance(ctx, dir, unit, period)
	if err != nil {
		return PeriodReport{}, err
	}
	return rep, nil
}

// reportPage is how many dossiers officialPerformance reads per query.
const reportPage = 500

// officialPerformance reads the dossiers with a step in unit or below it (every dossier for the
// province) and sums, per official, the steps of those units finished in the period.
func (a *App) officialPerformance(ctx context.Context, dir *org.Directory, unit string, period index.Period) ([]OfficialPerformance, error) {
	cal, err := a.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	filters := descendants(dir, unit)
	if unit == dir.Province().Key {
		filters = []string{""} // every dossier
	}
	inUnit := func(k string) bool { return within(dir, k, unit) }
	seen := map[string]bool{}
	var work []stepWork
	for _, u := range filters {
		f := store.DossierFilter{Scope: auth.DossierScope{All: true}, Unit: u, Order: "due", Limit: reportPage}
		for {
			rows, _, err := a.store.Dossiers(ctx, f)
			if err != nil {
				return nil, fmt.Errorf("official performance: %w", err)
			}
			for _, row := range rows {
				if seen[row.ID] {
					continue
				}
				seen[row.ID] = true
				d, err := loadRow(row)
				if err != nil {
					return nil, err
				}
				if !touches(d, period) {
					continue
				}
				evs, err := a.store.DossierEvents(ctx, row.ID)
				if err != nil {
					return nil, fmt.Errorf("official performance: %w", err)
				}
				work = append(work, stepsOf(d, evs, cal, inUnit, period)...)
			}
			if len(rows) < f.Limit {
				break
			}
			f.Offset += len(rows)
		}
	}
	return aggregateOfficials(work), nil
}

// touches reports whether some step of d finished in the period (a cheap filter before the
// events are read).
func touches(d *dossier.Dossier, p index.Period) bool {
	for _, s := range d.Steps {
		if !s.FinishedAt.IsZero() && p.Contains(index.DateOf(s.FinishedAt)) {
			return true
		}
	}
	return false
}

// stepWork is one finished step credited to an official.
type stepWork struct {
	officer, dossier string
	minutes          int64
	late             bool
}

// eventHeader is the part of a stored event's JSON that says who finished which steps.
type eventHeader struct {
	Actor dossier.Actor `json:"actor"`
	Data  struct {
		Finished []dossier.StepVerdict `json:"finished"`
	} `json:"data"`
}

// stepsOf lists the steps of d in the units inUnit accepts that finished in period p, each
// credited to the official assigned to it or, for an unassigned step, to the officer whose
// command finished it (read from the events). Steps finished by the system or the applicant
// are nobody's work and are left out.
func stepsOf(d *dossier.Dossier, evs []store.EventRow, cal *calendar.Calendar, inUnit func(string) bool, p index.Period) []stepWork {
	finisher := map[int]dossier.Actor{}
	for _, e := range evs {
		var h eventHeader
		if json.Unmarshal(e.Body, &h) != nil {
			continue
		}
		for _, f := range h.Data.Finished {
			finisher[f.Step] = h.Actor
		}
	}
	var out []stepWork
	for i, s := range d.Steps {
		if s.FinishedAt.IsZero() || !p.Contains(index.DateOf(s.FinishedAt)) || !inUnit(s.Unit) {
			continue
		}
		who := s.Assignee
		if who == "" {
			act := finisher[i]
			if act.Role == dossier.RoleSystem || act.Role == dossier.RoleApplicant {
				continue
			}
			who = act.ID
		}
		if who == "" {
			continue
		}
		var m int64
		if !s.StartedAt.IsZero() {
			m = cal.Elapsed(s.StartedAt, s.FinishedAt)
		}
		out = append(out, stepWork{officer: who, dossier: d.ID, minutes: m, late: s.Verdict == dossier.Late})
	}
	return out
}

// aggregateOfficials sums steps per official, ordered by username.
func aggregateOfficials(ws []stepWork) []OfficialPerformance {
	by := map[string]*OfficialPerformance{}
	seen := map[[2]string]bool{}
	for _, w := range ws {
		o := by[w.officer]
		if o == nil {
			o = &OfficialPerformance{Officer: w.officer}
			by[w.officer] = o
		}
		o.Steps++
		o.StepMinutes += w.minutes
		if w.late {
			o.StepsLate++
		}
		if k := [2]string{w.officer, w.dossier}; !seen[k] {
			seen[k] = true
			o.Dossiers++
		}
	}
	out := make([]OfficialPerformance, 0, len(by))
	for _, o := range by {
		out = append(out, *o)
	}
	slices.SortFunc(out, func(a, b OfficialPerformance) int { return cmp.Compare(a.Officer, b.Officer) })
	return out
}

// Sheet names and headers of the period report workbook.
const (
	SheetMovement  = "Tình hình giải quyết"
	SheetOfficials = "Cán bộ"
)

// MovementHeaders are the columns of the movement sheet after the unit columns, in the order
// of the statutory period report.
var MovementHeaders = []string{
	"Kỳ trước chuyển sang", "Tiếp nhận trong kỳ", "Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính",
	"Tổng số phải giải quyết", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn",
	"Đang giải quyết trong hạn", "Đang giải quyết quá hạn", "Trả lại (từ chối)", "Rút hồ sơ", "Dừng xử lý",
	"Tỷ lệ đúng hạn (%)",
}

// movementValues are a row's figures in MovementHeaders order (the rate is nil when nothing
// was handled).
func movementValues(s index.Summary) []any {
	var rate any = "N/A"
	if s.Handled > 0 {
		rate = float64(int64(float64(s.OnTime())*10000/float64(s.Handled)+0.5)) / 100
	}
	return []any{s.CarriedOver, s.Received, s.ReceivedDirect, s.ReceivedOnline, s.ReceivedPostal,
		s.Handled, s.Finished, s.FinishedEarly, s.FinishedOnTime, s.FinishedLate,
		s.OpenOnTime, s.OpenOverdue, s.Refused, s.Withdrawn, s.Stopped, rate}
}

// OfficialHeaders are the columns of the officials sheet.
var OfficialHeaders = []string{"STT", "Cán bộ (tên đăng nhập)", "Số hồ sơ đã xử lý", "Số bước đã xử lý", "Số bước trễ hạn", "Thời gian xử lý trung bình một bước (ngày làm việc)"}

// WriteXLSX writes the report as a workbook: the movement sheet (the unit, then each unit under
// it) and the officials sheet.
func (r PeriodReport) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetMovement); err != nil {
		return fmt.Errorf("period report: %w", err)
	}
	if _, err := f.NewSheet(SheetOfficials); err != nil {
		return fmt.Errorf("period report: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("period report: %w", err)
	}
	from, to := r.Period.From.Time(), r.Period.To.Time()
	title := fmt.Sprintf("Báo cáo tình hình giải quyết thủ tục hành chính — %s — từ ngày %s đến ngày %s",
		r.UnitName, from.Format("02/01/2006"), to.Format("02/01/2006"))
	set := func(sheet, cell string, v any) {
		if err == nil {
			err = f.SetCellValue(sheet, cell, v)
		}
	}
	row := func(sheet string, n int, vals []any) {
		for i, v := range vals {
			c, e := excelize.CoordinatesToCellName(i+1, n)
			if e != nil {
				err = e
				return
			}
			set(sheet, c, v)
		}
	}
	set(SheetMovement, "A1", title)
	set(SheetMovement, "A2", "Lập lúc "+r.Generated.In(calendar.VN).Format("15:04 ngày 02/01/2006")+". Số liệu từ dữ liệu tổng hợp của Bộ chỉ số (Quyết định 766/QĐ-TTg).")
	head := []any{"Mã đơn vị", "Đơn vị"}
	for _, h := range MovementHeaders {
		head = append(head, h)
	}
	row(SheetMovement, 4, head)
	for i, pr := range r.Rows {
		row(SheetMovement, 5+i, append([]any{pr.Unit, pr.Name}, movementValues(pr.Summary)...))
	}
	set(SheetOfficials, "A1", "Kết quả xử lý hồ sơ của cán bộ — "+r.UnitName+" — "+from.Format("02/01/2006")+" – "+to.Format("02/01/2006"))
	oh := make([]any, len(OfficialHeaders))
	for i, h := range OfficialHeaders {
		oh[i] = h
	}
	row(SheetOfficials, 3, oh)
	for i, o := range r.Officials {
		row(SheetOfficials, 4+i, []any{i + 1, o.Officer, o.Dossiers, o.Steps, o.StepsLate, o.AverageStepDays()})
	}
	if err != nil {
		return fmt.Errorf("period report: %w", err)
	}
	last, _ := excelize.ColumnNumberToName(len(head))
	for _, s := range []struct {
		sheet, from, to string
	}{{SheetMovement, "A4", last + "4"}, {SheetOfficials, "A3", "F3"}} {
		if err := f.SetCellStyle(s.sheet, s.from, s.to, bold); err != nil {
			return fmt.Errorf("period report: %w", err)
		}
	}
	_ = f.SetColWidth(SheetMovement, "B", "B", 36)
	_ = f.SetColWidth(SheetMovement, "C", last, 13)
	_ = f.SetColWidth(SheetOfficials, "B", "B", 30)
	_ = f.SetColWidth(SheetOfficials, "C", "F", 18)
	_ = f.SetPanes(SheetMovement, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 4, TopLeftCell: "C5", ActivePane: "bottomRight"})
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("period report: write: %w", err)
	}
	return nil
}

// IndexSheet converts a unit's index report into the PDF's sheet.
func IndexSheet(province, unit string, rep index.Report) report.IndexSheet {
	s := report.IndexSheet{Province: province, Unit: unit, From: rep.Period.From.Time(), To: rep.Period.To.Time(), Total: rep.Total, MaxTotal: rep.MaxTotal}
	for _, g := range rep.Groups {
		ig := report.IndexGroup{Name: g.NameVI, Points: g.Points, MaxPoints: g.MaxPoints, Nominal: g.NominalPoints}
		for _, ind := range g.Indicators {
			ig.Indicators = append(ig.Indicators, report.IndexLine{ID: ind.ID, Name: ind.NameVI, Formula: ind.FormulaVI,
				Numerator: ind.Numerator, Denominator: ind.Denominator, Rate: ind.Rate, Points: ind.Points, MaxPoints: ind.MaxPoints,
				Average: ind.Rule.Kind == index.Monitored})
		}
		s.Groups = append(s.Groups, ig)
	}
	m := rep.Summary
	for _, kv := range []struct {
		k string
		v int64
	}{
		{"Kỳ trước chuyển sang", m.CarriedOver}, {"Tiếp nhận trong kỳ", m.Received},
		{"– trực tiếp", m.ReceivedDirect}, {"– trực tuyến", m.ReceivedOnline}, {"– qua dịch vụ bưu chính", m.ReceivedPostal},
		{"Đã giải quyết", m.Finished}, {"– trước hạn", m.FinishedEarly}, {"– đúng hạn", m.FinishedOnTime}, {"– quá hạn", m.FinishedLate},
		{"Đang giải quyết trong hạn", m.OpenOnTime}, {"Đang giải quyết quá hạn", m.OpenOverdue},
		{"Trả lại (từ chối)", m.Refused}, {"Rút hồ sơ", m.Withdrawn}, {"Dừng xử lý", m.Stopped},
	} {
		s.Movement = append(s.Movement, [2]string{kv.k, fmt.Sprint(kv.v)})
	}
	return s
}

// IndexPDF writes the PDF of a unit's service index for the period, as p may see it (the same
// report as the dashboard and the API, through Index).
func (a *App) IndexPDF(ctx context.Context, p auth.Principal, unit string, period index.Period, w io.Writer) error {
	rep, err := a.Index(ctx, p, unit, period)
	if err != nil {
		return err
	}
	dir, err := a.Directory(ctx)
	if err != nil {
		return err
	}
	province := dir.Province()
	parent := province.Name
	if unit == province.Key {
		parent = ""
	}
	if err := report.IndexPDF(w, IndexSheet(parent, unitName(dir, unit), rep), a.now()); err != nil {
		return fmt.Errorf("index pdf %s: %w", unit, err)
	}
	return nil
}

// ProcedureLateness is one procedure's late finishes in a unit over a period.
type ProcedureLateness struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Finished int64   `json:"finished"`
	Late     int64   `json:"late"`
	LateRate float64 `json:"late_rate"` // percent of the finished, 2 decimals
}

// WorstProcedures returns up to n procedures of the unit with the most dossiers finished late
// in the period (ties: the higher late rate, then the code), from the rollups only. Aggregates,
// no personal data: anybody may ask.
func (a *App) WorstProcedures(ctx context.Context, unit string, period index.Period, n int) ([]ProcedureLateness, error) {
	if err := period.Validate(); err != nil {
		return nil, invalidPeriod(err)
	}
	t, err := a.store.RollupTotals(ctx, unit, period)
	if err != nil {
		return nil, fmt.Errorf("worst procedures %s: %w", unit, err)
	}
	var out []ProcedureLateness
	for code, c := range t.ByProcedure {
		if c[index.FinishedLate] == 0 {
			continue
		}
		pl := ProcedureLateness{Code: code, Name: code, Finished: c.Finished(), Late: c[index.FinishedLate]}
		pl.LateRate = float64(int64(float64(pl.Late)*10000/float64(pl.Finished)+0.5)) / 100
		if p, err := a.Procedure(ctx, code); err == nil {
			pl.Name = p.Name
		}
		out = append(out, pl)
	}
	slices.SortFunc(out, func(x, y ProcedureLateness) int {
		if c := cmp.Compare(y.Late, x.Late); c != 0 {
			return c
		}
		if c := cmp.Compare(y.LateRate, x.LateRate); c != 0 {
			return c
		}
		return cmp.Compare(x.Code, y.Code)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}
