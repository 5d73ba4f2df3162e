package score

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

func TestPenalties(t *testing.T) {
	type pen struct {
		kind    PenaltyKind
		subject string
		at      time.Duration
		actor   string
	}
	fac := engine.RoleFacilitator
	tests := []struct {
		name  string
		story story
		want  []pen
	}{
		{name: "a clean run", story: proxyOutage()},
		{
			// Ten minutes after restoration is not long enough to owe a close.
			name: "restored too late to close",
			story: story{end: mins(44), outages: proxyOutage().outages, events: []engine.Event{
				create(mins(10), inc("INC0001", "claims-api", 1, engine.StateInProgress)), restored(mins(34), "claims-api"),
			}},
		},
		{
			name: "harm, named by its remedy and blamed on who started it",
			story: proxyOutage(
				remedy(mins(20), "restart-claims", "claims-api", "started", "raj", ""),
				world(mins(24), changeHarm, "", "claims-api", false),
				remedy(mins(24), "restart-claims", "claims-api", "completed", "", "errors rise"),
			),
			want: []pen{{HarmfulRemedy, "restart-claims", mins(24), "raj"}},
		},
		{
			name:  "harm the log does not name",
			story: proxyOutage(world(mins(24), changeHarm, "", "claims-api", false)),
			want:  []pen{{HarmfulRemedy, "claims-api", mins(24), ""}},
		},
		{
			// network owns the proxy (root cause), claims owns claims-api
			// (impacted); pharmacy and platform own nothing impacted. A
			// person counts for their groups (raj is in claims and
			// pharmacy). A facilitator's page is outside the fiction.
			name: "pages",
			story: proxyOutage(
				pageAct(mins(10), "ana", "network", "", ""),
				pageAct(mins(11), "ana", "claims", "", ""),
				pageAct(mins(12), "ana", "pharmacy", "", ""),
				pageAct(mins(13), "ana", "", "raj", ""),
				pageAct(mins(14), "ana", "", "lena", ""),
				pageAct(mins(15), "ana", "platform", "", "traffic"),
				pageAct(mins(16), "ana", "platform", "", "proxy"),
				act(mins(17), "fay", fac, engine.Action{Op: engine.OpPage, Group: "platform"}),
			),
			want: []pen{{WrongPage, "pharmacy", mins(12), "ana"}, {WrongPage, "lena", mins(14), "ana"}, {WrongPage, "platform", mins(16), "ana"}},
		},
		{
			name:  "no page is wrong when nothing was impacted",
			story: story{end: mins(30), events: []engine.Event{pageAct(mins(10), "ana", "platform", "", "")}},
		},
		{
			name: "war rooms and claims",
			story: proxyOutage(
				act(mins(15), "pat", cc, op(engine.OpOpenWarRoom, "INC0001"), warRoom("WR01", "INC0001", "")),
				act(mins(17), "raj", tech, op(engine.OpOpenWarRoom, "INC0002"), warRoom("WR02", "INC0002", "WR01")),
				claim(mins(18), false), claim(mins(19), false), claim(mins(25), true),
			),
			want: []pen{{DuplicateWarRoom, "WR02", mins(17), "raj"}, {WrongRootCause, "egress-proxy", mins(18), "kim"}, {WrongRootCause, "egress-proxy", mins(19), "kim"}},
		},
		{
			// Open at the end: the live incident, wherever it was last
			// touched; not the request, the merged or the closed one.
			// INC0001 could close once claims-api was restored, INC0005
			// once it was declared restored.
			name: "records left open",
			story: proxyOutage(
				restored(mins(34), "claims-api"),
				create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)),
				act(mins(20), "raj", tech, op(engine.OpAcknowledge, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateInProgress)),
				create(mins(11), class(inc("INC0002", "claims-api", 4, engine.StateNew), engine.ClassServiceRequest)),
				create(mins(12), inc("INC0003", "claims-api", 1, engine.StateMerged)),
				create(mins(13), inc("INC0004", "pharmacy-api", 3, engine.StateClosed)),
				create(mins(14), inc("INC0005", "pharmacy-api", 3, engine.StateRestored)),
			),
			want: []pen{{OpenRecord, "INC0001", mins(20), "raj"}, {OpenRecord, "INC0005", mins(14), "sam"}},
		},
	}
	points := map[PenaltyKind]float64{
		HarmfulRemedy: PenaltyHarmfulRemedy, DuplicateWarRoom: PenaltyDuplicateWarRoom, WrongPage: PenaltyWrongPage,
		WrongRootCause: PenaltyWrongRootCause, OpenRecord: PenaltyOpenRecord,
	}
	dims := map[PenaltyKind]scenario.Dimension{
		HarmfulRemedy: scenario.DimRecovery, DuplicateWarRoom: scenario.DimCoordination, WrongPage: scenario.DimCoordination,
		WrongRootCause: scenario.DimTriage, OpenRecord: scenario.DimProcess,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := tt.story.log()
			got := mustScore(t, drill(t), log).Penalties
			if len(got) != len(tt.want) {
				t.Fatalf("penalties = %+v\nwant %+v", got, tt.want)
			}
			for i, p := range got {
				w := tt.want[i]
				if p.Kind != w.kind || p.Subject != w.subject || p.Evidence.At != w.at || p.Evidence.Actor != w.actor ||
					p.Points != points[w.kind] || p.Dimension != dims[w.kind] || p.Detail == "" {
					t.Errorf("penalty %d = %+v; want %+v", i, p, w)
				}
				if e := log[p.Evidence.Seq-1]; e.Seq != p.Evidence.Seq || e.At != p.Evidence.At {
					t.Errorf("penalty %d points at event %d, which is at %v", i, p.Evidence.Seq, e.At)
				}
			}
		})
	}
}
