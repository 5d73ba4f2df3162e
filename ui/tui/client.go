package tui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/server/protocol"
)

// Connection limits, matching the server's (server/client.go).
const (
	// writeWait bounds one write; a stalled socket is treated as dropped.
	writeWait = 10 * time.Second
	// pongWait is how long the client waits for anything from the server,
	// pings included (the server pings every 54 s).
	pongWait = 70 * time.Second
	// maxFrame bounds a server frame: a coalesced frame carries up to 256
	// events, and a backlog chunk as many.
	maxFrame = 16 << 20
	// sendQueue is how many frames may wait for the writer.
	sendQueue = 64
	// messageQueue is how many messages may wait for the console's loop
	// before the reader stops reading (TCP then slows the server down).
	messageQueue = 256
)

// Reconnection backoff: it doubles from minBackoff up to maxBackoff and
// starts again after a welcome; each wait is drawn from its upper half
// (jittered).
const (
	defaultMinBackoff = 500 * time.Millisecond
	defaultMaxBackoff = 15 * time.Second
)

// ErrOffline is returned by Send while the client is reconnecting.
var ErrOffline = errors.New("not connected to the server; the console is reconnecting, try again in a moment")

// Client owns the websocket to a firedrill server for one seat. It says
// hello with the last event sequence number it saw, hands every frame to
// the console's loop through Messages, drops events it already has, and
// redials with backoff when the connection drops, so the console neither
// loses nor repeats events.
type Client struct {
	url    string
	header http.Header
	dialer *websocket.Dialer
	src    clock.Source
	minB   time.Duration
	maxB   time.Duration
	// jitter draws a fraction in [0, 1) for each reconnection wait.
	jitter func() float64

	ctx    context.Context
	cancel context.CancelFunc
	msgs   chan Message
	done   chan struct{}

	// last is the highest event sequence number handed to the loop. Only
	// the reader goroutine writes it.
	last atomic.Uint64

	mu  sync.Mutex
	cur *link // the live connection, nil while reconnecting
}

// link is one websocket connection and its writer.
type link struct {
	ws     *websocket.Conn
	out    chan []byte
	closed chan struct{}
	once   sync.Once
	stop   func() bool // unregisters the close-on-cancel hook
}

func (l *link) close() {
	l.once.Do(func() {
		close(l.closed)
		_ = l.ws.Close()
		if l.stop != nil {
			l.stop()
		}
	})
}

// ClientOption configures Dial.
type ClientOption func(*Client)

// WithBackoffClock sets the clock the reconnection backoff waits on; tests pass a
// clock.Fake and advance it. clock.Wall() by default.
func WithBackoffClock(src clock.Source) ClientOption { return func(c *Client) { c.src = src } }

// WithBackoff sets the first and the longest wait between reconnection
// attempts.
func WithBackoff(first, longest time.Duration) ClientOption {
	return func(c *Client) {
		if first > 0 {
			c.minB = first
		}
		if longest >= c.minB {
			c.maxB = longest
		}
	}
}

// WithJitter sets where in its upper half each reconnection wait falls: a
// fraction in [0, 1) from draw, 0 for the whole wait. Tests pass a fixed
// one; by default it is random.
func WithJitter(draw func() float64) ClientOption { return func(c *Client) { c.jitter = draw } }

// WithDialer sets the websocket dialer (TLS settings, proxies).
func WithDialer(d *websocket.Dialer) ClientOption { return func(c *Client) { c.dialer = d } }

// WithResumeAfter makes the first hello resume after seq, for a console
// that restarts and already showed the events up to it.
func WithResumeAfter(seq uint64) ClientOption { return func(c *Client) { c.last.Store(seq) } }

// Dial connects to the server at serverURL (http://host:port, https://…,
// ws://host:port/ws or host:port) with a join, observer or facilitator code
// and says hello. It fails at once, in words a person understands, when the
// server cannot be reached or refuses the code; after that the client
// reconnects on its own until ctx ends or Close is called.
func Dial(ctx context.Context, serverURL, code string, opts ...ClientOption) (*Client, error) {
	u, err := WebsocketURL(serverURL)
	if err != nil {
		return nil, err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, errors.New("tui: a join code is required")
	}
	c := &Client{
		url:    u,
		header: http.Header{"Authorization": {"Bearer " + code}},
		dialer: websocket.DefaultDialer,
		src:    clock.Wall(),
		minB:   defaultMinBackoff,
		maxB:   defaultMaxBackoff,
		jitter: randomFraction,
		msgs:   make(chan Message, messageQueue),
		done:   make(chan struct{}),
	}
	for _, o := range opts {
		o(c)
	}
	c.ctx, c.cancel = context.WithCancel(ctx)
	l, err := c.connect(c.ctx)
	if err != nil {
		c.cancel()
		return nil, err
	}
	go c.run(l)
	return c, nil
}

