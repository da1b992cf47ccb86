package index

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
)

// ConfigFormat is the format tag an indicator configuration must carry.
const ConfigFormat = "motcua.index-config/v1"

//go:embed indicators.json
var defaultConfig []byte

// DefaultConfigJSON returns the embedded configuration of Quyết định 766/QĐ-TTg, for an
// administrator to copy and amend.
func DefaultConfigJSON() []byte { return bytes.Clone(defaultConfig) }

// DefaultConfig returns the embedded configuration. It panics if the embedded file is
// invalid, which a test rules out.
func DefaultConfig() Config {
	c, err := ParseConfig(defaultConfig)
	if err != nil {
		panic(fmt.Sprintf("index: embedded indicators.json: %v", err))
	}
	return c
}

// Config is the service index as data: groups and indicators with their points, scoring rules
// and formulas. An amended decision is a new Config, not new code; only the measures (which
// counts feed a numerator and a denominator) are built in.
type Config struct {
	Format     string      `json:"format"`
	Decision   string      `json:"decision"`
	Note       string      `json:"note,omitempty"`
	Groups     []Group     `json:"groups"`
	Indicators []Indicator `json:"indicators"`
}

// Group is a group of indicators with the points the decision gives it.
type Group struct {
	ID     string  `json:"id"`
	NameVI string  `json:"name_vi"`
	NameEN string  `json:"name_en"`
	Points float64 `json:"points"`
}

// Indicator is one indicator of LEGAL.md §8.
type Indicator struct {
	// ID is the indicator's number in LEGAL.md §8, e.g. "3.3"; the API uses it as is.
	ID        string  `json:"id"`
	Group     string  `json:"group"`
	NameVI    string  `json:"name_vi"`
	NameEN    string  `json:"name_en"`
	Points    float64 `json:"points"`
	Rule      Rule    `json:"rule"`
	Measure   string  `json:"measure"`
	FormulaVI string  `json:"formula_vi"`
}

// RuleKind names a scoring rule.
type RuleKind string

// Scoring rules of LEGAL.md §8. With a zero denominator the rate is N/A and, unless the rule
// says otherwise, the indicator is not scored: it is left out of the total and of the maximum.
const (
	// Linear gives points × rate.
	Linear RuleKind = "linear"
	// FullAt gives full points when rate >= Threshold, else points × rate / Threshold.
	FullAt RuleKind = "full_at"
	// Monitored is shown but never scored (0 points).
	Monitored RuleKind = "monitored"
	// LinearOrFullIfNone is Linear, with full points when there is nothing to count
	// (5.1, 5.2: no feedback).
	LinearOrFullIfNone RuleKind = "linear_or_full_if_none"
	// FullAtOrZeroIfNone is FullAt, with 0 points when there is nothing to count (5.3: no
	// dossiers).
	FullAtOrZeroIfNone RuleKind = "full_at_or_zero_if_none"
)

// Rule is how an indicator's rate turns into points.
type Rule struct {
	Kind RuleKind `json:"kind"`
	// Threshold is the rate in percent at which FullAt rules give full points.
	Threshold float64 `json:"threshold,omitempty"`
}

var idPattern = regexp.MustCompile(`^[1-9][0-9]*\.[1-9][0-9]*$`)

// ParseConfig decodes and validates a configuration. Unknown fields are errors, so that a
// misspelt key in an amended file is not silently ignored.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("parse index config: %w", err)
	}
	if dec.More() {
		return Config{}, errors.New("parse index config: trailing data")
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("parse index config: %w", err)
	}
	return c, nil
}

