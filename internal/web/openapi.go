package web

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes the JSON API (OpenAPI 3.1). A test checks it against the routing table
// in both directions, so the two cannot drift apart.
//
//go:embed openapi/openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIDoc)
	return err
}
