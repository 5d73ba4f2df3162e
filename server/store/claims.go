package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"
	"time"
)

// Claims make sure one server at a time hosts an exercise. Servers sharing
// a PostgreSQL database each resume the running exercises when they start;
// without a claim, a server restarting beside another would resume the
// other's exercises too, and the two would race to write one log.
//
// On PostgreSQL a claim is a session advisory lock, held on one connection
// kept for the purpose: it goes when that session does, so a server that
// is killed frees its exercises for the next one to start. On SQLite, a
// file one server owns, claims are kept in memory only.
type claims struct {
	mu   sync.Mutex
	held map[string]bool
	// conn is the PostgreSQL session holding the locks, taken on first use.
	conn *sql.Conn
}

// Shared reports whether several servers may use this store's database at
// once, and so whether claims are worth looking after: PostgreSQL's may,
// a SQLite file belongs to one server.
func (s *Store) Shared() bool { return s.driver == DriverPostgres }

// claimTimeout bounds a claim's round trip: a claim is a lock taken with
// try, never a wait.
const claimTimeout = 5 * time.Second

// claimKey is the advisory lock key of an exercise: a 64-bit hash of its id
// and the schema, so tests in schemas of one database do not collide.
const claimKey = `hashtextextended('firedrill.exercise.' || COALESCE(current_schema(), '') || '.' || ?, 0)`

// Claim takes exercise id for this store's server and reports whether it
// got it: false when another server sharing the database (or another user
// of this Store) holds it.
func (s *Store) Claim(ctx context.Context, id string) (bool, error) {
	c := &s.claims
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held[id] {
		return false, nil
	}
	if s.driver == DriverPostgres {
		ok, err := s.lockClaim(ctx, id)
		if err != nil || !ok {
			return false, err
		}
	}
	if c.held == nil {
		c.held = map[string]bool{}
	}
	c.held[id] = true
	return true, nil
}

// Unclaim gives exercise id up, for another server to take.
func (s *Store) Unclaim(ctx context.Context, id string) error {
	c := &s.claims
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held[id] {
		return nil
	}
	delete(c.held, id)
	if s.driver != DriverPostgres || c.conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), claimTimeout)
	defer cancel()
	var ok bool
	if err := c.conn.QueryRowContext(ctx, s.w.Rebind(`SELECT pg_advisory_unlock(`+claimKey+`)`), id).Scan(&ok); err != nil {
		// Dropping the session frees this lock too; the others are taken
		// again on a new one.
		s.dropClaimConn()
		_, _ = s.claimConn(ctx)
		return wrap(err, "unclaim exercise %s", id)
	}
	return nil
}

// lockClaim takes id's advisory lock on the claims session; c.mu is held.
func (s *Store) lockClaim(ctx context.Context, id string) (bool, error) {
	// A caller giving up must not cut the session that holds every other
	// claim: the round trip has its own bound instead.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), claimTimeout)
	defer cancel()
	conn, err := s.claimConn(ctx)
	if err != nil {
		return false, wrap(err, "claim exercise %s", id)
	}
	ok, err := s.tryLock(ctx, conn, id)
	if err != nil {
		// The session may have died (the database restarted): once more
		// on a new one, which takes the held locks again first.
		s.dropClaimConn()
		if conn, err = s.claimConn(ctx); err == nil {
			ok, err = s.tryLock(ctx, conn, id)
		}
	}
	if err != nil {
		s.dropClaimConn()
		return false, wrap(err, "claim exercise %s", id)
	}
	return ok, nil
}

// CheckClaims makes sure the session holding this store's claims is
// alive, and if it died (the database restarted, say) takes the held
// claims again on a new one, before another server looking for exercises
// nobody hosts takes them. A claim another server took meanwhile is left
// to it (see claimConn). Nothing to do on SQLite.
func (s *Store) CheckClaims(ctx context.Context) error {
	if s.driver != DriverPostgres {
		return nil
	}
	c := &s.claims
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), claimTimeout)
	defer cancel()
	if c.conn != nil {
		if err := c.conn.PingContext(ctx); err != nil {
			s.dropClaimConn()
		}
	}
	if c.conn == nil && len(c.held) > 0 {
		if _, err := s.claimConn(ctx); err != nil {
			return wrap(err, "retake claims")
		}
	}
	return nil
}

// claimConn returns the claims session, opening one if there is none and
// taking on it again the locks this store held on one that broke (the
// database restarted, say). One that another server took meanwhile is
// left to it: this server's commits to that exercise will fail with
// ErrConflict, which stops it here while it goes on there.
func (s *Store) claimConn(ctx context.Context) (*sql.Conn, error) {
	c := &s.claims
	if c.conn != nil {
		return c.conn, nil
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	c.conn = conn
	for id := range c.held {
		ok, err := s.tryLock(ctx, conn, id)
		if err != nil {
			s.dropClaimConn()
			return nil, err
		}
		if !ok {
			delete(c.held, id)
		}
	}
	return conn, nil
}

// tryLock takes exercise id's advisory lock on conn, if nobody holds it.
func (s *Store) tryLock(ctx context.Context, conn *sql.Conn, id string) (bool, error) {
	var ok bool
	err := conn.QueryRowContext(ctx, s.w.Rebind(`SELECT pg_try_advisory_lock(`+claimKey+`)`), id).Scan(&ok)
	return ok, err
}

// dropClaimConn discards the claims session, which frees its locks: a
// connection that failed a query may be broken, and one handed back to the
// pool would keep them, held by nobody.
func (s *Store) dropClaimConn() {
	c := &s.claims
	if c.conn == nil {
		return
	}
	_ = c.conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = c.conn.Close()
	c.conn = nil
}

// closeClaims ends the claims session on Close. The locks are given up
// first, so they are free when Close returns: the database frees a closed
// session's locks only once it notices.
func (s *Store) closeClaims() {
	c := &s.claims
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), claimTimeout)
		_, _ = c.conn.ExecContext(ctx, `SELECT pg_advisory_unlock_all()`)
		cancel()
	}
	s.dropClaimConn()
	c.held = nil
}
