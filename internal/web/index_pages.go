package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/org"
)

func init() {
	registerPages("index_dashboard", "index_public", "index_reports", "index_drill")
}

// indexRoutes registers this area's routes (see routes.go).
func (s *Server) indexRoutes() {
	s.indexAPIRoutes() // index_api.go
	s.add("GET", "/can-bo/chi-so", accessOfficer, s.indexDashboard)
	s.add("GET", "/can-bo/chi-so/ho-so", accessOfficer, s.indexDrillPage)
	s.add("GET", "/thong-ke", accessPublic, s.publicStatistics)
	s.add("GET", "/can-bo/bao-cao", accessOfficer, s.reportsPage)
	s.add("GET", "/can-bo/bao-cao/excel", accessOfficer, s.reportXLSX)
	s.add("GET", "/can-bo/bao-cao/chi-so.pdf", accessOfficer, s.reportIndexPDF)
}

// ---- period selector ----

// periodKinds are the choices of the period selector, in the order shown, in both languages.
var periodKinds = []struct {
	Value string
	Label msg
}{
	{string(index.KindMonth), msg{"Tháng", "Month"}}, {string(index.KindQuarter), msg{"Quý", "Quarter"}},
	{string(index.KindHalf), msg{"6 tháng", "Half year"}}, {string(index.KindNine), msg{"9 tháng", "Nine months"}},
	{string(index.KindYear), msg{"Năm", "Year"}}, {string(index.KindCustom), msg{"Tùy chọn (từ ngày đến ngày)", "Custom (from date to date)"}},
}

// periodKindsIn are the selector's choices in lang.
func periodKindsIn(lang string) []struct{ Value, Label string } {
	out := make([]struct{ Value, Label string }, len(periodKinds))
	for i, k := range periodKinds {
		out[i].Value, out[i].Label = k.Value, adminPick(lang, k.Label)
	}
	return out
}

// periodForm is the period selector as the user filled it in, with a message per field that
// is wrong (in Lang); the form is shown again as typed.
type periodForm struct {
	Lang     string // the page's language: the partial template has no other access to it
	Kind     string
	Year     string
	Month    string
	Quarter  string
	Half     string
	From     string
	To       string
	Errors   map[string]string
	Kinds    []struct{ Value, Label string }
	Months   []int
	Quarters []int
	Label    string // the chosen period in words, e.g. "Tháng 11/2026"
}

