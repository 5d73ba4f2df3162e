package tui

import (
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/records"
	"github.com/gdamore/tcell/v2"
)

// key handles a key press: the decision modal first, then the focus.
func (c *console) key(ev *tcell.EventKey) {
	if ev.Key() == tcell.KeyCtrlC {
		c.quit = true
		return
	}
	if ev.Key() == tcell.KeyPgUp {
		c.scroll += max(1, c.feedRows()/2)
		return
	}
	if ev.Key() == tcell.KeyPgDn {
		c.scroll = max(0, c.scroll-max(1, c.feedRows()/2))
		return
	}
	if ev.Modifiers()&tcell.ModAlt != 0 && ev.Key() == tcell.KeyRune && ev.Rune() >= '1' && ev.Rune() <= '9' {
		c.nthTab(int(ev.Rune() - '1'))
		return
	}
	if d := c.m.OpenDecision(); d != nil && c.kind == playerConsole {
		c.decisionKey(d, ev)
		return
	}
	if c.confirmEnd {
		c.confirmEnd = false
		if ev.Key() == tcell.KeyRune && (ev.Rune() == 'y' || ev.Rune() == 'e') {
			c.send("/end")
		} else {
			c.setStatus("the exercise goes on", false)
		}
		return
	}
	if c.focus == focusKeys {
		c.shortcut(ev)
		return
	}
	c.typing(ev)
}

func (c *console) nthTab(i int) {
	if tabs := c.tabs(); i < len(tabs) {
		c.switchTab(tabs[i])
	}
}

// typing edits the command line.
func (c *console) typing(ev *tcell.EventKey) {
	e := &c.edit
	if ev.Key() != tcell.KeyTab && ev.Key() != tcell.KeyBacktab {
		c.comp = completion{}
	}
	switch ev.Key() {
	case tcell.KeyRune:
		e.insert(ev.Rune())
	case tcell.KeyBackspace, tcell.KeyBackspace2:
		e.backspace()
	case tcell.KeyDelete, tcell.KeyCtrlD:
		e.del()
	case tcell.KeyLeft:
		e.cur = max(0, e.cur-1)
	case tcell.KeyRight:
		e.cur = min(len(e.buf), e.cur+1)
	case tcell.KeyHome, tcell.KeyCtrlA:
		e.cur = 0
	case tcell.KeyEnd, tcell.KeyCtrlE:
		e.cur = len(e.buf)
	case tcell.KeyCtrlU:
		e.set("")
	case tcell.KeyCtrlW:
		e.deleteWord()
	case tcell.KeyUp:
		e.browse(-1)
	case tcell.KeyDown:
		e.browse(1)
	case tcell.KeyTab:
		c.complete(1)
		return
	case tcell.KeyBacktab:
		c.complete(-1)
		return
	case tcell.KeyEnter:
		if line := e.take(); strings.TrimSpace(line) != "" {
			c.send(line)
		}
		return
	case tcell.KeyEscape:
		c.focus = focusKeys
		c.setStatus("", false)
		return
	default:
		return
	}
	c.setStatus(hint(c.m, e.String()), false)
}

// complete handles Tab: the first press completes as far as the
// candidates agree and lists them; further presses cycle through them.
func (c *console) complete(dir int) {
	e := &c.edit
	line := e.String()
	if c.comp.cands != nil && line == c.comp.line {
		n := len(c.comp.cands)
		c.comp.i = (c.comp.i + dir + n) % n
		c.applyCompletion(c.comp.cands[c.comp.i], false)
		return
	}
	start, cands := completions(c.m, line[:len(string(e.buf[:e.cur]))])
	word := line[start:len(string(e.buf[:e.cur]))]
	switch len(cands) {
	case 0:
		c.setStatus("nothing to complete here; "+orDefault(hint(c.m, line), "type / for commands"), false)
		return
	case 1:
		c.comp = completion{start: start}
		c.applyCompletion(cands[0], true)
		c.comp = completion{}
		c.setStatus(hint(c.m, e.String()), false)
		return
	}
	c.comp = completion{cands: cands, i: -1, start: start}
	if p := commonPrefix(cands); len(p) > len(word) {
		c.applyCompletion(p, false)
		c.comp.line = e.String()
	} else {
		c.comp.i = 0
		if dir < 0 {
			c.comp.i = len(cands) - 1
		}
		c.applyCompletion(cands[c.comp.i], false)
	}
	c.setStatus(strings.Join(cands, " "), false)
}

