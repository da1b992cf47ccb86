package auth

import (
	"errors"
	"fmt"
	"slices"
)

// Officer roles. A role is always held in a unit (RoleAssignment), and the unit is what
// scopes it: the same person may be a desk officer at one center and a specialist elsewhere.
const (
	RoleDesk       = "desk"       // one-stop desk officer: receives and returns dossiers
	RoleSpecialist = "specialist" // handles a processing step of an agency
	RoleLeader     = "leader"     // head of a unit: assigns, approves, refuses, extends
	RoleUnitAdmin  = "unit_admin" // configures one unit (its officers, desks, hours)
	RoleAdmin      = "admin"      // configures the province (catalog, units, calendar)
	RoleInspector  = "inspector"  // reads across the province, writes inspection records
)

// Roles lists every officer role.
func Roles() []string {
	return []string{RoleDesk, RoleSpecialist, RoleLeader, RoleUnitAdmin, RoleAdmin, RoleInspector}
}

// PrincipalKind tells who is acting: nobody signed in, an applicant signed in through the
// national identity provider, or an officer signed in with a password.
type PrincipalKind string

// The kinds of principal.
const (
	KindPublic    PrincipalKind = "public"
	KindApplicant PrincipalKind = "applicant"
	KindOfficer   PrincipalKind = "officer"
)

// RoleAssignment is one role held in one unit (the unit's identifier, as stored by org).
type RoleAssignment struct {
	Role string
	Unit string
}

// Principal is the person a request acts for, as the session established it.
type Principal struct {
	Kind           PrincipalKind
	Subject        string           // officer username or applicant's OIDC subject
	PersonalIDHash string           // Keyring.BlindIndex(PurposePersonalID, id) for applicants
	Orgs           []string         // enterprise codes the applicant may represent
	Roles          []RoleAssignment // officer roles, each scoped to a unit
}

// HasRole reports whether the principal holds role in any unit.
func (p Principal) HasRole(role string) bool {
	return slices.ContainsFunc(p.Roles, func(r RoleAssignment) bool { return r.Role == role })
}

// Resource describes what an action is applied to. For dossier actions it carries the facts
// that decide scope; for ActionConfigure only Unit matters.
type Resource struct {
	ApplicantIDHash string   // blind index of the applicant's personal ID ("" for organizations)
	OrgCode         string   // enterprise code when the applicant is an organization
	ReceivingDesk   string   // unit id of the desk that received (or will receive) the dossier
	Authority       string   // unit id of the competent authority
	StepUnits       []string // unit ids of every process step (done, current or planned)
	AssignedTo      string   // officer subject assigned to the current step, "" if none
	State           string   // dossier state (see package dossier)
	Unit            string   // for ActionConfigure: the unit configured; "" = province-wide
}

// StateDraft is the dossier state of an application the applicant has not yet submitted. A
// draft belongs to the applicant alone: no officer, inspector or public page sees it.
const StateDraft = "draft"

// Action is something a principal asks to do to a resource. The names match the dossier
// commands and the API's action paths.
type Action string

// The actions. Every constant must have a row in the rules table (a test enforces it).
const (
	ActionView              Action = "view"               // see a dossier (without personal data)
	ActionViewPersonal      Action = "view_personal"      // see its personal data (logged for officers)
	ActionList              Action = "list"               // see it in a list
	ActionLookup            Action = "lookup"             // public status lookup by code, no personal data
	ActionSubmit            Action = "submit"             // file a new dossier
	ActionUpload            Action = "upload"             // attach a document
	ActionReceive           Action = "receive"            // accept at the desk, issue the receipt
	ActionRequestSupplement Action = "request-supplement" // ask the applicant for missing documents
	ActionSupplement        Action = "supplement"         // provide what was asked for
	ActionReject            Action = "reject"             // refuse to receive
	ActionAssign            Action = "assign"             // assign a step to an officer
	ActionForward           Action = "forward"            // hand over to the next step or unit
	ActionCompleteStep      Action = "complete-step"      // finish one's step
	ActionSuspend           Action = "suspend"            // pause the clock
	ActionResume            Action = "resume"             // restart the clock
	ActionExtend            Action = "extend"             // move the due date once, with an apology
	ActionApprove           Action = "approve"            // approve the decision
	ActionRefuse            Action = "refuse"             // refuse in processing
	ActionIssueResult       Action = "issue-result"       // issue the (electronic) result
	ActionReturnResult      Action = "return-result"      // hand the result to the applicant
	ActionWithdraw          Action = "withdraw"           // applicant stops the dossier
	ActionRate              Action = "rate"               // applicant rates the handling
	ActionInspect           Action = "inspect"            // write inspection records
	ActionConfigure         Action = "configure"          // catalog, units, calendar administration
	ActionViewAccessLog     Action = "view_access_log"    // read who accessed personal data
)

