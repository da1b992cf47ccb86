package web

// kioskRoutes registers this area's routes (see routes.go).
func (s *Server) kioskRoutes() {}
