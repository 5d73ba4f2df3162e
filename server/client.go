package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
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
	// sendQueueBytes is how much may wait for a client before it is
	// dropped as too slow, about 3,000 events of 300 bytes: a stalled
	// reader must never hold the others back, and a burst at one instant
	// is not a stalled reader.
	sendQueueBytes = 1 << 20
	// maxCoalesce is how many waiting events one frame may carry.
	maxCoalesce = 256
	// keptBuffer is the largest frame buffer a connection keeps between
	// writes; a burst's big coalesced frame is not held for ever.
	keptBuffer = 32 << 10
	// socketBuffer caps the kernel's send buffer, which otherwise grows to
	// megabytes and hides a stalled reader from the send-queue rule.
	socketBuffer = 256 << 10
	// actionRate and actionBurst bound each connection's frames per
	// second; floodLimit refusals in a row close the connection.
	actionRate  = 20
	actionBurst = 40
	floodLimit  = 2 * actionBurst
)

// client is one websocket connection of a participant.
type client struct {
	h        *host
	conn     *websocket.Conn
	codeHash string // the code it joined with, for Config.ConnsPerCode
	viewer   engine.Viewer
	you      protocol.You
	out      *outbox
	// closeOnce guards closing out, the reason and the close code; the
	// write pump closes the socket once out is closed and empty.
	closeOnce sync.Once
	reason    string
	closeCode int  // websocket close code; 1008 (policy violation) when zero
	gone      bool // dropped; set and read by the host's loop only
	// catchingUp says the client is still being paged its backlog: it
	// hears no live event until the page that reaches the published log
	// (hub.go). cursor is the last seq paged to it; deferred holds the
	// answers to its inputs until the backlog has passed their events.
	// The host's loop only.
	catchingUp bool
	cursor     uint64
	deferred   []outgoing
	// hello is set once the client said hello; read pump only.
	hello bool
	// allowance is the frame rate limiter's token bucket; refused counts
	// frames refused in a row for it, and kicked says the loop was asked
	// to drop the flooder. Read pump only.
	allowance float64
	burst     float64 // actionBurst; tests raise it (Server.frameBurst)
	refused   int
	kicked    bool
	lastCheck time.Time
}

// sendFrame queues a frame. It is called from the host's loop only.
func (c *client) sendFrame(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	c.put(outgoing{b: b})
}

// put queues a frame and never blocks: a client whose queue is full is
// dropped with a reason, so the loop goes on serving everyone else.
func (c *client) put(o outgoing) bool {
	if c.gone {
		return false
	}
	if !c.out.put(o) {
		c.dropSlow()
		return false
	}
	return true
}

// dropSlow drops a client whose send queue is full.
func (c *client) dropSlow() {
	if c.gone {
		return
	}
	c.h.metrics.slowDropped.Inc()
	c.drop(c.tooSlow())
}

// tooSlow is why a client whose send queue is full is dropped.
func (c *client) tooSlow() string {
	return "too slow: more than " + strconv.Itoa(c.out.limit>>10) + " KB waiting"
}

// drop closes the client's queue; its write pump sends what is queued,
// says why and hangs up with close code 1008 (policy violation), or 1001
// (going away) for a shutdown or a failed write.
func (c *client) drop(reason string) {
	c.dropWith(reason, 0)
}

// dropWith is drop with the close code to hang up with.
func (c *client) dropWith(reason string, code int) {
	c.closeOnce.Do(func() {
		c.reason, c.closeCode, c.gone = reason, code, true
		c.out.close()
		delete(c.h.clients, c)
		if reason != "" && reason != shutdownReason {
			c.h.log.Info("connection dropped", "seat", c.you.Name, "reason", reason)
		}
	})
}

// keptSlots is the largest queue a write pump keeps between wakes.
const keptSlots = 64

// writePump is the connection's only writer. It takes everything waiting
// at once and sends runs of events coalesced into one frame, the lever
// that keeps a busy connection cheap.
func (c *client) writePump() {
	// A timer rather than a ticker in a select: the pump parks on one
	// channel, which halves what a wake costs, and thousands of pumps wake
	// for every event.
	pinger := time.AfterFunc(pingPeriod, c.out.askPing)
	defer func() {
		pinger.Stop()
		c.conn.Close()
	}()
	var (
		buf   bytes.Buffer
		spare []outgoing
	)
	for range c.out.wake {
		frames, ping, closed, more := c.out.take(spare)
		if more {
			// Asked before this page is written, so the next is ready when
			// the socket takes more: at most two pages wait for a
			// connection that joins with a long backlog.
			c.h.post(request{client: c, refill: true})
		}
		if ping {
			c.armWrite()
			if c.conn.WriteMessage(websocket.PingMessage, nil) != nil {
				return
			}
			pinger.Reset(pingPeriod)
		}
		if !c.write(&buf, frames) {
			return
		}
		if closed {
			c.closing()
			return
		}
		clear(frames) // let the frames' bytes go
		spare = frames[:0]
		if cap(spare) > keptSlots {
			spare = nil
		}
		if buf.Cap() > keptBuffer {
			buf = bytes.Buffer{}
		}
	}
}

