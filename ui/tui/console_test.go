package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// TestPlayerScreen draws the player's console at the sizes people use
// and compares it with golden files.
func TestPlayerScreen(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tc := newTestConsole(t, playerConsole, size.w, size.h)
			tc.apply(playerStory()...)
			tc.shows(
				"Shared egress proxy saturates", "T+0:12:00", "×10", "raj · technician · claims", "● live", // header
				"tomas: anyone else seeing", "PG0001: alert claims-5xx pages you", // feed
				"PG0001 page claims-5xx", "INC0001 P1 assigned", "INC0002 P2 in progress pharm", // incidents
				"claims-api", "31%", // services
			)
			tc.golden(fmt.Sprintf("player-%dx%d", size.w, size.h))
		})
	}
}

// TestTypedCommands types lines at the console and checks the frames it
// sends.
func TestTypedCommands(t *testing.T) {
	tests := []struct {
		typed string
		want  any
	}{
		{"/ack\n", protocol.Action{Type: "action", ID: "t1", Action: engine.Action{Op: engine.OpAcknowledgePage, Page: "PG0001"}}},
		{"/ack inc1\n", protocol.Action{Type: "action", ID: "t1", Action: engine.Action{Op: engine.OpAcknowledge, Record: "INC0001"}}},
		{"/new checkout high high Customers cannot pay\n", protocol.Action{Type: "action", ID: "t1", Action: engine.Action{
			Op: engine.OpCreateIncident, Service: "checkout", Impact: engine.LevelHigh, Urgency: engine.LevelHigh, Text: "Customers cannot pay", Classification: engine.ClassIncident}}},
		{"/assign INC0001 network\n", protocol.Action{Type: "action", ID: "t1", Action: engine.Action{Op: engine.OpAssign, Record: "INC0001", Group: "network"}}},
		{"/page network proxy looks full\n", protocol.Action{Type: "action", ID: "t1", Action: engine.Action{Op: engine.OpPage, Group: "network", Text: "proxy looks full"}}},
		{"/telemetry claims-api\n", protocol.Action{Type: "action", ID: "t1", Action: engine.Action{Op: engine.OpQueryTelemetry, Service: "claims-api"}}},
		{"/oncall network\n", protocol.Chat{Type: "chat", ID: "t1", Channel: "group:claims", Text: "/oncall network"}},
		{"anyone on the proxy?\n", protocol.Chat{Type: "chat", ID: "t1", Channel: "group:claims", Text: "anyone on the proxy?"}},
		// Tab completes the command and the page number.
		{"/ac\t\t\n", protocol.Action{Type: "action", ID: "t1", Action: engine.Action{Op: engine.OpAcknowledgePage, Page: "PG0001"}}},
		{"/logs cl\t\n", protocol.Action{Type: "action", ID: "t1", Action: engine.Action{Op: engine.OpQueryLogs, Service: "claims-api"}}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(strings.ReplaceAll(tt.typed, "\t", "⇥")), func(t *testing.T) {
			tc := newTestConsole(t, playerConsole, 100, 30)
			tc.apply(playerStory()...)
			tc.out.frames = nil
			tc.typeKeys(tt.typed)
			if diff := cmp.Diff(tt.want, tc.out.last(t)); diff != "" {
				t.Errorf("frame (-want +got):\n%s", diff)
			}
			typed := strings.TrimSuffix(strings.ReplaceAll(tt.typed, "\t", ""), "\n")
			tc.shows("› " + typed[:min(4, len(typed))])
		})
	}
}

