package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSQLiteSettings: the durability and integrity settings the store
// relies on are in force on the connections that use them.
func TestSQLiteSettings(t *testing.T) {
	t.Parallel()
	s := openStore(t, sqliteDSN(t)+"?_pragma=cache_size(-4000)")
	if s.Driver() != DriverSQLite {
		t.Errorf("Driver = %q", s.Driver())
	}
	if s.r == s.w {
		t.Errorf("a file database has no separate read pool")
	}
	if n := s.w.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("write pool allows %d connections; want 1", n)
	}
	pragmas := []struct {
		pool  string
		query string
		want  string
	}{
		{"write", "PRAGMA journal_mode", "wal"},
		{"write", "PRAGMA synchronous", "2"}, // FULL
		{"write", "PRAGMA foreign_keys", "1"},
		{"write", "PRAGMA busy_timeout", "5000"},
		{"write", "PRAGMA cache_size", "-4000"}, // the caller's own pragma still runs
		{"read", "PRAGMA foreign_keys", "1"},
		{"read", "PRAGMA query_only", "1"},
		{"read", "PRAGMA journal_mode", "wal"},
	}
	for _, p := range pragmas {
		db := s.w
		if p.pool == "read" {
			db = s.r
		}
		var got string
		if err := db.GetContext(t.Context(), &got, p.query); err != nil {
			t.Fatalf("%s: %s: %v", p.pool, p.query, err)
		}
		if got != p.want {
			t.Errorf("%s pool: %s = %s; want %s", p.pool, p.query, got, p.want)
		}
	}
}

// TestSQLiteRefusesUndurableDSN: a DSN whose own settings would turn off
// what an ack's safety rests on is refused with a message naming the
// setting and what to remove; any DSN that opens has them in force.
func TestSQLiteRefusesUndurableDSN(t *testing.T) {
	t.Parallel()
	refused := []struct{ params, want string }{
		{"_sync=OFF", "synchronous is 0"},
		{"_synchronous=NORMAL", "synchronous is 1"},
		{"_pragma=synchronous(NORMAL)", "synchronous is 1"},
		{"_journal_mode=DELETE", "journal_mode is delete"},
		{"_fk=0", "foreign_keys is off"},
	}
	for _, c := range refused {
		t.Run(c.params, func(t *testing.T) {
			s, err := Open(t.Context(), sqliteDSN(t)+"?"+c.params)
			if err == nil {
				s.Close()
				t.Fatalf("Open with %s succeeded; want it refused", c.params)
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "remove") {
				t.Errorf("Open with %s: %v; want ErrInvalid saying %q and what to remove", c.params, err, c.want)
			}
		})
	}
	// The driver runs _pragma settings in name order, so these run before
	// the store's own and are overridden; whichever way, what opens is
	// durable.
	for _, params := range []string{"_pragma=journal_mode(TRUNCATE)", "_pragma=foreign_keys(0)", "_pragma=synchronous(EXTRA)"} {
		t.Run(params, func(t *testing.T) {
			s, err := Open(t.Context(), sqliteDSN(t)+"?"+params)
			if err != nil {
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("Open with %s: %v; want success or ErrInvalid", params, err)
				}
				return
			}
			defer s.Close()
			// Read back directly, not through checkDurable, which Open ran.
			for query, want := range map[string]string{"PRAGMA journal_mode": "wal", "PRAGMA foreign_keys": "1"} {
				var got string
				if err := s.w.GetContext(t.Context(), &got, query); err != nil || got != want {
					t.Errorf("Open with %s: %s = %q (%v); want %q", params, query, got, err, want)
				}
			}
			var sync int
			if err := s.w.GetContext(t.Context(), &sync, "PRAGMA synchronous"); err != nil || sync < 2 {
				t.Errorf("Open with %s: synchronous = %d (%v); want FULL (2) or EXTRA (3)", params, sync, err)
			}
		})
	}
}

