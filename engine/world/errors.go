package world

import "errors"

// Errors returned by World; match them with errors.Is.
var (
	// ErrUnknown: a name that is not in the scenario.
	ErrUnknown = errors.New("unknown name")
	// ErrStarted: StartFault on a fault that has already started.
	ErrStarted = errors.New("fault already started")
)
