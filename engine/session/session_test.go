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
