package tui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/server/protocol"
)

// sender is where the console sends frames: a *Client, or a recorder in
// tests.
type sender interface {
	Send(frame any) error
}

// kind says which console runs: the player's or the facilitator's.
type kind int

const (
	playerConsole kind = iota
	facilitatorConsole
)

// focus is where keys go: the command line, or the single-key shortcuts.
type focus int

const (
	focusInput focus = iota
	focusKeys
)

// console is one running console. Only its loop goroutine touches it.
type console struct {
	s    tcell.Screen
	kind kind
	m    *Model
	out  sender
	src  clock.Source

	focus  focus
	tab    string
	unread map[string]bool
	sel    int // selected row of the records pane
	scroll int // feed lines of the tab scrolled back; 0 follows the newest

	edit    editor
	status  string // the line above the command line: hints, candidates, errors
	isError bool
	comp    completion
	ids     int
	quit    bool
	keys    int // key presses handled, for tests that type from outside
	// confirmEnd is set after the facilitator pressed e once.
	confirmEnd bool

	// seenWall is when the model's virtual time last moved; the header's
	// clock runs on from there at the exercise's speed.
	seenWall time.Time

	// wraps caches wrapped feed lines by their absolute index.
	wraps map[int]wrapEntry

	// afterDraw, when set, runs in the loop after every draw; tests use it
	// to learn what the loop has done without sleeping.
	afterDraw func(*console)
}

// Option configures a console.
type Option func(*console)

// WithClock sets the wall clock the header's virtual clock runs on between
// server updates; clock.Wall() by default.
func WithClock(src clock.Source) Option { return func(c *console) { c.src = src } }

// WithInjects tells the facilitator console the scenario's inject names,
// so /fire completes them before they have fired. A console that talks to
// a remote server learns them only as they fire.
func WithInjects(names ...string) Option {
	return func(c *console) {
		for _, n := range names {
			c.m.names.injects.add(n)
		}
	}
}

func newConsole(s tcell.Screen, k kind, out sender, opts ...Option) *console {
	c := &console{s: s, kind: k, m: NewModel(), out: out, src: clock.Wall(), tab: tabAll, unread: map[string]bool{}}
	if k == facilitatorConsole {
		c.m.You.Facilitator = true
	}
	for _, o := range opts {
		o(c)
	}
	c.seenWall = c.src.Now()
	return c
}

// Run runs the player console on screen until the player quits (Ctrl-C,
// q, /quit) or ctx ends. It calls screen.Init, and screen.Fini when it
// returns or panics, so pass a fresh screen (tcell.NewScreen, or
// tcell.NewSimulationScreen in tests). The client is the caller's to Close.
func Run(ctx context.Context, screen tcell.Screen, client *Client, opts ...Option) error {
	return run(ctx, screen, client, playerConsole, opts)
}

// RunFacilitator runs the facilitator console: pause, resume, speed, fire
// an inject, end; a live view of the groups, records, ground truth, the
// running score and who has gone quiet. The client must hold the
// facilitator code.
func RunFacilitator(ctx context.Context, screen tcell.Screen, client *Client, opts ...Option) error {
	return run(ctx, screen, client, facilitatorConsole, opts)
}

func run(ctx context.Context, screen tcell.Screen, client *Client, k kind, opts []Option) (err error) {
	if client == nil {
		return errors.New("tui: no client; Dial the server first")
	}
	if err := screen.Init(); err != nil {
		return fmt.Errorf("tui: open the terminal: %w", err)
	}
	// Give the terminal back even when something panics, then let the
	// panic go on with its trace readable.
	defer func() {
		p := recover()
		screen.Fini()
		if p != nil {
			panic(p)
		}
	}()
	c := newConsole(screen, k, client, opts...)
	keys := make(chan tcell.Event, 64)
	stop := make(chan struct{})
	defer close(stop)
	go screen.ChannelEvents(keys, stop)
	return c.loop(ctx, keys, client.Messages())
}

// loop is the console's one goroutine: it draws, waits for a key, a
// message or the clock, and handles whatever else is already waiting
// before drawing again, so a burst of events costs one draw.
func (c *console) loop(ctx context.Context, keys <-chan tcell.Event, msgs <-chan Message) error {
	for {
		c.draw()
		if c.afterDraw != nil {
			c.afterDraw(c)
		}
		// While the exercise runs, the header's clock ticks once a second.
		var tick clock.Timer
		var tickC <-chan time.Time
		if c.ticking() {
			tick = c.src.NewTimer(time.Second)
			tickC = tick.C()
		}
		select {
		case <-ctx.Done():
			stop(tick)
			return nil
		case ev, ok := <-keys:
			if !ok {
				stop(tick)
				return nil
			}
			c.handleTerm(ev)
		case msg, ok := <-msgs:
			if ok {
				c.handleMsg(msg)
			} else {
				msgs = nil
			}
		case <-tickC:
		}
		stop(tick)
		msgs = c.drain(keys, msgs)
		if c.quit {
			return nil
		}
	}
}

func stop(t clock.Timer) {
	if t != nil {
		t.Stop()
	}
}

// ticking reports whether the header's clock moves on its own.
func (c *console) ticking() bool {
	return c.m.Conn.Link == Live && !c.m.Paused && !c.m.Ended && c.m.Speed > 0
}

