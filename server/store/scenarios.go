package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
)

// PutScenario stores a scenario's source under its sha256 (hex) and returns
// that hash. Exercises refer to the hash, so a run can always be replayed
// against the exact text it started from. Storing the same source again is
// a no-op and keeps the first name.
func (s *Store) PutScenario(ctx context.Context, name string, source []byte) (string, error) {
	sum := sha256.Sum256(source)
	hash := hex.EncodeToString(sum[:])
	if name == "" {
		return "", wrap(invalid("empty name"), "put scenario")
	}
	if source == nil {
		source = []byte{} // NOT NULL: an empty file is still a source
	}
	_, err := s.w.ExecContext(ctx, s.w.Rebind(
		`INSERT INTO scenarios (hash, name, source) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING`),
		hash, name, source)
	if err != nil {
		return "", wrap(err, "put scenario %q", name)
	}
	return hash, nil
}

// Scenario returns the name and source stored under hash, or ErrNotFound.
func (s *Store) Scenario(ctx context.Context, hash string) (name string, source []byte, err error) {
	var row struct {
		Name   string `db:"name"`
		Source []byte `db:"source"`
	}
	err = s.r.GetContext(ctx, &row, s.r.Rebind(`SELECT name, source FROM scenarios WHERE hash = ?`), hash)
	if err != nil {
		return "", nil, wrap(err, "scenario %s", hash)
	}
	return row.Name, row.Source, nil
}
