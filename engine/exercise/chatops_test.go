package exercise

import (
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// TestSlashCommands asks the bot each command and checks its answer in the
// channel it was asked in.
func TestSlashCommands(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"/help", []string{"/oncall", "/page", "/vendor", "/runbook", "/incident", "/warroom", "/status"}},
		{"/oncall", []string{"shop-primary: on call raj, next ana", "escalates after 10m0s to ana"}},
		{"/oncall dba", []string{"dba has no rotation; its owner is kim"}},
		{"/oncall nobody", []string{`no group "nobody"`}},
		{"/vendor dbco", []string{"helpdesk +1 800 555 0100", "change log: vendor dbco belongs to dba"}},
		{"/vendor", []string{"vendors: dbco"}},
		{"/runbook rollback", []string{"Roll back checkout", "1. [look]", "2. [roll]"}},
		{"/incident", []string{"INC0001 P1 new checkout → unassigned — down"}},
		{"/incident INC0001", []string{"INC0001 P1"}},
		{"/warroom", []string{"no war room is open"}},
		{"/warroom open INC0001 checkout bridge", []string{"opened WR01 for INC0001; talk in warroom:WR01"}},
		{"/warroom join WR07", []string{"cannot join:"}},
		{"/warroom dance", []string{"usage: /warroom"}},
		{"/status", []string{"14:08", "degraded: checkout", "1 open incidents"}},
		{"/page dba please look", []string{"paged dba."}},
		{"/page zed", []string{"cannot page:"}},
		{"/frob", []string{"unknown command /frob"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			x := start(t, Options{Seed: 1, HasSeed: true})
			x.Advance(8 * time.Minute)
			if _, err := x.Apply(engine.Act(desk, engine.Action{Op: engine.OpCreateIncident, Service: "checkout", Text: "down", Impact: engine.LevelHigh, Urgency: engine.LevelHigh})); err != nil {
				t.Fatal(err)
			}
			evs, err := x.Apply(engine.Act(ana, engine.Action{Op: engine.OpChat, Channel: "group:shop", Text: tt.text}))
			if err != nil {
				t.Fatal(err)
			}
			var reply *engine.ChatData
			for _, e := range evs {
				if d, ok := e.Data.(engine.ChatData); ok && d.Bot {
					reply = &d
					if !e.To.Sees(engine.Viewer{Name: "raj", Role: engine.RoleTechnician, Groups: []string{"shop"}}) {
						t.Error("the reply did not reach the channel's members")
					}
				}
			}
			if reply == nil || reply.Channel != "group:shop" {
				t.Fatalf("no bot reply in group:shop: %+v", evs)
			}
			for _, w := range tt.want {
				if !strings.Contains(reply.Text, w) {
					t.Errorf("reply %q lacks %q", reply.Text, w)
				}
			}
		})
	}
}
