package bot

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/records"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Bot is one non-player participant in one seat.
type Bot struct {
	v     engine.Viewer
	skill Skill
	dir   *directory
	rng   *rand.Rand
	// seed and seat name the bot's common random numbers (draw); moments
	// counts the reactions drawn so far.
	seed, seat uint64
	moments    int
	recs       records.State // the records as this seat has seen them

	now     time.Duration
	ended   bool
	acting  bool // inside Act: actions go out now
	agenda  []task
	seq     uint64
	out     []engine.Action
	pending []pendingQuery
	once    map[string]bool // things done, or given up on, once
	refused map[string]bool // action keys the exercise refused: never retried
	mistake map[string]bool // the mistakes this bot makes, decided once each
	joined  bool            // has acted at least once (and rated its confidence)
	answers map[string]bool
	forced  map[string]string // decision → the option to take (Force)
	// down are the responders' tools an outage has taken away, as the
	// status events said: their queries wait until they are back.
	down map[engine.Tool]bool

	desk   deskState
	tech   techState
	im     managerState
	cc     centerState
	owner  ownerState
	myRole func(ev engine.Event) // the role's reaction to an event
}

// task is something the bot will do at a virtual time. Tasks due at the
// same time run in the order they were planned.
type task struct {
	at  time.Duration
	seq uint64
	run func()
}

// pendingQuery waits for the result of a query the bot made.
type pendingQuery struct {
	op      engine.Op
	subject string
	then    func(engine.ResultData)
	round   *round
}

// round counts outstanding queries; the bot plans then once all have
// answered (or been refused).
type round struct {
	left int
	then func()
}

// finish counts one answer, and plans then after the last.
func (b *Bot) finish(r *round) {
	if r == nil {
		return
	}
	r.left--
	if r.left == 0 && r.then != nil {
		b.after(time.Second, r.then)
	}
}

// New seats a bot for viewer v. sc is read once for the directory and not
// kept. seed is the exercise's; with the seat it gives the bot its own
// random source and its common random numbers (draw).
func New(v engine.Viewer, skill Skill, sc *scenario.Scenario, seed uint64) *Bot {
	return LookUp(sc).Seat(v, skill, seed)
}

// Directory is what any seat can look up in a scenario: built once and
// shared by the bots of an exercise, which only read it.
type Directory struct{ d *directory }

// LookUp builds the directory of sc.
func LookUp(sc *scenario.Scenario) *Directory { return &Directory{newDirectory(sc)} }

// Seat seats a bot for viewer v with the directory, as New does.
func (dir *Directory) Seat(v engine.Viewer, skill Skill, seed uint64) *Bot {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s", v.Role, v.Name)
	seat := h.Sum64()
	b := &Bot{
		v:       v,
		skill:   skill,
		dir:     dir.d,
		rng:     rand.New(rand.NewPCG(seed^seat, seat)),
		seed:    seed,
		seat:    seat,
		once:    map[string]bool{},
		refused: map[string]bool{},
		mistake: map[string]bool{},
		answers: map[string]bool{},
	}
	if _, err := ParseSkill(string(skill)); err != nil {
		b.skill = Practiced // an unknown skill plays it safe in the middle
	}
	switch v.Role {
	case engine.RoleServiceDesk:
		b.myRole = b.deskObserve
	case engine.RoleTechnician:
		b.myRole = b.techObserve
	case engine.RoleIncidentManager:
		b.myRole = b.managerObserve
	case engine.RoleCommandCenter:
		b.myRole = b.centerObserve
	case engine.RoleServiceOwner:
		b.myRole = b.ownerObserve
	default:
		b.myRole = func(engine.Event) {}
	}
	return b
}

// Force makes the bot take the given option of each named decision it
// answers, whatever its judgement: for batches that ask what each option
// leads to.
func (b *Bot) Force(choices map[string]string) { b.forced = choices }

