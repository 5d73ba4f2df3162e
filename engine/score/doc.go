// Package score reads an exercise's event log, with its scenario, and works
// out how the team did. It depends on nothing but the log and the scenario
// (ARCHITECTURE.md, "Packages"), so a report can be recomputed at any time from a
// stored log.
//
// Measures computes the time measures (each Phase's Definition): time to
// detect, acknowledge, declare, identify, mitigate, fix, restore and close, each
// against the scenario's par, plus the raw error rate, downtime minutes, war
// rooms opened and escalation depth of one run; Summarize and Aggregate give
// their distribution across runs of a scenario.
//
// A phase that never happened is not dropped: it is censored at the end of
// the exercise, so an unacknowledged page counts as "at least this long"
// rather than vanishing from the figures (incident-lifecycle.md, 5.4).
//
// Score is the whole of one run, a Report: the Result of Measures and
// beside it the scenario's expectations (met, when, by whom, with credit
// decaying after the deadline), the decisions taken (against the best
// option), process compliance against the scenario's engine.Policy (see
// Checks), penalties (see PenaltyKind), a score per dimension and overall
// (see DimensionScore for what counts where and the maxima), quality
// signals beside speed (Quality), customer impact and error budget per
// service (ServiceImpact), and the players' confidence ratings and lessons
// learned.
//
// Across runs, Distribute, AggregateCI and AggregateReports add seeded
// bootstrap intervals for the median; Compare says "no detectable change"
// when two sets' intervals overlap; AgainstReference sets a run beside the
// scenario's reference run (expert bots) phase by phase.
//
// Every exported type encodes to JSON with stable snake_case names: they
// are the report's JSON schema, so never rename a field or a constant
// value.
package score
