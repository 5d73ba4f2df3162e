package tui

import (
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

// names are what the console learned it can complete: the protocol does
// not ship the scenario, so they come from what the seat has seen (events,
// telemetry, the bot's usage answers).
type names struct {
	groups, services, people, runbooks, remedies, vendors, injects, hypotheses set
	decisions                                                                  map[string][]engine.OptionData
}

func newNames() names { return names{decisions: map[string][]engine.OptionData{}} }

// set is a small sorted set of names.
type set []string

func (s *set) add(name string) {
	if name == "" || strings.ContainsAny(name, " \n") {
		return
	}
	i, found := slices.BinarySearch(*s, name)
	if !found {
		*s = slices.Insert(*s, i, name)
	}
}

func (n *names) person(name string) {
	if name != botName {
		n.people.add(name)
	}
}

// learnUsage reads lists out of the bot's usage answers, such as
// "usage: /runbook NAME — runbooks: a, b".
func (n *names) learnUsage(text string) {
	if !strings.HasPrefix(text, "usage:") {
		return
	}
	_, list, ok := strings.Cut(text, " — ")
	if !ok {
		return
	}
	kind, items, ok := strings.Cut(list, ": ")
	if !ok {
		return
	}
	var s *set
	switch kind {
	case "runbooks":
		s = &n.runbooks
	case "vendors":
		s = &n.vendors
	case "groups":
		s = &n.groups
	default:
		return
	}
	for _, it := range strings.Split(items, ",") {
		s.add(strings.TrimSpace(it))
	}
}

// has reports whether name is in the set.
func (s set) has(name string) bool {
	_, found := slices.BinarySearch(s, name)
	return found
}
