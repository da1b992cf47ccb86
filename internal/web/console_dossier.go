package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// consoleScreen is the screen the access log records for the console's dossier page.
const consoleScreen = "console:/can-bo/ho-so"

var errCSOfficersOnly = &app.Error{Kind: app.KindForbidden, Code: "officers_only", MessageVI: "Trang này dành cho cán bộ, công chức.", MessageEN: "This page is for officers."}

// consoleGate lets officers through. An applicant gets "not found" for a dossier outside
// their scope, like everybody; for their own dossier, a GET is sent to its public status page
// and anything else is refused. It reports whether the handler should go on.
func (s *Server) consoleGate(w http.ResponseWriter, r *http.Request) (bool, error) {
	p := principalOf(r)
	if p.Kind == auth.KindOfficer {
		return true, nil
	}
	code := r.PathValue("code")
	if err := s.app.AuthorizeDossier(r.Context(), p, code, auth.ActionView); err != nil {
		return false, err
	}
	if r.Method != http.MethodGet {
		return false, errCSOfficersOnly
	}
	http.Redirect(w, r, "/tra-cuu?ma="+url.QueryEscape(code), http.StatusSeeOther)
	return false, nil
}

// csSheetRow is one row of the control sheet.
type csSheetRow struct {
	Name, From, Unit            string
	HandedOverAt, Due, Finished time.Time
	VerdictVI, VerdictClass     string
	Note                        string
}

// csDocRow is one document of the dossier.
type csDocRow struct {
	Name, Component, MediaType, URL string
	Size                            string
	Image, Paper                    bool
}

// csEventRow is one entry of the timeline.
type csEventRow struct {
	At          time.Time
	What, Actor string
}

// csActionForm is an action the officer may take now, with what its form needs.
type csActionForm struct {
	app.ActionState
	Error   string
	Fields  map[string]string
	Values  url.Values
	Checked map[string]bool // components ticked in a failed supplement request
	Open    bool            // the form was sent and failed: show it open
}

type consoleDossierPage struct {
	D                  *dossier.Dossier
	Ref                string
	Personal           bool
	ProcedureName      string
	AuthorityName      string
	DeskName           string
	StateVI, StateCls  string
	DueVI, DueCls      string
	Verdict, VerdictCl string
	Sheet              []csSheetRow
	Docs               []csDocRow
	Missing            []string
	Events             []csEventRow
	Actions            []csActionForm
	Blocked            []app.ActionState
	Officers           []app.OfficerName
	NextStep           string // name and unit of the next main step (forward)
	NextUnit           string
	Done               string // label of the action just taken
	Notice             string // page-level error (stale version)
	ReceiptURL         string
	FormFields         []csKV // the applicant form, label → value
	Components         []dossier.Component
}

type csKV struct{ Key, Value string }

func (s *Server) consoleDossier(w http.ResponseWriter, r *http.Request) error {
	if ok, err := s.consoleGate(w, r); !ok {
		return err
	}
	done, lang := "", langOf(r)
	if a := r.URL.Query().Get("xong"); slices.Contains(app.ActionNames, a) {
		done = actionLabel(lang, a)
	} else if a == "nop" {
		done = tr(lang, "csd.filed")
	}
	return s.renderDossier(w, r, http.StatusOK, r.PathValue("code"), done, "", nil)
}

// csActionFailure is an action form sent back with its error.
type csActionFailure struct {
	action string
	msg    string
	fields map[string]string
	values url.Values
}

