package incident

import (
	"errors"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

// A scenario's process block can change what closing needs.
func TestBookAppliesItsPolicy(t *testing.T) {
	p := engine.DefaultPolicy()
	p.ValidationFor = []engine.Priority{1, 2, 3}
	p.ProblemFor = nil
	p.CommandCenterFor = []engine.Priority{1}
	b := NewBook(p)
	if b.Policy().CommandCenterFor[0] != 1 {
		t.Fatal("Policy() does not return the book's policy")
	}
	p3 := working(t, b, 0, engine.LevelMedium, engine.LevelMedium).Number
	do(b.DeclareRestored(p3, 0, "ana")).ok(t)
	wantErr(t, do(b.Close(p3, 0, "ana", "")).err, engine.Conflict, "INC0001 is P3; the service owner must validate")
	p1 := working(t, b, 0, engine.LevelHigh, engine.LevelHigh).Number
	do(b.DeclareRestored(p1, 0, "ana")).ok(t)
	do(b.ValidateRestoration(p1, 0, "olga")).ok(t)
	do(b.SetBusinessImpact(p1, 0, "olga", "x")).ok(t)
	do(b.Close(p1, 0, "tcc", "")).ok(t) // no problem record needed
	p2 := working(t, b, 0, engine.LevelHigh, engine.LevelMedium).Number
	wantErr(t, do(b.RaiseAlert(p2, 0, "tcc")).err, engine.Conflict, "incident alerts are for P1,")
}

// Garbage in gives a typed error, never a panic, on an empty book and on
// one with records.
func TestGarbageIsRefused(t *testing.T) {
	for _, b := range []*Book{NewBook(engine.DefaultPolicy()), family(t), NewBook(engine.Policy{})} {
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
				do(b.MoveProblem(n, 0, "a", engine.ProblemRCA)).err, do(b.OpenChange(n, "r", false, 0, "a")).err,
				do(b.ApproveChange(n, 0, "a")).err, do(b.RequireChange(n, "r")).err,
				do(b.StateTime(n, 0, "a", engine.MilestoneDetected, -5)).err,
			}
			for i, err := range calls {
				if !errors.As(err, new(*engine.Error)) {
					t.Errorf("call %d with %q: %v, want *Error", i, n, err)
				}
			}
			b.SearchParents(n)
			b.ChangeFor(n, n)
		}
	}
}
