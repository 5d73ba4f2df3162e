package store

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScenarios(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		src := []byte("scenario \"x\" {\n  duration = \"45m\"\n}\n")
		hash, err := s.PutScenario(ctx, "x", src)
		if err != nil {
			t.Fatal(err)
		}
		if len(hash) != 64 {
			t.Errorf("hash %q is not sha256 hex", hash)
		}
		// Same source again, under another name: no-op, same hash, first name kept.
		again, err := s.PutScenario(ctx, "renamed", src)
		if err != nil || again != hash {
			t.Fatalf("PutScenario again = %q, %v; want %q, nil", again, err, hash)
		}
		name, got, err := s.Scenario(ctx, hash)
		if err != nil || name != "x" || !bytes.Equal(got, src) {
			t.Errorf("Scenario = %q, %q, %v; want %q, %q, nil", name, got, err, "x", src)
		}
		if _, _, err := s.Scenario(ctx, strings.Repeat("0", 64)); !errors.Is(err, ErrNotFound) {
			t.Errorf("Scenario(missing) error = %v; want ErrNotFound", err)
		}
	})
}

func TestExercises(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		hash, err := s.PutScenario(ctx, "db-failover", []byte("v1"))
		if err != nil {
			t.Fatal(err)
		}
		hash2, err := s.PutScenario(ctx, "egress", []byte("v2"))
		if err != nil {
			t.Fatal(err)
		}
		created := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("CET", 3600))
		want := Exercise{ID: "ex-b", ScenarioHash: hash, ScenarioName: "db-failover",
			Seed: math.MaxUint64, Options: []byte(`{"skill":"expert","end_on_restore":true}`),
			Speed: 2.5, State: StateRunning, CreatedAt: created}
		if err := s.CreateExercise(ctx, want); err != nil {
			t.Fatal(err)
		}
		for _, x := range []Exercise{
			{ID: "ex-a", ScenarioHash: hash, ScenarioName: "db-failover", Seed: 1, Speed: 1, State: StatePaused},
			{ID: "ex-c", ScenarioHash: hash2, ScenarioName: "egress", Seed: 0, Speed: 60},
		} {
			if err := s.CreateExercise(ctx, x); err != nil {
				t.Fatal(err)
			}
		}

		got, err := s.Exercise(ctx, "ex-b")
		if err != nil {
			t.Fatal(err)
		}
		// Stored times are UTC with microsecond resolution on both backends.
		want.CreatedAt = created.UTC().Truncate(time.Microsecond)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Exercise =\n%+v\nwant\n%+v", got, want)
		}

		ids := func(xs []Exercise) []string {
			var out []string
			for _, x := range xs {
				out = append(out, x.ID)
			}
			return out
		}
		lists := []struct {
			name string
			list func() ([]Exercise, error)
			want []string
		}{
			// ex-b was created in January, the others by the test clock in March.
			{"all", func() ([]Exercise, error) { return s.Exercises(ctx, "") }, []string{"ex-b", "ex-a", "ex-c"}},
			{"running", func() ([]Exercise, error) { return s.Exercises(ctx, StateRunning) }, []string{"ex-b", "ex-c"}},
			{"paused", func() ([]Exercise, error) { return s.Exercises(ctx, StatePaused) }, []string{"ex-a"}},
			{"ended", func() ([]Exercise, error) { return s.Exercises(ctx, StateEnded) }, nil},
			{"of db-failover", func() ([]Exercise, error) { return s.ExercisesOfScenario(ctx, "db-failover") }, []string{"ex-b", "ex-a"}},
			{"of unknown", func() ([]Exercise, error) { return s.ExercisesOfScenario(ctx, "nope") }, nil},
		}
		for _, l := range lists {
			xs, err := l.list()
			if err != nil || !slices.Equal(ids(xs), l.want) {
				t.Errorf("%s = %v, %v; want %v", l.name, ids(xs), err, l.want)
			}
		}

		errs := []struct {
			name string
			err  error
			want error
		}{
			{"duplicate id", s.CreateExercise(ctx, Exercise{ID: "ex-a", ScenarioHash: hash, Speed: 1}), ErrConflict},
			{"unknown scenario", s.CreateExercise(ctx, Exercise{ID: "ex-z", ScenarioHash: strings.Repeat("a", 64), Speed: 1}), ErrNotFound},
			{"empty id", s.CreateExercise(ctx, Exercise{ScenarioHash: hash, Speed: 1}), ErrInvalid},
			{"zero speed", s.CreateExercise(ctx, Exercise{ID: "ex-z", ScenarioHash: hash}), ErrInvalid},
			{"NaN speed", s.CreateExercise(ctx, Exercise{ID: "ex-z", ScenarioHash: hash, Speed: math.NaN()}), ErrInvalid},
			{"bad state", s.CreateExercise(ctx, Exercise{ID: "ex-z", ScenarioHash: hash, Speed: 1, State: "done"}), ErrInvalid},
			{"missing exercise", func() error { _, err := s.Exercise(ctx, "nope"); return err }(), ErrNotFound},
			{"list bad state", func() error { _, err := s.Exercises(ctx, "done"); return err }(), ErrInvalid},
			{"state of missing", s.SetExerciseState(ctx, "nope", StatePaused), ErrNotFound},
			{"unknown state", s.SetExerciseState(ctx, "ex-a", "done"), ErrInvalid},
			{"speed of missing", s.SetSpeed(ctx, "nope", 2), ErrNotFound},
			{"negative speed", s.SetSpeed(ctx, "ex-a", -1), ErrInvalid},
		}
		for _, e := range errs {
			if !errors.Is(e.err, e.want) {
				t.Errorf("%s: error = %v; want %v", e.name, e.err, e.want)
			}
		}
		if _, err := s.Exercise(ctx, "ex-z"); !errors.Is(err, ErrNotFound) {
			t.Errorf("a failed CreateExercise stored ex-z (err %v)", err)
		}
	})
}

