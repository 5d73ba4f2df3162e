package world

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// Scenario builders: the HCL decoder is not needed to test the world.

func ref(k scenario.Kind, name string) scenario.Ref { return scenario.Ref{Kind: k, Name: name} }

func refs(k scenario.Kind, names ...string) []scenario.Ref {
	out := make([]scenario.Ref, len(names))
	for i, n := range names {
		out[i] = ref(k, n)
	}
	return out
}

func svc(name string, rps, errRate, latency float64, deps ...scenario.Dependency) *scenario.Service {
	return &scenario.Service{Name: name, Group: ref(scenario.KindGroup, "g"), RPS: rps, ErrorRate: errRate, LatencyMS: latency, DependsOn: deps}
}

func on(name string, weight float64) scenario.Dependency {
	return scenario.Dependency{Service: ref(scenario.KindService, name), Weight: weight}
}

func faultAt(name, service string, start, ramp time.Duration, errRate float64) *scenario.Fault {
	return &scenario.Fault{Name: name, Service: ref(scenario.KindService, service), Start: start, HasStart: true, Ramp: ramp, ErrorRate: errRate}
}

func newWorld(t testing.TB, sc *scenario.Scenario) *World {
	t.Helper()
	return New(sc, rand.New(rand.NewPCG(7, 11)))
}

func mustService(t *testing.T, w *World, name string) ServiceState {
	t.Helper()
	s, ok := w.Service(name)
	if !ok {
		t.Fatalf("Service(%q) not found", name)
	}
	return s
}

func mustFault(t *testing.T, w *World, name string) FaultState {
	t.Helper()
	for _, f := range w.FaultStates() {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("fault %q not in FaultStates", name)
	return FaultState{}
}

func mustApply(t *testing.T, w *World, at time.Duration, remedy string) time.Duration {
	t.Helper()
	done, err := w.ApplyRemedy(at, remedy)
	if err != nil {
		t.Fatalf("ApplyRemedy(%v, %q): %v", at, remedy, err)
	}
	return done
}

// only returns the changes of one kind.
func only(cs []Change, k Kind) []Change {
	var out []Change
	for _, c := range cs {
		if c.Kind == k {
			out = append(out, c)
		}
	}
	return out
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// assertOrdered checks changes come in non-decreasing time.
func assertOrdered(t *testing.T, cs []Change) {
	t.Helper()
	for i := 1; i < len(cs); i++ {
		if cs[i].At < cs[i-1].At {
			t.Fatalf("change %d (%+v) is before change %d (%+v)", i, cs[i], i-1, cs[i-1])
		}
	}
}
