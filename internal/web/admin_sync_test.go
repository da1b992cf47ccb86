package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/integration"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestAdminSyncShowsFailures: a message the national portal (a real HTTP server here) refuses
// appears on the system administrator's sync page with its dossier, attempt count and error,
// and the lag since it was queued.
func TestAdminSyncShowsFailures(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	adminWant(t, "sync page", site.officer("admin").adminPage("/quan-tri/dong-bo"), 200,
		`href="/can-bo/ho-so/`+id+`"`, "<code>submitted</code> #1", "HTTP 422: mã thủ tục không hợp lệ", `<span id="sync-lag">5 phút 0 giây</span>`)
}
