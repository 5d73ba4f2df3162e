package store

import (
	"context"
)

// Lesson is a lesson learned, written during or after an exercise for the
// hotwash and the report.
type Lesson struct {
	ExerciseID string `db:"exercise_id"`
	Author     string `db:"author"`
	At         int64  `db:"at"` // virtual time, nanoseconds since the start
	Text       string `db:"text"`
}

// AddLesson stores a lesson; an unknown exercise is ErrNotFound.
func (s *Store) AddLesson(ctx context.Context, l Lesson) error {
	switch {
	case l.ExerciseID == "":
		return wrap(invalid("empty exercise id"), "add lesson")
	case l.Text == "":
		return wrap(invalid("empty text"), "add lesson to %s", l.ExerciseID)
	}
	for _, f := range []struct{ what, s string }{{"author", l.Author}, {"text", l.Text}} {
		if err := checkText(f.what, f.s); err != nil {
			return wrap(err, "add lesson to %s", l.ExerciseID)
		}
	}
	_, err := s.w.ExecContext(ctx, s.w.Rebind(
		`INSERT INTO lessons (exercise_id, author, at, text) VALUES (?, ?, ?, ?)`),
		l.ExerciseID, l.Author, l.At, l.Text)
	return wrap(err, "add lesson to %s", l.ExerciseID)
}

// Lessons lists an exercise's lessons by virtual time, then in the order
// they were added; none for an unknown exercise.
func (s *Store) Lessons(ctx context.Context, exerciseID string) ([]Lesson, error) {
	var ls []Lesson
	err := s.r.SelectContext(ctx, &ls, s.r.Rebind(
		`SELECT exercise_id, author, at, text FROM lessons WHERE exercise_id = ? ORDER BY at, id`), exerciseID)
	return ls, wrap(err, "lessons of %s", exerciseID)
}
