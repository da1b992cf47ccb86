package auth

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The dossier every matrix row is checked against: received at desk-1, authority agency-1,
// with steps at desk-1, agency-1 and agency-2, filed by applicant "h-own" for enterprise
// 4601234567.
func matrixDossier() Resource {
	return Resource{
		ApplicantIDHash: "h-own",
		OrgCode:         "4601234567",
		ReceivingDesk:   "desk-1",
		Authority:       "agency-1",
		StepUnits:       []string{"desk-1", "agency-1", "agency-2"},
		State:           "in_progress",
	}
}

func officer(subject string, roles ...RoleAssignment) Principal {
	return Principal{Kind: KindOfficer, Subject: subject, Roles: roles}
}

func as(role, unit string) RoleAssignment { return RoleAssignment{Role: role, Unit: unit} }

// actionSet is written from the text of issue 3, not from the rules table.
func actionSet(as ...Action) map[Action]bool {
	m := map[Action]bool{}
	for _, a := range as {
		m[a] = true
	}
	return m
}

var (
	seeActions = []Action{ActionView, ActionViewPersonal, ActionList, ActionLookup}
)

func TestAuthorizeMatrix(t *testing.T) {
	r := matrixDossier()
	tests := []struct {
		name    string
		p       Principal
		visible bool // may view: denials are Forbidden, not NotFound
		allowed map[Action]bool
	}{
		{
			name: "applicant owner", visible: true,
			p:       Principal{Kind: KindApplicant, Subject: "sub-1", PersonalIDHash: "h-own"},
			allowed: actionSet(append(seeActions, ActionSubmit, ActionUpload, ActionSupplement, ActionWithdraw, ActionRate)...),
		},
		{
			name: "applicant representing the enterprise", visible: true,
			p:       Principal{Kind: KindApplicant, Subject: "sub-2", PersonalIDHash: "h-other", Orgs: []string{"0100000000", "4601234567"}},
			allowed: actionSet(append(seeActions, ActionSubmit, ActionUpload, ActionSupplement, ActionWithdraw, ActionRate)...),
		},
		{
			name:    "another applicant",
			p:       Principal{Kind: KindApplicant, Subject: "sub-3", PersonalIDHash: "h-stranger", Orgs: []string{"0100000000"}},
			allowed: actionSet(ActionLookup),
		},
		{
			name:    "applicant without personal id hash",
			p:       Principal{Kind: KindApplicant, Subject: "sub-4"},
			allowed: actionSet(ActionLookup),
		},
		{
			name:    "public",
			p:       Principal{Kind: KindPublic},
			allowed: actionSet(ActionLookup),
		},
		{
			name: "desk officer at the receiving desk", visible: true,
			p: officer("desk1", as(RoleDesk, "desk-1")),
			allowed: actionSet(append(seeActions, ActionSubmit, ActionUpload, ActionReceive, ActionRequestSupplement,
				ActionReject, ActionForward, ActionCompleteStep, ActionReturnResult)...),
		},
		{
			name:    "desk officer at another desk",
			p:       officer("desk2", as(RoleDesk, "desk-2")),
			allowed: actionSet(ActionLookup),
		},
		{
			name: "specialist at a step unit", visible: true,
			p: officer("spec2", as(RoleSpecialist, "agency-2")),
			allowed: actionSet(append(seeActions, ActionUpload, ActionForward, ActionCompleteStep, ActionSuspend,
				ActionResume, ActionIssueResult)...),
		},
		{
			name:    "specialist elsewhere",
			p:       officer("spec3", as(RoleSpecialist, "agency-3")),
			allowed: actionSet(ActionLookup),
		},
		{
			name: "leader of the authority", visible: true,
			p: officer("lead1", as(RoleLeader, "agency-1")),
			allowed: actionSet(append(seeActions, ActionAssign, ActionForward, ActionCompleteStep, ActionSuspend,
				ActionResume, ActionExtend, ActionApprove, ActionRefuse, ActionIssueResult)...),
		},
		{
			name:    "leader elsewhere",
			p:       officer("lead3", as(RoleLeader, "agency-3")),
			allowed: actionSet(ActionLookup),
		},
		{
			name:    "leader of the receiving desk's unit is not a desk officer",
			p:       officer("lead-desk", as(RoleLeader, "desk-9")),
			allowed: actionSet(ActionLookup),
		},
		{
			name: "inspector", visible: true,
			p:       officer("insp", as(RoleInspector, "inspectorate")),
			allowed: actionSet(append(seeActions, ActionInspect, ActionViewAccessLog)...),
		},
		{
			name:    "administrator configures, does not process",
			p:       officer("admin", as(RoleAdmin, "province")),
			allowed: actionSet(ActionLookup, ActionConfigure),
		},
		{
			name:    "unit administrator of the authority",
			p:       officer("uadmin", as(RoleUnitAdmin, "agency-1")),
			allowed: actionSet(ActionLookup),
		},
		{
			name:    "role without a unit",
			p:       officer("nounit", as(RoleDesk, ""), as(RoleInspector, "")),
			allowed: actionSet(ActionLookup),
		},
		{
			name:    "applicant carrying officer roles gets no officer rights",
			p:       Principal{Kind: KindApplicant, Subject: "sub-5", PersonalIDHash: "h-x", Roles: []RoleAssignment{as(RoleInspector, "x"), as(RoleAdmin, "p")}},
			allowed: actionSet(ActionLookup),
		},
	}
	for _, tt := range tests {
		for _, a := range Actions() {
			t.Run(tt.name+"/"+string(a), func(t *testing.T) {
				err := Authorize(tt.p, a, r)
				var want error
				switch {
				case tt.allowed[a]:
					want = nil
				case a == ActionSubmit:
					want = ErrForbidden
				case a == ActionConfigure && tt.p.Kind == KindOfficer:
					want = ErrForbidden
				case a == ActionConfigure:
					want = ErrNotFound
				case tt.visible:
					want = ErrForbidden
				default:
					want = ErrNotFound
				}
				if want == nil && err != nil || want != nil && !errors.Is(err, want) {
					t.Errorf("Authorize(%s, %s) = %v, want %v", tt.name, a, err, want)
				}
			})
		}
	}
}

