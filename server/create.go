package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/session"
	"github.com/firedrill/firedrill/scenarios"
	"github.com/firedrill/firedrill/server/store"
)

// CreateRequest asks for a new exercise: a built-in scenario by name, or a
// scenario's HCL source.
type CreateRequest struct {
	Scenario string  `json:"scenario"`
	Source   string  `json:"source,omitempty"`
	Seed     *uint64 `json:"seed,omitempty"`
	Speed    float64 `json:"speed,omitempty"`
	// Humans names the seats people play: a person of the scenario, or
	// "service-desk", "incident-manager", "command-center". Bots fill the
	// rest. Empty means the default cast (seats.go).
	Humans []string `json:"humans,omitempty"`
	Skill  string   `json:"skill,omitempty"` // the bots' skill; expert by default
	// EndOnRestore ends the exercise once service is restored, validated
	// and fixed, instead of at the scenario's duration.
	EndOnRestore bool `json:"end_on_restore,omitempty"`
}

// SeatCode is a join code for one Seat.
type SeatCode struct {
	Seat   string        `json:"seat"`
	Name   string        `json:"name"`
	Role   engine.Role   `json:"role"`
	Roles  []engine.Role `json:"roles"`
	Groups []string      `json:"groups,omitempty"`
	Code   string        `json:"code"`
}

// CreateResponse is what the creator hands out: the facilitator's code,
// an observer code and a code per human seat. Codes are shown once; the
// server keeps only their hashes.
type CreateResponse struct {
	ID              string     `json:"id"`
	Scenario        string     `json:"scenario"`
	Title           string     `json:"title"`
	FacilitatorCode string     `json:"facilitator_code"`
	ObserverCode    string     `json:"observer_code"`
	Seats           []SeatCode `json:"seats"`
}

// options are the exercise settings replay needs, stored with it.
type options struct {
	Skill        bot.Skill `json:"skill"`
	EndOnRestore bool      `json:"end_on_restore,omitempty"`
	// Limits are the text budgets the exercise was created with, which its
	// replays enforce too. Exercises stored before there were budgets have
	// none, and replay without (unlimited): their logs hold what no budget
	// refused.
	Limits *engine.Limits `json:"limits,omitempty"`
}

// unlimited are the budgets of an exercise stored before there were any.
var unlimited = engine.Limits{TextBytes: math.MaxInt, SeatBytes: math.MaxInt, ExerciseBytes: math.MaxInt}

// limits are the budgets an exercise's session enforces.
func (o options) limits() engine.Limits {
	if o.Limits == nil {
		return unlimited
	}
	return *o.Limits
}

// DiagnosticsError is a scenario that does not load; Text is HCL's
// rendering of its diagnostics, for the person who sent it.
type DiagnosticsError struct{ Text string }

func (e *DiagnosticsError) Error() string { return "the scenario has errors:\n" + e.Text }

