// Package server hosts exercises over HTTP and websockets: it creates them
// with their join codes, runs each in its own loop on the wall clock with
// bots in the seats nobody plays, persists every input and event before it
// acknowledges anything, fans events out to the participants who may see
// them, and resumes running exercises from the store after a restart.
// server/PROTOCOL.md documents the wire protocol.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/server/store"
)

// Config sets up a Server.
type Config struct {
	Store *store.Store
	// Origins lists the browser origins allowed to open websockets, as
	// "https://host:port". Requests without an Origin header (programs,
	// terminal consoles) are always allowed; with one, it must be the
	// server's own host or in this list.
	Origins []string
	// AdminToken, when set, is required to create exercises.
	AdminToken string
	// ConnsPerCode bounds the websockets one code may hold open at once;
	// DefaultConnsPerCode when zero.
	ConnsPerCode int
	// Clock is the wall-clock source for pacing; clock.Wall() by default.
	Clock  clock.Source
	Logger *slog.Logger
	// OnTick, when set, hears of every advance of an exercise's clock that
	// produced events: the virtual time reached and the wall time the loop
	// began it. It runs in the exercise's loop and must be quick. Tick
	// lateness metrics and the load benchmarks (server/loadtest) use it.
	OnTick func(exercise string, virtual time.Duration, began time.Time)
}

// Server hosts exercises.
type Server struct {
	cfg      Config
	upgrader websocket.Upgrader
	mux      *http.ServeMux
	ctx      context.Context
	cancel   context.CancelFunc

	mu      sync.Mutex
	hosts   map[string]*host
	closing bool           // Shutdown has begun: no more loops start
	conns   map[string]int // open websockets per code hash
	// leaving holds hosts unloaded whose claim is not yet given up: a
	// request for one waits for that rather than hear it is hosted
	// elsewhere.
	leaving map[string]*host
	wg      sync.WaitGroup

	// loading serialises loading ended exercises back from the store, so
	// two requests for one exercise load it once.
	loading sync.Mutex

	// queueBytes and socketBuffer are sendQueueBytes and socketBuffer;
	// tests make them small to stall a reader quickly.
	queueBytes, socketBuffer int

	// commit writes a tick to the store: the store's Commit, which tests
	// wrap to hold a commit back or lose it.
	commit func(ctx context.Context, exerciseID string, inputs []store.Input, events []store.Event) error
}

// New returns a Server; Recover resumes stored exercises, Handler serves.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Wall()
	}
	if cfg.ConnsPerCode <= 0 {
		cfg.ConnsPerCode = DefaultConnsPerCode
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, ctx: ctx, cancel: cancel, hosts: map[string]*host{}, conns: map[string]int{}, leaving: map[string]*host{}, mux: http.NewServeMux(), commit: cfg.Store.Commit,
		queueBytes: sendQueueBytes, socketBuffer: socketBuffer}
	// Zero buffer sizes let gorilla reuse net/http's buffers: explicit sizes
	// cost 8 KB a connection (CONN-MEM).
	s.upgrader = websocket.Upgrader{CheckOrigin: s.checkOrigin}
	s.routes()
	return s, nil
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// checkOrigin allows programs (no Origin), the server's own host, and the
// configured origins.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return slices.ContainsFunc(s.cfg.Origins, func(o string) bool { return strings.EqualFold(strings.TrimSuffix(o, "/"), origin) })
}

// Shutdown stops every exercise loop (each drains what it already took),
// disconnects clients with a reason, and waits for the loops to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("server: shutdown: %w", ctx.Err())
	}
}

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
	if err := s.resume(lctx, id); err != nil {
		var ie *incident.Error
		if errors.As(err, &ie) {
			return nil, err
		}
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

// loadTimeout bounds loading an exercise from the store on demand.
const loadTimeout = 30 * time.Second

var errServerClosing = &incident.Error{Code: incident.Conflict, Reason: shutdownReason}

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

// DefaultConnsPerCode bounds the websockets one code may hold open: a seat
// is one person, or a few sharing a desk and a wall screen, and a code
// that leaked must not let anyone open thousands.
const DefaultConnsPerCode = 16

// errTooManyConns refuses a websocket past Config.ConnsPerCode.
var errTooManyConns = errors.New("too many connections")

// openConn counts a websocket of the code with hash h, if it may have one
// more.
func (s *Server) openConn(h string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[h] >= s.cfg.ConnsPerCode {
		return fmt.Errorf("%w: this code already has %d open; close one, or ask the facilitator for a seat of your own", errTooManyConns, s.cfg.ConnsPerCode)
	}
	s.conns[h]++
	return nil
}

func (s *Server) closeConn(h string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[h]--; s.conns[h] <= 0 {
		delete(s.conns, h)
	}
}

// unloadIfIdle takes an ended exercise's host off the server when nobody
// has used it for endedLinger since it ended, and reports whether it did:
// its loop then stops. Under s.mu, nobody can acquire it in between.
func (s *Server) unloadIfIdle(h *host, endedAt time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	quietFrom := h.idleSince
	if endedAt.After(quietFrom) {
		quietFrom = endedAt
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

// End ends a hosted exercise now, as the facilitator's end control does,
// and returns once that is committed.
func (s *Server) End(ctx context.Context, id string) error {
	h := s.hostOf(id)
	if h == nil {
		return fmt.Errorf("server: no exercise %s here", id)
	}
	done := make(chan outcome, 1)
	if !h.post(request{in: &input{Kind: "end"}, done: done}) {
		return fmt.Errorf("server: exercise %s is shutting down", id)
	}
	select {
	case o := <-done:
		return o.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
