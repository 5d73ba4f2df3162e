package bot

import (
	"os"
	"testing"
)

func TestZZScan(t *testing.T) {
	if os.Getenv("SCAN") == "" {
		t.Skip()
	}
	for _, sc := range library(t) {
		for _, sk := range Skills {
			for seed := uint64(100); seed < 140; seed++ {
				for _, end := range []bool{true, false} {
					run(t, sc, RunOptions{Seed: seed, Skill: sk, EndOnRestore: end})
				}
			}
		}
	}
}
