package score

// scoreError is a constant error, so that the package's sentinels cannot be
// reassigned by anyone.
type scoreError string

func (e scoreError) Error() string { return string(e) }

// ErrMalformedLog is wrapped by every error about a log that breaks the
// engine's rules (order, timestamps, payload types, counters), so callers
// can tell a broken log from a broken call.
const ErrMalformedLog = scoreError("malformed event log")

// ErrWrongScenario says the log was produced by another scenario than the
// one given: its measures would be read against the wrong services and pars.
const ErrWrongScenario = scoreError("log is of another scenario")
