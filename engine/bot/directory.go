package bot

import (
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// directory is what a participant can look up before and during an
// exercise: the CMDB, the on-call tool, the runbook wiki, the change
// catalogue and the process (the knowledge base is searched through its
// action). A Bot keeps only this, never the scenario itself, so it cannot read
// faults, what a remedy does, root causes, option scores or the dependency
// graph (which it learns only from the traffic view).
type directory struct {
	groups    []dirGroup
	rotations []dirRotation
	services  []dirService
	runbooks  []*dirRunbook
	remedies  []dirRemedy
	// hypotheses are the causes everyone is briefed on, with the signs an
	// experienced engineer recognises each by: not which one is right.
	hypotheses []dirHypothesis
	policy     engine.Policy
	// readings is what a person reading each contact understands of it,
	// by inject name: a bot cannot read prose, so it is given the reading.
	// The players' copy of an inject carries neither field: they are the
	// scoring's ground truth too (what a good service desk records).
	readings map[string]reading
	start    time.Duration // the fiction's time of day at the start
}

// reading is a contact as a person reading it understands it: the service
// the caller names, and whether they report a failure ("incident") or ask
// for something ("request"); empty when it needs no ticket.
type reading struct {
	about, record string
}

type dirGroup struct {
	name    string
	members []string
	owner   string
}

type dirRotation struct {
	group         string
	members       []string
	shift         time.Duration
	escalateAfter time.Duration
}

// dirService is a CMDB entry: owner, criticality and the baseline a
// dashboard shows as "normal". Dependencies are deliberately missing.
type dirService struct {
	name     string
	title    string
	group    string
	owner    string
	vendor   string
	critical bool
	baseErr  float64
}

// dirRunbook is a runbook as the wiki shows it: what each step says to do
// and which remedy it carries out, not what the step will reveal.
type dirRunbook struct {
	name    string
	title   string
	service string
	group   string
	steps   []dirStep
}

type dirStep struct {
	name    string
	text    string
	applies string // a remedy, or ""
	takes   time.Duration
}

// dirHypothesis is a cause the team may name, and what points to it.
type dirHypothesis struct {
	name, service, title string
	signs                []string
}

// hypothesesOn lists the hypotheses about a service, in the briefing's
// order.
func (d *directory) hypothesesOn(service string) []dirHypothesis {
	var out []dirHypothesis
	for _, h := range d.hypotheses {
		if h.service == service {
			out = append(out, h)
		}
	}
	return out
}

// dirRemedy is a change catalogue entry: what can be done to a service and
// by whom, not what it would do to the fault.
type dirRemedy struct {
	name           string
	title          string
	service        string
	by             []string
	requiresChange bool
}

func newDirectory(sc *scenario.Scenario) *directory {
	d := &directory{
		policy:   sc.Policy(),
		start:    sc.StartClock,
		readings: map[string]reading{},
	}
	for _, in := range sc.Injects {
		d.readings[in.Name] = reading{about: in.About.Name, record: in.Record}
	}
	for _, g := range sc.Groups {
		d.groups = append(d.groups, dirGroup{name: g.Name, members: g.Members, owner: g.Owner})
	}
	for _, h := range sc.Hypotheses {
		d.hypotheses = append(d.hypotheses, dirHypothesis{name: h.Name, service: h.Service.Name, title: h.Title, signs: h.Signs})
	}
	for _, r := range sc.Rotations {
		d.rotations = append(d.rotations, dirRotation{group: r.Group.Name, members: sc.RotationMembers(r), shift: r.Shift, escalateAfter: r.EscalateAfter})
	}
	for _, s := range sc.Services {
		d.services = append(d.services, dirService{
			name: s.Name, title: s.Title, group: s.Group.Name, owner: sc.ServiceOwner(s),
			vendor: s.Vendor.Name, critical: s.Critical, baseErr: s.ErrorRate,
		})
	}
	for _, rb := range sc.Runbooks {
		r := &dirRunbook{name: rb.Name, title: rb.Title, service: rb.Service.Name, group: rb.Group.Name}
		for _, st := range rb.Steps {
			r.steps = append(r.steps, dirStep{name: st.Name, text: st.Text, applies: st.Applies.Name, takes: st.Takes})
		}
		d.runbooks = append(d.runbooks, r)
	}
	for _, r := range sc.Remedies {
		rm := dirRemedy{name: r.Name, title: r.Title, service: r.Service.Name, requiresChange: r.RequiresChange}
		for _, g := range r.By {
			rm.by = append(rm.by, g.Name)
		}
		if len(rm.by) == 0 {
			if s := sc.Service(r.Service.Name); s != nil {
				rm.by = []string{s.Group.Name}
			}
		}
		d.remedies = append(d.remedies, rm)
	}
	return d
}

func (d *directory) service(name string) *dirService {
	for i := range d.services {
		if d.services[i].name == name {
			return &d.services[i]
		}
	}
	return nil
}

func (d *directory) group(name string) *dirGroup {
	for i := range d.groups {
		if d.groups[i].name == name {
			return &d.groups[i]
		}
	}
	return nil
}

func (d *directory) runbook(name string) *dirRunbook {
	for _, rb := range d.runbooks {
		if rb.name == name {
			return rb
		}
	}
	return nil
}

func (d *directory) remedy(name string) *dirRemedy {
	for i := range d.remedies {
		if d.remedies[i].name == name {
			return &d.remedies[i]
		}
	}
	return nil
}

// servicesOf lists the services a group owns, in CMDB order.
func (d *directory) servicesOf(group string) []string {
	var out []string
	for _, s := range d.services {
		if s.group == group {
			out = append(out, s.name)
		}
	}
	return out
}

// groupOf is the owning group of a service, or "".
func (d *directory) groupOf(service string) string {
	if s := d.service(service); s != nil {
		return s.group
	}
	return ""
}

// unhealthy is the dashboard's red line for a service's error rate: five
// times its normal rate, and at least one percent.
func (d *directory) unhealthy(service string, errRate float64) bool {
	base := 0.0
	if s := d.service(service); s != nil {
		base = s.baseErr
	}
	return errRate > max(5*base, 0.01)
}

// responders orders the members of a group as the on-call tool would page
// them at time t: the person on call, then the rest of the rotation, then
// the other members. A group without a rotation starts with its owner.
func (d *directory) responders(group string, t time.Duration) []string {
	g := d.group(group)
	if g == nil {
		return nil
	}
	var out []string
	for _, r := range d.rotations {
		if r.group != group {
			continue
		}
		order := scenario.OnCallOrder(r.members, r.shift, d.start, t)
		if len(order) == 0 {
			continue
		}
		for _, m := range order {
			out = appendNew(out, m)
		}
		break
	}
	if len(out) == 0 && g.owner != "" {
		out = append(out, g.owner)
	}
	for _, m := range g.members {
		out = appendNew(out, m)
	}
	return out
}

// escalateAfter is how long the group's rotation waits before moving a page
// on: how long a teammate waits before picking up unacknowledged work.
func (d *directory) escalateAfter(group string) time.Duration {
	for _, r := range d.rotations {
		if r.group == group && r.escalateAfter > 0 {
			return r.escalateAfter
		}
	}
	return 10 * time.Minute
}

// runbooksFor lists the runbooks a technician of groups would open for a
// failing service, best first: those for the service kept by one of its
// groups, then those for the service kept by anyone, then the runbooks its
// groups keep for their other services.
func (d *directory) runbooksFor(service string, groups []string) []*dirRunbook {
	var out []*dirRunbook
	add := func(keep func(*dirRunbook) bool) {
		for _, rb := range d.runbooks {
			if keep(rb) && !slices.Contains(out, rb) {
				out = append(out, rb)
			}
		}
	}
	add(func(rb *dirRunbook) bool { return rb.service == service && slices.Contains(groups, rb.group) })
	add(func(rb *dirRunbook) bool { return rb.service == service })
	add(func(rb *dirRunbook) bool {
		return slices.Contains(groups, rb.group) && (rb.service == "" || slices.Contains(groups, d.groupOf(rb.service)))
	})
	return out
}

// inRunbook reports whether some runbook step applies the remedy.
func (d *directory) inRunbook(remedy string) bool {
	for _, rb := range d.runbooks {
		for _, s := range rb.steps {
			if s.applies == remedy {
				return true
			}
		}
	}
	return false
}

// mayApply reports whether one of groups may carry out the remedy.
func (r *dirRemedy) mayApply(groups []string) bool {
	for _, g := range r.by {
		if slices.Contains(groups, g) {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// looksQuick reports whether a remedy is the kind of move people reach for
// first: restart it, flush it, retry it, roll it back.
func (r *dirRemedy) looksQuick() bool {
	s := strings.ToLower(r.name + " " + r.title)
	for _, w := range []string{"restart", "flush", "retr", "replay", "rollback", "roll back"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// stepRemedy is the remedy a runbook step applies, or "".
func (d *directory) stepRemedy(runbook, step string) string {
	for _, rb := range d.runbooks {
		if rb.name != runbook {
			continue
		}
		for _, s := range rb.steps {
			if s.name == step {
				return s.applies
			}
		}
	}
	return ""
}
