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
		done <- serve(ctx, ln, filepath.Join(t.TempDir(), "fd.db"), server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, serveOptions{},
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

// TestServeHelpHidesSecrets: a token or a DSN in the environment never
// shows in --help, which prints each flag's default.
func TestServeHelpHidesSecrets(t *testing.T) {
	t.Setenv(envAdminToken, "s3cret-token")
	t.Setenv(envDB, "postgres://firedrill:s3cret-password@db.example/firedrill")
	for _, cmd := range []string{"serve", "start"} {
		_, out, errOut := runCLI(t, cmd, "--help")
		if strings.Contains(out+errOut, "s3cret") {
			t.Errorf("%s --help prints a secret from the environment:\n%s", cmd, errOut)
		}
		if !strings.Contains(errOut, "$"+envAdminToken) {
			t.Errorf("%s --help does not name $%s:\n%s", cmd, envAdminToken, errOut)
		}
	}
}

func TestRedactDSN(t *testing.T) {
	tests := map[string]string{
		"postgres://fd:pw@db:5432/fd?sslmode=require": "postgres://fd:xxxxx@db:5432/fd?sslmode=require",
		"postgres://fd@db/fd":                         "postgres://fd@db/fd",
		"firedrill.db":                                "firedrill.db",
		"file:x.db?_pragma=cache_size(-4000)":         "file:x.db?_pragma=cache_size(-4000)",
	}
	for in, want := range tests {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"4096", 4096, true}, {"4KiB", 4096, true}, {"16mib", 16 << 20, true}, {"1GiB", 1 << 30, true},
		{"0", 0, false}, {"-1", 0, false}, {"4KB", 0, false}, {"2GiB", 0, false}, {"KiB", 0, false},
	}
	for _, tt := range tests {
		var b byteSize
		err := b.Set(tt.in)
		if (err == nil) != tt.ok || tt.ok && int(b) != tt.want {
			t.Errorf("Set(%q) = %d, %v; want %d, ok %v", tt.in, int(b), err, tt.want, tt.ok)
		}
	}
	for _, n := range []int{4 << 10, 1 << 20, 1000} {
		b := byteSize(n)
		var back byteSize
		if err := back.Set(b.String()); err != nil || back != b {
			t.Errorf("%d prints as %q, which reads back as %d (%v)", n, b.String(), back, err)
		}
	}
}
