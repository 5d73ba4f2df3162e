// Package incident is firedrill's ITSM record layer: incidents and their
// parents, incident alerts, war rooms, tasks, problems and changes, and the
// incident state machine. Who may do what is not its business: the
// exercise's door asks engine.Check before any Book method runs.
//
// A Book is the ledger of one exercise. It is deterministic and pure: callers
// pass virtual time as offsets from the start of the exercise, nothing is
// random, nothing is read from a map in iteration order, and every refusal is
// an *Error with a Code and a sentence that says what to do instead.
//
// Record numbers are allocated per kind, in order, starting at 1:
//
//	INC0001  incident (or service request)
//	IA0001   incident alert (P1/P2)
//	WR01     war room
//	TASK0001 incident task
//	PRB0001  problem
//	CHG0001  change
//
// The digits grow past the padding when needed (INC10000). Lookups accept
// any case and padding ("inc1" is INC0001).
package incident