// readPeriod parses the selector: kind (month, quarter, 6months, 9months, year, custom), year,
// month, quarter, half, from and to. Missing values default to the current month. ok is false
// when a field is wrong (f.Errors says which). Labels and messages are in lang.
func readPeriod(v url.Values, now time.Time, lang string) (f periodForm, p index.Period, ok bool) {
	today := index.DateOf(now)
	ty, tm, _ := today.YMD()
	get := func(k, def string) string {
		if s := strings.TrimSpace(v.Get(k)); s != "" {
			return s
		}
		return def
	}
	f = periodForm{Lang: lang, Kind: get("kind", string(index.KindMonth)), Year: get("year", strconv.Itoa(ty)), Month: get("month", strconv.Itoa(int(tm))),
		Quarter: get("quarter", strconv.Itoa((int(tm)-1)/3+1)), Half: get("half", strconv.Itoa((int(tm)-1)/6+1)),
		From: get("from", ""), To: get("to", ""), Errors: map[string]string{}, Kinds: periodKindsIn(lang),
		Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Quarters: []int{1, 2, 3, 4}}
	if v.Get("kind") == "" && (f.From != "" || f.To != "") {
		f.Kind = string(index.KindCustom)
	}
	num := func(field, s string, lo, hi int, msg string) int {
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			f.Errors[field] = msg
		}
		return n
	}
	var err error
	switch index.PeriodKind(f.Kind) {
	case index.KindMonth, index.KindQuarter, index.KindHalf, index.KindNine, index.KindYear:
		y := num("year", f.Year, index.MinYear, index.MaxYear, fmt.Sprintf(tr(lang, "index.err.year"), index.MinYear, index.MaxYear))
		switch index.PeriodKind(f.Kind) {
		case index.KindMonth:
			m := num("month", f.Month, 1, 12, tr(lang, "index.err.month"))
			if len(f.Errors) == 0 {
				p, err = index.Month(y, time.Month(m))
				f.Label = fmt.Sprintf(tr(lang, "index.label.month"), m, y)
			}
		case index.KindQuarter:
			q := num("quarter", f.Quarter, 1, 4, tr(lang, "index.err.quarter"))
			if len(f.Errors) == 0 {
				p, err = index.Quarter(y, q)
				f.Label = fmt.Sprintf(tr(lang, "index.label.quarter"), q, y)
			}
		case index.KindHalf:
			h := num("half", f.Half, 1, 2, tr(lang, "index.err.half"))
			if len(f.Errors) == 0 {
				p, err = index.Months6(y, h)
				f.Label = tr(lang, "index.period.h1") + " " + strconv.Itoa(y)
				if h == 2 {
					f.Label = tr(lang, "index.period.h2") + " " + strconv.Itoa(y)
				}
			}
		case index.KindNine:
			if len(f.Errors) == 0 {
				p, err = index.Months9(y)
				f.Label = tr(lang, "index.label.nine") + " " + strconv.Itoa(y)
			}
		case index.KindYear:
			if len(f.Errors) == 0 {
				p, err = index.Year(y)
				f.Label = tr(lang, "index.period.year") + " " + strconv.Itoa(y)
			}
		}
	case index.KindCustom:
		date := func(field, s string) index.Date {
			d, err := index.ParseDate(s)
			if err != nil {
				f.Errors[field] = fmt.Sprintf(tr(lang, "index.err.date"), today, index.MinYear, index.MaxYear)
			}
			return d
		}
		from, to := date("from", f.From), date("to", f.To)
		if len(f.Errors) == 0 {
			if p, err = index.Custom(from, to); err != nil {
				f.Errors["to"] = tr(lang, "index.err.range")
			}
			f.Label = fmt.Sprintf(tr(lang, "index.label.custom"), dmy(from), dmy(to))
		}
	default:
		f.Errors["kind"] = tr(lang, "index.err.kind")
	}
	if err != nil && len(f.Errors) == 0 {
		f.Errors["year"] = tr(lang, "index.err.period")
	}
	if len(f.Errors) > 0 {
		return f, index.Period{}, false
	}
	// A custom range keeps its dates in the form; other kinds show theirs for reference.
	f.From, f.To = p.From.String(), p.To.String()
	return f, p, true
}

// dmy formats a date as 26/11/2026.
func dmy(d index.Date) string {
	y, m, dd := d.YMD()
	return fmt.Sprintf("%02d/%02d/%d", dd, int(m), y)
}

// periodQuery is the query string that selects period p again (as a custom range when the
// kind has no simpler form).
func periodQuery(f periodForm) url.Values {
	v := url.Values{"kind": {f.Kind}}
	switch index.PeriodKind(f.Kind) {
	case index.KindMonth:
		v.Set("year", f.Year)
		v.Set("month", f.Month)
	case index.KindQuarter:
		v.Set("year", f.Year)
		v.Set("quarter", f.Quarter)
	case index.KindHalf:
		v.Set("year", f.Year)
		v.Set("half", f.Half)
	case index.KindNine, index.KindYear:
		v.Set("year", f.Year)
	default:
		v.Set("from", f.From)
		v.Set("to", f.To)
	}
	return v
}

// errPeriodForm is returned with the page when the selector is wrong: 422, with the messages
// next to the fields.
var errPeriodForm = app.Errorf(app.KindInvalid, "invalid_period", "Kỳ báo cáo không hợp lệ. Vui lòng sửa các ô được đánh dấu.", "Invalid period.")

// ---- units ----

// unitOption is one entry of a unit selector.
type unitOption struct {
	Key, Name string
	Selected  bool
}

// unitGroup is a labelled group of unit options (<optgroup>).
type unitGroup struct {
	Label string
	Units []unitOption
}

