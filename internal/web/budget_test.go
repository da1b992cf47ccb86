package web_test

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// budgetPage is one page of the performance budget, requested as who.
type budgetPage struct {
	name, path string
	who        func(s *site) *client
}

func budgetPages(t testing.TB, s *site) []budgetPage {
	t.Helper()
	rows, _, err := s.Store.Dossiers(context.Background(), store.DossierFilter{Scope: auth.DossierScope{All: true}, State: []string{"in_progress"}, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("no demo dossier in progress: %v", err)
	}
	code := rows[0].Code
	public := func(s *site) *client { return s.public() }
	desk := func(s *site) *client { return s.officer(rows[0].ReceivingUnit + ".desk") }
	return []budgetPage{
		{"home", "/", public},
		{"catalog", "/thu-tuc?q=khai+sinh", public},
		{"procedure", "/thu-tuc/DT.02", public},
		{"calendar", "/lich-lam-viec", public},
		{"lookup", "/tra-cuu?ma=" + code, public},
		{"statistics", "/thong-ke", public},
		{"signin", "/dang-nhap", public},
		{"console", "/can-bo", desk},
		{"console-dossier", "/can-bo/ho-so/" + code, desk},
		{"dashboard", "/can-bo/chi-so", desk},
		{"my-dossiers", "/ho-so-cua-toi", func(s *site) *client { return s.applicant("vneid-demo-0002") }},
		{"submit", "/nop-ho-so/HKD.01", func(s *site) *client { return s.applicant("vneid-demo-0002") }},
	}
}

var assetRef = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// TestPageWeight: no page weighs more than 200 KB on first load (the HTML and the stylesheets
// and scripts it links; fonts and images aside), on the demo data.
func TestPageWeight(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	s.Clock.Set(vn(26, 9, 0))
	if _, err := s.App.SeedDemoDossiers(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for _, pg := range budgetPages(t, s) {
		c := pg.who(s)
		r := c.do("GET", pg.path, nil, map[string]string{"Accept": "text/html"})
		if r.Status != http.StatusOK {
			t.Errorf("%s: %d", pg.name, r.Status)
			continue
		}
		total := len(r.Body)
		for _, m := range assetRef.FindAllSubmatch(r.Body, -1) {
			a := c.get(string(m[1]))
			if a.Status != 200 {
				t.Errorf("%s: asset %s: %d", pg.name, m[1], a.Status)
			}
			total += len(a.Body)
		}
		t.Logf("%-16s %6.1f KB", pg.name, float64(total)/1024)
		if total > 200<<10 {
			t.Errorf("%s weighs %d bytes on first load, over the 200 KB budget", pg.name, total)
		}
	}
}

// BenchmarkPages measures the server time of each page on the demo data and reports its p95
// (go test -run '^$' -bench Pages ./internal/web/). Budget: p95 under 50 ms.
func BenchmarkPages(b *testing.B) {
	s := newSite(b, storetest.Open(b, store.SQLite))
	s.Clock.Set(vn(26, 9, 0))
	if _, err := s.App.SeedDemoDossiers(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	now := vn(26, 9, 0)
	for _, pg := range budgetPages(b, s) {
		c := pg.who(s)
		b.Run(pg.name, func(b *testing.B) {
			var d []time.Duration
			for b.Loop() {
				now = now.Add(time.Second) // the public look-up's rate limit refills
				s.Clock.Set(now)
				start := time.Now()
				r := c.do("GET", pg.path, nil, map[string]string{"Accept": "text/html"})
				d = append(d, time.Since(start))
				if r.Status != 200 {
					b.Fatalf("%s: %d", pg.name, r.Status)
				}
			}
			sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
			b.ReportMetric(float64(d[len(d)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
