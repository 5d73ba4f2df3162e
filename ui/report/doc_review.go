package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// mdClip is how long a free-text cell may be in Markdown, where a long cell
// makes a table unreadable on a code-hosting site; HTML and JSON keep the
// whole text.
const mdClip = 220

// reviewDoc writes the review in the order a post-incident review meeting
// walks through it (incident-lifecycle.md, 6). withSVG adds the charts.
func reviewDoc(r *Review, sc *scenario.Scenario, withSVG bool) *doc {
	w := &reviewWriter{doc: &doc{title: "Post-incident review: " + r.Scenario.Title}, r: r, sc: sc, svg: withSVG}
	w.header()
	w.summary()
	w.impact()
	w.detection()
	w.response()
	w.timeline()
	w.waterfall()
	w.factors()
	w.resolution()
	w.findings()
	w.decisions()
	w.followUps()
	w.confidence()
	w.notes()
	w.appendix()
	return w.doc
}

type reviewWriter struct {
	*doc
	r   *Review
	sc  *scenario.Scenario
	svg bool
}

// clipText clips free text for Markdown only.
func (w *reviewWriter) clipText(s string) string {
	if w.svg {
		return strings.Join(strings.Fields(s), " ")
	}
	return clip(s, mdClip)
}

// when prints a virtual time with the fiction's clock beside it.
func (w *reviewWriter) when(d time.Duration) string {
	if w.r.Scenario.StartClock == 0 {
		return at(d)
	}
	return at(d) + " (" + clock(w.r.Scenario.StartClock, d) + ")"
}

func (w *reviewWriter) header() {
	r := w.r
	w.h(1, "top", w.title)
	w.paraClass("notice", text{b("Exercise data."), p(" " + sentence(strings.TrimPrefix(Notice, "EXERCISE DATA: ")))})
	sc := r.Scenario
	about := []string{}
	if sc.Difficulty != "" {
		about = append(about, sc.Difficulty)
	}
	about = append(about, fmt.Sprintf("seed %d", sc.Seed))
	rows := [][]text{{bold("Scenario"), codes(sc.Name).and(p(" · " + strings.Join(about, " · ")))}}
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, []text{bold(k), txt(v)})
		}
	}
	add("Exercise", r.Meta.Exercise)
	add("Date", r.Meta.Date)
	add("Facilitator", r.Meta.Facilitator)
	add("Organization", r.Meta.Organization)
	if sc.StartClock > 0 {
		add("Start of play", clock(sc.StartClock, 0)+" in the fiction; times below are since the start (+h:mm:ss) with the fiction's clock")
	}
	ended := at(r.Score.Result.End)
	if r.Score.Ended != "" {
		ended += " (" + endReason(r.Score.Ended) + ")"
	}
	add("Ended", ended)
	w.table(table{head: []string{"", ""}, rows: rows, class: "kv"})

	w.h(3, "participants", "Participants and roles")
	if len(r.Meta.Participants) > 0 {
		var rows [][]text
		for _, pt := range r.Meta.Participants {
			rows = append(rows, []text{txt(pt.Name), txt(orDash(pt.Role)), txt(orDash(pt.Organization))})
		}
		w.table(table{head: []string{"Name", "Role", "Organization"}, rows: rows})
		return
	}
	if len(r.Response.Responders) == 0 {
		w.none("No participant list was given and nobody acted in the log.")
		return
	}
	w.none("No participant list was given; these are the people who acted in the log, bots included.")
	var prow [][]text
	for _, p := range r.Response.Responders {
		prow = append(prow, []text{txt(p.Name), txt(orDash(roleWords(p.Roles))), txt(orDash(strings.Join(p.Groups, ", ")))})
	}
	w.table(table{head: []string{"Name", "Role", "Groups"}, rows: prow})
}

// roleWords prints roles as people read them.
func roleWords(roles []string) string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = words(r)
	}
	return strings.Join(out, ", ")
}

