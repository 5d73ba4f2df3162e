package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/server"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// embedded is a firedrill server in the test process on a fake wall clock.
type embedded struct {
	srv  *server.Server
	http *httptest.Server
	fake *clock.Fake
}

func newEmbedded(t *testing.T) *embedded {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "firedrill.db"))
	if err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(start)
	srv, err := server.New(server.Config{Store: st, Clock: fake, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Error(err)
		}
		st.Close()
	})
	return &embedded{srv: srv, http: hs, fake: fake}
}

// step moves the server's wall clock and waits until the exercise loop
// has handled it and armed its next timer: a synchronisation point.
func (e *embedded) step(d time.Duration) {
	e.fake.Advance(d)
	e.fake.BlockUntil(1)
}

// create starts an exercise of the egress scenario with one human seat.
func (e *embedded) create(t *testing.T, seat string) (id, code string) {
	t.Helper()
	id, code, _ = e.createWithFacilitator(t, seat)
	return id, code
}

// createWithFacilitator is create, with the facilitator's code too.
func (e *embedded) createWithFacilitator(t *testing.T, seat string) (id, code, facilitator string) {
	t.Helper()
	seed := uint64(3)
	resp, err := e.srv.Create(context.Background(), server.CreateRequest{
		Scenario: "egress-proxy-saturation", Seed: &seed, Speed: 1, Humans: []string{seat}, EndOnRestore: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range resp.Seats {
		if s.Seat == seat {
			return resp.ID, s.Code, resp.FacilitatorCode
		}
	}
	t.Fatalf("no seat %s", seat)
	return "", "", ""
}

// durable makes everything the exercise has logged durable, and waits
// for it: an ack means committed, and a commit takes everything recorded
// before it. The facilitator says a word in chat and waits for the ack.
// Without it, the durable log the API answers with may lag the clock by a
// commit still on its way to the disk.
func (e *embedded) durable(t *testing.T, facilitator string) {
	t.Helper()
	url := "ws" + strings.TrimPrefix(e.http.URL, "http") + "/ws"
	ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + facilitator}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.WriteJSON(protocol.Hello{Type: protocol.TypeHello}); err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteJSON(protocol.Chat{Type: protocol.TypeChat, ID: "durable", Channel: "command-center", Text: "checkpoint"}); err != nil {
		t.Fatal(err)
	}
	for {
		_ = ws.SetReadDeadline(time.Now().Add(20 * time.Second))
		var f struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		}
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatalf("waiting for the checkpoint's ack: %v", err)
		}
		if f.Type == protocol.TypeAck && f.ID == "durable" {
			return
		}
		if f.Type == protocol.TypeError && f.ID == "durable" {
			t.Fatal("the checkpoint was refused")
		}
	}
}

// lastVisible asks the server for the last event the code's seat may see.
func (e *embedded) lastVisible(t *testing.T, id, code string, after uint64) uint64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/exercises/%s/events?after=%d", e.http.URL, id, after), nil)
	req.Header.Set("Authorization", "Bearer "+code)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var evs []engine.Event
	if err := json.NewDecoder(res.Body).Decode(&evs); err != nil {
		t.Fatal(err)
	}
	last := after
	for _, ev := range evs {
		last = max(last, ev.Seq)
	}
	return last
}

// snapshot is what the console's loop reports after each draw: read in
// the loop, so the test never touches the console's state itself.
type snapshot struct {
	lastSeq   uint64
	pages     []string // open pages to this seat
	incidents map[string]engine.Incident
	pending   int
	keys      int // key presses the console has handled
	decision  string
	healthy   map[string]bool
	ended     bool
	reason    string
	screen    []string
	feed      []string
}

func takeSnapshot(c *console, s tcell.SimulationScreen) snapshot {
	snap := snapshot{lastSeq: c.m.LastSeq, incidents: map[string]engine.Incident{}, healthy: map[string]bool{},
		ended: c.m.Ended, reason: c.m.EndReason, screen: screenRows(s), keys: c.keys}
	for _, p := range c.m.MyOpenPages() {
		snap.pages = append(snap.pages, p.Page)
	}
	for _, inc := range c.m.Records.Incidents {
		snap.incidents[inc.Number] = inc
	}
	for _, cmd := range c.m.commands {
		if cmd.State == Pending {
			snap.pending++
		}
	}
	if d := c.m.OpenDecision(); d != nil {
		snap.decision = d.Name
	}
	for n, svc := range c.m.Services {
		snap.healthy[n] = svc.Last.Healthy
	}
	lines := c.m.Feed.Lines()
	for i := range lines[max(0, len(lines)-60):] {
		l := &lines[max(0, len(lines)-60)+i]
		snap.feed = append(snap.feed, stamp(l.At)+" "+c.lineText(l))
	}
	return snap
}

