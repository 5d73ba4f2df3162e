package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine/score"
)

func (w *reviewWriter) waterfall() {
	r := w.r
	w.h(2, "waterfall", "Phase waterfall")
	w.para(txt("From impact to close, each phase with its duration and its par, every one measured from the start of the impact."))
	ref := map[string]score.PhaseDelta{}
	for _, d := range r.Reference {
		ref[string(d.Phase)] = d
	}
	var rows []barRow
	maxT := r.Score.Result.End
	for _, b := range r.Waterfall {
		br := barRow{label: b.Name, from: b.From, to: b.To, par: b.From + b.Par, hasPar: b.HasPar, over: b.OverPar,
			censored: b.Censored, na: b.NotApplicable, point: b.Phase == "impact"}
		switch {
		case b.Phase == "impact":
			br.value = at(b.From)
			br.title = "impact starts at " + at(b.From)
		case b.NotApplicable:
			br.value = "n/a"
		case b.Censored:
			br.value = ">" + dur(b.Duration)
		default:
			br.value = dur(b.Duration)
		}
		if br.title == "" {
			br.title = fmt.Sprintf("%s: %s, par %s", b.Name, barText(b), barPar(b))
		}
		if d, ok := ref[b.Phase]; ok && !d.NotApplicable && !d.RefCensored {
			br.ref, br.hasRef = b.From+d.Ref, true
			maxT = max(maxT, br.ref)
		}
		if b.HasPar {
			maxT = max(maxT, b.From+b.Par)
		}
		rows = append(rows, br)
	}
	f := figure{caption: "Bars run from where each phase starts to where it ended; the black mark is its par. A hatched bar never ended and is counted at the end of the exercise."}
	if w.svg {
		f.svg = responsiveBars("hatch-wf", "Phase waterfall from impact to close", rows, maxT, true)
	} else {
		f.md = textWaterfall(rows, maxT)
		f.caption = "█ within par, ▓ beyond par, ░ did not happen (counted at the end), ┊ par, ◆ impact starts."
	}
	w.fig(f)

	var trs [][]text
	for _, b := range r.Waterfall {
		row := []text{txt(sentence(b.Name)), txt(at(b.From)), txt(at(b.To)), txt(barText(b)), txt(barPar(b)), txt(barVerdict(b))}
		if len(ref) > 0 {
			d, ok := ref[b.Phase]
			rt := "—"
			if ok && !d.NotApplicable {
				rt = refDelta(d)
			}
			row = append(row, txt(rt))
		}
		trs = append(trs, row)
	}
	head := []string{"Mark", "From", "To", "Duration", "Par", "Verdict"}
	num := []bool{false, true, true, true, true, false}
	if len(ref) > 0 {
		head, num = append(head, "Against the reference run"), append(num, false)
	}
	w.table(table{head: head, num: num, rows: trs})
	if st := r.Score.Quality.StatedTimes; len(st) > 0 {
		w.h(3, "stated", "Times the players stated against the ground truth")
		var rows [][]text
		for _, s := range st {
			truth, gap := "never happened", "—"
			if s.HasTruth {
				truth, gap = at(s.Truth), delta(s.Gap)
			}
			rows = append(rows, []text{txt(s.By), maybeCode(s.Record), txt(words(string(s.Milestone))), txt(at(s.Claimed)), txt(truth), txt(gap), txt(at(s.At))})
		}
		w.table(table{head: []string{"Who", "Record", "Milestone", "Stated", "Truth", "Gap", "Stated at"}, num: []bool{false, false, false, true, true, true, true}, rows: rows})
	}
}

func barText(b Bar) string {
	switch {
	case b.Phase == "impact":
		return "—"
	case b.NotApplicable:
		return "not applicable"
	case b.Censored:
		return censored(b.Duration)
	}
	return dur(b.Duration)
}

func barPar(b Bar) string {
	if !b.HasPar {
		return "—"
	}
	return dur(b.Par)
}

func barVerdict(b Bar) string {
	switch {
	case b.Phase == "impact":
		return "t0"
	case b.NotApplicable:
		return "not applicable"
	case b.Censored && b.OverPar:
		return "over par (did not happen)"
	case b.Censored:
		return "did not happen"
	case !b.HasPar:
		return "no par set"
	case b.OverPar:
		return "over par by " + dur(b.Duration-b.Par)
	}
	return "within par"
}

