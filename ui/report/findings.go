package report

import (
	"fmt"
	"strings"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// checkTitles names the process checks for people.
var checkTitles = map[score.CheckName]string{
	score.CheckClassification:        "Contacts classified",
	score.CheckPriority:              "Priority set for the impact",
	score.CheckIncidentAlert:         "Incident alert for P1/P2",
	score.CheckWarRoom:               "One war room",
	score.CheckCommandCenter:         "Command center engaged",
	score.CheckProblemRecord:         "Problem record",
	score.CheckChangeBeforeRemedy:    "Change approved before the remedy",
	score.CheckValidationBeforeClose: "Validation before close",
	score.CheckParentLinked:          "Incidents linked under one parent",
}

func checkTitle(c score.CheckName) string {
	if t, ok := checkTitles[c]; ok {
		return t
	}
	return sentence(words(string(c)))
}

// phaseDims files each phase under the dimension a late one reflects on,
// so the after-action report can group it with its core capability.
var phaseDims = map[score.Phase]scenario.Dimension{
	score.PhaseDetect:      scenario.DimDetection,
	score.PhaseAcknowledge: scenario.DimCoordination,
	score.PhaseDeclare:     scenario.DimTriage,
	score.PhaseIdentify:    scenario.DimTriage,
	score.PhaseMitigate:    scenario.DimRecovery,
	score.PhaseFix:         scenario.DimRecovery,
	score.PhaseRestore:     scenario.DimRecovery,
}

// findings derives what went well, what went wrong and where the team got
// lucky from what the score found: expectations, decisions, process checks,
// penalties, the phases against par and the quality signals. It judges
// nothing the score did not: it sorts the score's verdicts into the three
// questions a review asks.
func findings(sc *scenario.Scenario, r *Review) Findings {
	f := Findings{Well: []Finding{}, Wrong: []Finding{}, Lucky: []Finding{}}
	rep := r.Score
	for _, e := range rep.Expectations {
		what := e.Description
		if what == "" {
			what = e.Name
		}
		what = strings.TrimSuffix(what, ".")
		fd := Finding{Source: "expectation", Name: e.Name, Dimension: e.Dimension, Seq: e.Seq}
		switch {
		case e.Met && e.Late == 0:
			fd.Text = fmt.Sprintf("%s: met at %s%s (%s of %s points).", what, at(e.At), byWhom(e.By), num(e.Earned), num(e.Points))
			f.Well = append(f.Well, fd)
		case e.Met:
			fd.Text = fmt.Sprintf("%s: met %s after its deadline%s (%s of %s points).", what, dur(e.Late), byWhom(e.By), num(e.Earned), num(e.Points))
			f.Wrong = append(f.Wrong, fd)
		case e.NotApplicable, e.NotReached:
			// No reason to meet it, or its window not reached: no finding,
			// the appendix says why it is credited.
			continue
		default:
			deadline := ""
			if e.Within > 0 {
				deadline = ", due by " + at(e.Within)
			}
			fd.Text = fmt.Sprintf("%s: not met (%s points%s).", what, num(e.Points), deadline)
			f.Wrong = append(f.Wrong, fd)
		}
	}
	for _, m := range rep.Result.Measures {
		if m.NotApplicable || !m.HasPar {
			continue
		}
		fd := Finding{Source: "phase", Name: string(m.Phase), Dimension: phaseDims[m.Phase]}
		switch {
		case m.Censored:
			fd.Text = fmt.Sprintf("%s: %s; par %s.", sentence(phaseName(m.Phase)), censored(m.Duration), dur(m.Par))
			f.Wrong = append(f.Wrong, fd)
		case m.Duration <= m.Par:
			fd.Text = fmt.Sprintf("%s %s, within its par of %s.", sentence(phaseName(m.Phase)), dur(m.Duration), dur(m.Par))
			f.Well = append(f.Well, fd)
		default:
			fd.Text = fmt.Sprintf("%s %s, over its par of %s by %s.", sentence(phaseName(m.Phase)), dur(m.Duration), dur(m.Par), dur(m.Duration-m.Par))
			f.Wrong = append(f.Wrong, fd)
		}
	}
	f.decisions(sc, rep.Decisions)
	f.checks(rep.Compliance)
	for _, p := range rep.Penalties {
		f.Wrong = append(f.Wrong, Finding{Source: "penalty", Name: string(p.Kind), Dimension: p.Dimension, Seq: p.Evidence.Seq,
			Text: fmt.Sprintf("%s (%s points off %s).", strings.TrimSuffix(strings.TrimSpace(p.Detail), "."), num(p.Points), p.Dimension)})
	}
	f.quality(rep)
	f.detection(r.Detection)
	if m, ok := rep.Result.Measure(score.PhaseMitigate); ok && !m.Censored && !m.NotApplicable {
		for _, x := range r.Resolution.Healed {
			if x.EndedAt == m.At {
				f.Lucky = append(f.Lucky, Finding{Source: "quality", Name: x.Fault, Dimension: scenario.DimRecovery,
					Text: fmt.Sprintf("Customer impact ended at %s when %s on %s healed by itself, not through a remedy.", at(m.At), x.Fault, x.Service)})
			}
		}
	}
	if rep.Result.SelfHealed {
		f.Lucky = append(f.Lucky, Finding{Source: "quality", Name: "self_healed", Dimension: scenario.DimRecovery,
			Text: "The root cause healed by itself: the time to fix is when it went away, not something the team did."})
	}
	return f
}

func byWhom(by string) string {
	if by == "" {
		return ""
	}
	return " by " + by
}

func (f *Findings) decisions(sc *scenario.Scenario, ds []score.Decision) {
	for _, d := range ds {
		fd := Finding{Source: "decision", Name: d.Name, Dimension: d.Dimension, Seq: d.Seq}
		switch {
		case !d.Offered, d.NotReached:
			continue
		case !d.Answered:
			fd.Seq = d.OfferedSeq
			fd.Text = fmt.Sprintf("Decision %s was offered at %s and never answered.", d.Name, at(d.OfferedAt))
			f.Wrong = append(f.Wrong, fd)
		case d.TimedOut && d.Score > 0:
			fd.Text = fmt.Sprintf("Nobody answered decision %s; the timeout took option %s, which scored %s of %s.", d.Name, d.Option, num(d.Score), num(d.BestScore))
			f.Lucky = append(f.Lucky, fd)
		case d.TimedOut:
			fd.Text = fmt.Sprintf("Nobody answered decision %s; the timeout took option %s (scored %s; %s would have scored %s).", d.Name, d.Option, num(d.Score), d.Best, num(d.BestScore))
			f.Wrong = append(f.Wrong, fd)
		case d.Option == d.Best || d.Score >= d.BestScore:
			fd.Text = fmt.Sprintf("Decision %s: %s took the expected option, %s (%s points).", d.Name, orDash(d.By), d.Option, num(d.Score))
			f.Well = append(f.Well, fd)
		default:
			fd.Text = fmt.Sprintf("Decision %s: %s took %s (%s points) where %s scored %s.", d.Name, orDash(d.By), d.Option, num(d.Score), d.Best, num(d.BestScore))
			if n := optionNote(sc, d.Name, d.Best); n != "" {
				fd.Text += " " + n
			}
			f.Wrong = append(f.Wrong, fd)
		}
	}
}

// optionNote is the facilitator's note on a decision's option.
func optionNote(sc *scenario.Scenario, decision, option string) string {
	if o := findOption(sc, decision, option); o != nil && o.Note != "" {
		return "The facilitator's note on " + option + ": " + strings.TrimSpace(o.Note)
	}
	return ""
}

func findOption(sc *scenario.Scenario, decision, option string) *scenario.Option {
	for _, d := range sc.Decisions {
		if d == nil || d.Name != decision {
			continue
		}
		for _, o := range d.Options {
			if o != nil && o.Name == option {
				return o
			}
		}
	}
	return nil
}

// checks turns passed checks into one line per kind of check (a run has a
// classification check per contact) and each failure into its own.
func (f *Findings) checks(cs []score.Check) {
	type tally struct {
		n        int
		subjects []string
		detail   string
		seq      uint64
	}
	passed := map[score.CheckName]*tally{}
	var order []score.CheckName
	for _, c := range cs {
		switch c.Status {
		case score.Passed:
			t := passed[c.Check]
			if t == nil {
				t = &tally{detail: c.Detail}
				if len(c.Evidence) > 0 {
					t.seq = c.Evidence[0].Seq
				}
				passed[c.Check] = t
				order = append(order, c.Check)
			}
			t.n++
			if c.Subject != "" {
				t.subjects = append(t.subjects, c.Subject)
			}
		case score.Failed:
			fd := Finding{Source: "check", Name: string(c.Check), Dimension: scenario.DimProcess, Text: checkTitle(c.Check) + ": " + c.Detail}
			if c.Subject != "" {
				fd.Text = checkTitle(c.Check) + " (" + c.Subject + "): " + c.Detail
			}
			if len(c.Evidence) > 0 {
				fd.Seq = c.Evidence[0].Seq
			}
			f.Wrong = append(f.Wrong, fd)
		}
	}
	for _, name := range order {
		t := passed[name]
		fd := Finding{Source: "check", Name: string(name), Dimension: scenario.DimProcess, Seq: t.seq}
		if t.n == 1 {
			fd.Text = checkTitle(name) + ": " + t.detail
		} else {
			fd.Text = fmt.Sprintf("%s: passed all %d (%s).", checkTitle(name), t.n, strings.Join(t.subjects, ", "))
		}
		f.Well = append(f.Well, fd)
	}
}

func (f *Findings) quality(rep score.Report) {
	q := rep.Quality
	for _, fr := range q.FalseResolutions {
		f.Wrong = append(f.Wrong, Finding{Source: "quality", Name: "false_resolution", Dimension: scenario.DimRecovery, Seq: fr.Seq,
			Text: fmt.Sprintf("%s declared %s restored at %s while %s was still failing.", fr.By, fr.Record, at(fr.At), join(fr.Services))})
	}
	if q.Reopened > 0 {
		f.Wrong = append(f.Wrong, Finding{Source: "quality", Name: "reopened", Dimension: scenario.DimRecovery,
			Text: fmt.Sprintf("Records were reopened %s after being declared restored.", plural(q.Reopened, "time", "times"))})
	}
	if c := q.StatusUpdates; !c.NotApplicable {
		fd := Finding{Source: "quality", Name: "status_updates", Dimension: scenario.DimCommunication,
			Text: fmt.Sprintf("Stakeholder updates: %d of %d due on time (one every %s while a P1/P2 was open).", c.OnTime, c.Expected, dur(c.Every))}
		if c.OnTime >= c.Expected {
			f.Well = append(f.Well, fd)
		} else {
			f.Wrong = append(f.Wrong, fd)
		}
	}
	if l := q.MitigatedNotDeclared; !l.NotApplicable && l.Censored {
		f.Wrong = append(f.Wrong, Finding{Source: "quality", Name: "mitigated_not_declared", Dimension: scenario.DimCommunication,
			Text: fmt.Sprintf("Customer impact stopped at %s but nobody declared a workaround or restoration before the end.", at(l.From))})
	}
	if l := q.WithoutIncidentManager; !l.NotApplicable && l.Censored {
		f.Wrong = append(f.Wrong, Finding{Source: "quality", Name: "without_incident_manager", Dimension: scenario.DimCoordination,
			Text: fmt.Sprintf("No incident manager acted after the first P1/P2 at %s.", at(l.From))})
	}
}

func (f *Findings) detection(d score.Detection) {
	for _, a := range d.Alerts {
		fd := Finding{Source: "detection", Name: a.Alert, Dimension: scenario.DimDetection, Seq: a.Seq}
		switch a.Status {
		case score.AlertMissed:
			fd.Text = fmt.Sprintf("Alert %s did not fire although %s was impacted.", a.Alert, a.Service)
			f.Wrong = append(f.Wrong, fd)
		case score.AlertUnacknowledged:
			fd.Text = fmt.Sprintf("Alert %s fired at %s but nobody acknowledged its page.", a.Alert, at(a.FiredAt))
			f.Wrong = append(f.Wrong, fd)
		}
	}
	if d.How == "record" && d.Class == "service_request" {
		f.Lucky = append(f.Lucky, Finding{Source: "detection", Name: d.By, Dimension: scenario.DimDetection, Seq: d.Seq,
			Text: fmt.Sprintf("Detection was counted from %s, a service request about an impacted service, before any alert or outage report.", d.By)})
	}
}
