// Package store keeps firedrill's durable state: scenarios, exercises,
// participants, each exercise's input log and event log, and lessons learned.
//
// It speaks sqlx to SQLite (the default, a file next to the server) or to
// PostgreSQL (when several server nodes share exercises). SQL is written once
// with ? placeholders and rebound per driver; the schema lives in embedded,
// numbered migrations applied by Open.
//
// The store does not import the engine: events, inputs and actors arrive as
// bytes and leave as the same bytes. That keeps the layers apart and lets the
// log be replayed by whatever version of the engine reads it.
//
// Durability (ARCHITECTURE.md invariant 3, "acknowledged means durable"): Commit
// writes one tick's inputs and events in one transaction and returns only
// after the database has made it durable (SQLite synchronous=FULL,
// PostgreSQL synchronous_commit=on), so an ack may be sent after it returns.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Driver names, as returned by Store.Driver.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// DefaultDSN is the SQLite file Open uses when given an empty DSN.
const DefaultDSN = "firedrill.db"

// Store is a handle on the database. It is safe for concurrent use.
type Store struct {
	driver string
	// w takes every write. On SQLite it holds a single connection, because
	// SQLite has one writer at a time and queueing in Go beats spinning on
	// SQLITE_BUSY. r serves reads; on SQLite it is a separate pool so readers
	// run concurrently with the writer (WAL), elsewhere it is w.
	w, r *sqlx.DB
	// group batches SQLite commits (group.go); nil on PostgreSQL, whose
	// many connections commit in parallel.
	group *committer
	// claims are the exercises this store's server hosts (claims.go).
	claims claims
	// now stamps created_at/ended_at when the caller leaves them zero.
	// Tests replace it; nothing else should.
	now func() time.Time
}

// Open connects to dsn and applies any migrations not yet applied.
//
//   - "" opens DefaultDSN, a SQLite file in the working directory;
//   - "postgres://…" or "postgresql://…" opens PostgreSQL through pgx;
//   - anything else is a SQLite path or "file:" URI. Query parameters are
//     passed to the driver after the store's own (a cache_size pragma, say);
//     one that turns off WAL, synchronous=FULL or foreign keys is refused
//     with ErrInvalid.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	switch {
	case dsn == "":
		s, err = openSQLite(ctx, DefaultDSN)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err = openPostgres(ctx, dsn)
	default:
		s, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if _, err := migrate(ctx, s.w, s.driver, migrationFS(s.driver)); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connection pools.
func (s *Store) Close() error {
	if s.group != nil {
		s.group.stop() // s.group stays: commits racing Close read it
	}
	s.closeClaims()
	var errs []error
	if s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping runs a real query against the schema, for a readiness probe: a
// database that accepts connections but has lost its tables, or a pool
// whose connections all died, fails it. When it fails on PostgreSQL the
// idle connections are dropped, so the next look dials afresh rather than
// find another connection the database's restart left dead.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	err := s.r.GetContext(ctx, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM exercises LIMIT 1) AS probe`)
	if err != nil && s.driver == DriverPostgres {
		s.w.SetMaxIdleConns(0) // closes the idle connections
		s.w.SetMaxIdleConns(pgMaxConns)
	}
	return wrap(err, "ping")
}

// LogBytes is how many bytes an exercise's input and event logs hold,
// counting each row's columns of text: what its players have made the
// database store.
func (s *Store) LogBytes(ctx context.Context, exerciseID string) (int64, error) {
	var n int64
	err := s.r.GetContext(ctx, &n, s.r.Rebind(`SELECT
		(SELECT COALESCE(SUM(LENGTH(actor) + LENGTH(action)), 0) FROM inputs WHERE exercise_id = ?) +
		(SELECT COALESCE(SUM(LENGTH(kind) + LENGTH(body)), 0) FROM events WHERE exercise_id = ?)`), exerciseID, exerciseID)
	return n, wrap(err, "log bytes of %s", exerciseID)
}

// Driver reports the backend: DriverSQLite or DriverPostgres.
func (s *Store) Driver() string { return s.driver }

// tx runs fn in a write transaction and commits it if fn returns nil. On
// SQLite the transaction begins IMMEDIATE (see sqlite.go), so it holds the
// write lock from the start and a read-then-write inside fn cannot be
// overtaken by another writer.
func (s *Store) tx(ctx context.Context, fn func(tx *sqlx.Tx) error) (err error) {
	tx, err := s.w.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			// The rollback error is uninteresting next to the one that
			// caused it.
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// stamp returns t, or the store's clock when t is zero, in the form both
// backends store exactly: UTC, microseconds (PostgreSQL's resolution).
func (s *Store) stamp(t time.Time) time.Time {
	if t.IsZero() {
		t = s.now()
	}
	return t.UTC().Truncate(time.Microsecond)
}
