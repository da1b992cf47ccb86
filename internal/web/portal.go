package web

import (
	"net/http"
)

type homeData struct {
	Query string
}

// home is the portal's Vietnamese front page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "home", view{Title: tr(langOf(r), "home.title"), Data: homeData{Query: r.URL.Query().Get("q")}})
}
