package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// The after-action report / improvement plan follows the layout public-
// sector exercise programmes file (HSEEP-style: exercise overview, analysis
// of core capabilities with strengths and areas for improvement, and the
// improvement-plan matrix), so continuity and compliance teams can file the
// exercise without retyping it. It is Markdown: it converts to the office
// format a programme requires with any Markdown converter, and reads on a
// code-hosting site as it is.

// capabilities names each scoring dimension as the core capability it
// exercises, in the programmes' vocabulary.
var capabilities = map[scenario.Dimension]string{
	scenario.DimDetection:     "Situational Assessment (detection)",
	scenario.DimTriage:        "Situational Assessment (triage and diagnosis)",
	scenario.DimCoordination:  "Operational Coordination",
	scenario.DimCommunication: "Operational Communications",
	scenario.DimRecovery:      "Infrastructure Systems (service recovery)",
	scenario.DimProcess:       "Planning (incident-management process)",
}

func capability(d scenario.Dimension) string {
	if c, ok := capabilities[d]; ok {
		return c
	}
	return sentence(string(d))
}

// rating turns a dimension's share of its points into the four-step scale
// of the programmes' analysis: P performed without challenges, S with some,
// M with major challenges, U unable to be performed. The thresholds are the
// report's wording of the score, not a second score.
func rating(d score.DimensionScore) (code, words string) {
	switch {
	case d.Max <= 0:
		return "—", "not assessed"
	case d.Percent >= 90:
		return "P", "performed without challenges"
	case d.Percent >= 70:
		return "S", "performed with some challenges"
	case d.Percent >= 40:
		return "M", "performed with major challenges"
	}
	return "U", "unable to be performed"
}

