package sim

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/firedrill/firedrill/engine/bot"
)

func TestSimulateOrderAndAggregate(t *testing.T) {
	sc := load(t, "vendor-api-change")
	sim, err := Simulate(context.Background(), sc, SimOptions{Runs: 6, Seed: 10, Skill: bot.Expert, Workers: 3, KeepFirstLog: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range sim.Runs {
		if r.Seed != uint64(10+i) || r.Ended != "restored" {
			t.Fatalf("run %d: seed %d ended %q; want seed %d, restored", i, r.Seed, r.Ended, 10+i)
		}
	}
	if got := sim.Aggregate["restore"].N; got != 6 {
		t.Fatalf("restore summarised over %d runs, want 6", got)
	}
	if len(sim.FirstLog) != sim.Runs[0].Events {
		t.Fatalf("first log has %d events, run 0 reported %d", len(sim.FirstLog), sim.Runs[0].Events)
	}
	// Parallel workers must not change the result: one worker gives the same.
	one, err := Simulate(context.Background(), sc, SimOptions{Runs: 6, Seed: 10, Skill: bot.Expert, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range one.Runs {
		if one.Runs[i].Result.End != sim.Runs[i].Result.End || one.Runs[i].Events != sim.Runs[i].Events {
			t.Fatalf("run %d differs between 1 and 3 workers", i)
		}
	}
}

func TestSimulateRejectsBadOptions(t *testing.T) {
	sc := load(t, "vendor-api-change")
	if _, err := Simulate(context.Background(), sc, SimOptions{Runs: 0, Skill: bot.Expert}); err == nil {
		t.Fatal("zero runs accepted")
	}
	if _, err := Simulate(context.Background(), sc, SimOptions{Runs: 1, Skill: "wizard"}); err == nil {
		t.Fatal("unknown skill accepted")
	}
}

// TestSimulateLeavesNoGoroutines starts and stops many simulations, some
// cancelled part way, and checks every worker is gone when Simulate returns.
func TestSimulateLeavesNoGoroutines(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	for i := range 40 {
		ctx, cancel := context.WithCancel(context.Background())
		opts := SimOptions{Runs: 8, Seed: uint64(i), Skill: bot.Expert, Workers: 4}
		if i%2 == 0 {
			opts.Progress = func(done, _ int) {
				if done == 2 {
					cancel()
				}
			}
		}
		_, err := Simulate(ctx, sc, opts)
		cancel()
		if i%2 == 0 && !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled simulation returned %v", err)
		}
		if i%2 == 1 && err != nil {
			t.Fatal(err)
		}
	}
	if left := botGoroutines(); len(left) > 0 {
		t.Fatalf("%d goroutines of package bot outlived their simulations:\n%s", len(left), strings.Join(left, "\n\n"))
	}
}

// botGoroutines returns the stacks of every other goroutine that is running
// this package's code, tests aside. Counting goroutines instead was flaky:
// the runtime's finalizer goroutine counts while it runs a finalizer.
func botGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i == 0 {
			continue // this goroutine
		}
		for _, line := range strings.Split(g, "\n") {
			if strings.Contains(line, "/engine/bot.") && !strings.Contains(line, "/engine/bot.Test") {
				out = append(out, g)
				break
			}
		}
	}
	return out
}
