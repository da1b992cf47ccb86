package web

import (
	"io"
	"net/http"
	"net/url"

	"github.com/motcua/motcua/internal/auth"
)

// serveDocument sends one of a dossier's documents to whoever may see the dossier's personal
// data (app.OpenDocument authorizes and logs officers' reads): inline, with the type sniffed
// when it was stored, nosniff, never cached.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, code, hash, screen string) error {
	rc, doc, err := s.app.OpenDocument(r.Context(), principalOf(r), code, hash, screen)
	if err != nil {
		return err
	}
	defer rc.Close()
	mt := doc.MediaType
	if mt == "" {
		// Documents named at submission may not repeat their type: the file's row has the
		// type sniffed when it was stored.
		if f, err := s.app.Store().File(r.Context(), hash); err == nil {
			mt = f.MediaType
		}
	}
	if mt == "" {
		mt = "application/octet-stream"
	}
	w.Header().Set("Content-Type", mt)
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(doc.Name))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = io.Copy(w, rc)
	return err
}

// portalDocument is the applicant's view of one of their documents.
func (s *Server) portalDocument(w http.ResponseWriter, r *http.Request) error {
	code, hash := r.PathValue("code"), r.URL.Query().Get("h")
	if hash == "" {
		if err := s.app.AuthorizeDossier(r.Context(), principalOf(r), code, auth.ActionView); err != nil {
			return err
		}
		http.Redirect(w, r, "/ho-so-cua-toi/"+url.PathEscape(code)+"#sec-tai-lieu", http.StatusSeeOther)
		return nil
	}
	return s.serveDocument(w, r, code, hash, "portal:/ho-so-cua-toi/tai-lieu")
}
