package incident

import (
	"errors"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
)

func TestCreateIncident(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	tests := []struct {
		impact, urgency engine.Level
		want            engine.Priority
	}{
		{engine.LevelHigh, engine.LevelHigh, 1}, {engine.LevelHigh, engine.LevelMedium, 2}, {engine.LevelMedium, engine.LevelHigh, 2}, {engine.LevelHigh, engine.LevelLow, 3},
		{engine.LevelMedium, engine.LevelMedium, 3}, {engine.LevelLow, engine.LevelHigh, 3}, {engine.LevelMedium, engine.LevelLow, 4}, {engine.LevelLow, engine.LevelMedium, 4}, {engine.LevelLow, engine.LevelLow, 4},
	}
	for i, tt := range tests {
		inc := create(t, b, min(i), "claims fail", "claims-api", tt.impact, tt.urgency)
		if inc.Priority != tt.want {
			t.Errorf("%s×%s: priority P%d, want P%d", tt.impact, tt.urgency, inc.Priority, tt.want)
		}
		if want := number(prefixIncident, i+1); inc.Number != want {
			t.Errorf("number = %s, want %s", inc.Number, want)
		}
		if inc.State != engine.StateNew || inc.Class != engine.ClassIncident || !inc.Opened.Set || inc.Opened.At != min(i) {
			t.Errorf("new incident = %+v", inc)
		}
	}
	if got := do(b.Incident("inc1")).ok(t).Number; got != "INC0001" {
		t.Errorf("lookup inc1 = %s", got)
	}

	assigned := do(b.CreateIncident(NewIncident{At: min(9), ShortDescription: "x", Impact: engine.LevelLow, Urgency: engine.LevelLow, Group: "network", Assignee: "kim"})).ok(t)
	if assigned.State != engine.StateAssigned || assigned.Group != "network" || assigned.Assignee != "kim" || !assigned.Assigned.Set {
		t.Errorf("created with group = %+v", assigned)
	}

	bad := []struct {
		n    NewIncident
		frag string
	}{
		{NewIncident{At: min(9), ShortDescription: "  ", Impact: engine.LevelLow, Urgency: engine.LevelLow}, "short description is required"},
		{NewIncident{At: min(9), ShortDescription: "x", Impact: "huge", Urgency: engine.LevelLow}, `impact "huge" is unknown`},
		{NewIncident{At: min(9), ShortDescription: "x", Impact: engine.LevelLow}, `urgency "" is unknown`},
		{NewIncident{At: min(9), ShortDescription: "x", Impact: engine.LevelLow, Urgency: engine.LevelLow, Class: "ticket"}, `classification "ticket"`},
		{NewIncident{At: min(8), ShortDescription: "x", Impact: engine.LevelLow, Urgency: engine.LevelLow}, "before the last recorded action"},
		{NewIncident{At: -1, ShortDescription: "x", Impact: engine.LevelLow, Urgency: engine.LevelLow}, "before the exercise started"},
	}
	for _, tt := range bad {
		_, err := b.CreateIncident(tt.n)
		wantErr(t, err, engine.BadRequest, tt.frag)
	}
	if n := len(b.Incidents()); n != 10 {
		t.Errorf("refusals created records: %d incidents, want 10", n)
	}
}

