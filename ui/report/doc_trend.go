package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

func trendDoc(t *TrendDoc, withSVG bool) *doc {
	d := &doc{title: "Trend across runs: " + t.Scenario.Title}
	d.h(1, "top", d.title)
	d.paraClass("notice", text{b("Exercise data."), p(" " + sentence(strings.TrimPrefix(Notice, "EXERCISE DATA: ")))})
	rows := [][]text{
		{bold("Scenario"), codes(t.Scenario.Name)},
		{bold("Runs"), txt(fmt.Sprint(len(t.Runs)))},
	}
	if first, last := dateRange(t.Runs); first != "" {
		rows = append(rows, []text{bold("Dates"), txt(first + " to " + last)})
	}
	if teams := teamList(t.Runs); teams != "" {
		rows = append(rows, []text{bold("Teams"), txt(teams)})
	}
	d.table(table{head: []string{"", ""}, rows: rows, class: "kv"})
	d.para(txt("Incident durations are skewed and noisy: a median moves by chance from run to run. Each figure is a distribution with its number of runs, and the median comes with a 95% bootstrap interval; where intervals overlap there is no detectable change, whatever the medians say."))

	d.h(2, "measures", "Time measures across runs")
	if len(t.Runs) == 0 {
		d.none("No stored runs of this scenario.")
		return d
	}
	pars := map[score.Phase]score.Measure{}
	for _, r := range t.Runs {
		for _, m := range r.Measures {
			if m.HasPar {
				pars[m.Phase] = m
			}
		}
	}
	rows = nil
	for _, p := range score.Phases() {
		s := t.Aggregate.Phases[p]
		par := "—"
		if m, ok := pars[p]; ok {
			par = dur(m.Par)
		}
		if s.N == 0 {
			rows = append(rows, []text{txt(sentence(phaseName(p))), txt("0"), txt("—"), txt("—"), txt("—"), txt("—"), txt("—"), txt("—"), txt(par)})
			continue
		}
		rows = append(rows, []text{txt(sentence(phaseName(p))), txt(fmt.Sprint(s.N)), txt(dur(s.Median)), txt(dur(s.MedianCI.Lo) + "–" + dur(s.MedianCI.Hi)),
			txt(dur(s.P75)), txt(dur(s.P90)), txt(dur(s.Min) + "–" + dur(s.Max)), txt(fmt.Sprint(s.Censored)), txt(par)})
	}
	d.table(table{head: []string{"Measure", "n", "Median", "Median, 95% interval", "p75", "p90", "Min–max", "Did not happen", "Par"},
		num: []bool{false, true, true, true, true, true, true, true, true}, rows: rows})
	d.para(txt("A run in which a phase did not happen counts at the end of its exercise, so with any such run the figures of that phase are lower bounds."))
	if withSVG {
		d.fig(figure{svg: trendChart(t, pars), caption: "Each dot is a run (hollow: the phase did not happen, counted at the end); the band is the median's 95% interval, the blue mark the median, the black mark the par."})
	}

	d.h(2, "scores", "Score across runs")
	rows = [][]text{scoreRow("Overall", t.Aggregate.Overall)}
	// The standard dimensions in report order, then any a scenario made up,
	// by name: never in map order.
	dims := make([]string, 0, len(t.Aggregate.Dimensions))
	for _, dim := range scenario.Dimensions() {
		dims = append(dims, string(dim))
	}
	for _, k := range slices.Sorted(maps.Keys(t.Aggregate.Dimensions)) {
		if !slices.Contains(dims, k) {
			dims = append(dims, k)
		}
	}
	for _, dim := range dims {
		if s, ok := t.Aggregate.Dimensions[dim]; ok {
			rows = append(rows, scoreRow(sentence(dim), s))
		}
	}
	d.table(table{head: []string{"Score (percent of the maximum)", "n", "Median", "Median, 95% interval", "p75", "p90", "Min–max"},
		num: []bool{false, true, true, true, true, true, true}, rows: rows})

	d.h(2, "change", "Earlier against later runs")
	d.para(txt(fmt.Sprintf("The first %s against the last %s, in the order stored. A verdict needs at least %d runs on each side; overlapping intervals of the medians mean no detectable change.",
		plural(t.Earlier, "run", "runs"), plural(t.Later, "run", "runs"), score.MinRunsToCompare)))
	rows = nil
	for _, c := range t.Comparisons {
		cmp := c.Comparison
		rows = append(rows, []text{txt(sentence(phaseName(c.Phase))), txt(medianN(cmp.A)), txt(medianN(cmp.B)), txt(delta(cmp.Delta)), bold(string(cmp.Verdict))})
	}
	d.table(table{head: []string{"Measure", "Earlier: median (interval), n", "Later: median (interval), n", "Difference of medians", "Verdict"},
		num: []bool{false, true, true, true, false}, rows: rows})

	d.h(2, "runs", "Runs")
	head := []string{"Run", "Date", "Team", "Ended", "Score"}
	num := []bool{false, false, false, false, true}
	for _, p := range score.Phases() {
		head = append(head, sentence(phaseName(p)))
		num = append(num, true)
	}
	rows = nil
	for _, r := range t.Runs {
		row := []text{codes(orDash(r.ID)), txt(orDash(r.Date)), txt(orDash(r.Team)), txt(orDash(r.Ended)), txt(percent(r.Overall.Percent))}
		for _, p := range score.Phases() {
			cell := "—"
			for _, m := range r.Measures {
				if m.Phase != p {
					continue
				}
				switch {
				case m.NotApplicable:
					cell = "n/a"
				case m.Censored:
					cell = ">" + dur(m.Duration)
				default:
					cell = dur(m.Duration)
				}
			}
			row = append(row, txt(cell))
		}
		rows = append(rows, row)
	}
	d.table(table{head: head, num: num, rows: rows})
	d.para(txt("A time shown as >h:mm:ss did not happen: the phase was still open when the exercise ended."))
	return d
}