// maxDrain bounds how much one draw may wait for, so typing stays
// responsive under a flood of events.
const maxDrain = 512

func (c *console) drain(keys <-chan tcell.Event, msgs <-chan Message) <-chan Message {
	for range maxDrain {
		select {
		case ev, ok := <-keys:
			if !ok {
				c.quit = true
				return msgs
			}
			c.handleTerm(ev)
		case msg, ok := <-msgs:
			if !ok {
				return nil
			}
			c.handleMsg(msg)
		default:
			return msgs
		}
	}
	return msgs
}

// handleMsg folds a message into the model and notes what the view needs.
func (c *console) handleMsg(msg Message) {
	before := c.m.Feed.Added()
	prevNow := c.m.Now
	c.m.Apply(msg)
	if c.m.Now != prevNow || msg.Clock != nil {
		c.seenWall = c.src.Now()
	}
	// Chat in a channel whose tab is not showing marks the tab.
	added := c.m.Feed.Added() - before
	lines := c.m.Feed.Lines()
	shown := 0
	for i := max(0, len(lines)-added); i < len(lines); i++ {
		l := &lines[i]
		if l.Channel != "" && c.tab != tabAll && l.Channel != c.tab {
			c.unread[l.Channel] = true
		}
		if l.in(c.tab) {
			shown++
		}
	}
	// Scrolled back, the view stays on what the reader is reading.
	if c.scroll > 0 {
		c.scroll += shown
	}
}

// handleTerm handles a terminal event.
func (c *console) handleTerm(ev tcell.Event) {
	switch ev := ev.(type) {
	case *tcell.EventResize:
		c.s.Sync()
	case *tcell.EventKey:
		c.keys++
		c.key(ev)
	}
}

// displayNow is the virtual time for the header: the last known, run on
// at the exercise's speed while it is live, never more than one telemetry
// period ahead of what the server said.
func (c *console) displayNow() time.Duration {
	m := c.m
	if m.Paused || m.Ended || m.Conn.Link != Live || m.Speed <= 0 {
		return m.Now
	}
	run := time.Duration(float64(c.src.Now().Sub(c.seenWall)) * m.Speed)
	return m.Now + max(0, min(run, 30*time.Second))
}

// send turns a typed line into a frame and sends it; refusals, local or
// from the server, show next to the command in the feed.
func (c *console) send(text string) {
	in := &input{m: c.m, line: text, channel: c.chatChannel(), selectedPage: c.selectedPage()}
	req, err := parseLine(in)
	shown := c.tabChannel()
	if err != nil {
		c.m.Local(c.displayNow(), text, shown, err.Error())
		c.setStatus(err.Error(), true)
		return
	}
	switch req.local {
	case localHelp:
		c.m.Note(helpText(c.m, req.arg))
		c.scroll = 0
		return
	case localQuit:
		c.quit = true
		return
	case localTab:
		if !c.switchTab(req.arg) {
			c.setStatus("there is no tab "+req.arg+"; tabs: all "+joinTabs(c.m.Channels), true)
		}
		return
	case localCloseRunbook:
		c.m.Runbook = nil
		return
	}
	c.ids++
	id := "t" + itoa(c.ids)
	var frame any
	channel := shown
	switch {
	case req.action != nil:
		frame = protocol.Action{Type: protocol.TypeAction, ID: id, Role: roleFor(c.m.You, req.action.Op), Action: *req.action}
	case req.chat != nil:
		req.chat.Type, req.chat.ID = protocol.TypeChat, id
		channel = req.chat.Channel
		frame = *req.chat
	case req.control != nil:
		req.control.Type, req.control.ID = protocol.TypeControl, id
		frame = *req.control
	default:
		return
	}
	if err := c.out.Send(frame); err != nil {
		c.m.Local(c.displayNow(), text, shown, err.Error())
		c.setStatus(err.Error(), true)
		return
	}
	c.m.Sent(c.displayNow(), id, text, channel).Control = req.control
	c.scroll = 0
	c.setStatus("", false)
}

// chatChannel is where plain text goes from the current tab: the tab's
// channel, or the seat's own group's from the "all" tab.
func (c *console) chatChannel() string {
	if c.tab != tabAll {
		return c.tab
	}
	if len(c.m.You.Groups) > 0 {
		return "group:" + c.m.You.Groups[0]
	}
	return "command-center"
}

// tabChannel is the channel a command typed in the current tab belongs
// to, for the feed.
func (c *console) tabChannel() string {
	if c.tab == tabAll {
		return ""
	}
	return c.tab
}

func (c *console) setStatus(s string, isErr bool) { c.status, c.isError = s, isErr }

// tabs lists the feed's tabs.
func (c *console) tabs() []string { return append([]string{tabAll}, c.m.Channels...) }

func (c *console) switchTab(name string) bool {
	for _, t := range c.tabs() {
		if t == name || tabLabel(t) == name {
			c.tab, c.scroll = t, 0
			delete(c.unread, t)
			return true
		}
	}
	return false
}

func (c *console) moveTab(by int) {
	tabs := c.tabs()
	i := 0
	for j, t := range tabs {
		if t == c.tab {
			i = j
		}
	}
	i = (i + by + len(tabs)) % len(tabs)
	c.switchTab(tabs[i])
}
