package server

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// gate stands between the hosts and the store's Commit: closed, it holds
// every commit until the test lets it through or loses it, as a crash
// before the fsync would.
type gate struct {
	inner   func(context.Context, string, []store.Input, []store.Event) error
	arrived chan struct{} // a commit is waiting at the closed gate
	verdict chan error    // nil lets a waiting commit through; an error loses it

	mu     sync.Mutex
	opened chan struct{} // closed while the gate is open
}

func newGate(t *testing.T, ts *testServer) *gate {
	g := &gate{inner: ts.st.Commit, arrived: make(chan struct{}, 64), verdict: make(chan error), opened: make(chan struct{})}
	close(g.opened)
	ts.srv.commit = g.commit
	t.Cleanup(g.open) // a failed test must not leave the server's shutdown waiting
	return g
}

func (g *gate) commit(ctx context.Context, id string, ins []store.Input, evs []store.Event) error {
	g.mu.Lock()
	opened := g.opened
	g.mu.Unlock()
	select {
	case <-opened:
	default:
		g.arrived <- struct{}{}
		select {
		case err := <-g.verdict:
			if err != nil {
				return err
			}
		case <-opened:
		}
	}
	return g.inner(ctx, id, ins, evs)
}

func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.opened = make(chan struct{})
}

// open lets every waiting and later commit through.
func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.opened:
	default:
		close(g.opened)
	}
}

// lose fails the commit waiting at the gate without writing it.
func (g *gate) lose() { g.verdict <- errors.New("lost in a crash") }

// sync sends a frame the server refuses at once and reads until the
// refusal: everything the loop sent this client before handling it has
// then been read.
func (c *conn) sync(id string) {
	c.t.Helper()
	c.sendRaw([]byte(`{"type":"teleport","id":"` + id + `"}`))
	c.until(protocol.TypeError, id)
}

func lastStored(t *testing.T, ts *testServer, id string) uint64 {
	t.Helper()
	n, err := ts.st.LastSeq(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPipeline: the clock's events go out before their commit lands, within
// publishAhead of the durable log; further ones, and anything an action
// caused, wait for the commit, and the action's ack comes after its events.
func TestPipeline(t *testing.T) {
	ts := newTestServer(t)
	g := newGate(t, ts)
	resp := create(t, ts, "ana")
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	ana := ts.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	stored := lastStored(t, ts, resp.ID)

	g.close()
	ts.step(publishAhead)
	<-g.arrived
	fac.sync("s1")
	if len(fac.events) == 0 || fac.events[len(fac.events)-1].Seq <= stored {
		t.Fatalf("no event of the tick reached the facilitator while its commit was held (stored up to %d)", stored)
	}
	if got := lastStored(t, ts, resp.ID); got != stored {
		t.Fatalf("the store has up to %d, want %d: the commit was not held", got, stored)
	}
	early := len(fac.events)

	// The next tick is more than publishAhead past the durable log: held.
	ts.step(publishAhead)
	fac.sync("s2")
	if n := len(fac.events); n != early {
		t.Fatalf("%d events beyond publishAhead went out before the log under them was durable: %+v", n-early, fac.events[early:])
	}

	g.open()
	for len(fac.events) == early {
		fac.next() // the held tick, once durable; a read times out if it never comes
	}

	// An action's ack and events wait for its commit, even with nothing
	// else held: the next tick goes out early, the chat after it does not.
	g.close()
	ts.step(publishAhead)
	<-g.arrived
	ana.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "group:claims", Text: "anyone on the proxy?"})
	// The chat is in the loop once a frame sent after it is refused.
	ana.sendRaw([]byte(`{"type":"teleport","id":"s4"}`))
	for {
		typ, f := ana.next()
		var id string
		_ = json.Unmarshal(f["id"], &id)
		if typ == protocol.TypeAck && id == "c1" {
			t.Fatal("the chat was acknowledged while its commit was held")
		}
		if typ == protocol.TypeError && id == "s4" {
			break
		}
	}
	// The loop has taken the chat; read what it holds through the loop.
	h := ts.srv.hostOf(resp.ID)
	var chatSeq, published uint64
	if err := h.read(func() {
		for _, e := range h.exercise().Log() {
			if e.Actor == "ana" {
				chatSeq = e.Seq
			}
		}
		published = h.published
	}); err != nil {
		t.Fatal(err)
	}
	if chatSeq == 0 || published >= chatSeq {
		t.Fatalf("ana's chat is event %d and events up to %d are published: it went out before it was durable", chatSeq, published)
	}

	g.open()
	ack := ana.until(protocol.TypeAck, "c1")
	var seq uint64
	_ = json.Unmarshal(ack["seq"], &seq)
	chat := -1
	for i, e := range ana.events {
		if e.Actor == "ana" {
			chat = i
		}
	}
	if chat < 0 {
		t.Fatal("ana's chat event did not come before its ack")
	}
	if durable := lastStored(t, ts, resp.ID); seq == 0 || seq > durable || ana.events[chat].Seq > durable {
		t.Fatalf("ack seq %d, chat seq %d, stored up to %d: acknowledged before durable", seq, ana.events[chat].Seq, durable)
	}
}

// TestRecoverRebuildsPublished loses a commit whose events players had
// already seen; the recovered exercise has those very events, and an action
// taken at once comes after them.
func TestRecoverRebuildsPublished(t *testing.T) {
	ts := newTestServer(t)
	g := newGate(t, ts)
	resp := create(t, ts, "ana")
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	stored := lastStored(t, ts, resp.ID)

	g.close()
	ts.step(publishAhead)
	<-g.arrived
	fac.sync("s1")
	var seen []engine.Event
	for _, e := range fac.events {
		if e.Seq > stored {
			seen = append(seen, e)
		}
	}
	if len(seen) == 0 {
		t.Fatal("nothing was published ahead of the store")
	}
	g.lose()

	// A second server on the same store, as a restarted process; ana
	// joins it at once and speaks.
	restarted := serveStore(t, ts.st)
	srv := restarted.srv
	if _, err := srv.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := srv.hostOf(resp.ID)
	if h == nil {
		t.Fatal("the exercise was not recovered")
	}
	ana := restarted.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	ana.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "group:claims", Text: "back again"})
	ana.until(protocol.TypeAck, "c1")
	all, err := h.eventsFor(engine.Viewer{Role: incident.RoleFacilitator}, stored)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range seen {
		if i >= len(all) {
			t.Fatalf("event %d was published but the recovered log ends at %d", want.Seq, all[len(all)-1].Seq)
		}
		got, _ := json.Marshal(all[i])
		exp, _ := json.Marshal(want)
		if string(got) != string(exp) {
			t.Fatalf("event %d rebuilt as\n%s\nbut players saw\n%s", want.Seq, got, exp)
		}
	}
	last := all[len(all)-1]
	if last.Actor != "ana" || last.Seq <= seen[len(seen)-1].Seq {
		t.Fatalf("the first action after recovery is %+v, want ana's chat after seq %d", last, seen[len(seen)-1].Seq)
	}
}
