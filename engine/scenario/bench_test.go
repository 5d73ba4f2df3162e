package scenario

import (
	"bytes"
	"fmt"
	"io/fs"
	"testing"

	"github.com/firedrill/firedrill/scenarios"
)

// generated writes a valid scenario of about `lines` lines: groups,
// rotations, a chain of services with alerts, faults, remedies and injects.
func generated(lines int) []byte {
	var b bytes.Buffer
	fmt.Fprintln(&b, `scenario "generated" {`)
	fmt.Fprintln(&b, `  title    = "Generated load-test scenario"`)
	fmt.Fprintln(&b, `  duration = "8h"`)
	fmt.Fprintln(&b, `  group "ops" {`)
	fmt.Fprintln(&b, `    members = ["ana", "raj", "kim"]`)
	fmt.Fprintln(&b, `    owner   = "ana"`)
	fmt.Fprintln(&b, `  }`)
	fmt.Fprintln(&b, `  rotation "ops-primary" {`)
	fmt.Fprintln(&b, `    group          = group.ops`)
	fmt.Fprintln(&b, `    shift          = "12h"`)
	fmt.Fprintln(&b, `    escalate_after = "10m"`)
	fmt.Fprintln(&b, `  }`)
	for i := 0; bytes.Count(b.Bytes(), []byte("\n")) < lines-1; i++ {
		fmt.Fprintf(&b, "  service \"svc-%d\" {\n    group      = group.ops\n    rps        = %d\n    error_rate = 0.001\n", i, 100+i)
		if i > 0 {
			fmt.Fprintf(&b, "    depends_on = { (service.svc-%d) = 0.5 }\n", i-1)
		}
		fmt.Fprintln(&b, "  }")
		fmt.Fprintf(&b, "  alert \"svc-%d-errors\" {\n    service   = service.svc-%d\n    condition = error_rate > 0.05\n    for       = \"2m\"\n    page      = rotation.ops-primary\n  }\n", i, i)
		fmt.Fprintf(&b, "  remedy \"fix-%d\" {\n    service = service.svc-%d\n    takes   = \"3m\"\n  }\n", i, i)
		fmt.Fprintf(&b, "  fault \"f-%d\" {\n    service    = service.svc-%d\n    start      = \"%dm\"\n    error_rate = 0.2\n    cause      = \"generated\"\n    root_cause = true\n    fixed_by   = [remedy.fix-%d]\n  }\n", i, i, 5+i%400, i)
		fmt.Fprintf(&b, "  inject \"i-%d\" {\n    when    = elapsed > minutes(%d) && !service.svc-%d.healthy\n    to      = [role.service_desk, group.ops]\n    channel = \"phone\"\n    text    = \"Caller %d reports errors.\"\n  }\n", i, i%400, i, i)
	}
	fmt.Fprintln(&b, "}")
	return b.Bytes()
}

func TestGeneratedScenarioIsValid(t *testing.T) {
	src := generated(5000)
	if n := bytes.Count(src, []byte("\n")); n < 5000 {
		t.Fatalf("generated %d lines, want 5000", n)
	}
	sc, diags := NewLoader().Load("generated.hcl", src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(sc.Services) < 100 {
		t.Fatalf("only %d services", len(sc.Services))
	}
}

// BenchmarkLoadGenerated5000 loads and validates a 5,000-line scenario.
func BenchmarkLoadGenerated5000(b *testing.B) {
	src := generated(5000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, diags := NewLoader().Load("generated.hcl", src); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkLoadLibrary loads and validates every built-in scenario.
func BenchmarkLoadLibrary(b *testing.B) {
	names, err := LibraryNames(scenarios.Files)
	if err != nil || len(names) == 0 {
		b.Fatalf("library: %v", err)
	}
	srcs := make([][]byte, len(names))
	for i, n := range names {
		srcs[i], _ = fs.ReadFile(scenarios.Files, n+".hcl")
	}
	for b.Loop() {
		for i, src := range srcs {
			if _, diags := NewLoader().Load(names[i]+".hcl", src); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	}
}
