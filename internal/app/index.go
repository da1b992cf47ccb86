package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// The service index (Quyết định 766, LEGAL §8) read from the rollups. An index query reads the
// unit's rollup sums (store.IndexTotals: whole years from the year rows, whole months from the
// month rows, the partial months from the day rows, and only the counters the index reads)
// and the published catalog in memory; it never reads a dossier. Only the
// drill-down, which lists the dossiers behind a figure, reads dossiers.
//
// Inputs the data does not hold yet are configuration, in the settings table, with safe
// defaults (a missing setting never gives points that were not earned):
//
//	index_config                 an amended indicators file (index.ParseConfig); default: the
//	                             embedded Quyết định 766 configuration
//	index.payment_integrated     procedure codes (comma-separated, "*" for all) whose fees are
//	                             integrated with online payment (3.4); default: none
//	index.population_data        procedure codes deployed with population-data checks (4.6);
//	                             default: the procedures offered fully online (they verify the
//	                             applicant's identity through the national identity platform)
//	index.certified_copies       commune keys (comma-separated, "*" for all) providing electronic
//	                             certified copies (4.3); default: unset, 4.3 is N/A (not scored)
//
// Feedback (PAKN, 5.1 and 5.2) counts zero until the feedback module exists, which the
// decision scores as full points ("6 if there is none").
const (
	settingIndexConfig       = "index_config"
	settingPaymentIntegrated = "index.payment_integrated"
	settingPopulationData    = "index.population_data"
	settingCertifiedCopies   = "index.certified_copies"
)

// MonthScore is one month of a unit's trend: its total and the maximum it could have reached
// (indicators not scored for lack of data are missing from both).
type MonthScore struct {
	Month    int     `json:"month"`
	Total    float64 `json:"total"`
	MaxTotal float64 `json:"max_total"`
}

