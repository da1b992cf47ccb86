package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// SimulateOptions configures Simulate.
type SimulateOptions struct {
	// From and To bound the submissions (To excluded). Events that would fall after To, or
	// after the application's clock, do not happen: the dossiers are left as history would
	// have them at that moment.
	From, To time.Time
	// Rate is the number of dossiers submitted per calendar day across the province.
	Rate int
	// Seed makes the history reproducible: the same seed, period and rate give the same
	// dossiers, events, codes and ids on an empty database.
	Seed uint64
	// Batch is the number of dossiers written per transaction (default 200).
	Batch int
	// PerCommand writes every command as its own change, with its own rollup delta, exactly as
	// live commands are written (slower; the recompute test uses it). By default a dossier's
	// whole script is written as one change — its final state, all its events on the hash
	// chain and its jobs (a simulated past queues no outbox message, see run) — and the rollups of a batch as one merged delta,
	// which by construction equals the sum of the per-command deltas.
	PerCommand bool
	// Progress, when set, is called after each batch with the scripts run so far (a script
	// whose submission would fall after the cut-off writes nothing).
	Progress func(done, total int)
}

// SimulateResult says what Simulate wrote.
type SimulateResult struct {
	Dossiers int
	Events   int
	// Refused counts commands the engine refused (the dossier then stops where it was). A
	// realistic script has none; the count is there so a change of the rules shows.
	Refused int
	// RefusedBy counts the refusals by command and rule code.
	RefusedBy map[string]int
}

