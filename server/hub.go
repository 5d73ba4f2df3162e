package server

import (
	"encoding/json"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
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
	return v.Role == incident.RoleFacilitator || v.Role == incident.RoleObserver
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
		if e.Seq > resumeAfter && e.To.Sees(c.viewer) {
			backlog = append(backlog, h.shown(e, c.viewer))
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

// shown is an event as a participant receives it: players do not get the
// ground truth an inject carries for scoring (what a good service desk
// records from it).
func (h *host) shown(e engine.Event, v engine.Viewer) engine.Event {
	if d, ok := e.Data.(engine.InjectData); ok && !seesAll(v) && d.Record != "" {
		d.Record = ""
		e.Data = d
	}
	return e
}

// publish sends events to every client that may see them. Each event is
// encoded once per shape (full, or stripped for players) and shared by all
// the clients that receive it.
func (h *host) publish(events []engine.Event) {
	if n := len(events); n > 0 {
		h.published = events[n-1].Seq
	}
	if len(h.clients) == 0 {
		return
	}
	for _, e := range events {
		if e.Kind == engine.KindTelemetry {
			h.publishTelemetry(e)
		}
		var full, stripped []byte
		for c := range h.clients {
			if !e.To.Sees(c.viewer) {
				continue
			}
			var b *[]byte
			if seesAll(c.viewer) {
				b = &full
			} else {
				b = &stripped
			}
			if *b == nil {
				enc, err := json.Marshal(h.shown(e, c.viewer))
				if err != nil {
					continue
				}
				*b = enc
			}
			c.put(outgoing{b: *b, event: true}, false)
		}
	}
}

// publishTelemetry sends each player the services they may watch.
func (h *host) publishTelemetry(e engine.Event) {
	d, ok := e.Data.(engine.TelemetryData)
	if !ok {
		return
	}
	for c := range h.clients {
		var mine []engine.ServiceSample
		for _, s := range d.Services {
			if h.exercise().MayWatch(c.viewer, s.Service) {
				mine = append(mine, s)
			}
		}
		if len(mine) > 0 {
			c.sendFrame(protocol.Telemetry{Type: protocol.TypeTelemetry, At: e.At, Services: mine})
		}
	}
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
	case incident.RoleCommandCenter, incident.RoleIncidentManager, incident.RoleFacilitator, incident.RoleObserver:
		out = append(out, "command-center")
	}
	if seesAll(v) {
		for _, g := range h.sc.Groups {
			out = append(out, "group:"+g.Name)
		}
	}
	return out
}
