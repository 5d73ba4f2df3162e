package server

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// maxCreateBody bounds a create request: a scenario's source with room.
const maxCreateBody = 2 << 20

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /readyz", s.handleReady)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("POST /api/exercises", s.handleCreate)
	s.mux.HandleFunc("GET /api/exercises/{id}", s.handleExercise)
	s.mux.HandleFunc("GET /api/exercises/{id}/events", s.handleEvents)
	s.mux.HandleFunc("GET /ws", s.handleWS)
}

// writeError answers with the status and error body for err. Codes follow
// the protocol's error codes.
func writeError(w http.ResponseWriter, err error) {
	status, code, msg := http.StatusInternalServerError, protocol.CodeInternal, "the server failed"
	var ie *engine.Error
	var de *DiagnosticsError
	var he *httpError
	switch {
	case errors.As(err, &he):
		status, code, msg = he.status, string(he.code), he.msg
	case errors.Is(err, errUnauthorized):
		status, code, msg = http.StatusUnauthorized, protocol.CodeForbidden, err.Error()
	case errors.Is(err, errTooManyConns):
		status, code, msg = http.StatusTooManyRequests, protocol.CodeRateLimited, err.Error()
	case errors.Is(err, ErrAtCapacity):
		w.Header().Set("Retry-After", "60")
		status, code, msg = http.StatusServiceUnavailable, protocol.CodeUnavailable, err.Error()
	case errors.As(err, &de):
		status, code, msg = http.StatusBadRequest, protocol.CodeBadRequest, de.Error()
	case errors.As(err, &ie):
		code, msg = string(ie.Code), ie.Reason
		status = map[engine.Code]int{
			engine.BadRequest: http.StatusBadRequest, engine.Forbidden: http.StatusForbidden,
			engine.Conflict: http.StatusConflict, engine.NotFound: http.StatusNotFound,
			engine.OverBudget: http.StatusRequestEntityTooLarge,
		}[ie.Code]
		if status == 0 {
			status = http.StatusBadRequest
		}
	}
	writeJSON(w, status, protocol.Error{Type: protocol.TypeError, Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	n := len(s.hosts)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "exercises": n})
}

// readyTimeout bounds the readiness probe's query: a store slower than
// this is not ready to take players.
const readyTimeout = 2 * time.Second

// handleReady says whether this server should be sent players: it is not
// draining, and its store answers a real query.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"ok": false, "reason": "the server is draining"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		s.metrics.storeErrors.WithLabelValues(storeOpReady).Inc()
		s.cfg.Logger.Warn("not ready: the store does not answer", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"ok": false, "reason": "the store does not answer"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// errNoAdminToken refuses a create without the server's admin token.
var errNoAdminToken = &httpError{status: http.StatusUnauthorized, code: engine.Forbidden,
	msg: "creating an exercise on this server needs its admin token, as \"Authorization: Bearer TOKEN\""}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	if tok := s.cfg.AdminToken; tok != "" && subtle.ConstantTimeCompare([]byte(bearer(r)), []byte(tok)) != 1 {
		s.refuseHTTP(w, errNoAdminToken)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCreateBody))
	if err != nil {
		writeError(w, &engine.Error{Code: engine.BadRequest, Reason: fmt.Sprintf("the body could not be read (at most %d bytes): %v", maxCreateBody, err)})
		return
	}
	var req CreateRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = protocol.CheckKeys(body)
	if err == nil {
		err = dec.Decode(&req)
	}
	if err == nil && dec.More() {
		err = errors.New("one JSON object, nothing after it")
	}
	if err != nil {
		writeError(w, &engine.Error{Code: engine.BadRequest, Reason: "the body must be a JSON object such as {\"scenario\":\"egress-proxy-saturation\"}: " + err.Error()})
		return
	}
	resp, err := s.Create(r.Context(), req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, resp)
}

// ExerciseStatus is what GET /api/exercises/{id} returns.
type ExerciseStatus struct {
	ID       string        `json:"id"`
	Scenario string        `json:"scenario"`
	Title    string        `json:"title"`
	Now      time.Duration `json:"now"`
	Speed    float64       `json:"speed"`
	Paused   bool          `json:"paused"`
	Ended    bool          `json:"ended"`
	LastSeq  uint64        `json:"last_seq"`
}

