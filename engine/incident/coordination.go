package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// RaiseAlert raises the incident alert for a live incident whose priority
// goes to the command center (P1/P2 by default). There is one per incident.
func (b *Book) RaiseAlert(incident string, at time.Duration, by string) (IncidentAlert, error) {
	const op = OpRaiseIncidentAlert
	inc, err := b.begin(op, incident, at)
	if err != nil {
		return IncidentAlert{}, err
	}
	switch {
	case inc.Alert != "":
		return IncidentAlert{}, refuse(Conflict, op, inc.Number, "%s already has incident alert %s", inc.Number, inc.Alert)
	case inc.Class != ClassIncident:
		return IncidentAlert{}, refuse(Conflict, op, inc.Number, "%s is a service request; incident alerts are for high-priority incidents", inc.Number)
	case !b.policy.NeedsCommandCenter(inc.Priority):
		return IncidentAlert{}, refuse(Conflict, op, inc.Number, "%s is P%d; incident alerts are for %s, so raise its priority first if the impact warrants it", inc.Number, inc.Priority, priorities(b.policy.CommandCenterFor))
	}
	a := &IncidentAlert{
		Number:   number(prefixAlert, len(b.alerts)+1),
		Incident: inc.Number,
		Priority: inc.Priority,
		RaisedBy: by,
		Raised:   stamp(at),
	}
	b.alerts = append(b.alerts, a)
	inc.Alert = a.Number
	b.now = at
	return *a, nil
}

func priorities(list []Priority) string {
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
	Room      WarRoom
	Duplicate bool
	Existing  WarRoom
}

// OpenWarRoom opens a war room for a live incident; the opener is its first
// member. An empty name becomes "<incident> war room". A second open war
// room for the same incident is refused (join it instead); one for another
// incident of the same family is opened and reported as a duplicate.
func (b *Book) OpenWarRoom(incident, name string, at time.Duration, by string) (OpenedWarRoom, error) {
	const op = OpOpenWarRoom
	inc, err := b.begin(op, incident, at)
	if err != nil {
		return OpenedWarRoom{}, err
	}
	var existing *WarRoom
	family := b.family(inc)
	for _, w := range b.rooms {
		if !w.Open() || !slices.Contains(family, w.Incident) {
			continue
		}
		if w.Incident == inc.Number {
			return OpenedWarRoom{}, refuse(Conflict, op, inc.Number, "%s already has war room %s open; join it instead", inc.Number, w.Number)
		}
		if existing == nil {
			existing = w
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = inc.Number + " war room"
	}
	w := &WarRoom{
		Number:   number(prefixWarRoom, len(b.rooms)+1),
		Name:     name,
		Incident: inc.Number,
		OpenedBy: by,
		Opened:   stamp(at),
	}
	if by != "" {
		w.Members = []Member{{Person: by, At: at}}
	}
	b.rooms = append(b.rooms, w)
	b.now = at
	out := OpenedWarRoom{Room: w.clone()}
	if existing != nil {
		out.Duplicate, out.Existing = true, existing.clone()
	}
	return out, nil
}

// family lists the incident, its parent and the parent's children, or its
// own children when it is a parent.
func (b *Book) family(inc *Incident) []string {
	head := inc
	if p, ok := lookup(b.incidents, prefixIncident, inc.Parent); ok {
		head = p
	}
	return append([]string{head.Number}, head.Children...)
}

// JoinWarRoom adds a person to an open war room.
func (b *Book) JoinWarRoom(room string, at time.Duration, person string) (WarRoom, error) {
	const op = OpJoinWarRoom
	return act(b, op, b.rooms, "war room", prefixWarRoom, room, at, (*WarRoom).clone, func(w *WarRoom) error {
		person, err := required(op, w.Number, person, "the person joining")
		switch {
		case err != nil:
			return err
		case !w.Open():
			return refuse(Conflict, op, w.Number, "war room %s is closed; ask the command center which room is running", w.Number)
		case slices.ContainsFunc(w.Members, func(m Member) bool { return m.Person == person }):
			return refuse(Conflict, op, w.Number, "%s is already in war room %s", person, w.Number)
		}
		w.Members = append(w.Members, Member{Person: person, At: at})
		return nil
	})
}

// CloseWarRoom closes an open war room. It is reported as close.
func (b *Book) CloseWarRoom(room string, at time.Duration, by string) (WarRoom, error) {
	return act(b, OpClose, b.rooms, "war room", prefixWarRoom, room, at, (*WarRoom).clone, func(w *WarRoom) error {
		if !w.Open() {
			return refuse(Conflict, OpClose, w.Number, "war room %s is already closed", w.Number)
		}
		w.Closed = stamp(at)
		return nil
	})
}

// OpenTask opens an incident task for a group under a live incident.
func (b *Book) OpenTask(incident string, at time.Duration, by, group, text string) (Task, error) {
	const op = OpOpenTask
	inc, err := b.begin(op, incident, at)
	if err != nil {
		return Task{}, err
	}
	if group, err = required(op, inc.Number, group, "the group the task is for"); err != nil {
		return Task{}, err
	}
	if text, err = required(op, inc.Number, text, "what the task asks"); err != nil {
		return Task{}, err
	}
	t := &Task{
		Number:   number(prefixTask, len(b.tasks)+1),
		Incident: inc.Number,
		Group:    group,
		Text:     text,
		State:    TaskOpen,
		OpenedBy: by,
		Opened:   stamp(at),
	}
	b.tasks = append(b.tasks, t)
	b.now = at
	return *t, nil
}

// CompleteTask marks an open task done. Tasks can be completed after their
// incident has closed: the work was done either way.
func (b *Book) CompleteTask(task string, at time.Duration, by string) (Task, error) {
	const op = OpCompleteTask
	return act(b, op, b.tasks, "task", prefixTask, task, at, copyOf, func(t *Task) error {
		if t.State == TaskDone {
			return refuse(Conflict, op, t.Number, "%s was already completed by %s", t.Number, t.DoneBy)
		}
		t.State, t.DoneBy, t.Done = TaskDone, by, stamp(at)
		return nil
	})
}
