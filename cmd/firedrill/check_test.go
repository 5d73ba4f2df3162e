package main

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderr   []string
		emptyOut bool
	}{
		{
			name: "planted flaws warn at their blocks",
			args: []string{"check", "../../engine/sim/testdata/flawed.hcl", "--runs", "8"},
			code: checkWarned,
			stdout: []string{
				"Warning: Root cause never starts", "flawed.hcl line 59",
				"Warning: Root cause never fixed by expert bots", "flawed.hcl line 68",
				"Warning: Inject never fires", "flawed.hcl line 99",
				"Warning: Decision's options make no difference", "flawed.hcl line 107",
				"Warning: Expectation never met by expert bots", "flawed.hcl line 143",
				"Not judged (no warning):", "flawed.hcl:122:3: decision \"unasked\": Decision seldom offered",
				"8 runs per skill (novice, practiced, expert) on seeds 1–8: 5 warnings, 1 not judged",
				"Paired by seed:",
			},
		},
		{
			name:   "a sound scenario passes",
			args:   []string{"check", "../../engine/scenario/testdata/valid/small.hcl", "--runs", "4", "--seed", "2"},
			code:   0,
			stdout: []string{"small: 4 runs per skill (novice, practiced, expert) on seeds 2–5: no warnings"},
		},
		{
			name:     "an invalid scenario cannot be checked",
			args:     []string{"check", "../../engine/scenario/testdata/error/cycle.hcl"},
			code:     checkFailed,
			stderr:   []string{"Error: Dependency cycle", "cycle.hcl line 19"},
			emptyOut: true,
		},
		{
			name: "an unknown scenario", args: []string{"check", "no-such-scenario"},
			code: checkFailed, stderr: []string{"Unknown scenario"}, emptyOut: true,
		},
		{
			name: "out of time", args: []string{"check", "vendor-api-change", "--timeout", "1ns"},
			code: checkFailed, stderr: []string{"deadline exceeded", "lower --runs or raise --timeout"}, emptyOut: true,
		},
		{name: "no scenario", args: []string{"check"}, code: checkFailed, stderr: []string{"name one scenario"}, emptyOut: true},
		{name: "no runs", args: []string{"check", "vendor-api-change", "--runs", "0"}, code: checkFailed, stderr: []string{"--runs must be at least 1"}, emptyOut: true},
		{name: "no time", args: []string{"check", "vendor-api-change", "--timeout", "0s"}, code: checkFailed, stderr: []string{"--timeout must be longer than zero"}, emptyOut: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if tt.emptyOut && out != "" {
				t.Errorf("stdout should be empty when it cannot check, got:\n%s", out)
			}
		})
	}
}