// renderDossier renders the dossier page; f, when not nil, reopens the failed action's form
// with what the officer typed.
func (s *Server) renderDossier(w http.ResponseWriter, r *http.Request, status int, ref, done, notice string, f *csActionFailure) error {
	ctx, p, lang := r.Context(), principalOf(r), langOf(r)
	v, err := s.app.Dossier(ctx, p, ref, consoleScreen)
	if err != nil {
		return err
	}
	states, err := s.app.AllowedActions(ctx, p, v.ID)
	if err != nil {
		return err
	}
	d := v.Dossier
	pg := consoleDossierPage{D: d, Ref: csRef(d), Personal: v.Personal, ProcedureName: s.csProcedureName(ctx, d.Spec.Procedure),
		AuthorityName: s.csUnitName(ctx, d.Authority), DeskName: s.csUnitName(ctx, d.ReceivingUnit),
		StateVI: stateLabel(lang, d.State), StateCls: csStateClass(d.State), Done: done, Notice: notice,
		Components: d.Spec.Components}
	pg.DueVI, pg.DueCls = s.dueBadge(ctx, d)
	if pg.DueCls != "" {
		pg.DueVI = tr(lang, "due."+pg.DueCls)
	}
	if cal, err := s.app.Calendar(ctx); err == nil && !d.ReceivedAt.IsZero() {
		pg.Verdict, pg.VerdictCl = csVerdict(lang, d.Timeliness(s.app.Now(), cal))
	}
	for _, h := range d.ControlSheet() {
		row := csSheetRow{Name: h.Name, From: s.csUnitName(ctx, h.FromUnit), Unit: s.csUnitName(ctx, h.Unit), HandedOverAt: h.HandedOverAt, Due: h.Due, Finished: h.FinishedAt, Note: h.Note}
		if !h.FinishedAt.IsZero() {
			row.VerdictVI, row.VerdictClass = csVerdict(lang, h.Verdict)
		} else {
			row.VerdictVI = tr(lang, "dossier.step.open")
		}
		pg.Sheet = append(pg.Sheet, row)
	}
	for _, doc := range d.Documents {
		row := csDocRow{Name: doc.Name, Component: csComponentName(d, doc.Component), MediaType: doc.MediaType, Size: csHumanSize(doc.Size), Paper: doc.Hash == ""}
		if doc.Hash != "" && v.Personal {
			row.URL = "/can-bo/ho-so/" + url.PathEscape(pg.Ref) + "/tai-lieu?h=" + url.QueryEscape(doc.Hash)
			row.Image = strings.HasPrefix(doc.MediaType, "image/")
		}
		pg.Docs = append(pg.Docs, row)
	}
	for _, c := range d.MissingComponents() {
		pg.Missing = append(pg.Missing, csComponentName(d, c))
	}
	if evs, err := s.app.Events(ctx, p, d.ID); err == nil {
		for _, e := range evs {
			pg.Events = append(pg.Events, csEventRow{At: e.At, What: csEvent(lang, e.Type), Actor: e.Actor})
		}
	}
	if v.Personal && len(d.Form) > 0 {
		pg.FormFields = s.formFacts(r, d)
	}
	if d.Code != "" && !d.ReceivedAt.IsZero() {
		pg.ReceiptURL = "/api/v1/dossiers/" + url.PathEscape(d.Code) + "/forms/receipt.pdf"
	}
	for _, st := range states {
		if !st.Allowed {
			st.LabelVI = actionLabel(lang, st.Name)
			pg.Blocked = append(pg.Blocked, st)
			continue
		}
		st.LabelVI = actionLabel(lang, st.Name)
		af := csActionForm{ActionState: st, Values: url.Values{}}
		if f != nil && f.action == st.Name {
			af.Error, af.Fields, af.Values, af.Open = f.msg, f.fields, f.values, true
			af.Checked = map[string]bool{}
			for _, c := range f.values["components"] {
				af.Checked[c] = true
			}
		}
		pg.Actions = append(pg.Actions, af)
		switch st.Name {
		case "assign":
			if d.Current >= 0 && d.Current < len(d.Steps) {
				pg.Officers, _ = s.app.UnitOfficers(ctx, p, d.Steps[d.Current].Unit, auth.RoleSpecialist)
			}
		case "forward":
			for j := d.Current + 1; j >= 0 && j < len(d.Steps); j++ {
				if st := d.Steps[j]; !st.Parallel && st.StartedAt.IsZero() {
					pg.NextStep, pg.NextUnit = st.Name+" — "+s.csUnitName(ctx, st.Unit), st.Unit
					break
				}
			}
		}
	}
	if f != nil && !slices.ContainsFunc(pg.Actions, func(a csActionForm) bool { return a.Name == f.action }) && pg.Notice == "" {
		pg.Notice = f.msg
	}
	title := fmt.Sprintf(tr(lang, "dossier.title"), d.Code)
	if d.Code == "" {
		title = tr(lang, "dossier.titlePending")
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderStatusErr(w, r, status, "console_dossier", view{Title: title, Data: pg, Styles: consoleStyles})
}

// formFacts lists the applicant form's values under the schema's titles, in schema order.
func (s *Server) formFacts(r *http.Request, d *dossier.Dossier) []csKV {
	vals := formStringsJSON(d.Form)
	var out []csKV
	if proc, err := s.app.ProcedureVersion(r.Context(), d.Spec.Procedure, d.Spec.Version); err == nil {
		order, props, _ := schemaOf(proc)
		for _, name := range order {
			if v, ok := vals[name]; ok {
				label := props[name].Title
				if label == "" {
					label = name
				}
				out = append(out, csKV{label, v})
				delete(vals, name)
			}
		}
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, csKV{k, vals[k]})
	}
	return out
}

