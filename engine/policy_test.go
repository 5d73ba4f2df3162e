package engine

import (
	"testing"
)

func TestPolicy(t *testing.T) {
	p := DefaultPolicy()
	if p.Priority("huge", LevelHigh) != 4 {
		t.Error("unknown levels must give P4")
	}
	tests := []struct {
		pr   Priority
		why  []ProblemReason
		want bool
	}{
		{1, nil, true},
		{2, nil, false},
		{2, []ProblemReason{CausedByChange}, true},
		{2, []ProblemReason{CriticalService}, true},
		{3, []ProblemReason{CausedByChange}, false},
	}
	for _, tt := range tests {
		if got := p.NeedsProblem(tt.pr, tt.why...); got != tt.want {
			t.Errorf("NeedsProblem(P%d, %v) = %v", tt.pr, tt.why, got)
		}
	}
	if !p.NeedsWarRoom(2) || p.NeedsWarRoom(3) || !p.Major(2) || p.Major(3) || p.Majors() != "P1 and P2" {
		t.Error("default war-room policy is P1/P2")
	}
}
