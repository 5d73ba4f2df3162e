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
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/server/store"
)

// Config sets up a Server.
type Config struct {
	Store *store.Store
	// Listen is the address the server listens on, as "host:port": it
	// decides the names the server answers to in the Host header (guard.go)
	// and whether creating an exercise needs AdminToken. Empty means a
	// loopback address, as an embedded server's or a test's.
	Listen string
	// Hosts are more names the server answers to, for a server reached by
	// a DNS name (say behind a proxy) that is not one of Origins.
	Hosts []string
	// Origins lists the browser origins allowed to open websockets and
	// create exercises, as "https://host:port"; their host names are added
	// to the names the server answers to. Requests without an Origin header
	// (programs, terminal consoles) are always allowed; with one, it must
	// be the server's own host or in this list.
	Origins []string
	// AdminToken, when set, is required to create exercises, as
	// "Authorization: Bearer TOKEN". A server that listens beyond loopback
	// needs one unless OpenCreate is set.
	AdminToken string
	// OpenCreate lets anyone who reaches a server listening beyond
	// loopback create exercises without an admin token.
	OpenCreate bool
	// Limits bound the text each new exercise stores (engine.Limits); zero
	// fields take engine.DefaultLimits. They are stored with the exercise,
	// so a replay after a restart enforces the same.
	Limits engine.Limits
	// MaxExercises bounds the exercises held in memory at once, ended ones
	// included until they unload; DefaultMaxExercises when zero.
	MaxExercises int
	// ConnsPerCode bounds the websockets one code may hold open at once;
	// DefaultConnsPerCode when zero.
	ConnsPerCode int
	// TakeoverEvery is how often a server on PostgreSQL looks for running
	// exercises nobody hosts (their server stopped) and takes them over:
	// DefaultTakeoverEvery when zero, never when negative. A SQLite file
	// has one server, which resumes everything when it starts.
	TakeoverEvery time.Duration
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

	allowed  allowedHosts
	metrics  *metrics
	draining atomic.Bool // Drain or Shutdown was called: /readyz fails

	mu      sync.Mutex
	hosts   map[string]*host
	closing bool // Shutdown has begun: no more loops start
	// reserved counts exercises being created or loaded, not yet in hosts,
	// against MaxExercises.
	reserved int
	// adopting says Recover started looking for exercises nobody hosts;
	// unresumable lists those it could not resume, reported once.
	adopting    bool
	unresumable map[string]bool
	conns       map[string]int // open websockets per code hash
	// leaving holds hosts unloaded whose claim is not yet given up: a
	// request for one waits for that rather than hear it is hosted
	// elsewhere.
	leaving map[string]*host
	wg      sync.WaitGroup

	// loading serialises loading exercises from the store, on demand
	// (acquire) and in the looks for exercises nobody hosts (adopt), so
	// one exercise is loaded once.
	loading sync.Mutex

	// queueBytes and socketBuffer are sendQueueBytes and socketBuffer;
	// tests make them small to stall a reader quickly. frameBurst is
	// actionBurst, which tests that send many frames at once raise.
	queueBytes, socketBuffer int
	frameBurst               float64

	// commit writes a tick to the store: the store's Commit, which tests
	// wrap to hold a commit back or lose it.
	commit func(ctx context.Context, exerciseID string, inputs []store.Input, events []store.Event) error
}

// DefaultMaxExercises is how many exercises a server holds at once unless
// told otherwise: each keeps its log in memory, up to the exercise budget
// of text (engine.Limits) and what the engine adds.
const DefaultMaxExercises = 100

// ErrOpenCreate: the server would listen beyond loopback with nobody but
// the network guarding who creates exercises.
var ErrOpenCreate = errors.New("server: the server listens beyond loopback, so creating exercises needs an admin token: set FIREDRILL_ADMIN_TOKEN (or --admin-token), or pass --open-create to let anyone who reaches the server create them")

// DefaultTakeoverEvery is how often servers sharing PostgreSQL look for
// exercises whose server stopped: a stopped server's players wait at most
// this long, unless one of them reaches a live server first.
const DefaultTakeoverEvery = 30 * time.Second

// New returns a Server; Recover resumes stored exercises, Handler serves.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Wall()
	}
	if cfg.TakeoverEvery == 0 {
		cfg.TakeoverEvery = DefaultTakeoverEvery
	}
	if cfg.ConnsPerCode <= 0 {
		cfg.ConnsPerCode = DefaultConnsPerCode
	}
	if cfg.MaxExercises <= 0 {
		cfg.MaxExercises = DefaultMaxExercises
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	if cfg.AdminToken == "" && !cfg.OpenCreate && beyondLoopback(cfg.Listen) {
		return nil, ErrOpenCreate
	}
	allowed, err := newAllowedHosts(cfg.Listen, cfg.Hosts, cfg.Origins)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, ctx: ctx, cancel: cancel, hosts: map[string]*host{}, conns: map[string]int{}, leaving: map[string]*host{}, unresumable: map[string]bool{}, mux: http.NewServeMux(), commit: cfg.Store.Commit,
		queueBytes: sendQueueBytes, socketBuffer: socketBuffer, frameBurst: actionBurst, allowed: allowed}
	s.metrics = newMetrics(func() float64 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return float64(len(s.hosts))
	})
	// Zero buffer sizes let gorilla reuse net/http's buffers: explicit sizes
	// cost 8 KB a connection (CONN-MEM).
	s.upgrader = websocket.Upgrader{CheckOrigin: s.checkOrigin}
	s.routes()
	return s, nil
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.guard(s.mux) }

// Metrics is the registry of the server's Prometheus metrics, which
// /metrics serves; a program embedding the server may add its own.
func (s *Server) Metrics() *prometheus.Registry { return s.metrics.reg }

// Drain makes /readyz fail, so a load balancer sends no new players here,
// while everything else goes on until Shutdown.
func (s *Server) Drain() { s.draining.Store(true) }

// Shutdown stops every exercise loop (each drains what it already took),
// disconnects clients with a reason, and waits for the loops to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	s.Drain()
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

// End ends a hosted exercise now, as the facilitator's end control does,
// and returns once that is committed.
func (s *Server) End(ctx context.Context, id string) error {
	h := s.hostOf(id)
	if h == nil {
		return fmt.Errorf("server: no exercise %s here", id)
	}
	done := make(chan outcome, 1)
	end := engine.Input{Actor: engine.Facilitator(), Action: engine.Action{Op: engine.OpEnd}}
	if !h.post(request{in: &end, done: done}) {
		return fmt.Errorf("server: exercise %s is shutting down", id)
	}
	select {
	case o := <-done:
		return o.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
