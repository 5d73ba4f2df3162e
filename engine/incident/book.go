package incident

import (
	"fmt"
	"strings"
	"time"
)

// Book is the ledger of records for one exercise. Its methods check the
// workflow rules and either change the records or return an *Error and
// change nothing. Records are returned as copies: the Book is their only
// owner. A Book is not safe for concurrent use; the engine applies one
// action at a time.
type Book struct {
	policy Policy
	now    time.Duration // the latest time an operation was recorded at

	// Numbers are allocated in order, so record n sits at index n-1 and no
	// map is needed.
	incidents []*Incident
	alerts    []*IncidentAlert
	rooms     []*WarRoom
	tasks     []*Task
	problems  []*Problem
	changes   []*Change
}

// NewBook returns an empty Book that applies policy.
func NewBook(policy Policy) *Book { return &Book{policy: policy} }

// Policy returns the process the Book applies.
func (b *Book) Policy() Policy { return b.policy }

// Number prefixes and the digits they are padded to.
const (
	prefixIncident = "INC"
	prefixAlert    = "IA"
	prefixWarRoom  = "WR"
	prefixTask     = "TASK"
	prefixProblem  = "PRB"
	prefixChange   = "CHG"
)

func number(prefix string, n int) string {
	width := 4
	if prefix == prefixWarRoom {
		width = 2
	}
	return fmt.Sprintf("%s%0*d", prefix, width, n)
}

// parse reads "INC0012", "inc12" or " INC12 " as 12.
func parse(prefix, s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) <= len(prefix) || len(s) > len(prefix)+9 || !strings.EqualFold(s[:len(prefix)], prefix) {
		return 0, false
	}
	n := 0
	for _, r := range s[len(prefix):] {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, n > 0
}

func lookup[T any](list []*T, prefix, s string) (*T, bool) {
	n, ok := parse(prefix, s)
	if !ok || n > len(list) {
		return nil, false
	}
	return list[n-1], true
}

// find looks a number up in list, refusing as not_found with the number
// format of the kind.
func find[T any](op Op, list []*T, kind, prefix, s string) (*T, error) {
	if x, ok := lookup(list, prefix, s); ok {
		return x, nil
	}
	return nil, refuse(NotFound, op, s, "there is no %s %q; %s numbers look like %s", kind, s, kind, number(prefix, 1))
}

func (b *Book) incident(op Op, s string) (*Incident, error) {
	return find(op, b.incidents, "incident", prefixIncident, s)
}

// live finds an incident that is still in the workflow.
func (b *Book) live(op Op, s string) (*Incident, error) {
	inc, err := b.incident(op, s)
	if err != nil {
		return nil, err
	}
	return inc, alive(op, inc)
}

// act is the skeleton of an operation on a record other than an incident:
// find it, check the time, let change refuse (before changing anything) or
// apply, then move the clock and return a copy.
func act[T, V any](b *Book, op Op, list []*T, kind, prefix, s string, at time.Duration, clone func(*T) V, change func(*T) error) (V, error) {
	var zero V
	x, err := find(op, list, kind, prefix, s)
	if err != nil {
		return zero, err
	}
	n, _ := parse(prefix, s)
	if err := b.check(op, number(prefix, n), at); err != nil {
		return zero, err
	}
	if err := change(x); err != nil {
		return zero, err
	}
	b.now = at
	return clone(x), nil
}

// check refuses a time before the exercise or before the last recorded
// operation: the Book is a log, written in time order.
func (b *Book) check(op Op, record string, at time.Duration) error {
	if at < 0 {
		return refuse(BadRequest, op, record, "time %v is before the exercise started", at)
	}
	if at < b.now {
		return refuse(BadRequest, op, record, "time %v is before the last recorded action at %v; record actions in time order", at, b.now)
	}
	return nil
}

// required refuses blank text, naming what is missing.
func required(op Op, record, text, what string) (string, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return "", refuse(BadRequest, op, record, "%s is required", what)
	}
	return t, nil
}

// get finds a record for a reader and returns a copy.
func get[T, V any](list []*T, kind, prefix, s string, clone func(*T) V) (V, error) {
	x, err := find("", list, kind, prefix, s)
	if err != nil {
		var zero V
		return zero, err
	}
	return clone(x), nil
}

func copyOf[T any](x *T) T { return *x }

// Incident returns a copy of the incident numbered number.
func (b *Book) Incident(number string) (Incident, error) {
	return get(b.incidents, "incident", prefixIncident, number, (*Incident).clone)
}

// Alert returns a copy of the incident alert numbered number.
func (b *Book) Alert(number string) (IncidentAlert, error) {
	return get(b.alerts, "incident alert", prefixAlert, number, copyOf)
}

// WarRoom returns a copy of the war room numbered number.
func (b *Book) WarRoom(number string) (WarRoom, error) {
	return get(b.rooms, "war room", prefixWarRoom, number, (*WarRoom).clone)
}

// Task returns a copy of the task numbered number.
func (b *Book) Task(number string) (Task, error) {
	return get(b.tasks, "task", prefixTask, number, copyOf)
}

// Problem returns a copy of the problem numbered number.
func (b *Book) Problem(number string) (Problem, error) {
	return get(b.problems, "problem", prefixProblem, number, (*Problem).clone)
}

// Change returns a copy of the change numbered number.
func (b *Book) Change(number string) (Change, error) {
	return get(b.changes, "change", prefixChange, number, copyOf)
}

// Incidents lists every incident record in number order.
func (b *Book) Incidents() []Incident { return cloneAll(b.incidents, (*Incident).clone) }

// Alerts lists every incident alert in number order.
func (b *Book) Alerts() []IncidentAlert { return cloneAll(b.alerts, copyOf) }

// WarRooms lists every war room in number order.
func (b *Book) WarRooms() []WarRoom { return cloneAll(b.rooms, (*WarRoom).clone) }

// Tasks lists every task in number order.
func (b *Book) Tasks() []Task { return cloneAll(b.tasks, copyOf) }

// Problems lists every problem in number order.
func (b *Book) Problems() []Problem { return cloneAll(b.problems, (*Problem).clone) }

// Changes lists every change in number order.
func (b *Book) Changes() []Change { return cloneAll(b.changes, copyOf) }

func cloneAll[T, V any](list []*T, clone func(*T) V) []V {
	out := make([]V, len(list))
	for i, x := range list {
		out[i] = clone(x)
	}
	return out
}
