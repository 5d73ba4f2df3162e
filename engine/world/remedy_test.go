package world

import (
	"errors"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// proxyScenario: a proxy fault felt by claims, with a failover that
// mitigates it, a config change that fixes it and a restart that harms.
func proxyScenario() *scenario.Scenario {
	f := faultAt("saturation", "proxy", 5*time.Minute, 0, 0.4)
	f.MitigatedBy = refs(scenario.KindRemedy, "failover")
	f.FixedBy = refs(scenario.KindRemedy, "raise-conn-table")
	f.Logs = []string{"proxy01 conn_table full (65536/65536)"}
	other := &scenario.Fault{Name: "lost-sessions", Service: ref(scenario.KindService, "portal"), ErrorRate: 0.05}
	return &scenario.Scenario{
		Duration: 60 * time.Minute,
		Services: []*scenario.Service{
			svc("proxy", 1000, 0, 20),
			svc("claims", 200, 0, 100, on("proxy", 0.8)),
			svc("portal", 50, 0, 80),
		},
		Faults: []*scenario.Fault{f, other},
		Remedies: []*scenario.Remedy{
			{Name: "failover", Service: ref(scenario.KindService, "proxy"), Takes: 2 * time.Minute},
			{Name: "raise-conn-table", Service: ref(scenario.KindService, "proxy"), Takes: 5 * time.Minute},
			{Name: "restart-claims", Service: ref(scenario.KindService, "claims"), Takes: time.Minute,
				Harmful: "drops in-flight claims", Spike: 0.3, SpikeFor: 2 * time.Minute,
				Triggers: refs(scenario.KindFault, "lost-sessions")},
			{Name: "clear-cache", Service: ref(scenario.KindService, "portal"), Takes: 30 * time.Second},
		},
	}
}

func TestMitigationStopsImpact(t *testing.T) {
	w := newWorld(t, proxyScenario())
	w.Advance(10 * time.Minute)
	if s := mustService(t, w, "claims"); !near(s.ErrorRate, 0.32, 1e-12) || s.Healthy {
		t.Fatalf("claims before failover = %+v, want error 0.32, unhealthy", s)
	}
	done := mustApply(t, w, 10*time.Minute, "failover")
	if done != 12*time.Minute {
		t.Fatalf("completesAt = %v, want 12m", done)
	}
	w.Advance(11*time.Minute + 50*time.Second)
	if s := mustService(t, w, "proxy"); s.ErrorRate != 0.4 {
		t.Errorf("proxy before the failover completes = %v, want 0.4", s.ErrorRate)
	}
	cs := w.Advance(12 * time.Minute)
	wantRemedy := Change{At: 12 * time.Minute, Kind: KindRemedyCompleted, Service: "proxy", Remedy: "failover", Fault: "saturation", Outcome: OutcomeMitigated}
	if rc := only(cs, KindRemedyCompleted); len(rc) != 1 || rc[0] != wantRemedy {
		t.Errorf("remedy changes = %+v, want [%+v]", rc, wantRemedy)
	}
	if h := only(cs, KindServiceHealthy); len(h) != 2 {
		t.Errorf("healthy changes = %+v, want proxy and claims", h)
	}
	for _, name := range []string{"proxy", "claims"} {
		if s := mustService(t, w, name); s.ErrorRate != 0 || !s.Healthy || s.Impacted {
			t.Errorf("%s after failover = %+v, want error 0, healthy, not impacted", name, s)
		}
	}
	fs := mustFault(t, w, "saturation")
	if !fs.Active || !fs.Mitigated || fs.Fixed || fs.Strength != 1 {
		t.Errorf("fault after mitigation = %+v, want active, mitigated, full strength (cause remains)", fs)
	}
	// Mitigating again does nothing more.
	mustApply(t, w, 12*time.Minute, "failover")
	if rc := only(w.Advance(15*time.Minute), KindRemedyCompleted); len(rc) != 1 || rc[0].Outcome != OutcomeNone {
		t.Errorf("second failover = %+v, want one change with OutcomeNone", rc)
	}
}

func TestFixEndsFault(t *testing.T) {
	w := newWorld(t, proxyScenario())
	w.Advance(10 * time.Minute)
	mustApply(t, w, 10*time.Minute, "raise-conn-table")
	cs := w.Advance(15 * time.Minute)
	rc := only(cs, KindRemedyCompleted)
	if len(rc) != 1 || rc[0].Outcome != OutcomeFixed || rc[0].Fault != "saturation" || rc[0].At != 15*time.Minute {
		t.Errorf("remedy changes = %+v, want saturation fixed at 15m", rc)
	}
	fs := mustFault(t, w, "saturation")
	if fs.Active || !fs.Fixed || fs.Ended != 15*time.Minute {
		t.Errorf("fault after fix = %+v", fs)
	}
	if s := mustService(t, w, "claims"); s.ErrorRate != 0 || !s.Healthy {
		t.Errorf("claims after fix = %+v", s)
	}
	if logs := w.Logs("proxy", 20*time.Minute); hasText(logs, "conn_table full") {
		t.Errorf("clue lines after the fix: %+v", logs)
	}
}

func TestFixBeatsMitigationWhenBothListed(t *testing.T) {
	sc := proxyScenario()
	sc.Faults[0].MitigatedBy = append(sc.Faults[0].MitigatedBy, ref(scenario.KindRemedy, "raise-conn-table"))
	w := newWorld(t, sc)
	w.Advance(6 * time.Minute)
	mustApply(t, w, 6*time.Minute, "raise-conn-table")
	rc := only(w.Advance(20*time.Minute), KindRemedyCompleted)
	if len(rc) != 1 || rc[0].Outcome != OutcomeFixed {
		t.Errorf("remedy changes = %+v, want a single fix", rc)
	}
}

func TestHarmfulRemedySpikes(t *testing.T) {
	w := newWorld(t, proxyScenario())
	w.Advance(time.Minute) // before the proxy fault, so claims has only the spike
	done := mustApply(t, w, time.Minute, "restart-claims")
	if done != 2*time.Minute {
		t.Fatalf("completesAt = %v, want 2m", done)
	}
	cs := w.Advance(2 * time.Minute)
	want := []Change{
		{At: 2 * time.Minute, Kind: KindRemedyCompleted, Service: "claims", Remedy: "restart-claims", Outcome: OutcomeHarm, Value: 0.3},
		{At: 2 * time.Minute, Kind: KindFaultStarted, Service: "portal", Fault: "lost-sessions", Remedy: "restart-claims"},
		{At: 2 * time.Minute, Kind: KindFaultFull, Service: "portal", Fault: "lost-sessions"},
	}
	for i, c := range want {
		if i >= len(cs) || cs[i] != c {
			t.Fatalf("changes = %+v, want to begin with %+v", cs, want)
		}
	}
	for _, tc := range []struct {
		at   time.Duration
		want float64
	}{
		{2 * time.Minute, 0.3},
		{3*time.Minute + 50*time.Second, 0.3},
		{4 * time.Minute, 0}, // SpikeFor is over
	} {
		w.Advance(tc.at)
		if got := mustService(t, w, "claims").ErrorRate; got != tc.want {
			t.Errorf("claims error_rate at %v = %v, want %v", tc.at, got, tc.want)
		}
	}
	if got := mustService(t, w, "portal").ErrorRate; got != 0.05 {
		t.Errorf("portal error_rate = %v, want the triggered fault's 0.05", got)
	}
}

func TestRemedyThatMatchesNothingCompletes(t *testing.T) {
	w := newWorld(t, proxyScenario())
	mustApply(t, w, 0, "clear-cache")
	cs := w.Advance(time.Minute)
	want := Change{At: 30 * time.Second, Kind: KindRemedyCompleted, Service: "portal", Remedy: "clear-cache", Outcome: OutcomeNone}
	if rc := only(cs, KindRemedyCompleted); len(rc) != 1 || rc[0] != want {
		t.Errorf("changes = %+v, want [%+v]", rc, want)
	}
}

func TestRemedyCompletesBetweenTicks(t *testing.T) {
	w := newWorld(t, proxyScenario())
	w.Advance(10 * time.Minute)
	mustApply(t, w, 10*time.Minute+5*time.Second, "failover") // completes 12m05s
	cs := w.Advance(12*time.Minute + 7*time.Second)
	if rc := only(cs, KindRemedyCompleted); len(rc) != 1 || rc[0].At != 12*time.Minute+5*time.Second {
		t.Fatalf("remedy changes = %+v, want one at 12m05s", rc)
	}
	// The sample still shows the fault until the next tick.
	if s := mustService(t, w, "proxy"); s.At != 12*time.Minute || s.ErrorRate != 0.4 {
		t.Errorf("proxy = %+v, want the 12m sample with the fault", s)
	}
	w.Advance(12*time.Minute + 10*time.Second)
	if s := mustService(t, w, "proxy"); s.ErrorRate != 0 {
		t.Errorf("proxy at 12m10s = %+v, want mitigated", s)
	}
}

func TestApplyUnknownRemedy(t *testing.T) {
	w := newWorld(t, proxyScenario())
	_, err := w.ApplyRemedy(0, "reboot-the-internet")
	if !errors.Is(err, ErrUnknown) {
		t.Errorf("ApplyRemedy(unknown) = %v, want ErrUnknown", err)
	}
}
