package report

import (
	"sort"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// Alert statuses of AlertRow.
const (
	AlertFired          = "fired"
	AlertUnacknowledged = "fired_unacknowledged"
	AlertMissed         = "missed"
	AlertQuiet          = "quiet"
)

// about is the set of services the incident is about, as the score sees
// it: the impacted ones and the services of the root-cause faults.
func about(log []engine.Event, res score.Result) map[string]bool {
	out := map[string]bool{}
	for _, s := range res.ImpactedServices {
		out[s] = true
	}
	for _, e := range log {
		if w, ok := data[engine.WorldData](e); ok && e.Kind == engine.KindWorld && w.RootCause && w.Service != "" {
			out[w.Service] = true
		}
	}
	return out
}

// detection finds the event that ended the detect phase (engine/score gives
// its time, not the event) and what every alert rule did.
func detection(sc *scenario.Scenario, log []engine.Event, res score.Result) Detection {
	d := Detection{Alerts: []AlertRow{}}
	svc := about(log, res)
	if m, ok := res.Measure(score.PhaseDetect); ok && !m.Censored && !m.NotApplicable {
		d.find(log, m, svc)
	}

	type fired struct {
		at   engine.Event
		ok   bool
		ack  engine.Event
		ackd bool
	}
	byAlert := map[string]*fired{}
	pageAlert := map[string]string{} // page number → alert
	for _, e := range log {
		switch e.Kind {
		case engine.KindAlertFired:
			a, ok := data[engine.AlertData](e)
			if ok && byAlert[a.Alert] == nil {
				byAlert[a.Alert] = &fired{at: e, ok: true}
			}
		case engine.KindPage:
			if p, ok := data[engine.PageData](e); ok && p.Alert != "" {
				pageAlert[p.Page] = p.Alert
			}
		case engine.KindPageAcked:
			p, ok := data[engine.PageData](e)
			if !ok {
				continue
			}
			if f := byAlert[pageAlert[p.Page]]; f != nil && !f.ackd {
				f.ack, f.ackd = e, true
			}
		}
	}
	for _, a := range sc.Alerts {
		if a == nil {
			continue
		}
		row := AlertRow{Alert: a.Name, Service: a.Service.Name, Severity: a.Severity, Rotation: a.Page.Name, Impacted: svc[a.Service.Name]}
		f := byAlert[a.Name]
		switch {
		case f != nil:
			row.Status, row.FiredAt, row.Seq = AlertFired, f.at.At, f.at.Seq
			if f.ackd {
				row.AckedAt, row.AckedBy = f.ack.At, f.ack.Actor
			} else if a.Page.Name != "" {
				row.Status = AlertUnacknowledged
			}
		case row.Impacted:
			row.Status = AlertMissed
		default:
			row.Status = AlertQuiet
		}
		d.Alerts = append(d.Alerts, row)
	}
	return d
}

// find looks at the events at the detect phase's end for the one that
// ended it: an alert on a service the incident is about, or the first
// record about one.
func (d *Detection) find(log []engine.Event, m score.Measure, svc map[string]bool) {
	// The log is in time order: start at the first event at m.At.
	i := sort.Search(len(log), func(i int) bool { return log[i].At >= m.At })
	for ; i < len(log) && log[i].At == m.At; i++ {
		e := log[i]
		switch e.Kind {
		case engine.KindAlertFired:
			if a, ok := data[engine.AlertData](e); ok && svc[a.Service] {
				d.How, d.By, d.Seq = "alert", a.Alert, e.Seq
				return
			}
		case engine.KindAction:
			a, ok := data[engine.ActionData](e)
			if !ok || a.Action.Op != engine.OpCreateIncident {
				continue
			}
			for _, rc := range a.Records {
				if inc := rc.Incident; inc != nil && svc[inc.Service] {
					d.How, d.By, d.Actor, d.Seq, d.Class = "record", inc.Number, e.Actor, e.Seq, string(inc.Class)
					return
				}
			}
		}
	}
}