func TestAuthorizeDraftIsTheApplicantsAlone(t *testing.T) {
	r := matrixDossier()
	r.State = StateDraft
	owner := Principal{Kind: KindApplicant, Subject: "s", PersonalIDHash: "h-own"}
	for _, a := range []Action{ActionView, ActionViewPersonal, ActionUpload, ActionSubmit, ActionWithdraw} {
		if err := Authorize(owner, a, r); err != nil {
			t.Errorf("owner %s on draft: %v", a, err)
		}
	}
	for _, p := range []Principal{
		{Kind: KindPublic},
		officer("desk1", as(RoleDesk, "desk-1")),
		officer("lead1", as(RoleLeader, "agency-1")),
		officer("insp", as(RoleInspector, "x")),
	} {
		for _, a := range []Action{ActionView, ActionLookup, ActionList, ActionReceive, ActionInspect} {
			if err := Authorize(p, a, r); !errors.Is(err, ErrNotFound) {
				t.Errorf("%v %s on draft = %v, want ErrNotFound", p.Roles, a, err)
			}
		}
	}
}

func TestAuthorizeAssignee(t *testing.T) {
	tests := []struct {
		name       string
		p          Principal
		assignedTo string
		want       error
	}{
		{"specialist, unassigned step", officer("spec2", as(RoleSpecialist, "agency-2")), "", nil},
		{"specialist, own step", officer("spec2", as(RoleSpecialist, "agency-2")), "spec2", nil},
		{"specialist, colleague's step", officer("spec2", as(RoleSpecialist, "agency-2")), "spec9", ErrForbidden},
		{"leader, colleague's step", officer("lead1", as(RoleLeader, "agency-1")), "spec9", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := matrixDossier()
			r.AssignedTo = tt.assignedTo
			err := Authorize(tt.p, ActionCompleteStep, r)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("complete-step = %v, want %v", err, tt.want)
			}
			if err := Authorize(tt.p, ActionView, r); err != nil {
				t.Errorf("view = %v, want allowed whoever is assigned", err)
			}
		})
	}
}

