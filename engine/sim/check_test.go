package sim

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

var checkLibrary = flag.Bool("check-library", false, "run TestCheckLibrary: the check at its default batch on every built-in scenario (seconds each)")

// TestCheckFlawed finds each planted flaw of testdata/flawed.hcl, in
// source order, at its block's line.
func TestCheckFlawed(t *testing.T) {
	sc := flawed(t)
	rep, err := Check(context.Background(), sc, CheckOptions{Runs: 8, Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		level Level
		block scenario.Kind
		name  string
	}{
		{Warning, scenario.KindFault, "sleeper"},
		{Warning, scenario.KindFault, "flap"},
		{Warning, scenario.KindInject, "never"},
		{Warning, scenario.KindDecision, "coin"},
		{NotJudged, scenario.KindDecision, "unasked"},
		{Warning, scenario.KindExpect, "five-problems"},
	}
	if len(rep.Findings) != len(want) {
		t.Fatalf("%d findings, want %d:\n%s", len(rep.Findings), len(want), findingsText(rep.Findings))
	}
	src, err := os.ReadFile("testdata/flawed.hcl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	for i, w := range want {
		f := rep.Findings[i]
		if f.Level != w.level || f.Block != w.block || f.Name != w.name {
			t.Errorf("finding %d is %s %s.%s, want %s %s.%s", i, f.Level, f.Block, f.Name, w.level, w.block, w.name)
			continue
		}
		if at := f.Range.Start.Line; at < 1 || !strings.Contains(lines[at-1], fmt.Sprintf(`%s "%s"`, w.block, w.name)) {
			t.Errorf("%s.%s points at line %d, not at its block", w.block, w.name, at)
		}
		if d := f.Diagnostic(); d.Subject == nil || d.Subject.Filename != "testdata/flawed.hcl" || d.Detail == "" {
			t.Errorf("%s.%s: diagnostic %+v", w.block, w.name, d)
		}
	}
	if !rep.Warned() {
		t.Error("Warned() false with warnings")
	}
	if len(rep.Batch.Skills) != len(bot.Skills()) || rep.Batch.Runs != 8 {
		t.Errorf("batch of %d skills × %d runs, want every skill × 8", len(rep.Batch.Skills), rep.Batch.Runs)
	}
}

func findingsText(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %d: [%s] %s.%s: %s — %s\n", f.Range.Start.Line, f.Level, f.Block, f.Name, f.Summary, f.Detail)
	}
	return b.String()
}

func TestWarned(t *testing.T) {
	tests := []struct {
		levels []Level
		want   bool
	}{
		{nil, false},
		{[]Level{NotJudged}, false},
		{[]Level{NotJudged, Weak}, true},
		{[]Level{Warning}, true},
	}
	for _, tt := range tests {
		var r CheckReport
		for _, l := range tt.levels {
			r.Findings = append(r.Findings, Finding{Level: l})
		}
		if got := r.Warned(); got != tt.want {
			t.Errorf("Warned() with %v = %v, want %v", tt.levels, got, tt.want)
		}
	}
}

func TestCheckExpectations(t *testing.T) {
	sc := &scenario.Scenario{Expects: []*scenario.Expect{{Name: "x"}}}
	tests := []struct {
		name string
		st   ExpectationStats
		want Level // "" for no finding
	}{
		{"always met", ExpectationStats{Met: 20}, ""},
		{"met in 18 of 20", ExpectationStats{Met: 18, NotMet: 2}, ""},
		{"met in 17 of 20", ExpectationStats{Met: 17, NotMet: 3}, Weak},
		{"never met", ExpectationStats{NotMet: 20}, Warning},
		{"never applied", ExpectationStats{NotApplicable: 20}, ""},
		{"never reached", ExpectationStats{NotReached: 20}, ""},
		{"met wherever decided", ExpectationStats{Met: 5, NotApplicable: 15}, ""},
		{"missed wherever decided", ExpectationStats{NotMet: 1, NotApplicable: 19}, Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := checkExpectations(sc, Simulation{Expectations: []ExpectationStats{tt.st}})
			var got Level
			if len(fs) > 0 {
				got = fs[0].Level
			}
			if len(fs) > 1 || got != tt.want {
				t.Fatalf("findings %+v, want level %q", fs, tt.want)
			}
		})
	}
}

// TestDiffer: decisionEffect's test on made-up groups of runs.
func TestDiffer(t *testing.T) {
	type spec struct {
		restore time.Duration
		percent float64
		fired   bool
	}
	runs := func(specs ...spec) []RunResult {
		var out []RunResult
		for _, s := range specs {
			out = append(out, RunResult{
				Overall:       score.Total{Percent: s.percent},
				Result:        score.Result{Measures: []score.Measure{{Phase: score.PhaseRestore, Duration: s.restore}}},
				Injects:       []InjectFired{{Name: "fallout", Fired: s.fired}},
				FaultsStarted: []string{},
			})
		}
		return out
	}
	const m = time.Minute
	base := runs(spec{20 * m, 80, false}, spec{22 * m, 82, false}, spec{24 * m, 78, false}, spec{21 * m, 81, false})
	tests := []struct {
		name string
		b    []RunResult
		want bool
	}{
		{"alike", runs(spec{21 * m, 79, false}, spec{23 * m, 83, false}, spec{20 * m, 80, false}), false},
		{"an inject follows in most runs", runs(spec{21 * m, 79, true}, spec{23 * m, 83, true}, spec{20 * m, 80, false}), true},
		{"an inject follows now and then", runs(spec{21 * m, 79, true}, spec{23 * m, 83, false}, spec{20 * m, 80, false}), false},
		{"restores far later", runs(spec{60 * m, 79, false}, spec{62 * m, 83, false}, spec{65 * m, 80, false}), true},
		{"scores far lower", runs(spec{21 * m, 40, false}, spec{23 * m, 42, false}, spec{20 * m, 45, false}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := differ("d", base, tt.b); got != tt.want {
				t.Fatalf("differ = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCheckLibrary runs the check on every built-in scenario at its
// default batch and logs what it finds: run it after changing a scenario
// or the bots (go test ./engine/sim -run CheckLibrary -check-library -v).
func TestCheckLibrary(t *testing.T) {
	if !*checkLibrary {
		t.Skip("the check of every built-in scenario takes seconds each: run with -check-library")
	}
	for _, sc := range library(t) {
		t.Run(sc.Name, func(t *testing.T) {
			rep, err := Check(context.Background(), sc, CheckOptions{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("paired: %+v\n%s", rep.Batch.Paired, findingsText(rep.Findings))
		})
	}
}
