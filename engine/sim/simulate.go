// Package sim plays batches of headless exercises with bots in every seat
// and scores each run: the tool for tuning a scenario's difficulty and for
// the checks that its verdicts hold up.
package sim

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/session"
)

// SimOptions set up a batch of headless runs.
type SimOptions struct {
	Runs  int
	Seed  uint64 // run i uses Seed+i
	Skill bot.Skill
	// Workers runs that many exercises at once; GOMAXPROCS when zero.
	Workers int
	// KeepFirstLog keeps the event log of the first run (seed Seed), for
	// --events and for the review.
	KeepFirstLog bool
	// Progress, when set, is called after each run with the number done.
	// It is called from worker goroutines, one call at a time.
	Progress func(done, total int)
	// Choices makes the bots take these options (decision → option),
	// whatever their judgement: what each option leads to.
	Choices map[string]string
}

// RunResult is one run's measures and its score: what an author tuning a
// scenario reads, verdict by verdict (outcome.go).
type RunResult struct {
	Seed   uint64       `json:"seed"`
	Ended  string       `json:"ended"` // why the exercise ended
	Events int          `json:"events"`
	Result score.Result `json:"result"`

	Overall    score.Total            `json:"overall"`
	Dimensions []score.DimensionScore `json:"dimensions"`
	// Expectations, Decisions, Causes and Injects follow the scenario's
	// order of expect, decision, root-cause fault and inject blocks, one
	// entry each, so runs line up entry by entry.
	Expectations []ExpectationVerdict `json:"expectations"`
	Decisions    []DecisionTaken      `json:"decisions"`
	Causes       []CauseFixed         `json:"causes"`
	Injects      []InjectFired        `json:"injects"`
	// FaultsStarted are the faults that started, root cause or not, in
	// scenario order: what a decision's options may set off.
	FaultsStarted []string `json:"faults_started"`
	// Records are the kinds of record the run opened, each once, in
	// RecordKinds order.
	Records []string `json:"records"`
}

// Simulation is a batch of runs of one scenario and their summary
// (summary.go). Every list follows the scenario's block order.
type Simulation struct {
	Scenario  string                        `json:"scenario"`
	Skill     bot.Skill                     `json:"skill"`
	Seed      uint64                        `json:"seed"`
	Runs      []RunResult                   `json:"runs"`
	Aggregate map[score.Phase]score.Summary `json:"aggregate"`
	// WarRooms summarises the war rooms opened per run.
	WarRooms IntSummary `json:"war_rooms"`
	// Exercise marks the output as exercise data, never production metrics.
	Exercise bool `json:"exercise"`

	// Phases is Aggregate in lifecycle order, with each median's
	// bootstrap interval and whether it is only a lower bound.
	Phases []PhaseStats `json:"phases"`
	// Maximum is the scenario's most points; Overall and Dimensions are
	// percent of their maxima over the runs.
	Maximum      float64            `json:"maximum"`
	Overall      ScoreStats         `json:"overall"`
	Dimensions   []DimensionStats   `json:"dimensions"`
	Expectations []ExpectationStats `json:"expectations"`
	Causes       []CauseStats       `json:"causes"`
	Injects      []InjectStats      `json:"injects"`
	Decisions    []DecisionStats    `json:"decisions"`

	FirstLog []engine.Event `json:"-"`
}

// IntSummary is the distribution of a count over runs (nearest rank).
type IntSummary struct {
	Median, P90, Min, Max int
}

// Simulate plays opts.Runs exercises of sc with bots in every seat, as fast
// as possible, and measures each. Runs are independent and go in parallel;
// results are in seed order whatever the finishing order, so the output is
// the same on any machine. Cancelling ctx stops it between runs.
func Simulate(ctx context.Context, sc *scenario.Scenario, opts SimOptions) (Simulation, error) {
	if opts.Runs < 1 {
		return Simulation{}, fmt.Errorf("sim: simulate needs at least one run, got %d", opts.Runs)
	}
	if _, err := bot.ParseSkill(string(opts.Skill)); err != nil {
		return Simulation{}, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, opts.Runs)

	sim := Simulation{Scenario: sc.Name, Skill: opts.Skill, Seed: opts.Seed, Runs: make([]RunResult, opts.Runs), Exercise: true}
	var (
		next     atomic.Int64
		done     atomic.Int64
		mu       sync.Mutex // serialises Progress and the first error
		firstErr error
		wg       sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= opts.Runs || ctx.Err() != nil {
					return
				}
				rr, log, err := simulateOne(sc, session.Options{Seed: opts.Seed + uint64(i), Skill: opts.Skill, EndOnRestore: true, Choices: opts.Choices})
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if i == 0 && opts.KeepFirstLog {
					sim.FirstLog = log
				}
				sim.Runs[i] = rr
				n := int(done.Add(1))
				if opts.Progress != nil {
					opts.Progress(n, opts.Runs)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return Simulation{}, firstErr
	}
	if err := ctx.Err(); err != nil {
		return Simulation{}, fmt.Errorf("sim: simulate stopped after %d of %d runs: %w", done.Load(), opts.Runs, err)
	}
	sim.summarize(sc)
	return sim, nil
}

func simulateOne(sc *scenario.Scenario, opts session.Options) (RunResult, []engine.Event, error) {
	seed := opts.Seed
	s, err := session.Run(sc, opts)
	if err != nil {
		return RunResult{}, nil, fmt.Errorf("sim: run seed %d: %w", seed, err)
	}
	x := s.Exercise()
	log := x.Log()
	rep, err := score.Score(sc, log)
	if err != nil {
		return RunResult{}, nil, fmt.Errorf("sim: score run seed %d: %w", seed, err)
	}
	return outcome(sc, seed, x.EndReason(), log, rep), log, nil
}

func summarizeInts(xs []int) IntSummary {
	if len(xs) == 0 {
		return IntSummary{}
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	rank := func(p int) int { return sorted[max(0, (p*len(sorted)+99)/100-1)] }
	return IntSummary{Median: rank(50), P90: rank(90), Min: sorted[0], Max: sorted[len(sorted)-1]}
}

// SimulatedTime is the virtual time the runs covered, for throughput
// figures.
func (s Simulation) SimulatedTime() time.Duration {
	var total time.Duration
	for _, r := range s.Runs {
		total += r.Result.End
	}
	return total
}
