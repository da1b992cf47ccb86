package web_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestAuthorizationMatrix requests every route of the router as every kind of principal, on
// a dossier in and out of the principal's scope: nothing answers 5xx, anonymous requests to
// protected routes are refused, and an out-of-scope dossier is 404 (never 403), so codes of
// other units' dossiers cannot be probed. Routes come from the router's own table, so a new
// route is covered (and must declare its access) without touching this test.
func TestAuthorizationMatrix(t *testing.T) {
	site := newSite(t, storetest.Open(t, store.SQLite))
	at := site.Clock.Set
	at(vn(2, 9, 0))
	owner := site.applicant("vneid-demo-0001")
	up := owner.upload("/api/v1/files", "giay-de-nghi.pdf", pdfBytes("GDN"), nil)
	if up.Status != 201 {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	r := owner.post("/api/v1/dossiers", map[string]any{"procedure": "HKD.01", "channel": "online", "authority": "xa-tan-cuong",
		"documents": []map[string]any{{"component": "GDN", "name": "giay-de-nghi.pdf", "hash": str(up.json(t), "hash"), "digitized": true}}, "form": map[string]any{
			"nguoi_nop_ho_ten": "Nguyễn Văn An", "nguoi_nop_so_dinh_danh": anID, "nguoi_nop_dien_thoai": anPhone,
			"ten_ho_kinh_doanh": "Hộ kinh doanh Chè An", "dia_diem_kinh_doanh": "Xóm 1, xã Tân Cương", "nganh_nghe": "Chế biến chè", "von_kinh_doanh": 50000000,
		}}, nil)
	if r.Status != 201 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	id := str(r.json(t), "id")
	site.officer("xa-tan-cuong.desk").act(t, id, "receive", nil, 200)
	code := str(site.officer("xa-tan-cuong.desk").get("/api/v1/dossiers/"+id).json(t), "code")

	type who struct {
		name    string
		c       *client
		inScope bool // may see the dossier
		kind    string
	}
	principals := []who{
		{"public", site.public(), false, "public"},
		{"owner applicant", owner, true, "applicant"},
		{"other applicant", site.applicant("vneid-demo-0002"), false, "applicant"},
		{"desk of the commune", site.officer("xa-tan-cuong.desk"), true, "officer"},
		{"desk elsewhere", site.officer("xa-dai-phuc.desk"), false, "officer"},
		{"specialist of the commune", site.officer("xa-tan-cuong.specialist"), true, "officer"},
		{"specialist elsewhere", site.officer("so-tu-phap.specialist"), false, "officer"},
		{"leader of the commune", site.officer("xa-tan-cuong.leader"), true, "officer"},
		{"leader elsewhere", site.officer("xa-dai-phuc.leader"), false, "officer"},
		{"unit admin of the commune", site.officer("xa-tan-cuong.unit_admin"), false, "officer"},
		{"system administrator", site.officer("admin"), false, "officer"},
		{"inspector", site.officer("inspector"), true, "inspector"},
	}
	fill := map[string]string{"{code}": code, "{action}": "rate", "{form}": "receipt.pdf", "{file}": "nothing.css"}
	procedureRoute := func(p string) bool {
		return strings.HasPrefix(p, "/thu-tuc/") || strings.HasPrefix(p, "/api/v1/procedures/")
	}
	routes := site.srv.Routes()
	// Sign-out routes end the principals' sessions: request them last.
	sort.SliceStable(routes, func(i, j int) bool {
		return !strings.HasPrefix(routes[i].Pattern, "/dang-xuat") && strings.HasPrefix(routes[j].Pattern, "/dang-xuat")
	})
	if len(routes) < 20 {
		t.Fatalf("only %d routes in the table", len(routes))
	}
	for _, rt := range routes {
		if rt.Access.String() == "none" {
			t.Errorf("%s %s declares no access policy", rt.Method, rt.Pattern)
			continue
		}
		path := strings.TrimSuffix(rt.Pattern, "{$}")
		for k, v := range fill {
			if procedureRoute(rt.Pattern) && k == "{code}" {
				v = "HKD.01"
			}
			if strings.HasPrefix(rt.Pattern, "/api/v1/lookup/") && k == "{code}" {
				v = code
			}
			path = strings.ReplaceAll(path, k, v)
		}
		for _, p := range principals {
			t.Run(fmt.Sprintf("%s %s as %s", rt.Method, rt.Pattern, p.name), func(t *testing.T) {
				var res response
				if rt.Method == "GET" {
					res = p.c.get(path)
				} else {
					res = p.c.post(path, "{}", nil)
				}
				if res.Status >= 500 {
					t.Fatalf("status %d: %s", res.Status, res.Body)
				}
				public := rt.Access.String() == "public"
				switch {
				case p.kind == "public" && !public:
					// Anonymous: 401, or 403 when the CSRF check refuses a POST first.
					if res.Status != http.StatusUnauthorized && !(rt.Method == "POST" && res.Status == http.StatusForbidden) {
						t.Fatalf("anonymous request: status %d, want 401: %.200s", res.Status, res.Body)
					}
				case rt.Access.String() == "inspector" && p.kind != "inspector" && p.kind != "public":
					if res.Status != http.StatusForbidden {
						t.Fatalf("non-inspector: status %d, want 403", res.Status)
					}
				case rt.Dossier && !p.inScope && p.kind != "public":
					if res.Status != http.StatusNotFound {
						t.Fatalf("out-of-scope dossier: status %d, want 404: %.200s", res.Status, res.Body)
					}
				case rt.Dossier && p.inScope && rt.Method == "GET":
					if res.Status != http.StatusOK {
						t.Fatalf("in-scope dossier: status %d, want 200: %.200s", res.Status, res.Body)
					}
				case rt.Dossier && p.inScope:
					// In scope: the action is refused for a reason other than scope.
					if res.Status == http.StatusNotFound || res.Status == http.StatusUnauthorized {
						t.Fatalf("in-scope dossier: status %d: %.200s", res.Status, res.Body)
					}
				}
			})
		}
	}

	at(vn(2, 9, 5))                           // the sign-in rate limit refills
	owner = site.applicant("vneid-demo-0001") // signed out by the sign-out routes above
	principals[1].c, principals[2].c = owner, site.applicant("vneid-demo-0002")

	// The single-dossier view as each principal, spelled out.
	want := map[string]int{
		"public": 401, "owner applicant": 200, "other applicant": 404, "desk of the commune": 200, "desk elsewhere": 404,
		"specialist of the commune": 200, "specialist elsewhere": 404, "leader of the commune": 200, "leader elsewhere": 404,
		"unit admin of the commune": 404, "system administrator": 404, "inspector": 200,
	}
	for _, p := range principals {
		for _, ref := range []string{id, code} {
			if got := p.c.get("/api/v1/dossiers/" + ref).Status; got != want[p.name] {
				t.Errorf("GET dossier %s as %s: %d, want %d", ref, p.name, got, want[p.name])
			}
		}
		// Lists show exactly what the single view shows.
		lr := p.c.get("/api/v1/dossiers")
		if p.name == "public" {
			continue
		}
		listed := strings.Contains(string(lr.Body), id)
		if listed != (want[p.name] == 200) {
			t.Errorf("list as %s: listed=%v, single view %d", p.name, listed, want[p.name])
		}
	}
	// The public look-up and lookup page never carry personal data.
	for _, path := range []string{"/api/v1/lookup/" + code, "/tra-cuu?ma=" + code} {
		body := string(site.public().get(path).Body)
		for _, secret := range []string{anID, anPhone, "Nguyễn Văn An", "Xóm 1"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s shows %q", path, secret)
			}
		}
	}
}
