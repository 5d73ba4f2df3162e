package tui

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/server/protocol"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// start is the fake wall clock's start in every test.
var start = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// recorder is a sender that keeps the frames the console sent.
type recorder struct {
	frames []any
	err    error
}

func (r *recorder) Send(f any) error {
	if r.err != nil {
		return r.err
	}
	r.frames = append(r.frames, f)
	return nil
}

// last returns the last frame sent.
func (r *recorder) last(t *testing.T) any {
	t.Helper()
	if len(r.frames) == 0 {
		t.Fatal("the console sent nothing")
	}
	return r.frames[len(r.frames)-1]
}

// lastAction returns the last frame, which must be an action.
func (r *recorder) lastAction(t *testing.T) protocol.Action {
	t.Helper()
	a, ok := r.last(t).(protocol.Action)
	if !ok {
		t.Fatalf("last frame is %T, want an action: %+v", r.last(t), r.last(t))
	}
	return a
}

// testConsole is a console on a simulation screen, stepped by hand: each
// key or message is handled synchronously, then drawn.
type testConsole struct {
	*console
	t      testing.TB
	screen tcell.SimulationScreen
	out    *recorder
}

func newTestConsole(t testing.TB, k kind, w, h int) *testConsole {
	t.Helper()
	s := tcell.NewSimulationScreen("UTF-8")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Fini)
	s.SetSize(w, h)
	out := &recorder{}
	c := newConsole(s, k, out, WithClock(clock.NewFake(start)))
	tc := &testConsole{console: c, t: t, screen: s, out: out}
	tc.draw()
	return tc
}

// apply folds messages and redraws.
func (tc *testConsole) apply(msgs ...Message) {
	tc.t.Helper()
	for _, m := range msgs {
		tc.handleMsg(m)
	}
	tc.draw()
}

// typeKeys types text: "\n" is Enter, "\t" Tab, "\x1b" Esc; every other
// rune is typed as itself. The console redraws after each key.
func (tc *testConsole) typeKeys(text string) {
	tc.t.Helper()
	for _, r := range text {
		tc.handleTerm(keyEvent(r))
		tc.draw()
	}
}

// press sends one special key.
func (tc *testConsole) press(k tcell.Key) {
	tc.handleTerm(tcell.NewEventKey(k, 0, tcell.ModNone))
	tc.draw()
}

func keyEvent(r rune) *tcell.EventKey {
	switch r {
	case '\n':
		return tcell.NewEventKey(tcell.KeyEnter, 0, tcell.ModNone)
	case '\t':
		return tcell.NewEventKey(tcell.KeyTab, 0, tcell.ModNone)
	case '\x1b':
		return tcell.NewEventKey(tcell.KeyEscape, 0, tcell.ModNone)
	}
	return tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone)
}

// resize changes the terminal's size as a terminal would: new size, then
// a resize event.
func (tc *testConsole) resize(w, h int) {
	tc.screen.SetSize(w, h)
	tc.handleTerm(tcell.NewEventResize(w, h))
	tc.draw()
}

// rows returns the screen as text, one string per row, trailing spaces
// trimmed.
func (tc *testConsole) rows() []string { return screenRows(tc.screen) }

func screenRows(s tcell.SimulationScreen) []string {
	cells, w, h := s.GetContents()
	out := make([]string, h)
	for y := range h {
		var b strings.Builder
		for x := 0; x < w; x++ {
			c := cells[y*w+x]
			if len(c.Runes) == 0 {
				b.WriteByte(' ')
				continue
			}
			b.WriteString(string(c.Runes))
			if width(string(c.Runes)) == 2 {
				x++ // the wide rune's second cell
			}
		}
		out[y] = strings.TrimRight(b.String(), " ")
	}
	return out
}

// text is the whole screen as one string.
func (tc *testConsole) text() string { return strings.Join(tc.rows(), "\n") }

// shows fails unless the screen contains every one of want.
func (tc *testConsole) shows(want ...string) {
	tc.t.Helper()
	screen := tc.text()
	for _, w := range want {
		if !strings.Contains(screen, w) {
			tc.t.Fatalf("the screen does not show %q:\n%s", w, screen)
		}
	}
}

