package scenario

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// errorMarker is how a fixture states the diagnostic it expects on a line:
// "# ERROR col=N: Summary".
var errorMarker = regexp.MustCompile(`# ERROR col=(\d+): (.+)$`)

type wantDiag struct {
	line, col int
	summary   string
}

func (w wantDiag) String() string { return fmt.Sprintf("%d:%d %s", w.line, w.col, w.summary) }

func markers(t *testing.T, path string) []wantDiag {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	var want []wantDiag
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if m := errorMarker.FindStringSubmatch(sc.Text()); m != nil {
			col, _ := strconv.Atoi(m[1])
			want = append(want, wantDiag{line, col, m[2]})
		}
	}
	return want
}

func sortDiags(ds []wantDiag) {
	sort.Slice(ds, func(i, j int) bool {
		if ds[i].line != ds[j].line {
			return ds[i].line < ds[j].line
		}
		return ds[i].col < ds[j].col
	})
}

// TestErrorFixtures loads every bad fixture and compares the diagnostics,
// by line, column and summary, with the markers written next to the lines.
func TestErrorFixtures(t *testing.T) {
	paths, err := filepath.Glob("testdata/error/*.hcl")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no error fixtures: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			want := markers(t, path)
			if len(want) == 0 {
				t.Fatalf("%s has no # ERROR markers", path)
			}
			sc, diags := NewLoader().LoadFile(path)
			if sc != nil {
				t.Errorf("a scenario with errors was returned")
			}
			var got []wantDiag
			for _, d := range diags {
				if d.Subject == nil {
					t.Errorf("diagnostic without a source range: %s", d.Summary)
					continue
				}
				if d.Detail == "" {
					t.Errorf("%s: %q has no detail saying how to fix it", d.Subject, d.Summary)
				}
				got = append(got, wantDiag{d.Subject.Start.Line, d.Subject.Start.Column, d.Summary})
			}
			sortDiags(got)
			sortDiags(want)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("diagnostics differ\n got: %v\nwant: %v", got, want)
			}
		})
	}
}

func TestValidFixtures(t *testing.T) {
	paths, _ := filepath.Glob("testdata/valid/*.hcl")
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			sc, diags := NewLoader().LoadFile(path)
			if len(diags) > 0 || sc == nil {
				t.Fatalf("want no diagnostics, got %v", diags)
			}
		})
	}
}

