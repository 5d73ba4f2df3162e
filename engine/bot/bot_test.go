package bot

import (
	"reflect"
	"strings"
	"testing"

	"github.com/firedrill/firedrill/engine/scenario"
)

func TestParseSkill(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Skill
		wantErr bool
	}{
		{"novice", Novice, false},
		{"Practiced", Practiced, false},
		{" EXPERT ", Expert, false},
		{"guru", "", true},
		{"", "", true},
	} {
		got, err := ParseSkill(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseSkill(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// groundTruth lists the types a bot must not be able to hold: the scenario
// and its answer key, the simulated world and the exercise itself.
var groundTruth = []string{
	"engine/scenario.Scenario", "engine/scenario.Fault", "engine/scenario.Remedy", "engine/scenario.Option",
	"engine/scenario.Decision", "engine/scenario.Inject", "engine/scenario.Service", "engine/scenario.RunbookStep",
	"engine/scenario.Expect", "engine/world.World", "engine/world.FaultState", "exercise.Exercise",
}

// holds lists the ground-truth types reachable through ty's fields.
func holds(ty reflect.Type) []string {
	var out []string
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		if seen[ty] {
			return
		}
		seen[ty] = true
		name := ty.PkgPath() + "." + ty.Name()
		for _, g := range groundTruth {
			if strings.HasSuffix(name, "/"+g) {
				out = append(out, name)
			}
		}
		switch ty.Kind() {
		case reflect.Map:
			walk(ty.Key())
			walk(ty.Elem())
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(ty.Elem())
		case reflect.Struct:
			for i := range ty.NumField() {
				walk(ty.Field(i).Type)
			}
		}
	}
	walk(ty)
	return out
}

// TestBotHoldsNoGroundTruth: nothing in a Bot can hold the scenario, its
// faults or the simulated world; it keeps only the directory.
func TestBotHoldsNoGroundTruth(t *testing.T) {
	if got := holds(reflect.TypeFor[Bot]()); len(got) > 0 {
		t.Errorf("a Bot can hold %v", got)
	}
	// The walk itself must see through pointers, slices and maps.
	type leaky struct {
		m map[string][]*scenario.Fault
	}
	if got := holds(reflect.TypeFor[leaky]()); len(got) != 1 {
		t.Errorf("holds(leaky) = %v, want the fault type", got)
	}
}
