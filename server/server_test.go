package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

func seatCode(t *testing.T, resp CreateResponse, seat string) string {
	t.Helper()
	for _, s := range resp.Seats {
		if s.Seat == seat {
			return s.Code
		}
	}
	t.Fatalf("no seat %q in %+v", seat, resp.Seats)
	return ""
}

func create(t *testing.T, ts *testServer, humans ...string) CreateResponse {
	t.Helper()
	seed := uint64(3)
	resp, err := ts.srv.Create(context.Background(), CreateRequest{
		Scenario: "egress-proxy-saturation", Seed: &seed, Humans: humans, EndOnRestore: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestEndToEnd plays the egress scenario with a facilitator and players in
// two groups over real websockets, bots in every other Seat, to
// restoration; no player ever receives an event their seat may not see.
func TestEndToEnd(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) { endToEnd(t, newTestServerOn(t, backend)) })
	}
}

func endToEnd(t *testing.T, ts *testServer) {
	resp := create(t, ts, "ana", "kim", "service-desk")
	fac := ts.dial(t, resp.FacilitatorCode)
	ana := ts.dial(t, seatCode(t, resp, "ana"))
	kim := ts.dial(t, seatCode(t, resp, "kim"))
	if w := fac.hello(0); !w.You.Facilitator || w.LastSeq == 0 {
		t.Fatalf("facilitator welcome: %+v", w)
	}
	if w := ana.hello(0); w.You.Name != "ana" || !slices.Contains(w.You.Groups, "claims") {
		t.Fatalf("ana's welcome: %+v", w)
	}
	kim.hello(0)

	// A ChatOps look-up through the socket, acknowledged after commit.
	kim.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "group:network", Text: "/oncall"})
	ack := kim.until(protocol.TypeAck, "c1")
	var ackSeq uint64
	if err := json.Unmarshal(ack["seq"], &ackSeq); err != nil || ackSeq == 0 {
		t.Fatalf("ack without a committed sequence number: %v", ack)
	}

	// Run the clock until the facilitator sees the end. Kim owns the
	// egress proxy's service: once its incident is restored, kim validates
	// it, as a person at the console would.
	var ended engine.EndedData
	validated := false
	// What each player may see, from the seat the server gave them: kim is
	// a network technician who also owns the group and the proxy's service.
	h := ts.srv.hostOf(resp.ID)
	kimView, anaView := h.seats["kim"].Viewer(), h.seats["ana"].Viewer()
	if !slices.Contains(kimView.Roles, engine.RoleServiceOwner) {
		t.Fatalf("kim's seat does not hold service_owner: %+v", kimView)
	}
	for i := 0; i < 10000 && ended.Reason == ""; i++ {
		ts.step(30 * time.Second)
		if !validated {
			evs, err := h.eventsFor(kimView, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if inc := restoredOn(evs, "egress-proxy"); inc != "" {
				kim.send(protocol.Action{Type: protocol.TypeAction, ID: "v1", Role: engine.RoleServiceOwner,
					Action: engine.Action{Op: engine.OpValidateRestoration, Record: inc}})
				kim.until(protocol.TypeAck, "v1")
				validated = true
			}
		}
		st, err := h.status()
		if err != nil {
			t.Fatal(err)
		}
		if st.Ended {
			for ended.Reason == "" {
				fac.next()
				for _, e := range fac.events {
					if d, ok := e.Data.(engine.EndedData); ok {
						ended = d
					}
				}
			}
		}
	}
	if ended.Reason != "restored" {
		t.Fatalf("the exercise ended for %q, want restored", ended.Reason)
	}

	// Drain what the players were sent: every event theirs, none missing.
	for _, p := range []struct {
		c *conn
		v engine.Viewer
	}{
		{ana, anaView},
		{kim, kimView},
	} {
		p.c.send(protocol.Chat{Type: protocol.TypeChat, ID: "last", Text: "done"})
		// The hotwash chat is a sync point: every event up to its ack's
		// seq went out before the ack.
		var upTo uint64
		if err := json.Unmarshal(p.c.until(protocol.TypeAck, "last")["seq"], &upTo); err != nil || upTo == 0 {
			t.Fatalf("%s's last ack has no seq: %v", p.v.Name, err)
		}
		if len(p.c.events) == 0 {
			t.Fatalf("%s received no events", p.v.Name)
		}
		all, err := h.eventsFor(engine.Viewer{Name: "f", Role: engine.RoleFacilitator}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got, want []uint64
		for _, e := range p.c.events {
			if e.Seq <= upTo {
				got = append(got, e.Seq)
			}
		}
		for _, e := range all {
			if _, ok := e.For(p.v, h.exercise()); ok && e.Seq <= upTo {
				want = append(want, e.Seq)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s received events %v, want the %d addressed to them: %v", p.v.Name, got, len(want), want)
		}
		for _, e := range p.c.events {
			if !e.To.Sees(p.v) {
				t.Errorf("%s received event %d (%s) addressed to %+v", p.v.Name, e.Seq, e.Kind, e.To)
			}
			switch d := e.Data.(type) {
			case engine.WorldData, engine.RootClaimData, engine.ExpectData:
				t.Errorf("%s received ground truth: %s", p.v.Name, e.Kind)
			case engine.TelemetryData:
				for _, s := range d.Services {
					if !h.exercise().MayWatch(p.v, s.Service) {
						t.Errorf("%s received the telemetry of %s, whose dashboards they may not watch", p.v.Name, s.Service)
					}
				}
			}
			if d, ok := e.Data.(engine.InjectData); ok && d.Record != "" {
				t.Errorf("%s received an inject's scoring field", p.v.Name)
			}
		}
	}
	// Kim heard as service owner what no technician hears: the floor lead
	// asking the owner to validate.
	if !slices.ContainsFunc(kim.events, func(e engine.Event) bool {
		return slices.Equal(e.To.Roles, []engine.Role{engine.RoleServiceOwner}) && !e.To.Sees(engine.Viewer{Name: "kim", Role: engine.RoleTechnician, Groups: kimView.Groups})
	}) {
		t.Error("kim received no event addressed to service owners alone")
	}
	// The check above means something only if there were events ana may
	// not see: other groups' channels, pages and ground truth.
	hidden := 0
	for _, e := range fac.events {
		if !e.To.Sees(anaView) && !slices.Contains(e.To.People, "ana") {
			hidden++
		}
	}
	if hidden < 50 {
		t.Fatalf("only %d events were hidden from ana; the privacy check proves little", hidden)
	}
}

// restoredOn finds an incident about service that is restored and not yet
// validated.
func restoredOn(evs []engine.Event, service string) string {
	for i := len(evs) - 1; i >= 0; i-- {
		d, ok := evs[i].Data.(engine.ActionData)
		if !ok {
			continue
		}
		for _, rc := range d.Records {
			if inc := rc.Incident; inc != nil && inc.Service == service && inc.State == engine.StateRestored && !inc.Validated.Set {
				return inc.Number
			}
		}
	}
	return ""
}

// TestBadInput sends every kind of bad frame: each gets its typed error and
// the server goes on serving the others.
func TestBadInput(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "ana", "kim")
	ana := ts.dial(t, seatCode(t, resp, "ana"))
	other := ts.dial(t, seatCode(t, resp, "kim"))
	ana.hello(0)
	other.hello(0)

	tests := []struct {
		name  string
		frame string
		id    string
		code  string
	}{
		{"malformed JSON", `{"type":"action",`, "", protocol.CodeBadRequest},
		{"unknown frame type", `{"type":"teleport","id":"x1"}`, "x1", protocol.CodeBadRequest},
		{"unknown field", `{"type":"chat","id":"x2","text":"hi","colour":"red"}`, "x2", protocol.CodeBadRequest},
		{"no id", `{"type":"chat","text":"hi"}`, "", protocol.CodeBadRequest},
		{"second hello", `{"type":"hello"}`, "", protocol.CodeConflict},
		{"role not held", `{"type":"action","id":"x3","role":"command_center","action":{"op":"raise_incident_alert","record":"INC0001"}}`, "x3", protocol.CodeForbidden},
		{"role may not", `{"type":"action","id":"x4","action":{"op":"raise_incident_alert","record":"INC0001"}}`, "x4", protocol.CodeForbidden},
		{"missing record", `{"type":"action","id":"x5","action":{"op":"acknowledge","record":"INC0099"}}`, "x5", protocol.CodeNotFound},
		{"unknown op", `{"type":"action","id":"x6","action":{"op":"reboot"}}`, "x6", protocol.CodeBadRequest},
		{"control by a player", `{"type":"control","id":"x7","control":"end"}`, "x7", protocol.CodeForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ana.t = t
			ana.sendRaw([]byte(tt.frame))
			for {
				typ, f := ana.next()
				if typ != protocol.TypeError {
					continue
				}
				var id, code string
				_ = json.Unmarshal(f["id"], &id)
				_ = json.Unmarshal(f["code"], &code)
				if id != tt.id {
					continue
				}
				if code != tt.code {
					t.Fatalf("code %s, want %s", code, tt.code)
				}
				break
			}
		})
	}

	t.Run("flood", func(t *testing.T) {
		ana.t = t
		for i := range 100 {
			ana.send(protocol.Chat{Type: protocol.TypeChat, ID: "f" + strconv.Itoa(i), Channel: "group:claims", Text: "spam"})
		}
		limited := 0
		for seen := 0; seen < 100; {
			typ, f := ana.next()
			if typ != protocol.TypeAck && typ != protocol.TypeError {
				continue
			}
			var id string
			_ = json.Unmarshal(f["id"], &id)
			if !strings.HasPrefix(id, "f") {
				continue
			}
			seen++
			var code string
			_ = json.Unmarshal(f["code"], &code)
			if code == protocol.CodeRateLimited {
				limited++
			}
		}
		if limited == 0 {
			t.Fatal("100 frames at once were all accepted")
		}
	})

	t.Run("flood of bad frames closes the connection", func(t *testing.T) {
		// A second connection on ana's code floods frames the server
		// cannot even decode: each is refused for the rate, not passed to
		// the exercise's loop, and past floodLimit in a row it is closed.
		flooder := ts.dial(t, seatCode(t, resp, "ana"))
		flooder.hello(0)
		for range actionBurst + floodLimit + 10 {
			flooder.sendRaw([]byte(`{"type":"teleport","id":"x"}`))
		}
		limited := 0
		for {
			typ, f := flooder.next()
			if typ == protocol.TypeClosing {
				var reason string
				_ = json.Unmarshal(f["reason"], &reason)
				if !strings.Contains(reason, "flooding") {
					t.Fatalf("closing reason %q, want flooding", reason)
				}
				break
			}
			var code string
			_ = json.Unmarshal(f["code"], &code)
			if typ == protocol.TypeError && code == protocol.CodeRateLimited {
				limited++
			}
		}
		if limited < floodLimit {
			t.Fatalf("%d frames refused for the rate before the close, want at least %d", limited, floodLimit)
		}
	})

	t.Run("others still served", func(t *testing.T) {
		other.t = t
		other.send(protocol.Chat{Type: protocol.TypeChat, ID: "ok1", Channel: "group:network", Text: "/status"})
		other.until(protocol.TypeAck, "ok1")
	})

	t.Run("oversized frame", func(t *testing.T) {
		ana.t = t
		ana.sendRaw([]byte(`{"type":"chat","id":"big","text":"` + strings.Repeat("x", readLimit) + `"}`))
		if err := ana.closeError(); !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
			t.Fatalf("oversized frame: %v, want close 1009 (message too big)", err)
		}
		other.t = t
		other.send(protocol.Chat{Type: protocol.TypeChat, ID: "ok2", Channel: "group:network", Text: "/help"})
		other.until(protocol.TypeAck, "ok2")
	})
}