var (
	// ErrNotFound means the resource is outside the principal's scope. Callers must answer
	// exactly as for a resource that does not exist (HTTP 404), so that dossier codes of other
	// units cannot be probed.
	ErrNotFound = errors.New("not found")
	// ErrForbidden means the principal may see the resource but not do this to it (HTTP 403).
	ErrForbidden = errors.New("forbidden")
)

// scope says which resources a grant covers.
type scope uint8

const (
	scopeOwn        scope = iota + 1 // applicant's own dossier or one of an organization they represent
	scopeDesk                        // dossier received at the role's desk
	scopeStep                        // dossier with a step in the role's unit, or whose authority it is
	scopeProvince                    // any dossier of the province
	scopeUnitConfig                  // configuration of the role's own unit
	scopeAll                         // anything, including province-wide configuration
	scopeNonDraft                    // any dossier that has left the draft state (public lookup)
)

// Audiences that are not officer roles.
const (
	whoApplicant = "applicant" // a signed-in applicant
	whoAnyone    = "anyone"    // anybody, signed in or not
)

// grant allows one audience to perform an action on resources in a scope.
type grant struct {
	who   string // an officer role, whoApplicant or whoAnyone
	scope scope
	// assignee: when the dossier's step is assigned, only the assignee may act (a
	// specialist cannot finish a colleague's step); unassigned steps are open to the unit.
	assignee bool
}

