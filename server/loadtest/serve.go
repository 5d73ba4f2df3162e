package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	rpprof "runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/server"
	"github.com/firedrill/firedrill/server/store"
)

// The server child is `firedrill serve` (cmd/firedrill/server_cmds.go) in a
// process of its own, so its CPU and memory are the server's alone, as
// perfbase's are: the same store.Open, server.New, Recover and http.Server.
// Two additions, both outside the server's path:
//
//   - /_bench/stats, /_bench/resethwm and /debug/pprof/ report on the
//     process (perfbase's child has the same stats);
//   - /_bench/create calls (*Server).Create, exactly what POST /api/exercises
//     does, and also returns the wall time the exercise's clock took as
//     virtual time 0. The clock's Source is the wall clock, wrapped to note
//     that one reading; with it the client knows when each inject was due.

// anchorSource is clock.Wall() that notes the reading clock.New takes while
// an exercise is being created.
type anchorSource struct {
	capturing atomic.Bool
	mu        sync.Mutex
	anchor    time.Time
	wall      clock.Source
}

func (s *anchorSource) Now() time.Time {
	t := s.wall.Now()
	if s.capturing.Load() && calledFrom("github.com/firedrill/firedrill/engine/clock.New") {
		s.mu.Lock()
		s.anchor = t
		s.mu.Unlock()
	}
	return t
}

func (s *anchorSource) NewTimer(d time.Duration) clock.Timer { return s.wall.NewTimer(d) }

// calledFrom reports whether Now's caller is the function fn.
func calledFrom(fn string) bool {
	var pcs [4]uintptr
	n := runtime.Callers(3, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	f, _ := frames.Next()
	return f.Function == fn
}

// tick is one advance of an exercise's clock: the virtual time reached and
// the wall time (unix ns) its loop began it, as server.Config.OnTick hears.
// It is the moment firedrill starts to publish what was due, where
// perfbase stamps its messages.
type tick struct {
	Virtual int64 `json:"v"`
	Began   int64 `json:"w"`
}

// tickLog keeps every exercise's ticks, for /_bench/ticks.
type tickLog struct {
	mu sync.Mutex
	by map[string][]tick
}

func (l *tickLog) add(exercise string, virtual time.Duration, began time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.by == nil {
		l.by = map[string][]tick{}
	}
	l.by[exercise] = append(l.by[exercise], tick{int64(virtual), began.UnixNano()})
}

func (l *tickLog) all() map[string][]tick {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.by
}

// began returns when the loop began the tick that published an event due
// at virtual time at: the first tick that reached it.
func began(ticks []tick, at int64) (int64, bool) {
	i := sort.Search(len(ticks), func(i int) bool { return ticks[i].Virtual >= at })
	if i == len(ticks) {
		return 0, false
	}
	return ticks[i].Began, true
}

// createResult is /_bench/create's answer.
type createResult struct {
	server.CreateResponse
	AnchorNS int64 `json:"anchor_unix_ns"`
}

func serveMain(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	db := fs.String("db", "", "SQLite file")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	recoverProfile := fs.String("recover-profile", "", "save a CPU profile of store.Open and Recover here")
	_ = fs.Parse(args)
	if !strings.HasPrefix(*addr, "127.0.0.1:") {
		fatalf("serve: loopback only")
	}
	raiseNoFile()
	// Never outlive a runaway benchmark.
	time.AfterFunc(10*time.Minute, func() { os.Exit(3) })
	ctx := context.Background()
	var pf *os.File
	if *recoverProfile != "" {
		var err error
		if pf, err = os.Create(*recoverProfile); err != nil {
			fatalf("serve: %v", err)
		}
		_ = rpprof.StartCPUProfile(pf)
	}
	t0 := time.Now()
	st, err := store.Open(ctx, *db)
	if err != nil {
		fatalf("serve: %v", err)
	}
	openSec := time.Since(t0).Seconds()
	src := &anchorSource{wall: clock.Wall()}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var ticks tickLog
	// A room has at most 50 seats, so the 1 × 5,000 runs put a hundred
	// players on each seat's code: lift the per-code limit well past that.
	srv, err := server.New(server.Config{Store: st, Clock: src, Logger: logger, OnTick: ticks.add, ConnsPerCode: 1 << 20})
	if err != nil {
		fatalf("serve: %v", err)
	}
	n, err := srv.Recover(ctx)
	if err != nil {
		fatalf("serve: recover: %v", err)
	}
	recoverSec := time.Since(t0).Seconds() - openSec
	if pf != nil {
		rpprof.StopCPUProfile()
		pf.Close()
	}

	var createMu sync.Mutex
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	mux.HandleFunc("GET /_bench/stats", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(readStats(r.URL.Query().Get("gc") == "1"))
	})
	mux.HandleFunc("GET /_bench/ticks", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(ticks.all())
	})
	mux.HandleFunc("GET /_bench/resethwm", func(http.ResponseWriter, *http.Request) {
		_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	})
	mux.HandleFunc("POST /_bench/create", func(w http.ResponseWriter, r *http.Request) {
		var req server.CreateRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		createMu.Lock()
		defer createMu.Unlock()
		src.mu.Lock()
		src.anchor = time.Time{}
		src.mu.Unlock()
		src.capturing.Store(true)
		resp, err := srv.Create(r.Context(), req)
		src.capturing.Store(false)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		src.mu.Lock()
		anchor := src.anchor
		src.mu.Unlock()
		if anchor.IsZero() {
			http.Error(w, "the exercise's clock anchor was not seen", http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(createResult{CreateResponse: resp, AnchorNS: anchor.UnixNano()})
	})
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fatalf("serve: %v", err)
	}
	fmt.Printf("LISTEN %s %d %.4f %.4f\n", ln.Addr(), n, openSec, recoverSec)
	_ = os.Stdout.Sync()
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fatalf("serve: %v", hs.Serve(ln))
}

