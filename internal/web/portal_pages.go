package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/org"
)

func init() { registerPages("portal_submit", "portal_dossiers", "portal_dossier") }

// portalRoutes registers this area's routes (see routes.go).
func (s *Server) portalRoutes() {
	s.add("GET", "/nop-ho-so/{code}", accessApplicant, s.portalSubmitForm)
	s.add("POST", "/nop-ho-so/{code}", accessApplicant, s.portalSubmit)
	s.add("GET", "/ho-so-cua-toi", accessApplicant, s.portalDossiers)
	// The dossier page is open to any signed-in principal that may see the dossier (app
	// decides, out of scope is 404): an officer following a link sees what the applicant sees.
	s.dossier("GET", "/ho-so-cua-toi/{code}", accessSignedIn, s.portalDossier)
	s.dossier("POST", "/ho-so-cua-toi/{code}/bo-sung", accessSignedIn, s.portalSupplement)
	s.dossier("POST", "/ho-so-cua-toi/{code}/rut", accessSignedIn, s.portalWithdraw)
	s.dossier("POST", "/ho-so-cua-toi/{code}/danh-gia", accessSignedIn, s.portalRate)
	s.dossier("GET", "/ho-so-cua-toi/{code}/tai-lieu", accessSignedIn, s.portalDocument)
}

// Names of the submission form's own fields; the generated ones carry portalFormPrefix.
const (
	portalFormPrefix     = "f."
	portalDocPrefix      = "doc."      // file inputs, one per component: doc.CODE
	portalUploadedPrefix = "uploaded." // documents already uploaded (by the script or an earlier try): uploaded.CODE
	portalReusePrefix    = "reuse."    // documents reused from earlier dossiers: reuse.CODE = hash
)

// portalMaxDocs bounds the documents one submission or supplement may carry.
const portalMaxDocs = 40

// portalSubmitPage is the data of templates/portal_submit.html.
type portalSubmitPage struct {
	P         *catalog.Procedure
	Online    bool // the procedure may be submitted online
	Form      formView
	Commune   bool // the applicant chooses the competent commune
	Communes  []portalOption
	Authority string
	// AuthorityError is the message under the commune select.
	AuthorityError string
	Components     []portalComponent
	Fee            portalFee
	Errors         []portalErrorLink // summary at the top, each linking to its field
	FormError      string            // a problem that belongs to no field
	Idem           string            // idempotency key of this rendering: a double click files one dossier
}

// portalOption is one choice of a select.
type portalOption struct{ Value, Label string }

// portalErrorLink is one entry of the error summary.
type portalErrorLink struct{ Anchor, Message string }

// portalComponent is one document component of the submission form.
type portalComponent struct {
	catalog.Document
	Input    string // file input name and id
	FormName string // bản chính, bản sao ...
	Uploaded []portalUploaded
	Reuse    []portalReuse
	Error    string
}