// rules is the whole authorization policy: for each action, who may perform it on what.
// Everything not listed is denied. Read it as the table of issue 3.
var rules = map[Action][]grant{
	ActionView: {
		{who: whoApplicant, scope: scopeOwn},
		{who: RoleDesk, scope: scopeDesk},
		{who: RoleSpecialist, scope: scopeStep},
		{who: RoleLeader, scope: scopeStep},
		{who: RoleInspector, scope: scopeProvince},
	},
	// Same audience as view; the application logs every officer's use of it.
	ActionViewPersonal: {
		{who: whoApplicant, scope: scopeOwn},
		{who: RoleDesk, scope: scopeDesk},
		{who: RoleSpecialist, scope: scopeStep},
		{who: RoleLeader, scope: scopeStep},
		{who: RoleInspector, scope: scopeProvince},
	},
	ActionList: {
		{who: whoApplicant, scope: scopeOwn},
		{who: RoleDesk, scope: scopeDesk},
		{who: RoleSpecialist, scope: scopeStep},
		{who: RoleLeader, scope: scopeStep},
		{who: RoleInspector, scope: scopeProvince},
	},
	ActionLookup: {{who: whoAnyone, scope: scopeNonDraft}},
	// A desk officer files dossiers brought to the counter (channel 1), through the same
	// submit use case as the portal.
	ActionSubmit: {
		{who: whoApplicant, scope: scopeOwn},
		{who: RoleDesk, scope: scopeDesk},
	},
	// Desk officers scan paper documents at reception; specialists attach appraisal papers.
	ActionUpload: {
		{who: whoApplicant, scope: scopeOwn},
		{who: RoleDesk, scope: scopeDesk},
		{who: RoleSpecialist, scope: scopeStep, assignee: true},
	},
	ActionReceive:           {{who: RoleDesk, scope: scopeDesk}},
	ActionRequestSupplement: {{who: RoleDesk, scope: scopeDesk}},
	ActionSupplement:        {{who: whoApplicant, scope: scopeOwn}},
	ActionReject:            {{who: RoleDesk, scope: scopeDesk}},
	// The head of the unit assigns (Điều 19).
	ActionAssign: {{who: RoleLeader, scope: scopeStep}},
	// The desk transfers to the authority (Điều 18); agencies hand over between steps.
	ActionForward: {
		{who: RoleDesk, scope: scopeDesk},
		{who: RoleSpecialist, scope: scopeStep, assignee: true},
		{who: RoleLeader, scope: scopeStep},
	},
	ActionCompleteStep: {
		{who: RoleDesk, scope: scopeDesk},
		{who: RoleSpecialist, scope: scopeStep, assignee: true},
		{who: RoleLeader, scope: scopeStep},
	},
	ActionSuspend: {
		{who: RoleSpecialist, scope: scopeStep, assignee: true},
		{who: RoleLeader, scope: scopeStep},
	},
	ActionResume: {
		{who: RoleSpecialist, scope: scopeStep, assignee: true},
		{who: RoleLeader, scope: scopeStep},
	},
	ActionExtend:  {{who: RoleLeader, scope: scopeStep}},
	ActionApprove: {{who: RoleLeader, scope: scopeStep}},
	ActionRefuse:  {{who: RoleLeader, scope: scopeStep}},
	ActionIssueResult: {
		{who: RoleSpecialist, scope: scopeStep, assignee: true},
		{who: RoleLeader, scope: scopeStep},
	},
	ActionReturnResult:  {{who: RoleDesk, scope: scopeDesk}},
	ActionWithdraw:      {{who: whoApplicant, scope: scopeOwn}},
	ActionRate:          {{who: whoApplicant, scope: scopeOwn}},
	ActionInspect:       {{who: RoleInspector, scope: scopeProvince}},
	ActionViewAccessLog: {{who: RoleInspector, scope: scopeProvince}},
	ActionConfigure: {
		{who: RoleAdmin, scope: scopeAll},
		{who: RoleUnitAdmin, scope: scopeUnitConfig},
	},
}

