package incident

import (
	"errors"
	"testing"
)

func TestPermitAllowedAndRefused(t *testing.T) {
	tests := []struct {
		op      Op
		allowed Role
		refused Role
	}{
		{OpCreateIncident, RoleServiceDesk, RoleServiceOwner},
		{OpUpdateIncident, RoleTechnician, RoleCaller},
		{OpClassify, RoleServiceDesk, RoleTechnician},
		{OpAssign, RoleGroupOwner, RoleTechnician},
		{OpAcknowledge, RoleTechnician, RoleCaller},
		{OpPrioritise, RoleCommandCenter, RoleTechnician},
		{OpLinkParent, RoleServiceDesk, RoleServiceOwner},
		{OpMakeParent, RoleIncidentManager, RoleServiceDesk},
		{OpMerge, RoleIncidentManager, RoleTechnician},
		{OpDecline, RoleServiceDesk, RoleCaller},
		{OpOpenWarRoom, RoleCommandCenter, RoleServiceDesk},
		{OpJoinWarRoom, RoleServiceOwner, RoleCaller},
		{OpPage, RoleIncidentManager, RoleServiceDesk},
		{OpChat, RoleCaller, RoleObserver},
		{OpRunRunbookStep, RoleTechnician, RoleServiceDesk},
		{OpApplyRemedy, RoleTechnician, RoleCommandCenter},
		{OpContactVendor, RoleTechnician, RoleCaller},
		{OpQueryTelemetry, RoleServiceOwner, RoleCaller},
		{OpQueryLogs, RoleTechnician, RoleServiceOwner},
		{OpQueryTraffic, RoleGroupOwner, RoleServiceDesk},
		{OpQueryVendorChanges, RoleCommandCenter, RoleServiceDesk},
		{OpSearchKnowledge, RoleServiceDesk, RoleCaller},
		{OpSearchParents, RoleServiceDesk, RoleServiceOwner},
		{OpIdentifyRootCause, RoleTechnician, RoleIncidentManager},
		{OpDeclareWorkaround, RoleTechnician, RoleServiceOwner},
		{OpDeclareRestored, RoleTechnician, RoleCaller},
		{OpValidateRestoration, RoleServiceOwner, RoleTechnician},
		{OpBusinessImpact, RoleServiceOwner, RoleCommandCenter},
		{OpOpenProblem, RoleCommandCenter, RoleServiceDesk},
		{OpOpenChange, RoleTechnician, RoleServiceDesk},
		{OpApproveChange, RoleCommandCenter, RoleTechnician},
		{OpStatusUpdate, RoleCommandCenter, RoleCaller},
		{OpClose, RoleCommandCenter, RoleServiceOwner},
		{OpAnswerDecision, RoleServiceOwner, RoleObserver},
		{OpLessonsLearned, RoleCaller, RoleObserver},
		{OpRateConfidence, RoleTechnician, RoleObserver},
		{OpOpenTask, RoleGroupOwner, RoleServiceDesk},
		{OpCompleteTask, RoleTechnician, RoleCommandCenter},
		{OpAcknowledgePage, RoleTechnician, RoleIncidentManager},
		{OpSilencePage, RoleCommandCenter, RoleServiceDesk},
		{OpAttachPage, RoleServiceDesk, RoleServiceOwner},
		{OpRaiseIncidentAlert, RoleCommandCenter, RoleTechnician},
		{OpStateTime, RoleCaller, RoleObserver},
	}
	seen := map[Op]bool{}
	for _, tt := range tests {
		seen[tt.op] = true
		t.Run(string(tt.op), func(t *testing.T) {
			if !Permitted(tt.op, tt.allowed) {
				t.Errorf("%s may not %s, want allowed", tt.allowed, tt.op)
			}
			if Permitted(tt.op, tt.refused) {
				t.Errorf("%s may %s, want refused", tt.refused, tt.op)
			}
			e := wantErr(t, Permit(tt.op, tt.refused), Forbidden)
			if e.Op != tt.op {
				t.Errorf("Op = %q, want %q", e.Op, tt.op)
			}
			if !Permitted(tt.op, RoleFacilitator) {
				t.Errorf("facilitator may not %s", tt.op)
			}
			if Permitted(tt.op, RoleObserver) {
				t.Errorf("observer may %s", tt.op)
			}
		})
	}
	for _, op := range Ops {
		if !seen[op] {
			t.Errorf("op %s has no test row", op)
		}
	}
	if len(Ops) != 43 {
		t.Errorf("len(Ops) = %d, want 43", len(Ops))
	}
}

