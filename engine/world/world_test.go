package world

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// run plays a fixed script against a fresh world and records everything a
// caller could observe.
func run(t *testing.T, seed uint64) (changes []Change, series [][]Point, logs []LogLine, alerts []AlertState, faults []FaultState) {
	t.Helper()
	w := New(proxyScenario(), rand.New(rand.NewPCG(seed, seed)))
	for at := time.Duration(0); at <= 60*time.Minute; at += 15 * time.Second {
		changes = append(changes, w.Advance(at)...)
		switch at {
		case 7 * time.Minute:
			mustApply(t, w, at, "restart-claims")
		case 12 * time.Minute:
			mustApply(t, w, at, "failover")
		case 30 * time.Minute:
			mustApply(t, w, at, "raise-conn-table")
		}
		if at%(5*time.Minute) == 0 {
			logs = append(logs, w.Logs("proxy", at)...)
			logs = append(logs, w.Logs("claims", at)...)
		}
	}
	for _, s := range []string{"proxy", "claims", "portal"} {
		for _, m := range scenario.Metrics() {
			series = append(series, w.Series(s, m, 0, time.Hour))
		}
	}
	return changes, series, logs, w.Alerts(), w.FaultStates()
}

func TestDeterministic(t *testing.T) {
	c1, s1, l1, a1, f1 := run(t, 42)
	c2, s2, l2, a2, f2 := run(t, 42)
	if len(c1) == 0 {
		t.Fatal("the script produced no changes")
	}
	assertOrdered(t, c1)
	for name, pair := range map[string][2]any{
		"changes": {c1, c2}, "series": {s1, s2}, "logs": {l1, l2}, "alerts": {a1, a2}, "faults": {f1, f2},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("two runs with the same seed differ in %s", name)
		}
	}
	_, s3, _, _, _ := run(t, 43)
	if reflect.DeepEqual(s1, s3) {
		t.Error("a different seed gave identical telemetry")
	}
}

func TestAdvanceIsIncremental(t *testing.T) {
	// Advancing tick by tick or in one call gives the same world.
	sc := proxyScenario()
	step, jump := newWorld(t, sc), newWorld(t, sc)
	var stepped []Change
	for at := time.Duration(0); at <= 40*time.Minute; at += 7 * time.Second {
		stepped = append(stepped, step.Advance(at)...)
	}
	stepped = append(stepped, step.Advance(40*time.Minute)...)
	jumped := jump.Advance(40 * time.Minute)
	if !reflect.DeepEqual(stepped, jumped) {
		t.Errorf("stepped changes differ from one jump:\n%+v\n%+v", stepped, jumped)
	}
	if got := jump.Advance(10 * time.Minute); got != nil || jump.Now() != 40*time.Minute {
		t.Errorf("Advance into the past = %+v, Now %v; want nothing, 40m", got, jump.Now())
	}
}

func TestBadInputDoesNotPanic(t *testing.T) {
	w := New(nil, nil)
	w.Advance(time.Hour)
	if len(w.Services()) != 0 || len(w.FaultStates()) != 0 || len(w.Alerts()) != 0 {
		t.Error("empty world has content")
	}

	sc := &scenario.Scenario{
		Duration: -time.Hour,
		Services: []*scenario.Service{
			nil,
			svc("api", -5, 2, -1, on("ghost", 3)),
			svc("api", 1, 0, 1), // duplicate name: the first wins
		},
		Faults: []*scenario.Fault{
			nil,
			faultAt("orphan", "ghost", time.Minute, 0, 0.5),
			faultAt("neg", "api", -time.Minute, -time.Minute, -0.5),
		},
		Remedies: []*scenario.Remedy{nil, {Name: "r", Service: ref(scenario.KindService, "ghost"), Takes: -time.Minute, Harmful: "yes", Spike: 1, Triggers: refs(scenario.KindFault, "ghost-fault")}},
		Alerts:   []*scenario.Alert{nil, {Name: "a", Service: ref(scenario.KindService, "api"), Metric: scenario.MetricRPS, Op: "~", Threshold: 1}},
		Vendors:  []*scenario.Vendor{nil, {Name: "v", Changes: []*scenario.VendorChange{nil}}},
	}
	w = newWorld(t, sc)
	if _, err := w.ApplyRemedy(-time.Hour, "r"); err != nil {
		t.Fatal(err)
	}
	w.Advance(time.Hour)
	s := mustService(t, w, "api")
	if s.RPS != 0 || s.ErrorRate != 1 || s.LatencyMS != 0 {
		t.Errorf("api = %+v, want inputs clamped (rps 0, error 1, latency 0)", s)
	}
	if got := len(w.Traffic("api")); got != 0 {
		t.Errorf("edges to an unknown dependency: %d", got)
	}
	_ = w.Logs("api", -time.Hour)
	_ = w.VendorChanges("v")
}
