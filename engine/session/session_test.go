package session

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
)

func encodeLog(t *testing.T, log []engine.Event) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, e := range log {
		if err := enc.Encode(e); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestSessionInStepsMatchesRun: the server advances a session in whatever
// steps its wall clock allows; the log must not depend on them.
func TestSessionInStepsMatchesRun(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	opts := Options{Seed: 9, Skill: bot.Practiced, EndOnRestore: true}
	x, err := Run(sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []time.Duration{time.Second, 7 * time.Second, 95 * time.Second} {
		s, err := New(sc, opts)
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		for now := time.Duration(0); !s.Exercise().Ended(); now += step {
			s.Advance(now)
		}
		if !bytes.Equal(encodeLog(t, x.Log()), encodeLog(t, s.Exercise().Log())) {
			t.Fatalf("advancing in steps of %s changed the log", step)
		}
	}
}

// TestIncrementalEqualsFull: evaluating only the conditions whose facts
// changed gives the same log, byte for byte, as evaluating every condition
// at every check, over every built-in scenario and skill.
func TestIncrementalEqualsFull(t *testing.T) {
	seeds := uint64(4)
	if testing.Short() {
		seeds = 1
	}
	for _, sc := range library(t) {
		for _, skill := range bot.Skills() {
			for seed := uint64(1); seed <= seeds; seed++ {
				inc := run(t, sc, Options{Seed: seed, Skill: skill})
				full := run(t, sc, Options{Seed: seed, Skill: skill, fullEvaluation: true})
				a, _ := json.Marshal(inc.Log())
				b, _ := json.Marshal(full.Log())
				if !bytes.Equal(a, b) {
					t.Errorf("%s %s seed %d: incremental and full evaluation logs differ (%d and %d events)", sc.Name, skill, seed, len(inc.Log()), len(full.Log()))
				}
			}
		}
	}
}
