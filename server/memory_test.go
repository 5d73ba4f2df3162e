package server

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/store"
)

// TestJoinersDoNotHoldTheBacklog replays the memory attack against a real
// `firedrill serve`: sixteen sockets on one code join an exercise with a
// backlog of 32 MB and never read past the welcome. Each is paged its
// backlog as it reads, so the server's live heap grows by a few hundred
// KB a socket; queuing the whole backlog for each grew it by half a
// gigabyte.
func TestJoinersDoNotHoldTheBacklog(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the firedrill binary")
	}
	const (
		line    = 16 << 10
		lines   = 2048 // 32 MB of chat
		sockets = DefaultConnsPerCode
		bound   = 6 << 20
	)
	db := filepath.Join(t.TempDir(), "firedrill.db")
	resp := backlogOf(t, db, lines, line)

	srv := startServe(t, firedrillBinary(t), db, "--pprof-addr", "127.0.0.1:0")
	before := liveHeap(t, srv.pprof)
	code := seatCode(t, resp, "kim")
	for range sockets {
		c := dialStalled(t, srv.url, code)
		if w := c.hello(0); w.LastSeq < lines {
			t.Fatalf("the welcome says the log ends at %d, before the %d lines", w.LastSeq, lines)
		}
		// Read no further: the backlog waits on the server.
	}
	after := liveHeap(t, srv.pprof)
	t.Logf("live heap %d KB with the backlog loaded, %d KB with %d stalled joiners: %d KB a socket",
		before>>10, after>>10, sockets, (after-before)/sockets>>10)
	if grown := after - before; grown > bound {
		t.Fatalf("%d stalled joiners grew the live heap by %d KB, more than %d KB", sockets, grown>>10, bound>>10)
	}
}

// backlogOf stores an exercise in which kim has said lines lines of size
// bytes on the network team's channel, still running, and returns its
// codes. It runs a server in the test's process to take the lines, as
// fast as its loop does, then shuts it down.
func backlogOf(t *testing.T, db string, lines, size int) CreateResponse {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveStoreWith(t, st, func(c *Config) {
		c.Limits = engine.Limits{TextBytes: size, SeatBytes: lines * size, ExerciseBytes: lines * size}
	})
	resp := create(t, ts, "kim")
	h := ts.srv.hostOf(resp.ID)
	text := strings.Repeat("x", size)
	dones := make([]chan outcome, lines)
	for i := range lines {
		in := engine.Say(engine.Actor{Name: "kim", Role: engine.RoleTechnician}, "group:network", text)
		in.Action.ID = "l" + strconv.Itoa(i)
		dones[i] = make(chan outcome, 1)
		if !h.post(request{in: &in, done: dones[i]}) {
			t.Fatal("the exercise took no line")
		}
	}
	for i, done := range dones {
		if o := <-done; o.err != nil {
			t.Fatalf("line %d: %v", i, o.err)
		}
	}
	if err := ts.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return resp
}

// dialStalled opens a websocket with a small receive window, so what the
// server sends and the reader does not read stays on the server.
func dialStalled(t *testing.T, base, code string) *conn {
	t.Helper()
	d := websocket.Dialer{NetDial: func(network, addr string) (net.Conn, error) {
		nd := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		}}
		return nd.Dial(network, addr)
	}}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws", http.Header{"Authorization": {"Bearer " + code}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return &conn{t: t, ws: ws}
}

// liveHeap is a child's live heap after a collection, in bytes, from its
// profiler: the heap profile collects first when asked (gc=1) and reports
// runtime.MemStats after it.
func liveHeap(t *testing.T, pprof string) int64 {
	t.Helper()
	if pprof == "" {
		t.Fatal("the child announced no pprof address")
	}
	res, err := http.Get(pprof + "heap?gc=1&debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "# HeapAlloc = "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("the heap profile has no HeapAlloc line (%v)", sc.Err())
	return 0
}
