package score

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

// A malformed log is an error wrapping ErrMalformedLog that says which
// event, never a panic and never a quiet guess.
func TestMeasuresMalformed(t *testing.T) {
	good := full().log()
	edit := func(f func([]engine.Event) []engine.Event) []engine.Event {
		return f(slices.Clone(good))
	}
	telemetryAt := func(log []engine.Event, n int) int { // index of the n-th telemetry event
		for i, e := range log {
			if e.Kind == engine.KindTelemetry {
				if n == 0 {
					return i
				}
				n--
			}
		}
		return -1
	}
	tests := []struct {
		name string
		log  []engine.Event
		want string
	}{
		{"empty", nil, "no events"},
		{"not opened by started", good[1:], "must open with"},
		{"not closed by ended", good[:len(good)-1], "must close with"},
		{"started twice", edit(func(l []engine.Event) []engine.Event {
			l[3].Kind, l[3].Data = engine.KindStarted, engine.StartedData{}
			return l
		}), "is not first"},
		{"ended early", edit(func(l []engine.Event) []engine.Event {
			l[3].Kind, l[3].Data = engine.KindEnded, engine.EndedData{}
			return l
		}), "is not part of the hotwash"},
		{"time goes back", edit(func(l []engine.Event) []engine.Event {
			l[5].At = l[4].At - 1
			return l
		}), "time went back"},
		{"sequence repeats", edit(func(l []engine.Event) []engine.Event {
			l[5].Seq = l[4].Seq
			return l
		}), "sequence numbers must rise"},
		{"wrong payload", edit(func(l []engine.Event) []engine.Event {
			i := telemetryAt(l, 2)
			l[i].Data = engine.ChatData{Text: "hello"}
			return l
		}), "carries engine.ChatData, want engine.TelemetryData"},
		{"no payload", edit(func(l []engine.Event) []engine.Event {
			l = append(l[:len(l)-1:len(l)-1], ev(l[len(l)-1].At, engine.KindRootClaim, "kim", nil), l[len(l)-1])
			l[len(l)-2].Seq, l[len(l)-1].Seq = l[len(l)-3].Seq+1, l[len(l)-3].Seq+2
			return l
		}), "carries <nil>"},
		{"counters fall", edit(func(l []engine.Event) []engine.Event {
			i := telemetryAt(l, 3)
			d := l[i].Data.(engine.TelemetryData)
			d.Services = slices.Clone(d.Services)
			d.Services[0].Total = 0
			l[i].Data = d
			return l
		}), "request counters of egress-proxy falling"},
		{"unknown world change", edit(func(l []engine.Event) []engine.Event {
			for i, e := range l {
				if e.Kind == engine.KindWorld {
					l[i].Data = engine.WorldData{Change: "exploded", Fault: "x"}
					break
				}
			}
			return l
		}), `unknown change "exploded"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Measures(egress(), tt.log)
			if !errors.Is(err, ErrMalformedLog) {
				t.Fatalf("error = %v, want ErrMalformedLog", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestMeasuresWrongScenario(t *testing.T) {
	sc := egress()
	sc.Name = "mesh-cert-expiry"
	if _, err := Measures(sc, full().log()); !errors.Is(err, ErrWrongScenario) {
		t.Errorf("error = %v, want ErrWrongScenario", err)
	}
	if _, err := Measures(nil, full().log()); err == nil {
		t.Error("no error without a scenario")
	}
}

// The engine emits payload values; a pointer to one means the same and is
// read the same, a nil pointer is malformed.
func TestMeasuresPointerPayloads(t *testing.T) {
	want, err := Measures(egress(), full().log())
	if err != nil {
		t.Fatal(err)
	}
	log := full().log()
	last := -1 // the last action
	for i, e := range log {
		switch d := e.Data.(type) {
		case engine.ActionData:
			log[i].Data, last = &d, i
		case engine.TelemetryData:
			log[i].Data = &d
		case engine.WorldData:
			log[i].Data = &d
		}
	}
	got, err := Measures(egress(), log)
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := got.Measure(PhaseRestore); m.At != mins(60) || m.Duration != mins(55) || m.Censored {
		t.Errorf("restore with pointer payloads = %+v", m)
	}
	if w, _ := want.Measure(PhaseRestore); !reflect.DeepEqual(got.Measures, want.Measures) || w.At != mins(60) {
		t.Errorf("pointer payloads changed the measures: %+v, want %+v", got.Measures, want.Measures)
	}
	if _, ok := got.Measure("uptime"); ok {
		t.Error("Measure found a phase that does not exist")
	}
	log[last].Data = (*engine.ActionData)(nil)
	if _, err := Measures(egress(), log); !errors.Is(err, ErrMalformedLog) || !strings.Contains(err.Error(), "carries *engine.ActionData") {
		t.Errorf("nil pointer payload: error = %v, want ErrMalformedLog", err)
	}
}

// TestHotwashAfterTheEnd: players rate their confidence and add lessons
// after the exercise ends; those events follow exercise.ended and change
// no measure.
func TestHotwashAfterTheEnd(t *testing.T) {
	log := full().log()
	want, err := Measures(egress(), log)
	if err != nil {
		t.Fatal(err)
	}
	last := log[len(log)-1]
	after := func(kind engine.Kind, data any) engine.Event {
		last.Seq++
		return engine.Event{Seq: last.Seq, At: last.At, Kind: kind, Actor: "ana", Data: data}
	}
	log = append(log,
		after(engine.KindChat, engine.ChatData{Channel: "command-center", From: "ana", Text: "good run"}),
		after(engine.KindAction, engine.ActionData{Action: engine.Action{Op: engine.OpRateConfidence, Rating: 4}}),
		after(engine.KindAction, engine.ActionData{Action: engine.Action{Op: engine.OpLessonsLearned, Text: "page network sooner"}}),
	)
	got, err := Measures(egress(), log)
	if err != nil {
		t.Fatalf("hotwash after the end refused: %v", err)
	}
	if got.End != want.End || got.Measures[len(got.Measures)-1] != want.Measures[len(want.Measures)-1] {
		t.Fatalf("hotwash changed the measures: %+v vs %+v", got, want)
	}
	log = append(log, after(engine.KindAction, engine.ActionData{Action: engine.Action{Op: engine.OpDeclareRestored, Record: "INC0001"}}))
	if _, err := Measures(egress(), log); !errors.Is(err, ErrMalformedLog) {
		t.Fatalf("a workflow action after the end was accepted: %v", err)
	}
}
