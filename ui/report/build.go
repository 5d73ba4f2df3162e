package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// Build arranges an exercise into its review. Every format renders the
// same Review, so they cannot disagree.
func Build(in Input) (*Review, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	sc, rep := in.Scenario, in.Report
	r := &Review{
		Format: ReviewFormat, Version: SchemaVersion, ExerciseData: true, Notice: Notice,
		Scenario: scenarioInfo(sc, in.Log),
		Meta:     normalMeta(in.Meta),
		Score:    normalReport(rep),
		Events:   len(in.Log),
	}
	r.Detection, r.Response, r.Factors, r.Resolution = rep.Detection, rep.Response, rep.Factors, rep.Resolution
	r.Timeline = withVerdicts(timeline(in.Log), verdictEntries(rep))
	r.Waterfall = waterfall(rep)
	r.Findings = findings(sc, r)
	r.People = people(rep, r.Response.Responders)
	r.Reference = []score.PhaseDelta{}
	if in.Reference != nil {
		r.Reference = score.AgainstReference(rep.Result, *in.Reference)
	}
	r.Summary = summary(sc, r)
	r.series, r.markers = chartData(in.Log, rep.Result)
	return r, nil
}

// data returns an event's payload as T; the engine emits values, a decoded
// log may hold pointers.
func data[T any](e engine.Event) (T, bool) {
	switch d := e.Data.(type) {
	case T:
		return d, true
	case *T:
		if d != nil {
			return *d, true
		}
	}
	var zero T
	return zero, false
}

func scenarioInfo(sc *scenario.Scenario, log []engine.Event) ScenarioInfo {
	info := ScenarioInfo{
		Name: sc.Name, Title: sc.Title, Summary: sc.Summary, Objectives: nonNil(sc.Objectives),
		Difficulty: sc.Difficulty, Duration: sc.Duration, StartClock: sc.StartClock, Seed: sc.Seed,
	}
	// The seed the run used is the log's, which may differ from the file's.
	if len(log) > 0 {
		if d, ok := data[engine.StartedData](log[0]); ok {
			info.Seed = d.Seed
			if info.Title == "" {
				info.Title = d.Title
			}
		}
	}
	if info.Title == "" {
		info.Title = sc.Name
	}
	return info
}

// normalMeta gives every list of Meta a value, so JSON has [] not null.
func normalMeta(m Meta) Meta {
	m.Participants = nonNil(m.Participants)
	m.Notes = nonNil(m.Notes)
	m.ActionItems = nonNil(m.ActionItems)
	return m
}

// normalReport gives the score's lists a value where a hand-built Report
// (rather than score.Score's) left them nil.
func normalReport(rep score.Report) score.Report {
	rep.Expectations = nonNil(rep.Expectations)
	rep.Decisions = nonNil(rep.Decisions)
	rep.Compliance = nonNil(rep.Compliance)
	rep.Penalties = nonNil(rep.Penalties)
	rep.Dimensions = nonNil(rep.Dimensions)
	rep.Impact = nonNil(rep.Impact)
	rep.Confidence = nonNil(rep.Confidence)
	rep.Lessons = nonNil(rep.Lessons)
	rep.Result.Measures = nonNil(rep.Result.Measures)
	rep.Result.ImpactedServices = nonNil(rep.Result.ImpactedServices)
	rep.Quality.FalseResolutions = nonNil(rep.Quality.FalseResolutions)
	rep.Quality.StatedTimes = nonNil(rep.Quality.StatedTimes)
	return rep
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// summary is the review's opening paragraph: what happened, the impact,
// the score and the time measures against par, all in words.
func summary(sc *scenario.Scenario, r *Review) []string {
	res := r.Score.Result
	var out []string
	if !res.HasT0 {
		out = append(out, "No root-cause fault started: a discussion exercise, scored on its decisions and expectations only.")
	} else {
		what := fmt.Sprintf("Customer impact began at %s", at(res.T0))
		if sc.StartClock > 0 {
			what += " (" + clock(sc.StartClock, res.T0) + ")"
		}
		if len(r.Factors.RootCauses) > 0 {
			f := r.Factors.RootCauses[0]
			what += fmt.Sprintf(" when %s failed: %s", f.Service, strings.TrimSuffix(f.Cause, "."))
		}
		out = append(out, what+".")
		if n := len(res.ImpactedServices); n > 0 {
			out = append(out, fmt.Sprintf("It reached %s (%s).", plural(n, "service", "services"), strings.Join(res.ImpactedServices, ", ")))
		}
		impact := fmt.Sprintf("From impact to restoration %s of %s requests failed (raw error rate %s)",
			count(res.RawErrorRateOverall.Failed), count(res.RawErrorRateOverall.Total), pct(res.RawErrorRateOverall.Rate))
		if res.DowntimeMinutes > 0 {
			impact += fmt.Sprintf(" and critical services were beyond their error threshold for %s minutes", num(res.DowntimeMinutes))
		}
		out = append(out, impact+".")
		var times []string
		for _, p := range []score.Phase{score.PhaseDetect, score.PhaseMitigate, score.PhaseRestore} {
			m, ok := res.Measure(p)
			if !ok {
				continue
			}
			t := phaseName(p) + " " + measureText(m)
			if m.HasPar {
				t += " against a par of " + dur(m.Par)
			}
			times = append(times, t)
		}
		if len(times) > 0 {
			out = append(out, sentence(join(times))+".")
		}
	}
	end := fmt.Sprintf("The exercise ended at %s", at(res.End))
	if r.Score.Ended != "" {
		end += " (" + endReason(r.Score.Ended) + ")"
	}
	out = append(out, end+fmt.Sprintf("; the team scored %s.", points(r.Score.Overall)))
	if n := len(r.Reference); n > 0 {
		if m, ok := refRestore(r.Reference); ok {
			out = append(out, m)
		}
	}
	return out
}

func endReason(reason string) string {
	switch reason {
	case "restored":
		return "service restored and validated"
	case "duration":
		return "its time ran out"
	case "facilitator":
		return "ended by the facilitator"
	}
	return reason
}

// refRestore words the time to restore against the reference run.
func refRestore(ds []score.PhaseDelta) (string, bool) {
	i := slices.IndexFunc(ds, func(d score.PhaseDelta) bool { return d.Phase == score.PhaseRestore })
	if i < 0 || ds[i].NotApplicable {
		return "", false
	}
	d := ds[i]
	s := fmt.Sprintf("The reference run (expert bots) restored service in %s", dur(d.Ref))
	if d.RefCensored {
		s = fmt.Sprintf("The reference run (expert bots) did not restore service (>%s)", dur(d.Ref))
	}
	return s + "; this run's time to restore: " + refDelta(d) + ".", true
}

// refDelta words a phase against the reference run, minding that a
// censored side makes the difference a bound: Run − Ref is a lower bound
// when the run never got there, an upper one when the reference did not.
func refDelta(d score.PhaseDelta) string {
	switch {
	case d.NotApplicable:
		return "not comparable"
	case d.RunCensored && d.RefCensored:
		return "neither run got there"
	case d.RunCensored && d.Delta > 0:
		return "at least " + dur(d.Delta) + " slower"
	case d.RefCensored && d.Delta < 0:
		return "at least " + dur(-d.Delta) + " faster"
	case d.RunCensored || d.RefCensored:
		return "not comparable (one run never got there)"
	case d.Delta.Round(time.Second) == 0:
		return "the same"
	case d.Delta > 0:
		return dur(d.Delta) + " slower"
	}
	return dur(-d.Delta) + " faster"
}
