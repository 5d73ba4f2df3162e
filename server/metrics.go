package server

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Reasons a frame is refused before it reaches the exercise, besides the
// protocol's error codes (rate_limited, forbidden, bad_request, conflict)
// and the engine's (over_budget, not_found, …), which label the same
// counter.
const (
	refusedMalformed = "malformed" // not a frame: bad JSON, unknown type or field, a key twice
	refusedBinary    = "binary"    // a binary websocket frame
	refusedTooBig    = "too_big"   // a frame over readLimit
)

// metrics are the server's Prometheus metrics, in a registry of the
// Server's own: two servers in one process (tests, the drill) do not
// share counters, and nothing registers globally.
type metrics struct {
	reg *prometheus.Registry

	connections prometheus.Gauge
	delivered   prometheus.Counter
	refused     *prometheus.CounterVec
	slowDropped prometheus.Counter
	created     prometheus.Counter
	commit      prometheus.Histogram
	ackSeconds  prometheus.Histogram
	storeErrors *prometheus.CounterVec
}

// latencyBuckets run from half a millisecond to ten seconds: an fsync on
// a quiet disk to a store that is failing.
var latencyBuckets = prometheus.ExponentialBucketsRange(0.0005, 10, 16)

func newMetrics(hosted func() float64) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "firedrill_connections", Help: "Websockets open."}),
		delivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "firedrill_events_delivered_total", Help: "Events written to websockets."}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "firedrill_frames_refused_total", Help: "Client frames and inputs refused, by reason: an error code, or malformed, binary, too_big."},
			[]string{"reason"}),
		slowDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "firedrill_slow_clients_dropped_total", Help: "Websockets dropped because more than their send queue waited for them."}),
		created: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "firedrill_exercises_created_total", Help: "Exercises created on this server."}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "firedrill_commit_seconds", Help: "Time the store took to make one commit of an exercise durable.", Buckets: latencyBuckets}),
		ackSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "firedrill_ack_seconds", Help: "Time from reading an action, chat or control frame to queueing its ack or error.", Buckets: latencyBuckets}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "firedrill_store_errors_total", Help: "Store operations that failed, by operation."},
			[]string{"op"}),
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "firedrill_exercises_hosted", Help: "Exercises this server holds in memory."}, hosted),
		m.connections, m.delivered, m.refused, m.slowDropped, m.created, m.commit, m.ackSeconds, m.storeErrors,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	// Every reason and operation is listed from the start, so a dashboard
	// sees zero rather than nothing.
	for _, r := range []string{refusedMalformed, refusedBinary, refusedTooBig, "rate_limited", "bad_request", "forbidden", "conflict", "not_found", "over_budget", "internal"} {
		m.refused.WithLabelValues(r)
	}
	for _, op := range []string{storeOpCommit, storeOpRead, storeOpLoad, storeOpState, storeOpReady} {
		m.storeErrors.WithLabelValues(op)
	}
	return m
}

// Store operations, as firedrill_store_errors_total labels them.
const (
	storeOpCommit = "commit" // an exercise's commit of inputs and events
	storeOpRead   = "read"   // a code looked up, an exercise listed
	storeOpLoad   = "load"   // an exercise loaded, resumed or taken over
	storeOpState  = "state"  // an exercise's state or speed stored
	storeOpReady  = "ready"  // the readiness probe's query
)
