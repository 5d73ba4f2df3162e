package server

import (
	"encoding/json"
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// backlogChunk is how many past events one resume frame carries.
const backlogChunk = 500

// post hands a request to the exercise's loop, or drops it when the loop
// has stopped. The first look at done matters: with room in reqs, a select
// of both would pick the queue half the time after the loop had gone.
func (h *host) post(r request) bool {
	select {
	case <-h.done:
		return false
	default:
	}
	select {
	case h.reqs <- r:
		return true
	case <-h.done:
		return false
	}
}

// seesAll reports whether a participant sees the whole exercise: the
// facilitator and observers.
func seesAll(v engine.Viewer) bool {
	return v.Role == engine.RoleFacilitator || v.Role == engine.RoleObserver
}

// join welcomes a connection and sends it every published event after
// resumeAfter it may see, before it hears anything live; events held for
// their commit reach it with everyone else's. Running in the loop, nothing can
// be published in between, so nothing is missed and nothing repeated.
func (h *host) join(c *client, resumeAfter uint64) {
	if c.gone {
		// Dropped before its hello was taken: its leave has come and gone,
		// so joining now would keep it in h.clients for good.
		return
	}
	x := h.exercise()
	c.sendBacklog(protocol.Welcome{
		Type: protocol.TypeWelcome, Exercise: h.id, Scenario: h.sc.Name, Title: h.sc.Title, You: c.you,
		Now: x.Now(), Speed: h.clk.Speed(), Paused: h.clk.Paused(), Ended: x.Ended(), LastSeq: h.published,
		Channels: channelsFor(h, c.viewer),
	})
	var backlog []engine.Event
	for _, e := range h.publishedLog() {
		if e.Seq <= resumeAfter {
			continue
		}
		if mine, ok := e.For(c.viewer, h.exercise()); ok {
			backlog = append(backlog, mine)
		}
	}
	for len(backlog) > 0 {
		n := min(len(backlog), backlogChunk)
		c.sendBacklog(protocol.Events{Type: protocol.TypeEvents, Events: backlog[:n]})
		backlog = backlog[n:]
	}
	h.clients[c] = struct{}{}
}

// publishedLog is the exercise's log up to the last published event.
func (h *host) publishedLog() []engine.Event {
	log := h.exercise().Log()
	n := len(log)
	for n > 0 && log[n-1].Seq > h.published {
		n--
	}
	return log[:n]
}

// publish sends every client its copy of each event (engine.Event.For,
// the one redaction). A copy is encoded once and shared by every client
// that receives the same one: the facilitators' whole event, the players'
// redacted one, and for telemetry each distinct set of services.
func (h *host) publish(events []engine.Event) {
	if n := len(events); n > 0 {
		h.published = events[n-1].Seq
	}
	if len(h.clients) == 0 {
		return
	}
	x := h.exercise()
	var shapes map[string][]byte
	for _, e := range events {
		clear(shapes)
		for c := range h.clients {
			mine, ok := e.For(c.viewer, x)
			if !ok {
				continue
			}
			key := shapeOf(mine, c.viewer)
			b, ok := shapes[key]
			if !ok {
				enc, err := json.Marshal(mine)
				if err != nil {
					continue
				}
				if shapes == nil {
					shapes = map[string][]byte{}
				}
				b, shapes[key] = enc, enc
			}
			c.put(outgoing{b: b, event: true}, false)
		}
	}
}

// shapeOf names the copy of an event a viewer received, so that clients
// receiving the same copy share one encoding.
func shapeOf(e engine.Event, v engine.Viewer) string {
	if v.Role == engine.RoleFacilitator {
		return "whole"
	}
	if d, ok := e.Data.(engine.TelemetryData); ok {
		var b strings.Builder
		for _, s := range d.Services {
			b.WriteString(s.Service)
			b.WriteByte(0)
		}
		return b.String()
	}
	return "participant"
}

// dropAll disconnects every client, saying why.
func (h *host) dropAll(reason string) {
	for c := range h.clients {
		c.drop(reason)
	}
}

// channelsFor lists the chat channels a participant reads.
func channelsFor(h *host, v engine.Viewer) []string {
	var out []string
	for _, g := range v.Groups {
		out = append(out, "group:"+g)
	}
	switch v.Role {
	case engine.RoleCommandCenter, engine.RoleIncidentManager, engine.RoleFacilitator, engine.RoleObserver:
		out = append(out, "command-center")
	}
	if seesAll(v) {
		for _, g := range h.sc.Groups {
			out = append(out, "group:"+g.Name)
		}
	}
	return out
}