// portalUploaded is a document already stored, carried in a hidden field so that a refused
// submission does not lose the applicant's uploads.
type portalUploaded struct {
	Hash      string `json:"hash"`
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// JSON is the hidden field's value.
func (u portalUploaded) JSON() string { b, _ := json.Marshal(u); return string(b) }

// portalReuse is an earlier document of the same type the applicant may reuse.
type portalReuse struct {
	Hash, Label string
	Checked     bool
}

// portalFee is the fee portalQuote shown before submitting.
type portalFee struct {
	Lines    []catalog.FeeLine
	Total    int64
	Estimate bool   // counts the form does not give yet were taken as 1
	Error    string // the fee cannot be computed
}

// VND formats an amount of the portalQuote.
func (portalFee) VND(v int64) string { return catalog.VND(v) }

// portalDocForms are the message keys of the kinds of copy a component asks for.
var portalDocForms = map[string]string{
	catalog.FormOriginal: "proc.original", catalog.FormCopy: "proc.copy", catalog.FormCertifiedCopy: "proc.certified",
}

// portalIdem returns a random idempotency key for one rendering of the form.
func portalIdem() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// portalQuote computes the fee of the form data for an online submission; counts the form lacks
// are taken as 1 so that the base fee shows before anything is typed. Its message is in lang.
func portalQuote(lang string, p *catalog.Procedure, raw json.RawMessage) portalFee {
	form := map[string]any{}
	_ = json.Unmarshal(raw, &form)
	fv := portalFee{}
	for _, f := range p.Fees {
		for _, field := range []string{f.CountField, f.MultiplierField} {
			if field == "" {
				continue
			}
			if v, ok := form[field].(float64); !ok || v < 1 {
				form[field] = 1
				fv.Estimate = true
			}
		}
	}
	q, err := p.Fee(form, true, false, false)
	if err != nil {
		fv.Error = tr(lang, "submit.err.fee")
		return fv
	}
	fv.Lines, fv.Total = q.Lines, q.Total
	return fv
}

// portalSubmitModel builds the submission page from what was typed (values), the documents already
// uploaded and the choices made, with errors by field.
func (s *Server) portalSubmitModel(r *http.Request, p *catalog.Procedure, values map[string]string, raw json.RawMessage, authority string,
	uploaded map[string][]portalUploaded, reused map[string]string, errs map[string]string) (portalSubmitPage, error) {
	ctx, lang := r.Context(), langOf(r)
	pg := portalSubmitPage{P: p, Online: p.OnlineLevel != catalog.OnlineNone, Authority: authority, Idem: portalIdem()}
	pg.Form = formModel(p, portalFormPrefix, values, errs)
	pg.Form.Lang = lang
	pg.AuthorityError = errs["authority"]
	if p.Level == catalog.LevelCommune {
		pg.Commune = true
		dir, err := s.app.Directory(ctx)
		if err != nil {
			return pg, err
		}
		for _, c := range dir.Communes() {
			pg.Communes = append(pg.Communes, portalOption{Value: c.Key, Label: c.FullName()})
		}
	}
	mine, err := s.app.ApplicantDocuments(ctx, principalOf(r))
	if err != nil {
		return pg, err
	}
	for _, d := range p.Documents {
		cv := portalComponent{Document: d, Input: portalDocPrefix + d.Code, FormName: tr(lang, portalDocForms[d.Form]), Uploaded: uploaded[d.Code], Error: errs[portalDocPrefix+d.Code]}
		if d.DocType != "" {
			for _, m := range mine {
				if m.DocType != d.DocType {
					continue
				}
				label := m.Name
				if m.DossierCode != "" {
					label += " — " + tr(lang, "submit.reuseDossier") + " " + m.DossierCode
				}
				if !m.At.IsZero() {
					label += " (" + vnDate(m.At) + ")"
				}
				cv.Reuse = append(cv.Reuse, portalReuse{Hash: m.Hash, Label: label, Checked: reused[d.Code] == m.Hash})
			}
		}
		pg.Components = append(pg.Components, cv)
	}
	pg.Fee = portalQuote(lang, p, raw)
	// The summary lists every error in page order, each linking to its control.
	if m := errs["authority"]; m != "" {
		pg.Errors = append(pg.Errors, portalErrorLink{"authority", m})
	}
	for _, f := range pg.Form.Fields {
		if f.Error != "" {
			pg.Errors = append(pg.Errors, portalErrorLink{f.Input, f.Error})
		}
	}
	for _, c := range pg.Components {
		if c.Error != "" {
			pg.Errors = append(pg.Errors, portalErrorLink{c.Input, c.Error})
		}
	}
	known := map[string]bool{"authority": true}
	for _, f := range pg.Form.Fields {
		known[f.Name] = true
	}
	for _, c := range pg.Components {
		known[portalDocPrefix+c.Code] = true
	}
	var other []string
	for k, m := range errs {
		if !known[k] && !known[strings.SplitN(k, ".", 2)[0]] {
			other = append(other, m)
		}
	}
	slices.Sort(other)
	pg.FormError = strings.Join(other, " ")
	return pg, nil
}

// portalSubmitForm shows the submission form, prefilled with the signed-in applicant's name
// and personal ID number.
func (s *Server) portalSubmitForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	values := map[string]string{}
	if prof, err := s.app.Applicant(r.Context(), principalOf(r)); err == nil {
		values["nguoi_nop_ho_ten"], values["nguoi_nop_so_dinh_danh"] = prof.Name, prof.PersonalID
	}
	pg, err := s.portalSubmitModel(r, p, values, nil, "", nil, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, "portal_submit", view{Title: fmt.Sprintf(tr(langOf(r), "submit.title"), p.Name), Data: pg, Styles: []string{"portal.css"}})
}

