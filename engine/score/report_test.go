package score

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// burn is the error budget burned, computed at run time as Score does
// (a constant expression would be exact, and differ in the last bit).
func burn(failed, total, slo float64) float64 { return failed / (total * (1 - slo)) }

// TestScoreDrill scores drillStory and checks every part of the report.
func TestScoreDrill(t *testing.T) {
	log := afterEnd(drillStory().log(),
		ev(0, engine.KindAction, "ana", engine.ActionData{Role: engine.RoleServiceOwner, Action: engine.Action{Op: engine.OpRateConfidence, Rating: 4}}),
		ev(0, engine.KindAction, "raj", engine.ActionData{Role: engine.RoleTechnician, Action: engine.Action{Op: engine.OpRateConfidence, Rating: 3}}),
		ev(0, engine.KindAction, "ana", engine.ActionData{Role: engine.RoleServiceOwner, Action: engine.Action{Op: engine.OpLessonsLearned, Text: "page network first"}}),
	)
	sc := drill(t)
	rep := mustScore(t, sc, log)
	want, err := Measures(sc, log)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Result, want) {
		t.Errorf("Report.Result differs from Measures:\n got %+v\nwant %+v", rep.Result, want)
	}
	if rep.Scenario != "egress" || !rep.Exercise || rep.Ended != "duration" {
		t.Errorf("header = %q exercise %v ended %q", rep.Scenario, rep.Exercise, rep.Ended)
	}
	seq := func(at time.Duration, match func(engine.Event) bool) uint64 { return seqAt(t, log, at, match) }

	t.Run("expectations", func(t *testing.T) {
		type exp struct {
			met    bool
			at     time.Duration
			late   time.Duration
			by     string
			seq    uint64 // the event after which it held
			earned float64
		}
		// The engine's expect.met events decide nothing: each verdict is
		// the event after which the condition first held.
		want := map[string]exp{
			// The service request at 3m is no incident.
			"first-record": {true, mins(10), 0, "sam", seq(mins(10), isOp(engine.OpCreateIncident)), 10},
			// Identified at 25m: 5m late of 10m decay, half of 20 points,
			// credited to the right claim, not the wrong one at 18m.
			"identified": {true, mins(25), mins(5), "kim", seq(mins(25), isKind(engine.KindRootClaim)), 10},
			"paged":      {true, mins(12), 0, "raj", seq(mins(12), isOp(engine.OpPage)), 10},
			"updates":    {true, mins(20), 0, "mo", seq(mins(20), isOp(engine.OpStatusUpdate)), 10},
			// Impact stopping is the world's doing: nobody to credit.
			"mitigated": {true, mins(34), 0, "", seq(mins(34), isKind(engine.KindMitigated)), 20},
			"held":      {true, mins(21), 0, "pat", seq(mins(21), isKind(engine.KindAnswered)), 5},
			"problem":   {true, mins(40), 0, "pat", seq(mins(40), isOp(engine.OpOpenProblem)), 10},
			"never":     {},
		}
		if len(rep.Expectations) != len(sc.Expects) {
			t.Fatalf("%d expectations, want %d", len(rep.Expectations), len(sc.Expects))
		}
		for i, e := range rep.Expectations {
			if e.Name != sc.Expects[i].Name || e.Dimension != sc.Expects[i].Dimension || e.Points != sc.Expects[i].Points ||
				e.Within != sc.Expects[i].Within || e.Decay != sc.Expects[i].Decay {
				t.Errorf("expectation %d = %+v, not the scenario's %s", i, e, sc.Expects[i].Name)
			}
			w := want[e.Name]
			var bySeq uint64
			if w.by != "" {
				bySeq = w.seq
			}
			if e.Met != w.met || e.At != w.at || e.Seq != w.seq || e.Late != w.late || e.By != w.by || e.BySeq != bySeq || !near(e.Earned, w.earned) {
				t.Errorf("%s = met %v at %v seq %d late %v by %q (%d) earned %v; want met %v at %v seq %d late %v by %q earned %v",
					e.Name, e.Met, e.At, e.Seq, e.Late, e.By, e.BySeq, e.Earned, w.met, w.at, w.seq, w.late, w.by, w.earned)
			}
		}
	})

	t.Run("decisions", func(t *testing.T) {
		want := []Decision{
			{
				Name: "restart-fleet", Prompt: "Restart?", Dimension: scenario.DimCoordination,
				Offered: true, OfferedAt: mins(19), OfferedSeq: seq(mins(19), isKind(engine.KindOffered)),
				Answered: true, At: mins(21), Seq: seq(mins(21), isKind(engine.KindAnswered)),
				Option: "hold", Text: "Hold and trace", Note: "right", By: "pat", Took: mins(2), Score: 10,
				Best: "hold", BestScore: 10, Earned: 10, Max: 10,
			},
			// Never offered: the run gave no reason to decide, so no loss.
			{Name: "bypass", Dimension: scenario.DimCoordination, Best: "ask", BestScore: 10, Earned: 10, Max: 10},
		}
		if !reflect.DeepEqual(rep.Decisions, want) {
			t.Errorf("decisions:\n got %+v\nwant %+v", rep.Decisions, want)
		}
	})

	t.Run("compliance", func(t *testing.T) {
		type chk struct {
			check      CheckName
			subject    string
			status     Status
			violations int
			evidence   []uint64
		}
		want := []chk{
			{CheckClassification, "splunk", Passed, 0, []uint64{seq(mins(3), isOp(engine.OpCreateIncident))}},
			{CheckClassification, "member-call", Passed, 0, []uint64{seq(mins(10), isOp(engine.OpCreateIncident))}},
			{CheckClassification, "store-call", Failed, 0, []uint64{seq(mins(12), isKind(engine.KindInject))}},
			{CheckClassification, "net-call", NotApplicable, 0, nil},
			{CheckClassification, "net-call-2", NotApplicable, 0, nil},
			{CheckPriority, "member-call", Passed, 0, []uint64{seq(mins(14), isOp(engine.OpPrioritise))}},
			{CheckPriority, "store-call", NotApplicable, 0, nil},
			{CheckPriority, "net-call", NotApplicable, 0, nil},
			{CheckPriority, "net-call-2", NotApplicable, 0, nil},
			{CheckIncidentAlert, "", Passed, 0, []uint64{seq(mins(16), isOp(engine.OpRaiseIncidentAlert))}},
			{CheckWarRoom, "", Failed, 0, []uint64{seq(mins(15), isOp(engine.OpOpenWarRoom)), seq(mins(17), isOp(engine.OpOpenWarRoom))}},
			// The command center set the P1 itself: one event shows both.
			{CheckCommandCenter, "", Passed, 0, []uint64{seq(mins(14), isOp(engine.OpPrioritise))}},
			{CheckProblemRecord, "", Passed, 0, []uint64{seq(mins(40), isOp(engine.OpOpenProblem))}},
			{CheckChangeBeforeRemedy, "raise-conn-table", Failed, 1, []uint64{seq(mins(36), isKind(engine.KindRefused)), seq(mins(42), isOp(engine.OpRunRunbookStep))}},
			{CheckValidationBeforeClose, "", Failed, 1, []uint64{seq(mins(58), isKind(engine.KindRefused)), seq(mins(62), isOp(engine.OpClose))}},
			{CheckParentLinked, "", NotApplicable, 0, nil},
		}
		if len(rep.Compliance) != len(want) {
			t.Fatalf("%d checks, want %d: %+v", len(rep.Compliance), len(want), rep.Compliance)
		}
		for i, c := range rep.Compliance {
			w := want[i]
			var seqs []uint64
			for _, e := range c.Evidence {
				seqs = append(seqs, e.Seq)
			}
			if c.Check != w.check || c.Subject != w.subject || c.Status != w.status || c.Violations != w.violations || !slices.Equal(seqs, w.evidence) {
				t.Errorf("check %d = %s %q %s, %d violations, evidence %v; want %s %q %s, %d, %v (%s)",
					i, c.Check, c.Subject, c.Status, c.Violations, seqs, w.check, w.subject, w.status, w.violations, w.evidence, c.Detail)
			}
			// The scenario sets every check's maximum; one the run gave
			// no occasion for is credited.
			wantMax, wantPts := CheckPoints, 0.0
			if w.status == Passed || w.status == NotApplicable {
				wantPts = CheckPoints
			}
			if c.Max != wantMax || c.Points != wantPts || c.Detail == "" {
				t.Errorf("%s %s: points %v/%v, detail %q", c.Check, c.Subject, c.Points, c.Max, c.Detail)
			}
		}
	})

	t.Run("penalties", func(t *testing.T) {
		want := []Penalty{
			{Kind: WrongPage, Dimension: scenario.DimCoordination, Points: 5, Subject: "platform"},
			// kim pages platform too, but to hand over its own runbook: fine.
			{Kind: WrongPage, Dimension: scenario.DimCoordination, Points: 5, Subject: "lena"},
			{Kind: DuplicateWarRoom, Dimension: scenario.DimCoordination, Points: 5, Subject: "WR02"},
			{Kind: WrongRootCause, Dimension: scenario.DimTriage, Points: 5, Subject: "egress-proxy"},
			{Kind: HarmfulRemedy, Dimension: scenario.DimRecovery, Points: 10, Subject: "restart-claims"},
		}
		evidence := []Evidence{
			{Seq: seq(mins(13), isOp(engine.OpPage)), At: mins(13), Actor: "raj"},
			{Seq: seq(mins(13.5), isOp(engine.OpPage)) + 1, At: mins(13.5), Actor: "kim"},
			{Seq: seq(mins(17), isOp(engine.OpOpenWarRoom)), At: mins(17), Actor: "raj"},
			{Seq: seq(mins(18), isKind(engine.KindRootClaim)), At: mins(18), Actor: "kim"},
			{Seq: seq(mins(30), isKind(engine.KindWorld)), At: mins(30), Actor: "raj"},
		}
		if len(rep.Penalties) != len(want) {
			t.Fatalf("penalties = %+v", rep.Penalties)
		}
		for i, p := range rep.Penalties {
			w := want[i]
			w.Detail, w.Evidence = p.Detail, evidence[i]
			if p != w || p.Detail == "" {
				t.Errorf("penalty %d = %+v\nwant %+v", i, p, w)
			}
		}
	})

	t.Run("dimensions", func(t *testing.T) {
		want := []DimensionScore{
			{Dimension: scenario.DimDetection, Earned: 10, Total: Total{10, 10, 100}},
			// identified half-credited (10), less a wrong claim (5).
			{Dimension: scenario.DimTriage, Earned: 10, Penalties: 5, Total: Total{5, 20, 25}},
			// paged 10 + held 5 + the decision 10 + the decision never
			// offered 10, less two wrong pages and a duplicate war room.
			{Dimension: scenario.DimCoordination, Earned: 35, Penalties: 15, Total: Total{20, 35, 100 * 20.0 / 35}},
			{Dimension: scenario.DimCommunication, Earned: 10, Total: Total{10, 10, 100}},
			{Dimension: scenario.DimRecovery, Earned: 20, Penalties: 10, Total: Total{10, 20, 50}},
			// 6 checks passed and 6 without occasion, of 16 (60 of 80),
			// and 10 of 20 from expectations.
			{Dimension: scenario.DimProcess, Earned: 70, Total: Total{70, 100, 70}},
		}
		if !reflect.DeepEqual(rep.Dimensions, want) {
			t.Errorf("dimensions:\n got %+v\nwant %+v", rep.Dimensions, want)
		}
		if w := (Total{125, 195, 100 * 125.0 / 195}); rep.Overall != w {
			t.Errorf("overall = %+v, want %+v", rep.Overall, w)
		}
	})

	t.Run("quality", func(t *testing.T) {
		q := rep.Quality
		if len(q.FalseResolutions) != 0 || q.Reopened != 0 {
			t.Errorf("false resolutions %+v, reopened %d", q.FalseResolutions, q.Reopened)
		}
		// Impact stopped at 34m; raj declared the workaround at 36m30s.
		if w := (Lag{From: mins(34), To: mins(36.5), Duration: mins(2.5), Seq: seq(mins(36.5), isOp(engine.OpDeclareWorkaround)), By: "raj"}); q.MitigatedNotDeclared != w {
			t.Errorf("mitigated not declared = %+v, want %+v", q.MitigatedNotDeclared, w)
		}
		// P1 from 14m; the incident manager's first move is at 20m.
		if w := (Lag{From: mins(14), To: mins(20), Duration: mins(6), Seq: seq(mins(20), isOp(engine.OpStatusUpdate)), By: "mo"}); q.WithoutIncidentManager != w {
			t.Errorf("without incident manager = %+v, want %+v", q.WithoutIncidentManager, w)
		}
		// P1 from 14m to its close at 62m: one update due at 44m, met at 20m.
		if w := (Cadence{Every: mins(30), From: mins(14), To: mins(62), Updates: 2, Expected: 1, OnTime: 1, Ratio: 1}); q.StatusUpdates != w {
			t.Errorf("status updates = %+v, want %+v", q.StatusUpdates, w)
		}
		want := []StatedTime{
			{Seq: seq(mins(30), isOp(engine.OpStateTime)), At: mins(30), By: "ana", Record: "INC0001", Milestone: engine.MilestoneImpactStarted,
				Claimed: mins(4), Truth: mins(5), HasTruth: true, Gap: -mins(1)},
			{Seq: seq(mins(31), isOp(engine.OpStateTime)), At: mins(31), By: "ana", Record: "INC0001", Milestone: engine.MilestoneDetected,
				Claimed: mins(10), Truth: mins(9), HasTruth: true, Gap: mins(1)},
		}
		if !reflect.DeepEqual(q.StatedTimes, want) {
			t.Errorf("stated times:\n got %+v\nwant %+v", q.StatedTimes, want)
		}
	})

	t.Run("impact", func(t *testing.T) {
		// 181 samples 30s apart: 180 intervals of 300 requests. The proxy
		// is down for 56 samples (6m–34m), claims for 55 (6m30s–34m),
		// failing 40% of 300 requests each.
		want := []ServiceImpact{
			{Service: "egress-proxy", Requests: newErrorRate(54000, 6720), DowntimeMinutes: 28, SLO: 0.999, ErrorBudgetBurned: burn(6720, 54000, 0.999)},
			{Service: "claims-api", Critical: true, Requests: newErrorRate(54000, 6600), DowntimeMinutes: 27.5, SLO: 0.99, ErrorBudgetBurned: burn(6600, 54000, 0.99)},
			{Service: "pharmacy-api", Critical: true, Requests: newErrorRate(54000, 0)},
		}
		if !reflect.DeepEqual(rep.Impact, want) {
			t.Errorf("impact:\n got %+v\nwant %+v", rep.Impact, want)
		}
		if b := rep.Impact[0].ErrorBudgetBurned; b < 124.44 || b > 124.45 {
			t.Errorf("proxy burned %v of its budget, want about 124.4", b)
		}
	})

	t.Run("confidence and lessons", func(t *testing.T) {
		end := len(log) - 3
		want := []Confidence{
			{Person: "ana", First: 2, Last: 4, Ratings: []Rating{
				{Seq: seq(0, isOp(engine.OpRateConfidence)), Role: engine.RoleServiceOwner, Rating: 2},
				{Seq: log[end].Seq, At: mins(90), Role: engine.RoleServiceOwner, Rating: 4, AfterEnd: true},
			}},
			{Person: "raj", First: 3, Last: 3, Ratings: []Rating{{Seq: log[end+1].Seq, At: mins(90), Role: engine.RoleTechnician, Rating: 3, AfterEnd: true}}},
		}
		if !reflect.DeepEqual(rep.Confidence, want) {
			t.Errorf("confidence:\n got %+v\nwant %+v", rep.Confidence, want)
		}
		wantL := []Lesson{{Seq: log[end+2].Seq, At: mins(90), Author: "ana", Role: engine.RoleServiceOwner, Text: "page network first", AfterEnd: true}}
		if !reflect.DeepEqual(rep.Lessons, wantL) {
			t.Errorf("lessons = %+v, want %+v", rep.Lessons, wantL)
		}
	})
}

