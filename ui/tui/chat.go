package tui

import (
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

// chat folds a chat message into its channel's tab; the ChatOps bot's
// answers also teach the console names and open the runbook pane.
func (m *Model) chat(e engine.Event, d engine.ChatData) {
	ch := m.tabOf(d.Channel, d.From)
	m.addChannel(ch)
	m.names.person(d.From)
	k := lineChat
	if d.Bot || d.From == botName {
		k = lineBot
		m.botReply(d)
	}
	m.Feed.add(Line{At: e.At, Seq: e.Seq, Kind: k, Channel: ch, From: d.From, Text: d.Text})
}

// tabOf maps a chat channel to the tab it shows in: both directions of a
// direct conversation share the other person's tab.
func (m *Model) tabOf(channel, from string) string {
	if p, ok := strings.CutPrefix(channel, "direct:"); ok && p == m.You.Name && from != m.You.Name && from != botName {
		return "direct:" + from
	}
	return channel
}

func (m *Model) addChannel(ch string) {
	if ch == "" || slices.Contains(m.Channels, ch) {
		return
	}
	m.Channels = append(m.Channels, ch)
	slices.SortStableFunc(m.Channels, func(a, b string) int { return channelRank(a) - channelRank(b) })
}

func channelRank(ch string) int {
	switch {
	case strings.HasPrefix(ch, "group:"):
		return 0
	case ch == "command-center":
		return 1
	case strings.HasPrefix(ch, "warroom:"):
		return 2
	}
	return 3
}

// botReply learns names from the ChatOps bot's answers and opens the
// runbook pane when the answer is to this console's /runbook.
func (m *Model) botReply(d engine.ChatData) {
	m.names.learnUsage(d.Text)
	name, asked := m.runbookAsked[d.Channel]
	if !asked || strings.HasPrefix(d.Text, "usage:") {
		if asked {
			delete(m.runbookAsked, d.Channel)
		}
		return
	}
	delete(m.runbookAsked, d.Channel)
	if rb := parseRunbook(name, d.Text); rb != nil {
		m.names.runbooks.add(name)
		m.Runbook = rb
	}
}

// parseRunbook reads the bot's runbook answer: a title, then
// "N. [step] text" lines.
func parseRunbook(name, text string) *Runbook {
	lines := strings.Split(text, "\n")
	rb := &Runbook{Name: name, Title: lines[0]}
	for _, l := range lines[1:] {
		_, rest, ok := strings.Cut(l, ". [")
		if !ok {
			continue
		}
		step, body, ok := strings.Cut(rest, "] ")
		if !ok {
			continue
		}
		rb.Steps = append(rb.Steps, RunbookStep{Name: step, Text: body})
	}
	if len(rb.Steps) == 0 {
		return nil
	}
	return rb
}
