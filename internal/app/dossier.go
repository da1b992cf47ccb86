package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/motcua/motcua/internal/audit"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/files"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// Seal purposes of the dossier's personal data beyond those of package auth.
const PurposeForm = "form"

// Job kinds (durable, in the store).
const (
	JobNotifyDesk      = "notify_desk"      // Điều 17.2: the desk learns of an online dossier within 2 hours
	JobAcceptWarning   = "accept_warning"   // 1 working hour before the 8-working-hour acceptance deadline
	JobDueWarning      = "due_warning"      // 1 working day before the dossier's due time
	JobStepDueWarning  = "step_due_warning" // 1 working hour before a step's due time
	JobOverdue         = "overdue"          // at the due time, if still open
	JobCloseSupplement = "close_supplement" // 15 days after a supplement request without answer
	TopicNationalSync  = "national_portal"  // every status change goes to the national portal
	TopicNotifications = "notify_applicant" // SMS / e-mail to the applicant
	outboxStatusChange = "dossier.status"   // message kind
)

// dossiers holds the engine's settings.
type dossiers struct {
	files   files.Blob
	limits  files.Limits
	baseURL string
	pinned  sync.Map // "code@n" → *catalog.Procedure
	hot     hotDossiers
	names   sync.Map // officer username → display name (officerName)
	// deciding bounds how many commands decide and prepare their change at once (nil: no
	// bound). See initDossiers.
	deciding chan struct{}
}

func (a *App) initDossiers(opt Options) {
	a.dz.files = opt.Files
	if a.dz.files == nil {
		a.dz.files = newMemBlob()
	}
	a.dz.limits = files.DefaultLimits()
	a.dz.baseURL = strings.TrimRight(opt.BaseURL, "/")
	// On SQLite every change is written by one writer goroutine and acknowledged by one
	// syncer, and a command's wait is mostly theirs. Both must find a processor (a P) the
	// moment they can run, not queue behind requests busy deciding and encoding their
	// changes: so at most GOMAXPROCS-1 commands decide at once, and one P is always left.
	// On two cores this gave 11% more transitions a second in bench transitions (16 clients,
	// four alternating pairs). PostgreSQL does its writing in its own processes: no bound.
	if s := a.store; s != nil && s.Engine() == store.SQLite {
		a.dz.deciding = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))
	}
}

// BaseURL is the site's public address ("" when unknown).
func (a *App) BaseURL() string { return a.dz.baseURL }

// SetBaseURL records the public address once the server knows it (the demo listens on a
// port chosen at start-up).
func (a *App) SetBaseURL(u string) { a.dz.baseURL = strings.TrimRight(u, "/") }

// ActionNames are the dossier actions of the API (POST .../actions/{action}).
var ActionNames = []string{
	"receive", "request-supplement", "supplement", "reject", "assign", "forward", "complete-step",
	"suspend", "resume", "extend", "approve", "refuse", "issue-result", "return-result",
	"withdraw", "rate",
}

// SubmitInput is a new dossier, as the API and the forms send it.
type SubmitInput struct {
	Procedure string          `json:"procedure"`
	Channel   string          `json:"channel"`
	Authority string          `json:"authority,omitempty"`
	Desk      string          `json:"desk,omitempty"` // receiving desk key; defaults from the officer or the authority
	Form      json.RawMessage `json:"form"`
	// Documents already stored (uploaded before submitting, or reused from the applicant's
	// records) by content hash.
	Documents  []dossier.Document `json:"documents,omitempty"`
	PaidOnline bool               `json:"paid_online,omitempty"`
}

// Form fields every procedure's form carries for the person submitting (see the seed's
// procedures): they become the dossier's applicant.
const (
	fieldName       = "nguoi_nop_ho_ten"
	fieldPersonalID = "nguoi_nop_so_dinh_danh"
	fieldPhone      = "nguoi_nop_dien_thoai"
	fieldEmail      = "nguoi_nop_email"
	fieldAddress    = "nguoi_nop_dia_chi"
	fieldEnterprise = "ma_so_doanh_nghiep"
)

// View is a dossier as one principal may see it: personal data opened only when the
// principal may view it (and then logged for officers), masked otherwise.
type View struct {
	*dossier.Dossier
	Personal bool // personal data is included
}

func invalidField(field, vi, en string) *Error {
	return &Error{Kind: KindInvalid, Code: "invalid_" + field, MessageVI: vi, MessageEN: en, Fields: map[string]string{field: vi}}
}

