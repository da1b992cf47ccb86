package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/org"
)

// expectedUnits resolves a procedure's step selectors by the rules of the issue, independently
// of Route, for a dossier received at deskUnit and decided by authority (commune for commune
// bodies).
func expectedUnits(p *catalog.Procedure, deskUnit, authority, commune string) []string {
	var out []string
	for _, s := range p.Process {
		switch {
		case s.Unit == "receiving_desk":
			out = append(out, deskUnit)
		case s.Unit == "authority":
			out = append(out, authority)
		case s.Unit == "agency:ubnd-xa":
			out = append(out, commune)
		case s.Unit == "agency:cong-an-xa":
			out = append(out, org.PolicePrefix+commune)
		default:
			out = append(out, strings.TrimPrefix(s.Unit, "agency:"))
		}
	}
	return out
}

func TestRoute(t *testing.T) {
	dir := seedDir(t)
	communes := dir.Communes()
	a, b := communes[0].Key, communes[len(communes)-1].Key
	center := dir.ServiceCenter()

	commune := procedureWhere(t, func(p *catalog.Procedure) bool {
		return p.Level == catalog.LevelCommune && p.Authority.Agency == catalog.AgencyCommuneCommittee && !p.Interconnected
	})
	police := procedureWhere(t, func(p *catalog.Procedure) bool { return p.Authority.Agency == catalog.AgencyCommunePolice })
	province := procedureWhere(t, func(p *catalog.Procedure) bool { return p.Level == catalog.LevelProvince && !p.Interconnected })

	tests := []struct {
		name          string
		p             *catalog.Procedure
		desk, asked   string
		wantAuthority string
		wantCommune   string
		wantIDFrom    string
	}{
		{"commune procedure at its own desk", commune, a, "", a, a, a},
		{"commune procedure at the provincial center", commune, center, b, b, b, b},
		{"commune procedure at another commune's desk", commune, a, b, b, b, b},
		{"commune police procedure at the center", police, center, a, org.PolicePrefix + a, a, a},
		{"police named by its own key", police, b, org.PolicePrefix + a, org.PolicePrefix + a, a, a},
		{"province procedure at a commune desk", province, b, "", province.Authority.Agency, b, province.Authority.Agency},
		{"province procedure at the center", province, center, "", province.Authority.Agency, "", province.Authority.Agency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := catalog.Route(tt.p, dir, tt.desk, tt.asked)
			if err != nil {
				t.Fatal(err)
			}
			desk, _ := dir.Desk(tt.desk)
			if r.Authority != tt.wantAuthority {
				t.Errorf("Authority = %q, want %q", r.Authority, tt.wantAuthority)
			}
			if want := dir.Identifier(tt.wantIDFrom); r.Identifier != want || want == "" {
				t.Errorf("Identifier = %q, want %q", r.Identifier, want)
			}
			var got []string
			for i, s := range r.Steps {
				got = append(got, s.Unit)
				if s.Index != i || s.Name != tt.p.Process[i].Name || s.Role != tt.p.Process[i].Role ||
					s.ShareMinutes != tt.p.Process[i].Share.Minutes() || s.Parallel != tt.p.Process[i].Parallel {
					t.Errorf("step %d = %+v does not mirror %+v", i, s, tt.p.Process[i])
				}
			}
			if diff := cmp.Diff(expectedUnits(tt.p, desk.Unit, tt.wantAuthority, tt.wantCommune), got); diff != "" {
				t.Errorf("step units (-want +got):\n%s", diff)
			}
		})
	}
}

func procedureWhere(t *testing.T, pred func(p *catalog.Procedure) bool) *catalog.Procedure {
	t.Helper()
	return seedFile(t).Procedures[procIndex(t, pred)]
}

func TestRouteInterconnected(t *testing.T) {
	dir := seedDir(t)
	communes := dir.Communes()
	a, b := communes[1].Key, communes[2].Key
	center := dir.ServiceCenter()
	for _, code := range []string{"2.000986", "DD.01", "DT.02"} {
		p := seedProc(t, code)
		for _, desk := range []string{a, center} {
			t.Run(code+"@"+desk, func(t *testing.T) {
				asked := ""
				if p.Level == catalog.LevelCommune {
					asked = b
				}
				r, err := catalog.Route(p, dir, desk, asked)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for _, s := range r.Steps {
					got[s.Unit] = true
					if _, ok := dir.Unit(s.Unit); !ok {
						t.Errorf("step %q routed to unknown unit %q", s.Name, s.Unit)
					}
				}
				// Every agency the process names gets its step.
				for _, s := range p.Process {
					key, ok := strings.CutPrefix(s.Unit, "agency:")
					if !ok {
						continue
					}
					want := key
					switch key {
					case "ubnd-xa":
						want = b
					case "cong-an-xa":
						want = org.PolicePrefix + b
					}
					if !got[want] {
						t.Errorf("no step for agency %s (%s); steps %+v", key, want, r.Steps)
					}
				}
				deskUnit, _ := dir.Desk(desk)
				if r.Identifier != dir.Identifier(deskUnit.Unit) {
					t.Errorf("interconnected dossier code should use the receiving desk's identifier, got %q", r.Identifier)
				}
			})
		}
	}
}

func TestRouteErrors(t *testing.T) {
	dir := seedDir(t)
	commune := seedProc(t, "HKD.01")
	province := seedProc(t, "LLTP.01")
	c := dir.Communes()[0].Key
	otherAgency := ""
	for _, a := range dir.Agencies() {
		if a.Key != province.Authority.Agency {
			otherAgency = a.Key
		}
	}
	tests := []struct {
		name        string
		p           *catalog.Procedure
		desk, asked string
		want        error
	}{
		{"unknown desk", commune, "nowhere", "", catalog.ErrUnknownDesk},
		{"commune procedure at the center without a commune", commune, dir.ServiceCenter(), "", catalog.ErrAuthorityNeeded},
		{"commune procedure for an agency", commune, c, otherAgency, catalog.ErrUnknownAuthority},
		{"province procedure for another agency", province, c, otherAgency, catalog.ErrUnknownAuthority},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := catalog.Route(tt.p, dir, tt.desk, tt.asked); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