func TestExerciseLifecycle(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		newExercise(t, s, "ex1")
		steps := []struct {
			state   string
			speed   float64 // 0: leave
			wantErr error
		}{
			{state: StatePaused},
			{state: StateRunning, speed: 4},
			{state: StateEnded},
			{state: StateEnded},                         // ending twice is a no-op
			{state: StateRunning, wantErr: ErrConflict}, // ended is final
			{state: StateEnded, speed: 2, wantErr: ErrConflict},
		}
		var endedAt time.Time
		for i, st := range steps {
			err := s.SetExerciseState(ctx, "ex1", st.state)
			if st.speed != 0 {
				err = errors.Join(err, s.SetSpeed(ctx, "ex1", st.speed))
			}
			if !errors.Is(err, st.wantErr) || (st.wantErr == nil && err != nil) {
				t.Fatalf("step %d (%s, speed %v): error = %v; want %v", i, st.state, st.speed, err, st.wantErr)
			}
			x, err := s.Exercise(ctx, "ex1")
			if err != nil {
				t.Fatal(err)
			}
			if st.wantErr == nil && x.State != st.state {
				t.Errorf("step %d: state = %s; want %s", i, x.State, st.state)
			}
			switch {
			case x.State != StateEnded && !x.EndedAt.IsZero():
				t.Errorf("step %d: EndedAt = %v before the end", i, x.EndedAt)
			case x.State == StateEnded && endedAt.IsZero():
				endedAt = x.EndedAt
				if endedAt.IsZero() {
					t.Errorf("step %d: ended without EndedAt", i)
				}
			case x.State == StateEnded && !x.EndedAt.Equal(endedAt):
				t.Errorf("step %d: EndedAt moved from %v to %v", i, endedAt, x.EndedAt)
			}
			if x.Speed != 4 && i >= 1 {
				t.Errorf("step %d: speed = %v; want 4", i, x.Speed)
			}
		}
	})
}

