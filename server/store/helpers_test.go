package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/firedrill/firedrill/server/internal/pgtest"
)

// backend makes a fresh, empty database for one test and returns its DSN.
type backend struct {
	name string
	dsn  func(tb testing.TB) string
}

var backends = []backend{
	{DriverSQLite, sqliteDSN},
	{DriverPostgres, postgresDSN},
}

func sqliteDSN(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(tb.TempDir(), "firedrill.db")
}

// postgresDSN is a fresh schema of the test PostgreSQL database.
func postgresDSN(tb testing.TB) string {
	tb.Helper()
	return pgtest.DSN(tb)
}

// eachBackend runs fn as a parallel subtest per backend, each with a fresh
// store; PostgreSQL is skipped when pgtest.Env is unset.
func eachBackend(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	eachDSN(t, func(t *testing.T, _, dsn string) { fn(t, openStore(t, dsn)) })
}

// eachDSN runs fn as a parallel subtest per backend with a fresh, empty
// database, for tests that open it more than once; PostgreSQL is skipped
// when pgtest.Env is unset.
func eachDSN(t *testing.T, fn func(t *testing.T, backend, dsn string)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b.name, b.dsn(t))
		})
	}
}

// openStore opens dsn, closes it when the test ends and gives it a clock
// that moves one second per reading, so creation order is deterministic.
func openStore(tb testing.TB, dsn string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	s.now = stepClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	return s
}

// stepClock returns a clock that reads start+1s, start+2s, ….
func stepClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	t := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// CodeHash is how the tests hash join codes (the server has its own,
// normalising, version).
func CodeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// newExercise stores a scenario and a running exercise with the given id.
func newExercise(tb testing.TB, s *Store, id string) Exercise {
	tb.Helper()
	ctx := context.Background()
	hash, err := s.PutScenario(ctx, "db-failover", []byte(`scenario "db-failover" {}`))
	if err != nil {
		tb.Fatalf("PutScenario: %v", err)
	}
	x := Exercise{ID: id, ScenarioHash: hash, ScenarioName: "db-failover", Seed: 42, Speed: 1,
		Options: []byte(`{"skill":"novice"}`)}
	if err := s.CreateExercise(ctx, x); err != nil {
		tb.Fatalf("CreateExercise(%s): %v", id, err)
	}
	return x
}

// tick builds the inputs and events of one tick: n inputs from seq in and
// m events from seq ev, with bodies of about bodySize bytes.
func tick(in uint64, n int, ev uint64, m int, bodySize int) ([]Input, []Event) {
	var ins []Input
	for i := range n {
		seq := in + uint64(i)
		ins = append(ins, Input{
			Seq:    seq,
			At:     int64(seq) * int64(time.Second),
			Actor:  fmt.Appendf(nil, `{"name":"ana","role":"ic","seq":%d}`, seq),
			Action: fmt.Appendf(nil, `{"op":"chat","text":"input %d"}`, seq),
		})
	}
	var evs []Event
	for i := range m {
		seq := ev + uint64(i)
		body := fmt.Appendf(nil, `{"seq":%d,"kind":"chat","data":{"text":"`, seq)
		for len(body) < bodySize-3 {
			body = append(body, 'x')
		}
		body = append(body, `"}}`...)
		evs = append(evs, Event{Seq: seq, At: int64(seq) * int64(time.Millisecond), Kind: "chat", Body: body})
	}
	return ins, evs
}

func seqsOf(evs []Event) []uint64 {
	seqs := make([]uint64, len(evs))
	for i, e := range evs {
		seqs[i] = e.Seq
	}
	return seqs
}

func seqRange(from, to uint64) []uint64 {
	var seqs []uint64
	for s := from; s <= to; s++ {
		seqs = append(seqs, s)
	}
	return seqs
}
