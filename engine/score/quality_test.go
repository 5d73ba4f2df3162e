package score

import (
	"reflect"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
)

func TestFalseResolutions(t *testing.T) {
	p1 := create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew))
	declare := func(at time.Duration, recs ...engine.RecordChange) engine.Event {
		return act(at, "raj", tech, op(engine.OpDeclareRestored, "INC0001"), recs...)
	}
	tests := []struct {
		name   string
		events []engine.Event
		want   []FalseResolution
	}{
		{
			name:   "declared while claims was down",
			events: []engine.Event{p1, declare(mins(20), inc("INC0001", "claims-api", 1, engine.StateRestored))},
			want:   []FalseResolution{{At: mins(20), By: "raj", Record: "INC0001", Services: []string{"claims-api"}}},
		},
		{
			// The sample at 34m is the first healthy one.
			name:   "declared after it came back",
			events: []engine.Event{p1, declare(mins(34), inc("INC0001", "claims-api", 1, engine.StateRestored))},
		},
		{
			// A parent restored with its children: the children's services
			// count, each once.
			name: "a parent with its children",
			events: []engine.Event{p1, declare(mins(20),
				parent(inc("INC0003", "", 1, engine.StateRestored), "INC0001", "INC0002"),
				child(inc("INC0001", "claims-api", 1, engine.StateRestored), "INC0003"),
				child(inc("INC0002", "claims-api", 1, engine.StateRestored), "INC0003"),
				child(inc("INC0004", "pharmacy-api", 1, engine.StateRestored), "INC0003"))},
			want: []FalseResolution{{At: mins(20), By: "raj", Record: "INC0001", Services: []string{"claims-api"}}},
		},
		{
			name:   "a service without telemetry",
			events: []engine.Event{p1, declare(mins(20), inc("INC0001", "mainframe", 1, engine.StateRestored))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := proxyOutage(tt.events...).log()
			got := mustScore(t, drill(t), log).Quality.FalseResolutions
			for i := range tt.want {
				tt.want[i].Seq = seqAt(t, log, tt.want[i].At, isOp(engine.OpDeclareRestored))
			}
			if tt.want == nil {
				tt.want = []FalseResolution{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("false resolutions = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestMitigatedNotDeclared(t *testing.T) {
	p1 := create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew))
	workaround := func(at time.Duration, number, service string) engine.Event {
		return act(at, "raj", tech, op(engine.OpDeclareWorkaround, number), inc(number, service, 1, engine.StateMitigated))
	}
	tests := []struct {
		name   string
		events []engine.Event
		want   Lag
	}{
		{
			name:   "declared 3m after impact stopped",
			events: []engine.Event{p1, workaround(mins(20), "INC0001", "claims-api"), mitigated(mins(34)), workaround(mins(37), "INC0001", "claims-api")},
			want:   Lag{From: mins(34), To: mins(37), Duration: mins(3), By: "raj"},
		},
		{
			// An unrelated record's declaration does not count.
			name:   "never declared",
			events: []engine.Event{p1, create(mins(11), inc("INC0002", "pharmacy-api", 3, engine.StateNew)), mitigated(mins(34)), workaround(mins(40), "INC0002", "pharmacy-api")},
			want:   Lag{From: mins(34), To: mins(90), Duration: mins(56), Censored: true},
		},
		{
			name:   "impact never stopped",
			events: []engine.Event{p1, workaround(mins(40), "INC0001", "claims-api")},
			want:   Lag{NotApplicable: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := proxyOutage(tt.events...).log()
			if !tt.want.Censored && !tt.want.NotApplicable {
				tt.want.Seq = seqAt(t, log, tt.want.To, isOp(engine.OpDeclareWorkaround))
			}
			if got := mustScore(t, drill(t), log).Quality.MitigatedNotDeclared; got != tt.want {
				t.Errorf("lag = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestStatedTimes(t *testing.T) {
	state := func(at time.Duration, m engine.Milestone, claimed time.Duration) engine.Event {
		return act(at, "ana", own, engine.Action{Op: engine.OpStateTime, Record: "INC0001", Milestone: m, Stated: claimed})
	}
	tests := []struct {
		name  string
		story story
		want  []StatedTime
	}{
		{
			// Truth: t0 5m, detection 9m (the alert), impact over 34m.
			name: "each milestone",
			story: proxyOutage(alertFired(mins(9), "claims-5xx", "claims-api"), mitigated(mins(34)),
				state(mins(40), engine.MilestoneImpactStarted, mins(7)),
				state(mins(41), engine.MilestoneDetected, mins(8)),
				state(mins(42), engine.MilestoneImpactEnded, mins(40))),
			want: []StatedTime{
				{At: mins(40), Milestone: engine.MilestoneImpactStarted, Claimed: mins(7), Truth: mins(5), HasTruth: true, Gap: mins(2)},
				{At: mins(41), Milestone: engine.MilestoneDetected, Claimed: mins(8), Truth: mins(9), HasTruth: true, Gap: -mins(1)},
				{At: mins(42), Milestone: engine.MilestoneImpactEnded, Claimed: mins(40), Truth: mins(34), HasTruth: true, Gap: mins(6)},
			},
		},
		{
			// Nothing detected, impact never over: no truth to compare.
			name:  "truth that never happened",
			story: proxyOutage(state(mins(40), engine.MilestoneDetected, mins(8)), state(mins(41), engine.MilestoneImpactEnded, mins(40))),
			want: []StatedTime{
				{At: mins(40), Milestone: engine.MilestoneDetected, Claimed: mins(8)},
				{At: mins(41), Milestone: engine.MilestoneImpactEnded, Claimed: mins(40)},
			},
		},
		{
			name:  "no root cause",
			story: story{end: mins(60), events: []engine.Event{state(mins(40), engine.MilestoneImpactStarted, mins(7))}},
			want:  []StatedTime{{At: mins(40), Milestone: engine.MilestoneImpactStarted, Claimed: mins(7)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := tt.story.log()
			for i := range tt.want {
				tt.want[i].Seq = seqAt(t, log, tt.want[i].At, isOp(engine.OpStateTime))
				tt.want[i].By, tt.want[i].Record = "ana", "INC0001"
			}
			if got := mustScore(t, drill(t), log).Quality.StatedTimes; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stated times:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCadence(t *testing.T) {
	p2 := create(mins(10), inc("INC0001", "claims-api", 2, engine.StateNew))
	upd := func(at time.Duration) engine.Event { return statusUpdate(at, "pat", cc) }
	closed := act(mins(80), "pat", cc, op(engine.OpClose, "INC0001"), inc("INC0001", "claims-api", 2, engine.StateClosed))
	tests := []struct {
		name   string
		every  time.Duration
		events []engine.Event
		want   Cadence
	}{
		{
			// 10m to the end (90m): due at 40m and 70m; 70m's window
			// (40m, 70m] has none.
			name: "one late", every: mins(30),
			events: []engine.Event{upd(mins(5)), p2, upd(mins(10)), upd(mins(39)), upd(mins(75))},
			want:   Cadence{Every: mins(30), From: mins(10), To: mins(90), Updates: 3, Expected: 2, OnTime: 1, Ratio: 0.5},
		},
		{
			// Closed at 80m: due at 30m, 50m, 70m.
			name: "every 20m until closed", every: mins(20),
			events: []engine.Event{p2, upd(mins(25)), upd(mins(45)), upd(mins(70)), closed, upd(mins(85))},
			want:   Cadence{Every: mins(20), From: mins(10), To: mins(80), Updates: 3, Expected: 3, OnTime: 3, Ratio: 1},
		},
		{
			// Downgraded to P3 at 20m: a 10m span still owes one update.
			name: "a short P2", every: mins(30),
			events: []engine.Event{p2, act(mins(20), "mo", im, op(engine.OpPrioritise, "INC0001"), inc("INC0001", "claims-api", 3, engine.StateNew)), upd(mins(25))},
			want:   Cadence{Every: mins(30), From: mins(10), To: mins(20), Expected: 1},
		},
		{
			name: "no cadence set", every: 0,
			events: []engine.Event{p2, upd(mins(25))},
			want:   Cadence{NotApplicable: true},
		},
		{
			name: "no P1/P2", every: mins(30),
			events: []engine.Event{create(mins(10), inc("INC0001", "claims-api", 3, engine.StateNew)), upd(mins(25))},
			want:   Cadence{Every: mins(30), NotApplicable: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := drill(t)
			sc.Process.StatusEvery = tt.every
			if got := mustScore(t, sc, proxyOutage(tt.events...).log()).Quality.StatusUpdates; got != tt.want {
				t.Errorf("cadence = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestWithoutIncidentManager(t *testing.T) {
	p1 := create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew))
	tests := []struct {
		name   string
		events []engine.Event
		want   Lag
	}{
		{
			// Rating confidence is outside the fiction: not taking charge.
			name:   "took charge 8m in",
			events: []engine.Event{act(mins(1), "mo", im, engine.Action{Op: engine.OpRateConfidence, Rating: 3}), p1, statusUpdate(mins(18), "mo", im)},
			want:   Lag{From: mins(10), To: mins(18), Duration: mins(8), By: "mo"},
		},
		{
			name:   "there before the P1",
			events: []engine.Event{statusUpdate(mins(7), "mo", im), p1},
			want:   Lag{From: mins(10), To: mins(10), By: "mo"},
		},
		{
			name:   "never",
			events: []engine.Event{p1, statusUpdate(mins(18), "pat", cc)},
			want:   Lag{From: mins(10), To: mins(90), Duration: mins(80), Censored: true},
		},
		{
			name:   "no P1/P2",
			events: []engine.Event{create(mins(10), inc("INC0001", "claims-api", 3, engine.StateNew))},
			want:   Lag{NotApplicable: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := proxyOutage(tt.events...).log()
			if tt.want.By != "" {
				for _, e := range log {
					if d, ok := e.Data.(engine.ActionData); ok && d.Action.Op == engine.OpStatusUpdate && e.Actor == "mo" {
						tt.want.Seq = e.Seq
					}
				}
			}
			if got := mustScore(t, drill(t), log).Quality.WithoutIncidentManager; got != tt.want {
				t.Errorf("without incident manager = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReopened(t *testing.T) {
	log := proxyOutage(
		create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)),
		act(mins(30), "raj", tech, op(engine.OpUpdateIncident, "INC0001"), reopened(inc("INC0001", "claims-api", 1, engine.StateInProgress), 2)),
		create(mins(31), reopened(inc("INC0002", "claims-api", 1, engine.StateInProgress), 1)),
	).log()
	if got := mustScore(t, drill(t), log).Quality.Reopened; got != 3 {
		t.Errorf("reopened = %d, want 3", got)
	}
}
