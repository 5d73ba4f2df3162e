package exercise

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/facts"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/world"
)

// TelemetryEvery is how often the whole estate's telemetry is logged. The
// world samples every world.Tick; the log keeps every third sample, enough
// for the review's charts and the impact measures.
const TelemetryEvery = 3 * world.Tick

// StoryEvery is how often conditions (conditional injects, decisions and
// faults, expectations) are checked. Thirty virtual seconds is finer than any
// person reacts in an exercise, and checking every world tick tripled the
// engine's cost (BenchmarkExerciseUnattended).
const StoryEvery = 3 * world.Tick

// Options set up an exercise.
type Options struct {
	// Seed fixes the random source; the scenario's seed when HasSeed is
	// false and the scenario has one.
	Seed    uint64
	HasSeed bool
	// EndOnRestore ends the exercise once service is restored and
	// validated and every root cause that started is fixed (or healed), so
	// nothing is left to measure; otherwise it runs its whole duration.
	EndOnRestore bool
	// Limits bound the text people enter; zero limits take the defaults.
	Limits engine.Limits
	// FullEvaluation evaluates every pending condition at every story
	// check instead of only those whose facts changed: the same log,
	// slower. It exists for the test that says so.
	FullEvaluation bool
}

// Exercise is one run of a scenario. It is not safe for concurrent use: the
// server serialises Apply and Advance for an exercise.
type Exercise struct {
	sc       *scenario.Scenario
	services map[string]engine.Target // serviceTargets
	business map[string]bool          // the services customer impact counts (customerImpact)
	seed     uint64
	opts     Options
	rng      *rand.Rand
	world    *world.World
	book     *incident.Book

	now    time.Duration
	seq    uint64
	queue  schedule
	qseq   uint64
	log    []engine.Event
	ended  bool
	reason string // why it ended
	paused bool   // the facilitator paused it

	limits  engine.Limits
	textBy  map[string]int // text bytes each seat has entered
	textSum int            // text bytes everyone has entered

	story   story
	facts   *facts.State // the fold of the log, as conditions read it
	pages   paging
	impact  impactTracker
	tools   toolOutages
	fired   map[string]bool // injects fired
	faults  map[string]bool // faults started by the engine (when/triggers)
	expects map[string]bool // expectations met
	remedy  map[string]remedyState
	vendor  map[string]bool // vendors contacted
	status  int             // stakeholder updates posted
	pageCnt int             // pages sent by people
	claimed bool            // a correct root-cause claim was made
}

type remedyState struct{ applied, completed bool }

// New prepares an exercise of sc. Nothing happens until Start.
func New(sc *scenario.Scenario, opts Options) (*Exercise, error) {
	if sc == nil {
		return nil, fmt.Errorf("engine: no scenario")
	}
	seed := opts.Seed
	if !opts.HasSeed && sc.HasSeed {
		seed = sc.Seed
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	x := &Exercise{
		sc:       sc,
		services: serviceTargets(sc),
		seed:     seed,
		opts:     opts,
		rng:      rng,
		world:    world.New(sc, rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))),
		book:     incident.NewBook(sc.Process),
		fired:    map[string]bool{},
		faults:   map[string]bool{},
		expects:  map[string]bool{},
		remedy:   map[string]remedyState{},
		vendor:   map[string]bool{},
		limits:   opts.Limits.WithDefaults(),
		textBy:   map[string]int{},
	}
	x.story = newStory(sc)
	x.story.full = opts.FullEvaluation
	x.facts = facts.New(sc)
	x.pages = newPaging()
	x.impact = newImpactTracker()
	x.tools = newToolOutages(sc)
	return x, nil
}

// Scenario returns the scenario being run.
func (x *Exercise) Scenario() *scenario.Scenario { return x.sc }

// Seed returns the seed of the exercise's random source.
func (x *Exercise) Seed() uint64 { return x.seed }

// Now returns the virtual time of the exercise.
func (x *Exercise) Now() time.Duration { return x.now }

// Ended reports whether the exercise is over.
func (x *Exercise) Ended() bool { return x.ended }

// EndReason says why the exercise ended ("duration", "restored",
// "facilitator"), or "" while it runs.
func (x *Exercise) EndReason() string { return x.reason }

// Log returns every event so far. The caller must not modify it.
func (x *Exercise) Log() []engine.Event { return x.log }

// Book returns the incident records, for views. Callers must not modify
// them; actions go through Apply.
func (x *Exercise) Book() *incident.Book { return x.book }

// World returns the simulated estate, for views and facilitators.
func (x *Exercise) World() *world.World { return x.world }