// loadScenario resolves a request's scenario to a validated model and the
// source text to store.
func loadScenario(name, source string) (*scenario.Scenario, []byte, error) {
	loader := scenario.NewLoader()
	var sc *scenario.Scenario
	var diags hcl.Diagnostics
	var src []byte
	if source != "" {
		src = []byte(source)
		sc, diags = loader.Load(orDefault(name, "scenario")+".hcl", src)
	} else {
		var err error
		if src, err = fs.ReadFile(scenarios.Files, name+".hcl"); err != nil {
			names, _ := scenario.LibraryNames(scenarios.Files)
			return nil, nil, &engine.Error{Code: engine.NotFound, Reason: fmt.Sprintf("there is no built-in scenario %q; built-in: %s", name, strings.Join(names, ", "))}
		}
		sc, diags = loader.Load("scenarios/"+name+".hcl", src)
	}
	if diags.HasErrors() {
		var buf bytes.Buffer
		_ = loader.WriteDiagnostics(&buf, diags, 100, false)
		return nil, nil, &DiagnosticsError{Text: buf.String()}
	}
	return sc, src, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// Create makes an exercise, stores it with its codes, starts it, and
// returns the codes.
func (s *Server) Create(ctx context.Context, req CreateRequest) (CreateResponse, error) {
	if err := req.clean(); err != nil {
		return CreateResponse{}, err
	}
	release, err := s.reserve()
	if err != nil {
		return CreateResponse{}, err
	}
	defer release()
	sc, src, err := loadScenario(req.Scenario, req.Source)
	if err != nil {
		return CreateResponse{}, err
	}
	skill := bot.Skill(orDefault(req.Skill, string(bot.Expert)))
	if _, err := bot.ParseSkill(string(skill)); err != nil {
		return CreateResponse{}, &engine.Error{Code: engine.BadRequest, Reason: err.Error()}
	}
	speed := req.Speed
	if speed == 0 {
		speed = 1
	}
	if err := clock.CheckSpeed(speed); err != nil {
		return CreateResponse{}, engine.Refuse(engine.BadRequest, "", "", "%s; got %g", clock.SpeedRange, speed)
	}
	humans, err := pickSeats(sc, req.Humans)
	if err != nil {
		return CreateResponse{}, err
	}
	seed := uint64(time.Now().UnixNano())
	switch {
	case req.Seed != nil:
		seed = *req.Seed
	case sc.HasSeed:
		seed = sc.Seed
	}
	hash, err := s.cfg.Store.PutScenario(ctx, sc.Name, src)
	if err != nil {
		return CreateResponse{}, fmt.Errorf("server: store scenario: %w", err)
	}
	limits := s.cfg.Limits
	o := options{Skill: skill, EndOnRestore: req.EndOnRestore, Limits: &limits}
	opts, err := json.Marshal(o)
	if err != nil {
		return CreateResponse{}, fmt.Errorf("server: encode options: %w", err)
	}
	id := strings.ToLower(rand.Text()[:12])
	resp := CreateResponse{ID: id, Scenario: sc.Name, Title: sc.Title, FacilitatorCode: newCode(), ObserverCode: newCode()}
	parts := []store.Participant{
		{ExerciseID: id, CodeHash: hashCode(resp.FacilitatorCode), Name: "facilitator", Role: string(engine.RoleFacilitator), Facilitator: true},
		{ExerciseID: id, CodeHash: hashCode(resp.ObserverCode), Name: "observer", Role: string(engine.RoleObserver)},
	}
	for _, st := range humans {
		code := newCode()
		resp.Seats = append(resp.Seats, SeatCode{Seat: st.Name, Name: st.Name, Role: st.Role, Roles: st.Roles, Groups: st.Groups, Code: code})
		parts = append(parts, store.Participant{ExerciseID: id, CodeHash: hashCode(code), Name: st.Name, Role: string(st.Role), Group: strings.Join(st.Groups, ",")})
	}
	ex := store.Exercise{ID: id, ScenarioHash: hash, ScenarioName: sc.Name, Seed: seed, Speed: speed, State: store.StateRunning, Options: opts}
	if err := s.cfg.Store.CreateExercise(ctx, ex); err != nil {
		return CreateResponse{}, fmt.Errorf("server: store exercise: %w", err)
	}
	if err := s.cfg.Store.AddParticipants(ctx, id, parts); err != nil {
		return CreateResponse{}, fmt.Errorf("server: store participants: %w", err)
	}
	ok, err := s.cfg.Store.Claim(ctx, id)
	if err == nil && !ok {
		err = errors.New("another server holds it") // a fresh random id: never
	}
	if err != nil {
		return CreateResponse{}, fmt.Errorf("server: claim exercise %s: %w", id, err)
	}
	if err := s.begin(ex, sc, humans, o); err != nil {
		if err := s.cfg.Store.Unclaim(context.WithoutCancel(ctx), id); err != nil {
			s.cfg.Logger.Warn("claim not given up", "exercise", id, "err", err)
		}
		return CreateResponse{}, err
	}
	s.metrics.created.Inc()
	s.cfg.Logger.Info("exercise created", "exercise", id, "scenario", sc.Name, "humans", len(humans), "speed", speed)
	return resp, nil
}

// clean is engine.CleanText for the request's text: the scenario's name
// and source, the seats and the skill, which reach people in titles,
// injects and the console. Stored exercises keep what they were given.
func (req *CreateRequest) clean() error {
	fields := []struct {
		name string
		s    *string
	}{{"scenario", &req.Scenario}, {"source", &req.Source}, {"skill", &req.Skill}}
	for i := range req.Humans {
		fields = append(fields, struct {
			name string
			s    *string
		}{"humans", &req.Humans[i]})
	}
	for _, f := range fields {
		clean, err := engine.CleanText(*f.s)
		if err != nil {
			return engine.Refuse(engine.BadRequest, "", "", "the %s field %v", f.name, err)
		}
		*f.s = clean
	}
	return nil
}

// begin hosts a new exercise: its opening events are committed before
// anyone can join.
func (s *Server) begin(ex store.Exercise, sc *scenario.Scenario, humans []engine.Seat, o options) error {
	sess, err := session.New(sc, sessionOptions(ex, humans, o))
	if err != nil {
		return err
	}
	h, err := s.newHost(ex, sc, sess, o.limits())
	if err != nil {
		return err
	}
	h.record(nil, h.sess.Start(), nil)
	h.settle()
	if h.broken != nil {
		// Stored but its log could not begin: the caller hears so rather
		// than get codes for an exercise that takes nothing. Recover tries
		// it again on the next start.
		return fmt.Errorf("server: begin exercise %s: %w", ex.ID, h.broken)
	}
	return s.start(h)
}

// sessionOptions are a stored exercise's settings for its session: the
// same for its start and for every replay.
func sessionOptions(ex store.Exercise, humans []engine.Seat, o options) session.Options {
	return session.Options{Seed: ex.Seed, Skill: o.Skill, Humans: humans, EndOnRestore: o.EndOnRestore, Limits: o.limits()}
}

// newHost builds a host for a stored exercise around its session, with a
// pacer at the stored speed.
func (s *Server) newHost(ex store.Exercise, sc *scenario.Scenario, sess *session.Session, limits engine.Limits) (*host, error) {
	clk, err := clock.New(s.cfg.Clock, ex.Speed)
	if err != nil {
		return nil, err
	}
	// Every seat, computed once: joining looks a participant's seat up here.
	seats := seatsByName(sc)
	return &host{
		id: ex.ID, sc: sc, sess: sess, clk: clk, src: s.cfg.Clock, st: s.cfg.Store, commit: s.commit, onTick: s.cfg.OnTick, metrics: s.metrics,
		log: s.cfg.Logger.With(slog.String("exercise", ex.ID)), reqs: make(chan request, 1024), committed: make(chan error, 1),
		clients: map[*client]struct{}{}, seats: seats, done: make(chan struct{}),
		limits: limits,
	}, nil
}
