package incident

import (
	"slices"
	"strings"
	"unicode"

	"github.com/firedrill/firedrill/engine"
)

// Open lists the incidents still in the workflow (not closed, declined or
// merged), restored ones included, in number order.
func (b *Book) Open() []engine.Incident {
	var out []engine.Incident
	for _, inc := range b.incidents {
		if inc.Live() {
			out = append(out, inc.Clone())
		}
	}
	return out
}

// SearchParents lists the live parent incidents whose short description or
// service shares a word with query, best match first (most shared words),
// then in number order. Words match case-insensitively, and a word of four
// letters or more matches its longer forms ("claim" finds "claims"). Short
// and common words are ignored; an empty query lists every live parent.
func (b *Book) SearchParents(query string) []engine.Incident {
	want := words(query)
	type hit struct {
		inc   *engine.Incident
		score int
	}
	var hits []hit
	for _, inc := range b.incidents {
		if !inc.IsParent || !inc.Live() {
			continue
		}
		have := words(inc.ShortDescription + " " + inc.Service)
		score := 0
		for _, w := range want {
			if slices.ContainsFunc(have, func(h string) bool { return alike(w, h) }) {
				score++
			}
		}
		if score > 0 || len(want) == 0 {
			hits = append(hits, hit{inc, score})
		}
	}
	// Stable, and hits are in number order already: ties keep it.
	slices.SortStableFunc(hits, func(a, b hit) int { return b.score - a.score })
	out := make([]engine.Incident, len(hits))
	for i, h := range hits {
		out[i] = h.inc.Clone()
	}
	return out
}

// stopWords carry no meaning for matching incidents.
var stopWords = []string{
	"and", "are", "but", "can", "for", "from", "has", "have", "not", "our",
	"the", "they", "this", "was", "were", "when", "with", "cannot", "users", "error", "errors",
}

// words splits s into distinct lower-case words of three letters or more,
// without stop words, in order of appearance.
func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if len(w) >= 3 && !slices.Contains(stopWords, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// alike matches equal words, or a word of four letters or more against a
// longer word it begins.
func alike(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 4 && strings.HasPrefix(b, a)
}
