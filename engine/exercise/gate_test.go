package exercise

import (
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestTimeGate: a leading "elapsed > N" of a chain of && is a gate the
// condition waits behind; anything else is not.
func TestTimeGate(t *testing.T) {
	tests := []struct {
		src  string
		want gate
		ok   bool
	}{
		{"elapsed > 1320 && !identified", gate{at: 22 * time.Minute}, true},
		{"elapsed >= 60", gate{at: time.Minute, inclusive: true}, true},
		{"(elapsed > 60) && (mitigated && elapsed > 120)", gate{at: 2 * time.Minute}, true},
		{"!identified && elapsed > 30", gate{at: 30 * time.Second}, true},
		{"elapsed > 60 || mitigated", gate{}, false},
		{"elapsed < 60", gate{}, false},
		{"pages > 60", gate{}, false},
	}
	for _, tt := range tests {
		e, diags := hclsyntax.ParseExpression([]byte(tt.src), "t", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		g, ok := timeGate(e)
		if ok != tt.ok || g != tt.want {
			t.Errorf("%s: gate %+v %v, want %+v %v", tt.src, g, ok, tt.want, tt.ok)
		}
	}
}
