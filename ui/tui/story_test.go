package tui

import (
	"time"

	"github.com/firedrill/firedrill/engine"
)

// playerStory is the first twelve minutes of the egress scenario as raj,
// a claims technician, receives them.
func playerStory() []Message {
	inc1 := engine.Incident{
		Number: "INC0001", Class: engine.ClassIncident, ShortDescription: "Claim submission fails for one in three members",
		Service: "claims-api", Impact: engine.LevelHigh, Urgency: engine.LevelHigh, Priority: 1, State: engine.StateAssigned, Group: "claims",
	}
	inc2 := engine.Incident{
		Number: "INC0002", Class: engine.ClassIncident, ShortDescription: "Prior auth timing out",
		Service: "pharmacy-api", Priority: 2, State: engine.StateInProgress, Group: "pharmacy", Assignee: "marcus", Parent: "INC0003",
	}
	inc3 := engine.Incident{
		Number: "INC0003", Class: engine.ClassIncident, ShortDescription: "Partner calls failing across apps",
		Priority: 1, State: engine.StateNew, IsParent: true, Children: []string{"INC0002"},
	}
	return []Message{
		live(),
		welcomeMsg("raj", engine.RoleTechnician, "claims"),
		events(
			ev(1, 0, "", engine.StartedData{Scenario: "egress-proxy-saturation", Title: "Shared egress proxy saturates", Seed: 3}),
			ev(4, 2*minute, "", engine.ChatData{Channel: "group:claims", From: "tomas", Text: "anyone else seeing ClaimsClear timeouts?"}),
			ev(9, 9*minute, "", engine.InjectData{Name: "claims-chat-clue", Channel: "chat", From: "raj (Claims)", Text: "Odd: they die at CONNECT, before TLS."}),
			ev(11, 10*minute, "", engine.AlertData{Alert: "claims-5xx", Service: "claims-api", Metric: "error_rate", Value: 0.31, Severity: "critical", Rotation: "claims-primary"}),
			ev(12, 10*minute, "", engine.PageData{Page: "PG0001", Alert: "claims-5xx", Group: "claims", Person: "raj"}),
			ev(14, 11*minute, "service-desk", engine.ActionData{Action: engine.Action{Op: engine.OpCreateIncident, Service: "claims-api", Text: inc1.ShortDescription}, Role: engine.RoleServiceDesk, Records: []engine.RecordChange{incidentChange(inc1)}}),
			ev(15, 11*minute+30*time.Second, "incident-manager", engine.ActionData{Action: engine.Action{Op: engine.OpMakeParent, Record: "INC0003"}, Role: engine.RoleIncidentManager, Records: []engine.RecordChange{incidentChange(inc3), incidentChange(inc2)}}),
		),
		telemetryMsg(11*minute, engine.ServiceSample{Service: "claims-api", ErrorRate: 0.002, LatencyMS: 180, Healthy: true}),
		telemetryMsg(11*minute+30*time.Second, engine.ServiceSample{Service: "claims-api", ErrorRate: 0.12, LatencyMS: 900, Healthy: false}),
		telemetryMsg(12*minute, engine.ServiceSample{Service: "claims-api", ErrorRate: 0.31, LatencyMS: 2400, Healthy: false}),
	}
}

// facilitatorStory is what the facilitator sees of the same minutes, with
// the ground truth.
func facilitatorStory() []Message {
	msgs := []Message{live(), facilitatorWelcome("network", "claims", "pharmacy")}
	inc1 := engine.Incident{Number: "INC0001", ShortDescription: "Claim submission fails", Service: "claims-api", Priority: 1, State: engine.StateInProgress, Group: "claims", Assignee: "raj"}
	msgs = append(msgs, events(
		ev(1, 0, "", engine.StartedData{Scenario: "egress-proxy-saturation", Title: "Shared egress proxy saturates"}),
		ev(2, 6*minute, "", engine.WorldData{Change: "fault_started", Fault: "px01-conn-table-exhausted", Service: "egress-proxy", RootCause: true}),
		ev(3, 9*minute, "", engine.WorldData{Change: "fault_full", Fault: "px01-conn-table-exhausted", Service: "egress-proxy", RootCause: true}),
		ev(4, 10*minute, "", engine.PageData{Page: "PG0001", Alert: "claims-5xx", Group: "claims", Person: "raj"}),
		ev(5, 10*minute, "", engine.PageData{Page: "PG0002", Alert: "pharmacy-5xx", Group: "pharmacy", Person: "marcus"}),
		ev(6, 11*minute, "service-desk", engine.ActionData{Action: engine.Action{Op: engine.OpCreateIncident}, Role: engine.RoleServiceDesk, Records: []engine.RecordChange{incidentChange(inc1)}}),
		ev(7, 11*minute, "", engine.ExpectData{Name: "first-record-from-call", Dimension: "detection", Points: 10}),
		ev(8, 12*minute, "raj", engine.PageData{Page: "PG0001", Alert: "claims-5xx", Group: "claims", Person: "raj"}),
		ev(9, 19*minute, "kim", engine.RootClaimData{Incident: "INC0001", Service: "egress-proxy", Text: "conn table full", Fault: "px01-conn-table-exhausted", Correct: true}),
		ev(10, 19*minute, "", engine.ExpectData{Name: "root-cause-identified", Dimension: "triage", Points: 20}),
	))
	// PG0001 was acknowledged by raj: the event above is a page.acknowledged.
	msgs[len(msgs)-1].Events[7].Kind = engine.KindPageAcked
	return msgs
}
