// Package bot provides non-player participants that fill every seat of an
// exercise no person holds. Bots only decide: engine/session shows them
// events and applies their actions through the exercise's one door.
//
// # What a bot knows
//
// A Bot sees what its seat would see and nothing else: the events whose
// audience includes its viewer, and a directory of what a person could look
// up (groups, rotations, services with their owners and criticality,
// runbooks, the change catalogue, the process). It never holds the
// scenario's faults, what a remedy does to them, root causes or option
// scores, and it learns a service's dependencies only from the traffic
// view. The service desk reads the service a caller named and whether they
// asked for something (the Record and About of the injects it received).
//
// # What each seat does
//
//   - Service desk: records each call, ticket and email; looks for a live
//     parent that covers the service and links to it; assigns the record to
//     the service's group; brings the incident manager in for a P1/P2.
//   - Technician: acknowledges its pages and its group's incidents (the
//     person on call first, teammates one escalation period later), reads
//     its services' dashboards, logs and traffic view; pages the owner of a
//     failing dependency; when its own service is the cause, names it,
//     calls the vendor and works the runbooks step by step, asking the
//     command center for a change where a remedy needs one; declares the
//     workaround and the restoration from the dashboards.
//   - Incident manager: links incidents on different services that arrive
//     close together under one parent, keeps priorities right, hands
//     P1/P2s to the command center and pages groups that sit on a record.
//   - Command center: per P1/P2 an incident alert, one war room, a problem
//     record, stakeholder updates at the policy's cadence, emergency changes
//     on request, and closure once restored, validated and its impact
//     stated.
//   - Service owner: checks its service's dashboard, then validates
//     restoration and states the business impact.
//   - Decisions: one seat per audience answers, by a rule of thumb over the
//     options' text (careful before drastic).
//
// # Skill
//
// A bot's Skill sets its reaction delay (expert 1–2 min, practiced 3–5,
// novice 6–12, drawn from the bot's own random source) and how often it
// makes the classic mistakes: recording a request as an incident, a quick
// restart before looking, blaming its own service, opening its own war
// room, waiting for a pattern, answering decisions at random.
package bot
