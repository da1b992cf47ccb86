// Package audit makes the dossier history tamper-evident: every event is reduced to canonical
// bytes, and each event's hash covers the previous event's hash and those bytes, so editing,
// reordering or deleting any stored event breaks the chain at a place Verify can name.
//
// The package is pure (no I/O) and imports nothing else of ours, so the store, the command-line
// verifier and the tests all compute the very same bytes.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

// Genesis is the previous hash of the first event of a chain. A fixed value (rather than the
// empty string) keeps every PrevHash the same shape, which makes a truncated column visible.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// TimeLayout is how timestamps appear in canonical bytes: RFC 3339 in UTC with exactly nine
// fractional digits, so that one instant has exactly one spelling whatever zone or precision
// the writer used.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// rfc3339 recognizes string values that are timestamps, which Canonical rewrites to TimeLayout.
var rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$`)

// Canonical returns the canonical bytes of v: v is encoded with encoding/json, then rewritten
// with object keys sorted by byte order, no insignificant whitespace, no HTML escaping, numbers
// exactly as encoding/json spelled them, and every string that is an RFC 3339 timestamp
// rewritten in UTC with nine fractional digits (TimeLayout). Floating-point values should not
// appear in events; integers keep their exact digits.
func Canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("canonical: encode: %w", err)
	}
	return CanonicalJSON(raw)
}

// CanonicalJSON is Canonical for a value that is already JSON text (for example an event row
// read back from the database). It fails on invalid JSON or trailing data.
func CanonicalJSON(raw []byte) ([]byte, error) {
	if out, ok := canonicalFast(raw); ok {
		return out, nil
	}
	return canonicalDecoded(raw)
}

// canonicalDecoded is CanonicalJSON by decoding the text into maps and interfaces: the
// reference, and the path for whatever canonicalFast declines.
func canonicalDecoded(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("canonical: decode: %w", err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("canonical: trailing data after the JSON value")
	}
	var b bytes.Buffer
	if err := write(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func write(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case json.Number:
		b.WriteString(x.String())
	case string:
		writeString(b, normalizeTime(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := write(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			if err := write(b, x[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("canonical: unexpected value of type %T", v)
	}
	return nil
}

// isRFC3339 reports whether s has the shape of rfc3339 (the expression documents it; this is
// the same test without the regular expression, which cost a microsecond per string).
func isRFC3339[T string | []byte](s T) bool {
	if len(s) < 20 || len(s) > 35 {
		return false
	}
	digits := func(from, n int) bool {
		for i := from; i < from+n; i++ {
			if i >= len(s) || s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	// 2006-01-02T15:04:05
	if !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' || !digits(8, 2) || s[10] != 'T' ||
		!digits(11, 2) || s[13] != ':' || !digits(14, 2) || s[16] != ':' || !digits(17, 2) {
		return false
	}
	i := 19
	if i < len(s) && s[i] == '.' {
		n := 0
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			n++
		}
		if n < 1 || n > 9 {
			return false
		}
	}
	switch rest := len(s) - i; {
	case rest == 1:
		return s[i] == 'Z'
	case rest == 6:
		return (s[i] == '+' || s[i] == '-') && digits(i+1, 2) && s[i+3] == ':' && digits(i+4, 2)
	}
	return false
}

// normalizeTime rewrites an RFC 3339 timestamp to TimeLayout and leaves any other string alone.
func normalizeTime(s string) string {
	if !isRFC3339(s) {
		return s
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(TimeLayout)
}

// writeString writes s as a JSON string with the minimal escapes JSON requires, so the bytes
// do not depend on an encoder's HTML-safety choices.
func writeString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[r>>4])
			b.WriteByte(hexDigits[r&0xf])
		case r == utf8.RuneError && size == 1:
			b.WriteString("\uFFFD")
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}

// Chain returns the hash of an event: SHA-256, in lowercase hex, over the previous hash, a
// newline, and the event's canonical bytes. The separator keeps the two parts from sliding
// into each other.
func Chain(prevHash string, canonical []byte) string {
	h := sha256.New()
	h.Write([]byte(prevHash))
	h.Write([]byte{'\n'})
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

// Linked is one stored event as the verifier sees it: its sequence number in the chain, the
// hash it claims for its predecessor, its own hash, and its canonical bytes (recomputed from
// the stored row by the caller, never copied from a stored hash input).
type Linked struct {
	Seq       int64
	PrevHash  string
	Hash      string
	Canonical []byte
}

// Link computes the Linked record that follows prev (use Genesis and 0 to start a chain).
func Link(prevHash string, seq int64, canonical []byte) Linked {
	return Linked{Seq: seq, PrevHash: prevHash, Hash: Chain(prevHash, canonical), Canonical: canonical}
}

// BrokenError names the first event at which a chain does not verify.
type BrokenError struct {
	Index  int    // position in the slice given to Verify
	Seq    int64  // the event's stored sequence number
	Reason string // what did not match
}

// Error implements error.
func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit: chain broken at event seq %d (position %d): %s", e.Seq, e.Index, e.Reason)
}

// Verify checks a whole chain from its first event (Seq 1, PrevHash Genesis). It returns -1 and
// nil when every event verifies, otherwise the index of the first broken event and a
// *BrokenError naming it. A deleted last event cannot be seen from the chain alone: compare the
// head with a checkpoint using VerifyFrom's result.
func Verify(events []Linked) (firstBroken int, err error) {
	return VerifyFrom(0, Genesis, events)
}

// VerifyFrom checks a segment of a chain that follows the event (prevSeq, prevHash), for
// example the last checkpoint. Sequence numbers must increase by exactly one, each PrevHash
// must equal its predecessor's Hash, and each Hash must equal Chain(PrevHash, Canonical).
func VerifyFrom(prevSeq int64, prevHash string, events []Linked) (firstBroken int, err error) {
	for i, e := range events {
		var reason string
		switch {
		case e.Seq != prevSeq+1:
			reason = fmt.Sprintf("sequence %d follows %d (an event is missing or out of order)", e.Seq, prevSeq)
		case e.PrevHash != prevHash:
			reason = "previous hash does not match the preceding event"
		case e.Hash != Chain(e.PrevHash, e.Canonical):
			reason = "hash does not match the event's content"
		}
		if reason != "" {
			return i, &BrokenError{Index: i, Seq: e.Seq, Reason: reason}
		}
		prevSeq, prevHash = e.Seq, e.Hash
	}
	return -1, nil
}
