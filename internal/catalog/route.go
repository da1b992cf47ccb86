package catalog

import (
	"errors"
	"fmt"
	"strings"

	"github.com/motcua/motcua/internal/org"
)

// Routing is where a dossier goes: the competent authority, the identifier its dossier code
// starts with, and the unit of every step of the internal process.
type Routing struct {
	Procedure     string `json:"procedure"`
	ReceivingDesk string `json:"receiving_desk"`
	// ReceivingUnit is the unit that owns the receiving desk.
	ReceivingUnit string `json:"receiving_unit"`
	// Authority is the unit key of the competent authority.
	Authority string `json:"authority"`
	// Identifier prefixes the dossier code (LEGAL §4): the authority's identifier, or the
	// receiving desk's for interconnected (liên thông) procedures, whose dossiers belong to a
	// group of agencies rather than one.
	Identifier string       `json:"identifier"`
	Steps      []RoutedStep `json:"steps"`
}

// RoutedStep is one process step bound to a concrete unit.
type RoutedStep struct {
	Index        int    `json:"index"`
	Name         string `json:"name"`
	Role         string `json:"role"`
	Unit         string `json:"unit"`
	ShareMinutes int    `json:"share_minutes"`
	Parallel     bool   `json:"parallel"`
}

// Routing errors; callers map them to user messages.
var (
	ErrUnknownDesk      = errors.New("unknown receiving desk")
	ErrAuthorityNeeded  = errors.New("competent commune required")
	ErrUnknownAuthority = errors.New("unknown authority")
)

// Route decides who handles a dossier of p received at receivingDesk. Reception is
// boundary-free (LEGAL §1): any desk of the province receives any procedure, and the place of
// reception never decides competence.
//
// For a commune procedure, authority names the competent commune (a commune key; the commune's
// police key is accepted too). It defaults to the receiving desk's commune and is required
// when the dossier is received at the provincial center; a commune desk may receive for another
// commune, which then decides. For a province procedure the authority is the procedure's
// agency, and authority must be empty or name that agency.
//
// Steps resolve receiving_desk to the desk's unit, authority to the competent unit,
// agency:ubnd-xa to the competent commune, agency:cong-an-xa to its police, and agency:KEY to
// that provincial agency.
func Route(p *Procedure, dir *org.Directory, receivingDesk string, authority string) (Routing, error) {
	desk, ok := dir.Desk(receivingDesk)
	if !ok {
		return Routing{}, fmt.Errorf("route %s: %w %q", p.Code, ErrUnknownDesk, receivingDesk)
	}
	r := Routing{Procedure: p.Code, ReceivingDesk: desk.Key, ReceivingUnit: desk.Unit}

	// The commune that competes, if any: needed by commune procedures and by any step that
	// names a commune body.
	commune := ""
	if authority != "" {
		c, ok := dir.CommuneOf(authority)
		switch {
		case ok:
			commune = c
		case p.Level == LevelCommune:
			return Routing{}, fmt.Errorf("route %s: %w %q (not a commune)", p.Code, ErrUnknownAuthority, authority)
		}
	} else if c, ok := dir.CommuneOf(desk.Unit); ok {
		commune = c
	}

	switch p.Level {
	case LevelCommune:
		if commune == "" {
			return Routing{}, fmt.Errorf("route %s received at %s: %w", p.Code, desk.Key, ErrAuthorityNeeded)
		}
		u, err := communeBody(dir, p.Authority.Agency, commune)
		if err != nil {
			return Routing{}, fmt.Errorf("route %s: %w", p.Code, err)
		}
		r.Authority = u
	case LevelProvince:
		if !dir.IsAgency(p.Authority.Agency) {
			return Routing{}, fmt.Errorf("route %s: %w %q", p.Code, ErrUnknownAuthority, p.Authority.Agency)
		}
		if authority != "" && authority != p.Authority.Agency && commune == "" {
			return Routing{}, fmt.Errorf("route %s: authority %q is not the procedure's agency %q: %w",
				p.Code, authority, p.Authority.Agency, ErrUnknownAuthority)
		}
		r.Authority = p.Authority.Agency
	default:
		return Routing{}, fmt.Errorf("route %s: unknown level %q", p.Code, p.Level)
	}

	r.Identifier = dir.Identifier(r.Authority)
	if p.Interconnected {
		r.Identifier = dir.Identifier(desk.Unit)
	}
	for i, s := range p.Process {
		unit, err := stepUnit(dir, s.Unit, desk.Unit, r.Authority, commune)
		if err != nil {
			return Routing{}, fmt.Errorf("route %s step %d: %w", p.Code, i, err)
		}
		r.Steps = append(r.Steps, RoutedStep{Index: i, Name: s.Name, Role: s.Role, Unit: unit,
			ShareMinutes: s.Share.Minutes(), Parallel: s.Parallel})
	}
	return r, nil
}

// communeBody resolves ubnd-xa or cong-an-xa of commune to a unit key.
func communeBody(dir *org.Directory, agency, commune string) (string, error) {
	switch agency {
	case AgencyCommuneCommittee:
		return commune, nil
	case AgencyCommunePolice:
		pol, ok := dir.PoliceOf(commune)
		if !ok {
			return "", fmt.Errorf("%w: no police for commune %q", ErrUnknownAuthority, commune)
		}
		return pol.Key, nil
	}
	return "", fmt.Errorf("%w %q for a commune", ErrUnknownAuthority, agency)
}

func stepUnit(dir *org.Directory, sel, deskUnit, authority, commune string) (string, error) {
	switch {
	case sel == StepUnitReceivingDesk:
		return deskUnit, nil
	case sel == StepUnitAuthority:
		return authority, nil
	case strings.HasPrefix(sel, StepUnitAgencyPrefix):
		key := strings.TrimPrefix(sel, StepUnitAgencyPrefix)
		if key == AgencyCommuneCommittee || key == AgencyCommunePolice {
			if commune == "" {
				return "", fmt.Errorf("step names %q: %w", key, ErrAuthorityNeeded)
			}
			return communeBody(dir, key, commune)
		}
		if !dir.IsAgency(key) {
			return "", fmt.Errorf("%w %q", ErrUnknownAuthority, key)
		}
		return key, nil
	}
	return "", fmt.Errorf("unknown step unit %q", sel)
}