// player drives a console running in its own goroutine through the
// simulation screen, and watches it through snapshots.
type player struct {
	t      *testing.T
	screen tcell.SimulationScreen
	snaps  chan snapshot
	last   snapshot
	errc   chan error
	typed  int // key presses injected
}

func startPlayer(t *testing.T, ctx context.Context, client *Client) *player {
	t.Helper()
	p := &player{t: t, screen: tcell.NewSimulationScreen("UTF-8"), snaps: make(chan snapshot, 1), errc: make(chan error, 1)}
	observe := func(c *console) {
		s := takeSnapshot(c, p.screen)
		// The latest snapshot wins: the loop never waits for the test.
		for {
			select {
			case p.snaps <- s:
				return
			default:
				select {
				case <-p.snaps:
				default:
				}
			}
		}
	}
	go func() {
		p.errc <- Run(ctx, p.screen, client, WithClock(clock.NewFake(start)), func(c *console) { c.afterDraw = observe })
	}()
	return p
}

// waitFor blocks until the console reports a state that satisfies ok.
func (p *player) waitFor(what string, ok func(snapshot) bool) snapshot {
	p.t.Helper()
	for !ok(p.last) {
		select {
		case s := <-p.snaps:
			p.last = s
		case err := <-p.errc:
			p.t.Fatalf("the console stopped (%v) while waiting for %s", err, what)
		case <-time.After(readGuard):
			p.t.Fatalf("the console never showed %s; screen:\n%s", what, strings.Join(p.last.screen, "\n"))
		}
	}
	return p.last
}

// typeKeys types at the console as a person would.
func (p *player) typeKeys(text string) {
	for _, r := range text {
		k := keyEvent(r)
		p.screen.InjectKey(k.Key(), k.Rune(), k.Modifiers())
		p.typed++
	}
}

// command types a command line and waits for its answer.
func (p *player) command(line string) {
	p.t.Helper()
	p.typeKeys(line + "\n")
	p.settle()
}

// settle waits until the console has handled every key typed so far and
// no command waits for an answer.
func (p *player) settle() {
	p.t.Helper()
	p.waitFor("the answers to the commands", func(s snapshot) bool { return s.keys == p.typed && s.pending == 0 })
}

