package exercise

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// withHypotheses is the small scenario with a plausible wrong hypothesis on
// the failing service, beside the one its root-cause fault implies.
func withHypotheses(t *testing.T) *scenario.Scenario {
	t.Helper()
	src, err := os.ReadFile("../scenario/testdata/valid/small.hcl")
	if err != nil {
		t.Fatal(err)
	}
	extra := []byte(`
  hypothesis "ddos" {
    title   = "A DDoS from a botnet; nothing to do with our deploy"
    service = service.checkout
  }
}
`)
	i := bytes.LastIndexByte(src, '}')
	src = append(src[:i:i], extra...)
	sc, diags := scenario.NewLoader().Load("small-hypotheses.hcl", src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return sc
}

// A claim names a hypothesis; it is right only when the hypothesis
// describes a root cause that has started. The wrong explanation on the
// right service is a wrong claim (the review once credited "a DDoS" on the
// deploy's service as the identification).
func TestClaims(t *testing.T) {
	ana := engine.Actor{Name: "ana", Role: engine.RoleTechnician} // shop
	kim := engine.Actor{Name: "kim", Role: engine.RoleTechnician} // dba
	tests := []struct {
		name    string
		by      engine.Actor
		action  engine.Action
		code    engine.Code // refused with it; "" when the claim is logged
		correct bool
	}{
		{"the right hypothesis", ana, engine.Action{Hypothesis: "bad-deploy", Text: "deploy 412"}, "", true},
		{"the right hypothesis and its service", ana, engine.Action{Service: "checkout", Hypothesis: "bad-deploy"}, "", true},
		{"a wrong hypothesis on the right service", ana, engine.Action{Hypothesis: "ddos", Text: "botnet"}, "", false},
		{"free text where hypotheses exist", ana, engine.Action{Service: "checkout", Text: "the deploy"}, engine.BadRequest, false},
		{"free text elsewhere", kim, engine.Action{Service: "db", Text: "the pool"}, "", false},
		{"free text elsewhere, saying nothing", kim, engine.Action{Service: "db"}, engine.BadRequest, false},
		{"no such hypothesis", ana, engine.Action{Hypothesis: "aliens"}, engine.NotFound, false},
		{"a hypothesis on another service", kim, engine.Action{Service: "db", Hypothesis: "bad-deploy"}, engine.BadRequest, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := New(withHypotheses(t), Options{Seed: 1, HasSeed: true})
			if err != nil {
				t.Fatal(err)
			}
			start := x.Start()
			if b := kinds(start, engine.KindBriefing); len(b) != 1 || len(b[0].Data.(engine.BriefingData).Hypotheses) != 2 || !b[0].To.Everyone {
				t.Fatalf("briefing = %+v", b)
			}
			x.Advance(10 * time.Minute)
			a := tt.action
			a.Op = engine.OpIdentifyRootCause
			evs, err := x.Apply(engine.Act(tt.by, a))
			if tt.code != "" {
				if !errors.Is(err, tt.code) {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			claims := kinds(evs, engine.KindRootClaim)
			if len(claims) != 1 {
				t.Fatalf("claims = %+v", claims)
			}
			d := claims[0].Data.(engine.RootClaimData)
			if d.Correct != tt.correct || d.Hypothesis != a.Hypothesis {
				t.Errorf("claim = %+v, want correct %v", d, tt.correct)
			}
		})
	}
}