// TestErrorNextToCommand: the server's refusal shows on the command's own
// line, in words, and a local typo never reaches the server.
func TestErrorNextToCommand(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 200, 40)
	tc.apply(playerStory()...)
	tc.typeKeys("/ack INC0002\n")
	a := tc.out.lastAction(t)
	tc.shows("› /ack INC0002 …")
	tc.apply(Message{Error: &protocol.Error{Type: "error", ID: a.ID, Code: "forbidden", Message: "INC0002 is assigned to pharmacy; a person of that group acknowledges it"}})
	tc.shows("› /ack INC0002 ✗ not yours to do: INC0002 is assigned")
	if c := tc.m.Command(a.ID); c.State != Failed || c.Err != "not yours to do: INC0002 is assigned to pharmacy; a person of that group acknowledges it" {
		t.Fatalf("command %+v", c)
	}
	// The refusal event that follows adds nothing: the reason is shown.
	tc.apply(events(engine.Event{Seq: 40, At: 13 * minute, Kind: engine.KindRefused, Actor: "raj", Data: engine.RefusedData{
		Action: engine.Action{ID: a.ID, Op: engine.OpAcknowledge, Record: "INC0002"}, Code: "forbidden", Reason: "INC0002 is assigned to pharmacy"}}))
	tc.hides("acknowledge refused")

	sent := len(tc.out.frames)
	tc.typeKeys("/asign INC0001 network\n")
	if len(tc.out.frames) != sent {
		t.Fatal("a mistyped command was sent")
	}
	tc.shows("› /asign INC0001 network ✗ there is no command /asign; did you mean /assign?")

	tc.typeKeys("/ack PG0001\n")
	tc.apply(Message{Ack: &protocol.Ack{Type: "ack", ID: tc.out.lastAction(t).ID, Seq: 41}})
	tc.shows("› /ack PG0001 ✓")
}

// TestShortcutKeys: Esc moves to the keys; a acknowledges the selected
// page, arrows select, w joins the war room.
func TestShortcutKeys(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 100, 30)
	tc.apply(playerStory()...)
	tc.typeKeys("\x1b")
	tc.shows("a ack · n new · w war room")
	tc.typeKeys("a")
	if got := tc.out.lastAction(t).Action; got.Op != engine.OpAcknowledgePage || got.Page != "PG0001" {
		t.Fatalf("a sent %+v, want an acknowledgement of PG0001", got)
	}
	// Down to INC0001, then open a war room for it (none exists yet).
	tc.press(tcell.KeyDown)
	tc.typeKeys("w")
	if got := tc.edit.String(); got != "/room INC0001 " {
		t.Fatalf("w put %q on the command line, want /room INC0001", got)
	}
	tc.typeKeys("claims bridge\n")
	if got := tc.out.lastAction(t).Action; got.Op != engine.OpOpenWarRoom || got.Record != "INC0001" || got.Text != "claims bridge" {
		t.Fatalf("sent %+v", got)
	}
	// With a war room open, w joins it.
	tc.apply(events(ev(30, 13*minute, "kim", engine.ActionData{Action: engine.Action{Op: engine.OpOpenWarRoom, Record: "INC0001"},
		Records: []engine.RecordChange{{WarRoom: &engine.WarRoom{Number: "WR01", Incident: "INC0001", Members: []engine.Member{{Person: "kim"}}}}}})))
	tc.typeKeys("\x1bw")
	if got := tc.out.lastAction(t).Action; got.Op != engine.OpJoinWarRoom || got.Record != "WR01" {
		t.Fatalf("w sent %+v, want to join WR01", got)
	}
	// Joining adds the war room's tab; chat typed there goes to it.
	tc.apply(events(ev(31, 13*minute, "raj", engine.ActionData{Action: engine.Action{Op: engine.OpJoinWarRoom, Record: "WR01"},
		Records: []engine.RecordChange{{WarRoom: &engine.WarRoom{Number: "WR01", Incident: "INC0001", Members: []engine.Member{{Person: "kim"}, {Person: "raj"}}}}}})))
	tc.shows(" WR01 ")
	tc.typeKeys("w")
	if tc.tab != "warroom:WR01" {
		t.Fatalf("w in a war room I joined should show its tab; tab is %q", tc.tab)
	}
	tc.typeKeys("\x1bhere\n")
	if got := tc.out.last(t).(protocol.Chat); got.Channel != "warroom:WR01" {
		t.Fatalf("chat went to %q", got.Channel)
	}
}

