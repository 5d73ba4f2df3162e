package server

// Text that must never be stored. The exercise's door checks every input's
// text (engine.CleanText) and its budgets (engine.Limits), and logs each
// refusal with the input: replaying the input log must refuse it again, so
// the input log holds the refused input whole, text and all. A seat that
// sends text the door refuses would grow the database at the rate limit
// however small its budget. So what the door would refuse for its text is
// refused here first, where nothing is logged or stored, as the rate limit
// is: the door's own check (CleanText, the byte limits of each field), and,
// once the door has refused a seat's text for a budget, any more of that
// seat's text. The door still checks everything; this only keeps the log
// from holding what it refuses.

import (
	"github.com/firedrill/firedrill/engine"
)

// checkText refuses an input a field of which the door would refuse: over
// its limit in bytes (engine.NameBytes, or the exercise's TextBytes for
// free text), or not clean text. It runs on the read pump.
func checkText(in engine.Input, limits engine.Limits) error {
	for _, f := range in.Action.TextFields() {
		v := *f.Ptr
		if v == "" {
			continue
		}
		limit, what := engine.NameBytes, "a name"
		if f.Free {
			limit, what = limits.TextBytes, "one text field"
		}
		if len(v) > limit {
			return engine.Refuse(engine.OverBudget, in.Action.Op, "", "the %s field is %d bytes; the limit for %s is %d bytes", f.Name, len(v), what, limit)
		}
		if _, err := engine.CleanText(v); err != nil {
			return engine.Refuse(engine.BadRequest, in.Action.Op, "", "the %s field %v", f.Name, err)
		}
	}
	return nil
}

// freeText is whether an action carries free text, which budgets count.
func freeText(a engine.Action) bool {
	for _, f := range a.TextFields() {
		if f.Free && *f.Ptr != "" {
			return true
		}
	}
	return false
}

// spentText refuses the text of a seat whose text the door has refused for
// a budget: budgets only fill, so the next is refused too, or would be
// soon. Inputs without free text go on to the door.
func (h *host) spentText(in engine.Input) error {
	if !h.spent[in.Actor.Name] || !freeText(in.Action) {
		return nil
	}
	return engine.Refuse(engine.OverBudget, in.Action.Op, "", "%s has used the text this exercise allows a seat (%d bytes per seat, %d for the exercise); actions without text still go through", in.Actor.Name, h.limits.SeatBytes, h.limits.ExerciseBytes)
}

// spend marks a seat whose text the door refused for a budget: for the
// seat's or the exercise's when no field is over its own limit.
func (h *host) spend(in engine.Input) {
	if freeText(in.Action) && checkText(in, h.limits) == nil {
		h.spent[in.Actor.Name] = true
	}
}
