package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/report"
)

// portalPageSize is the number of dossiers per page of "my dossiers".
const portalPageSize = 20

// portalDossierRow is one line of "my dossiers".
type portalDossierRow struct {
	Ref, Code, Procedure, Status, Badge string
	SubmittedAt, DueAt                  time.Time
}

// portalDossiersPage is the data of templates/portal_dossiers.html.
type portalDossiersPage struct {
	Rows           []portalDossierRow
	Total, Page    int
	Prev, Next     string
	FirstShown     int
	LastShown      int
	ProcedureNames map[string]string
}

// portalBadge is the badge class of a state: ok when done well, warn when the applicant must
// act or wait longer, bad when stopped.
func portalBadge(s dossier.State) string {
	switch s {
	case dossier.Processed, dossier.Returned:
		return "ok"
	case dossier.SupplementRequested, dossier.SupplementRequestedInProcessing, dossier.Suspended:
		return "warn"
	case dossier.Rejected, dossier.Closed:
		return "bad"
	}
	return ""
}

// portalProcName returns a procedure's name (its code if it is no longer published).
func (s *Server) portalProcName(r *http.Request, code string, version int) string {
	if p, err := s.app.ProcedureVersion(r.Context(), code, version); err == nil {
		return p.Name
	}
	if p, err := s.app.Procedure(r.Context(), code); err == nil {
		return p.Name
	}
	return code
}

// portalDossiers is "my dossiers": the applicant's dossiers, newest first.
func (s *Server) portalDossiers(w http.ResponseWriter, r *http.Request) error {
	page, _ := strconv.Atoi(r.URL.Query().Get("trang"))
	if page < 1 || page > 10000 {
		page = 1
	}
	views, total, err := s.app.ListDossiers(r.Context(), principalOf(r), app.ListFilter{Limit: portalPageSize, Offset: (page - 1) * portalPageSize})
	if err != nil {
		return err
	}
	lang := langOf(r)
	pg := portalDossiersPage{Total: total, Page: page}
	names := map[string]string{}
	for _, v := range views {
		d := v.Dossier
		key := d.Spec.Procedure + "@" + strconv.Itoa(d.Spec.Version)
		if _, ok := names[key]; !ok {
			names[key] = s.portalProcName(r, d.Spec.Procedure, d.Spec.Version)
		}
		pg.Rows = append(pg.Rows, portalDossierRow{Ref: portalRef(d), Code: d.Code, Procedure: names[key], Status: stateLabel(lang, d.State),
			Badge: portalBadge(d.State), SubmittedAt: d.SubmittedAt, DueAt: d.DueAt})
	}
	if len(pg.Rows) > 0 {
		pg.FirstShown = (page-1)*portalPageSize + 1
		pg.LastShown = pg.FirstShown + len(pg.Rows) - 1
	}
	if page > 1 {
		pg.Prev = "/ho-so-cua-toi?trang=" + strconv.Itoa(page-1)
	}
	if page*portalPageSize < total {
		pg.Next = "/ho-so-cua-toi?trang=" + strconv.Itoa(page+1)
	}
	return s.render(w, r, "portal_dossiers", view{Title: tr(lang, "mine.title"), Data: pg, Styles: []string{"portal.css"}})
}

// portalEventLabels are the events of a dossier's history as the applicant reads them.
var portalEventLabels = map[string]string{
	string(dossier.EventSubmitted):           "Đã nộp hồ sơ",
	string(dossier.EventDocumentAttached):    "Đính kèm thêm giấy tờ",
	string(dossier.EventSupplementRequested): "Yêu cầu bổ sung, hoàn thiện hồ sơ",
	string(dossier.EventSupplemented):        "Đã bổ sung hồ sơ",
	string(dossier.EventReceived):            "Bộ phận Một cửa đã tiếp nhận hồ sơ",
	string(dossier.EventRejected):            "Từ chối tiếp nhận hồ sơ",
	string(dossier.EventAssigned):            "Phân công cán bộ xử lý",
	string(dossier.EventForwarded):           "Chuyển xử lý",
	string(dossier.EventStepCompleted):       "Hoàn thành một bước xử lý",
	string(dossier.EventSuspended):           "Tạm dừng giải quyết",
	string(dossier.EventResumed):             "Tiếp tục giải quyết",
	string(dossier.EventExtended):            "Gia hạn, hẹn lại ngày trả kết quả",
	string(dossier.EventApproved):            "Đã phê duyệt",
	string(dossier.EventRefused):             "Từ chối giải quyết",
	string(dossier.EventResultIssued):        "Đã ban hành kết quả",
	string(dossier.EventResultReturned):      "Đã trả kết quả",
	string(dossier.EventWithdrawn):           "Đã rút hồ sơ",
	string(dossier.EventRated):               "Đã đánh giá mức độ hài lòng",
	string(dossier.EventClosed):              "Dừng giải quyết do không bổ sung đúng hạn",
	string(dossier.EventSynced):              "Đã đồng bộ lên Cổng Dịch vụ công quốc gia",
}