func (w *reviewWriter) summary() {
	r := w.r
	w.h(2, "summary", "Summary")
	w.paraClass("lead", txt(strings.Join(r.Summary, " ")))
	w.h(3, "measures", "Time measures against par")
	head := []string{"Measure", "From → to", "Time", "After the phase before", "Par", "Verdict", "Event"}
	num := []bool{false, false, true, true, true, false, true}
	ref := map[score.Phase]score.PhaseDelta{}
	for _, d := range r.Reference {
		ref[d.Phase] = d
	}
	if len(ref) > 0 {
		head = append(head, "Reference run", "This run vs reference")
		num = append(num, true, false)
	}
	var rows [][]text
	for _, m := range r.Score.Result.Measures {
		row := []text{txt(sentence(phaseName(m.Phase))), txt(m.Phase.Span()), txt(measureText(m)), txt(intervalText(m)), txt(parText(m)), txt(verdict(m)), txt(evidenceText(m.Evidence))}
		if len(ref) > 0 {
			d := ref[m.Phase]
			rt := dur(d.Ref)
			if d.RefCensored {
				rt = censored(d.Ref)
			}
			if d.NotApplicable {
				rt = "—"
			}
			row = append(row, txt(rt), txt(refDelta(d)))
		}
		rows = append(rows, row)
	}
	w.table(table{head: head, num: num, rows: rows})
	if w.svg {
		w.fig(figure{svg: w.mttxChart(), caption: "Each time measure against its par (the black mark). A hatched bar never ended: it is counted at the end of the exercise, as a lower bound."})
	}
	w.para(text{b("Score: "), p(points(r.Score.Overall) + ". "), p("By dimension: ")}.and(dimList(r.Score.Dimensions)...))
}

// intervalText is a measure's time from the end of the phase before it.
func intervalText(m score.Measure) string {
	switch {
	case m.After == "" || m.NotApplicable:
		return "—"
	case m.Censored:
		return "— (did not happen)"
	case !m.IntervalKnown:
		return "— (" + string(m.After) + " did not happen)"
	case m.Interval < 0:
		return dur(-m.Interval) + " before " + string(m.After)
	}
	return dur(m.Interval) + " after " + string(m.After)
}

// evidenceText names the event that decided something, by its number in
// the log (the timeline shows the same numbers).
func evidenceText(ev *score.Evidence) string {
	if ev == nil {
		return "—"
	}
	return fmt.Sprintf("#%d", ev.Seq)
}

func dimList(ds []score.DimensionScore) []span {
	var out []span
	for i, d := range ds {
		if i > 0 {
			out = append(out, p("; "))
		}
		out = append(out, p(string(d.Dimension)+" "+num(d.Points)+"/"+num(d.Max)))
	}
	return append(out, p("."))
}

func (w *reviewWriter) mttxChart() string {
	res := w.r.Score.Result
	ref := map[score.Phase]score.PhaseDelta{}
	for _, d := range w.r.Reference {
		ref[d.Phase] = d
	}
	var rows []barRow
	var maxT time.Duration
	for _, m := range res.Measures {
		br := barRow{label: phaseName(m.Phase), to: m.Duration, par: m.Par, hasPar: m.HasPar, over: overPar(m),
			censored: m.Censored, na: m.NotApplicable, value: shortMeasure(m),
			title: fmt.Sprintf("%s: %s, par %s", phaseName(m.Phase), measureText(m), parText(m))}
		if d, ok := ref[m.Phase]; ok && !d.NotApplicable && !d.RefCensored {
			br.ref, br.hasRef = d.Ref, true
			maxT = max(maxT, d.Ref)
		}
		maxT = max(maxT, m.Duration, m.Par)
		rows = append(rows, br)
	}
	return responsiveBars("hatch-mttx", "Time measures against par", rows, maxT, false)
}

// shortMeasure is a measure in a chart's value column.
func shortMeasure(m score.Measure) string {
	switch {
	case m.NotApplicable:
		return "n/a"
	case m.Censored:
		return ">" + dur(m.Duration)
	}
	return dur(m.Duration)
}

