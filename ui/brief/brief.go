// Package brief writes the facilitator's brief for a scenario in Markdown:
// what the exercise is for, who is in it, what the estate looks like, what
// happens when, and what good looks like. It is read before a game day, so
// it shows the ground truth the players must not see.
package brief

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/firedrill/firedrill/engine/scenario"
)

// Write renders the brief of sc to w.
func Write(w io.Writer, sc *scenario.Scenario) error {
	b := &builder{}
	b.header(sc)
	b.cast(sc)
	b.estate(sc)
	b.timeline(sc)
	b.goodLooksLike(sc)
	_, err := io.WriteString(w, b.String())
	return err
}

type builder struct{ strings.Builder }

func (b *builder) line(format string, args ...any) {
	fmt.Fprintf(b, format, args...)
	b.WriteByte('\n')
}

func (b *builder) header(sc *scenario.Scenario) {
	b.line("# Facilitator brief: %s", sc.Title)
	b.line("")
	meta := []string{"`" + sc.Name + "`", "duration " + scenario.FormatDuration(sc.Duration)}
	if sc.Difficulty != "" {
		meta = append(meta, sc.Difficulty)
	}
	if sc.Discussion {
		meta = append(meta, "discussion-based")
	}
	if len(sc.Tags) > 0 {
		meta = append(meta, "tags: "+strings.Join(sc.Tags, ", "))
	}
	b.line("%s", strings.Join(meta, " · "))
	b.line("")
	if sc.Summary != "" {
		b.line("%s", oneLine(sc.Summary))
		b.line("")
	}
	if len(sc.Objectives) > 0 {
		b.line("## Objectives")
		b.line("")
		for _, o := range sc.Objectives {
			b.line("- %s", o)
		}
		b.line("")
	}
}

func (b *builder) cast(sc *scenario.Scenario) {
	b.line("## Cast")
	b.line("")
	b.line("| group | members | owner | on call |")
	b.line("|---|---|---|---|")
	for _, g := range sc.Groups {
		var rotations []string
		for _, r := range sc.Rotations {
			if r.Group.Name == g.Name {
				rotations = append(rotations, fmt.Sprintf("%s (%s shifts, escalates after %s)", r.Name, scenario.FormatDuration(r.Shift), scenario.FormatDuration(r.EscalateAfter)))
			}
		}
		title := g.Name
		if g.Title != "" {
			title = g.Title + " (`" + g.Name + "`)"
		}
		b.line("| %s | %s | %s | %s |", title, strings.Join(g.Members, ", "), g.Owner, orDash(strings.Join(rotations, "; ")))
	}
	b.line("")
	b.line("Roles nobody plays are filled by bots: service desk, incident manager, command center, technicians, group and service owners.")
	b.line("")
	if len(sc.Vendors) > 0 {
		b.line("### Vendors")
		b.line("")
		for _, v := range sc.Vendors {
			b.line("- **%s** — helpdesk %s%s; answers after %s", orName(v.Title, v.Name), v.Helpdesk, portal(v.Portal), scenario.FormatDuration(v.RespondsAfter))
			for _, c := range v.Changes {
				b.line("  - change `%s` at %s: %s", c.Name, signedClock(c.At), c.Note)
			}
		}
		b.line("")
	}
}

func (b *builder) estate(sc *scenario.Scenario) {
	if len(sc.Services) == 0 {
		return
	}
	b.line("## Estate")
	b.line("")
	b.line("```")
	// Roots are services nothing depends on: what users touch.
	dependedOn := map[string]bool{}
	for _, s := range sc.Services {
		for _, d := range s.DependsOn {
			dependedOn[d.Service.Name] = true
		}
	}
	for _, s := range sc.Services {
		if !dependedOn[s.Name] {
			b.tree(sc, s, "", "", 1, map[string]bool{})
		}
	}
	b.line("```")
	b.line("")
	if len(sc.Alerts) > 0 {
		b.line("### Monitoring")
		b.line("")
		for _, a := range sc.Alerts {
			page := "dashboard only"
			if a.Page.Name != "" {
				page = "pages " + a.Page.Name
			}
			b.line("- `%s` on %s: %s %s %g for %s, %s (%s)", a.Name, a.Service.Name, a.Metric, a.Op, a.Threshold, scenario.FormatDuration(a.For), page, a.Severity)
		}
		b.line("")
	}
}

func (b *builder) tree(sc *scenario.Scenario, s *scenario.Service, prefix, branch string, weight float64, seen map[string]bool) {
	label := s.Name
	var marks []string
	if s.Critical {
		marks = append(marks, "critical")
	}
	marks = append(marks, "group "+s.Group.Name)
	if s.Vendor.Name != "" {
		marks = append(marks, "vendor "+s.Vendor.Name)
	}
	if weight != 1 {
		marks = append(marks, fmt.Sprintf("weight %g", weight))
	}
	b.line("%s%s%s [%s]", prefix, branch, label, strings.Join(marks, ", "))
	if seen[s.Name] {
		return
	}
	seen[s.Name] = true
	defer delete(seen, s.Name)
	child := prefix
	switch branch {
	case "├── ":
		child += "│   "
	case "└── ":
		child += "    "
	}
	for i, d := range s.DependsOn {
		next := "├── "
		if i == len(s.DependsOn)-1 {
			next = "└── "
		}
		if dep := sc.Service(d.Service.Name); dep != nil {
			b.tree(sc, dep, child, next, d.Weight, seen)
		}
	}
}

