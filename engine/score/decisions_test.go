package score

import (
	"reflect"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

func TestDecisions(t *testing.T) {
	base := func(events ...engine.Event) []engine.Event {
		return story{end: mins(60), noTicks: true, events: events}.log()
	}
	fleet := func(d Decision) Decision {
		d.Name, d.Prompt, d.Dimension, d.Best, d.BestScore = "restart-fleet", "Restart?", scenario.DimCoordination, "hold", 10
		return d
	}
	// Never offered: no loss, so it earns its maximum, which is the
	// scenario's, offered or not.
	bypass := Decision{Name: "bypass", Dimension: scenario.DimCoordination, Best: "ask", BestScore: 10, Earned: 10, Max: 10}
	tests := []struct {
		name string
		log  []engine.Event
		want Decision // restart-fleet
	}{
		{name: "never offered", log: base(), want: fleet(Decision{Earned: 10, Max: 10})},
		{
			name: "offered, never answered",
			log:  base(offered(mins(19), "restart-fleet")),
			want: fleet(Decision{Offered: true, OfferedAt: mins(19), OfferedSeq: 2, Max: 10}),
		},
		{
			// The timeout took the default: no one chose it, its
			// consequences follow, and it costs points.
			name: "timed out to a bad default",
			log:  base(offered(mins(19), "restart-fleet"), answered(mins(24), "restart-fleet", "restart-all", "", -15, mins(5))),
			want: fleet(Decision{Offered: true, OfferedAt: mins(19), OfferedSeq: 2, Answered: true, At: mins(24), Seq: 3,
				Option: "restart-all", TimedOut: true, Took: mins(5), Score: -15,
				Consequences: []string{"fault.reconnect-storm"}, Earned: -15, Max: 10}),
		},
		{
			name: "a middling choice",
			log:  base(offered(mins(19), "restart-fleet"), answered(mins(20), "restart-fleet", "canary", "mo", 0, mins(1))),
			want: fleet(Decision{Offered: true, OfferedAt: mins(19), OfferedSeq: 2, Answered: true, At: mins(20), Seq: 3,
				Option: "canary", By: "mo", Took: mins(1), Max: 10}),
		},
		{
			// A trimmed log may lose the offer; the answer implies it.
			name: "answered without the offer",
			log:  base(answered(mins(20), "restart-fleet", "hold", "mo", 10, mins(1))),
			want: fleet(Decision{Offered: true, Answered: true, At: mins(20), Seq: 2, Option: "hold", Text: "Hold and trace", Note: "right",
				By: "mo", Took: mins(1), Score: 10, Earned: 10, Max: 10}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustScore(t, drill(t), tt.log).Decisions
			if want := []Decision{tt.want, bypass}; !reflect.DeepEqual(got, want) {
				t.Errorf("decisions:\n got %+v\nwant %+v", got, want)
			}
		})
	}
	// An option list where every score is negative: nothing to earn.
	sc := drill(t)
	sc.Decisions = []*scenario.Decision{{Name: "bad", Options: []*scenario.Option{{Name: "a", Score: -5}, {Name: "b", Score: -2}}}}
	got := mustScore(t, sc, base(offered(mins(5), "bad"), answered(mins(6), "bad", "a", "mo", -5, mins(1)))).Decisions[0]
	if got.Best != "b" || got.BestScore != -2 || got.Max != 0 || got.Earned != -5 {
		t.Errorf("all-negative decision = %+v", got)
	}
}

// Never punish speed: a decision still open when the exercise ended, before
// its timeout, was not yet due; one left open past its timeout, or with
// none, was not taken.
func TestDecisionNotReached(t *testing.T) {
	sc := drill(t)
	sc.Decisions[0].Timeout = mins(5)
	for _, tt := range []struct {
		name    string
		end     time.Duration
		timeout time.Duration
		reached bool
	}{
		{"ended before the timeout", mins(21), mins(5), false},
		{"ended after the timeout", mins(30), mins(5), true},
		{"no timeout", mins(21), 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc.Decisions[0].Timeout = tt.timeout
			log := story{end: tt.end, noTicks: true, events: []engine.Event{offered(mins(19), "restart-fleet")}}.log()
			d := mustScore(t, sc, log).Decisions[0]
			if d.NotReached == tt.reached || (d.Earned == d.Max) == tt.reached {
				t.Errorf("%+v: want not reached %v", d, !tt.reached)
			}
		})
	}
}
