package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// Connection limits, after gorilla's chat example.
const (
	// writeWait is how long one write may take before the client is
	// considered gone.
	writeWait = 10 * time.Second
	// pongWait is how long the server waits for a pong; pings go out at
	// pingPeriod, a little more often.
	pongWait   = 60 * time.Second
	pingPeriod = pongWait * 9 / 10
	// readLimit is the largest client frame taken; actions are small.
	readLimit = 64 << 10
	// sendQueue is how many frames may wait for a slow client before it is
	// dropped: a stalled reader must never hold the others back.
	sendQueue = 512
	// maxCoalesce is how many waiting events one frame may carry.
	maxCoalesce = 256
	// keptBuffer is the largest frame buffer a connection keeps between
	// writes; a burst's big coalesced frame is not held for ever.
	keptBuffer = 32 << 10
	// socketBuffer caps the kernel's send buffer, which otherwise grows to
	// megabytes and hides a stalled reader from the send-queue rule.
	socketBuffer = 256 << 10
	// actionRate and actionBurst bound each connection's actions per second.
	actionRate  = 20
	actionBurst = 40
)

// outgoing is one queued frame: a marshalled engine.Event (event true),
// kept raw so the write pump can coalesce several into one "events" frame,
// or a whole frame. One slice and a flag keep a queue slot at 32 bytes,
// which matters at sendQueue slots a connection (CONN-MEM).
type outgoing struct {
	b     []byte
	event bool
}

// client is one websocket connection of a participant.
type client struct {
	h      *host
	conn   *websocket.Conn
	viewer engine.Viewer
	you    protocol.You
	send   chan outgoing
	// closeOnce guards send and the reason; the write pump closes the
	// socket once send is closed.
	closeOnce sync.Once
	reason    string
	gone      bool // dropped; set and read by the host's loop only
	// hello is set once the client said hello; read pump only.
	hello bool
	// allowance is the action rate limiter's token bucket, read pump only.
	allowance float64
	lastCheck time.Time
}

// sendFrame queues a frame. It is called from the host's loop only.
func (c *client) sendFrame(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	c.queue(outgoing{b: b})
}

// queue never blocks: a client whose queue is full is dropped with a
// reason, so the loop goes on serving everyone else.
func (c *client) queue(o outgoing) {
	if c.gone {
		return
	}
	select {
	case c.send <- o:
	default:
		c.drop("too slow: more than " + itoa(sendQueue) + " frames waiting")
	}
}

// drop closes the client's queue; its write pump says why and hangs up.
func (c *client) drop(reason string) {
	c.closeOnce.Do(func() {
		c.reason, c.gone = reason, true
		close(c.send)
		delete(c.h.clients, c)
	})
}

// writePump is the connection's only writer. Waiting events go out
// coalesced into one frame, the lever that keeps a busy connection cheap.
func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	var buf bytes.Buffer
	for {
		select {
		case o, ok := <-c.send:
			if !ok {
				c.closing()
				return
			}
			if !c.write(&buf, o) {
				return
			}
		case <-ticker.C:
			_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

// write sends o, and with it every event already waiting behind it,
// coalesced into one frame. It reports false when the connection is done.
func (c *client) write(buf *bytes.Buffer, o outgoing) bool {
	for {
		_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
		if !o.event {
			return c.conn.WriteMessage(websocket.TextMessage, o.b) == nil
		}
		events := [][]byte{o.b}
		var next *outgoing
		closed := false
	collect:
		for len(events) < maxCoalesce {
			select {
			case n, ok := <-c.send:
				switch {
				case !ok:
					closed = true
					break collect
				case !n.event:
					next = &n
					break collect
				}
				events = append(events, n.b)
			default:
				break collect
			}
		}
		buf.Reset()
		if len(events) == 1 {
			buf.WriteString(`{"type":"event","event":`)
			buf.Write(events[0])
			buf.WriteByte('}')
		} else {
			buf.WriteString(`{"type":"events","events":[`)
			for i, e := range events {
				if i > 0 {
					buf.WriteByte(',')
				}
				buf.Write(e)
			}
			buf.WriteString(`]}`)
		}
		if err := c.conn.WriteMessage(websocket.TextMessage, buf.Bytes()); err != nil {
			return false
		}
		if buf.Cap() > keptBuffer {
			*buf = bytes.Buffer{}
		}
		if closed {
			c.closing()
			return false
		}
		if next == nil {
			return true
		}
		o = *next
	}
}

// closing tells the client why it is dropped, then closes politely.
func (c *client) closing() {
	if c.reason == "" {
		return
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
	b, _ := json.Marshal(protocol.Closing{Type: protocol.TypeClosing, Reason: c.reason})
	_ = c.conn.WriteMessage(websocket.TextMessage, b)
	_ = c.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, truncate(c.reason, 120)))
}

// readPump is the connection's only reader: it decodes frames and hands
// them to the exercise's loop; malformed or unwelcome frames get a typed
// error frame and the connection goes on. A frame over readLimit ends the
// connection (the protocol cannot resync), with an error frame first.
func (c *client) readPump(srv *Server) {
	defer func() {
		c.h.post(request{client: c, leave: true})
		c.conn.Close()
	}()
	c.conn.SetReadLimit(readLimit)
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(pongWait)) })
	c.lastCheck = time.Now()
	c.allowance = actionBurst
	for {
		_, msg, err := c.conn.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.h.post(request{client: c, reject: &protocol.Error{Type: protocol.TypeError, Code: protocol.CodeBadRequest,
					Message: "frame larger than " + itoa(readLimit) + " bytes; the connection is closed"}, kick: "oversized frame"})
			}
			return
		}
		srv.frame(c, msg)
	}
}

// allow is the token bucket: actionRate per second, bursts of actionBurst.
func (c *client) allow() bool {
	now := time.Now()
	c.allowance = min(actionBurst, c.allowance+now.Sub(c.lastCheck).Seconds()*actionRate)
	c.lastCheck = now
	if c.allowance < 1 {
		return false
	}
	c.allowance--
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