func TestPermitReasons(t *testing.T) {
	tests := []struct {
		op     Op
		role   Role
		reason string
	}{
		{OpAcknowledge, RoleCaller, "a caller cannot acknowledge incidents; the technician of the assigned group does that"},
		{OpRaiseIncidentAlert, RoleTechnician, "a technician cannot raise incident alerts; the command center raises them for P1/P2"},
		{OpValidateRestoration, RoleIncidentManager, "an incident manager cannot validate restoration; the service owner validates that the service is restored"},
		{OpApplyRemedy, RoleCommandCenter, "the command center cannot apply remedies; the technicians of the owning group do that"},
		{OpChat, RoleObserver, "an observer only watches; ask the facilitator for a role to take part"},
	}
	for _, tt := range tests {
		e := wantErr(t, Permit(tt.op, tt.role), Forbidden)
		if e.Reason != tt.reason {
			t.Errorf("Permit(%s, %s) reason = %q, want %q", tt.op, tt.role, e.Reason, tt.reason)
		}
	}
}

func TestPermitEveryoneInFiction(t *testing.T) {
	for _, op := range []Op{OpChat, OpRateConfidence, OpLessonsLearned, OpAnswerDecision} {
		for _, r := range Roles {
			if got, want := Permitted(op, r), r != RoleObserver; got != want {
				t.Errorf("Permitted(%s, %s) = %v, want %v", op, r, got, want)
			}
		}
	}
	if got := PermittedRoles(OpRaiseIncidentAlert); len(got) != 2 || got[0] != RoleCommandCenter || got[1] != RoleFacilitator {
		t.Errorf("PermittedRoles(raise_incident_alert) = %v", got)
	}
	for _, op := range Ops {
		if len(PermittedRoles(op)) < 2 {
			t.Errorf("%s: only the facilitator may do it", op)
		}
	}
}

func TestPermitUnknown(t *testing.T) {
	wantErr(t, Permit("fly", RoleTechnician), BadRequest, `"fly" is not an operation`)
	wantErr(t, Permit(OpChat, "ceo"), BadRequest, `"ceo" is not a role`)
	if Permitted("fly", RoleFacilitator) || Op("fly").Valid() || !OpChat.Valid() {
		t.Error("unknown op must be refused")
	}
	if !errors.Is(Permit(OpAcknowledge, RoleCaller), ErrForbidden) {
		t.Error("errors.Is(forbidden, ErrForbidden) = false")
	}
	if errors.Is(Permit(OpAcknowledge, RoleCaller), ErrConflict) {
		t.Error("errors.Is(forbidden, ErrConflict) = true")
	}
}

func TestAuthorize(t *testing.T) {
	b := NewBook(DefaultPolicy())
	p1 := create(t, b, 0, "claims down", "claims-api", High, High)
	p4 := create(t, b, 0, "printer", "", Low, Low)
	tests := []struct {
		op     Op
		role   Role
		record string
		code   Code // empty: allowed
	}{
		{OpClose, RoleCommandCenter, p1.Number, ""},
		{OpClose, RoleFacilitator, p1.Number, ""},
		{OpClose, RoleServiceDesk, p1.Number, Forbidden},
		{OpClose, RoleTechnician, p1.Number, Forbidden},
		{OpClose, RoleServiceDesk, p4.Number, ""},
		{OpClose, RoleServiceOwner, p4.Number, Forbidden},
		{OpMakeParent, RoleTechnician, p1.Number, Forbidden},
		{OpMakeParent, RoleTechnician, p4.Number, ""},
		{OpMakeParent, RoleIncidentManager, p1.Number, ""},
		{OpClose, RoleServiceDesk, "INC0099", ""}, // the op reports not_found
		{OpAcknowledge, RoleCaller, p4.Number, Forbidden},
	}
	for _, tt := range tests {
		err := b.Authorize(tt.op, tt.role, tt.record)
		if tt.code == "" {
			if err != nil {
				t.Errorf("Authorize(%s, %s, %s) = %v, want nil", tt.op, tt.role, tt.record, err)
			}
			continue
		}
		e := wantErr(t, err, tt.code)
		if e.Record != tt.record {
			t.Errorf("Record = %q, want %q", e.Record, tt.record)
		}
	}
	e := wantErr(t, b.Authorize(OpClose, RoleServiceDesk, p1.Number), Forbidden)
	if e.Reason != "INC0001 is P1; the command center closes P1 and P2 incidents" {
		t.Errorf("reason = %q", e.Reason)
	}
}