// Start emits the opening event and schedules the story.
func (x *Exercise) Start() []engine.Event {
	mark := len(x.log)
	x.emit(engine.KindStarted, engine.Facilitators(), "", engine.StartedData{
		Scenario: x.sc.Name, Title: x.sc.Title, Seed: x.seed, Duration: x.sc.Duration, Exercise: true,
	})
	if len(x.sc.Hypotheses) > 0 {
		var b engine.BriefingData
		for _, h := range x.sc.Hypotheses {
			b.Hypotheses = append(b.Hypotheses, engine.HypothesisInfo{Name: h.Name, Service: h.Service.Name, Title: h.Title})
		}
		x.emit(engine.KindBriefing, engine.Everyone(), "", b)
	}
	x.emit(engine.KindChat, engine.Everyone(), "", engine.ChatData{Channel: "command-center", From: botName, Bot: true,
		Text: fmt.Sprintf("Exercise %q has started. This is exercise data, not a production incident. Type /help for commands. Before you begin, rate how confident you feel handling this, 1 to 5.", x.sc.Title)})
	x.at(world.Tick, itemTick, "")
	x.at(x.sc.Duration, itemEnd, "")
	for _, in := range x.sc.Injects {
		if in.HasAt {
			x.at(in.At, itemInject, in.Name)
		}
	}
	for _, d := range x.sc.Decisions {
		if d.HasAt {
			x.at(d.At, itemDecision, d.Name)
		}
	}
	return x.log[mark:]
}

// NextAt returns the time of the next scheduled happening.
func (x *Exercise) NextAt() (time.Duration, bool) {
	if x.ended || len(x.queue) == 0 {
		return 0, false
	}
	return x.queue[0].at, true
}

// Advance runs everything scheduled up to and including virtual time to,
// and returns the events that produced.
func (x *Exercise) Advance(to time.Duration) []engine.Event {
	mark := len(x.log)
	for !x.ended && len(x.queue) > 0 && x.queue[0].at <= to {
		it := x.queue.pop()
		x.now = it.at
		x.run(it)
	}
	if !x.ended && to > x.now {
		x.now = to
	}
	return x.log[mark:]
}

func (x *Exercise) finish(reason string) {
	x.ended, x.reason = true, reason
	x.emit(engine.KindEnded, engine.Everyone(), "", engine.EndedData{Reason: reason})
	x.emit(engine.KindChat, engine.Everyone(), "", engine.ChatData{Channel: channelCommandCenter, From: botName, Bot: true,
		Text: "The exercise is over. Rate your confidence again, 1 to 5, and add the lessons you learned."})
}

// emit appends an event to the log with the next sequence number.
func (x *Exercise) emit(kind engine.Kind, to engine.Audience, actor string, data any) {
	x.seq++
	e := engine.Event{Seq: x.seq, At: x.now, Kind: kind, To: to, Actor: actor, Data: data}
	x.log = append(x.log, e)
	x.facts.Apply(e)
}

type itemKind uint8

const (
	itemTick itemKind = iota
	itemEnd
	itemInject
	itemDecision
	itemDecisionTimeout
	itemEscalate
	itemVendor
)

// item is something scheduled on the virtual clock. Items at the same time
// run in the order they were scheduled.
type item struct {
	at   time.Duration
	seq  uint64
	kind itemKind
	name string
	who  string
}

// schedule is a binary min-heap of items by time, then sequence. It is
// typed, not container/heap's: boxing each item in an interface was an
// allocation per push and pop.
type schedule []item

func (s schedule) less(i, j int) bool {
	if s[i].at != s[j].at {
		return s[i].at < s[j].at
	}
	return s[i].seq < s[j].seq
}

