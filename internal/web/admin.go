package web

// adminRoutes registers this area's routes (see routes.go).
func (s *Server) adminRoutes() {}
