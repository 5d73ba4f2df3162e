package tui

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/server/protocol"
)

// readGuard bounds every wait on a channel in tests, so a broken client
// fails instead of hanging. It is a guard, not a pace.
const readGuard = 20 * time.Second

func TestWebsocketURL(t *testing.T) {
	tests := map[string]string{
		"http://localhost:8080":      "ws://localhost:8080/ws",
		"https://drill.example.com/": "wss://drill.example.com/ws",
		"localhost:8080":             "ws://localhost:8080/ws",
		"ws://h:1/ws":                "ws://h:1/ws",
		"wss://h/custom/ws":          "wss://h/custom/ws",
		" http://h:2 ":               "ws://h:2/ws",
	}
	for in, want := range tests {
		got, err := WebsocketURL(in)
		if err != nil || got != want {
			t.Errorf("WebsocketURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ftp://h", "http://"} {
		if _, err := WebsocketURL(bad); err == nil {
			t.Errorf("WebsocketURL(%q) took it", bad)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := &Client{minB: 500 * time.Millisecond, maxB: 15 * time.Second}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 15 * time.Second, 15 * time.Second}
	for n, w := range want {
		if got := c.backoff(n); got != w {
			t.Errorf("backoff(%d) = %v, want %v", n, got, w)
		}
	}
}

// TestBackoffJitter: each wait falls in the upper half of the backoff, so
// consoles dropped together do not return together.
func TestBackoffJitter(t *testing.T) {
	for _, tt := range []struct {
		draw float64
		want time.Duration
	}{
		{0, 4 * time.Second}, {0.5, 3 * time.Second}, {0.75, 2500 * time.Millisecond},
		{-1, 4 * time.Second}, {1, 4 * time.Second}, // out of range: no jitter
	} {
		c := &Client{jitter: func() float64 { return tt.draw }}
		if got := c.jittered(4 * time.Second); got != tt.want {
			t.Errorf("jittered(4s) with draw %v = %v, want %v", tt.draw, got, tt.want)
		}
	}
	// The default draws at random: waits spread over (d/2, d].
	c := &Client{minB: time.Second, maxB: 8 * time.Second, jitter: randomFraction}
	seen := map[time.Duration]bool{}
	for range 200 {
		d := c.jittered(c.backoff(3))
		if d <= 4*time.Second || d > 8*time.Second {
			t.Fatalf("a wait of %v for a backoff of 8s", d)
		}
		seen[d] = true
	}
	if len(seen) < 100 {
		t.Fatalf("200 waits took only %d values: not spread", len(seen))
	}
}

// noJitter makes every reconnection wait the whole backoff, for tests that
// step the clock by it.
func noJitter() float64 { return 0 }

// script is a websocket server that plays one scripted session per
// connection: it checks the code, reads hello, and hands the connection
// to the session's function.
type script struct {
	t        *testing.T
	sessions []func(ws *websocket.Conn, hello protocol.Hello)
	hellos   chan protocol.Hello

	mu     sync.Mutex
	refuse map[int]bool // refuse connection i with 401
	n      int
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := s.n
	s.n++
	refused := s.refuse[i]
	s.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer CODE-1" || refused {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(protocol.Error{Type: "error", Code: "unauthorized", Message: "a valid join or facilitator code is required"})
		return
	}
	up := websocket.Upgrader{}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	var h protocol.Hello
	if err := ws.ReadJSON(&h); err != nil {
		return
	}
	s.hellos <- h
	if i < len(s.sessions) {
		s.sessions[i](ws, h)
	}
	// Hold the connection until the client goes.
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			return
		}
	}
}