func TestParticipants(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		newExercise(t, s, "ex1")
		newExercise(t, s, "ex2")
		ana := Participant{CodeHash: CodeHash("ANA-1234"), Name: "ana", Role: "incident_commander", Group: "sre"}
		bo := Participant{CodeHash: CodeHash("BO-5678"), Name: "bo", Role: "facilitator", Facilitator: true}
		if err := s.AddParticipants(ctx, "ex1", []Participant{ana, bo}); err != nil {
			t.Fatal(err)
		}

		got, err := s.ParticipantByCode(ctx, CodeHash("ANA-1234"))
		if err != nil {
			t.Fatal(err)
		}
		if got.ExerciseID != "ex1" || got.Name != "ana" || got.Role != "incident_commander" ||
			got.Group != "sre" || got.Facilitator || got.CreatedAt.IsZero() {
			t.Errorf("ParticipantByCode(ana) = %+v", got)
		}
		ps, err := s.Participants(ctx, "ex1")
		if err != nil || len(ps) != 2 || ps[0].Name != "ana" || ps[1].Name != "bo" ||
			ps[1].Group != "" || !ps[1].Facilitator {
			t.Errorf("Participants(ex1) = %+v, %v", ps, err)
		}

		cy := Participant{CodeHash: CodeHash("CY-0000"), Name: "cy", Role: "comms"}
		cases := []struct {
			name string
			ex   string
			ps   []Participant
			want error
		}{
			{"code hash used in another exercise", "ex2", []Participant{cy, {CodeHash: ana.CodeHash, Name: "eve"}}, ErrConflict},
			{"code hash twice in one call", "ex2", []Participant{cy, cy}, ErrConflict},
			{"missing exercise", "nope", []Participant{cy}, ErrNotFound},
			{"plain code instead of hash", "ex2", []Participant{{CodeHash: "CY-0000", Name: "cy"}}, ErrInvalid},
			{"upper-case hash", "ex2", []Participant{{CodeHash: strings.ToUpper(cy.CodeHash), Name: "cy"}}, ErrInvalid},
			{"empty name", "ex2", []Participant{{CodeHash: cy.CodeHash}}, ErrInvalid},
			{"empty exercise id", "", []Participant{cy}, ErrInvalid},
		}
		for _, c := range cases {
			if err := s.AddParticipants(ctx, c.ex, c.ps); !errors.Is(err, c.want) {
				t.Errorf("%s: error = %v; want %v", c.name, err, c.want)
			}
		}
		// All or none: cy came first in the failed calls and must not be there.
		if _, err := s.ParticipantByCode(ctx, cy.CodeHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("ParticipantByCode(cy) error = %v; want ErrNotFound (a failed AddParticipants stored part of its batch)", err)
		}
		if ps, err := s.Participants(ctx, "ex2"); err != nil || len(ps) != 0 {
			t.Errorf("Participants(ex2) = %+v, %v; want none", ps, err)
		}
	})
}

// TestCommit: a commit that does not continue the logs exactly fails as a
// whole, and the logs are as they were.
func TestCommit(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		newExercise(t, s, "ex1")
		// The log so far: inputs 1-2, events 1-5.
		ins, evs := tick(1, 2, 1, 5, 100)
		if err := s.Commit(ctx, "ex1", ins, evs); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name   string
			ex     string
			ins    []Input
			evs    []Event
			want   error
			inLog  uint64 // last input seq afterwards
			evLog  uint64 // last event seq afterwards
			detail string // in the error message
		}{
			{name: "duplicate event seq in the tick", ex: "ex1", ins: mkIns(3), evs: mkEvs(6, 7, 7), want: ErrInvalid, inLog: 2, evLog: 5, detail: "event seq 7 follows 7"},
			{name: "event seq already stored", ex: "ex1", ins: mkIns(3), evs: mkEvs(5, 6), want: ErrConflict, inLog: 2, evLog: 5, detail: "event seq 5 is already stored"},
			{name: "input seq already stored", ex: "ex1", ins: mkIns(2, 3), evs: mkEvs(6), want: ErrConflict, inLog: 2, evLog: 5, detail: "input seq 2"},
			{name: "gap in events", ex: "ex1", ins: mkIns(3), evs: mkEvs(7), want: ErrInvalid, inLog: 2, evLog: 5, detail: "gap after 5"},
			{name: "events out of order", ex: "ex1", evs: mkEvs(7, 6), want: ErrInvalid, inLog: 2, evLog: 5},
			{name: "seq 0", ex: "ex1", evs: mkEvs(0), want: ErrInvalid, inLog: 2, evLog: 5},
			{name: "seq beyond int64", ex: "ex1", evs: mkEvs(math.MaxUint64), want: ErrInvalid, inLog: 2, evLog: 5},
			{name: "missing exercise", ex: "nope", evs: mkEvs(1), want: ErrNotFound, inLog: 2, evLog: 5},
			{name: "missing exercise, empty tick", ex: "nope", want: ErrNotFound, inLog: 2, evLog: 5},
			{name: "empty exercise id", ex: "", evs: mkEvs(6), want: ErrInvalid, inLog: 2, evLog: 5},
			{name: "empty tick", ex: "ex1", inLog: 2, evLog: 5},
			{name: "events only", ex: "ex1", evs: mkEvs(6, 7), inLog: 2, evLog: 7},
			{name: "inputs only", ex: "ex1", ins: mkIns(3), inLog: 3, evLog: 7},
			{name: "both", ex: "ex1", ins: mkIns(4, 5), evs: mkEvs(8), inLog: 5, evLog: 8},
		}
		for _, c := range cases {
			err := s.Commit(ctx, c.ex, c.ins, c.evs)
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Errorf("%s: error = %v; want %v", c.name, err, c.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "store: commit") {
				t.Errorf("%s: error %q does not say what failed", c.name, err)
			}
			if c.detail != "" && (err == nil || !strings.Contains(err.Error(), c.detail)) {
				t.Errorf("%s: error %v does not mention %q", c.name, err, c.detail)
			}
			assertLog(t, s, "ex1", c.inLog, c.evLog)
		}
	})
}

