package world

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// benchScenario generates n services in layers (each depends on up to three
// earlier ones), an error-rate alert per service, four faults on the shared
// bottom layer and remedies for them.
func benchScenario(n int) *scenario.Scenario {
	sc := &scenario.Scenario{Name: "bench", Duration: 90 * time.Minute}
	for i := range n {
		s := svc(fmt.Sprintf("svc-%02d", i), 100+float64(i*17), 0.001, 50+float64(i))
		for k := 1; k <= 3 && i-k*3 >= 0; k++ {
			s.DependsOn = append(s.DependsOn, on(fmt.Sprintf("svc-%02d", i-k*3), 0.3*float64(k)))
		}
		sc.Services = append(sc.Services, s)
		sc.Alerts = append(sc.Alerts, &scenario.Alert{
			Name: fmt.Sprintf("alert-%02d", i), Service: ref(scenario.KindService, s.Name),
			Metric: scenario.MetricErrorRate, Op: scenario.Above, Threshold: 0.05, For: 2 * time.Minute,
		})
	}
	for i := range 4 {
		f := faultAt(fmt.Sprintf("fault-%d", i), fmt.Sprintf("svc-%02d", i%n), time.Duration(5+10*i)*time.Minute, 3*time.Minute, 0.3)
		f.LatencyMS = 400
		f.Saturation = 1
		f.HealsAfter = 40 * time.Minute
		f.MitigatedBy = refs(scenario.KindRemedy, fmt.Sprintf("mitigate-%d", i))
		f.Logs = []string{"clue"}
		sc.Faults = append(sc.Faults, f)
		sc.Remedies = append(sc.Remedies, &scenario.Remedy{
			Name: fmt.Sprintf("mitigate-%d", i), Service: f.Service, Takes: 2 * time.Minute,
		})
	}
	return sc
}

// BenchmarkAdvance90m runs a whole 90-minute exercise per op, from New,
// advancing one Tick at a time as the engine does, with two remedies.
func BenchmarkAdvance90m(b *testing.B) {
	for _, n := range []int{10, 50} {
		sc := benchScenario(n)
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := New(sc, rand.New(rand.NewPCG(1, 2)))
				for at := time.Duration(0); at <= sc.Duration; at += Tick {
					w.Advance(at)
					if at == 20*time.Minute {
						_, _ = w.ApplyRemedy(at, "mitigate-0")
						_, _ = w.ApplyRemedy(at, "mitigate-1")
					}
				}
			}
		})
	}
}

// TestBenchScenarioExercisesTheWorld keeps the benchmark honest: its
// scenario must really fault, propagate, alert and mitigate.
func TestBenchScenarioExercisesTheWorld(t *testing.T) {
	sc := benchScenario(50)
	w := newWorld(t, sc)
	var cs []Change
	for at := time.Duration(0); at <= sc.Duration; at += Tick {
		cs = append(cs, w.Advance(at)...)
		if at == 20*time.Minute {
			mustApply(t, w, at, "mitigate-0")
		}
	}
	counts := map[Kind]int{}
	for _, c := range cs {
		counts[c.Kind]++
	}
	for _, k := range []Kind{KindFaultStarted, KindAlertFired, KindServiceUnhealthy, KindRemedyCompleted, KindFaultHealed} {
		if counts[k] == 0 {
			t.Errorf("no %s in the benchmark scenario: %v", k, counts)
		}
	}
	if counts[KindAlertFired] < 10 {
		t.Errorf("only %d alerts fired; propagation is not reaching dependents", counts[KindAlertFired])
	}
}
