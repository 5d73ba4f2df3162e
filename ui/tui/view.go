package tui

import (
	"fmt"
	"strings"
)

// frame is the layout every console shares: a header, a body, and at the
// bottom a status line, the command line and the keys. Rows that do not
// fit a small terminal are dropped, least useful first.
type frame struct {
	header, body  region
	status, input region
	footer        region
}

func layout(full region) frame {
	var f frame
	f.header = full.sub(0, 0, full.w, 1)
	bottom := full.h
	if full.h >= 5 {
		bottom--
		f.footer = full.sub(0, bottom, full.w, 1)
	}
	if full.h >= 3 {
		bottom--
		f.input = full.sub(0, bottom, full.w, 1)
	}
	if full.h >= 8 {
		bottom--
		f.status = full.sub(0, bottom, full.w, 1)
	}
	f.body = full.sub(0, 1, full.w, bottom-1)
	return f
}

func (c *console) draw() {
	c.s.Clear()
	w, h := c.s.Size()
	full := region{s: c.s, w: w, h: h}
	f := layout(full)
	c.drawHeader(f.header)
	if c.kind == facilitatorConsole {
		c.drawFacilitatorBody(f.body)
	} else {
		c.drawPlayerBody(f.body)
	}
	c.drawStatus(f.status)
	c.drawInput(f.input)
	c.drawFooter(f.footer)
	if d := c.m.OpenDecision(); d != nil && c.kind == playerConsole {
		c.drawDecision(full, d)
	}
	c.s.Show()
}

// feedRows is how many rows the feed shows, for paging.
func (c *console) feedRows() int {
	_, h := c.s.Size()
	return max(1, h-6)
}

func (c *console) drawHeader(r region) {
	m := c.m
	state := "running"
	switch {
	case m.Ended:
		state = "ENDED: " + endWords(m.EndReason)
	case m.Paused:
		state = "PAUSED"
	case !m.Welcomed:
		state = "joining"
	}
	title := orDefault(m.Title, orDefault(m.Scenario, "firedrill"))
	clock := clockText(c.displayNow()) + " ×" + ftoa(m.Speed) + " " + state
	who := m.You.Name
	short := who
	if m.You.Facilitator {
		if who != "facilitator" && who != "" {
			who += " · facilitator"
		} else {
			who = "facilitator"
		}
		short = "facilitator"
	} else if m.You.Role != "" {
		who += " · " + roleTitle(m.You.Role)
	}
	if len(m.You.Groups) > 0 {
		who += " · " + strings.Join(m.You.Groups, ",")
		short += " · " + strings.Join(m.You.Groups, ",")
	}
	link := linkText(m.Conn)
	mark, _ := fit(link, 1)
	r.bar(0, "", stHeader)
	// The widest layout that fits: the clock and the state matter most,
	// then the connection, then who you are, then the exercise's title.
	for _, parts := range [][2]string{
		{" " + title + " │ " + clock, who + " │ " + link + " "},
		{" " + clock, who + " │ " + link + " "},
		{" " + clock, short + " │ " + link + " "},
		{" " + clock, short + " " + mark + " "},
		{" " + clock, mark + " "},
	} {
		if width(parts[0])+width(parts[1])+1 <= r.w {
			r.put(0, 0, parts[0], stHeader)
			r.put(r.w-width(parts[1]), 0, parts[1], stHeader)
			return
		}
	}
	r.put(0, 0, mark+" "+clock, stHeader)
}

func linkText(s ConnState) string {
	switch s.Link {
	case Live:
		return "● live"
	case Retrying:
		return fmt.Sprintf("○ reconnecting (try %d in %s)", s.Attempt, s.RetryIn.Round(100*1e6))
	case Offline:
		return "○ offline"
	}
	return "○ connecting"
}

func (c *console) drawStatus(r region) {
	if r.h == 0 {
		return
	}
	if c.status != "" {
		st := stDim
		if c.isError {
			st = stError
		}
		r.put(1, 0, clean(strings.ReplaceAll(c.status, "\n", " ")), st)
	}
}

func (c *console) drawInput(r region) {
	if r.h == 0 {
		return
	}
	if c.focus == focusKeys {
		r.put(0, 0, "  keys: press a key below, or Esc to type", stDim)
		c.s.HideCursor()
		return
	}
	prompt := "› "
	r.put(0, 0, prompt, stDefault)
	avail := r.w - 2
	if avail <= 0 {
		c.s.HideCursor()
		return
	}
	runes := c.edit.buf
	// Scroll the line so the cursor stays in view.
	start := 0
	if c.edit.cur >= avail {
		start = c.edit.cur - avail + 1
	}
	text := clean(string(runes[start:]))
	r.put(2, 0, text, stDefault)
	cx := r.x + 2 + width(string(runes[start:c.edit.cur]))
	c.s.ShowCursor(min(cx, r.x+r.w-1), r.y)
}

func (c *console) drawFooter(r region) {
	if r.h == 0 {
		return
	}
	var keys string
	switch {
	case c.focus == focusInput:
		keys = "Enter send · Tab complete · Esc shortcut keys · PgUp/PgDn scroll · ↑↓ history · Alt-1..9 tabs · Ctrl-C quit"
	case c.kind == facilitatorConsole:
		keys = "space pause/resume · +/- speed · f fire inject · e end · ←→ tabs · ↑↓ select · ? help · i type · q quit"
	default:
		keys = "a ack · n new · w war room · r runbook · s step · t/l/f telemetry/logs/traffic · g assign · p page · v validate · R restored · d decision · ←→ tabs · ↑↓ select · ? help · i type · q quit"
	}
	r.bar(0, " "+keys, stHeader)
}

