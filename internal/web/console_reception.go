package web

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
)

var errCSDeskOnly = &app.Error{Kind: app.KindForbidden, Code: "not_desk_officer", MessageVI: "Chỉ cán bộ Bộ phận Một cửa được tiếp nhận hồ sơ tại quầy.", MessageEN: "Only one-stop desk officers file counter dossiers."}

var errCSLeaderOnly = &app.Error{Kind: app.KindForbidden, Code: "not_leader", MessageVI: "Chỉ lãnh đạo đơn vị có hàng đợi phê duyệt.", MessageEN: "Only leaders have an approval queue."}

// csCheckItem is one component of the reception checklist.
type csCheckItem struct {
	Code, Name  string
	Required    bool
	Paper       bool   // ticked "received on paper"
	PaperInput  string // the checkbox's name and id
	ScanInput   string // the file input's name and id
	Error       string
	ErrorID     string
	Description string
}

type csReceptionPage struct {
	Procedures  []csOption
	Procedure   *catalog.Procedure
	Form        formView
	Checklist   []csCheckItem
	Communes    []csOption
	Authority   string
	Channel     string
	Idempotency string
	Errors      map[string]string
	Message     string
}

// csDeskOnly refuses officers who hold no desk role.
func csDeskOnly(p auth.Principal) error {
	if !p.HasRole(auth.RoleDesk) {
		return errCSDeskOnly
	}
	return nil
}

func (s *Server) consoleReception(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	if err := csDeskOnly(p); err != nil {
		return err
	}
	pg := csReceptionPage{Procedures: s.csProcedureOptions(r.Context()), Channel: string(dossier.ChannelDesk), Errors: map[string]string{}, Idempotency: uuid.NewString()}
	if code := r.URL.Query().Get("thu-tuc"); code != "" {
		proc, err := s.app.Procedure(r.Context(), code)
		if err != nil {
			if app.KindOf(err) != app.KindNotFound {
				return err
			}
			pg.Errors["thu-tuc"] = fmt.Sprintf(tr(langOf(r), "csr.err.noProc"), code)
		} else {
			pg.Procedure = proc
			pg.Form = formModel(proc, "f.", nil, nil)
			pg.Authority = s.defaultAuthority(r, proc)
		}
	}
	return s.renderReception(w, r, http.StatusOK, pg)
}

// defaultAuthority is the commune a commune procedure is decided by when filed at a commune's
// own desk.
func (s *Server) defaultAuthority(r *http.Request, proc *catalog.Procedure) string {
	if proc.Level != catalog.LevelCommune {
		return ""
	}
	dir, err := s.app.Directory(r.Context())
	if err != nil {
		return ""
	}
	for _, ra := range principalOf(r).Roles {
		if ra.Role == auth.RoleDesk && dir.IsCommune(ra.Unit) {
			return ra.Unit
		}
	}
	return ""
}

func (s *Server) renderReception(w http.ResponseWriter, r *http.Request, status int, pg csReceptionPage) error {
	if pg.Procedure != nil {
		if pg.Procedure.Level == catalog.LevelCommune {
			if dir, err := s.app.Directory(r.Context()); err == nil {
				for _, u := range dir.Communes() {
					pg.Communes = append(pg.Communes, csOption{u.Key, u.FullName()})
				}
			}
		}
		if pg.Checklist == nil {
			for _, d := range pg.Procedure.Documents {
				pg.Checklist = append(pg.Checklist, csCheckItem{Code: d.Code, Name: d.Name, Required: d.Required, PaperInput: "giay." + d.Code, ScanInput: "quet." + d.Code, ErrorID: "quet-" + d.Code + "-error"})
			}
		}
	}
	pg.Form.Lang = langOf(r)
	title := tr(pg.Form.Lang, "console.reception")
	return s.renderStatusErr(w, r, status, "console_reception", view{Title: title, Data: pg, Styles: consoleStyles})
}

// csReceptionMemory is how much of a multipart reception is kept in memory; the rest of the
// scans spill to temporary files.
const csReceptionMemory = 8 << 20

