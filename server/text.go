package server

// Text that must never be stored. The exercise's door checks every input's
// text (engine.CleanText) and its budgets (engine.Limits), and logs each
// refusal with the input: replaying the input log must refuse it again, so
// the input log holds the refused input whole, text and all. A seat that
// sends text the door refuses would grow the database at the rate limit
// however small its budget. So what the door would refuse for its text is
// refused here first, where nothing is logged or stored, as the rate limit
// is, by asking the door's own rules: engine.CheckText on the read pump,
// and the exercise's CheckBudget in the loop. The door still checks
// everything; this only keeps the log from holding what it refuses.

import (
	"github.com/firedrill/firedrill/engine"
)

// checkText refuses an input a field of which the door would refuse
// (engine.CheckText). It runs on the read pump.
func checkText(in engine.Input, limits engine.Limits) error {
	return engine.CheckText(in.Action, limits)
}

// overBudget refuses an input whose text the door would refuse for a
// budget, asking the exercise itself: in the loop, just before the door.
func (h *host) overBudget(in engine.Input) error {
	return h.exercise().CheckBudget(in)
}
