package web

import (
	"net/http"
)

type homeData struct {
	Query string
}

// home is the portal's Vietnamese front page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "home", view{Title: "Cổng dịch vụ công", Data: homeData{Query: r.URL.Query().Get("q")}})
}