func aarDoc(r *Review) *doc {
	d := &doc{title: "After-action report / improvement plan: " + r.Scenario.Title}
	d.h(1, "top", d.title)
	d.paraClass("notice", text{b("Exercise data."), p(" " + sentence(strings.TrimPrefix(Notice, "EXERCISE DATA: ")) + " Handle as exercise material: for training and continuity planning.")})

	d.h(2, "overview", "Exercise overview")
	sc := r.Scenario
	kind := "Operations-based exercise, simulated on firedrill's virtual clock"
	if !r.Score.Result.HasT0 {
		kind = "Discussion-based tabletop exercise, run on firedrill's virtual clock"
	}
	ended := dur(r.Score.Result.End) + " of play"
	if r.Score.Ended != "" {
		ended += ", " + endReason(r.Score.Ended)
	}
	var caps []string
	for _, dim := range r.Score.Dimensions {
		if dim.Max > 0 {
			caps = append(caps, capability(dim.Dimension))
		}
	}
	hazard := sc.Title
	if len(r.Factors.RootCauses) > 0 {
		f := r.Factors.RootCauses[0]
		hazard = strings.TrimSuffix(f.Cause, ".") + " (" + f.Service + ")"
	}
	rows := [][]text{
		{bold("Exercise name"), txt(sc.Title)},
		{bold("Exercise ID"), txt(orDash(r.Meta.Exercise))},
		{bold("Exercise date"), txt(orDash(r.Meta.Date))},
		{bold("Scope"), txt(fmt.Sprintf("%s: %s (scenario %s, seed %d).", kind, ended, sc.Name, sc.Seed))},
		{bold("Mission area"), txt("Response")},
		{bold("Core capabilities"), txt(orDash(strings.Join(caps, "; ")))},
		{bold("Threat or hazard"), txt(hazard)},
		{bold("Scenario"), txt(orDash(sc.Summary))},
		{bold("Sponsor"), txt(orDash(r.Meta.Organization))},
		{bold("Participating organizations"), txt(orDash(strings.Join(organizations(r), ", ")))},
		{bold("Point of contact"), txt(orDash(r.Meta.Facilitator))},
	}
	d.table(table{head: []string{"", ""}, rows: rows, class: "kv"})
	d.h(3, "objectives", "Objectives")
	if len(sc.Objectives) == 0 {
		d.none("The scenario states no objectives.")
	} else {
		items := make([]text, len(sc.Objectives))
		for i, o := range sc.Objectives {
			items[i] = txt(o)
		}
		d.blocks = append(d.blocks, list{items: items, ordered: true})
	}

	d.h(2, "analysis", "Analysis of core capabilities")
	d.para(txt("Each core capability is rated from the exercise score of its dimension: P (performed without challenges) at 90% or more, S (with some challenges) at 70%, M (with major challenges) at 40%, U (unable to be performed) below that."))
	rows = nil
	for _, dim := range r.Score.Dimensions {
		code, w := rating(dim)
		rows = append(rows, []text{txt(capability(dim.Dimension)), codes(string(dim.Dimension)), txt(num(dim.Points) + " of " + num(dim.Max)), bold(code).and(p(" " + w))})
	}
	d.table(table{head: []string{"Core capability", "Dimension", "Score", "Rating"}, rows: rows})
	for _, dim := range r.Score.Dimensions {
		well := byDim(r.Findings.Well, dim.Dimension)
		wrong := byDim(r.Findings.Wrong, dim.Dimension)
		lucky := byDim(r.Findings.Lucky, dim.Dimension)
		if dim.Max <= 0 && len(well)+len(wrong)+len(lucky) == 0 {
			continue
		}
		d.h(3, "cap-"+string(dim.Dimension), capability(dim.Dimension))
		d.h(4, "", "Strengths")
		if len(well) == 0 {
			d.none("None observed.")
		}
		d.list(numbered("Strength", well))
		d.h(4, "", "Areas for improvement")
		if len(wrong) == 0 {
			d.none("None observed.")
		}
		d.list(numbered("Area for improvement", wrong))
		if len(lucky) > 0 {
			d.h(4, "", "Observations (outcomes not earned)")
			d.list(numbered("Observation", lucky))
		}
	}

	d.h(2, "improvement-plan", "Appendix A: Improvement plan")
	d.para(txt("Corrective actions agreed in the review, then every area for improvement no action answers yet, to be assigned."))
	rows = nil
	covered := map[string]bool{}
	for _, a := range r.Meta.ActionItems {
		covered[a.Issue] = true
		capName := "—"
		if a.Dimension != "" {
			capName = capability(a.Dimension)
		}
		issue := a.Issue
		for _, f := range r.Findings.Wrong {
			if f.Name == a.Issue {
				issue = f.Text
				break
			}
		}
		rows = append(rows, []text{txt(capName), txt(orDash(issue)), txt(a.Action), txt(orDash(a.Element)),
			txt(orDash(orgOf(r, a.Owner))), txt(orDash(a.Owner)), txt(orDash(r.Meta.Date)), txt(orDash(a.Due)), txt(orDash(a.Status))})
	}
	for _, dim := range r.Score.Dimensions {
		for _, f := range byDim(r.Findings.Wrong, dim.Dimension) {
			if covered[f.Name] || covered[f.Text] {
				continue
			}
			rows = append(rows, []text{txt(capability(dim.Dimension)), txt(f.Text), txt("to be assigned"), txt("—"), txt("—"), txt("—"), txt("—"), txt("—"), txt("open")})
		}
	}
	if len(rows) == 0 {
		d.none("No areas for improvement and no action items.")
	} else {
		d.table(table{head: []string{"Core capability", "Issue / area for improvement", "Corrective action", "Capability element", "Primary responsible organization", "Organization POC", "Start date", "Completion date", "Status"}, rows: rows})
	}

	d.h(2, "participants", "Appendix B: Exercise participants")
	rows = nil
	if len(r.Meta.Participants) > 0 {
		for _, pt := range r.Meta.Participants {
			rows = append(rows, []text{txt(pt.Name), txt(orDash(pt.Role)), txt(orDash(pt.Organization))})
		}
	} else {
		for _, pt := range r.Response.Responders {
			rows = append(rows, []text{txt(pt.Name), txt(orDash(roleWords(pt.Roles))), txt(orDash(strings.Join(pt.Groups, ", ")))})
		}
	}
	if len(rows) == 0 {
		d.none("No participants recorded.")
	} else {
		d.table(table{head: []string{"Name", "Role", "Organization"}, rows: rows})
	}

	d.h(2, "measures", "Appendix C: Time measures")
	rows = nil
	for _, m := range r.Score.Result.Measures {
		rows = append(rows, []text{txt(sentence(phaseName(m.Phase))), txt(measureText(m)), txt(parText(m)), txt(verdict(m))})
	}
	d.table(table{head: []string{"Measure", "Time", "Par", "Verdict"}, num: []bool{false, true, true}, rows: rows})
	d.para(txt(fmt.Sprintf("Overall score: %s. The full review (Markdown, HTML or JSON) has the timeline and the evidence behind each finding.", points(r.Score.Overall))))
	return d
}

func byDim(fs []Finding, d scenario.Dimension) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Dimension == d {
			out = append(out, f)
		}
	}
	return out
}

func numbered(label string, fs []Finding) []text {
	out := make([]text, len(fs))
	for i, f := range fs {
		t := text{b(fmt.Sprintf("%s %d:", label, i+1)), p(" " + f.Text)}
		if f.Seq > 0 {
			t = t.and(p(fmt.Sprintf(" (evidence: event #%d)", f.Seq)))
		}
		out[i] = t
	}
	return out
}

// organizations lists the participating organizations: the participants'
// as given, or the groups of those who acted.
func organizations(r *Review) []string {
	var out []string
	for _, pt := range r.Meta.Participants {
		if pt.Organization != "" && !slices.Contains(out, pt.Organization) {
			out = append(out, pt.Organization)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, pt := range r.Response.Responders {
		for _, g := range pt.Groups {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	slices.Sort(out)
	return out
}

// orgOf is the organization of a participant named in Meta.
func orgOf(r *Review, name string) string {
	for _, pt := range r.Meta.Participants {
		if pt.Name == name {
			return pt.Organization
		}
	}
	return ""
}
