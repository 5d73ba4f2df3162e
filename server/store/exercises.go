package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

// Exercise states.
const (
	StateRunning = "running"
	StatePaused  = "paused"
	StateEnded   = "ended"
)

// Exercise is one run of a scenario.
type Exercise struct {
	ID           string // chosen by the caller
	ScenarioHash string // a hash returned by PutScenario
	ScenarioName string
	Seed         uint64 // the engine's random seed, kept so the run can be replayed
	// Options are whatever else the caller needs to rebuild the run
	// (skill, end conditions…), encoded by the caller; the store keeps the
	// bytes as given.
	Options   []byte
	Speed     float64
	State     string    // StateRunning, StatePaused or StateEnded
	CreatedAt time.Time // zero: now
	EndedAt   time.Time // zero until the exercise ends
}

// exerciseRow is an Exercise as the database holds it: the seed as decimal
// text (a uint64 does not fit a signed 64-bit column) and a nullable end.
type exerciseRow struct {
	ID           string       `db:"id"`
	ScenarioHash string       `db:"scenario_hash"`
	ScenarioName string       `db:"scenario_name"`
	Seed         string       `db:"seed"`
	Options      []byte       `db:"options"`
	Speed        float64      `db:"speed"`
	State        string       `db:"state"`
	CreatedAt    time.Time    `db:"created_at"`
	EndedAt      sql.NullTime `db:"ended_at"`
}

const exerciseColumns = `id, scenario_hash, scenario_name, seed, options, speed, state, created_at, ended_at`

func (r exerciseRow) exercise() (Exercise, error) {
	seed, err := strconv.ParseUint(r.Seed, 10, 64)
	if err != nil {
		return Exercise{}, err
	}
	x := Exercise{
		ID: r.ID, ScenarioHash: r.ScenarioHash, ScenarioName: r.ScenarioName,
		Seed: seed, Options: r.Options, Speed: r.Speed, State: r.State, CreatedAt: r.CreatedAt.UTC(),
	}
	if r.EndedAt.Valid {
		x.EndedAt = r.EndedAt.Time.UTC()
	}
	return x, nil
}

func validState(state string) bool {
	return state == StateRunning || state == StatePaused || state == StateEnded
}

func validSpeed(speed float64) bool {
	return speed > 0 && !math.IsInf(speed, 0) // NaN fails speed > 0
}

