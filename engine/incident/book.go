package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// Book is the ledger of records for one exercise. Its methods check the
// workflow rules and either change the records or return an *Error and
// change nothing. Records are returned as copies: the Book is their only
// owner. A Book is not safe for concurrent use; the engine applies one
// action at a time.
type Book struct {
	policy engine.Policy
	now    time.Duration // the latest time an operation was recorded at

	// Numbers are allocated in order, so record n sits at index n-1 and no
	// map is needed.
	incidents []*engine.Incident
	alerts    []*engine.IncidentAlert
	rooms     []*engine.WarRoom
	tasks     []*engine.Task
	problems  []*engine.Problem
	changes   []*engine.Change

	// touched are the records changed since the last call of Touched, in
	// the order first changed. An operation changes more than the record
	// it returns (closing an incident retires its alert and war rooms,
	// opening a problem links it to its incident), and the log must hold
	// every change, so the engine logs them all.
	touched []any
}

// touch notes records an operation changed.
func (b *Book) touch(records ...any) {
	for _, r := range records {
		if !slices.Contains(b.touched, r) {
			b.touched = append(b.touched, r)
		}
	}
}

// Touched returns a snapshot of every record changed since the last call,
// in the order first changed, and forgets them.
func (b *Book) Touched() []engine.RecordChange {
	out := make([]engine.RecordChange, 0, len(b.touched))
	for _, r := range b.touched {
		var rc engine.RecordChange
		switch r := r.(type) {
		case *engine.Incident:
			c := r.Clone()
			rc.Incident = &c
		case *engine.IncidentAlert:
			c := *r
			rc.Alert = &c
		case *engine.WarRoom:
			c := r.Clone()
			rc.WarRoom = &c
		case *engine.Task:
			c := *r
			rc.Task = &c
		case *engine.Problem:
			c := r.Clone()
			rc.Problem = &c
		case *engine.Change:
			c := *r
			rc.Change = &c
		}
		out = append(out, rc)
	}
	clear(b.touched)
	b.touched = b.touched[:0]
	return out
}

// NewBook returns an empty Book that applies policy.
func NewBook(policy engine.Policy) *Book { return &Book{policy: policy} }

// Policy returns the process the Book applies.
func (b *Book) Policy() engine.Policy { return b.policy }

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
func find[T any](op engine.Op, list []*T, kind, prefix, s string) (*T, error) {
	if x, ok := lookup(list, prefix, s); ok {
		return x, nil
	}
	return nil, refuse(engine.NotFound, op, s, "there is no %s %q; %s numbers look like %s", kind, s, kind, number(prefix, 1))
}

func (b *Book) incident(op engine.Op, s string) (*engine.Incident, error) {
	return find(op, b.incidents, "incident", prefixIncident, s)
}

// live finds an incident that is still in the workflow.
func (b *Book) live(op engine.Op, s string) (*engine.Incident, error) {
	inc, err := b.incident(op, s)
	if err != nil {
		return nil, err
	}
	return inc, alive(op, inc)
}

// act is the skeleton of an operation on a record other than an incident:
// find it, check the time, let change refuse (before changing anything) or
// apply, then move the clock and return a copy.
func act[T, V any](b *Book, op engine.Op, list []*T, kind, prefix, s string, at time.Duration, clone func(*T) V, change func(*T) error) (V, error) {
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
	b.touch(x)
	return clone(x), nil
}

// check refuses a time before the exercise or before the last recorded
// operation: the Book is a log, written in time order.
func (b *Book) check(op engine.Op, record string, at time.Duration) error {
	if at < 0 {
		return refuse(engine.BadRequest, op, record, "time %v is before the exercise started", at)
	}
	if at < b.now {
		return refuse(engine.BadRequest, op, record, "time %v is before the last recorded action at %v; record actions in time order", at, b.now)
	}
	return nil
}

// required refuses blank text, naming what is missing.
func required(op engine.Op, record, text, what string) (string, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return "", refuse(engine.BadRequest, op, record, "%s is required", what)
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
func (b *Book) Incident(number string) (engine.Incident, error) {
	return get(b.incidents, "incident", prefixIncident, number, (*engine.Incident).Clone)
}

// Alert returns a copy of the incident alert numbered number.
func (b *Book) Alert(number string) (engine.IncidentAlert, error) {
	return get(b.alerts, "incident alert", prefixAlert, number, copyOf)
}

// WarRoom returns a copy of the war room numbered number.
func (b *Book) WarRoom(number string) (engine.WarRoom, error) {
	return get(b.rooms, "war room", prefixWarRoom, number, (*engine.WarRoom).Clone)
}

// Task returns a copy of the task numbered number.
func (b *Book) Task(number string) (engine.Task, error) {
	return get(b.tasks, "task", prefixTask, number, copyOf)
}

// Problem returns a copy of the problem numbered number.
func (b *Book) Problem(number string) (engine.Problem, error) {
	return get(b.problems, "problem", prefixProblem, number, (*engine.Problem).Clone)
}

// Change returns a copy of the change numbered number.
func (b *Book) Change(number string) (engine.Change, error) {
	return get(b.changes, "change", prefixChange, number, copyOf)
}

// Incidents lists every incident record in number order.
func (b *Book) Incidents() []engine.Incident { return cloneAll(b.incidents, (*engine.Incident).Clone) }

// Alerts lists every incident alert in number order.
func (b *Book) Alerts() []engine.IncidentAlert { return cloneAll(b.alerts, copyOf) }

// WarRooms lists every war room in number order.
func (b *Book) WarRooms() []engine.WarRoom { return cloneAll(b.rooms, (*engine.WarRoom).Clone) }

// Tasks lists every task in number order.
func (b *Book) Tasks() []engine.Task { return cloneAll(b.tasks, copyOf) }

// Problems lists every problem in number order.
func (b *Book) Problems() []engine.Problem { return cloneAll(b.problems, (*engine.Problem).Clone) }

// Changes lists every change in number order.
func (b *Book) Changes() []engine.Change { return cloneAll(b.changes, copyOf) }

func cloneAll[T, V any](list []*T, clone func(*T) V) []V {
	if len(list) == 0 {
		return nil
	}
	out := make([]V, len(list))
	for i, x := range list {
		out[i] = clone(x)
	}
	return out
}

// refuse is the Book's refusal. It returns error, not *engine.Error, so a
// nil refusal never becomes a non-nil interface.
func refuse(code engine.Code, op engine.Op, record, format string, args ...any) error {
	return engine.Refuse(code, op, record, format, args...)
}
