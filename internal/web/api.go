package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// maxUpload caps a document upload request (the file limit itself is the file store's).
const maxUpload = 25 << 20

// apiStep is one process step in the dossier JSON.
type apiStep struct {
	Index      int        `json:"index"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	Unit       string     `json:"unit"`
	Parallel   bool       `json:"parallel"`
	Assignee   *string    `json:"assignee"`
	StartedAt  *time.Time `json:"started_at"`
	DueAt      *time.Time `json:"due_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Verdict    *string    `json:"verdict"`
	Outcome    string     `json:"outcome,omitempty"`
}

// apiDossier is the dossier JSON of the API (pinned field names, see the issue and
// openapi.json).
type apiDossier struct {
	ID               string             `json:"id"`
	Code             *string            `json:"code"`
	Status           string             `json:"status"`
	StatusVI         string             `json:"status_vi"`
	Version          int64              `json:"version"`
	Procedure        string             `json:"procedure"`
	ProcedureVersion int                `json:"procedure_version"`
	Authority        string             `json:"authority"`
	ReceivingUnit    string             `json:"receiving_unit"`
	Channel          string             `json:"channel"`
	SubmittedAt      *time.Time         `json:"submitted_at"`
	ReceivedAt       *time.Time         `json:"received_at"`
	DueAt            *time.Time         `json:"due_at"`
	FinishedAt       *time.Time         `json:"finished_at"`
	Verdict          string             `json:"verdict,omitempty"`
	Decision         string             `json:"decision,omitempty"`
	Applicant        dossier.Applicant  `json:"applicant"`
	IdentityLevel    int                `json:"identity_level"`
	Form             json.RawMessage    `json:"form,omitempty"`
	Documents        []dossier.Document `json:"documents"`
	Steps            []apiStep          `json:"steps"`
	Extended         bool               `json:"extended"`
	Rating           int                `json:"rating,omitempty"`
	SyncedAt         *time.Time         `json:"synced_at"` // acknowledged by the national portal
	UpdatedAt        time.Time          `json:"updated_at"`
}

func tp(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func sp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (s *Server) toAPI(ctx context.Context, v app.View) apiDossier {
	d := v.Dossier
	out := apiDossier{
		ID: d.ID, Code: sp(d.Code), Status: string(d.State), StatusVI: dossier.StateNameVI(d.State), Version: d.Version,
		Procedure: d.Spec.Procedure, ProcedureVersion: d.Spec.Version, Authority: d.Authority, ReceivingUnit: d.ReceivingUnit,
		Channel: string(d.Channel), SubmittedAt: tp(d.SubmittedAt), ReceivedAt: tp(d.ReceivedAt), DueAt: tp(d.DueAt),
		Decision: string(d.Decision), Applicant: d.Applicant, IdentityLevel: d.IdentityLevel, Documents: d.Documents,
		Extended: d.Extensions > 0, Rating: d.Rating, SyncedAt: tp(d.SyncedAt), UpdatedAt: d.UpdatedAt.UTC(), Steps: []apiStep{},
	}
	if out.Documents == nil {
		out.Documents = []dossier.Document{}
	}
	if v.Personal {
		out.Form = d.Form
	}
	if end, ok := d.End(); ok {
		out.FinishedAt = tp(end)
	}
	if cal, err := s.app.Calendar(ctx); err == nil && !d.ReceivedAt.IsZero() {
		out.Verdict = string(d.Timeliness(s.app.Now(), cal))
	}
	for i, st := range d.Steps {
		as := apiStep{Index: i, Name: st.Name, Role: st.Role, Unit: st.Unit, Parallel: st.Parallel, Assignee: sp(st.Assignee),
			StartedAt: tp(st.StartedAt), DueAt: tp(st.Due), FinishedAt: tp(st.FinishedAt), Verdict: sp(string(st.Verdict)), Outcome: st.Outcome}
		out.Steps = append(out.Steps, as)
	}
	return out
}

// writeDossier answers with the dossier JSON and its version as the ETag.
func (s *Server) writeDossier(w http.ResponseWriter, r *http.Request, status int, v app.View) {
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(v.Version, 10)))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, s.toAPI(r.Context(), v))
}

var errBadJSON = &app.Error{Kind: app.KindInvalid, Code: "invalid_json", MessageVI: "Dữ liệu gửi lên không phải JSON hợp lệ.", MessageEN: "The body is not valid JSON."}

// readBody reads a JSON body (already capped by the body limit middleware).
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, errBadJSON
	}
	if len(bytes.TrimSpace(b)) > 0 && !json.Valid(b) {
		return nil, errBadJSON
	}
	return b, nil
}