// unitChoices lists the province, its agencies and its communes for a selector (group labels
// in lang).
func unitChoices(dir *org.Directory, selected, lang string) []unitGroup {
	opt := func(us []org.Unit) []unitOption {
		out := make([]unitOption, 0, len(us))
		for _, u := range us {
			out = append(out, unitOption{Key: u.Key, Name: u.FullName(), Selected: u.Key == selected})
		}
		return out
	}
	prov := dir.Province()
	return []unitGroup{
		{Label: tr(lang, "index.group.province"), Units: opt([]org.Unit{prov})},
		{Label: tr(lang, "index.group.agencies"), Units: opt(dir.Agencies())},
		{Label: tr(lang, "index.group.communes"), Units: opt(dir.Communes())},
	}
}

// pickUnit returns the unit query parameter, or def; an unknown unit is a 404.
func pickUnit(dir *org.Directory, r *http.Request, def string) (org.Unit, error) {
	key := strings.TrimSpace(r.URL.Query().Get("unit"))
	if key == "" {
		key = def
	}
	u, ok := dir.Unit(key)
	if !ok {
		return org.Unit{}, app.Errorf(app.KindNotFound, "unit_not_found", "Không tìm thấy đơn vị.", "Unit not found.")
	}
	return u, nil
}

// homeUnit is the unit an officer's pages open on: the first unit where they hold a role, or
// the province for province-wide roles.
func homeUnit(dir *org.Directory, p auth.Principal) string {
	if p.HasRole(auth.RoleAdmin) || p.HasRole(auth.RoleInspector) {
		return dir.Province().Key
	}
	for _, ra := range p.Roles {
		if _, ok := dir.Unit(ra.Unit); ok {
			return ra.Unit
		}
		if d, ok := dir.Desk(ra.Unit); ok {
			return d.Unit
		}
	}
	return dir.Province().Key
}

// ---- the report's view ----

// indicatorView is one indicator row of a dashboard.
type indicatorView struct {
	ID, Name, Formula    string
	Numerator            string
	Denominator          string
	Rate                 string
	Points               string
	NumURL, DenURL       string // drill-down links ("" for indicators not counting dossiers)
	Scored, NotAvailable bool
}

// groupView is one group of a dashboard with its indicators.
type groupView struct {
	Name       string
	Points     string
	Indicators []indicatorView
}

// reportView turns an index report into rows; drill builds the drill-down link of an
// indicator's part ("" = no link). The indicators' names and formulas stay Vietnamese (the
// wording of Quyết định 766/QĐ-TTg); the words around them are in lang.
func reportView(lang string, rep index.Report, drill func(id, part string) string) []groupView {
	var out []groupView
	for _, g := range rep.Groups {
		gv := groupView{Name: g.NameVI, Points: vnDec(g.Points) + " / " + vnDec(g.MaxPoints)}
		for _, ind := range g.Indicators {
			iv := indicatorView{ID: ind.ID, Name: ind.NameVI, Formula: ind.FormulaVI, Numerator: vnInt(ind.Numerator), Denominator: vnInt(ind.Denominator),
				Rate: vnRate(ind.Rate), Scored: ind.Points != nil, NotAvailable: ind.Rate == nil}
			if ind.Rule.Kind == index.Monitored {
				iv.Rate = "N/A"
				if ind.Rate != nil {
					iv.Rate = vnDec(*ind.Rate) + " " + tr(lang, "index.days")
				}
				iv.Points = tr(lang, "index.monitored")
			} else if ind.Points != nil {
				iv.Points = vnDec(*ind.Points) + " / " + vnDec(ind.MaxPoints)
			} else {
				iv.Points = tr(lang, "index.notScored")
			}
			if drill != nil {
				iv.NumURL, iv.DenURL = drill(ind.ID, "tu-so"), drill(ind.ID, "mau-so")
			}
			gv.Indicators = append(gv.Indicators, iv)
		}
		out = append(out, gv)
	}
	return out
}

