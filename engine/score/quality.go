package score

import (
	"sort"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// Quality is what goes beside speed, so a team cannot buy a fast time
// with a sloppy response (incident-lifecycle.md, 5.4). Escalation depth is
// in Result.
type Quality struct {
	// FalseResolutions are declare_restored actions taken while a service
	// of a record they restored was unhealthy in the world at that instant.
	FalseResolutions []FalseResolution `json:"false_resolutions"`
	// MitigatedNotDeclared runs from the end of customer impact (the
	// mitigate measure) to the first declare_workaround or declare_restored
	// on an outage record at or after it; censored at the end of the
	// exercise when nobody declared. Not applicable when impact never
	// ended.
	MitigatedNotDeclared Lag `json:"mitigated_not_declared"`
	// StatedTimes are the times players stated (state_time), each beside
	// the ground truth.
	StatedTimes []StatedTime `json:"stated_times"`
	// StatusUpdates is the stakeholder-update cadence over the time an
	// outage record was open at P1/P2.
	StatusUpdates Cadence `json:"status_updates"`
	// WithoutIncidentManager runs from the first outage record at P1/P2 to
	// the first action (other than rating confidence or lessons learned)
	// by someone in the incident_manager role; 0 when one acted before,
	// censored at the end when none ever did. Not applicable without a
	// P1/P2.
	WithoutIncidentManager Lag `json:"without_incident_manager"`
	// Reopened counts the times incident records were reopened (restored,
	// then found not to be).
	Reopened int `json:"reopened"`
}

// Lag is a stretch of time that should be short.
type Lag struct {
	From     time.Duration `json:"from"`
	To       time.Duration `json:"to"`
	Duration time.Duration `json:"duration"`
	// Censored says it never ended: To is the end of the exercise.
	Censored      bool `json:"censored"`
	NotApplicable bool `json:"not_applicable,omitempty"`
	// Seq and By are the event that ended it, and its actor.
	Seq uint64 `json:"seq,omitempty"`
	By  string `json:"by,omitempty"`
}

// FalseResolution is a restoration declared while service was still down.
type FalseResolution struct {
	Seq    uint64        `json:"seq"`
	At     time.Duration `json:"at"`
	By     string        `json:"by"`
	Record string        `json:"record"`
	// Services are the unhealthy services of the records it restored.
	Services []string `json:"services"`
}

// StatedTime is a time a player stated for a milestone beside the truth.
type StatedTime struct {
	Seq       uint64           `json:"seq"`
	At        time.Duration    `json:"at"` // when it was stated
	By        string           `json:"by"`
	Record    string           `json:"record"`
	Milestone engine.Milestone `json:"milestone"`
	Claimed   time.Duration    `json:"claimed"`
	// Truth is t0 for impact_started, detection for detected and the end
	// of customer impact for impact_ended; HasTruth is false when that
	// never happened (or there was no root cause), and Gap is then 0.
	Truth    time.Duration `json:"truth"`
	HasTruth bool          `json:"has_truth"`
	// Gap is Claimed − Truth: negative when the player put it too early.
	Gap time.Duration `json:"gap"`
}

// Cadence is on-time stakeholder updates against those expected. An
// update is due every Every from From (the first outage record at P1/P2)
// until To (when no outage record was open at P1/P2 any more, or the end);
// each due time is met by a status_update since the one before. Expected
// is the number of due times, at least one (a P1/P2 shorter than Every
// still owes one update, met by any update before To).
type Cadence struct {
	Every    time.Duration `json:"every"`
	From     time.Duration `json:"from"`
	To       time.Duration `json:"to"`
	Updates  int           `json:"updates"` // status updates between From and To
	Expected int           `json:"expected"`
	OnTime   int           `json:"on_time"`
	// Ratio is OnTime ÷ Expected, 0 when nothing was expected.
	Ratio float64 `json:"ratio"`
	// NotApplicable: no P1/P2, or the process sets no cadence.
	NotApplicable bool `json:"not_applicable,omitempty"`
}

func (s *scorer) quality() Quality {
	q := Quality{FalseResolutions: []FalseResolution{}, StatedTimes: []StatedTime{}}
	for _, a := range s.v.actions {
		switch a.op {
		case engine.OpDeclareRestored:
			if fr, ok := s.falseResolution(a); ok {
				q.FalseResolutions = append(q.FalseResolutions, fr)
			}
		case engine.OpStateTime:
			q.StatedTimes = append(q.StatedTimes, s.stated(a))
		}
	}
	q.MitigatedNotDeclared = s.undeclared()
	q.StatusUpdates = s.cadence()
	q.WithoutIncidentManager = s.withoutManager()
	for _, r := range s.recs {
		q.Reopened += r.last.Reopened
	}
	return q
}

// healthyBefore reads a service's health in the world at log index idx:
// its last health verdict before it (services start healthy). A log
// recorded before the engine logged the world's verdicts reads the last
// telemetry sample instead; known is false when it has none.
func (s *scorer) healthyBefore(idx int, service string) (healthy, known bool) {
	if len(s.v.health) > 0 {
		healthy = true
		for _, h := range s.v.health {
			if h.idx >= idx {
				break
			}
			if h.Service == service {
				healthy = h.Healthy
			}
		}
		return healthy, true
	}
	i := sort.Search(len(s.v.ticks), func(i int) bool { return s.v.ticks[i].idx > idx })
	if i == 0 {
		return false, false
	}
	for _, x := range s.v.ticks[i-1].samples {
		if x.Service == service {
			return x.Healthy, true
		}
	}
	return false, false
}

func (s *scorer) falseResolution(a actionEvent) (FalseResolution, bool) {
	fr := FalseResolution{Seq: s.log[a.idx].Seq, At: a.at, By: a.actor, Record: a.record, Services: []string{}}
	if fr.Record == "" {
		fr.Record = snapshotNumber(a)
	}
	for _, rc := range a.records {
		inc := rc.Incident
		if inc == nil || inc.Service == "" || contains(fr.Services, inc.Service) {
			continue
		}
		if healthy, known := s.healthyBefore(a.idx, inc.Service); known && !healthy {
			fr.Services = append(fr.Services, inc.Service)
		}
	}
	return fr, len(fr.Services) > 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *scorer) stated(a actionEvent) StatedTime {
	act := s.action(a)
	st := StatedTime{
		Seq: s.log[a.idx].Seq, At: a.at, By: a.actor, Record: a.record,
		Milestone: act.Milestone, Claimed: act.Stated,
	}
	var phase Phase
	switch act.Milestone {
	case engine.MilestoneImpactStarted:
		st.Truth, st.HasTruth = s.res.T0, s.res.HasT0
	case engine.MilestoneDetected:
		phase = PhaseDetect
	case engine.MilestoneImpactEnded:
		phase = PhaseMitigate
	}
	if m, ok := s.res.Measure(phase); ok && !m.Censored && !m.NotApplicable {
		st.Truth, st.HasTruth = m.At, true
	}
	if st.HasTruth {
		st.Gap = st.Claimed - st.Truth
	}
	return st
}

// lag builds a Lag from `from` to the event at idx, or censored at the end.
func (s *scorer) lag(from time.Duration, idx int, ended bool) Lag {
	l := Lag{From: from, To: s.v.end, Censored: !ended}
	if ended {
		e := s.log[idx]
		l.To, l.Seq, l.By = max(e.At, from), e.Seq, e.Actor
	}
	l.Duration = max(0, l.To-from)
	return l
}

func (s *scorer) undeclared() Lag {
	m, ok := s.res.Measure(PhaseMitigate)
	if !ok || m.Censored || m.NotApplicable {
		return Lag{NotApplicable: true}
	}
	for _, a := range s.v.actions {
		if a.at < m.At || (a.op != engine.OpDeclareWorkaround && a.op != engine.OpDeclareRestored) {
			continue
		}
		number := a.record
		if number == "" {
			number = snapshotNumber(a)
		}
		if s.outage(number) {
			return s.lag(m.At, a.idx, true)
		}
	}
	return s.lag(m.At, 0, false)
}

func (s *scorer) withoutManager() Lag {
	first, ok := s.firstHigh(s.policy.Major)
	if !ok {
		return Lag{NotApplicable: true}
	}
	for _, a := range s.v.actions {
		if a.role == engine.RoleIncidentManager && !reflective(a.op) {
			l := s.lag(first.at, a.idx, true)
			l.To = max(first.at, a.at)
			l.Duration = l.To - first.at
			return l
		}
	}
	return s.lag(first.at, 0, false)
}

func (s *scorer) cadence() Cadence {
	c := Cadence{Every: s.policy.StatusEvery}
	first, ok := s.firstHigh(s.policy.Major)
	if !ok || c.Every <= 0 {
		c.NotApplicable = true
		return c
	}
	// The span: from the first P1/P2 until no outage record is open at
	// P1/P2 any more.
	c.From, c.To = first.at, s.v.end
	open := map[string]bool{}
	for _, a := range s.v.actions {
		if a.idx < first.idx {
			continue
		}
		was := len(open) > 0
		for _, rc := range a.records {
			inc := rc.Incident
			if inc == nil || !s.outage(inc.Number) {
				continue
			}
			if counted(*inc) && s.policy.Major(inc.Priority) && inc.Live() {
				open[inc.Number] = true
			} else {
				delete(open, inc.Number)
			}
		}
		switch {
		case was && len(open) == 0:
			c.To = a.at
		case !was && len(open) > 0:
			c.To = s.v.end
		}
	}
	var updates []time.Duration
	for _, a := range s.v.actions {
		if a.op == engine.OpStatusUpdate && a.at >= c.From && a.at <= c.To {
			updates = append(updates, a.at)
		}
	}
	c.Updates = len(updates)
	c.Expected = max(1, int((c.To-c.From)/c.Every))
	for k := 1; k <= c.Expected; k++ {
		lo, hi := c.From+time.Duration(k-1)*c.Every, c.From+time.Duration(k)*c.Every
		if k == 1 {
			lo = c.From - 1 // an update at the very start counts
		}
		for _, u := range updates {
			if u > lo && u <= hi {
				c.OnTime++
				break
			}
		}
	}
	c.Ratio = float64(c.OnTime) / float64(c.Expected)
	return c
}