func TestHappyPathLowPriority(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	inc := create(t, b, min(1), "printer jams", "print", engine.LevelLow, engine.LevelLow)
	if got := do(b.Assign(inc.Number, min(2), "sam", "desk", "")).ok(t); got.State != engine.StateAssigned || got.Assigned.At != min(2) {
		t.Fatalf("assign = %+v", got)
	}
	if got := do(b.Acknowledge(inc.Number, min(3), "raj")).ok(t); got.State != engine.StateInProgress || got.Assignee != "raj" || got.Acknowledged.At != min(3) {
		t.Fatalf("ack = %+v", got)
	}
	got := do(b.DeclareWorkaround(inc.Number, min(4), "raj", "use tray 2")).ok(t)
	if len(got) != 1 || got[0].State != engine.StateMitigated || got[0].Workaround != "use tray 2" || got[0].Mitigated.At != min(4) {
		t.Fatalf("workaround = %+v", got)
	}
	got = do(b.DeclareRestored(inc.Number, min(5), "raj")).ok(t)
	if got[0].State != engine.StateRestored || got[0].Restored.At != min(5) {
		t.Fatalf("restored = %+v", got)
	}
	// P4 closes without validation or business impact.
	got = do(b.Close(inc.Number, min(6), "raj", "fixed")).ok(t)
	if got[0].State != engine.StateClosed || got[0].Closed.At != min(6) || len(got[0].Notes) != 1 {
		t.Fatalf("closed = %+v", got)
	}
	if len(b.Open()) != 0 {
		t.Errorf("Open() = %v, want none", numbers(b.Open()))
	}
}

func TestInvalidTransitions(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, b *Book) string
		act   func(b *Book, n string) error
		code  engine.Code
		frag  string
	}{
		{"ack new", newInc, func(b *Book, n string) error { _, err := b.Acknowledge(n, min(5), "ana"); return err },
			engine.Conflict, "INC0001 is new; assign it before acknowledging"},
		{"ack twice", inProgress, func(b *Book, n string) error { _, err := b.Acknowledge(n, min(5), "ana"); return err },
			engine.Conflict, "already acknowledged"},
		{"ack without person", assigned, func(b *Book, n string) error { _, err := b.Acknowledge(n, min(5), " "); return err },
			engine.BadRequest, "person acknowledging is required"},
		{"workaround assigned", assigned, func(b *Book, n string) error { _, err := b.DeclareWorkaround(n, min(5), "ana", "w"); return err },
			engine.Conflict, "acknowledge it before declaring a workaround"},
		{"workaround twice", mitigated, func(b *Book, n string) error { _, err := b.DeclareWorkaround(n, min(5), "ana", "w"); return err },
			engine.Conflict, "workaround is already in place"},
		{"workaround empty", inProgress, func(b *Book, n string) error { _, err := b.DeclareWorkaround(n, min(5), "ana", ""); return err },
			engine.BadRequest, "description of the workaround"},
		{"restore new", newInc, func(b *Book, n string) error { _, err := b.DeclareRestored(n, min(5), "ana"); return err },
			engine.Conflict, "assign and acknowledge it"},
		{"restore twice", restored, func(b *Book, n string) error { _, err := b.DeclareRestored(n, min(5), "ana"); return err },
			engine.Conflict, "already restored"},
		{"validate in progress", inProgress, func(b *Book, n string) error { _, err := b.ValidateRestoration(n, min(5), "owner"); return err },
			engine.Conflict, "INC0001 is in progress; restoration can be validated only after"},
		{"validate twice", validated, func(b *Book, n string) error { _, err := b.ValidateRestoration(n, min(5), "owner"); return err },
			engine.Conflict, "already validated by owner"},
		{"close mitigated", mitigated, func(b *Book, n string) error { _, err := b.Close(n, min(5), "cc", ""); return err },
			engine.Conflict, "only restored incidents close"},
		{"reopen in progress", inProgress, func(b *Book, n string) error { _, err := b.Reopen(n, min(5), "cc", "back"); return err },
			engine.Conflict, "only a restored incident can be reopened"},
		{"assign restored", restored, func(b *Book, n string) error { _, err := b.Assign(n, min(5), "sam", "network", ""); return err },
			engine.Conflict, "reopen it before reassigning"},
		{"assign same", assigned, func(b *Book, n string) error { _, err := b.Assign(n, min(5), "sam", "claims", ""); return err },
			engine.Conflict, "already assigned to claims"},
		{"assign no group", newInc, func(b *Book, n string) error { _, err := b.Assign(n, min(5), "sam", "", ""); return err },
			engine.BadRequest, "assignment group is required"},
		{"decline mitigated", mitigated, func(b *Book, n string) error { _, err := b.Decline(n, min(5), "sam", "noise"); return err },
			engine.Conflict, "close it instead"},
		{"decline without reason", newInc, func(b *Book, n string) error { _, err := b.Decline(n, min(5), "sam", ""); return err },
			engine.BadRequest, "reason it is not an incident"},
		{"act on closed", closed, func(b *Book, n string) error { _, err := b.AddNote(n, min(5), "ana", "hi"); return err },
			engine.Conflict, "INC0001 is closed; create a new incident"},
		{"act on declined", declined, func(b *Book, n string) error { _, err := b.Assign(n, min(5), "sam", "x", ""); return err },
			engine.Conflict, "declined as not an incident"},
		{"missing", newInc, func(b *Book, n string) error { _, err := b.Acknowledge("INC0042", min(5), "ana"); return err },
			engine.NotFound, `there is no incident "INC0042"`},
		{"wrong kind", newInc, func(b *Book, n string) error { _, err := b.Acknowledge("PRB0001", min(5), "ana"); return err },
			engine.NotFound, "incident numbers look like INC0001"},
		{"back in time", newInc, func(b *Book, n string) error { _, err := b.Assign(n, 0, "sam", "x", ""); return err },
			engine.BadRequest, "record actions in time order"},
		{"bad levels", newInc, func(b *Book, n string) error {
			_, err := b.Prioritise(n, min(5), "cc", engine.LevelHigh, "extreme")
			return err
		},
			engine.BadRequest, `urgency "extreme"`},
		{"bad milestone", newInc, func(b *Book, n string) error { _, err := b.StateTime(n, min(5), "ana", "lunch", 0); return err },
			engine.BadRequest, `milestone "lunch"`},
		{"empty update", newInc, func(b *Book, n string) error {
			_, err := b.UpdateIncident(n, min(5), "ana", IncidentUpdate{})
			return err
		},
			engine.BadRequest, "nothing to update"},
		{"note without author", newInc, func(b *Book, n string) error { _, err := b.AddNote(n, min(5), "", "text"); return err },
			engine.BadRequest, "who writes the note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBook(engine.DefaultPolicy())
			n := tt.setup(t, b)
			before := do(b.Incident(n)).ok(t)
			wantErr(t, tt.act(b, n), tt.code, tt.frag)
			after := do(b.Incident(n)).ok(t)
			if after.State != before.State || len(after.Notes) != len(before.Notes) || after.Group != before.Group {
				t.Errorf("refusal changed the record: %+v → %+v", before, after)
			}
		})
	}
}

