package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), &env{stdout: &out, stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

func TestValidateLibrary(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.hcl")
	if err != nil || len(files) < 5 {
		t.Fatalf("want at least five built-in scenarios, found %d (%v)", len(files), err)
	}
	code, out, errOut := runCLI(t, append([]string{"validate"}, files...)...)
	if code != 0 || out != "" || errOut != "" {
		t.Fatalf("validate library: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

func TestValidateBadFile(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", "../../engine/scenario/testdata/error/cycle.hcl")
	if code != exitFailure {
		t.Fatalf("exit %d, want %d", code, exitFailure)
	}
	if out != "" {
		t.Errorf("diagnostics belong on stderr, got stdout %q", out)
	}
	for _, want := range []string{"Error: Dependency cycle", "cycle.hcl line 19", "web → api → db → web"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Setenv(envAdminToken, "") // serve beyond loopback must find none
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"validate"}, exitUsage, "name at least one scenario file"},
		{[]string{"brief"}, exitUsage, "name one scenario"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"serve", "--conns-per-code", "0"}, exitUsage, "--conns-per-code must be at least 1"},
		{[]string{"serve", "--max-exercises", "0"}, exitUsage, "--max-exercises must be at least 1"},
		{[]string{"serve", "--max-text-bytes", "lots"}, exitUsage, "want a size such as 4096, 64KiB or 16MiB"},
		{[]string{"serve", "--log-format", "xml"}, exitUsage, "use text or json"},
		{[]string{"serve", "--log-level", "loud"}, exitUsage, "use debug, info, warn or error"},
		{[]string{"serve", "--addr", "0.0.0.0:0", "--db", ":memory:"}, exitFailure, "needs an admin token"},
		{[]string{"brief", "no-such-scenario"}, exitFailure, "Unknown scenario"},
		{[]string{"validate", "missing.hcl"}, exitFailure, "Cannot read scenario file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestScenariosList(t *testing.T) {
	code, out, errOut := runCLI(t, "scenarios")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "egress-proxy-saturation") || !strings.HasPrefix(out, "NAME") {
		t.Fatalf("listing lacks the egress scenario:\n%s", out)
	}
}
