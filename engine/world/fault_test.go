package world

import (
	"errors"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

func TestFaultRampsLinearly(t *testing.T) {
	// Baseline error rate 0 carries no noise, so samples are exact.
	sc := &scenario.Scenario{
		Duration: 30 * time.Minute,
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{faultAt("leak", "api", 5*time.Minute, 4*time.Minute, 0.4)},
	}
	w := newWorld(t, sc)
	for _, tc := range []struct {
		at       time.Duration
		wantErr  float64
		strength float64
	}{
		{4*time.Minute + 50*time.Second, 0, 0},
		{5 * time.Minute, 0, 0},
		{6 * time.Minute, 0.1, 0.25},
		{7 * time.Minute, 0.2, 0.5}, // half strength at half ramp
		{9 * time.Minute, 0.4, 1},
		{20 * time.Minute, 0.4, 1},
	} {
		w.Advance(tc.at)
		if got := mustService(t, w, "api").ErrorRate; !near(got, tc.wantErr, 1e-12) {
			t.Errorf("at %v: error_rate = %v, want %v", tc.at, got, tc.wantErr)
		}
		if got := mustFault(t, w, "leak").Strength; !near(got, tc.strength, 1e-12) {
			t.Errorf("at %v: strength = %v, want %v", tc.at, got, tc.strength)
		}
	}
}

func TestFaultLifecycleChanges(t *testing.T) {
	f := faultAt("leak", "api", 5*time.Minute, 3*time.Minute, 0.4)
	f.HealsAfter = 20 * time.Minute
	instant := faultAt("blip", "api", 95*time.Second, 0, 0.1) // between ticks, no ramp
	sc := &scenario.Scenario{
		Duration: 30 * time.Minute,
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{f, instant},
	}
	w := newWorld(t, sc)
	cs := w.Advance(30 * time.Minute)
	assertOrdered(t, cs)
	var got []Change
	for _, c := range cs {
		if c.Fault != "" {
			got = append(got, c)
		}
	}
	want := []Change{
		{At: 95 * time.Second, Kind: KindFaultStarted, Service: "api", Fault: "blip"},
		{At: 95 * time.Second, Kind: KindFaultFull, Service: "api", Fault: "blip"},
		{At: 5 * time.Minute, Kind: KindFaultStarted, Service: "api", Fault: "leak"},
		{At: 8 * time.Minute, Kind: KindFaultFull, Service: "api", Fault: "leak"},
		{At: 25 * time.Minute, Kind: KindFaultHealed, Service: "api", Fault: "leak"},
	}
	if len(got) != len(want) {
		t.Fatalf("fault changes = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSelfHeal(t *testing.T) {
	f := faultAt("leak", "api", 5*time.Minute, 0, 0.4)
	f.HealsAfter = 10 * time.Minute
	sc := &scenario.Scenario{
		Duration: 30 * time.Minute,
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{f},
	}
	w := newWorld(t, sc)
	w.Advance(14*time.Minute + 50*time.Second)
	if got := mustService(t, w, "api").ErrorRate; got != 0.4 {
		t.Fatalf("error_rate before healing = %v, want 0.4", got)
	}
	cs := w.Advance(15 * time.Minute)
	if h := only(cs, KindFaultHealed); len(h) != 1 || h[0].At != 15*time.Minute {
		t.Errorf("healed changes = %+v, want one at 15m", h)
	}
	if h := only(cs, KindServiceHealthy); len(h) != 1 || h[0].At != 15*time.Minute {
		t.Errorf("healthy changes = %+v, want one at 15m", h)
	}
	s := mustService(t, w, "api")
	if s.ErrorRate != 0 || !s.Healthy || s.Impacted {
		t.Errorf("after healing: %+v, want error 0, healthy, not impacted", s)
	}
	fs := mustFault(t, w, "leak")
	if fs.Active || !fs.Healed || fs.Fixed || fs.Ended != 15*time.Minute || fs.Strength != 0 {
		t.Errorf("fault state = %+v", fs)
	}
}

func TestStartFaultByCaller(t *testing.T) {
	dormant := &scenario.Fault{Name: "dormant", Service: ref(scenario.KindService, "api"), Ramp: 2 * time.Minute, ErrorRate: 0.2}
	sc := &scenario.Scenario{
		Duration: 30 * time.Minute,
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{dormant},
	}
	w := newWorld(t, sc)
	w.Advance(10 * time.Minute)
	if fs := mustFault(t, w, "dormant"); fs.Started {
		t.Fatalf("a fault without start or trigger started: %+v", fs)
	}
	// A time before the present is taken as the present.
	if err := w.StartFault(3*time.Minute, "dormant"); err != nil {
		t.Fatalf("StartFault: %v", err)
	}
	cs := w.Advance(11 * time.Minute)
	if s := only(cs, KindFaultStarted); len(s) != 1 || s[0].At != 10*time.Minute {
		t.Errorf("started = %+v, want one at 10m (the present)", s)
	}
	if got := mustService(t, w, "api").ErrorRate; !near(got, 0.1, 1e-12) {
		t.Errorf("error_rate at 11m = %v, want 0.1 (half of a 2m ramp)", got)
	}
	if err := w.StartFault(12*time.Minute, "dormant"); !errors.Is(err, ErrStarted) {
		t.Errorf("second StartFault = %v, want ErrStarted", err)
	}
	if err := w.StartFault(12*time.Minute, "nope"); !errors.Is(err, ErrUnknown) {
		t.Errorf("StartFault(unknown) = %v, want ErrUnknown", err)
	}
}

func TestStartFaultEarlierThanSchedule(t *testing.T) {
	sc := &scenario.Scenario{
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{faultAt("late", "api", 30*time.Minute, 0, 0.2)},
	}
	w := newWorld(t, sc)
	if err := w.StartFault(5*time.Minute, "late"); err != nil {
		t.Fatal(err)
	}
	cs := only(w.Advance(time.Hour), KindFaultStarted)
	if len(cs) != 1 || cs[0].At != 5*time.Minute {
		t.Errorf("started = %+v, want once, at 5m", cs)
	}
}
