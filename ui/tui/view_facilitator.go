package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// section is a titled block of the facilitator's side panel.
type section struct {
	title string
	rows  []string
	style []styleT
	// want is the most rows worth giving it; it may get fewer.
	want int
}

func (s *section) add(text string, st styleT) {
	s.rows = append(s.rows, text)
	s.style = append(s.style, st)
}

// drawFacilitatorBody shows everything that happens on the left and, on
// the right, the ground truth, the running score, the groups, who has gone
// quiet and every record.
func (c *console) drawFacilitatorBody(r region) {
	if r.w < 72 || r.h < 6 {
		c.drawFeed(r)
		return
	}
	sw := max(34, min(64, r.w/2))
	c.drawFeed(r.sub(0, 0, r.w-sw-1, r.h))
	for row := range r.h {
		r.put(r.w-sw-1, row, "│", stDim)
	}
	side := r.sub(r.w-sw, 0, sw, r.h)
	secs := []*section{c.truthSection(), c.scoreSection(), c.groupsSection(), c.quietSection(), c.recordsSection()}
	drawSections(side, secs)
}

// drawSections gives each section its title and as many of its rows as
// fit, sharing the height out in order: every section first gets a few
// rows, then the rest goes to those that want more.
func drawSections(r region, secs []*section) {
	heights := make([]int, len(secs))
	left := r.h
	for i, s := range secs {
		h := min(1+len(s.rows), 1+min(s.want, 3))
		h = min(h, left)
		heights[i] = h
		left -= h
	}
	for i, s := range secs {
		if left == 0 {
			break
		}
		more := min(left, 1+min(len(s.rows), s.want)-heights[i])
		if more > 0 {
			heights[i] += more
			left -= more
		}
	}
	row := 0
	for i, s := range secs {
		h := heights[i]
		if h == 0 {
			continue
		}
		box := r.sub(0, row, r.w, h)
		box.put(0, 0, s.title, stTitle)
		for j := 0; j < len(s.rows) && j+1 < h; j++ {
			text := s.rows[j]
			if j+2 == h && j+1 < len(s.rows) {
				text = fmt.Sprintf("… %d more", len(s.rows)-j)
			}
			box.put(1, j+1, text, s.style[j])
		}
		row += h
	}
}

func (c *console) truthSection() *section {
	t := &c.m.Truth
	s := &section{title: "Ground truth", want: 8}
	if len(t.Faults) == 0 {
		s.add("no fault has started", stDim)
	}
	for _, f := range t.Faults {
		text := f.Name + " on " + f.Service + ": " + f.State
		if f.RootCause {
			text = "ROOT " + text
		}
		st := stDim
		if f.Active() {
			st = stError
		}
		s.add(text, st)
	}
	switch {
	case len(t.Restored) > 0:
		s.add("restored: "+strings.Join(t.Restored, ", "), stOK)
	case t.ImpactOver:
		s.add("customer impact ended", stOK)
	}
	for _, cl := range t.Claims {
		verdict, st := "wrong", stWarn
		if cl.Correct {
			verdict, st = "right", stOK
		}
		s.add(fmt.Sprintf("%s names %s%s (%s)", orDefault(cl.By, "someone"), cl.Service, forRecord(cl.Incident), verdict), st)
	}
	return s
}

func (c *console) scoreSection() *section {
	t := &c.m.Truth
	// Live: the expectations the engine saw met so far. The verdicts are
	// decided at the end, from the whole log, and may differ.
	s := &section{title: fmt.Sprintf("Provisional score %s (%d expectations met so far)", ftoa(t.Total()), len(t.Met)), want: 3}
	// Dimensions two to a row keep the panel short.
	dims := t.Dimensions()
	for i := 0; i < len(dims); i += 2 {
		row := fmt.Sprintf("%-14s %4s", dims[i], ftoa(t.Score[dims[i]]))
		if i+1 < len(dims) {
			row += fmt.Sprintf("   %-14s %4s", dims[i+1], ftoa(t.Score[dims[i+1]]))
		}
		s.add(row, stDefault)
	}
	return s
}

// groupsSection is one row per group: its live incidents, pages nobody
// took, and when one of its people last acted.
func (c *console) groupsSection() *section {
	m := c.m
	s := &section{title: "Groups", want: 8}
	var groups []string
	for _, ch := range m.Channels {
		if g, ok := strings.CutPrefix(ch, "group:"); ok {
			groups = append(groups, g)
		}
	}
	for _, g := range m.names.groups {
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	for _, g := range groups {
		incs, pages := 0, 0
		for _, inc := range m.Records.Incidents {
			if inc.Live() && inc.Group == g {
				incs++
			}
		}
		for _, p := range m.Records.Pages {
			if p.Open() && p.Group == g {
				pages++
			}
		}
		last, who := lastActive(&m.Truth, g)
		act := "no one has acted"
		if who != "" {
			act = who + " " + ago(m.Now-last) + " ago"
		}
		st := stDefault
		if pages > 0 {
			st = stWarn
		}
		s.add(fmt.Sprintf("%-12s %d inc · %d pages open · %s", g, incs, pages, act), st)
	}
	if len(groups) == 0 {
		s.add("none seen yet", stDim)
	}
	return s
}

// lastActive is the latest action by a person known to be in group g.
func lastActive(t *Truth, g string) (at time.Duration, who string) {
	at = -1
	for p, grp := range t.groupOf {
		if grp != g {
			continue
		}
		if a, ok := t.lastActed[p]; ok && a > at {
			at, who = a, p
		}
	}
	return at, who
}

func (c *console) quietSection() *section {
	idle := c.m.Truth.Idle(c.m.Now)
	s := &section{title: fmt.Sprintf("Quiet for %s or more", ago(idleAfter)), want: 6}
	if len(idle) == 0 {
		s.add("everyone has acted recently", stDim)
	}
	for _, p := range idle {
		who := p.Name
		if p.Group != "" {
			who += " (" + p.Group + ")"
		}
		what := ago(p.For)
		if p.Never {
			what = "never acted, seen " + what + " ago"
		}
		s.add(who+" "+what, stWarn)
	}
	return s
}

func (c *console) recordsSection() *section {
	m := c.m
	s := &section{
		title: fmt.Sprintf("Records: %d incidents · %d war rooms · %d problems · %d changes",
			len(m.Records.Incidents), len(m.Records.WarRooms), len(m.Records.Problems), len(m.Records.Changes)),
		want: 40,
	}
	for _, inc := range m.IncidentList() {
		st := stDefault
		if !inc.Live() {
			st = stDim
		}
		s.add(incidentRow(inc), st)
	}
	return s
}
