package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/audit"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/catalog"
)

// DossierRow is a dossier as stored: the columns the console queues, scope checks and reports
// query, and the aggregate's JSON snapshot. Zero times are stored as NULL.
type DossierRow struct {
	ID, Code                          string // Code is "" until reception (NULL, unique when set)
	State                             string
	Version                           int64
	Procedure                         string
	ProcedureVersion                  int
	Authority, ReceivingUnit, Channel string
	ApplicantIDHash, OrgCode          string // blind index of the applicant's ID; enterprise code
	ApplicantName                     string
	StepUnits                         []string // every step's unit key
	Assignees                         []string // officers assigned to open steps
	LeaderUnit                        string   // the unit whose leader must decide now (dossier.AwaitingLeader)
	SubmittedAt, ReceivedAt           time.Time
	DueAt, FinishedAt, UpdatedAt      time.Time
	Snapshot                          []byte // JSON of dossier.Dossier, personal data removed by the caller
	// LastHash is the hash of the dossier's last event (its Version-th), "" before the first.
	// A command decided outside the transaction links its events to it (see DossierChange).
	LastHash string
}

// NewEvent is an event to append: its sequence number in the dossier's chain, the values
// repeated in columns for queries, and Body, the event's JSON. Body must carry the same "seq",
// "type" and "at" (the verifier checks that the columns agree with it).
type NewEvent struct {
	Seq         int64
	Type        string
	At          time.Time
	Actor, Unit string
	Body        []byte
	// Hash and PrevHash link the event into the dossier's chain: Hash is audit.Link over the
	// previous event's hash (audit.Genesis for the first) and audit.CanonicalJSON(Body). The
	// caller computes them outside the transaction (see DossierChange).
	Hash, PrevHash string
}

// EventRow is a stored event with its place in the hash chain.
type EventRow struct {
	DossierID      string
	Seq            int64
	Type           string
	At             time.Time
	Actor, Unit    string
	Body           []byte
	Hash, PrevHash string
}

// DossierFilter selects dossiers for lists. Scope is mandatory in effect: an empty scope lists
// nothing. The other fields narrow it; zero values do not filter.
type DossierFilter struct {
	Scope     auth.DossierScope
	State     []string
	Unit      string    // authority, receiving desk or a step's unit
	Procedure string    // procedure code
	Text      string    // code prefix, or part of the applicant's name or procedure code (case and diacritics ignored)
	DueBefore time.Time // due strictly before
	Assignee  string    // assigned to an open step
	// LeaderUnits selects the dossiers waiting for a decision of the leader of one of these
	// units (DossierRow.LeaderUnit).
	LeaderUnits []string
	Limit       int // default 50, at most 1000
	Offset      int
	Order       string // "due" (soonest first), "updated" (default: most recent first) or "id"
	// After, with Order "id", selects the dossiers whose id sorts after it: keyset paging for
	// scans of every dossier. Each page is a seek on the primary key (an offset skips all the
	// rows before it, which makes a full scan quadratic), and a dossier changed during the scan
	// is neither skipped nor seen twice (an order by a column that changes moves rows between
	// pages).
	After string
	// SkipCount leaves the total out (returned as -1): counting reads every selected row. The
	// total ignores After: it counts the whole scan.
	SkipCount bool
}

// ChainError names the first stored event whose hash chain does not verify, or whose columns
// disagree with its body.
type ChainError struct {
	DossierID string
	Seq       int64
	Err       error
}

// Error implements error.
func (e *ChainError) Error() string {
	return fmt.Sprintf("dossier %s, event %d: %v", e.DossierID, e.Seq, e.Err)
}

// Unwrap returns the cause (an *audit.BrokenError when the hashes do not match).
func (e *ChainError) Unwrap() error { return e.Err }

const dossierColumns = `d.id, COALESCE(d.code, ''), d.state, d.version, d.procedure_code, d.procedure_version, d.authority,
	d.receiving_unit, d.channel, d.applicant_id_hash, d.org_code, d.applicant_name, d.step_units, d.assignees,
	d.submitted_at, d.received_at, d.due_at, d.finished_at, d.updated_at, d.snapshot, d.last_hash, COALESCE(d.leader_unit, '')`

