package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/firedrill/firedrill/engine/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./ui/report -update and review the diff", path)
	}
}

// goldenName is the golden file of a format.
func goldenName(format string) string {
	switch format {
	case "aar":
		return goldenScenario + ".aar.md"
	}
	return goldenScenario + "." + format
}

// TestGolden renders the golden exercise in every format and compares the
// bytes with testdata; go test -update rewrites them.
func TestGolden(t *testing.T) {
	in := fixture(t)
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, in); err != nil {
				t.Fatal(err)
			}
			golden(t, goldenName(format), buf.Bytes())
		})
	}
}

// trendRuns are eight stored runs of the golden scenario: four by novice
// bots, then four by practiced ones, as if a team had trained in between.
func trendRuns(t testing.TB) []TrendRun {
	t.Helper()
	sc := load(t, goldenScenario)
	var runs []TrendRun
	for i, skill := range []bot.Skill{bot.Novice, bot.Novice, bot.Novice, bot.Novice, bot.Practiced, bot.Practiced, bot.Practiced, bot.Practiced} {
		seed := uint64(11 + i)
		x := play(t, sc, seed, skill)
		runs = append(runs, TrendRun{
			ID: fmt.Sprintf("EX-2026-01%02d", i+1), Date: fmt.Sprintf("2026-%02d-%02d", 1+i/4, 5+7*(i%4)),
			Team: []string{"day shift", "night shift"}[i%2], Report: mustScore(t, sc, x.Log()),
		})
	}
	return runs
}

func TestTrendGolden(t *testing.T) {
	sc := load(t, goldenScenario)
	runs := trendRuns(t)
	for _, format := range []string{"md", "html", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Trend(&buf, format, sc, runs); err != nil {
				t.Fatal(err)
			}
			golden(t, "trend."+format, buf.Bytes())
		})
	}
}

// TestNoInternalNames: a review speaks to the people who took part; the
// names of the code's packages mean nothing to them.
func TestNoInternalNames(t *testing.T) {
	in := fixture(t)
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, format, in); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"engine/", "server/", "ui/report", "ui/tui", "cmd/firedrill"} {
			if bytes.Contains(buf.Bytes(), []byte(name)) {
				t.Errorf("the %s review names %s", format, name)
			}
		}
	}
}
