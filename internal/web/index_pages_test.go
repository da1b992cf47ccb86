package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// indexSite is a site with the demo dossiers, on 26 November 2026.
func indexSite(t *testing.T) *site {
	t.Helper()
	site := newSite(t, storetest.Open(t, store.SQLite))
	site.Clock.Set(vn(26, 9, 0))
	if _, err := site.App.SeedDemoDossiers(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return site
}

// ixPage requests path as a browser would (HTML errors).
func (c *client) ixPage(path string) response {
	return c.do("GET", path, nil, map[string]string{"Accept": "text/html"})
}

// ixDecimal is how the pages print a figure (decimal comma, at most 2 decimals).
func ixDecimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return strings.Replace(s, ".", ",", 1)
}

const novemberQuery = "kind=month&year=2026&month=11"

func TestIndexDashboard(t *testing.T) {
	site := indexSite(t)
	ctx := context.Background()
	period, _ := index.Month(2026, time.November)
	rep, err := site.App.Index(ctx, app.Public, "xa-tan-cuong", period)
	if err != nil {
		t.Fatal(err)
	}
	leader := site.officer("xa-tan-cuong.leader")
	r := leader.ixPage("/can-bo/chi-so?unit=xa-tan-cuong&" + novemberQuery)
	if r.Status != 200 {
		t.Fatalf("dashboard: %d %s", r.Status, r.Body)
	}
	body := string(r.Body)
	for _, want := range []string{
		"<strong>" + ixDecimal(rep.Total) + "</strong> / " + ixDecimal(rep.MaxTotal), // the total, as the API computes it
		"Tháng 11/2026", "Tỷ lệ hồ sơ giải quyết đúng hạn",
		"Số hồ sơ đang giải quyết trong hạn) / (Số hồ sơ kỳ trước chuyển sang", // formula in Vietnamese
		`<svg class="chart" role="img"`, "<title id=", "<desc id=", // accessible charts
		"Bảng số liệu theo tháng", "Xếp hạng các đơn vị", "Xã Đại Phúc", "Sở Tư pháp",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	// The 2.1 drill-down links lead to the dossiers behind the figure.
	on, _ := ixIndicator(rep, "2.1")
	link := regexp.MustCompile(`href="(/can-bo/chi-so/ho-so\?[^"]*indicator=2.1[^"]*part=mau-so[^"]*)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatal("no drill-down link for the 2.1 denominator")
	}
	d := leader.ixPage(html.UnescapeString(link[1]))
	if d.Status != 200 {
		t.Fatalf("drill-down: %d %s", d.Status, d.Body)
	}
	if n := strings.Count(string(d.Body), `href="/can-bo/ho-so/`); int64(n) != on.Denominator || n == 0 {
		t.Errorf("drill-down lists %d dossiers, the 2.1 denominator is %d", n, on.Denominator)
	}
	// Another commune's leader may see the dashboard (aggregates) but not the dossiers.
	other := site.officer("xa-dai-phuc.leader")
	if got := other.ixPage("/can-bo/chi-so?unit=xa-tan-cuong&" + novemberQuery).Status; got != 200 {
		t.Errorf("dashboard as another leader: %d", got)
	}
	if got := other.ixPage(html.UnescapeString(link[1])).Status; got != 404 {
		t.Errorf("drill-down out of scope: %d, want 404", got)
	}
	// Every period kind renders; a wrong one is shown again with the message next to its field.
	for _, q := range []string{"kind=quarter&year=2026&quarter=4", "kind=6months&year=2026&half=2", "kind=9months&year=2026", "kind=year&year=2026",
		"kind=custom&from=2026-11-01&to=2026-11-26", "from=2026-10-01&to=2026-11-26", ""} {
		if got := leader.ixPage("/can-bo/chi-so?" + q).Status; got != 200 {
			t.Errorf("period %q: %d", q, got)
		}
	}
	for _, tc := range []struct{ q, field, msg string }{
		{"kind=month&year=2026&month=13", "month", "Tháng phải từ 1 đến 12."},
		{"kind=year&year=19x6", "year", "Năm phải từ 2000 đến 2199."},
		{"kind=custom&from=2026-02-30&to=2026-03-01", "from", "Nhập ngày có thật"},
		{"kind=custom&from=2026-03-01&to=2026-02-01", "to", "Ngày kết thúc phải không trước ngày bắt đầu"},
		{"kind=week", "kind", "Chọn loại kỳ"},
	} {
		r := leader.ixPage("/can-bo/chi-so?" + tc.q)
		b := string(r.Body)
		if r.Status != 422 || !strings.Contains(b, `aria-describedby="`+tc.field+`-error"`) || !strings.Contains(b, html.EscapeString(tc.msg)) {
			t.Errorf("%s: status %d, message or aria-describedby for %s missing", tc.q, r.Status, tc.field)
		}
	}
	if b := string(leader.ixPage("/can-bo/chi-so?kind=year&year=19x6").Body); !strings.Contains(b, `value="19x6"`) {
		t.Error("the typed year is not kept")
	}
	if got := leader.ixPage("/can-bo/chi-so?unit=khong-co").Status; got != 404 {
		t.Errorf("unknown unit: %d", got)
	}
	if got := site.applicant("vneid-demo-0002").ixPage("/can-bo/chi-so").Status; got != 403 {
		t.Errorf("applicant: %d, want 403", got)
	}
}

func ixIndicator(rep index.Report, id string) (index.IndicatorResult, bool) {
	for _, g := range rep.Groups {
		for _, ind := range g.Indicators {
			if ind.ID == id {
				return ind, true
			}
		}
	}
	return index.IndicatorResult{}, false
}

func TestPublicStatistics(t *testing.T) {
	site := indexSite(t)
	period, _ := index.Month(2026, time.November)
	rep, err := site.App.Index(context.Background(), app.Public, "thai-nguyen", period)
	if err != nil {
		t.Fatal(err)
	}
	r := site.public().ixPage("/thong-ke?" + novemberQuery)
	if r.Status != 200 {
		t.Fatalf("/thong-ke: %d %s", r.Status, r.Body)
	}
	body := string(r.Body)
	on, _ := ixIndicator(rep, "2.1")
	wantOnTime := "N/A"
	if on.Rate != nil {
		wantOnTime = ixDecimal(*on.Rate) + "%"
	}
	for _, want := range []string{
		"Hồ sơ giải quyết đúng hạn", "<strong>" + wantOnTime + "</strong>", "Hồ sơ được số hóa", "Hồ sơ thanh toán trực tuyến",
		"Hồ sơ sử dụng lại dữ liệu số hóa", "<strong>" + ixDecimal(rep.Total) + "</strong>", "Xã Tân Cương", "Sở Tư pháp", "<desc id=",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/thong-ke lacks %q", want)
		}
	}
	// No personal data, no dossier codes, no officials.
	for _, secret := range []string{"Trần Thị Bình", "019192004567", "0987654321", "H55-2611", ".desk", "/can-bo/ho-so/"} {
		if strings.Contains(body, secret) {
			t.Errorf("/thong-ke shows %q", secret)
		}
	}
	if len(r.Body) > 200<<10 {
		t.Errorf("/thong-ke weighs %d bytes, over 200 KB", len(r.Body))
	}
	if got := site.public().ixPage("/thong-ke?kind=quarter&year=2026&quarter=5"); got.Status != 422 || !strings.Contains(string(got.Body), "Quý phải từ 1 đến 4.") {
		t.Errorf("bad quarter: %d", got.Status)
	}
}

