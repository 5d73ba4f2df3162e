package bot

import (
	"fmt"
	"hash/fnv"
	"math"
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

// Reaction delays are log-normal: a median per skill and one spread for
// all, so the skills overlap (a quick novice beats a slow expert now and
// then) while each stays recognisable. With a spread of 0.6 the middle 90%
// of an expert's delays fall between about 35 s and 4 min, a novice's
// between 2 and 16 min.
const reactionSpread = 0.6

// median is the skill's typical reaction: the virtual time between noticing
// something and acting on it.
func (s Skill) median() time.Duration {
	switch s {
	case Expert:
		return 90 * time.Second
	case Practiced:
		return 3 * time.Minute
	}
	return 6 * time.Minute
}

// delayAt is the reaction delay at quantile u of the skill's distribution,
// rounded to whole seconds so logs read naturally, and kept between 15 s
// and five times the median so no draw stalls an exercise.
func (s Skill) delayAt(u float64) time.Duration {
	m := s.median()
	d := time.Duration(float64(m) * math.Exp(reactionSpread*normalQuantile(u)))
	return min(max(d, 15*time.Second), 5*m).Truncate(time.Second)
}

// mistakeRate is how often a bot of this skill makes the classic mistake of
// the moment: experts now and then, novices more often than not.
func (s Skill) mistakeRate() float64 {
	switch s {
	case Expert:
		return 0.05
	case Practiced:
		return 0.3
	}
	return 0.6
}

// judgementSlip is how often a bot of this skill answers a decision point
// against its own rule of thumb, at random: an expert weighing a dilemma
// the exercise puts to them very seldom does; novices often.
func (s Skill) judgementSlip() float64 {
	switch s {
	case Expert:
		return 0.01
	case Practiced:
		return 0.25
	}
	return 0.6
}

// draw is the bot's uniform number in [0, 1) for a named moment of a run:
// it depends on the run's seed, the seat and the name, never on the skill.
// Two runs of one seed with different skills draw the same numbers for the
// same moments (common random numbers), so a comparison between them
// measures skill, not luck: where the expert slips, so do the others.
func draw(seed, seat uint64, name string) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d/%s", seed, seat, name)
	return float64(splitmix(h.Sum64())>>11) / (1 << 53)
}

// splitmix scrambles a hash so nearby inputs give unrelated outputs.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// normalQuantile is the standard normal's inverse CDF (Acklam's rational
// approximation, relative error below 1.2e-9): enough for drawing delays.
func normalQuantile(p float64) float64 {
	p = min(max(p, 1e-12), 1-1e-12)
	a := [...]float64{-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00}
	b := [...]float64{-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01}
	c := [...]float64{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00}
	d := [...]float64{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00}
	const low = 0.02425
	switch {
	case p < low:
		q := math.Sqrt(-2 * math.Log(p))
		return (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	case p > 1-low:
		q := math.Sqrt(-2 * math.Log(1-p))
		return -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	}
	q := p - 0.5
	r := q * q
	return (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r + a[5]) * q / (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r + 1)
}
