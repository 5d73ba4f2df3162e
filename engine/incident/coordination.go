package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// RaiseAlert raises the incident alert for a live incident whose priority
// goes to the command center (P1/P2 by default). There is one per incident.
func (b *Book) RaiseAlert(incident string, at time.Duration, by string) (engine.IncidentAlert, error) {
	const op = engine.OpRaiseIncidentAlert
	inc, err := b.begin(op, incident, at)
	if err != nil {
		return engine.IncidentAlert{}, err
	}
	switch {
	case inc.Alert != "":
		return engine.IncidentAlert{}, refuse(engine.Conflict, op, inc.Number, "%s already has incident alert %s", inc.Number, inc.Alert)
	case inc.Class != engine.ClassIncident:
		return engine.IncidentAlert{}, refuse(engine.Conflict, op, inc.Number, "%s is a service request; incident alerts are for high-priority incidents", inc.Number)
	case !b.policy.NeedsCommandCenter(inc.Priority):
		return engine.IncidentAlert{}, refuse(engine.Conflict, op, inc.Number, "%s is P%d; incident alerts are for %s, so raise its priority first if the impact warrants it", inc.Number, inc.Priority, priorities(b.policy.CommandCenterFor))
	}
	a := &engine.IncidentAlert{
		Number:   number(prefixAlert, len(b.alerts)+1),
		Incident: inc.Number,
		Priority: inc.Priority,
		RaisedBy: by,
		Raised:   engine.StampAt(at),
	}
	b.alerts = append(b.alerts, a)
	inc.Alert = a.Number
	b.touch(a, inc)
	b.now = at
	return *a, nil
}

func priorities(list []engine.Priority) string {
	if len(list) == 0 {
		return "no priority"
	}
	s := make([]string, len(list))
	for i, p := range list {
		s[i] = fmt.Sprintf("P%d", p)
	}
	return strings.Join(s, " and ")
}

// OpenedWarRoom is the result of OpenWarRoom. Duplicate is true when an
// incident of the same family (its parent, a sibling or a child) already
// has an open war room, given as Existing: the room is opened anyway,
// because people do, and scoring counts it.
type OpenedWarRoom struct {
	Room      engine.WarRoom
	Duplicate bool
	Existing  engine.WarRoom
}

// OpenWarRoom opens a war room for a live incident; the opener is its first
// member. An empty name becomes "<incident> war room". A second open war
// room for the same incident is refused (join it instead); one for another
// incident of the same family is opened and reported as a duplicate.
func (b *Book) OpenWarRoom(incident, name string, at time.Duration, by string) (OpenedWarRoom, error) {
	const op = engine.OpOpenWarRoom
	inc, err := b.begin(op, incident, at)
	if err != nil {
		return OpenedWarRoom{}, err
	}
	var existing *engine.WarRoom
	family := b.family(inc)
	for _, w := range b.rooms {
		if !w.Open() || !slices.Contains(family, w.Incident) {
			continue
		}
		if w.Incident == inc.Number {
			return OpenedWarRoom{}, refuse(engine.Conflict, op, inc.Number, "%s already has war room %s open; join it instead", inc.Number, w.Number)
		}
		if existing == nil {
			existing = w
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = inc.Number + " war room"
	}
	w := &engine.WarRoom{
		Number:   number(prefixWarRoom, len(b.rooms)+1),
		Name:     name,
		Incident: inc.Number,
		OpenedBy: by,
		Opened:   engine.StampAt(at),
	}
	if by != "" {
		w.Members = []engine.Member{{Person: by, At: at}}
	}
	b.rooms = append(b.rooms, w)
	b.touch(w)
	b.now = at
	out := OpenedWarRoom{Room: w.Clone()}
	if existing != nil {
		out.Duplicate, out.Existing = true, existing.Clone()
	}
	return out, nil
}

// family lists the incident, its parent and the parent's children, or its
// own children when it is a parent.
func (b *Book) family(inc *engine.Incident) []string {
	head := inc
	if p, ok := lookup(b.incidents, prefixIncident, inc.Parent); ok {
		head = p
	}
	return append([]string{head.Number}, head.Children...)
}

// JoinWarRoom adds a person to an open war room.
func (b *Book) JoinWarRoom(room string, at time.Duration, person string) (engine.WarRoom, error) {
	const op = engine.OpJoinWarRoom
	return act(b, op, b.rooms, "war room", prefixWarRoom, room, at, (*engine.WarRoom).Clone, func(w *engine.WarRoom) error {
		person, err := required(op, w.Number, person, "the person joining")
		switch {
		case err != nil:
			return err
		case !w.Open():
			return refuse(engine.Conflict, op, w.Number, "war room %s is closed; ask the command center which room is running", w.Number)
		case slices.ContainsFunc(w.Members, func(m engine.Member) bool { return m.Person == person }):
			return refuse(engine.Conflict, op, w.Number, "%s is already in war room %s", person, w.Number)
		}
		w.Members = append(w.Members, engine.Member{Person: person, At: at})
		return nil
	})
}

// CloseWarRoom closes an open war room. It is reported as close.
func (b *Book) CloseWarRoom(room string, at time.Duration, by string) (engine.WarRoom, error) {
	return act(b, engine.OpClose, b.rooms, "war room", prefixWarRoom, room, at, (*engine.WarRoom).Clone, func(w *engine.WarRoom) error {
		if !w.Open() {
			return refuse(engine.Conflict, engine.OpClose, w.Number, "war room %s is already closed", w.Number)
		}
		w.Closed = engine.StampAt(at)
		return nil
	})
}

// OpenTask opens an incident task for a group under a live incident.
func (b *Book) OpenTask(incident string, at time.Duration, by, group, text string) (engine.Task, error) {
	const op = engine.OpOpenTask
	inc, err := b.begin(op, incident, at)
	if err != nil {
		return engine.Task{}, err
	}
	if group, err = required(op, inc.Number, group, "the group the task is for"); err != nil {
		return engine.Task{}, err
	}
	if text, err = required(op, inc.Number, text, "what the task asks"); err != nil {
		return engine.Task{}, err
	}
	t := &engine.Task{
		Number:   number(prefixTask, len(b.tasks)+1),
		Incident: inc.Number,
		Group:    group,
		Text:     text,
		State:    engine.TaskOpen,
		OpenedBy: by,
		Opened:   engine.StampAt(at),
	}
	b.tasks = append(b.tasks, t)
	b.touch(t)
	b.now = at
	return *t, nil
}

// CompleteTask marks an open task done. Tasks can be completed after their
// incident has closed: the work was done either way.
func (b *Book) CompleteTask(task string, at time.Duration, by string) (engine.Task, error) {
	const op = engine.OpCompleteTask
	return act(b, op, b.tasks, "task", prefixTask, task, at, copyOf, func(t *engine.Task) error {
		if t.State == engine.TaskDone {
			return refuse(engine.Conflict, op, t.Number, "%s was already completed by %s", t.Number, t.DoneBy)
		}
		t.State, t.DoneBy, t.Done = engine.TaskDone, by, engine.StampAt(at)
		return nil
	})
}