func TestReportDownloads(t *testing.T) {
	site := indexSite(t)
	leader := site.officer("xa-tan-cuong.leader")
	q := "unit=xa-tan-cuong&kind=custom&from=2026-11-01&to=2026-11-26"
	api := leader.get("/api/v1/index?unit=xa-tan-cuong&from=2026-11-01&to=2026-11-26")
	if api.Status != 200 {
		t.Fatalf("API: %d %s", api.Status, api.Body)
	}
	summary := api.json(t)["summary"].(map[string]any)

	page := leader.ixPage("/can-bo/bao-cao?" + q)
	if page.Status != 200 || !strings.Contains(string(page.Body), "Kết quả xử lý hồ sơ của cán bộ") || !strings.Contains(string(page.Body), "xa-tan-cuong.") {
		t.Fatalf("reports page: %d, no officials", page.Status)
	}
	if got := leader.ixPage("/can-bo/bao-cao").Status; got != 200 {
		t.Errorf("empty reports form: %d", got)
	}

	x := leader.ixPage("/can-bo/bao-cao/excel?" + q)
	if x.Status != 200 || !strings.Contains(x.Header.Get("Content-Type"), "spreadsheetml") || !strings.Contains(x.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("excel: %d %s", x.Status, x.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	for i, h := range app.MovementHeaders {
		key := map[string]string{"Kỳ trước chuyển sang": "carried_over", "Tiếp nhận trong kỳ": "received", "Trực tuyến": "received_online",
			"Tổng số phải giải quyết": "handled", "Đã giải quyết": "finished", "Quá hạn": "finished_late", "Đang giải quyết quá hạn": "open_overdue"}[h]
		if key == "" {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(3+i, 5)
		got, _ := f.GetCellValue(app.SheetMovement, cell)
		if want := fmt.Sprint(summary[key]); got != want {
			t.Errorf("%s (%s): workbook %s, API %s", h, cell, got, want)
		}
	}

	pdf := leader.ixPage("/can-bo/bao-cao/chi-so.pdf?" + q)
	if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %s", pdf.Status, pdf.Header)
	}
	if text := pdfText(t, pdf.Body); text != "" {
		total := api.json(t)["total"].(float64)
		if !strings.Contains(text, "Xã Tân Cương") || !strings.Contains(text, ixDecimal(total)+" / ") {
			t.Errorf("PDF text lacks the unit or the total %v: %s", total, text)
		}
	}
	// Out of scope: another commune's leader gets 404 for the Excel report (it names officials).
	if got := site.officer("xa-dai-phuc.leader").ixPage("/can-bo/bao-cao/excel?" + q).Status; got != 404 {
		t.Errorf("excel out of scope: %d, want 404", got)
	}
	if got := leader.ixPage("/can-bo/bao-cao/excel?unit=xa-tan-cuong&kind=month&month=0").Status; got != 400 {
		t.Errorf("excel with a bad period: %d, want 400", got)
	}
}