// portalEvent is one event of the dossier's history.
type portalEvent struct {
	Label, Unit, Reason string
	At                  time.Time
}

// portalStep is one step of the process as the applicant sees it.
type portalStep struct {
	Name, Unit, Verdict string
	Due, Finished       time.Time
	Open                bool
	Ahead               bool // not reached yet while the dossier is still being handled
}

// portalDoc is one document of the dossier.
type portalDoc struct {
	Name, Component, Size string
	URL                   string // where the applicant opens it ("" when there is no file)
	Reused                bool
}

// portalFormLink is a downloadable paper of the dossier.
type portalFormLink struct{ Title, URL string }

// portalSupplementItem is one component the authority asked for.
type portalSupplementItem struct {
	Code, Name, Input, Error string
}

// portalDossierPage is the data of templates/portal_dossier.html.
type portalDossierPage struct {
	D            *dossier.Dossier
	Ref          string
	Procedure    string
	Status       string
	Badge        string
	Authority    string
	Receiving    string
	Notice       string // a success message after an action
	Applicant    bool   // the viewer is an applicant (the actions show)
	Timeline     []portalEvent
	Steps        []portalStep
	Documents    []portalDoc
	Forms        []portalFormLink
	Supplement   []portalSupplementItem
	CanSupply    bool
	CanWithdraw  bool
	CanRate      bool
	Errors       map[string]string // by field: reason, confirm, score, comment, doc.CODE; "action" for the engine's refusals
	ReasonValue  string
	ScoreValue   int
	CommentValue string
	Scores       []portalScore
}

// portalScore is one choice of the rating.
type portalScore struct {
	Value   int
	Label   string
	Checked bool
}

var portalScoreLabels = []string{"", "Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"}

// portalNotices are the messages shown after a successful action (by the tb query parameter, so
// that no text comes from the URL).
var portalNotices = map[string]string{
	"da-nop":      "Đã nộp hồ sơ thành công. Bộ phận Một cửa sẽ kiểm tra và tiếp nhận hồ sơ; bạn sẽ nhận được mã hồ sơ và giấy hẹn trả kết quả.",
	"da-bo-sung":  "Đã gửi hồ sơ bổ sung.",
	"da-rut":      "Đã rút hồ sơ.",
	"da-danh-gia": "Cảm ơn bạn đã đánh giá.",
}

// portalDossierModel loads everything the dossier page shows.
func (s *Server) portalDossierModel(r *http.Request, ref string) (portalDossierPage, error) {
	ctx := r.Context()
	p := principalOf(r)
	v, err := s.app.Dossier(ctx, p, ref, "portal:/ho-so-cua-toi/{code}")
	if err != nil {
		return portalDossierPage{}, err
	}
	d := v.Dossier
	lang := langOf(r)
	pg := portalDossierPage{D: d, Ref: portalRef(d), Status: stateLabel(lang, d.State), Badge: portalBadge(d.State), Notice: portalNotices[r.URL.Query().Get("tb")],
		Applicant: p.Kind == auth.KindApplicant, Errors: map[string]string{}}
	pg.Procedure = s.portalProcName(r, d.Spec.Procedure, d.Spec.Version)
	dir, _ := s.app.Directory(ctx)
	pg.Authority, pg.Receiving = portalUnit(dir, d.Authority), portalUnit(dir, d.ReceivingUnit)
	evs, err := s.app.Events(ctx, p, ref)
	if err != nil {
		return portalDossierPage{}, err
	}
	for _, e := range evs {
		var body struct {
			Reason string `json:"reason"`
		}
		_ = json.Unmarshal(e.Body, &body)
		label := portalEventLabels[e.Type]
		if lang == langEN {
			label = eventLabelsEN[e.Type]
		}
		if label == "" {
			label = e.Type
		}
		pg.Timeline = append(pg.Timeline, portalEvent{Label: label, At: e.At, Unit: portalUnit(dir, e.Unit), Reason: body.Reason})
	}
	for _, st := range d.Steps {
		ahead := st.StartedAt.IsZero() && !d.State.Terminal() && d.State != dossier.Processed
		pg.Steps = append(pg.Steps, portalStep{Name: st.Name, Unit: portalUnit(dir, st.Unit), Due: st.Due, Finished: st.FinishedAt, Open: st.Open(), Ahead: ahead, Verdict: portalVerdict(lang, st.Verdict)})
	}
	names := map[string]string{}
	for _, c := range d.Spec.Components {
		names[c.Code] = c.Name
	}
	for _, doc := range d.Documents {
		pd := portalDoc{Name: doc.Name, Component: names[doc.Component], Size: portalSize(doc.Size), Reused: doc.Reused || doc.FromVault}
		if doc.Hash != "" {
			pd.URL = "/ho-so-cua-toi/" + url.PathEscape(pg.Ref) + "/tai-lieu?h=" + url.QueryEscape(doc.Hash)
		}
		pg.Documents = append(pg.Documents, pd)
	}
	if v.Personal {
		for _, f := range report.Forms {
			if report.Applicable(f, d) == nil {
				pg.Forms = append(pg.Forms, portalFormLink{Title: f.Title(), URL: "/api/v1/dossiers/" + url.PathEscape(pg.Ref) + "/forms/" + string(f) + ".pdf"})
			}
		}
	}
	if pg.Applicant {
		pg.CanSupply = dossier.Allowed(d.State, "supplement")
		pg.CanWithdraw = dossier.Allowed(d.State, "withdraw")
		pg.CanRate = dossier.Allowed(d.State, "rate") && d.Rating == 0
	}
	if pg.CanSupply {
		for _, code := range d.SupplementComponents {
			pg.Supplement = append(pg.Supplement, portalSupplementItem{Code: code, Name: names[code], Input: portalDocPrefix + code})
		}
	}
	for i := 1; i <= 5; i++ {
		pg.Scores = append(pg.Scores, portalScore{Value: i, Label: scoreLabel(lang, i)})
	}
	return pg, nil
}