// DrillItem is one dossier behind an indicator's figure. No personal data: the drill-down
// shows what the index counted, not who applied.
type DrillItem struct {
	ID         string    `json:"id"`
	Code       string    `json:"code"`
	Procedure  string    `json:"procedure"`
	ReceivedAt time.Time `json:"received_at"`
	DueAt      time.Time `json:"due_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Verdict is the dossier's timeliness as judged at the end of the period (index.Verdict
	// codes: early, on_time, late, in_progress_on_time, overdue).
	Verdict string `json:"verdict"`
}

// DrillDown lists the dossiers counted in an indicator's numerator and denominator for one
// unit and period.
type DrillDown struct {
	Unit        string       `json:"unit"`
	Period      index.Period `json:"period"`
	Indicator   string       `json:"indicator"`
	Numerator   []DrillItem  `json:"numerator"`
	Denominator []DrillItem  `json:"denominator"`
}

// Ranking kinds of IndexRanking.
const (
	RankAgencies = "agency"
	RankCommunes = "commune"
)

var (
	errUnitNotFound = &Error{Kind: KindNotFound, Code: "unit_not_found", MessageVI: "Không tìm thấy đơn vị.", MessageEN: "Unit not found."}
	errDrillScope   = &Error{Kind: KindNotFound, Code: "not_found", MessageVI: "Không tìm thấy.", MessageEN: "Not found."}
)

func invalidPeriod(err error) *Error {
	return &Error{Kind: KindInvalid, Code: "invalid_period", MessageVI: "Kỳ báo cáo không hợp lệ: ngày bắt đầu và ngày kết thúc phải là ngày có thật (YYYY-MM-DD), từ năm 2000 đến 2199, bắt đầu không sau kết thúc và dài không quá 10 năm.",
		MessageEN: "Invalid period: " + err.Error(), Fields: map[string]string{"from": "Kỳ báo cáo không hợp lệ."}, Err: err}
}

// defaultIndexConfig is the embedded configuration, parsed once.
var defaultIndexConfig = sync.OnceValue(index.DefaultConfig)

// parsedConfig caches the last configuration read from the settings, by its text.
type parsedConfig struct {
	raw string
	cfg index.Config
}

var lastIndexConfig atomic.Pointer[parsedConfig]

// IndexConfig returns the indicators in force: the administrators' amended file when one is
// stored, else the embedded Quyết định 766 configuration.
func (a *App) IndexConfig(ctx context.Context) (index.Config, error) {
	raw, err := a.store.Setting(ctx, settingIndexConfig)
	if errors.Is(err, store.ErrNotFound) {
		return defaultIndexConfig(), nil
	}
	if err != nil {
		return index.Config{}, fmt.Errorf("index config: %w", err)
	}
	return parsedIndexConfig(raw)
}

// parsedIndexConfig parses a stored configuration, reusing the last one parsed when it is
// the same text.
func parsedIndexConfig(raw string) (index.Config, error) {
	if c := lastIndexConfig.Load(); c != nil && c.raw == raw {
		return c.cfg, nil
	}
	cfg, err := index.ParseConfig([]byte(raw))
	if err != nil {
		return index.Config{}, fmt.Errorf("stored index config: %w", err)
	}
	lastIndexConfig.Store(&parsedConfig{raw: raw, cfg: cfg})
	return cfg, nil
}

// indexEnv is what every unit's index needs, loaded once per request (a ranking computes a
// hundred units with one).
type indexEnv struct {
	cfg        index.Config
	dir        *org.Directory
	cal        *calendar.Calendar
	procs      []*catalog.Procedure
	payment    codeSet
	population codeSet // nil: the default rule
	copies     codeSet // nil: 4.3 not configured
}

// codeSet is a configured list of keys; "*" stands for all.
type codeSet map[string]bool

func (s codeSet) has(k string) bool { return s["*"] || s[k] }

// parseCodeSet reads a comma-separated list of procedure codes.
func parseCodeSet(raw string) codeSet {
	s := codeSet{}
	for _, f := range strings.Split(raw, ",") {
		if f = strings.TrimSpace(f); f != "" {
			s[f] = true
		}
	}
	return s
}

// indexSettings are the settings every index request reads: the configuration and the three
// code lists.
var indexSettings = []string{settingIndexConfig, settingPaymentIntegrated, settingPopulationData, settingCertifiedCopies}

func (a *App) indexEnv(ctx context.Context) (*indexEnv, error) {
	set, err := a.store.Settings(ctx, indexSettings...)
	if err != nil {
		return nil, fmt.Errorf("index settings: %w", err)
	}
	return a.indexEnvFrom(ctx, set)
}

// indexEnvFrom is indexEnv with the settings already read (set: indexSettings that are set).
func (a *App) indexEnvFrom(ctx context.Context, set map[string]string) (*indexEnv, error) {
	var err error
	env := &indexEnv{}
	env.cfg = defaultIndexConfig()
	if raw, ok := set[settingIndexConfig]; ok {
		if env.cfg, err = parsedIndexConfig(raw); err != nil {
			return nil, err
		}
	}
	for key, dst := range map[string]*codeSet{settingPaymentIntegrated: &env.payment, settingPopulationData: &env.population, settingCertifiedCopies: &env.copies} {
		if raw, ok := set[key]; ok {
			*dst = parseCodeSet(raw)
		}
	}
	if env.dir, err = a.Directory(ctx); err != nil {
		return nil, err
	}
	if env.cal, err = a.Calendar(ctx); err != nil {
		return nil, err
	}
	c, err := a.catalogView(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.RLock()
	env.procs = slices.Clone(c.procs)
	c.mu.RUnlock()
	return env, nil
}

// Index returns the service index of a unit (its key; the province's key for the province)
// for a period. Anybody may ask: the index holds aggregates only. An unknown unit is
// KindNotFound, an invalid period KindInvalid.
func (a *App) Index(ctx context.Context, p auth.Principal, unit string, period index.Period) (index.Report, error) {
	_ = p // public: aggregates, no personal data
	if err := period.Validate(); err != nil {
		return index.Report{}, invalidPeriod(err)
	}
	dir, err := a.Directory(ctx)
	if err != nil {
		return index.Report{}, err
	}
	if _, ok := dir.Unit(unit); !ok {
		return index.Report{}, errUnitNotFound
	}
	// The rollups and the settings in one statement.
	totals, set, err := a.store.IndexTotals(ctx, unit, period, indexSettings...)
	if err != nil {
		return index.Report{}, fmt.Errorf("index of %s: %w", unit, err)
	}
	env, err := a.indexEnvFrom(ctx, set)
	if err != nil {
		return index.Report{}, err
	}
	return env.report(unit, period, totals), nil
}

func (a *App) indexOf(ctx context.Context, env *indexEnv, unit string, period index.Period) (index.Report, error) {
	totals, _, err := a.store.IndexTotals(ctx, unit, period)
	if err != nil {
		return index.Report{}, fmt.Errorf("index of %s: %w", unit, err)
	}
	return env.report(unit, period, totals), nil
}

// report scores a unit for a period from its rollup totals (store.IndexTotals).
func (env *indexEnv) report(unit string, period index.Period, totals index.Totals) index.Report {
	in := index.Inputs{
		Period:          period,
		Totals:          totals,
		Procedures:      env.facts(unit, period, totals),
		CertifiedCopies: env.certifiedCopies(unit),
	}
	return index.Compute(env.cfg, in)
}

// IndexRanking ranks the provincial agencies (kind "agency"), the communes ("commune") or both
// ("") by their index total for a period.
func (a *App) IndexRanking(ctx context.Context, p auth.Principal, kind string, period index.Period) ([]index.Ranked, error) {
	_ = p // public
	if err := period.Validate(); err != nil {
		return nil, invalidPeriod(err)
	}
	if kind != "" && kind != RankAgencies && kind != RankCommunes {
		return nil, &Error{Kind: KindInvalid, Code: "invalid_kind", MessageVI: "Loại đơn vị xếp hạng phải là agency (sở, ban, ngành) hoặc commune (xã, phường).",
			MessageEN: "kind must be agency, commune or empty.", Fields: map[string]string{"kind": "Loại đơn vị không hợp lệ."}}
	}
	env, err := a.indexEnv(ctx)
	if err != nil {
		return nil, err
	}
	var units []org.Unit
	if kind != RankCommunes {
		units = append(units, env.dir.Agencies()...)
	}
	if kind != RankAgencies {
		units = append(units, env.dir.Communes()...)
	}
	scores := make([]index.UnitScore, len(units))
	errs := make([]error, len(units))
	// A few queries at a time: on SQLite the readers are a pool, on PostgreSQL connections.
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, u := range units {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rep, err := a.indexOf(ctx, env, u.Key, period)
			scores[i], errs[i] = index.UnitScore{Unit: u.Key, Total: rep.Total}, err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return index.Rank(scores), nil
}

// IndexTrend returns a unit's total month by month in a year, up to the current month (months
// that have not begun are left out, since they have nothing to judge).
func (a *App) IndexTrend(ctx context.Context, p auth.Principal, unit string, year int) ([]MonthScore, error) {
	_ = p // public
	if _, err := index.Year(year); err != nil {
		return nil, &Error{Kind: KindInvalid, Code: "invalid_year", MessageVI: fmt.Sprintf("Năm phải từ %d đến %d.", index.MinYear, index.MaxYear), MessageEN: err.Error(), Err: err}
	}
	env, err := a.indexEnv(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := env.dir.Unit(unit); !ok {
		return nil, errUnitNotFound
	}
	today := index.DateOf(a.now())
	out := []MonthScore{}
	for m := time.January; m <= time.December; m++ {
		period, _ := index.Month(year, m)
		if period.From > today {
			break
		}
		rep, err := a.indexOf(ctx, env, unit, period)
		if err != nil {
			return nil, err
		}
		out = append(out, MonthScore{Month: int(m), Total: rep.Total, MaxTotal: rep.MaxTotal})
	}
	return out, nil
}

// mayDrill reports whether p may see the dossiers behind a unit's figures: inspectors and
// administrators anywhere, other officers for the units where they hold a role and the units
// below them.
func mayDrill(dir *org.Directory, p auth.Principal, unit string) bool {
	if p.Kind != auth.KindOfficer {
		return false
	}
	if p.HasRole(auth.RoleInspector) || p.HasRole(auth.RoleAdmin) {
		return true
	}
	chain := unitChain(dir, unit)
	return slices.ContainsFunc(p.Roles, func(r auth.RoleAssignment) bool { return slices.Contains(chain, r.Unit) })
}

// unitChain returns the unit and every unit above it.
func unitChain(dir *org.Directory, unit string) []string {
	var out []string
	for key, n := unit, 0; key != "" && n < 10; n++ {
		out = append(out, key)
		u, ok := dir.Unit(key)
		if !ok {
			break
		}
		key = u.Parent
	}
	return out
}

// IndexDrill lists the dossiers behind an indicator's numerator and denominator for a unit and
// period, decided by index.Involve from the same index records the rollups count, so the lists
// and the figures cannot disagree. Staff only (see mayDrill); anybody else, and an unknown
// unit, get KindNotFound. An indicator that does not count dossiers (publication, procedures,
// feedback) is KindInvalid.
func (a *App) IndexDrill(ctx context.Context, p auth.Principal, unit string, period index.Period, indicator string) (DrillDown, error) {
	env, err := a.indexEnv(ctx)
	if err != nil {
		return DrillDown{}, err
	}
	if _, ok := env.dir.Unit(unit); !ok || !mayDrill(env.dir, p, unit) {
		return DrillDown{}, errDrillScope
	}
	if err := period.Validate(); err != nil {
		return DrillDown{}, invalidPeriod(err)
	}
	known := slices.ContainsFunc(env.cfg.Indicators, func(ind index.Indicator) bool { return ind.ID == indicator })
	counts := false
	for _, inv := range index.Involve(env.cfg, index.Record{}, period) {
		counts = counts || inv.ID == indicator
	}
	if !known || !counts {
		return DrillDown{}, &Error{Kind: KindInvalid, Code: "invalid_indicator", MessageVI: "Chỉ tiêu " + indicator + " không có hoặc không tính theo hồ sơ, nên không xem được danh sách hồ sơ.",
			MessageEN: "Indicator " + indicator + " does not exist or does not count dossiers.", Fields: map[string]string{"indicator": "Chỉ tiêu không hợp lệ."}}
	}
	out := DrillDown{Unit: unit, Period: period, Indicator: indicator, Numerator: []DrillItem{}, Denominator: []DrillItem{}}
	judgeAt := period.To.AddDays(1).Time()
	err = a.unitDossiers(ctx, env.dir, unit, func(row store.DossierRow, d *dossier.Dossier) error {
		if d.ReceivedAt.IsZero() || !d.ReceivedAt.Before(judgeAt) {
			return nil
		}
		proc, err := a.pinnedProcedure(ctx, d.Spec.Procedure, d.Spec.Version)
		if err != nil {
			return err
		}
		rec := indexRecord(d, unit, env.cal, proc)
		for _, inv := range index.Involve(env.cfg, rec, period) {
			if inv.ID != indicator || !(inv.InNumerator || inv.InDenominator) {
				continue
			}
			end, _ := rec.End()
			item := DrillItem{ID: d.ID, Code: d.Code, Procedure: d.Spec.Procedure, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, FinishedAt: end,
				Verdict: rec.Judge(judgeAt).String()}
			if inv.InNumerator {
				out.Numerator = append(out.Numerator, item)
			}
			if inv.InDenominator {
				out.Denominator = append(out.Denominator, item)
			}
		}
		return nil
	})
	if err != nil {
		return DrillDown{}, err
	}
	byReceipt := func(a, b DrillItem) int {
		if c := a.ReceivedAt.Compare(b.ReceivedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	slices.SortFunc(out.Numerator, byReceipt)
	slices.SortFunc(out.Denominator, byReceipt)
	return out, nil
}

// unitDossiers calls fn with every dossier counted for unit: those whose competent authority
// or receiving unit is the unit or lies below it (rollupUnits). It pages through the store.
func (a *App) unitDossiers(ctx context.Context, dir *org.Directory, unit string, fn func(store.DossierRow, *dossier.Dossier) error) error {
	var filters []string // unit filters for the store; "" = every dossier
	if unit == dir.Province().Key {
		filters = []string{""}
	} else {
		filters = descendants(dir, unit)
	}
	seen := map[string]bool{}
	for _, f := range filters {
		err := a.scanDossiers(ctx, store.DossierFilter{Scope: auth.DossierScope{All: true}, Unit: f, SkipCount: true}, func(row store.DossierRow, _ int) error {
			if seen[row.ID] {
				return nil
			}
			seen[row.ID] = true
			d, err := loadRow(row)
			if err != nil {
				return err
			}
			if !slices.Contains(rollupUnits(dir, d), unit) {
				return nil
			}
			return fn(row, d)
		})
		if err != nil {
			return fmt.Errorf("dossiers of %s: %w", unit, err)
		}
	}
	return nil
}

// descendants returns unit and every unit below it.
func descendants(dir *org.Directory, unit string) []string {
	out := []string{unit}
	for i := 0; i < len(out) && i < 10_000; i++ {
		for _, c := range dir.Children(out[i]) {
			out = append(out, c.Key)
		}
	}
	return out
}

// unitProcedures reports whether a procedure belongs to the unit's catalog for the
// procedure-based indicators (1.1-1.3, 3.1, 3.2, 3.4, 3.5, 4.6): the province has them all; a
// provincial agency those it decides, and the service center every provincial procedure (it
// receives them); a commune the commune-level procedures; a commune police unit those of the
// commune police.
func (env *indexEnv) unitProcedure(u org.Unit, p *catalog.Procedure) bool {
	switch u.Kind {
	case org.KindProvince:
		return true
	case org.KindServiceCenter:
		return p.Level == catalog.LevelProvince
	case org.KindAgency:
		return p.Authority.Agency == u.Key
	case org.KindCommune:
		return p.Level == catalog.LevelCommune
	case org.KindPolice:
		return p.Level == catalog.LevelCommune && p.Authority.Agency == "cong-an-xa"
	}
	return false
}

// facts returns the per-procedure facts of the unit's procedures for the period. Procedures
// that are no longer published but still have dossiers counted in the period are included too,
// with the facts of nothing published (they are judged on their dossiers only).
func (env *indexEnv) facts(unit string, period index.Period, totals index.Totals) []index.ProcedureFacts {
	u, _ := env.dir.Unit(unit)
	out := []index.ProcedureFacts{}
	have := map[string]bool{}
	for _, p := range env.procs {
		if !env.unitProcedure(u, p) {
			continue
		}
		have[p.Code] = true
		out = append(out, env.procedureFacts(p, period))
	}
	var extra []string
	for code := range totals.ByProcedure {
		if !have[code] {
			extra = append(extra, code)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		out = append(out, index.ProcedureFacts{Procedure: code, OnlineLevel: index.OnlineNone})
	}
	return out
}

// publicationDeadline is 5 working days (LEGAL §8, 1.1 and 1.2).
const publicationDeadline = 5 * dossier.WorkingDayMinutes

// procedureFacts judges one procedure for indicators 1.1-1.3, 3.1, 3.4, 4.6 (LEGAL §8).
func (env *indexEnv) procedureFacts(p *catalog.Procedure, period index.Period) index.ProcedureFacts {
	f := index.ProcedureFacts{Procedure: p.Code, FeeBearing: feeBearing(p)}
	switch p.OnlineLevel {
	case catalog.OnlineFull:
		f.OnlineLevel = index.OnlineFull
	case catalog.OnlinePartial:
		f.OnlineLevel = index.OnlinePartial
	default:
		f.OnlineLevel = index.OnlineNone
	}
	if pub := p.Publication; pub != nil {
		decided, err1 := index.ParseDate(pub.DecidedOn)
		if err1 == nil && period.Contains(decided) {
			f.PublishedInPeriod = true
			if eff, err := index.ParseDate(pub.BasisEffectiveOn); err == nil {
				f.PublishedOnTime = env.cal.Elapsed(decided.Time(), eff.Time()) >= publicationDeadline
			}
			if on, err := index.ParseDate(pub.PublishedOn); err == nil && !on.Time().Before(decided.Time()) {
				// Published within 5 working days: by the end of the fifth working day after
				// the decision's day.
				f.NationalDBOnTime = env.cal.Elapsed(decided.AddDays(1).Time(), on.Time()) < publicationDeadline
			}
		}
	}
	f.CompletePublication = p.Name != "" && len(p.Process) > 0 && p.OnlineLevel != "" && len(p.Documents) > 0 &&
		p.ProcessingTime.Unit != "" && p.ApplicantKind != "" && p.Authority.Agency != "" && p.Fees != nil && p.Result.Name != ""
	f.PaymentIntegrated = f.FeeBearing && env.payment.has(p.Code)
	if env.population != nil {
		f.UsesPopulationData = env.population.has(p.Code)
	} else {
		f.UsesPopulationData = p.OnlineLevel == catalog.OnlineFull
	}
	return f
}

// certifiedCopies counts, for 4.3, the communes at or under the unit and those configured as
// providing electronic certified copies; all zero (4.3 not scored) until configured.
func (env *indexEnv) certifiedCopies(unit string) index.CertifiedCopies {
	if env.copies == nil {
		return index.CertifiedCopies{}
	}
	var c index.CertifiedCopies
	for _, key := range descendants(env.dir, unit) {
		if env.dir.IsCommune(key) {
			c.Communes++
			if env.copies.has(key) {
				c.Providing++
			}
		}
	}
	return c
}

// RecomputeResult says what RecomputeRollups did.
type RecomputeResult struct {
	Dossiers int // dossiers replayed
	Rows     int // day rows written
	// Diverged counts dossiers whose replayed history does not end in their stored state
	// (status or version); their events are what counts, the snapshot is reported.
	Diverged int
}

// RecomputeRollups rebuilds every rollup from the event log: each dossier is replayed from its
// stored events (dossier.Replay), its index record taken for every unit it counts for
// (rollupUnits, indexRecord: the same code as the live engine), and the sum of the records'
// contributions replaces the rollups in one transaction (store.ReplaceRollups). The result
// must equal the live rollups; a difference means a bug, or a calendar or catalog changed since
// (the records use the calendar and procedure versions of today). progress, when set, is called
// every 1,000 dossiers and at the end.
func (a *App) RecomputeRollups(ctx context.Context, progress func(done, total int)) (RecomputeResult, error) {
	var res RecomputeResult
	dir, err := a.Directory(ctx)
	if err != nil {
		return res, err
	}
	cal, err := a.Calendar(ctx)
	if err != nil {
		return res, err
	}
	sums := map[rollupRowKey]*index.Counters{}
	total := 0
	err = a.scanDossiers(ctx, store.DossierFilter{Scope: auth.DossierScope{All: true}}, func(row store.DossierRow, n int) error {
		total = n
		d, err := a.replayDossier(ctx, row.ID)
		if err != nil {
			return fmt.Errorf("dossier %s: %w", row.ID, err)
		}
		if d.Version != row.Version || string(d.State) != row.State {
			res.Diverged++
		}
		proc, err := a.pinnedProcedure(ctx, d.Spec.Procedure, d.Spec.Version)
		if err != nil {
			return fmt.Errorf("dossier %s: %w", row.ID, err)
		}
		for _, unit := range rollupUnits(dir, d) {
			for _, c := range index.Contributions(indexRecord(d, unit, cal, proc)) {
				k := rollupRowKey{c.Key, c.Day}
				s := sums[k]
				if s == nil {
					s = &index.Counters{}
					sums[k] = s
				}
				s.Add(&c.Counters)
			}
		}
		res.Dossiers++
		if progress != nil && res.Dossiers%1000 == 0 {
			progress(res.Dossiers, n)
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("recompute: %w", err)
	}
	if progress != nil {
		progress(res.Dossiers, max(total, res.Dossiers))
	}
	out := make([]index.Row, 0, len(sums))
	for k, c := range sums {
		if !c.IsZero() {
			out = append(out, index.Row{Key: k.key, Day: k.day, Counters: *c})
		}
	}
	if err := a.store.ReplaceRollups(ctx, out); err != nil {
		return res, fmt.Errorf("recompute: %w", err)
	}
	res.Rows = len(out)
	return res, nil
}

type rollupRowKey struct {
	key index.Key
	day index.Date
}

// replayDossier rebuilds a dossier from its stored events (personal data stays sealed
// elsewhere; the index needs none).
func (a *App) replayDossier(ctx context.Context, id string) (*dossier.Dossier, error) {
	rows, err := a.store.DossierEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	evs := make([]dossier.Event, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Body, &evs[i]); err != nil {
			return nil, fmt.Errorf("event %d: %w", r.Seq, err)
		}
	}
	return dossier.Replay(evs)
}