func TestAuthorizeConfigure(t *testing.T) {
	tests := []struct {
		name string
		p    Principal
		unit string
		want error
	}{
		{"admin, province-wide", officer("a", as(RoleAdmin, "province")), "", nil},
		{"admin, a commune", officer("a", as(RoleAdmin, "province")), "commune-7", nil},
		{"unit admin, own unit", officer("u", as(RoleUnitAdmin, "commune-7")), "commune-7", nil},
		{"unit admin, other unit", officer("u", as(RoleUnitAdmin, "commune-7")), "commune-8", ErrForbidden},
		{"unit admin, province-wide", officer("u", as(RoleUnitAdmin, "commune-7")), "", ErrForbidden},
		{"leader of the unit", officer("l", as(RoleLeader, "commune-7")), "commune-7", ErrForbidden},
		{"inspector", officer("i", as(RoleInspector, "x")), "", ErrForbidden},
		{"applicant", Principal{Kind: KindApplicant, PersonalIDHash: "h"}, "", ErrNotFound},
		{"public", Principal{Kind: KindPublic}, "commune-7", ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Authorize(tt.p, ActionConfigure, Resource{Unit: tt.unit})
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("configure = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestAuthorizeMultipleRoles(t *testing.T) {
	p := officer("multi", as(RoleDesk, "desk-2"), as(RoleSpecialist, "agency-2"))
	r := matrixDossier()
	if err := Authorize(p, ActionCompleteStep, r); err != nil {
		t.Errorf("specialist role in scope: %v", err)
	}
	if err := Authorize(p, ActionReceive, r); !errors.Is(err, ErrForbidden) {
		t.Errorf("receive at another desk while seeing the dossier as specialist = %v, want ErrForbidden", err)
	}
	r.ReceivingDesk = "desk-2"
	if err := Authorize(p, ActionReceive, r); err != nil {
		t.Errorf("receive at own desk: %v", err)
	}
}

func TestAuthorizeUnknownAction(t *testing.T) {
	err := Authorize(officer("a", as(RoleAdmin, "p")), Action("delete-everything"), Resource{})
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("unknown action = %v, want ErrForbidden", err)
	}
}

// TestEveryActionHasARule reads policy.go's own source: every constant of type Action must
// have a row in the rules table and be known to the matrix test, so adding an action without
// a rule fails here.
func TestEveryActionHasARule(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "policy.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []Action
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Action" {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				if !ok {
					t.Fatalf("Action constant with a non-literal value at %v", fset.Position(v.Pos()))
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				declared = append(declared, Action(s))
			}
		}
	}
	if len(declared) < 20 {
		t.Fatalf("found only %d Action constants in policy.go; the parser walk is broken", len(declared))
	}
	slices.Sort(declared)
	if diff := cmp.Diff(declared, Actions()); diff != "" {
		t.Errorf("Action constants vs actions with rules (-declared +rules):\n%s", diff)
	}
	for _, a := range declared {
		if len(rules[a]) == 0 {
			t.Errorf("action %q has no grant", a)
		}
	}
}

// TestListScopeAgreesWithAuthorize checks, over many random principals and dossiers, that
// the list filter the store applies selects exactly the dossiers Authorize lets one list.
func TestListScopeAgreesWithAuthorize(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	units := []string{"", "u1", "u2", "u3"}
	hashes := []string{"", "h1", "h2"}
	orgs := []string{"", "o1", "o2"}
	states := []string{StateDraft, "submitted", "in_progress", "returned"}
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	kinds := []PrincipalKind{KindPublic, KindApplicant, KindOfficer}
	for i := range 20000 {
		p := Principal{Kind: kinds[rng.IntN(3)], Subject: fmt.Sprint("s", i%5), PersonalIDHash: pick(hashes)}
		for range rng.IntN(3) {
			p.Orgs = append(p.Orgs, pick(orgs))
			p.Roles = append(p.Roles, as(pick(Roles()), pick(units)))
		}
		r := Resource{
			ApplicantIDHash: pick(hashes), OrgCode: pick(orgs), ReceivingDesk: pick(units),
			Authority: pick(units), State: pick(states), AssignedTo: fmt.Sprint("s", rng.IntN(5)),
		}
		for range rng.IntN(3) {
			r.StepUnits = append(r.StepUnits, pick(units))
		}
		want := Authorize(p, ActionList, r) == nil
		if got := ListScope(p).Matches(r); got != want {
			t.Fatalf("ListScope(%+v).Matches(%+v) = %v, Authorize(list) allows = %v", p, r, got, want)
		}
	}
}

func TestListScope(t *testing.T) {
	tests := []struct {
		name string
		p    Principal
		want DossierScope
	}{
		{"public", Principal{Kind: KindPublic}, DossierScope{}},
		{"applicant", Principal{Kind: KindApplicant, PersonalIDHash: "h", Orgs: []string{"o"}}, DossierScope{ApplicantIDHash: "h", OrgCodes: []string{"o"}}},
		{"desk and leader", officer("x", as(RoleDesk, "d"), as(RoleLeader, "a"), as(RoleSpecialist, "a")), DossierScope{Desks: []string{"d"}, Units: []string{"a"}}},
		{"inspector", officer("i", as(RoleInspector, "x")), DossierScope{All: true}},
		{"admin", officer("a", as(RoleAdmin, "p")), DossierScope{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ListScope(tt.p)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ListScope (-want +got):\n%s", diff)
			}
			if got.Empty() != (tt.name == "public" || tt.name == "admin") {
				t.Errorf("Empty() = %v", got.Empty())
			}
		})
	}
}

func BenchmarkAuthorize(b *testing.B) {
	p := officer("spec2", as(RoleDesk, "desk-5"), as(RoleSpecialist, "agency-2"))
	r := matrixDossier()
	for b.Loop() {
		if err := Authorize(p, ActionCompleteStep, r); err != nil {
			b.Fatal(err)
		}
	}
}
