package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors callers test for with errors.Is. Every error the store returns is
// wrapped with what it was doing ("store: commit ex1: …"); the driver's own
// error stays in the chain for errors.As.
var (
	// ErrNotFound: the row asked for does not exist, or a write refers to a
	// row (exercise, scenario) that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write would duplicate something unique (an exercise
	// id, a join code hash, a sequence number already in the log) or change
	// an exercise that has ended.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the arguments are wrong before any SQL runs (empty id, a
	// gap in sequence numbers, an unknown state). Nothing was written.
	ErrInvalid = errors.New("invalid argument")
	// ErrClosed: the store was closed before the write could be queued.
	// Nothing was written.
	ErrClosed = errors.New("store closed")
)

// PostgreSQL SQLSTATEs we translate (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
)

// mapError turns a driver error into one of ours, keeping the original in
// the chain. It is the only place that knows driver error shapes, so the
// rest of the package (and its callers) can stay driver-agnostic.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case pgUniqueViolation:
			return fmt.Errorf("%w: %w", ErrConflict, err)
		case pgForeignKeyViolation:
			return fmt.Errorf("%w: %w", ErrNotFound, err)
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %w", ErrNotFound, err)
		case sqlite3.SQLITE_CONSTRAINT:
			// The driver may report only the primary code; SQLite's
			// message then still names the constraint kind.
			switch msg := se.Error(); {
			case strings.Contains(msg, "UNIQUE constraint failed"):
				return fmt.Errorf("%w: %w", ErrConflict, err)
			case strings.Contains(msg, "FOREIGN KEY constraint failed"):
				return fmt.Errorf("%w: %w", ErrNotFound, err)
			}
		}
	}
	return err
}

// busy reports whether err is SQLite's "database is locked", which it can
// return without waiting out the busy timeout (see openSQLite).
func busy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// wrap maps err and prefixes it with the operation, e.g.
// wrap(err, "commit %s", id) → "store: commit ex1: conflict: …".
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", fmt.Sprintf(format, args...), mapError(err))
}

// checkText refuses text PostgreSQL's TEXT columns cannot hold – a NUL
// byte or invalid UTF-8 – on every backend, so that SQLite does not
// store what PostgreSQL would reject with a raw driver error.
func checkText(what, s string) error {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return invalid("%s contains a NUL character", what)
	case !utf8.ValidString(s):
		return invalid("%s is not valid UTF-8", what)
	}
	return nil
}

// invalid reports bad arguments as ErrInvalid.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