func scanDossier(sc interface{ Scan(...any) error }) (DossierRow, error) {
	var d DossierRow
	var units, assignees string
	err := sc.Scan(&d.ID, &d.Code, &d.State, &d.Version, &d.Procedure, &d.ProcedureVersion, &d.Authority,
		&d.ReceivingUnit, &d.Channel, &d.ApplicantIDHash, &d.OrgCode, &d.ApplicantName, &units, &assignees,
		zeroTime{&d.SubmittedAt}, zeroTime{&d.ReceivedAt}, zeroTime{&d.DueAt}, zeroTime{&d.FinishedAt}, zeroTime{&d.UpdatedAt}, &d.Snapshot, &d.LastHash, &d.LeaderUnit)
	if err != nil {
		return DossierRow{}, err
	}
	if err := json.Unmarshal([]byte(units), &d.StepUnits); err != nil {
		return DossierRow{}, fmt.Errorf("dossier %s: step units: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(assignees), &d.Assignees); err != nil {
		return DossierRow{}, fmt.Errorf("dossier %s: assignees: %w", d.ID, err)
	}
	return d, nil
}

// searchText is the folded text the list's text filter searches.
func searchText(d DossierRow) string {
	return catalog.Fold(d.ApplicantName) + "\n" + catalog.Fold(d.Procedure)
}

// dossierValues returns the column values of d shared by insert and update, in this order:
// code, state, version, procedure_code, procedure_version, authority, receiving_unit, channel,
// applicant_id_hash, org_code, applicant_name, search_text, step_units, assignees,
// submitted_at, received_at, due_at, finished_at, updated_at, snapshot, last_hash, leader_unit.
func dossierValues(d DossierRow) ([]any, error) {
	if d.ID == "" {
		return nil, errors.New("dossier without an id")
	}
	if len(d.Snapshot) == 0 {
		return nil, fmt.Errorf("dossier %s without a snapshot", d.ID)
	}
	search := searchText(d)
	return []any{nullString(d.Code), d.State, d.Version, d.Procedure, d.ProcedureVersion, d.Authority, d.ReceivingUnit, d.Channel,
		d.ApplicantIDHash, d.OrgCode, d.ApplicantName, search, jsonList(d.StepUnits), jsonList(d.Assignees),
		nullableTime(d.SubmittedAt), nullableTime(d.ReceivedAt), nullableTime(d.DueAt), nullableTime(d.FinishedAt), nullableTime(d.UpdatedAt),
		string(d.Snapshot), d.LastHash, nullString(d.LeaderUnit)}, nil
}

// NextDossierSeq returns the next number of the day's code sequence of an authority (day is
// the civil date YYYY-MM-DD). It increments inside the caller's transaction, so a rolled-back
// reception gives its number back: the sequence has no gaps and no duplicates.
func (tx *Tx) NextDossierSeq(ctx context.Context, authority string, day string) (int64, error) {
	if authority == "" {
		return 0, errors.New("next dossier sequence: no authority")
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return 0, fmt.Errorf("next dossier sequence: day %q is not YYYY-MM-DD", day)
	}
	var n int64
	err := tx.queryRow(ctx, `INSERT INTO code_sequences (authority, day, last) VALUES (?, ?, 1)
		ON CONFLICT (authority, day) DO UPDATE SET last = code_sequences.last + 1 RETURNING last`, authority, day).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next dossier sequence %s %s: %w", authority, day, tx.s.translate(err))
	}
	return n, nil
}

// eventHeader is what the columns of an event row repeat from its body.
type eventHeader struct {
	Seq  *int64     `json:"seq"`
	Type *string    `json:"type"`
	At   *time.Time `json:"at"`
}