func csComponentName(d *dossier.Dossier, code string) string {
	for _, c := range d.Spec.Components {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

func csHumanSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return strconv.FormatInt(n/1024, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64) + " MB"
}

// csEventsVI names the events of the timeline.
var csEventsVI = map[string]string{
	"submitted": "Nộp hồ sơ", "document_attached": "Đính kèm giấy tờ", "supplement_requested": "Yêu cầu bổ sung, hoàn thiện",
	"supplemented": "Bổ sung hồ sơ", "received": "Tiếp nhận, cấp mã hồ sơ", "rejected": "Từ chối tiếp nhận", "assigned": "Phân công xử lý",
	"forwarded": "Chuyển xử lý", "step_completed": "Hoàn thành bước", "suspended": "Tạm dừng", "resumed": "Tiếp tục giải quyết",
	"extended": "Gia hạn, xin lỗi", "approved": "Phê duyệt", "refused": "Từ chối giải quyết", "result_issued": "Ban hành kết quả",
	"result_returned": "Trả kết quả", "withdrawn": "Rút hồ sơ", "rated": "Đánh giá mức độ hài lòng", "closed": "Đóng hồ sơ",
	"synced": "Đồng bộ lên Cổng Dịch vụ công quốc gia",
}

func csEventVI(t string) string {
	if s, ok := csEventsVI[t]; ok {
		return s
	}
	return t
}

// consoleDocument serves one document of the dossier inline (the viewer), read through
// app.OpenDocument so the read is logged; without ?h= it goes back to the documents list.
func (s *Server) consoleDocument(w http.ResponseWriter, r *http.Request) error {
	if ok, err := s.consoleGate(w, r); !ok {
		return err
	}
	code := r.PathValue("code")
	hash := r.URL.Query().Get("h")
	if hash == "" {
		if err := s.app.AuthorizeDossier(r.Context(), principalOf(r), code, auth.ActionView); err != nil {
			return err
		}
		http.Redirect(w, r, "/can-bo/ho-so/"+url.PathEscape(code)+"#tai-lieu", http.StatusSeeOther)
		return nil
	}
	return s.serveDocument(w, r, code, hash, consoleScreen+"/tai-lieu")
}

// consoleAct runs one action from its form: the body is built from the form's fields and the
// version shown on the page is the If-Match, so an officer never acts on a state they did not
// see. Success redirects to the dossier page; a refusal shows the page again with the form
// open, the message next to it and what was typed.
func (s *Server) consoleAct(w http.ResponseWriter, r *http.Request) error {
	if ok, err := s.consoleGate(w, r); !ok {
		return err
	}
	ctx, p := r.Context(), principalOf(r)
	code, action := r.PathValue("code"), r.PathValue("action")
	if err := s.app.AuthorizeDossier(ctx, p, code, auth.ActionView); err != nil {
		return err
	}
	if !slices.Contains(app.ActionNames, action) {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_form", MessageVI: "Dữ liệu gửi lên không hợp lệ.", MessageEN: "Malformed form.", Err: err}
	}
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version < 0 {
		return &app.Error{Kind: app.KindInvalid, Code: "missing_version", MessageVI: "Thiếu phiên bản hồ sơ; hãy tải lại trang và thực hiện lại.", MessageEN: "The form carries no dossier version."}
	}
	lang := langOf(r)
	body, fields := csActionBody(lang, action, r.PostForm)
	if len(fields) > 0 {
		return s.renderDossier(w, r, http.StatusUnprocessableEntity, code, "", "", &csActionFailure{action: action, msg: tr(lang, "csd.err.fields"), fields: fields, values: r.PostForm})
	}
	v, err := s.app.Act(ctx, p, code, action, body, &version)
	if err != nil {
		var ae *app.Error
		if !errors.As(err, &ae) || ae.Kind == app.KindNotFound || ae.Kind == app.KindInternal {
			return err
		}
		status := statusOf[ae.Kind]
		if ae.Kind == app.KindStale {
			return s.renderDossier(w, r, status, code, "", tr(lang, "csd.err.stale"), nil)
		}
		fields := map[string]string{}
		for k, m := range ae.Fields {
			fields[csFormField(k)] = m
		}
		return s.renderDossier(w, r, status, code, "", "", &csActionFailure{action: action, msg: errMessage(lang, ae), fields: fields, values: r.PostForm})
	}
	http.Redirect(w, r, "/can-bo/ho-so/"+url.PathEscape(csRef(v.Dossier))+"?xong="+url.QueryEscape(action), http.StatusSeeOther)
	return nil
}

// csFormField maps a command's JSON field path to the console form's field name.
func csFormField(path string) string {
	name, _, _ := strings.Cut(path, "[")
	name, _, _ = strings.Cut(name, ".")
	if name == "documents" {
		return "result_name"
	}
	return name
}

// csActionBody builds the JSON body of an action from its form, or returns per-field errors
// (in lang) for what the form itself can tell is wrong.
func csActionBody(lang, action string, f url.Values) ([]byte, map[string]string) {
	errs := map[string]string{}
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	need := func(k, msg string) string {
		v := get(k)
		if v == "" {
			errs[k] = msg
		}
		return v
	}
	var body any
	switch action {
	case "request-supplement":
		comps := f["components"]
		if len(comps) == 0 {
			errs["components"] = tr(lang, "csd.err.components")
		}
		body = map[string]any{"components": comps, "reason": need("reason", tr(lang, "csd.err.supplement"))}
	case "reject":
		body = map[string]any{"reason": need("reason", tr(lang, "csd.err.reject"))}
	case "refuse":
		body = map[string]any{"reason": need("reason", tr(lang, "csd.err.refuse"))}
	case "suspend":
		body = map[string]any{"reason": need("reason", tr(lang, "csd.err.suspend")), "for_payment": f.Get("for_payment") == "1"}
	case "assign":
		body = map[string]any{"step": -1, "to": need("to", tr(lang, "csd.err.assign"))}
	case "forward":
		body = map[string]any{"to": get("to"), "note": get("note")}
	case "complete-step":
		body = map[string]any{"step": -1, "outcome": get("outcome"), "note": get("note")}
	case "resume":
		body = map[string]any{"note": get("note")}
	case "approve":
		body = map[string]any{"note": get("note")}
	case "extend":
		reason := need("reason", tr(lang, "csd.err.extend"))
		day := need("new_due", tr(lang, "csd.err.newDue"))
		var due time.Time
		if day != "" {
			d, err := time.ParseInLocation("2006-01-02", day, calendar.VN)
			if err != nil {
				errs["new_due"] = tr(lang, "console.err.date")
			}
			due = d.Add(17 * time.Hour) // the end of that working day
		}
		body = map[string]any{"new_due": due, "reason": reason}
	case "issue-result":
		body = map[string]any{"documents": []map[string]any{{"name": need("result_name", tr(lang, "csd.err.resultName")), "electronic": f.Get("electronic") == "1"}}}
	case "return-result":
		m := need("method", tr(lang, "csd.err.method"))
		if m != "" && m != dossier.ReturnDesk && m != dossier.ReturnPost && m != dossier.ReturnElectronic {
			errs["method"] = tr(lang, "csd.err.badMethod")
		}
		body = map[string]any{"method": m}
	default:
		body = nil
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if body == nil {
		return nil, nil
	}
	b, _ := json.Marshal(body)
	return b, nil
}