// Submit files a new dossier (channel desk or postal by a desk officer, online by an
// applicant). With an idempotency key, the same key and body return the first dossier
// (replayed true) and the same key with another body is a conflict.
func (a *App) Submit(ctx context.Context, p auth.Principal, in SubmitInput, idemKey string) (View, bool, error) {
	now := a.now()
	switch in.Channel {
	case string(dossier.ChannelDesk), string(dossier.ChannelPostal):
		if p.Kind != auth.KindOfficer {
			if p.Kind == auth.KindPublic {
				return View{}, false, errSignInRequired
			}
			return View{}, false, invalidField("channel", "Người nộp trực tuyến chỉ dùng kênh \"online\".", `Applicants submit with channel "online".`)
		}
	case string(dossier.ChannelOnline):
		if p.Kind == auth.KindPublic {
			return View{}, false, errSignInRequired
		}
		if p.Kind != auth.KindApplicant {
			return View{}, false, invalidField("channel", "Cán bộ một cửa tiếp nhận hồ sơ trực tiếp (desk) hoặc qua bưu chính (postal).", `Officers file dossiers with channel "desk" or "postal".`)
		}
	case "":
		return View{}, false, invalidField("channel", "Chưa chọn kênh nộp hồ sơ.", "channel is required (desk, online or postal).")
	default:
		return View{}, false, invalidField("channel", "Kênh nộp hồ sơ không hợp lệ.", "channel must be desk, online or postal.")
	}
	if strings.TrimSpace(in.Procedure) == "" {
		return View{}, false, invalidField("procedure", "Chưa chọn thủ tục.", "procedure is required.")
	}
	proc, version, err := a.publishedVersion(ctx, in.Procedure)
	if err != nil {
		var ae *Error
		if errors.As(err, &ae) && ae.Kind == KindNotFound {
			return View{}, false, invalidField("procedure", "Không có thủ tục mã "+in.Procedure+" đang áp dụng.", "No published procedure has the code "+in.Procedure+".")
		}
		return View{}, false, err
	}
	form, ferr := decodeForm(in.Form)
	if ferr != nil {
		return View{}, false, ferr
	}
	if errs := proc.ValidateForm(form); len(errs) > 0 {
		e := &Error{Kind: KindInvalid, Code: "form_invalid", MessageVI: "Thông tin tờ khai chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", MessageEN: "The form has invalid fields.", Fields: map[string]string{}}
		for _, fe := range errs {
			e.Fields[fe.Field] = fe.Message
		}
		return View{}, false, e
	}
	dir, err := a.Directory(ctx)
	if err != nil {
		return View{}, false, err
	}
	deskKey, err := a.receivingDesk(dir, p, proc, in)
	if err != nil {
		return View{}, false, err
	}
	routing, err := catalog.Route(proc, dir, deskKey, in.Authority)
	if err != nil {
		switch {
		case errors.Is(err, catalog.ErrAuthorityNeeded):
			return View{}, false, invalidField("authority", "Thủ tục cấp xã nộp ngoài xã có thẩm quyền: hãy chọn xã, phường giải quyết.", "A commune procedure received outside the competent commune needs authority (the commune's key).")
		case errors.Is(err, catalog.ErrUnknownAuthority):
			return View{}, false, invalidField("authority", "Cơ quan có thẩm quyền không hợp lệ cho thủ tục này.", "authority is not a valid competent unit for this procedure.")
		case errors.Is(err, catalog.ErrUnknownDesk):
			return View{}, false, invalidField("desk", "Bộ phận một cửa không tồn tại.", "Unknown receiving desk.")
		}
		return View{}, false, invalidField("authority", "Không xác định được cơ quan giải quyết.", err.Error())
	}

	applicant := dossier.Applicant{
		Kind:       "citizen",
		Name:       formString(form, fieldName),
		PersonalID: formString(form, fieldPersonalID),
		Phone:      formString(form, fieldPhone),
		Email:      formString(form, fieldEmail),
		Address:    formString(form, fieldAddress),
	}
	identityLevel := 0
	if p.Kind == auth.KindApplicant {
		prof, err := a.Applicant(ctx, p)
		if err != nil {
			return View{}, false, err
		}
		if applicant.PersonalID != "" && applicant.PersonalID != prof.PersonalID {
			return View{}, false, invalidField(fieldPersonalID, "Số định danh người nộp phải là số định danh của tài khoản đang đăng nhập.", "The submitter's personal ID must be the signed-in applicant's.")
		}
		applicant.PersonalID = prof.PersonalID
		if applicant.Name == "" {
			applicant.Name = prof.Name
		}
		sess := sessionFrom(ctx)
		identityLevel = prof.AssuranceLevel
		if sess.AssuranceLevel > 0 {
			identityLevel = sess.AssuranceLevel
		}
	} else if applicant.PersonalID != "" {
		if err := auth.ValidPersonalID(applicant.PersonalID, now); err != nil {
			return View{}, false, invalidField(fieldPersonalID, "Số định danh cá nhân không hợp lệ (12 chữ số).", "Invalid personal ID number (12 digits).")
		}
	}
	if ec := formString(form, fieldEnterprise); ec != "" {
		if p.Kind == auth.KindApplicant && !slices.Contains(p.Orgs, ec) {
			return View{}, false, invalidField(fieldEnterprise, "Tài khoản này không được ủy quyền đại diện cho doanh nghiệp mã "+ec+".", "This applicant does not represent enterprise "+ec+".")
		}
		applicant.Kind, applicant.EnterpriseCode = "organization", ec
	}
	idHash := ""
	if applicant.PersonalID != "" {
		idHash = a.id.keys.BlindIndex(auth.PurposePersonalID, applicant.PersonalID)
	}
	res := auth.Resource{ApplicantIDHash: idHash, OrgCode: applicant.EnterpriseCode, ReceivingDesk: routing.ReceivingUnit, Authority: routing.Authority}
	if p.Kind == auth.KindApplicant {
		idHash = p.PersonalIDHash
		res.ApplicantIDHash = idHash
	}
	if err := auth.Authorize(p, auth.ActionSubmit, res); err != nil {
		return View{}, false, authzError(err)
	}
	hashes := make([]string, len(in.Documents))
	for i := range in.Documents {
		if hashes[i] = in.Documents[i].Hash; hashes[i] == "" {
			return View{}, false, errNotUploaded // a submitted document is an uploaded file
		}
	}
	if err := a.checkFileRefs(ctx, p, nil, hashes); err != nil {
		return View{}, false, err
	}

	cal, err := a.DeskCalendar(ctx, routing.ReceivingUnit)
	if err != nil {
		return View{}, false, err
	}
	spec := specOf(proc, version, routing)
	cmd := dossier.Submit{
		ID: uuid.Must(uuid.NewV7()).String(), Channel: dossier.Channel(in.Channel), Spec: spec,
		Authority: routing.Authority, ReceivingUnit: routing.ReceivingUnit, Applicant: applicant,
		Form: in.Form, Documents: in.Documents, IdentityLevel: identityLevel, PaidOnline: in.PaidOnline,
	}
	actor := a.actorFor(ctx, p, "submit", routing.ReceivingUnit, nil)
	d := dossier.New()
	evs, err := dossier.Decide(d, cmd, dossier.Context{Now: now, Clock: cal, Actor: actor})
	if err != nil {
		return View{}, false, commandError(err)
	}
	for _, e := range evs {
		dossier.Apply(d, e)
	}
	provCal, err := a.Calendar(ctx)
	if err != nil {
		return View{}, false, err
	}
	ch, err := a.prepare(nil, d, evs, cmdEnv{cal: cal, idxCal: provCal, proc: proc, dir: dir}, idHash, nil)
	if err != nil {
		return View{}, false, err
	}
	pii := a.sealPII(d.ID, applicant, in.Form)
	bodyHash := hashJSON(in)
	scope := string(p.Kind) + ":" + p.Subject
	replayedID := ""
	err = a.store.InTx(ctx, func(tx *store.Tx) error {
		if idemKey != "" {
			prev, err := tx.ClaimIdempotency(ctx, scope, idemKey, bodyHash, now)
			if err != nil {
				return err
			}
			if prev != "" {
				replayedID = prev
				return nil
			}
		}
		if err := ch.write(ctx, tx); err != nil {
			return err
		}
		if err := tx.PutDossierPII(ctx, pii); err != nil {
			return err
		}
		if idemKey != "" {
			return tx.SetIdempotencyResult(ctx, scope, idemKey, d.ID)
		}
		return nil
	})
	if errors.Is(err, store.ErrConflict) && idemKey != "" {
		return View{}, false, &Error{Kind: KindConflict, Code: "idempotency_key_reused", MessageVI: "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.", MessageEN: "This Idempotency-Key was used with a different request body.", Err: err}
	}
	if err != nil {
		return View{}, false, fmt.Errorf("submit: %w", err)
	}
	if replayedID != "" {
		v, err := a.Dossier(ctx, p, replayedID, "api:submit")
		return v, true, err
	}
	a.log.Info("dossier submitted", "id", d.ID, "procedure", proc.Code, "channel", in.Channel, "authority", routing.Authority)
	return View{Dossier: d, Personal: true}, false, nil
}

