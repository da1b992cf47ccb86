package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/app"
)

var errNotFound = app.Errorf(app.KindNotFound, "not_found", "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.", "The page or data you asked for does not exist.")

// healthz answers while the process is alive; it checks nothing else.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.opt.Version})
	return nil
}

// readyz answers 200 only when the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.Ready(r.Context()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "database": string(s.app.Store().Engine())})
	return nil
}
