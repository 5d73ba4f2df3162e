package world

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// recovering is one service with a fault of error rate 0.4 that recovers
// over 4m, a remedy that mitigates it and one that fixes it. The baseline
// error rate is 0, so samples carry no noise.
func recovering(ramp, healsAfter time.Duration) *scenario.Scenario {
	f := faultAt("leak", "api", 5*time.Minute, ramp, 0.4)
	f.HealsAfter = healsAfter
	f.RecoversOver = 4 * time.Minute
	f.MitigatedBy = refs(scenario.KindRemedy, "drain")
	f.FixedBy = refs(scenario.KindRemedy, "patch")
	return &scenario.Scenario{
		Duration: 60 * time.Minute,
		Services: []*scenario.Service{svc("api", 100, 0, 100)},
		Faults:   []*scenario.Fault{f},
		Remedies: []*scenario.Remedy{
			{Name: "drain", Service: ref(scenario.KindService, "api"), Takes: time.Minute},
			{Name: "patch", Service: ref(scenario.KindService, "api"), Takes: time.Minute},
		},
	}
}

// TestRecoveryRampsDown: however a fault stops (it heals, is fixed or is
// mitigated, even mitigated and then fixed), its error rate falls linearly
// from where it was to 0 over RecoversOver, and one change says when it
// reached 0.
func TestRecoveryRampsDown(t *testing.T) {
	type sample struct {
		at       time.Duration
		errRate  float64
		inEffect bool
	}
	for _, tc := range []struct {
		name       string
		ramp, heal time.Duration
		remedies   map[time.Duration]string // applied at; each takes 1m
		recovered  time.Duration
		samples    []sample
	}{
		{
			name: "heals", heal: 10 * time.Minute, recovered: 19 * time.Minute,
			samples: []sample{
				{14*time.Minute + 50*time.Second, 0.4, true},
				{15 * time.Minute, 0.4, true}, // healed at 15m: the fade starts from full
				{16 * time.Minute, 0.3, true},
				{17 * time.Minute, 0.2, true},
				{18 * time.Minute, 0.1, true},
				{19 * time.Minute, 0, false},
				{25 * time.Minute, 0, false},
			},
		},
		{
			name: "fixed", remedies: map[time.Duration]string{9 * time.Minute: "patch"}, recovered: 14 * time.Minute,
			samples: []sample{
				{10 * time.Minute, 0.4, true},
				{12 * time.Minute, 0.2, true},
				{14 * time.Minute, 0, false},
			},
		},
		{
			name: "mitigated", remedies: map[time.Duration]string{9 * time.Minute: "drain"}, recovered: 14 * time.Minute,
			samples: []sample{
				{11 * time.Minute, 0.3, true},
				{14 * time.Minute, 0, false},
			},
		},
		{
			name:      "mitigated then fixed keeps falling from the mitigation",
			remedies:  map[time.Duration]string{9 * time.Minute: "drain", 11 * time.Minute: "patch"},
			recovered: 14 * time.Minute,
			samples: []sample{
				{12 * time.Minute, 0.2, true},
				{13 * time.Minute, 0.1, true},
				{14 * time.Minute, 0, false},
			},
		},
		{
			name: "fixed halfway up its ramp falls from half", ramp: 10 * time.Minute,
			remedies: map[time.Duration]string{9 * time.Minute: "patch"}, recovered: 14 * time.Minute,
			samples: []sample{
				{10 * time.Minute, 0.2, true}, // half of the ramp: 0.5 × 0.4
				{11 * time.Minute, 0.15, true},
				{13 * time.Minute, 0.05, true},
				{14 * time.Minute, 0, false},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, recovering(tc.ramp, tc.heal))
			var cs []Change
			for at := time.Duration(0); at <= 30*time.Minute; at += Tick {
				cs = append(cs, w.Advance(at)...)
				if r, ok := tc.remedies[at]; ok {
					mustApply(t, w, at, r)
				}
			}
			rec := only(cs, KindFaultRecovered)
			if len(rec) != 1 || rec[0].At != tc.recovered || rec[0].Fault != "leak" || rec[0].Service != "api" {
				t.Errorf("recovered changes = %+v, want one at %v", rec, tc.recovered)
			}
			got := mustFault(t, w, "leak")
			if got.InEffect || got.Impact != 0 {
				t.Errorf("fault at the end = %+v, want recovered", got)
			}
			for _, s := range tc.samples {
				pts := w.Series("api", scenario.MetricErrorRate, s.at, s.at)
				if len(pts) != 1 || !near(pts[0].Value, s.errRate, 1e-9) {
					t.Errorf("error_rate at %v = %+v, want %v", s.at, pts, s.errRate)
				}
			}
			// InEffect and Impact at the present, replayed step by step.
			w = newWorld(t, recovering(tc.ramp, tc.heal))
			for _, s := range tc.samples {
				for at := w.Now(); at <= s.at; at += Tick {
					w.Advance(at)
					if r, ok := tc.remedies[at]; ok {
						mustApply(t, w, at, r)
					}
				}
				f := mustFault(t, w, "leak")
				if f.InEffect != s.inEffect || !near(f.Impact, s.errRate/0.4, 1e-9) {
					t.Errorf("at %v: in effect %v, impact %v; want %v, %v", s.at, f.InEffect, f.Impact, s.inEffect, s.errRate/0.4)
				}
			}
		})
	}
}

// TestRecoveryKeepsServiceUnhealthyUntilBelowThreshold: the health verdict
// follows the ramp down; the fault itself is over (not active) at once.
func TestRecoveryKeepsServiceUnhealthyUntilBelowThreshold(t *testing.T) {
	sc := recovering(0, 10*time.Minute)
	sc.Faults[0].ErrorRate = 0.05
	w := newWorld(t, sc)
	cs := w.Advance(30 * time.Minute)
	healthy := only(cs, KindServiceHealthy)
	// 0.05 falling over 4m from 15m is at or under 0.01 (the threshold for
	// a baseline of 0) from 18m12s: the sample at 18m20s is the first.
	if len(healthy) != 1 || healthy[0].At != 18*time.Minute+20*time.Second {
		t.Errorf("healthy changes = %+v, want one at 18m20s", healthy)
	}
	if f := mustFault(t, w, "leak"); f.Active || !f.Healed || f.Strength != 0 {
		t.Errorf("fault = %+v, want healed, inactive, strength 0", f)
	}
}

// TestNoRecoveryStopsAtOnce: without RecoversOver, nothing changes from
// before recoveries existed: the effect is gone at the next sample and no
// recovered change is reported.
func TestNoRecoveryStopsAtOnce(t *testing.T) {
	sc := recovering(0, 10*time.Minute)
	sc.Faults[0].RecoversOver = 0
	w := newWorld(t, sc)
	cs := w.Advance(30 * time.Minute)
	if rec := only(cs, KindFaultRecovered); len(rec) != 0 {
		t.Errorf("recovered changes without recovers_over: %+v", rec)
	}
	if pts := w.Series("api", scenario.MetricErrorRate, 15*time.Minute, 15*time.Minute); len(pts) != 1 || pts[0].Value != 0 {
		t.Errorf("error_rate at 15m = %+v, want 0", pts)
	}
	if f := mustFault(t, w, "leak"); f.InEffect {
		t.Errorf("fault = %+v, want not in effect", f)
	}
}
