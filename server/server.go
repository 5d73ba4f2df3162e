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

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
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

	mu      sync.Mutex
	hosts   map[string]*host
	closing bool // Shutdown has begun: no more loops start
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
	// tests make them small to stall a reader quickly.
	queueBytes, socketBuffer int

	// commit writes a tick to the store: the store's Commit, which tests
	// wrap to hold a commit back or lose it.
	commit func(ctx context.Context, exerciseID string, inputs []store.Input, events []store.Event) error
}

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
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, ctx: ctx, cancel: cancel, hosts: map[string]*host{}, conns: map[string]int{}, leaving: map[string]*host{}, unresumable: map[string]bool{}, mux: http.NewServeMux(), commit: cfg.Store.Commit,
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
