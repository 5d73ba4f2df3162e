package report

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/session"
)

// busyLog is a real run of the golden scenario padded to n events with
// what a busy exercise adds in bulk, spread over its whole length: chat,
// telemetry queries, status updates (which land in the timeline and the
// comms table) and the stakeholder's injects (timeline and chart markers).
// The padding keeps the log valid, so Score reads all of it.
func busyLog(t testing.TB, n int) []engine.Event {
	t.Helper()
	sc := load(t, goldenScenario)
	s, err := session.Run(sc, session.Options{Seed: 7, Skill: bot.Practiced})
	x := s.Exercise()
	if err != nil {
		t.Fatal(err)
	}
	base := x.Log()
	end := len(base) - 1
	for end > 0 && base[end].Kind != engine.KindEnded {
		end--
	}
	span := base[end].At
	pad := n - len(base)
	extra := make([]engine.Event, 0, pad)
	for i := range pad {
		at := time.Duration(i) * span / time.Duration(pad)
		var e engine.Event
		switch i % 8 {
		case 0, 1, 2, 3:
			e = engine.Event{At: at, Kind: engine.KindChat, Actor: "raj", To: engine.ToGroup("claims"),
				Data: engine.ChatData{Channel: "group:claims", From: "raj", Text: "still failing on our side"}}
		case 4, 5:
			e = engine.Event{At: at, Kind: engine.KindAction, Actor: "priya", To: engine.ToPerson("priya"),
				Data: engine.ActionData{Role: engine.RoleTechnician, Action: engine.Action{Op: engine.OpQueryTelemetry, Service: "egress-proxy", Metric: "error_rate"}}}
		case 6:
			e = engine.Event{At: at, Kind: engine.KindAction, Actor: "cc-bot", To: engine.Everyone(),
				Data: engine.ActionData{Role: engine.RoleCommandCenter, Action: engine.Action{Op: engine.OpStatusUpdate, Text: fmt.Sprintf("Update %d: still investigating.", i)}}}
		case 7:
			e = engine.Event{At: at, Kind: engine.KindInject, To: engine.ToRole(engine.RoleIncidentManager),
				Data: engine.InjectData{Name: "vp-asks", Channel: "chat", From: "Marta Olsen", Text: "Any news?"}}
		}
		extra = append(extra, e)
	}
	// Merge by time, the padding after the run's events at the same
	// instant, and renumber: sequence numbers must rise.
	out := make([]engine.Event, 0, n)
	i, j := 0, 0
	for i < end || j < len(extra) {
		if j < len(extra) && (i >= end || extra[j].At < base[i].At) {
			out = append(out, extra[j])
			j++
		} else {
			out = append(out, base[i])
			i++
		}
	}
	out = append(out, base[end:]...)
	for k := range out {
		out[k].Seq = uint64(k + 1)
	}
	return out
}

// BenchmarkReport10k scores a 10,000-event exercise and renders every
// format of its review, as `firedrill report` would for each format.
func BenchmarkReport10k(b *testing.B) {
	log := busyLog(b, 10_000)
	if len(log) != 10_000 {
		b.Fatalf("log has %d events, want 10000", len(log))
	}
	sc := load(b, goldenScenario)
	meta := fixture(b).Meta
	b.ReportAllocs()
	for b.Loop() {
		rep, err := score.Score(sc, log)
		if err != nil {
			b.Fatal(err)
		}
		in := Input{Scenario: sc, Log: log, Report: rep, Meta: meta}
		for _, format := range Formats {
			if err := Write(io.Discard, format, in); err != nil {
				b.Fatal(err)
			}
		}
	}
}
