package server

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/internal/pgtest"
	"github.com/firedrill/firedrill/server/protocol"
)

// probe GETs a probe and returns its status and reason.
func probe(t *testing.T, ts *testServer, path string) (int, string) {
	t.Helper()
	res, err := http.Get(ts.http.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Reason string `json:"reason"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body.Reason
}

// TestReadyFollowsTheStore: /readyz fails while the PostgreSQL database
// cannot be reached and recovers when it can again, and fails for good
// once the server drains; /healthz answers throughout. The database is
// "stopped" by a proxy between the server and PostgreSQL that cuts every
// connection and hangs up on new ones, as a database that went down.
func TestReadyFollowsTheStore(t *testing.T) {
	dsn := pgtest.DSN(t)
	px := newCutProxy(t, dsn)
	ts := serveStore(t, openStore(t, px.dsn))
	create(t, ts, "kim")

	if status, reason := probe(t, ts, "/readyz"); status != http.StatusOK {
		t.Fatalf("/readyz with the database up: %d %s", status, reason)
	}
	px.stop()
	if status, reason := probe(t, ts, "/readyz"); status != http.StatusServiceUnavailable || !strings.Contains(reason, "store") {
		t.Fatalf("/readyz with the database down: %d %q, want 503 naming the store", status, reason)
	}
	if status, _ := probe(t, ts, "/healthz"); status != http.StatusOK {
		t.Fatalf("/healthz with the database down: %d, want 200 (liveness only)", status)
	}
	if n := valueOf(t, ts.srv.metrics.storeErrors.WithLabelValues(storeOpReady)); n < 1 {
		t.Fatalf("store errors of the readiness probe: %v, want at least 1", n)
	}
	px.start()
	if status, reason := probe(t, ts, "/readyz"); status != http.StatusOK {
		t.Fatalf("/readyz once the database is back: %d %s", status, reason)
	}
	ts.srv.Drain()
	if status, reason := probe(t, ts, "/readyz"); status != http.StatusServiceUnavailable || !strings.Contains(reason, "draining") {
		t.Fatalf("/readyz while draining: %d %q", status, reason)
	}
}

// cutProxy forwards TCP connections to a PostgreSQL server; stopped, it
// cuts the connections it carries and hangs up on new ones.
type cutProxy struct {
	ln     net.Listener
	target string
	dsn    string // the DSN given, through the proxy

	mu      sync.Mutex
	stopped bool
	conns   map[net.Conn]struct{}
}

func newCutProxy(t *testing.T, dsn string) *cutProxy {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	u.Host = ln.Addr().String()
	p := &cutProxy{ln: ln, target: target, dsn: u.String(), conns: map[net.Conn]struct{}{}}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.serve(&wg)
	}()
	t.Cleanup(func() {
		ln.Close()
		p.stop()
		wg.Wait()
	})
	return p
}

func (p *cutProxy) serve(wg *sync.WaitGroup) {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.stopped {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[up] = struct{}{}, struct{}{}
		p.mu.Unlock()
		wg.Add(2)
		go p.pipe(wg, c, up)
		go p.pipe(wg, up, c)
	}
}

func (p *cutProxy) pipe(wg *sync.WaitGroup, dst, src net.Conn) {
	defer wg.Done()
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
	p.mu.Lock()
	delete(p.conns, dst)
	delete(p.conns, src)
	p.mu.Unlock()
}

// stop cuts every connection and refuses new ones: the database is down.
func (p *cutProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	for c := range p.conns {
		c.Close()
	}
}

// start lets connections through again.
func (p *cutProxy) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = false
}

// valueOf reads a counter's or a gauge's value.
func valueOf(t *testing.T, m prometheus.Metric) float64 {
	t.Helper()
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		t.Fatal(err)
	}
	switch {
	case d.Counter != nil:
		return d.Counter.GetValue()
	case d.Gauge != nil:
		return d.Gauge.GetValue()
	}
	t.Fatalf("%s is neither a counter nor a gauge", m.Desc())
	return 0
}

// metricsOf scrapes /metrics into values by series, "name{labels}".
func metricsOf(t *testing.T, ts *testServer) map[string]float64 {
	t.Helper()
	res, err := http.Get(ts.http.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", res.StatusCode)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("/metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// TestMetricsMove scrapes /metrics before and during an exercise: each
// counter the operator watches moves with what happens.
func TestMetricsMove(t *testing.T) {
	ts := newTestServer(t)
	before := metricsOf(t, ts)
	resp := create(t, ts, "kim")
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	kim := ts.dial(t, seatCode(t, resp, "kim"))
	kim.hello(0)
	say(kim, "c1", "group:network", "/oncall")
	kim.sync("m1") // a frame the server cannot take: malformed
	if code := act(kim, "o1", "", engine.Action{Op: engine.OpChat, Channel: "group:network", Text: strings.Repeat("x", engine.DefaultLimits().TextBytes+1)}); code != protocol.CodeOverBudget {
		t.Fatalf("a line over its budget: %s", orAck(code))
	}
	caughtUp(fac, "f1")
	during := metricsOf(t, ts)

	for _, tt := range []struct {
		series string
		want   func(before, during float64) bool
		says   string
	}{
		{"firedrill_exercises_hosted", func(b, d float64) bool { return b == 0 && d == 1 }, "0, then 1"},
		{"firedrill_exercises_created_total", func(b, d float64) bool { return d == b+1 }, "one more"},
		{"firedrill_connections", func(b, d float64) bool { return b == 0 && d == 2 }, "0, then 2"},
		{"firedrill_events_delivered_total", func(b, d float64) bool { return d > b }, "more"},
		{`firedrill_frames_refused_total{reason="malformed"}`, func(b, d float64) bool { return d == b+1 }, "one more"},
		{`firedrill_frames_refused_total{reason="over_budget"}`, func(b, d float64) bool { return d == b+1 }, "one more"},
		{"firedrill_commit_seconds_count", func(b, d float64) bool { return d > b }, "more"},
		{"firedrill_ack_seconds_count", func(b, d float64) bool { return d >= b+2 }, "two more at least: the chats"},
		{"go_goroutines", func(b, d float64) bool { return d > 0 }, "some"},
	} {
		b, okB := before[tt.series]
		d, okD := during[tt.series]
		if !okB || !okD || !tt.want(b, d) {
			t.Errorf("%s: %v (%v) before, %v (%v) during; want %s", tt.series, b, okB, d, okD, tt.says)
		}
	}
	for _, series := range []string{`firedrill_store_errors_total{op="commit"}`, "firedrill_slow_clients_dropped_total"} {
		if _, ok := during[series]; !ok {
			t.Errorf("%s is not exported", series)
		}
	}
	// The metrics are the server's own: a second server counts from zero.
	other := newTestServer(t)
	if n := metricsOf(t, other)["firedrill_exercises_created_total"]; n != 0 {
		t.Errorf("a second server's created_total is %v: the registry is shared", n)
	}
}