// WebsocketURL turns what a person types for a server into its websocket
// URL: the scheme becomes ws or wss, and the path /ws when none is given.
func WebsocketURL(server string) (string, error) {
	s := strings.TrimSpace(server)
	if s == "" {
		return "", errors.New("tui: no server address")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("tui: server address %q: %w", server, err)
	}
	switch u.Scheme {
	case "http", "ws":
		u.Scheme = "ws"
	case "https", "wss":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("tui: server address %q: use http://, https://, ws:// or wss://", server)
	}
	if u.Host == "" {
		return "", fmt.Errorf("tui: server address %q has no host", server)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/ws"
	}
	return u.String(), nil
}

// Messages delivers frames and connection changes in arrival order. It is
// closed once the client stops.
func (c *Client) Messages() <-chan Message { return c.msgs }

// LastSeq is the highest event sequence number delivered so far.
func (c *Client) LastSeq() uint64 { return c.last.Load() }

// Send queues a client frame (protocol.Action, protocol.Chat,
// protocol.Control) for the server. It never blocks; while reconnecting it
// returns ErrOffline.
func (c *Client) Send(frame any) error {
	b, err := json.Marshal(frame)
	if err != nil {
		return fmt.Errorf("tui: encode frame: %w", err)
	}
	c.mu.Lock()
	l := c.cur
	c.mu.Unlock()
	if l == nil {
		return ErrOffline
	}
	select {
	case <-l.closed:
		return ErrOffline
	case l.out <- b:
		return nil
	default:
		return errors.New("too many frames are waiting to be sent; slow down")
	}
}

// Close stops the client and waits for its goroutines.
func (c *Client) Close() error {
	c.cancel() // closes the live connection through its hook
	<-c.done
	return nil
}

// drop closes the current connection as if the network had failed; the
// client then reconnects. Tests use it.
func (c *Client) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil {
		c.cur.close()
	}
}

// connect dials, starts the writer and queues hello with the last sequence
// number seen.
func (c *Client) connect(ctx context.Context) (*link, error) {
	ws, res, err := c.dialer.DialContext(ctx, c.url, c.header)
	if err != nil {
		return nil, dialError(c.url, res, err)
	}
	ws.SetReadLimit(maxFrame)
	_ = ws.SetReadDeadline(time.Now().Add(pongWait))
	ws.SetPingHandler(func(data string) error {
		_ = ws.SetReadDeadline(time.Now().Add(pongWait))
		err := ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeWait))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	l := &link{ws: ws, out: make(chan []byte, sendQueue), closed: make(chan struct{})}
	// Cancelling the client unblocks a read in progress by closing the socket.
	l.stop = context.AfterFunc(c.ctx, l.close)
	hello, _ := json.Marshal(protocol.Hello{Type: protocol.TypeHello, ResumeAfter: c.last.Load()})
	l.out <- hello
	go l.write()
	c.mu.Lock()
	c.cur = l
	c.mu.Unlock()
	return l, nil
}

// write is the connection's only writer.
func (l *link) write() {
	for {
		select {
		case <-l.closed:
			return
		case b := <-l.out:
			_ = l.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := l.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				l.close()
				return
			}
		}
	}
}

// permanentError is a refusal that retrying cannot fix (a wrong code).
type permanentError struct{ msg string }

func (e *permanentError) Error() string { return e.msg }