// checkHeader reports how the columns (seq, type, at) disagree with the event body, if they do.
// Times are compared to the microsecond, the precision PostgreSQL keeps.
func checkHeader(body []byte, seq int64, typ string, at time.Time) error {
	var h eventHeader
	if err := json.Unmarshal(body, &h); err != nil {
		return fmt.Errorf("event body is not a JSON event: %w", err)
	}
	switch {
	case h.Seq == nil || h.Type == nil || h.At == nil:
		return errors.New(`event body lacks "seq", "type" or "at"`)
	case *h.Seq != seq:
		return fmt.Errorf("seq column %d, body says %d", seq, *h.Seq)
	case *h.Type != typ:
		return fmt.Errorf("type column %q, body says %q", typ, *h.Type)
	case !h.At.Truncate(time.Microsecond).Equal(at.Truncate(time.Microsecond)):
		return fmt.Errorf("at column %s, body says %s", at.UTC().Format(time.RFC3339Nano), h.At.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// Dossier reads a dossier, by id or by code, inside the transaction (it sees the
// transaction's own writes); ErrNotFound when there is none.
func (tx *Tx) Dossier(ctx context.Context, idOrCode string) (DossierRow, error) {
	d, err := scanDossier(tx.queryRow(ctx, dossierByIDOrCode, idOrCode, idOrCode, idOrCode))
	if err != nil {
		return DossierRow{}, fmt.Errorf("dossier %s: %w", idOrCode, tx.s.translate(err))
	}
	return d, nil
}

// An id is preferred to a code, should a string be both.
const dossierByIDOrCode = `SELECT ` + dossierColumns + ` FROM dossiers d WHERE d.id = ? OR d.code = ?
	ORDER BY CASE WHEN d.id = ? THEN 0 ELSE 1 END LIMIT 1`

// Dossier reads a dossier by id or by code; ErrNotFound when there is none.
func (s *Store) Dossier(ctx context.Context, idOrCode string) (DossierRow, error) {
	d, err := scanDossier(s.queryRow(ctx, dossierByIDOrCode, idOrCode, idOrCode, idOrCode))
	if err != nil {
		return DossierRow{}, fmt.Errorf("dossier %s: %w", idOrCode, s.translate(err))
	}
	return d, nil
}

// DossierEvents returns a dossier's events in order (none for an unknown dossier).
func (s *Store) DossierEvents(ctx context.Context, id string) ([]EventRow, error) {
	rows, err := s.query(ctx, `SELECT dossier_id, seq, type, at, actor, unit, body, hash, prev_hash FROM dossier_events WHERE dossier_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("dossier events %s: %w", id, err)
	}
	defer rows.Close()
	out := []EventRow{}
	for rows.Next() {
		var e EventRow
		if err := rows.Scan(&e.DossierID, &e.Seq, &e.Type, zeroTime{&e.At}, &e.Actor, &e.Unit, &e.Body, &e.Hash, &e.PrevHash); err != nil {
			return nil, fmt.Errorf("dossier events %s: %w", id, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dossier events %s: %w", id, err)
	}
	return out, nil
}

// verifyProgressEvery is how often VerifyChains reports progress.
const verifyProgressEvery = 1000

// VerifyChains streams every stored event, ordered by dossier and sequence, recomputes each
// hash from the body and checks the links (audit.VerifyFrom) and that the seq, type and at
// columns agree with the body. It returns the number of events verified and, at the first
// problem, a *ChainError naming the dossier and event. progress (optional) is called every
// thousand events and at the end with the count so far.
func (s *Store) VerifyChains(ctx context.Context, progress func(events int)) (checked int, err error) {
	rows, err := s.query(ctx, `SELECT e.dossier_id, e.seq, e.type, e.at, e.body, e.hash, e.prev_hash, COALESCE(d.version, -1), COALESCE(d.last_hash, '')
		FROM dossier_events e LEFT JOIN dossiers d ON d.id = e.dossier_id ORDER BY e.dossier_id, e.seq`)
	if err != nil {
		return 0, fmt.Errorf("verify chains: %w", err)
	}
	defer rows.Close()
	var (
		cur        string
		curLast    string // the dossier's last_hash
		curVersion int64
		prevSeq    int64
		prevHash   = audit.Genesis
	)
	// ended checks that a dossier's chain reaches its current version: a deleted last event
	// leaves a chain that is valid as far as it goes but shorter than the state it explains.
	ended := func() error {
		if cur != "" && curVersion >= 0 && prevSeq != curVersion {
			return &ChainError{DossierID: cur, Seq: prevSeq + 1, Err: fmt.Errorf("the events end at %d but the dossier is at version %d (events missing)", prevSeq, curVersion)}
		}
		if cur != "" && curVersion >= 0 && curLast != prevHash {
			return &ChainError{DossierID: cur, Seq: prevSeq, Err: fmt.Errorf("the dossier's last hash %q is not its last event's %q", curLast, prevHash)}
		}
		return nil
	}
	for rows.Next() {
		var (
			id, typ, hash, prev string
			last                string
			seq, version        int64
			at                  time.Time
			body                []byte
		)
		if err := rows.Scan(&id, &seq, &typ, zeroTime{&at}, &body, &hash, &prev, &version, &last); err != nil {
			return checked, fmt.Errorf("verify chains: %w", err)
		}
		if id != cur {
			if err := ended(); err != nil {
				return checked, err
			}
			cur, curVersion, curLast, prevSeq, prevHash = id, version, last, 0, audit.Genesis
		}
		if err := checkHeader(body, seq, typ, at); err != nil {
			return checked, &ChainError{DossierID: id, Seq: seq, Err: err}
		}
		canon, err := audit.CanonicalJSON(body)
		if err != nil {
			return checked, &ChainError{DossierID: id, Seq: seq, Err: err}
		}
		if _, err := audit.VerifyFrom(prevSeq, prevHash, []audit.Linked{{Seq: seq, PrevHash: prev, Hash: hash, Canonical: canon}}); err != nil {
			return checked, &ChainError{DossierID: id, Seq: seq, Err: err}
		}
		prevSeq, prevHash = seq, hash
		checked++
		if progress != nil && checked%verifyProgressEvery == 0 {
			progress(checked)
		}
	}
	if err := rows.Err(); err != nil {
		return checked, fmt.Errorf("verify chains: %w", err)
	}
	if err := ended(); err != nil {
		return checked, err
	}
	// A dossier with a state but no event at all lost its whole history.
	var orphan string
	err = s.queryRow(ctx, `SELECT d.id FROM dossiers d WHERE d.version > 0 AND NOT EXISTS (SELECT 1 FROM dossier_events e WHERE e.dossier_id = d.id) ORDER BY d.id LIMIT 1`).Scan(&orphan)
	if err == nil {
		return checked, &ChainError{DossierID: orphan, Seq: 1, Err: errors.New("the dossier has no events at all")}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return checked, fmt.Errorf("verify chains: %w", err)
	}
	if progress != nil {
		progress(checked)
	}
	return checked, nil
}

// Dossiers lists the dossiers the filter selects, one page of them, and how many there are in
// all. The scope is applied in SQL with exactly the semantics of auth.DossierScope.Matches.
func (s *Store) Dossiers(ctx context.Context, f DossierFilter) (rows []DossierRow, total int, err error) {
	where, args := dossierWhere(f)
	order := ` ORDER BY d.updated_at DESC NULLS LAST, d.id DESC`
	switch f.Order {
	case "", "updated":
	case "due":
		order = ` ORDER BY d.due_at ASC NULLS LAST, d.id`
	case "id":
		order = ` ORDER BY d.id`
	default:
		return nil, 0, fmt.Errorf("dossiers: unknown order %q (want due, updated or id)", f.Order)
	}
	if f.After != "" && f.Order != "id" {
		return nil, 0, fmt.Errorf("dossiers: After needs the order by id, not %q", f.Order)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	offset := max(f.Offset, 0)
	total = -1
	if !f.SkipCount {
		if err := s.queryRow(ctx, `SELECT COUNT(*) FROM dossiers d WHERE `+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("dossiers: count: %w", s.translate(err))
		}
	}
	if f.After != "" {
		where += ` AND d.id > ?`
		args = append(args, f.After)
	}
	rs, err := s.query(ctx, `SELECT `+dossierColumns+` FROM dossiers d WHERE `+where+order+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("dossiers: %w", err)
	}
	defer rs.Close()
	rows = []DossierRow{}
	for rs.Next() {
		d, err := scanDossier(rs)
		if err != nil {
			return nil, 0, fmt.Errorf("dossiers: %w", err)
		}
		rows = append(rows, d)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, fmt.Errorf("dossiers: %w", err)
	}
	return rows, total, nil
}

// dossierWhere builds the WHERE clause (over alias d) of a filter.
func dossierWhere(f DossierFilter) (string, []any) {
	var conds []string
	var args []any
	sc, scArgs := scopeClause(f.Scope)
	conds = append(conds, sc)
	args = append(args, scArgs...)
	if len(f.State) > 0 {
		conds = append(conds, `d.state IN (`+placeholders(len(f.State))+`)`)
		args = appendStrings(args, f.State)
	}
	if f.Unit != "" {
		conds = append(conds, `(d.authority = ? OR d.receiving_unit = ? OR EXISTS (SELECT 1 FROM dossier_units u WHERE u.dossier_id = d.id AND u.unit = ?))`)
		args = append(args, f.Unit, f.Unit, f.Unit)
	}
	if f.Procedure != "" {
		conds = append(conds, `d.procedure_code = ?`)
		args = append(args, f.Procedure)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		conds = append(conds, `(d.code LIKE ? ESCAPE '\' OR d.search_text LIKE ? ESCAPE '\')`)
		args = append(args, escapeLike(strings.ToUpper(t))+"%", "%"+escapeLike(catalog.Fold(t))+"%")
	}
	if !f.DueBefore.IsZero() {
		conds = append(conds, `d.due_at < ?`)
		args = append(args, f.DueBefore)
	}
	if f.Assignee != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM dossier_assignees a WHERE a.dossier_id = d.id AND a.assignee = ?)`)
		args = append(args, f.Assignee)
	}
	if len(f.LeaderUnits) > 0 {
		conds = append(conds, `d.leader_unit IN (`+placeholders(len(f.LeaderUnits))+`)`)
		args = appendStrings(args, f.LeaderUnits)
	}
	return strings.Join(conds, " AND "), args
}

// scopeClause is auth.DossierScope.Matches in SQL: own and organizations' dossiers (drafts
// included), then, for non-drafts only, everything, the desks' dossiers, and the dossiers whose
// authority or any step is one of the units.
func scopeClause(sc auth.DossierScope) (string, []any) {
	var ors []string
	var args []any
	if sc.ApplicantIDHash != "" {
		ors = append(ors, `d.applicant_id_hash = ?`)
		args = append(args, sc.ApplicantIDHash)
	}
	if len(sc.OrgCodes) > 0 {
		ors = append(ors, `(d.org_code <> '' AND d.org_code IN (`+placeholders(len(sc.OrgCodes))+`))`)
		args = appendStrings(args, sc.OrgCodes)
	}
	var staff []string
	var staffArgs []any
	switch {
	case sc.All:
		staff = append(staff, `1 = 1`)
	default:
		if len(sc.Desks) > 0 {
			staff = append(staff, `d.receiving_unit IN (`+placeholders(len(sc.Desks))+`)`)
			staffArgs = appendStrings(staffArgs, sc.Desks)
		}
		if len(sc.Units) > 0 {
			staff = append(staff, `d.authority IN (`+placeholders(len(sc.Units))+`)`,
				`EXISTS (SELECT 1 FROM dossier_units u WHERE u.dossier_id = d.id AND u.unit IN (`+placeholders(len(sc.Units))+`))`)
			staffArgs = appendStrings(staffArgs, sc.Units)
			staffArgs = appendStrings(staffArgs, sc.Units)
		}
	}
	if len(staff) > 0 {
		ors = append(ors, `(d.state <> ? AND (`+strings.Join(staff, " OR ")+`))`)
		args = append(args, auth.StateDraft)
		args = append(args, staffArgs...)
	}
	if len(ors) == 0 {
		return `1 = 0`, nil
	}
	return `(` + strings.Join(ors, " OR ") + `)`, args
}

// ClaimIdempotency claims an idempotency key (scoped by the principal) for a request whose body
// has the hash bodyHash. The first claim returns ("", nil), and the caller records the dossier
// it creates with SetIdempotencyResult in the same transaction. A repeated request with the same
// body returns that dossier's id; the same key with a different body is ErrConflict.
func (tx *Tx) ClaimIdempotency(ctx context.Context, scope, key, bodyHash string, at time.Time) (existingDossierID string, err error) {
	res, err := tx.exec(ctx, `INSERT INTO idempotency_keys (scope, key, body_hash, dossier_id, created_at) VALUES (?, ?, ?, NULL, ?)
		ON CONFLICT (scope, key) DO NOTHING`, scope, key, bodyHash, at)
	if err != nil {
		return "", fmt.Errorf("claim idempotency key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", fmt.Errorf("claim idempotency key: %w", err)
	} else if n == 1 {
		return "", nil
	}
	var stored string
	var id sql.NullString
	if err := tx.queryRow(ctx, `SELECT body_hash, dossier_id FROM idempotency_keys WHERE scope = ? AND key = ?`, scope, key).Scan(&stored, &id); err != nil {
		return "", fmt.Errorf("claim idempotency key: %w", tx.s.translate(err))
	}
	switch {
	case stored != bodyHash:
		return "", fmt.Errorf("%w: the idempotency key was used for a different request", ErrConflict)
	case !id.Valid || id.String == "":
		return "", fmt.Errorf("%w: the idempotency key has no result", ErrConflict)
	}
	return id.String, nil
}

// SetIdempotencyResult records the dossier created under a claimed key; ErrNotFound when the
// key was not claimed.
func (tx *Tx) SetIdempotencyResult(ctx context.Context, scope, key, dossierID string) error {
	res, err := tx.exec(ctx, `UPDATE idempotency_keys SET dossier_id = ? WHERE scope = ? AND key = ?`, dossierID, scope, key)
	if err != nil {
		return fmt.Errorf("set idempotency result: %w", err)
	}
	return affectedOne(res, "idempotency key")
}

// affectedOne turns "no row changed" into ErrNotFound.
func affectedOne(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// placeholders returns "?, ?, ..." with n markers.
func placeholders(n int) string { return repeatJoin("?", n) }

func repeatJoin(s string, n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(s+", ", n-1) + s
}

func appendStrings(args []any, vs []string) []any {
	for _, v := range vs {
		args = append(args, v)
	}
	return args
}

// jsonList is the stored form of a list of keys: a JSON array, never null.
func jsonList(vs []string) string {
	if len(vs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(vs) // strings always encode
	return string(b)
}

// escapeLike escapes LIKE's wildcards with a backslash (used with ESCAPE '\').
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// nullableTime stores the zero time as NULL.
func nullableTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// zeroTime scans a nullable timestamp into a time.Time in UTC, NULL becoming the zero time. It
// also accepts text, which SQLite returns for timestamps computed by expressions or RETURNING.
type zeroTime struct{ t *time.Time }

// sqliteTimeLayouts are the text forms a SQLite timestamp may take.
var sqliteTimeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"}

func (z zeroTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*z.t = time.Time{}
		return nil
	case time.Time:
		*z.t = x.UTC()
		return nil
	case []byte:
		return z.Scan(string(x))
	case string:
		for _, l := range sqliteTimeLayouts {
			if t, err := time.Parse(l, x); err == nil {
				*z.t = t.UTC()
				return nil
			}
		}
		return fmt.Errorf("scan time: cannot parse %q", x)
	}
	return fmt.Errorf("scan time: unexpected %T", v)
}
