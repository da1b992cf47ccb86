package web_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// csUnread reads the unread count on the console home's notices link (0 when none shows).
func csUnread(t *testing.T, c *client) int {
	t.Helper()
	r := c.csHTML("/can-bo")
	if r.Status != 200 {
		t.Fatalf("console home: %d", r.Status)
	}
	m := regexp.MustCompile(`href="/can-bo/thong-bao">[^<]*(?: <strong class="count"[^>]*>(\d+)</strong>)?</a>`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no notices link on the console home: %.300s", r.Body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestConsoleNotices: the deadline jobs' notices reach the officers of the unit concerned, in
// the console, through the real router: the desk of the commune where an online dossier
// waits sees "new online dossier", then the acceptance warning; the count of unread notices
// on the console home drops to zero once the notices page was opened; another commune's desk
// sees nothing; an applicant cannot open the page. On both engines.
func TestConsoleNotices(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		site := newSite(t, s)
		site.Clock.Set(vn(2, 9, 0))
		id := csSubmitOnline(t, site)
		desk, elsewhere := site.officer("xa-tan-cuong.desk"), site.officer("xa-dai-phuc.desk")
		if n := csUnread(t, desk); n != 0 {
			t.Fatalf("unread before any job ran: %d", n)
		}
		site.Clock.Set(vn(2, 9, 1))
		if _, err := site.App.RunJobs(ctx, 100); err != nil {
			t.Fatal(err)
		}
		if n := csUnread(t, desk); n != 1 {
			t.Fatalf("unread after the new-dossier job: %d, want 1", n)
		}
		page := desk.csHTML("/can-bo/thong-bao")
		if page.Status != 200 || !strings.Contains(page.Body, "Có hồ sơ trực tuyến mới cần kiểm tra, tiếp nhận") ||
			!strings.Contains(page.Body, `href="/can-bo/ho-so/`+id+`"`) || !strings.Contains(page.Body, ">Mới</span>") {
			t.Fatalf("notices page: %d %.600s", page.Status, page.Body)
		}
		if again := desk.csHTML("/can-bo/thong-bao"); strings.Contains(again.Body, ">Mới</span>") || !strings.Contains(again.Body, id) {
			t.Errorf("the notice is still new (or gone) after the page was opened: %.600s", again.Body)
		}
		if n := csUnread(t, desk); n != 0 {
			t.Errorf("unread after opening the page: %d", n)
		}
		if other := elsewhere.csHTML("/can-bo/thong-bao"); other.Status != 200 || !strings.Contains(other.Body, "Chưa có thông báo nào.") {
			t.Errorf("another commune's desk: %d %.400s", other.Status, other.Body)
		}

		// The next day the 8 working hours to accept are almost over.
		site.Clock.Set(vn(4, 9, 0))
		if _, err := site.App.RunJobs(ctx, 100); err != nil {
			t.Fatal(err)
		}
		if n := csUnread(t, desk); n != 1 {
			t.Fatalf("unread after the acceptance warning: %d, want 1", n)
		}
		r := desk.csHTML("/can-bo/thong-bao")
		if !strings.Contains(r.Body, "Sắp hết thời hạn 8 giờ làm việc") {
			t.Errorf("acceptance warning missing: %.600s", r.Body)
		}
		// The job ran a day late: its deadline had passed when the notice was written.
		if !strings.Contains(r.Body, `<span class="badge bad">đã qua</span>`) {
			t.Errorf("a warning written after its deadline is not marked as passed: %.800s", r.Body)
		}
		if r := site.applicant("vneid-demo-0001").csHTML("/can-bo/thong-bao"); r.Status == 200 {
			t.Errorf("an applicant opened the notices page")
		}
	})
}
