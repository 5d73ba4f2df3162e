package tui

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

func TestFacilitatorScreen(t *testing.T) {
	tc := newTestConsole(t, facilitatorConsole, 140, 40)
	tc.apply(facilitatorStory()...)
	tc.shows(
		"facilitator", // header
		"Ground truth", "ROOT px01-conn-table-exhausted on egress-proxy: full", "kim names egress-proxy about INC0001 (right)",
		"Provisional score 30 (2 expectations met so far)", "detection        10", "triage           20",
		"Groups", "claims       1 inc · 0 pages open · raj 7m ago", "pharmacy     0 inc · 1 pages open · no one has acted",
		"Quiet for 5m or more", "marcus (pharmacy) never acted, seen 19m ago",
		"Records: 1 incidents", "INC0001 P1 in progress claims/raj",
		"truth: fault full px01-conn-table-exhausted on egress-proxy (root", // the feed has the ground truth
	)
	tc.golden("facilitator-140x40")
}

// TestFacilitatorControls: keys and commands pause, resume, change speed,
// fire an inject and end the exercise, which asks first.
func TestFacilitatorControls(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*testConsole)
		typed string
		want  []any
	}{
		{"space pauses", nil, "\x1b ", []any{protocol.Control{Type: "control", ID: "t1", Control: "pause"}}},
		{"space resumes when paused", func(tc *testConsole) { tc.m.Paused = true }, "\x1b ", []any{protocol.Control{Type: "control", ID: "t1", Control: "resume"}}},
		{"plus speeds up", nil, "\x1b+", []any{protocol.Control{Type: "control", ID: "t1", Control: "speed", Speed: 20}}},
		{"minus slows down", nil, "\x1b-", []any{protocol.Control{Type: "control", ID: "t1", Control: "speed", Speed: 5}}},
		{"fire", nil, "/fire vp-asks\n", []any{protocol.Control{Type: "control", ID: "t1", Control: "fire", Inject: "vp-asks"}}},
		{"f then a name", nil, "\x1bfvp-asks\n", []any{protocol.Control{Type: "control", ID: "t1", Control: "fire", Inject: "vp-asks"}}},
		{"e asks, y ends", nil, "\x1bey", []any{protocol.Control{Type: "control", ID: "t1", Control: "end"}}},
		{"e asks, n does not", nil, "\x1ben", nil},
		{"speed command", nil, "/speed 60\n", []any{protocol.Control{Type: "control", ID: "t1", Control: "speed", Speed: 60}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc := newTestConsole(t, facilitatorConsole, 120, 30)
			tc.apply(facilitatorStory()...)
			if tt.setup != nil {
				tt.setup(tc)
			}
			tc.out.frames = nil
			tc.typeKeys(tt.typed)
			if diff := cmp.Diff(tt.want, tc.out.frames); diff != "" {
				t.Errorf("frames (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFacilitatorSeesPause: the header follows the exercise's state from
// the welcome a control's reconnect brings, and acks mark the command.
func TestFacilitatorHeader(t *testing.T) {
	tc := newTestConsole(t, facilitatorConsole, 120, 30)
	msgs := facilitatorStory()
	msgs[1].Welcome.Paused = true
	tc.apply(msgs...)
	tc.shows("PAUSED")
	tc.typeKeys("/resume\n")
	tc.apply(Message{Ack: &protocol.Ack{Type: "ack", ID: "t1", Seq: 10}})
	tc.shows("› /resume ✓", "×10 running")
	// The server announces no event for a control: its ack updates the
	// header.
	tc.typeKeys("\x1b ")
	tc.apply(Message{Ack: &protocol.Ack{Type: "ack", ID: "t2", Seq: 10}})
	tc.shows("×10 PAUSED")
	tc.typeKeys("+")
	tc.apply(Message{Error: &protocol.Error{Type: "error", ID: "t3", Code: "forbidden", Message: "only the facilitator controls the exercise"}})
	tc.shows("×10 PAUSED", "› /speed 20 ✗ not yours to do")
	tc.typeKeys("\x1b/speed 60\n")
	tc.apply(Message{Ack: &protocol.Ack{Type: "ack", ID: "t4", Seq: 10}})
	tc.shows("×60 PAUSED")
	tc.apply(events(ev(11, 30*minute, "", engine.EndedData{Reason: "facilitator"})))
	tc.shows("ENDED: ended by the facilitator")
}

// TestWithInjects: the facilitator completes inject names the drill
// command passes, before they fire.
func TestWithInjects(t *testing.T) {
	c := newConsole(nil, facilitatorConsole, &recorder{}, WithInjects("vp-asks", "exec-status-ask"))
	if _, got := completions(c.m, "/fire v"); !cmp.Equal(got, []string{"vp-asks"}) {
		t.Fatalf("completions %v", got)
	}
}
