package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
)

//go:embed templates/*.html templates/partials/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds every parsed page template and the content-hashed static file names.
type pages struct {
	tmpl   map[string]*template.Template
	assets map[string]string // logical name -> hashed name
	files  map[string][]byte // hashed name -> content
}

// pageNames lists every page template; parsePages fails when one is missing or a template file
// exists without being declared here, so a typo cannot reach production.
var pageNames = []string{"home", "error", "catalog", "procedure", "calendar", "signin", "lookup"}

// registerPages declares more page templates (templates/NAME.html); each area of the site
// (portal, console, kiosk, administration, index) registers its own in an init function.
func registerPages(names ...string) { pageNames = append(pageNames, names...) }

func parsePages() (*pages, error) {
	p := &pages{tmpl: map[string]*template.Template{}, assets: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(staticFS, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		base := path.Base(name)
		ext := path.Ext(base)
		hashed := strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		p.assets[base] = hashed
		p.files[hashed] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	funcs := template.FuncMap{
		"vndate": vnDate,
		"t":      tmplT,
		"asset": func(name string) (string, error) {
			h, ok := p.assets[name]
			if !ok {
				return "", fmt.Errorf("unknown asset %q", name)
			}
			return "/static/" + h, nil
		},
	}
	declared := map[string]bool{}
	for _, name := range pageNames {
		declared[name+".html"] = true
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		p.tmpl[name] = t
	}
	entries, _ := fs.ReadDir(templateFS, "templates")
	for _, e := range entries {
		if e.IsDir() {
			continue // partials: parsed into every page
		}
		if e.Name() != "layout.html" && !declared[e.Name()] {
			return nil, fmt.Errorf("template %s is not declared in pageNames", e.Name())
		}
	}
	return p, nil
}

// view is what every page template receives.
type view struct {
	Title    string
	Province string
	Lang     string // "vi" or "en", from the request (see chooseLang)
	Data     any
	// Filled in by render from the request: who is signed in and the form token.
	User    string // display name of the signed-in person ("" when nobody)
	Officer bool   // an officer is signed in (the console link shows)
	CSRF    string // the csrf_token field of every POST form
	// Switch is the header link showing the same page in the other language.
	Switch langSwitch
	// Styles are extra stylesheets of the page's area (e.g. "console.css"), after app.css.
	Styles []string
}

// render executes a page into a buffer first, so a template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, v view) error {
	return s.renderStatusErr(w, r, http.StatusOK, name, v)
}

func (s *Server) renderStatusErr(w http.ResponseWriter, r *http.Request, status int, name string, v view) error {
	t, ok := s.pages.tmpl[name]
	if !ok {
		return fmt.Errorf("render: unknown page %q", name)
	}
	v.Lang = s.chooseLang(w, r)
	v.Switch = s.switchTo(r, v.Lang)
	if v.Province == "" {
		v.Province = s.app.ProvinceName(r.Context())
	}
	if p := principalOf(r); p.Kind != auth.KindPublic {
		v.User, v.Officer = p.Subject, p.Kind == auth.KindOfficer
		if p.Kind == auth.KindApplicant {
			v.User = tr(v.Lang, "nav.account")
		}
	}
	v.CSRF = s.csrfToken(r)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.Lang)
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

type errorPage struct {
	Title, Message, MessageEN, RequestID string
	Status                               int
}

// renderStatus renders the error page; if even that fails it falls back to plain text.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, data errorPage) {
	if err := s.renderStatusErr(w, r, status, name, view{Title: data.Title, Data: data}); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, data.Message, status)
	}
}

// static serves embedded files by their content-hashed names, cached for a year.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	b, ok := s.pages.files[name]
	if !ok {
		return errNotFound
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err := w.Write(b)
	return err
}

// vnDate formats an instant in Vietnam's time as forms print it: "15:30 ngày 26/11/2026".
func vnDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.VN).Format("15:04 ngày 02/01/2006")
}
