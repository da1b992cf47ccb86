package web

// consoleRoutes registers this area's routes (see routes.go).
func (s *Server) consoleRoutes() {}