// TestDecisionModal: a decision arrives as a modal; a number answers it.
func TestDecisionModal(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 80, 24)
	tc.apply(playerStory()...)
	tc.apply(events(engine.Event{Seq: 20, At: 19 * minute, Kind: engine.KindOffered, To: engine.ToRole(engine.RoleTechnician), Data: engine.DecisionData{
		Name:   "restart-the-fleet",
		Prompt: "The claims lead wants to rolling-restart claims, pharmacy and eligibility pods together. Pods are passing readiness checks. What do you do?",
		Options: []engine.OptionData{
			{Name: "restart-all", Text: "Restart all three deployments now"},
			{Name: "canary-one-pod", Text: "Restart one claims pod as a test and watch it"},
			{Name: "hold-and-trace", Text: "Hold restarts; trace where the connections fail"},
		},
		Timeout: 5 * time.Minute,
	}}))
	tc.shows("Decision: restart-the-fleet (5m left)", "[3] Hold restarts; trace where the connections fail")
	tc.golden("decision-80x24")

	tc.typeKeys("x") // not an option: nothing happens
	tc.shows("Decision: restart-the-fleet")
	tc.typeKeys("\x1b")
	tc.hides("Decision: restart-the-fleet")
	tc.typeKeys("\x1bd") // keys, then d: the modal comes back
	tc.shows("Decision: restart-the-fleet")
	tc.typeKeys("3")
	if got := tc.out.lastAction(t).Action; got.Op != engine.OpAnswerDecision || got.Decision != "restart-the-fleet" || got.Option != "hold-and-trace" {
		t.Fatalf("3 sent %+v", got)
	}
	tc.hides("Decision: restart-the-fleet")
	tc.apply(events(ev(21, 20*minute, "", engine.AnswerData{Name: "restart-the-fleet", Option: "hold-and-trace", By: "raj"})))
	if len(tc.m.Decisions) != 0 {
		t.Fatalf("answered decision still open: %+v", tc.m.Decisions)
	}
	tc.shows("decision restart-the-fleet: raj chose")
}

// TestRunbookPane: /runbook asks the bot; its answer opens the side pane,
// and running a step shows what it revealed under the step.
func TestRunbookPane(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 200, 40)
	tc.apply(playerStory()...)
	tc.typeKeys("/runbook claims-partner-timeouts\n")
	chat := tc.out.last(t).(protocol.Chat)
	if chat.Text != "/runbook claims-partner-timeouts" || chat.Channel != "group:claims" {
		t.Fatalf("sent %+v", chat)
	}
	tc.apply(events(
		ev(30, 13*minute, "raj", engine.ChatData{Channel: "group:claims", From: "raj", Text: "/runbook claims-partner-timeouts"}),
		ev(31, 13*minute, "firedrill-bot", engine.ChatData{Channel: "group:claims", From: "firedrill-bot", Bot: true, Text: "Claims: clearinghouse timeouts\n" +
			"1. [check-dashboard] Open the Claims API golden-signals dashboard and split errors by upstream.\n" +
			"2. [check-vendor-status] Check status.claimsclear.example and the ClaimsClear change log.\n" +
			"3. [restart-pods] If pods are unhealthy, rolling-restart the claims deployment."}),
	), Message{Ack: &protocol.Ack{Type: "ack", ID: chat.ID, Seq: 31}})
	tc.shows("Runbook claims-partner-timeouts", "1. check-dashboard", "3. restart-pods", "s run a step · x close")
	tc.typeKeys("/step claims-partner-timeouts check-d\t\n")
	if got := tc.out.lastAction(t).Action; got.Op != engine.OpRunRunbookStep || got.Step != "check-dashboard" {
		t.Fatalf("sent %+v", got)
	}
	tc.apply(events(ev(32, 14*minute, "raj", engine.ResultData{Query: engine.OpRunRunbookStep, Subject: "claims-partner-timeouts/check-dashboard",
		Lines: []string{"Open the dashboard.", "Errors are ProxyConnectException: 503 conn limit from 10.40.8.10:8080."}})))
	tc.shows("→ Errors are ProxyConnectException: 503 conn limit")
	tc.golden("runbook-200x40")
	tc.typeKeys("\x1bx")
	tc.hides("Runbook claims-partner-timeouts")
	tc.shows("Incidents (3 open)")
}

