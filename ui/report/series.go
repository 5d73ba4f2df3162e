package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/score"
)

// series is one impacted service's error rate over time, read off the
// log's telemetry samples.
type series struct {
	service string
	points  []point
}

type point struct {
	at time.Duration
	v  float64
}

// marker is an inject or a key action drawn on the error-rate chart and
// listed in its key.
type marker struct {
	id   string // I1, A1, …
	kind string // inject, action
	at   time.Duration
	who  string
	text string
}

// markerOps are the actions worth a marker: the ones that change the
// course of the outage, not the paperwork.
var markerOps = map[engine.Op]bool{
	engine.OpOpenWarRoom:         true,
	engine.OpRaiseIncidentAlert:  true,
	engine.OpDeclareWorkaround:   true,
	engine.OpDeclareRestored:     true,
	engine.OpValidateRestoration: true,
}

// chartData picks the error-rate series of the impacted services and the
// markers from the log.
func chartData(log []engine.Event, res score.Result) ([]series, []marker) {
	idx := map[string]int{}
	ss := make([]series, len(res.ImpactedServices))
	for i, s := range res.ImpactedServices {
		idx[s] = i
		ss[i].service = s
	}
	var ms []marker
	injects, actions := 0, 0
	add := func(kind string, e engine.Event, who, text string) {
		id := ""
		if kind == "inject" {
			injects++
			id = fmt.Sprintf("I%d", injects)
		} else {
			actions++
			id = fmt.Sprintf("A%d", actions)
		}
		ms = append(ms, marker{id: id, kind: kind, at: e.At, who: who, text: text})
	}
	for _, e := range log {
		switch e.Kind {
		case engine.KindTelemetry:
			if len(ss) == 0 {
				continue
			}
			d, _ := data[engine.TelemetryData](e)
			for _, x := range d.Services {
				if i, ok := idx[x.Service]; ok {
					ss[i].points = append(ss[i].points, point{e.At, x.ErrorRate})
				}
			}
		case engine.KindInject:
			d, _ := data[engine.InjectData](e)
			add("inject", e, d.From, d.Name+" ("+string(d.Channel)+")")
		case engine.KindRemedy:
			d, _ := data[engine.RemedyData](e)
			// The start, by a person; the completion once, from the copy
			// that names the faults it touched or the harm it did.
			text := remedyText(d)
			dup := slices.ContainsFunc(ms, func(m marker) bool { return m.at == e.At && m.text == text })
			switch {
			case d.Phase == "started", len(d.Mitigated) > 0, len(d.Fixed) > 0:
				add("action", e, d.By, text)
			case d.Harm != "" && !dup:
				add("action", e, d.By, text)
			}
		case engine.KindRootClaim:
			d, _ := data[engine.RootClaimData](e)
			verdict := "wrong"
			if d.Correct {
				verdict = "correct"
			}
			add("action", e, e.Actor, fmt.Sprintf("Named %s as the root cause (%s).", d.Service, verdict))
		case engine.KindAnswered:
			d, _ := data[engine.AnswerData](e)
			who := d.By
			if d.TimedOut {
				who = "timeout"
			}
			add("action", e, who, fmt.Sprintf("Decision %s: %s.", d.Name, d.Option))
		case engine.KindAction:
			d, _ := data[engine.ActionData](e)
			if markerOps[d.Action.Op] {
				add("action", e, e.Actor, actionText(d))
			}
		}
	}
	return ss, ms
}
