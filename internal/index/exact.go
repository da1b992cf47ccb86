package index

import (
	"math"
	"math/bits"
	"sync/atomic"
)

// This file is the allocation-free path of Score: the same exact arithmetic as scoreRat, on
// integers. A rate is the fraction a/b (a = 100·num, b = den; for an average a = num,
// b = den·scale), points and thresholds are the fractions exact gives, and every rounding is
// round2's, half away from zero. Products are taken in 128 bits (math/bits); whenever a value
// would not fit (huge or extreme inputs, an unusual configuration) scoreExact reports so and
// Score falls back to scoreRat, so the result never depends on the magnitudes involved.

// decimal is exact(f) as an int64 fraction n/d (d > 0), ok false when it does not fit.
type decimal struct {
	bits uint64 // math.Float64bits of the float it is for
	n, d int64
	ok   bool
}

// decimals caches exactDecimal's results, direct-mapped by a hash of the float's bits: a
// lookup is one atomic load, and a collision only means recomputing (exact has its own cache).
var decimals [256]atomic.Pointer[decimal]

// exactDecimal returns exact(f) as the fraction n/d, d > 0, or ok false when the numerator or
// the denominator does not fit an int64.
func exactDecimal(f float64) (n, d int64, ok bool) {
	b := math.Float64bits(f)
	slot := &decimals[(b*0x9e3779b97f4a7c15)>>56]
	if e := slot.Load(); e != nil && e.bits == b {
		return e.n, e.d, e.ok
	}
	r := exact(f)
	e := &decimal{bits: b}
	if r.Num().IsInt64() && r.Denom().IsInt64() {
		e.n, e.d, e.ok = r.Num().Int64(), r.Denom().Int64(), true
	}
	slot.Store(e)
	return e.n, e.d, e.ok
}

// roundQuo returns (hi·2⁶⁴ + lo) / d rounded half up, as round2 rounds a non-negative value,
// or ok false when the quotient would not fit comfortably in an int64 (or d is 0).
func roundQuo(hi, lo, d uint64) (q int64, ok bool) {
	if d == 0 || hi >= d {
		return 0, false
	}
	quo, rem := bits.Div64(hi, lo, d)
	if quo >= 1<<62 {
		return 0, false
	}
	if rem >= d-rem { // 2·rem >= d without overflow
		quo++
	}
	return int64(quo), true
}

// abs64 returns |x| as a uint64; |MinInt64| = 2⁶³ fits.
func abs64(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

// exactScore is what scoreExact computes: the rounded rate and points, each present or not.
type exactScore struct {
	rate, points       float64
	hasRate, hasPoints bool
}

// scoreExact computes what scoreRat does for the rate and points of ind, in integers. ok false
// means the inputs are outside what it handles exactly and the caller must use scoreRat.
func scoreExact(ind *Indicator, m *measure, num, den int64) (s exactScore, ok bool) {
	kind := ind.Rule.Kind
	switch kind {
	case Linear, FullAt, Monitored, LinearOrFullIfNone, FullAtOrZeroIfNone:
	default:
		return s, false // scoreRat's behaviour for an unknown rule, whatever it is
	}
	// The rate a/b, as scoreRat forms it; any int64 overflow there goes to scoreRat.
	var a, b int64
	if den != 0 {
		if m.average {
			if m.scale <= 0 || den > math.MaxInt64/m.scale || den < -math.MaxInt64/m.scale {
				return s, false
			}
			a, b = num, den*m.scale
		} else {
			if num > math.MaxInt64/100 || num < -math.MaxInt64/100 {
				return s, false
			}
			a, b = 100*num, den
		}
		A, B := abs64(a), abs64(b)
		hi, lo := bits.Mul64(A, 100)
		q, ok := roundQuo(hi, lo, B)
		if !ok {
			return s, false
		}
		if (a < 0) != (b < 0) {
			q = -q
		}
		s.rate, s.hasRate = float64(q)/100, true
	}
	if kind == Monitored {
		return s, true
	}
	if den == 0 {
		switch kind {
		case LinearOrFullIfNone:
			q, ok := roundPoints(ind.Points)
			if !ok {
				return s, false
			}
			s.points, s.hasPoints = q, true
		case FullAtOrZeroIfNone:
			s.points, s.hasPoints = 0, true
		}
		return s, true
	}
	pn, pd, ok := exactDecimal(ind.Points)
	if !ok || pn < 0 {
		return s, false
	}
	P, PD := uint64(pn), uint64(pd)
	s.hasPoints = true
	if a == 0 || (a < 0) != (b < 0) {
		// rate <= 0: points × rate / 100 or / threshold (> 0) is <= 0, clamped to 0.
		if kind == FullAt || kind == FullAtOrZeroIfNone {
			if tn, _, ok := exactDecimal(ind.Rule.Threshold); !ok || tn <= 0 {
				return s, false
			}
		}
		s.points = 0
		return s, true
	}
	A, B := abs64(a), abs64(b)
	full := false // points = pts: the rate reaches the threshold or, for linear, 100%
	var q int64
	switch kind {
	case Linear, LinearOrFullIfNone:
		// p = pts·rate/100, clamped to pts when rate > 100; round2(p) = round(pn·A / (pd·B)).
		if hi, lo := bits.Mul64(B, 100); hi == 0 && A > lo {
			full = true
			break
		}
		nhi, nlo := bits.Mul64(P, A)
		dhi, d := bits.Mul64(PD, B)
		if dhi != 0 {
			return s, false
		}
		if q, ok = roundQuo(nhi, nlo, d); !ok {
			return s, false
		}
	case FullAt, FullAtOrZeroIfNone:
		tn, td, ok := exactDecimal(ind.Rule.Threshold)
		if !ok || tn <= 0 {
			return s, false
		}
		T, TD := uint64(tn), uint64(td)
		// rate >= t ⇔ A·td >= tn·B.
		lhi, llo := bits.Mul64(A, TD)
		rhi, rlo := bits.Mul64(T, B)
		if lhi > rhi || (lhi == rhi && llo >= rlo) {
			full = true
			break
		}
		// p = pts·rate/t; round2(p) = round(100·pn·td·A / (pd·tn·B)).
		if P > math.MaxUint64/100 {
			return s, false
		}
		chi, c := bits.Mul64(100*P, TD)
		if chi != 0 {
			return s, false
		}
		ehi, e := bits.Mul64(PD, T)
		if ehi != 0 {
			return s, false
		}
		dhi, d := bits.Mul64(e, B)
		if dhi != 0 {
			return s, false
		}
		nhi, nlo := bits.Mul64(c, A)
		if q, ok = roundQuo(nhi, nlo, d); !ok {
			return s, false
		}
	}
	if full {
		p, ok := roundPoints(ind.Points)
		if !ok {
			return s, false
		}
		s.points = p
		return s, true
	}
	s.points = float64(q) / 100
	return s, true
}

// roundPoints is round2(exact(f)) for f >= 0, ok false when it cannot tell exactly.
func roundPoints(f float64) (float64, bool) {
	n, d, ok := exactDecimal(f)
	if !ok || n < 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(n), 100)
	q, ok := roundQuo(hi, lo, uint64(d))
	if !ok {
		return 0, false
	}
	return float64(q) / 100, true
}