func (s *Server) apiSubmit(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	if err := allow(w, s.limits.submit, "p:"+p.Subject); err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var in app.SubmitInput
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_body", MessageVI: "Nội dung yêu cầu không hợp lệ: cần các trường procedure, channel, authority, form.", MessageEN: "Invalid body: " + err.Error()}
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if len(key) > 200 {
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_idempotency_key", MessageVI: "Idempotency-Key quá dài (tối đa 200 ký tự).", MessageEN: "Idempotency-Key is too long (200 characters at most)."}
	}
	v, replayed, err := s.app.Submit(r.Context(), p, in, key)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/dossiers/"+v.ID)
	s.writeDossier(w, r, status, v)
	return nil
}

func (s *Server) apiDossier(w http.ResponseWriter, r *http.Request) error {
	v, err := s.app.Dossier(r.Context(), principalOf(r), r.PathValue("code"), "api:GET /api/v1/dossiers/{code}")
	if err != nil {
		return err
	}
	s.writeDossier(w, r, http.StatusOK, v)
	return nil
}

// apiEvent is one event of the history JSON.
type apiEvent struct {
	Seq      int64           `json:"seq"`
	Type     string          `json:"type"`
	At       time.Time       `json:"at"`
	Actor    json.RawMessage `json:"actor"`
	Unit     string          `json:"unit"`
	Reason   string          `json:"reason,omitempty"`
	Data     json.RawMessage `json:"data"`
	Hash     string          `json:"hash"`
	PrevHash string          `json:"prev_hash"`
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.app.Events(r.Context(), principalOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	out := make([]apiEvent, 0, len(rows))
	for _, e := range rows {
		var body struct {
			Actor  json.RawMessage `json:"actor"`
			Reason string          `json:"reason"`
			Data   json.RawMessage `json:"data"`
		}
		_ = json.Unmarshal(e.Body, &body)
		out = append(out, apiEvent{Seq: e.Seq, Type: e.Type, At: e.At.UTC(), Actor: body.Actor, Unit: e.Unit, Reason: body.Reason, Data: body.Data, Hash: e.Hash, PrevHash: e.PrevHash})
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out})
	return nil
}

// parseIfMatch reads the If-Match header: the dossier's version as its ETag ("3", W/"3" or 3).
func parseIfMatch(r *http.Request) (*int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return nil, nil
	}
	h = strings.TrimPrefix(h, "W/")
	h = strings.Trim(h, `"`)
	v, err := strconv.ParseInt(h, 10, 64)
	if err != nil || v < 0 {
		return nil, &app.Error{Kind: app.KindInvalid, Code: "invalid_if_match", MessageVI: "Tiêu đề If-Match phải là phiên bản (ETag) của hồ sơ.", MessageEN: "If-Match must carry the dossier's version (its ETag)."}
	}
	return &v, nil
}

func (s *Server) apiAct(w http.ResponseWriter, r *http.Request) error {
	ifMatch, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	v, err := s.app.Act(r.Context(), principalOf(r), r.PathValue("code"), r.PathValue("action"), body, ifMatch)
	if err != nil {
		return err
	}
	s.writeDossier(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) apiAttach(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.AuthorizeDossier(r.Context(), principalOf(r), r.PathValue("code"), auth.ActionUpload); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_multipart", MessageVI: "Cần gửi tệp dạng multipart/form-data với các trường component và file.", MessageEN: "Send multipart/form-data with the fields component and file."}
	}
	component := ""
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &app.Error{Kind: app.KindInvalid, Code: "invalid_multipart", MessageVI: "Dữ liệu tải lên không hợp lệ.", MessageEN: "Malformed multipart body.", Err: err}
		}
		switch part.FormName() {
		case "component":
			b, _ := io.ReadAll(io.LimitReader(part, 200))
			component = strings.TrimSpace(string(b))
		case "file":
			v, err := s.app.AttachDocument(r.Context(), principalOf(r), r.PathValue("code"), component, part.FileName(), part)
			if err != nil {
				return err
			}
			s.writeDossier(w, r, http.StatusCreated, v)
			return nil
		}
	}
	return &app.Error{Kind: app.KindInvalid, Code: "invalid_file", MessageVI: "Chưa chọn tệp tải lên.", MessageEN: "No file part.", Fields: map[string]string{"file": "Chưa chọn tệp tải lên."}}
}

