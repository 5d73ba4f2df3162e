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
	for _, want := range []string{"time to detect", "time to restore", "war rooms opened", "median", "p90", "exercise data"} {
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
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
}
