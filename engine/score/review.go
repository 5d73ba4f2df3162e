package score

import (
	"time"

	"github.com/firedrill/firedrill/engine"
)

// What the review shows beside the score, decided here from the log so the
// review recomputes nothing: how the outage was detected and what
// monitoring did, who responded and how they were reached, the causes and
// what resolved them. Each row names the event that shows it (Seq).

// Detection is how the outage was noticed and what monitoring did.
type Detection struct {
	// How is "alert", "report" (a contact the scenario marks as a symptom
	// report), "record", or "" when the detect phase never ended.
	How string `json:"how"`
	// By is the alert's name, the contact's inject or the record's number;
	// Actor who made the record; Seq the event.
	By    string `json:"by,omitempty"`
	Actor string `json:"actor,omitempty"`
	Seq   uint64 `json:"seq,omitempty"`
	// Class is the record's class ("incident", "service_request").
	Class  string     `json:"class,omitempty"`
	Alerts []AlertRow `json:"alerts"`
}

// AlertRow is one alert rule of the scenario and what it did.
type AlertRow struct {
	Alert    string `json:"alert"`
	Service  string `json:"service"`
	Severity string `json:"severity,omitempty"`
	Rotation string `json:"rotation,omitempty"`
	// Impacted says the alert watches an impacted service.
	Impacted bool `json:"impacted"`
	// Status is "fired", "fired_unacknowledged", "missed" (did not fire on
	// an impacted service) or "quiet" (did not fire; nothing to see).
	Status  string        `json:"status"`
	FiredAt time.Duration `json:"fired_at,omitempty"`
	Seq     uint64        `json:"seq,omitempty"`
	// AckedAt and AckedBy are the first acknowledgement of a page the
	// alert sent.
	AckedAt time.Duration `json:"acked_at,omitempty"`
	AckedBy string        `json:"acked_by,omitempty"`
}

// Response is who responded and how they were reached.
type Response struct {
	Responders []Responder `json:"responders"`
	Pages      []PageRow   `json:"pages"`
	// Escalations counts page.escalated events over the exercise (the
	// score's escalation depth is in Score.Result).
	Escalations int       `json:"escalations"`
	WarRooms    []WarRoom `json:"war_rooms"`
	Comms       []Comm    `json:"comms"`
}

// Responder is a person who acted in the exercise.
type Responder struct {
	Name   string   `json:"name"`
	Roles  []string `json:"roles"`
	Groups []string `json:"groups"`
	// First is their first accepted action; Actions counts them
	// (confidence ratings and lessons left out).
	First   time.Duration `json:"first"`
	Actions int           `json:"actions"`
}

// PageRow is one page and what became of it.
type PageRow struct {
	Page     string        `json:"page"`
	At       time.Duration `json:"at"`
	Seq      uint64        `json:"seq"`
	Group    string        `json:"group"`
	Person   string        `json:"person"`
	From     string        `json:"from,omitempty"`
	Alert    string        `json:"alert,omitempty"`
	Incident string        `json:"incident,omitempty"`
	Acked    bool          `json:"acked"`
	AckedAt  time.Duration `json:"acked_at,omitempty"`
	AckedBy  string        `json:"acked_by,omitempty"`
	// Escalations counts the page's escalations.
	Escalations int `json:"escalations"`
}

// WarRoom is a bridge opened in the exercise.
type WarRoom struct {
	Number   string        `json:"number"`
	Incident string        `json:"incident"`
	OpenedBy string        `json:"opened_by"`
	At       time.Duration `json:"at"`
	Seq      uint64        `json:"seq"`
	// DuplicateOf is the war room the issue already had.
	DuplicateOf string   `json:"duplicate_of,omitempty"`
	Members     []string `json:"members"`
}

// Comm is a stakeholder update or a vendor's answer.
type Comm struct {
	At   time.Duration `json:"at"`
	Seq  uint64        `json:"seq"`
	By   string        `json:"by"`
	Kind string        `json:"kind"` // status_update, vendor_contact, vendor_response
	Text string        `json:"text"`
}

// Factors are the causes: root causes, what triggered them, and what made
// it worse.
type Factors struct {
	RootCauses   []Fault        `json:"root_causes"`
	Triggers     []VendorChange `json:"triggers"`
	Contributing []Fault        `json:"contributing"`
	Harmful      []Penalty      `json:"harmful"`
}

// Fault is a fault that started in the exercise.
type Fault struct {
	Fault   string        `json:"fault"`
	Service string        `json:"service"`
	Cause   string        `json:"cause"`
	Started time.Duration `json:"started"`
	Seq     uint64        `json:"seq"`
	// SetOffBy says what started a fault the story did not schedule: a
	// harmful remedy or a decision's option.
	SetOffBy string `json:"set_off_by,omitempty"`
	// Ended says how it ended: mitigated, fixed, healed, or "" (ran on).
	Ended   string        `json:"ended,omitempty"`
	EndedAt time.Duration `json:"ended_at,omitempty"`
}