func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	f, fh, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_file", MessageVI: "Chưa chọn tệp tải lên.", MessageEN: "No file part.", Fields: map[string]string{"file": "Chưa chọn tệp tải lên."}}
	}
	defer f.Close()
	st, err := s.app.UploadFile(r.Context(), principalOf(r), fh.Filename, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"hash": st.Hash, "size": st.Size, "media_type": st.MediaType, "name": st.Name})
	return nil
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := app.ListFilter{Unit: q.Get("unit"), Procedure: q.Get("procedure"), Text: q.Get("q"), Assignee: q.Get("assignee"), Order: q.Get("order")}
	if st := q.Get("status"); st != "" {
		f.State = strings.Split(st, ",")
	}
	if db := q.Get("due_before"); db != "" {
		t, err := time.Parse(time.RFC3339, db)
		if err != nil {
			if d, derr := time.Parse("2006-01-02", db); derr == nil {
				t, err = d, nil
			}
		}
		if err != nil {
			return &app.Error{Kind: app.KindInvalid, Code: "invalid_due_before", MessageVI: "due_before phải là ngày (YYYY-MM-DD) hoặc thời điểm RFC 3339.", MessageEN: "due_before must be a date (YYYY-MM-DD) or an RFC 3339 time."}
		}
		f.DueBefore = t
	}
	var err error
	if f.Limit, err = intParam(q.Get("limit"), 50); err != nil {
		return err
	}
	if f.Offset, err = intParam(q.Get("offset"), 0); err != nil {
		return err
	}
	views, total, err := s.app.ListDossiers(r.Context(), principalOf(r), f)
	if err != nil {
		return err
	}
	items := make([]apiDossier, 0, len(views))
	for _, v := range views {
		items = append(items, s.toAPI(r.Context(), v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total, "limit": f.Limit, "offset": f.Offset})
	return nil
}

func intParam(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, &app.Error{Kind: app.KindInvalid, Code: "invalid_paging", MessageVI: "Tham số phân trang không hợp lệ.", MessageEN: "limit and offset must be non-negative integers."}
	}
	return n, nil
}

func (s *Server) apiForm(w http.ResponseWriter, r *http.Request) error {
	form := strings.TrimSuffix(r.PathValue("form"), ".pdf")
	pdf, err := s.app.Form(r.Context(), principalOf(r), r.PathValue("code"), form, "api:GET /api/v1/dossiers/{code}/forms/"+form)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+form+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(pdf)
	return err
}

func (s *Server) apiLookup(w http.ResponseWriter, r *http.Request) error {
	if err := allow(w, s.limits.lookup, "ip:"+s.clientIP(r)); err != nil {
		return err
	}
	res, err := s.app.Lookup(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) lookupPage(w http.ResponseWriter, r *http.Request) error {
	type page struct {
		Code, Error string
		Status      string // the result's state in the page's language
		Result      *app.LookupResult
	}
	lang := langOf(r)
	pg := page{Code: strings.TrimSpace(r.URL.Query().Get("ma"))}
	if pg.Code != "" {
		if err := allow(w, s.limits.lookup, "ip:"+s.clientIP(r)); err != nil {
			return err
		}
		res, err := s.app.Lookup(r.Context(), pg.Code)
		switch {
		case err == nil:
			pg.Result = &res
			pg.Status = stateLabel(lang, dossier.State(res.Status))
		case app.KindOf(err) == app.KindNotFound:
			pg.Error = tr(lang, "lookup.notFound")
		default:
			return err
		}
	}
	return s.render(w, r, "lookup", view{Title: tr(lang, "lookup.title"), Data: pg})
}

func (s *Server) apiAccessLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.AccessFilter{Officer: q.Get("officer"), DossierID: q.Get("dossier")}
	var err error
	if f.Limit, err = intParam(q.Get("limit"), 100); err != nil {
		return err
	}
	if f.Offset, err = intParam(q.Get("offset"), 0); err != nil {
		return err
	}
	entries, err := s.app.AccessLog(r.Context(), principalOf(r), f)
	if err != nil {
		return err
	}
	type entry struct {
		At        time.Time `json:"at"`
		Officer   string    `json:"officer"`
		DossierID string    `json:"dossier_id"`
		What      string    `json:"what"`
		Screen    string    `json:"screen"`
		RequestID string    `json:"request_id"`
	}
	out := make([]entry, 0, len(entries))
	for _, e := range entries {
		out = append(out, entry{At: e.At.UTC(), Officer: e.Officer, DossierID: e.DossierID, What: e.What, Screen: e.Screen, RequestID: e.RequestID})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}
