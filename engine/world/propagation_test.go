package world

import (
	"math"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

func TestDependencyPropagation(t *testing.T) {
	proxyFault := faultAt("saturation", "proxy", time.Minute, 0, 0.5)
	proxyFault.LatencyMS = 300
	sc := &scenario.Scenario{
		Duration: 30 * time.Minute,
		// Declared dependents first: the world must order them itself.
		Services: []*scenario.Service{
			svc("portal", 50, 0, 0, on("claims", 0.5)),
			svc("claims", 200, 0, 0, on("proxy", 0.8)),
			svc("proxy", 1200, 0.001, 20),
			svc("billing", 80, 0, 0),
		},
		Faults: []*scenario.Fault{proxyFault},
	}
	w := newWorld(t, sc)
	w.Advance(2 * time.Minute)

	for _, tc := range []struct {
		service  string
		err, lat float64
		impacted bool
	}{
		{"claims", 0.8 * 0.5, 0.8 * 300, true},             // weight 0.8 of the proxy's excess
		{"portal", 0.5 * 0.8 * 0.5, 0.5 * 0.8 * 300, true}, // transitively
		{"billing", 0, 0, false},
	} {
		s := mustService(t, w, tc.service)
		if !near(s.ErrorRate, tc.err, 1e-12) || !near(s.LatencyMS, tc.lat, 1e-9) || s.Impacted != tc.impacted {
			t.Errorf("%s = %+v, want error_rate %v, latency %v, impacted %v", tc.service, s, tc.err, tc.lat, tc.impacted)
		}
	}
	proxy := mustService(t, w, "proxy")
	if !near(proxy.ErrorRate, 0.501, 0.001*noise+1e-12) {
		t.Errorf("proxy error_rate = %v, want 0.501 within noise", proxy.ErrorRate)
	}

	edges := w.Traffic("claims")
	if len(edges) != 1 {
		t.Fatalf("Traffic(claims) = %+v, want one edge", edges)
	}
	e := edges[0]
	claims := mustService(t, w, "claims")
	if e.From != "claims" || e.To != "proxy" || e.Weight != 0.8 ||
		e.RPS != claims.RPS*0.8 || e.ErrorRate != proxy.ErrorRate || e.LatencyMS != proxy.LatencyMS {
		t.Errorf("edge = %+v; claims %+v, proxy %+v", e, claims, proxy)
	}
	callers := w.Callers("proxy")
	if len(callers) != 1 || callers[0] != e {
		t.Errorf("Callers(proxy) = %+v, want [%+v]", callers, e)
	}
	if got := w.Traffic("billing"); len(got) != 0 {
		t.Errorf("Traffic(billing) = %+v, want none", got)
	}
}

func TestErrorRateClampedThroughDependencies(t *testing.T) {
	sc := &scenario.Scenario{
		Services: []*scenario.Service{
			svc("db", 100, 0, 10),
			svc("api", 100, 0, 10, on("db", 1)),
		},
		Faults: []*scenario.Fault{
			faultAt("a", "db", 0, 0, 0.9),
			faultAt("b", "api", 0, 0, 0.9),
		},
	}
	w := newWorld(t, sc)
	w.Advance(time.Minute)
	if got := mustService(t, w, "api").ErrorRate; got != 1 {
		t.Errorf("api error_rate = %v, want clamped to 1", got)
	}
}

func TestCycleDoesNotHang(t *testing.T) {
	// Validation refuses cycles; the world must still terminate with
	// finite numbers if one gets through.
	sc := &scenario.Scenario{
		Duration: 90 * time.Minute,
		Services: []*scenario.Service{
			svc("a", 100, 0.01, 50, on("b", 1)),
			svc("b", 100, 0.01, 50, on("a", 1)),
			svc("self", 100, 0.01, 50, on("self", 1)),
		},
		Faults: []*scenario.Fault{
			{Name: "f", Service: ref(scenario.KindService, "a"), HasStart: true, ErrorRate: 0.3, LatencyMS: 100},
			{Name: "g", Service: ref(scenario.KindService, "self"), HasStart: true, ErrorRate: 0.3, LatencyMS: 100},
		},
	}
	w := newWorld(t, sc)
	w.Advance(90 * time.Minute)
	for _, s := range w.Services() {
		if math.IsNaN(s.LatencyMS) || s.LatencyMS > 1000 || s.ErrorRate > 1 {
			t.Errorf("%s ran away on a cycle: %+v", s.Name, s)
		}
	}
}
