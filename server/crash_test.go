package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/internal/pgtest"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// servingURL and pprofURL find the addresses a `firedrill serve` child
// announces.
var (
	servingURL = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)
	pprofURL   = regexp.MustCompile(`msg="pprof is serving" url=(http://127\.0\.0\.1:\d+/debug/pprof/)`)
)

type child struct {
	cmd   *exec.Cmd
	url   string
	pprof string // with --pprof-addr
}

// startServe runs the real binary on a random loopback port, with flags
// added, and waits for it to announce its address.
func startServe(t *testing.T, bin, db string, flags ...string) *child {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, flags...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	found := make(chan *child, 1)
	go func() {
		c := &child{cmd: cmd}
		sc := bufio.NewScanner(stderr)
		for sc.Scan() { // to the end: a child blocked on a full pipe stops serving
			if m := pprofURL.FindStringSubmatch(sc.Text()); m != nil {
				c.pprof = m[1] // announced before the players' address
				continue
			}
			if m := servingURL.FindStringSubmatch(sc.Text()); m != nil && c.url == "" {
				c.url = m[1]
				found <- c
			}
		}
		close(found)
	}()
	select {
	case c, ok := <-found:
		if !ok {
			t.Fatal("firedrill serve exited before serving")
		}
		return c
	case <-time.After(readTimeout):
		t.Fatal("firedrill serve did not announce its address")
	}
	return nil
}

func dialURL(t *testing.T, base, code string) *conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws", http.Header{"Authorization": {"Bearer " + code}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return &conn{t: t, ws: ws}
}

// TestKillAndResume kills a real `firedrill serve` with SIGKILL in the middle
// of an exercise with a connected player, restarts it on the same database,
// reconnects with resume, and checks that no acknowledged action and no
// event is lost and that the exercise goes on to restoration.
//
// On PostgreSQL the killed server's claim goes with its session; the
// restarted one resumes the exercise when it starts or, if the database has
// not yet ended the dead session by then, when the player reconnects.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the firedrill binary")
	}
	bin := firedrillBinary(t)
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "firedrill.db")
			if backend == store.DriverPostgres {
				db = pgtest.DSN(t)
			}
			killAndResume(t, bin, db)
		})
	}
}

func killAndResume(t *testing.T, bin, db string) {
	first := startServe(t, bin, db)

	seed := uint64(5)
	body, _ := json.Marshal(CreateRequest{Scenario: "egress-proxy-saturation", Seed: &seed, Speed: 120,
		Humans: []string{"service-desk"}, EndOnRestore: true})
	res, err := http.Post(first.url+"/api/exercises", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var resp CreateResponse
	if err := json.NewDecoder(res.Body).Decode(&resp); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	desk := dialURL(t, first.url, seatCode(t, resp, "service-desk"))
	desk.hello(0)
	var acked []string
	for i := range 12 {
		id := fmt.Sprintf("q%d", i)
		desk.send(protocol.Action{Type: protocol.TypeAction, ID: id,
			Action: engine.Action{Op: engine.OpLessonsLearned, Text: fmt.Sprintf("note %d: search parents first", i)}})
		desk.until(protocol.TypeAck, id)
		acked = append(acked, id)
	}
	// Kill it mid-exercise: no shutdown, no flush.
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	var lastSeen uint64
	for _, e := range desk.events {
		lastSeen = max(lastSeen, e.Seq)
	}

	second := startServe(t, bin, db)
	again := dialURL(t, second.url, seatCode(t, resp, "service-desk"))
	again.hello(lastSeen)
	fac := dialURL(t, second.url, resp.FacilitatorCode)
	fac.hello(0)

	// The exercise goes on to restoration.
	for ended := false; !ended; {
		fac.next()
		for _, e := range fac.events {
			if d, ok := e.Data.(engine.EndedData); ok {
				if d.Reason != "restored" {
					t.Fatalf("after the restart the exercise ended for %q", d.Reason)
				}
				ended = true
			}
		}
	}
	// Every event, 1..N, once, in order, and every acknowledged action in it.
	found := map[string]bool{}
	for i, e := range fac.events {
		if e.Seq != uint64(i+1) {
			t.Fatalf("event %d has seq %d: a gap or a repeat across the restart", i+1, e.Seq)
		}
		if d, ok := e.Data.(engine.ActionData); ok && e.Actor == "service-desk" {
			found[d.Action.ID] = true
		}
	}
	for _, id := range acked {
		if !found[id] {
			t.Errorf("acknowledged action %s is missing after the restart", id)
		}
	}
	// Lessons learned are indexed for the review.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lessons, err := st.Lessons(context.Background(), resp.ID)
	if err != nil || len(lessons) != len(acked) {
		t.Fatalf("%d lessons indexed (%v), want %d", len(lessons), err, len(acked))
	}
	// The resumed player got the events after the last it had seen, from
	// lastSeen+1, nothing twice.
	again.send(protocol.Chat{Type: protocol.TypeChat, ID: "after", Text: "still here"})
	again.until(protocol.TypeAck, "after") // chat stays open for the hotwash
	prev := lastSeen
	for _, e := range again.events {
		if e.Seq <= prev {
			t.Fatalf("resumed player got seq %d after %d", e.Seq, prev)
		}
		prev = e.Seq
	}
	if len(again.events) == 0 {
		t.Fatal("the resumed player got nothing")
	}
}