func TestAuthBeforeUpgrade(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "ana")
	for _, tc := range []struct {
		name, code string
		status     int
	}{
		{"no code", "", http.StatusUnauthorized},
		{"wrong code", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-F", http.StatusUnauthorized},
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.http.URL+"/ws", nil)
		req.Header.Set("Authorization", "Bearer "+tc.code)
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
	}
	// A player's code reads its exercise, and no other.
	other := create(t, ts, "kim")
	for _, tc := range []struct {
		path, code string
		status     int
	}{
		{"/api/exercises/" + resp.ID, seatCode(t, resp, "ana"), http.StatusOK},
		{"/api/exercises/" + other.ID, seatCode(t, resp, "ana"), http.StatusForbidden},
		{"/api/exercises/" + resp.ID + "/events?after=0", seatCode(t, resp, "ana"), http.StatusOK},
		{"/api/exercises/" + resp.ID, "", http.StatusUnauthorized},
	} {
		if got := ts.getStatus(t, tc.path, tc.code); got != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, got, tc.status)
		}
	}
	// A foreign Origin is refused before the upgrade.
	req, _ := http.NewRequest(http.MethodGet, ts.http.URL+"/ws?code="+seatCode(t, resp, "ana"), nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("foreign origin: %d, want 403", res.StatusCode)
	}
}