// A report is recomputed from stored logs: the same report after a JSON
// round trip of the log, and the report itself survives JSON.
func TestReportJSON(t *testing.T) {
	sc := drill(t)
	log := drillStory().log()
	want := mustScore(t, sc, log)
	b, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}
	var back []engine.Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got := mustScore(t, sc, back); !reflect.DeepEqual(got, want) {
		t.Errorf("after a JSON round trip of the log:\n got %+v\nwant %+v", got, want)
	}
	rb, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(rb, &rep); err != nil {
		t.Fatal(err)
	}
	// The review's tables are the review's JSON, not the score's.
	want.Detection, want.Response, want.Factors, want.Resolution = Detection{}, Response{}, Factors{}, Resolution{}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("Report after JSON:\n got %+v\nwant %+v", rep, want)
	}
	again, _ := json.Marshal(mustScore(t, sc, log))
	if string(again) != string(rb) {
		t.Error("the same log encoded to different bytes")
	}
	// The schema's top level: renaming a field breaks the report.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(rb, &top); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	wantKeys := []string{"compliance", "confidence", "decisions", "dimensions", "ended", "exercise", "expectations",
		"impact", "lessons", "overall", "penalties", "quality", "result", "scenario"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("report fields = %v\nwant %v", keys, wantKeys)
	}
	var dim map[string]any
	if err := json.Unmarshal(top["overall"], &dim); err != nil || len(dim) != 3 || dim["percent"] == nil {
		t.Errorf("overall = %s", top["overall"])
	}
}

