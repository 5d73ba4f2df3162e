package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// codeOf reads a code from "Authorization: Bearer CODE", or from the code
// query parameter for browsers, which cannot set headers on websockets.
func codeOf(r *http.Request) string {
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	return r.URL.Query().Get("code")
}

// codeHashOf is the hash of a request's code, as the store keeps it.
func codeHashOf(r *http.Request) (string, error) {
	code := codeOf(r)
	if code == "" {
		return "", errUnauthorized
	}
	return hashCode(code), nil
}

// participant authenticates a code: it must belong to an exercise this
// server hosts, or to one it can load from the store, and to exercise
// want unless want is empty. The caller releases the host when done with
// it.
func (s *Server) participant(ctx context.Context, codeHash, want string) (*host, Seat, error) {
	p, err := s.cfg.Store.ParticipantByCode(ctx, codeHash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, Seat{}, errUnauthorized
	}
	if err != nil {
		return nil, Seat{}, err
	}
	if want != "" && p.ExerciseID != want {
		return nil, Seat{}, &incident.Error{Code: incident.Forbidden, Reason: "that code belongs to another exercise"}
	}
	h, err := s.acquire(ctx, p.ExerciseID)
	if err != nil {
		return nil, Seat{}, err
	}
	return h, seatIn(h.seats, p.Name, incident.Role(p.Role)), nil
}

var errUnauthorized = errors.New("a valid join or facilitator code is required")

// handleWS authenticates, then upgrades: a bad code never gets a socket.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	codeHash, err := codeHashOf(r)
	if err != nil {
		writeError(w, err)
		return
	}
	// Counted first: a connection over the limit must not load its
	// exercise from the store only to be refused.
	if err := s.openConn(codeHash); err != nil {
		writeError(w, err)
		return
	}
	h, st, err := s.participant(r.Context(), codeHash, "")
	if err != nil {
		s.closeConn(codeHash)
		writeError(w, err)
		return
	}
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.closeConn(codeHash)
		s.release(h)
		return // the upgrader has answered
	}
	if tc, ok := conn.NetConn().(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(s.socketBuffer)
	}
	c := &client{h: h, conn: conn, codeHash: codeHash, viewer: st.viewer(), you: st.you(), out: newOutbox(s.queueBytes)}
	go c.writePump()
	go c.readPump(s)
}

// frame takes one client frame. It runs on the client's read pump.
func (s *Server) frame(c *client, msg []byte) {
	// The rate limit comes first, for every frame, and its refusals go
	// straight to the send queue: a flood of any kind, well-formed or not,
	// must not reach the exercise's loop, which serves everyone.
	if !c.allow() {
		c.refuseFlood(msg)
		return
	}
	c.refused = 0
	f, err := protocol.DecodeClient(msg)
	if err != nil {
		var de *protocol.DecodeError
		errors.As(err, &de)
		e := protocol.ErrorFrom(de.ID, err)
		c.h.post(request{client: c, reject: &e})
		return
	}
	reject := func(id string, code incident.Code, reason string) {
		e := protocol.ErrorFrom(id, &incident.Error{Code: code, Reason: reason})
		c.h.post(request{client: c, reject: &e})
	}
	if f.Hello != nil {
		if c.hello {
			reject("", incident.Conflict, "this connection already said hello; reconnect to resume from another point")
			return
		}
		c.hello = true
		c.h.post(request{client: c, join: &joinRequest{resumeAfter: f.Hello.ResumeAfter}})
		return
	}
	id := f.ID()
	if !c.hello {
		reject(id, incident.BadRequest, `say hello first: {"type":"hello"}`)
		return
	}
	switch {
	case f.Action != nil:
		role := f.Action.Role
		if role == "" {
			role = c.you.Role
		}
		if !c.mayAct(role) {
			reject(id, incident.Forbidden, "you do not hold the role "+string(role)+" in this exercise")
			return
		}
		in := &input{Kind: "action", Actor: engine.Actor{Name: c.you.Name, Role: role}, Action: f.Action.Action}
		in.Action.ID = id
		c.h.post(request{client: c, id: id, in: in})
	case f.Chat != nil:
		in := &input{Kind: "action", Actor: engine.Actor{Name: c.you.Name, Role: c.you.Role},
			Action: engine.Action{ID: id, Op: incident.OpChat, Channel: f.Chat.Channel, Text: f.Chat.Text}}
		c.h.post(request{client: c, id: id, in: in})
	case f.Control != nil:
		s.control(c, id, f.Control)
	}
}

// refuseFlood answers a frame over the rate limit with rate_limited, from
// the read pump, and has the loop drop a client that goes on regardless.
func (c *client) refuseFlood(msg []byte) {
	if c.kicked {
		return
	}
	e := protocol.Error{Type: protocol.TypeError, ID: protocol.FrameID(msg), Code: protocol.CodeRateLimited,
		Message: "too many frames; at most " + strconv.Itoa(actionRate) + " a second"}
	c.refused++
	if c.refused > floodLimit {
		c.kicked = true
		c.h.post(request{client: c, reject: &e, kick: "flooding: " + strconv.Itoa(floodLimit) + " frames in a row over the rate limit"})
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	if !c.out.put(outgoing{b: b}, false) {
		c.kicked = true
		c.h.post(request{client: c, kick: c.tooSlow()})
	}
}

func (c *client) mayAct(role incident.Role) bool {
	if c.you.Role == incident.RoleObserver {
		return false
	}
	for _, r := range c.you.Roles {
		if r == role {
			return true
		}
	}
	return c.you.Facilitator
}

// control carries out a facilitator's control.
func (s *Server) control(c *client, id string, ctl *protocol.Control) {
	if !c.you.Facilitator {
		e := protocol.ErrorFrom(id, &incident.Error{Code: incident.Forbidden, Reason: "only the facilitator controls the exercise"})
		c.h.post(request{client: c, reject: &e})
		return
	}
	r := request{client: c, id: id}
	switch ctl.Control {
	case protocol.ControlPause, protocol.ControlResume:
		p := ctl.Control == protocol.ControlPause
		r.pause = &p
	case protocol.ControlSpeed:
		if ctl.Speed <= 0 {
			e := protocol.ErrorFrom(id, &incident.Error{Code: incident.BadRequest, Reason: "speed must be above zero, such as 1, 10 or 60"})
			r = request{client: c, reject: &e}
			break
		}
		r.speed = ctl.Speed
	case protocol.ControlFire:
		r.in = &input{Kind: "fire", Inject: ctl.Inject}
	case protocol.ControlEnd:
		r.in = &input{Kind: "end"}
	default:
		e := protocol.ErrorFrom(id, &incident.Error{Code: incident.BadRequest, Reason: "controls are pause, resume, speed, fire and end"})
		r = request{client: c, reject: &e}
	}
	c.h.post(r)
}

// DefaultConnsPerCode bounds the websockets one code may hold open: a seat
// is one person, or a few sharing a desk and a wall screen, and a code
// that leaked must not let anyone open thousands.
const DefaultConnsPerCode = 16

// errTooManyConns refuses a websocket past Config.ConnsPerCode.
var errTooManyConns = errors.New("too many connections")

// openConn counts a websocket of the code with hash h, if it may have one
// more.
func (s *Server) openConn(h string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[h] >= s.cfg.ConnsPerCode {
		return fmt.Errorf("%w: this code already has %d open; close one, or ask the facilitator for a seat of your own", errTooManyConns, s.cfg.ConnsPerCode)
	}
	s.conns[h]++
	return nil
}

func (s *Server) closeConn(h string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[h]--; s.conns[h] <= 0 {
		delete(s.conns, h)
	}
}
