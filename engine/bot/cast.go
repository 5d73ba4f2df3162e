package bot

import (
	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Cast lists the bots sc needs: one per role of every seat no human
// holds, in the order of sc.Seats (the cross-group seats first, then the
// people of the scenario). A human holds a whole seat: a person of the
// scenario with all their roles, or a cross-group seat. Facilitators and
// observers hold no seat.
func Cast(sc *scenario.Scenario, humans []engine.Seat) []engine.Viewer {
	held := map[string]bool{}
	for _, h := range humans {
		if !h.Role.OutsideFiction() {
			held[h.Name] = true
		}
	}
	var out []engine.Viewer
	for _, st := range sc.Seats() {
		if held[st.Name] {
			continue
		}
		for _, r := range st.Roles {
			out = append(out, engine.Viewer{Name: st.Name, Role: r, Groups: st.Groups})
		}
	}
	return out
}
