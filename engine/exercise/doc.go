// Package exercise runs one exercise of a scenario on virtual time: an
// event heap ordered by time then sequence, one seeded random source, the
// simulated world, the ITSM book, paging and escalation, injects,
// decisions, ChatOps and the impact tracker, and the event log they all
// write to.
//
// Every input reaches it through one door, Exercise.Apply: the text is
// cleaned and held to its budgets, engine.Check decides permission once
// from the policy table, and one handler runs. A refusal is logged like any
// other outcome, so replaying the inputs rebuilds the log exactly.
package exercise
