package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

func TestSimulateJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "simulate", "egress-proxy-saturation", "--runs", "3", "--seed", "5", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Scenario string `json:"scenario"`
		Exercise bool   `json:"exercise"`
		Runs     []struct {
			Seed  uint64 `json:"seed"`
			Ended string `json:"ended"`
		} `json:"runs"`
		Aggregate map[string]struct {
			N int `json:"n"`
		} `json:"aggregate"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if doc.Scenario != "egress-proxy-saturation" || !doc.Exercise || len(doc.Runs) != 3 || doc.Runs[2].Seed != 7 {
		t.Fatalf("unexpected document: %+v", doc)
	}
	for _, phase := range []string{"detect", "acknowledge", "identify", "fix", "restore"} {
		if doc.Aggregate[phase].N != 3 {
			t.Errorf("aggregate %s over %d runs, want 3", phase, doc.Aggregate[phase].N)
		}
	}
}

func TestSimulateText(t *testing.T) {
	code, out, errOut := runCLI(t, "simulate", "vendor-api-change", "--runs", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"time to detect", "time to restore", "war rooms opened", "median", "p90", "exercise data",
		"95% CI", "score (of", "overall", "coordination", "expectation", "hit rate", "root cause", "healed by itself", "inject", "fired in", "decision", "options taken"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("no progress bar off a terminal, got stderr %q", errOut)
	}
}

func TestSimulateEventsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	if code, _, errOut := runCLI(t, "simulate", "vendor-api-change", "--events", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var first engine.Event
	n, ended := 0, false
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var ev engine.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if n == 0 {
			first = ev
		}
		ended = ended || ev.Kind == engine.KindEnded
	}
	if first.Kind != engine.KindStarted || !ended {
		t.Fatalf("log of %d events opens with %s, ended: %v", n, first.Kind, ended)
	}
}

func TestSimulateUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"simulate"}, "name one scenario"},
		{[]string{"simulate", "vendor-api-change", "--skill", "wizard"}, "wizard"},
		{[]string{"simulate", "vendor-api-change", "--runs", "0"}, "--runs must be at least 1"},
		{[]string{"simulate", "vendor-api-change", "--skill", "novice,wizard"}, "a comma list of them, or all"},
		{[]string{"simulate", "vendor-api-change", "--skill", "all", "--events", "x.jsonl"}, "give one --skill"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
}

// TestSimulateReportsScores: the JSON document carries each run's score
// and verdicts and the batch's distributions, intervals and counts, beside
// the fields it always had.
func TestSimulateReportsScores(t *testing.T) {
	code, out, errOut := runCLI(t, "simulate", "vendor-api-change", "--runs", "3", "--skill", "practiced", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Skill    string `json:"skill"`
		Exercise bool   `json:"exercise"`
		Runs     []struct {
			Overall struct {
				Points, Max, Percent float64
			} `json:"overall"`
			Expectations []struct{ Name, Verdict string } `json:"expectations"`
			Decisions    []struct{ Name, Option string }  `json:"decisions"`
			Causes       []struct {
				Fault string
				Fixed bool
			} `json:"causes"`
			Injects []struct {
				Name  string
				Fired bool
			} `json:"injects"`
		} `json:"runs"`
		Overall struct {
			N        int        `json:"n"`
			Median   float64    `json:"median"`
			MedianCI [2]float64 `json:"median_ci"`
		} `json:"overall"`
		Dimensions   []struct{ Dimension string } `json:"dimensions"`
		Phases       []json.RawMessage            `json:"phases"`
		Expectations []struct {
			Name    string  `json:"name"`
			Met     int     `json:"met"`
			HitRate float64 `json:"hit_rate"`
		} `json:"expectations"`
		Causes    []json.RawMessage `json:"causes"`
		Injects   []json.RawMessage `json:"injects"`
		Decisions []json.RawMessage `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	r := doc.Runs[0]
	if doc.Skill != "practiced" || !doc.Exercise || r.Overall.Max == 0 || len(r.Expectations) == 0 || len(r.Decisions) == 0 || len(r.Causes) == 0 || len(r.Injects) == 0 {
		t.Fatalf("run 0 lacks its score or verdicts: %+v", r)
	}
	if doc.Overall.N != 3 || doc.Overall.MedianCI[0] > doc.Overall.Median || len(doc.Dimensions) == 0 || len(doc.Phases) != 8 {
		t.Fatalf("batch lacks its distributions: overall %+v, %d dimensions, %d phases", doc.Overall, len(doc.Dimensions), len(doc.Phases))
	}
	if len(doc.Expectations) != len(r.Expectations) || len(doc.Causes) == 0 || len(doc.Injects) != len(r.Injects) || len(doc.Decisions) != len(r.Decisions) {
		t.Fatalf("batch counts do not line up with the runs' verdicts")
	}
	var phase struct {
		Phase            string                 `json:"phase"`
		MedianCI         struct{ Lo, Hi int64 } `json:"median_ci"`
		MedianLowerBound *bool                  `json:"median_lower_bound"`
	}
	if err := json.Unmarshal(doc.Phases[6], &phase); err != nil || phase.Phase != "restore" || phase.MedianLowerBound == nil || phase.MedianCI.Hi == 0 {
		t.Fatalf("restore phase %s: %v", doc.Phases[6], err)
	}
}

