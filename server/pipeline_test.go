package server

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
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

// waitArrival waits for a commit to reach the closed gate, failing the
// test when none comes.
func (g *gate) waitArrival(t *testing.T) {
	t.Helper()
	select {
	case <-g.arrived:
	case <-time.After(readTimeout):
		t.Fatal("no commit reached the gate")
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
	g.waitArrival(t)
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
	g.waitArrival(t)
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
	g.waitArrival(t)
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

	// A second server on the same store, as a restarted process, once the
	// first has gone (and given its claim up); ana joins it at once and
	// speaks.
	if err := ts.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
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
	all, err := h.eventsFor(engine.Viewer{Role: engine.RoleFacilitator}, stored, 0)
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

// tickingScenario has an inject for everyone every quarter of a second and
// one long after: the clock alone produces events.
const tickingScenario = `scenario "ticking" {
  title      = "An inject every quarter second"
  summary    = "For the commit pipeline's tests."
  duration   = "10m"
  difficulty = "intro"
  seed       = 1

  group "claims" {
    members = ["ana"]
    owner   = "ana"
  }
  group "ops" {
    members = ["op"]
    owner   = "op"
  }
  service "svc" {
    group = group.ops
    rps   = 10
  }
  inject "q1" {
    at      = "250ms"
    to      = everyone
    channel = "chat"
    text    = "one"
  }
  inject "q2" {
    at      = "500ms"
    to      = everyone
    channel = "chat"
    text    = "two"
  }
  inject "q3" {
    at      = "750ms"
    to      = everyone
    channel = "chat"
    text    = "three"
  }
  inject "q4" {
    at      = "1s"
    to      = everyone
    channel = "chat"
    text    = "four"
  }
  inject "late" {
    at      = "20s"
    to      = everyone
    channel = "chat"
    text    = "late"
  }
}
`

// commitState reads, through the loop, whether a commit is in flight and
// how far the log is durable.
func commitState(t *testing.T, h *host) (inFlight bool, persisted uint64) {
	t.Helper()
	if err := h.read(func() { inFlight, persisted = h.flight != nil, h.persisted }); err != nil {
		t.Fatal(err)
	}
	return inFlight, persisted
}

// startTicking runs tickingScenario behind a gate, with ana human and the
// facilitator joined.
func startTicking(t *testing.T) (*testServer, *gate, CreateResponse, *host, *conn) {
	t.Helper()
	ts := newTestServer(t)
	g := newGate(t, ts)
	seed := uint64(1)
	resp, err := ts.srv.Create(context.Background(), CreateRequest{Source: tickingScenario, Seed: &seed, Humans: []string{"ana"}})
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	return ts, g, resp, ts.srv.hostOf(resp.ID), fac
}

// TestClockCommitsWait: the clock's events go out at once but their commit
// waits for the next multiple of clockCommitEvery; an input starts it at
// once, and so does publication coming close to publishAhead past the
// durable log, but a durable log that is merely old does not.
func TestClockCommitsWait(t *testing.T) {
	ts, g, resp, h, fac := startTicking(t)
	ana := ts.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	stored := lastStored(t, ts, resp.ID)
	injects := func() (n int, last uint64) {
		for _, e := range fac.events {
			if e.Kind == engine.KindInject {
				n, last = n+1, e.Seq
			}
		}
		return n, last
	}
	notInFlight := func(why string) {
		t.Helper()
		if inFlight, _ := commitState(t, h); inFlight {
			t.Fatal(why)
		}
	}
	untilBoundary := func() time.Duration { return untilCommitBoundary(ts.fake.Now()) }

	for i := range 3 {
		ts.step(250 * time.Millisecond)
		fac.sync("s" + strconv.Itoa(i))
		if n, _ := injects(); n != i+1 {
			t.Fatalf("after %d quarter seconds the facilitator has %d injects", i+1, n)
		}
		if inFlight, persisted := commitState(t, h); inFlight || persisted != stored {
			t.Fatalf("the clock's tick was committed at once (in flight %v, durable to %d, was %d)", inFlight, persisted, stored)
		}
	}

	// An input commits at once, and what waited goes with it.
	ana.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "group:claims", Text: "seen them"})
	ack := ana.until(protocol.TypeAck, "c1")
	var seq uint64
	_ = json.Unmarshal(ack["seq"], &seq)
	if _, last := injects(); seq <= last || lastStored(t, ts, resp.ID) < seq {
		t.Fatalf("ack seq %d, last inject %d, stored to %d: the waiting commit did not go with the chat", seq, last, lastStored(t, ts, resp.ID))
	}

	// With no input the commit waits for the boundary.
	g.close()
	ts.step(250 * time.Millisecond) // q4, at 1s
	notInFlight("q4's tick was committed at once")
	ts.step(untilBoundary() - time.Millisecond)
	notInFlight("q4's tick was committed before the boundary")
	ts.step(time.Millisecond)
	g.waitArrival(t)
	g.open()
	if err := h.readDurable(func() {}); err != nil { // q4's commit has landed
		t.Fatal(err)
	}

	// "late", at 20s, is 19s past the durable log, but publication has 11s
	// of room before publishAhead: it goes out at once and its commit
	// waits for the boundary like any other.
	g.close()
	ts.step(20*time.Second - ts.fake.Now().Sub(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)))
	fac.sync("s-late")
	if n, _ := injects(); n != 5 {
		t.Fatalf("the facilitator has %d injects, want 5: the late one was held", n)
	}
	notInFlight("a tick with room before publishAhead was committed at once")
	ts.step(untilBoundary())
	g.waitArrival(t)
	g.open()
}