// dossierIndicators lists the indicators that count dossiers (those with a drill-down).
func dossierIndicators(cfg index.Config, p index.Period) map[string]bool {
	out := map[string]bool{}
	for _, inv := range index.Involve(cfg, index.Record{}, p) {
		out[inv.ID] = true
	}
	return out
}

// groupBars are the groups of a report as chart bars.
func groupBars(rep index.Report) []chartBar {
	var bars []chartBar
	for _, g := range rep.Groups {
		bars = append(bars, chartBar{Label: g.NameVI, Value: g.Points, Max: g.MaxPoints, Text: vnDec(g.Points) + " / " + vnDec(g.MaxPoints)})
	}
	return bars
}

// indicatorOf finds an indicator in a report.
func indicatorOf(rep index.Report, id string) (index.IndicatorResult, bool) {
	for _, g := range rep.Groups {
		for _, ind := range g.Indicators {
			if ind.ID == id {
				return ind, true
			}
		}
	}
	return index.IndicatorResult{}, false
}

// ---- console dashboard ----

// rankRow is one unit in a ranking table.
type rankRow struct {
	Rank  int
	Unit  string
	Name  string
	Kind  string
	Total string
	Value float64
	URL   string
}

// trendRow is one month of a trend table.
type trendRow struct{ Month, Total, Max string }

type dashboardPage struct {
	Form        periodForm
	Query       string // the period's query string
	Unit        org.Unit
	UnitName    string
	Units       []unitGroup
	OK          bool
	Total       string
	MaxTotal    string
	Handled     string
	OnTime      string
	SummaryRows [][2]string
	Groups      []groupView
	GroupChart  template.HTML
	TrendYear   int
	TrendChart  template.HTML
	Trend       []trendRow
	Ranking     []rankRow
	Worst       []rankRow
	WorstProcs  []app.ProcedureLateness
	PDFURL      string
	ExcelURL    string
}

func (s *Server) indexDashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalOf(r)
	dir, err := s.app.Directory(ctx)
	if err != nil {
		return err
	}
	unit, err := pickUnit(dir, r, dir.Province().Key)
	if err != nil {
		return err
	}
	lang := langOf(r)
	form, period, ok := readPeriod(r.URL.Query(), s.app.Now(), lang)
	pg := dashboardPage{Form: form, Unit: unit, UnitName: unit.FullName(), Units: unitChoices(dir, unit.Key, lang), OK: ok}
	v := view{Title: tr(lang, "index.dash.pageTitle") + " — " + unit.FullName(), Data: &pg, Styles: []string{"index.css"}}
	if !ok {
		return s.renderStatusErr(w, r, http.StatusUnprocessableEntity, "index_dashboard", v)
	}
	q := periodQuery(form)
	q.Set("unit", unit.Key)
	pg.Query = q.Encode()
	pg.PDFURL, pg.ExcelURL = "/can-bo/bao-cao/chi-so.pdf?"+pg.Query, "/can-bo/bao-cao/excel?"+pg.Query

	rep, err := s.app.Index(ctx, p, unit.Key, period)
	if err != nil {
		return err
	}
	cfg, err := s.app.IndexConfig(ctx)
	if err != nil {
		return err
	}
	counts := dossierIndicators(cfg, period)
	pg.Total, pg.MaxTotal = vnDec(rep.Total), vnDec(rep.MaxTotal)
	pg.Handled, pg.OnTime = vnInt(rep.Summary.Handled), vnInt(rep.Summary.OnTime())
	pg.SummaryRows = summaryRows(lang, rep.Summary)
	pg.Groups = reportView(lang, rep, func(id, part string) string {
		if !counts[id] {
			return ""
		}
		dq := periodQuery(form)
		dq.Set("unit", unit.Key)
		dq.Set("indicator", id)
		dq.Set("part", part)
		return "/can-bo/chi-so/ho-so?" + dq.Encode()
	})
	var charts chartSeq
	pg.GroupChart = charts.barChart(tr(lang, "index.groups")+" — "+unit.FullName()+", "+form.Label, tr(lang, "index.chart.groups"), groupBars(rep))

	y, _, _ := period.To.YMD()
	pg.TrendYear = y
	trend, err := s.app.IndexTrend(ctx, p, unit.Key, y)
	if err != nil {
		return err
	}
	var bars []chartBar
	for _, m := range trend {
		label := fmt.Sprintf(tr(lang, "index.label.month"), m.Month, y)
		bars = append(bars, chartBar{Label: label, Value: m.Total, Max: 100, Text: vnDec(m.Total) + " / " + vnDec(m.MaxTotal)})
		pg.Trend = append(pg.Trend, trendRow{Month: label, Total: vnDec(m.Total), Max: vnDec(m.MaxTotal)})
	}
	if len(bars) > 0 {
		pg.TrendChart = charts.barChart(fmt.Sprintf(tr(lang, "index.chart.trendTitle"), y, unit.FullName()), tr(lang, "index.chart.trend"), bars)
	}

	ranked, err := s.app.IndexRanking(ctx, p, "", period)
	if err != nil {
		return err
	}
	for _, x := range ranked {
		u, _ := dir.Unit(x.Unit)
		kind := tr(lang, "index.group.communes")
		if u.Kind != org.KindCommune {
			kind = tr(lang, "index.group.agencies")
		}
		uq := periodQuery(form)
		uq.Set("unit", x.Unit)
		pg.Ranking = append(pg.Ranking, rankRow{Rank: x.Rank, Unit: x.Unit, Name: u.FullName(), Kind: kind, Total: vnDec(x.Total), Value: x.Total,
			URL: "/can-bo/chi-so?" + uq.Encode()})
	}
	for i := len(pg.Ranking) - 1; i >= 0 && len(pg.Worst) < 5; i-- {
		pg.Worst = append(pg.Worst, pg.Ranking[i])
	}
	pg.WorstProcs, err = s.app.WorstProcedures(ctx, unit.Key, period, 5)
	if err != nil {
		return err
	}
	return s.render(w, r, "index_dashboard", v)
}

