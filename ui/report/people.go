package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine/score"
)

// people sets each player's confidence (first and last rating) beside what
// the score attributes to them: expectations they met, decisions they took,
// penalties charged to them. engine/score has no per-person score, so the
// report shows the evidence rather than inventing a figure.
func people(rep score.Report, responders []score.Responder) []Person {
	by := map[string]*Person{}
	get := func(name string) *Person {
		p := by[name]
		if p == nil {
			p = &Person{Name: name, Roles: []string{}, Credited: []string{}, Decisions: []string{}, Penalties: []string{}}
			by[name] = p
		}
		return p
	}
	for _, r := range responders {
		p := get(r.Name)
		p.Roles = append(p.Roles, r.Roles...)
	}
	for _, c := range rep.Confidence {
		p := get(c.Person)
		p.First, p.Last, p.Ratings = c.First, c.Last, len(c.Ratings)
		if n := len(c.Ratings); n > 0 {
			p.AfterEnd = c.Ratings[n-1].AfterEnd
		}
		for _, r := range c.Ratings {
			if r.Role != "" && !slices.Contains(p.Roles, string(r.Role)) {
				p.Roles = append(p.Roles, string(r.Role))
			}
		}
	}
	for _, e := range rep.Expectations {
		if e.Met && e.By != "" {
			get(e.By).Credited = append(get(e.By).Credited, e.Name)
		}
	}
	for _, d := range rep.Decisions {
		if d.Answered && d.By != "" {
			get(d.By).Decisions = append(get(d.By).Decisions, fmt.Sprintf("%s: %s (%s of %s)", d.Name, d.Option, num(d.Score), num(d.BestScore)))
		}
	}
	for _, pn := range rep.Penalties {
		// A record left open is the team's, whoever touched it last.
		if a := pn.Evidence.Actor; a != "" && pn.Kind != score.OpenRecord {
			get(a).Penalties = append(get(a).Penalties, fmt.Sprintf("%s %s (-%s)", words(string(pn.Kind)), pn.Subject, num(pn.Points)))
		}
	}
	for _, l := range rep.Lessons {
		get(l.Author).Lessons++
	}
	out := make([]Person, 0, len(by))
	for _, p := range by {
		slices.Sort(p.Roles)
		p.Roles = slices.Compact(p.Roles)
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Person) int { return strings.Compare(a.Name, b.Name) })
	return out
}
