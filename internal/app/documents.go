package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/files"
	"github.com/motcua/motcua/internal/store"
)

// fileError maps the file store's refusals (too large, disguised, not allowed) to 4xx.
func fileError(err error) error {
	var fe *files.Error
	if errors.As(err, &fe) {
		kind := KindInvalid
		if fe.Code == files.CodeTooLarge {
			kind = KindTooLarge
		}
		return &Error{Kind: kind, Code: "file_" + fe.Code, MessageVI: fe.MessageVI, MessageEN: fe.MessageEN, Fields: map[string]string{"file": fe.MessageVI}, Err: err}
	}
	return err
}

// UploadFile stores a document before submission (the portal uploads while the applicant
// fills in the form) and returns its content hash and type. Signed-in users only.
func (a *App) UploadFile(ctx context.Context, p auth.Principal, name string, r io.Reader) (files.Stored, error) {
	if p.Kind == auth.KindPublic {
		return files.Stored{}, errSignInRequired
	}
	st, err := files.Save(ctx, a.dz.files, name, r, a.dz.limits)
	if err != nil {
		return files.Stored{}, fileError(err)
	}
	if err := a.store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.PutFile(ctx, st.Hash, st.Size, st.MediaType, a.now()); err != nil {
			return err
		}
		return tx.PutUpload(ctx, st.Hash, uploaderKey(p), a.now())
	}); err != nil {
		return files.Stored{}, err
	}
	return st, nil
}

// uploaderKey names a principal in the record of who uploaded which file.
func uploaderKey(p auth.Principal) string { return string(p.Kind) + ":" + p.Subject }

// errNotUploaded refuses a document that refers by hash to a file the caller did not upload.
var errNotUploaded = invalidField("documents", "Tệp đính kèm không tồn tại hoặc không do tài khoản này tải lên; vui lòng tải tệp lên lại.",
	"A document refers to a file this account did not upload; upload the file again.")

// checkFileRefs refuses document references (content hashes) that p may not use: each must be
// a file p uploaded, unless the dossier d (nil for a new one) already holds it. Knowing a hash
// must not be enough to put somebody else's file into one's own dossier and then read it there.
// A file p uploaded must also still be in the file store.
func (a *App) checkFileRefs(ctx context.Context, p auth.Principal, d *dossier.Dossier, hashes []string) error {
	for _, h := range hashes {
		if h == "" || d != nil && dossierHolds(d, h) {
			continue
		}
		ok, err := a.store.UploadedBy(ctx, uploaderKey(p), h)
		if err == nil && ok {
			ok, err = a.dz.files.Exists(ctx, h)
		}
		if err != nil {
			return err
		}
		if !ok {
			return errNotUploaded
		}
	}
	return nil
}

// dossierHolds reports whether a document or result of d has the content hash h.
func dossierHolds(d *dossier.Dossier, h string) bool {
	return slices.ContainsFunc(d.Documents, func(x dossier.Document) bool { return x.Hash == h }) ||
		slices.ContainsFunc(d.Results, func(x dossier.ResultDocument) bool { return x.Hash == h })
}

// commandFileRefs returns the content hashes a command refers to.
func commandFileRefs(cmd dossier.Command) []string {
	var out []string
	switch c := cmd.(type) {
	case dossier.Supplement:
		for _, x := range c.Documents {
			out = append(out, x.Hash)
		}
	case dossier.IssueResult:
		for _, x := range c.Documents {
			out = append(out, x.Hash)
		}
	case dossier.AttachDocument:
		out = append(out, c.Document.Hash)
	}
	return out
}

