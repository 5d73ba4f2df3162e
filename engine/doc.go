// Package engine holds firedrill's domain words, the vocabulary every other
// package speaks: operations and roles, seats, who may do what (the policy
// table), the typed Input that reaches an exercise from outside, the Event
// that records what happened and what each audience sees of it, the ITSM
// records events carry, the incident process policy, and typed refusals.
//
// It holds no behaviour beyond the rules that belong to the words
// themselves. The packages below it do the work: engine/scenario reads a
// scenario, engine/world simulates the estate, engine/incident keeps the
// ITSM record rules, engine/exercise runs an exercise through one door
// (Exercise.Apply), engine/records folds a log back into records,
// engine/session drives an exercise with bots and replays one from its
// inputs, engine/bot decides for the seats nobody holds, engine/score
// reads a log into verdicts and engine/sim runs batches. ARCHITECTURE.md at
// the repository's root is the map.
package engine
