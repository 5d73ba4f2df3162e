package bot

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/exercise"
	"github.com/firedrill/firedrill/engine/scenario"
)

// RunOptions set up a headless run.
type RunOptions struct {
	Seed  uint64
	Skill Skill
	// Humans hold seats the bots leave free; none for a simulation.
	Humans []engine.Actor
	// EndOnRestore ends the exercise once service is restored and
	// validated.
	EndOnRestore bool

	// observe, when set, wraps every bot, so tests can watch what each one
	// is shown.
	observe func(engine.Viewer, engine.Event)
}

// player is a bot as the runner drives it.
type player interface {
	Viewer() engine.Viewer
	Actor() engine.Actor
	Observe(engine.Event)
	Next() (time.Duration, bool)
	Act(now time.Duration) []engine.Action
	Refused(engine.Action, error)
}

// Session is an exercise with bots in the seats no human holds: the
// headless runner drives it as fast as possible, the server drives it on the
// wall clock and feeds it people's actions. Everything goes through it so
// bots see every event their seat may see, whoever caused it. It is not safe
// for concurrent use.
type Session struct {
	x       *exercise.Exercise
	players []player
}

// NewSession prepares an exercise of sc and its bots; Start begins it.
func NewSession(sc *scenario.Scenario, opts RunOptions) (*Session, error) {
	if _, err := ParseSkill(string(opts.Skill)); err != nil {
		return nil, err
	}
	x, err := exercise.New(sc, exercise.Options{Seed: opts.Seed, HasSeed: true, EndOnRestore: opts.EndOnRestore})
	if err != nil {
		return nil, err
	}
	s := &Session{x: x}
	for _, v := range Cast(sc, opts.Humans) {
		var p player = New(v, opts.Skill, sc, seatSeed(opts.Seed, v))
		if opts.observe != nil {
			p = watched{p, opts.observe}
		}
		s.players = append(s.players, p)
	}
	return s, nil
}

// Exercise returns the exercise the session runs.
func (s *Session) Exercise() *exercise.Exercise { return s.x }

func (s *Session) show(evs []engine.Event) []engine.Event {
	for _, ev := range evs {
		for _, p := range s.players {
			if ev.To.Sees(p.Viewer()) {
				p.Observe(ev)
			}
		}
	}
	return evs
}

// Start begins the exercise and returns its opening events.
func (s *Session) Start() []engine.Event { return s.show(s.x.Start()) }

// NextAt is when something next happens: the exercise's next scheduled item
// or a bot's next move, whichever is first.
func (s *Session) NextAt() (time.Duration, bool) {
	t, ok := s.x.NextAt()
	if !ok {
		return 0, false
	}
	for _, p := range s.players {
		if at, ok := p.Next(); ok && at < t {
			t = at
		}
	}
	return max(t, s.x.Now()), true
}

// Advance runs everything due up to and including virtual time to: the
// exercise's items and the bots' moves, in time order, bot by bot in cast
// order at the same instant.
func (s *Session) Advance(to time.Duration) []engine.Event {
	mark := len(s.x.Log())
	for !s.x.Ended() {
		t, ok := s.NextAt()
		if !ok || t > to {
			break
		}
		s.step(t)
	}
	if !s.x.Ended() {
		s.show(s.x.Advance(to))
	}
	return s.x.Log()[mark:]
}

func (s *Session) step(t time.Duration) {
	s.show(s.x.Advance(t))
	for _, p := range s.players {
		if s.x.Ended() {
			return
		}
		if at, ok := p.Next(); !ok || at > t {
			continue
		}
		for _, a := range p.Act(t) {
			evs, err := s.x.Apply(p.Actor(), a)
			if err != nil {
				p.Refused(a, err)
			}
			s.show(evs)
		}
	}
}

// Apply takes a person's action at the present virtual time.
func (s *Session) Apply(actor engine.Actor, a engine.Action) ([]engine.Event, error) {
	evs, err := s.x.Apply(actor, a)
	return s.show(evs), err
}

// FireInject delivers an inject now, for a facilitator.
func (s *Session) FireInject(name string) ([]engine.Event, error) {
	evs, err := s.x.FireInject(name)
	return s.show(evs), err
}

// End stops the exercise, for a facilitator.
func (s *Session) End(reason string) []engine.Event { return s.show(s.x.End(reason)) }

// Run plays sc from start to end with bots in every seat no human holds, as
// fast as possible. Humans' seats stay empty, so a run with humans is a
// rehearsal of the bots' side only. The same scenario, seed and skill give
// the same event log.
func Run(sc *scenario.Scenario, opts RunOptions) (*exercise.Exercise, error) {
	s, err := NewSession(sc, opts)
	if err != nil {
		return nil, err
	}
	s.Start()
	for !s.x.Ended() {
		t, ok := s.NextAt()
		if !ok {
			s.End("facilitator")
			break
		}
		s.step(t)
	}
	return s.x, nil
}

// seatSeed derives a seat's own random source from the run's seed, so one
// bot's draws never shift another's.
func seatSeed(seed uint64, v engine.Viewer) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s/%s", seed, v.Role, v.Name)
	return h.Sum64()
}

// watched shows a test every event before the bot sees it.
type watched struct {
	player
	observe func(engine.Viewer, engine.Event)
}

func (w watched) Observe(ev engine.Event) {
	w.observe(w.Viewer(), ev)
	w.player.Observe(ev)
}
