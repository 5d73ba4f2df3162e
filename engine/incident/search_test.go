package incident

import (
	"slices"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

func TestSearchParents(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	mk := func(short, service string, parent bool) string {
		n := create(t, b, 0, short, service, engine.LevelMedium, engine.LevelMedium).Number
		if parent {
			do(b.MakeParent(n, 0, "im")).ok(t)
		}
		return n
	}
	proxy := mk("Egress proxy saturated, outbound calls fail", "egress-proxy", true) // INC0001
	claims := mk("Claims submission fails", "claims-api", true)                      // INC0002
	mk("Claims submission spins", "claims-api", false)                               // not a parent
	gone := mk("Claims portal down", "claims-portal", true)                          // declined below
	do(b.Decline(gone, 0, "im", "duplicate call")).ok(t)

	tests := []struct {
		query string
		want  []string
	}{
		{"members say claim submission spins, then fails", []string{claims, proxy}},
		{"PROXY", []string{proxy}},
		{"egress", []string{proxy}},
		{"claims-api errors", []string{claims}},
		{"the and for", []string{proxy, claims}}, // only stop words: every live parent
		{"", []string{proxy, claims}},
		{"pharmacy", nil},
		{"cla", nil}, // too short to match a longer word
	}
	for _, tt := range tests {
		if got := numbers(b.SearchParents(tt.query)); !slices.Equal(got, tt.want) {
			t.Errorf("SearchParents(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestOpenAndLists(t *testing.T) {
	b := NewBook(engine.DefaultPolicy())
	for i := 0; i < 4; i++ {
		create(t, b, 0, "x", "", engine.LevelLow, engine.LevelLow)
	}
	do(b.Decline("INC0002", 0, "sam", "noise")).ok(t)
	do(b.Merge("INC0004", "INC0001", 0, "sam")).ok(t)
	if got := numbers(b.Open()); !slices.Equal(got, []string{"INC0001", "INC0003"}) {
		t.Errorf("Open() = %v", got)
	}
	if got := numbers(b.Incidents()); len(got) != 4 || got[3] != "INC0004" {
		t.Errorf("Incidents() = %v", got)
	}
	if len(b.WarRooms())+len(b.Problems())+len(b.Changes()) != 0 {
		t.Error("unexpected records")
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		prefix, in string
		want       int
		ok         bool
	}{
		{prefixIncident, "INC0012", 12, true},
		{prefixIncident, " inc12 ", 12, true},
		{prefixIncident, "INC", 0, false},
		{prefixIncident, "INC0000", 0, false},
		{prefixIncident, "INC-1", 0, false},
		{prefixIncident, "PRB0001", 0, false},
		{prefixIncident, "INC99999999999", 0, false},
		{prefixWarRoom, "WR01", 1, true},
		{prefixTask, "TASK0003", 3, true},
	}
	for _, tt := range tests {
		if got, ok := parse(tt.prefix, tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("parse(%s, %q) = %d, %v; want %d, %v", tt.prefix, tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct{ prefix, want string }{
		{prefixIncident, "INC0007"}, {prefixAlert, "IA0007"}, {prefixWarRoom, "WR07"},
		{prefixTask, "TASK0007"}, {prefixProblem, "PRB0007"}, {prefixChange, "CHG0007"},
	} {
		if got := number(tt.prefix, 7); got != tt.want {
			t.Errorf("number(%s, 7) = %s", tt.prefix, got)
		}
	}
	if got := number(prefixIncident, 12345); got != "INC12345" {
		t.Errorf("wide number = %s", got)
	}
	if got := insertNumber([]string{"INC0002", "INC9999"}, "INC10000"); !slices.Equal(got, []string{"INC0002", "INC9999", "INC10000"}) {
		t.Errorf("insertNumber = %v", got)
	}
}

func TestErrorFormat(t *testing.T) {
	e := &engine.Error{Code: engine.Conflict, Op: engine.OpAcknowledge, Record: "INC0003", Reason: "INC0003 is new; assign it before acknowledging"}
	if got := e.Error(); got != "conflict acknowledge INC0003: INC0003 is new; assign it before acknowledging" {
		t.Errorf("Error() = %q", got)
	}
	if !e.Is(&engine.Error{Code: engine.Conflict, Op: engine.OpAcknowledge}) || e.Is(&engine.Error{Code: engine.Conflict, Op: engine.OpAssign}) {
		t.Error("Is does not compare Op")
	}
}
