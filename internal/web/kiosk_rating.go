package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/org"
)

// ratingChoice is one button of the rating screen.
type ratingChoice struct {
	Score int
	Label string
	Tone  string // css class
}

// ratingChoices are the five scores, best first, with the national portal's wording.
var ratingChoices = []ratingChoice{
	{5, "Rất hài lòng", "r5"},
	{4, "Hài lòng", "r4"},
	{3, "Bình thường", "r3"},
	{2, "Chưa hài lòng", "r2"},
	{1, "Không hài lòng", "r1"},
}

// ratingChoicesIn are ratingChoices in lang (the English labels are the portal's, scoreLabel).
func ratingChoicesIn(lang string) []ratingChoice {
	if lang != langEN {
		return ratingChoices
	}
	out := make([]ratingChoice, len(ratingChoices))
	for i, c := range ratingChoices {
		c.Label = scoreLabel(lang, c.Score)
		out[i] = c
	}
	return out
}

// ratingPage is the data of the rating touch screen: the list of dossiers returned at the desk
// in the last hour, the five buttons for the one chosen, or the thanks.
type ratingPage struct {
	Desk     org.Desk
	List     []app.KioskDossier
	Chosen   *app.KioskDossier
	Choices  []ratingChoice
	Comment  string
	Thanks   bool
	Error    string // the page's message (a refused rating)
	ScoreErr string // next to the buttons
}

func (k *kiosk) renderRating(w http.ResponseWriter, r *http.Request, status int, page ratingPage) error {
	noStore(w)
	lang := langOf(r)
	page.Choices = ratingChoicesIn(lang)
	return k.s.renderStatusErr(w, r, status, "kiosk_rating", view{Title: tr(lang, "kiosk.rating.title") + " — " + page.Desk.Name, Data: page, Styles: []string{"kiosk.css"}})
}

// ratingList fills the list of dossiers to rate.
func (k *kiosk) ratingList(r *http.Request, page *ratingPage) error {
	list, err := k.s.app.ReturnedAtKiosk(r.Context(), page.Desk.Key)
	page.List = list
	return err
}

func (k *kiosk) ratingScreen(w http.ResponseWriter, r *http.Request) error {
	d, err := k.s.app.KioskDesk(r.Context(), r.PathValue("desk"))
	if err != nil {
		return err
	}
	r, err = k.s.ensureSession(w, r)
	if err != nil {
		return err
	}
	page := ratingPage{Desk: d}
	q := r.URL.Query()
	switch {
	case q.Get("cam-on") != "":
		page.Thanks = true
	case q.Get("ho-so") != "":
		kd, err := k.s.app.KioskDossierAt(r.Context(), d.Key, q.Get("ho-so"))
		if err != nil {
			return err
		}
		page.Chosen = &kd
	default:
		if err := k.ratingList(r, &page); err != nil {
			return err
		}
	}
	return k.renderRating(w, r, http.StatusOK, page)
}

func (k *kiosk) rate(w http.ResponseWriter, r *http.Request) error {
	d, err := k.s.app.KioskDesk(r.Context(), r.PathValue("desk"))
	if err != nil {
		return err
	}
	if err := allow(w, k.limit, "rate:"+k.s.clientIP(r)); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	code := strings.TrimSpace(r.PostFormValue("ho-so"))
	comment := r.PostFormValue("y-kien")
	score, convErr := strconv.Atoi(r.PostFormValue("diem"))
	if convErr != nil {
		score = 0
	}
	_, err = k.s.app.RateAtKiosk(r.Context(), d.Key, code, score, comment)
	if err == nil {
		http.Redirect(w, r, "/quay/"+url.PathEscape(d.Key)+"/danh-gia?cam-on=1", http.StatusSeeOther)
		return nil
	}
	var ae *app.Error
	if !errors.As(err, &ae) || !wantsHTML(r) {
		return err
	}
	sf := classify(err)
	page := ratingPage{Desk: d, Comment: comment}
	if ae.Kind == app.KindInvalid {
		// A bad score: the same dossier again, the message next to the buttons.
		kd, kerr := k.s.app.KioskDossierAt(r.Context(), d.Key, code)
		if kerr != nil {
			return kerr
		}
		page.Chosen, page.ScoreErr = &kd, kioskMessage(langOf(r), sf)
		return k.renderRating(w, r, http.StatusUnprocessableEntity, page)
	}
	if ae.Kind != app.KindConflict && ae.Kind != app.KindNotFound {
		return err
	}
	// Already rated, or not a dossier of this desk: back to the list, with the reason.
	page.Error = kioskMessage(langOf(r), sf)
	if lerr := k.ratingList(r, &page); lerr != nil {
		return lerr
	}
	return k.renderRating(w, r, sf.Status, page)
}