// CreateExercise stores a new exercise. State defaults to StateRunning.
// A duplicate ID is ErrConflict; an unknown ScenarioHash is ErrNotFound.
func (s *Store) CreateExercise(ctx context.Context, x Exercise) error {
	switch {
	case x.ID == "":
		return wrap(invalid("empty exercise id"), "create exercise")
	case x.ScenarioHash == "":
		return wrap(invalid("empty scenario hash"), "create exercise %s", x.ID)
	case !validSpeed(x.Speed):
		return wrap(invalid("speed %v is not a positive number", x.Speed), "create exercise %s", x.ID)
	}
	if x.State == "" {
		x.State = StateRunning
	}
	if !validState(x.State) {
		return wrap(invalid("unknown state %q", x.State), "create exercise %s", x.ID)
	}
	var ended sql.NullTime
	if x.State == StateEnded {
		ended = sql.NullTime{Time: s.stamp(x.EndedAt), Valid: true}
	}
	_, err := s.w.ExecContext(ctx, s.w.Rebind(`INSERT INTO exercises (`+exerciseColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		x.ID, x.ScenarioHash, x.ScenarioName, strconv.FormatUint(x.Seed, 10),
		notNil(x.Options), x.Speed, x.State, s.stamp(x.CreatedAt), ended)
	return wrap(err, "create exercise %s", x.ID)
}

// Exercise returns the exercise with the given id, or ErrNotFound.
func (s *Store) Exercise(ctx context.Context, id string) (Exercise, error) {
	var row exerciseRow
	err := s.r.GetContext(ctx, &row, s.r.Rebind(`SELECT `+exerciseColumns+` FROM exercises WHERE id = ?`), id)
	if err != nil {
		return Exercise{}, wrap(err, "exercise %s", id)
	}
	x, err := row.exercise()
	return x, wrap(err, "exercise %s", id)
}

// Exercises lists the exercises in the given state ("" for all), oldest
// first.
func (s *Store) Exercises(ctx context.Context, state string) ([]Exercise, error) {
	if state != "" && !validState(state) {
		return nil, wrap(invalid("unknown state %q", state), "exercises")
	}
	q, args := `SELECT `+exerciseColumns+` FROM exercises ORDER BY created_at, id`, []any(nil)
	if state != "" {
		q, args = `SELECT `+exerciseColumns+` FROM exercises WHERE state = ? ORDER BY created_at, id`, []any{state}
	}
	xs, err := s.selectExercises(ctx, q, args...)
	return xs, wrap(err, "exercises %q", state)
}

// ExercisesOfScenario lists the exercises of the scenario with the given
// name (any version of its source), oldest first.
func (s *Store) ExercisesOfScenario(ctx context.Context, name string) ([]Exercise, error) {
	xs, err := s.selectExercises(ctx,
		`SELECT `+exerciseColumns+` FROM exercises WHERE scenario_name = ? ORDER BY created_at, id`, name)
	return xs, wrap(err, "exercises of scenario %q", name)
}

func (s *Store) selectExercises(ctx context.Context, q string, args ...any) ([]Exercise, error) {
	var rows []exerciseRow
	if err := s.r.SelectContext(ctx, &rows, s.r.Rebind(q), args...); err != nil {
		return nil, err
	}
	xs := make([]Exercise, 0, len(rows))
	for _, r := range rows {
		x, err := r.exercise()
		if err != nil {
			return nil, err
		}
		xs = append(xs, x)
	}
	return xs, nil
}

// SetExerciseState moves an exercise between running and paused, or ends
// it, stamping EndedAt. Ending is final: ending again is a no-op that keeps
// the first EndedAt, and any other change to an ended exercise is
// ErrConflict.
func (s *Store) SetExerciseState(ctx context.Context, id, state string) error {
	if !validState(state) {
		return wrap(invalid("unknown state %q", state), "set state of %s", id)
	}
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		cur, err := currentState(ctx, tx, id)
		switch {
		case err != nil:
			return err
		case cur == StateEnded && state == StateEnded:
			return nil
		case cur == StateEnded:
			return errEnded
		}
		var ended sql.NullTime
		if state == StateEnded {
			ended = sql.NullTime{Time: s.stamp(time.Time{}), Valid: true}
		}
		_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE exercises SET state = ?, ended_at = ? WHERE id = ?`), state, ended, id)
		return err
	})
	return wrap(err, "set state of %s to %s", id, state)
}

// SetSpeed changes the speed of an exercise that has not ended.
func (s *Store) SetSpeed(ctx context.Context, id string, speed float64) error {
	if !validSpeed(speed) {
		return wrap(invalid("speed %v is not a positive number", speed), "set speed of %s", id)
	}
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		cur, err := currentState(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur == StateEnded {
			return errEnded
		}
		_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE exercises SET speed = ? WHERE id = ?`), speed, id)
		return err
	})
	return wrap(err, "set speed of %s", id)
}

var errEnded = fmt.Errorf("%w: the exercise has ended", ErrConflict)

// currentState reads an exercise's state inside a write transaction,
// locking its row on PostgreSQL so concurrent nodes change it one at a time.
func currentState(ctx context.Context, tx *sqlx.Tx, id string) (string, error) {
	var state string
	err := tx.GetContext(ctx, &state, tx.Rebind(`SELECT state FROM exercises WHERE id = ?`+forUpdate(tx)), id)
	return state, err
}

// forUpdate is the row-lock clause for a read that precedes a write in the
// same transaction. SQLite has no row locks and needs none: its write
// transactions are IMMEDIATE and exclusive.
func forUpdate(tx *sqlx.Tx) string {
	if tx.DriverName() == pgxDriver {
		return ` FOR UPDATE`
	}
	return ``
}