// TestSimulateMarksLowerBounds: in testdata/unrestorable.hcl service is
// never restored within the exercise, so the median is the exercise's
// length and must read as a lower bound.
func TestSimulateMarksLowerBounds(t *testing.T) {
	code, out, errOut := runCLI(t, "simulate", "testdata/unrestorable.hcl", "--runs", "2", "--skill", "novice")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	found := false
	for _, line := range strings.Split(out, "\n") {
		if fields := strings.Fields(line); len(fields) > 4 && strings.Join(fields[:3], " ") == "time to restore" {
			found = true
			if n, median := fields[3], fields[4]; n != "2" || !strings.HasPrefix(median, "≥") {
				t.Errorf("censored restore median not marked: %q", line)
			}
		}
	}
	if !found {
		t.Errorf("no time to restore row:\n%s", out)
	}
	if !strings.Contains(out, "only a lower bound") {
		t.Errorf("output does not explain ≥:\n%s", out)
	}
}

func TestSimulateSkillsSideBySide(t *testing.T) {
	tests := []struct {
		skill string
		want  []string
	}{
		{"all", []string{"novice", "practiced", "expert"}},
		{"expert,novice", []string{"novice", "expert"}},
		{"expert, Novice,expert", []string{"novice", "expert"}},
	}
	for _, tt := range tests {
		t.Run(tt.skill, func(t *testing.T) {
			code, out, errOut := runCLI(t, "simulate", "vendor-api-change", "--runs", "2", "--seed", "3", "--skill", tt.skill)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			header := strings.SplitN(out, "\n", 2)[0]
			if !strings.Contains(header, "paired by seed: "+strings.Join(tt.want, ", ")) {
				t.Errorf("header %q does not list %v least able first", header, tt.want)
			}
			for _, want := range []string{"overall score", "time to restore", "expectations met", "injects fired", "decisions: options taken", "Paired by seed:", tt.want[len(tt.want)-1] + " restored faster than novice"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}

			code, out, errOut = runCLI(t, "simulate", "vendor-api-change", "--runs", "2", "--seed", "3", "--skill", tt.skill, "--json")
			if code != 0 {
				t.Fatalf("--json: exit %d: %s", code, errOut)
			}
			var doc struct {
				Exercise bool `json:"exercise"`
				Skills   []struct {
					Skill string `json:"skill"`
					Runs  []struct {
						Seed uint64 `json:"seed"`
					} `json:"runs"`
				} `json:"skills"`
				Paired struct {
					Seeds   int `json:"seeds"`
					Ordered int `json:"ordered"`
				} `json:"paired"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("--json output is not JSON: %v\n%s", err, out)
			}
			if !doc.Exercise || len(doc.Skills) != len(tt.want) || doc.Paired.Seeds != 2 {
				t.Fatalf("document: %+v", doc)
			}
			for i, s := range doc.Skills {
				if s.Skill != tt.want[i] || s.Runs[0].Seed != 3 || s.Runs[1].Seed != 4 {
					t.Errorf("skill %d: %s on seeds %v, want %s on 3 and 4", i, s.Skill, s.Runs, tt.want[i])
				}
			}
		})
	}
}
