package bot

import "testing"

// BenchmarkRunExpert plays each built-in scenario with expert bots in every
// seat until restoration (a discussion to its end): the cost of one
// headless simulation.
func BenchmarkRunExpert(b *testing.B) {
	for _, sc := range library(b) {
		b.Run(sc.Name, func(b *testing.B) {
			b.ReportAllocs()
			var events int
			for b.Loop() {
				x, err := Run(sc, RunOptions{Seed: 1, Skill: Expert, EndOnRestore: true})
				if err != nil {
					b.Fatal(err)
				}
				events = len(x.Log())
			}
			b.ReportMetric(float64(events), "events")
		})
	}
}