// drawPlayerBody lays out the feed and, when there is room, the records,
// services or runbook panes beside it.
func (c *console) drawPlayerBody(r region) {
	if r.w >= 72 && r.h >= 6 {
		sw := max(34, min(60, r.w*2/5))
		feed := r.sub(0, 0, r.w-sw-1, r.h)
		side := r.sub(r.w-sw, 0, sw, r.h)
		for row := range r.h {
			r.put(r.w-sw-1, row, "│", stDim)
		}
		c.drawFeed(feed)
		if c.m.Runbook != nil {
			c.drawRunbook(side)
			return
		}
		svc := c.m.ServiceList()
		sh := 0
		if len(svc) > 0 {
			sh = min(len(svc)+1, max(3, side.h/2))
		}
		c.drawRecords(side.sub(0, 0, side.w, side.h-sh))
		c.drawServices(side.sub(0, side.h-sh, side.w, sh), svc)
		return
	}
	c.drawFeed(r)
}

// drawFeed draws the tabs and the newest lines of the current tab that
// fit, wrapped, scrolled back by c.scroll lines.
func (c *console) drawFeed(r region) {
	if r.h == 0 || r.w == 0 {
		return
	}
	c.drawTabs(r.sub(0, 0, r.w, 1))
	body := r.sub(0, 1, r.w, r.h-1)
	if body.h == 0 {
		return
	}
	lines := c.m.Feed.Lines()
	base := c.m.Feed.Added() - len(lines) // absolute index of lines[0]
	skip := c.scroll
	row := body.h
	for i := len(lines) - 1; i >= 0 && row > 0; i-- {
		l := &lines[i]
		if !l.in(c.tab) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		rows := c.wrapped(base+i, l, body.w)
		st := lineStyle(l)
		for j := len(rows) - 1; j >= 0 && row > 0; j-- {
			row--
			body.put(0, row, rows[j], st)
		}
	}
	if c.scroll > 0 {
		body.bar(body.h-1, fmt.Sprintf(" ↓ %d newer lines · PgDn ", c.scroll), stSelected)
	}
}

// wrapped returns a feed line's rows, from the cache when the line, the
// width and the tab's kind are unchanged: lines never change but for a
// command's fate, so most draws wrap only the lines that just arrived.
func (c *console) wrapped(abs int, l *Line, w int) []string {
	key := wrapKey{w: w, all: c.tab == tabAll}
	if l.Cmd != nil {
		key.state = l.Cmd.State
	}
	if e, ok := c.wraps[abs]; ok && e.key == key {
		return e.rows
	}
	if c.wraps == nil || len(c.wraps) > maxWrapCache {
		c.wraps = map[int]wrapEntry{}
	}
	rows := c.lineRows(l, w)
	c.wraps[abs] = wrapEntry{key: key, rows: rows}
	return rows
}

// maxWrapCache bounds the wrap cache; a screenful is far fewer lines.
const maxWrapCache = 1024

type wrapKey struct {
	w     int
	all   bool
	state CommandState
}

type wrapEntry struct {
	key  wrapKey
	rows []string
}

// stampWidth is the width of a feed line's time and the indent of its
// continuation rows.
const stampWidth = 6

// lineRows renders a feed line as rows of at most w columns.
func (c *console) lineRows(l *Line, w int) []string {
	text := c.lineText(l)
	indent := min(stampWidth, max(0, w-8))
	rows := wrap(text, w-indent, w-indent)
	if len(rows) == 0 {
		return nil
	}
	pad := strings.Repeat(" ", indent)
	st, _ := fit(stamp(l.At)+" ", indent)
	rows[0] = st + strings.Repeat(" ", indent-width(st)) + rows[0]
	for i := 1; i < len(rows); i++ {
		rows[i] = pad + rows[i]
	}
	return rows
}

// lineText is a feed line's words.
func (c *console) lineText(l *Line) string {
	channel := ""
	if l.Channel != "" && c.tab == tabAll {
		channel = "[" + tabLabel(l.Channel) + "] "
	}
	switch l.Kind {
	case lineCommand:
		s := channel + "› " + l.Cmd.Text
		switch l.Cmd.State {
		case Pending:
			s += " …"
		case Done:
			s += " ✓"
		case Failed:
			s += " ✗ " + l.Cmd.Err
		}
		return s
	case lineChat, lineBot:
		from := l.From
		if l.Kind == lineBot {
			from = "bot"
		}
		return channel + from + ": " + l.Text
	}
	return l.Text
}

// tabLabel is a channel's short name on its tab.
func tabLabel(ch string) string {
	switch {
	case strings.HasPrefix(ch, "group:"):
		return "#" + strings.TrimPrefix(ch, "group:")
	case ch == "command-center":
		return "command"
	case strings.HasPrefix(ch, "warroom:"):
		return strings.TrimPrefix(ch, "warroom:")
	case strings.HasPrefix(ch, "direct:"):
		return "@" + strings.TrimPrefix(ch, "direct:")
	}
	return ch
}

func joinTabs(chs []string) string {
	var out []string
	for _, ch := range chs {
		out = append(out, tabLabel(ch))
	}
	return strings.Join(out, " ")
}

func (c *console) drawTabs(r region) {
	r.bar(0, "", stDim)
	col := 0
	for _, t := range c.tabs() {
		label := " " + tabLabel(t)
		if c.unread[t] {
			label += "*"
		}
		label += " "
		st := stDim
		if t == c.tab {
			st = stTabOn
		}
		if col+width(label) > r.w {
			r.put(max(0, r.w-1), 0, "…", stDim)
			return
		}
		col += r.put(col, 0, label, st)
	}
}
