package index

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRank(t *testing.T) {
	tests := []struct {
		name string
		in   []UnitScore
		want []Ranked
	}{
		{"empty", nil, []Ranked{}},
		{"ties share a place and the next skips", []UnitScore{{"c", 80}, {"a", 90.5}, {"d", 80}, {"b", 70}},
			[]Ranked{{UnitScore{"a", 90.5}, 1}, {UnitScore{"c", 80}, 2}, {UnitScore{"d", 80}, 2}, {UnitScore{"b", 70}, 4}}},
		{"equal at published precision despite float noise", []UnitScore{{"y", 0.1 + 0.2}, {"x", 0.3}},
			[]Ranked{{UnitScore{"x", 0.3}, 1}, {UnitScore{"y", 0.1 + 0.2}, 1}}},
		{"all equal", []UnitScore{{"b", 1}, {"a", 1}},
			[]Ranked{{UnitScore{"a", 1}, 1}, {UnitScore{"b", 1}, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Rank(tc.in)); diff != "" {
				t.Errorf("Rank (-want +got):\n%s", diff)
			}
		})
	}
}