// item is one line of the timeline, sortable by time.
type item struct {
	at   time.Duration
	cond hcl.Expression
	text string
}

func (b *builder) timeline(sc *scenario.Scenario) {
	var timed, conditional, triggered []item
	exprText := func(e hcl.Expression) string { return oneLine(sc.SourceText(e.Range())) }
	add := func(hasAt bool, at time.Duration, when hcl.Expression, text string) {
		switch {
		case hasAt:
			timed = append(timed, item{at: at, text: text})
		case when != nil:
			conditional = append(conditional, item{cond: when, text: text})
		default:
			triggered = append(triggered, item{text: text})
		}
	}
	for _, f := range sc.Faults {
		text := fmt.Sprintf("**fault** `%s` on %s%s — %s", f.Name, f.Service.Name, rootMark(f), f.Cause)
		add(f.HasStart, f.Start, f.When, text)
	}
	for _, in := range sc.Injects {
		text := fmt.Sprintf("**inject** `%s` → %s by %s%s: “%s”", in.Name, audience(in.To), in.Channel, from(in.From), oneLine(in.Text))
		add(in.HasAt, in.At, in.When, text)
	}
	for _, d := range sc.Decisions {
		var opts []string
		for _, o := range d.Options {
			opts = append(opts, fmt.Sprintf("%s (%+g)", o.Name, o.Score))
		}
		text := fmt.Sprintf("**decision** `%s` → %s: %s Options: %s", d.Name, audience(d.To), oneLine(d.Prompt), strings.Join(opts, ", "))
		add(d.HasAt, d.At, d.When, text)
	}
	sort.SliceStable(timed, func(i, j int) bool { return timed[i].at < timed[j].at })

	b.line("## Timeline")
	b.line("")
	b.line("| at | what |")
	b.line("|---|---|")
	for _, it := range timed {
		b.line("| %s | %s |", clock(it.at), escapeCell(it.text))
	}
	b.line("")
	if len(conditional) > 0 {
		b.line("### When the team's actions call for it")
		b.line("")
		for _, it := range conditional {
			b.line("- when `%s`: %s", exprText(it.cond), it.text)
		}
		b.line("")
	}
	if len(triggered) > 0 {
		b.line("### Only if a decision or a harmful remedy triggers it")
		b.line("")
		for _, it := range triggered {
			b.line("- %s", it.text)
		}
		b.line("")
	}
}

func (b *builder) goodLooksLike(sc *scenario.Scenario) {
	b.line("## What good looks like")
	b.line("")
	for _, f := range sc.Faults {
		if !f.RootCause {
			continue
		}
		b.line("- Root cause `%s` on %s: mitigated by %s; fixed by %s.", f.Name, f.Service.Name, refList(f.MitigatedBy), refList(f.FixedBy))
	}
	for _, r := range sc.Remedies {
		if r.Harmful != "" {
			b.line("- Trap: `%s` on %s — %s", r.Name, r.Service.Name, r.Harmful)
		}
	}
	for _, d := range sc.Decisions {
		best := d.Options[0]
		for _, o := range d.Options {
			if o.Score > best.Score {
				best = o
			}
		}
		b.line("- Decision `%s`: best answer `%s`%s", d.Name, best.Name, note(best.Note))
	}
	b.line("")
	if len(sc.Expects) > 0 {
		b.line("| expectation | dimension | by | points |")
		b.line("|---|---|---|---|")
		for _, e := range sc.Expects {
			desc := e.Description
			if desc == "" {
				desc = "`" + e.Name + "`"
			}
			by := "any time"
			if e.Within > 0 {
				by = clock(e.Within)
			}
			b.line("| %s | %s | %s | %g |", escapeCell(desc), e.Dimension, by, e.Points)
		}
		b.line("")
	}
	t := sc.Target
	pars := []struct {
		name string
		d    time.Duration
	}{
		{"detect", t.Detect}, {"acknowledge", t.Acknowledge}, {"declare", t.Declare}, {"identify", t.Identify},
		{"mitigate", t.Mitigate}, {"fix", t.Fix}, {"restore", t.Restore},
	}
	var set []string
	for _, p := range pars {
		if p.d > 0 {
			set = append(set, fmt.Sprintf("time to %s %s", p.name, clock(p.d)))
		}
	}
	if len(set) > 0 {
		b.line("Par times: %s.", strings.Join(set, ", "))
	}
}

func rootMark(f *scenario.Fault) string {
	if f.RootCause {
		return " (root cause)"
	}
	return ""
}

func audience(a scenario.Audience) string {
	var parts []string
	if a.Everyone {
		parts = append(parts, "everyone")
	}
	for _, r := range a.Refs {
		parts = append(parts, r.String())
	}
	return strings.Join(parts, ", ")
}

func refList(rs []scenario.Ref) string {
	if len(rs) == 0 {
		return "—"
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = "`" + r.Name + "`"
	}
	return strings.Join(names, ", ")
}

func from(s string) string {
	if s == "" {
		return ""
	}
	return " from " + s
}

func note(s string) string {
	if s == "" {
		return "."
	}
	return " — " + oneLine(s)
}

func portal(p string) string {
	if p == "" {
		return ""
	}
	return ", portal " + p
}

func orName(title, name string) string {
	if title != "" {
		return title
	}
	return name
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// clock formats a duration as h:mm:ss or m:ss.
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

func signedClock(d time.Duration) string {
	if d < 0 {
		return "−" + clock(-d)
	}
	return clock(d)
}
