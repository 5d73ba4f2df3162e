package engine

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestPolicyTableShape: every op has one row, every grant is to a role in
// the fiction, and the facilitator's controls are the facilitator's alone.
func TestPolicyTableShape(t *testing.T) {
	seen := map[Op]bool{}
	for _, p := range Permissions() {
		if seen[p.Op] {
			t.Errorf("op %s has two rows", p.Op)
		}
		seen[p.Op] = true
		if p.Doing == "" || p.Who == "" {
			t.Errorf("op %s: a refusal needs what and who instead", p.Op)
		}
		roles := map[Role]bool{}
		for _, g := range p.Grants {
			if !slices.Contains(inFiction(), g.Role) {
				t.Errorf("op %s grants %s, which is outside the fiction", p.Op, g.Role)
			}
			if roles[g.Role] {
				t.Errorf("op %s grants %s twice", p.Op, g.Role)
			}
			roles[g.Role] = true
		}
	}
	for _, op := range []Op{OpPause, OpResume, OpSetSpeed, OpFireInject, OpEnd} {
		if got := PermittedRoles(op); !slices.Equal(got, []Role{RoleFacilitator}) {
			t.Errorf("PermittedRoles(%s) = %v, want the facilitator alone", op, got)
		}
	}
	if n := len(Ops()); n != 48 {
		t.Errorf("len(Ops()) = %d, want 48", n)
	}
}

// TestCheckScopes runs Check over every scope with targets inside and
// outside it.
func TestCheckScopes(t *testing.T) {
	tech := Actor{Name: "raj", Role: RoleTechnician}
	owner := Actor{Name: "olga", Role: RoleServiceOwner}
	shop := []string{"shop"}
	decision := ToGroup("shop")
	tests := []struct {
		name   string
		op     Op
		actor  Actor
		groups []string
		target Target
		code   Code // "" when allowed
		reason string
	}{
		{"own group", OpAcknowledge, tech, shop, Target{Known: true, What: "INC0001", Groups: shop}, "", ""},
		{"another group", OpAcknowledge, tech, shop, Target{Known: true, What: "INC0002", Groups: []string{"network"}}, Forbidden,
			"INC0002 belongs to network; a technician of that group may acknowledge incidents"},
		{"unassigned excludes nobody", OpAcknowledge, tech, shop, Target{Known: true, What: "INC0003"}, "", ""},
		{"unknown target is the handler's", OpAcknowledge, tech, shop, Target{}, "", ""},
		{"any group of several", OpApplyRemedy, tech, shop, Target{Known: true, What: "remedy r", Groups: []string{"network", "shop"}}, "", ""},
		{"minor incident", OpClose, Actor{Name: "sd", Role: RoleServiceDesk}, nil, Target{Known: true, What: "INC0001"}, "", ""},
		{"major incident", OpClose, Actor{Name: "sd", Role: RoleServiceDesk}, nil, Target{Known: true, What: "INC0001", Major: true}, Forbidden,
			"INC0001 is a major incident; the command center may close records, so ask them"},
		{"command center closes majors", OpClose, Actor{Name: "cc", Role: RoleCommandCenter}, nil, Target{Known: true, What: "INC0001", Major: true}, "", ""},
		{"own group and minor", OpClose, tech, shop, Target{Known: true, What: "INC0001", Groups: shop, Major: true}, Forbidden, "major incident"},
		{"service owner", OpValidateRestoration, owner, nil, Target{Known: true, What: "INC0001", Owners: []string{"olga"}}, "", ""},
		{"another service's owner", OpValidateRestoration, owner, nil, Target{Known: true, What: "INC0001", Owners: []string{"kim"}}, Forbidden,
			"the service owner of INC0001 (kim) does that"},
		{"holder", OpAcknowledgePage, tech, shop, Target{Known: true, What: "PG0001", Groups: shop, Holder: "raj"}, "", ""},
		{"not the holder", OpAcknowledgePage, tech, shop, Target{Known: true, What: "PG0001", Groups: shop, Holder: "ana"}, Forbidden,
			"PG0001 is with ana; only the person holding a page may acknowledge pages"},
		{"addressed", OpAnswerDecision, tech, shop, Target{Known: true, What: "decision d", To: &decision}, "", ""},
		{"not addressed", OpAnswerDecision, tech, []string{"network"}, Target{Known: true, What: "decision d", To: &decision}, Forbidden, "was not put to you"},
		{"role without a grant", OpRaiseIncidentAlert, tech, shop, Target{}, Forbidden,
			"a technician cannot raise incident alerts; the command center raises them for major incidents"},
		{"observer", OpChat, Actor{Name: "o", Role: RoleObserver}, nil, Target{}, Forbidden, "an observer only watches"},
		{"facilitator anywhere", OpApplyRemedy, Actor{Name: "f", Role: RoleFacilitator}, nil, Target{Known: true, What: "remedy r", Groups: []string{"network"}}, "", ""},
		{"facilitator controls", OpPause, Actor{Name: "f", Role: RoleFacilitator}, nil, Target{}, "", ""},
		{"players do not", OpPause, Actor{Name: "cc", Role: RoleCommandCenter}, nil, Target{}, Forbidden, "the facilitator does that"},
		{"unknown op", "fly", tech, shop, Target{}, BadRequest, `"fly" is not an operation`},
		{"unknown role", OpChat, Actor{Name: "x", Role: "ceo"}, nil, Target{}, BadRequest, "known role"},
		{"no name", OpChat, Actor{Role: RoleTechnician}, nil, Target{}, BadRequest, "a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.op, tt.actor, tt.groups, tt.target)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Check = %v, want allowed", err)
				}
				return
			}
			e := wantErr(t, err, tt.code, tt.reason)
			if e.Op != tt.op {
				t.Errorf("Op = %q, want %q", e.Op, tt.op)
			}
		})
	}
}

func TestPermittedRoles(t *testing.T) {
	for _, op := range []Op{OpChat, OpRateConfidence, OpLessonsLearned, OpAnswerDecision} {
		for _, r := range Roles() {
			if got, want := Permitted(op, r), r != RoleObserver; got != want {
				t.Errorf("Permitted(%s, %s) = %v, want %v", op, r, got, want)
			}
		}
	}
	if got := PermittedRoles(OpRaiseIncidentAlert); !slices.Equal(got, []Role{RoleCommandCenter, RoleFacilitator}) {
		t.Errorf("PermittedRoles(raise_incident_alert) = %v", got)
	}
	if Permitted("fly", RoleFacilitator) || Op("fly").Valid() || !OpChat.Valid() {
		t.Error("an unknown op must be refused")
	}
}

func TestCodesAreErrorsIsTargets(t *testing.T) {
	err := Check(OpAcknowledge, Actor{Name: "c", Role: RoleCaller}, nil, Target{})
	if !errors.Is(err, Forbidden) || errors.Is(err, Conflict) {
		t.Errorf("errors.Is on %v: want Forbidden only", err)
	}
	if !errors.Is(err, &Error{Code: Forbidden, Op: OpAcknowledge}) || errors.Is(err, &Error{Code: Forbidden, Op: OpClose}) {
		t.Error("an *Error target must match its other fields too")
	}
}

func wantErr(t *testing.T, err error, code Code, fragments ...string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *Error with code %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%v), want %s", e.Code, e, code)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Reason, f) {
			t.Errorf("reason %q does not contain %q", e.Reason, f)
		}
	}
	return e
}