// summaryRows is the period's movement as label/value rows, labels in lang.
func summaryRows(lang string, m index.Summary) [][2]string {
	rows := []struct {
		k string
		v int64
	}{
		{tr(lang, "index.sum.carried"), m.CarriedOver}, {tr(lang, "index.sum.received"), m.Received},
		{tr(lang, "index.sum.direct"), m.ReceivedDirect}, {tr(lang, "index.sum.online"), m.ReceivedOnline}, {tr(lang, "index.sum.postal"), m.ReceivedPostal},
		{tr(lang, "index.sum.finished"), m.Finished}, {tr(lang, "index.sum.early"), m.FinishedEarly}, {tr(lang, "index.sum.onTime"), m.FinishedOnTime},
		{tr(lang, "index.sum.late"), m.FinishedLate}, {tr(lang, "index.sum.openOnTime"), m.OpenOnTime}, {tr(lang, "index.sum.openOverdue"), m.OpenOverdue},
		{tr(lang, "index.sum.refused"), m.Refused}, {tr(lang, "index.sum.withdrawn"), m.Withdrawn}, {tr(lang, "index.sum.stopped"), m.Stopped},
	}
	out := make([][2]string, len(rows))
	for i, x := range rows {
		out[i] = [2]string{x.k, vnInt(x.v)}
	}
	return out
}

// ---- drill-down ----

// drillRow is one dossier behind a figure.
type drillRow struct {
	Code, URL, Procedure    string
	Received, Due, Finished string
	Verdict, VerdictClass   string
}

type drillPage struct {
	Form         periodForm
	UnitName     string
	Indicator    index.IndicatorResult
	Part         string // "tu-so" or "mau-so"
	PartLabel    string
	Heading      string // "Hồ sơ ở tử số của chỉ số 2.1", in the page's language
	Figure       string
	Rows         []drillRow
	Total        int
	Shown        int
	OtherURL     string
	OtherLabel   string
	DashboardURL string
}

// drillLimit bounds the rows a drill-down page shows.
const drillLimit = 1000

