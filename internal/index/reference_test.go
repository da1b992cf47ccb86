package index

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"testing"
)

const referencePath = "../../../shared/data/reference/phu-tho-2026-08.json"

// portalMetric is one metric as the national portal publishes it.
type portalMetric struct {
	Code        string   `json:"code"`
	Numerator   *int64   `json:"numerator"`
	Denominator *int64   `json:"denominator"`
	Ratio       *float64 `json:"ratio"`
	Score       *float64 `json:"score"`
	MaxScore    float64  `json:"maxScore"`
}

type portalReference struct {
	Groups struct {
		Transparency struct {
			TotalScore float64        `json:"totalScore"`
			Metrics    []portalMetric `json:"metrics"`
		} `json:"transparency"`
		Progress struct {
			TotalReceived int64   `json:"totalReceived"`
			TotalOnTime   int64   `json:"totalOnTime"`
			Ratio         float64 `json:"ratio"`
			TotalScore    float64 `json:"totalScore"`
		} `json:"dvc-progress-tree"`
		Online struct {
			TotalScore         float64 `json:"totalScore"`
			AuthorityCount     int64   `json:"authorityCount"`
			PartialCount       int64   `json:"partialCount"`
			FullCount          int64   `json:"fullCount"`
			OnlineDossierCount int64   `json:"onlineDossierCount"`
			OnlineServiceTotal int64   `json:"onlineServiceTotal"`
			ChannelOnlineSum   int64   `json:"channelOnlineSum"`
			ChannelTotalSum    int64   `json:"channelTotalSum"`
		} `json:"provide-online-tree"`
		Payment struct {
			TotalScore         float64 `json:"totalScore"`
			PaidOnline         int64   `json:"totalDossierOnlinePaymentSuccess"`
			FeeDossiers        int64   `json:"totalDossierFinancialObligation"`
			ProceduresPaid     int64   `json:"totalDossierOnlineFormalityPaymentSuccess"`
			FeeProcedures      int64   `json:"totalFeeDossierFormalityDistinct"`
			ProceduresIntegr   int64   `json:"totalFeeDossierFormality"`
			FeeProceduresTotal int64   `json:"totalFeeFormality"`
		} `json:"formality-online-payment-tree"`
		Digitized struct {
			TotalScore float64        `json:"totalScore"`
			Metrics    []portalMetric `json:"metrics"`
		} `json:"dossier-digitized"`
		Satisfaction struct {
			TotalScore float64        `json:"totalScore"`
			Metrics    []portalMetric `json:"metrics"`
		} `json:"handling-satisfaction"`
	} `json:"groups"`
}

// portalCodes maps the portal's metric codes to our indicator ids. The two PAKN
// classification metrics the portal shows with 0 points have no indicator in LEGAL.md §8.
var portalCodes = map[string]string{
	"PUBLISH_ON_TIME":                    "1.1",
	"PUBLIC_UPDATE_ON_TIME":              "1.2",
	"PUBLIC_CONTENT_FULL":                "1.3",
	"DOSSIER_SYNC":                       "1.4",
	"ORIGINAL_RESULT_AVAILABLE":          "4.1",
	"SO_HOA_GIAY_TO_GIAI_QUYET":          "4.2",
	"ELECTRONIC_CERTIFIED_COPY":          "4.3",
	"REUSED_DIGITIZED_DATA":              "4.4",
	"SYNCED_WITH_DVCQG_PERSONAL_STORAGE": "4.5",
	"CITIZEN_DATA_CONNECTED_FORMALITY":   "4.6",
	"CITIZEN_DATA_CONNECTED_DOSSIER":     "4.7",
	"PETITION_PROCESSING_ON_TIME":        "5.1",
	"PETITION_HANDLING_SATISFACTION":     "5.2",
	"DOSSIER_RECEIVING_SATISFACTION":     "5.3",
	"PETITION_CLASSIFICATION_TTHC":       "",
	"PETITION_CLASSIFICATION_STAFF":      "",
}