// publishedVersion returns the published procedure and its version number.
func (a *App) publishedVersion(ctx context.Context, code string) (*catalog.Procedure, int, error) {
	p, err := a.Procedure(ctx, code)
	if err != nil {
		return nil, 0, err
	}
	vs, err := a.store.ProcedureVersions(ctx, code)
	if err != nil {
		return nil, 0, err
	}
	for _, v := range vs {
		if v.Status == "published" {
			return p, v.Number, nil
		}
	}
	return nil, 0, Errorf(KindNotFound, "procedure_not_found", "Thủ tục chưa được công bố.", "The procedure is not published.")
}

// pinnedProcedure returns the version a dossier was submitted under (cached: versions never
// change once published).
func (a *App) pinnedProcedure(ctx context.Context, code string, n int) (*catalog.Procedure, error) {
	key := fmt.Sprintf("%s@%d", code, n)
	if p, ok := a.dz.pinned.Load(key); ok {
		return p.(*catalog.Procedure), nil
	}
	p, err := a.ProcedureVersion(ctx, code, n)
	if err != nil {
		return nil, err
	}
	a.dz.pinned.Store(key, p)
	return p, nil
}

func decodeForm(raw json.RawMessage) (map[string]any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, invalidField("form", "Tờ khai phải là một đối tượng JSON.", "form must be a JSON object.")
	}
	return m, nil
}