// portalVerdict names a step's timeliness.
func portalVerdict(lang string, v dossier.Timeliness) string {
	switch v {
	case dossier.Early:
		return tr(lang, "verdict.early")
	case dossier.OnTime:
		return tr(lang, "verdict.onTime")
	case dossier.Late:
		return tr(lang, "verdict.late")
	}
	return ""
}

// portalSize formats a file size.
func portalSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatInt((n+512)/1024, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// portalDossier is one dossier's page: status, due date, history, documents, papers and the
// applicant's actions.
func (s *Server) portalDossier(w http.ResponseWriter, r *http.Request) error {
	pg, err := s.portalDossierModel(r, r.PathValue("code"))
	if err != nil {
		return err
	}
	return s.portalRenderDossier(w, r, http.StatusOK, pg)
}

func (s *Server) portalRenderDossier(w http.ResponseWriter, r *http.Request, status int, pg portalDossierPage) error {
	lang := langOf(r)
	title := fmt.Sprintf(tr(lang, "dossier.title"), pg.Ref)
	if pg.D.Code == "" {
		title = tr(lang, "dossier.titlePending")
	}
	return s.renderStatusErr(w, r, status, "portal_dossier", view{Title: title, Data: pg, Styles: []string{"portal.css"}})
}

// portalRefused re-renders the dossier page with the errors of a refused action, or returns
// err when it is not the applicant's to correct (not found, forbidden, internal).
func (s *Server) portalRefused(w http.ResponseWriter, r *http.Request, err error, field string, keep func(*portalDossierPage)) error {
	var ae *app.Error
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Kind {
	case app.KindInvalid, app.KindConflict, app.KindStale, app.KindTooLarge:
	default:
		return err
	}
	pg, lerr := s.portalDossierModel(r, r.PathValue("code"))
	if lerr != nil {
		return lerr
	}
	pg.Notice = ""
	pg.Errors[field] = ae.MessageVI
	if keep != nil {
		keep(&pg)
	}
	return s.portalRenderDossier(w, r, http.StatusUnprocessableEntity, pg)
}

// portalRedirect goes back to the dossier's page with a notice (POST-redirect-GET).
func portalRedirect(w http.ResponseWriter, r *http.Request, d *dossier.Dossier, notice string) {
	http.Redirect(w, r, "/ho-so-cua-toi/"+url.PathEscape(portalRef(d))+"?tb="+notice, http.StatusSeeOther)
}

// portalWithdraw withdraws the dossier; the form asks for a reason and an explicit
// confirmation, so no script is needed for the "are you sure".
func (s *Server) portalWithdraw(w http.ResponseWriter, r *http.Request) error {
	if err := portalParseForm(r); err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	keep := func(pg *portalDossierPage) { pg.ReasonValue = reason }
	if r.PostForm.Get("confirm") != "yes" {
		if err := s.app.AuthorizeDossier(r.Context(), principalOf(r), r.PathValue("code"), auth.ActionView); err != nil {
			return err
		}
		return s.portalRefused(w, r, &app.Error{Kind: app.KindInvalid, MessageVI: "Hãy đánh dấu xác nhận rút hồ sơ."}, "confirm", keep)
	}
	if len([]rune(reason)) > 1000 {
		return s.portalRefused(w, r, &app.Error{Kind: app.KindInvalid, MessageVI: "Lý do không được dài quá 1000 ký tự."}, "reason", keep)
	}
	body, _ := json.Marshal(dossier.Withdraw{Reason: reason})
	v, err := s.app.Act(r.Context(), principalOf(r), r.PathValue("code"), "withdraw", body, nil)
	if err != nil {
		return s.portalRefused(w, r, err, "action", keep)
	}
	portalRedirect(w, r, v.Dossier, "da-rut")
	return nil
}

// portalRate records the applicant's satisfaction rating after the result was returned.
func (s *Server) portalRate(w http.ResponseWriter, r *http.Request) error {
	if err := portalParseForm(r); err != nil {
		return err
	}
	comment := strings.TrimSpace(r.PostForm.Get("comment"))
	score, _ := strconv.Atoi(r.PostForm.Get("score"))
	keep := func(pg *portalDossierPage) {
		pg.CommentValue, pg.ScoreValue = comment, score
		for i := range pg.Scores {
			pg.Scores[i].Checked = pg.Scores[i].Value == score
		}
	}
	if score < 1 || score > 5 {
		if err := s.app.AuthorizeDossier(r.Context(), principalOf(r), r.PathValue("code"), auth.ActionView); err != nil {
			return err
		}
		return s.portalRefused(w, r, &app.Error{Kind: app.KindInvalid, MessageVI: "Hãy chọn mức độ hài lòng từ 1 đến 5."}, "score", keep)
	}
	if len([]rune(comment)) > 1000 {
		return s.portalRefused(w, r, &app.Error{Kind: app.KindInvalid, MessageVI: "Ý kiến không được dài quá 1000 ký tự."}, "comment", keep)
	}
	body, _ := json.Marshal(dossier.Rate{Score: score, Comment: comment})
	v, err := s.app.Act(r.Context(), principalOf(r), r.PathValue("code"), "rate", body, nil)
	if err != nil {
		return s.portalRefused(w, r, err, "action", keep)
	}
	portalRedirect(w, r, v.Dossier, "da-danh-gia")
	return nil
}

// portalSupplement brings the documents the authority asked for: each file is stored, then
// the supplement is recorded in one command with all of them.
func (s *Server) portalSupplement(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalOf(r)
	if err := s.app.AuthorizeDossier(ctx, p, r.PathValue("code"), auth.ActionView); err != nil {
		return err
	}
	if err := portalParseForm(r); err != nil {
		return err
	}
	v, err := s.app.Dossier(ctx, p, r.PathValue("code"), "portal:/ho-so-cua-toi/{code}/bo-sung")
	if err != nil {
		return err
	}
	var docs []dossier.Document
	errs := map[string]string{}
	for _, code := range v.SupplementComponents {
		var files []*multipart.FileHeader
		if r.MultipartForm != nil {
			for _, fh := range r.MultipartForm.File[portalDocPrefix+code] {
				if fh.Filename != "" || fh.Size > 0 {
					files = append(files, fh)
				}
			}
		}
		if len(files) == 0 {
			errs[portalDocPrefix+code] = "Chưa chọn tệp cho giấy tờ này."
			continue
		}
		for _, fh := range files {
			st, err := s.portalUpload(r, fh)
			if err != nil {
				var ae *app.Error
				if !errors.As(err, &ae) || ae.Kind == app.KindInternal {
					return err
				}
				errs[portalDocPrefix+code] = fh.Filename + ": " + ae.MessageVI
				continue
			}
			dt := ""
			for _, c := range v.Spec.Components {
				if c.Code == code {
					dt = c.DocType
				}
			}
			docs = append(docs, dossier.Document{Component: code, Name: st.Name, Hash: st.Hash, MediaType: st.MediaType, Size: st.Size, DocType: dt, Digitized: true})
		}
	}
	if len(errs) == 0 {
		body, _ := json.Marshal(dossier.Supplement{Documents: docs})
		out, err := s.app.Act(ctx, p, r.PathValue("code"), "supplement", body, nil)
		if err == nil {
			portalRedirect(w, r, out.Dossier, "da-bo-sung")
			return nil
		}
		var ae *app.Error
		if !errors.As(err, &ae) || (ae.Kind != app.KindInvalid && ae.Kind != app.KindConflict) {
			return err
		}
		errs["action"] = ae.MessageVI
	}
	pg, err := s.portalDossierModel(r, r.PathValue("code"))
	if err != nil {
		return err
	}
	pg.Notice = ""
	pg.Errors = errs
	for i := range pg.Supplement {
		pg.Supplement[i].Error = errs[pg.Supplement[i].Input]
	}
	return s.portalRenderDossier(w, r, http.StatusUnprocessableEntity, pg)
}
