package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/server/store"
)

// Run is a stored exercise read back for its review: the scenario it ran,
// its whole event log and who took part.
type Run struct {
	Exercise     store.Exercise
	Scenario     *scenario.Scenario
	Log          []engine.Event
	Participants []store.Participant
}

// LoadRun reads exercise id from the store, decoding its scenario and its
// event log, so a review can be recomputed at any time.
func LoadRun(ctx context.Context, st *store.Store, id string) (Run, error) {
	ex, err := st.Exercise(ctx, id)
	if err != nil {
		return Run{}, fmt.Errorf("exercise %s: %w", id, err)
	}
	name, src, err := st.Scenario(ctx, ex.ScenarioHash)
	if err != nil {
		return Run{}, fmt.Errorf("exercise %s: scenario: %w", id, err)
	}
	sc, diags := scenario.NewLoader().Load(name+".hcl", src)
	if diags.HasErrors() {
		return Run{}, fmt.Errorf("exercise %s: its scenario no longer loads: %s", id, diags.Error())
	}
	rows, err := st.Events(ctx, id, 0, 0)
	if err != nil {
		return Run{}, fmt.Errorf("exercise %s: events: %w", id, err)
	}
	log := make([]engine.Event, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Body, &log[i]); err != nil {
			return Run{}, fmt.Errorf("exercise %s: event %d: %w", id, r.Seq, err)
		}
	}
	parts, err := st.Participants(ctx, id)
	if err != nil {
		return Run{}, fmt.Errorf("exercise %s: participants: %w", id, err)
	}
	return Run{Exercise: ex, Scenario: sc, Log: log, Participants: parts}, nil
}