func scoreRow(name string, s score.ScoreDistribution) []text {
	if s.N == 0 {
		return []text{txt(name), txt("0"), txt("—"), txt("—"), txt("—"), txt("—"), txt("—")}
	}
	return []text{txt(name), txt(fmt.Sprint(s.N)), txt(percent(s.Median)), txt(percent(s.MedianCI[0]) + "–" + percent(s.MedianCI[1])),
		txt(percent(s.P75)), txt(percent(s.P90)), txt(percent(s.Min) + "–" + percent(s.Max))}
}

func medianN(d score.Distribution) string {
	if d.N == 0 {
		return "no runs"
	}
	return fmt.Sprintf("%s (%s–%s), n=%d", dur(d.Median), dur(d.MedianCI.Lo), dur(d.MedianCI.Hi), d.N)
}

func dateRange(rs []TrendRow) (first, last string) {
	for _, r := range rs {
		if r.Date == "" {
			continue
		}
		if first == "" {
			first = r.Date
		}
		last = r.Date
	}
	return first, last
}

func teamList(rs []TrendRow) string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Team != "" && !seen[r.Team] {
			seen[r.Team] = true
			out = append(out, r.Team)
		}
	}
	return strings.Join(out, ", ")
}

// trendChart draws, per phase, every run's duration as a dot with the
// median, its interval and the par: the distribution, not a mean.
func trendChart(t *TrendDoc, pars map[score.Phase]score.Measure) string {
	var rows []stripRow
	var maxT time.Duration
	for _, p := range score.Phases() {
		s := t.Aggregate.Phases[p]
		sr := stripRow{label: phaseName(p), n: s.N, median: s.Median, lo: s.MedianCI.Lo, hi: s.MedianCI.Hi}
		if m, ok := pars[p]; ok {
			sr.par, sr.hasPar = m.Par, true
			maxT = max(maxT, m.Par)
		}
		for _, r := range t.Runs {
			for _, m := range r.Measures {
				if m.Phase == p && !m.NotApplicable {
					sr.dots = append(sr.dots, dot{m.Duration, m.Censored, r.ID})
					maxT = max(maxT, m.Duration)
				}
			}
		}
		rows = append(rows, sr)
	}
	return `<div class="wide">` + "\n" + stripChart("Time measures across runs", rows, maxT, wideBars) + "</div>\n" +
		`<div class="narrow">` + "\n" + stripChart("Time measures across runs", rows, maxT, narrowBars) + "</div>\n"
}