// An empty run still reports every list as a list, never null.
func TestReportEmptyListsAreLists(t *testing.T) {
	s := story{end: mins(30), noTicks: true}
	rep := mustScore(t, egress(), s.log())
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"expectations", "decisions", "penalties", "confidence", "lessons"} {
		if string(top[k]) != "[]" {
			t.Errorf("%s = %s, want []", k, top[k])
		}
	}
	// Nothing happened: every check had no occasion, and the maximum is
	// still the scenario's.
	if len(rep.Dimensions) != len(scenario.Dimensions()) || rep.Overall.Max != Maximum(egress()) || rep.Overall.Points != rep.Overall.Max {
		t.Errorf("dimensions %+v, overall %+v", rep.Dimensions, rep.Overall)
	}
	var q map[string]json.RawMessage
	if err := json.Unmarshal(top["quality"], &q); err != nil {
		t.Fatal(err)
	}
	if string(q["false_resolutions"]) != "[]" || string(q["stated_times"]) != "[]" {
		t.Errorf("quality = %s", top["quality"])
	}
}

func TestScoreErrors(t *testing.T) {
	sc := drill(t)
	good := drillStory()
	if _, err := Score(nil, good.log()); err == nil {
		t.Error("no error without a scenario")
	}
	tests := []struct {
		name string
		log  []engine.Event
		want error
	}{
		{"unknown expectation", good.with(met(mins(50), "renamed", "process", 5)).log(), ErrWrongScenario},
		{"unknown decision", good.with(answered(mins(50), "renamed", "x", "pat", 1, 0)).log(), ErrWrongScenario},
		{"malformed inject", good.with(ev(mins(50), engine.KindInject, "", engine.ChatData{})).log(), ErrMalformedLog},
		{"malformed answer", good.with(ev(mins(50), engine.KindAnswered, "", engine.InjectData{})).log(), ErrMalformedLog},
		{"malformed refusal", good.with(ev(mins(50), engine.KindRefused, "", engine.InjectData{})).log(), ErrMalformedLog},
		{"malformed remedy", good.with(ev(mins(50), engine.KindRemedy, "", engine.InjectData{})).log(), ErrMalformedLog},
		{"malformed expectation", good.with(ev(mins(50), engine.KindExpectMet, "", engine.InjectData{})).log(), ErrMalformedLog},
		{"malformed offer", good.with(ev(mins(50), engine.KindOffered, "", engine.InjectData{})).log(), ErrMalformedLog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Score(sc, tt.log); !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
	other := drill(t)
	other.Name = "mesh-cert-expiry"
	if _, err := Score(other, good.log()); !errors.Is(err, ErrWrongScenario) {
		t.Errorf("another scenario's log: %v", err)
	}
}