// applyCompletion replaces the word being completed with s.
func (c *console) applyCompletion(s string, final bool) {
	e := &c.edit
	head := string(e.buf[:e.cur])
	tail := string(e.buf[e.cur:])
	head = head[:min(c.comp.start, len(head))] + s
	if final && tail == "" {
		head += " "
	}
	e.buf = []rune(head + tail)
	e.cur = len([]rune(head))
	c.comp.line = e.String()
}

// decisionKey answers the open decision with a number key, or closes the
// modal with Esc (the decision stays answerable with /decide or d).
func (c *console) decisionKey(d *Decision, ev *tcell.EventKey) {
	switch {
	case ev.Key() == tcell.KeyEscape:
		d.Dismissed = true
		c.setStatus("decision "+d.Name+" is still open: d shows it again, or /decide "+d.Name+" OPTION", false)
	case ev.Key() == tcell.KeyRune && ev.Rune() >= '1' && ev.Rune() <= '9':
		i := int(ev.Rune() - '1')
		if i < len(d.Options) {
			name := d.Name
			d.Dismissed = true // until the answer arrives; a refusal shows in the feed
			c.send("/decide " + name + " " + d.Options[i].Name)
		}
	}
}

// shortcut handles single keys when the focus is off the command line.
func (c *console) shortcut(ev *tcell.EventKey) {
	switch ev.Key() {
	case tcell.KeyEscape, tcell.KeyEnter:
		c.focus = focusInput
		return
	case tcell.KeyUp:
		c.sel = max(0, c.sel-1)
		return
	case tcell.KeyDown:
		c.sel++
		return
	case tcell.KeyLeft:
		c.moveTab(-1)
		return
	case tcell.KeyRight, tcell.KeyTab:
		c.moveTab(1)
		return
	case tcell.KeyBacktab:
		c.moveTab(-1)
		return
	case tcell.KeyRune:
	default:
		return
	}
	if c.kind == facilitatorConsole && c.facilitatorKey(ev.Rune()) {
		return
	}
	inc := c.selectedIncident()
	number := ""
	service := ""
	if inc != nil {
		number, service = inc.Number, inc.Service
	}
	switch ev.Rune() {
	case 'i':
		c.focus = focusInput
	case '/':
		c.prefill("/")
	case '?':
		c.m.Note(helpText(c.m, ""))
		c.scroll = 0
	case 'q':
		c.quit = true
	case 'k':
		c.sel = max(0, c.sel-1)
	case 'j':
		c.sel++
	case '[':
		c.moveTab(-1)
	case ']':
		c.moveTab(1)
	case 'a':
		c.ackSelected()
	case 'n':
		c.prefill("/new ")
	case 'w':
		c.warRoomKey(number)
	case 'r':
		c.prefill("/runbook ")
	case 's':
		if c.m.Runbook != nil {
			c.prefill("/step " + c.m.Runbook.Name + " ")
		} else {
			c.prefill("/runbook ")
		}
	case 'x':
		c.m.Runbook = nil
	case 'g':
		c.prefill("/assign " + withSpace(number))
	case 'p':
		c.prefill("/page ")
	case 'v':
		c.withRecord("/validate", number)
	case 'R':
		c.withRecord("/restored", number)
	case 't':
		c.withService("/telemetry", service)
	case 'l':
		c.withService("/logs", service)
	case 'f':
		c.withService("/traffic", service)
	case 'd':
		c.reopenDecision()
	case 'c':
		c.prefill("/confidence ")
	}
}

