package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/server/internal/pgtest"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// readTimeout bounds every read in tests, so a broken server fails the test
// instead of hanging it. It is a guard, not a pace: tests never wait on it.
const readTimeout = 20 * time.Second

type testServer struct {
	srv  *Server
	http *httptest.Server
	st   *store.Store
	fake *clock.Fake
}

// newTestServer runs a server on a fresh SQLite file with a fake wall
// clock.
func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerOn(t, store.DriverSQLite)
}

// backends are the stores the tests that matter most run on; PostgreSQL's
// are skipped when pgtest.Env is unset.
var backends = []string{store.DriverSQLite, store.DriverPostgres}

// newTestServerOn runs a server on a fresh database of the backend.
func newTestServerOn(t *testing.T, backend string) *testServer {
	t.Helper()
	return newTestServerWith(t, backend, nil)
}

// newTestServerWith runs a server on a fresh database of the backend,
// with its Config changed by configure.
func newTestServerWith(t *testing.T, backend string, configure func(*Config)) *testServer {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "firedrill.db")
	if backend == store.DriverPostgres {
		dsn = pgtest.DSN(t)
	}
	return serveStoreWith(t, openStore(t, dsn), configure)
}

// openStore opens a store on dsn for a test, closed after the servers on
// it have shut down.
func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// serveStore runs a server on st, as a (re)started process would, with a
// fake wall clock, and shuts it down when the test ends.
func serveStore(t *testing.T, st *store.Store) *testServer {
	t.Helper()
	return serveStoreWith(t, st, nil)
}

// serveStoreWith is serveStore with the Config changed by configure.
func serveStoreWith(t *testing.T, st *store.Store, configure func(*Config)) *testServer {
	t.Helper()
	fake := clock.NewFake(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	cfg := Config{Store: st, Clock: fake, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	})
	return &testServer{srv: srv, http: hs, st: st, fake: fake}
}

// get GETs path with code as the bearer; the caller closes the body.
func (ts *testServer) get(t *testing.T, path, code string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.http.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+code)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// getStatus GETs path with code as the bearer and returns the status.
func (ts *testServer) getStatus(t *testing.T, path, code string) int {
	t.Helper()
	res := ts.get(t, path, code)
	res.Body.Close()
	return res.StatusCode
}

// getJSON GETs path with code as the bearer and decodes the answer into v.
func (ts *testServer) getJSON(t *testing.T, path, code string, v any) {
	t.Helper()
	res := ts.get(t, path, code)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// blockUntil waits until n timers are armed on ts's clock, failing the
// test when they are not within readTimeout (a guard, not a pace).
func (ts *testServer) blockUntil(t *testing.T, n int, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		ts.fake.BlockUntil(n)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(readTimeout):
		t.Fatalf("%s: %d timers never armed", what, n)
	}
}

// step moves the wall clock and waits until the exercise loop has handled
// it and armed its next timer: a synchronisation point, not a sleep. It
// first waits for the loop to hold a timer: a loop still finishing a
// request (a read the test has just had answered) may have worked out its
// wait from the time before the move, and would arm it from the time
// after, a whole step late.
func (ts *testServer) step(d time.Duration) {
	ts.fake.BlockUntil(1)
	ts.fake.Advance(d)
	ts.fake.BlockUntil(1)
}

type conn struct {
	t  *testing.T
	ws *websocket.Conn
	// pending holds events read while looking for another frame.
	events []engine.Event
	frames []map[string]json.RawMessage
}

func (ts *testServer) dial(t *testing.T, code string) *conn {
	t.Helper()
	url := "ws" + strings.TrimPrefix(ts.http.URL, "http") + "/ws"
	ws, res, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + code}})
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	t.Cleanup(func() { ws.Close() })
	return &conn{t: t, ws: ws}
}

func (c *conn) send(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatal(err)
	}
}

func (c *conn) sendRaw(b []byte) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		c.t.Fatal(err)
	}
}

// next reads one frame, keeping the events it carries.
func (c *conn) next() (string, map[string]json.RawMessage) {
	c.t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(readTimeout))
	_, b, err := c.ws.ReadMessage()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(b, &f); err != nil {
		c.t.Fatalf("frame is not JSON: %s", b)
	}
	var typ string
	_ = json.Unmarshal(f["type"], &typ)
	switch typ {
	case protocol.TypeEvent:
		var e engine.Event
		if err := json.Unmarshal(f["event"], &e); err != nil {
			c.t.Fatal(err)
		}
		c.events = append(c.events, e)
	case protocol.TypeEvents:
		var es []engine.Event
		if err := json.Unmarshal(f["events"], &es); err != nil {
			c.t.Fatal(err)
		}
		c.events = append(c.events, es...)
	}
	return typ, f
}

// until reads frames until one of type typ (any type when empty) and id
// (when given) arrives.
func (c *conn) until(typ, id string) map[string]json.RawMessage {
	c.t.Helper()
	for {
		got, f := c.next()
		if typ != "" && got != typ {
			continue
		}
		if id != "" {
			var fid string
			_ = json.Unmarshal(f["id"], &fid)
			if fid != id {
				continue
			}
		}
		return f
	}
}

// hello joins and returns the welcome.
func (c *conn) hello(resumeAfter uint64) protocol.Welcome {
	c.t.Helper()
	c.send(protocol.Hello{Type: protocol.TypeHello, ResumeAfter: resumeAfter})
	f := c.until(protocol.TypeWelcome, "")
	var w protocol.Welcome
	b, _ := json.Marshal(f)
	_ = json.Unmarshal(b, &w)
	return w
}

// errorCode reads until the error answering id and returns its code.
func (c *conn) errorCode(id string) string {
	c.t.Helper()
	for {
		typ, f := c.next()
		var fid string
		_ = json.Unmarshal(f["id"], &fid)
		if fid != id {
			continue
		}
		if typ == protocol.TypeAck {
			c.t.Fatalf("frame %s was acknowledged, want an error", id)
		}
		if typ == protocol.TypeError {
			var code string
			_ = json.Unmarshal(f["code"], &code)
			return code
		}
	}
}

// closeError reads and discards frames until the connection ends, and
// returns how it ended (a *websocket.CloseError when the server closed it).
func (c *conn) closeError() error {
	_ = c.ws.SetReadDeadline(time.Now().Add(readTimeout))
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			return err
		}
	}
}