// consoleReceptionSubmit files a counter dossier: the generated form, the competent commune,
// and the checklist, where every component received on paper is scanned (Điều 17.1: each paper
// document is digitized at reception). The dossier is then received from its own page.
func (s *Server) consoleReceptionSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), principalOf(r), langOf(r)
	if err := csDeskOnly(p); err != nil {
		return err
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(csReceptionMemory); err != nil {
			return &app.Error{Kind: app.KindInvalid, Code: "invalid_form", MessageVI: "Dữ liệu gửi lên không hợp lệ.", MessageEN: "Malformed form.", Err: err}
		}
		defer r.MultipartForm.RemoveAll()
	} else if err := r.ParseForm(); err != nil {
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_form", MessageVI: "Dữ liệu gửi lên không hợp lệ.", MessageEN: "Malformed form.", Err: err}
	}
	pg := csReceptionPage{Procedures: s.csProcedureOptions(ctx), Errors: map[string]string{}, Channel: r.PostForm.Get("channel"), Authority: r.PostForm.Get("authority"), Idempotency: r.PostForm.Get("idem")}
	if pg.Idempotency == "" {
		pg.Idempotency = uuid.NewString()
	}
	if pg.Channel != string(dossier.ChannelPostal) {
		pg.Channel = string(dossier.ChannelDesk)
	}
	code := r.PostForm.Get("thu-tuc")
	proc, err := s.app.Procedure(ctx, code)
	if err != nil {
		if app.KindOf(err) != app.KindNotFound {
			return err
		}
		pg.Errors["thu-tuc"] = tr(lang, "csr.err.chooseProc")
		return s.renderReception(w, r, http.StatusUnprocessableEntity, pg)
	}
	pg.Procedure = proc
	raw, ferrs := formValuesIn(lang, proc, r.PostForm, "f.")
	typed := formStrings(proc, r.PostForm, "f.")
	var docs []dossier.Document
	for _, c := range proc.Documents {
		it := csCheckItem{Code: c.Code, Name: c.Name, Required: c.Required, PaperInput: "giay." + c.Code, ScanInput: "quet." + c.Code, ErrorID: "quet-" + c.Code + "-error", Paper: r.PostForm.Get("giay."+c.Code) == "1"}
		fh := csScanOf(r, it.ScanInput)
		switch {
		case fh != nil:
			doc, err := s.storeScan(r, p, c, fh)
			if err != nil {
				var ae *app.Error
				if !errors.As(err, &ae) || ae.Kind == app.KindInternal {
					return err
				}
				it.Error = errMessage(lang, ae)
				break
			}
			docs = append(docs, doc)
		case it.Paper:
			it.Error = tr(lang, "csr.err.scanNeeded")
		}
		pg.Checklist = append(pg.Checklist, it)
	}
	failed := len(ferrs) > 0
	for _, it := range pg.Checklist {
		failed = failed || it.Error != ""
	}
	if !failed {
		v, _, err := s.app.Submit(ctx, p, app.SubmitInput{Procedure: proc.Code, Channel: pg.Channel, Authority: pg.Authority, Form: raw, Documents: docs}, "counter:"+pg.Idempotency)
		if err == nil {
			http.Redirect(w, r, "/can-bo/ho-so/"+url.PathEscape(csRef(v.Dossier))+"?xong=nop", http.StatusSeeOther)
			return nil
		}
		var ae *app.Error
		if !errors.As(err, &ae) || (ae.Kind != app.KindInvalid && ae.Kind != app.KindConflict) {
			return err
		}
		pg.Message = errMessage(lang, ae)
		for k, m := range ae.Fields {
			switch k {
			case "authority", "channel", "desk":
				pg.Errors[k] = m
			case "documents", "file":
				pg.Message = m
			default:
				ferrs[k] = m
			}
		}
		if ae.Code == "idempotency_key_reused" {
			pg.Idempotency = uuid.NewString()
		}
	}
	if pg.Message == "" {
		pg.Message = tr(lang, "csr.err.notFiled")
	}
	pg.Form = formModel(proc, "f.", typed, ferrs)
	return s.renderReception(w, r, http.StatusUnprocessableEntity, pg)
}

// csScanOf returns the uploaded file of a checklist row, if one was chosen.
func csScanOf(r *http.Request, field string) *multipart.FileHeader {
	if r.MultipartForm == nil {
		return nil
	}
	fs := r.MultipartForm.File[field]
	if len(fs) == 0 || fs[0].Size == 0 || fs[0].Filename == "" {
		return nil
	}
	return fs[0]
}