// hides fails if the screen contains any of unwanted.
func (tc *testConsole) hides(unwanted ...string) {
	tc.t.Helper()
	screen := tc.text()
	for _, w := range unwanted {
		if strings.Contains(screen, w) {
			tc.t.Fatalf("the screen shows %q:\n%s", w, screen)
		}
	}
}

// golden compares the screen with testdata/NAME.golden, or rewrites it
// with -update.
func (tc *testConsole) golden(name string) {
	tc.t.Helper()
	got := tc.text() + "\n"
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tc.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		tc.t.Fatalf("no golden file %s; run go test -run %s -update", path, tc.t.Name())
	}
	if err != nil {
		tc.t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		tc.t.Errorf("screen differs from %s (-want +got):\n%s", path, diff)
	}
}

// Frames and events for tests.

func welcomeMsg(name string, role engine.Role, groups ...string) Message {
	var channels []string
	for _, g := range groups {
		channels = append(channels, "group:"+g)
	}
	return Message{Welcome: &protocol.Welcome{
		Type: protocol.TypeWelcome, Exercise: "k3f7qz2m9xab", Scenario: "egress-proxy-saturation",
		Title: "Shared egress proxy saturates", You: protocol.You{Name: name, Role: role, Roles: []engine.Role{role}, Groups: groups},
		Speed: 10, LastSeq: 0, Channels: channels,
	}}
}

func facilitatorWelcome(groups ...string) Message {
	var channels []string
	for _, g := range groups {
		channels = append(channels, "group:"+g)
	}
	channels = append(channels, "command-center")
	return Message{Welcome: &protocol.Welcome{
		Type: protocol.TypeWelcome, Exercise: "k3f7qz2m9xab", Scenario: "egress-proxy-saturation",
		Title: "Shared egress proxy saturates", You: protocol.You{Name: "facilitator", Role: engine.RoleFacilitator, Roles: []engine.Role{engine.RoleFacilitator}, Facilitator: true},
		Speed: 10, Channels: channels,
	}}
}

// kindOf is the event kind of a payload, for building events in tests.
func kindOf(data any) engine.Kind {
	switch d := data.(type) {
	case engine.StartedData:
		return engine.KindStarted
	case engine.EndedData:
		return engine.KindEnded
	case engine.InjectData:
		return engine.KindInject
	case engine.DecisionData:
		return engine.KindOffered
	case engine.AnswerData:
		return engine.KindAnswered
	case engine.AlertData:
		return engine.KindAlertFired
	case engine.PageData:
		return engine.KindPage
	case engine.ActionData:
		return engine.KindAction
	case engine.RefusedData:
		return engine.KindRefused
	case engine.ChatData:
		return engine.KindChat
	case engine.ResultData:
		return engine.KindResult
	case engine.VendorData:
		return engine.KindVendor
	case engine.BriefingData:
		return engine.KindBriefing
	case engine.RemedyData:
		return engine.KindRemedy
	case engine.TelemetryData:
		return engine.KindTelemetry
	case engine.WorldData:
		return engine.KindWorld
	case engine.RootClaimData:
		return engine.KindRootClaim
	case engine.ExpectData:
		return engine.KindExpectMet
	case engine.ServiceData:
		_ = d
		return engine.KindRestored
	}
	panic("kindOf: unknown payload")
}

// ev builds an event at a virtual minute mark.
func ev(seq uint64, at time.Duration, actor string, data any) engine.Event {
	return engine.Event{Seq: seq, At: at, Kind: kindOf(data), To: engine.Everyone(), Actor: actor, Data: data}
}

func events(evs ...engine.Event) Message { return Message{Events: evs} }

func live() Message { return Message{Conn: &ConnState{Link: Live}} }

func telemetryMsg(at time.Duration, samples ...engine.ServiceSample) Message {
	return Message{Telemetry: &protocol.Telemetry{Type: protocol.TypeTelemetry, At: at, Services: samples}}
}

func incidentChange(inc engine.Incident) engine.RecordChange {
	return engine.RecordChange{Incident: &inc}
}

const minute = time.Minute
