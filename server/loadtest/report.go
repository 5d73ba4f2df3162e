package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// reportMain prints the markdown table of a results folder that run.sh
// filled: NAME-rK.json files, one JSON result each, where NAME is
// base-fanout-RxP (perfbase ws), fd-fanout-RxP, fd-slow-RxP-off|on,
// fd-ingest-RxP or fd-storm-RxP.
func reportMain(args []string) {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	dir := fs.String("dir", "", "results folder")
	cmd := fs.String("cmd", "make bench-server", "the command that reproduces the table")
	_ = fs.Parse(args)
	runs, err := loadRuns(*dir)
	if err != nil {
		fatalf("report: %v", err)
	}
	fmt.Print(report(runs, *cmd))
}

var runName = regexp.MustCompile(`^(.+)-r(\d+)\.json$`)

// loadRuns reads every result, by name and then by rep.
func loadRuns(dir string) (map[string]map[int]map[string]any, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	out := map[string]map[int]map[string]any{}
	for _, f := range files {
		m := runName.FindStringSubmatch(filepath.Base(f))
		if m == nil {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			fmt.Fprintf(os.Stderr, "report: %s: %v (run failed?)\n", f, err)
			continue
		}
		rep, _ := strconv.Atoi(m[2])
		if out[m[1]] == nil {
			out[m[1]] = map[int]map[string]any{}
		}
		out[m[1]][rep] = v
	}
	return out, nil
}

// num reads a number at a dotted path of a result.
func num(v map[string]any, path string) float64 {
	var cur any = v
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return math.NaN()
		}
		cur = m[k]
	}
	f, ok := cur.(float64)
	if !ok {
		return math.NaN()
	}
	return f
}

// series is one metric over the reps.
type series []float64

func (s series) sorted() series {
	t := slices.Clone(s)
	t = slices.DeleteFunc(t, func(f float64) bool { return math.IsNaN(f) })
	slices.Sort(t)
	return t
}

func (s series) median() float64 {
	t := s.sorted()
	switch n := len(t); {
	case n == 0:
		return math.NaN()
	case n%2 == 1:
		return t[n/2]
	default:
		return (t[n/2-1] + t[n/2]) / 2
	}
}

func (s series) lo() float64 {
	if t := s.sorted(); len(t) > 0 {
		return t[0]
	}
	return math.NaN()
}

func (s series) hi() float64 {
	if t := s.sorted(); len(t) > 0 {
		return t[len(t)-1]
	}
	return math.NaN()
}

// spread is (max-min)/median.
func (s series) spread() float64 { return (s.hi() - s.lo()) / s.median() }