// TestTabs: chat lands in its channel's tab; other tabs are marked
// unread; Alt-number and /tab switch.
func TestTabs(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 100, 30)
	tc.apply(playerStory()...)
	tc.typeKeys("/tab #claims\n")
	if tc.tab != "group:claims" {
		t.Fatalf("tab is %q", tc.tab)
	}
	tc.apply(events(
		ev(40, 14*minute, "kim", engine.ChatData{Channel: "direct:raj", From: "kim", Text: "can you check your pods' egress?"}),
		ev(41, 14*minute, "raj", engine.ChatData{Channel: "group:claims", From: "ana", Text: "on it"}),
	))
	tc.shows(" @kim* ", "ana: on it")
	tc.hides("can you check your pods' egress?")
	tc.handleTerm(tcell.NewEventKey(tcell.KeyRune, '3', tcell.ModAlt))
	tc.draw()
	if tc.tab != "direct:kim" {
		t.Fatalf("Alt-3 went to %q", tc.tab)
	}
	tc.shows("kim: can you check your pods' egress?")
	tc.hides("@kim*")
	tc.typeKeys("yes, looking\n")
	if got := tc.out.last(t).(protocol.Chat); got.Channel != "direct:kim" {
		t.Fatalf("a reply in @kim went to %q", got.Channel)
	}
	tc.typeKeys("/tab nowhere\n")
	tc.shows("there is no tab nowhere")
}

// TestReconnecting: the header says the console is reconnecting; commands
// in flight are marked as unanswered rather than left pending.
func TestReconnecting(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 200, 40)
	tc.apply(playerStory()...)
	tc.typeKeys("/logs claims-api\n")
	tc.apply(Message{Conn: &ConnState{Link: Retrying, Err: "the connection dropped", RetryIn: 2 * time.Second, Attempt: 2}})
	tc.shows("○ reconnecting (try 2 in 2s)", "connection lost (the connection dropped); reconnecting",
		"› /logs claims-api ✗ no answer before the connection dropped")
	tc.out.err = ErrOffline
	tc.typeKeys("/ack\n")
	tc.shows("› /ack ✗ not connected to the server; the console is reconnecting")
	tc.out.err = nil
	tc.apply(Message{Conn: &ConnState{Link: Connecting}}, live(), welcomeMsg("raj", engine.RoleTechnician, "claims"), events(ev(50, 15*minute, "", engine.InjectData{Name: "x", Channel: "phone", Text: "still broken"})))
	tc.shows("● live", "reconnected; resuming after event 15", "phone: still broken")
}

// TestHelpAndHints: /help lists commands; typing shows the usage.
func TestHelpAndHints(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 200, 40)
	tc.apply(playerStory()...)
	tc.typeKeys("/help\n")
	tc.shows("commands (Tab completes; /help NAME explains one):", "records: /new /request")
	tc.hides("/pause") // players do not control the exercise
	tc.typeKeys("/assign ")
	tc.shows("/assign INC GROUP [PERSON] — assign an incident to a group")
	tc.typeKeys("INC0001 \t")
	tc.shows("claims pharmacy")
}

// TestEnded: the header and the feed say the exercise ended and why.
func TestEnded(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 80, 24)
	tc.apply(playerStory()...)
	tc.apply(events(ev(99, 48*minute, "", engine.EndedData{Reason: "restored"})))
	tc.shows("ENDED: service restored", "exercise ended (service restored)")
}

// TestNoPanicAnySize draws every state of both consoles at sizes from
// nothing to large, resizing between them.
func TestNoPanicAnySize(t *testing.T) {
	sizes := []struct{ w, h int }{{20, 10}, {1, 1}, {0, 0}, {10, 3}, {5, 5}, {40, 8}, {71, 12}, {80, 24}, {20, 10}, {200, 60}, {20, 10}}
	decision := events(engine.Event{Seq: 60, At: 20 * minute, Kind: engine.KindOffered, Data: engine.DecisionData{
		Name: "no-proxy-bypass", Prompt: strings.Repeat("A long prompt that wraps. ", 20),
		Options: []engine.OptionData{{Name: "a", Text: "yes"}, {Name: "b", Text: "no"}}}})
	for _, k := range []kind{playerConsole, facilitatorConsole} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			tc := newTestConsole(t, k, 20, 10)
			tc.rows() // drawn on an empty model
			story := playerStory()
			if k == facilitatorConsole {
				story = facilitatorStory()
			}
			tc.apply(story...)
			tc.apply(decision)
			tc.m.Runbook = &Runbook{Name: "rb", Title: "t", Steps: []RunbookStep{{Name: "s", Text: strings.Repeat("x", 300), Result: []string{"r"}}}}
			for _, s := range sizes {
				tc.resize(s.w, s.h)
				tc.typeKeys("/ack PG0001 and a long line of text that will not fit on a small screen\t")
				tc.typeKeys("\x1b")
				tc.press(tcell.KeyDown)
				tc.press(tcell.KeyPgUp)
				tc.typeKeys("\x1b")
			}
			tc.resize(20, 10)
			if rows := tc.rows(); len(rows) != 10 {
				t.Fatalf("20×10 screen has %d rows", len(rows))
			}
		})
	}
}

