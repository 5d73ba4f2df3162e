package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers driver "sqlite" (pure Go, no cgo)
)

func init() {
	// sqlx knows "sqlite3" (mattn) but not modernc's "sqlite"; Rebind would
	// treat it as ? anyway, but say so rather than rely on the fallback.
	sqlx.BindDriver(DriverSQLite, sqlx.QUESTION)
}

// Connection parameters for modernc.org/sqlite. The driver runs
// busy_timeout first whatever the order, so a second process opening the
// file waits rather than failing while journal_mode is switched.
const (
	// sqliteWriteParams: WAL so readers never block the writer;
	// synchronous=FULL so a commit is on disk (fsync of the WAL) before it
	// returns – that is what makes an ack safe; immediate transactions so
	// a transaction that reads then writes takes the write lock up front
	// instead of failing with SQLITE_BUSY half-way.
	sqliteWriteParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
	// sqliteReadParams: query_only guards against a write slipping into the
	// read pool, where it would dodge the single-writer queue.
	sqliteReadParams = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=query_only(1)"
	// _time_format=sqlite writes times as "2006-01-02 15:04:05.999999999-07:00",
	// which SQLite's date functions understand and which sorts as text when
	// always UTC (the store writes UTC only).
	sqliteCommonParams = "&_time_format=sqlite"
)

func openSQLite(ctx context.Context, dsn string) (*Store, error) {
	if err := createPrivate(dsn); err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", dsn, err)
	}
	w, err := sqlx.Open(DriverSQLite, withParams(dsn, sqliteWriteParams+sqliteCommonParams))
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", dsn, err)
	}
	w.SetMaxOpenConns(1)
	// Keep the one connection: reopening it reruns the pragmas, and an
	// in-memory database would vanish with it.
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Ping makes the file exist and switches it to WAL before the read pool
	// opens it.
	if err := pingSQLite(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", dsn, err)
	}
	if err := checkDurable(ctx, w, inMemory(dsn)); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", dsn, err)
	}
	s := &Store{driver: DriverSQLite, w: w, r: w, now: time.Now}
	s.group = startCommitter(s)
	if inMemory(dsn) {
		// Every connection to :memory: is a database of its own; the
		// writer's connection is the only one that has the data.
		return s, nil
	}
	r, err := sqlx.Open(DriverSQLite, withParams(dsn, sqliteReadParams+sqliteCommonParams))
	if err != nil {
		s.group.stop()
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s for reading: %w", dsn, err)
	}
	r.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	r.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	s.r = r
	return s, nil
}

// openBusyWait bounds how long opening waits for other openers of the
// same file.
const openBusyWait = 5 * time.Second

// pingSQLite opens the writer's connection. Several processes opening one
// new file at once race to switch it to WAL, and the loser can get
// SQLITE_BUSY straight away, without the busy timeout's wait; it tries
// again for up to openBusyWait.
func pingSQLite(ctx context.Context, db *sqlx.DB) error {
	deadline := time.Now().Add(openBusyWait)
	for pause := 5 * time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		err := db.PingContext(ctx)
		if err == nil || !busy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// checkDurable reads back the pragmas an ack's safety rests on. The driver
// applies a DSN's own settings (_sync, _journal_mode, _fk, or a _pragma of
// the same name) after the store's, so a DSN can quietly turn them off;
// refusing to open says so instead. An in-memory database has no WAL.
func checkDurable(ctx context.Context, w *sqlx.DB, memory bool) error {
	var (
		journal     string
		synchronous int
		foreignKeys int
	)
	if err := w.GetContext(ctx, &journal, "PRAGMA journal_mode"); err != nil {
		return err
	}
	if err := w.GetContext(ctx, &synchronous, "PRAGMA synchronous"); err != nil {
		return err
	}
	if err := w.GetContext(ctx, &foreignKeys, "PRAGMA foreign_keys"); err != nil {
		return err
	}
	const full = 2
	switch {
	case !memory && !strings.EqualFold(journal, "wal"):
		return invalid("journal_mode is %s; firedrill needs WAL: remove _journal_mode or _pragma=journal_mode from the DSN", journal)
	case synchronous < full:
		return invalid("synchronous is %d; firedrill needs FULL (2) or EXTRA (3) so that an ack is on disk: remove _sync, _synchronous or _pragma=synchronous from the DSN", synchronous)
	case foreignKeys != 1:
		return invalid("foreign_keys is off; firedrill needs it on: remove _fk, _foreign_keys or _pragma=foreign_keys from the DSN")
	}
	return nil
}

// withParams adds the store's query parameters to a SQLite DSN, before the
// caller's: the driver takes the first value of a single-valued key
// (_txlock, _time_format), so those stay the store's. The driver runs every
// _pragma, so a caller can still add its own (cache_size and the like);
// checkDurable refuses those that undo the store's.
func withParams(dsn, params string) string {
	if before, after, ok := strings.Cut(dsn, "?"); ok {
		if after == "" {
			return before + "?" + params
		}
		return before + "?" + params + "&" + after
	}
	return dsn + "?" + params
}

func inMemory(dsn string) bool {
	return strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory")
}

// createPrivate creates a new database file readable by its owner alone
// (0600): it holds every chat line and direct message of every exercise.
// SQLite gives its -wal and -shm files the database file's mode. An
// existing file is left as the operator set it.
func createPrivate(dsn string) error {
	path := sqlitePath(dsn)
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// sqlitePath is the file a SQLite DSN names, "" for an in-memory one.
func sqlitePath(dsn string) string {
	if inMemory(dsn) {
		return ""
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if strings.HasPrefix(path, "//") {
		// file://host/path: SQLite takes "localhost" or nothing as host.
		path = strings.TrimPrefix(strings.TrimPrefix(path, "//"), "localhost")
	}
	if p, err := url.PathUnescape(path); err == nil && strings.HasPrefix(dsn, "file:") {
		path = p
	}
	return path
}
