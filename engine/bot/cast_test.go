package bot

import (
	"slices"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

func TestCast(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	seat := func(name string, role engine.Role) string { return string(role) + ":" + name }
	for _, tc := range []struct {
		name   string
		humans []engine.Seat
		want   []string // seats that must be there
		absent []string // seats that must not
		total  int
	}{
		{
			name: "simulation fills every seat",
			want: []string{
				seat(engine.SeatServiceDesk, engine.RoleServiceDesk), seat(engine.SeatIncidentManager, engine.RoleIncidentManager),
				seat(engine.SeatCommandCenter, engine.RoleCommandCenter), seat("kim", engine.RoleTechnician),
				seat("kim", engine.RoleGroupOwner), seat("kim", engine.RoleServiceOwner), seat("hank", engine.RoleTechnician),
			},
			absent: []string{seat("hank", engine.RoleGroupOwner)},
			// 3 cross-group seats, 16 members, 6 group owners, 5 service owners.
			total: 3 + 16 + 6 + 5,
		},
		{
			name:   "a human incident manager takes that seat",
			humans: []engine.Seat{{Name: engine.SeatIncidentManager, Role: engine.RoleIncidentManager}},
			absent: []string{seat(engine.SeatIncidentManager, engine.RoleIncidentManager)},
			total:  3 + 16 + 6 + 5 - 1,
		},
		{
			name:   "a human playing kim takes all of kim's seats",
			humans: []engine.Seat{{Name: "kim", Role: engine.RoleTechnician}},
			absent: []string{seat("kim", engine.RoleTechnician), seat("kim", engine.RoleGroupOwner), seat("kim", engine.RoleServiceOwner)},
			total:  3 + 16 + 6 + 5 - 3,
		},
		{
			name:   "facilitators and observers hold no seat",
			humans: []engine.Seat{{Name: "fran", Role: engine.RoleFacilitator}, {Name: "kim", Role: engine.RoleObserver}},
			want:   []string{seat("kim", engine.RoleTechnician)},
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
	if cast[0].Name != engine.SeatServiceDesk || cast[1].Name != engine.SeatIncidentManager || cast[2].Name != engine.SeatCommandCenter {
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
