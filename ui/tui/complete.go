package tui

import (
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

// completions returns where the word being typed at the end of line starts
// and the words it may become: command names first, then record numbers,
// groups, services and the other names the seat has seen.
func completions(m *Model, line string) (start int, cands []string) {
	if !strings.HasPrefix(line, "/") {
		return len(line), nil
	}
	start = strings.LastIndexByte(line, ' ') + 1
	word := line[start:]
	if start == 0 {
		for _, c := range commands() {
			if (!c.facilitator || m.You.Facilitator) && strings.HasPrefix("/"+c.name, strings.ToLower(word)) {
				cands = append(cands, "/"+c.name)
			}
		}
		return 0, cands
	}
	fields := strings.Fields(line[:start])
	spec := lookup(strings.ToLower(strings.TrimPrefix(fields[0], "/")))
	if spec == nil {
		return start, nil
	}
	pos := len(fields) - 1
	if pos >= len(spec.args) {
		return start, nil
	}
	prev := ""
	if pos > 0 {
		prev = fields[len(fields)-1]
	}
	var first string
	if len(fields) > 1 {
		first = fields[1]
	}
	for _, c := range m.candidates(spec.args[pos], prev, first) {
		if hasPrefixFold(c, word) && !slices.Contains(cands, c) {
			cands = append(cands, c)
		}
	}
	return start, cands
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// candidates lists the names an argument of kind k may take. prev is the
// argument before it and first the command's first argument (a decision
// for its options, a runbook for its steps).
func (m *Model) candidates(k argKind, prev, first string) []string {
	switch k {
	case argPage:
		return m.pageNumbers()
	case argIncident, argOptIncident:
		return m.incidentNumbers()
	case argPageOrIncident:
		return append(m.pageNumbers(), m.incidentNumbers()...)
	case argGroup:
		return m.names.groups
	case argPerson:
		return m.names.people
	case argGroupOrPerson:
		return append(slices.Clone(m.names.groups), m.names.people...)
	case argService:
		return m.names.services
	case argCause:
		return append(slices.Clone(m.names.hypotheses), m.names.services...)
	case argServiceOrNone:
		return append(slices.Clone(m.names.services), "-")
	case argRunbook:
		rbs := slices.Clone(m.names.runbooks)
		if m.Runbook != nil && !slices.Contains(rbs, m.Runbook.Name) {
			rbs = append(rbs, m.Runbook.Name)
		}
		return rbs
	case argStep:
		if m.Runbook == nil || (first != "" && first != m.Runbook.Name) {
			return nil
		}
		var out []string
		for _, s := range m.Runbook.Steps {
			out = append(out, s.Name)
		}
		return out
	case argRemedy:
		return m.names.remedies
	case argVendor:
		return m.names.vendors
	case argDecision:
		var out []string
		for _, d := range m.Decisions {
			out = append(out, d.Name)
		}
		for name := range m.names.decisions {
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
		slices.Sort(out[len(m.Decisions):])
		return out
	case argOption:
		var out []string
		for _, o := range m.names.decisions[prev] {
			out = append(out, o.Name)
		}
		return out
	case argLevel:
		return []string{"high", "medium", "low"}
	case argMetric:
		return []string{"error_rate", "latency_ms", "rps", "saturation"}
	case argMilestone:
		var out []string
		for _, ms := range engine.Milestones() {
			out = append(out, string(ms))
		}
		return out
	case argClass:
		return []string{string(engine.ClassIncident), string(engine.ClassServiceRequest)}
	case argWarRoom:
		var out []string
		for _, w := range m.Records.WarRooms {
			if w.Open() {
				out = append(out, w.Number)
			}
		}
		return out
	case argTask:
		var out []string
		for _, t := range m.Records.Tasks {
			if t.State != engine.TaskDone {
				out = append(out, t.Number)
			}
		}
		return out
	case argChange:
		var out []string
		for _, c := range m.Records.Changes {
			if c.State != engine.ChangeClosed {
				out = append(out, c.Number)
			}
		}
		return out
	case argInject:
		return m.names.injects
	case argChannel:
		return append([]string{tabAll}, m.Channels...)
	case argCommand:
		var out []string
		for _, c := range commands() {
			if !c.facilitator || m.You.Facilitator {
				out = append(out, c.name)
			}
		}
		return out
	}
	return nil
}

// pageNumbers lists open pages, this seat's first.
func (m *Model) pageNumbers() []string {
	var mine, others []string
	for _, p := range m.MyOpenPages() {
		mine = append(mine, p.Page)
	}
	for _, p := range m.Records.Pages {
		if p.Open() && !slices.Contains(mine, p.Page) {
			others = append(others, p.Page)
		}
	}
	return append(mine, others...)
}

// incidentNumbers lists live incidents, in number order.
func (m *Model) incidentNumbers() []string {
	var out []string
	for _, inc := range m.Records.Incidents {
		if inc.Live() {
			out = append(out, inc.Number)
		}
	}
	return out
}

// commonPrefix is the longest prefix all of xs share.
func commonPrefix(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	p := xs[0]
	for _, x := range xs[1:] {
		for !strings.HasPrefix(x, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// hint is the inline help for a line being typed: the command's usage and
// what it does, or the commands that start with what was typed.
func hint(m *Model, line string) string {
	if !strings.HasPrefix(line, "/") {
		if strings.TrimSpace(line) == "" {
			return ""
		}
		return "Enter sends this as chat"
	}
	name, _, typedArgs := strings.Cut(line, " ")
	name = strings.ToLower(strings.TrimPrefix(name, "/"))
	if !typedArgs {
		var names []string
		for _, c := range commands() {
			if (!c.facilitator || m.You.Facilitator) && strings.HasPrefix(c.name, name) {
				names = append(names, "/"+c.name)
			}
		}
		if len(names) == 0 {
			return "no command starts with /" + name + "; /help lists them"
		}
		if slices.Contains(names, "/"+name) {
			return specHint(lookup(name), names[0])
		}
		if len(names) == 1 {
			return specHint(lookup(strings.TrimPrefix(names[0], "/")), names[0])
		}
		return strings.Join(names, " ")
	}
	spec := lookup(name)
	if spec == nil || (spec.facilitator && !m.You.Facilitator) {
		return "no command /" + name + "; /help lists them"
	}
	return specHint(spec, "")
}

func specHint(spec *cmdSpec, fallback string) string {
	if spec == nil {
		return fallback
	}
	s := "/" + spec.name
	if spec.usage != "" {
		s += " " + spec.usage
	}
	return s + " — " + spec.help
}

// helpText lists the commands by section, or explains one.
func helpText(m *Model, name string) string {
	name = strings.TrimPrefix(strings.ToLower(name), "/")
	if name != "" {
		spec := lookup(name)
		if spec == nil || (spec.facilitator && !m.You.Facilitator) {
			return unknownCommand(name, m.You.Facilitator).Error()
		}
		return specHint(spec, "")
	}
	sections := []struct{ key, title string }{
		{"records", "records"}, {"coordination", "coordination and paging"}, {"investigate", "investigate and repair"},
		{"talk", "talk (plain text is chat in the tab's channel)"}, {"reflect", "decisions and reflection"},
		{"exercise", "the exercise"}, {"console", "console"},
	}
	var b strings.Builder
	b.WriteString("commands (Tab completes; /help NAME explains one):")
	for _, s := range sections {
		var names []string
		for _, c := range commands() {
			if c.section == s.key && (!c.facilitator || m.You.Facilitator) {
				names = append(names, "/"+c.name)
			}
		}
		if len(names) > 0 {
			b.WriteString("\n" + s.title + ": " + strings.Join(names, " "))
		}
	}
	return b.String()
}
