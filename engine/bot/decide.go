package bot

import (
	"slices"
	"strings"
	"unicode"

	"github.com/firedrill/firedrill/engine"
)

// offered plans an answer to a decision when this bot is the one who
// answers it for its audience.
func (b *Bot) offered(ev engine.Event, d engine.DecisionData) {
	if !b.answersFor(ev.To) || len(d.Options) == 0 {
		return
	}
	b.react(func() {
		if b.answers[d.Name] {
			return
		}
		b.do(engine.Action{Op: engine.OpAnswerDecision, Decision: d.Name, Option: b.choose(d.Name, d.Options)})
	})
}

// answersFor reports whether this bot speaks for an audience a decision is
// put to. One seat answers, so the audience does not race itself: the
// incident manager if addressed, else the command center, else the owner
// of the first group addressed, else the first addressed role's seat.
func (b *Bot) answersFor(to engine.Audience) bool {
	roles := to.Roles
	if to.Everyone {
		roles = []engine.Role{engine.RoleIncidentManager}
	}
	for _, r := range []engine.Role{engine.RoleIncidentManager, engine.RoleCommandCenter} {
		if slices.Contains(roles, r) {
			return b.v.Role == r
		}
	}
	if len(to.Groups) > 0 {
		g := b.dir.group(to.Groups[0])
		return g != nil && b.v.Role == engine.RoleGroupOwner && b.v.Name == g.owner
	}
	if len(to.People) > 0 {
		return b.v.Name == to.People[0] && b.v.Role != engine.RoleGroupOwner && b.v.Role != engine.RoleServiceOwner
	}
	if len(roles) == 0 || b.v.Role != roles[0] {
		return false
	}
	switch roles[0] {
	case engine.RoleServiceOwner:
		return len(b.dir.services) > 0 && b.v.Name == b.dir.services[0].owner
	case engine.RoleGroupOwner:
		return len(b.dir.groups) > 0 && b.v.Name == b.dir.groups[0].owner
	case engine.RoleTechnician:
		if len(b.dir.groups) == 0 {
			return false
		}
		rs := b.dir.responders(b.dir.groups[0].name, b.now)
		return len(rs) > 0 && b.v.Name == rs[0]
	}
	return true
}

// choose picks an option of a decision. A bot may not read the scores, so
// it judges by a rule of thumb: careful moves (trace, ask, hold, verify,
// contain, inform) over drastic or passive ones (restart, bypass, pay,
// wait, replay). When it slips (errs), it picks at random, and may still
// land on the best.
func (b *Bot) choose(decision string, opts []engine.OptionData) string {
	if o, ok := b.forced[decision]; ok {
		return o
	}
	if b.shared("mistake:decision:"+decision) < b.skill.judgementSlip() {
		return opts[min(int(b.shared("pick:"+decision)*float64(len(opts))), len(opts)-1)].Name
	}
	return ruleOfThumb(opts)
}

// ruleOfThumb is the option whose text judges best, the first of equals.
func ruleOfThumb(opts []engine.OptionData) string {
	best, bestScore := opts[0].Name, judge(opts[0].Text)
	for _, o := range opts[1:] {
		if s := judge(o.Text); s > bestScore {
			best, bestScore = o.Name, s
		}
	}
	return best
}

// careful and drastic are the rule of thumb's word stems. A stem of four
// letters or more matches longer words ("verif" matches "verified"); a
// shorter one only itself.
var (
	careful = []string{"trace", "ask", "hold", "verif", "check", "compare", "read", "contact", "phone", "call",
		"dedup", "deduplicate", "contain", "stay", "pause", "first", "then", "before", "notice", "notify",
		"statement", "report", "post", "review"}
	drastic = []string{"restart", "bypass", "pay", "wait", "approve", "permissive", "revers", "replay",
		"leave", "watch", "switch", "only", "ourselves", "inside", "faster", "negotiat"}
	carefulPhrases = []string{"fail over", "failover"}
	drasticPhrases = []string{"power off", "no comment", "roll back", "fail back"}
	negations      = []string{"not", "no", "don't", "never"}
)

// judge scores an option's text: +1 per careful stem, −1 per drastic one,
// each counted once; a stem right after a negation ("do not pay") counts
// the other way.
func judge(text string) int {
	lower := strings.ToLower(text)
	words := strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	score := 0
	count := func(stems []string, sign int) {
		for _, s := range stems {
			for i, w := range words {
				if w == s || (len(s) >= 4 && strings.HasPrefix(w, s)) {
					if negated(words, i) {
						score -= sign
					} else {
						score += sign
					}
					break
				}
			}
		}
	}
	count(careful, 1)
	count(drastic, -1)
	for _, p := range carefulPhrases {
		if strings.Contains(lower, p) {
			score++
		}
	}
	for _, p := range drasticPhrases {
		if strings.Contains(lower, p) {
			score--
		}
	}
	return score
}

func negated(words []string, i int) bool {
	for j := max(0, i-2); j < i; j++ {
		if slices.Contains(negations, words[j]) {
			return true
		}
	}
	return false
}
