package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine/score"
)

// Notice is the line every export carries so that its figures never mix with
// production incident metrics.
const Notice = "EXERCISE DATA: from a firedrill simulation, not a production incident. Keep these figures out of production incident metrics."

// phaseName is the spelt-out name of a phase: "MTTR" means four things in
// the industry, so no export uses an acronym.
func phaseName(p score.Phase) string { return p.Name() }

// dur prints a duration as h:mm:ss, rounded to the second: virtual times are
// read off a timeline, where a fraction of a second says nothing.
func dur(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	s := int64(d.Round(time.Second) / time.Second)
	out := fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	if neg {
		return "-" + out
	}
	return out
}

// delta prints a signed duration: "+0:02:03", "-0:01:00", "0:00:00".
func delta(d time.Duration) string {
	if d.Round(time.Second) > 0 {
		return "+" + dur(d)
	}
	return dur(d)
}

// at prints a virtual time since the start of the exercise.
func at(d time.Duration) string { return "+" + dur(d) }

// clock prints a virtual time as the time of day in the fiction, which is
// how players stated times ("impact started 14:02").
func clock(start, d time.Duration) string {
	t := (start + d).Round(time.Second) % (24 * time.Hour)
	s := int64(t / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// censored is how a phase that never happened is shown: counted at the end
// of the exercise, as a lower bound (incident-lifecycle.md, 5.4).
func censored(d time.Duration) string {
	return "did not happen (counted at the end, >" + dur(d) + ")"
}

// measureText words one measure: its duration, or that it never happened.
func measureText(m score.Measure) string {
	switch {
	case m.NotApplicable:
		return "not applicable (no root-cause fault)"
	case m.Censored:
		return censored(m.Duration)
	}
	return dur(m.Duration)
}

// parText prints a par, or a dash when the scenario sets none.
func parText(m score.Measure) string {
	if !m.HasPar {
		return "—"
	}
	return dur(m.Par)
}

// verdict compares a measure with its par in words.
func verdict(m score.Measure) string {
	switch {
	case m.NotApplicable:
		return "not applicable"
	case m.Censored && m.HasPar && m.Duration > m.Par:
		return "over par (did not happen)"
	case m.Censored:
		return "did not happen"
	case !m.HasPar:
		return "no par set"
	case m.Duration <= m.Par:
		return "within par"
	}
	return "over par by " + dur(m.Duration-m.Par)
}

// overPar reports whether a measure missed its par: longer than it, or
// never ended although the exercise outlasted it.
func overPar(m score.Measure) bool {
	return !m.NotApplicable && m.HasPar && m.Duration > m.Par
}

// pct prints a fraction as a percentage with one decimal.
func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

// percent prints a value already in percent.
func percent(p float64) string { return strconv.FormatFloat(p, 'f', 1, 64) + "%" }

// num prints a figure with at most one decimal and no trailing zero.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// count prints a request count as a whole number with thousands
// separators: the simulated counters are fractional, people read integers.
func count(f float64) string {
	n := int64(math.Round(f))
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// points prints points out of a maximum.
func points(t score.Total) string {
	return num(t.Points) + " of " + num(t.Max) + " (" + percent(t.Percent) + ")"
}

// words turns an identifier into words: "not_applicable" → "not applicable".
func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// sentence upper-cases the first letter.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// clip shortens s to n runes on a word boundary, for table cells; the JSON
// keeps the whole text.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// orDash prints s, or a dash when it is empty.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// join lists items in prose: "a", "a and b", "a, b and c".
func join(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// plural picks the singular or plural of a noun by count.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
