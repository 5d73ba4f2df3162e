package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/internal/pgtest"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// waitUnloaded moves the clock by d and waits for h's loop to stop: once
// unloaded it arms no timer, so step's wait would never end.
func (ts *testServer) waitUnloaded(t *testing.T, h *host, d time.Duration) {
	t.Helper()
	ts.fake.BlockUntil(1)
	ts.fake.Advance(d)
	select {
	case <-h.done:
	case <-time.After(readTimeout): // a guard, not a pace
		t.Fatalf("the ended exercise was not unloaded %v after its last use", d)
	}
}

// TestEndedExerciseLeavesMemoryAndComesBack: an ended exercise nobody uses
// leaves memory after endedLinger, and its codes still read it, join it and
// add to it, on this server and on a restarted one.
func TestEndedExerciseLeavesMemoryAndComesBack(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "kim")
	kim := seatCode(t, resp, "kim")
	if err := ts.srv.End(context.Background(), resp.ID); err != nil {
		t.Fatal(err)
	}
	var before ExerciseStatus
	ts.getJSON(t, "/api/exercises/"+resp.ID, kim, &before)
	var seen []engine.Event
	ts.getJSON(t, "/api/exercises/"+resp.ID+"/events", kim, &seen)
	if !before.Ended || len(seen) == 0 {
		t.Fatalf("status %+v with %d events, want an ended exercise with events", before, len(seen))
	}

	h := ts.srv.hostOf(resp.ID)
	ts.step(endedLinger - idleWake)
	if ts.srv.hostOf(resp.ID) != h {
		t.Fatal("the ended exercise left memory before endedLinger")
	}
	ts.waitUnloaded(t, h, 2*idleWake)
	if ts.srv.hostOf(resp.ID) != nil {
		t.Fatal("the unloaded exercise is still listed")
	}

	// Read back: the same status and the same events, byte for byte.
	var after ExerciseStatus
	ts.getJSON(t, "/api/exercises/"+resp.ID, kim, &after)
	var again []engine.Event
	ts.getJSON(t, "/api/exercises/"+resp.ID+"/events", kim, &again)
	if after.LastSeq != before.LastSeq || !after.Ended || after.Now != before.Now {
		t.Fatalf("loaded back as %+v, was %+v", after, before)
	}
	if a, b := mustJSON(t, again), mustJSON(t, seen); a != b {
		t.Fatalf("loaded back with other events:\n%s\nwas\n%s", a, b)
	}
	if ts.srv.hostOf(resp.ID) == h {
		t.Fatal("the old host answered, not one loaded from the store")
	}

	// Kim joins the loaded exercise, sees it all, and may still talk.
	c := ts.dial(t, kim)
	w := c.hello(0)
	if w.LastSeq != before.LastSeq || !w.Ended {
		t.Fatalf("welcome %+v, want the ended log up to %d", w, before.LastSeq)
	}
	c.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "group:network", Text: "the proxy pool was too small"})
	ack := c.until(protocol.TypeAck, "c1")
	var seq uint64
	_ = json.Unmarshal(ack["seq"], &seq)
	if seq <= before.LastSeq {
		t.Fatalf("chat after the end acknowledged at seq %d, want past %d", seq, before.LastSeq)
	}
	if got := len(c.events); got != len(seen)+1 {
		t.Fatalf("kim received %d events, want the %d of the log and the chat", got, len(seen))
	}

	// In use, it stays past endedLinger.
	loaded := ts.srv.hostOf(resp.ID)
	ts.step(endedLinger + 2*idleWake)
	if ts.srv.hostOf(resp.ID) != loaded {
		t.Fatal("an exercise with a connected player left memory")
	}

	// A restarted server does not resume an ended exercise, and still
	// serves it, the chat after the end included.
	if err := ts.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	restarted := serveStore(t, ts.st)
	if n, err := restarted.srv.Recover(context.Background()); err != nil || n != 0 {
		t.Fatalf("recover: %d resumed, %v; want none: the exercise has ended", n, err)
	}
	var last []engine.Event
	restarted.getJSON(t, "/api/exercises/"+resp.ID+"/events?after="+strconv.FormatUint(before.LastSeq, 10), kim, &last)
	if len(last) != 1 || last[0].Seq != seq || last[0].Actor != "kim" {
		t.Fatalf("after a restart the events past the end are %+v, want kim's chat at %d", last, seq)
	}
}

// TestAnotherServersExercise: a server sharing the database does not
// resume, load or serve a running exercise another live server hosts; once
// that one stops, the first request for the exercise takes it over. On
// SQLite the two servers share one store, as one process; on PostgreSQL
// each has its own, as two would.
func TestAnotherServersExercise(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			var host, other *testServer
			if backend == store.DriverSQLite {
				host = newTestServer(t)
				other = serveStore(t, host.st)
			} else {
				dsn := pgtest.DSN(t)
				host = serveStore(t, openStore(t, dsn))
				other = serveStore(t, openStore(t, dsn))
			}
			resp := create(t, host, "kim")
			kim := seatCode(t, resp, "kim")
			if n, err := other.srv.Recover(context.Background()); err != nil || n != 0 {
				t.Fatalf("recover beside the live host: %d resumed, %v; want none", n, err)
			}
			if got := other.getStatus(t, "/api/exercises/"+resp.ID, kim); got != http.StatusNotFound {
				t.Fatalf("a running exercise hosted elsewhere: status %d, want 404", got)
			}
			if other.srv.hostOf(resp.ID) != nil {
				t.Fatal("a running exercise was loaded by a server that does not host it")
			}

			var before ExerciseStatus
			host.getJSON(t, "/api/exercises/"+resp.ID, kim, &before)
			if err := host.srv.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			var after ExerciseStatus
			other.getJSON(t, "/api/exercises/"+resp.ID, kim, &after)
			if after.Ended || after.LastSeq < before.LastSeq {
				t.Fatalf("taken over as %+v; it was %+v", after, before)
			}
			c := other.dial(t, kim)
			c.hello(0)
			c.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "group:network", Text: "moved servers"})
			c.until(protocol.TypeAck, "c1")
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTakeoverWithoutPlayers: on PostgreSQL a server looks for running
// exercises nobody hosts every TakeoverEvery, so a stopped server's
// exercise moves to a live one before any of its players asks.
func TestTakeoverWithoutPlayers(t *testing.T) {
	dsn := pgtest.DSN(t)
	host := serveStore(t, openStore(t, dsn))
	other := serveStore(t, openStore(t, dsn))
	resp := create(t, host, "kim")
	if n, err := other.srv.Recover(context.Background()); err != nil || n != 0 {
		t.Fatalf("recover beside the live host: %d resumed, %v; want none", n, err)
	}
	// A look while the host is up leaves the exercise there.
	other.blockUntil(t, 1, "the next look")
	other.fake.Advance(DefaultTakeoverEvery)
	other.blockUntil(t, 1, "the look after") // armed again: that look is over
	if other.srv.hostOf(resp.ID) != nil {
		t.Fatal("took over an exercise its live host still holds")
	}

	if err := host.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	other.fake.Advance(DefaultTakeoverEvery)
	other.blockUntil(t, 2, "the next look and the adopted exercise's loop")
	if other.srv.hostOf(resp.ID) == nil {
		t.Fatal("the stopped server's exercise was not taken over")
	}
	var st ExerciseStatus
	other.getJSON(t, "/api/exercises/"+resp.ID, seatCode(t, resp, "kim"), &st)
	if st.Ended {
		t.Fatalf("taken over as %+v", st)
	}
}
