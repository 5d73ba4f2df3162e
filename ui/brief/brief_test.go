package brief

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden renders the brief of every built-in scenario and compares it
// with testdata/NAME.md; go test -update rewrites them.
func TestGolden(t *testing.T) {
	names, err := scenario.LibraryNames(scenarios.Files)
	if err != nil || len(names) == 0 {
		t.Fatalf("library: %v", err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			sc, diags := scenario.NewLoader().Resolve(name, scenarios.Files)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			var got bytes.Buffer
			if err := Write(&got, sc); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".md")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./ui/brief -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("brief of %s differs from %s; run go test ./ui/brief -update and review the diff", name, golden)
			}
		})
	}
}
