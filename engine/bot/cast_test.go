package bot

import (
	"slices"
	"testing"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
)

func TestCast(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	seat := func(name string, role incident.Role) string { return string(role) + ":" + name }
	for _, tc := range []struct {
		name   string
		humans []engine.Actor
		want   []string // seats that must be there
		absent []string // seats that must not
		total  int
	}{
		{
			name: "simulation fills every seat",
			want: []string{
				seat(ServiceDeskName, incident.RoleServiceDesk), seat(IncidentManagerName, incident.RoleIncidentManager),
				seat(CommandCenterName, incident.RoleCommandCenter), seat("kim", incident.RoleTechnician),
				seat("kim", incident.RoleGroupOwner), seat("kim", incident.RoleServiceOwner), seat("hank", incident.RoleTechnician),
			},
			absent: []string{seat("hank", incident.RoleGroupOwner)},
			// 3 cross-group seats, 16 members, 6 group owners, 5 service owners.
			total: 3 + 16 + 6 + 5,
		},
		{
			name:   "a human incident manager takes that seat",
			humans: []engine.Actor{{Name: "alex", Role: incident.RoleIncidentManager}},
			absent: []string{seat(IncidentManagerName, incident.RoleIncidentManager)},
			total:  3 + 16 + 6 + 5 - 1,
		},
		{
			name:   "a human playing kim takes all of kim's seats",
			humans: []engine.Actor{{Name: "kim", Role: incident.RoleTechnician}},
			absent: []string{seat("kim", incident.RoleTechnician), seat("kim", incident.RoleGroupOwner), seat("kim", incident.RoleServiceOwner)},
			total:  3 + 16 + 6 + 5 - 3,
		},
		{
			name:   "facilitators and observers hold no seat",
			humans: []engine.Actor{{Name: "fran", Role: incident.RoleFacilitator}, {Name: "kim", Role: incident.RoleObserver}},
			want:   []string{seat("kim", incident.RoleTechnician)},
			total:  3 + 16 + 6 + 5,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cast := Cast(sc, tc.humans)
			var seats []string
			for _, v := range cast {
				s := seat(v.Name, v.Role)
				if slices.Contains(seats, s) {
					t.Errorf("seat %s cast twice", s)
				}
				seats = append(seats, s)
			}
			for _, w := range tc.want {
				if !slices.Contains(seats, w) {
					t.Errorf("no seat %s in %v", w, seats)
				}
			}
			for _, a := range tc.absent {
				if slices.Contains(seats, a) {
					t.Errorf("seat %s should not be cast", a)
				}
			}
			if len(cast) != tc.total {
				t.Errorf("%d seats, want %d", len(cast), tc.total)
			}
		})
	}
}

func TestCastGroupsAndOrder(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	cast := Cast(sc, nil)
	if cast[0].Name != ServiceDeskName || cast[1].Name != IncidentManagerName || cast[2].Name != CommandCenterName {
		t.Fatalf("cross-group seats first, got %v", cast[:3])
	}
	for _, v := range cast[:3] {
		if len(v.Groups) != 0 {
			t.Errorf("%s belongs to groups %v; the cross-group seats belong to none", v.Name, v.Groups)
		}
	}
	for _, v := range cast[3:] {
		if len(v.Groups) == 0 {
			t.Errorf("%s (%s) has no groups", v.Name, v.Role)
		}
		for _, g := range v.Groups {
			if !slices.Contains(sc.Group(g).Members, v.Name) {
				t.Errorf("%s is cast in %s but is not a member", v.Name, g)
			}
		}
	}
	if a, b := Cast(sc, nil), Cast(sc, nil); !slices.EqualFunc(a, b, func(x, y engine.Viewer) bool {
		return x.Name == y.Name && x.Role == y.Role && slices.Equal(x.Groups, y.Groups)
	}) {
		t.Error("Cast is not stable")
	}
}
