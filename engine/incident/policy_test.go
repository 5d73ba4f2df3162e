package incident

import (
	"errors"
	"testing"
)

func TestPolicy(t *testing.T) {
	p := DefaultPolicy()
	if p.Priority("huge", High) != 4 {
		t.Error("unknown levels must give P4")
	}
	tests := []struct {
		pr   Priority
		why  []ProblemReason
		want bool
	}{
		{1, nil, true},
		{2, nil, false},
		{2, []ProblemReason{CausedByChange}, true},
		{2, []ProblemReason{CriticalService}, true},
		{3, []ProblemReason{CausedByChange}, false},
	}
	for _, tt := range tests {
		if got := p.NeedsProblem(tt.pr, tt.why...); got != tt.want {
			t.Errorf("NeedsProblem(P%d, %v) = %v", tt.pr, tt.why, got)
		}
	}
	if !p.NeedsWarRoom(2) || p.NeedsWarRoom(3) || !Priority(2).High() || Priority(3).High() {
		t.Error("default war-room policy is P1/P2")
	}
}

// A scenario's process block can change what closing needs.
func TestBookAppliesItsPolicy(t *testing.T) {
	p := DefaultPolicy()
	p.ValidationFor = []Priority{1, 2, 3}
	p.ProblemFor = nil
	p.CommandCenterFor = []Priority{1}
	b := NewBook(p)
	if b.Policy().CommandCenterFor[0] != 1 {
		t.Fatal("Policy() does not return the book's policy")
	}
	p3 := working(t, b, 0, Medium, Medium).Number
	do(b.DeclareRestored(p3, 0, "ana")).ok(t)
	wantErr(t, do(b.Close(p3, 0, "ana", "")).err, Conflict, "INC0001 is P3; the service owner must validate")
	p1 := working(t, b, 0, High, High).Number
	do(b.DeclareRestored(p1, 0, "ana")).ok(t)
	do(b.ValidateRestoration(p1, 0, "olga")).ok(t)
	do(b.SetBusinessImpact(p1, 0, "olga", "x")).ok(t)
	do(b.Close(p1, 0, "tcc", "")).ok(t) // no problem record needed
	p2 := working(t, b, 0, High, Medium).Number
	wantErr(t, do(b.RaiseAlert(p2, 0, "tcc")).err, Conflict, "incident alerts are for P1,")
}

// Garbage in gives a typed error, never a panic, on an empty book and on
// one with records.
func TestGarbageIsRefused(t *testing.T) {
	for _, b := range []*Book{NewBook(DefaultPolicy()), family(t), NewBook(Policy{})} {
		for _, n := range []string{"", "INC", "INC0", "INC-1", "INC99999", "TASK1", "WR", "💥", "INC18446744073709551617"} {
			calls := []error{
				do(b.Incident(n)).err, do(b.Alert(n)).err, do(b.WarRoom(n)).err, do(b.Task(n)).err,
				do(b.Problem(n)).err, do(b.Change(n)).err,
				do(b.Acknowledge(n, 0, "a")).err, do(b.Assign(n, 0, "a", "g", "")).err,
				do(b.DeclareWorkaround(n, 0, "a", "w")).err, do(b.DeclareRestored(n, 0, "a")).err,
				do(b.Reopen(n, 0, "a", "")).err, do(b.Close(n, 0, "a", "")).err, do(b.Merge(n, n, 0, "a")).err,
				do(b.LinkParent(n, "INC0001", 0, "a")).err, do(b.RaiseAlert(n, 0, "a")).err,
				do(b.OpenWarRoom(n, "", 0, "a")).err, do(b.JoinWarRoom(n, 0, "a")).err,
				do(b.OpenTask(n, 0, "a", "g", "t")).err, do(b.CompleteTask(n, 0, "a")).err,
				do(b.OpenProblem(n, 0, "a", "")).err, do(b.LinkProblem(n, n, 0, "a")).err,
				do(b.MoveProblem(n, 0, "a", ProblemRCA)).err, do(b.OpenChange(n, "r", false, 0, "a")).err,
				do(b.ApproveChange(n, 0, "a")).err, do(b.RequireChange(n, "r")).err,
				do(b.StateTime(n, 0, "a", MilestoneDetected, -5)).err,
			}
			for i, err := range calls {
				if !errors.As(err, new(*Error)) {
					t.Errorf("call %d with %q: %v, want *Error", i, n, err)
				}
			}
			b.SearchParents(n)
			b.ChangeFor(n, n)
		}
	}
}
