package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

func TestReportFromEventsFile(t *testing.T) {
	events := filepath.Join(t.TempDir(), "events.jsonl")
	if code, _, errOut := runCLI(t, "simulate", "vendor-api-change", "--events", events); code != 0 {
		t.Fatalf("simulate: %s", errOut)
	}
	tests := []struct {
		format string
		want   []string
	}{
		{"md", []string{"# Post-incident review", "Exercise data", "Time to restore"}},
		{"html", []string{"<!DOCTYPE html>", "<svg", "Time to restore"}},
		{"json", []string{`"scenario": "vendor-api-change"`, `"exercise": true`}},
		{"aar", []string{"Improvement"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			code, out, errOut := runCLI(t, "report", events, "--format", tt.format)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s report lacks %q", tt.format, w)
				}
			}
		})
	}
	code, _, errOut := runCLI(t, "report", events, "--format", "pdf")
	if code != exitUsage || !strings.Contains(errOut, "--format is one of") {
		t.Fatalf("bad format: exit %d, %s", code, errOut)
	}
}

// TestDrillWritesTheReview runs the one-command drill with a simulated
// screen, quits at once, and checks the review lands beside the database.
func TestDrillWritesTheReview(t *testing.T) {
	newScreen = func() (tcell.Screen, error) {
		return quitting{tcell.NewSimulationScreen("UTF-8")}, nil
	}
	t.Cleanup(func() { newScreen = tcell.NewScreen })
	db := filepath.Join(t.TempDir(), "firedrill.db")
	code, out, errOut := runCLI(t, "drill", "vendor-api-change", "--as", "technician", "--db", db)
	if code != 0 {
		t.Fatalf("drill: exit %d: %s", code, errOut)
	}
	var paths []string
	for _, line := range strings.Split(out, "\n") {
		if p, ok := strings.CutPrefix(line, "Review: "); ok {
			paths = append(paths, p)
		}
	}
	if len(paths) != 2 {
		t.Fatalf("want a Markdown and an HTML review, got %q", out)
	}
	for _, p := range paths {
		if filepath.Dir(p) != filepath.Dir(db) {
			t.Errorf("review %s is not beside the database", p)
		}
		if b, err := os.ReadFile(p); err != nil || len(b) == 0 {
			t.Errorf("review %s: %v", p, err)
		}
	}
	// The stored exercise rescored, and the trend across stored runs.
	id := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(paths[0]), "firedrill-"), ".md")
	if code, out, errOut := runCLI(t, "report", id, "--db", db, "--format", "json"); code != 0 || !strings.Contains(out, `"exercise_data": true`) {
		t.Fatalf("report from the store: exit %d: %s", code, errOut)
	}
	if code, out, errOut := runCLI(t, "report", "--scenario", "vendor-api-change", "--all", "--db", db); code != 0 || !strings.Contains(out, id) {
		t.Fatalf("trend: exit %d: %s\n%s", code, errOut, out)
	}
	if code, _, errOut := runCLI(t, "drill", "vendor-api-change", "--as", "wizard", "--db", db); code != exitUsage || !strings.Contains(errOut, "no seat or role") {
		t.Fatalf("unknown seat: exit %d, %s", code, errOut)
	}
}

// quitting is a simulation screen whose player presses Ctrl-C as soon as
// the console opens it.
type quitting struct{ tcell.SimulationScreen }

func (q quitting) Init() error {
	if err := q.SimulationScreen.Init(); err != nil {
		return err
	}
	q.InjectKey(tcell.KeyCtrlC, 0, tcell.ModNone)
	return nil
}
