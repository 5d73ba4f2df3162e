package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Migrations are numbered SQL files, one directory per dialect because the
// two differ in types (BLOB/BYTEA, DATETIME/TIMESTAMPTZ, identity columns).
// A file is never edited once released: change the schema with a new file
// carrying the next number, in both directories.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

func migrationFS(driver string) fs.FS {
	sub, err := fs.Sub(migrations, "migrations/"+driver)
	if err != nil {
		panic(err) // only on a malformed constant path
	}
	return sub
}

// schemaMigrations records applied versions. It is created by code rather
// than by 0001 so that the migrator can rely on it before running anything.
var schemaMigrations = map[string]string{
	DriverSQLite: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
	DriverPostgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
}

// migrationLock serialises migrators. SQLite needs nothing: the transaction
// begins IMMEDIATE and so already holds the database's write lock. Several
// PostgreSQL nodes may start at once, so they take a transaction-scoped
// advisory lock, one per schema so that unrelated schemas do not wait.
var migrationLock = map[string]string{
	DriverPostgres: `SELECT pg_advisory_xact_lock(hashtext('firedrill.migrate.' || COALESCE(current_schema(), '')))`,
}

type migration struct {
	version int
	name    string // file name, recorded for people reading schema_migrations
	sql     string
}

// loadMigrations reads NNNN_description.sql files from the root of fsys in
// version order. Anything else there is an error, so a misnamed file fails
// loudly instead of being skipped.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if e.IsDir() || path.Ext(name) != ".sql" || !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %q: want a file named NNNN_description.sql", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %q and %q share version %d", ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

// migrate applies the migrations in fsys that db has not applied yet, each
// in its own transaction together with its schema_migrations row, so a
// failure leaves the database at the previous version. It returns the
// versions it applied; none on a database that is up to date.
func migrate(ctx context.Context, db *sqlx.DB, driver string, fsys fs.FS) ([]int, error) {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return nil, fmt.Errorf("store: migrate %s: %w", driver, err)
	}
	var applied []int
	for _, m := range ms {
		ran, err := migrateOne(ctx, db, driver, m)
		if err != nil {
			return applied, fmt.Errorf("store: migrate %s %s: %w", driver, m.name, mapError(err))
		}
		if ran {
			applied = append(applied, m.version)
		}
	}
	// A database migrated by a newer firedrill has tables this binary does
	// not know about; running against it could corrupt them.
	var newest int
	if err := db.GetContext(ctx, &newest, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`); err != nil {
		return applied, fmt.Errorf("store: migrate %s: %w", driver, err)
	}
	if known := len(ms); known > 0 && newest > ms[known-1].version {
		return applied, fmt.Errorf("store: migrate %s: database is at schema version %d, newer than this firedrill (%d)",
			driver, newest, ms[known-1].version)
	}
	return applied, nil
}

func migrateOne(ctx context.Context, db *sqlx.DB, driver string, m migration) (ran bool, err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() {
		if !ran || err != nil {
			_ = tx.Rollback()
		}
	}()
	if lock, ok := migrationLock[driver]; ok {
		if _, err := tx.ExecContext(ctx, lock); err != nil {
			return false, fmt.Errorf("lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, schemaMigrations[driver]); err != nil {
		return false, fmt.Errorf("create schema_migrations: %w", err)
	}
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil // applied before, or by another node while we waited for the lock
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`), m.version, m.name); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	return true, nil
}
