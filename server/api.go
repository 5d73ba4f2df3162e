package server

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// maxCreateBody bounds a create request: a scenario's source with room.
const maxCreateBody = 2 << 20

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
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
	switch {
	case errors.Is(err, errUnauthorized):
		status, code, msg = http.StatusUnauthorized, protocol.CodeForbidden, err.Error()
	case errors.Is(err, errTooManyConns):
		status, code, msg = http.StatusTooManyRequests, protocol.CodeRateLimited, err.Error()
	case errors.As(err, &de):
		status, code, msg = http.StatusBadRequest, protocol.CodeBadRequest, de.Error()
	case errors.As(err, &ie):
		code, msg = string(ie.Code), ie.Reason
		status = map[engine.Code]int{
			engine.BadRequest: http.StatusBadRequest, engine.Forbidden: http.StatusForbidden,
			engine.Conflict: http.StatusConflict, engine.NotFound: http.StatusNotFound,
		}[ie.Code]
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

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	if tok := s.cfg.AdminToken; tok != "" && subtle.ConstantTimeCompare([]byte(codeOf(r)), []byte(tok)) != 1 {
		writeError(w, errUnauthorized)
		return
	}
	var req CreateRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCreateBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
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
	codeHash, err := codeHashOf(r)
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

// handleEvents returns the events after ?after=SEQ that the caller may see.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	h, st, ok := s.authorized(w, r)
	if !ok {
		return
	}
	after, err := strconv.ParseUint(orDefault(r.URL.Query().Get("after"), "0"), 10, 64)
	if err != nil {
		s.release(h)
		writeError(w, &engine.Error{Code: engine.BadRequest, Reason: "after must be an event sequence number"})
		return
	}
	evs, err := h.eventsFor(st.Viewer(), after)
	s.release(h)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, evs)
}

// status and eventsFor read the exercise through its loop, which owns it,
// once what it recorded is durable.
func (h *host) status() (ExerciseStatus, error) {
	var st ExerciseStatus
	err := h.readDurable(func() {
		x := h.exercise()
		st = ExerciseStatus{ID: h.id, Scenario: h.sc.Name, Title: h.sc.Title, Now: x.Now(),
			Speed: h.clk.Speed(), Paused: h.clk.Paused(), Ended: x.Ended(), LastSeq: h.published}
	})
	return st, err
}

func (h *host) eventsFor(v engine.Viewer, after uint64) ([]engine.Event, error) {
	out := []engine.Event{}
	err := h.readDurable(func() {
		for _, e := range h.publishedLog() {
			if mine, ok := e.For(v, h.exercise()); ok && e.Seq > after {
				out = append(out, mine)
			}
		}
	})
	return out, err
}

// read runs f in the exercise's loop and waits for it.
func (h *host) read(f func()) error { return h.view(f, false) }

// readDurable runs f in the exercise's loop once everything the loop has
// recorded is durable and published, so the API answers with what the
// store has and every client has been sent.
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
