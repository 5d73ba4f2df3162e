package score

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// busyLog is full() padded to n events with what a busy exercise adds in
// bulk: chat, queries and incident updates, spread over the 90 minutes.
func busyLog(n int) []engine.Event { return busy(full(), n) }

// busy pads story s to n events the same way.
func busy(s story, n int) []engine.Event {
	base := len(s.log())
	for i := 0; i < n-base; i++ {
		at := time.Duration(i) * s.end / time.Duration(n)
		switch i % 4 {
		case 0, 1:
			s.events = append(s.events, ev(at, engine.KindChat, "ana", engine.ChatData{Channel: "group:claims", From: "ana", Text: "still failing"}))
		case 2:
			s.events = append(s.events, act(at, "kim", engine.RoleTechnician, engine.Action{Op: engine.OpQueryTelemetry, Service: "egress-proxy", Metric: "error_rate"}))
		case 3:
			s.events = append(s.events, act(at, "raj", engine.RoleTechnician, op(engine.OpUpdateIncident, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateAssigned)))
		}
	}
	return s.log()
}

func BenchmarkMeasures10k(b *testing.B) {
	log := busyLog(10_000)
	if len(log) != 10_000 {
		b.Fatalf("log has %d events, want 10000", len(log))
	}
	sc := egress()
	if _, err := Measures(sc, log); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Measures(sc, log); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScore10k scores a 10,000-event exercise (drillStory, padded
// like busyLog) into a whole Report: the review's budget is 200 ms for
// everything, scoring included.
func BenchmarkScore10k(b *testing.B) {
	log := busy(drillStory(), 10_000)
	if len(log) != 10_000 {
		b.Fatalf("log has %d events, want 10000", len(log))
	}
	sc := drill(b)
	if _, err := Score(sc, log); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(sc, log); err != nil {
			b.Fatal(err)
		}
	}
}
