package web

import (
	"testing"
	"time"
)

func TestWaitText(t *testing.T) {
	tests := []struct {
		d    time.Duration
		lang string
		want string
	}{
		{5 * time.Minute, langVI, "5 phút 0 giây"},
		{42 * time.Second, langVI, "42 giây"},
		{0, langVI, "0 giây"},
		{2*time.Hour + 5*time.Minute + 59*time.Second, langVI, "2 giờ 5 phút"},
		{26*time.Hour + 3*time.Minute, langVI, "1 ngày 2 giờ 3 phút"},
		{50 * time.Hour, langEN, "2 d 2 h 0 min"},
		{90 * time.Second, langEN, "1 min 30 s"},
	}
	for _, tt := range tests {
		if got := waitText(tt.lang, tt.d); got != tt.want {
			t.Errorf("waitText(%s, %v) = %q, want %q", tt.lang, tt.d, got, tt.want)
		}
	}
}