// portalSubmit files the dossier: uploads the chosen files, then app.Submit with their hashes
// and the reused documents. A refused form comes back with what was typed and each error
// next to its field; success goes to the dossier's page.
func (s *Server) portalSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx, lang := r.Context(), langOf(r)
	pr := principalOf(r)
	proc, err := s.app.Procedure(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if err := allow(w, s.limits.submit, "p:"+pr.Subject); err != nil {
		return err
	}
	if proc.OnlineLevel == catalog.OnlineNone {
		return &app.Error{Kind: app.KindInvalid, Code: "not_online", MessageVI: "Thủ tục này chưa được nộp trực tuyến; vui lòng nộp tại Bộ phận Một cửa.", MessageEN: "This procedure cannot be submitted online."}
	}
	if err := portalParseForm(r); err != nil {
		return err
	}
	vals := r.PostForm
	values := formStrings(proc, vals, portalFormPrefix)
	raw, errs := formValuesIn(lang, proc, vals, portalFormPrefix)
	// The schema's messages now, with the page's own, so that every problem shows at once
	// (app.Submit validates again).
	var data map[string]any
	if json.Unmarshal(raw, &data) == nil {
		for _, fe := range proc.ValidateForm(data) {
			if _, ok := errs[fe.Field]; !ok {
				errs[fe.Field] = fe.Message
			}
		}
	}
	authority := strings.TrimSpace(vals.Get("authority"))

	// Documents: earlier uploads, reused ones, then the files of this request.
	uploaded := map[string][]portalUploaded{}
	reused := map[string]string{}
	for _, c := range proc.Documents {
		for _, js := range vals[portalUploadedPrefix+c.Code] {
			var u portalUploaded
			if json.Unmarshal([]byte(js), &u) == nil && u.Hash != "" {
				uploaded[c.Code] = append(uploaded[c.Code], u)
			}
		}
		if h := strings.TrimSpace(vals.Get(portalReusePrefix + c.Code)); h != "" {
			reused[c.Code] = h
		}
	}
	if r.MultipartForm != nil {
		for _, c := range proc.Documents {
			for _, fh := range r.MultipartForm.File[portalDocPrefix+c.Code] {
				if fh.Filename == "" && fh.Size == 0 {
					continue // an empty file input
				}
				st, err := s.portalUpload(r, fh)
				if err != nil {
					var ae *app.Error
					if !errors.As(err, &ae) || ae.Kind == app.KindInternal {
						return err
					}
					errs[portalDocPrefix+c.Code] = fh.Filename + ": " + errMessage(lang, ae)
					continue
				}
				uploaded[c.Code] = append(uploaded[c.Code], st)
			}
		}
	}
	in := app.SubmitInput{Procedure: proc.Code, Channel: string(dossier.ChannelOnline), Authority: authority, Form: raw, PaidOnline: false}
	mine, err := s.app.ApplicantDocuments(ctx, pr)
	if err != nil {
		return err
	}
	count := 0
	for _, c := range proc.Documents {
		have := false
		for _, u := range uploaded[c.Code] {
			in.Documents = append(in.Documents, dossier.Document{Component: c.Code, Name: u.Name, Hash: u.Hash, MediaType: u.MediaType, Size: u.Size, DocType: c.DocType, Digitized: true})
			have = true
		}
		if h := reused[c.Code]; h != "" {
			i := slices.IndexFunc(mine, func(m app.ApplicantDocument) bool { return m.Hash == h && m.DocType == c.DocType && c.DocType != "" })
			if i < 0 {
				errs[portalDocPrefix+c.Code] = tr(lang, "submit.err.reuse")
			} else {
				m := mine[i]
				in.Documents = append(in.Documents, dossier.Document{Component: c.Code, Name: m.Name, Hash: m.Hash, MediaType: m.MediaType, Size: m.Size,
					DocType: c.DocType, Digitized: true, Reused: true, FromVault: true})
				have = true
			}
		}
		if c.Required && !have && errs[portalDocPrefix+c.Code] == "" {
			errs[portalDocPrefix+c.Code] = fmt.Sprintf(tr(lang, "submit.err.missing"), c.Name)
		}
		count += len(uploaded[c.Code])
	}
	if count > portalMaxDocs {
		return &app.Error{Kind: app.KindInvalid, Code: "too_many_documents", MessageVI: fmt.Sprintf("Mỗi hồ sơ đính kèm tối đa %d tệp.", portalMaxDocs), MessageEN: "Too many documents."}
	}
	if proc.Level == catalog.LevelCommune && authority == "" {
		errs["authority"] = tr(lang, "submit.err.commune")
	}
	if len(errs) == 0 {
		key := ""
		if k := strings.TrimSpace(vals.Get("idem")); k != "" && len(k) <= 64 {
			key = "portal:" + k
		}
		v, _, err := s.app.Submit(ctx, pr, in, key)
		if err == nil {
			http.Redirect(w, r, "/ho-so-cua-toi/"+url.PathEscape(portalRef(v.Dossier))+"?tb=da-nop", http.StatusSeeOther)
			return nil
		}
		var ae *app.Error
		if !errors.As(err, &ae) || ae.Kind != app.KindInvalid || len(ae.Fields) == 0 {
			return err
		}
		for k, m := range ae.Fields {
			errs[k] = m
		}
	}
	pg, err := s.portalSubmitModel(r, proc, values, raw, authority, uploaded, reused, errs)
	if err != nil {
		return err
	}
	return s.renderStatusErr(w, r, http.StatusUnprocessableEntity, "portal_submit", view{Title: fmt.Sprintf(tr(lang, "submit.title"), proc.Name), Data: pg, Styles: []string{"portal.css"}})
}