// textWaterfall draws the waterfall in characters for Markdown, where no
// SVG is allowed: one row per mark, on a shared time axis.
func textWaterfall(rows []barRow, maxT time.Duration) string {
	const width = 48
	if maxT <= 0 {
		maxT = time.Minute
	}
	col := func(d time.Duration) int { return min(width-1, max(0, int(float64(width)*float64(d)/float64(maxT)))) }
	label := 0
	for _, r := range rows {
		label = max(label, len([]rune(r.label)))
	}
	var b strings.Builder
	// Axis: a tick label every step.
	step := axisStep(maxT)
	axis := []rune(strings.Repeat(" ", width+8))
	for t := time.Duration(0); t <= maxT; t += step {
		l := []rune("+" + hm(t))
		c := col(t)
		if c+len(l) <= len(axis) {
			copy(axis[c:], l)
		}
	}
	b.WriteString(strings.Repeat(" ", label+1) + strings.TrimRight(string(axis), " ") + "\n")
	for _, r := range rows {
		line := []rune(strings.Repeat(" ", width))
		switch {
		case r.na:
		case r.point:
			line[col(r.from)] = '◆'
		default:
			from, to := col(r.from), max(col(r.to), col(r.from))
			parC := col(r.par)
			for i := from; i <= to; i++ {
				switch {
				case r.censored:
					line[i] = '░'
				case r.hasPar && r.over && i > parC:
					line[i] = '▓'
				default:
					line[i] = '█'
				}
			}
			if r.hasPar && (parC > to || parC < from) {
				line[parC] = '┊'
			}
		}
		b.WriteString(r.label + strings.Repeat(" ", label-len([]rune(r.label))+1))
		b.WriteString(string(line) + "  " + r.value + "\n")
	}
	return b.String()
}

func (w *reviewWriter) factors() {
	f := w.r.Factors
	w.h(2, "factors", "Contributing factors and trigger")
	w.h(3, "root-cause", "Root cause")
	if len(f.RootCauses) == 0 {
		w.none("No root-cause fault started.")
	}
	var items []text
	for _, x := range f.RootCauses {
		items = append(items, w.faultLine(x))
	}
	w.list(items)
	w.h(3, "trigger", "Trigger")
	if len(f.Triggers) == 0 {
		w.none("No change was logged on a root-cause service's vendor before the fault.")
	} else {
		w.para(txt("Changes the vendor of a root-cause service logged before the fault started (times relative to the start of the exercise):"))
		items = nil
		for _, t := range f.Triggers {
			items = append(items, text{c(t.Vendor), p(" "), c(t.Change), p(" at " + delta(t.At) + ": " + w.clipText(t.Note))})
		}
		w.list(items)
	}
	w.h(3, "contributing", "Contributing factors")
	if len(f.Contributing) == 0 && len(f.Harmful) == 0 {
		w.none("No other fault started and no remedy did harm.")
		return
	}
	items = nil
	for _, x := range f.Contributing {
		items = append(items, w.faultLine(x))
	}
	for _, pn := range f.Harmful {
		items = append(items, txt(fmt.Sprintf("Made worse: %s (%s, at %s).", strings.TrimSuffix(pn.Detail, "."), orDash(pn.Evidence.Actor), at(pn.Evidence.At))))
	}
	w.list(items)
}

func (w *reviewWriter) faultLine(x score.Fault) text {
	t := text{c(x.Fault), p(" on "), c(x.Service), p(" from " + w.when(x.Started))}
	if x.SetOffBy != "" {
		t = t.and(p(", set off by " + x.SetOffBy))
	}
	if x.Cause != "" {
		t = t.and(p(": " + strings.TrimSuffix(w.clipText(x.Cause), ".") + "."))
	} else {
		t = t.and(p("."))
	}
	if x.Ended != "" {
		t = t.and(p(fmt.Sprintf(" %s at %s.", sentence(x.Ended), at(x.EndedAt))))
	} else {
		t = t.and(p(" Still active at the end."))
	}
	return t
}

