package tui

import (
	"fmt"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// secondOfEvents is 50 events of the kinds a busy exercise sends: chat,
// injects, pages, record changes, query results and telemetry.
func secondOfEvents(seq uint64, at time.Duration) []Message {
	var out []Message
	for i := range 50 {
		s := seq + uint64(i)
		var data any
		switch i % 5 {
		case 0:
			data = engine.ChatData{Channel: "group:claims", From: "ana", Text: fmt.Sprintf("message %d about the proxy and what we see in the claims dashboards right now", s)}
		case 1:
			data = engine.InjectData{Name: "call", Channel: "phone", From: "Member Services", Text: "Reps say claim submission keeps spinning for half a minute and then fails."}
		case 2:
			data = engine.ActionData{Action: engine.Action{Op: engine.OpAssign, Record: "INC0001", Group: "claims"}, Records: []engine.RecordChange{
				incidentChange(engine.Incident{Number: fmt.Sprintf("INC%04d", s%40), Priority: 2, State: engine.StateAssigned, Group: "claims", ShortDescription: "Claims failing"})}}
		case 3:
			data = engine.ResultData{Query: engine.OpQueryLogs, Subject: "claims-api", Lines: []string{"WARN upstream egress-proxy: 45% errors", "ERROR 31.7% of requests failed"}}
		case 4:
			data = engine.PageData{Page: fmt.Sprintf("PG%04d", s%20), Alert: "claims-5xx", Group: "claims", Person: "raj"}
		}
		out = append(out, events(ev(s, at, "kim", data)))
	}
	out = append(out, telemetryMsg(at, engine.ServiceSample{Service: "claims-api", ErrorRate: 0.3, LatencyMS: 900}, engine.ServiceSample{Service: "egress-proxy", ErrorRate: 0.4, LatencyMS: 2400}))
	return out
}

// busyConsole is a player's console at 120×40 with a long feed (2000
// lines), records and services, as an hour into a busy exercise.
func busyConsole(b *testing.B) (*testConsole, uint64) {
	tc := newTestConsole(b, playerConsole, 120, 40)
	tc.apply(playerStory()...)
	seq := uint64(100)
	for range 40 {
		for _, m := range secondOfEvents(seq, time.Duration(seq)*time.Second) {
			tc.handleMsg(m)
		}
		seq += 50
	}
	return tc, seq
}

// BenchmarkDraw50EventsPerSecond is one second of a busy exercise as the
// loop handles it: 50 events and a telemetry frame folded into the model,
// then one redraw (the loop handles everything already waiting before it
// draws). One op is one second of events; it must stay far below the
// 20 ms a second that would make the console feel sluggish.
func BenchmarkDraw50EventsPerSecond(b *testing.B) {
	tc, seq := busyConsole(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, m := range secondOfEvents(seq, time.Duration(seq)*time.Second) {
			tc.handleMsg(m)
		}
		tc.draw()
		seq += 50
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/1e6, "ms/second-of-events")
}

// BenchmarkDrawEachOf50Events is the worst case: the 50 events arrive
// evenly spread, each in its own frame, so the loop redraws after every
// one. One op is still one second of events.
func BenchmarkDrawEachOf50Events(b *testing.B) {
	tc, seq := busyConsole(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, m := range secondOfEvents(seq, time.Duration(seq)*time.Second) {
			tc.handleMsg(m)
			tc.draw()
		}
		seq += 50
	}
	perSecond := float64(b.Elapsed()) / float64(b.N)
	b.ReportMetric(perSecond/1e6, "ms/second-of-events")
	b.ReportMetric(perSecond/51/1e3, "µs/draw")
}