func readStats(gc bool) Stats {
	if gc {
		runtime.GC()
		debug.FreeOSMemory()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return Stats{RSSKB: procStatusKB("VmRSS"), HWMKB: procStatusKB("VmHWM"), HeapAlloc: ms.HeapAlloc,
		StackInuse: ms.StackInuse, Sys: ms.Sys, Goroutines: runtime.NumGoroutine(), CPUSec: cpuSec(), NumGC: ms.NumGC}
}

// child is a running server child.
type child struct {
	cmd        *exec.Cmd
	addr       string
	recovered  int
	openSec    float64 // store.Open, in the child
	recoverSec float64 // Recover, in the child
	startSec   float64 // spawn to listening
}

var ctlClient = &http.Client{Timeout: 2 * time.Minute}

// runFiles are one run's SQLite file and server log, in a folder of their
// own that the run removes.
type runFiles struct{ dir, db, log string }

func newRunFiles() (runFiles, error) {
	dir, err := os.MkdirTemp("", "firedrill-loadtest-")
	if err != nil {
		return runFiles{}, err
	}
	return runFiles{dir: dir, db: filepath.Join(dir, "bench.db"), log: filepath.Join(dir, "server.log")}, nil
}

// playersPerRoom checks that n players fill rooms exercises evenly, at
// most most to an exercise (0: any number), and returns how many each gets.
func playersPerRoom(n, rooms, most int) (int, error) {
	switch {
	case rooms <= 0 || n%rooms != 0:
		return 0, fmt.Errorf("n must be a multiple of rooms")
	case most > 0 && n/rooms > most:
		return 0, fmt.Errorf("at most %d players to an exercise", most)
	}
	return n / rooms, nil
}

// startServer runs `loadtest serve` on db; its stderr goes to logPath.
func startServer(db, addr, logPath string, extra ...string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	cmd := exec.Command(exe, append([]string{"serve", "-db", db, "-addr", addr}, extra...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	cmd.Stderr = lf
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lf.Close()
	type banner struct {
		line string
		err  error
	}
	bc := make(chan banner, 1)
	go func() {
		line, err := bufio.NewReader(out).ReadString('\n')
		bc <- banner{line, err}
		_, _ = io.Copy(io.Discard, out)
	}()
	var b banner
	select {
	case b = <-bc:
	case <-time.After(2 * time.Minute):
		b.err = errors.New("no banner within 2 minutes")
	}
	if b.err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logTail(logPath)
		return nil, fmt.Errorf("server did not start: %v", b.err)
	}
	c := &child{cmd: cmd, startSec: time.Since(t0).Seconds()}
	if _, err := fmt.Sscanf(b.line, "LISTEN %s %d %f %f", &c.addr, &c.recovered, &c.openSec, &c.recoverSec); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("bad banner %q", b.line)
	}
	return c, nil
}

func logTail(path string) {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	os.Stderr.Write(b)
}

func (c *child) get(path string, v any) error {
	resp, err := ctlClient.Get("http://" + c.addr + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, b)
	}
	if v == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func (c *child) stats(gc bool) Stats {
	var s Stats
	p := "/_bench/stats"
	if gc {
		p += "?gc=1"
	}
	if err := c.get(p, &s); err != nil {
		logf("stats: %v", err)
	}
	return s
}

func (c *child) create(req server.CreateRequest) (createResult, error) {
	body, _ := json.Marshal(req)
	resp, err := ctlClient.Post("http://"+c.addr+"/_bench/create", "application/json", strings.NewReader(string(body)))
	if err != nil {
		return createResult{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return createResult{}, fmt.Errorf("create: %s: %s", resp.Status, b)
	}
	var out createResult
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// profile saves a CPU profile of the server over d.
func (c *child) profile(d time.Duration, path string) {
	c.save(fmt.Sprintf("/debug/pprof/profile?seconds=%d", int(d.Seconds())), path)
}

// trace saves an execution trace of the server over the next 3 s.
func (c *child) trace(path string) {
	c.save("/debug/pprof/trace?seconds=3", path)
}

// save writes what the child answers at urlPath to a file.
func (c *child) save(urlPath, path string) {
	resp, err := ctlClient.Get("http://" + c.addr + urlPath)
	if err != nil {
		logf("profile: %v", err)
		return
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		logf("profile: %v", err)
		return
	}
	defer f.Close()
	_, _ = io.Copy(f, resp.Body)
}

// kill ends the child at once (SIGKILL: a crash, as far as the store knows).
func (c *child) kill() {
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
}