// Validate checks the configuration. Each error names the row and the field. A group's points
// must equal the sum of its indicators' points, so that a reweighting cannot silently change
// the 100-point total.
func (c *Config) Validate() error {
	var errs []error
	if c.Format != ConfigFormat {
		errs = append(errs, fmt.Errorf("format: %q, want %q", c.Format, ConfigFormat))
	}
	if len(c.Groups) == 0 {
		errs = append(errs, errors.New("groups: empty"))
	}
	groups := map[string]int{}
	for i, g := range c.Groups {
		row := fmt.Sprintf("groups[%d] (%s)", i, g.ID)
		switch {
		case g.ID == "":
			errs = append(errs, fmt.Errorf("groups[%d]: id: empty", i))
		case groups[g.ID] > 0:
			errs = append(errs, fmt.Errorf("%s: id: repeated", row))
		}
		groups[g.ID] = i + 1
		if g.NameVI == "" || g.NameEN == "" {
			errs = append(errs, fmt.Errorf("%s: name_vi, name_en: empty", row))
		}
		if !(g.Points >= 0) {
			errs = append(errs, fmt.Errorf("%s: points: %v negative", row, g.Points))
		}
	}
	sums := make([]*big.Rat, len(c.Groups))
	count := make([]int, len(c.Groups))
	for i := range sums {
		sums[i] = new(big.Rat)
	}
	ids := map[string]bool{}
	for i, ind := range c.Indicators {
		row := fmt.Sprintf("indicators[%d] (%s)", i, ind.ID)
		if !idPattern.MatchString(ind.ID) {
			errs = append(errs, fmt.Errorf("%s: id: want a number like \"3.3\"", row))
		} else if ids[ind.ID] {
			errs = append(errs, fmt.Errorf("%s: id: repeated", row))
		}
		ids[ind.ID] = true
		g := groups[ind.Group]
		if g == 0 {
			errs = append(errs, fmt.Errorf("%s: group: unknown %q", row, ind.Group))
		} else {
			sums[g-1].Add(sums[g-1], exact(ind.Points))
			count[g-1]++
		}
		if ind.NameVI == "" || ind.NameEN == "" || ind.FormulaVI == "" {
			errs = append(errs, fmt.Errorf("%s: name_vi, name_en, formula_vi: empty", row))
		}
		if _, ok := measures[ind.Measure]; !ok {
			errs = append(errs, fmt.Errorf("%s: measure: unknown %q", row, ind.Measure))
		}
		switch ind.Rule.Kind {
		case Monitored:
			if ind.Points != 0 {
				errs = append(errs, fmt.Errorf("%s: points: a monitored indicator has 0 points", row))
			}
		case Linear, FullAt, LinearOrFullIfNone, FullAtOrZeroIfNone:
			if !(ind.Points > 0) || ind.Points > 100 {
				errs = append(errs, fmt.Errorf("%s: points: %v outside (0, 100]", row, ind.Points))
			}
		default:
			errs = append(errs, fmt.Errorf("%s: rule.kind: unknown %q", row, ind.Rule.Kind))
		}
		fullAt := ind.Rule.Kind == FullAt || ind.Rule.Kind == FullAtOrZeroIfNone
		switch {
		case fullAt && !(ind.Rule.Threshold > 0 && ind.Rule.Threshold <= 100):
			errs = append(errs, fmt.Errorf("%s: rule.threshold: %v outside (0, 100]", row, ind.Rule.Threshold))
		case !fullAt && ind.Rule.Threshold != 0:
			errs = append(errs, fmt.Errorf("%s: rule.threshold: only for full_at rules", row))
		}
	}
	for i, g := range c.Groups {
		if count[i] == 0 {
			errs = append(errs, fmt.Errorf("groups[%d] (%s): no indicator", i, g.ID))
		} else if sums[i].Cmp(exact(g.Points)) != 0 {
			errs = append(errs, fmt.Errorf("groups[%d] (%s): points: %v, indicators sum to %s", i, g.ID, g.Points, sums[i].FloatString(2)))
		}
	}
	return errors.Join(errs...)
}

// exact converts a configured number to the rational it was written as: 2.5 stays 5/2 and
// 0.1 becomes 1/10, not the binary fraction nearest to it. The result is shared (parsing it
// was a tenth of an index query): callers must not modify it.
func exact(f float64) *big.Rat {
	k := math.Float64bits(f)
	if r, ok := exactCache.Load(k); ok {
		return r.(*big.Rat)
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	if !ok {
		r = new(big.Rat) // NaN or Inf, rejected by Validate
	}
	if exactCached.Add(1) <= maxExactCached {
		exactCache.Store(k, r)
	}
	return r
}

// exactCache holds exact's results by the float's bits; configurations hold a few dozen
// distinct numbers, and the cache stops growing at maxExactCached.
var (
	exactCache  sync.Map // uint64 -> *big.Rat
	exactCached atomic.Int64
)

const maxExactCached = 4096