// VendorChange is a change a root-cause service's vendor logged before the
// fault: the candidate trigger.
type VendorChange struct {
	Vendor string        `json:"vendor"`
	Change string        `json:"change"`
	At     time.Duration `json:"at"`
	Note   string        `json:"note"`
}

// Resolution is what stopped the impact and what fixed the cause.
type Resolution struct {
	Mitigated []Remedy `json:"mitigated"`
	Fixed     []Remedy `json:"fixed"`
	// SelfHealed: the root cause went away by itself.
	SelfHealed bool `json:"self_healed"`
	// Healed are the faults that went away by themselves before customer
	// impact ended: part of what stopped it, though nobody did it.
	Healed   []Fault  `json:"healed"`
	Records  []Record `json:"records"`
	Problems []Record `json:"problems"`
	Changes  []Record `json:"changes"`
}

// Remedy is a remedy that completed and what it did to the faults.
type Remedy struct {
	Remedy    string        `json:"remedy"`
	Service   string        `json:"service"`
	By        string        `json:"by,omitempty"`
	Started   time.Duration `json:"started"`
	Completed time.Duration `json:"completed"`
	Seq       uint64        `json:"seq"`
	Faults    []string      `json:"faults"`
}

// Record is an incident, problem or change record as the exercise left it.
type Record struct {
	Number   string `json:"number"`
	Kind     string `json:"kind"` // incident, service_request, problem, change
	State    string `json:"state"`
	Priority int    `json:"priority,omitempty"`
	Service  string `json:"service,omitempty"`
	Parent   string `json:"parent,omitempty"`
	Text     string `json:"text,omitempty"`
	// Links are the incidents of a problem or change, the problems and
	// changes of an incident.
	Links    []string      `json:"links"`
	OpenedBy string        `json:"opened_by,omitempty"`
	Opened   time.Duration `json:"opened"`
	Seq      uint64        `json:"seq"`
}

// detection says how the detect phase ended, from its evidence, and what
// every alert rule did.
func (s *scorer) detection() Detection {
	d := Detection{Alerts: []AlertRow{}}
	if m, ok := s.res.Measure(PhaseDetect); ok && m.Evidence != nil {
		e := s.log[s.indexOf(m.Evidence)]
		d.Seq = e.Seq
		switch x := e.Data.(type) {
		case engine.AlertData:
			d.How, d.By = "alert", x.Alert
		case engine.InjectData:
			d.How, d.By = "report", x.Name
		case engine.ActionData:
			for _, rc := range x.Records {
				if inc := rc.Incident; inc != nil {
					d.How, d.By, d.Actor, d.Class = "record", inc.Number, e.Actor, string(classOrIncident(inc.Class))
					break
				}
			}
		}
	}
	type fired struct {
		at        mark
		ack       mark
		acked     bool
		ackedBy   string
		unhandled bool
	}
	byAlert := map[string]*fired{}
	for _, a := range s.v.alerts {
		if byAlert[a.Alert] == nil {
			byAlert[a.Alert] = &fired{at: a.mark}
		}
	}
	for _, p := range s.v.pages {
		if p.kind != engine.KindPageAcked || p.Alert == "" {
			continue
		}
		if f := byAlert[p.Alert]; f != nil && !f.acked {
			f.ack, f.acked, f.ackedBy = p.mark, true, s.log[p.idx].Actor
		}
	}
	for _, a := range s.sc.Alerts {
		if a == nil {
			continue
		}
		row := AlertRow{Alert: a.Name, Service: a.Service.Name, Severity: a.Severity, Rotation: a.Page.Name, Impacted: s.about[a.Service.Name]}
		f := byAlert[a.Name]
		switch {
		case f != nil:
			row.Status, row.FiredAt, row.Seq = AlertFired, f.at.at, s.log[f.at.idx].Seq
			if f.acked {
				row.AckedAt, row.AckedBy = f.ack.at, f.ackedBy
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

// Alert statuses of AlertRow.
const (
	AlertFired          = "fired"
	AlertUnacknowledged = "fired_unacknowledged"
	AlertMissed         = "missed"
	AlertQuiet          = "quiet"
)

// as is an event's payload as T. The scorer reads a log whose payloads are
// values (values).
func as[T any](e engine.Event) (T, bool) {
	d, ok := e.Data.(T)
	return d, ok
}

// nonNil is s, or an empty list: every list in the JSON is [], never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
