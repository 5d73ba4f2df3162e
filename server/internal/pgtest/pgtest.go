// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the database FIREDRILL_TEST_POSTGRES names, dropped when the
// test ends. Without the variable the test is skipped, saying how to run
// it.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// Env names the variable holding a PostgreSQL URL for the tests, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const Env = "FIREDRILL_TEST_POSTGRES"

// DSN creates a schema for the test, points the returned DSN's search_path
// at it and drops it afterwards, so tests run in parallel and repeatedly
// against one database without seeing each other.
func DSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base == "" {
		tb.Skipf("%s is unset; set it to a PostgreSQL URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run this test against PostgreSQL", Env)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	schema := "firedrill_test_" + strings.ToLower(rand.Text())
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