func (w *reviewWriter) impact() {
	r := w.r
	res := r.Score.Result
	w.h(2, "impact", "Impact")
	if res.HasT0 {
		w.para(txt(fmt.Sprintf("From impact at %s to restoration at %s: %s of %s requests failed, a raw error rate of %s (no SLO weighting). Critical services were beyond their error threshold for %s minutes.",
			w.when(res.T0), restoreAt(res), count(res.RawErrorRateOverall.Failed), count(res.RawErrorRateOverall.Total),
			pct(res.RawErrorRateOverall.Rate), num(res.DowntimeMinutes))))
		var rows [][]text
		for _, s := range res.ImpactedServices {
			er := res.RawErrorRate[s]
			down := "—"
			if m, ok := res.DowntimeByService[s]; ok {
				down = num(m)
			}
			rows = append(rows, []text{codes(s), txt(count(er.Total)), txt(count(er.Failed)), txt(pct(er.Rate)), txt(down)})
		}
		if len(rows) > 0 {
			w.table(table{head: []string{"Impacted service", "Requests", "Failed", "Raw error rate", "Critical downtime (min)"},
				num: []bool{false, true, true, true, true}, rows: rows})
		}
	} else {
		w.none("No root-cause fault started, so there was no customer impact to measure.")
	}
	if len(r.Score.Impact) > 0 {
		w.h(3, "impact-whole", "Over the whole exercise")
		var rows [][]text
		for _, im := range r.Score.Impact {
			crit := "no"
			if im.Critical {
				crit = "yes"
			}
			slo, burned := "—", "—"
			if im.SLO > 0 {
				slo = strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", 100*im.SLO), "0"), ".") + "%"
				burned = num(im.ErrorBudgetBurned) + "×"
			}
			rows = append(rows, []text{codes(im.Service), txt(crit), txt(count(im.Requests.Total)), txt(count(im.Requests.Failed)),
				txt(pct(im.Requests.Rate)), txt(num(im.DowntimeMinutes)), txt(slo), txt(burned)})
		}
		w.table(table{head: []string{"Service", "Critical", "Requests", "Failed", "Raw error rate", "Minutes unhealthy", "SLO", "Error budget burned"},
			num: []bool{false, false, true, true, true, true, true, true}, rows: rows})
		w.para(txt("Error budget burned is failed requests over the budget the SLO allows for this many requests: 1× spends exactly the budget."))
	}
	if w.svg && len(r.series) > 0 {
		w.fig(figure{svg: `<div class="lines">` + "\n" + w.errorChart() + "</div>\n" + markerKey(r.markers, w.r.Scenario.StartClock),
			caption: "Error rate of each impacted service, from the telemetry in the log. Purple markers (I) are injects, blue (A) the key actions; the key lists them."})
	}
}

func restoreAt(res score.Result) string {
	m, ok := res.Measure(score.PhaseRestore)
	if !ok || m.Censored {
		return "the end, " + at(res.End) + ", since service was not restored"
	}
	return at(m.At)
}

func (w *reviewWriter) errorChart() string {
	res := w.r.Score.Result
	mit, ok := res.Measure(score.PhaseMitigate)
	ended := ok && !mit.Censored && !mit.NotApplicable
	return lineChart("errors", "Error rate per impacted service over time", w.r.series, w.r.markers, res.End, res.T0, mit.At, res.HasT0, ended)
}

// markerKey is the chart's key: an HTML table after the SVG.
func markerKey(ms []marker, start time.Duration) string {
	if len(ms) == 0 {
		return ""
	}
	var b strings.Builder
	rows := make([][]text, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, []text{bold(m.id), txt(at(m.at)), txt(orDash(m.who)), txt(m.text)})
	}
	htmlTable(&b, table{head: []string{"Marker", "Time", "Who", "What"}, rows: rows, class: "key"})
	return b.String()
}

