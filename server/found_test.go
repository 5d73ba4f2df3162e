package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// What an adversarial tester found players could do or learn that their
// seat should not, each replayed over real websockets against the egress
// scenario (the engine redesign issue, "What was found").

// act sends an action frame in role and returns "" for an ack or the
// error's code.
func act(c *conn, id string, role engine.Role, a engine.Action) string {
	c.t.Helper()
	c.send(protocol.Action{Type: protocol.TypeAction, ID: id, Role: role, Action: a})
	for {
		typ, f := c.next()
		var fid string
		_ = json.Unmarshal(f["id"], &fid)
		if fid != id {
			continue
		}
		switch typ {
		case protocol.TypeAck:
			return ""
		case protocol.TypeError:
			var code string
			_ = json.Unmarshal(f["code"], &code)
			return code
		}
	}
}

// say sends a chat line and returns the ChatOps bot's reply to it.
func say(c *conn, id, channel, text string) string {
	c.t.Helper()
	c.send(protocol.Chat{Type: protocol.TypeChat, ID: id, Channel: channel, Text: text})
	ack := c.until(protocol.TypeAck, id)
	var upTo uint64
	_ = json.Unmarshal(ack["seq"], &upTo)
	for _, e := range c.events {
		if d, ok := e.Data.(engine.ChatData); ok && d.Bot && e.Seq <= upTo && e.Seq > upTo-2 {
			return d.Text
		}
	}
	c.t.Fatalf("no reply to %q", text)
	return ""
}

// TestFoundOverWebsockets: each case the adversarial review found, as a
// regression test.
func TestFoundOverWebsockets(t *testing.T) {
	ts := newTestServer(t)
	seed := uint64(3)
	// A human incident manager hears the decisions put to that seat
	// answered by the command center's bot.
	resp, err := ts.srv.Create(context.Background(), CreateRequest{
		Scenario: "egress-proxy-saturation", Seed: &seed, Humans: []string{"raj", "lena", "service-desk", "incident-manager"},
	})
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	raj := ts.dial(t, seatCode(t, resp, "raj")) // claims technician
	raj.hello(0)
	lena := ts.dial(t, seatCode(t, resp, "lena")) // pharmacy group owner
	lena.hello(0)
	desk := ts.dial(t, seatCode(t, resp, "service-desk"))
	desk.hello(0)
	im := ts.dial(t, seatCode(t, resp, "incident-manager"))
	im.hello(0)

	// The network team's things, set up by the facilitator before anyone
	// acts: an incident, a page, a task and an emergency change.
	setup := func(id string, a engine.Action) {
		t.Helper()
		if code := act(fac, id, engine.RoleFacilitator, a); code != "" {
			t.Fatalf("setting up %s: %s", a.Op, code)
		}
	}
	setup("s1", engine.Action{Op: engine.OpCreateIncident, Service: "egress-proxy", Group: "network", Text: "egress proxy refusing CONNECTs", Impact: engine.LevelHigh, Urgency: engine.LevelHigh})
	setup("s2", engine.Action{Op: engine.OpPage, Group: "network", Record: "INC0001", Text: "look at the proxy"})
	setup("s3", engine.Action{Op: engine.OpOpenTask, Record: "INC0001", Group: "network", Text: "check the conn table"})
	setup("s4", engine.Action{Op: engine.OpOpenChange, Record: "INC0001", Remedy: "raise-conn-table", Emergency: true})

	forbidden := []struct {
		name string
		who  *conn
		role engine.Role
		a    engine.Action
	}{
		{"a claims technician runs the network team's runbook step", raj, engine.RoleTechnician,
			engine.Action{Op: engine.OpRunRunbookStep, Runbook: "egress-proxy-health", Step: "check-conn-table", Record: "INC0001"}},
		{"a claims technician silences the network team's page", raj, engine.RoleTechnician,
			engine.Action{Op: engine.OpSilencePage, Page: "PG0001", For: 4 * time.Hour}},
		{"a technician completes another group's task", raj, engine.RoleTechnician,
			engine.Action{Op: engine.OpCompleteTask, Record: "TASK0001"}},
		{"a pharmacy group owner approves a network change", lena, engine.RoleGroupOwner,
			engine.Action{Op: engine.OpApproveChange, Record: "CHG0001"}},
		{"a pharmacy group owner reassigns a network incident to pharmacy", lena, engine.RoleGroupOwner,
			engine.Action{Op: engine.OpAssign, Record: "INC0001", Group: "pharmacy"}},
		{"a technician names a root cause on another group's incident", raj, engine.RoleTechnician,
			engine.Action{Op: engine.OpIdentifyRootCause, Record: "INC0001", Service: "egress-proxy", Text: "conn table"}},
		{"a technician updates another group's incident", raj, engine.RoleTechnician,
			engine.Action{Op: engine.OpUpdateIncident, Record: "INC0001", Text: "it is the proxy"}},
	}
	for i, tt := range forbidden {
		t.Run(tt.name, func(t *testing.T) {
			if code := act(tt.who, "f"+string(rune('a'+i)), tt.role, tt.a); code != protocol.CodeForbidden {
				t.Fatalf("got %q, want forbidden", orAck(code))
			}
		})
	}
	for _, e := range raj.events {
		if d, ok := e.Data.(engine.ResultData); ok && strings.Contains(strings.Join(d.Lines, "\n"), "65536") {
			t.Errorf("raj received the network team's diagnosis: %v", d.Lines)
		}
	}

	t.Run("the service desk's /vendor shows no change log", func(t *testing.T) {
		reply := say(desk, "v1", "command-center", "/vendor skygate")
		if strings.Contains(reply, "SGOS 7.2.4") || !strings.Contains(reply, "change log:") {
			t.Errorf("/vendor skygate told the service desk: %q", reply)
		}
	})

	ts.step(10 * time.Minute) // the proxy fails at +6m
	t.Run("the service desk's /status shows no dashboards", func(t *testing.T) {
		reply := say(desk, "v2", "command-center", "/status")
		if strings.Contains(reply, "errors") || !strings.Contains(reply, "only the dashboards you may watch") {
			t.Errorf("/status told the service desk: %q", reply)
		}
	})
	t.Run("the command center's /status shows them", func(t *testing.T) {
		reply := say(fac, "v3", "command-center", "/status")
		if !strings.Contains(reply, "egress-proxy (errors") {
			t.Errorf("/status told the facilitator: %q", reply)
		}
	})

	t.Run("players receive no scoring field", func(t *testing.T) {
		ts.step(15 * time.Minute) // calls, pages and the fleet-restart decision
		injects, answers := 0, 0
		for i, c := range []*conn{raj, lena, desk, im} {
			caughtUp(c, "sync-"+string(rune('a'+i)))
			for _, e := range c.events {
				switch d := e.Data.(type) {
				case engine.InjectData:
					injects++
					if d.About != "" || d.Record != "" {
						t.Errorf("inject %s reached a player with its ground truth", d.Name)
					}
				case engine.AnswerData:
					answers++
					if d.Score != 0 {
						t.Errorf("decision %s reached a player with its score", d.Name)
					}
				case engine.WorldData, engine.RootClaimData, engine.ExpectData:
					t.Errorf("ground truth reached a player: %s", e.Kind)
				}
			}
		}
		if injects == 0 || answers == 0 {
			t.Errorf("the players received %d injects and %d answered decisions: the check saw too little", injects, answers)
		}
	})
}

