package world

// worldError is a constant error: the sentinels cannot be reassigned.
type worldError string

func (e worldError) Error() string { return string(e) }

// Errors returned by World; match them with errors.Is.
const (
	// ErrUnknown: a name that is not in the scenario.
	ErrUnknown = worldError("unknown name")
	// ErrStarted: StartFault on a fault that has already started.
	ErrStarted = worldError("fault already started")
)