// TestScrollBack: PgUp scrolls the feed back; news arriving meanwhile does
// not move what the reader is reading.
func TestScrollBack(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 80, 24)
	tc.apply(playerStory()...)
	var evs []engine.Event
	for i := range 40 {
		evs = append(evs, ev(uint64(100+i), 20*minute, "", engine.ChatData{Channel: "group:claims", From: "ana", Text: fmt.Sprintf("line %02d", i)}))
	}
	tc.apply(events(evs...))
	tc.shows("line 39")
	tc.press(tcell.KeyPgUp)
	tc.hides("line 39")
	reading := func() []string {
		var out []string
		for _, r := range tc.rows() {
			if strings.Contains(r, "ana: line") {
				out = append(out, r)
			}
		}
		return out
	}
	before := reading()
	tc.apply(events(ev(200, 21*minute, "", engine.ChatData{Channel: "group:claims", From: "ana", Text: "line 40"})))
	if diff := cmp.Diff(before, reading()); diff != "" {
		t.Errorf("new lines moved the scrolled-back view (-before +after):\n%s", diff)
	}
	tc.shows("↓ 10 newer lines")
	for tc.scroll > 0 {
		tc.press(tcell.KeyPgDn)
	}
	tc.shows("line 40")
}

// TestRandomInputNeverPanics types random keys, Enter included, into both
// consoles while resizing, with a decision and the runbook pane open. The
// seed is logged, so a failure can be replayed.
func TestRandomInputNeverPanics(t *testing.T) {
	const seed = 20261127
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	specials := []tcell.Key{tcell.KeyEnter, tcell.KeyTab, tcell.KeyBacktab, tcell.KeyEscape, tcell.KeyUp, tcell.KeyDown,
		tcell.KeyLeft, tcell.KeyRight, tcell.KeyPgUp, tcell.KeyPgDn, tcell.KeyBackspace2, tcell.KeyDelete, tcell.KeyHome,
		tcell.KeyEnd, tcell.KeyCtrlU, tcell.KeyCtrlW}
	runes := []rune("/ackPGINC0001 abnwrstlfgpvRdqx?[]ij+-e123456789é→")
	for _, k := range []kind{playerConsole, facilitatorConsole} {
		tc := newTestConsole(t, k, 80, 24)
		story := playerStory()
		if k == facilitatorConsole {
			story = facilitatorStory()
		}
		tc.apply(story...)
		for i := range 3000 {
			if i%250 == 0 {
				tc.resize(rng.IntN(140), rng.IntN(50))
			}
			var ev *tcell.EventKey
			if rng.IntN(4) == 0 {
				ev = tcell.NewEventKey(specials[rng.IntN(len(specials))], 0, tcell.ModNone)
			} else {
				r := runes[rng.IntN(len(runes))]
				if r == 'q' {
					continue // quitting ends nothing here, but keep typing
				}
				ev = tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone)
			}
			tc.handleTerm(ev)
			if i%7 == 0 {
				tc.draw()
			}
			if i%500 == 0 {
				// Answer some commands, refuse others.
				for j, f := range tc.out.frames {
					id := frameID(f)
					if j%2 == 0 {
						tc.handleMsg(Message{Ack: &protocol.Ack{Type: "ack", ID: id}})
					} else {
						tc.handleMsg(Message{Error: &protocol.Error{Type: "error", ID: id, Code: "conflict", Message: "no"}})
					}
				}
				tc.out.frames = nil
				tc.handleMsg(events(engine.Event{Seq: uint64(1000 + i), At: 30 * minute, Kind: engine.KindOffered,
					Data: engine.DecisionData{Name: fmt.Sprintf("d%d", i), Prompt: "p", Options: []engine.OptionData{{Name: "a", Text: "A"}}}}))
			}
		}
		tc.draw()
	}
}

func frameID(f any) string {
	switch f := f.(type) {
	case protocol.Action:
		return f.ID
	case protocol.Chat:
		return f.ID
	case protocol.Control:
		return f.ID
	}
	return ""
}
