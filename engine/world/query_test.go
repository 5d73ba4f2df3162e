package world

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

func hasText(lines []LogLine, s string) bool {
	for _, l := range lines {
		if strings.Contains(l.Text, s) {
			return true
		}
	}
	return false
}

func TestHealthRule(t *testing.T) {
	for _, tc := range []struct {
		name         string
		errRate, lat float64
		wantHealthy  bool
	}{
		// threshold max(5 × 0.001, 0.01) = 0.01
		{name: "error under the 1% floor", errRate: 0.008, wantHealthy: true},
		{name: "error over the 1% floor", errRate: 0.012, wantHealthy: false},
		// latency threshold 3 × 100ms
		{name: "latency at 2.5x", lat: 150, wantHealthy: true},
		{name: "latency over 3x", lat: 210, wantHealthy: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := faultAt("f", "api", time.Minute, 0, tc.errRate)
			f.LatencyMS = tc.lat
			sc := &scenario.Scenario{
				Services: []*scenario.Service{svc("api", 100, 0.001, 100)},
				Faults:   []*scenario.Fault{f},
			}
			w := newWorld(t, sc)
			cs := w.Advance(2 * time.Minute)
			if s := mustService(t, w, "api"); s.Healthy != tc.wantHealthy || !s.Impacted {
				t.Errorf("api = %+v, want healthy %v, impacted", s, tc.wantHealthy)
			}
			if un := only(cs, KindServiceUnhealthy); tc.wantHealthy == (len(un) > 0) {
				t.Errorf("unhealthy changes = %+v", un)
			}
		})
	}
}

func TestDowntimeAndStats(t *testing.T) {
	f := faultAt("f", "api", 5*time.Minute, 0, 0.5)
	f.HealsAfter = 10 * time.Minute
	sc := &scenario.Scenario{
		Duration: 30 * time.Minute,
		Services: []*scenario.Service{
			{Name: "api", RPS: 100, Critical: true},
		},
		Faults: []*scenario.Fault{f},
	}
	w := newWorld(t, sc)
	w.Advance(30 * time.Minute)
	if got := w.Downtime("api"); got != 10*time.Minute {
		t.Errorf("Downtime = %v, want 10m (5m to 15m)", got)
	}
	total, failed := w.Stats("api")
	// 181 samples of 10s at 100 rps ± 3%; 60 of them at 50% errors.
	if !near(total, 181*1000, 181*1000*noise) {
		t.Errorf("total = %v, want about 181000", total)
	}
	var wantFailed float64
	for _, p := range w.Series("api", scenario.MetricRPS, 5*time.Minute, 15*time.Minute-Tick) {
		wantFailed += p.Value * Tick.Seconds() * 0.5
	}
	if !near(failed, wantFailed, 1e-6) {
		t.Errorf("failed = %v, want %v", failed, wantFailed)
	}
	if tot, fl := w.Stats("nope"); tot != 0 || fl != 0 || w.Downtime("nope") != 0 {
		t.Error("unknown service has stats")
	}
}

func TestNoiseIsSmallAndNeverNegative(t *testing.T) {
	sc := &scenario.Scenario{
		Duration: 90 * time.Minute,
		Services: []*scenario.Service{svc("api", 300, 0.002, 120), svc("tiny", 0.5, 0.999, 1)},
	}
	w := newWorld(t, sc)
	w.Advance(90 * time.Minute)
	for _, s := range sc.Services {
		base := map[scenario.Metric]float64{
			scenario.MetricRPS: s.RPS, scenario.MetricErrorRate: s.ErrorRate,
			scenario.MetricLatencyMS: s.LatencyMS, scenario.MetricSaturation: BaselineSaturation,
		}
		for _, m := range scenario.Metrics() {
			pts := w.Series(s.Name, m, 0, 90*time.Minute)
			if len(pts) != 541 {
				t.Fatalf("%s %s: %d points, want 541", s.Name, m, len(pts))
			}
			varied := false
			for _, p := range pts {
				if p.Value < 0 || !near(p.Value, base[m], base[m]*noise+1e-12) {
					t.Fatalf("%s %s at %v = %v, outside %v ± 3%%", s.Name, m, p.At, p.Value, base[m])
				}
				if (m == scenario.MetricErrorRate || m == scenario.MetricSaturation) && p.Value > 1 {
					t.Fatalf("%s %s at %v = %v > 1", s.Name, m, p.At, p.Value)
				}
				varied = varied || p.Value != pts[0].Value
			}
			if !varied {
				t.Errorf("%s %s: no noise at all", s.Name, m)
			}
		}
	}
}

