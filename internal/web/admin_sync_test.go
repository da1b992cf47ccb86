package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/integration"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestAdminSyncShowsFailures: a message the national portal (a real HTTP server here) refuses
// appears on the system administrator's sync page with its dossier, attempt count and error,
// and the lag since it was queued.
//
// "Gửi lại ngay" (send again now) makes it due at once: once the portal accepts, the next pass
// delivers it instead of an hour later, the list is empty and the audit log has the retry. A
// unit administrator may not, a message already delivered is 404 and a bad id 400.
func TestAdminSyncShowsFailures(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	var accept atomic.Bool
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if accept.Load() {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		http.Error(w, "mã thủ tục không hợp lệ", http.StatusUnprocessableEntity)
	}))
	defer portal.Close()
	site.Clock.Set(vn(2, 9, 0))
	id := csSubmitOnline(t, site)
	site.Clock.Set(vn(2, 9, 5))
	rep, err := site.App.DeliverNationalSync(context.Background(), &integration.NationalPortal{Endpoint: portal.URL}, 10)
	if err != nil || rep != (app.SyncReport{Claimed: 1, Failed: 1}) {
		t.Fatalf("delivery: %+v %v", rep, err)
	}
	page := site.officer("admin").adminPage("/quan-tri/dong-bo")
	adminWant(t, "sync page", page, 200,
		`href="/can-bo/ho-so/`+id+`"`, "<code>submitted</code> #1", "HTTP 422: mã thủ tục không hợp lệ", `<span id="sync-lag">5 phút 0 giây</span>`, "Gửi lại ngay")
	// The button's form posts to the message's retry address.
	retry := regexp.MustCompile(`action="(/quan-tri/dong-bo/[0-9]+/gui-lai)"`).FindStringSubmatch(string(page.Body))
	if retry == nil {
		t.Fatalf("no retry form on the page:\n%s", page.Body)
	}
	retryPath := retry[1]
	adminWant(t, "retry as unit admin", site.officer("xa-tan-cuong.unit_admin").adminForm(retryPath, nil), 403)
	adminWant(t, "retry bad id", site.officer("admin").adminForm("/quan-tri/dong-bo/abc/gui-lai", nil), 400)

	// The portal accepts now; a pass before the retry delivers nothing (next attempt in an hour).
	accept.Store(true)
	site.Clock.Set(vn(2, 9, 6))
	portalClient := &integration.NationalPortal{Endpoint: portal.URL}
	if rep, err := site.App.DeliverNationalSync(context.Background(), portalClient, 10); err != nil || rep.Claimed != 0 {
		t.Fatalf("delivery before the retry: %+v %v", rep, err)
	}
	r := site.officer("admin").adminForm(retryPath, nil)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/quan-tri/dong-bo?ok=retry" {
		t.Fatalf("retry: %d %s %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	adminWant(t, "notice", site.officer("admin").adminPage("/quan-tri/dong-bo?ok=retry"), 200, "Tin sẽ được gửi lại trong vài giây.")
	if rep, err := site.App.DeliverNationalSync(context.Background(), portalClient, 10); err != nil || rep.Claimed != 1 || rep.Failed != 0 {
		t.Fatalf("delivery after the retry: %+v %v", rep, err)
	}
	adminWant(t, "sync page after", site.officer("admin").adminPage("/quan-tri/dong-bo"), 200, "Không có tin nào bị lỗi.")
	adminWant(t, "retry of a delivered message", site.officer("admin").adminForm(retryPath, nil), 404)
	adminWant(t, "audit", site.officer("admin").adminPage("/quan-tri/nhat-ky?kind=national_sync"), 200, "retry")
}
