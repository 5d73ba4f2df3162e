package incident

import (
	"slices"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

func TestProblemLifecycle(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	a := working(t, b, 0, engine.LevelHigh, engine.LevelHigh).Number
	c := working(t, b, 0, engine.LevelHigh, engine.LevelMedium).Number
	p := do(b.OpenProblem(a, min(1), "tcc", "")).ok(t)
	if p.Number != "PRB0001" || p.State != engine.ProblemNew || p.ShortDescription != "claims fail" || !slices.Equal(p.Incidents, []string{a}) {
		t.Errorf("problem = %+v", p)
	}
	wantErr(t, do(b.OpenProblem(a, min(1), "tcc", "")).err, engine.Conflict, "already linked to open problem PRB0001")
	p = do(b.LinkProblem(p.Number, c, min(1), "tcc")).ok(t)
	if !slices.Equal(p.Incidents, []string{a, c}) || !slices.Equal(do(b.Incident(c)).ok(t).Problems, []string{"PRB0001"}) {
		t.Errorf("linked = %+v", p)
	}
	wantErr(t, do(b.LinkProblem(p.Number, c, min(1), "tcc")).err, engine.Conflict, "already linked")

	wantErr(t, do(b.MoveProblem(p.Number, min(2), "tcc", engine.ProblemKnownError)).err, engine.Conflict, "cannot move to \"known_error\"")
	do(b.MoveProblem(p.Number, min(2), "tcc", engine.ProblemRCA)).ok(t)
	wantErr(t, do(b.MoveProblem(p.Number, min(2), "tcc", engine.ProblemKnownError)).err, engine.Conflict, "has no root cause yet")
	wantErr(t, do(b.ProblemRootCause(p.Number, min(2), "kim", " ")).err, engine.BadRequest, "root cause is required")
	do(b.ProblemRootCause(p.Number, min(3), "kim", "proxy firmware default")).ok(t)
	do(b.ProblemWorkaround(p.Number, min(3), "kim", "fail over")).ok(t)
	do(b.MoveProblem(p.Number, min(4), "tcc", engine.ProblemKnownError)).ok(t)
	do(b.MoveProblem(p.Number, min(5), "tcc", engine.ProblemFixInProgress)).ok(t)
	got := do(b.MoveProblem(p.Number, min(6), "tcc", engine.ProblemClosed)).ok(t)
	if got.State != engine.ProblemClosed || got.Closed.At != min(6) || got.RootCause != "proxy firmware default" || got.Workaround != "fail over" {
		t.Errorf("closed problem = %+v", got)
	}
	e := wantErr(t, do(b.ProblemWorkaround(p.Number, min(7), "kim", "x")).err, engine.Conflict, "PRB0001 is closed")
	if e.Op != engine.OpDeclareWorkaround {
		t.Errorf("op = %s", e.Op)
	}
	// A new problem can be opened for an incident whose problem closed, even a closed incident.
	do(b.DeclareRestored(a, min(7), "ana")).ok(t)
	do(b.ValidateRestoration(a, min(7), "olga")).ok(t)
	do(b.SetBusinessImpact(a, min(7), "olga", "x")).ok(t)
	do(b.Close(a, min(7), "tcc", "")).ok(t)
	if p2 := do(b.OpenProblem(a, min(8), "tcc", "follow-up")).ok(t); p2.Number != "PRB0002" || p2.ShortDescription != "follow-up" {
		t.Errorf("second problem = %+v", p2)
	}
	gone := create(t, b, min(8), "test call", "", engine.LevelLow, engine.LevelLow).Number
	do(b.Decline(gone, min(8), "sam", "testing")).ok(t)
	wantErr(t, do(b.OpenProblem(gone, min(8), "tcc", "")).err, engine.Conflict, "declined")
	wantErr(t, do(b.MoveProblem("PRB0009", min(8), "tcc", engine.ProblemRCA)).err, engine.NotFound, "problem numbers look like PRB0001")
}

func TestChangeLifecycle(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := working(t, b, 0, engine.LevelHigh, engine.LevelHigh).Number
	c := do(b.OpenChange(n, "raise-conn-table", true, min(1), "kim")).ok(t)
	want := engine.Change{Number: "CHG0001", Incident: n, Remedy: "raise-conn-table", Emergency: true, State: engine.ChangeRequested, RequestedBy: "kim", Requested: engine.StampAt(min(1))}
	if c != want {
		t.Errorf("change = %+v", c)
	}
	if got := do(b.Incident(n)).ok(t).Changes; !slices.Equal(got, []string{"CHG0001"}) {
		t.Errorf("incident changes = %v", got)
	}
	wantErr(t, do(b.OpenChange(n, "RAISE-conn-table", false, min(1), "kim")).err, engine.Conflict, "CHG0001 already requests")
	wantErr(t, do(b.OpenChange(n, "", false, min(1), "kim")).err, engine.BadRequest, "remedy the change carries out")

	wantErr(t, do(b.ImplementChange(c.Number, min(2), "kim")).err, engine.Conflict, "CHG0001 is requested, not approved; approve it first")
	wantErr(t, do(b.RequireChange(n, "raise-conn-table")).err, engine.Conflict, "not approved yet")
	wantErr(t, do(b.RequireChange(n, "failover-proxy")).err, engine.Conflict, "failover-proxy needs a change record")

	got := do(b.ApproveChange(c.Number, min(2), "tcc")).ok(t)
	if got.State != engine.ChangeApproved || got.ApprovedBy != "tcc" || got.Approved.At != min(2) {
		t.Errorf("approved = %+v", got)
	}
	if got := do(b.RequireChange(n, "raise-conn-table")).ok(t); got.Number != "CHG0001" {
		t.Errorf("RequireChange = %+v", got)
	}
	wantErr(t, do(b.ApproveChange(c.Number, min(2), "tcc")).err, engine.Conflict, "implement it first")
	do(b.ImplementChange(c.Number, min(3), "kim")).ok(t)
	wantErr(t, do(b.RequireChange(n, "raise-conn-table")).err, engine.Conflict, "already implemented")
	got = do(b.CloseChange(c.Number, min(4), "kim")).ok(t)
	if got.State != engine.ChangeClosed || got.Implemented.At != min(3) || got.Closed.At != min(4) {
		t.Errorf("closed change = %+v", got)
	}
	wantErr(t, do(b.CloseChange(c.Number, min(4), "kim")).err, engine.Conflict, "open a new change")
	// Once closed, the same remedy can be requested again.
	if again := do(b.OpenChange(n, "raise-conn-table", false, min(5), "kim")).ok(t); again.Number != "CHG0002" {
		t.Errorf("again = %s", again.Number)
	}
	wantErr(t, do(b.ApproveChange("CHG0042", min(5), "tcc")).err, engine.NotFound)
}

func TestChangeFor(t *testing.T) {
	b := family(t) // INC0001 parent of INC0002..4
	lone := create(t, b, 0, "lone", "", engine.LevelLow, engine.LevelLow).Number
	do(b.OpenChange("INC0003", "failover-proxy", true, 0, "kim")).ok(t) // CHG0001 requested
	do(b.OpenChange("INC0001", "failover-proxy", true, 0, "kim")).ok(t) // CHG0002
	do(b.ApproveChange("CHG0002", 0, "tcc")).ok(t)                      // approved: preferred
	do(b.OpenChange(lone, "restart-claims", false, 0, "kim")).ok(t)     // CHG0003

	tests := []struct {
		incident, remedy string
		want             string // empty: none
	}{
		{"INC0004", "failover-proxy", "CHG0002"}, // sibling's parent's approved change
		{"INC0003", "FAILOVER-PROXY", "CHG0002"},
		{"INC0001", "failover-proxy", "CHG0002"},
		{lone, "failover-proxy", ""},
		{"", "failover-proxy", "CHG0002"},
		{"", "restart-claims", "CHG0003"},
		{"INC0001", "restart-claims", ""},
		{"INC0404", "failover-proxy", ""},
	}
	for _, tt := range tests {
		c, ok := b.ChangeFor(tt.incident, tt.remedy)
		if ok != (tt.want != "") || c.Number != tt.want {
			t.Errorf("ChangeFor(%q, %q) = %s, %v; want %q", tt.incident, tt.remedy, c.Number, ok, tt.want)
		}
	}
}
