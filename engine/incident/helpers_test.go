package incident

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
)

func min(n int) time.Duration { return time.Duration(n) * time.Minute }

// result carries a Book method's two results so that tests can write
// do(b.Assign(...)).ok(t).
type result[T any] struct {
	v   T
	err error
}

func do[T any](v T, err error) result[T] { return result[T]{v, err} }

// ok fails the test unless the call succeeded.
func (r result[T]) ok(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatalf("unexpected error: %v", r.err)
	}
	return r.v
}

// wantErr asserts err is an *Error with code, and that its reason contains
// each of the fragments.
func wantErr(t *testing.T, err error, code engine.Code, fragments ...string) *engine.Error {
	t.Helper()
	var e *engine.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *Error with code %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%v), want %s", e.Code, e, code)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Reason, f) {
			t.Errorf("reason %q does not contain %q", e.Reason, f)
		}
	}
	return e
}

// create opens an incident at time at with the given levels.
func create(t *testing.T, b *Book, at time.Duration, short, service string, impact, urgency engine.Level) engine.Incident {
	t.Helper()
	return do(b.CreateIncident(NewIncident{
		At: at, By: "sam", ShortDescription: short, Service: service, Caller: "member", Impact: impact, Urgency: urgency,
	})).ok(t)
}

// working creates an incident and takes it to in_progress.
func working(t *testing.T, b *Book, at time.Duration, impact, urgency engine.Level) engine.Incident {
	t.Helper()
	inc := create(t, b, at, "claims fail", "claims-api", impact, urgency)
	do(b.Assign(inc.Number, at, "sam", "claims", "")).ok(t)
	return do(b.Acknowledge(inc.Number, at, "ana")).ok(t)
}

func numbers(list []engine.Incident) []string {
	out := make([]string, len(list))
	for i, inc := range list {
		out[i] = inc.Number
	}
	return out
}

func state(t *testing.T, b *Book, number string) engine.State {
	t.Helper()
	return do(b.Incident(number)).ok(t).State
}
