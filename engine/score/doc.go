// Package score reads an exercise's event log, with its scenario, and works
// out how the team did. It depends on nothing but the log and the scenario
// (DESIGN.md, "Packages"), so a report can be recomputed at any time from a
// stored log.
//
// This part computes the time measures of DESIGN.md ("Measures"): time to
// detect, acknowledge, declare, identify, mitigate, fix and restore, each
// against the scenario's par, plus the raw error rate, downtime minutes, war
// rooms opened and escalation depth of one run (Measures), and their
// distribution across runs of a scenario (Summarize, Aggregate).
//
// A phase that never happened is not dropped: it is censored at the end of
// the exercise, so an unacknowledged page counts as "at least this long"
// rather than vanishing from the figures (incident-lifecycle.md, 5.4).
package score
