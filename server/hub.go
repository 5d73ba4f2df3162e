package server

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// A joining client's backlog is paged to it from the exercise's log: at
// most backlogPageEvents events or backlogPageBytes bytes at a time, the
// next page once its write pump has taken the last (outbox.more). Putting
// the whole backlog in its queue at once let sixteen sockets that join an
// exercise of 80 MB and never read hold over a gigabyte.
const (
	backlogPageEvents = 500
	backlogPageBytes  = 64 << 10
	// backlogScan bounds the events of the log one page looks at, so that
	// paging a seat that sees few of them does not hold the loop long.
	backlogScan = 4096
	// maxDeferred bounds the answers held for a client still catching up;
	// one that sends more while not reading its backlog is too slow.
	maxDeferred = 64
)

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

// join welcomes a connection, then pages it every published event after
// resumeAfter it may see, before it hears anything live; events held for
// their commit reach it with everyone else's. Running in the loop, nothing
// can be published between its last page and its first live event, so
// nothing is missed and nothing repeated.
func (h *host) join(c *client, resumeAfter uint64) {
	if c.gone {
		// Dropped before its hello was taken: its leave has come and gone,
		// so joining now would keep it in h.clients for good.
		return
	}
	if resumeAfter > h.published {
		h.metrics.refused.WithLabelValues(protocol.CodeBadRequest).Inc()
		c.sendFrame(protocol.Error{Type: protocol.TypeError, Code: protocol.CodeBadRequest, Message: fmt.Sprintf(
			"resume_after %d is beyond the last event of this exercise, %d: resume after at most %d, or 0 for the whole log", resumeAfter, h.published, h.published)})
		c.drop(fmt.Sprintf("resume_after %d is beyond the last event, %d", resumeAfter, h.published))
		return
	}
	x := h.exercise()
	c.sendFrame(protocol.Welcome{
		Type: protocol.TypeWelcome, Exercise: h.id, Scenario: h.sc.Name, Title: h.sc.Title, You: c.you,
		Now: x.Now(), Speed: h.clk.Speed(), Paused: h.clk.Paused(), Ended: x.Ended(), LastSeq: h.published,
		Channels: channelsFor(h, c.viewer),
	})
	if c.gone {
		return
	}
	h.log.Info("joined", "seat", c.you.Name, "role", c.you.Role, "resume_after", resumeAfter, "last_seq", h.published)
	h.clients[c] = struct{}{}
	c.catchingUp, c.cursor = true, resumeAfter
	h.page(c)
}

// page queues the next page of a catching-up client's backlog, and once it
// reaches the published log, makes the client live and sends it the
// answers held for it.
func (h *host) page(c *client) {
	if c.gone || !c.catchingUp {
		return
	}
	x := h.exercise()
	log := x.Log()
	limit := min(backlogPageBytes, c.out.limit/4)
	events, bytes, scanned := 0, 0, 0
	// Log entry i holds seq i+1.
	for c.cursor < h.published && events < backlogPageEvents && bytes < limit && scanned < backlogScan {
		e := log[c.cursor]
		c.cursor++
		scanned++
		mine, ok := e.For(c.viewer, x)
		if !ok {
			continue
		}
		b, err := json.Marshal(mine)
		if err != nil {
			continue
		}
		if !c.put(outgoing{b: b, event: true}) {
			return
		}
		events++
		bytes += len(b) + slotBytes
	}
	if c.cursor < h.published {
		c.out.wantMore()
		return
	}
	c.catchingUp = false
	for _, f := range c.deferred {
		if !c.put(f) {
			return
		}
	}
	c.deferred = nil
}

// sendAnswer queues the ack or error answering one of a client's inputs:
// after the events the input caused, which a client still catching up has
// not been sent yet.
func (c *client) sendAnswer(v any) {
	if !c.catchingUp {
		c.sendFrame(v)
		return
	}
	if c.gone {
		return
	}
	if len(c.deferred) >= maxDeferred {
		c.dropSlow()
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	c.deferred = append(c.deferred, outgoing{b: b})
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
			if c.catchingUp {
				continue // its pages reach this event in turn
			}
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
			c.put(outgoing{b: b, event: true})
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
