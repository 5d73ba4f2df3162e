package score

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// The edge cases of a whole run, scored end to end.
func TestScoreEdgeCases(t *testing.T) {
	type check func(t *testing.T, rep Report)
	penalties := func(kinds ...PenaltyKind) check {
		return func(t *testing.T, rep Report) {
			t.Helper()
			var got []PenaltyKind
			for _, p := range rep.Penalties {
				got = append(got, p.Kind)
			}
			if len(got) != len(kinds) {
				t.Fatalf("penalties %v, want %v", got, kinds)
			}
			for i := range kinds {
				if got[i] != kinds[i] {
					t.Errorf("penalties %v, want %v", got, kinds)
				}
			}
		}
	}
	checkIs := func(name CheckName, st Status, violations int) check {
		return func(t *testing.T, rep Report) {
			t.Helper()
			cs := sent(checks(rep, name))
			if len(cs) != 1 || cs[0].Status != st || cs[0].Violations != violations {
				t.Errorf("%s = %+v, want %s with %d violations", name, cs, st, violations)
			}
		}
	}
	measure := func(p Phase, at time.Duration, censored bool) check {
		return func(t *testing.T, rep Report) {
			t.Helper()
			if m, _ := rep.Result.Measure(p); m.At != at || m.Censored != censored {
				t.Errorf("%s = %+v, want at %v censored %v", p, m, at, censored)
			}
		}
	}
	expectation := func(name string, met bool, by string, earned float64) check {
		return func(t *testing.T, rep Report) {
			t.Helper()
			for _, e := range rep.Expectations {
				if e.Name == name {
					if e.Met != met || e.By != by || !near(e.Earned, earned) {
						t.Errorf("%s = met %v by %q earning %v; want %v by %q earning %v", name, e.Met, e.By, e.Earned, met, by, earned)
					}
					return
				}
			}
			t.Errorf("no expectation %s", name)
		}
	}
	linked := func(number, par string) engine.Event {
		return act(mins(15), "mo", im, op(engine.OpLinkParent, number), child(inc(number, map[string]string{"INC0001": "claims-api", "INC0002": "pharmacy-api"}[number], 1, engine.StateInProgress), par))
	}
	tests := []struct {
		name   string
		story  story
		checks []check
	}{
		{
			// The fault came and went before anyone noticed; the record
			// is made after restoration, at P3 for a critical service.
			name: "no detection before restoration",
			story: story{
				end:     mins(60),
				outages: map[string][]span{"claims-api": {{mins(6), mins(20)}}},
				events: []engine.Event{
					world(mins(5), changeStarted, "proxy-saturation", "egress-proxy", true),
					inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
					world(mins(19), changeFixed, "proxy-saturation", "egress-proxy", true),
					mitigated(mins(20)), restored(mins(21), "claims-api"),
					create(mins(30), caller(inc("INC0001", "claims-api", 3, engine.StateNew), "Dana")),
					met(mins(30), "first-record", "detection", 10),
					act(mins(31), "raj", tech, op(engine.OpDeclareRestored, "INC0001"), inc("INC0001", "claims-api", 3, engine.StateRestored)),
				},
			},
			checks: []check{
				measure(PhaseDetect, mins(30), false),
				// 18m late, past the 8m decay: nothing.
				expectation("first-record", true, "sam", 0),
				checkIs(CheckClassification, Passed, 0),
				checkIs(CheckPriority, Failed, 0),
				checkIs(CheckIncidentAlert, NotApplicable, 0),
				penalties(OpenRecord),
				func(t *testing.T, rep Report) {
					q := rep.Quality
					if q.MitigatedNotDeclared.Duration != mins(11) || len(q.FalseResolutions) != 0 || !q.WithoutIncidentManager.NotApplicable || !q.StatusUpdates.NotApplicable {
						t.Errorf("quality = %+v", q)
					}
				},
			},
		},
		{
			name: "a wrong identification before the right one",
			story: proxyOutage(
				ev(mins(18), engine.KindRootClaim, "raj", engine.RootClaimData{Service: "claims-api", Correct: false}),
				ev(mins(25), engine.KindRootClaim, "kim", engine.RootClaimData{Service: "egress-proxy", Correct: true}),
				met(mins(25), "identified", "triage", 20),
			),
			checks: []check{
				measure(PhaseIdentify, mins(25), false),
				expectation("identified", true, "kim", 10),
				penalties(WrongRootCause),
				func(t *testing.T, rep Report) {
					if p := rep.Penalties[0]; p.Subject != "claims-api" || p.Evidence.Actor != "raj" {
						t.Errorf("penalty = %+v", p)
					}
					// Triage: 10 earned, 5 off.
					if d := rep.Dimensions[1]; d.Points != 5 || d.Max != 20 {
						t.Errorf("triage = %+v", d)
					}
				},
			},
		},
		{
			name: "a fault that heals by itself",
			story: proxyOutage(
				world(mins(33), changeHealed, "proxy-saturation", "egress-proxy", true),
				mitigated(mins(34)), met(mins(34), "mitigated", "recovery", 20),
				pageAct(mins(33.8), "raj", "network", "", ""),
			),
			checks: []check{
				measure(PhaseFix, mins(33), false),
				measure(PhaseMitigate, mins(34), false),
				// A page just before does not make the mitigation raj's.
				expectation("mitigated", true, "", 20),
				penalties(),
				func(t *testing.T, rep Report) {
					if !rep.Result.SelfHealed || !rep.Quality.MitigatedNotDeclared.Censored {
						t.Errorf("self healed %v, undeclared %+v", rep.Result.SelfHealed, rep.Quality.MitigatedNotDeclared)
					}
				},
			},
		},
		{
			// Two root causes, pharmacy's own and the proxy: pharmacy's group
			// is a right one to page, and both incidents share one parent.
			name: "several root causes",
			story: story{
				end: mins(90),
				outages: map[string][]span{
					"egress-proxy": {{mins(6), mins(34)}}, "claims-api": {{mins(6), mins(34)}}, "pharmacy-api": {{mins(9), mins(40)}},
				},
				events: []engine.Event{
					world(mins(5), changeStarted, "proxy-saturation", "egress-proxy", true),
					world(mins(8), changeStarted, "formulary-bug", "pharmacy-api", true),
					create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)),
					create(mins(11), inc("INC0002", "pharmacy-api", 1, engine.StateNew)),
					act(mins(14), "mo", im, op(engine.OpMakeParent, "INC0003"), parent(inc("INC0003", "", 1, engine.StateInProgress), "INC0001", "INC0002")),
					linked("INC0001", "INC0003"), linked("INC0002", "INC0003"),
					pageAct(mins(16), "mo", "pharmacy", "", ""),
					pageAct(mins(16), "mo", "network", "", ""),
					act(mins(17), "pat", cc, op(engine.OpRaiseIncidentAlert, "INC0003"), incAlert(mins(17), "IA0001", "INC0003", 1)),
				},
			},
			checks: []check{
				checkIs(CheckParentLinked, Passed, 0),
				checkIs(CheckIncidentAlert, Passed, 0),
				checkIs(CheckProblemRecord, Failed, 0),
				// Never restored: the restore and close measures say so; an
				// open record is a fault only once its service is back.
				penalties(),
				func(t *testing.T, rep Report) {
					if got := rep.Result.ImpactedServices; len(got) != 3 {
						t.Errorf("impacted = %v", got)
					}
				},
			},
		},
		{
			// Declared restored, never validated: the close is refused and
			// restoration never counts.
			name: "a restore declared but not validated",
			story: proxyOutage(
				create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)),
				mitigated(mins(34)), restored(mins(35), "claims-api"), restored(mins(35), "egress-proxy"),
				act(mins(40), "raj", tech, op(engine.OpDeclareRestored, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateRestored)),
				refused(mins(45), "pat", cc, op(engine.OpClose, "INC0001"), engine.Conflict),
			),
			checks: []check{
				measure(PhaseRestore, mins(90), true),
				checkIs(CheckValidationBeforeClose, Failed, 1),
				penalties(OpenRecord),
				func(t *testing.T, rep Report) {
					if l := rep.Quality.MitigatedNotDeclared; l.Duration != mins(6) || l.By != "raj" {
						t.Errorf("undeclared = %+v", l)
					}
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := drill(t)
			rep := mustScore(t, sc, tt.story.log())
			// Whatever happened, the maximum is the scenario's.
			if rep.Overall.Max != Maximum(sc) {
				t.Errorf("maximum %v, want the scenario's %v", rep.Overall.Max, Maximum(sc))
			}
			for _, c := range tt.checks {
				c(t, rep)
			}
		})
	}
}
