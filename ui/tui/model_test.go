package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

func fold(msgs ...Message) *Model {
	m := NewModel()
	for _, msg := range msgs {
		m.Apply(msg)
	}
	return m
}

// TestModelIgnoresSeenEvents: an event at or below the last sequence
// number seen is a repeat and changes nothing.
func TestModelIgnoresSeenEvents(t *testing.T) {
	m := fold(playerStory()...)
	lines, last := len(m.Feed.Lines()), m.LastSeq
	m.Apply(playerStory()[2]) // the same events again
	if len(m.Feed.Lines()) != lines || m.LastSeq != last {
		t.Fatalf("repeated events changed the model: %d lines (was %d), last seq %d (was %d)", len(m.Feed.Lines()), lines, m.LastSeq, last)
	}
}

func TestModelHeader(t *testing.T) {
	m := fold(playerStory()...)
	want := protocol.You{Name: "raj", Role: engine.RoleTechnician, Roles: []engine.Role{engine.RoleTechnician}, Groups: []string{"claims"}}
	if diff := cmp.Diff(want, m.You); diff != "" {
		t.Errorf("you (-want +got):\n%s", diff)
	}
	if m.Now != 12*time.Minute || m.Speed != 10 || m.Paused || m.Ended || m.LastSeq != 15 {
		t.Errorf("now %v speed %v paused %v ended %v last %d", m.Now, m.Speed, m.Paused, m.Ended, m.LastSeq)
	}
	m.Apply(events(ev(16, 40*time.Minute, "", engine.EndedData{Reason: "facilitator"})))
	if !m.Ended || m.EndReason != "facilitator" {
		t.Errorf("ended %v for %q", m.Ended, m.EndReason)
	}
}

// TestModelClock: players follow the facilitator's pause, speed and
// resume as they happen, with a line in the feed for each.
func TestModelClock(t *testing.T) {
	m := fold(playerStory()...)
	lines := len(m.Feed.Lines())
	steps := []struct {
		c    protocol.Clock
		line string
	}{
		{protocol.Clock{Now: 13 * time.Minute, Speed: 10, Paused: true}, "the facilitator paused the exercise"},
		{protocol.Clock{Now: 13 * time.Minute, Speed: 60, Paused: true}, "the facilitator set the speed to ×60"},
		{protocol.Clock{Now: 13 * time.Minute, Speed: 60}, "the facilitator resumed the exercise"},
	}
	for _, st := range steps {
		m.Apply(Message{Clock: &st.c})
		if m.Paused != st.c.Paused || m.Speed != st.c.Speed || m.Now != st.c.Now {
			t.Fatalf("after %+v: paused %v speed %v now %v", st.c, m.Paused, m.Speed, m.Now)
		}
		got := m.Feed.Lines()
		if len(got) != lines+1 || got[len(got)-1].Text != st.line {
			t.Fatalf("after %+v the feed ends %q, want %q", st.c, got[len(got)-1].Text, st.line)
		}
		lines++
	}
}