func newScript(t *testing.T, sessions ...func(*websocket.Conn, protocol.Hello)) (*script, string) {
	t.Helper()
	s := &script{t: t, sessions: sessions, hellos: make(chan protocol.Hello, 8)}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

func chatEvent(seq uint64) engine.Event {
	return engine.Event{Seq: seq, Kind: engine.KindChat, Data: engine.ChatData{Channel: "group:a", From: "b", Text: "m"}}
}

func sendEvents(ws *websocket.Conn, seqs ...uint64) {
	var evs []engine.Event
	for _, s := range seqs {
		evs = append(evs, chatEvent(s))
	}
	_ = ws.WriteJSON(protocol.Events{Type: protocol.TypeEvents, Events: evs})
}

func welcomeFrame(ws *websocket.Conn) {
	_ = ws.WriteJSON(protocol.Welcome{Type: protocol.TypeWelcome, Exercise: "x", You: protocol.You{Name: "kim", Role: "technician"}, Speed: 10})
}

// next reads the next message from the client, failing on the guard.
func next(t *testing.T, c *Client) Message {
	t.Helper()
	select {
	case m, ok := <-c.Messages():
		if !ok {
			t.Fatal("the client stopped")
		}
		return m
	case <-time.After(readGuard):
		t.Fatal("no message from the client")
	}
	return Message{}
}

// until reads messages until one satisfies ok, collecting the events on
// the way.
func until(t *testing.T, c *Client, seen *[]uint64, ok func(Message) bool) Message {
	t.Helper()
	for {
		m := next(t, c)
		for _, e := range m.Events {
			*seen = append(*seen, e.Seq)
		}
		if ok(m) {
			return m
		}
	}
}

func linkIs(l Link) func(Message) bool {
	return func(m Message) bool { return m.Conn != nil && m.Conn.Link == l }
}

// TestClientResumes: after a drop the client waits its backoff on the
// injected clock, redials, says hello with the last sequence number it
// saw, and drops events the server sends twice.
func TestClientResumes(t *testing.T) {
	dropped := make(chan struct{})
	s, url := newScript(t,
		func(ws *websocket.Conn, h protocol.Hello) {
			welcomeFrame(ws)
			sendEvents(ws, 1, 2, 3)
			<-dropped
			ws.Close() // the network fails
		},
		func(ws *websocket.Conn, h protocol.Hello) {
			welcomeFrame(ws)
			sendEvents(ws, 2, 3, 4, 5) // overlaps what the client has
			sendEvents(ws, 5, 6)
		},
	)
	fake := clock.NewFake(start)
	c, err := Dial(context.Background(), url, "CODE-1", WithBackoffClock(fake), WithBackoff(time.Second, 8*time.Second), WithJitter(noJitter))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if h := <-s.hellos; h.ResumeAfter != 0 {
		t.Fatalf("first hello resumes after %d", h.ResumeAfter)
	}
	var seen []uint64
	until(t, c, &seen, func(m Message) bool { return len(seen) == 3 })
	close(dropped)
	m := until(t, c, &seen, linkIs(Retrying))
	if m.Conn.RetryIn != time.Second || m.Conn.Attempt != 1 {
		t.Fatalf("retrying %+v, want the first backoff", m.Conn)
	}
	if err := c.Send(protocol.Chat{Type: "chat", ID: "c1", Text: "hi"}); err != ErrOffline {
		t.Fatalf("Send while reconnecting: %v, want ErrOffline", err)
	}
	fake.BlockUntil(1)
	fake.Advance(time.Second)
	if h := <-s.hellos; h.ResumeAfter != 3 {
		t.Fatalf("resumed after %d, want 3", h.ResumeAfter)
	}
	until(t, c, &seen, func(Message) bool { return len(seen) >= 6 })
	if diff := cmp.Diff([]uint64{1, 2, 3, 4, 5, 6}, seen); diff != "" {
		t.Fatalf("events, each once and in order (-want +got):\n%s", diff)
	}
	if c.LastSeq() != 6 {
		t.Fatalf("LastSeq %d", c.LastSeq())
	}
}

// TestClientBacksOffAndGivesUp: each failed session doubles the wait
// before the next attempt; a refused code stops the client with the
// server's words.
func TestClientBacksOffAndGivesUp(t *testing.T) {
	hangUp := func(ws *websocket.Conn, h protocol.Hello) { ws.Close() }
	s, url := newScript(t, hangUp, hangUp)
	s.mu.Lock()
	s.refuse = map[int]bool{2: true}
	s.mu.Unlock()
	fake := clock.NewFake(start)
	c, err := Dial(context.Background(), url, "CODE-1", WithBackoffClock(fake), WithBackoff(time.Second, 8*time.Second), WithJitter(noJitter))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	<-s.hellos
	var seen []uint64
	for _, want := range []time.Duration{time.Second, 2 * time.Second} {
		m := until(t, c, &seen, linkIs(Retrying))
		if m.Conn.RetryIn != want {
			t.Fatalf("waits %v before attempt %d, want %v", m.Conn.RetryIn, m.Conn.Attempt, want)
		}
		fake.BlockUntil(1)
		fake.Advance(want)
		if want == time.Second {
			<-s.hellos // the second connection is taken, then dropped at once
		}
	}
	m := until(t, c, &seen, linkIs(Offline))
	if !strings.Contains(m.Conn.Err, "the server did not accept the code: a valid join or facilitator code is required") {
		t.Fatalf("gave up with %q", m.Conn.Err)
	}
	select {
	case _, ok := <-c.Messages():
		if ok {
			t.Fatal("messages after giving up")
		}
	case <-time.After(readGuard):
		t.Fatal("the message channel stays open after giving up")
	}
}

func TestDialRefused(t *testing.T) {
	_, url := newScript(t)
	_, err := Dial(context.Background(), url, "WRONG")
	if err == nil || !strings.Contains(err.Error(), "the server did not accept the code: a valid join or facilitator code is required") {
		t.Fatalf("Dial with a wrong code: %v", err)
	}
	_, err = Dial(context.Background(), "http://127.0.0.1:1", "CODE-1")
	if err == nil || !strings.Contains(err.Error(), "cannot reach the firedrill server at ws://127.0.0.1:1/ws") {
		t.Fatalf("Dial with nobody listening: %v", err)
	}
	if _, err := Dial(context.Background(), url, "  "); err == nil {
		t.Fatal("Dial without a code")
	}
}

// TestClientSendsFrames: Send writes JSON frames after hello; Close stops
// everything and closes Messages.
func TestClientSendsFrames(t *testing.T) {
	got := make(chan map[string]any, 4)
	_, url := newScript(t, func(ws *websocket.Conn, h protocol.Hello) {
		welcomeFrame(ws)
		for {
			var f map[string]any
			if err := ws.ReadJSON(&f); err != nil {
				return
			}
			got <- f
		}
	})
	c, err := Dial(context.Background(), url, "CODE-1")
	if err != nil {
		t.Fatal(err)
	}
	var seen []uint64
	until(t, c, &seen, func(m Message) bool { return m.Welcome != nil })
	if err := c.Send(protocol.Chat{Type: "chat", ID: "c1", Channel: "group:a", Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	select {
	case f := <-got:
		if f["type"] != "chat" || f["id"] != "c1" || f["text"] != "hello" {
			t.Fatalf("server got %v", f)
		}
	case <-time.After(readGuard):
		t.Fatal("the frame never arrived")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	for range c.Messages() {
	}
}