// AttachDocument uploads one document to an existing dossier (POST .../documents): the file
// is checked and stored by content hash, then the "document_attached" event is recorded.
func (a *App) AttachDocument(ctx context.Context, p auth.Principal, ref, component, name string, r io.Reader) (View, error) {
	if p.Kind == auth.KindPublic {
		return View{}, errSignInRequired
	}
	row, d, err := a.visible(ctx, p, ref)
	if err != nil {
		return View{}, err
	}
	if err := auth.Authorize(p, auth.ActionUpload, resourceOf(row, d)); err != nil {
		return View{}, authzError(err)
	}
	component = strings.TrimSpace(component)
	if component == "" {
		return View{}, invalidField("component", "Chưa chọn thành phần hồ sơ.", "component is required.")
	}
	known := false
	for _, c := range d.Spec.Components {
		known = known || c.Code == component
	}
	if !known {
		return View{}, invalidField("component", "Thủ tục không có thành phần hồ sơ mã "+component+".", "The procedure has no document component "+component+".")
	}
	if !dossier.Allowed(d.State, "attach-document") {
		return View{}, &Error{Kind: KindConflict, Code: dossier.CodeIllegalState, MessageVI: "Không thể bổ sung tài liệu khi hồ sơ đang ở trạng thái " + dossier.StateNameVI(d.State) + ".", MessageEN: "Documents cannot be attached in state " + string(d.State) + "."}
	}
	st, err := files.Save(ctx, a.dz.files, name, r, a.dz.limits)
	if err != nil {
		return View{}, fileError(err)
	}
	doc := dossier.Document{Component: component, Name: st.Name, Hash: st.Hash, MediaType: st.MediaType, Size: st.Size, Digitized: true}
	for _, c := range d.Spec.Components {
		if c.Code == component {
			doc.DocType = c.DocType
		}
	}
	env, err := a.commandEnv(ctx, p, "attach-document", d)
	if err != nil {
		return View{}, err
	}
	var out *dossier.Dossier
	defer a.dz.hot.drop(row.ID)
	err = a.store.InTx(ctx, func(tx *store.Tx) error {
		row, err := tx.DossierForUpdate(ctx, row.ID)
		if err != nil {
			return err
		}
		before, err := loadRow(row)
		if err != nil {
			return err
		}
		evs, err := dossier.Decide(before, dossier.AttachDocument{Document: doc}, dossier.Context{Now: a.now(), Clock: env.cal, Actor: env.actor})
		if err != nil {
			return commandError(err)
		}
		if err := tx.PutFile(ctx, st.Hash, st.Size, st.MediaType, a.now()); err != nil {
			return err
		}
		if err := tx.PutUpload(ctx, st.Hash, uploaderKey(p), a.now()); err != nil {
			return err
		}
		after := before.Clone()
		for _, e := range evs {
			dossier.Apply(after, e)
		}
		if err := a.persist(ctx, tx, row, before, after, evs, env); err != nil {
			return err
		}
		out = after
		return nil
	})
	if err != nil {
		if errors.Is(err, store.ErrStale) {
			return View{}, errStale
		}
		return View{}, fmt.Errorf("attach document: %w", err)
	}
	return View{Dossier: out}, nil
}

// OpenDocument returns a dossier document's content for p (same visibility as personal data;
// officers' reads are logged).
func (a *App) OpenDocument(ctx context.Context, p auth.Principal, ref, hash, screen string) (io.ReadCloser, dossier.Document, error) {
	v, err := a.Dossier(ctx, p, ref, screen)
	if err != nil {
		return nil, dossier.Document{}, err
	}
	if !v.Personal {
		return nil, dossier.Document{}, errDossierNotFound
	}
	for _, doc := range v.Documents {
		if doc.Hash == hash {
			rc, err := a.dz.files.Open(ctx, hash)
			if err != nil {
				return nil, dossier.Document{}, fmt.Errorf("open document: %w", err)
			}
			return rc, doc, nil
		}
	}
	return nil, dossier.Document{}, &Error{Kind: KindNotFound, Code: "document_not_found", MessageVI: "Không tìm thấy tài liệu.", MessageEN: "Document not found."}
}

// AuthorizeDossier tells, before a handler reads a large body, whether p may perform action
// on the dossier: out of scope is "not found", in scope but not allowed "forbidden".
func (a *App) AuthorizeDossier(ctx context.Context, p auth.Principal, ref string, action auth.Action) error {
	if p.Kind == auth.KindPublic {
		return errSignInRequired
	}
	row, d, err := a.visible(ctx, p, ref)
	if err != nil {
		return err
	}
	if err := auth.Authorize(p, action, resourceOf(row, d)); err != nil {
		return authzError(err)
	}
	return nil
}
