package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/records"
)

// drawRecords draws the pages waiting for this seat and the incidents.
func (c *console) drawRecords(r region) {
	if r.h == 0 {
		return
	}
	rows := c.rows()
	live := 0
	for _, x := range rows {
		if x.inc != nil && x.inc.Live() {
			live++
		}
	}
	r.put(0, 0, fmt.Sprintf("Incidents (%d open)", live), stTitle)
	if len(rows) == 0 {
		r.put(0, 1, "none yet", stDim)
		return
	}
	list := r.sub(0, 1, r.w, r.h-1)
	sel := max(0, min(c.sel, len(rows)-1))
	first := 0
	if sel >= list.h {
		first = sel - list.h + 1
	}
	for i := first; i < len(rows) && i-first < list.h; i++ {
		x := rows[i]
		var text string
		st := stDefault
		switch {
		case x.page != nil:
			text = pageRow(x.page, c.m.Now)
			st = stPage
		default:
			text = incidentRow(x.inc)
			if !x.inc.Live() {
				st = stDim
			}
		}
		if c.focus == focusKeys && i == sel {
			list.bar(i-first, text, stSelected)
			continue
		}
		list.put(0, i-first, text, st)
	}
}

func pageRow(p *records.Page, now time.Duration) string {
	src := p.Alert
	if src == "" {
		src = "from " + p.From
	}
	s := fmt.Sprintf("%s page %s", p.Page, src)
	if p.Incident != "" {
		s += " " + p.Incident
	}
	if p.SilencedUntil > now {
		s += " (silenced)"
	}
	return s + " — a to ack"
}

// incidentRow is an incident as one row: number, priority, state,
// assignee, parent, description.
func incidentRow(inc *engine.Incident) string {
	prio := "P?"
	if inc.Priority > 0 {
		prio = fmt.Sprintf("P%d", inc.Priority)
	}
	who := orDefault(inc.Group, "unassigned")
	if inc.Assignee != "" {
		who += "/" + inc.Assignee
	}
	rel := ""
	switch {
	case inc.Parent != "":
		rel = " ↑" + inc.Parent
	case inc.IsParent:
		rel = fmt.Sprintf(" parent of %d", len(inc.Children))
	}
	return fmt.Sprintf("%s %s %-11s %s%s %s", inc.Number, prio, stateWords(inc.State), who, rel, clean(inc.ShortDescription))
}

func stateWords(s engine.State) string { return strings.ReplaceAll(string(s), "_", " ") }

// drawServices draws a row per service: health, error rate and latency
// with sparklines.
func (c *console) drawServices(r region, svc []*Service) {
	if r.h == 0 {
		return
	}
	r.put(0, 0, "Services (errors · latency)", stTitle)
	for i, s := range svc {
		if i+1 >= r.h {
			break
		}
		r.put(0, i+1, serviceRow(s, r.w), serviceStyle(s))
	}
}

func serviceStyle(s *Service) styleT {
	if s.Last.Healthy {
		return stOK
	}
	return stError
}

// serviceRow fits a service's health, error rate and latency, each with a
// sparkline when there is room, in w columns.
func serviceRow(s *Service, w int) string {
	mark := "●"
	if !s.Last.Healthy {
		mark = "✖"
	}
	nameW := max(6, min(16, w/3))
	name, _ := fit(s.Name, nameW)
	errs := fmt.Sprintf("%5s", percent(s.Last.ErrorRate))
	lat := fmt.Sprintf("%6s", fmt.Sprintf("%.0fms", s.Last.LatencyMS))
	head := fmt.Sprintf("%s %-*s", mark, nameW, name)
	room := w - width(head) - len(errs) - len(lat) - 4
	n := min(seriesLen, room/2)
	if n < 3 {
		return head + " " + errs + " " + lat
	}
	return fmt.Sprintf("%s %s %-*s %s %s", head, errs, n, spark(s.Errors, n, 0, 0.05), lat, spark(s.Latency, n, -1, 0))
}

// drawRunbook draws the runbook's steps and what running them showed.
func (c *console) drawRunbook(r region) {
	rb := c.m.Runbook
	row := 0
	emit := func(text string, st styleT, indent int) {
		for _, l := range wrap(text, r.w-indent, r.w-indent) {
			if row >= r.h-1 {
				return
			}
			r.put(indent, row, l, st)
			row++
		}
	}
	emit("Runbook "+rb.Name, stTitle, 0)
	emit(rb.Title, stDefault, 0)
	for i, s := range rb.Steps {
		emit(fmt.Sprintf("%d. %s", i+1, s.Name), stWarn, 0)
		emit(s.Text, stDefault, 3)
		for _, res := range s.Result {
			emit("→ "+res, stResult, 3)
		}
	}
	r.put(0, r.h-1, "s run a step · x close", stDim)
}

// drawDecision draws the decision modal over the middle of the screen.
func (c *console) drawDecision(full region, d *Decision) {
	bw := min(full.w-2, 74)
	if bw < 10 || full.h < 5 {
		full.bar(full.h-1, " decision "+d.Name+": press 1-9 or Esc", stDecision)
		return
	}
	inner := bw - 4
	var lines []string
	var styles []styleT
	add := func(text string, st styleT) {
		for _, l := range wrap(text, inner, inner) {
			lines = append(lines, l)
			styles = append(styles, st)
		}
	}
	title := "Decision: " + d.Name
	if d.Timeout > 0 {
		left := d.At + d.Timeout - c.m.Now
		title += " (" + ago(max(0, left)) + " left)"
	}
	add(title, stDecision)
	add(d.Prompt, stDefault)
	lines = append(lines, "")
	styles = append(styles, stDefault)
	for i, o := range d.Options {
		add(fmt.Sprintf("[%d] %s", i+1, o.Text), stDefault)
	}
	lines = append(lines, "")
	styles = append(styles, stDefault)
	add("1-9 choose · Esc later (d or /decide brings it back)", stDim)
	bh := min(len(lines)+2, full.h-2)
	box := full.sub((full.w-bw)/2, max(1, (full.h-bh)/2), bw, bh)
	box.fill(stDefault)
	box.put(0, 0, "┌"+strings.Repeat("─", bw-2)+"┐", stDecision)
	for row := 1; row < box.h-1; row++ {
		box.put(0, row, "│", stDecision)
		box.put(bw-1, row, "│", stDecision)
		if i := row - 1; i < len(lines) {
			box.put(2, row, lines[i], styles[i])
		}
	}
	box.put(0, box.h-1, "└"+strings.Repeat("─", bw-2)+"┘", stDecision)
}
