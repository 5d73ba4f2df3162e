package world

import (
	"math"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// reducible is one service with a fault of error rate 0.4 from 5m that two
// remedies reduce (by half, by nine tenths), one takes all of (a
// mitigation by reduction) and one fixes. Every remedy takes 1m; the fault
// recovers over 2m. The baseline error rate is 0, so samples are exact.
func reducible() *scenario.Scenario {
	f := faultAt("overload", "api", 5*time.Minute, 0, 0.4)
	f.RecoversOver = 2 * time.Minute
	f.FixedBy = refs(scenario.KindRemedy, "fix")
	f.ReducedBy = []scenario.Reduction{
		{Remedy: ref(scenario.KindRemedy, "shed"), By: 0.5},
		{Remedy: ref(scenario.KindRemedy, "replica"), By: 0.9},
		{Remedy: ref(scenario.KindRemedy, "cutover"), By: 1},
	}
	sc := &scenario.Scenario{
		Duration: 60 * time.Minute,
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{f},
	}
	for _, name := range []string{"shed", "replica", "cutover", "fix"} {
		sc.Remedies = append(sc.Remedies, &scenario.Remedy{Name: name, Service: ref(scenario.KindService, "api"), Takes: time.Minute})
	}
	return sc
}

func TestReductions(t *testing.T) {
	type outcome struct {
		remedy  string
		outcome Outcome
		value   float64
	}
	for _, tc := range []struct {
		name      string
		apply     map[time.Duration]string // each completes 1m later
		outcomes  []outcome
		errorRate map[time.Duration]float64
		active    bool
		mitigated bool
		remaining float64
	}{
		{
			name:     "several compose multiplicatively",
			apply:    map[time.Duration]string{6 * time.Minute: "shed", 8 * time.Minute: "replica"},
			outcomes: []outcome{{"shed", OutcomeReduced, 0.5}, {"replica", OutcomeReduced, 0.05}},
			errorRate: map[time.Duration]float64{
				6*time.Minute + 50*time.Second: 0.4,
				7 * time.Minute:                0.2,  // 0.4 × (1 − 0.5)
				9 * time.Minute:                0.02, // 0.4 × (1 − 0.5) × (1 − 0.9)
				30 * time.Minute:               0.02, // a reduction does not wear off
			},
			active: true, remaining: 0.05,
		},
		{
			name:      "each remedy reduces a fault once",
			apply:     map[time.Duration]string{6 * time.Minute: "shed", 8 * time.Minute: "shed"},
			outcomes:  []outcome{{"shed", OutcomeReduced, 0.5}, {"shed", OutcomeNone, 0}},
			errorRate: map[time.Duration]float64{10 * time.Minute: 0.2},
			active:    true, remaining: 0.5,
		},
		{
			name:     "taking all of it away is a mitigation, and recovers",
			apply:    map[time.Duration]string{6 * time.Minute: "cutover"},
			outcomes: []outcome{{"cutover", OutcomeMitigated, 0}},
			errorRate: map[time.Duration]float64{
				8 * time.Minute: 0.2, // halfway down a 2m recovery from 7m
				9 * time.Minute: 0,
			},
			active: true, mitigated: true, remaining: 1,
		},
		{
			name:     "a reduced fault mitigated falls from its reduced level",
			apply:    map[time.Duration]string{6 * time.Minute: "shed", 8 * time.Minute: "cutover"},
			outcomes: []outcome{{"shed", OutcomeReduced, 0.5}, {"cutover", OutcomeMitigated, 0}},
			errorRate: map[time.Duration]float64{
				10 * time.Minute: 0.1, // 0.4 × 0.5, halfway down from 9m
				11 * time.Minute: 0,
			},
			active: true, mitigated: true, remaining: 0.5,
		},
		{
			name:      "a mitigated fault is not reduced",
			apply:     map[time.Duration]string{6 * time.Minute: "cutover", 8 * time.Minute: "shed"},
			outcomes:  []outcome{{"cutover", OutcomeMitigated, 0}, {"shed", OutcomeNone, 0}},
			errorRate: map[time.Duration]float64{12 * time.Minute: 0},
			active:    true, mitigated: true, remaining: 1,
		},
		{
			name:      "a reduced fault is still fixed",
			apply:     map[time.Duration]string{6 * time.Minute: "replica", 8 * time.Minute: "fix"},
			outcomes:  []outcome{{"replica", OutcomeReduced, 0.1}, {"fix", OutcomeFixed, 0}},
			errorRate: map[time.Duration]float64{8 * time.Minute: 0.04, 10 * time.Minute: 0.02, 11 * time.Minute: 0},
			remaining: 0.1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, reducible())
			var cs []Change
			for at := time.Duration(0); at <= 30*time.Minute; at += Tick {
				cs = append(cs, w.Advance(at)...)
				if r, ok := tc.apply[at]; ok {
					mustApply(t, w, at, r)
				}
			}
			var got []outcome
			for _, c := range only(cs, KindRemedyCompleted) {
				if c.Outcome != OutcomeNone && c.Fault != "overload" {
					t.Errorf("change %+v is about another fault", c)
				}
				got = append(got, outcome{c.Remedy, c.Outcome, c.Value})
			}
			if len(got) != len(tc.outcomes) {
				t.Fatalf("outcomes = %+v, want %+v", got, tc.outcomes)
			}
			for i, o := range tc.outcomes {
				if got[i].remedy != o.remedy || got[i].outcome != o.outcome || !near(got[i].value, o.value, 1e-12) {
					t.Errorf("outcome %d = %+v, want %+v", i, got[i], o)
				}
			}
			for at, want := range tc.errorRate {
				if pts := w.Series("api", scenario.MetricErrorRate, at, at); len(pts) != 1 || !near(pts[0].Value, want, 1e-9) {
					t.Errorf("error_rate at %v = %+v, want %v", at, pts, want)
				}
			}
			f := mustFault(t, w, "overload")
			if f.Active != tc.active || f.Mitigated != tc.mitigated || !near(f.Remaining, tc.remaining, 1e-12) {
				t.Errorf("fault = %+v, want active %v, mitigated %v, remaining %v", f, tc.active, tc.mitigated, tc.remaining)
			}
		})
	}
}

// TestBadSharesAreHarmless: a scenario that skipped validation cannot make
// a reduction amplify a fault or poison its samples.
func TestBadSharesAreHarmless(t *testing.T) {
	for _, tc := range []struct {
		name    string
		by      float64
		outcome Outcome
		want    float64
	}{
		{"negative", -1, OutcomeNone, 0.4},
		{"NaN", math.NaN(), OutcomeNone, 0.4},
		{"more than all", 3, OutcomeMitigated, 0},
		{"infinite", math.Inf(1), OutcomeMitigated, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := reducible()
			sc.Faults[0].RecoversOver = 0
			sc.Faults[0].ReducedBy = []scenario.Reduction{{Remedy: ref(scenario.KindRemedy, "shed"), By: tc.by}}
			w := newWorld(t, sc)
			w.Advance(6 * time.Minute)
			mustApply(t, w, 6*time.Minute, "shed")
			rc := only(w.Advance(10*time.Minute), KindRemedyCompleted)
			if len(rc) != 1 || rc[0].Outcome != tc.outcome {
				t.Errorf("changes = %+v, want one %s", rc, tc.outcome)
			}
			if got := mustService(t, w, "api").ErrorRate; got != tc.want {
				t.Errorf("error_rate = %v, want %v", got, tc.want)
			}
		})
	}
}
