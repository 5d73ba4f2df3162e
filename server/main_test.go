package server

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The firedrill binary, built once for the tests that run it as a child.
var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
	buildOut  []byte
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// firedrillBinary builds cmd/firedrill once per test run and returns its
// path.
func firedrillBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "firedrill-test-"); buildErr != nil {
			return
		}
		buildOut, buildErr = exec.Command("go", "build", "-o", filepath.Join(buildDir, "firedrill"), "../cmd/firedrill").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build firedrill: %v\n%s", buildErr, buildOut)
	}
	return filepath.Join(buildDir, "firedrill")
}