func (w *reviewWriter) detection() {
	r := w.r
	d := r.Detection
	w.h(2, "detection", "Detection")
	m, _ := r.Score.Result.Measure(score.PhaseDetect)
	var items []text
	switch d.How {
	case "alert":
		items = append(items, text{b("How: "), p("by monitoring: alert "), c(d.By), p(fmt.Sprintf(" fired at %s.", w.when(m.At)))})
	case "report":
		items = append(items, text{b("How: "), p("by a user: the contact "), c(d.By), p(fmt.Sprintf(", a report of the symptoms, reached the team at %s.", w.when(m.At)))})
	case "record":
		kind := "an incident record"
		if d.Class == "service_request" {
			kind = "a service request"
		}
		items = append(items, text{b("How: "), p(fmt.Sprintf("by a person: %s created %s, ", orDash(d.Actor), kind)), c(d.By), p(fmt.Sprintf(", about an impacted service at %s.", w.when(m.At)))})
	default:
		if m.Censored {
			items = append(items, text{b("How: "), p("not detected before the end of the exercise.")})
		}
	}
	if !m.NotApplicable {
		items = append(items, text{b("Time to detect: "), p(measureText(m) + " (par " + parText(m) + "; " + verdict(m) + ").")})
	}
	w.list(items)
	if len(d.Alerts) == 0 {
		w.none("The scenario has no alert rules.")
		return
	}
	var rows [][]text
	for _, a := range d.Alerts {
		fired, acked := "—", "—"
		if a.Status == score.AlertFired || a.Status == score.AlertUnacknowledged {
			fired = w.when(a.FiredAt)
		}
		if a.AckedBy != "" {
			acked = a.AckedBy + " at " + at(a.AckedAt)
		}
		impacted := "no"
		if a.Impacted {
			impacted = "yes"
		}
		rows = append(rows, []text{codes(a.Alert), codes(a.Service), txt(impacted), txt(orDash(a.Severity)), maybeCode(a.Rotation), txt(fired), txt(acked), txt(alertStatus(a.Status))})
	}
	w.table(table{head: []string{"Alert", "Service", "Impacted", "Severity", "Pages", "Fired", "Acknowledged", "Status"}, rows: rows})
}

func alertStatus(s string) string {
	switch s {
	case score.AlertFired:
		return "fired"
	case score.AlertUnacknowledged:
		return "fired; page never acknowledged"
	case score.AlertMissed:
		return "missed: did not fire on an impacted service"
	}
	return "did not fire (nothing to see)"
}