// Viewer is the seat the bot fills.
func (b *Bot) Viewer() engine.Viewer { return b.v }

// Actor is who the runner applies the bot's actions as.
func (b *Bot) Actor() engine.Actor { return engine.Actor{Name: b.v.Name, Role: b.v.Role} }

// Observe shows the bot an event. The caller must show it only events whose
// audience includes the bot's viewer, in log order.
func (b *Bot) Observe(ev engine.Event) {
	if ev.At > b.now {
		b.now = ev.At
	}
	b.recs.Apply(ev)
	switch d := ev.Data.(type) {
	case engine.ResultData:
		if ev.Actor == b.v.Name {
			b.result(d)
		}
		return
	case engine.DecisionData:
		b.offered(ev, d)
	case engine.AnswerData:
		b.answers[d.Name] = true
	case engine.ToolData:
		if b.down == nil {
			b.down = map[engine.Tool]bool{}
		}
		b.down[d.Tool] = ev.Kind == engine.KindToolDown
	case engine.EndedData:
		b.ended = true
		return
	}
	b.myRole(ev)
}

// Next reports when the bot next wants to act; false when it has nothing
// planned.
func (b *Bot) Next() (time.Duration, bool) {
	if b.ended || len(b.agenda) == 0 {
		return 0, false
	}
	return b.agenda[0].at, true
}

// Act runs everything the bot planned up to now and returns the actions it
// takes, in order.
func (b *Bot) Act(now time.Duration) []engine.Action {
	if now > b.now {
		b.now = now
	}
	b.out = nil
	b.acting = true
	for len(b.agenda) > 0 && b.agenda[0].at <= now && !b.ended {
		t := b.agenda[0]
		b.agenda = b.agenda[1:]
		t.run()
	}
	b.acting = false
	out := b.out
	b.out = nil
	if len(out) > 0 && !b.joined {
		b.joined = true
		out = append([]engine.Action{{Op: engine.OpRateConfidence, Rating: b.confidence()}}, out...)
	}
	return out
}

// Refused tells the bot the exercise refused one of its actions. The bot
// never tries the same action again and stops waiting for its result.
func (b *Bot) Refused(a engine.Action, err error) {
	// A query refused because its tool is down is asked again once the
	// tool is back; anything else refused is never tried again.
	if t, ok := engine.ToolOf(a.Op); !ok || !b.down[t] {
		b.refused[key(a)] = true
	}
	for i, p := range b.pending {
		if p.op == a.Op && p.subject == subjectOf(a) {
			b.pending = slices.Delete(b.pending, i, i+1)
			b.finish(p.round)
			break
		}
	}
	if b.v.Role == engine.RoleTechnician {
		b.techRefused(a, err)
	}
}

// confidence is the bot's self-rating on joining: experts are sure, novices
// anywhere from unsure to overconfident.
func (b *Bot) confidence() int {
	switch b.skill {
	case Expert:
		return 4
	case Practiced:
		return 3 + b.rng.IntN(2)
	}
	return 2 + b.rng.IntN(4)
}

// after plans f d from now; work always lands in the future, so the runner
// always makes progress.
func (b *Bot) after(d time.Duration, f func()) {
	b.at(b.now+max(d, time.Second), f)
}

func (b *Bot) at(t time.Duration, f func()) {
	if t <= b.now {
		t = b.now + time.Second
	}
	b.seq++
	tk := task{at: t, seq: b.seq, run: f}
	i, _ := slices.BinarySearchFunc(b.agenda, tk, func(a, b task) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq))
	})
	b.agenda = slices.Insert(b.agenda, i, tk)
}

// chance is the bot's common random number for a named moment of its own
// (see draw).
func (b *Bot) chance(name string) float64 { return draw(b.seed, b.seat, name) }

// shared is the common random number of a moment of the whole exercise, the
// same whichever seat meets it: who answers a decision depends on who is
// on call when it comes, and that must not change the draw.
func (b *Bot) shared(name string) float64 { return draw(b.seed, 0, name) }

