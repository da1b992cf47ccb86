package auth

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestThrottleDelay(t *testing.T) {
	// 0, 0, 1s, 2s, 4s ... capped at one minute.
	want := []time.Duration{0, 0, 0, 1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
		16 * time.Second, 32 * time.Second, time.Minute, time.Minute}
	for failures, w := range want {
		if got := DefaultThrottle.Delay(failures); got != w {
			t.Errorf("Delay(%d) = %v, want %v", failures, got, w)
		}
	}
	if got := DefaultThrottle.Delay(1000); got != time.Minute {
		t.Errorf("Delay(1000) = %v, want the cap", got)
	}
}

func TestThrottleCheck(t *testing.T) {
	last := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		failures int
		after    time.Duration
		want     ThrottleDecision
	}{
		{"no failures", 0, 0, ThrottleDecision{Allowed: true}},
		{"free failure", 2, 0, ThrottleDecision{Allowed: true}},
		{"third failure, too soon", 3, 500 * time.Millisecond, ThrottleDecision{RetryAt: last.Add(time.Second)}},
		{"third failure, waited", 3, time.Second, ThrottleDecision{Allowed: true}},
		{"fifth failure, too soon", 5, 3 * time.Second, ThrottleDecision{RetryAt: last.Add(4 * time.Second)}},
		{"ninth failure, waited", 9, time.Minute, ThrottleDecision{Allowed: true}},
		{"tenth failure locks", 10, time.Minute, ThrottleDecision{Locked: true, RetryAt: last.Add(15 * time.Minute)}},
		{"lock still on", 14, 15*time.Minute - time.Nanosecond, ThrottleDecision{Locked: true, RetryAt: last.Add(15 * time.Minute)}},
		{"lock expired", 10, 15 * time.Minute, ThrottleDecision{Allowed: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DefaultThrottle.Check(tt.failures, last, last.Add(tt.after))
			if got != tt.want {
				t.Errorf("Check = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestThrottleMessage(t *testing.T) {
	last := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	now := last.Add(time.Minute)
	d := DefaultThrottle.Check(10, last, now)
	if got := d.RetryAfter(now); got != 14*time.Minute {
		t.Errorf("RetryAfter = %v, want 14m", got)
	}
	if msg := d.Message(now); !strings.Contains(msg, "14 phút") {
		t.Errorf("Message = %q, want the minutes to wait", msg)
	}
	d = DefaultThrottle.Check(4, last, last.Add(500*time.Millisecond))
	if msg := d.Message(last.Add(500 * time.Millisecond)); !strings.Contains(msg, "2 giây") {
		t.Errorf("Message = %q, want 2 giây", msg)
	}
	if msg := (ThrottleDecision{Allowed: true}).Message(now); msg != "" {
		t.Errorf("allowed Message = %q", msg)
	}
}

// fakeClock is an injectable clock for the limiter tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestRateLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)}
	l := NewRateLimiter(1, 10*time.Second, 3, clock.Now) // 3 at once, then one per 10 s
	for i := range 3 {
		if ok, _ := l.Allow("1.2.3.4"); !ok {
			t.Fatalf("request %d within burst refused", i+1)
		}
	}
	ok, wait := l.Allow("1.2.3.4")
	if ok || wait != 10*time.Second {
		t.Fatalf("4th request = %v, wait %v; want refused, 10s", ok, wait)
	}
	if ok, _ := l.Allow("5.6.7.8"); !ok {
		t.Errorf("another key is limited by the first")
	}
	clock.Add(4 * time.Second)
	if ok, wait := l.Allow("1.2.3.4"); ok || wait != 6*time.Second {
		t.Errorf("after 4s = %v, %v; want refused, 6s", ok, wait)
	}
	clock.Add(6 * time.Second)
	if ok, _ := l.Allow("1.2.3.4"); !ok {
		t.Errorf("after the refill interval still refused")
	}
	if ok, _ := l.Allow("1.2.3.4"); ok {
		t.Errorf("only one token should have refilled")
	}
	clock.Add(time.Hour)
	for i := range 3 {
		if ok, _ := l.Allow("1.2.3.4"); !ok {
			t.Errorf("after an hour, request %d refused: the bucket must refill to the burst", i+1)
		}
	}
	if ok, _ := l.Allow("1.2.3.4"); ok {
		t.Errorf("bucket refilled beyond the burst")
	}
}

func TestRateLimiterSweeps(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)}
	l := NewRateLimiter(10, time.Second, 5, clock.Now)
	for i := range sweepEvery - 1 {
		l.Allow(fmt.Sprint("k", i))
	}
	if l.Len() != sweepEvery-1 {
		t.Fatalf("Len = %d", l.Len())
	}
	clock.Add(time.Second) // every bucket is full again
	l.Allow("last")        // the sweepEvery-th call sweeps
	if l.Len() > 1 {
		t.Errorf("Len after sweep = %d, want at most 1", l.Len())
	}
}

func TestRateLimiterConcurrent(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)}
	l := NewRateLimiter(1, time.Hour, 100, clock.Now)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if ok, _ := l.Allow("shared"); ok {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 100 {
		t.Errorf("allowed %d of 400 concurrent requests, want exactly the burst of 100", allowed.Load())
	}
}

func BenchmarkRateLimiterAllow(b *testing.B) {
	l := NewRateLimiter(1000, time.Second, 1000, time.Now)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.Allow(fmt.Sprint("k", i%1000))
			i++
		}
	})
}
