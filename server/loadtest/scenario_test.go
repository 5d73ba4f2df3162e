package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// TestGeneratedScenarioLoads checks that what the load generator sends is a
// valid scenario, and that its inject events are the size it aims at.
func TestGeneratedScenarioLoads(t *testing.T) {
	spec := scenarioSpec{name: "bench", players: 50, eventLen: 300, duration: 30 * time.Minute}
	for k := range 60 {
		spec.injects = append(spec.injects, timedInject{name: injectName("p", k), at: 3*time.Second + time.Duration(k)*100*time.Millisecond})
	}
	sc, diags := scenario.NewLoader().Load("bench.hcl", []byte(spec.hcl()))
	if diags.HasErrors() {
		t.Fatalf("generated scenario does not load:\n%s\n%s", diags.Error(), spec.hcl())
	}
	if got := len(sc.Injects); got != 60 {
		t.Fatalf("%d injects, want 60", got)
	}
	ev := engine.Event{Seq: 1234, At: 12345 * time.Millisecond, Kind: engine.KindInject, To: engine.Everyone(),
		Data: engine.InjectData{Name: "p0012", Channel: "chat", Text: injectText(300)}}
	b, _ := json.Marshal(ev)
	if len(b) < 280 || len(b) > 320 {
		t.Errorf("inject event is %d bytes, want about 300: %s", len(b), b)
	}
	if seq, at, kind, ok := scanEvent(b); !ok || seq != 1234 || at != int64(12345*time.Millisecond) || kind != "inject" {
		t.Errorf("scanEvent = %d, %d, %q, %v", seq, at, kind, ok)
	}
}