// Setups for TestInvalidTransitions: a P4 incident at minute 1 in each state.
func newInc(t *testing.T, b *Book) string {
	t.Helper()
	return create(t, b, min(1), "printer", "print", engine.LevelLow, engine.LevelLow).Number
}

func assigned(t *testing.T, b *Book) string {
	t.Helper()
	n := newInc(t, b)
	do(b.Assign(n, min(1), "sam", "claims", "")).ok(t)
	return n
}

func inProgress(t *testing.T, b *Book) string {
	t.Helper()
	n := assigned(t, b)
	do(b.Acknowledge(n, min(1), "ana")).ok(t)
	return n
}

func mitigated(t *testing.T, b *Book) string {
	t.Helper()
	n := inProgress(t, b)
	do(b.DeclareWorkaround(n, min(1), "ana", "reroute")).ok(t)
	return n
}

func restored(t *testing.T, b *Book) string {
	t.Helper()
	n := mitigated(t, b)
	do(b.DeclareRestored(n, min(1), "ana")).ok(t)
	return n
}

func validated(t *testing.T, b *Book) string {
	t.Helper()
	n := restored(t, b)
	do(b.ValidateRestoration(n, min(1), "owner")).ok(t)
	return n
}

func closed(t *testing.T, b *Book) string {
	t.Helper()
	n := restored(t, b)
	do(b.Close(n, min(1), "ana", "")).ok(t)
	return n
}

func declined(t *testing.T, b *Book) string {
	t.Helper()
	n := newInc(t, b)
	do(b.Decline(n, min(1), "sam", "test call")).ok(t)
	return n
}

