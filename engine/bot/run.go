package bot

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/firedrill/firedrill/engine"
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

// Run plays sc from start to end with bots in every seat no human holds:
// it advances the exercise to whichever comes first, its next scheduled
// happening or a bot's next move; shows every new event to the bots whose
// seat sees it; and applies the actions of the bots whose time has come,
// bot by bot in cast order. Humans' seats stay empty, so a run with humans
// is a rehearsal of the bots' side only. The same scenario, seed and skill
// give the same event log.
func Run(sc *scenario.Scenario, opts RunOptions) (*engine.Exercise, error) {
	if _, err := ParseSkill(string(opts.Skill)); err != nil {
		return nil, err
	}
	x, err := engine.New(sc, engine.Options{Seed: opts.Seed, HasSeed: true, EndOnRestore: opts.EndOnRestore})
	if err != nil {
		return nil, err
	}
	var players []player
	for _, v := range Cast(sc, opts.Humans) {
		var p player = New(v, opts.Skill, sc, seatSeed(opts.Seed, v))
		if opts.observe != nil {
			p = watched{p, opts.observe}
		}
		players = append(players, p)
	}
	show := func(evs []engine.Event) {
		for _, ev := range evs {
			for _, p := range players {
				if ev.To.Sees(p.Viewer()) {
					p.Observe(ev)
				}
			}
		}
	}
	show(x.Start())
	for !x.Ended() {
		t, ok := x.NextAt()
		if !ok {
			show(x.End("facilitator"))
			break
		}
		for _, p := range players {
			if at, ok := p.Next(); ok && at < t {
				t = at
			}
		}
		t = max(t, x.Now())
		show(x.Advance(t))
		for _, p := range players {
			if x.Ended() {
				break
			}
			if at, ok := p.Next(); !ok || at > t {
				continue
			}
			for _, a := range p.Act(t) {
				evs, err := x.Apply(p.Actor(), a)
				if err != nil {
					p.Refused(a, err)
				}
				show(evs)
			}
		}
	}
	return x, nil
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
