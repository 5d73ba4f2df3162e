package world

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// LogLine is one line of a service's logs.
type LogLine struct {
	At      time.Duration
	Service string
	Level   string // INFO, WARN or ERROR
	Text    string
}

// routineLogs are the noise every service writes; %d is filled with a
// number below upTo (0: the service's baseline latency).
var routineLogs = []struct {
	format string
	upTo   int
}{
	{"GET /healthz 200 %dms", 10},
	{"request completed status=200 duration_ms=%d", 0},
	{"connection pool in use %d/64", 64},
	{"cache hit ratio 0.%02d", 100},
	{"gc pause %dms", 20},
	{"config reload skipped: unchanged (rev %d)", 500},
}

// routinePerWindow is how many routine lines a service writes per Tick.
const routinePerWindow = 3

// Logs returns the service's log lines in the Tick up to at, oldest first:
// routine noise, errors when its sample at that time was unhealthy, a
// warning per unhealthy dependency, and the clue lines (scenario Logs) of
// every fault on the service that was active then, mitigated or not (the
// cause remains). The same service and at always give the same lines.
func (w *World) Logs(service string, at time.Duration) []LogLine {
	i, ok := w.serviceIdx[service]
	if !ok {
		return nil
	}
	at = max(at, 0)
	sv := w.services[i]
	// A private generator keyed by service and time: answering a query must
	// not consume the world's rng, or asking would change the telemetry.
	r := rand.New(rand.NewPCG(w.logSalt^hashName(service), uint64(at)))
	when := func() time.Duration { return at - time.Duration(r.Int64N(int64(Tick))) }

	var out []LogLine
	add := func(t time.Duration, level, text string) {
		out = append(out, LogLine{At: max(t, 0), Service: service, Level: level, Text: text})
	}
	for range routinePerWindow {
		l := routineLogs[r.IntN(len(routineLogs))]
		upTo := l.upTo
		if upTo == 0 {
			upTo = max(int(2*sv.base[mLat]), 10)
		}
		add(when(), "INFO", fmt.Sprintf(l.format, 1+r.IntN(upTo)))
	}

	if k, ok := sampleIndex(sv, at); ok {
		errRate, lat := sv.series[mErr][k], sv.series[mLat][k]
		if sv.unhealthy(errRate, lat) {
			add(when(), "ERROR", fmt.Sprintf("%.1f%% of requests failed in the last %s (p50 %.0fms)", 100*errRate, Tick, lat))
		}
		for _, d := range sv.allDep {
			up := w.services[d.idx]
			if e, l := up.series[mErr][k], up.series[mLat][k]; up.unhealthy(e, l) {
				add(when(), "WARN", fmt.Sprintf("upstream %s: %.1f%% errors, %.0fms", up.name, 100*e, l))
			}
		}
	}

	for _, fi := range sv.faults {
		f := w.faults[fi]
		if !f.started || f.startAt > at || (f.ended && f.endAt <= at) {
			continue
		}
		for _, line := range f.sc.Logs {
			add(when(), "ERROR", line)
		}
	}
	slices.SortStableFunc(out, func(a, b LogLine) int { return cmp.Compare(a.At, b.At) })
	return out
}

// sampleIndex is the index of the latest sample at or before at.
func sampleIndex(sv *service, at time.Duration) (int, bool) {
	n := len(sv.series[mErr])
	if n == 0 {
		return 0, false
	}
	return int(min(at/Tick, time.Duration(n-1))), true
}

// hashName is FNV-1a: a stable per-service seed.
func hashName(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