func TestModelPages(t *testing.T) {
	page := engine.PageData{Page: "PG0001", Alert: "claims-5xx", Group: "claims", Person: "raj"}
	tests := []struct {
		name string
		then []engine.Event
		want []string // my open pages
	}{
		{"paged", nil, []string{"PG0001"}},
		{"acknowledged", []engine.Event{{Seq: 3, Kind: engine.KindPageAcked, Actor: "raj", Data: page}}, nil},
		{"escalated away", []engine.Event{{Seq: 3, Kind: engine.KindPageEscalated, Data: engine.PageData{Page: "PG0001", Group: "claims", Person: "tomas", Step: 1}}}, nil},
		{"silenced stays mine", []engine.Event{{Seq: 3, Kind: engine.KindPageSilenced, Actor: "raj", Data: engine.PageData{Page: "PG0001", Group: "claims", Person: "raj", SilencedUntil: 30 * time.Minute}}}, []string{"PG0001"}},
		{"someone else's", []engine.Event{{Seq: 3, Kind: engine.KindPage, Data: engine.PageData{Page: "PG0002", Group: "network", Person: "joe"}}}, []string{"PG0001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fold(welcomeMsg("raj", engine.RoleTechnician, "claims"), events(ev(2, minute, "", page)), events(tt.then...))
			var got []string
			for _, p := range m.MyOpenPages() {
				got = append(got, p.Page)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("open pages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestModelIncidents(t *testing.T) {
	m := fold(playerStory()...)
	var got []string
	for _, inc := range m.IncidentList() {
		got = append(got, fmt.Sprintf("%s P%d %s", inc.Number, inc.Priority, inc.State))
	}
	want := []string{"INC0001 P1 assigned", "INC0003 P1 new", "INC0002 P2 in_progress"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("incidents (-want +got):\n%s", diff)
	}
	// A later snapshot replaces the record; a closed one sinks.
	closed := *m.Records.Incident("INC0001")
	closed.State = engine.StateClosed
	m.Apply(events(ev(20, 30*minute, "raj", engine.ActionData{Action: engine.Action{Op: engine.OpClose, Record: "INC0001"}, Records: []engine.RecordChange{incidentChange(closed)}})))
	if last := m.IncidentList()[2]; last.Number != "INC0001" || last.Live() {
		t.Errorf("closed incident not last: %+v", last)
	}
}

// TestModelChannels: tabs follow the seat's groups, war rooms it joined
// and direct conversations, in that order.
func TestModelChannels(t *testing.T) {
	room := func(members ...string) engine.RecordChange {
		w := engine.WarRoom{Number: "WR01", Incident: "INC0001"}
		for _, p := range members {
			w.Members = append(w.Members, engine.Member{Person: p})
		}
		return engine.RecordChange{WarRoom: &w}
	}
	m := fold(welcomeMsg("raj", engine.RoleTechnician, "claims"),
		events(
			ev(2, minute, "kim", engine.ActionData{Action: engine.Action{Op: engine.OpOpenWarRoom}, Records: []engine.RecordChange{room("kim")}}),
			ev(3, minute, "kim", engine.ChatData{Channel: "direct:raj", From: "kim", Text: "hi"}),
			ev(4, minute, "raj", engine.ChatData{Channel: "direct:kim", From: "raj", Text: "hello"}),
		))
	if diff := cmp.Diff([]string{"group:claims", "direct:kim"}, m.Channels); diff != "" {
		t.Errorf("before joining (-want +got):\n%s", diff)
	}
	m.Apply(events(ev(5, minute, "raj", engine.ActionData{Action: engine.Action{Op: engine.OpJoinWarRoom}, Records: []engine.RecordChange{room("kim", "raj")}})))
	if diff := cmp.Diff([]string{"group:claims", "warroom:WR01", "direct:kim"}, m.Channels); diff != "" {
		t.Errorf("after joining (-want +got):\n%s", diff)
	}
	var direct int
	for _, l := range m.Feed.Lines() {
		if l.Channel == "direct:kim" {
			direct++
		}
	}
	if direct != 2 {
		t.Errorf("both sides of the conversation should be in @kim; %d lines are", direct)
	}
}

func TestModelTelemetry(t *testing.T) {
	m := NewModel()
	for i := range seriesLen + 5 {
		at := time.Duration(i) * 30 * time.Second
		m.Apply(telemetryMsg(at, engine.ServiceSample{Service: "claims-api", ErrorRate: float64(i) / 100, Healthy: true}))
		// A facilitator also gets the telemetry event of the same instant.
		m.Apply(events(ev(uint64(i+1), at, "", engine.TelemetryData{Services: []engine.ServiceSample{{Service: "claims-api", ErrorRate: float64(i) / 100}}})))
	}
	s := m.Services["claims-api"]
	if len(s.Errors) != seriesLen {
		t.Fatalf("series has %d samples, want %d", len(s.Errors), seriesLen)
	}
	if s.Errors[0] != 0.05 || s.Errors[seriesLen-1] != float64(seriesLen+4)/100 {
		t.Errorf("series %v does not hold the latest samples once each", s.Errors)
	}
}

// TestModelLearnsNames: completion learns runbooks, vendors and groups
// from the bot's usage answers, and the rest from events.
func TestModelLearnsNames(t *testing.T) {
	m := fold(welcomeMsg("raj", engine.RoleTechnician, "claims"), events(
		ev(2, minute, "firedrill-bot", engine.ChatData{Channel: "group:claims", From: "firedrill-bot", Bot: true, Text: "usage: /runbook NAME — runbooks: egress-proxy-health, pod-egress-traffic"}),
		ev(3, minute, "firedrill-bot", engine.ChatData{Channel: "group:claims", From: "firedrill-bot", Bot: true, Text: "usage: /vendor NAME — vendors: skygate, claimsclear"}),
		ev(4, minute, "firedrill-bot", engine.ChatData{Channel: "group:claims", From: "firedrill-bot", Bot: true, Text: "usage: /oncall GROUP — groups: network, claims"}),
		ev(5, minute, "", engine.RemedyData{Remedy: "failover-to-px02", Service: "egress-proxy", Phase: "started", By: "kim"}),
	))
	for _, c := range []struct {
		got  set
		want []string
	}{
		{m.names.runbooks, []string{"egress-proxy-health", "pod-egress-traffic"}},
		{m.names.vendors, []string{"claimsclear", "skygate"}},
		{m.names.groups, []string{"claims", "network"}},
		{m.names.remedies, []string{"failover-to-px02"}},
		{m.names.services, []string{"egress-proxy"}},
	} {
		if diff := cmp.Diff(c.want, []string(c.got)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	if slices.Contains(m.names.people, "firedrill-bot") {
		t.Error("the bot is not a person to complete")
	}
}

// TestModelTruth: the facilitator's view of faults, score and quiet
// people.
func TestModelTruth(t *testing.T) {
	m := fold(facilitatorStory()...)
	tr := &m.Truth
	if len(tr.Faults) != 1 || tr.Faults[0].State != "full" || !tr.Faults[0].RootCause || !tr.Faults[0].Active() {
		t.Fatalf("faults %+v", tr.Faults)
	}
	if tr.Total() != 30 || tr.Score["triage"] != 20 || tr.Score["detection"] != 10 {
		t.Errorf("score %v", tr.Score)
	}
	if len(tr.Claims) != 1 || !tr.Claims[0].Correct {
		t.Errorf("claims %+v", tr.Claims)
	}
	var idle []string
	for _, p := range tr.Idle(m.Now) {
		idle = append(idle, fmt.Sprintf("%s %s never=%v", p.Name, ago(p.For), p.Never))
	}
	// At 19m: raj acted at 12m; marcus was paged and never acted; kim just
	// claimed the root cause; service-desk acted at 11m.
	want := []string{"marcus 19m never=true", "service-desk 8m never=false", "raj 7m never=false"}
	if diff := cmp.Diff(want, idle); diff != "" {
		t.Errorf("idle (-want +got):\n%s", diff)
	}
	// The players' copy of a completed remedy is not shown twice; the
	// facilitators' copy says which fault it fixed.
	lines := len(m.Feed.Lines())
	m.Apply(events(ev(11, 30*minute, "", engine.RemedyData{Remedy: "raise-conn-table", Service: "egress-proxy", Phase: "completed"})))
	if len(m.Feed.Lines()) != lines {
		t.Error("the players' copy of a completed remedy reached the facilitator's feed")
	}
	m.Apply(events(engine.Event{Seq: 12, At: 30 * minute, Kind: engine.KindRemedy, To: engine.Facilitators(),
		Data: engine.RemedyData{Remedy: "raise-conn-table", Service: "egress-proxy", Phase: "completed", Fixed: []string{"px01-conn-table-exhausted"}}}))
	if tr.Faults[0].State != "fixed" || tr.Faults[0].Active() {
		t.Errorf("a completed fix leaves the fault %+v", tr.Faults[0])
	}
}

func TestFeedIsBounded(t *testing.T) {
	m := NewModel()
	for i := range 3 * maxFeed {
		m.Apply(events(ev(uint64(i+1), 0, "", engine.ChatData{Channel: "group:x", From: "a", Text: "b"})))
	}
	if n := len(m.Feed.Lines()); n > maxFeed || n < maxFeed/2 {
		t.Fatalf("feed holds %d lines; bound %d", n, maxFeed)
	}
	if got := m.Feed.Lines()[len(m.Feed.Lines())-1].Seq; got != 3*maxFeed {
		t.Fatalf("newest line is event %d", got)
	}
}

func TestDecodeFrame(t *testing.T) {
	tests := []struct {
		frame string
		check func(Message) bool
	}{
		{`{"type":"welcome","exercise":"x","you":{"name":"kim","role":"technician","roles":["technician"]},"speed":10,"last_seq":3}`, func(m Message) bool { return m.Welcome != nil && m.Welcome.You.Name == "kim" }},
		{`{"type":"ack","id":"t1","seq":9}`, func(m Message) bool { return m.Ack != nil && m.Ack.Seq == 9 }},
		{`{"type":"error","id":"t1","code":"forbidden","message":"no"}`, func(m Message) bool { return m.Error != nil && m.Error.Code == "forbidden" }},
		{`{"type":"telemetry","at":5,"services":[{"service":"a","error_rate":0.5}]}`, func(m Message) bool { return m.Telemetry != nil && m.Telemetry.Services[0].ErrorRate == 0.5 }},
		{`{"type":"closing","reason":"too slow"}`, func(m Message) bool { return m.Closing != nil && m.Closing.Reason == "too slow" }},
		{`{"type":"clock","now":60000000000,"speed":60,"paused":true}`, func(m Message) bool { return m.Clock != nil && m.Clock.Paused && m.Clock.Speed == 60 }},
		{`{"type":"event","event":{"seq":4,"at":0,"kind":"chat","to":{},"data":{"channel":"group:a","from":"b","text":"c"}}}`, func(m Message) bool {
			return len(m.Events) == 1 && m.Events[0].Data.(engine.ChatData).Text == "c"
		}},
		// An event of a kind this client does not know keeps its number.
		{`{"type":"events","events":[{"seq":5,"kind":"from.the.future","to":{}},{"seq":6,"kind":"chat","to":{},"data":{"text":"x"}}]}`, func(m Message) bool {
			return m.Skipped == 1 && len(m.Events) == 2 && m.Events[0].Seq == 5 && m.Events[1].Seq == 6
		}},
	}
	for _, tt := range tests {
		m, err := decodeFrame([]byte(tt.frame))
		if err != nil || !tt.check(m) {
			t.Errorf("decodeFrame(%s) = %+v, %v", tt.frame, m, err)
		}
	}
	for _, bad := range []string{`nope`, `{"type":"what"}`, `{"type":"ack","seq":"x"}`} {
		if _, err := decodeFrame([]byte(bad)); err == nil {
			t.Errorf("decodeFrame(%s) took it", bad)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		text  string
		first int
		w     int
		want  []string
	}{
		{"one two three", 20, 20, []string{"one two three"}},
		{"one two three", 7, 7, []string{"one two", "three"}},
		{"abcdefghij", 4, 4, []string{"abcd", "efgh", "ij"}},
		{"a\nb c", 10, 10, []string{"a", "b c"}},
		{"x\x1b[31mred", 20, 20, []string{"x [31mred"}},
		{"", 5, 5, []string{""}},
		{"anything", 3, 0, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, wrap(tt.text, tt.first, tt.w)); diff != "" {
			t.Errorf("wrap(%q, %d) (-want +got):\n%s", tt.text, tt.w, diff)
		}
	}
}

func TestSparkline(t *testing.T) {
	if got := sparkline([]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8); got != "▁▂▃▄▅▆▇█" {
		t.Errorf("sparkline = %q", got)
	}
	if got := spark([]float64{0.001, 0.002}, 5, 0, 0.05); got != "▁▁" {
		t.Errorf("noise under the floor should stay flat: %q", got)
	}
	if got := sparkline([]float64{1, 2, 3}, 2); got != "▅█" {
		t.Errorf("only the last n values: %q", got)
	}
}

// FuzzServerFrame: whatever a server sends, the client decodes it or
// refuses it, and the console folds and draws it without panicking.
func FuzzServerFrame(f *testing.F) {
	for _, seed := range []string{
		`{"type":"welcome","you":{"name":"kim","role":"technician","groups":["network"]},"channels":["group:network"]}`,
		`{"type":"events","events":[{"seq":1,"kind":"page","to":{},"data":{"page":"PG0001","person":"kim","group":"network"}}]}`,
		`{"type":"event","event":{"seq":2,"kind":"decision.offered","to":{},"data":{"name":"d","prompt":"p","options":[{"name":"a","text":"A"}],"timeout":-5}}}`,
		`{"type":"event","event":{"seq":3,"kind":"chat","to":{},"data":{"channel":"direct:kim","from":"firedrill-bot","bot":true,"text":"usage: /runbook NAME — runbooks: a, b\n1. [x] y"}}}`,
		`{"type":"event","event":{"seq":4,"kind":"action","to":{},"data":{"action":{"op":"open_war_room"},"records":[{"war_room":{"Number":"WR01","Members":[{"Person":"kim"}]}}]}}}`,
		`{"type":"telemetry","at":30000000000,"services":[{"service":"a","error_rate":1e308,"latency_ms":-1}]}`,
		`{"type":"error","id":"t1","code":"conflict","message":"\u001b[2Jgone"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		msg, err := decodeFrame(b)
		if err != nil {
			return
		}
		tc := newTestConsole(t, playerConsole, 40, 12)
		tc.apply(welcomeMsg("kim", engine.RoleTechnician, "network"), msg)
		tc.resize(20, 10)
	})
}

// TestToolOutageLines: a tool going down and coming back is on every
// console; which fault took it down only on the facilitator's.
func TestToolOutageLines(t *testing.T) {
	m := playerModel()
	m.Apply(events(
		engine.Event{Seq: 30, At: 12 * time.Minute, Kind: engine.KindToolDown, To: engine.Everyone(), Data: engine.ToolData{Tool: "telemetry", Since: 12 * time.Minute}},
		engine.Event{Seq: 31, At: 20 * time.Minute, Kind: engine.KindToolUp, To: engine.Everyone(), Data: engine.ToolData{Tool: "telemetry", Since: 12 * time.Minute}},
	))
	var got []string
	for _, l := range m.Feed.Lines() {
		if strings.Contains(l.Text, "telemetry tool") {
			got = append(got, l.Text)
		}
	}
	want := []string{"telemetry tool down: its queries are refused until it is back", "telemetry tool back"}
	if !slices.Equal(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}
}
