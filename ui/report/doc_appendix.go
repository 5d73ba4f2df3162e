package report

import (
	"fmt"
	"strings"

	"github.com/firedrill/firedrill/engine/score"
)

// appendix lists the raw figures of engine/score, for whoever wants to
// check a sentence of the review against the numbers behind it.
func (w *reviewWriter) appendix() {
	r := w.r
	rep := r.Score
	res := rep.Result
	w.h(2, "appendix", "Appendix: raw metrics")
	w.para(txt("Virtual times are since the start of the exercise. The JSON export carries every figure at full precision."))

	w.h(3, "raw-measures", "Time measures")
	t0 := "none (no root-cause fault)"
	if res.HasT0 {
		t0 = at(res.T0)
	}
	w.para(txt(fmt.Sprintf("Impact start (t0): %s. End of the exercise: %s.", t0, at(res.End))))
	var rows [][]text
	for _, m := range res.Measures {
		rows = append(rows, []text{txt(sentence(phaseName(m.Phase))), txt(dur(m.Duration)), txt(at(m.At)), txt(yesNo(m.Censored)), txt(parText(m)), txt(yesNo(m.NotApplicable))})
	}
	w.table(table{head: []string{"Measure", "Duration", "Ended at", "Censored", "Par", "Not applicable"}, num: []bool{false, true, true, false, true, false}, rows: rows})
	w.list([]text{
		txt(fmt.Sprintf("Raw error rate, impact to restoration: %s (%s failed of %s).", pct(res.RawErrorRateOverall.Rate), count(res.RawErrorRateOverall.Failed), count(res.RawErrorRateOverall.Total))),
		txt(fmt.Sprintf("Downtime of critical services: %s minutes.", num(res.DowntimeMinutes))),
		txt(fmt.Sprintf("War rooms: %d (duplicates %d). Escalation depth: %d.", res.WarRooms, res.DuplicateWarRooms, res.EscalationDepth)),
	})
	if len(res.Causes) > 0 {
		rows = nil
		for _, c := range res.Causes {
			how := c.Outcome
			if c.Remedy != "" {
				how += " by " + c.Remedy
			}
			when := "—"
			if c.Outcome != score.CauseActive {
				when = at(c.At)
			}
			rows = append(rows, []text{codes(c.Fault), codes(c.Service), txt(how), txt(when), txt(evidenceText(c.Evidence))})
		}
		w.table(table{head: []string{"Root cause", "Service", "Ended", "At", "Event"}, num: []bool{false, false, false, true, true}, rows: rows})
	}

	w.h(3, "glossary", "Glossary of the measures")
	var defs []text
	for _, ph := range score.Phases() {
		defs = append(defs, text{b(sentence(phaseName(ph)) + ". "), p(ph.Definition())})
	}
	w.list(defs)
	w.para(txt(score.Intervals))

	w.h(3, "raw-dimensions", "Score by dimension")
	rows = nil
	for _, d := range rep.Dimensions {
		rows = append(rows, []text{txt(string(d.Dimension)), txt(num(d.Earned)), txt(num(d.Penalties)), txt(num(d.Points)), txt(num(d.Max)), txt(percent(d.Percent))})
	}
	rows = append(rows, []text{bold("overall"), txt(""), txt(""), bold(num(rep.Overall.Points)), bold(num(rep.Overall.Max)), bold(percent(rep.Overall.Percent))})
	w.table(table{head: []string{"Dimension", "Earned", "Penalties", "Points", "Max", "Percent"}, num: []bool{false, true, true, true, true, true}, rows: rows})
	w.para(txt(score.Scoring))

	w.h(3, "raw-expectations", "Expectations")
	if len(rep.Expectations) == 0 {
		w.none("The scenario has no expectations.")
	} else {
		rows = nil
		for _, e := range rep.Expectations {
			within, met, late := "—", "no", "—"
			if e.Within > 0 {
				within = at(e.Within)
			}
			switch {
			case e.Met:
				met = at(e.At)
			case e.NotApplicable:
				met = "no occasion"
			case e.NotReached:
				met = "window not reached"
			}
			if e.Late > 0 {
				late = dur(e.Late)
			}
			rows = append(rows, []text{codes(e.Name), txt(string(e.Dimension)), txt(within), txt(met), txt(late), txt(orDash(e.By)), txt(num(e.Earned) + "/" + num(e.Points))})
		}
		w.table(table{head: []string{"Expectation", "Dimension", "Due", "Met", "Late", "By", "Points"}, num: []bool{false, false, true, true, true, false, true}, rows: rows})
	}

	w.h(3, "raw-checks", "Process checks")
	if len(rep.Compliance) == 0 {
		w.none("No process check applied.")
	} else {
		rows = nil
		for _, c := range rep.Compliance {
			var seqs []string
			for _, e := range c.Evidence {
				seqs = append(seqs, fmt.Sprintf("#%d", e.Seq))
			}
			status := words(string(c.Status))
			if c.Violations > 0 {
				status += fmt.Sprintf(" (%d refused)", c.Violations)
			}
			rows = append(rows, []text{codes(string(c.Check)), txt(orDash(c.Subject)), txt(status), txt(num(c.Points) + "/" + num(c.Max)), txt(w.clipText(c.Detail)), txt(orDash(strings.Join(seqs, " ")))})
		}
		w.table(table{head: []string{"Check", "Subject", "Status", "Points", "Detail", "Evidence"}, rows: rows})
	}

	w.h(3, "raw-penalties", "Penalties")
	if len(rep.Penalties) == 0 {
		w.none("No penalties.")
	} else {
		rows = nil
		for _, pn := range rep.Penalties {
			rows = append(rows, []text{codes(string(pn.Kind)), txt(string(pn.Dimension)), txt("-" + num(pn.Points)), txt(pn.Subject), txt(orDash(pn.Evidence.Actor)), txt(at(pn.Evidence.At)), txt(fmt.Sprintf("#%d", pn.Evidence.Seq))})
		}
		w.table(table{head: []string{"Penalty", "Dimension", "Points", "Subject", "Who", "At", "Evidence"}, num: []bool{false, false, true}, rows: rows})
	}

	w.h(3, "raw-quality", "Quality signals")
	q := rep.Quality
	items := []text{
		txt(fmt.Sprintf("False resolutions (restored declared while service was down): %d.", len(q.FalseResolutions))),
		txt(fmt.Sprintf("Records reopened: %d.", q.Reopened)),
		txt("Impact stopped but not declared: " + lagText(q.MitigatedNotDeclared) + "."),
		txt("Without an incident manager after the first P1/P2: " + lagText(q.WithoutIncidentManager) + "."),
	}
	if c := q.StatusUpdates; c.NotApplicable {
		items = append(items, txt("Stakeholder update cadence: not applicable (no P1/P2, or no cadence set)."))
	} else {
		items = append(items, txt(fmt.Sprintf("Stakeholder update cadence: every %s from %s to %s; %d updates, %d of %d due on time (%s).",
			dur(c.Every), at(c.From), at(c.To), c.Updates, c.OnTime, c.Expected, pct(c.Ratio))))
	}
	items = append(items, txt(fmt.Sprintf("Times stated by players: %d.", len(q.StatedTimes))))
	w.list(items)
	for _, fr := range q.FalseResolutions {
		w.para(txt(fmt.Sprintf("False resolution #%d: %s declared %s restored at %s while %s was failing.", fr.Seq, fr.By, fr.Record, at(fr.At), strings.Join(fr.Services, ", "))))
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func lagText(l score.Lag) string {
	switch {
	case l.NotApplicable:
		return "not applicable"
	case l.Censored:
		return fmt.Sprintf("from %s, never ended (>%s)", at(l.From), dur(l.Duration))
	}
	s := fmt.Sprintf("%s (from %s to %s", dur(l.Duration), at(l.From), at(l.To))
	if l.By != "" {
		s += ", ended by " + l.By
	}
	return s + ")"
}
