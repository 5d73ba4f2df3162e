package server

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

func TestOutbox(t *testing.T) {
	ev := func(n int) outgoing { return outgoing{b: make([]byte, n), event: true} }
	o := newOutbox(1000)
	if o.frames != nil {
		t.Fatal("an empty outbox holds a queue")
	}
	// 968 + 32 fills it exactly; one byte more is a slow reader.
	if !o.put(ev(968)) {
		t.Fatal("a frame within the limit was refused")
	}
	if o.put(ev(0)) {
		t.Fatal("a frame beyond the limit was taken")
	}
	select {
	case <-o.wake:
	default:
		t.Fatal("no wake token after a put")
	}
	got, ping, closed, more := o.take(nil)
	if len(got) != 1 || ping || closed || more {
		t.Fatalf("take = %d frames, ping %v, closed %v, more %v; want 1, false, false, false", len(got), ping, closed, more)
	}
	// A ping asked for wakes the pump and is taken once.
	o.askPing()
	select {
	case <-o.wake:
	default:
		t.Fatal("no wake token after askPing")
	}
	if got, ping, _, _ = o.take(got); len(got) != 0 || !ping {
		t.Fatalf("take after askPing = %d frames, ping %v; want 0, true", len(got), ping)
	}
	if _, ping, _, _ = o.take(got); ping {
		t.Fatal("a ping was taken twice")
	}
	// A backlog's next page is asked for once, with the page before it.
	if !o.put(ev(100)) {
		t.Fatal("a page was refused")
	}
	o.wantMore()
	if got, _, _, more = o.take(got); len(got) != 1 || !more {
		t.Fatalf("take after wantMore = %d frames, more %v; want 1, true", len(got), more)
	}
	if _, _, _, more = o.take(got); more {
		t.Fatal("the next page was asked for twice")
	}
	// Taken, the whole limit is free again.
	if !o.put(ev(968)) || o.put(ev(0)) {
		t.Fatal("after a take the limit is not whole")
	}
	o.wantMore()
	o.close()
	if !o.put(ev(1)) {
		t.Fatal("a put after close reported a slow reader")
	}
	got, _, closed, more = o.take(got)
	if len(got) != 1 || !closed || more {
		t.Fatalf("after close take = %d frames, closed %v, more %v; want the 1 queued before, true, false", len(got), closed, more)
	}
}

// TestSlowReaderDropped: a facilitator stops reading while the exercise
// runs; once more than the queue limit waits for it, it is dropped with a
// reason it reads when it looks again, and a player who reads is served
// throughout.
func TestSlowReaderDropped(t *testing.T) {
	ts := newTestServer(t)
	// Small limits so a stalled reader overflows in a few minutes of the
	// exercise; big enough that what twenty seconds bring the player who
	// reads fits at once.
	ts.srv.queueBytes, ts.srv.socketBuffer = 32<<10, 4<<10
	resp := create(t, ts, "ana")

	// The stalled reader: a small receive window, then nothing read.
	d := websocket.Dialer{NetDial: func(network, addr string) (net.Conn, error) {
		nd := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		}}
		return nd.Dial(network, addr)
	}}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(ts.http.URL, "http")+"/ws", http.Header{"Authorization": {"Bearer " + resp.FacilitatorCode}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	stalled := &conn{t: t, ws: ws}
	stalled.hello(0)

	ana := ts.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	h := ts.srv.hostOf(resp.ID)
	gone := false
	for i := 0; i < 600 && !gone; i++ {
		ts.step(20 * time.Second)
		ana.sync("s" + strconv.Itoa(i)) // ana is served, and keeps up
		if err := h.read(func() {
			gone = true
			for c := range h.clients {
				if c.you.Facilitator {
					gone = false
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	if !gone {
		t.Fatal("the stalled facilitator was never dropped")
	}
	if n := valueOf(t, ts.srv.metrics.slowDropped); n != 1 {
		t.Fatalf("slow clients dropped: %v, want 1", n)
	}
	// Reading again, the facilitator gets what was queued, then why.
	for {
		_ = ws.SetReadDeadline(time.Now().Add(readTimeout))
		_, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("the connection ended without a closing frame: %v", err)
		}
		var f protocol.Closing
		if json.Unmarshal(b, &f) == nil && f.Type == protocol.TypeClosing {
			if !strings.HasPrefix(f.Reason, "too slow") {
				t.Fatalf("closing reason %q", f.Reason)
			}
			break
		}
	}
}

// TestBacklogPagedInOrder: a facilitator joins an exercise with a backlog
// many times its send queue and speaks before reading any of it. The
// backlog comes a page at a time, every event once and in order, live
// events after it, and the ack of its chat after the chat's event.
func TestBacklogPagedInOrder(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.queueBytes = 48 << 10 // pages of 12 KB
	resp := create(t, ts, "ana")
	for range 60 {
		ts.step(30 * time.Second)
	}
	fac := ts.dial(t, resp.FacilitatorCode)
	w := fac.hello(0)
	if w.LastSeq < 200 {
		t.Fatalf("a backlog of %d events proves little", w.LastSeq)
	}
	fac.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "command-center", Text: "reading the backlog"})
	ts.step(30 * time.Second) // live events while the backlog is still coming
	f := fac.until(protocol.TypeAck, "c1")
	var ackSeq uint64
	if err := json.Unmarshal(f["seq"], &ackSeq); err != nil || ackSeq <= w.LastSeq {
		t.Fatalf("ack seq %d (%v), want past the backlog's %d", ackSeq, err, w.LastSeq)
	}
	var said bool
	for i, e := range fac.events {
		if e.Seq != uint64(i+1) {
			t.Fatalf("event %d has seq %d: the backlog and the live events are not one log", i+1, e.Seq)
		}
		if d, ok := e.Data.(engine.ChatData); ok && d.Text == "reading the backlog" {
			said = true
		}
	}
	if !said || uint64(len(fac.events)) < ackSeq {
		t.Fatalf("the ack for seq %d came after %d events (the chat among them: %v)", ackSeq, len(fac.events), said)
	}
	var backlog int
	for _, e := range fac.events[:w.LastSeq] {
		b, _ := json.Marshal(e)
		backlog += len(b)
	}
	if backlog < 4*ts.srv.queueBytes {
		t.Fatalf("a backlog of %d bytes is not many times the %d-byte queue", backlog, ts.srv.queueBytes)
	}
}
