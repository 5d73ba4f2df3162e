package tui

import (
	"time"

	"github.com/firedrill/firedrill/engine"
)

// seriesLen is how many samples a sparkline keeps: 40 samples at one per
// 30 virtual seconds is the last 20 minutes.
const seriesLen = 40

// Service is what the seat sees of one service: the last sample and short
// series of error rate and latency for sparklines.
type Service struct {
	Name    string
	At      time.Duration // the last sample's time; -1 before any
	Last    engine.ServiceSample
	Errors  []float64
	Latency []float64
}

// sample appends a sample; one at or before the last is a duplicate (a
// facilitator gets both the telemetry event and the telemetry frame).
func (s *Service) sample(at time.Duration, x engine.ServiceSample) {
	if at <= s.At {
		return
	}
	s.At, s.Last = at, x
	s.Errors = push(s.Errors, x.ErrorRate)
	s.Latency = push(s.Latency, x.LatencyMS)
}

func push(xs []float64, v float64) []float64 {
	if len(xs) >= seriesLen {
		copy(xs, xs[1:])
		xs = xs[:len(xs)-1]
	}
	return append(xs, v)
}