// TestResume reconnects after some events and gets exactly the rest:
// every sequence number after the cut, once, in order.
func TestResume(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) { resumeAfterCut(t, newTestServerOn(t, backend)) })
	}
}

func resumeAfterCut(t *testing.T, ts *testServer) {
	resp := create(t, ts, "kim")
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	for range 40 {
		ts.step(30 * time.Second)
	}
	fac.send(protocol.Chat{Type: protocol.TypeChat, ID: "sync", Channel: "command-center", Text: "/status"})
	fac.until(protocol.TypeAck, "sync")
	cut := fac.events[len(fac.events)/2].Seq

	again := ts.dial(t, resp.FacilitatorCode)
	w := again.hello(cut)
	again.send(protocol.Chat{Type: protocol.TypeChat, ID: "sync2", Channel: "command-center", Text: "/status"})
	ack := again.until(protocol.TypeAck, "sync2")
	var last uint64
	_ = json.Unmarshal(ack["seq"], &last)
	if w.LastSeq <= cut {
		t.Fatalf("welcome says the log ends at %d, before the cut %d", w.LastSeq, cut)
	}
	want := cut + 1
	for _, e := range again.events {
		if e.Seq != want {
			t.Fatalf("after resuming at %d got seq %d, want %d", cut, e.Seq, want)
		}
		want++
	}
	if want-1 != last {
		t.Fatalf("resumed events end at %d, the ack says %d", want-1, last)
	}
}

