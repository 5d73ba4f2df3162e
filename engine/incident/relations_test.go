package incident

import (
	"slices"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

// family builds a P1 parent (INC0001) with children INC0002..INC0004 in
// states new, assigned and in_progress.
func family(t *testing.T) *Book {
	t.Helper()
	b := NewBook(engine.DefaultPolicy())
	p := working(t, b, 0, engine.LevelHigh, engine.LevelHigh)
	do(b.MakeParent(p.Number, 0, "im")).ok(t)
	c2 := create(t, b, 0, "claims fail", "claims-api", engine.LevelLow, engine.LevelMedium)
	c3 := create(t, b, 0, "pharmacy fails", "pharmacy", engine.LevelLow, engine.LevelMedium)
	do(b.Assign(c3.Number, 0, "sam", "pharmacy", "")).ok(t)
	c4 := working(t, b, 0, engine.LevelLow, engine.LevelMedium)
	for _, c := range []string{c4.Number, c2.Number, c3.Number} {
		do(b.LinkParent(c, p.Number, 0, "sam")).ok(t)
	}
	return b
}

func TestLinkParentKeepsChildrenInOrder(t *testing.T) {
	b := family(t)
	p := do(b.Incident("INC0001")).ok(t)
	if !p.IsParent || !slices.Equal(p.Children, []string{"INC0002", "INC0003", "INC0004"}) {
		t.Errorf("parent = %+v", p)
	}
	if c := do(b.Incident("INC0003")).ok(t); c.Parent != "INC0001" {
		t.Errorf("child parent = %q", c.Parent)
	}
}

func TestLinkParentRules(t *testing.T) {
	b := family(t)
	plain := create(t, b, 0, "other", "", engine.LevelLow, engine.LevelLow).Number // INC0005
	p2 := create(t, b, 0, "second parent", "", engine.LevelLow, engine.LevelLow).Number
	do(b.MakeParent(p2, 0, "im")).ok(t)
	req := create(t, b, 0, "access please", "", engine.LevelLow, engine.LevelLow).Number
	do(b.Classify(req, 0, "sam", engine.ClassServiceRequest)).ok(t)
	gone := declined(t, b)
	lone := create(t, b, min(1), "lone", "", engine.LevelLow, engine.LevelLow).Number

	tests := []struct {
		child, parent string
		code          engine.Code
		frag          string
	}{
		{plain, plain, engine.BadRequest, "cannot be its own parent"},
		{plain, "INC0002", engine.Conflict, "INC0002 is a child of INC0001; link INC0005 to INC0001 instead"},
		{plain, lone, engine.Conflict, "is not a parent; make it a parent first"},
		{p2, "INC0001", engine.Conflict, "a parent cannot itself have a parent"},
		{req, "INC0001", engine.Conflict, "service request"},
		{"INC0002", "INC0001", engine.Conflict, "already a child of INC0001"},
		{plain, "INC0099", engine.NotFound, "no incident"},
		{gone, "INC0001", engine.Conflict, "declined"},
		{plain, gone, engine.Conflict, "declined"},
	}
	for _, tt := range tests {
		_, err := b.LinkParent(tt.child, tt.parent, min(1), "sam")
		wantErr(t, err, tt.code, tt.frag)
	}
	wantErr(t, do(b.MakeParent("INC0002", min(1), "im")).err, engine.Conflict, "INC0002 is a child of INC0001, and a parent cannot itself have a parent")
	wantErr(t, do(b.MakeParent("INC0001", min(1), "im")).err, engine.Conflict, "already a parent")

	// Moving a child to another parent reports both parents.
	got := do(b.LinkParent("INC0002", p2, min(1), "sam")).ok(t)
	if !slices.Equal(numbers(got), []string{"INC0002", p2, "INC0001"}) {
		t.Errorf("moved = %v", numbers(got))
	}
	if c := do(b.Incident("INC0001")).ok(t).Children; !slices.Equal(c, []string{"INC0003", "INC0004"}) {
		t.Errorf("old parent children = %v", c)
	}
}

func TestChildrenFollowParent(t *testing.T) {
	b := family(t)
	got := do(b.DeclareWorkaround("INC0001", min(10), "ana", "fail over proxy")).ok(t)
	if !slices.Equal(numbers(got), []string{"INC0001", "INC0002", "INC0003", "INC0004"}) {
		t.Fatalf("workaround changed %v", numbers(got))
	}
	for _, c := range got[1:] {
		if c.State != engine.StateMitigated || c.Mitigated.At != min(10) || c.Workaround != "fail over proxy" {
			t.Errorf("child after workaround = %+v", c)
		}
	}
	// A child restored on its own is not reported again.
	do(b.DeclareRestored("INC0004", min(11), "ana")).ok(t)
	got = do(b.DeclareRestored("INC0001", min(12), "ana")).ok(t)
	if !slices.Equal(numbers(got), []string{"INC0001", "INC0002", "INC0003"}) {
		t.Fatalf("restore changed %v", numbers(got))
	}
	if c := do(b.Incident("INC0004")).ok(t); c.Restored.At != min(11) {
		t.Errorf("INC0004 restored at %v, want 11m", c.Restored.At)
	}

	// Reopening the parent reopens its restored children.
	got = do(b.Reopen("INC0001", min(13), "cc", "")).ok(t)
	if !slices.Equal(numbers(got), []string{"INC0001", "INC0002", "INC0003", "INC0004"}) {
		t.Fatalf("reopen changed %v", numbers(got))
	}
	for _, c := range got {
		if c.State != engine.StateInProgress || c.Reopened != 1 {
			t.Errorf("after reopen %s = %s, reopened %d", c.Number, c.State, c.Reopened)
		}
	}
}

func TestCloseParentClosesRestoredChildrenOnly(t *testing.T) {
	b := family(t)
	do(b.DeclareRestored("INC0001", min(1), "ana")).ok(t)
	do(b.Reopen("INC0004", min(2), "ana", "still failing")).ok(t)
	do(b.ValidateRestoration("INC0001", min(3), "olga")).ok(t)
	do(b.SetBusinessImpact("INC0001", min(3), "olga", "claims down 20 minutes")).ok(t)
	do(b.OpenProblem("INC0001", min(3), "cc", "")).ok(t)
	got := do(b.Close("INC0001", min(4), "cc", "")).ok(t)
	if !slices.Equal(numbers(got), []string{"INC0001", "INC0002", "INC0003"}) {
		t.Fatalf("close changed %v", numbers(got))
	}
	if s := state(t, b, "INC0004"); s != engine.StateInProgress {
		t.Errorf("child being worked = %s, want in_progress", s)
	}
	if s := state(t, b, "INC0002"); s != engine.StateClosed {
		t.Errorf("restored child = %s, want closed", s)
	}
	if !slices.Equal(numbers(b.Open()), []string{"INC0004"}) {
		t.Errorf("Open() = %v", numbers(b.Open()))
	}
}

func TestCatchUpWhenLinkingToRestoredParent(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	p := working(t, b, 0, engine.LevelMedium, engine.LevelMedium).Number
	do(b.MakeParent(p, 0, "im")).ok(t)
	do(b.DeclareRestored(p, min(1), "ana")).ok(t)
	c := create(t, b, min(2), "late call", "", engine.LevelLow, engine.LevelLow).Number
	got := do(b.LinkParent(c, p, min(3), "sam")).ok(t)
	if got[0].State != engine.StateRestored || got[0].Restored.At != min(3) {
		t.Errorf("late child = %+v", got[0])
	}
}

func TestMerge(t *testing.T) {
	b := family(t)
	// A second parent for the same outage, with a child, an alert and a war room.
	dup := working(t, b, 0, engine.LevelHigh, engine.LevelHigh).Number // INC0005
	do(b.MakeParent(dup, 0, "im")).ok(t)
	kid := create(t, b, 0, "eligibility fails", "", engine.LevelLow, engine.LevelLow).Number // INC0006
	do(b.LinkParent(kid, dup, 0, "sam")).ok(t)
	alert := do(b.RaiseAlert(dup, 0, "cc")).ok(t)
	room := do(b.OpenWarRoom(dup, "", 0, "cc")).ok(t).Room
	prb := do(b.OpenProblem(dup, 0, "cc", "")).ok(t)
	do(b.DeclareWorkaround("INC0001", min(1), "ana", "fail over")).ok(t)

	got := do(b.Merge(dup, "INC0001", min(2), "im")).ok(t)
	if !slices.Equal(numbers(got), []string{dup, "INC0001", kid}) {
		t.Fatalf("merge changed %v", numbers(got))
	}
	src, dst, moved := got[0], got[1], got[2]
	if src.State != engine.StateMerged || src.MergedInto != "INC0001" || src.Closed.At != min(2) || src.Alert != "" || len(src.Children) != 0 {
		t.Errorf("source = %+v", src)
	}
	if !slices.Equal(dst.Children, []string{"INC0002", "INC0003", "INC0004", kid}) || dst.Alert != alert.Number || !slices.Contains(dst.Problems, prb.Number) {
		t.Errorf("target = %+v", dst)
	}
	if moved.Parent != "INC0001" || moved.State != engine.StateMitigated {
		t.Errorf("moved child = %+v", moved)
	}
	if a := do(b.Alert(alert.Number)).ok(t); a.Incident != "INC0001" || !a.Open() {
		t.Errorf("alert = %+v", a)
	}
	if w := do(b.WarRoom(room.Number)).ok(t); w.Open() || w.Closed.At != min(2) {
		t.Errorf("source war room = %+v", w)
	}
	if p := do(b.Problem(prb.Number)).ok(t); !slices.Equal(p.Incidents, []string{dup, "INC0001"}) {
		t.Errorf("problem incidents = %v", p.Incidents)
	}
	wantErr(t, do(b.AddNote(dup, min(3), "ana", "x")).err, engine.Conflict, "was merged into INC0001; work on INC0001 instead")
}

func TestMergeRules(t *testing.T) {
	b := family(t)
	req := create(t, b, 0, "access", "", engine.LevelLow, engine.LevelLow).Number // INC0005
	do(b.Classify(req, 0, "sam", engine.ClassServiceRequest)).ok(t)
	lone := create(t, b, 0, "lone", "", engine.LevelLow, engine.LevelLow).Number // INC0006
	tests := []struct {
		src, dst string
		code     engine.Code
		frag     string
	}{
		{lone, lone, engine.BadRequest, "into itself"},
		{lone, req, engine.Conflict, "classify them alike"},
		{"INC0001", "INC0002", engine.Conflict, "merge the child INC0002 into its parent INC0001 instead"},
		{lone, "INC0404", engine.NotFound, "no incident"},
	}
	for _, tt := range tests {
		wantErr(t, do(b.Merge(tt.src, tt.dst, 0, "im")).err, tt.code, tt.frag)
	}
	// A parent with children cannot merge into another family's child.
	p2 := create(t, b, 0, "p2", "", engine.LevelLow, engine.LevelLow).Number
	do(b.MakeParent(p2, 0, "im")).ok(t)
	c := create(t, b, 0, "c", "", engine.LevelLow, engine.LevelLow).Number
	do(b.LinkParent(c, p2, 0, "im")).ok(t)
	wantErr(t, do(b.Merge(p2, "INC0003", 0, "im")).err, engine.Conflict, "INC0007 is a parent and INC0003 is a child of INC0001; merge INC0007 into INC0001 instead")
	// A child merged into its own parent simply leaves it.
	got := do(b.Merge("INC0002", "INC0001", 0, "im")).ok(t)
	if !slices.Equal(got[1].Children, []string{"INC0003", "INC0004"}) {
		t.Errorf("children after merge = %v", got[1].Children)
	}
	// A parent with live children cannot be declined.
	wantErr(t, do(b.Decline("INC0001", 0, "im", "noise")).err, engine.Conflict, "INC0001 is the parent of INC0003")
}