func (w *reviewWriter) response() {
	r := w.r
	res := r.Score.Result
	q := r.Score.Quality
	w.h(2, "response", "Response")
	items := []text{
		txt(fmt.Sprintf("%s sent; %s acknowledged; %s in the log. Escalation depth before the first acknowledgement (score): %d.",
			plural(len(r.Response.Pages), "page", "pages"), plural(acked(r.Response.Pages), "page", "pages"),
			plural(r.Response.Escalations, "escalation", "escalations"), res.EscalationDepth)),
		txt(fmt.Sprintf("War rooms opened: %d, of them duplicates: %d.", res.WarRooms, res.DuplicateWarRooms)),
	}
	if l := q.WithoutIncidentManager; !l.NotApplicable {
		if l.Censored {
			items = append(items, txt(fmt.Sprintf("No incident manager acted after the first P1/P2 at %s.", at(l.From))))
		} else {
			items = append(items, txt(fmt.Sprintf("An incident manager (%s) first acted %s after the first P1/P2 at %s.", orDash(l.By), dur(l.Duration), at(l.From))))
		}
	}
	if c := q.StatusUpdates; !c.NotApplicable {
		items = append(items, txt(fmt.Sprintf("Stakeholder updates: %d sent while a P1/P2 was open, %d of %d due on time (one every %s).", c.Updates, c.OnTime, c.Expected, dur(c.Every))))
	}
	w.list(items)

	w.h(3, "responders", "Who responded")
	if len(r.Response.Responders) == 0 {
		w.none("Nobody acted.")
	} else {
		var rows [][]text
		for _, p := range r.Response.Responders {
			rows = append(rows, []text{txt(p.Name), txt(orDash(roleWords(p.Roles))), txt(orDash(strings.Join(p.Groups, ", "))), txt(at(p.First)), txt(fmt.Sprint(p.Actions))})
		}
		w.table(table{head: []string{"Person", "Roles", "Groups", "First acted", "Actions"}, num: []bool{false, false, false, true, true}, rows: rows})
	}

	w.h(3, "pages", "Pages and escalations")
	if len(r.Response.Pages) == 0 {
		w.none("Nobody was paged.")
	} else {
		var rows [][]text
		for _, pg := range r.Response.Pages {
			why := "—"
			switch {
			case pg.Alert != "":
				why = "alert " + pg.Alert
			case pg.From != "":
				why = "paged by " + pg.From
			}
			if pg.Incident != "" {
				why += " (" + pg.Incident + ")"
			}
			ack := "never"
			if pg.Acked {
				ack = pg.AckedBy + " at " + at(pg.AckedAt)
			}
			rows = append(rows, []text{codes(pg.Page), txt(at(pg.At)), txt(pg.Person + " (" + pg.Group + ")"), txt(why), txt(ack), txt(fmt.Sprint(pg.Escalations))})
		}
		w.table(table{head: []string{"Page", "Sent", "To", "Why", "Acknowledged", "Escalations"}, num: []bool{false, true, false, false, false, true}, rows: rows})
	}

	w.h(3, "war-rooms", "War rooms")
	if len(r.Response.WarRooms) == 0 {
		w.none("No war room was opened.")
	} else {
		var rows [][]text
		for _, wr := range r.Response.WarRooms {
			dup := "—"
			if wr.DuplicateOf != "" {
				dup = "yes, " + wr.DuplicateOf + " existed"
			}
			rows = append(rows, []text{codes(wr.Number), codes(wr.Incident), txt(wr.OpenedBy), txt(at(wr.At)), txt(dup), txt(orDash(strings.Join(wr.Members, ", ")))})
		}
		w.table(table{head: []string{"War room", "For", "Opened by", "At", "Duplicate", "Members"}, rows: rows})
	}

	w.h(3, "comms", "Communications")
	if len(r.Response.Comms) == 0 {
		w.none("No status update was sent and no vendor was contacted.")
		return
	}
	var rows [][]text
	for _, cm := range r.Response.Comms {
		rows = append(rows, []text{txt(at(cm.At)), txt(cm.By), txt(words(cm.Kind)), txt(w.clipText(cm.Text))})
	}
	w.table(table{head: []string{"Time", "From", "Kind", "Text"}, rows: rows})
}

func acked(ps []score.PageRow) int {
	n := 0
	for _, p := range ps {
		if p.Acked {
			n++
		}
	}
	return n
}

func (w *reviewWriter) timeline() {
	r := w.r
	w.h(2, "timeline", "Timeline")
	verdicts := 0
	for _, e := range r.Timeline {
		if e.Kind == "expectation" {
			verdicts++
		}
	}
	w.para(txt(fmt.Sprintf("Every significant event, %d of %d in the log (telemetry, query answers and chat left out), and each expectation met, after the event that met it. Rows marked ground truth were visible to facilitators only.", len(r.Timeline)-verdicts, r.Events)))
	head := []string{"Time", "Who", "Event"}
	if r.Scenario.StartClock > 0 {
		head = []string{"Time", "Clock", "Who", "Event"}
	}
	rows := make([][]text, 0, len(r.Timeline))
	for _, e := range r.Timeline {
		ev := txt(w.clipText(e.Text))
		if e.Truth {
			ev = text{it("Ground truth: ")}.and(ev...)
		}
		who := e.Who
		if e.Role != "" && who != "" {
			who += " (" + words(e.Role) + ")"
		}
		row := []text{txt(at(e.At))}
		if r.Scenario.StartClock > 0 {
			row = append(row, txt(clock(r.Scenario.StartClock, e.At)))
		}
		rows = append(rows, append(row, txt(orDash(who)), ev))
	}
	w.table(table{head: head, rows: rows, class: "timeline"})
}