func TestSeriesBounds(t *testing.T) {
	sc := &scenario.Scenario{Duration: 10 * time.Minute, Services: []*scenario.Service{svc("api", 100, 0, 100)}}
	w := newWorld(t, sc)
	if got := w.Series("api", scenario.MetricRPS, 0, time.Hour); got != nil {
		t.Errorf("series before any sample = %v", got)
	}
	w.Advance(5 * time.Minute)
	for _, tc := range []struct {
		from, to    time.Duration
		first, last time.Duration
		n           int
	}{
		{0, 5 * time.Minute, 0, 5 * time.Minute, 31},
		{-time.Hour, time.Hour, 0, 5 * time.Minute, 31},
		{15 * time.Second, 45 * time.Second, 20 * time.Second, 40 * time.Second, 3},
		{time.Minute, time.Minute, time.Minute, time.Minute, 1},
		{61 * time.Second, 69 * time.Second, 0, 0, 0},
		{time.Minute, 0, 0, 0, 0},
		{-time.Minute, -time.Second, 0, 0, 0},
	} {
		got := w.Series("api", scenario.MetricLatencyMS, tc.from, tc.to)
		if len(got) != tc.n || (tc.n > 0 && (got[0].At != tc.first || got[len(got)-1].At != tc.last)) {
			t.Errorf("Series(%v, %v) = %d points %v…, want %d from %v to %v", tc.from, tc.to, len(got), got[:min(len(got), 2)], tc.n, tc.first, tc.last)
		}
	}
	if w.Series("api", "cpu", 0, time.Hour) != nil || w.Series("nope", scenario.MetricRPS, 0, time.Hour) != nil {
		t.Error("unknown metric or service gave a series")
	}
}

func TestLogs(t *testing.T) {
	w := newWorld(t, proxyScenario())
	w.Advance(10 * time.Minute)
	before := w.Logs("proxy", 4*time.Minute)
	during := w.Logs("proxy", 8*time.Minute)
	if hasText(before, "conn_table full") {
		t.Errorf("clue before the fault started: %+v", before)
	}
	if !hasText(during, "conn_table full") {
		t.Errorf("no clue while the fault is active: %+v", during)
	}
	if claims := w.Logs("claims", 8*time.Minute); !hasText(claims, "upstream proxy") || hasText(claims, "conn_table") {
		t.Errorf("claims logs should name the failing upstream, not carry its clue: %+v", claims)
	}
	if got := w.Logs("proxy", 8*time.Minute); !slices.Equal(got, during) {
		t.Errorf("Logs not deterministic:\n%+v\n%+v", got, during)
	}
	for at, ls := range map[time.Duration][]LogLine{4 * time.Minute: before, 8 * time.Minute: during} {
		if !slices.IsSortedFunc(ls, func(a, b LogLine) int { return int(a.At - b.At) }) {
			t.Errorf("logs out of order: %+v", ls)
		}
		if n := len(ls); n < routinePerWindow {
			t.Errorf("%d lines, want at least %d routine ones", n, routinePerWindow)
		}
		for _, l := range ls {
			if l.Service != "proxy" || l.At > at || l.At <= at-Tick {
				t.Errorf("line out of place: %+v", l)
			}
		}
	}
	// Asking for logs must not disturb the telemetry.
	quiet, noisy := newWorld(t, proxyScenario()), newWorld(t, proxyScenario())
	quiet.Advance(20 * time.Minute)
	noisy.Advance(10 * time.Minute)
	for range 5 {
		noisy.Logs("proxy", 9*time.Minute)
	}
	noisy.Advance(20 * time.Minute)
	if a, b := quiet.Series("proxy", scenario.MetricRPS, 0, time.Hour), noisy.Series("proxy", scenario.MetricRPS, 0, time.Hour); !slices.Equal(a, b) {
		t.Error("reading logs changed the telemetry")
	}
	if w.Logs("nope", 0) != nil {
		t.Error("logs for an unknown service")
	}
}

func TestVendorChanges(t *testing.T) {
	sc := &scenario.Scenario{Vendors: []*scenario.Vendor{{Name: "proxyco", Changes: []*scenario.VendorChange{
		{Name: "fw-9.4.1", At: -2 * time.Hour, Note: "Connection-table defaults changed"},
		{Name: "fw-9.4.2", At: 30 * time.Minute, Note: "Hotfix"},
	}}}}
	w := newWorld(t, sc)
	if got := w.VendorChanges("proxyco"); len(got) != 1 || got[0].Name != "fw-9.4.1" {
		t.Errorf("at start: %+v, want only fw-9.4.1", got)
	}
	w.Advance(30 * time.Minute)
	if got := w.VendorChanges("proxyco"); len(got) != 2 {
		t.Errorf("at 30m: %+v, want both", got)
	}
	if w.VendorChanges("nope") != nil {
		t.Error("unknown vendor has changes")
	}
}

func TestServiceBeforeFirstSampleIsBaseline(t *testing.T) {
	w := newWorld(t, &scenario.Scenario{Services: []*scenario.Service{svc("api", 100, 0.002, 120)}})
	want := ServiceState{Name: "api", RPS: 100, ErrorRate: 0.002, LatencyMS: 120, Saturation: BaselineSaturation, Healthy: true}
	if got := mustService(t, w, "api"); got != want {
		t.Errorf("Service = %+v, want %+v", got, want)
	}
	if _, ok := w.Service("nope"); ok {
		t.Error("unknown service found")
	}
}
