package incident

import (
	"slices"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

func TestRaiseAlert(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	p1 := create(t, b, 0, "claims down", "claims-api", engine.LevelHigh, engine.LevelHigh).Number
	p3 := create(t, b, 0, "slow page", "portal", engine.LevelMedium, engine.LevelMedium).Number
	req := create(t, b, 0, "access", "", engine.LevelHigh, engine.LevelHigh).Number
	do(b.Classify(req, 0, "sam", engine.ClassServiceRequest)).ok(t)

	a := do(b.RaiseAlert(p1, min(1), "tcc")).ok(t)
	want := engine.IncidentAlert{Number: "IA0001", Incident: p1, Priority: 1, RaisedBy: "tcc", Raised: engine.StampAt(min(1))}
	if a != want {
		t.Errorf("alert = %+v, want %+v", a, want)
	}
	if got := do(b.Incident(p1)).ok(t).Alert; got != "IA0001" {
		t.Errorf("incident alert = %q", got)
	}
	wantErr(t, do(b.RaiseAlert(p1, min(1), "tcc")).err, engine.Conflict, "INC0001 already has incident alert IA0001")
	wantErr(t, do(b.RaiseAlert(p3, min(1), "tcc")).err, engine.Conflict, "INC0002 is P3; incident alerts are for P1 and P2")
	wantErr(t, do(b.RaiseAlert(req, min(1), "tcc")).err, engine.Conflict, "service request")
	wantErr(t, do(b.RaiseAlert("INC0009", min(1), "tcc")).err, engine.NotFound)

	// Raising priority makes the alert possible; closing the incident closes it.
	do(b.Prioritise(p3, min(2), "tcc", engine.LevelHigh, engine.LevelMedium)).ok(t)
	a2 := do(b.RaiseAlert(p3, min(2), "tcc")).ok(t)
	if a2.Number != "IA0002" || a2.Priority != 2 {
		t.Errorf("second alert = %+v", a2)
	}
	do(b.Decline(p3, min(3), "tcc", "monitoring test")).ok(t)
	if got := do(b.Alert("IA0002")).ok(t); got.Open() || got.Closed.At != min(3) {
		t.Errorf("alert after decline = %+v", got)
	}
	if len(b.Alerts()) != 2 {
		t.Errorf("Alerts() = %d", len(b.Alerts()))
	}
}

func TestWarRoomDuplicates(t *testing.T) {
	b := family(t) // INC0001 parent of INC0002..4
	lone := create(t, b, 0, "unrelated", "", engine.LevelHigh, engine.LevelHigh).Number

	first := do(b.OpenWarRoom("INC0003", "pharmacy bridge", min(1), "kim")).ok(t)
	if first.Duplicate || first.Room.Number != "WR01" || first.Room.Name != "pharmacy bridge" ||
		!slices.Equal(first.Room.Members, []engine.Member{{Person: "kim", At: min(1)}}) {
		t.Errorf("first = %+v", first)
	}
	wantErr(t, do(b.OpenWarRoom("INC0003", "", min(2), "joe")).err, engine.Conflict, "INC0003 already has war room WR01 open; join it instead")

	tests := []struct {
		incident string
		dup      bool
	}{
		{"INC0001", true}, // parent of INC0003
		{"INC0004", true}, // sibling
		{lone, false},     // unrelated: the Book cannot tell, scoring can
	}
	for i, tt := range tests {
		got := do(b.OpenWarRoom(tt.incident, "", min(2), "joe")).ok(t)
		if got.Duplicate != tt.dup {
			t.Errorf("%s: Duplicate = %v, want %v", tt.incident, got.Duplicate, tt.dup)
		}
		if tt.dup && got.Existing.Number != "WR01" {
			t.Errorf("%s: Existing = %s, want WR01", tt.incident, got.Existing.Number)
		}
		if want := number(prefixWarRoom, i+2); got.Room.Number != want || got.Room.Name != tt.incident+" war room" {
			t.Errorf("room = %s %q, want %s", got.Room.Number, got.Room.Name, want)
		}
	}
	// Once WR01 closes, the family's earliest open room is the one reported.
	do(b.CloseWarRoom("WR01", min(3), "kim")).ok(t)
	got := do(b.OpenWarRoom("INC0002", "", min(3), "joe")).ok(t)
	if !got.Duplicate || got.Existing.Number != "WR02" {
		t.Errorf("after close = %+v", got)
	}
	wantErr(t, do(b.CloseWarRoom("WR01", min(3), "kim")).err, engine.Conflict, "already closed")
	wantErr(t, do(b.CloseWarRoom("WR99", min(3), "kim")).err, engine.NotFound, "war room numbers look like WR01")
}

func TestJoinWarRoom(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := working(t, b, 0, engine.LevelHigh, engine.LevelHigh).Number
	room := do(b.OpenWarRoom(n, "bridge", 0, "tcc")).ok(t).Room
	got := do(b.JoinWarRoom(room.Number, min(1), "olga")).ok(t)
	if !slices.Equal(got.Members, []engine.Member{{Person: "tcc", At: 0}, {Person: "olga", At: min(1)}}) {
		t.Errorf("members = %+v", got.Members)
	}
	wantErr(t, do(b.JoinWarRoom(room.Number, min(1), "olga")).err, engine.Conflict, "olga is already in war room WR01")
	wantErr(t, do(b.JoinWarRoom(room.Number, min(1), "")).err, engine.BadRequest, "person joining")
	wantErr(t, do(b.JoinWarRoom("WR7", min(1), "kim")).err, engine.NotFound)

	// The room closes with its incident.
	do(b.DeclareRestored(n, min(2), "ana")).ok(t)
	do(b.ValidateRestoration(n, min(2), "olga")).ok(t)
	do(b.SetBusinessImpact(n, min(2), "olga", "impact")).ok(t)
	do(b.OpenProblem(n, min(2), "tcc", "")).ok(t)
	do(b.Close(n, min(3), "tcc", "")).ok(t)
	wantErr(t, do(b.JoinWarRoom(room.Number, min(4), "kim")).err, engine.Conflict, "war room WR01 is closed")
	wantErr(t, do(b.OpenWarRoom(n, "", min(4), "tcc")).err, engine.Conflict, "INC0001 is closed")
}

func TestTasks(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	n := working(t, b, 0, engine.LevelMedium, engine.LevelMedium).Number
	task := do(b.OpenTask(n, min(1), "ana", "network", "check proxy connection table")).ok(t)
	want := engine.Task{Number: "TASK0001", Incident: n, Group: "network", Text: "check proxy connection table", State: engine.TaskOpen, OpenedBy: "ana", Opened: engine.StampAt(min(1))}
	if task != want {
		t.Errorf("task = %+v", task)
	}
	wantErr(t, do(b.OpenTask(n, min(1), "ana", "", "x")).err, engine.BadRequest, "group the task is for")
	wantErr(t, do(b.OpenTask(n, min(1), "ana", "network", "")).err, engine.BadRequest, "what the task asks")
	done := do(b.CompleteTask("task1", min(2), "kim")).ok(t)
	if done.State != engine.TaskDone || done.DoneBy != "kim" || done.Done.At != min(2) {
		t.Errorf("done = %+v", done)
	}
	wantErr(t, do(b.CompleteTask(task.Number, min(3), "kim")).err, engine.Conflict, "already completed by kim")
	wantErr(t, do(b.CompleteTask("TASK0002", min(3), "kim")).err, engine.NotFound)
	if len(b.Tasks()) != 1 {
		t.Errorf("Tasks() = %d", len(b.Tasks()))
	}
}