// storeScan stores one scanned component through the upload use case.
func (s *Server) storeScan(r *http.Request, p auth.Principal, c catalog.Document, fh *multipart.FileHeader) (dossier.Document, error) {
	f, err := fh.Open()
	if err != nil {
		return dossier.Document{}, fmt.Errorf("open scan: %w", err)
	}
	defer f.Close()
	st, err := s.app.UploadFile(r.Context(), p, fh.Filename, f)
	if err != nil {
		return dossier.Document{}, err
	}
	name := c.Name + path.Ext(st.Name)
	return dossier.Document{Component: c.Code, Name: name, Hash: st.Hash, MediaType: st.MediaType, Size: st.Size, Digitized: true}, nil
}

// csApprovalRow is one dossier of the approval queue.
type csApprovalRow struct {
	csQueueRow
	Version int64
	Step    string
}

// csApprovalResult is the outcome of one approval of a bulk approval.
type csApprovalResult struct {
	Ref, Code string
	OK        bool
	Message   string
}

type csApprovalPage struct {
	Rows     []csApprovalRow
	Total    int
	Results  []csApprovalResult
	Approved int
	Failed   int
	Note     string
	Error    string
}

const csApprovalPageSize = 100

func (s *Server) consoleApproval(w http.ResponseWriter, r *http.Request) error {
	if !principalOf(r).HasRole(auth.RoleLeader) {
		return errCSLeaderOnly
	}
	return s.renderApproval(w, r, http.StatusOK, csApprovalPage{})
}

func (s *Server) renderApproval(w http.ResponseWriter, r *http.Request, status int, pg csApprovalPage) error {
	ctx := r.Context()
	views, total, err := s.app.ConsoleQueue(ctx, principalOf(r), app.QueueApproval, app.ListFilter{Limit: csApprovalPageSize})
	if err != nil {
		return err
	}
	pg.Total = total
	lang := langOf(r)
	for _, v := range views {
		row := csApprovalRow{csQueueRow: s.queueRowOf(ctx, v.Dossier), Version: v.Version}
		if row.DueClass != "" {
			row.DueVI = tr(lang, "due."+row.DueClass)
		}
		row.StateVI = stateLabel(lang, v.State)
		if c := v.Current; c >= 0 && c < len(v.Steps) {
			row.Step = v.Steps[c].Name
		}
		pg.Rows = append(pg.Rows, row)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderStatusErr(w, r, status, "console_approval", view{Title: tr(lang, "csa.title"), Data: pg, Styles: consoleStyles})
}

// consoleApprovalSubmit approves every ticked dossier, each by its own app.Act with the
// version the leader saw: one failure does not stop the others, and the page reports each.
func (s *Server) consoleApprovalSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), principalOf(r), langOf(r)
	if !p.HasRole(auth.RoleLeader) {
		return errCSLeaderOnly
	}
	if err := r.ParseForm(); err != nil {
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_form", MessageVI: "Dữ liệu gửi lên không hợp lệ.", MessageEN: "Malformed form.", Err: err}
	}
	pg := csApprovalPage{Note: strings.TrimSpace(r.PostForm.Get("note"))}
	refs := r.PostForm["ho-so"]
	if len(refs) == 0 {
		pg.Error = tr(lang, "csa.err.none")
		return s.renderApproval(w, r, http.StatusUnprocessableEntity, pg)
	}
	body := []byte(`{}`)
	if pg.Note != "" {
		body = fmt.Appendf(nil, `{"note":%q}`, pg.Note)
	}
	for _, ref := range refs {
		res := csApprovalResult{Ref: ref, Code: ref}
		var ifMatch *int64
		if v, err := strconv.ParseInt(r.PostForm.Get("v."+ref), 10, 64); err == nil {
			ifMatch = &v
		}
		if ifMatch == nil {
			res.Message = tr(lang, "csa.err.version")
		} else if v, err := s.app.Act(ctx, p, ref, "approve", body, ifMatch); err != nil {
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Kind == app.KindInternal {
				return err
			}
			res.Message = errMessage(lang, ae)
			if ae.Kind == app.KindStale {
				res.Message = tr(lang, "csa.err.stale")
			}
		} else {
			res.OK, res.Code, res.Message = true, csRef(v.Dossier), tr(lang, "csa.approved")
		}
		if res.OK {
			pg.Approved++
		} else {
			pg.Failed++
		}
		pg.Results = append(pg.Results, res)
	}
	status := http.StatusOK
	if pg.Approved == 0 {
		status = http.StatusConflict
	}
	return s.renderApproval(w, r, status, pg)
}
