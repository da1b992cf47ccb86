package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// FeeQuote is what an applicant owes for one dossier, in VND.
type FeeQuote struct {
	Total int64     `json:"total"`
	Lines []FeeLine `json:"lines"`
}

// FeeLine is one fee of the quote with a Vietnamese explanation of how it was computed.
type FeeLine struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Amount int64  `json:"amount"`
	Detail string `json:"detail,omitempty"`
}

// ErrFeeInput is wrapped by Fee when the form lacks a count the fee depends on.
var ErrFeeInput = errors.New("fee input")

// maxFeeCount bounds counts read from form data so that arithmetic cannot overflow whatever a
// caller passes; schemas cap real counts far lower.
const maxFeeCount = 1_000_000

// Fee computes the fees of one dossier from its form data. online selects the online price
// where one exists; reduced applies the reduced amount of fees that have one; exempt waives
// the fees that name exempt groups. Reductions never raise a fee: the lowest applicable base
// amount is used. Per-copy and per-page fees read their counts from the form fields the fee
// names; tiered page prices are capped per copy and multiplied by the number of copies.
func (p *Procedure) Fee(form map[string]any, online, reduced, exempt bool) (FeeQuote, error) {
	q := FeeQuote{Lines: []FeeLine{}}
	for i, f := range p.Fees {
		line, err := f.quote(form, online, reduced, exempt)
		if err != nil {
			return FeeQuote{}, fmt.Errorf("fees[%d] %s: %w", i, f.Name, err)
		}
		q.Lines = append(q.Lines, line)
		q.Total += line.Amount
	}
	return q, nil
}

func (f Fee) quote(form map[string]any, online, reduced, exempt bool) (FeeLine, error) {
	line := FeeLine{Name: f.Name, Kind: f.Kind}
	if exempt && f.ExemptFor != "" {
		line.Detail = "Miễn cho: " + f.ExemptFor
		return line, nil
	}
	count, mult := int64(1), int64(1)
	var err error
	if f.CountField != "" {
		if count, err = formCount(form, f.CountField); err != nil {
			return line, err
		}
	}
	if f.MultiplierField != "" {
		if mult, err = formCount(form, f.MultiplierField); err != nil {
			return line, err
		}
	}
	var notes []string
	var base int64
	if f.Amount != nil {
		base = *f.Amount
		if online && f.OnlineAmount != nil && *f.OnlineAmount < base {
			base = *f.OnlineAmount
			notes = append(notes, "mức nộp trực tuyến")
		}
		if reduced && f.Reduced != nil && f.Reduced.Amount < base {
			base = f.Reduced.Amount
			notes = append(notes, "mức giảm cho "+f.Reduced.For)
		}
	}
	var perCopy int64
	switch {
	case len(f.Tiers) > 0:
		perCopy = tiered(f.Tiers, count)
	case f.Per == "copy", f.Per == "page":
		perCopy = base * count
	default:
		perCopy = base
	}
	if f.MaxPerCopy > 0 && perCopy > f.MaxPerCopy {
		perCopy = f.MaxPerCopy
		notes = append(notes, fmt.Sprintf("tối đa %s/bản", VND(f.MaxPerCopy)))
	}
	line.Amount = perCopy * mult
	switch f.Per {
	case "page":
		notes = append([]string{fmt.Sprintf("%d trang × %d bản", count, mult)}, notes...)
	case "copy":
		notes = append([]string{fmt.Sprintf("%d bản", count*mult)}, notes...)
	case "dossier":
		notes = append([]string{"theo hồ sơ"}, notes...)
	}
	line.Detail = strings.Join(notes, "; ")
	return line, nil
}

// tiered prices n units with tiers that start at 1 and follow each other (Validate ensures
// it); units beyond a closed last tier are priced at the last tier's amount.
func tiered(tiers []Tier, n int64) int64 {
	var sum int64
	for i, t := range tiers {
		from := int64(t.From)
		to := int64(t.To)
		if t.To == 0 || i == len(tiers)-1 {
			to = math.MaxInt64
		}
		if n < from {
			break
		}
		sum += (min(n, to) - from + 1) * t.Amount
	}
	return sum
}

// formCount reads a positive integer count from form data as decoded from JSON (float64 or
// json.Number) or built in Go (int kinds).
func formCount(form map[string]any, field string) (int64, error) {
	v, ok := form[field]
	if !ok || v == nil {
		return 0, fmt.Errorf("%w: thiếu trường %q để tính phí", ErrFeeInput, field)
	}
	var n int64
	switch x := v.(type) {
	case float64:
		if x != math.Trunc(x) || x > maxFeeCount || x < -maxFeeCount {
			return 0, fmt.Errorf("%w: trường %q phải là số nguyên", ErrFeeInput, field)
		}
		n = int64(x)
	case json.Number:
		i, err := x.Int64()
		if err != nil {
			return 0, fmt.Errorf("%w: trường %q phải là số nguyên", ErrFeeInput, field)
		}
		n = i
	case int:
		n = int64(x)
	case int64:
		n = x
	case int32:
		n = int64(x)
	default:
		return 0, fmt.Errorf("%w: trường %q phải là số nguyên", ErrFeeInput, field)
	}
	if n < 1 || n > maxFeeCount {
		return 0, fmt.Errorf("%w: trường %q phải từ 1 đến %d", ErrFeeInput, field, maxFeeCount)
	}
	return n, nil
}

// VND formats an amount the Vietnamese way: 200.000 đ.
func VND(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprint(v)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	out := b.String() + " đ"
	if neg {
		return "-" + out
	}
	return out
}
