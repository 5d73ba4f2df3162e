package engine

// Access answers what a redaction cannot read off an event: which services'
// dashboards a viewer may watch. The exercise answers it from the policy
// table (query_telemetry's scope), so telemetry reaches exactly the people
// who could query it.
type Access interface {
	MayWatch(v Viewer, service string) bool
}

// kind is what the engine knows of an event kind: the payload it carries
// and what a participant (a player or an observer) receives of it.
// Facilitators receive every event whole.
type kind struct {
	payload func() any
	// shown is the participant's copy of an event they are in the audience
	// of, or false when they receive none: ground truth never reaches a
	// participant, whatever its audience says.
	shown func(e Event, v Viewer, acc Access) (Event, bool)
}

// kindOf is the one place that says, for every kind, its payload and its
// redaction. A kind missing here cannot be decoded or shown.
func kindOf(k Kind) (kind, bool) {
	switch k {
	case KindStarted:
		return kind{func() any { return new(StartedData) }, whole}, true
	case KindEnded:
		return kind{func() any { return new(EndedData) }, whole}, true
	case KindControl:
		return kind{func() any { return new(ControlData) }, whole}, true
	case KindInject:
		return kind{func() any { return new(InjectData) }, withoutScoring}, true
	case KindOffered:
		return kind{func() any { return new(DecisionData) }, whole}, true
	case KindAnswered:
		return kind{func() any { return new(AnswerData) }, withoutScoring}, true
	case KindAlertFired, KindAlertResolved:
		return kind{func() any { return new(AlertData) }, whole}, true
	case KindPage, KindPageAcked, KindPageEscalated, KindPageSilenced, KindPageAttached:
		return kind{func() any { return new(PageData) }, whole}, true
	case KindAction:
		return kind{func() any { return new(ActionData) }, whole}, true
	case KindRefused:
		return kind{func() any { return new(RefusedData) }, whole}, true
	case KindChat:
		return kind{func() any { return new(ChatData) }, whole}, true
	case KindResult:
		return kind{func() any { return new(ResultData) }, whole}, true
	case KindVendor:
		return kind{func() any { return new(VendorData) }, whole}, true
	case KindBriefing:
		return kind{func() any { return new(BriefingData) }, whole}, true
	case KindRemedy:
		return kind{func() any { return new(RemedyData) }, withoutScoring}, true
	case KindTelemetry:
		return kind{func() any { return new(TelemetryData) }, watchable}, true
	case KindToolDown, KindToolUp:
		return kind{func() any { return new(ToolData) }, withoutCause}, true
	case KindWorld:
		return kind{func() any { return new(WorldData) }, truth}, true
	case KindFaultReduced:
		return kind{func() any { return new(ReducedData) }, truth}, true
	case KindRootClaim:
		return kind{func() any { return new(RootClaimData) }, truth}, true
	case KindExpectMet:
		return kind{func() any { return new(ExpectData) }, truth}, true
	case KindRestored, KindImpactOver, KindImpacted, KindImpactResumed, KindMitigated, KindRestorationLost:
		return kind{func() any { return new(ServiceData) }, truth}, true
	case KindHealth:
		return kind{func() any { return new(HealthData) }, truth}, true
	case KindValidated:
		return kind{func() any { return new(ValidationData) }, truth}, true
	}
	return kind{}, false
}

// Kinds lists every event kind, for tests that must cover them all.
func Kinds() []Kind {
	return []Kind{
		KindStarted, KindEnded, KindControl, KindInject, KindOffered, KindAnswered,
		KindAlertFired, KindAlertResolved, KindPage, KindPageAcked, KindPageEscalated, KindPageSilenced, KindPageAttached,
		KindAction, KindRefused, KindChat, KindResult, KindVendor, KindBriefing, KindRemedy, KindTelemetry, KindToolDown, KindToolUp,
		KindWorld, KindFaultReduced, KindRootClaim, KindExpectMet, KindRestored, KindImpactOver, KindImpacted, KindImpactResumed, KindValidated,
		KindMitigated, KindRestorationLost, KindHealth,
	}
}

// For is the one redaction: what viewer v receives of e, or false when v
// receives nothing of it. The facilitator receives every event whole;
// players and observers receive the events whose audience includes them,
// without the scoring fields (an inject's ground truth, an option's score,
// which faults a remedy touched), only the telemetry of the services they
// may watch, and never ground truth. acc may be nil when the log has no
// telemetry to filter; telemetry then reaches facilitators only.
func (e Event) For(v Viewer, acc Access) (Event, bool) {
	if !e.To.Sees(v) {
		return Event{}, false
	}
	if v.Role == RoleFacilitator {
		return e, true
	}
	k, ok := kindOf(e.Kind)
	if !ok {
		return Event{}, false
	}
	return k.shown(e, v, acc)
}

func whole(e Event, _ Viewer, _ Access) (Event, bool) { return e, true }

func truth(Event, Viewer, Access) (Event, bool) { return Event{}, false }

// withoutScoring strips the fields that say how a move will be scored.
func withoutScoring(e Event, _ Viewer, _ Access) (Event, bool) {
	switch d := e.Data.(type) {
	case InjectData:
		d.Record, d.About = "", ""
		e.Data = d
	case AnswerData:
		d.Score = 0
		e.Data = d
	case RemedyData:
		d.Mitigated, d.Fixed, d.Reduced = nil, nil, nil
		e.Data = d
	}
	return e, true
}

// withoutCause strips the ground truth of a tool outage: which fault it is.
func withoutCause(e Event, _ Viewer, _ Access) (Event, bool) {
	if d, ok := e.Data.(ToolData); ok {
		d.Fault = ""
		e.Data = d
	}
	return e, true
}

// watchable keeps the services whose dashboards v may watch.
func watchable(e Event, v Viewer, acc Access) (Event, bool) {
	d, ok := e.Data.(TelemetryData)
	if !ok || acc == nil {
		return Event{}, false
	}
	var mine []ServiceSample
	for _, s := range d.Services {
		if acc.MayWatch(v, s.Service) {
			s.Impacted = false // ground truth: whether a fault touches it
			mine = append(mine, s)
		}
	}
	if len(mine) == 0 {
		return Event{}, false
	}
	e.Data = TelemetryData{Services: mine}
	return e, true
}