// dialError says why a dial failed, with the server's own words when it
// answered.
func dialError(u string, res *http.Response, err error) error {
	if res == nil {
		return fmt.Errorf("cannot reach the firedrill server at %s: %v", u, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	var e protocol.Error
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Message != "" {
		msg = e.Message
	}
	switch res.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		return &permanentError{msg: "the server did not accept the code: " + msg}
	}
	if msg == "" {
		msg = res.Status
	}
	return fmt.Errorf("the server at %s refused the connection: %s", u, msg)
}

// run reads until the connection drops, then reconnects with backoff,
// until the client is closed.
func (c *Client) run(l *link) {
	defer close(c.done)
	defer close(c.msgs)
	attempt := 0
	for {
		if !c.post(Message{Conn: &ConnState{Link: Connecting, Attempt: attempt}}) {
			l.close()
			return
		}
		welcomed, err := c.read(l)
		l.close()
		c.mu.Lock()
		c.cur = nil
		c.mu.Unlock()
		if c.ctx.Err() != nil {
			c.post(Message{Conn: &ConnState{Link: Offline, Err: "closed"}})
			return
		}
		if welcomed {
			attempt = 0
		}
		reason := describeDrop(err)
		for {
			wait := c.jittered(c.backoff(attempt))
			attempt++
			if !c.post(Message{Conn: &ConnState{Link: Retrying, Err: reason, RetryIn: wait, Attempt: attempt}}) {
				return
			}
			if !c.wait(wait) {
				c.post(Message{Conn: &ConnState{Link: Offline, Err: "closed"}})
				return
			}
			next, err := c.connect(c.ctx)
			if err == nil {
				l = next
				break
			}
			var perm *permanentError
			if errors.As(err, &perm) {
				c.post(Message{Conn: &ConnState{Link: Offline, Err: perm.msg}})
				return
			}
			reason = err.Error()
		}
	}
}

// read hands frames to the loop until the connection fails. Events at or
// below the last sequence number seen are dropped: a resumed backlog may
// overlap what a half-read coalesced frame already delivered.
func (c *Client) read(l *link) (welcomed bool, err error) {
	for {
		_, b, err := l.ws.ReadMessage()
		if err != nil {
			return welcomed, err
		}
		_ = l.ws.SetReadDeadline(time.Now().Add(pongWait))
		m, err := decodeFrame(b)
		if err != nil {
			continue // a frame this client does not know; the next may be fine
		}
		if m.Welcome != nil {
			welcomed = true
			if !c.post(Message{Conn: &ConnState{Link: Live}}) {
				return welcomed, c.ctx.Err()
			}
		}
		if m.Events != nil {
			m.Events = c.fresh(m.Events)
			if len(m.Events) == 0 {
				continue
			}
		}
		if !c.post(m) {
			return welcomed, c.ctx.Err()
		}
	}
}

// fresh keeps the events after the last one seen and advances it.
func (c *Client) fresh(evs []engine.Event) []engine.Event {
	last := c.last.Load()
	out := evs[:0]
	for _, e := range evs {
		if e.Seq <= last {
			continue
		}
		last = e.Seq
		out = append(out, e)
	}
	c.last.Store(last)
	return out
}

func (c *Client) post(m Message) bool {
	select {
	case c.msgs <- m:
		return true
	case <-c.ctx.Done():
		return false
	}
}

// backoff is the wait before reconnection attempt n (0-based).
func (c *Client) backoff(n int) time.Duration {
	d := c.minB
	for i := 0; i < n && d < c.maxB; i++ {
		d *= 2
	}
	return min(d, c.maxB)
}

// jittered spreads a wait over (d/2, d]: after a server restarts, every
// console it dropped would otherwise come back at the same instants, in
// lockstep, attempt after attempt.
func (c *Client) jittered(d time.Duration) time.Duration {
	f := c.jitter()
	if f < 0 || f >= 1 {
		f = 0
	}
	return d - time.Duration(f*float64(d/2))
}

// randomFraction is the default jitter.
func randomFraction() float64 { return rand.Float64() }

// wait blocks for d on the client's clock; false when the client closed.
func (c *Client) wait(d time.Duration) bool {
	t := c.src.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return true
	case <-c.ctx.Done():
		return false
	}
}

// describeDrop says why a connection ended, for the header.
func describeDrop(err error) string {
	var ce *websocket.CloseError
	switch {
	case err == nil:
		return "the connection closed"
	case errors.As(err, &ce):
		if ce.Text != "" {
			return "the server closed the connection: " + ce.Text
		}
		return "the server closed the connection"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection dropped"
	}
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return "the server stopped answering"
	}
	return "the connection dropped"
}
