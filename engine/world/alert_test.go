package world

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

func TestAlertFiresExactlyAfterFor(t *testing.T) {
	for _, tc := range []struct {
		name string
		for_ time.Duration
		want time.Duration
	}{
		{"immediately", 0, 5 * time.Minute},
		{"two minutes", 2 * time.Minute, 7 * time.Minute},
		{"off-tick for rounds up to the next sample", 25 * time.Second, 5*time.Minute + 30*time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := faultAt("leak", "api", 5*time.Minute, 0, 0.4)
			f.HealsAfter = 15 * time.Minute
			sc := &scenario.Scenario{
				Duration: 30 * time.Minute,
				Services: []*scenario.Service{svc("api", 100, 0.001, 100)},
				Faults:   []*scenario.Fault{f},
				Alerts: []*scenario.Alert{{Name: "api-5xx", Service: ref(scenario.KindService, "api"),
					Metric: scenario.MetricErrorRate, Op: scenario.Above, Threshold: 0.05, For: tc.for_}},
			}
			w := newWorld(t, sc)
			if fired := only(w.Advance(tc.want-Tick), KindAlertFired); len(fired) != 0 {
				t.Fatalf("fired before %v: %+v", tc.want, fired)
			}
			if a := w.Alerts()[0]; a.Firing || a.Fired {
				t.Fatalf("alert state before %v = %+v", tc.want, a)
			}
			fired := only(w.Advance(tc.want), KindAlertFired)
			if len(fired) != 1 || fired[0].At != tc.want || fired[0].Alert != "api-5xx" || fired[0].Service != "api" {
				t.Fatalf("fired = %+v, want one at %v", fired, tc.want)
			}
			cs := w.Advance(30 * time.Minute)
			if again := only(cs, KindAlertFired); len(again) != 0 {
				t.Errorf("a firing alert fired again: %+v", again)
			}
			resolved := only(cs, KindAlertResolved)
			if len(resolved) != 1 || resolved[0].At != 20*time.Minute {
				t.Errorf("resolved = %+v, want one at 20m when the fault heals", resolved)
			}
			a := w.Alerts()[0]
			if a.Firing || !a.Fired || a.Since != 20*time.Minute || a.Metric != scenario.MetricErrorRate {
				t.Errorf("alert state = %+v", a)
			}
		})
	}
}

func TestAlertHoldMustBeContinuous(t *testing.T) {
	// Two 1-minute blips with a gap: a 90s rule never fires.
	a := faultAt("a", "api", 5*time.Minute, 0, 0.4)
	a.HealsAfter = time.Minute
	b := faultAt("b", "api", 6*time.Minute+30*time.Second, 0, 0.4)
	b.HealsAfter = time.Minute
	sc := &scenario.Scenario{
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{a, b},
		Alerts: []*scenario.Alert{{Name: "api-5xx", Service: ref(scenario.KindService, "api"),
			Metric: scenario.MetricErrorRate, Op: scenario.AtOrAbove, Threshold: 0.4, For: 90 * time.Second}},
	}
	w := newWorld(t, sc)
	if fired := only(w.Advance(20*time.Minute), KindAlertFired); len(fired) != 0 {
		t.Errorf("fired on interrupted condition: %+v", fired)
	}
}

func TestAlertOnEveryMetricAndOperator(t *testing.T) {
	f := faultAt("hot", "api", time.Minute, 0, 0)
	f.LatencyMS = 500
	f.Saturation = 0.95
	rule := func(name string, m scenario.Metric, op scenario.Comparison, th float64) *scenario.Alert {
		return &scenario.Alert{Name: name, Service: ref(scenario.KindService, "api"), Metric: m, Op: op, Threshold: th}
	}
	sc := &scenario.Scenario{
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{f},
		Alerts: []*scenario.Alert{
			rule("slow", scenario.MetricLatencyMS, scenario.Above, 400),
			rule("saturated", scenario.MetricSaturation, scenario.AtOrAbove, 0.9),
			rule("traffic-drop", scenario.MetricRPS, scenario.Below, 50),
			rule("unknown-metric", "cpu", scenario.AtOrBelow, 1e9),
			{Name: "unknown-service", Service: ref(scenario.KindService, "nope"), Metric: scenario.MetricRPS, Op: scenario.AtOrBelow, Threshold: 1e9},
		},
	}
	w := newWorld(t, sc)
	cs := w.Advance(2 * time.Minute)
	var names []string
	for _, c := range only(cs, KindAlertFired) {
		names = append(names, c.Alert)
		if c.At != time.Minute {
			t.Errorf("%s fired at %v, want 1m", c.Alert, c.At)
		}
	}
	if len(names) != 2 || names[0] != "slow" || names[1] != "saturated" {
		t.Errorf("fired = %v, want [slow saturated]", names)
	}
}