// TestCommitRollsBack drives a duplicate past the seq checks into the
// database's unique index, after the inputs and some events of the tick are
// already written in the transaction: nothing of the tick may survive.
func TestCommitRollsBack(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		newExercise(t, s, "ex1")
		ins, evs := tick(1, 1, 1, 3, 100)
		if err := s.Commit(ctx, "ex1", ins, evs); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			evs  []Event
		}{
			{"duplicate within the tick", mkEvs(4, 5, 4)},
			{"duplicate of a stored event", mkEvs(4, 5, 3)},
			// More rows than one INSERT carries: the failure is in a later
			// statement than the one that wrote 4…
			{"duplicate in a later batch", append(mkEvs(seqRange(4, batchRows+10)...), mkEvs(4)...)},
		} {
			err := s.commit(ctx, "ex1", mkIns(2, 3), c.evs, false)
			if !errors.Is(err, ErrConflict) {
				t.Errorf("%s: error = %v; want ErrConflict", c.name, err)
			}
			assertLog(t, s, "ex1", 1, 3)
		}
	})
}

// assertLog checks that the exercise's logs hold exactly inputs 1..in and
// events 1..ev, through every read path.
func assertLog(t *testing.T, s *Store, id string, in, ev uint64) {
	t.Helper()
	ctx := t.Context()
	ins, err := s.Inputs(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var inSeqs []uint64
	for _, i := range ins {
		inSeqs = append(inSeqs, i.Seq)
	}
	if !slices.Equal(inSeqs, seqRange(1, in)) {
		t.Errorf("input seqs = %v; want 1…%d", inSeqs, in)
	}
	evs, err := s.Events(ctx, id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seqsOf(evs), seqRange(1, ev)) {
		t.Errorf("event seqs = %v; want 1…%d", seqsOf(evs), ev)
	}
	if last, err := s.LastSeq(ctx, id); err != nil || last != ev {
		t.Errorf("LastSeq = %d, %v; want %d", last, err, ev)
	}
}

func mkIns(seqs ...uint64) []Input {
	var ins []Input
	for _, s := range seqs {
		in, _ := tick(s, 1, 0, 0, 0)
		ins = append(ins, in...)
	}
	return ins
}

func mkEvs(seqs ...uint64) []Event {
	var evs []Event
	for _, s := range seqs {
		_, ev := tick(0, 0, s, 1, 80)
		evs = append(evs, ev...)
	}
	return evs
}

func TestEventsTail(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		newExercise(t, s, "ex1")
		newExercise(t, s, "ex2")
		// 50 events in ticks of 7, interleaved with another exercise's log
		// so a query that forgets the exercise shows.
		for seq := uint64(1); seq <= 50; seq += 7 {
			_, evs := tick(0, 0, seq, int(min(7, 51-seq)), 120)
			if err := s.Commit(ctx, "ex1", nil, evs); err != nil {
				t.Fatal(err)
			}
			_, other := tick(0, 0, 1+seq/7, 1, 50)
			if err := s.Commit(ctx, "ex2", nil, other); err != nil {
				t.Fatal(err)
			}
		}
		_, all := tick(0, 0, 1, 50, 120)
		cases := []struct {
			after uint64
			limit int
			want  []uint64
		}{
			{0, 0, seqRange(1, 50)},
			{0, 10, seqRange(1, 10)},
			{10, 10, seqRange(11, 20)},
			{45, 0, seqRange(46, 50)},
			{45, 100, seqRange(46, 50)},
			{49, 1, []uint64{50}},
			{50, 0, nil},
			{1000, 0, nil},
			{math.MaxUint64, 0, nil},
		}
		for _, c := range cases {
			evs, err := s.Events(ctx, "ex1", c.after, c.limit)
			if err != nil {
				t.Fatalf("Events(after %d, limit %d): %v", c.after, c.limit, err)
			}
			if !slices.Equal(seqsOf(evs), c.want) {
				t.Errorf("Events(after %d, limit %d) seqs = %v; want %v", c.after, c.limit, seqsOf(evs), c.want)
				continue
			}
			for _, e := range evs {
				w := all[e.Seq-1]
				if e.At != w.At || e.Kind != w.Kind || !bytes.Equal(e.Body, w.Body) {
					t.Errorf("event %d = %+v; want %+v", e.Seq, e, w)
				}
			}
		}
		if _, err := s.Events(ctx, "ex1", 0, -1); !errors.Is(err, ErrInvalid) {
			t.Errorf("Events(limit -1) error = %v; want ErrInvalid", err)
		}
		if evs, err := s.Events(ctx, "nope", 0, 0); err != nil || len(evs) != 0 {
			t.Errorf("Events(missing exercise) = %v, %v; want none", evs, err)
		}
		if _, err := s.LastSeq(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("LastSeq(missing exercise) error = %v; want ErrNotFound", err)
		}
		if last, err := s.LastSeq(ctx, "ex2"); err != nil || last != 8 {
			t.Errorf("LastSeq(ex2) = %d, %v; want 8", last, err)
		}
	})
}