func (s *Server) indexDrillPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	dir, err := s.app.Directory(ctx)
	if err != nil {
		return err
	}
	unit, err := pickUnit(dir, r, dir.Province().Key)
	if err != nil {
		return err
	}
	lang := langOf(r)
	form, period, ok := readPeriod(r.URL.Query(), s.app.Now(), lang)
	if !ok {
		return errPeriodForm
	}
	q := r.URL.Query()
	id := strings.TrimSpace(q.Get("indicator"))
	part := q.Get("part")
	if part != "mau-so" {
		part = "tu-so"
	}
	dd, err := s.app.IndexDrill(ctx, principalOf(r), unit.Key, period, id)
	if err != nil {
		return err
	}
	rep, err := s.app.Index(ctx, principalOf(r), unit.Key, period)
	if err != nil {
		return err
	}
	ind, _ := indicatorOf(rep, id)
	pg := drillPage{Form: form, UnitName: unit.FullName(), Indicator: ind, Part: part}
	items := dd.Numerator
	pg.PartLabel, pg.Figure, pg.OtherLabel = tr(lang, "index.drill.num"), vnInt(ind.Numerator), tr(lang, "index.drill.seeDen")
	other := "mau-so"
	if part == "mau-so" {
		items = dd.Denominator
		pg.PartLabel, pg.Figure, pg.OtherLabel, other = tr(lang, "index.drill.den"), vnInt(ind.Denominator), tr(lang, "index.drill.seeNum"), "tu-so"
	}
	oq := periodQuery(form)
	oq.Set("unit", unit.Key)
	pg.DashboardURL = "/can-bo/chi-so?" + oq.Encode()
	oq.Set("indicator", id)
	oq.Set("part", other)
	pg.OtherURL = "/can-bo/chi-so/ho-so?" + oq.Encode()
	pg.Total = len(items)
	for i, it := range items {
		if i == drillLimit {
			break
		}
		row := drillRow{Code: it.Code, Procedure: it.Procedure, Received: shortVN(it.ReceivedAt), Due: shortVN(it.DueAt), Finished: shortVN(it.FinishedAt),
			Verdict: indexVerdict(lang, dossier.Timeliness(it.Verdict)), VerdictClass: verdictClass(it.Verdict)}
		if it.Code != "" {
			row.URL = "/can-bo/ho-so/" + url.PathEscape(it.Code)
		}
		pg.Rows = append(pg.Rows, row)
	}
	pg.Shown = len(pg.Rows)
	pg.Heading = fmt.Sprintf(tr(lang, "index.drill.heading"), pg.PartLabel, id)
	title := pg.Heading + " — " + unit.FullName()
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, "index_drill", view{Title: title, Data: &pg, Styles: []string{"index.css"}})
}

// verdictClass is the badge class of a verdict code.
func verdictClass(v string) string {
	switch v {
	case "early", "on_time", "in_progress_on_time":
		return "ok"
	case "late", "overdue":
		return "bad"
	}
	return ""
}

// shortVN formats an instant as 15:30 26/11/2026 in Vietnam's time ("" for zero).
func shortVN(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(index.Zone).Format("15:04 02/01/2006")
}

// ---- public statistics ----

// headline is one of the public page's headline figures.
type headline struct {
	Label, Value, Detail string
}

// statRow is one unit in the public table.
type statRow struct {
	Name                                          string
	Total                                         string
	OnTime, Online, PaidOnline, Digitized, Reused string
	EResult                                       string
}

type publicPage struct {
	Form       periodForm
	OK         bool
	Province   string
	Total      string
	MaxTotal   string
	Headlines  []headline
	GroupChart template.HTML
	Groups     []groupView
	Tables     []statTable
}

// statTable is one table of units on the public page.
type statTable struct {
	Title string
	Rows  []statRow
}