// TestClockCommitsCloseToTheBound: when the clock would reach publishAhead
// past the durable log before the next boundary and a commit's time, the
// commit starts at once, so publication never has to stop for it.
func TestClockCommitsCloseToTheBound(t *testing.T) {
	ts, g, _, h, fac := startTicking(t)
	// At four times real speed the late inject (20s) leaves 10s of virtual
	// time before publishAhead, 2.5s of wall time: less than the wait for
	// the boundary (5s) and a commit's slack.
	fac.send(protocol.Control{Type: protocol.TypeControl, ID: "x1", Control: protocol.ControlSpeed, Speed: 4})
	fac.until(protocol.TypeAck, "x1")
	g.close()
	ts.step(5 * time.Second) // virtual 20s
	g.waitArrival(t)
	if inFlight, _ := commitState(t, h); !inFlight {
		t.Fatal("no commit in flight after a tick close to the bound")
	}
	g.open()
}

// TestUnencodableEventStopsOneExercise: an event that will not encode stops
// its exercise – while a commit holding events is in flight, and with an
// action waiting on it – without taking the server down: the waiting
// action gets an error, later ones too, and other exercises go on.
func TestUnencodableEventStopsOneExercise(t *testing.T) {
	ts := newTestServer(t)
	g := newGate(t, ts)
	resp := create(t, ts, "ana")
	other := create(t, ts, "ana")
	ana := ts.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	bob := ts.dial(t, seatCode(t, other, "ana"))
	bob.hello(0)

	g.close()
	ana.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Text: "anyone on the proxy?"})
	g.waitArrival(t) // the chat's commit, holding its events
	h := ts.srv.hostOf(resp.ID)
	if err := h.read(func() {
		next := h.exercise().Log()[len(h.exercise().Log())-1].Seq + 1
		h.record(nil, []engine.Event{{Seq: next, Kind: engine.KindChat, Data: func() {}}}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	g.open()
	if code := ana.errorCode("c1"); code != "internal" {
		t.Fatalf("the chat in flight when its exercise stopped: error %q, want internal", code)
	}
	ana.send(protocol.Chat{Type: protocol.TypeChat, ID: "c2", Text: "still there?"})
	if code := ana.errorCode("c2"); code != "internal" {
		t.Fatalf("a chat after the exercise stopped: error %q, want internal", code)
	}
	bob.send(protocol.Chat{Type: protocol.TypeChat, ID: "b1", Text: "all good here"})
	bob.until(protocol.TypeAck, "b1")
}

// TestPauseCommitsWhereTheClockStopped: pausing stops the clock first and
// commits the session up to where it stopped, so nothing the paused
// exercise later publishes is ahead of its durable log. Catching up after
// the pause instead published events a crash could lose, and a recovered
// paused exercise – resumed where its durable log ends – would number new
// inputs over them.
func TestPauseCommitsWhereTheClockStopped(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "ana")
	h := ts.srv.hostOf(resp.ID)
	paused := make(chan outcome, 1)
	if err := h.read(func() {
		// The wall clock moves past several happenings while the loop is
		// busy (as it is during a commit), then the pause is taken.
		ts.fake.Advance(time.Minute)
		pause := engine.Input{Actor: engine.Facilitator(), Action: engine.Action{Op: engine.OpPause}}
		h.handle([]request{{in: &pause, done: paused}})
	}); err != nil {
		t.Fatal(err)
	}
	if o := <-paused; o.err != nil {
		t.Fatal(o.err)
	}
	ts.step(idleWake) // the paused loop's idle wake-up
	var published, persisted uint64
	var now, frozen time.Duration
	if err := h.read(func() {
		published, persisted = h.published, h.persisted
		now, frozen = h.exercise().Now(), h.clk.Now()
	}); err != nil {
		t.Fatal(err)
	}
	if published != persisted {
		t.Errorf("the paused exercise published up to %d with only %d durable", published, persisted)
	}
	if now != frozen {
		t.Errorf("the session stands at %v, the paused clock at %v", now, frozen)
	}
	if got := lastStored(t, ts, resp.ID); got != published {
		t.Errorf("the store has up to %d, players were sent up to %d", got, published)
	}
}

// TestCreateFailsWhenItsFirstCommitIsLost: an exercise whose opening events
// could not be stored is not handed out as if it were running.
func TestCreateFailsWhenItsFirstCommitIsLost(t *testing.T) {
	ts := newTestServer(t)
	g := newGate(t, ts)
	g.close()
	created := make(chan error, 1)
	go func() {
		_, err := ts.srv.Create(context.Background(), CreateRequest{Scenario: "egress-proxy-saturation", Humans: []string{"ana"}})
		created <- err
	}()
	g.waitArrival(t)
	g.lose()
	if err := <-created; err == nil || !strings.Contains(err.Error(), "lost in a crash") {
		t.Fatalf("Create with its first commit lost: %v, want that error", err)
	}
}

// TestLostWriteReloads: when the store fails a commit, the exercise
// refuses what that commit held, hangs up on its players with a reason
// they may resume from, and leaves memory; their reconnection loads it
// again from the store, and it goes on from what the store holds.
func TestLostWriteReloads(t *testing.T) {
	ts := newTestServer(t)
	g := newGate(t, ts)
	resp := create(t, ts, "ana")
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	ana := ts.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	h := ts.srv.hostOf(resp.ID)

	g.close()
	ana.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "group:claims", Text: "lost with the write"})
	g.waitArrival(t)
	g.lose()
	g.open()
	if code := ana.errorCode("c1"); code != "internal" {
		t.Fatalf("the chat whose commit was lost: error %q, want internal", code)
	}
	if n := valueOf(t, ts.srv.metrics.storeErrors.WithLabelValues(storeOpCommit)); n != 1 {
		t.Fatalf("store errors of commits: %v, want 1", n)
	}
	for _, c := range []*conn{ana, fac} {
		var ce *websocket.CloseError
		if err := c.closeError(); !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway || ce.Text != truncate(lostWriteReason, 120) {
			t.Fatalf("after the lost write the connection ended with %v, want 1001 and the reason", err)
		}
	}
	<-h.unclaimed
	if ts.srv.hostOf(resp.ID) != nil {
		t.Fatal("the exercise stayed in memory after its store failed a write")
	}

	// The facilitator, who sees every event, resumes where it was cut off.
	var last uint64
	for _, e := range fac.events {
		last = max(last, e.Seq)
	}
	facAgain := ts.dial(t, resp.FacilitatorCode)
	facAgain.hello(last)
	anaAgain := ts.dial(t, seatCode(t, resp, "ana"))
	anaAgain.hello(0)
	anaAgain.send(protocol.Chat{Type: protocol.TypeChat, ID: "c2", Channel: "group:claims", Text: "back"})
	ack := anaAgain.until(protocol.TypeAck, "c2")
	var seq uint64
	_ = json.Unmarshal(ack["seq"], &seq)
	facAgain.sync("s1")
	want := last + 1
	for _, e := range facAgain.events {
		if e.Seq != want {
			t.Fatalf("after resuming at %d got seq %d, want %d", last, e.Seq, want)
		}
		if b, _ := json.Marshal(e); strings.Contains(string(b), "lost with the write") {
			t.Fatalf("the lost chat came back as event %d", e.Seq)
		}
		want++
	}
	if want-1 < seq {
		t.Fatalf("the facilitator's events end at %d, before ana's chat at %d", want-1, seq)
	}
	if ts.srv.hostOf(resp.ID) == h {
		t.Fatal("the broken host answered, not one loaded from the store")
	}
	stored, err := ts.st.Events(context.Background(), resp.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range stored {
		if strings.Contains(string(e.Body), "lost with the write") {
			t.Fatalf("the store holds the lost chat as event %d", e.Seq)
		}
	}
}
