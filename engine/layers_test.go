package engine_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/firedrill/firedrill/"

// TestLayers reads the import graph with go list: the domain imports no
// adapter, the vocabulary imports nothing of firedrill's, and the bots
// decide without the scorer.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Deps", module+"...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Deps       []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Deps {
			if strings.HasPrefix(d, module) {
				deps[p.ImportPath] = append(deps[p.ImportPath], strings.TrimPrefix(d, module))
			}
		}
	}
	if len(deps) == 0 {
		t.Fatal("go list found no packages")
	}
	must := func(pkg string, ok func(dep string) bool, why string) {
		t.Helper()
		for _, d := range deps[module+pkg] {
			if !ok(d) {
				t.Errorf("%s depends on %s: %s", pkg, d, why)
			}
		}
	}
	for p := range deps {
		p = strings.TrimPrefix(p, module)
		if strings.HasPrefix(p, "engine") {
			must(p, func(d string) bool { return !strings.HasPrefix(d, "server") && !strings.HasPrefix(d, "ui") },
				"the domain imports no adapter")
		}
	}
	must("engine", func(string) bool { return false }, "the vocabulary stands alone")
	must("engine/bot", func(d string) bool { return d != "engine/score" && d != "engine/exercise" && d != "engine/session" },
		"bots decide from what they are shown; they neither score nor run the exercise")
	must("engine/incident", func(d string) bool { return d == "engine" }, "the record rules need only the vocabulary")
	must("engine/records", func(d string) bool { return d == "engine" }, "the fold needs only the vocabulary")
}