func loadReference(t *testing.T) portalReference {
	t.Helper()
	data, err := os.ReadFile(referencePath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("reference figures not found at %s: run from the repository checkout next to shared/", referencePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref portalReference
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatalf("decode %s: %v", referencePath, err)
	}
	return ref
}

func indicatorByID(t *testing.T, cfg Config, id string) Indicator {
	t.Helper()
	for _, ind := range cfg.Indicators {
		if ind.ID == id {
			return ind
		}
	}
	t.Fatalf("no indicator %s in the configuration", id)
	return Indicator{}
}

func eq2(a, b float64) bool { return math.Abs(a-b) < 0.001 }

// TestReferencePhuTho reproduces every score the national portal published for Phú Thọ,
// August 2026, from the portal's own numerators and denominators, by our configuration and
// rounding: each metric's points and rate where the portal shows them, each group's total
// (for the online and payment groups the portal shows only the total) and the 59.91 total.
func TestReferencePhuTho(t *testing.T) {
	ref := loadReference(t)
	cfg := DefaultConfig()
	type obs struct {
		num, den  int64
		rate, pts *float64 // published; nil = not published or N/A
	}
	got := map[string]obs{}
	addMetrics := func(ms []portalMetric) {
		for _, m := range ms {
			id, ok := portalCodes[m.Code]
			if !ok {
				t.Errorf("portal metric %s has no mapping", m.Code)
				continue
			}
			if id == "" {
				if m.Score != nil || m.MaxScore != 0 {
					t.Errorf("portal metric %s is scored; we treat it as monitored outside §8", m.Code)
				}
				continue
			}
			o := obs{rate: m.Ratio, pts: m.Score}
			switch {
			case m.Numerator != nil && m.Denominator != nil:
				o.num, o.den = *m.Numerator, *m.Denominator
			case m.Ratio != nil:
				// 4.3 is published as a bare ratio; feed it back as a fraction of 10000.
				o.num, o.den = int64(math.Round(*m.Ratio*100)), 10000
			}
			if m.MaxScore != indicatorByID(t, cfg, id).Points {
				t.Errorf("%s (%s): portal max %v, configured %v", id, m.Code, m.MaxScore, indicatorByID(t, cfg, id).Points)
			}
			got[id] = o
		}
	}
	g := ref.Groups
	addMetrics(g.Transparency.Metrics)
	addMetrics(g.Digitized.Metrics)
	addMetrics(g.Satisfaction.Metrics)
	pr := g.Progress
	got["2.1"] = obs{num: pr.TotalOnTime, den: pr.TotalReceived, rate: &pr.Ratio, pts: &pr.TotalScore}
	on := g.Online
	got["3.1"] = obs{num: on.PartialCount + on.FullCount, den: on.AuthorityCount}
	got["3.2"] = obs{num: on.OnlineDossierCount, den: on.OnlineServiceTotal}
	got["3.3"] = obs{num: on.ChannelOnlineSum, den: on.ChannelTotalSum}
	pay := g.Payment
	got["3.4"] = obs{num: pay.ProceduresIntegr, den: pay.FeeProceduresTotal}
	got["3.5"] = obs{num: pay.ProceduresPaid, den: pay.FeeProcedures}
	got["3.6"] = obs{num: pay.PaidOnline, den: pay.FeeDossiers}

	groupWant := map[string]float64{
		"transparency": g.Transparency.TotalScore,
		"timeliness":   pr.TotalScore,
		"online":       on.TotalScore,
		"payment":      pay.TotalScore,
		"digitization": g.Digitized.TotalScore,
		"satisfaction": g.Satisfaction.TotalScore,
	}
	groupGot := map[string]int64{}
	var total, totalWant int64
	for _, ind := range cfg.Indicators {
		if ind.Rule.Kind == Monitored {
			continue // 2.2 is published as an average, not scored
		}
		o, ok := got[ind.ID]
		if !ok {
			t.Errorf("%s: no reference figure", ind.ID)
			continue
		}
		t.Run(ind.ID, func(t *testing.T) {
			r := Score(ind, o.num, o.den)
			if (r.Rate == nil) != (o.den == 0) {
				t.Errorf("rate = %v for %d/%d", r.Rate, o.num, o.den)
			}
			if o.rate != nil && (r.Rate == nil || !eq2(*r.Rate, *o.rate)) {
				t.Errorf("rate = %v, portal %v", fmtp(r.Rate), *o.rate)
			}
			if o.pts != nil && (r.Points == nil || !eq2(*r.Points, *o.pts)) {
				t.Errorf("points = %v, portal %v", fmtp(r.Points), *o.pts)
			}
			if o.pts == nil && o.den == 0 && r.Points != nil {
				t.Errorf("points = %v, portal does not score it", *r.Points)
			}
			if r.Points != nil {
				groupGot[ind.Group] += hundredths(*r.Points)
			}
		})
	}
	for id, want := range groupWant {
		if !eq2(float64(groupGot[id])/100, want) {
			t.Errorf("group %s: %.2f, portal %.2f", id, float64(groupGot[id])/100, want)
		}
		total += groupGot[id]
		totalWant += hundredths(want)
	}
	if total != totalWant || total != 5991 {
		t.Errorf("total %.2f, portal groups add to %.2f (README: 59.91)", float64(total)/100, float64(totalWant)/100)
	}
}

func fmtp(p *float64) any {
	if p == nil {
		return "null"
	}
	return *p
}
