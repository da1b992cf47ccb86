package web

// portalRoutes registers this area's routes (see routes.go).
func (s *Server) portalRoutes() {}
