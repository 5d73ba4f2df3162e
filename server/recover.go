package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/session"
	"github.com/firedrill/firedrill/server/store"
)

// Recover resumes every exercise the store has as running or paused and
// nobody hosts: it replays each one's inputs at their virtual times, which
// rebuilds the exercise exactly, checks it against the stored log, and
// carries on from the end of the stored log (a running one publishAhead
// later, see pipeline.go). It returns how many it resumed.
//
// On PostgreSQL, where servers share exercises, it then goes on looking
// every Config.TakeoverEvery, so the exercises of a server that stopped
// move to a live one without waiting for their players.
func (s *Server) Recover(ctx context.Context) (int, error) {
	n, err := s.adopt(ctx, "resumed")
	if err != nil {
		return n, err
	}
	if every := s.cfg.TakeoverEvery; every > 0 && s.cfg.Store.Shared() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.closing && !s.adopting {
			s.adopting = true
			s.wg.Add(1)
			go s.keepAdopting(every)
		}
	}
	return n, nil
}

// keepAdopting runs adopt every period until the server shuts down.
func (s *Server) keepAdopting(every time.Duration) {
	defer s.wg.Done()
	for {
		t := s.cfg.Clock.NewTimer(every)
		select {
		case <-s.ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
		// Our own claims first: if their session died, take them back
		// before looking for, and maybe taking, other servers'.
		if err := s.cfg.Store.CheckClaims(s.ctx); err != nil && s.ctx.Err() == nil {
			s.cfg.Logger.Warn("cannot check this server's claims", "err", err)
		}
		if _, err := s.adopt(s.ctx, "taken over"); err != nil && s.ctx.Err() == nil {
			s.cfg.Logger.Warn("cannot look for exercises nobody hosts", "err", err)
		}
	}
}

// adopt resumes the running and paused exercises that no server hosts;
// why says, for the log, whether this server is starting ("resumed") or
// taking over a stopped server's ("taken over").
func (s *Server) adopt(ctx context.Context, why string) (int, error) {
	n := 0
	for _, state := range []string{store.StateRunning, store.StatePaused} {
		exs, err := s.cfg.Store.Exercises(ctx, state)
		if err != nil {
			s.metrics.storeErrors.WithLabelValues(storeOpRead).Inc()
			return n, fmt.Errorf("server: recover: %w", err)
		}
		for _, ex := range exs {
			err := s.adoptOne(ctx, ex.ID, why)
			switch {
			case errors.Is(err, errHostedElsewhere), errors.Is(err, errAlreadyHere):
				continue
			case errors.Is(err, errServerClosing), ctx.Err() != nil:
				return n, nil // shutting down: nothing more to adopt
			case errors.Is(err, ErrAtCapacity):
				// Left for a server with room, or for later.
				s.cfg.Logger.Warn("exercises left unhosted: this server is at its limit", "limit", s.cfg.MaxExercises)
				return n, nil
			case err != nil:
				s.reportUnresumable(ex.ID, err)
				continue
			}
			n++
		}
	}
	return n, nil
}

// errAlreadyHere: adoptOne found the exercise hosted, or leaving, here.
var errAlreadyHere = errors.New("hosted here")

// adoptOne resumes exercise id unless this server has it already; under
// s.loading, like a load on demand, so the two never race for one claim.
func (s *Server) adoptOne(ctx context.Context, id, why string) error {
	s.loading.Lock()
	defer s.loading.Unlock()
	s.mu.Lock()
	here := s.hosts[id] != nil || s.leaving[id] != nil
	s.mu.Unlock()
	if here {
		return errAlreadyHere
	}
	return s.resume(ctx, id, why)
}

// reportUnresumable logs an exercise that cannot be resumed, once per
// server, rather than at every look.
func (s *Server) reportUnresumable(id string, err error) {
	s.mu.Lock()
	seen := s.unresumable[id]
	s.unresumable[id] = true
	s.mu.Unlock()
	if !seen {
		s.cfg.Logger.Error("cannot resume exercise", "exercise", id, "err", err)
	}
}

// errHostedElsewhere: another server sharing the database holds the
// exercise's claim.
var errHostedElsewhere = &engine.Error{Code: engine.NotFound,
	Reason: "that exercise is hosted by another server sharing this database; connect to that one"}

// resume claims a stored exercise, so no other server sharing the database
// hosts it too, and hosts it from its log, in whatever state the log left
// it. The claim is given up when the exercise cannot be resumed, and when
// its loop ends. why is for the log: resumed, taken over, loaded.
func (s *Server) resume(ctx context.Context, id, why string) error {
	release, err := s.reserve()
	if err != nil {
		return err
	}
	defer release()
	ok, err := s.cfg.Store.Claim(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return errHostedElsewhere
	}
	// Read after the claim: the state the last server to host it left.
	ex, err := s.cfg.Store.Exercise(ctx, id)
	if err == nil {
		err = s.rehost(ctx, ex, why)
	}
	if err != nil {
		if err := s.cfg.Store.Unclaim(context.WithoutCancel(ctx), id); err != nil {
			s.cfg.Logger.Warn("claim not given up", "exercise", id, "err", err)
		}
		return err
	}
	return nil
}

// rehost rebuilds a claimed exercise from its log and starts its loop.
func (s *Server) rehost(ctx context.Context, ex store.Exercise, why string) error {
	name, src, err := s.cfg.Store.Scenario(ctx, ex.ScenarioHash)
	if err != nil {
		return err
	}
	sc, diags := scenario.NewLoader().Load(name+".hcl", src)
	if diags.HasErrors() {
		return fmt.Errorf("stored scenario no longer loads: %s", diags.Error())
	}
	var o options
	if err := json.Unmarshal(ex.Options, &o); err != nil {
		return fmt.Errorf("stored options: %w", err)
	}
	parts, err := s.cfg.Store.Participants(ctx, ex.ID)
	if err != nil {
		return err
	}
	var humans []engine.Seat
	all := seatsByName(sc)
	for _, p := range parts {
		role := engine.Role(p.Role)
		if role != engine.RoleFacilitator && role != engine.RoleObserver {
			humans = append(humans, seatIn(all, p.Name, role))
		}
	}
	inputs, err := s.cfg.Store.Inputs(ctx, ex.ID)
	if err != nil {
		return err
	}
	last, err := s.cfg.Store.LastSeq(ctx, ex.ID)
	if err != nil {
		return err
	}
	tail, err := s.cfg.Store.Events(ctx, ex.ID, max(last, 1)-1, 0)
	if err != nil {
		return err
	}
	timed := make([]session.Timed, len(inputs))
	for i, in := range inputs {
		timed[i].At = time.Duration(in.At)
		if err := json.Unmarshal(in.Action, &timed[i].Input); err != nil {
			return fmt.Errorf("input %d: %w", in.Seq, err)
		}
	}
	sess, err := session.Replay(sc, sessionOptions(ex, humans, o), timed)
	if err != nil {
		return err
	}
	h, err := s.newHost(ex, sc, sess, o.limits())
	if err != nil {
		return err
	}
	if n := len(inputs); n > 0 {
		h.inputSeq = inputs[n-1].Seq
	}
	// The durable log ends at the later of its last event and last input.
	var durableAt time.Duration
	if len(tail) > 0 {
		durableAt = time.Duration(tail[len(tail)-1].At)
	}
	if n := len(inputs); n > 0 {
		durableAt = max(durableAt, time.Duration(inputs[n-1].At))
	}
	h.sess.Advance(durableAt)
	log := h.exercise().Log()
	if uint64(len(log)) < last {
		return fmt.Errorf("replay rebuilt %d events, the store has %d: the log and the engine disagree", len(log), last)
	}
	if last > 0 {
		// The last stored event, rebuilt, must be the same bytes.
		got, err := json.Marshal(log[last-1])
		if err != nil || !bytes.Equal(got, tail[len(tail)-1].Body) {
			return fmt.Errorf("replay rebuilt event %d differently from the store: the log and the engine disagree", last)
		}
	}
	h.persisted, h.published, h.durableAt = last, last, durableAt
	if ex.State == store.StateRunning {
		// Players may have seen events up to publishAhead past the durable
		// log (pipeline.go): rebuild them all before any new input can
		// come in between. A paused exercise made its log durable before
		// it paused, so it resumes where the log ends.
		h.sess.Advance(durableAt + publishAhead)
	}
	// Events the replay produced beyond the store's were never committed:
	// they are committed and published now, as the loop would have.
	extra := h.exercise().Log()[last:]
	if err := h.clk.Jump(h.exercise().Now()); err != nil {
		return err
	}
	if ex.State == store.StatePaused {
		h.clk.Pause()
	}
	if ex.State == store.StateEnded {
		h.endedAt = s.cfg.Clock.Now()
	}
	h.record(nil, extra, nil)
	h.settle()
	if h.broken != nil {
		return h.broken
	}
	h.endDurable = h.exercise().Ended()
	if err := s.start(h); err != nil {
		return err
	}
	s.cfg.Logger.Info("exercise "+why, "exercise", ex.ID, "state", ex.State, "inputs", len(inputs), "events", last)
	return nil
}