func (w *reviewWriter) resolution() {
	r := w.r
	res := r.Resolution
	w.h(2, "resolution", "Resolution")
	remedies := func(rs []score.Remedy, verb string) []text {
		var out []text
		for _, x := range rs {
			t := text{p("Remedy "), c(x.Remedy), p(" on "), c(x.Service)}
			if x.By != "" {
				t = t.and(p(fmt.Sprintf(", started by %s at %s", x.By, at(x.Started))))
			}
			t = t.and(p(fmt.Sprintf(", completed at %s: %s ", at(x.Completed), verb)))
			for i, f := range x.Faults {
				if i > 0 {
					t = t.and(p(", "))
				}
				t = t.and(c(f))
			}
			out = append(out, t.and(p(".")))
		}
		return out
	}
	w.h(3, "stopped", "What stopped the impact")
	if m, ok := r.Score.Result.Measure(score.PhaseMitigate); ok && !m.NotApplicable {
		if m.Censored {
			w.para(txt("Customer impact did not stop before the end of the exercise."))
		} else {
			w.para(txt("Customer impact stopped at " + w.when(m.At) + "."))
		}
	}
	w.list(remedies(res.Mitigated, "mitigated"))
	var items []text
	for _, x := range res.Healed {
		items = append(items, text{p("Fault "), c(x.Fault), p(" on "), c(x.Service), p(" healed by itself at " + at(x.EndedAt) + ".")})
	}
	w.list(items)
	w.h(3, "fixed", "What fixed it")
	switch {
	case res.SelfHealed:
		w.para(txt("The root cause healed by itself; no remedy removed it."))
	case len(res.Fixed) == 0:
		w.none("No remedy removed the root cause before the end.")
	}
	w.list(remedies(res.Fixed, "fixed"))

	w.h(3, "records", "Incident records")
	if len(res.Records) == 0 {
		w.none("No incident record was created.")
	} else {
		var rows [][]text
		for _, x := range res.Records {
			rows = append(rows, []text{codes(x.Number), txt(words(x.Kind)), txt(prioInt(x.Priority)), maybeCode(x.Service), txt(words(x.State)), maybeCode(x.Parent), txt(orDash(strings.Join(x.Links, ", "))), txt(w.clipText(x.Text))})
		}
		w.table(table{head: []string{"Record", "Class", "Priority", "Service", "State at the end", "Parent", "Problems and changes", "Description"}, rows: rows})
	}
	w.h(3, "problems-changes", "Problem and change records")
	if len(res.Problems)+len(res.Changes) == 0 {
		w.none("No problem or change record was opened.")
		return
	}
	var rows [][]text
	for _, x := range append(append([]score.Record{}, res.Problems...), res.Changes...) {
		rows = append(rows, []text{codes(x.Number), txt(x.Kind), txt(words(x.State)), txt(orDash(strings.Join(x.Links, ", "))), txt(orDash(x.OpenedBy)), txt(at(x.Opened)), txt(w.clipText(x.Text))})
	}
	w.table(table{head: []string{"Record", "Kind", "State at the end", "For", "Opened by", "Opened", "Description"}, rows: rows})
}

func prioInt(p int) string {
	if p < 1 {
		return "—"
	}
	return fmt.Sprintf("P%d", p)
}

func (w *reviewWriter) findings() {
	f := w.r.Findings
	w.h(2, "findings", "What went well, what went wrong, where we got lucky")
	w.para(txt("Sorted from the score's verdicts: expectations, decisions, process checks, penalties, the phases against par and the quality signals."))
	for _, g := range []struct {
		id, title, none string
		items           []Finding
	}{
		{"well", "What went well", "Nothing the score credits.", f.Well},
		{"wrong", "What went wrong", "Nothing the score faults.", f.Wrong},
		{"lucky", "Where we got lucky", "Nothing the score puts down to luck.", f.Lucky},
	} {
		w.h(3, g.id, g.title)
		if len(g.items) == 0 {
			w.none(g.none)
			continue
		}
		items := make([]text, 0, len(g.items))
		for _, x := range g.items {
			items = append(items, text{it(sentence(string(x.Dimension))), p(": " + w.clipText(x.Text))})
		}
		w.list(items)
	}
}