// Simulate writes a province's history through the dossier engine: for each dossier a script
// of commands (submission, reception, hand-overs, consultations, supplements, suspensions,
// extensions, decisions, results, hand-back, ratings, withdrawals, closures), each decided by
// dossier.Decide at its simulated time with the working calendar and prepared and written as
// a live command is (prepare/write: snapshot, hash-chained events, rollup deltas, jobs), so
// that everything downstream — the index rollups above all — is what the live
// engine would have produced. The channel mix, durations and outcomes follow rough provincial
// proportions (about 55% online; 5-10% late; a few percent supplemented, suspended, extended,
// refused, withdrawn).
//
// Speed: the writer of the database is the bottleneck, so it is given nothing but writes. The
// scripts of a batch run and are prepared (JSON, rollup deltas, sealed personal data) in parallel on every CPU while the previous batch is being written: a pipeline of
// a preparing stage and a writing stage, which runs one prepared Script per batch. Each script
// is decided with a provisional code of the same authority and day (the engine checks a code's
// form, never its number); once the batch is played, its dossiers are numbered in order, the
// numbers put in the prepared bytes and the hash chains linked again (simScript), and the
// batch's transaction claims those numbers only if nobody took them meanwhile (LEGAL §4:
// unique and gap-free; a batch that fails gives its numbers back).
func (a *App) Simulate(ctx context.Context, opt SimulateOptions) (SimulateResult, error) {
	if opt.Rate <= 0 {
		return SimulateResult{}, errors.New("simulate: rate must be positive")
	}
	if !opt.To.After(opt.From) {
		return SimulateResult{}, errors.New("simulate: to must be after from")
	}
	if opt.Batch <= 0 {
		opt.Batch = 200
	}
	env, err := a.simEnv(ctx)
	if err != nil {
		return SimulateResult{}, err
	}
	env.cutoff = opt.To
	if now := a.now(); now.Before(env.cutoff) {
		env.cutoff = now
	}
	days := int(opt.To.Sub(opt.From).Hours()/24 + 0.5)
	days = max(days, 1)
	total := days * opt.Rate
	workers := runtime.GOMAXPROCS(0)

	// The preparing stage: batches in order, each prepared in parallel, two ahead at most.
	ctx, cancel := context.WithCancel(ctx)
	type batch struct {
		start  int
		sims   []*simDossier
		script *store.Script
		err    error
	}
	codes := &simCodes{}
	ready := make(chan batch, 2)
	defer func() {
		cancel()
		for range ready { // wait for the preparing stage to stop
		}
	}()
	go func() {
		defer close(ready)
		for start := 0; start < total; start += opt.Batch {
			n := min(opt.Batch, total-start)
			sims := make([]*simDossier, n)
			for j := range sims {
				i := start + j
				sims[j] = &simDossier{index: i, seed: opt.Seed, submitAt: env.submitTime(opt, i, total)}
			}
			parallel(workers, n, func(j int) { env.run(sims[j], a, opt.PerCommand) })
			b := batch{start: start, sims: sims}
			for _, s := range sims {
				if s.err != nil {
					b.err = s.err
				}
			}
			if b.err == nil {
				b.script, b.err = a.simScript(ctx, codes, sims, opt.PerCommand, false, workers)
			}
			select {
			case ready <- b:
			case <-ctx.Done():
				return
			}
		}
	}()

	// The writing stage.
	var res SimulateResult
	for b := range ready {
		if b.err != nil {
			return res, fmt.Errorf("simulate: %w", b.err)
		}
		for attempt := 1; ; attempt++ {
			err := a.store.Run(ctx, b.script)
			if err == nil {
				break
			}
			if attempt == 5 || !errors.Is(err, store.ErrStale) && !errors.Is(err, store.ErrConflict) {
				return res, fmt.Errorf("simulate: %w", err)
			}
			// Somebody took code numbers of these days meanwhile: number the batch again.
			if b.script, err = a.simScript(ctx, codes, b.sims, opt.PerCommand, true, workers); err != nil {
				return res, fmt.Errorf("simulate: %w", err)
			}
		}
		for _, s := range b.sims {
			if s.events > 0 {
				res.Dossiers++ // else submitted after the cut-off
			}
			res.Events += s.events
			res.Refused += s.refused
			for k, v := range s.why {
				if res.RefusedBy == nil {
					res.RefusedBy = map[string]int{}
				}
				res.RefusedBy[k] += v
			}
		}
		if opt.Progress != nil {
			opt.Progress(b.start+len(b.sims), total)
		}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// simCodes numbers the simulated dossiers' codes (LEGAL §4: per authority and day, gap-free)
// before they are written: it keeps, for each authority and day, the last number it handed out,
// read from the database the first time. A batch's script claims its numbers with a check that
// the day's sequence is still where it was read (Script.ClaimSeq), so a number taken by anybody
// else meanwhile makes the batch stale instead of duplicating a code; the batch is then numbered
// again from the database.
type simCodes struct {
	mu   sync.Mutex
	last map[codeKey]int64
}

type codeKey struct {
	ident, day string
}

// claim is one batch's use of a daily sequence: from the number before it to its last.
type claim struct {
	key      codeKey
	from, to int64
}

// number gives the batch's received dossiers their numbers, in script order, and returns the
// claims. fresh forgets what was handed out before and reads the database again.
func (sc *simCodes) number(ctx context.Context, st *store.Store, sims []*simDossier, fresh bool) ([]claim, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.last == nil || fresh {
		sc.last = map[codeKey]int64{}
	}
	var claims []claim
	at := map[codeKey]int{}
	for _, s := range sims {
		if s.events == 0 || s.ident == "" {
			continue
		}
		k := codeKey{s.ident, s.receivedAt.In(calendar.VN).Format(time.DateOnly)}
		n, ok := sc.last[k]
		if !ok {
			var err error
			if n, err = st.DossierSeq(ctx, k.ident, k.day); err != nil {
				return nil, err
			}
		}
		i, ok := at[k]
		if !ok {
			i = len(claims)
			at[k] = i
			claims = append(claims, claim{key: k, from: n, to: n})
		}
		n++
		claims[i].to = n
		sc.last[k] = n
		s.seq = n
	}
	return claims, nil
}

// script numbers a prepared batch and builds the script that writes it: the claims of its code
// numbers first, then each dossier's changes and sealed personal data, and the batch's rollups
// merged into one delta (or each command's with its change, perCommand).
func (a *App) simScript(ctx context.Context, codes *simCodes, sims []*simDossier, perCommand, fresh bool, workers int) (*store.Script, error) {
	claims, err := codes.number(ctx, a.store, sims, fresh)
	if err != nil {
		return nil, err
	}
	parts := make([]store.Script, len(sims))
	errs := make([]error, len(sims))
	parallel(workers, len(sims), func(j int) {
		s := sims[j]
		if s.events == 0 {
			return
		}
		s.takeCode()
		for _, c := range s.changes {
			if !perCommand {
				c.Rollups = nil
			}
			if errs[j] = parts[j].Change(c.DossierChange); errs[j] != nil {
				errs[j] = fmt.Errorf("dossier %d: %w", s.index, errs[j])
				return
			}
		}
		parts[j].PutPII(s.pii)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sc := &store.Script{}
	for _, c := range claims {
		sc.ClaimSeq(c.key.ident, c.key.day, c.from, c.to)
	}
	for i := range parts {
		sc.Append(&parts[i])
	}
	if !perCommand {
		var rollups []index.Change
		for _, s := range sims {
			for _, c := range s.changes {
				rollups = append(rollups, c.Rollups...)
			}
		}
		if err := sc.Rollups(rollups); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// takeCode puts the dossier's numbered code (s.seq) in place of the code it was prepared with
// (the provisional one, or an earlier number of a stale batch) in everything prepared: the
// stored rows and snapshots, the events and their canonical bytes, which it links again. Codes
// are unique and appear only as JSON string values, which the new code (digits, dots and
// dashes) replaces as is.
func (s *simDossier) takeCode() {
	if s.ident == "" {
		return
	}
	code := dossier.FormatCode(s.ident, s.receivedAt.In(calendar.VN), s.seq)
	if code == s.code {
		return
	}
	from, to := []byte(`"`+s.code+`"`), []byte(`"`+code+`"`)
	for i := range s.changes {
		c := &s.changes[i]
		if c.Row.Code == s.code {
			c.Row.Code = code
		}
		c.Row.Snapshot = bytes.ReplaceAll(c.Row.Snapshot, from, to)
		for j := range c.Events {
			// The code is a plain JSON string value: it is spelled the same in the body and in
			// its canonical bytes, and replacing it changes no key order.
			c.Events[j].Body = bytes.ReplaceAll(c.Events[j].Body, from, to)
			c.canon[j] = bytes.ReplaceAll(c.canon[j], from, to)
		}
	}
	relinkAll(s.changes)
	s.code = code
}

// provisionalSeq numbers the provisional codes: far above any real day's count, and unique
// to each script of a run.
const provisionalSeq = 9_900_000_000_000

// parallel runs fn(0..n-1) on up to workers goroutines.
func parallel(workers, n int, fn func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				fn(j)
			}
		}()
	}
	for j := range n {
		next <- j
	}
	close(next)
	wg.Wait()
}

// simEnv is what every script needs, loaded once.
type simEnv struct {
	dir     *org.Directory
	cal     *calendar.Calendar
	procs   []simProc
	weights []float64 // cumulative
	desk    map[string]string
	cutoff  time.Time
}

type simProc struct {
	p       *catalog.Procedure
	version int
}

func (a *App) simEnv(ctx context.Context) (*simEnv, error) {
	env := &simEnv{desk: map[string]string{}}
	var err error
	if env.dir, err = a.Directory(ctx); err != nil {
		return nil, err
	}
	if env.cal, err = a.Calendar(ctx); err != nil {
		return nil, err
	}
	for _, d := range env.dir.Desks() {
		if _, ok := env.desk[d.Unit]; !ok {
			env.desk[d.Unit] = d.Key
		}
	}
	c, err := a.catalogView(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.RLock()
	procs := append([]*catalog.Procedure(nil), c.procs...)
	c.mu.RUnlock()
	if len(procs) == 0 {
		return nil, errors.New("simulate: no published procedure (import the catalog first)")
	}
	var sum float64
	for _, p := range procs {
		_, v, err := a.publishedVersion(ctx, p.Code)
		if err != nil {
			return nil, err
		}
		pinned, err := a.pinnedProcedure(ctx, p.Code, v)
		if err != nil {
			return nil, err
		}
		env.procs = append(env.procs, simProc{p: pinned, version: v})
		// Commune procedures are filed in every commune: they make most of the volume.
		w := 1.0
		if p.Level == catalog.LevelCommune {
			w = 4
		}
		sum += w
		env.weights = append(env.weights, sum)
	}
	for i := range env.weights {
		env.weights[i] /= sum
	}
	if len(env.dir.Communes()) == 0 {
		return nil, errors.New("simulate: no commune (import the units first)")
	}
	return env, nil
}

// submitTime spreads the submissions evenly over the period, each at a random minute of
// office hours (online ones at any hour).
func (env *simEnv) submitTime(opt SimulateOptions, i, total int) time.Time {
	rng := rand.New(rand.NewPCG(opt.Seed, uint64(i)<<1|1))
	span := opt.To.Sub(opt.From)
	t := opt.From.Add(time.Duration(float64(span) * float64(i) / float64(total)))
	day := t.In(calendar.VN)
	day = time.Date(day.Year(), day.Month(), day.Day(), 7, 30, 0, 0, calendar.VN)
	return day.Add(time.Duration(rng.IntN(9*60)) * time.Minute)
}

// simDossier is one dossier's script and what running it produced.
type simDossier struct {
	index    int
	seed     uint64
	submitAt time.Time

	// Set at reception: when and by whom the code is numbered, the code in the prepared bytes
	// (first the provisional one the script was decided with), and its number once numbered.
	receivedAt time.Time
	ident      string
	code       string
	seq        int64

	changes []change
	pii     store.DossierPII
	events  int
	refused int
	why     map[string]int
	err     error

	// For the collapsed write: the events, and the final state.
	evs   []dossier.Event
	final *dossier.Dossier
	proc  *catalog.Procedure
}

// simID is a deterministic UUID version 7: the submission time in milliseconds, then random
// bits from the script's generator, so that ids sort by submission like the engine's.
func simID(t time.Time, rng *rand.Rand) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	binary.BigEndian.PutUint64(b[8:], rng.Uint64())
	binary.BigEndian.PutUint64(b[0:8], ms<<16|uint64(rng.Uint32()&0xffff))
	b[6] = 0x70 | b[6]&0x0f
	b[8] = 0x80 | b[8]&0x3f
	return uuid.UUID(b).String()
}

var simNames = []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang", "Đặng Văn Hùng", "Bùi Thị Lan", "Đỗ Văn Minh", "Ngô Thị Nga"}

// run plays one dossier's script and prepares what it writes: every command's change with
// perCommand, else one change for the whole script (the final state with every event).
//
// A simulated history is in the past: what it would have sent to the national portal and to
// applicants was sent then, so its changes queue no outbox message (the live engine's
// messages are for what happens now).
func (env *simEnv) run(s *simDossier, a *App, perCommand bool) {
	env.script(s, a, perCommand)
	for i := 1; i < len(s.changes); i++ {
		s.changes[i].Prev = &s.changes[i-1].Row // the slice may have moved while it grew
	}
	if !perCommand && s.err == nil && len(s.evs) > 0 {
		c, err := a.prepare(nil, s.final, s.evs, cmdEnv{cal: env.cal, proc: s.proc, dir: env.dir}, s.pii.IDHash, nil)
		if err != nil {
			s.err = err
			return
		}
		s.changes = []change{c}
	}
	for i := range s.changes {
		s.changes[i].Outbox = nil
	}
}

// script plays one dossier's script (see run).
func (env *simEnv) script(s *simDossier, a *App, perCommand bool) {
	rng := rand.New(rand.NewPCG(s.seed, uint64(s.index)<<1))
	prob := func(p float64) bool { return rng.Float64() < p }
	x := rng.Float64()
	k := 0
	for k < len(env.weights)-1 && x >= env.weights[k] {
		k++
	}
	sp := env.procs[k]
	proc := sp.p
	communes := env.dir.Communes()
	authority, deskUnit := "", env.dir.ServiceCenter()
	if proc.Level == catalog.LevelCommune {
		c := communes[rng.IntN(len(communes))].Key
		authority, deskUnit = c, c
	}
	deskKey := env.desk[deskUnit]
	routing, err := catalog.Route(proc, env.dir, deskKey, authority)
	if err != nil {
		s.err = fmt.Errorf("route %s at %s: %w", proc.Code, deskUnit, err)
		return
	}
	channel := dossier.ChannelDesk
	switch y := rng.Float64(); {
	case y < 0.55 && proc.OnlineLevel != catalog.OnlineNone:
		channel = dossier.ChannelOnline
	case y > 0.97:
		channel = dossier.ChannelPostal
	}
	id := simID(s.submitAt, rng)
	name := simNames[rng.IntN(len(simNames))]
	pid := fmt.Sprintf("019%d%02d%06d", rng.IntN(4), rng.IntN(100), rng.IntN(1_000_000))
	applicant := dossier.Applicant{Kind: "citizen", Name: name, PersonalID: pid}
	var docs []dossier.Document
	for _, c := range proc.Documents {
		if !c.Required {
			continue
		}
		sum := sha256.Sum256([]byte(id + "/" + c.Code))
		fromVault := prob(0.2)
		docs = append(docs, dossier.Document{Component: c.Code, Name: c.Name + ".pdf", Hash: hex.EncodeToString(sum[:]), MediaType: "application/pdf",
			Size: 40_000 + rng.Int64N(400_000), Digitized: prob(0.88), Reused: fromVault || prob(0.3), FromVault: fromVault})
	}
	identity := 0
	if channel == dossier.ChannelOnline && prob(0.9) {
		identity = 2
	}
	paid := feeBearing(proc) && prob(map[bool]float64{true: 0.75, false: 0.25}[channel == dossier.ChannelOnline])

	desk := dossier.Actor{ID: deskUnit + ".desk", Unit: deskUnit, Role: auth.RoleDesk}
	specialist := dossier.Actor{ID: routing.Authority + ".specialist", Unit: routing.Authority, Role: auth.RoleSpecialist}
	leader := dossier.Actor{ID: routing.Authority + ".leader", Unit: routing.Authority, Role: dossier.RoleLeader}
	person := dossier.Actor{ID: "applicant", Role: dossier.RoleApplicant}
	system := dossier.Actor{ID: "system", Role: dossier.RoleSystem}

	pinned := cmdEnv{cal: env.cal, proc: proc, dir: env.dir}
	s.pii = a.sealPII(id, applicant, nil)
	s.changes, s.events, s.refused, s.why, s.evs = nil, 0, 0, nil, nil
	s.proc = proc
	d := dossier.New()
	// do decides one command at t; false when it did not happen (after the cut-off, or
	// refused) and the script stops.
	do := func(t time.Time, actor dossier.Actor, cmd dossier.Command) bool {
		if s.err != nil || t.After(env.cutoff) {
			return false
		}
		evs, err := dossier.Decide(d, cmd, dossier.Context{Now: t, Clock: env.cal, Actor: actor})
		if err != nil {
			var re *dossier.RuleError
			var ie *dossier.InputError
			if errors.As(err, &re) || errors.As(err, &ie) {
				s.refused++
				why := cmd.Name()
				if re != nil {
					why += ": " + re.Code
				} else {
					why += ": " + ie.Field
				}
				if s.why == nil {
					s.why = map[string]int{}
				}
				s.why[why]++
				return false
			}
			s.err = fmt.Errorf("dossier %d %s: %w", s.index, cmd.Name(), err)
			return false
		}
		after := d.Clone()
		for _, e := range evs {
			dossier.Apply(after, e)
		}
		if perCommand {
			var before *dossier.Dossier
			var prev *store.DossierRow
			if d.Version > 0 {
				before = d
				prev = &s.changes[len(s.changes)-1].Row
			}
			c, err := a.prepare(before, after, evs, pinned, s.pii.IDHash, prev)
			if err != nil {
				s.err = err
				return false
			}
			s.changes = append(s.changes, c)
		} else {
			s.evs = append(s.evs, evs...)
		}
		s.events += len(evs)
		d = after
		s.final = d
		return true
	}
	work := func(t time.Time, minutes int64) time.Time {
		u, err := env.cal.AddWorkingMinutes(t, max(minutes, 1))
		if err != nil {
			return t.Add(time.Duration(minutes) * time.Minute)
		}
		return u
	}
	days := func(t time.Time, lo, hi int) time.Time {
		return t.Add(time.Duration(lo*24*60+rng.IntN((hi-lo)*24*60+1)) * time.Minute)
	}

	t := s.submitAt
	if channel != dossier.ChannelOnline && !env.cal.IsWorkingDay(t) {
		t = work(t, 30)
	}
	if !do(t, map[bool]dossier.Actor{true: person, false: desk}[channel == dossier.ChannelOnline], dossier.Submit{
		ID: id, Channel: channel, Spec: specOf(proc, sp.version, routing), Authority: routing.Authority, ReceivingUnit: routing.ReceivingUnit,
		Applicant: applicant, Documents: docs, IdentityLevel: identity, PaidOnline: paid,
	}) {
		return
	}
	// Reception: at once at the desk; online within a working day.
	if channel == dossier.ChannelOnline {
		t = work(t, 30+rng.Int64N(420))
	} else {
		t = t.Add(time.Duration(2+rng.IntN(15)) * time.Minute)
	}
	switch y := rng.Float64(); {
	case y < 0.01:
		do(t, desk, dossier.Reject{Reason: "Hồ sơ không thuộc thẩm quyền giải quyết"})
		return
	case y < 0.05 && len(proc.Documents) > 0:
		comp := proc.Documents[0].Code
		if !do(t, desk, dossier.RequestSupplement{Components: []string{comp}, Reason: "Thiếu bản sao có chứng thực"}) {
			return
		}
		if prob(0.1) {
			do(days(t, 15, 17), system, dossier.Close{})
			return
		}
		t = days(t, 1, 4)
		if !do(t, person, dossier.Supplement{Documents: []dossier.Document{{Component: comp, Name: "bo-sung.pdf", Digitized: true}}}) {
			return
		}
		t = work(t, 30+rng.Int64N(300))
	}
	// The code is numbered for the competent authority, or for the receiving unit of an
	// interconnected procedure (allocateCode), on the day of receipt.
	ident := env.dir.Identifier(routing.Authority)
	if proc.Interconnected {
		ident = env.dir.Identifier(routing.ReceivingUnit)
	}
	if ident == "" {
		s.err = fmt.Errorf("dossier %d: the unit numbering its code has no identifier", s.index)
		return
	}
	provisional := dossier.FormatCode(ident, t.In(calendar.VN), provisionalSeq+int64(s.index))
	if !do(t, desk, dossier.Receive{Code: provisional}) {
		return
	}
	s.receivedAt, s.ident, s.code = d.ReceivedAt, ident, provisional
	received := d.ReceivedAt
	// The national portal acknowledges the reception a minute later, for nearly every dossier
	// (the rest were not synchronized: indicator 1.4).
	if prob(0.98) && !do(t.Add(time.Minute), system, dossier.Sync{Reference: "DVCQG-SIM"}) {
		return
	}
	t = t.Add(time.Duration(5+rng.IntN(60)) * time.Minute)
	if !do(t, desk, dossier.Forward{}) {
		return
	}
	// Interruptions: a supplement request (within 3 working days), a suspension, an
	// extension or a withdrawal.
	switch y := rng.Float64(); {
	case y < 0.05 && len(proc.Documents) > 0 && d.SupplementRequests == 0: // once per dossier
		t = work(received, 60+rng.Int64N(2*480))
		comp := proc.Documents[len(proc.Documents)-1].Code
		if !do(t, specialist, dossier.RequestSupplement{Components: []string{comp}, Reason: "Cần bản có chứng thực"}) {
			return
		}
		if prob(0.1) {
			do(days(t, 15, 17), system, dossier.Close{})
			return
		}
		t = days(t, 1, 5)
		if !do(t, person, dossier.Supplement{Documents: []dossier.Document{{Component: comp, Name: "bo-sung.pdf", Digitized: true}}}) {
			return
		}
	case y < 0.07:
		t = work(t, 60+rng.Int64N(480))
		if !do(t, specialist, dossier.Suspend{Reason: "Chờ kết quả xác minh của cơ quan liên quan"}) {
			return
		}
		t = days(t, 2, 6)
		if !do(t, specialist, dossier.Resume{Note: "Đã có kết quả xác minh"}) {
			return
		}
	case y < 0.09:
		if left := env.cal.Elapsed(t, d.DueAt); left > 2*dossier.WorkingDayMinutes {
			t = work(t, rng.Int64N(left-2*dossier.WorkingDayMinutes))
			newDue := work(d.DueAt, 3*dossier.WorkingDayMinutes)
			if !do(t, leader, dossier.Extend{NewDue: newDue, Reason: "Cần thêm thời gian thẩm định thực địa"}) {
				return
			}
		}
	case y < 0.105:
		do(work(t, 60+rng.Int64N(480)), person, dossier.Withdraw{Reason: "Không còn nhu cầu"})
		return
	}
	// The decision: mostly early, some just in time, 5-10% late.
	left := max(env.cal.Elapsed(t, d.DueAt), 60)
	frac := 0.15 + 0.6*rng.Float64()
	switch y := rng.Float64(); {
	case y < 0.07:
		frac = 1.05 + 0.6*rng.Float64()
	case y < 0.35:
		frac = 0.75 + 0.24*rng.Float64()
	}
	end := work(t, int64(float64(left)*frac))
	for _, i := range d.OpenSteps() {
		if st := d.Steps[i]; st.Parallel {
			at := t.Add(time.Duration(float64(end.Sub(t)) * (0.3 + 0.6*rng.Float64())))
			if !do(at, dossier.Actor{ID: st.Unit + ".specialist", Unit: st.Unit, Role: auth.RoleSpecialist}, dossier.CompleteStep{Step: i, Outcome: "Thống nhất"}) {
				return
			}
		}
	}
	if prob(0.03) {
		do(end, leader, dossier.Refuse{Reason: "Không đủ điều kiện theo quy định"})
		return
	}
	if !do(end, leader, dossier.Approve{Note: "Đồng ý"}) {
		return
	}
	electronic := proc.Result.Electronic && prob(0.85)
	if !do(end.Add(time.Duration(5+rng.IntN(60))*time.Minute), leader, dossier.IssueResult{Documents: []dossier.ResultDocument{
		{Name: proc.Result.Name, DocType: proc.Result.DocType, Electronic: electronic, ToVault: electronic && prob(0.4)}}}) {
		return
	}
	// The hand-back may be late without making the dossier late (processed first).
	method := dossier.ReturnDesk
	if channel == dossier.ChannelOnline && electronic {
		method = dossier.ReturnElectronic
	}
	t = work(end, 30+rng.Int64N(2*480))
	if !do(t, desk, dossier.ReturnResult{Method: method}) {
		return
	}
	if channel == dossier.ChannelOnline && prob(0.6) {
		score := 5
		switch y := rng.Float64(); {
		case y < 0.03:
			score = 1 + rng.IntN(2)
		case y < 0.35:
			score = 4
		}
		do(days(t, 0, 2), person, dossier.Rate{Score: score, Comment: "Đánh giá từ mô phỏng"})
	}
}