// TestShutdownDrains: a shutdown answers what was already taken and tells
// every client why it is disconnected.
func TestShutdownDrains(t *testing.T) {
	ts := newTestServer(t)
	g := newGate(t, ts)
	resp := create(t, ts, "kim")
	kim := ts.dial(t, seatCode(t, resp, "kim"))
	kim.hello(0)
	h := ts.srv.hostOf(resp.ID)

	// A chat whose commit is in flight when the shutdown begins is still
	// acknowledged, before the connection closes.
	g.close()
	kim.send(protocol.Chat{Type: protocol.TypeChat, ID: "s1", Channel: "group:network", Text: "/status"})
	g.waitArrival(t)
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- ts.srv.Shutdown(ctx)
	}()
	<-ts.srv.ctx.Done() // the shutdown has begun
	g.open()
	kim.until(protocol.TypeAck, "s1")
	f := kim.until(protocol.TypeClosing, "")
	var reason string
	_ = json.Unmarshal(f["reason"], &reason)
	if !strings.Contains(reason, "shutting down") {
		t.Fatalf("closing reason %q", reason)
	}
	if err := kim.closeError(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("closed with %v, want 1001 (going away): the client may come back", err)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}

	// After the loop has gone, reads are refused, never left waiting.
	reads := make(chan error)
	go func() {
		for range 50 {
			_, err := h.status()
			reads <- err
		}
		close(reads)
	}()
	for range 50 {
		select {
		case err := <-reads:
			if err == nil {
				t.Fatal("a read after shutdown succeeded")
			}
		case <-time.After(readTimeout):
			t.Fatal("a read after shutdown is still waiting")
		}
	}
}

