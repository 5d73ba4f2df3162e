package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
)

// pgxDriver is the database/sql name pgx/v5/stdlib registers; sqlx rebinds
// it to $1, $2, ….
const pgxDriver = "pgx"

// pgMaxConns bounds a server's PostgreSQL connections, so a busy node
// cannot exhaust the database's max_connections: sixteen that work, and
// the claims session (claims.go).
const pgMaxConns = 17

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx redacts the password from the DSN it quotes.
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	// An ack must mean the commit is on disk (ARCHITECTURE.md invariant 3). The
	// server default is already "on", but a server or role tuned for
	// throughput may say otherwise; ask for it per session unless the DSN
	// explicitly chooses.
	if _, ok := cfg.RuntimeParams["synchronous_commit"]; !ok {
		cfg.RuntimeParams["synchronous_commit"] = "on"
	}
	db := sqlx.NewDb(stdlib.OpenDB(*cfg), pgxDriver)
	// Connections are cheap to keep and slow to make: keep them all.
	db.SetMaxOpenConns(pgMaxConns)
	db.SetMaxIdleConns(pgMaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open postgres %s@%s:%d/%s: %w", cfg.User, cfg.Host, cfg.Port, cfg.Database, err)
	}
	return &Store{driver: DriverPostgres, w: db, r: db, now: time.Now}, nil
}
