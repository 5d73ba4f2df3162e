package bot

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Skill is how well a bot plays its role: how quickly it reacts and how
// often it makes the classic mistakes of that role.
type Skill string

const (
	Novice    Skill = "novice"
	Practiced Skill = "practiced"
	Expert    Skill = "expert"
)

// Skills lists every Skill from least to most able.
func Skills() []Skill { return []Skill{Novice, Practiced, Expert} }

// ParseSkill reads a skill name, case-insensitively.
func ParseSkill(s string) (Skill, error) {
	k := Skill(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Skills() {
		if k == known {
			return k, nil
		}
	}
	return "", fmt.Errorf("bot: unknown skill %q; use novice, practiced or expert", s)
}

// reaction is the range a bot's reaction delay is drawn from: the virtual
// time between noticing something and acting on it.
func (s Skill) reaction() (lo, hi time.Duration) {
	switch s {
	case Expert:
		return time.Minute, 2 * time.Minute
	case Practiced:
		return 3 * time.Minute, 5 * time.Minute
	}
	return 6 * time.Minute, 12 * time.Minute
}

// delay draws one reaction delay from r, rounded to whole seconds so logs
// read naturally.
func (s Skill) delay(r *rand.Rand) time.Duration {
	lo, hi := s.reaction()
	d := lo + time.Duration(r.Int64N(int64(hi-lo)+1))
	return d.Truncate(time.Second)
}

// quick is a short follow-up delay between steps of one piece of work (the
// next query after reading a result), a fifth of a reaction.
func (s Skill) quick(r *rand.Rand) time.Duration {
	return (s.delay(r) / 5).Truncate(time.Second)
}

// sound reports whether a bot of this skill does the right thing this time:
// always for experts, seven times in ten for practiced bots and four in ten
// for novices, who otherwise make the classic mistake of the moment.
func (s Skill) sound(r *rand.Rand) bool {
	switch s {
	case Expert:
		return true
	case Practiced:
		return r.IntN(10) < 7
	}
	return r.IntN(10) < 4
}