// delay is the bot's next reaction delay. The n-th reaction of a seat draws
// the same number whatever the skill, so paired runs differ by skill.
func (b *Bot) delay() time.Duration {
	b.moments++
	return b.skill.delayAt(b.chance("reaction#" + strconv.Itoa(b.moments)))
}

// quick is a short follow-up delay between steps of one piece of work (the
// next query after reading a result): a fifth of a reaction, 5 s at least.
func (b *Bot) quick() time.Duration { return max((b.delay() / 5).Truncate(time.Second), 5*time.Second) }

// react plans f after a reaction delay.
func (b *Bot) react(f func()) { b.after(b.delay(), f) }

// soon plans f after a short follow-up delay.
func (b *Bot) soon(f func()) { b.after(b.quick(), f) }

// do takes an action now, unless the exercise refused the same action
// before. Outside Act (reacting to an event) the action waits a second for
// the bot's next turn: a bot acts only when the runner lets it.
func (b *Bot) do(a engine.Action) bool {
	if b.refused[key(a)] {
		return false
	}
	if !b.acting {
		b.after(time.Second, func() { b.do(a) })
		return true
	}
	b.out = append(b.out, a)
	return true
}

// query takes a query action and calls then with its result. A query
// whose tool is down is not asked: the round goes on without it.
func (b *Bot) query(a engine.Action, r *round, then func(engine.ResultData)) {
	if !b.up(a.Op) || !b.do(a) {
		return
	}
	if r != nil {
		r.left++
	}
	b.pending = append(b.pending, pendingQuery{op: a.Op, subject: subjectOf(a), then: then, round: r})
}

func (b *Bot) result(d engine.ResultData) {
	for i, p := range b.pending {
		if p.op == d.Query && p.subject == d.Subject {
			b.pending = slices.Delete(b.pending, i, i+1)
			if p.then != nil {
				p.then(d)
			}
			b.finish(p.round)
			return
		}
	}
}

// up reports whether the tool that answers op, if any, is working.
func (b *Bot) up(op engine.Op) bool {
	t, ok := engine.ToolOf(op)
	return !ok || !b.down[t]
}

// first reports whether key is new, and remembers it.
func (b *Bot) first(key string) bool {
	if b.once[key] {
		return false
	}
	b.once[key] = true
	return true
}

// errs reports whether the bot makes the named mistake. It is decided once
// per bot and mistake, so a bot does not flip-flop between readings, from
// the moment's common random number: a bot of any skill that would slip
// where an expert slips does too.
func (b *Bot) errs(name string) bool {
	if m, ok := b.mistake[name]; ok {
		return m
	}
	m := b.chance("mistake:"+name) < b.skill.mistakeRate()
	b.mistake[name] = m
	return m
}

func (b *Bot) inGroup(g string) bool { return slices.Contains(b.v.Groups, g) }

// subjectOf is the subject the engine reports a query's result under.
func subjectOf(a engine.Action) string {
	switch a.Op {
	case engine.OpQueryTelemetry:
		m := a.Metric
		if m == "" {
			m = string(scenario.MetricErrorRate)
		}
		return a.Service + "/" + m
	case engine.OpQueryLogs, engine.OpQueryTraffic:
		return a.Service
	case engine.OpQueryVendorChanges:
		return a.Vendor
	case engine.OpRunRunbookStep:
		return a.Runbook + "/" + a.Step
	}
	return a.Text
}

// key identifies an action for "do not try it again".
func key(a engine.Action) string {
	return strings.Join([]string{string(a.Op), a.Record, a.Parent, a.Group, a.Person, a.Service, a.Remedy,
		a.Runbook, a.Step, a.Vendor, a.Metric, a.Decision, a.Option, a.Channel, string(a.Classification)}, "|")
}
