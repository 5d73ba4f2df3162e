package score

import (
	"maps"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Report is everything the scoring reads from one run: the time measures
// (Result) and, beside them, what the team was expected to do, the
// decisions it took, how it kept to the incident process, what it did
// wrong, a score per dimension, quality signals, the customer impact and
// the players' own view (confidence, lessons learned).
//
// Field names are part of the report's JSON schema: never rename one. Every
// list is present in JSON (an empty list is [], never null), in a fixed
// order, so the same log always encodes to the same bytes.
type Report struct {
	Scenario string `json:"scenario"`
	// Exercise marks the report as exercise data (the log's own mark), so
	// it never mixes with production incident metrics.
	Exercise bool `json:"exercise"`
	// Ended is why the exercise ended: "duration", "restored",
	// "facilitator"; empty when the log does not say.
	Ended string `json:"ended,omitempty"`

	Result Result `json:"result"`

	// Expectations has one entry per expect block, in scenario order.
	Expectations []Expectation `json:"expectations"`
	// Decisions has one entry per decision block, in scenario order.
	Decisions []Decision `json:"decisions"`
	// Compliance is the process checks, in the order of Checks, the
	// per-contact checks in the order the contacts arrived.
	Compliance []Check `json:"compliance"`
	// Penalties are in log order.
	Penalties []Penalty `json:"penalties"`

	// Dimensions has one entry per scoring dimension, in
	// scenario.Dimensions order; Overall is their sum.
	Dimensions []DimensionScore `json:"dimensions"`
	Overall    Total            `json:"overall"`

	Quality Quality `json:"quality"`
	// Impact has one entry per service, in scenario order.
	Impact []ServiceImpact `json:"impact"`
	// Confidence has one entry per person who rated, by name.
	Confidence []Confidence `json:"confidence"`
	// Lessons are in log order.
	Lessons []Lesson `json:"lessons"`

	// What the review shows beside the score (review.go). They are the
	// review's JSON, not the score's.
	Detection  Detection  `json:"-"`
	Response   Response   `json:"-"`
	Factors    Factors    `json:"-"`
	Resolution Resolution `json:"-"`
}

// Evidence points at the event of the log that shows something: its
// sequence number and virtual time, and who acted, if anyone.
type Evidence struct {
	Seq   uint64        `json:"seq"`
	At    time.Duration `json:"at"`
	Actor string        `json:"actor,omitempty"`
	// Note says what the event shows, when the check needs saying.
	Note string `json:"note,omitempty"`
}

// Score reads one run's event log, with its scenario, into a Report. Like
// Measures it depends on nothing else, so a stored exercise or an --events
// file gives the same Report every time. A log that breaks the engine's
// rules is an error wrapping ErrMalformedLog; a log of another scenario, or
// one naming expectations or decisions the scenario does not have, one
// wrapping ErrWrongScenario.
func Score(sc *scenario.Scenario, log []engine.Event) (Report, error) {
	c, err := prepare(sc, log)
	if err != nil {
		return Report{}, err
	}
	s := newScorer(c, log)
	rep := Report{
		Scenario: sc.Name,
		Exercise: c.v.started.Exercise,
		Ended:    c.v.endReason,
		Result:   s.res,
	}
	if rep.Expectations, err = s.expectations(); err != nil {
		return Report{}, err
	}
	if rep.Decisions, err = s.decisions(); err != nil {
		return Report{}, err
	}
	rep.Compliance = s.compliance()
	rep.Penalties = s.penalties()
	rep.Dimensions, rep.Overall = tally(rep.Expectations, rep.Decisions, rep.Compliance, rep.Penalties)
	rep.Quality = s.quality()
	rep.Impact = s.impact()
	rep.Confidence, rep.Lessons = s.reflections()
	rep.Detection = s.detection()
	rep.Response = s.response()
	rep.Factors = s.factors(rep.Penalties)
	rep.Resolution = s.resolution()
	rep.Resolution.Healed = healed(rep.Factors, rep.Result)
	return rep, nil
}

// scorer is a run with the log at hand, for evidence and for the few
// details (an action's arguments) the lean view does not keep, and the
// scenario indexed by name. The scenario's own lookups need a loaded
// scenario; these work on a hand-built one too.
type scorer struct {
	*run
	res Result

	policy   engine.Policy
	services map[string]*scenario.Service
	remedies map[string]*scenario.Remedy
	runbooks map[string]*scenario.Runbook
	groups   map[string][]string // person → the groups they are in
	roots    []string            // services of the root-cause faults, in log order
}

func newScorer(c *run, log []engine.Event) *scorer {
	s := &scorer{
		run: c, res: c.result(),
		policy:   c.sc.Policy(),
		services: map[string]*scenario.Service{},
		remedies: map[string]*scenario.Remedy{},
		runbooks: map[string]*scenario.Runbook{},
		groups:   map[string][]string{},
	}
	for _, x := range c.sc.Services {
		if x != nil {
			s.services[x.Name] = x
		}
	}
	for _, x := range c.sc.Remedies {
		if x != nil {
			s.remedies[x.Name] = x
		}
	}
	for _, x := range c.sc.Runbooks {
		if x != nil {
			s.runbooks[x.Name] = x
		}
	}
	for _, g := range c.sc.Groups {
		if g == nil {
			continue
		}
		for _, m := range g.Members {
			s.groups[m] = append(s.groups[m], g.Name)
		}
	}
	for _, w := range c.v.world {
		if w.Change == changeStarted && w.RootCause && w.Service != "" && !slices.Contains(s.roots, w.Service) {
			s.roots = append(s.roots, w.Service)
		}
	}
	return s
}

// action is the whole action of an accepted action event; read checked
// its payload already.
func (s *scorer) action(a actionEvent) engine.Action {
	d, _ := payload[engine.ActionData](s.log[a.idx])
	return d.Action
}

// outage reports whether record number belongs to the incident the
// exercise is about: the relevant records (see relevant) when a root cause
// started, every record otherwise (a discussion scenario without faults).
func (s *scorer) outage(number string) bool {
	if !s.hasT0 {
		_, ok := s.recs[number]
		return ok
	}
	return s.rel[number]
}

// outageRecords lists the numbers of the outage's records, sorted.
func (s *scorer) outageRecords() []string {
	var out []string
	for _, n := range slices.Sorted(maps.Keys(s.recs)) {
		if s.outage(n) {
			out = append(out, n)
		}
	}
	return out
}

// counted reports whether a record takes part in the process: an
// incident (not a service request) that was neither merged nor declined.
func counted(inc engine.Incident) bool {
	return inc.Class != engine.ClassServiceRequest && inc.State != engine.StateMerged && inc.State != engine.StateDeclined
}

// effective is the priority a record is run at: its own, or its parent's
// when that is more severe (a child is managed under its parent). Zero
// when it has none.
func (s *scorer) effective(number string) engine.Priority {
	r := s.recs[number]
	if r == nil {
		return 0
	}
	p := r.last.Priority
	if par := s.recs[r.last.Parent]; par != nil && par.last.Priority >= 1 && (p < 1 || par.last.Priority < p) {
		p = par.last.Priority
	}
	return p
}

// reflective ops are outside the fiction: they say nothing about who is
// working the incident.
func reflective(op engine.Op) bool {
	return op == engine.OpRateConfidence || op == engine.OpLessonsLearned
}
