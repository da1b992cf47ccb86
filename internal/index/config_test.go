package index

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDefaultConfig(t *testing.T) {
	cfg := DefaultConfig() // panics if invalid
	wantGroups := map[string]float64{"transparency": 18, "timeliness": 20, "online": 12, "payment": 10, "digitization": 22, "satisfaction": 18}
	var total float64
	for _, g := range cfg.Groups {
		if wantGroups[g.ID] != g.Points {
			t.Errorf("group %s: %v points, want %v (LEGAL.md §8)", g.ID, g.Points, wantGroups[g.ID])
		}
		total += g.Points
	}
	if total != 100 {
		t.Errorf("groups add to %v, want 100", total)
	}
	// The decision's five groups: online + payment form its third group of 22.
	if wantGroups["online"]+wantGroups["payment"] != 22 {
		t.Error("online and payment groups do not make the decision's 22")
	}
	var ids []string
	for _, ind := range cfg.Indicators {
		ids = append(ids, ind.ID)
	}
	want := "1.1 1.2 1.3 1.4 2.1 2.2 3.1 3.2 3.3 3.4 3.5 3.6 4.1 4.2 4.3 4.4 4.5 4.6 4.7 5.1 5.2 5.3"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("indicator ids %s, want %s", got, want)
	}
}

// amend applies edit to a copy of the default configuration, as an administrator editing
// indicators.json would.
func amend(t *testing.T, edit func(c *Config)) []byte {
	t.Helper()
	c := DefaultConfig()
	edit(&c)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want string // part of the error: the row and field
	}{
		{"not JSON", func(*testing.T) []byte { return []byte("{") }, "parse index config"},
		{"unknown field", func(*testing.T) []byte { return []byte(`{"format":"motcua.index-config/v1","weights":1}`) }, `unknown field "weights"`},
		{"trailing data", func(t *testing.T) []byte { return append(DefaultConfigJSON(), []byte("{}")...) }, "trailing data"},
		{"wrong format", func(t *testing.T) []byte { return amend(t, func(c *Config) { c.Format = "x" }) }, "format"},
		{"group sum broken", func(t *testing.T) []byte { return amend(t, func(c *Config) { c.Indicators[0].Points = 5 }) },
			"groups[0] (transparency): points: 18, indicators sum to 17.00"},
		{"unknown measure", func(t *testing.T) []byte { return amend(t, func(c *Config) { c.Indicators[3].Measure = "nope" }) },
			`indicators[3] (1.4): measure: unknown "nope"`},
		{"full_at without threshold", func(t *testing.T) []byte {
			return amend(t, func(c *Config) { c.Indicators[6].Rule.Threshold = 0 })
		}, "indicators[6] (3.1): rule.threshold"},
		{"threshold on a linear rule", func(t *testing.T) []byte {
			return amend(t, func(c *Config) { c.Indicators[0].Rule.Threshold = 50 })
		}, "indicators[0] (1.1): rule.threshold: only for full_at rules"},
		{"unknown rule", func(t *testing.T) []byte { return amend(t, func(c *Config) { c.Indicators[0].Rule.Kind = "log" }) },
			`indicators[0] (1.1): rule.kind: unknown "log"`},
		{"repeated id", func(t *testing.T) []byte { return amend(t, func(c *Config) { c.Indicators[1].ID = "1.1" }) },
			"indicators[1] (1.1): id: repeated"},
		{"bad id", func(t *testing.T) []byte { return amend(t, func(c *Config) { c.Indicators[1].ID = "one" }) },
			"indicators[1] (one): id"},
		{"unknown group", func(t *testing.T) []byte { return amend(t, func(c *Config) { c.Indicators[1].Group = "x" }) },
			`indicators[1] (1.2): group: unknown "x"`},
		{"monitored with points", func(t *testing.T) []byte {
			return amend(t, func(c *Config) { c.Indicators[5].Points = 1; c.Groups[1].Points = 21 })
		}, "indicators[5] (2.2): points: a monitored indicator has 0 points"},
		{"empty formula", func(t *testing.T) []byte { return amend(t, func(c *Config) { c.Indicators[2].FormulaVI = "" }) },
			"indicators[2] (1.3): name_vi, name_en, formula_vi: empty"},
		{"group without indicators", func(t *testing.T) []byte {
			return amend(t, func(c *Config) { c.Groups = append(c.Groups, Group{ID: "extra", NameVI: "x", NameEN: "x"}) })
		}, "groups[6] (extra): no indicator"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig(tc.data(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestAmendedDecisionIsData: moving two points from 1.4 to 1.3 and lowering the 3.3
// threshold is a configuration change that Compute follows with no code change.
func TestAmendedDecisionIsData(t *testing.T) {
	cfg, err := ParseConfig(amend(t, func(c *Config) {
		c.Indicators[2].Points = 4          // 1.3
		c.Indicators[3].Points = 4          // 1.4
		c.Indicators[8].Rule.Threshold = 25 // 3.3
	}))
	if err != nil {
		t.Fatal(err)
	}
	if r := Score(cfg.Indicators[2], 87, 89); *r.Points != 3.91 || r.MaxPoints != 4 {
		t.Errorf("1.3 = %v of %v, want 3.91 of 4", *r.Points, r.MaxPoints)
	}
	if r := Score(cfg.Indicators[8], 1, 4); *r.Points != 6 {
		t.Errorf("3.3 at 25%% = %v, want 6", *r.Points)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add(DefaultConfigJSON())
	f.Add([]byte(`{"format":"motcua.index-config/v1","groups":[{"id":"g","name_vi":"a","name_en":"a","points":2.5}],` +
		`"indicators":[{"id":"1.1","group":"g","name_vi":"a","name_en":"a","formula_vi":"a","points":2.5,"rule":{"kind":"full_at","threshold":0.1},"measure":"dossiers_synced"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data)
		if err != nil {
			return
		}
		// A valid configuration must score anything without panicking, within its bounds.
		for _, ind := range cfg.Indicators {
			for _, nd := range [][2]int64{{0, 0}, {1, 3}, {5, 5}, {7, 3}} {
				r := Score(ind, nd[0], nd[1])
				if r.Points != nil && (*r.Points < 0 || *r.Points > ind.Points+0.005) {
					t.Fatalf("%s: %v points of %v", ind.ID, *r.Points, ind.Points)
				}
			}
		}
		p, _ := Month(2026, 3)
		Compute(cfg, Inputs{Period: p})
	})
}
