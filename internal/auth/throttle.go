package auth

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Throttle is the sign-in failure policy: after a few free failures each further attempt
// must wait twice as long as the one before (capped), and after LockoutAfter consecutive
// failures the account (or address) is locked for LockoutFor. It is pure: the caller keeps
// the failure count and the time of the last failure (see AttemptStore) and resets them on
// success.
type Throttle struct {
	FreeFailures int           // failures allowed without any delay (typing mistakes)
	BaseDelay    time.Duration // delay after the first failure past the free ones
	MaxDelay     time.Duration // cap on the growing delay
	LockoutAfter int           // consecutive failures that lock; 0 disables locking
	LockoutFor   time.Duration // how long a lock lasts after the last failure
}

// DefaultThrottle is 0, 0, 1s, 2s, 4s, ... capped at 1 minute, and a 15-minute lock from the
// 10th consecutive failure: slow enough to make guessing useless, short enough that an officer
// who forgot the caps-lock is back at work the same morning.
var DefaultThrottle = Throttle{
	FreeFailures: 2,
	BaseDelay:    time.Second,
	MaxDelay:     time.Minute,
	LockoutAfter: 10,
	LockoutFor:   15 * time.Minute,
}

// ThrottleDecision says whether an attempt may be made now.
type ThrottleDecision struct {
	Allowed bool
	Locked  bool      // refused because of a lock, not merely a delay
	RetryAt time.Time // when the next attempt is allowed (zero when Allowed)
}

// RetryAfter is the wait until RetryAt, rounded up to whole seconds for a Retry-After header.
func (d ThrottleDecision) RetryAfter(now time.Time) time.Duration {
	if d.Allowed {
		return 0
	}
	return time.Duration(math.Ceil(d.RetryAt.Sub(now).Seconds())) * time.Second
}

// Message is the Vietnamese sentence to show when the attempt is refused. It says how long to
// wait but never whether the account exists.
func (d ThrottleDecision) Message(now time.Time) string {
	if d.Allowed {
		return ""
	}
	wait := d.RetryAfter(now)
	if d.Locked {
		return fmt.Sprintf("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %d phút.", int(math.Ceil(wait.Minutes())))
	}
	return fmt.Sprintf("Vui lòng đợi %d giây rồi thử lại.", int(wait.Seconds()))
}

// Delay is the wait required after the given number of consecutive failures.
func (t Throttle) Delay(failures int) time.Duration {
	n := failures - t.FreeFailures
	if n <= 0 || t.BaseDelay <= 0 {
		return 0
	}
	if n > 62 { // avoid overflowing the shift; the cap applies long before
		return t.MaxDelay
	}
	d := t.BaseDelay << (n - 1)
	if d <= 0 || (t.MaxDelay > 0 && d > t.MaxDelay) {
		return t.MaxDelay
	}
	return d
}

// Check decides whether a new attempt may be made at now, given the consecutive failures so
// far and when the last of them happened.
func (t Throttle) Check(failures int, lastFailure, now time.Time) ThrottleDecision {
	if failures <= 0 {
		return ThrottleDecision{Allowed: true}
	}
	if t.LockoutAfter > 0 && failures >= t.LockoutAfter {
		until := lastFailure.Add(t.LockoutFor)
		if now.Before(until) {
			return ThrottleDecision{Locked: true, RetryAt: until}
		}
		return ThrottleDecision{Allowed: true}
	}
	until := lastFailure.Add(t.Delay(failures))
	if now.Before(until) {
		return ThrottleDecision{RetryAt: until}
	}
	return ThrottleDecision{Allowed: true}
}

// RateLimiter is a token-bucket limiter keyed by string (an IP address, a username, an
// applicant): each key may make Burst requests at once and then n per period. It keeps its
// buckets in memory, which is right for the abuse it guards against (one node seeing a flood);
// the sign-in lockout, which must hold across nodes, lives in the store instead. Safe for
// concurrent use.
//
// The bucket is kept in the GCRA form (one "theoretical arrival time" per key), which is the
// same token bucket computed with exact integer durations instead of fractional tokens.
type RateLimiter struct {
	interval  time.Duration // time to earn one token
	tolerance time.Duration // interval * (burst-1): how far ahead of now a key may run
	now       func() time.Time

	mu    sync.Mutex
	tat   map[string]time.Time // per key: when its bucket will be full again
	calls int
}

// sweepEvery bounds memory: every so many calls, keys whose bucket has refilled completely
// (and so behave exactly like absent ones) are dropped.
const sweepEvery = 4096

// NewRateLimiter allows burst requests per key at once, refilled at n requests per period.
// now is the clock (time.Now in production, a fake in tests).
func NewRateLimiter(n int, per time.Duration, burst int, now func() time.Time) *RateLimiter {
	if n <= 0 || per <= 0 || burst <= 0 {
		panic("auth: NewRateLimiter needs positive n, per and burst")
	}
	interval := per / time.Duration(n)
	return &RateLimiter{
		interval:  interval,
		tolerance: interval * time.Duration(burst-1),
		now:       now,
		tat:       map[string]time.Time{},
	}
}

// Allow takes one token for key. When none is left it reports false and how long until one
// will be (for a Retry-After header).
func (l *RateLimiter) Allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%sweepEvery == 0 {
		l.sweep(now)
	}
	tat, ok := l.tat[key]
	if !ok || tat.Before(now) {
		tat = now
	}
	if ahead := tat.Sub(now); ahead > l.tolerance {
		return false, ahead - l.tolerance
	}
	l.tat[key] = tat.Add(l.interval)
	return true, 0
}

func (l *RateLimiter) sweep(now time.Time) {
	for k, tat := range l.tat {
		if !tat.After(now) {
			delete(l.tat, k)
		}
	}
}

// Len is the number of keys currently tracked (for metrics and tests).
func (l *RateLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.tat)
}
