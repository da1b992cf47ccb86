package index

import (
	"cmp"
	"slices"
)

// UnitScore is one unit's total for a period, as ranked on the dashboards.
type UnitScore struct {
	Unit  string  `json:"unit"`
	Total float64 `json:"total"`
}

// Ranked is a UnitScore with its place. Equal totals share a place and the next place skips
// accordingly (1, 1, 3), the usual way of ranking units on the portal.
type Ranked struct {
	UnitScore
	Rank int `json:"rank"`
}

// Rank orders units by total, highest first, then by unit key so the order is stable. Totals
// are compared in hundredths, the precision they are published with, so that two units shown
// with the same total share a place.
func Rank(scores []UnitScore) []Ranked {
	out := make([]Ranked, len(scores))
	for i, s := range scores {
		out[i] = Ranked{UnitScore: s}
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		if c := cmp.Compare(hundredths(b.Total), hundredths(a.Total)); c != 0 {
			return c
		}
		return cmp.Compare(a.Unit, b.Unit)
	})
	for i := range out {
		if i > 0 && hundredths(out[i].Total) == hundredths(out[i-1].Total) {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}