func TestHighPriorityClose(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	inc := working(t, b, 0, engine.LevelHigh, engine.LevelHigh) // P1
	n := inc.Number

	wantErr(t, do(b.ValidateRestoration(n, min(1), "olga")).err, engine.Conflict, "only after it is declared restored")
	do(b.DeclareRestored(n, min(2), "ana")).ok(t)

	_, err := b.Close(n, min(3), "cc", "")
	wantErr(t, err, engine.Conflict, "INC0001 is P1; the service owner must validate restoration")
	do(b.ValidateRestoration(n, min(3), "olga")).ok(t)

	_, err = b.Close(n, min(4), "cc", "")
	wantErr(t, err, engine.Conflict, "business-impact statement")
	wantErr(t, do(b.SetBusinessImpact(n, min(4), "olga", " ")).err, engine.BadRequest, "business-impact statement is required")
	do(b.SetBusinessImpact(n, min(4), "olga", "40 minutes of failed claims")).ok(t)

	_, err = b.Close(n, min(5), "cc", "")
	wantErr(t, err, engine.Conflict, "P1 and needs a problem record")
	do(b.OpenProblem(n, min(5), "cc", "")).ok(t)

	got := do(b.Close(n, min(6), "cc", "")).ok(t)
	if got[0].State != engine.StateClosed || got[0].ValidatedBy != "olga" || got[0].Validated.At != min(3) {
		t.Errorf("closed P1 = %+v", got[0])
	}
}

func TestP2ClosesWithoutProblem(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := working(t, b, 0, engine.LevelHigh, engine.LevelMedium).Number // P2
	do(b.DeclareRestored(n, min(1), "ana")).ok(t)
	do(b.ValidateRestoration(n, min(1), "olga")).ok(t)
	do(b.SetBusinessImpact(n, min(1), "olga", "none")).ok(t)
	if got := do(b.Close(n, min(2), "cc", "")).ok(t); got[0].State != engine.StateClosed {
		t.Errorf("P2 state = %s", got[0].State)
	}
}

func TestReopenClearsValidation(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := validated(t, b)
	got := do(b.Reopen(n, min(2), "ana", "errors are back")).ok(t)
	inc := got[0]
	if inc.State != engine.StateInProgress || inc.Validated.Set || inc.ValidatedBy != "" || inc.Restored.Set || inc.Reopened != 1 {
		t.Errorf("reopened = %+v", inc)
	}
	if len(inc.Notes) != 1 || inc.Notes[0].Text != "Reopened: errors are back" {
		t.Errorf("notes = %+v", inc.Notes)
	}
	if !inc.Mitigated.Set {
		t.Error("reopen cleared the mitigation stamp")
	}
	do(b.DeclareRestored(n, min(3), "ana")).ok(t)
}

func TestPrioritiseAndReassign(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := working(t, b, 0, engine.LevelLow, engine.LevelLow).Number
	got := do(b.Prioritise(n, min(1), "cc", engine.LevelHigh, engine.LevelHigh)).ok(t)
	if got.Priority != 1 || got.PrioritisedBy != "cc" || got.Prioritised.At != min(1) {
		t.Errorf("prioritised = %+v", got)
	}
	// Same values again: a confirmation, restamped.
	if got = do(b.Prioritise(n, min(2), "tcc", engine.LevelHigh, engine.LevelHigh)).ok(t); got.Prioritised.At != min(2) || got.PrioritisedBy != "tcc" {
		t.Errorf("confirmed = %+v", got)
	}
	// Another group must acknowledge again; another person in the group need not.
	if got = do(b.Assign(n, min(3), "im", "claims", "raj")).ok(t); got.State != engine.StateInProgress || got.Assignee != "raj" {
		t.Errorf("same group = %+v", got)
	}
	if got = do(b.Assign(n, min(4), "im", "network", "")).ok(t); got.State != engine.StateAssigned || got.Assignee != "" {
		t.Errorf("other group = %+v", got)
	}
}

