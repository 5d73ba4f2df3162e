package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Stats is what the server child reports about itself; the fields and their
// meaning are perfbase's.
type Stats struct {
	RSSKB      int64   `json:"rss_kb"`
	HWMKB      int64   `json:"hwm_kb"`
	HeapAlloc  uint64  `json:"heap_alloc"`
	StackInuse uint64  `json:"stack_inuse"`
	Sys        uint64  `json:"sys"`
	Goroutines int     `json:"goroutines"`
	CPUSec     float64 `json:"cpu_sec"`
	NumGC      uint32  `json:"num_gc"`
}

func procStatusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				v, _ := strconv.ParseInt(f[0], 10, 64)
				return v
			}
		}
	}
	return -1
}

func cpuSec() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func raiseNoFile() {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil && rl.Cur < rl.Max {
		rl.Cur = rl.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
}

// Lat is a latency distribution in milliseconds, as perfbase reports it.
type Lat struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	P999  float64 `json:"p999_ms"`
	Max   float64 `json:"max_ms"`
}

// latStats uses perfbase's quantile rule (index p·(n-1) of the sorted
// samples), so the two are read the same way.
func latStats(v []int64) Lat {
	if len(v) == 0 {
		return Lat{}
	}
	slices.Sort(v)
	q := func(p float64) float64 { return float64(v[int(p*float64(len(v)-1))]) / 1e6 }
	return Lat{Count: len(v), P50: q(0.50), P90: q(0.90), P99: q(0.99), P999: q(0.999), Max: float64(v[len(v)-1]) / 1e6}
}

// collector counts deliveries and signals when a target is reached
// (perfbase's, so completion means the same thing on both sides).
type collector struct {
	recv   atomic.Int64
	target atomic.Int64
	done   chan time.Time
}

func newCollector() *collector { return &collector{done: make(chan time.Time, 1)} }

func (c *collector) arm(target int64) {
	select {
	case <-c.done:
	default:
	}
	c.target.Store(target)
}

func (c *collector) add() {
	if c.recv.Add(1) == c.target.Load() {
		select {
		case c.done <- time.Now():
		default:
		}
	}
}

func (c *collector) wait(timeout time.Duration) (time.Time, bool) {
	if c.recv.Load() >= c.target.Load() {
		return time.Now(), true
	}
	select {
	case t := <-c.done:
		return t, true
	case <-time.After(timeout):
		return time.Now(), false
	}
}

// Env is recorded with every result.
type Env struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
}

func env() Env {
	model := "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				model = strings.TrimSpace(l[strings.Index(l, ":")+1:])
				break
			}
		}
	}
	return Env{CPU: model, Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version()}
}

func emit(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fatalf("encode result: %v", err)
	}
	os.Stdout.Write(append(b, '\n'))
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "loadtest: "+format+"\n", a...)
	os.Exit(1)
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05.000")+" "+format+"\n", a...)
}

func injectName(prefix string, k int) string { return fmt.Sprintf("%s%04d", prefix, k) }
