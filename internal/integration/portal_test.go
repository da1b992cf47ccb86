package integration

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNationalPortalSend(t *testing.T) {
	type seen struct{ method, ctype, key, auth, body string }
	tests := []struct {
		name      string
		token     string
		status    int
		answer    string
		wantRef   string
		wantErr   bool
		rejected  bool
		wantAuth  string
		errSubstr string
	}{
		{name: "acknowledged with a reference", token: "t0k", status: 200, answer: `{"reference":" DVCQG-7 "}`, wantRef: "DVCQG-7", wantAuth: "Bearer t0k"},
		{name: "acknowledged without a body", status: 204},
		{name: "acknowledged, body not JSON", status: 202, answer: "OK"},
		{name: "unavailable is temporary", status: 503, answer: "bảo trì", wantErr: true, errSubstr: "HTTP 503: bảo trì"},
		{name: "too many requests is temporary", status: 429, wantErr: true},
		{name: "bad request is a refusal", status: 400, answer: `{"error":"thiếu mã"}`, wantErr: true, rejected: true, errSubstr: "thiếu mã"},
		{name: "unauthorized is a refusal", status: 401, wantErr: true, rejected: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got seen
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = seen{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Idempotency-Key"), r.Header.Get("Authorization"), string(b)}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.answer)
			}))
			defer srv.Close()
			p := &NationalPortal{Endpoint: srv.URL + "/status", Token: tt.token}
			d, err := p.Send(context.Background(), "d-1/2", []byte(`{"event":"received"}`))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if IsRejected(err) != tt.rejected {
				t.Errorf("IsRejected(%v) = %v, want %v", err, !tt.rejected, tt.rejected)
			}
			if err != nil && !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("error %q lacks %q", err, tt.errSubstr)
			}
			if d.Reference != tt.wantRef {
				t.Errorf("reference %q, want %q", d.Reference, tt.wantRef)
			}
			want := seen{"POST", "application/json", "d-1/2", tt.wantAuth, `{"event":"received"}`}
			if got != want {
				t.Errorf("request %+v, want %+v", got, want)
			}
		})
	}
}

func TestNationalPortalUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := (&NationalPortal{Endpoint: url}).Send(context.Background(), "k", []byte(`{}`))
	if err == nil || IsRejected(err) {
		t.Fatalf("err = %v, want a temporary failure", err)
	}
}

func TestParseEndpoint(t *testing.T) {
	for in, ok := range map[string]bool{
		"https://dichvucong.gov.vn/api/ho-so": true, " http://127.0.0.1:9000/x ": true,
		"ftp://dvc.example": false, "dichvucong.gov.vn": false, "https://": false, "": false, "http://[::1": false,
	} {
		if _, err := ParseEndpoint(in); (err == nil) != ok {
			t.Errorf("ParseEndpoint(%q) error %v, want ok %v", in, err, ok)
		}
	}
}