func TestTextFieldsAndStatedTimes(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := create(t, b, min(10), "slow", "", engine.LevelMedium, engine.LevelMedium).Number
	got := do(b.UpdateIncident(n, min(11), "sam", IncidentUpdate{ShortDescription: "claims slow", Service: "claims-api"})).ok(t)
	if got.ShortDescription != "claims slow" || got.Service != "claims-api" || got.Caller != "member" {
		t.Errorf("updated = %+v", got)
	}
	got = do(b.StateTime(n, min(12), "ana", engine.MilestoneImpactStarted, min(3))).ok(t)
	want := engine.Statement{Claimed: min(3), At: min(12), By: "ana", Set: true}
	if got.StatedImpactStart != want || got.StatedDetected.Set || got.StatedImpactEnd.Set {
		t.Errorf("stated = %+v", got)
	}
	got = do(b.StateTime(n, min(13), "raj", engine.MilestoneImpactEnded, min(12))).ok(t)
	if got.StatedImpactEnd.Claimed != min(12) || got.StatedImpactStart != want {
		t.Errorf("stated end = %+v", got)
	}
	got = do(b.IdentifyRootCause(n, min(14), "raj", "proxy connection table full")).ok(t)
	if got.RootCause != "proxy connection table full" || got.Identified.At != min(14) {
		t.Errorf("root cause = %+v", got)
	}
	got = do(b.AddNote(n, min(15), "raj", "checking proxy")).ok(t)
	if want := (engine.Note{At: min(15), By: "raj", Text: "checking proxy"}); len(got.Notes) != 1 || got.Notes[0] != want {
		t.Errorf("notes = %+v", got.Notes)
	}
	// Returned records are copies.
	got.Notes[0].Text = "tampered"
	if do(b.Incident(n)).ok(t).Notes[0].Text != "checking proxy" {
		t.Error("a returned record shares memory with the book")
	}
}

func TestClassify(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := create(t, b, 0, "new laptop please", "", engine.LevelLow, engine.LevelLow).Number
	if got := do(b.Classify(n, 0, "sam", engine.ClassServiceRequest)).ok(t); got.Class != engine.ClassServiceRequest {
		t.Errorf("class = %s", got.Class)
	}
	wantErr(t, do(b.Classify(n, 0, "sam", engine.ClassServiceRequest)).err, engine.Conflict, "already classified")
	wantErr(t, do(b.Classify(n, 0, "sam", "wish")).err, engine.BadRequest, `"wish"`)
	wantErr(t, do(b.MakeParent(n, 0, "im")).err, engine.Conflict, "only incidents can be parents")

	p := create(t, b, 0, "outage", "", engine.LevelHigh, engine.LevelHigh).Number
	do(b.MakeParent(p, 0, "im")).ok(t)
	wantErr(t, do(b.Classify(p, 0, "sam", engine.ClassServiceRequest)).err, engine.Conflict, "is a parent, a child or has an incident alert")
}

func TestDecline(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := create(t, b, 0, "test call", "", engine.LevelLow, engine.LevelLow).Number
	got := do(b.Decline(n, min(1), "sam", "caller was testing")).ok(t)
	if got.State != engine.StateDeclined || got.DeclineReason != "caller was testing" || got.Closed.At != min(1) || got.Live() {
		t.Errorf("declined = %+v", got)
	}
	if !errors.Is(do(b.Acknowledge(n, min(1), "ana")).err, engine.Conflict) {
		t.Error("declined record accepted an acknowledgement")
	}
}

func TestTimeNeverGoesBack(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := create(t, b, min(5), "x", "", engine.LevelLow, engine.LevelLow).Number
	// A refusal does not move the clock.
	wantErr(t, do(b.Assign(n, min(6), "sam", "", "")).err, engine.BadRequest)
	do(b.Assign(n, min(5), "sam", "g", "")).ok(t)
	wantErr(t, do(b.Acknowledge(n, min(4)+59*time.Second, "ana")).err, engine.BadRequest, "4m59s is before the last recorded action at 5m0s")
}
