package tui

import "strings"

// editor is the command line: runes and a cursor, with history.
type editor struct {
	buf     []rune
	cur     int
	history []string
	hpos    int // index into history while browsing; len(history) when not
}

func (e *editor) String() string { return string(e.buf) }

func (e *editor) set(s string) {
	e.buf = []rune(s)
	e.cur = len(e.buf)
}

func (e *editor) insert(r rune) {
	e.buf = append(e.buf, 0)
	copy(e.buf[e.cur+1:], e.buf[e.cur:])
	e.buf[e.cur] = r
	e.cur++
}

func (e *editor) backspace() {
	if e.cur == 0 {
		return
	}
	e.buf = append(e.buf[:e.cur-1], e.buf[e.cur:]...)
	e.cur--
}

func (e *editor) del() {
	if e.cur < len(e.buf) {
		e.buf = append(e.buf[:e.cur], e.buf[e.cur+1:]...)
	}
}

// deleteWord removes the word before the cursor (Ctrl-W).
func (e *editor) deleteWord() {
	i := e.cur
	for i > 0 && e.buf[i-1] == ' ' {
		i--
	}
	for i > 0 && e.buf[i-1] != ' ' {
		i--
	}
	e.buf = append(e.buf[:i], e.buf[e.cur:]...)
	e.cur = i
}

// take returns the line, clears it and remembers it.
func (e *editor) take() string {
	s := e.String()
	if strings.TrimSpace(s) != "" && (len(e.history) == 0 || e.history[len(e.history)-1] != s) {
		e.history = append(e.history, s)
		if len(e.history) > 200 {
			e.history = e.history[1:]
		}
	}
	e.hpos = len(e.history)
	e.set("")
	return s
}

func (e *editor) browse(by int) {
	p := e.hpos + by
	if p < 0 || p > len(e.history) {
		return
	}
	e.hpos = p
	if p == len(e.history) {
		e.set("")
		return
	}
	e.set(e.history[p])
}

// completion is the state of Tab cycling through candidates.
type completion struct {
	cands []string
	i     int
	start int    // where the completed word starts
	line  string // the line as the last Tab left it
}
