package store

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMigrationsMatch: every schema change is made for both dialects, under
// the same number, so a database moves between versions the same way on
// either backend.
func TestMigrationsMatch(t *testing.T) {
	t.Parallel()
	versions := map[string][]string{}
	for _, d := range []string{DriverSQLite, DriverPostgres} {
		ms, err := loadMigrations(migrationFS(d))
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if len(ms) == 0 {
			t.Fatalf("%s: no migrations embedded", d)
		}
		for _, m := range ms {
			versions[d] = append(versions[d], m.name)
		}
	}
	if !slices.Equal(versions[DriverSQLite], versions[DriverPostgres]) {
		t.Errorf("migrations differ:\nsqlite:   %v\npostgres: %v", versions[DriverSQLite], versions[DriverPostgres])
	}
}

func TestLoadMigrationsRejects(t *testing.T) {
	t.Parallel()
	cases := map[string]fstest.MapFS{
		"no number":      {"init.sql": {}},
		"not sql":        {"0001_init.txt": {}},
		"zero":           {"0000_init.sql": {}},
		"shared version": {"0001_a.sql": {}, "01_b.sql": {}},
		"directory":      {"0001_dir/x.sql": {}},
	}
	for name, fsys := range cases {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: loadMigrations accepted %v", name, fsys)
		}
	}
}

// TestMigrate: Open applies the schema once; opening again applies nothing;
// a new numbered file is applied on top, once; a database newer than the
// binary is refused.
func TestMigrate(t *testing.T) {
	t.Parallel()
	eachDSN(t, func(t *testing.T, _, dsn string) {
		ctx := t.Context()
		s := openStore(t, dsn)
		newExercise(t, s, "ex1")
		if got := appliedVersions(t, s); !slices.Equal(got, []int{1}) {
			t.Fatalf("after Open: schema_migrations = %v; want [1]", got)
		}

		// A second Open of the same database is a no-op.
		s2 := openStore(t, dsn)
		if got := appliedVersions(t, s2); !slices.Equal(got, []int{1}) {
			t.Errorf("after second Open: schema_migrations = %v; want [1]", got)
		}
		if _, err := s2.Exercise(ctx, "ex1"); err != nil {
			t.Errorf("second Open lost data: %v", err)
		}
		applied, err := migrate(ctx, s.w, s.driver, migrationFS(s.driver))
		if err != nil || len(applied) != 0 {
			t.Errorf("migrate on an up-to-date database applied %v, %v; want nothing", applied, err)
		}

		// A future migration is applied once, in order, after 0001.
		future := withFiles(t, migrationFS(s.driver), fstest.MapFS{
			"0002_debriefs.sql": {Data: []byte(`CREATE TABLE debriefs (exercise_id TEXT NOT NULL REFERENCES exercises (id), notes TEXT NOT NULL);
				CREATE INDEX debriefs_by_exercise ON debriefs (exercise_id);`)},
		})
		for i, want := range [][]int{{2}, nil} {
			applied, err := migrate(ctx, s.w, s.driver, future)
			if err != nil || !slices.Equal(applied, want) {
				t.Fatalf("migrate with 0002, run %d: applied %v, %v; want %v", i+1, applied, err, want)
			}
		}
		if _, err := s.w.ExecContext(ctx, s.w.Rebind(`INSERT INTO debriefs (exercise_id, notes) VALUES (?, ?)`), "ex1", "ok"); err != nil {
			t.Errorf("0002 did not create its table: %v", err)
		}
		if got := appliedVersions(t, s); !slices.Equal(got, []int{1, 2}) {
			t.Errorf("schema_migrations = %v; want [1 2]", got)
		}

		// A failing migration leaves no trace: not its table, not its row.
		broken := withFiles(t, future, fstest.MapFS{
			"0003_broken.sql": {Data: []byte(`CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;`)},
		})
		if _, err := migrate(ctx, s.w, s.driver, broken); err == nil || !strings.Contains(err.Error(), "0003_broken.sql") {
			t.Errorf("migrate with a broken 0003: error = %v; want one naming the file", err)
		}
		if got := appliedVersions(t, s); !slices.Equal(got, []int{1, 2}) {
			t.Errorf("after a failed 0003: schema_migrations = %v; want [1 2]", got)
		}
		if _, err := s.w.ExecContext(ctx, `SELECT x FROM half_done`); err == nil {
			t.Errorf("the failed migration's table half_done exists")
		}

		// This binary only knows 0001; the database is at 0002.
		if _, err := Open(ctx, dsn); err == nil || !strings.Contains(err.Error(), "newer than this firedrill") {
			t.Errorf("Open of a newer database: error = %v; want a refusal", err)
		}
	})
}

func appliedVersions(t *testing.T, s *Store) []int {
	t.Helper()
	var vs []int
	if err := s.r.SelectContext(t.Context(), &vs, `SELECT version FROM schema_migrations ORDER BY version`); err != nil {
		t.Fatal(err)
	}
	return vs
}

// withFiles returns base plus extra as one file system.
func withFiles(t *testing.T, base fs.FS, extra fstest.MapFS) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(base, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(base, path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// TestMigrateConcurrently: several nodes opening one database at once apply
// each migration exactly once.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	eachDSN(t, func(t *testing.T, _, dsn string) {
		const nodes = 4
		errc := make(chan error, nodes)
		stores := make(chan *Store, nodes)
		for range nodes {
			go func() {
				s, err := Open(context.Background(), dsn)
				if err == nil {
					stores <- s
				}
				errc <- err
			}()
		}
		var errs []error
		for range nodes {
			errs = append(errs, <-errc)
		}
		close(stores)
		for s := range stores {
			if got := appliedVersions(t, s); !slices.Equal(got, []int{1}) {
				t.Errorf("schema_migrations = %v; want [1]", got)
			}
			s.Close()
		}
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	})
}
