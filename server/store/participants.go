package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Participant is someone who joins an exercise with a code. Only the code's
// hash is kept, so a stolen database does not hand out seats; how a code is
// normalised before hashing is the caller's business.
type Participant struct {
	ExerciseID  string    `db:"exercise_id"`
	CodeHash    string    `db:"code_hash"` // lowercase sha256 hex of the join code
	Name        string    `db:"name"`
	Role        string    `db:"role"`
	Group       string    `db:"group_name"` // "" for none
	Facilitator bool      `db:"facilitator"`
	CreatedAt   time.Time `db:"created_at"` // zero: now
}

// isHash reports whether h looks like a sha256 hex digest. Refusing anything
// else stops a caller from storing a plain join code by mistake.
func isHash(h string) bool {
	if len(h) != 2*sha256.Size {
		return false
	}
	for _, c := range []byte(h) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// group_name is nullable: NULL is "no group", which reads back as "".
const participantColumns = `exercise_id, code_hash, name, role, COALESCE(group_name, '') AS group_name, facilitator, created_at`

// AddParticipants adds participants to an exercise in one transaction: all
// or none. A code hash already in use (in any exercise) is ErrConflict; an
// unknown exercise is ErrNotFound (adding nobody writes nothing and checks
// nothing).
func (s *Store) AddParticipants(ctx context.Context, exerciseID string, ps []Participant) error {
	if exerciseID == "" {
		return wrap(invalid("empty exercise id"), "add participants")
	}
	for i, p := range ps {
		switch {
		case !isHash(p.CodeHash):
			return wrap(invalid("participant %d (%q): code hash is not a lowercase sha256 hex digest", i, p.Name), "add participants to %s", exerciseID)
		case p.Name == "":
			return wrap(invalid("participant %d: empty name", i), "add participants to %s", exerciseID)
		}
		for _, f := range []struct{ what, s string }{{"name", p.Name}, {"role", p.Role}, {"group", p.Group}} {
			if err := checkText(fmt.Sprintf("participant %d's %s", i, f.what), f.s); err != nil {
				return wrap(err, "add participants to %s", exerciseID)
			}
		}
	}
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		q := tx.Rebind(`INSERT INTO participants
			(exercise_id, code_hash, name, role, group_name, facilitator, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		for _, p := range ps {
			var group *string
			if p.Group != "" {
				group = &p.Group
			}
			if _, err := tx.ExecContext(ctx, q, exerciseID, p.CodeHash, p.Name, p.Role, group, p.Facilitator, s.stamp(p.CreatedAt)); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap(err, "add participants to %s", exerciseID)
}

// ParticipantByCode finds the participant holding a join code, given the
// code's hash, or returns ErrNotFound.
func (s *Store) ParticipantByCode(ctx context.Context, codeHash string) (Participant, error) {
	var p Participant
	err := s.r.GetContext(ctx, &p, s.r.Rebind(`SELECT `+participantColumns+` FROM participants WHERE code_hash = ?`), codeHash)
	p.CreatedAt = p.CreatedAt.UTC()
	return p, wrap(err, "participant by code")
}

// Participants lists an exercise's participants in the order they were
// added; none for an unknown exercise.
func (s *Store) Participants(ctx context.Context, exerciseID string) ([]Participant, error) {
	var ps []Participant
	err := s.r.SelectContext(ctx, &ps, s.r.Rebind(`SELECT `+participantColumns+` FROM participants WHERE exercise_id = ? ORDER BY id`), exerciseID)
	for i := range ps {
		ps[i].CreatedAt = ps[i].CreatedAt.UTC()
	}
	return ps, wrap(err, "participants of %s", exerciseID)
}