// facilitatorKey handles the facilitator's controls; false when the key
// is not one of them.
func (c *console) facilitatorKey(r rune) bool {
	switch r {
	case ' ':
		if c.m.Paused {
			c.send("/resume")
		} else {
			c.send("/pause")
		}
	case '+':
		c.send("/speed " + ftoa(nextSpeed(c.m.Speed, true)))
	case '-':
		c.send("/speed " + ftoa(nextSpeed(c.m.Speed, false)))
	case 'f':
		c.prefill("/fire ")
	case 'e':
		c.confirmEnd = true
		c.setStatus("end the exercise for everyone? press y to end, any other key to go on", true)
	default:
		return false
	}
	return true
}

// nextSpeed steps through the usual speeds.
func nextSpeed(cur float64, up bool) float64 {
	steps := []float64{0.5, 1, 2, 5, 10, 20, 30, 60, 120}
	if up {
		for _, s := range steps {
			if s > cur {
				return s
			}
		}
		return steps[len(steps)-1]
	}
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i] < cur {
			return steps[i]
		}
	}
	return steps[0]
}

func withSpace(s string) string {
	if s == "" {
		return ""
	}
	return s + " "
}

// prefill puts text on the command line and moves the focus there.
func (c *console) prefill(s string) {
	c.edit.set(s)
	c.focus = focusInput
	c.comp = completion{}
	c.setStatus(hint(c.m, s), false)
}

func (c *console) withRecord(cmd, number string) {
	if number == "" {
		c.prefill(cmd + " ")
		return
	}
	c.send(cmd + " " + number)
}

func (c *console) withService(cmd, service string) {
	if service == "" {
		c.prefill(cmd + " ")
		return
	}
	c.send(cmd + " " + service)
}

// ackSelected acknowledges the selected page, or takes the selected
// incident.
func (c *console) ackSelected() {
	r := c.selectedRow()
	switch {
	case r.page != nil:
		c.send("/ack " + r.page.Page)
	case r.inc != nil:
		c.send("/ack " + r.inc.Number)
	default:
		c.send("/ack")
	}
}

// warRoomKey joins the selected incident's war room, or opens one.
func (c *console) warRoomKey(number string) {
	if number == "" {
		c.prefill("/join ")
		return
	}
	if w := c.m.WarRoomFor(number); w != nil {
		for _, mem := range w.Members {
			if mem.Person == c.m.You.Name {
				c.switchTab("warroom:" + w.Number)
				return
			}
		}
		c.send("/join " + w.Number)
		return
	}
	c.prefill("/room " + number + " ")
}

func (c *console) reopenDecision() {
	for i := range c.m.Decisions {
		c.m.Decisions[i].Dismissed = false
	}
	if len(c.m.Decisions) == 0 {
		c.setStatus("no decision is waiting for you", false)
	}
}

// row is a line of the records pane: a page waiting for this seat or an
// incident.
type row struct {
	page *records.Page
	inc  *engine.Incident
}

func (c *console) rows() []row {
	var out []row
	for _, p := range c.m.MyOpenPages() {
		out = append(out, row{page: p})
	}
	for _, inc := range c.m.IncidentList() {
		out = append(out, row{inc: inc})
	}
	return out
}

func (c *console) selectedRow() row {
	rows := c.rows()
	if len(rows) == 0 {
		return row{}
	}
	c.sel = max(0, min(c.sel, len(rows)-1))
	return rows[c.sel]
}

// selectedPage is the page a bare /ack acknowledges: the selected one, or
// the oldest waiting for this seat.
func (c *console) selectedPage() string {
	if r := c.selectedRow(); r.page != nil {
		return r.page.Page
	}
	if ps := c.m.MyOpenPages(); len(ps) > 0 {
		return ps[0].Page
	}
	return ""
}

// selectedIncident is the selected incident, or the one the selected page
// is about.
func (c *console) selectedIncident() *engine.Incident {
	r := c.selectedRow()
	if r.inc != nil {
		return r.inc
	}
	if r.page != nil && r.page.Incident != "" {
		return c.m.Records.Incident(r.page.Incident)
	}
	return nil
}