func TestOpenDSNForms(t *testing.T) {
	// Not parallel: changes the working directory.
	dir := t.TempDir()
	t.Chdir(dir)
	cases := []struct {
		dsn  string
		file string
	}{
		{"", DefaultDSN},
		{"plain.db", "plain.db"},
		{"file:uri.db?cache=shared", "uri.db"},
		{"file:" + filepath.Join(dir, "abs.db"), "abs.db"},
	}
	for _, c := range cases {
		s := openStore(t, c.dsn)
		newExercise(t, s, "ex1")
		// The file holds every chat line: its owner's alone, and so are
		// the files SQLite makes beside it.
		for _, f := range []string{c.file, c.file + "-wal"} {
			info, err := os.Stat(filepath.Join(dir, f))
			if err != nil {
				t.Errorf("Open(%q) did not create %s: %v", c.dsn, f, err)
				continue
			}
			if mode := info.Mode().Perm(); mode != 0o600 {
				t.Errorf("Open(%q) created %s with mode %o, want 600", c.dsn, f, mode)
			}
		}
	}

	mem := openStore(t, ":memory:")
	newExercise(t, mem, "ex1")
	if _, err := mem.Exercise(t.Context(), "ex1"); err != nil {
		t.Errorf(":memory: reads do not see writes: %v", err)
	}

	if _, err := Open(t.Context(), "postgres://nobody@127.0.0.1:1/x?connect_timeout=1"); err == nil ||
		!strings.HasPrefix(err.Error(), "store: open postgres") {
		t.Errorf("Open(unreachable postgres) error = %v", err)
	}
	if _, err := Open(t.Context(), filepath.Join(dir, "no-such-dir", "x.db")); err == nil {
		t.Errorf("Open in a missing directory succeeded")
	}
}

// TestReopen: everything written before Close is there after Open — the
// process may die between any two calls, and restarting must resume.
func TestReopen(t *testing.T) {
	t.Parallel()
	eachDSN(t, func(t *testing.T, _, dsn string) {
		ctx := t.Context()
		s := openStore(t, dsn)
		x := newExercise(t, s, "ex1")
		if err := s.AddParticipants(ctx, "ex1", []Participant{{CodeHash: CodeHash("C0DE"), Name: "ana", Role: "ic"}}); err != nil {
			t.Fatal(err)
		}
		ins, evs := tick(1, 3, 1, 20, 300)
		if err := s.Commit(ctx, "ex1", ins, evs); err != nil {
			t.Fatal(err)
		}
		if err := s.AddLesson(ctx, Lesson{ExerciseID: "ex1", Author: "ana", At: 7, Text: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetExerciseState(ctx, "ex1", StatePaused); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}

		s = openStore(t, dsn)
		got, err := s.Exercise(ctx, "ex1")
		if err != nil || got.State != StatePaused || got.Seed != x.Seed || got.ScenarioHash != x.ScenarioHash {
			t.Errorf("Exercise after reopen = %+v, %v", got, err)
		}
		if _, src, err := s.Scenario(ctx, x.ScenarioHash); err != nil || len(src) == 0 {
			t.Errorf("Scenario after reopen = %q, %v", src, err)
		}
		if p, err := s.ParticipantByCode(ctx, CodeHash("C0DE")); err != nil || p.Name != "ana" {
			t.Errorf("ParticipantByCode after reopen = %+v, %v", p, err)
		}
		gotIns, err := s.Inputs(ctx, "ex1")
		if err != nil || len(gotIns) != len(ins) {
			t.Fatalf("Inputs after reopen = %d, %v; want %d", len(gotIns), err, len(ins))
		}
		for i := range ins {
			if !bytes.Equal(gotIns[i].Action, ins[i].Action) || !bytes.Equal(gotIns[i].Actor, ins[i].Actor) {
				t.Errorf("input %d changed across reopen", i+1)
			}
		}
		assertLog(t, s, "ex1", 3, 20)
		if ls, err := s.Lessons(ctx, "ex1"); err != nil || len(ls) != 1 {
			t.Errorf("Lessons after reopen = %+v, %v", ls, err)
		}
		// And the log carries on where it stopped.
		ins, evs = tick(4, 1, 21, 1, 300)
		if err := s.Commit(ctx, "ex1", ins, evs); err != nil {
			t.Errorf("Commit after reopen: %v", err)
		}
	})
}