func (s *schedule) push(it item) {
	*s = append(*s, it)
	h := *s
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (s *schedule) pop() item {
	h := *s
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h.less(l, m) {
			m = l
		}
		if r < len(h) && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*s = h
	return top
}

func (x *Exercise) at(t time.Duration, kind itemKind, name string) {
	x.atFor(t, kind, name, "")
}

func (x *Exercise) atFor(t time.Duration, kind itemKind, name, who string) {
	x.qseq++
	x.queue.push(item{at: t, seq: x.qseq, kind: kind, name: name, who: who})
}

func (x *Exercise) run(it item) {
	switch it.kind {
	case itemTick:
		x.tick()
		x.at(x.now+world.Tick, itemTick, "")
	case itemEnd:
		x.finish("duration")
	case itemInject:
		x.fireInject(it.name)
	case itemDecision:
		x.offerDecision(it.name)
	case itemDecisionTimeout:
		x.timeoutDecision(it.name)
	case itemEscalate:
		x.escalate(it.name)
	case itemVendor:
		x.vendorAnswers(it.name, it.who)
	}
}

// tick advances the world one sample, turns what changed into events,
// then lets the story react to the new state.
func (x *Exercise) tick() {
	for _, c := range x.world.Advance(x.now) {
		x.worldChange(c)
	}
	x.tools.update(x)
	if x.now%TelemetryEvery == 0 {
		x.telemetry()
	}
	x.impact.update(x)
	if x.now%StoryEvery == 0 {
		x.story.evaluate(x)
	}
	if x.opts.EndOnRestore && x.impact.restoredAndValidated(x) && x.rootCausesFixed() {
		x.finish("restored")
	}
}

func (x *Exercise) telemetry() {
	states := x.world.Services()
	samples := make([]engine.ServiceSample, len(states))
	for i, s := range states {
		total, failed := x.world.Stats(s.Name)
		samples[i] = engine.ServiceSample{
			Service: s.Name, ErrorRate: s.ErrorRate, LatencyMS: s.LatencyMS, RPS: s.RPS,
			Saturation: s.Saturation, Healthy: s.Healthy, Impacted: s.Impacted, Total: total, Failed: failed,
		}
	}
	// Everyone: each participant receives the services they may watch
	// (engine.Event.For). While the telemetry tool is down the dashboards
	// are dark: the sample is still logged, for the facilitator, the
	// conditions and the measures, but addressed to no participant. The
	// audience is decided here, once, when the sample is taken, so a log
	// replayed or read later shows the same.
	to := engine.Everyone()
	if x.tools.isDown(engine.ToolTelemetry) {
		to = engine.Facilitators()
	}
	x.emit(engine.KindTelemetry, to, "", engine.TelemetryData{Services: samples})
}

func (x *Exercise) worldChange(c world.Change) {
	rootCause := false
	if f := x.sc.Fault(c.Fault); f != nil {
		rootCause = f.RootCause
	}
	truth := func(change string) {
		x.emit(engine.KindWorld, engine.Facilitators(), "", engine.WorldData{Change: change, Fault: c.Fault, Service: c.Service, RootCause: rootCause})
	}
	switch c.Kind {
	case world.KindFaultStarted:
		truth("fault_started")
	case world.KindFaultFull:
		truth("fault_full")
	case world.KindFaultHealed:
		truth("fault_healed")
	case world.KindFaultRecovered:
		// Not logged: the fault ended or was mitigated earlier, and
		// telemetry shows the recovery. Tool outages read the world's
		// InEffect after the tick.
	case world.KindRemedyCompleted:
		x.remedyCompleted(c, truth)
	case world.KindAlertFired:
		x.alertFired(c)
	case world.KindAlertResolved:
		x.alertResolved(c)
	case world.KindServiceHealthy, world.KindServiceUnhealthy:
		x.emit(engine.KindHealth, engine.Facilitators(), "", engine.HealthData{Service: c.Service, Healthy: c.Kind == world.KindServiceHealthy})
	}
}

func (x *Exercise) remedyCompleted(c world.Change, truth func(string)) {
	st := x.remedy[c.Remedy]
	st.completed = true
	x.remedy[c.Remedy] = st
	r := x.sc.Remedy(c.Remedy)
	data := engine.RemedyData{Remedy: c.Remedy, Service: c.Service, Phase: "completed"}
	switch c.Outcome {
	case world.OutcomeMitigated:
		truth("fault_mitigated")
		data.Mitigated = []string{c.Fault}
	case world.OutcomeFixed:
		truth("fault_fixed")
		data.Fixed = []string{c.Fault}
	case world.OutcomeReduced:
		x.reduced(c)
		data.Reduced = []string{c.Fault}
	case world.OutcomeHarm:
		truth("harm")
		if r != nil {
			data.Harm = r.Harmful
		}
	}
	// Players see that the remedy finished, not which fault it touched.
	x.emit(engine.KindRemedy, x.serviceAudience(c.Service), "", engine.RemedyData{Remedy: c.Remedy, Service: c.Service, Phase: "completed", Harm: data.Harm})
	x.emit(engine.KindRemedy, engine.Facilitators(), "", data)
}

// reduced logs, for facilitators, a remedy weakening a fault: by how much,
// and how much of the fault is left.
func (x *Exercise) reduced(c world.Change) {
	d := engine.ReducedData{Fault: c.Fault, Remedy: c.Remedy, Remaining: c.Value}
	if f := x.sc.Fault(c.Fault); f != nil {
		d.Service, d.RootCause = f.Service.Name, f.RootCause
		for _, r := range f.ReducedBy {
			if r.Remedy.Name == c.Remedy {
				d.By = r.By
			}
		}
	}
	x.emit(engine.KindFaultReduced, engine.Facilitators(), "", d)
}

// serviceAudience is who watches a service: its owning group and the
// command center.
func (x *Exercise) serviceAudience(service string) engine.Audience {
	a := engine.ToRole(engine.RoleCommandCenter)
	if s := x.sc.Service(service); s != nil {
		a.Groups = []string{s.Group.Name}
	}
	return a
}