// TestBytesRoundTrip: what goes in comes out byte for byte, whether or not
// it is tidy JSON, because replay decodes exactly what the engine wrote.
func TestBytesRoundTrip(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		newExercise(t, s, "ex1")
		ins := []Input{
			{Seq: 1, At: 0, Actor: []byte(`{"name":"ana"}`), Action: []byte(`{"op":"chat","text":"é ✓ \u2028 \"q\""}`)},
			{Seq: 2, At: math.MaxInt64, Actor: []byte("{ \"b\":1,  \"a\":2 }\n"), Action: []byte{}},
			{Seq: 3, At: -1, Actor: []byte{0, 0xff, 0xfe, '\\', '\''}, Action: nil},
			{Seq: 4, At: math.MinInt64, Actor: bytes.Repeat([]byte("x"), 1<<16), Action: []byte("null")},
		}
		evs := []Event{
			{Seq: 1, At: 5, Kind: "exercise.started", Body: []byte(`{"seq":1,"kind":"exercise.started","to":{}}`)},
			{Seq: 2, At: 6, Kind: "", Body: []byte{0, 1, 2, 0xc3}},
		}
		if err := s.Commit(ctx, "ex1", ins, evs); err != nil {
			t.Fatal(err)
		}
		got, err := s.Inputs(ctx, "ex1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ins) {
			t.Fatalf("got %d inputs; want %d", len(got), len(ins))
		}
		for i := range ins {
			if got[i].Seq != ins[i].Seq || got[i].At != ins[i].At ||
				!bytes.Equal(got[i].Actor, ins[i].Actor) || !bytes.Equal(got[i].Action, ins[i].Action) {
				t.Errorf("input %d = %+v; want %+v", i+1, got[i], ins[i])
			}
		}
		gotEvs, err := s.Events(ctx, "ex1", 0, 0)
		if err != nil || !reflect.DeepEqual(gotEvs, evs) {
			t.Errorf("Events = %+v, %v; want %+v", gotEvs, err, evs)
		}
		if ins, err := s.Inputs(ctx, "nope"); err != nil || len(ins) != 0 {
			t.Errorf("Inputs(missing exercise) = %v, %v; want none", ins, err)
		}
	})
}