// publicHeadlines are the indicators the national portal quotes for a province, in its words.
var publicHeadlines = []struct {
	id    string
	label msg
}{
	{"2.1", msg{"Hồ sơ giải quyết đúng hạn", "Dossiers completed on time"}},
	{"3.3", msg{"Hồ sơ tiếp nhận trực tuyến", "Dossiers received online"}},
	{"3.6", msg{"Hồ sơ thanh toán trực tuyến", "Dossiers paid online"}},
	{"4.2", msg{"Hồ sơ được số hóa", "Dossiers digitised"}},
	{"4.4", msg{"Hồ sơ sử dụng lại dữ liệu số hóa", "Dossiers reusing digitised data"}},
	{"4.1", msg{"Hồ sơ có kết quả điện tử", "Dossiers with an electronic result"}},
}

// rateOf is an indicator's rate as shown in the public table.
func rateOf(rep index.Report, id string) string {
	ind, ok := indicatorOf(rep, id)
	if !ok {
		return "N/A"
	}
	return vnRate(ind.Rate)
}

func (s *Server) publicStatistics(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalOf(r)
	dir, err := s.app.Directory(ctx)
	if err != nil {
		return err
	}
	lang := langOf(r)
	form, period, ok := readPeriod(r.URL.Query(), s.app.Now(), lang)
	prov := dir.Province()
	pg := publicPage{Form: form, OK: ok, Province: prov.FullName()}
	v := view{Title: tr(lang, "index.public.title"), Data: &pg, Styles: []string{"index.css"}}
	if !ok {
		return s.renderStatusErr(w, r, http.StatusUnprocessableEntity, "index_public", v)
	}
	rep, err := s.app.Index(ctx, p, prov.Key, period)
	if err != nil {
		return err
	}
	pg.Total, pg.MaxTotal = vnDec(rep.Total), vnDec(rep.MaxTotal)
	for _, h := range publicHeadlines {
		ind, ok := indicatorOf(rep, h.id)
		if !ok {
			continue
		}
		pg.Headlines = append(pg.Headlines, headline{Label: adminPick(lang, h.label), Value: vnRate(ind.Rate),
			Detail: fmt.Sprintf(tr(lang, "index.public.detail"), vnInt(ind.Numerator), vnInt(ind.Denominator), ind.ID)})
	}
	var charts chartSeq
	pg.GroupChart = charts.barChart(tr(lang, "index.groups")+" — "+prov.FullName()+", "+form.Label, tr(lang, "index.chart.groups"), groupBars(rep))
	pg.Groups = reportView(lang, rep, nil)

	units := append(dir.Agencies(), dir.Communes()...)
	rows := make([]statRow, len(units))
	errs := make([]error, len(units))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, u := range units {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rep, err := s.app.Index(ctx, p, u.Key, period)
			if err != nil {
				errs[i] = err
				return
			}
			rows[i] = statRow{Name: u.FullName(), Total: vnDec(rep.Total), OnTime: rateOf(rep, "2.1"), Online: rateOf(rep, "3.3"),
				PaidOnline: rateOf(rep, "3.6"), Digitized: rateOf(rep, "4.2"), Reused: rateOf(rep, "4.4"), EResult: rateOf(rep, "4.1")}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	na := len(dir.Agencies())
	pg.Tables = []statTable{{tr(lang, "index.group.agencies"), rows[:na]}, {tr(lang, "index.group.communes"), rows[na:]}}
	return s.render(w, r, "index_public", v)
}

// ---- reports ----

type reportsPage struct {
	Form      periodForm
	OK        bool
	Unit      org.Unit
	Units     []unitGroup
	Query     string
	Report    *app.PeriodReport
	Rows      []reportRow
	Officials []officialRow
}

// reportRow is one unit of the movement preview.
type reportRow struct {
	Name                                                       string
	CarriedOver, Received, Finished, Early, OnTime, Late       string
	OpenOnTime, OpenOverdue, Refused, Withdrawn, Stopped, Rate string
}

// officialRow is one official of the performance preview.
type officialRow struct {
	Officer, Dossiers, Steps, Late, Average string
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalOf(r)
	dir, err := s.app.Directory(ctx)
	if err != nil {
		return err
	}
	unit, err := pickUnit(dir, r, homeUnit(dir, p))
	if err != nil {
		return err
	}
	lang := langOf(r)
	form, period, ok := readPeriod(r.URL.Query(), s.app.Now(), lang)
	pg := reportsPage{Form: form, OK: ok, Unit: unit, Units: unitChoices(dir, unit.Key, lang)}
	v := view{Title: tr(lang, "index.reports.title"), Data: &pg, Styles: []string{"index.css"}}
	if !ok {
		return s.renderStatusErr(w, r, http.StatusUnprocessableEntity, "index_reports", v)
	}
	q := periodQuery(form)
	q.Set("unit", unit.Key)
	pg.Query = q.Encode()
	if r.URL.Query().Get("unit") != "" {
		rep, err := s.app.PeriodReport(ctx, p, unit.Key, period)
		if err != nil {
			return err
		}
		pg.Report = &rep
		for _, row := range rep.Rows {
			m := row.Summary
			rate := "N/A"
			if m.Handled > 0 {
				rate = vnDec(float64(int64(float64(m.OnTime())*10000/float64(m.Handled)+0.5))/100) + "%"
			}
			pg.Rows = append(pg.Rows, reportRow{Name: row.Name, CarriedOver: vnInt(m.CarriedOver), Received: vnInt(m.Received), Finished: vnInt(m.Finished),
				Early: vnInt(m.FinishedEarly), OnTime: vnInt(m.FinishedOnTime), Late: vnInt(m.FinishedLate), OpenOnTime: vnInt(m.OpenOnTime),
				OpenOverdue: vnInt(m.OpenOverdue), Refused: vnInt(m.Refused), Withdrawn: vnInt(m.Withdrawn), Stopped: vnInt(m.Stopped), Rate: rate})
		}
		for _, o := range rep.Officials {
			pg.Officials = append(pg.Officials, officialRow{Officer: o.Officer, Dossiers: vnInt(int64(o.Dossiers)), Steps: vnInt(int64(o.Steps)),
				Late: vnInt(int64(o.StepsLate)), Average: vnDec(o.AverageStepDays())})
		}
	}
	return s.render(w, r, "index_reports", v)
}

// reportTarget reads the unit and period of a download; a wrong period is a 400 with the
// fields' messages.
func (s *Server) reportTarget(r *http.Request) (org.Unit, periodForm, index.Period, error) {
	dir, err := s.app.Directory(r.Context())
	if err != nil {
		return org.Unit{}, periodForm{}, index.Period{}, err
	}
	unit, err := pickUnit(dir, r, homeUnit(dir, principalOf(r)))
	if err != nil {
		return org.Unit{}, periodForm{}, index.Period{}, err
	}
	form, period, ok := readPeriod(r.URL.Query(), s.app.Now(), langVI)
	if !ok {
		e := *errPeriodForm
		e.Fields = form.Errors
		return org.Unit{}, periodForm{}, index.Period{}, &e
	}
	return unit, form, period, nil
}

// download sends a generated file, built fully before the first byte so an error is still a
// proper error page.
func download(w http.ResponseWriter, contentType, name string, b []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(b)
	return err
}

// fileStem is the ASCII part of a downloaded file's name: unit key and period.
func fileStem(unit string, p index.Period) string {
	return unit + "_" + p.From.String() + "_" + p.To.String()
}

func (s *Server) reportXLSX(w http.ResponseWriter, r *http.Request) error {
	unit, _, period, err := s.reportTarget(r)
	if err != nil {
		return err
	}
	rep, err := s.app.PeriodReport(r.Context(), principalOf(r), unit.Key, period)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.WriteXLSX(&buf); err != nil {
		return err
	}
	return download(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "bao-cao_"+fileStem(unit.Key, period)+".xlsx", buf.Bytes())
}

func (s *Server) reportIndexPDF(w http.ResponseWriter, r *http.Request) error {
	unit, _, period, err := s.reportTarget(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.app.IndexPDF(r.Context(), principalOf(r), unit.Key, period, &buf); err != nil {
		return err
	}
	return download(w, "application/pdf", "chi-so_"+fileStem(unit.Key, period)+".pdf", buf.Bytes())
}
