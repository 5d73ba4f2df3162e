package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/firedrill/firedrill/server"
	"github.com/firedrill/firedrill/server/store"
)

// shutdownGrace is how long serve waits for exercises to drain on a signal.
const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", "127.0.0.1:7400", "address to listen on")
	db := fs.String("db", "firedrill.db", "store: a SQLite file, or postgres://… to share exercises between servers")
	origins := fs.String("origins", "", "comma-separated browser origins allowed besides the server's own")
	token := fs.String("admin-token", os.Getenv("FIREDRILL_ADMIN_TOKEN"), "token required to create exercises (default $FIREDRILL_ADMIN_TOKEN; none: anyone who reaches the server)")
	connsPerCode := fs.Int("conns-per-code", server.DefaultConnsPerCode, "websockets one join code may hold open at once")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"serve takes only flags"}
	}
	if *connsPerCode < 1 {
		return usageError{fmt.Sprintf("--conns-per-code must be at least 1; got %d", *connsPerCode)}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	cfg := server.Config{Origins: splitList(*origins), AdminToken: *token, ConnsPerCode: *connsPerCode, Logger: logger}
	return serve(ctx, ln, *db, cfg, func(url string) {
		logger.Info("firedrill is serving", "url", url, "db", *db)
	})
}

// serve runs a server configured by cfg on ln until ctx ends: open the
// store, resume what was running, serve, then shut down gracefully.
func serve(ctx context.Context, ln net.Listener, dsn string, cfg server.Config, ready func(url string)) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	logger := cfg.Logger
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg.Store = st
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	if n, err := srv.Recover(ctx); err != nil {
		return err
	} else if n > 0 {
		logger.Info("resumed exercises", "count", n)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	ready("http://" + ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = errors.Join(hs.Shutdown(shutdown), srv.Shutdown(shutdown))
	return err
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func runStart(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	url := fs.String("server", "http://127.0.0.1:7400", "the firedrill server")
	speed := fs.Float64("speed", 1, "virtual seconds per wall second")
	humans := fs.String("humans", "", "comma-separated seats people play (people of the scenario, service-desk, incident-manager, command-center); bots play the rest")
	skill := fs.String("skill", "expert", "the bots' skill: novice, practiced or expert")
	seed := fs.Uint64("seed", 0, "seed (0: the scenario's, or random)")
	token := fs.String("admin-token", os.Getenv("FIREDRILL_ADMIN_TOKEN"), "the server's admin token, if it has one")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if name == "" {
		return usageError{"name one scenario: firedrill start NAME|FILE [--server URL] [--speed N] [--humans SEATS]"}
	}
	req := server.CreateRequest{Scenario: name, Speed: *speed, Humans: splitList(*humans), Skill: *skill}
	if *seed != 0 {
		req.Seed = seed
	}
	if isPath(name) {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		req.Scenario, req.Source = strings.TrimSuffix(baseName(name), ".hcl"), string(src)
	}
	resp, err := create(ctx, *url, *token, req)
	if err != nil {
		return err
	}
	printCodes(e.stdout, *url, resp)
	return nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// create asks a server for a new exercise.
func create(ctx context.Context, url, token string, req server.CreateRequest) (server.CreateResponse, error) {
	body, _ := json.Marshal(req)
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(url, "/")+"/api/exercises", bytes.NewReader(body))
	if err != nil {
		return server.CreateResponse{}, err
	}
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		return server.CreateResponse{}, fmt.Errorf("reach the server at %s (is `firedrill serve` running?): %w", url, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if res.StatusCode != http.StatusCreated {
		var e struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(raw, &e)
		return server.CreateResponse{}, fmt.Errorf("the server refused: %s", orText(e.Message, res.Status))
	}
	var resp server.CreateResponse
	if err := json.Unmarshal(raw, &resp); err != nil {
		return server.CreateResponse{}, fmt.Errorf("unreadable answer from the server: %w", err)
	}
	return resp, nil
}

func orText(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func printCodes(w io.Writer, url string, resp server.CreateResponse) {
	fmt.Fprintf(w, "Exercise %s: %s\n\n", resp.ID, resp.Title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEAT\tROLES\tGROUPS\tCODE")
	fmt.Fprintf(tw, "facilitator\tfacilitator\t\t%s\n", resp.FacilitatorCode)
	fmt.Fprintf(tw, "observer\tobserver\t\t%s\n", resp.ObserverCode)
	for _, s := range resp.Seats {
		roles := make([]string, len(s.Roles))
		for i, r := range s.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Seat, strings.Join(roles, ","), strings.Join(s.Groups, ","), s.Code)
	}
	_ = tw.Flush()
	ws := strings.Replace(strings.TrimSuffix(url, "/"), "http", "ws", 1) + "/ws"
	fmt.Fprintf(w, "\nConnect to %s with the header \"Authorization: Bearer CODE\" (server/PROTOCOL.md).\nCodes are shown once; the server keeps only their hashes.\n", ws)
}

// isPath tells a scenario file from a built-in name, as the loader does.
func isPath(arg string) bool {
	return strings.HasSuffix(arg, ".hcl") || strings.ContainsRune(arg, os.PathSeparator)
}
