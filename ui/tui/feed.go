package tui

import "time"

// maxFeed bounds the feed; the oldest lines go first. A 90-minute exercise
// seen by a facilitator stays well under it.
const maxFeed = 4000

// lineKind says what a feed line is, for its style and its prefix.
type lineKind int

const (
	lineSystem lineKind = iota
	lineHelp
	lineCommand
	lineChat
	lineBot
	lineInject
	linePage
	lineAlert
	lineAction
	lineResult
	lineVendor
	lineRemedy
	lineDecision
	lineError
	lineTruth
)

// Line is one entry of the feed. Channel is set for chat (and for commands
// typed in a channel's tab); the "all" tab shows every line.
type Line struct {
	At      time.Duration
	Seq     uint64
	Kind    lineKind
	Channel string
	From    string
	Text    string
	Cmd     *Command // for lineCommand: the command and its fate
}

// Feed is the bounded list of lines, oldest first.
type Feed struct {
	lines []Line
	max   int
	// added counts every line ever added, so views can tell new lines
	// arrived while scrolled back.
	added int
}

func (f *Feed) add(l Line) {
	if f.max > 0 && len(f.lines) >= f.max {
		// Drop the oldest quarter at once so adding stays O(1) amortised.
		n := copy(f.lines, f.lines[f.max/4:])
		clear(f.lines[n:])
		f.lines = f.lines[:n]
	}
	f.lines = append(f.lines, l)
	f.added++
}

// Lines returns the feed, oldest first. The slice is the feed's own.
func (f *Feed) Lines() []Line { return f.lines }

// Added counts the lines ever added.
func (f *Feed) Added() int { return f.added }

// tabAll is the tab that shows every line.
const tabAll = "all"

// in reports whether l shows in tab.
func (l *Line) in(tab string) bool { return tab == tabAll || tab == "" || l.Channel == tab }
