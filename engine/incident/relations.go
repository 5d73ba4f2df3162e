package incident

import (
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// MakeParent marks a live incident as a parent that other incidents can be
// linked under. A child cannot become a parent: nesting is one level deep.
func (b *Book) MakeParent(number string, at time.Duration, by string) (engine.Incident, error) {
	const op = engine.OpMakeParent
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		switch {
		case inc.IsParent:
			return refuse(engine.Conflict, op, inc.Number, "%s is already a parent", inc.Number)
		case inc.Parent != "":
			return refuse(engine.Conflict, op, inc.Number, "%s is a child of %s, and a parent cannot itself have a parent; link incidents to %s instead", inc.Number, inc.Parent, inc.Parent)
		case inc.Class != engine.ClassIncident:
			return refuse(engine.Conflict, op, inc.Number, "%s is a service request; only incidents can be parents", inc.Number)
		}
		inc.IsParent = true
		return nil
	})
}

// LinkParent puts a live incident under a live parent. A child linked to
// another parent moves. The child catches up with the parent at once: under
// a mitigated parent it becomes mitigated, under a restored one restored.
// The result is the child, then the parent, then the former parent if any.
func (b *Book) LinkParent(child, parent string, at time.Duration, by string) ([]engine.Incident, error) {
	const op = engine.OpLinkParent
	c, err := b.begin(op, child, at)
	if err != nil {
		return nil, err
	}
	p, err := b.live(op, parent)
	if err != nil {
		return nil, err
	}
	switch {
	case c == p:
		return nil, refuse(engine.BadRequest, op, c.Number, "an incident cannot be its own parent")
	case !p.IsParent && p.Parent != "":
		return nil, refuse(engine.Conflict, op, c.Number, "%s is a child of %s; link %s to %s instead", p.Number, p.Parent, c.Number, p.Parent)
	case !p.IsParent:
		return nil, refuse(engine.Conflict, op, c.Number, "%s is not a parent; make it a parent first", p.Number)
	case c.IsParent:
		return nil, refuse(engine.Conflict, op, c.Number, "%s is a parent, and a parent cannot itself have a parent; merge it into %s instead", c.Number, p.Number)
	case c.Class != engine.ClassIncident:
		return nil, refuse(engine.Conflict, op, c.Number, "%s is a service request; only incidents have parents", c.Number)
	case c.Parent == p.Number:
		return nil, refuse(engine.Conflict, op, c.Number, "%s is already a child of %s", c.Number, p.Number)
	}
	old, _ := lookup(b.incidents, prefixIncident, c.Parent)
	b.unlink(c)
	c.Parent = p.Number
	p.Children = insertNumber(p.Children, c.Number)
	b.catchUp(c, p, at)
	changed := []*engine.Incident{p}
	if old != nil {
		changed = append(changed, old)
	}
	return b.doneAll(c, at, changed), nil
}

