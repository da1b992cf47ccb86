package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/seed"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

func newServer(t *testing.T) *web.Server {
	t.Helper()
	s := storetest.Open(t, store.SQLite)
	a, err := app.New(s, app.Options{Now: func() time.Time { return time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.ImportUnits(ctx, "test", seed.Units()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportProcedures(ctx, "test", seed.Procedures()); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(a, web.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestRoutes(t *testing.T) {
	srv := newServer(t)
	cases := []struct {
		name, method, path string
		accept             string
		status             int
		contains           []string
		absent             []string
	}{
		{"home", "GET", "/", "text/html", 200, []string{"Cổng dịch vụ công", "Tỉnh Thái Nguyên", `lang="vi"`}, nil},
		{"healthz", "GET", "/healthz", "", 200, []string{`"ok"`}, nil},
		{"readyz", "GET", "/readyz", "", 200, []string{`"sqlite"`}, nil},
		{"metrics", "GET", "/metrics", "", 200, []string{"go_goroutines", `motcua_outbox_oldest_unsent_seconds{topic="national_portal"} 0`, `motcua_outbox_oldest_unsent_seconds{topic="notify_applicant"} 0`}, nil},
		{"catalog without diacritics", "GET", "/thu-tuc?q=dang+ky+ho+kinh+doanh", "text/html", 200, []string{"Đăng ký thành lập hộ kinh doanh", "1 thủ tục"}, []string{"Đăng ký khai sinh"}},
		{"catalog filter level", "GET", "/thu-tuc?level=province", "text/html", 200, []string{"Cấp Phiếu lý lịch tư pháp"}, []string{"Đăng ký khai sinh</a>"}},
		{"catalog bad level", "GET", "/thu-tuc?level=huyen", "text/html", 400, []string{"Cấp thực hiện"}, nil},
		{"procedure page", "GET", "/thu-tuc/LLTP.01", "text/html", 200, []string{"Sở Tư pháp", "200.000", "Căn cứ pháp lý", "song song"}, nil},
		{"unknown procedure page", "GET", "/thu-tuc/KHONG.CO", "text/html", 404, []string{"KHONG.CO"}, nil},
		{"api search", "GET", "/api/v1/procedures?q=chung+thuc", "", 200, []string{`"total":3`, "Chứng thực bản sao", "Chứng thực chữ ký"}, nil},
		{"api filters", "GET", "/api/v1/procedures?online_level=none", "", 200, []string{`"2.000884"`, `"total":1`}, nil},
		{"api bad limit", "GET", "/api/v1/procedures?limit=1000", "", 400, []string{`"bad_limit"`}, nil},
		{"api procedure", "GET", "/api/v1/procedures/DD.01", "", 200, []string{`"code":"DD.01"`, `"financial_obligation"`, `"agency:vp-dang-ky-dat-dai"`}, nil},
		{"api unknown procedure", "GET", "/api/v1/procedures/NOPE", "", 404, []string{`"procedure_not_found"`, `"message_en"`}, nil},
		{"api holidays", "GET", "/api/v1/calendar/holidays?year=2026", "", 200, []string{`"2026-11-24"`, `"working_day"`}, nil},
		{"api holidays bad year", "GET", "/api/v1/calendar/holidays?year=3000", "", 400, []string{"bad_year"}, nil},
		{"calendar page", "GET", "/lich-lam-viec?year=2026", "text/html", 200, []string{"Ngày Văn hóa Việt Nam", `data-date="2026-02-17"`}, nil},
		{"unknown page", "GET", "/khong-co", "text/html", 404, []string{"Không tìm thấy"}, nil},
		{"unknown api", "GET", "/api/v1/khong-co", "", 404, []string{`"not_found"`}, nil},
		// A state-changing request without a session's CSRF token is refused before routing.
		{"post without csrf token", "POST", "/thu-tuc", "text/html", 403, []string{"Phiên làm việc"}, nil},
		{"wrong method", "DELETE", "/thu-tuc", "", 403, nil, nil},
		{"lookup page", "GET", "/tra-cuu", "text/html", 200, []string{"Tra cứu hồ sơ", "Mã hồ sơ"}, nil},
		{"lookup unknown code", "GET", "/api/v1/lookup/000.00.00.H55-261126-0001", "", 404, []string{`"dossier_not_found"`}, nil},
		{"sign-in page", "GET", "/dang-nhap", "text/html", 200, []string{"Tên đăng nhập", `name="csrf_token"`}, nil},
		{"openapi", "GET", "/api/v1/openapi.json", "", 200, []string{`"openapi": "3.1.0"`, "/api/v1/dossiers/{code}/actions/{action}"}, nil},
		{"dossiers need sign-in", "GET", "/api/v1/dossiers", "", 401, []string{`"signin_required"`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.path, nil)
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d; body %.300s", rec.Code, c.status, body)
			}
			for _, s := range c.contains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q: %.400s", s, body)
				}
			}
			for _, s := range c.absent {
				if strings.Contains(body, s) {
					t.Errorf("body has %q", s)
				}
			}
			if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("security headers missing: %v", rec.Header())
			}
		})
	}
}

func TestErrorsNeverLeakInternals(t *testing.T) {
	srv := newServer(t)
	req := httptest.NewRequest("GET", "/api/v1/procedures?q="+strings.Repeat("a", 300), nil)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var body struct {
		Error struct{ Code, Message, MessageEN string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 400 || body.Error.Code != "query_too_long" {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
}

func TestHSTSOnlyBehindTLS(t *testing.T) {
	srv := newServer(t)
	req := httptest.NewRequest("GET", "https://example.test/healthz", nil)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Header().Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS over TLS")
	}
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Fatal("HSTS over plain HTTP")
	}
}

func TestRequestIDIsPropagated(t *testing.T) {
	srv := newServer(t)
	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Header().Get("X-Request-Id") != "abc-123" {
		t.Fatalf("request id %q", rec.Header().Get("X-Request-Id"))
	}
	req.Header.Set("X-Request-Id", "<script>")
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if got := rec.Header().Get("X-Request-Id"); got == "<script>" || got == "" {
		t.Fatalf("unsafe request id echoed: %q", got)
	}
}

var _ http.Handler = (*web.Server)(nil)