func TestDecodeSmall(t *testing.T) {
	sc, diags := NewLoader().LoadFile("testdata/valid/small.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"duration", sc.Duration.String(), "1h0m0s"},
		{"seed", sc.Seed, uint64(7)},
		{"start clock", sc.StartClock.String(), "14h0m0s"},
		{"dependency", fmt.Sprint(sc.Service("checkout").DependsOn), "[{service.db 0.9}]"},
		{"alert metric", sc.Alert("checkout-errors").Metric, MetricErrorRate},
		{"alert threshold", sc.Alert("checkout-errors").Threshold, 0.05},
		{"alert for", sc.Alert("checkout-errors").For.String(), "2m0s"},
		{"runbook step applies", sc.Runbook("rollback").Steps[1].Applies.String(), "remedy.rollback"},
		{"harmful default spike", sc.Remedy("restart").Spike, 0.3},
		{"inject audience", len(sc.Inject("vp").To.Refs), 2},
		{"everyone", sc.Inject("follow-up").To.Everyone, true},
		{"conditional inject", sc.Inject("vp").When != nil, true},
		{"decision default", sc.Decision("comms").Default, "wait"},
		{"option triggers", sc.Decision("comms").Options[1].Triggers[0].String(), "inject.follow-up"},
		{"process override", fmt.Sprint(sc.Process.WarRoomFor), "[1]"},
		{"process default kept", fmt.Sprint(sc.Process.ProblemFor), "[1]"},
		{"people", fmt.Sprint(sc.People()), "[ana raj kim]"},
		{"service owner defaults to group owner", sc.ServiceOwner(sc.Service("checkout")), "ana"},
		{"condition source", sc.SourceText(sc.Inject("vp").When.Range()), "elapsed > minutes(20) && !restored"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestDecodeOutages reads the attributes that shape how a fault behaves
// over time and what it takes down.
func TestDecodeOutages(t *testing.T) {
	sc, diags := NewLoader().LoadFile("testdata/valid/outages.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"recovers over", sc.Fault("pool-exhausted").RecoversOver.String(), "4m0s"},
		{"reductions", fmt.Sprint(sc.Fault("pool-exhausted").ReducedBy), "[{remedy.shed-load 0.5} {remedy.add-replica 0.9}]"},
		{"no reductions", len(sc.Fault("metrics-backlog").ReducedBy), 0},
		{"tools down", fmt.Sprint(sc.Fault("metrics-backlog").ToolsDown), "[telemetry traffic]"},
		{"started by a condition", sc.SourceText(sc.Fault("metrics-backlog").When.Range()), "alert.db-errors.firing"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestDiagnosticText checks what a person sees: file, line and column, the
// source line and the summary, in HCL's own format.
func TestDiagnosticText(t *testing.T) {
	l := NewLoader()
	_, diags := l.LoadFile("testdata/error/refs.hcl")
	var buf bytes.Buffer
	if err := l.WriteDiagnostics(&buf, diags, 100, false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Error: Reference to undeclared group",
		"on testdata/error/refs.hcl line 10",
		`group          = group.apps # ERROR`,
		`No group named "apps" is declared in this scenario. Declared: app. Did you mean "app"?`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diagnostic text lacks %q:\n%s", want, out)
		}
	}
}

func TestResolve(t *testing.T) {
	lib := os.DirFS("testdata/valid")
	if sc, diags := NewLoader().Resolve("small", lib); diags.HasErrors() || sc.Name != "small" {
		t.Fatalf("resolve by name: %v", diags)
	}
	_, diags := NewLoader().Resolve("smal", lib)
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, `Did you mean "small"?`) {
		t.Fatalf("unknown name: want a suggestion, got %v", diags)
	}
	if _, diags := NewLoader().Resolve("testdata/valid/small.hcl", lib); diags.HasErrors() {
		t.Fatalf("resolve by path: %v", diags)
	}
}

func FuzzLoad(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.hcl")
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sc, diags := NewLoader().Load("fuzz.hcl", src)
		if sc == nil && !diags.HasErrors() {
			t.Fatalf("no scenario and no error")
		}
		for _, d := range diags {
			if d.Severity == hcl.DiagError && d.Summary == "" {
				t.Fatalf("error without a summary")
			}
		}
	})
}

// TestConditionsFolded: a function call that reads nothing of the exercise
// is worked out once, at load, and the condition means the same.
func TestConditionsFolded(t *testing.T) {
	src := []byte(`scenario "f" {
  title    = "Folded"
  duration = "60m"
  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  service "api" {
    group = group.app
  }
  inject "late" {
    when    = elapsed > minutes(22) && pages >= max(1, 2)
    to      = everyone
    channel = "chat"
    text    = "late"
  }
}`)
	sc, diags := NewLoader().Load("f.hcl", src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	and, ok := sc.Injects[0].When.(*hclsyntax.BinaryOpExpr)
	if !ok {
		t.Fatalf("when is a %T", sc.Injects[0].When)
	}
	lhs := and.LHS.(*hclsyntax.BinaryOpExpr)
	rhs := and.RHS.(*hclsyntax.BinaryOpExpr)
	for _, e := range []hclsyntax.Expression{lhs.RHS, rhs.RHS} {
		if _, folded := e.(*hclsyntax.LiteralValueExpr); !folded {
			t.Errorf("%T not folded", e)
		}
	}
	for _, tt := range []struct {
		elapsed, pages int64
		want           bool
	}{{1320, 5, false}, {1321, 1, false}, {1321, 2, true}} {
		ctx := &hcl.EvalContext{Functions: Functions(), Variables: map[string]cty.Value{
			"elapsed": cty.NumberIntVal(tt.elapsed), "pages": cty.NumberIntVal(tt.pages)}}
		v, d := sc.Injects[0].When.Value(ctx)
		if d.HasErrors() || v.True() != tt.want {
			t.Errorf("elapsed %d, pages %d: %v %v, want %v", tt.elapsed, tt.pages, v, d, tt.want)
		}
	}
}
