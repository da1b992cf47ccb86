package audit

import (
	"bytes"
	"encoding/json"
	"slices"
	"unicode/utf8"
)

// canonicalFast is CanonicalJSON for ordinary input, without decoding into maps and
// interfaces: it walks the text once, copies numbers, literals and plain strings as they are
// and sorts each object's members by key. It gives up (ok false) on anything it does not
// handle exactly as the decoding path does (invalid or unusual JSON, duplicate keys), and
// CanonicalJSON then takes that path; FuzzCanonicalFastAgrees checks that both agree whenever
// this one answers. A state change canonicalizes its events before it is written, so this is
// on every command's path.
func canonicalFast(raw []byte) ([]byte, bool) {
	p := fastParser{in: raw, out: make([]byte, 0, len(raw))}
	p.skipSpace()
	if !p.value(0) {
		return nil, false
	}
	p.skipSpace()
	if p.i != len(p.in) {
		return nil, false
	}
	return p.out, true
}

// maxFastDepth bounds the nesting canonicalFast follows (deeper input takes the decoding path).
const maxFastDepth = 64

type fastParser struct {
	in  []byte
	i   int
	out []byte
}

func (p *fastParser) skipSpace() {
	for p.i < len(p.in) {
		switch p.in[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) value(depth int) bool {
	if p.i >= len(p.in) || depth > maxFastDepth {
		return false
	}
	switch c := p.in[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return false
		}
		p.writeStr(normalize(s))
		return true
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return false
}

func (p *fastParser) literal(lit string) bool {
	if !bytes.HasPrefix(p.in[p.i:], []byte(lit)) {
		return false
	}
	p.i += len(lit)
	p.out = append(p.out, lit...)
	return true
}

// number copies a number that follows JSON's grammar exactly as written (the decoding path
// keeps json.Number's text).
func (p *fastParser) number() bool {
	start := p.i
	in := p.in
	if p.i < len(in) && in[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(in) && in[p.i] >= '0' && in[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	switch {
	case p.i < len(in) && in[p.i] == '0':
		p.i++
	case digits() == 0:
		return false
	}
	if p.i < len(in) && in[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return false
		}
	}
	if p.i < len(in) && (in[p.i] == 'e' || in[p.i] == 'E') {
		p.i++
		if p.i < len(in) && (in[p.i] == '+' || in[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return false
		}
	}
	p.out = append(p.out, in[start:p.i]...)
	return true
}

// str reads a string token and returns its value. Strings without escapes are returned as
// they are when they are valid UTF-8 without control characters; a string with escapes is
// decoded by encoding/json itself, so that escapes mean exactly what they mean there.
func (p *fastParser) str() ([]byte, bool) {
	start := p.i + 1
	escaped := false
	for j := start; j < len(p.in); j++ {
		switch c := p.in[j]; {
		case c == '"':
			p.i = j + 1
			body := p.in[start:j]
			if !escaped {
				if !utf8.Valid(body) {
					return nil, false
				}
				return body, true
			}
			var s string
			if err := json.Unmarshal(p.in[start-1:j+1], &s); err != nil {
				return nil, false
			}
			return []byte(s), true
		case c == '\\':
			escaped = true
			j++ // the escaped byte cannot end the string
		case c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// normalize is normalizeTime on a string value.
func normalize(s []byte) []byte {
	if isRFC3339(s) {
		return []byte(normalizeTime(string(s)))
	}
	return s
}

// writeStr writes s as writeString does (keys are written as they are, values after
// normalize). s is valid UTF-8: str checked it, or encoding/json decoded it.
func (p *fastParser) writeStr(s []byte) {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			plain = false
			break
		}
	}
	if plain {
		p.out = append(p.out, '"')
		p.out = append(p.out, s...)
		p.out = append(p.out, '"')
		return
	}
	var b bytes.Buffer
	writeString(&b, string(s))
	p.out = append(p.out, b.Bytes()...)
}

func (p *fastParser) array(depth int) bool {
	p.i++ // [
	p.out = append(p.out, '[')
	p.skipSpace()
	if p.i < len(p.in) && p.in[p.i] == ']' {
		p.i++
		p.out = append(p.out, ']')
		return true
	}
	for {
		p.skipSpace()
		if !p.value(depth + 1) {
			return false
		}
		p.skipSpace()
		if p.i >= len(p.in) {
			return false
		}
		switch p.in[p.i] {
		case ',':
			p.i++
			p.out = append(p.out, ',')
		case ']':
			p.i++
			p.out = append(p.out, ']')
			return true
		default:
			return false
		}
	}
}

// member is one object member: its decoded key and where its canonical value was written.
type member struct {
	key        []byte
	start, end int // in p.out
}

func (p *fastParser) object(depth int) bool {
	p.i++ // {
	var ms []member
	base := len(p.out) // members' values are written here first, then reordered
	p.skipSpace()
	if p.i < len(p.in) && p.in[p.i] == '}' {
		p.i++
		p.out = append(p.out, '{', '}')
		return true
	}
	for {
		p.skipSpace()
		if p.i >= len(p.in) || p.in[p.i] != '"' {
			return false
		}
		k, ok := p.str()
		if !ok {
			return false
		}
		p.skipSpace()
		if p.i >= len(p.in) || p.in[p.i] != ':' {
			return false
		}
		p.i++
		p.skipSpace()
		start := len(p.out)
		if !p.value(depth + 1) {
			return false
		}
		ms = append(ms, member{key: k, start: start, end: len(p.out)})
		p.skipSpace()
		if p.i >= len(p.in) {
			return false
		}
		if p.in[p.i] == '}' {
			p.i++
			break
		}
		if p.in[p.i] != ',' {
			return false
		}
		p.i++
	}
	slices.SortFunc(ms, func(a, b member) int { return bytes.Compare(a.key, b.key) })
	for i := 1; i < len(ms); i++ {
		if bytes.Equal(ms[i].key, ms[i-1].key) {
			return false // duplicate keys: the decoding path keeps the last one
		}
	}
	values := slices.Clone(p.out[base:])
	p.out = append(p.out[:base], '{')
	for i, m := range ms {
		if i > 0 {
			p.out = append(p.out, ',')
		}
		p.writeStr(m.key)
		p.out = append(p.out, ':')
		p.out = append(p.out, values[m.start-base:m.end-base]...)
	}
	p.out = append(p.out, '}')
	return true
}