// Actions lists every action that has a rule, in a stable order (for matrix tests and docs).
func Actions() []Action {
	out := make([]Action, 0, len(rules))
	for a := range rules {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Authorize decides whether p may perform a on r. It returns nil, or an error matching
// ErrNotFound when r is outside p's scope (p may not even view it), or ErrForbidden when p may
// view r but not do a to it. Submitting is never ErrNotFound (the new dossier has nothing to
// hide). Configuration is not secret from staff: an officer without the
// right gets ErrForbidden, anybody else ErrNotFound.
//
// Whether the action is legal in the dossier's current state is the dossier package's
// decision (a conflict, not a denial); Authorize only uses the state to hide drafts.
func Authorize(p Principal, a Action, r Resource) error {
	grants, ok := rules[a]
	if !ok {
		return fmt.Errorf("auth: unknown action %q: %w", a, ErrForbidden)
	}
	if allowed(p, grants, r) {
		return nil
	}
	if a == ActionSubmit {
		// The dossier does not exist yet, so there is nothing to hide.
		return fmt.Errorf("auth: %s may not submit this dossier: %w", p.Subject, ErrForbidden)
	}
	if a == ActionConfigure {
		if p.Kind == KindOfficer {
			return fmt.Errorf("auth: %s may not %s: %w", p.Subject, a, ErrForbidden)
		}
		return fmt.Errorf("auth: %s may not %s: %w", p.Kind, a, ErrNotFound)
	}
	if a != ActionView && allowed(p, rules[ActionView], r) {
		return fmt.Errorf("auth: %s may not %s this dossier: %w", p.Subject, a, ErrForbidden)
	}
	return fmt.Errorf("auth: dossier outside the scope of %q: %w", p.Subject, ErrNotFound)
}

func allowed(p Principal, grants []grant, r Resource) bool {
	for _, g := range grants {
		if r.State == StateDraft && g.who != whoApplicant {
			continue // drafts are the applicant's alone
		}
		switch g.who {
		case whoAnyone:
			if inScope(g.scope, "", p, r) {
				return true
			}
		case whoApplicant:
			if p.Kind == KindApplicant && inScope(g.scope, "", p, r) {
				return true
			}
		default:
			if p.Kind != KindOfficer {
				continue
			}
			for _, ra := range p.Roles {
				if ra.Role != g.who || ra.Unit == "" || !inScope(g.scope, ra.Unit, p, r) {
					continue
				}
				if g.assignee && r.AssignedTo != "" && r.AssignedTo != p.Subject {
					continue
				}
				return true
			}
		}
	}
	return false
}

func inScope(s scope, unit string, p Principal, r Resource) bool {
	switch s {
	case scopeOwn:
		return ownsDossier(p, r)
	case scopeDesk:
		return r.ReceivingDesk == unit
	case scopeStep:
		return r.Authority == unit || slices.Contains(r.StepUnits, unit)
	case scopeProvince, scopeAll:
		return true
	case scopeUnitConfig:
		return r.Unit != "" && r.Unit == unit
	case scopeNonDraft:
		return r.State != StateDraft
	}
	return false
}

func ownsDossier(p Principal, r Resource) bool {
	if p.PersonalIDHash != "" && r.ApplicantIDHash == p.PersonalIDHash {
		return true
	}
	return r.OrgCode != "" && slices.Contains(p.Orgs, r.OrgCode)
}

// DossierScope is the set of dossiers a principal may list, as data the store turns into a
// WHERE clause, so that lists are filtered in the query rather than row by row. It is derived
// from the ActionList rules, so lists and single-dossier checks cannot disagree.
type DossierScope struct {
	All             bool     // every non-draft dossier of the province (inspectors)
	ApplicantIDHash string   // the applicant's own dossiers, drafts included
	OrgCodes        []string // dossiers of organizations the applicant represents, drafts included
	Desks           []string // non-draft dossiers received at these desks
	Units           []string // non-draft dossiers whose authority or a step is one of these units
}

// ListScope returns the dossiers p may list. An empty scope (Empty) lists nothing.
func ListScope(p Principal) DossierScope {
	var s DossierScope
	for _, g := range rules[ActionList] {
		switch g.who {
		case whoAnyone:
			s.All = true
		case whoApplicant:
			if p.Kind == KindApplicant && g.scope == scopeOwn {
				s.ApplicantIDHash = p.PersonalIDHash
				s.OrgCodes = append(s.OrgCodes, p.Orgs...)
			}
		default:
			if p.Kind != KindOfficer {
				continue
			}
			for _, ra := range p.Roles {
				if ra.Role != g.who || ra.Unit == "" {
					continue
				}
				switch g.scope {
				case scopeDesk:
					s.Desks = appendNew(s.Desks, ra.Unit)
				case scopeStep:
					s.Units = appendNew(s.Units, ra.Unit)
				case scopeProvince, scopeAll:
					s.All = true
				}
			}
		}
	}
	return s
}

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// Empty reports whether the scope lists nothing at all.
func (s DossierScope) Empty() bool {
	return !s.All && s.ApplicantIDHash == "" && len(s.OrgCodes) == 0 && len(s.Desks) == 0 && len(s.Units) == 0
}

// Matches reports whether r is in the scope; the store's query must select exactly these.
func (s DossierScope) Matches(r Resource) bool {
	if s.ApplicantIDHash != "" && r.ApplicantIDHash == s.ApplicantIDHash {
		return true
	}
	if r.OrgCode != "" && slices.Contains(s.OrgCodes, r.OrgCode) {
		return true
	}
	if r.State == StateDraft {
		return false
	}
	if s.All || slices.Contains(s.Desks, r.ReceivingDesk) || slices.Contains(s.Units, r.Authority) {
		return true
	}
	return slices.ContainsFunc(r.StepUnits, func(u string) bool { return slices.Contains(s.Units, u) })
}
