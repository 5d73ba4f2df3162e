package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// codeHashOf is the hash of a request's code, as the store keeps it: from
// "Authorization: Bearer CODE", or, when query is set (the websocket),
// from the code query parameter, for browsers, which cannot set headers on
// a websocket. The HTTP API takes the header alone.
func codeHashOf(r *http.Request, query bool) (string, error) {
	code := bearer(r)
	if code == "" && query {
		code = r.URL.Query().Get("code")
	}
	if code == "" {
		return "", errUnauthorized
	}
	return hashCode(code), nil
}

// participant authenticates a code: it must belong to an exercise this
// server hosts, or to one it can load from the store, and to exercise
// want unless want is empty. The caller releases the host when done with
// it.
func (s *Server) participant(ctx context.Context, codeHash, want string) (*host, engine.Seat, error) {
	p, err := s.cfg.Store.ParticipantByCode(ctx, codeHash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, engine.Seat{}, errUnauthorized
	}
	if err != nil {
		s.metrics.storeErrors.WithLabelValues(storeOpRead).Inc()
		return nil, engine.Seat{}, err
	}
	if want != "" && p.ExerciseID != want {
		return nil, engine.Seat{}, &engine.Error{Code: engine.Forbidden, Reason: "that code belongs to another exercise"}
	}
	h, err := s.acquire(ctx, p.ExerciseID)
	if err != nil {
		return nil, engine.Seat{}, err
	}
	return h, seatIn(h.seats, p.Name, engine.Role(p.Role)), nil
}

var errUnauthorized = errors.New("a valid join or facilitator code is required")

// handleWS authenticates, then upgrades: a bad code never gets a socket.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	// The upgrader checks the origin too, but only after the code has
	// loaded its exercise: a page elsewhere gets nothing loaded.
	if !s.checkOrigin(r) {
		s.refuseHTTP(w, errForeignOrigin)
		return
	}
	codeHash, err := codeHashOf(r, true)
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
	s.metrics.connections.Inc()
	c := &client{h: h, conn: conn, codeHash: codeHash, viewer: st.Viewer(), you: you(st), out: newOutbox(s.queueBytes), burst: s.frameBurst}
	go c.writePump()
	go c.readPump(s)
}

// frame takes one client frame. It runs on the client's read pump.
func (s *Server) frame(c *client, msg []byte) {
	// The rate limit comes first, for every frame, and its refusals go
	// straight to the send queue: a flood of any kind, well-formed or not,
	// must not reach the exercise's loop, which serves everyone.
	if !c.allow() {
		s.metrics.refused.WithLabelValues(protocol.CodeRateLimited).Inc()
		c.refuseFlood(msg)
		return
	}
	received := c.lastCheck // allow read the clock just now
	c.refused = 0
	f, err := protocol.DecodeClient(msg)
	if err != nil {
		var de *protocol.DecodeError
		errors.As(err, &de)
		s.metrics.refused.WithLabelValues(refusedMalformed).Inc()
		e := protocol.ErrorFrom(de.ID, err)
		c.h.post(request{client: c, reject: &e})
		return
	}
	if f.Hello != nil {
		if c.hello {
			s.reject(c, "", engine.Conflict, "this connection already said hello; reconnect to resume from another point")
			return
		}
		c.hello = true
		c.h.post(request{client: c, join: &joinRequest{resumeAfter: f.Hello.ResumeAfter}})
		return
	}
	id := f.ID()
	if !c.hello {
		s.reject(c, id, engine.BadRequest, `say hello first: {"type":"hello"}`)
		return
	}
	in, err := inputOf(c.you, f)
	if err == nil {
		err = checkText(in, c.h.limits)
	}
	if err != nil {
		var ie *engine.Error
		errors.As(err, &ie)
		s.reject(c, id, ie.Code, ie.Reason)
		return
	}
	c.h.post(request{client: c, id: id, in: &in, received: received})
}

// reject answers a frame refused before it reaches the exercise.
func (s *Server) reject(c *client, id string, code engine.Code, reason string) {
	s.metrics.refused.WithLabelValues(string(code)).Inc()
	e := protocol.ErrorFrom(id, &engine.Error{Code: code, Reason: reason})
	c.h.post(request{client: c, reject: &e})
}

// inputOf is a participant's action, chat or control frame as the input
// it asks the exercise for, with the frame's id; the exercise's door
// checks the rest (permission, text, budgets). The role an action names
// must be one the participant holds.
func inputOf(y protocol.You, f protocol.ClientFrame) (engine.Input, error) {
	var in engine.Input
	switch {
	case f.Action != nil:
		role := f.Action.Role
		if role == "" {
			role = y.Role
		}
		if !role.Valid() {
			// Refused here: the engine checks the action's text, not its
			// actor's, and its refusal would log the role as it came.
			return engine.Input{}, engine.Refuse(engine.BadRequest, "", "", "%q is not a role", role)
		}
		if !mayAct(y, role) {
			return engine.Input{}, engine.Refuse(engine.Forbidden, "", "", "you do not hold the role %q in this exercise", role)
		}
		in = engine.Act(engine.Actor{Name: y.Name, Role: role}, f.Action.Action)
	case f.Chat != nil:
		in = engine.Say(engine.Actor{Name: y.Name, Role: y.Role}, f.Chat.Channel, f.Chat.Text)
	case f.Control != nil:
		var err error
		if in, err = controlInput(y, f.Control); err != nil {
			return engine.Input{}, engine.Refuse(engine.BadRequest, "", "", "%v", err)
		}
	default:
		return engine.Input{}, engine.Refuse(engine.BadRequest, "", "", "a frame of type hello, action, chat or control is needed")
	}
	in.Action.ID = f.ID()
	return in, nil
}

// controlInput is a facilitator's control frame as the input it asks the
// exercise for; the exercise's door decides whether the sender may.
func controlInput(y protocol.You, ctl *protocol.Control) (engine.Input, error) {
	a := engine.Action{}
	switch ctl.Control {
	case protocol.ControlPause:
		a.Op = engine.OpPause
	case protocol.ControlResume:
		a.Op = engine.OpResume
	case protocol.ControlSpeed:
		a.Op, a.Speed = engine.OpSetSpeed, ctl.Speed
	case protocol.ControlFire:
		a.Op, a.Inject = engine.OpFireInject, ctl.Inject
	case protocol.ControlEnd:
		a.Op = engine.OpEnd
	default:
		return engine.Input{}, errors.New("controls are pause, resume, speed, fire and end")
	}
	return engine.Act(engine.Actor{Name: y.Name, Role: y.Role}, a), nil
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
	if !c.out.put(outgoing{b: b}) {
		c.kicked = true
		c.h.post(request{client: c, kick: c.tooSlow()})
	}
}

// mayAct reports whether a participant may act in role: one they hold,
// or any for the facilitator; never for an observer.
func mayAct(y protocol.You, role engine.Role) bool {
	if y.Role == engine.RoleObserver {
		return false
	}
	return slices.Contains(y.Roles, role) || y.Facilitator
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
