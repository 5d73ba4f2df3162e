package server

// Which exercises this server holds in memory, and for how long: a host
// starts when an exercise is created, resumed or loaded on demand, counts
// its users, and leaves memory when its exercise has ended and nobody has
// used it for a while, when its store fails a write, or at shutdown.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine"
)

func (s *Server) hostOf(id string) *host {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hosts[id]
}

// start runs a host's loop until the server shuts down, or, once the
// exercise has ended, until nobody has used it for endedLinger. It refuses
// once Shutdown has begun: the exercise is stored, and the next start
// resumes it.
func (s *Server) start(h *host) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return errServerClosing
	}
	h.unload, h.evict = s.unloadIfIdle, s.evict
	h.idleSince = s.cfg.Clock.Now()
	s.hosts[h.id] = h
	h.unclaimed = make(chan struct{})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		h.loop(s.ctx)
		if err := s.cfg.Store.Unclaim(context.Background(), h.id); err != nil {
			s.cfg.Logger.Warn("claim not given up", "exercise", h.id, "err", err)
		}
		s.mu.Lock()
		if s.leaving[h.id] == h {
			delete(s.leaving, h.id)
		}
		s.mu.Unlock()
		close(h.unclaimed)
	}()
	return nil
}

// endedLinger is how long an ended exercise stays loaded after the later
// of its end and its last user leaving. After that it lives only in the
// store, and the next participant who asks for it loads it back: a server
// that hosts game days for months does not keep every one in memory.
const endedLinger = 10 * time.Minute

// acquire returns the host of exercise id, loading it from the store when
// it is not in memory, and counts a user of it until release: a host in
// use is never unloaded. What loads is an ended exercise that left memory,
// or one whose server stopped (with several servers sharing PostgreSQL,
// the one its players reach next takes it over); one that another live
// server hosts is errHostedElsewhere.
func (s *Server) acquire(ctx context.Context, id string) (*host, error) {
	if h := s.use(id); h != nil {
		return h, nil
	}
	s.loading.Lock()
	defer s.loading.Unlock()
	if h := s.use(id); h != nil {
		return h, nil // loaded while this request waited
	}
	if err := s.waitLeaving(ctx, id); err != nil {
		return nil, err
	}
	// Others may be waiting for this load: one caller hanging up must not
	// abort it, and a store that stopped answering must not hold every
	// later load back.
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
	defer cancel()
	if err := s.resume(lctx, id, "loaded"); err != nil {
		var ie *engine.Error
		if errors.As(err, &ie) || errors.Is(err, ErrAtCapacity) {
			return nil, err
		}
		s.metrics.storeErrors.WithLabelValues(storeOpLoad).Inc()
		s.cfg.Logger.Error("cannot load exercise", "exercise", id, "err", err)
		return nil, fmt.Errorf("server: load exercise %s: %w", id, err)
	}
	if h := s.use(id); h != nil {
		return h, nil
	}
	return nil, errServerClosing // unloaded at once: only a shutdown does that
}

// waitLeaving waits until a host of id that is being unloaded has given
// its claim up.
func (s *Server) waitLeaving(ctx context.Context, id string) error {
	s.mu.Lock()
	h := s.leaving[id]
	s.mu.Unlock()
	if h == nil {
		return nil
	}
	select {
	case <-h.unclaimed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ErrAtCapacity refuses an exercise beyond Config.MaxExercises.
var ErrAtCapacity = errors.New("this server hosts as many exercises as it may")

// reserve takes a place for one more exercise, to be given back with the
// returned release once the exercise is in s.hosts or has failed to get
// there.
func (s *Server) reserve() (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.hosts) + s.reserved; n >= s.cfg.MaxExercises {
		return nil, fmt.Errorf("%w: %d, its limit (serve --max-exercises); try again once one has ended, or use another server", ErrAtCapacity, n)
	}
	s.reserved++
	return func() {
		s.mu.Lock()
		s.reserved--
		s.mu.Unlock()
	}, nil
}

// loadTimeout bounds loading an exercise from the store on demand.
const loadTimeout = 30 * time.Second

var errServerClosing = &engine.Error{Code: engine.Conflict, Reason: shutdownReason}

// use counts a user of a loaded host.
func (s *Server) use(id string) *host {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hosts[id]
	if h != nil {
		h.users++
	}
	return h
}

// release ends a use that acquire counted.
func (s *Server) release(h *host) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h.users--
	if h.users == 0 {
		h.idleSince = s.cfg.Clock.Now()
	}
}

// unloadIfIdle takes an ended exercise's host off the server when nobody
// has used it for endedLinger since it ended, and reports whether it did:
// its loop then stops. Under s.mu, nobody can acquire it in between. It
// runs in the host's loop, which owns h.endedAt.
func (s *Server) unloadIfIdle(h *host) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	quietFrom := h.idleSince
	if h.endedAt.After(quietFrom) {
		quietFrom = h.endedAt
	}
	if h.users > 0 || s.cfg.Clock.Now().Sub(quietFrom) < endedLinger {
		return false
	}
	return s.evictLocked(h)
}

// evict takes a host off the server at once, whoever uses it, and reports
// whether it did: its loop then stops, and the next request for the
// exercise loads it from the store.
func (s *Server) evict(h *host) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.evictLocked(h)
}

func (s *Server) evictLocked(h *host) bool {
	if s.hosts[h.id] != h || s.closing {
		return false
	}
	delete(s.hosts, h.id)
	s.leaving[h.id] = h
	return true
}