func formString(form map[string]any, key string) string {
	v, ok := form[key]
	if !ok || v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// receivingDesk chooses the desk that receives: the officer's own desk (a desk officer may
// name one of theirs), or for online dossiers the competent commune's desk, or the provincial
// service center's for provincial procedures.
func (a *App) receivingDesk(dir *org.Directory, p auth.Principal, proc *catalog.Procedure, in SubmitInput) (string, error) {
	if p.Kind == auth.KindOfficer {
		var mine []string
		for _, ra := range p.Roles {
			if ra.Role != auth.RoleDesk {
				continue
			}
			for _, d := range dir.Desks() {
				if d.Unit == ra.Unit {
					mine = append(mine, d.Key)
				}
			}
		}
		if len(mine) == 0 {
			return "", &Error{Kind: KindForbidden, Code: "not_desk_officer", MessageVI: "Chỉ cán bộ Bộ phận Một cửa được tiếp nhận hồ sơ.", MessageEN: "Only one-stop desk officers file dossiers."}
		}
		if in.Desk == "" {
			return mine[0], nil
		}
		if !slices.Contains(mine, in.Desk) {
			return "", invalidField("desk", "Bạn không làm việc tại bộ phận một cửa này.", "You do not work at that desk.")
		}
		return in.Desk, nil
	}
	if in.Desk != "" {
		if _, ok := dir.Desk(in.Desk); !ok {
			return "", invalidField("desk", "Bộ phận một cửa không tồn tại.", "Unknown receiving desk.")
		}
		return in.Desk, nil
	}
	unit := dir.ServiceCenter()
	if proc.Level == catalog.LevelCommune {
		if in.Authority == "" {
			return "", invalidField("authority", "Hãy chọn xã, phường giải quyết hồ sơ.", "authority (the competent commune) is required for an online commune procedure.")
		}
		c, ok := dir.CommuneOf(in.Authority)
		if !ok {
			return "", invalidField("authority", "Xã, phường không tồn tại.", "Unknown commune.")
		}
		unit = c
	}
	for _, d := range dir.Desks() {
		if d.Unit == unit {
			return d.Key, nil
		}
	}
	return "", invalidField("authority", "Đơn vị này chưa có bộ phận một cửa.", "That unit has no one-stop desk.")
}

// specOf snapshots the pinned procedure version with its routed step units.
func specOf(p *catalog.Procedure, version int, r catalog.Routing) dossier.Spec {
	s := dossier.Spec{
		Procedure: p.Code, Version: version, ProcessingTime: p.ProcessingTime.Duration(),
		ResultElectronic: p.Result.Electronic, ResultPaper: p.Result.Paper,
	}
	if p.FinancialObligation != nil {
		s.SuspendsClockForPayment = p.FinancialObligation.SuspendsClock
	}
	for _, st := range r.Steps {
		s.Steps = append(s.Steps, dossier.StepSpec{Name: st.Name, Role: st.Role, Unit: st.Unit, ShareMinutes: int64(st.ShareMinutes), Parallel: st.Parallel})
	}
	for _, d := range p.Documents {
		s.Components = append(s.Components, dossier.Component{Code: d.Code, Name: d.Name, DocType: d.DocType, Required: d.Required})
	}
	return s
}

func hashJSON(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// sealPII seals the applicant's personal ID, phone, e-mail and the whole form (which repeats
// them and may hold other people's IDs); only sealed copies reach the database.
func (a *App) sealPII(id string, ap dossier.Applicant, form json.RawMessage) store.DossierPII {
	k := a.id.keys
	pii := store.DossierPII{DossierID: id}
	if ap.PersonalID != "" {
		pii.IDHash = k.BlindIndex(auth.PurposePersonalID, ap.PersonalID)
		pii.IDSealed = k.Seal(auth.PurposePersonalID, ap.PersonalID)
	}
	if ap.Phone != "" {
		pii.PhoneSealed = k.Seal(auth.PurposePhone, ap.Phone)
	}
	if ap.Email != "" {
		pii.EmailSealed = k.Seal(PurposeEmail, ap.Email)
	}
	if len(form) > 0 {
		pii.FormSealed = k.Seal(PurposeForm, string(form))
	}
	return pii
}

// stripPII removes what is stored sealed elsewhere from a dossier's snapshot or an event.
func stripApplicant(ap dossier.Applicant) dossier.Applicant {
	ap.PersonalID, ap.Phone, ap.Email = "", "", ""
	return ap
}

func strippedSnapshot(d *dossier.Dossier) ([]byte, error) {
	c := *d // a shallow copy: encoding only reads what it shares with d
	c.Applicant = stripApplicant(d.Applicant)
	c.Form = nil
	return json.Marshal(&c)
}

func strippedEvent(e dossier.Event) ([]byte, error) {
	if s, ok := e.Data.(dossier.SubmittedData); ok {
		s.Applicant = stripApplicant(s.Applicant)
		s.Form = nil
		e.Data = s
	}
	return json.Marshal(e)
}

// change is one command's outcome, prepared outside the transaction (JSON, the events linked
// into the hash chain, rollup deltas, job plan, outbox messages), so that the transaction
// itself only writes: on SQLite every transaction runs on the one writer, and whatever it does
// is time no other command can use; on PostgreSQL the whole change goes to the server in one
// round trip (store.Apply).
type change struct {
	store.DossierChange
	// canon holds each event's canonical bytes (what its hash covers), so that the simulator
	// can swap the real code into them and relink without canonicalizing again.
	canon [][]byte
}

// prepare computes everything a command's transaction writes. before is nil for a new
// dossier; prev is the stored row before was read from (nil for a new dossier), whose version
// and last hash the events continue.
func (a *App) prepare(before, after *dossier.Dossier, evs []dossier.Event, env cmdEnv, idHash string, prev *store.DossierRow) (change, error) {
	snap, err := strippedSnapshot(after)
	if err != nil {
		return change{}, err
	}
	var c change
	c.Row = rowOf(after, snap)
	c.Row.ApplicantIDHash = idHash
	c.Prev = prev
	prevHash := audit.Genesis
	if before != nil {
		if prev == nil {
			return change{}, fmt.Errorf("dossier %s: a change of a stored dossier needs its stored row", after.ID)
		}
		if prev.Version > 0 {
			prevHash = prev.LastHash
		}
	}
	c.Events = make([]store.NewEvent, len(evs))
	c.canon = make([][]byte, len(evs))
	c.Topic = TopicNationalSync
	c.Outbox = make([]store.OutboxItem, 0, len(evs))
	for i, e := range evs {
		body, err := strippedEvent(e)
		if err != nil {
			return change{}, err
		}
		canon, err := audit.CanonicalJSON(body)
		if err != nil {
			return change{}, err
		}
		l := audit.Link(prevHash, e.Seq, canon)
		c.canon[i] = canon
		c.Events[i] = store.NewEvent{Seq: e.Seq, Type: string(e.Type), At: e.At, Actor: e.Actor.ID, Unit: e.Unit, Body: body, Hash: l.Hash, PrevHash: l.PrevHash}
		prevHash = l.Hash
		if e.Type == dossier.EventSynced {
			continue // the portal's own acknowledgement is not sent back to it
		}
		msg, _ := json.Marshal(statusMessage{Kind: outboxStatusChange, Dossier: after.ID, Code: after.Code, Event: string(e.Type), Status: string(after.State), Seq: e.Seq, At: e.At})
		c.Outbox = append(c.Outbox, store.OutboxItem{Payload: msg, At: e.At})
	}
	c.Row.LastHash = prevHash
	idxCal := env.idxCal
	if idxCal == nil {
		idxCal = env.cal
	}
	c.Rollups = rollupChanges(env.dir, before, after, idxCal, env.proc)
	planJobs(before, after).into(&c.DossierChange)
	return c, nil
}

// relinkAll recomputes the hash chain of a new dossier's changes, in order, from their
// canonical bytes after those changed (the simulator swaps in the real dossier code), with each
// row's last hash; each change after the first is re-pointed at the row of the one before.
func relinkAll(cs []change) {
	prev := audit.Genesis
	for i := range cs {
		c := &cs[i]
		if i > 0 {
			c.Prev = &cs[i-1].Row
		}
		for j := range c.Events {
			l := audit.Link(prev, c.Events[j].Seq, c.canon[j])
			c.Events[j].Hash, c.Events[j].PrevHash = l.Hash, l.PrevHash
			prev = l.Hash
		}
		c.Row.LastHash = prev
	}
}

// write stores a prepared change in tx: the dossier's new state (checked against the version
// it was decided on), its events on the hash chain, the index rollups, the jobs and the
// outbox messages — all or nothing.
func (c change) write(ctx context.Context, tx *store.Tx) error {
	return tx.Apply(ctx, c.DossierChange)
}

// persist prepares and writes in tx (for commands decided inside the transaction on a row
// read there).
func (a *App) persist(ctx context.Context, tx *store.Tx, row store.DossierRow, before *dossier.Dossier, after *dossier.Dossier, evs []dossier.Event, env cmdEnv) error {
	c, err := a.prepare(before, after, evs, env, row.ApplicantIDHash, &row)
	if err != nil {
		return err
	}
	return c.write(ctx, tx)
}

// scanDossiers calls fn with every dossier f selects, in id order, a page of 1,000 at a time
// paged by key (store.DossierFilter.After: a seek per page, and a dossier changed meanwhile is
// seen once). f's Order, Limit, Offset and After are set here. fn also gets how many dossiers
// the scan selects, counted once at its start (-1 with f.SkipCount).
func (a *App) scanDossiers(ctx context.Context, f store.DossierFilter, fn func(row store.DossierRow, total int) error) error {
	const page = 1000
	f.Order, f.Limit, f.Offset, f.After = "id", page, 0, ""
	total := -1
	for {
		rows, n, err := a.store.Dossiers(ctx, f)
		if err != nil {
			return err
		}
		if !f.SkipCount {
			total, f.SkipCount = n, true // counted once
		}
		for _, r := range rows {
			if err := fn(r, total); err != nil {
				return err
			}
		}
		if len(rows) < page {
			return nil
		}
		f.After = rows[len(rows)-1].ID
	}
}

// statusMessage is the outbox message of a status change for the national portal (fields in
// the order of their names, as the map it replaced was encoded).
type statusMessage struct {
	At      time.Time `json:"at"`
	Code    string    `json:"code"`
	Dossier string    `json:"dossier"`
	Event   string    `json:"event"`
	Kind    string    `json:"kind"`
	Seq     int64     `json:"seq"`
	Status  string    `json:"status"`
}

// rowOf is the stored row of a dossier.
func rowOf(d *dossier.Dossier, snap []byte) store.DossierRow {
	r := store.DossierRow{
		ID: d.ID, Code: d.Code, State: string(d.State), Version: d.Version,
		Procedure: d.Spec.Procedure, ProcedureVersion: d.Spec.Version,
		Authority: d.Authority, ReceivingUnit: d.ReceivingUnit, Channel: string(d.Channel),
		OrgCode: d.Applicant.EnterpriseCode, ApplicantName: d.Applicant.Name,
		SubmittedAt: d.SubmittedAt, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, UpdatedAt: d.UpdatedAt,
		Snapshot: snap, LeaderUnit: d.AwaitingLeader(),
	}
	if end, ok := d.End(); ok {
		r.FinishedAt = end
	}
	for _, s := range d.Steps {
		if !slices.Contains(r.StepUnits, s.Unit) {
			r.StepUnits = append(r.StepUnits, s.Unit)
		}
		if s.Open() && s.Assignee != "" && !slices.Contains(r.Assignees, s.Assignee) {
			r.Assignees = append(r.Assignees, s.Assignee)
		}
	}
	return r
}

// loadRow decodes a stored row into the aggregate (personal data stays sealed elsewhere).
func loadRow(row store.DossierRow) (*dossier.Dossier, error) {
	d := dossier.New()
	if err := json.Unmarshal(row.Snapshot, d); err != nil {
		return nil, fmt.Errorf("dossier %s: snapshot: %w", row.ID, err)
	}
	d.Version = row.Version
	return d, nil
}

// resourceOf is what authorization needs to know about a stored dossier.
func resourceOf(row store.DossierRow, d *dossier.Dossier) auth.Resource {
	return resourceFor(row, d, nil)
}

// resourceFor is resourceOf for a command: the assignee that matters is the one of the step
// the command acts on (a consultation has its own), else of the current main step.
func resourceFor(row store.DossierRow, d *dossier.Dossier, cmd dossier.Command) auth.Resource {
	r := auth.Resource{ApplicantIDHash: row.ApplicantIDHash, OrgCode: row.OrgCode, ReceivingDesk: row.ReceivingUnit, Authority: row.Authority, StepUnits: row.StepUnits, State: row.State}
	if d == nil {
		return r
	}
	step := d.Current
	if c, ok := cmd.(dossier.CompleteStep); ok && c.Step >= 0 {
		step = c.Step
	}
	if step >= 0 && step < len(d.Steps) {
		r.AssignedTo = d.Steps[step].Assignee
	}
	return r
}

// commandError maps the aggregate's refusals: a rule → 409 with both messages and the
// article; bad input → 422.
func commandError(err error) error {
	var re *dossier.RuleError
	if errors.As(err, &re) {
		vi := re.MessageVI
		if re.Rule != "" {
			vi += " (" + re.Rule + ")"
		}
		return &Error{Kind: KindConflict, Code: re.Code, MessageVI: vi, MessageEN: re.MessageEN, Err: err}
	}
	var ie *dossier.InputError
	if errors.As(err, &ie) {
		return &Error{Kind: KindInvalid, Code: "invalid_" + ie.Field, MessageVI: ie.MessageVI, MessageEN: ie.MessageEN, Fields: map[string]string{ie.Field: ie.MessageVI}, Err: err}
	}
	return err
}

var errDossierNotFound = &Error{Kind: KindNotFound, Code: "dossier_not_found", MessageVI: "Không tìm thấy hồ sơ.", MessageEN: "Dossier not found."}

// ErrStaleVersion is the answer to a stale If-Match.
var errStale = &Error{Kind: KindStale, Code: "stale_version", MessageVI: "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.", MessageEN: "The dossier changed since you loaded it (version mismatch). Reload and retry."}

// Act runs one action on a dossier for p. ifMatch, when not nil, is the version the caller
// saw: a different current version is KindStale and nothing is written.
func (a *App) Act(ctx context.Context, p auth.Principal, ref, action string, body []byte, ifMatch *int64) (View, error) {
	if !slices.Contains(ActionNames, action) {
		return View{}, &Error{Kind: KindNotFound, Code: "unknown_action", MessageVI: "Thao tác không tồn tại.", MessageEN: "Unknown action " + action + "."}
	}
	if p.Kind == auth.KindPublic {
		return View{}, errSignInRequired
	}
	cmd, err := dossier.DecodeCommand(action, body)
	if err != nil {
		return View{}, commandError(err)
	}
	// The state this process last wrote, when it has it and it may be the one the caller saw
	// (see hotDossiers: a wrong guess only costs a retry on the stored row).
	row, d, hot := a.dz.hot.get(ref)
	if hot && (ifMatch != nil && *ifMatch != row.Version ||
		auth.Authorize(p, auth.ActionView, resourceOf(row, d)) != nil ||
		auth.Authorize(p, auth.Action(action), resourceFor(row, d, cmd)) != nil) {
		hot = false
	}
	if !hot {
		if row, d, err = a.visible(ctx, p, ref); err != nil {
			return View{}, err
		}
		if err := auth.Authorize(p, auth.Action(action), resourceFor(row, d, cmd)); err != nil {
			if errors.Is(err, auth.ErrNotFound) {
				return View{}, errDossierNotFound
			}
			return View{}, authzError(err)
		}
	}
	if err := a.checkFileRefs(ctx, p, d, commandFileRefs(cmd)); err != nil {
		return View{}, err
	}
	var out *dossier.Dossier
	var stored store.DossierRow
	for attempt := 0; ; attempt++ {
		if attempt == 0 {
			out, stored, err = a.actOnce(ctx, p, row.ID, action, cmd, ifMatch, row, d)
		} else {
			out, stored, err = a.actOnce(ctx, p, row.ID, action, cmd, ifMatch, store.DossierRow{}, nil)
		}
		if err != nil && attempt == 0 && hot && ctx.Err() == nil {
			a.dz.hot.drop(row.ID)
			continue // decided on the cached state: whatever went wrong, decide on the stored row
		}
		if errors.Is(err, store.ErrStale) && attempt < 50 {
			// Another officer (or the system) wrote first: decide again on the new state. With
			// If-Match, actOnce checks the version again and refuses unless only commuting
			// events came in between.
			continue
		}
		break
	}
	if err != nil {
		if errors.Is(err, store.ErrStale) {
			return View{}, errStale
		}
		return View{}, err
	}
	a.dz.hot.put(stored, out.Clone())
	return View{Dossier: out}, nil
}

// onlyCommutingSince reports whether every event after version from up to version to is one
// that commutes with every command (dossier.EventType.Commutes): then a command sent with
// If-Match: from is not stale. The desk officer who received a dossier a moment ago must not
// be told to reload because the national portal acknowledged it meanwhile.
func (a *App) onlyCommutingSince(ctx context.Context, id string, from, to int64) (bool, error) {
	if from <= 0 || from > to {
		return false, nil
	}
	evs, err := a.store.DossierEvents(ctx, id)
	if err != nil {
		return false, err
	}
	n := 0
	for _, e := range evs {
		if e.Seq > from && e.Seq <= to {
			if !dossier.EventType(e.Type).Commutes() {
				return false, nil
			}
			n++
		}
	}
	return int64(n) == to-from, nil
}

// cmdEnv is what deciding and persisting a command needs besides the transaction.
type cmdEnv struct {
	cal *calendar.Calendar // deadlines: the receiving desk's working calendar
	// idxCal judges the index records (the early/on-time line); it must be the same calendar
	// for every command of every dossier, so live rollups and recompute agree: the
	// province's. Nil means cal.
	idxCal *calendar.Calendar
	proc   *catalog.Procedure
	dir    *org.Directory
	actor  dossier.Actor
}

// commandEnv loads, outside any transaction, what a command on d needs.
func (a *App) commandEnv(ctx context.Context, p auth.Principal, action string, d *dossier.Dossier) (cmdEnv, error) {
	var env cmdEnv
	var err error
	if env.cal, err = a.DeskCalendar(ctx, d.ReceivingUnit); err != nil {
		return env, err
	}
	if env.idxCal, err = a.Calendar(ctx); err != nil {
		return env, err
	}
	if env.proc, err = a.pinnedProcedure(ctx, d.Spec.Procedure, d.Spec.Version); err != nil {
		return env, err
	}
	if env.dir, err = a.Directory(ctx); err != nil {
		return env, err
	}
	env.actor = a.actorFor(ctx, p, action, "", d)
	return env, nil
}

// actOnce decides and writes one command on the state (row, before), read from the store
// when before is nil, and returns the new state and its stored row.
func (a *App) actOnce(ctx context.Context, p auth.Principal, id, action string, cmd dossier.Command, ifMatch *int64, row store.DossierRow, before *dossier.Dossier) (*dossier.Dossier, store.DossierRow, error) {
	if before == nil {
		var err error
		if row, err = a.store.Dossier(ctx, id); err != nil {
			return nil, row, err
		}
		if before, err = loadRow(row); err != nil {
			return nil, row, err
		}
	}
	if ifMatch != nil && *ifMatch != row.Version {
		ok, err := a.onlyCommutingSince(ctx, id, *ifMatch, row.Version)
		if err != nil {
			return nil, row, err
		}
		if !ok {
			return nil, row, errStale
		}
	}
	if err := auth.Authorize(p, auth.Action(action), resourceFor(row, before, cmd)); err != nil {
		if errors.Is(err, auth.ErrNotFound) {
			return nil, row, errDossierNotFound
		}
		return nil, row, authzError(err)
	}
	env, err := a.commandEnv(ctx, p, action, before)
	if err != nil {
		return nil, row, err
	}
	now := a.now()
	// decide runs the aggregate and prepares the writes; a reception decides inside the
	// transaction, because its code number is allocated there.
	var out *dossier.Dossier
	decide := func(cmd dossier.Command) (change, error) {
		evs, err := dossier.Decide(before, cmd, dossier.Context{Now: now, Clock: env.cal, Actor: env.actor})
		if err != nil {
			return change{}, commandError(err)
		}
		after := before.Clone()
		for _, e := range evs {
			dossier.Apply(after, e)
		}
		out = after
		return a.prepare(before, after, evs, env, row.ApplicantIDHash, &row)
	}
	receive := action == "receive" && dossier.Allowed(before.State, "receive")
	var c change
	if !receive {
		if slots := a.dz.deciding; slots != nil {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return nil, row, ctx.Err()
			}
			c, err = decide(cmd)
			<-slots
		} else {
			c, err = decide(cmd)
		}
		if err != nil {
			return nil, row, err
		}
	}
	// The decision holds only if nobody changed the dossier since it was read (the update is
	// conditional on the version); otherwise the caller decides again on the new state (or
	// answers 412 to an If-Match).
	if receive {
		err = a.store.InTx(ctx, func(tx *store.Tx) error {
			code, err := allocateCode(ctx, tx, env.dir, before, env.proc, now)
			if err != nil {
				return err
			}
			if c, err = decide(dossier.Receive{Code: code}); err != nil {
				return err
			}
			return c.write(ctx, tx)
		})
	} else {
		err = a.store.Apply(ctx, c.DossierChange)
	}
	if err != nil {
		return nil, row, err
	}
	a.log.Info("dossier action", "id", id, "action", action, "by", p.Subject, "status", out.State, "version", out.Version)
	return out, c.Row, nil
}

// allocateCode takes the next number of the day for the dossier's authority (LEGAL §4): the
// identifier of the competent authority, or of the receiving unit for interconnected
// procedures; the day is the receipt day in Vietnam.
func allocateCode(ctx context.Context, tx *store.Tx, dir *org.Directory, d *dossier.Dossier, proc *catalog.Procedure, now time.Time) (string, error) {
	unit := d.Authority
	if proc.Interconnected {
		unit = d.ReceivingUnit
	}
	ident := dir.Identifier(unit)
	if ident == "" {
		return "", fmt.Errorf("unit %s has no identifier", unit)
	}
	day := now.In(calendar.VN)
	seq, err := tx.NextDossierSeq(ctx, ident, day.Format("2006-01-02"))
	if err != nil {
		return "", err
	}
	return dossier.FormatCode(ident, day, seq), nil
}

// actorFor describes p as the aggregate records it: for an officer, the role and unit that
// let them act on this dossier (a leader's role for decisions).
func (a *App) actorFor(ctx context.Context, p auth.Principal, action, unitHint string, d *dossier.Dossier) dossier.Actor {
	switch p.Kind {
	case auth.KindApplicant:
		return dossier.Actor{ID: p.Subject, Role: dossier.RoleApplicant}
	case auth.KindOfficer:
	default:
		return dossier.Actor{ID: "system", Role: dossier.RoleSystem}
	}
	name := a.officerName(ctx, p.Subject)
	var relevant []string
	if unitHint != "" {
		relevant = append(relevant, unitHint)
	}
	if d != nil {
		if d.Current >= 0 && d.Current < len(d.Steps) {
			relevant = append(relevant, d.Steps[d.Current].Unit)
		}
		for _, i := range d.OpenSteps() {
			relevant = append(relevant, d.Steps[i].Unit)
		}
		relevant = append(relevant, d.ReceivingUnit, d.Authority)
		for _, s := range d.Steps {
			relevant = append(relevant, s.Unit)
		}
	}
	prefer := []string{auth.RoleSpecialist, auth.RoleLeader, auth.RoleDesk}
	switch action {
	case "approve", "refuse", "extend", "assign":
		prefer = []string{auth.RoleLeader}
	case "submit", "receive", "reject", "request-supplement", "return-result":
		prefer = []string{auth.RoleDesk}
	}
	for _, unit := range relevant {
		for _, role := range prefer {
			for _, ra := range p.Roles {
				if ra.Role == role && ra.Unit == unit {
					return dossier.Actor{ID: p.Subject, Name: name, Unit: unit, Role: role}
				}
			}
		}
	}
	if len(p.Roles) > 0 {
		return dossier.Actor{ID: p.Subject, Name: name, Unit: p.Roles[0].Unit, Role: p.Roles[0].Role}
	}
	return dossier.Actor{ID: p.Subject, Name: name}
}

// visible loads a dossier by id or code for p: "not found" when there is none or when it is
// outside p's scope (the two must be indistinguishable).
func (a *App) visible(ctx context.Context, p auth.Principal, ref string) (store.DossierRow, *dossier.Dossier, error) {
	row, err := a.store.Dossier(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return store.DossierRow{}, nil, errDossierNotFound
	}
	if err != nil {
		return store.DossierRow{}, nil, err
	}
	d, err := loadRow(row)
	if err != nil {
		return store.DossierRow{}, nil, err
	}
	if err := auth.Authorize(p, auth.ActionView, resourceOf(row, d)); err != nil {
		return store.DossierRow{}, nil, errDossierNotFound
	}
	return row, d, nil
}

// officerName is an officer's display name for the events they cause, cached for a few
// minutes (names change rarely; a command should not cost a read for it).
func (a *App) officerName(ctx context.Context, username string) string {
	type entry struct {
		name string
		at   time.Time
	}
	now := time.Now()
	if e, ok := a.dz.names.Load(username); ok && now.Sub(e.(entry).at) < 5*time.Minute {
		return e.(entry).name
	}
	name := username
	if o, err := a.store.Officer(ctx, username); err == nil {
		name = o.Name
	}
	a.dz.names.Store(username, entry{name, now})
	return name
}

// Dossier returns one dossier as p may see it. Officers' views of personal data are logged
// with the screen or endpoint (LEGAL §10).
func (a *App) Dossier(ctx context.Context, p auth.Principal, ref, screen string) (View, error) {
	row, d, err := a.visible(ctx, p, ref)
	if err != nil {
		return View{}, err
	}
	res := resourceOf(row, d)
	v := View{Dossier: d}
	if auth.Authorize(p, auth.ActionViewPersonal, res) == nil {
		if err := a.openPII(ctx, d); err != nil {
			return View{}, err
		}
		v.Personal = true
		if p.Kind == auth.KindOfficer {
			if err := a.store.LogAccess(ctx, store.AccessEntry{At: a.now(), Officer: p.Subject, DossierID: d.ID, What: "personal_data", Screen: screen, RequestID: requestIDFrom(ctx)}); err != nil {
				return View{}, fmt.Errorf("log access: %w", err)
			}
		}
	} else {
		d.Applicant.Name = auth.MaskName(d.Applicant.Name)
		d.Applicant.Address = ""
	}
	return v, nil
}

// openPII puts the sealed personal data back into d.
func (a *App) openPII(ctx context.Context, d *dossier.Dossier) error {
	pii, err := a.store.DossierPII(ctx, d.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	k := a.id.keys
	open := func(purpose, sealed string) (string, error) {
		if sealed == "" {
			return "", nil
		}
		return k.Open(purpose, sealed)
	}
	if d.Applicant.PersonalID, err = open(auth.PurposePersonalID, pii.IDSealed); err != nil {
		return fmt.Errorf("open personal id: %w", err)
	}
	if d.Applicant.Phone, err = open(auth.PurposePhone, pii.PhoneSealed); err != nil {
		return fmt.Errorf("open phone: %w", err)
	}
	if d.Applicant.Email, err = open(PurposeEmail, pii.EmailSealed); err != nil {
		return fmt.Errorf("open email: %w", err)
	}
	form, err := open(PurposeForm, pii.FormSealed)
	if err != nil {
		return fmt.Errorf("open form: %w", err)
	}
	if form != "" {
		d.Form = json.RawMessage(form)
	}
	return nil
}

// Events returns a dossier's history for p (same visibility as the dossier).
func (a *App) Events(ctx context.Context, p auth.Principal, ref string) ([]store.EventRow, error) {
	row, _, err := a.visible(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	return a.store.DossierEvents(ctx, row.ID)
}

// ListFilter selects dossiers in lists and work queues.
type ListFilter struct {
	State     []string
	Unit      string
	Procedure string
	Text      string
	DueBefore time.Time
	Assignee  string
	Order     string
	Limit     int
	Offset    int
}

// ListDossiers returns one page of the dossiers p may see, and the total.
func (a *App) ListDossiers(ctx context.Context, p auth.Principal, f ListFilter) ([]View, int, error) {
	scope := auth.ListScope(p)
	if scope.Empty() {
		if p.Kind == auth.KindPublic {
			return nil, 0, errSignInRequired
		}
		return nil, 0, nil
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	for _, s := range f.State {
		if !slices.Contains(dossier.States, dossier.State(s)) {
			return nil, 0, invalidField("status", "Trạng thái hồ sơ không hợp lệ: "+s+".", "Unknown status "+s+".")
		}
	}
	rows, total, err := a.store.Dossiers(ctx, store.DossierFilter{Scope: scope, State: f.State, Unit: f.Unit, Procedure: f.Procedure, Text: f.Text, DueBefore: f.DueBefore, Assignee: f.Assignee, Order: f.Order, Limit: f.Limit, Offset: f.Offset})
	if err != nil {
		return nil, 0, err
	}
	out := make([]View, 0, len(rows))
	for _, row := range rows {
		d, err := loadRow(row)
		if err != nil {
			return nil, 0, err
		}
		if p.Kind == auth.KindOfficer {
			d.Applicant.Name = auth.MaskName(d.Applicant.Name)
			d.Applicant.Address = ""
		}
		out = append(out, View{Dossier: d})
	}
	return out, total, nil
}

// LookupResult is the public answer for a dossier code: no personal data but the masked name.
type LookupResult struct {
	Code          string    `json:"code"`
	Status        string    `json:"status"`
	StatusVI      string    `json:"status_vi"`
	Procedure     string    `json:"procedure"`
	ProcedureName string    `json:"procedure_name"`
	Authority     string    `json:"authority"`
	AuthorityName string    `json:"authority_name"`
	ReceivedAt    time.Time `json:"received_at,omitzero"`
	DueAt         time.Time `json:"due_at,omitzero"`
	FinishedAt    time.Time `json:"finished_at,omitzero"`
	Applicant     string    `json:"applicant"`
}

// Lookup answers the public look-up by dossier code (the receipt's QR code lands there).
func (a *App) Lookup(ctx context.Context, code string) (LookupResult, error) {
	code = strings.TrimSpace(code)
	if _, _, _, err := dossier.ParseCode(code); err != nil {
		return LookupResult{}, &Error{Kind: KindNotFound, Code: "dossier_not_found", MessageVI: "Mã hồ sơ không đúng định dạng hoặc không tồn tại.", MessageEN: "No dossier has that code."}
	}
	row, err := a.store.Dossier(ctx, code)
	if errors.Is(err, store.ErrNotFound) || (err == nil && row.Code != code) {
		return LookupResult{}, errDossierNotFound
	}
	if err != nil {
		return LookupResult{}, err
	}
	d, err := loadRow(row)
	if err != nil {
		return LookupResult{}, err
	}
	r := LookupResult{Code: d.Code, Status: string(d.State), StatusVI: dossier.StateNameVI(d.State), Procedure: d.Spec.Procedure,
		Authority: d.Authority, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, Applicant: auth.MaskName(d.Applicant.Name)}
	if end, ok := d.End(); ok {
		r.FinishedAt = end
	}
	if proc, err := a.pinnedProcedure(ctx, d.Spec.Procedure, d.Spec.Version); err == nil {
		r.ProcedureName = proc.Name
	}
	if dir, err := a.Directory(ctx); err == nil {
		if u, ok := dir.Unit(d.Authority); ok {
			r.AuthorityName = u.FullName()
		}
	}
	return r, nil
}

type ctxKey int

const (
	ctxSession ctxKey = iota
	ctxRequestID
)

// WithSession attaches the request's session (for the assurance level of this sign-in).
func WithSession(ctx context.Context, s auth.Session) context.Context {
	return context.WithValue(ctx, ctxSession, s)
}

// WithRequestID attaches the request ID the access log records.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxRequestID, id)
}

func sessionFrom(ctx context.Context) auth.Session {
	s, _ := ctx.Value(ctxSession).(auth.Session)
	return s
}

func requestIDFrom(ctx context.Context) string {
	s, _ := ctx.Value(ctxRequestID).(string)
	return s
}
