package engine

import "fmt"

// Code classifies a refusal, so that an adapter can map it to its own
// errors (the protocol's error frames, HTTP statuses) and scoring can count
// it. A Code is itself an error: errors.Is(err, engine.Conflict) is true for
// every refusal with that code.
type Code string

const (
	// BadRequest: the input is malformed (empty text, unknown level, a time
	// before the last one recorded).
	BadRequest Code = "bad_request"
	// Forbidden: the actor may not do this: their role, or the scope of the
	// record, service or page they act on.
	Forbidden Code = "forbidden"
	// Conflict: the exercise is not in a state that allows this.
	Conflict Code = "conflict"
	// NotFound: nothing has that number or name.
	NotFound Code = "not_found"
	// OverBudget: the input would take a budget past its limit (text too
	// long, too much text stored); the reason names the limit.
	OverBudget Code = "over_budget"
)

// Error makes a Code usable as an errors.Is target.
func (c Code) Error() string { return string(c) }

// Error is the one refusal type of the engine. Callers use errors.As to read
// it, or errors.Is against a Code to test only the code.
type Error struct {
	Code   Code
	Op     Op     // the operation refused; empty for an internal check
	Record string // the record the refusal is about, when there is one
	Reason string // a sentence for a person saying what to do instead
}

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

// Is makes errors.Is(err, Conflict) true for every conflict. A target
// *Error with more than a Code set must match those fields too.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Code:
		return t == e.Code
	case *Error:
		return t.Code == e.Code && (t.Op == "" || t.Op == e.Op) && (t.Record == "" || t.Record == e.Record) &&
			(t.Reason == "" || t.Reason == e.Reason)
	}
	return false
}

// Refuse builds a refusal: code, the op and record it is about (either may
// be empty), and a sentence that says what to do instead.
func Refuse(code Code, op Op, record, format string, args ...any) *Error {
	return &Error{Code: code, Op: op, Record: record, Reason: fmt.Sprintf(format, args...)}
}