func TestLessons(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		newExercise(t, s, "ex1")
		ls := []Lesson{
			{ExerciseID: "ex1", Author: "ana", At: int64(20 * time.Minute), Text: "page the DBA earlier"},
			{ExerciseID: "ex1", Author: "bo", At: int64(5 * time.Minute), Text: "runbook link was stale"},
			{ExerciseID: "ex1", Author: "cy", At: int64(20 * time.Minute), Text: "status page lagged"},
		}
		for _, l := range ls {
			if err := s.AddLesson(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Lessons(ctx, "ex1")
		want := []Lesson{ls[1], ls[0], ls[2]} // by time, then as added
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Lessons = %+v, %v; want %+v", got, err, want)
		}
		if err := s.AddLesson(ctx, Lesson{ExerciseID: "nope", Text: "x"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("AddLesson(missing exercise) error = %v; want ErrNotFound", err)
		}
		if err := s.AddLesson(ctx, Lesson{ExerciseID: "ex1"}); !errors.Is(err, ErrInvalid) {
			t.Errorf("AddLesson(empty text) error = %v; want ErrInvalid", err)
		}
		// Text PostgreSQL cannot hold is refused alike on both backends.
		for _, bad := range []Lesson{
			{ExerciseID: "ex1", Author: "ana", Text: "a\x00b"},
			{ExerciseID: "ex1", Author: "ana", Text: "a\xffb"},
			{ExerciseID: "ex1", Author: "a\x00", Text: "fine"},
		} {
			if err := s.AddLesson(ctx, bad); !errors.Is(err, ErrInvalid) {
				t.Errorf("AddLesson(%q by %q) error = %v; want ErrInvalid", bad.Text, bad.Author, err)
			}
		}
		if err := s.Commit(ctx, "ex1", nil, []Event{{Seq: 1, Kind: "chat\x00", Body: []byte(`{}`)}}); !errors.Is(err, ErrInvalid) {
			t.Errorf("Commit of an event kind with NUL: %v; want ErrInvalid", err)
		}
		if got, _ := s.Lessons(ctx, "ex1"); len(got) != len(ls) {
			t.Errorf("%d lessons after the refusals, want %d", len(got), len(ls))
		}
	})
}

// TestConcurrentReaders: readers running while one writer commits ticks
// never see part of a tick, a gap, or the log going backwards. Run with
// -race.
func TestConcurrentReaders(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		newExercise(t, s, "ex1")
		const (
			ticks   = 60
			perTick = 5
			readers = 4
			reads   = 60
		)
		errc := make(chan error, readers+1)
		go func() {
			for i := range uint64(ticks) {
				ins, evs := tick(i+1, 1, i*perTick+1, perTick, 200)
				if err := s.Commit(ctx, "ex1", ins, evs); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
		for range readers {
			go func() {
				var seen uint64
				for range reads {
					last, err := s.LastSeq(ctx, "ex1")
					if err != nil {
						errc <- err
						return
					}
					evs, err := s.Events(ctx, "ex1", 0, 0)
					if err != nil {
						errc <- err
						return
					}
					switch n := uint64(len(evs)); {
					case last < seen:
						errc <- fmt.Errorf("LastSeq went back from %d to %d", seen, last)
						return
					case last%perTick != 0 || n%perTick != 0:
						errc <- fmt.Errorf("saw part of a tick: LastSeq %d, %d events", last, n)
						return
					case n < last:
						errc <- fmt.Errorf("Events returned %d after LastSeq said %d", n, last)
						return
					case !slices.Equal(seqsOf(evs), seqRange(1, n)):
						errc <- fmt.Errorf("events not 1…%d: %v", n, seqsOf(evs))
						return
					}
					seen = last
				}
				errc <- nil
			}()
		}
		for range readers + 1 {
			if err := <-errc; err != nil {
				t.Error(err)
			}
		}
		assertLog(t, s, "ex1", ticks, ticks*perTick)
	})
}

// TestPingAndLogBytes: Ping queries the schema; LogBytes counts what an
// exercise's logs hold, and grows by what a commit wrote.
func TestPingAndLogBytes(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		newExercise(t, s, "ex1")
		if n, err := s.LogBytes(ctx, "ex1"); err != nil || n != 0 {
			t.Fatalf("LogBytes of an empty log = %d, %v", n, err)
		}
		ins := []Input{{Seq: 1, Actor: []byte(`{"name":"ana"}`), Action: bytes.Repeat([]byte("a"), 1000)}}
		evs := []Event{{Seq: 1, Kind: "chat", Body: bytes.Repeat([]byte("b"), 500)}}
		if err := s.Commit(ctx, "ex1", ins, evs); err != nil {
			t.Fatal(err)
		}
		want := int64(len(ins[0].Actor) + 1000 + len("chat") + 500)
		if n, err := s.LogBytes(ctx, "ex1"); err != nil || n != want {
			t.Fatalf("LogBytes = %d, %v; want %d", n, err, want)
		}
		if n, err := s.LogBytes(ctx, "nobody"); err != nil || n != 0 {
			t.Fatalf("LogBytes of an unknown exercise = %d, %v", n, err)
		}
	})
}
