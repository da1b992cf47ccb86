package catalog

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s and strips Vietnamese diacritics (đ/Đ become d), so that "Đăng ký" and
// "dang ky" compare equal: applicants often type without tone marks on phones.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Tokens folds s and splits it into words of letters and digits.
func Tokens(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Query is a catalog search. Empty filters match everything; Limit <= 0 means no limit.
type Query struct {
	Text        string
	Field       string // compared folded: "ho tich" selects "Hộ tịch"
	Level       Level
	OnlineLevel OnlineLevel
	Authority   string // agency key of the competent authority (ubnd-xa, so-tu-phap ...)
	Limit       int
	Offset      int
}

// Hit is one search result. Higher scores rank first.
type Hit struct {
	Procedure *Procedure
	Score     int
}

// Index answers catalog searches in memory. The catalog is small (a province publishes about
// 1,650 procedures), so an in-memory inverted index with one bitset per word answers in
// microseconds and needs no engine-specific full-text search. It is immutable after
// NewIndex and safe for concurrent use; rebuild it when the catalog changes.
type Index struct {
	procs     []*Procedure
	words     int // uint64 words per bitset
	vocab     []string
	sets      [][]uint64 // parallel to vocab
	nameToks  [][]string // sorted unique folded name tokens per procedure
	foldName  []string
	foldField []string
	byCode    []int // rank of each procedure in code order, the final tie-break
}

// NewIndex indexes the name, code and field of each procedure.
func NewIndex(ps []*Procedure) *Index {
	ix := &Index{procs: ps, words: (len(ps) + 63) / 64}
	post := map[string][]int{}
	for i, p := range ps {
		toks := Tokens(p.Name)
		ix.nameToks = append(ix.nameToks, uniqSorted(toks))
		ix.foldName = append(ix.foldName, strings.Join(toks, " "))
		ix.foldField = append(ix.foldField, strings.Join(Tokens(p.Field), " "))
		all := append(append(append([]string(nil), toks...), Tokens(p.Field)...), Tokens(p.Code)...)
		for _, t := range uniqSorted(all) {
			post[t] = append(post[t], i)
		}
	}
	for t := range post {
		ix.vocab = append(ix.vocab, t)
	}
	sort.Strings(ix.vocab)
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ps[order[a]].Code < ps[order[b]].Code })
	ix.byCode = make([]int, len(ps))
	for rank, d := range order {
		ix.byCode[d] = rank
	}
	ix.sets = make([][]uint64, len(ix.vocab))
	for i, t := range ix.vocab {
		set := make([]uint64, ix.words)
		for _, d := range post[t] {
			set[d/64] |= 1 << (d % 64)
		}
		ix.sets[i] = set
	}
	return ix
}

func uniqSorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	n := 0
	for i, t := range out {
		if i == 0 || t != out[n-1] {
			out[n] = t
			n++
		}
	}
	return out[:n]
}

// Len returns the number of indexed procedures.
func (ix *Index) Len() int { return len(ix.procs) }

// Search returns the procedures matching q, best first: every query word must occur in the
// name, field or code (the last word may be a prefix, for search-as-you-type); procedures whose
// name holds more of the words rank higher, an exact phrase in the name higher still, shorter
// names before longer ones, then by code.
func (ix *Index) Search(q Query) []Hit {
	ms := ix.match(q)
	if q.Offset > 0 {
		if q.Offset >= len(ms) {
			return nil
		}
		ms = ms[q.Offset:]
	}
	if q.Limit > 0 && len(ms) > q.Limit {
		ms = ms[:q.Limit]
	}
	hits := make([]Hit, len(ms))
	for i, m := range ms {
		hits[i] = Hit{Procedure: ix.procs[m.doc], Score: m.score}
	}
	return hits
}

// Count returns how many procedures match q, ignoring Limit and Offset (for paging).
func (ix *Index) Count(q Query) int { return len(ix.match(q)) }

type scored struct{ doc, score int }

func (ix *Index) match(q Query) []scored {
	toks := Tokens(q.Text)
	cand := make([]uint64, ix.words)
	for i := range cand {
		cand[i] = ^uint64(0)
	}
	if r := len(ix.procs) % 64; r != 0 && ix.words > 0 {
		cand[ix.words-1] = (1 << r) - 1
	}
	for i, t := range toks {
		if i == len(toks)-1 {
			ix.andPrefix(cand, t)
		} else {
			ix.andExact(cand, t)
		}
	}
	field := strings.Join(Tokens(q.Field), " ")
	phrase := strings.Join(toks, " ")
	var ms []scored
	for w, word := range cand {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			d := w*64 + b
			p := ix.procs[d]
			if (q.Level != "" && p.Level != q.Level) || (q.OnlineLevel != "" && p.OnlineLevel != q.OnlineLevel) ||
				(q.Authority != "" && p.Authority.Agency != q.Authority) || (field != "" && ix.foldField[d] != field) {
				continue
			}
			ms = append(ms, scored{doc: d, score: ix.score(d, toks, phrase)})
		}
	}
	slices.SortFunc(ms, func(a, b scored) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return ix.byCode[a.doc] - ix.byCode[b.doc]
	})
	return ms
}

func (ix *Index) andExact(cand []uint64, t string) {
	i := sort.SearchStrings(ix.vocab, t)
	if i == len(ix.vocab) || ix.vocab[i] != t {
		clear(cand)
		return
	}
	for w, s := range ix.sets[i] {
		cand[w] &= s
	}
}

func (ix *Index) andPrefix(cand []uint64, prefix string) {
	lo := sort.SearchStrings(ix.vocab, prefix)
	union := make([]uint64, ix.words)
	for i := lo; i < len(ix.vocab) && strings.HasPrefix(ix.vocab[i], prefix); i++ {
		for w, s := range ix.sets[i] {
			union[w] |= s
		}
	}
	for w := range cand {
		cand[w] &= union[w]
	}
}

func (ix *Index) score(d int, toks []string, phrase string) int {
	name := ix.nameToks[d]
	inName := 0
	for i, t := range toks {
		j := sort.SearchStrings(name, t)
		if j < len(name) && (name[j] == t || (i == len(toks)-1 && strings.HasPrefix(name[j], t))) {
			inName++
		}
	}
	score := inName * 1000
	if len(toks) > 0 && strings.Contains(ix.foldName[d], phrase) {
		score += 500
	}
	return score - len(ix.foldName[d])/8
}
