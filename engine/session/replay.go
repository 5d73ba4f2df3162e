package session

import (
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Timed is an input and the virtual time it was applied at: one entry of an
// exercise's input log.
type Timed struct {
	At    time.Duration `json:"at"`
	Input engine.Input  `json:"input"`
}

// Replay rebuilds a session from its input log: it starts the exercise and
// applies each input at its virtual time, refusals included (a refusal is
// in the log, so replay must make it again). The same scenario, options and
// inputs give the same event log, byte for byte (ARCHITECTURE.md invariant 1),
// which is how a server resumes an exercise. The session is left at the
// last input's time; Advance takes it on.
func Replay(sc *scenario.Scenario, opts Options, inputs []Timed) (*Session, error) {
	s, err := New(sc, opts)
	if err != nil {
		return nil, err
	}
	s.Start()
	for i, in := range inputs {
		if in.At < s.x.Now() {
			return nil, fmt.Errorf("session: replay: input %d is at %v, before %v: inputs must be in time order", i+1, in.At, s.x.Now())
		}
		s.Advance(in.At)
		_, _ = s.Apply(in.Input)
	}
	return s, nil
}

// Now is the virtual time the session has reached.
func (s *Session) Now() time.Duration { return s.x.Now() }

// Log is every event so far; the caller must not modify it.
func (s *Session) Log() []engine.Event { return s.x.Log() }