// TestPlayToRestoration plays the egress scenario through the player
// console against an embedded server, as raj, a claims technician: bots
// hold every other seat. Raj takes the page, takes the claims incident,
// investigates, hands the cause to the network team and answers the
// decision put to him, until service is restored and the exercise ends.
func TestPlayToRestoration(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a whole exercise")
	}
	e := newEmbedded(t)
	id, code := e.create(t, "raj")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client, err := Dial(ctx, e.http.URL, code, WithBackoffClock(clock.NewFake(start)))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	p := startPlayer(t, ctx, client)
	p.waitFor("the welcome", func(s snapshot) bool {
		return strings.Contains(strings.Join(s.screen, "\n"), "raj · technician · claims")
	})

	var mine string       // the claims incident raj took
	investigated := false // raj looked and handed over
	declared := false     // raj declared his incident restored
	answered := map[string]bool{}
	var seq uint64
	for i := 0; i < 400; i++ {
		e.step(30 * time.Second)
		seq = e.lastVisible(t, id, code, seq)
		s := p.waitFor(fmt.Sprintf("event %d", seq), func(s snapshot) bool { return s.lastSeq >= seq })
		if s.ended {
			break
		}
		if s.decision != "" && !answered[s.decision] {
			answered[s.decision] = true
			// The modal is up: the first option that is not a restart.
			if s.decision == "restart-the-fleet" {
				p.typeKeys("3")
			} else {
				p.typeKeys("2")
			}
			p.settle()
		}
		if len(s.pages) > 0 {
			// Esc to the keys, a acknowledges the selected page, i back.
			p.typeKeys("\x1ba")
			p.settle()
			p.typeKeys("i")
		}
		if mine == "" {
			for n, inc := range s.incidents {
				if inc.Group == "claims" && inc.State == engine.StateAssigned && inc.Class != engine.ClassServiceRequest {
					p.command("/ack " + strings.ToLower(n))
					if p.last.incidents[n].Assignee == "raj" || p.last.incidents[n].State == engine.StateInProgress {
						mine = n
					}
					break
				}
			}
		}
		if mine != "" && !investigated {
			investigated = true
			p.command("/logs claims-api")
			p.command("/traffic claims-api")
			p.command("/runbook claims-partner-timeouts")
			p.typeKeys("/step claims-partner-timeouts check-d\t" + mine + "\n") // Tab completes the step
			p.settle()
			p.command("/page network " + mine + " claims calls die at CONNECT to the egress proxy 10.40.8.10: 503 conn limit")
			p.command("egress proxy is refusing CONNECTs (503 conn limit); paged network")
		}
		if inc, ok := s.incidents[mine]; ok && !declared && s.healthy["claims-api"] &&
			(inc.State == engine.StateInProgress || inc.State == engine.StateMitigated) && inc.Parent == "" {
			// Service is back and nobody else will declare raj's record.
			declared = true
			p.command("/restored " + mine)
		}
	}
	s := p.waitFor("the end", func(s snapshot) bool { return s.ended })
	if s.reason != "restored" {
		t.Fatalf("the exercise ended for %q, want restored; feed:\n%s", s.reason, strings.Join(s.feed, "\n"))
	}
	if mine == "" || !investigated {
		t.Fatalf("raj never took a claims incident; feed:\n%s", strings.Join(s.feed, "\n"))
	}
	screen := strings.Join(s.screen, "\n")
	for _, want := range []string{"ENDED: service restored", "exercise ended (service restored)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen does not show %q:\n%s", want, screen)
		}
	}
	var refused []string
	for _, l := range s.feed {
		if strings.Contains(l, "✗") {
			refused = append(refused, l)
		}
	}
	t.Logf("raj took %s; %d of his last commands were refused: %v", mine, len(refused), refused)
	t.Logf("final screen:\n%s", screen)
	t.Logf("feed:\n%s", strings.Join(s.feed, "\n"))

	// Quitting returns from Run and gives the terminal back.
	p.typeKeys("\x1bq")
	select {
	case err := <-p.errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(readGuard):
		t.Fatal("q did not quit")
	}
}

// TestClientResumesAgainstServer drops the connection mid-exercise while
// the exercise goes on; after the backoff the client resumes, and the
// events it delivered are exactly the seat's events: none lost, none
// twice.
func TestClientResumesAgainstServer(t *testing.T) {
	e := newEmbedded(t)
	id, code, fac := e.createWithFacilitator(t, "kim")
	backoff := clock.NewFake(start)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := Dial(ctx, e.http.URL, code, WithBackoffClock(backoff), WithBackoff(time.Second, 4*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var got []uint64
	read := func(upTo uint64) {
		t.Helper()
		for len(got) == 0 || got[len(got)-1] < upTo {
			m := next(t, c)
			for _, ev := range m.Events {
				got = append(got, ev.Seq)
			}
		}
	}
	var last uint64
	for range 20 {
		e.step(30 * time.Second)
	}
	e.durable(t, fac)
	last = e.lastVisible(t, id, code, last)
	read(last)

	c.drop()
	until(t, c, &got, linkIs(Retrying))
	for range 20 { // ten minutes go by while kim is offline
		e.step(30 * time.Second)
	}
	before := last
	e.durable(t, fac)
	last = e.lastVisible(t, id, code, last)
	if last == before {
		t.Fatal("nothing happened for kim while offline; the test proves little")
	}
	backoff.BlockUntil(1)
	backoff.Advance(time.Second)
	read(last)

	// The API answers with the durable log, which a commit landing since
	// may have lengthened: compare up to its end.
	want := e.lastVisibleAll(t, id, code)
	read(want[len(want)-1])
	got = slices.DeleteFunc(got, func(seq uint64) bool { return seq > want[len(want)-1] })
	if !slices.Equal(want, got) {
		t.Fatalf("the client delivered %d events, the seat has %d; first difference at %d", len(got), len(want), firstDiff(want, got))
	}
}

// lastVisibleAll lists the sequence numbers of every event the seat may see.
func (e *embedded) lastVisibleAll(t *testing.T, id, code string) []uint64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/exercises/%s/events", e.http.URL, id), nil)
	req.Header.Set("Authorization", "Bearer "+code)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var evs []engine.Event
	if err := json.NewDecoder(res.Body).Decode(&evs); err != nil {
		t.Fatal(err)
	}
	out := make([]uint64, len(evs))
	for i, ev := range evs {
		out[i] = ev.Seq
	}
	return out
}

func firstDiff(a, b []uint64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
