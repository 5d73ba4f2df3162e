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
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server"
	"github.com/firedrill/firedrill/server/store"
)

// shutdownGrace is how long serve waits for exercises to drain on a signal.
const shutdownGrace = 10 * time.Second

// Environment variables serve reads for what should not sit in a command
// line, where every user of the machine can read it with ps.
const (
	envAdminToken = "FIREDRILL_ADMIN_TOKEN"
	envDB         = "FIREDRILL_DB"
)

// serveOptions are serve's settings beyond the server's own.
type serveOptions struct {
	// pprofAddr, when set, serves net/http/pprof there, apart from the
	// players' listener.
	pprofAddr string
	// drainWait is how long /readyz fails before the server stops on a
	// signal, so load balancers stop sending players first.
	drainWait time.Duration
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", "127.0.0.1:7400", "address to listen on; beyond loopback, creating exercises needs --admin-token or --open-create")
	db := fs.String("db", "", "store: a SQLite file, or postgres://… to share exercises between servers (default $"+envDB+", else firedrill.db)")
	origins := fs.String("origins", "", "comma-separated browser origins allowed besides the server's own, as https://host:port")
	hosts := fs.String("hosts", "", "comma-separated host names the server answers to besides its listen address, this machine's name, localhost and the --origins hosts (a name it is reached by through a proxy)")
	// The default is read after parsing: a flag's default is printed by
	// --help, and a secret must not be.
	token := fs.String("admin-token", "", "token required to create exercises, sent as \"Authorization: Bearer TOKEN\" (default $"+envAdminToken+"; prefer the variable, a flag shows in ps)")
	openCreate := fs.Bool("open-create", false, "let anyone who reaches a server listening beyond loopback create exercises without the admin token")
	connsPerCode := fs.Int("conns-per-code", server.DefaultConnsPerCode, "websockets one join code may hold open at once")
	maxExercises := fs.Int("max-exercises", server.DefaultMaxExercises, "exercises this server holds at once, ended ones included until they unload (503 beyond)")
	defaults := engine.DefaultLimits()
	textBytes := byteSize(defaults.TextBytes)
	seatBytes := byteSize(defaults.SeatBytes)
	exerciseBytes := byteSize(defaults.ExerciseBytes)
	fs.Var(&textBytes, "max-text-bytes", "bytes of one text field (a chat line, a description, a note) of a new exercise; 4KiB, 1MiB or a number")
	fs.Var(&seatBytes, "max-seat-bytes", "bytes of text one seat may enter over a new exercise")
	fs.Var(&exerciseBytes, "max-exercise-bytes", "bytes of text all seats together may enter over a new exercise")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	pprofAddr := fs.String("pprof-addr", "", "serve Go's profiler (net/http/pprof) on this address, apart from the players' (keep it on loopback)")
	drainWait := fs.Duration("drain-wait", 0, "on SIGTERM, fail /readyz for this long before stopping, so load balancers send no new players")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"serve takes only flags"}
	}
	switch {
	case *connsPerCode < 1:
		return usageError{fmt.Sprintf("--conns-per-code must be at least 1; got %d", *connsPerCode)}
	case *maxExercises < 1:
		return usageError{fmt.Sprintf("--max-exercises must be at least 1; got %d", *maxExercises)}
	case *drainWait < 0:
		return usageError{"--drain-wait cannot be negative"}
	}
	logger, err := newLogger(e.stderr, *logFormat, *logLevel)
	if err != nil {
		return usageError{err.Error()}
	}
	if *token == "" {
		*token = os.Getenv(envAdminToken)
	}
	if *db == "" {
		*db = orText(os.Getenv(envDB), store.DefaultDSN)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	// The machine's own name is one people type to reach it, and no web
	// page elsewhere can point it at the server (guard.go).
	names := splitList(*hosts)
	if host, err := os.Hostname(); err == nil && host != "" {
		names = append(names, host)
	}
	cfg := server.Config{
		Origins: splitList(*origins), Hosts: names, AdminToken: *token, OpenCreate: *openCreate,
		ConnsPerCode: *connsPerCode, MaxExercises: *maxExercises, Logger: logger,
		Limits: engine.Limits{TextBytes: int(textBytes), SeatBytes: int(seatBytes), ExerciseBytes: int(exerciseBytes)},
	}
	opts := serveOptions{pprofAddr: *pprofAddr, drainWait: *drainWait}
	return serve(ctx, ln, *db, cfg, opts, func(url string) {
		logger.Info("firedrill is serving", "url", url, "db", redactDSN(*db), "admin_token", *token != "", "open_create", *openCreate)
	})
}

// newLogger is serve's logger: text or JSON lines on w, from level up.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	o := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, o)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

// redactDSN is a DSN fit for a log: a PostgreSQL URL's password is masked.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		if strings.Contains(dsn, "://") {
			return "(a DSN that does not parse)"
		}
		return dsn
	}
	return u.Redacted()
}

// byteSize is a flag of a size in bytes: a number, or one with KiB, MiB or
// GiB.
type byteSize int

func (b *byteSize) String() string {
	switch n := int(*b); {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + "MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + "KiB"
	default:
		return strconv.Itoa(n)
	}
}

func (b *byteSize) Set(s string) error {
	num, unit := s, 1
	for _, u := range []struct {
		suffix string
		n      int
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if len(s) > len(u.suffix) && strings.EqualFold(s[len(s)-len(u.suffix):], u.suffix) {
			num, unit = s[:len(s)-len(u.suffix)], u.n
			break
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 1 || n > math.MaxInt32/unit {
		return fmt.Errorf("want a size such as 4096, 64KiB or 16MiB, at least 1 byte and under 2GiB")
	}
	*b = byteSize(n * unit)
	return nil
}

// serve runs a server configured by cfg on ln until ctx ends: open the
// store, resume what was running, serve, then shut down gracefully.
func serve(ctx context.Context, ln net.Listener, dsn string, cfg server.Config, opts serveOptions, ready func(url string)) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	logger := cfg.Logger
	defer ln.Close() // the HTTP server closes it too; this is for the early returns
	cfg.Listen = ln.Addr().String()
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
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	if opts.pprofAddr != "" {
		ps, err := servePprof(opts.pprofAddr, logger, errc)
		if err != nil {
			_ = hs.Close()
			return err
		}
		defer ps.Close()
	}
	ready("http://" + ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	srv.Drain()
	if opts.drainWait > 0 {
		logger.Info("draining: /readyz fails before the server stops", "wait", opts.drainWait)
		time.Sleep(opts.drainWait) // the point is to wait: load balancers poll on their own clock
	}
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = errors.Join(hs.Shutdown(shutdown), srv.Shutdown(shutdown))
	return err
}

// servePprof serves Go's profiler on addr, on a mux of its own: the
// players' listener never exposes it. A failure of its listener after the
// start goes to errc.
func servePprof(addr string, logger *slog.Logger, errc chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for pprof on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ps := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := ps.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("pprof: %w", err)
		}
	}()
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		logger.Warn("pprof listens beyond loopback: anyone who reaches it can read the server's memory", "addr", ln.Addr().String())
	}
	logger.Info("pprof is serving", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return ps, nil
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
	// Read after parsing, so --help never prints the token.
	token := fs.String("admin-token", "", "the server's admin token, if it has one (default $"+envAdminToken+")")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if *token == "" {
		*token = os.Getenv(envAdminToken)
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