// armWrite gives the next write writeWait. gorilla only records it; each
// frame's write applies it to the socket.
func (c *client) armWrite() {
	_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
}

// write sends frames in order, each run of events as one frame of up to
// maxCoalesce events. It reports false when the connection is done.
func (c *client) write(buf *bytes.Buffer, frames []outgoing) bool {
	for len(frames) > 0 {
		c.armWrite()
		if !frames[0].event {
			if c.conn.WriteMessage(websocket.TextMessage, frames[0].b) != nil {
				return false
			}
			frames = frames[1:]
			continue
		}
		n := 1
		for n < len(frames) && n < maxCoalesce && frames[n].event {
			n++
		}
		buf.Reset()
		if n == 1 {
			buf.WriteString(`{"type":"event","event":`)
			buf.Write(frames[0].b)
			buf.WriteByte('}')
		} else {
			buf.WriteString(`{"type":"events","events":[`)
			for i, f := range frames[:n] {
				if i > 0 {
					buf.WriteByte(',')
				}
				buf.Write(f.b)
			}
			buf.WriteString(`]}`)
		}
		if c.conn.WriteMessage(websocket.TextMessage, buf.Bytes()) != nil {
			return false
		}
		c.h.metrics.delivered.Add(float64(n))
		frames = frames[n:]
	}
	return true
}

// closing tells the client why it is dropped, then closes politely.
func (c *client) closing() {
	if c.reason == "" {
		return
	}
	c.armWrite()
	b, _ := json.Marshal(protocol.Closing{Type: protocol.TypeClosing, Reason: c.reason})
	_ = c.conn.WriteMessage(websocket.TextMessage, b)
	code := websocket.ClosePolicyViolation
	switch {
	case c.closeCode != 0:
		code = c.closeCode
	case c.reason == shutdownReason || c.reason == lostWriteReason:
		code = websocket.CloseGoingAway // not the client's doing: it may reconnect and resume
	}
	_ = c.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, truncate(c.reason, 120)))
}

// readPump is the connection's only reader: it decodes frames and hands
// them to the exercise's loop; malformed or unwelcome frames get a typed
// error frame and the connection goes on. A frame over readLimit ends the
// connection: gorilla answers it with close 1009 (message too big) itself,
// after which nothing more can be written.
func (c *client) readPump(srv *Server) {
	defer func() {
		c.h.post(request{client: c, leave: true})
		c.conn.Close()
		srv.metrics.connections.Dec()
		srv.closeConn(c.codeHash)
		srv.release(c.h)
	}()
	c.conn.SetReadLimit(readLimit)
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(pongWait)) })
	c.lastCheck = time.Now()
	c.allowance = c.burst
	for {
		typ, msg, err := c.conn.ReadMessage()
		if err != nil {
			srv.readFailed(err)
			return
		}
		if c.kicked {
			continue // being closed: read on until the write pump hangs up
		}
		if typ != websocket.TextMessage {
			c.refuseBinary(srv)
			continue
		}
		srv.frame(c, msg)
	}
}

// The read pump waits in its loop on every connection, so its own frame
// is on every connection's stack: what it seldom does is kept out of it,
// or the runtime cannot shrink a waiting pump's stack to 4 KB (CONN-MEM).

// readFailed counts a connection closed for a frame over readLimit.
//
//go:noinline
func (s *Server) readFailed(err error) {
	if errors.Is(err, websocket.ErrReadLimit) {
		s.metrics.refused.WithLabelValues(refusedTooBig).Inc()
	}
}

// refuseBinary closes a connection that sent a binary frame: frames are
// JSON text, and a binary one is a client speaking another protocol. The
// write pump closes it with 1003 (unsupported data), after what is queued.
//
//go:noinline
func (c *client) refuseBinary(s *Server) {
	c.kicked = true
	s.metrics.refused.WithLabelValues(refusedBinary).Inc()
	c.h.post(request{client: c, kick: binaryReason, kickCode: websocket.CloseUnsupportedData})
}

// binaryReason is why a client that sent a binary frame is closed.
const binaryReason = "binary frames are not taken: send each frame as JSON text"

// allow is the token bucket: actionRate per second, bursts of actionBurst.
func (c *client) allow() bool {
	now := time.Now()
	c.allowance = min(c.burst, c.allowance+now.Sub(c.lastCheck).Seconds()*actionRate)
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
