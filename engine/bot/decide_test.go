package bot

import (
	"testing"

	"github.com/firedrill/firedrill/engine"
)

// TestJudgeBuiltInDecisions: the bots' rule of thumb, which sees only the
// options' text, picks a best-scored option of every built-in decision.
// (The test reads the scores; the bot never does.)
func TestJudgeBuiltInDecisions(t *testing.T) {
	for _, sc := range library(t) {
		for _, d := range sc.Decisions {
			t.Run(sc.Name+"/"+d.Name, func(t *testing.T) {
				var opts []engine.OptionData
				best := d.Options[0].Score
				for _, o := range d.Options {
					opts = append(opts, engine.OptionData{Name: o.Name, Text: o.Text})
					best = max(best, o.Score)
				}
				pick := ruleOfThumb(opts)
				for _, o := range d.Options {
					if o.Name == pick && o.Score != best {
						t.Errorf("picked %q (score %v, judged %d); best score is %v", pick, o.Score, judge(o.Text), best)
					}
				}
			})
		}
	}
}

func TestJudge(t *testing.T) {
	for _, tc := range []struct {
		better, worse string
	}{
		{"Hold restarts; trace where the connections fail", "Restart all three deployments now"},
		{"Do not pay; restore from the immutable backups", "Pay, to get services back quickly"},
		{"Report now to the FBI", "Do not report; handle it ourselves"},
		{"Fail over now; fix under a change afterwards", "Wait for the vendor to confirm"},
		{"Ask Network whether direct egress exists", "Approve the bypass for claims now"},
	} {
		if judge(tc.better) <= judge(tc.worse) {
			t.Errorf("judge(%q) = %d, not above judge(%q) = %d", tc.better, judge(tc.better), tc.worse, judge(tc.worse))
		}
	}
}

// TestOneSeatAnswers: exactly one seat of the cast answers each built-in
// decision's audience.
func TestOneSeatAnswers(t *testing.T) {
	for _, sc := range library(t) {
		cast := Cast(sc, nil)
		for _, d := range sc.Decisions {
			to := engine.Audience{Everyone: d.To.Everyone}
			for _, r := range d.To.Refs {
				switch r.Kind {
				case "group":
					to.Groups = append(to.Groups, r.Name)
				case "role":
					to.Roles = append(to.Roles, engine.Role(r.Name))
				case "person":
					to.People = append(to.People, r.Name)
				}
			}
			var who []string
			for _, v := range cast {
				if b := New(v, Expert, sc, 1); to.Sees(v) && b.answersFor(to) {
					who = append(who, string(v.Role)+":"+v.Name)
				}
			}
			if len(who) != 1 {
				t.Errorf("%s/%s: answered by %v, want exactly one seat", sc.Name, d.Name, who)
			}
		}
	}
}