// authorized authenticates a request for the exercise in its path, or
// answers it with the error. The caller releases the host once it has read
// what it answers with.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) (*host, engine.Seat, bool) {
	codeHash, err := codeHashOf(r, false)
	if err != nil {
		writeError(w, err)
		return nil, engine.Seat{}, false
	}
	h, st, err := s.participant(r.Context(), codeHash, r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return nil, engine.Seat{}, false
	}
	return h, st, true
}

func (s *Server) handleExercise(w http.ResponseWriter, r *http.Request) {
	h, _, ok := s.authorized(w, r)
	if !ok {
		return
	}
	st, err := h.status()
	s.release(h)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// Pages of GET /api/exercises/{id}/events: a log of millions of events is
// read a page at a time, never built whole for one request.
const (
	defaultEventsPage = 1000
	maxEventsPage     = 5000
)

// handleEvents returns the events after ?after=SEQ that the caller may
// see, at most ?limit=N of them.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	h, st, ok := s.authorized(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	after, err := strconv.ParseUint(orDefault(q.Get("after"), "0"), 10, 64)
	if err != nil {
		s.release(h)
		writeError(w, &engine.Error{Code: engine.BadRequest, Reason: "after must be an event sequence number"})
		return
	}
	limit, err := strconv.Atoi(orDefault(q.Get("limit"), strconv.Itoa(defaultEventsPage)))
	if err != nil || limit < 1 || limit > maxEventsPage {
		s.release(h)
		writeError(w, &engine.Error{Code: engine.BadRequest, Reason: fmt.Sprintf("limit must be a number from 1 to %d", maxEventsPage)})
		return
	}
	evs, err := h.eventsFor(st.Viewer(), after, limit)
	s.release(h)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, evs)
}

// status and eventsFor read the exercise through its loop, which owns it,
// and answer with what is durable: the log up to the last event committed,
// which every client has been sent. They never force a commit: a GET in a
// loop must not turn into a write in a loop.
func (h *host) status() (ExerciseStatus, error) {
	var st ExerciseStatus
	err := h.read(func() {
		x := h.exercise()
		st = ExerciseStatus{ID: h.id, Scenario: h.sc.Name, Title: h.sc.Title, Now: x.Now(),
			Speed: h.clk.Speed(), Paused: h.clk.Paused(), Ended: h.endDurable, LastSeq: h.persisted}
	})
	return st, err
}

// eventsFor returns at most limit events after seq after that v may see,
// all of them for a limit of 0.
func (h *host) eventsFor(v engine.Viewer, after uint64, limit int) ([]engine.Event, error) {
	out := []engine.Event{}
	err := h.read(func() {
		x := h.exercise()
		log := x.Log()
		// Log entry i holds seq i+1.
		for i := after; i < h.persisted && (limit == 0 || len(out) < limit); i++ {
			if mine, ok := log[i].For(v, x); ok {
				out = append(out, mine)
			}
		}
	})
	return out, err
}

// read runs f in the exercise's loop and waits for it.
func (h *host) read(f func()) error { return h.view(f, false) }

// readDurable runs f in the exercise's loop once everything the loop has
// recorded is durable and published. Nothing the API serves uses it (a
// read must not force a commit); tests wait on it for a commit to land.
func (h *host) readDurable(f func()) error { return h.view(f, true) }

// errShuttingDown answers a read the exercise's loop will not take.
var errShuttingDown = &engine.Error{Code: engine.Conflict, Reason: "the exercise is shutting down"}

func (h *host) view(f func(), settle bool) error {
	done := make(chan outcome, 1)
	if !h.post(request{view: f, settle: settle, done: done}) {
		return errShuttingDown
	}
	select {
	case o := <-done:
		return o.err
	case <-h.done:
		// The loop answers what it took before it stopped; a request that
		// slipped in after its last look would wait for ever.
		select {
		case o := <-done:
			return o.err
		default:
			return errShuttingDown
		}
	}
}