func (w *reviewWriter) decisions() {
	ds := w.r.Score.Decisions
	w.h(2, "decisions", "Decisions against the expected path")
	if len(ds) == 0 {
		w.none("The scenario has no decision points.")
		return
	}
	var rows [][]text
	var notes []text
	for _, d := range ds {
		offered, chosen, pts := "not offered", "—", num(d.Earned)+" of "+num(d.Max)+" (no occasion)"
		if d.Offered {
			offered = at(d.OfferedAt)
			pts = num(d.Earned) + " of " + num(d.Max)
		}
		switch {
		case d.Answered && d.TimedOut:
			chosen = d.Option + " (timeout, after " + dur(d.Took) + ")"
		case d.Answered:
			chosen = d.Option + " (" + orDash(d.By) + ", after " + dur(d.Took) + ")"
		case d.NotReached:
			chosen = "open when the exercise ended, before its timeout"
		case d.Offered:
			chosen = "never answered"
		}
		expected := d.Best
		if o := findOption(w.sc, d.Name, d.Best); o != nil && o.Text != "" {
			expected += ": " + o.Text
		}
		path := "on the expected path"
		if d.Answered && d.Option != d.Best && d.Score < d.BestScore {
			path = "off the expected path"
		}
		if !d.Answered {
			path = "—"
		}
		rows = append(rows, []text{codes(d.Name), txt(offered), txt(chosen), txt(pts), txt(path), txt(w.clipText(expected))})
		if d.Answered && d.Note != "" {
			notes = append(notes, text{c(d.Name), p(" — " + d.Option + ": " + w.clipText(d.Note))})
		}
		if len(d.Consequences) > 0 {
			notes = append(notes, text{c(d.Name), p(" — set off " + strings.Join(d.Consequences, ", ") + ".")})
		}
	}
	w.table(table{head: []string{"Decision", "Offered", "Chosen", "Points", "Path", "Expected option"}, rows: rows})
	if len(notes) > 0 {
		w.h(3, "decision-notes", "Facilitator's notes on the options chosen")
		w.list(notes)
	}
}

func (w *reviewWriter) followUps() {
	r := w.r
	w.h(2, "follow-up", "Action items and lessons learned")
	w.h(3, "action-items", "Action items")
	if len(r.Meta.ActionItems) == 0 {
		w.none("No action items were recorded for this review.")
	} else {
		var rows [][]text
		for _, a := range r.Meta.ActionItems {
			rows = append(rows, []text{txt(a.Action), txt(orDash(a.Type)), txt(orDash(a.Owner)), txt(orDash(a.Ticket)), txt(orDash(a.Due)), txt(orDash(a.Status))})
		}
		w.table(table{head: []string{"Action", "Type", "Owner", "Ticket", "Due", "Status"}, rows: rows})
	}
	w.h(3, "lessons", "Lessons learned by the players")
	if len(r.Score.Lessons) == 0 {
		w.none("No player entered a lesson learned.")
		return
	}
	var items []text
	for _, l := range r.Score.Lessons {
		when := at(l.At)
		if l.AfterEnd {
			when = "after the end"
		}
		items = append(items, text{b(l.Author), p(fmt.Sprintf(" (%s, %s): %s", words(string(l.Role)), when, w.clipText(l.Text)))})
	}
	w.list(items)
}

func (w *reviewWriter) confidence() {
	r := w.r
	w.h(2, "confidence", "Confidence beside performance")
	w.para(txt(fmt.Sprintf("Players rate their confidence from 1 to 5 when they join and again at the end. The team scored %s; beside each rating is what the score credits and charges that person with (the score itself is the team's, not a person's).", percent(r.Score.Overall.Percent))))
	if len(r.People) == 0 {
		w.none("Nobody rated their confidence or acted.")
		return
	}
	var rows [][]text
	for _, pp := range r.People {
		first, last := "—", "—"
		if pp.Ratings > 0 {
			first = fmt.Sprint(pp.First)
		}
		if pp.Ratings > 1 {
			last = fmt.Sprint(pp.Last)
			if pp.AfterEnd {
				last += " (at the end)"
			}
		}
		rows = append(rows, []text{txt(pp.Name), txt(orDash(roleWords(pp.Roles))), txt(first), txt(last),
			txt(orDash(strings.Join(pp.Credited, ", "))), txt(orDash(strings.Join(pp.Decisions, "; "))), txt(orDash(strings.Join(pp.Penalties, "; ")))})
	}
	w.table(table{head: []string{"Person", "Roles", "First rating", "Last rating", "Expectations met", "Decisions", "Penalties"}, num: []bool{false, false, true, true}, rows: rows})
}

func (w *reviewWriter) notes() {
	w.h(2, "notes", "Facilitator's notes")
	if len(w.r.Meta.Notes) == 0 {
		w.none("The facilitator added no notes.")
		return
	}
	for _, n := range w.r.Meta.Notes {
		w.para(txt(n))
	}
}
