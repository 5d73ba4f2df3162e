package score

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

// Reports are recomputed from stored logs: a log written as JSON and read
// back (through Event.UnmarshalJSON) must give the same Result.
func TestMeasuresJSONRoundTrip(t *testing.T) {
	sc := egress()
	for name, s := range map[string]story{
		"full":             full(),
		"healed, censored": full().without(isChange(changeFixed)).without(isOp("validate_restoration")).with(world(mins(45), changeHealed, "proxy-saturation", "egress-proxy", true)),
	} {
		t.Run(name, func(t *testing.T) {
			log := s.log()
			want, err := Measures(sc, log)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(log)
			if err != nil {
				t.Fatal(err)
			}
			var back []engine.Event
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			got, err := Measures(sc, back)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("after a JSON round trip:\n got %+v\nwant %+v", got, want)
			}
			// The Result itself also survives JSON, for the report.
			rb, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			var res Result
			if err := json.Unmarshal(rb, &res); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res, want) {
				t.Errorf("Result after JSON:\n got %+v\nwant %+v", res, want)
			}
		})
	}
}