// caughtUp waits until every event published before now has reached c: the
// ack of a chat line comes after them.
func caughtUp(c *conn, id string) {
	c.t.Helper()
	c.send(protocol.Chat{Type: protocol.TypeChat, ID: id, Text: "sync"})
	c.until(protocol.TypeAck, id)
}

func orAck(code string) string {
	if code == "" {
		return "an ack"
	}
	return code
}

// TestClosingRetiresInTheLog: closing an incident closes its war room and
// its incident alert, and the close's event says so, so a console folding
// the log shows both closed. It all happens before the clock moves, so no
// bot acts in between.
func TestClosingRetiresInTheLog(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "raj")
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	raj := ts.dial(t, seatCode(t, resp, "raj"))
	raj.hello(0)
	setup := func(id string, a engine.Action) {
		t.Helper()
		if code := act(fac, id, engine.RoleFacilitator, a); code != "" {
			t.Fatalf("setting up %s: %s", a.Op, code)
		}
	}
	setup("s1", engine.Action{Op: engine.OpCreateIncident, Service: "egress-proxy", Group: "network", Text: "egress proxy refusing CONNECTs", Impact: engine.LevelHigh, Urgency: engine.LevelHigh})
	for i, a := range []engine.Action{
		{Op: engine.OpRaiseIncidentAlert, Record: "INC0001"},
		{Op: engine.OpOpenWarRoom, Record: "INC0001", Text: "proxy bridge"},
		{Op: engine.OpAcknowledge, Record: "INC0001"},
		{Op: engine.OpDeclareRestored, Record: "INC0001"},
		{Op: engine.OpValidateRestoration, Record: "INC0001"},
		{Op: engine.OpBusinessImpact, Record: "INC0001", Text: "claims delayed"},
		{Op: engine.OpOpenProblem, Record: "INC0001", Text: "why"},
	} {
		setup("c"+string(rune('a'+i)), a)
	}
	setup("close", engine.Action{Op: engine.OpClose, Record: "INC0001", Text: "done"})
	caughtUp(raj, "sync1")
	var closed []string
	for _, e := range raj.events {
		d, ok := e.Data.(engine.ActionData)
		if !ok || d.Action.Op != engine.OpClose {
			continue
		}
		for _, rc := range d.Records {
			switch {
			case rc.WarRoom != nil && !rc.WarRoom.Open():
				closed = append(closed, rc.WarRoom.Number)
			case rc.Alert != nil && !rc.Alert.Open():
				closed = append(closed, rc.Alert.Number)
			}
		}
	}
	if strings.Join(closed, ",") != "IA0001,WR01" && strings.Join(closed, ",") != "WR01,IA0001" {
		t.Errorf("the close told raj it closed %v, want the war room and the incident alert", closed)
	}
}
