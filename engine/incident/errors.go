package incident

import "fmt"

// Code classifies a refusal so that the server can map it to a protocol
// error and scoring can count it.
type Code string

const (
	// BadRequest: the input is malformed (empty text, unknown level, a time
	// before the last one recorded).
	BadRequest Code = "bad_request"
	// Forbidden: the role may not do this.
	Forbidden Code = "forbidden"
	// Conflict: the records are not in a state that allows this.
	Conflict Code = "conflict"
	// NotFound: no record has that number.
	NotFound Code = "not_found"
)

// Error is the one error type of the package. Callers use errors.As to read
// it, or errors.Is against ErrBadRequest, ErrForbidden, ErrConflict and
// ErrNotFound to test only the code.
type Error struct {
	Code   Code
	Op     Op     // the operation refused; empty for an internal check
	Record string // the record the refusal is about, when there is one
	Reason string // a sentence for a person saying what to do instead
}

// Sentinels for errors.Is: they match any *Error with the same Code.
var (
	ErrBadRequest = &Error{Code: BadRequest}
	ErrForbidden  = &Error{Code: Forbidden}
	ErrConflict   = &Error{Code: Conflict}
	ErrNotFound   = &Error{Code: NotFound}
)

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Op != "" {
		s += " " + string(e.Op)
	}
	if e.Record != "" {
		s += " " + e.Record
	}
	return s + ": " + e.Reason
}

// Is makes errors.Is(err, ErrConflict) true for every conflict. A target
// with more than a Code set must match those fields too.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Code != e.Code {
		return false
	}
	return (t.Op == "" || t.Op == e.Op) && (t.Record == "" || t.Record == e.Record) &&
		(t.Reason == "" || t.Reason == e.Reason)
}

func refuse(code Code, op Op, record, format string, args ...any) error {
	return &Error{Code: code, Op: op, Record: record, Reason: fmt.Sprintf(format, args...)}
}
