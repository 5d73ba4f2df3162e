// Package session runs an exercise with bots in the seats no person holds:
// live, driven by a host on the wall clock and fed people's inputs, or
// headless as fast as possible (Run), or rebuilt from its input log
// (Replay). Every input, a person's or a bot's, goes through the
// exercise's one door; every event reaches the bots whose seats may see
// it, as those seats see it (engine.Event.For).
package session

import (
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/exercise"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Options set up a session.
type Options struct {
	Seed  uint64
	Skill bot.Skill
	// Humans are the seats people hold; bots take the others. None for a
	// simulation.
	Humans []engine.Seat
	// EndOnRestore ends the exercise once service is restored and
	// validated and every root cause is fixed.
	EndOnRestore bool
	// Limits bound the text people enter (engine.Limits).
	Limits engine.Limits
	// Choices makes the bots take these options (decision → option),
	// whatever their judgement: what-if batches.
	Choices map[string]string

	// observe, when set, sees every event each bot is shown, for tests.
	observe func(engine.Viewer, engine.Event)
	// fullEvaluation turns the story's incremental evaluation off, for
	// the test that it changes nothing.
	fullEvaluation bool
}

// player is a bot as the session drives it: it is shown events, says when
// it next wants to act, and decides.
type player interface {
	Viewer() engine.Viewer
	Actor() engine.Actor
	Observe(engine.Event)
	Next() (time.Duration, bool)
	Act(now time.Duration) []engine.Action
	Refused(engine.Action, error)
}

// Session is an exercise and its bots. It is not safe for concurrent use.
type Session struct {
	x       *exercise.Exercise
	players []player
}

// New prepares an exercise of sc and its bots; Start begins it.
func New(sc *scenario.Scenario, opts Options) (*Session, error) {
	if _, err := bot.ParseSkill(string(opts.Skill)); err != nil {
		return nil, err
	}
	x, err := exercise.New(sc, exercise.Options{Seed: opts.Seed, HasSeed: true, EndOnRestore: opts.EndOnRestore, Limits: opts.Limits, FullEvaluation: opts.fullEvaluation})
	if err != nil {
		return nil, err
	}
	s := &Session{x: x}
	dir := bot.LookUp(sc)
	for _, v := range bot.Cast(sc, opts.Humans) {
		b := dir.Seat(v, opts.Skill, opts.Seed)
		b.Force(opts.Choices)
		var p player = b
		if opts.observe != nil {
			p = watched{p, opts.observe}
		}
		s.players = append(s.players, p)
	}
	return s, nil
}

// Exercise returns the exercise the session runs.
func (s *Session) Exercise() *exercise.Exercise { return s.x }

// show hands each bot its copy of the events its seat may see.
func (s *Session) show(evs []engine.Event) []engine.Event {
	for _, ev := range evs {
		if ev.Kind == engine.KindTelemetry {
			// Bots read a dashboard by asking for it (query_telemetry), as
			// a person on call does; the stream of samples a console draws
			// is for people, and redacting it per bot cost a third of a
			// headless run.
			continue
		}
		for _, p := range s.players {
			if mine, ok := ev.For(p.Viewer(), s.x); ok {
				p.Observe(mine)
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
			evs, err := s.x.Apply(engine.Act(p.Actor(), a))
			if err != nil {
				p.Refused(a, err)
			}
			s.show(evs)
		}
	}
}

// Apply takes an input from outside the session (a person, the
// facilitator) at the present virtual time.
func (s *Session) Apply(in engine.Input) ([]engine.Event, error) {
	evs, err := s.x.Apply(in)
	return s.show(evs), err
}

// Run plays sc from start to end with bots in every seat no human holds, as
// fast as possible. Humans' seats stay empty, so a run with humans is a
// rehearsal of the bots' side only. The same scenario, seed and skill give
// the same event log.
func Run(sc *scenario.Scenario, opts Options) (*Session, error) {
	s, err := New(sc, opts)
	if err != nil {
		return nil, err
	}
	s.Start()
	for !s.x.Ended() {
		t, ok := s.NextAt()
		if !ok {
			break // the end is always scheduled: nothing left means it came
		}
		s.step(t)
	}
	return s, nil
}

// seatSeed derives a seat's own random source from the run's seed, so one
// bot's draws never shift another's.

// watched shows a test every event before the bot sees it.
type watched struct {
	player
	observe func(engine.Viewer, engine.Event)
}

func (w watched) Observe(ev engine.Event) {
	w.observe(w.Viewer(), ev)
	w.player.Observe(ev)
}
