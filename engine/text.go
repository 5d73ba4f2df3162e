package engine

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits bound the text an exercise stores of what people type, in bytes:
// every input's text goes into the log, which is kept for good and sent to
// every participant who may see it. They are part of an exercise's
// settings, so a replay refuses exactly what the live exercise refused.
type Limits struct {
	// TextBytes bounds one free-text field: a chat line, a description, a
	// note, a lesson. Names (records, services, groups) are bounded by
	// NameBytes.
	TextBytes int `json:"text_bytes"`
	// SeatBytes bounds all the text one seat enters over the exercise;
	// ExerciseBytes all the text of every seat together.
	SeatBytes     int `json:"seat_bytes"`
	ExerciseBytes int `json:"exercise_bytes"`
}

// NameBytes bounds a field that names something (a record, a service, a
// channel): no name in a scenario is anywhere near it.
const NameBytes = 256

// DefaultLimits are the limits of an exercise whose host sets none: a chat
// line of 4 KB (about a page of text), 1 MB per seat and 16 MB per
// exercise, some thirty times what the busiest recorded game day stored.
func DefaultLimits() Limits {
	return Limits{TextBytes: 4 << 10, SeatBytes: 1 << 20, ExerciseBytes: 16 << 20}
}

// WithDefaults is l with every limit left at zero set to its default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	if l.TextBytes <= 0 {
		l.TextBytes = d.TextBytes
	}
	if l.SeatBytes <= 0 {
		l.SeatBytes = d.SeatBytes
	}
	if l.ExerciseBytes <= 0 {
		l.ExerciseBytes = d.ExerciseBytes
	}
	return l
}

// CleanText is the one check of text that reaches the exercise, for every
// text field of every input: it must be valid UTF-8, it may hold newlines
// and tabs but no other control character, and no bidirectional embedding,
// override or isolate, which could make a line read differently from what
// it says. Windows line ends become newlines. The error says what to fix.
func CleanText(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("is not valid UTF-8; send text as UTF-8")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case unicode.Is(unicode.Cc, r):
			return "", fmt.Errorf("holds the control character %U; only newlines and tabs may appear in text", r)
		case bidiControl(r):
			return "", fmt.Errorf("holds the bidirectional control %U, which can make text read differently from what it says; remove it", r)
		}
	}
	return s, nil
}

// bidiControl reports the explicit directional embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069).
func bidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// TextFields lists an action's string fields by name, free text first
// (Text and Caller), then names. It is how the door checks every field of
// every input without a list to forget one from.
func (a *Action) TextFields() [textFields]TextField {
	return [textFields]TextField{
		{"text", &a.Text, true}, {"caller", &a.Caller, true},
		{"id", &a.ID, false}, {"op", (*string)(&a.Op), false}, {"record", &a.Record, false}, {"page", &a.Page, false},
		{"parent", &a.Parent, false}, {"group", &a.Group, false}, {"person", &a.Person, false},
		{"service", &a.Service, false}, {"remedy", &a.Remedy, false}, {"runbook", &a.Runbook, false},
		{"step", &a.Step, false}, {"vendor", &a.Vendor, false}, {"metric", &a.Metric, false},
		{"decision", &a.Decision, false}, {"option", &a.Option, false}, {"channel", &a.Channel, false},
		{"classification", (*string)(&a.Classification), false}, {"milestone", (*string)(&a.Milestone), false},
		{"impact", (*string)(&a.Impact), false}, {"urgency", (*string)(&a.Urgency), false},
		{"inject", &a.Inject, false}, {"hypothesis", &a.Hypothesis, false},
	}
}

// textFields is how many string fields an Action has. TextFields returns
// an array, not a slice: the door asks for them on every input, and a
// slice was an allocation each time.
const textFields = 24

// TextField is one string field of an action.
type TextField struct {
	Name string
	Ptr  *string
	// Free says the field is free text (bounded by Limits.TextBytes) rather
	// than a name (bounded by NameBytes).
	Free bool
}

// Check is the door's rule for one field of an action of op: within its
// byte limit (NameBytes, or l.TextBytes for free text) and clean
// (CleanText). It returns the field's clean value, or the refusal. The
// door applies it to every input; an adapter may ask it first to refuse
// before anything is logged.
func (f TextField) Check(op Op, l Limits) (string, error) {
	v := *f.Ptr
	if v == "" {
		return "", nil
	}
	limit, what := NameBytes, "a name"
	if f.Free {
		limit, what = l.WithDefaults().TextBytes, "one text field"
	}
	if len(v) > limit {
		return "", Refuse(OverBudget, op, "", "the %s field is %d bytes; the limit for %s is %d bytes", f.Name, len(v), what, limit)
	}
	s, err := CleanText(v)
	if err != nil {
		return "", Refuse(BadRequest, op, "", "the %s field %v", f.Name, err)
	}
	return s, nil
}

// CheckText is Check over every field of a: the first refusal, or nil.
func CheckText(a Action, l Limits) error {
	for _, f := range a.TextFields() {
		if _, err := f.Check(a.Op, l); err != nil {
			return err
		}
	}
	return nil
}

// FreeTextBytes is the free text an action stores: what budgets count.
func (a Action) FreeTextBytes() int { return len(a.Text) + len(a.Caller) }
