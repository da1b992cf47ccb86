package audit

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCanonical(t *testing.T) {
	vn := time.FixedZone("ICT", 7*3600)
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"sorted keys, no spaces", map[string]any{"b": 1, "a": []int{2, 3}, "c": nil}, `{"a":[2,3],"b":1,"c":null}`},
		{"struct fields sorted", struct {
			Z string `json:"z"`
			A bool   `json:"a"`
		}{"x", true}, `{"a":true,"z":"x"}`},
		{"time in another zone becomes UTC with nanos", map[string]any{"at": time.Date(2026, 11, 26, 9, 0, 0, 0, vn)}, `{"at":"2026-11-26T02:00:00.000000000Z"}`},
		{"time with nanos", map[string]any{"at": time.Date(2026, 1, 2, 3, 4, 5, 123, time.UTC)}, `{"at":"2026-01-02T03:04:05.000000123Z"}`},
		{"no html escaping, unicode kept", map[string]any{"s": "<Hồ sơ & kết quả>"}, `{"s":"<Hồ sơ & kết quả>"}`},
		{"control characters escaped", map[string]any{"s": "a\nb\x01\"\\"}, `{"s":"a\nb\u0001\"\\"}`},
		{"large integers exact", map[string]any{"n": int64(9007199254740993)}, `{"n":9007199254740993}`},
		{"non-time string untouched", map[string]any{"s": "2026-11-26"}, `{"s":"2026-11-26"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("canonical (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCanonicalJSONIsIdempotentAndSpacingInsensitive(t *testing.T) {
	a, err := CanonicalJSON([]byte("{ \"b\" : [1, 2],\n \"a\": \"2026-11-26T09:00:00+07:00\" }"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := CanonicalJSON(a)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("not idempotent: %s vs %s", a, b)
	}
	if want := `{"a":"2026-11-26T02:00:00.000000000Z","b":[1,2]}`; string(a) != want {
		t.Errorf("got %s, want %s", a, want)
	}
	if _, err := CanonicalJSON([]byte(`{"a":1} {"b":2}`)); err == nil {
		t.Error("trailing data accepted")
	}
}

// chain builds n linked events with distinct payloads.
func chain(t *testing.T, n int) []Linked {
	t.Helper()
	prev := Genesis
	var out []Linked
	for i := 1; i <= n; i++ {
		c, err := Canonical(map[string]any{"seq": i, "type": "forwarded", "reason": fmt.Sprintf("bước %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		l := Link(prev, int64(i), c)
		out = append(out, l)
		prev = l.Hash
	}
	return out
}

func TestVerifyDetectsTampering(t *testing.T) {
	const n = 6
	tests := []struct {
		name    string
		mutate  func([]Linked) []Linked
		wantIdx int
		wantSeq int64
	}{
		{"intact", func(l []Linked) []Linked { return l }, -1, 0},
		{"empty chain", func([]Linked) []Linked { return nil }, -1, 0},
		{"byte of event 3 changed", func(l []Linked) []Linked {
			c := append([]byte(nil), l[2].Canonical...)
			c[len(c)/2] ^= 1
			l[2].Canonical = c
			return l
		}, 2, 3},
		{"hash of event 4 rewritten to match its edited content", func(l []Linked) []Linked {
			l[3].Canonical = []byte(`{"seq":4,"type":"approved"}`)
			l[3].Hash = Chain(l[3].PrevHash, l[3].Canonical)
			return l
		}, 4, 5},
		{"events 2 and 3 swapped", func(l []Linked) []Linked {
			l[1], l[2] = l[2], l[1]
			return l
		}, 1, 3},
		{"event 5 deleted", func(l []Linked) []Linked {
			return append(l[:4:4], l[5:]...)
		}, 4, 6},
		{"first event deleted", func(l []Linked) []Linked { return l[1:] }, 0, 2},
		{"event 2 deleted and later seqs renumbered", func(l []Linked) []Linked {
			l = append(l[:1:1], l[2:]...)
			for i := range l {
				l[i].Seq = int64(i + 1)
			}
			return l
		}, 1, 2},
		{"prev hash of event 6 edited", func(l []Linked) []Linked {
			l[5].PrevHash = strings.Repeat("a", 64)
			return l
		}, 5, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := tt.mutate(chain(t, n))
			idx, err := Verify(events)
			if idx != tt.wantIdx {
				t.Fatalf("first broken = %d, want %d (err %v)", idx, tt.wantIdx, err)
			}
			if tt.wantIdx < 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var be *BrokenError
			if !errors.As(err, &be) {
				t.Fatalf("error %v is not a *BrokenError", err)
			}
			if be.Seq != tt.wantSeq || !strings.Contains(err.Error(), fmt.Sprintf("seq %d", tt.wantSeq)) {
				t.Errorf("error names seq %d (%v), want %d", be.Seq, err, tt.wantSeq)
			}
		})
	}
}

func TestVerifyFromCheckpoint(t *testing.T) {
	l := chain(t, 5)
	if idx, err := VerifyFrom(l[1].Seq, l[1].Hash, l[2:]); idx != -1 || err != nil {
		t.Fatalf("segment after checkpoint: %d %v", idx, err)
	}
	if idx, _ := VerifyFrom(l[1].Seq, l[0].Hash, l[2:]); idx != 0 {
		t.Fatalf("wrong checkpoint hash not detected: %d", idx)
	}
}

func FuzzCanonicalJSON(f *testing.F) {
	f.Add([]byte(`{"b":1,"a":{"y":[true,null,"2026-01-01T00:00:00+07:00"],"x":1.5e3}}`))
	f.Add([]byte(`"\u00e9\ud800"`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := CanonicalJSON(raw)
		if err != nil {
			return
		}
		b, err := CanonicalJSON(a)
		if err != nil {
			t.Fatalf("canonical output %q does not parse: %v", a, err)
		}
		if string(a) != string(b) {
			t.Fatalf("not idempotent:\n%s\n%s", a, b)
		}
	})
}

func BenchmarkCanonicalAndChain(b *testing.B) {
	ev := map[string]any{
		"seq": 12, "type": "forwarded", "at": time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC),
		"actor": map[string]any{"id": "u1", "name": "Nguyễn Văn A", "unit": "so-tai-chinh", "role": "specialist"},
		"data":  map[string]any{"from_step": 1, "to_step": 2, "to_unit": "so-xay-dung"},
	}
	prev := Genesis
	for b.Loop() {
		c, err := Canonical(ev)
		if err != nil {
			b.Fatal(err)
		}
		prev = Chain(prev, c)
	}
}

func TestVerifyDetectsEveryByte(t *testing.T) {
	base := chain(t, 4)
	for pos := range base[2].Canonical {
		events := chain(t, 4)
		c := append([]byte(nil), events[2].Canonical...)
		c[pos] ^= 0x20
		events[2].Canonical = c
		if idx, err := Verify(events); idx != 2 || err == nil {
			t.Fatalf("flipping byte %d of event 3: first broken %d (%v)", pos, idx, err)
		}
	}
	for pos := range base[1].Hash {
		events := chain(t, 4)
		h := []byte(events[1].Hash)
		h[pos] ^= 0x01
		events[1].Hash = string(h)
		if idx, _ := Verify(events); idx != 1 {
			t.Fatalf("flipping byte %d of event 2's hash: first broken %d", pos, idx)
		}
	}
}

// FuzzCanonicalFastAgrees: whenever the fast path answers, it answers exactly what decoding
// the text does (and decoding then succeeds too).
func FuzzCanonicalFastAgrees(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":{"y":[true,null,"2026-01-01T00:00:00+07:00"],"x":1.5e3}}`,
		`{"at":"2026-11-26T09:30:00.123456+07:00","k":"2026-11-26T09:30:00Z","n":-0.5E+2,"s":"a\"b\\c\u0001\u00e9<>&"}`,
		`[ 1 , {"z":[],"y":{}} , "Nguyễn Văn A", "\ud800", "x\/y" ]`,
		`{"a":1,"a":2}`, `{"2026-01-01T00:00:00+07:00":1}`, "\"\xff\"", `01`, `1.`, `-`, `{"a":1}}`, ` "x" `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast, ok := canonicalFast(raw)
		if !ok {
			return
		}
		slow, err := canonicalDecoded(raw)
		if err != nil {
			t.Fatalf("fast path accepted %q, decoding refuses it: %v", raw, err)
		}
		if !bytes.Equal(fast, slow) {
			t.Fatalf("%q:\nfast %s\nslow %s", raw, fast, slow)
		}
	})
}