// Merge ends source as a duplicate of target. Source's children move under
// target (which becomes a parent), its problems and changes are linked to
// target too, and its incident alert moves to target when target has none;
// otherwise the alert closes. Source's war rooms close. The result is
// source, target, then each moved child in number order.
func (b *Book) Merge(source, target string, at time.Duration, by string) ([]engine.Incident, error) {
	const op = engine.OpMerge
	s, err := b.begin(op, source, at)
	if err != nil {
		return nil, err
	}
	t, err := b.live(op, target)
	if err != nil {
		return nil, err
	}
	kids := b.liveChildren(s)
	switch {
	case s == t:
		return nil, refuse(engine.BadRequest, op, s.Number, "an incident cannot be merged into itself")
	case s.Class != t.Class:
		return nil, refuse(engine.Conflict, op, s.Number, "%s is %s and %s is %s; classify them alike before merging", s.Number, s.Class, t.Number, t.Class)
	case t.Parent == s.Number:
		return nil, refuse(engine.Conflict, op, s.Number, "%s is a child of %s; merge the child %s into its parent %s instead", t.Number, s.Number, t.Number, s.Number)
	case len(kids) > 0 && t.Parent != "":
		return nil, refuse(engine.Conflict, op, s.Number, "%s is a parent and %s is a child of %s; merge %s into %s instead", s.Number, t.Number, t.Parent, s.Number, t.Parent)
	}
	s.State, s.MergedInto, s.Closed = engine.StateMerged, t.Number, engine.StampAt(at)
	b.unlink(s)
	for _, k := range kids {
		k.Parent = t.Number
		t.Children = insertNumber(t.Children, k.Number)
		b.catchUp(k, t, at)
	}
	if len(kids) > 0 {
		t.IsParent = true
	}
	s.Children = nil
	for _, n := range s.Problems {
		if !slices.Contains(t.Problems, n) {
			t.Problems = append(t.Problems, n)
			if p, ok := lookup(b.problems, prefixProblem, n); ok {
				p.Incidents = append(p.Incidents, t.Number)
				b.touch(p)
			}
		}
	}
	for _, n := range s.Changes {
		if !slices.Contains(t.Changes, n) {
			t.Changes = append(t.Changes, n)
		}
	}
	if a, ok := lookup(b.alerts, prefixAlert, s.Alert); ok && a.Open() && t.Alert == "" {
		a.Incident, t.Alert, s.Alert = t.Number, a.Number, ""
		b.touch(a)
	}
	b.retire(s, at)
	return b.doneAll(s, at, append([]*engine.Incident{t}, kids...)), nil
}

// children lists inc's children in number order.
func (b *Book) children(inc *engine.Incident) []*engine.Incident {
	var out []*engine.Incident
	for _, n := range inc.Children {
		if c, ok := lookup(b.incidents, prefixIncident, n); ok {
			out = append(out, c)
		}
	}
	return out
}

func (b *Book) liveChildren(inc *engine.Incident) []*engine.Incident {
	var out []*engine.Incident
	for _, c := range b.children(inc) {
		if c.Live() {
			out = append(out, c)
		}
	}
	return out
}

// unlink takes inc out from under its parent, if it has one.
func (b *Book) unlink(inc *engine.Incident) {
	if p, ok := lookup(b.incidents, prefixIncident, inc.Parent); ok {
		p.Children = slices.DeleteFunc(p.Children, func(n string) bool { return n == inc.Number })
		b.touch(p)
	}
	inc.Parent = ""
}

// follow moves parent's live children along with it: to mitigated when the
// parent is mitigated, to restored when it is restored. It returns the
// children that changed.
func (b *Book) follow(parent *engine.Incident, at time.Duration) []*engine.Incident {
	var changed []*engine.Incident
	for _, c := range b.liveChildren(parent) {
		if b.catchUp(c, parent, at) {
			changed = append(changed, c)
		}
	}
	return changed
}

// catchUp brings a child up to its parent's progress. A child never moves
// backwards here: reopening is explicit (Reopen).
func (b *Book) catchUp(c, parent *engine.Incident, at time.Duration) bool {
	switch {
	case parent.State == engine.StateMitigated && rank(c.State) < rank(engine.StateMitigated):
		c.State, c.Mitigated = engine.StateMitigated, engine.StampAt(at)
		if c.Workaround == "" {
			c.Workaround = parent.Workaround
		}
		return true
	case parent.State == engine.StateRestored && rank(c.State) < rank(engine.StateRestored):
		c.State, c.Restored = engine.StateRestored, engine.StampAt(at)
		return true
	}
	return false
}

// rank orders the live states along the workflow.
func rank(s engine.State) int { return slices.Index(engine.States(), s) }

// insertNumber adds n to a list of numbers of one kind kept in number
// order. Numbers compare by value, so INC10000 follows INC9999.
func insertNumber(list []string, n string) []string {
	v, _ := parse(prefixIncident, n)
	i, _ := slices.BinarySearchFunc(list, v, func(e string, v int) int {
		x, _ := parse(prefixIncident, e)
		return x - v
	})
	return slices.Insert(list, i, n)
}
