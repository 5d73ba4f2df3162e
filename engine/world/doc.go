// Package world simulates the estate of a scenario: services and their
// dependencies, faults and their ramps, remedies, telemetry series, alert
// rules and the ground truth behind them. It knows nothing of incidents or
// people; the engine decides who may see what.
//
// World is pure and deterministic: virtual time comes in as a Duration from
// the start of the exercise, randomness only from the *rand.Rand given to
// New, and it starts no goroutines and does no I/O. The same scenario, seed
// and calls give the same results. It is not safe for concurrent use; the
// engine owns it.
//
// # Time
//
// Telemetry is sampled every Tick (at 0, Tick, 2·Tick, …). Discrete events
// (a fault starts, reaches full strength, heals or has recovered; a remedy
// completes) keep their exact virtual time and take effect on the next
// sample. Advance(to) runs every event and sample up to and including to
// and returns the changes in time order. A time given to StartFault or ApplyRemedy that is
// before the world's present (the last to given to Advance) is taken as the
// present.
//
// # Telemetry
//
// Each sample of a service is its baseline with seeded noise of up to ±3%
// (so never negative), plus:
//   - each fault on it, scaled by its impact: the ramp fraction, rising
//     linearly from 0 at its start to 1 after Ramp (1 at once when Ramp is
//     0); once it is fixed, heals or a remedy mitigates it, falling
//     linearly from where it was to 0 over RecoversOver (at once when
//     RecoversOver is 0); times the share its reductions leave, (1−a) for
//     each remedy that reduced it by a. ErrorRate and LatencyMS add;
//     Saturation is the level reached at full strength, interpolated from
//     the service's baseline saturation (which the scenario does not give:
//     BaselineSaturation);
//   - the error spike of a harmful remedy on it, for SpikeFor;
//   - for each dependency, its excess error rate and latency (above its
//     baseline, noise excluded) times the dependency weight, transitively
//     through the dependency graph (computed in topological order; should a
//     cycle slip past validation, the edges that close it are ignored).
//
// error_rate and saturation are clamped to [0, 1]. rps is the baseline with
// noise: faults do not change demand.
//
// # Health
//
// A service is unhealthy while error_rate > max(5 × baseline error rate,
// 0.01) or latency_ms > 3 × baseline latency. Downtime counts the ticks a
// service spends unhealthy (the score uses it for critical services).
// Impacted means a fault, a spike or a dependency's excess touches it.
// Degraded is the share of its requests a service fails its users on: its
// error rate above baseline, or all of them while its latency is beyond the
// health threshold.
package world
