package score

import "errors"

// ErrMalformedLog is wrapped by every error about a log that breaks the
// engine's rules (order, timestamps, payload types, counters), so callers
// can tell a broken log from a broken call.
var ErrMalformedLog = errors.New("malformed event log")

// ErrWrongScenario says the log was produced by another scenario than the
// one given: its measures would be read against the wrong services and pars.
var ErrWrongScenario = errors.New("log is of another scenario")
