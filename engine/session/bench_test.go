package session

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/bot"
)

// BenchmarkRunExpert plays each built-in scenario with expert bots in every
// seat until restoration (a discussion to its end): the cost of one
// headless simulation, and how many simulated seconds pass per wall second.
func BenchmarkRunExpert(b *testing.B) {
	for _, sc := range library(b) {
		b.Run(sc.Name, func(b *testing.B) {
			b.ReportAllocs()
			var events int
			var simulated time.Duration
			start := time.Now()
			for b.Loop() {
				x, err := Run(sc, Options{Seed: 1, Skill: bot.Expert, EndOnRestore: true})
				if err != nil {
					b.Fatal(err)
				}
				events = len(x.Log())
				simulated += x.Now()
			}
			b.ReportMetric(float64(events), "events")
			b.ReportMetric(simulated.Seconds()/time.Since(start).Seconds(), "sim-s/s")
			b.ReportMetric(float64(events*b.N)/time.Since(start).Seconds(), "events/s")
		})
	}
}