// portalParseForm reads a form POST (multipart with files, or urlencoded); the CSRF check may
// have parsed it already.
func portalParseForm(r *http.Request) error {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(maxUpload)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &app.Error{Kind: app.KindInvalid, Code: "invalid_form", MessageVI: "Dữ liệu gửi lên không hợp lệ.", MessageEN: "Malformed form body.", Err: err}
	}
	return nil
}

// portalUpload stores one uploaded file of a form.
func (s *Server) portalUpload(r *http.Request, fh *multipart.FileHeader) (portalUploaded, error) {
	f, err := fh.Open()
	if err != nil {
		return portalUploaded{}, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	st, err := s.app.UploadFile(r.Context(), principalOf(r), fh.Filename, f)
	if err != nil {
		return portalUploaded{}, err
	}
	return portalUploaded{Hash: st.Hash, Name: st.Name, Size: st.Size, MediaType: st.MediaType}, nil
}

// portalRef is how the portal names a dossier in URLs: its code once received, else its id.
func portalRef(d *dossier.Dossier) string {
	if d.Code != "" {
		return d.Code
	}
	return d.ID
}

// portalUnit returns a unit's full name, or its key when unknown.
func portalUnit(dir *org.Directory, key string) string {
	if dir != nil {
		if u, ok := dir.Unit(key); ok {
			return u.FullName()
		}
	}
	return key
}
