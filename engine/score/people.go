package score

import (
	"maps"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// Confidence is one person's confidence ratings (rate_confidence, 1 to 5)
// in the order given: the bots and the console ask at the start and after
// the end. The report sets them beside how the person did.
type Confidence struct {
	Person  string   `json:"person"`
	Ratings []Rating `json:"ratings"`
	// First and Last are the first and the last rating (equal when there
	// is one).
	First int `json:"first"`
	Last  int `json:"last"`
}

// Rating is one confidence rating.
type Rating struct {
	Seq    uint64        `json:"seq"`
	At     time.Duration `json:"at"`
	Role   engine.Role   `json:"role"`
	Rating int           `json:"rating"`
	// AfterEnd says it was given in the hotwash, after the exercise ended.
	AfterEnd bool `json:"after_end,omitempty"`
}

// Lesson is a lesson learned a person entered.
type Lesson struct {
	Seq      uint64        `json:"seq"`
	At       time.Duration `json:"at"`
	Author   string        `json:"author"`
	Role     engine.Role   `json:"role"`
	Text     string        `json:"text"`
	AfterEnd bool          `json:"after_end,omitempty"`
}

func (s *scorer) reflections() ([]Confidence, []Lesson) {
	ratings := map[string][]Rating{}
	lessons := []Lesson{}
	ended := s.v.endIdx
	for _, a := range s.v.actions {
		switch a.op {
		case engine.OpRateConfidence:
			act := s.action(a)
			ratings[a.actor] = append(ratings[a.actor], Rating{
				Seq: s.log[a.idx].Seq, At: a.at, Role: a.role, Rating: act.Rating, AfterEnd: a.idx > ended,
			})
		case engine.OpLessonsLearned:
			act := s.action(a)
			lessons = append(lessons, Lesson{
				Seq: s.log[a.idx].Seq, At: a.at, Author: a.actor, Role: a.role, Text: act.Text, AfterEnd: a.idx > ended,
			})
		}
	}
	conf := make([]Confidence, 0, len(ratings))
	for _, p := range slices.Sorted(maps.Keys(ratings)) {
		rs := ratings[p]
		conf = append(conf, Confidence{Person: p, Ratings: rs, First: rs[0].Rating, Last: rs[len(rs)-1].Rating})
	}
	return conf, lessons
}