// TestControls: the facilitator pauses, changes the speed, resumes, fires
// an inject and ends the exercise; every player's console hears the clock
// change as it happens, the store keeps the state, and a player may do
// none of it.
func TestControls(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "ana", "service-desk")
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	ana := ts.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	desk := ts.dial(t, seatCode(t, resp, "service-desk"))
	desk.hello(0)
	ctx := context.Background()

	clockFrame := func(c *conn) protocol.Clock {
		t.Helper()
		f := c.until(protocol.TypeClock, "")
		var cl protocol.Clock
		b, _ := json.Marshal(f)
		_ = json.Unmarshal(b, &cl)
		return cl
	}
	control := func(id string, ctl protocol.Control) {
		t.Helper()
		ctl.Type, ctl.ID = protocol.TypeControl, id
		fac.send(ctl)
		fac.until(protocol.TypeAck, id)
	}

	control("p", protocol.Control{Control: protocol.ControlPause})
	if cl := clockFrame(ana); !cl.Paused {
		t.Fatalf("ana heard %+v after the pause", cl)
	}
	if ex, _ := ts.st.Exercise(ctx, resp.ID); ex.State != "paused" {
		t.Fatalf("stored state %q after the pause", ex.State)
	}
	control("s", protocol.Control{Control: protocol.ControlSpeed, Speed: 60})
	if cl := clockFrame(ana); cl.Speed != 60 || !cl.Paused {
		t.Fatalf("ana heard %+v after the speed change", cl)
	}
	control("r", protocol.Control{Control: protocol.ControlResume})
	if cl := clockFrame(ana); cl.Paused || cl.Speed != 60 {
		t.Fatalf("ana heard %+v after the resume", cl)
	}
	if ex, _ := ts.st.Exercise(ctx, resp.ID); ex.State != "running" || ex.Speed != 60 {
		t.Fatalf("stored %q at ×%g after the resume", ex.State, ex.Speed)
	}

	// Firing an inject now brings the service desk its phone call.
	control("f", protocol.Control{Control: protocol.ControlFire, Inject: "splunk-access-request"})
	for {
		desk.next()
		if n := len(desk.events); n > 0 {
			if d, ok := desk.events[n-1].Data.(engine.InjectData); ok && d.Name == "splunk-access-request" {
				break
			}
		}
	}
	if code := ana.errorCode(func() string {
		ana.send(protocol.Control{Type: protocol.TypeControl, ID: "x", Control: protocol.ControlEnd})
		return "x"
	}()); code != protocol.CodeForbidden {
		t.Fatalf("a player's end: %s, want forbidden", code)
	}
	control("e", protocol.Control{Control: protocol.ControlEnd})
	if ex, _ := ts.st.Exercise(ctx, resp.ID); ex.State != "ended" {
		t.Fatalf("stored state %q after the end", ex.State)
	}
}

// TestNoJoinAfterDrop: a client the loop has dropped before it took its
// hello (kicked for flooding, say) must not be added to the exercise's
// clients when the hello comes: its leave has come and gone, so nothing
// would ever take it out again, and every event would be queued for it.
func TestNoJoinAfterDrop(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "ana")
	h := ts.srv.hostOf(resp.ID)
	c := &client{h: h, out: newOutbox(sendQueueBytes)}
	h.post(request{client: c, kick: "flooding"})
	h.post(request{client: c, join: &joinRequest{}})
	var joined bool
	if err := h.read(func() { _, joined = h.clients[c] }); err != nil {
		t.Fatal(err)
	}
	if joined {
		t.Fatal("a dropped client joined the exercise")
	}
}