// TestCanonicalFastTakesOrdinaryEvents: event bodies as the engine writes them take the fast
// path (the fallback is for unusual input, not the common case).
func TestCanonicalFastTakesOrdinaryEvents(t *testing.T) {
	for _, s := range []string{
		`{"seq":3,"type":"forwarded","at":"2026-11-26T09:30:00.123456789+07:00","actor":{"id":"so-tu-phap.cv1","name":"Trần Thị Bình","role":"specialist"},"data":{"to":"so-xay-dung","steps":[1,2]}}`,
		`{"note":"a \u003c b \u0026 c","seq":1}`,
	} {
		if _, ok := canonicalFast([]byte(s)); !ok {
			t.Errorf("fast path declined %s", s)
		}
	}
	if _, ok := canonicalFast([]byte(`{"a":1,"a":2}`)); ok {
		t.Error("fast path took duplicate keys, which decoding resolves to the last value")
	}
}

// BenchmarkCanonicalJSON compares the fast path with decoding, on an event as the engine
// writes it.
func BenchmarkCanonicalJSON(b *testing.B) {
	ev := []byte(`{"seq":12,"type":"assigned","at":"2026-11-26T09:30:00.123456789+07:00","unit":"xa-tan-cuong","actor":{"id":"xa-tan-cuong.leader","name":"Nguyễn Văn An","role":"leader","unit":"xa-tan-cuong"},"data":{"step":1,"to":"xa-tan-cuong.specialist-3","from":"xa-tan-cuong.specialist-2","reason":"Phân công lại theo lịch trực"}}`)
	for _, c := range []struct {
		name string
		fn   func([]byte) ([]byte, error)
	}{{"fast", CanonicalJSON}, {"decoded", canonicalDecoded}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.fn(ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzIsRFC3339MatchesTheExpression: the hand-written test accepts exactly what the
// documented expression (with the length bounds) accepts.
func FuzzIsRFC3339MatchesTheExpression(f *testing.F) {
	for _, s := range []string{"2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123456789+07:00", "2026-01-01T00:00:00.+07:00",
		"2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+0700", "２026-01-01T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := len(s) >= 20 && len(s) <= 35 && rfc3339.MatchString(s)
		if got := isRFC3339(s); got != want {
			t.Fatalf("isRFC3339(%q) = %v, the expression says %v", s, got, want)
		}
		if got := isRFC3339([]byte(s)); got != want {
			t.Fatalf("isRFC3339([]byte(%q)) = %v, the expression says %v", s, got, want)
		}
	})
}