func reps(runs map[string]map[int]map[string]any, names ...string) []int {
	var out []int
	for k := range runs[names[0]] {
		ok := true
		for _, n := range names[1:] {
			if runs[n][k] == nil {
				ok = false
			}
		}
		if ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func collect(runs map[string]map[int]map[string]any, name string, ks []int, f func(map[string]any) float64) series {
	var s series
	for _, k := range ks {
		s = append(s, f(runs[name][k]))
	}
	return s
}

func field(path string) func(map[string]any) float64 {
	return func(v map[string]any) float64 { return num(v, path) }
}

type unit func(float64) string

func rate(f float64) string {
	switch {
	case math.IsNaN(f):
		return "–"
	case f >= 1e6:
		return fmt.Sprintf("%.2fM", f/1e6)
	default:
		return fmt.Sprintf("%.0fk", f/1e3)
	}
}
func fixed(d int, suffix string) unit {
	return func(f float64) string {
		if math.IsNaN(f) {
			return "–"
		}
		return strconv.FormatFloat(f, 'f', d, 64) + suffix
	}
}
func kb(f float64) string { return fixed(1, " KB")(f / 1024) }

func rng(s series, u unit) string {
	if len(s.sorted()) == 0 {
		return "–"
	}
	return fmt.Sprintf("%s (%s–%s)", u(s.median()), u(s.lo()), u(s.hi()))
}

// ratios pairs rep k of a with rep k of b.
func ratios(a, b series) series {
	var out series
	for i := range a {
		out = append(out, a[i]/b[i])
	}
	return out
}

type target struct {
	text string
	ok   func(float64) bool
}

func atMost(x float64) target {
	return target{fmt.Sprintf("≤ %g×", x), func(r float64) bool { return r <= x }}
}
func atLeast(x float64) target {
	return target{fmt.Sprintf("≥ %g×", x), func(r float64) bool { return r >= x }}
}

func verdict(t *target, r float64) string {
	switch {
	case t == nil:
		return "–"
	case math.IsNaN(r):
		return t.text + ": no data"
	case t.ok(r):
		return t.text + ": **met**"
	default:
		return t.text + ": **missed**"
	}
}

func report(runs map[string]map[int]map[string]any, cmd string) string {
	var b strings.Builder
	var e map[string]any
	for _, byRep := range runs {
		for _, v := range byRep {
			if m, ok := v["env"].(map[string]any); ok {
				e = m
			}
		}
	}
	if e != nil {
		fmt.Fprintf(&b, "CPU %q, %v cores, GOMAXPROCS=%v, %v. Loopback (127.0.0.1); server in its own process, SQLite file store; baseline = perfbase ws, interleaved rep by rep.\n\n",
			e["cpu"], e["cores"], e["gomaxprocs"], e["go"])
	}
	fmt.Fprintf(&b, "Command: `%s`\n\n", cmd)
	b.WriteString("| id | configuration | metric | firedrill median (min–max) | baseline median (min–max) | ratio median (min–max) | target |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	var notes []string
	row := func(id, cfg, metric string, fd, base series, u unit, t *target) {
		r := ratios(fd, base)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", id, cfg, metric, rng(fd, u), rng(base, u), rng(r, fixed(2, "×")), verdict(t, r.median()))
		if sp := base.spread(); sp > 0.30 {
			notes = append(notes, fmt.Sprintf("%s %s %s: the baseline spreads %.0f%% (> 30%%): discard this figure's session.", id, cfg, metric, 100*sp))
		}
	}
	abs := func(id, cfg, metric string, fd series, u unit, verdictText string) {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | – | – | %s |\n", id, cfg, metric, rng(fd, u), verdictText)
	}
	cfgs := []string{"100x50", "1x5000", "1x1000"}
	for _, c := range cfgs {
		fd, base := "fd-fanout-"+c, "base-fanout-"+c
		ks := reps(runs, fd, base)
		if len(ks) == 0 {
			continue
		}
		label := strings.Replace(c, "x", " × ", 1) + fmt.Sprintf(" (%d reps)", len(ks))
		var t1, t2 *target
		if c != "1x1000" {
			a, m := atLeast(0.8), atMost(1.3)
			t1, t2 = &a, &m
		}
		row("FANOUT-BURST", label, "deliveries/s", collect(runs, fd, ks, field("burst_deliveries_per_sec")), collect(runs, base, ks, field("burst_deliveries_per_sec")), rate, t1)
		row("FANOUT-BURST", label, "server CPU µs/delivery", collect(runs, fd, ks, field("srv_cpu_us_per_delivery")), collect(runs, base, ks, field("srv_cpu_us_per_delivery")), fixed(2, " µs"), t2)
		row("FANOUT-BURST", label, "burst delivery p99 (not like for like: firedrill counts from the one tick that publishes the whole burst, perfbase from each message's own publish)", collect(runs, fd, ks, field("burst_latency.p99_ms")), collect(runs, base, ks, field("burst_latency.p99_ms")), fixed(1, " ms"), nil)
		p := atMost(1.5)
		row("FANOUT-PACED", label, "fan-out complete p99 (firedrill from the start of the tick that publishes the inject: engine, commit pipeline, hub, sockets; perfbase from publish)", collect(runs, fd, ks, field("paced_fanout_complete.p99_ms")), collect(runs, base, ks, field("paced_fanout_complete.p99_ms")), fixed(2, " ms"), &p)
		abs("FANOUT-PACED", label, "first delivery p99 (tick start → first player)", collect(runs, fd, ks, field("paced_first_delivery.p99_ms")), fixed(2, " ms"), "–")
		abs("FANOUT-PACED", label, "fan-out complete p99 from the inject's due time (adds the timer's lateness)", collect(runs, fd, ks, field("paced_fanout_complete_from_due.p99_ms")), fixed(2, " ms"), "–")
		abs("FANOUT-PACED", label, "tick lateness p99 (due → tick start)", collect(runs, fd, ks, field("paced_tick_late.p99_ms")), fixed(2, " ms"), "–")
		row("FANOUT-PACED", label, "per-delivery p99", collect(runs, fd, ks, field("paced_latency.p99_ms")), collect(runs, base, ks, field("paced_latency.p99_ms")), fixed(2, " ms"), nil)
		row("FANOUT-PACED", label, "server CPU µs/delivery (paced)", collect(runs, fd, ks, field("paced_srv_cpu_us_per_delivery")), collect(runs, base, ks, field("paced_srv_cpu_us_per_delivery")), fixed(1, " µs"), nil)
		row("FANOUT-PACED", label, "server + client CPU µs/delivery (paced)", collect(runs, fd, ks, field("paced_total_cpu_us_per_delivery")), collect(runs, base, ks, field("paced_total_cpu_us_per_delivery")), fixed(1, " µs"), nil)
		m := atMost(1.5)
		row("CONN-MEM", label, "server RSS per connection", collect(runs, fd, ks, field("srv_rss_per_conn_bytes")), collect(runs, base, ks, field("srv_rss_per_conn_bytes")), kb, &m)
		row("CONN-MEM", label, "server Go heap+stacks per connection", collect(runs, fd, ks, field("srv_go_live_per_conn_bytes")), collect(runs, base, ks, field("srv_go_live_per_conn_bytes")), kb, &m)
		row("CONNECT", label, "time to all joined (64 dials in flight)", collect(runs, fd, ks, field("connect_total_sec")), collect(runs, base, ks, field("connect_total_sec")), fixed(2, " s"), nil)
		miss := collect(runs, fd, ks, field("missing"))
		if miss.hi() != 0 {
			notes = append(notes, fmt.Sprintf("fanout %s: firedrill missed %v deliveries in some rep (max).", c, miss.hi()))
		}
	}
	for _, c := range cfgs {
		off, on := "fd-slow-"+c+"-off", "fd-slow-"+c+"-on"
		ks := reps(runs, on, off)
		if len(ks) == 0 {
			continue
		}
		st := num(runs[on][ks[0]], "stalled")
		label := fmt.Sprintf("%s, %.0f stalled (%d reps)", strings.Replace(c, "x", " × ", 1), st, len(ks))
		t := atMost(1.2)
		fmt.Fprintf(&b, "| SLOW-CONSUMER | %s | healthy per-delivery p99, paced: with stalled ÷ without | %s | %s | %s | %s |\n", label,
			rng(collect(runs, on, ks, field("paced_latency.p99_ms")), fixed(2, " ms")), rng(collect(runs, off, ks, field("paced_latency.p99_ms")), fixed(2, " ms")),
			rng(ratios(collect(runs, on, ks, field("paced_latency.p99_ms")), collect(runs, off, ks, field("paced_latency.p99_ms"))), fixed(2, "×")),
			verdict(&t, ratios(collect(runs, on, ks, field("paced_latency.p99_ms")), collect(runs, off, ks, field("paced_latency.p99_ms"))).median()))
		fmt.Fprintf(&b, "| SLOW-CONSUMER | %s | healthy delivery p99, burst: with stalled ÷ without | %s | %s | %s | – |\n", label,
			rng(collect(runs, on, ks, field("burst_latency.p99_ms")), fixed(1, " ms")), rng(collect(runs, off, ks, field("burst_latency.p99_ms")), fixed(1, " ms")),
			rng(ratios(collect(runs, on, ks, field("burst_latency.p99_ms")), collect(runs, off, ks, field("burst_latency.p99_ms"))), fixed(2, "×")))
		abs("SLOW-CONSUMER", label, "stalled players the server dropped", collect(runs, on, ks, field("stalled_dropped")), fixed(0, ""), "–")
	}
	for name := range runs {
		if !strings.HasPrefix(name, "fd-ingest-") {
			continue
		}
		ks := reps(runs, name)
		c := strings.TrimPrefix(name, "fd-ingest-")
		v := runs[name][ks[0]]
		label := fmt.Sprintf("%s, 1 action / %gs each, %v (%d reps)", strings.Replace(c, "x", " × ", 1), num(v, "every_sec"), v["store"], len(ks))
		abs("ACTION-INGEST", label, "ack p50", collect(runs, name, ks, field("ack_latency.p50_ms")), fixed(2, " ms"), "–")
		p99 := collect(runs, name, ks, field("ack_latency.p99_ms"))
		ok := "≤ 50 ms: **met**"
		if !(p99.median() <= 50) {
			ok = "≤ 50 ms: **missed**"
		}
		abs("ACTION-INGEST", label, "ack p99", p99, fixed(2, " ms"), ok)
		abs("ACTION-INGEST", label, "ack max", collect(runs, name, ks, field("ack_latency.max_ms")), fixed(1, " ms"), "–")
		abs("ACTION-INGEST", label, "actions acked / s", collect(runs, name, ks, field("actions_per_sec")), fixed(0, ""), "–")
		abs("ACTION-INGEST", label, "server CPU per action (incl. its fan-out)", collect(runs, name, ks, field("srv_cpu_us_per_action")), fixed(0, " µs"), "–")
		if sent, acked := collect(runs, name, ks, field("actions_sent")), collect(runs, name, ks, field("acks")); sent.median() != acked.median() {
			notes = append(notes, fmt.Sprintf("ingest: %v actions sent, %v acked (medians)", sent.median(), acked.median()))
		}
	}
	for name := range runs {
		if !strings.HasPrefix(name, "fd-storm-") {
			continue
		}
		ks := reps(runs, name)
		c := strings.TrimPrefix(name, "fd-storm-")
		label := fmt.Sprintf("%s, SIGKILL + restart on the same SQLite file (%d reps)", strings.Replace(c, "x", " × ", 1), len(ks))
		abs("RECONNECT-STORM", label, "restart: spawn → listening (Recover included)", collect(runs, name, ks, field("restart_sec")), fixed(2, " s"), "–")
		abs("RECONNECT-STORM", label, "listening → all players resumed", collect(runs, name, ks, field("resume_all_sec")), fixed(2, " s"), "–")
		abs("RECONNECT-STORM", label, "kill → all players resumed", collect(runs, name, ks, field("kill_to_all_resumed")), fixed(2, " s"), "–")
		missed, dups := collect(runs, name, ks, field("missed")), collect(runs, name, ks, field("duplicates"))
		inc := collect(runs, name, ks, field("players_incomplete"))
		var tot, totD, totI, ev float64
		for i := range missed {
			tot += missed[i]
			totD += dups[i]
			totI += inc[i]
		}
		for _, x := range collect(runs, name, ks, field("events_checked")) {
			ev += x
		}
		v := "0: **met**"
		if tot+totD+totI != 0 || ev == 0 {
			v = "0: **missed**"
		}
		fmt.Fprintf(&b, "| RECONNECT-STORM | %s | missed / duplicated events (all reps) | %.0f / %.0f of %.0f checked; %.0f players incomplete | – | – | %s |\n", label, tot, totD, ev, totI, v)
	}
	if len(notes) > 0 {
		b.WriteString("\n")
		for _, n := range notes {
			b.WriteString("- " + n + "\n")
		}
	}
	return b.String()
}
