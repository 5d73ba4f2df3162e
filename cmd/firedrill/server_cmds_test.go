package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/server"
)

// TestServeAndStart runs serve in-process on a loopback port, creates an
// exercise with start, and checks the codes it prints.
func TestServeAndStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, ln, filepath.Join(t.TempDir(), "fd.db"), server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
			func(url string) { ready <- url })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	code, out, errOut := runCLI(t, "start", "vendor-api-change", "--server", url, "--humans", "service-desk,incident-manager", "--speed", "5")
	if code != 0 {
		t.Fatalf("start: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"facilitator", "observer", "service-desk", "incident-manager", "Authorization: Bearer"} {
		if !strings.Contains(out, want) {
			t.Errorf("start output lacks %q:\n%s", want, out)
		}
	}
	code, _, errOut = runCLI(t, "start", "vendor-api-change", "--server", url, "--humans", "nobody")
	if code == 0 || !strings.Contains(errOut, `no seat "nobody"`) {
		t.Fatalf("unknown seat: exit %d, %s", code, errOut)
	}
}
