package web

// indexRoutes registers this area's routes (see routes.go).
func (s *Server) indexRoutes() {}
