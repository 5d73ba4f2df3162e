package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/firedrill/firedrill/server"
)

// Result is one run. The fields perfbase also reports carry its JSON names
// and meaning, so the report reads both the same way.
type Result struct {
	Impl       string  `json:"impl"`
	Bench      string  `json:"bench"`
	N          int     `json:"n"`
	Rooms      int     `json:"rooms"`
	Rate       float64 `json:"rate_per_room"`
	PacedSec   float64 `json:"paced_sec"`
	Burst      int     `json:"burst_per_room"`
	EventBytes int     `json:"event_bytes"`
	Stalled    int     `json:"stalled"`
	Env        Env     `json:"env"`
	CreateSec  float64 `json:"create_total_sec"`
	ConnectSec float64 `json:"connect_total_sec"`
	ConnP50ms  float64 `json:"connect_p50_ms"`
	ConnP99ms  float64 `json:"connect_p99_ms"`
	// Latencies run from the moment the exercise's loop began the tick that
	// published the inject (server.Config.OnTick), where perfbase stamps
	// its messages; the *_from_due ones from the inject's due time, which
	// adds the timer's lateness.
	Paced        Lat     `json:"paced_latency"`                  // every healthy delivery
	PacedFanout  Lat     `json:"paced_fanout_complete"`          // per inject: until its last healthy receiver
	PacedFirst   Lat     `json:"paced_first_delivery"`           // per inject: until its first receiver
	PacedDue     Lat     `json:"paced_latency_from_due"`         // every healthy delivery, from due
	PacedFanDue  Lat     `json:"paced_fanout_complete_from_due"` // per inject, from due
	PacedLate    Lat     `json:"paced_tick_late"`                // per inject: due → its tick began
	TicksUnknown int     `json:"ticks_unknown"`                  // deliveries whose tick the server did not report
	PacedSrvUs   float64 `json:"paced_srv_cpu_us_per_delivery"`
	PacedTotUs   float64 `json:"paced_total_cpu_us_per_delivery"`
	BurstLat     Lat     `json:"burst_latency"` // from the burst's tick, as Paced
	BurstDue     Lat     `json:"burst_latency_from_due"`
	BurstDeliv   int64   `json:"burst_deliveries"`
	BurstSec     float64 `json:"burst_sec"`
	BurstDPS     float64 `json:"burst_deliveries_per_sec"`
	BurstSkewMs  float64 `json:"burst_due_skew_ms"` // spread of the rooms' burst due times
	Missing      int64   `json:"missing"`
	Dups         int64   `json:"duplicates"`
	StallDrop    int     `json:"stalled_dropped"`
	SrvRSSBase   int64   `json:"srv_rss_base_kb"`
	SrvRSSConn   int64   `json:"srv_rss_connected_kb"`
	SrvPeakKB    int64   `json:"srv_rss_peak_burst_kb"`
	PerConnRSS   float64 `json:"srv_rss_per_conn_bytes"`
	PerConnGo    float64 `json:"srv_go_live_per_conn_bytes"`
	PerConnGoB   float64 `json:"srv_go_live_per_conn_after_burst_bytes"` // still connected, after a GC
	Goroutines   int     `json:"srv_goroutines_connected"`
	SrvCPU       float64 `json:"srv_cpu_burst_sec"`
	CliCPU       float64 `json:"cli_cpu_burst_sec"`
	SrvUsPerDel  float64 `json:"srv_cpu_us_per_delivery"`
	TotUsPerDel  float64 `json:"total_cpu_us_per_delivery"`
	SrvGCBurst   uint32  `json:"srv_gc_cycles_burst"`
	SrvGCPaced   uint32  `json:"srv_gc_cycles_paced"`
	Errors       int     `json:"errors"`
	FirstErr     string  `json:"first_error,omitempty"`
}

type fanoutCfg struct {
	n, rooms, burst, eventLen, dialConc int
	rate, stall                         float64
	paced, timeout, budget              time.Duration
	profile, profilePhase, heapProfile  string
	trace                               string
}

func fanoutMain(args []string) {
	fs := flag.NewFlagSet("fanout", flag.ExitOnError)
	var c fanoutCfg
	fs.IntVar(&c.n, "n", 1000, "players (connections)")
	fs.IntVar(&c.rooms, "rooms", 1, "exercises; player i joins exercise i*rooms/n")
	fs.Float64Var(&c.rate, "rate", 10, "paced phase: injects per second per exercise")
	fs.DurationVar(&c.paced, "paced", 5*time.Second, "paced phase duration")
	fs.IntVar(&c.burst, "burst", 1000, "burst phase: injects per exercise at one virtual instant")
	fs.IntVar(&c.eventLen, "event-bytes", 300, "size of an inject event as JSON")
	fs.IntVar(&c.dialConc, "dialconc", 64, "dials in flight while connecting")
	fs.Float64Var(&c.stall, "stall", 0, "fraction of players that stop reading after their welcome")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "longest wait for a phase to be delivered")
	fs.DurationVar(&c.budget, "budget", 0, "time from the last create to the first inject (0: by n)")
	fs.StringVar(&c.profile, "cpuprofile", "", "save a CPU profile of the server here (3 s of the phase -profile-phase)")
	fs.StringVar(&c.profilePhase, "profile-phase", "burst", "connect, paced or burst")
	fs.StringVar(&c.trace, "trace", "", "save an execution trace of the server here (3 s of the phase -profile-phase)")
	fs.StringVar(&c.heapProfile, "heapprofile", "", "save the server's heap profile here once every player has joined")
	_ = fs.Parse(args)
	raiseNoFile()
	time.AfterFunc(4*time.Minute, func() { fatalf("fanout: still running after 4 minutes") })
	res, err := fanout(c)
	if err != nil {
		fatalf("fanout: %v", err)
	}
	emit(res)
}

// room is one exercise of a run, with its codes and plan.
type room struct {
	id       string
	codes    []string // player seats' codes
	observer string
	anchor   int64 // wall ns of virtual 0
	paced    []int64
	burstAt  int64 // virtual ns; -1: none
}

// plan is when things are due, in wall time.
type plan struct {
	pacedStart time.Time
	burstWall  time.Time
}

// createRooms creates the exercises. Every exercise's injects are timed so
// that its paced phase starts at pacedStart (plus a random phase below one
// interval, perfbase's) and its burst is due at burstWall, whatever the
// moment it was created.
func createRooms(ch *child, rooms, players, eventLen int, rate float64, paced time.Duration, burst int, pacedStart, burstWall time.Time, extra func(r int) []timedInject) ([]*room, error) {
	per := int(rate*paced.Seconds() + 0.5)
	interval := time.Duration(float64(time.Second) / max(rate, 1e-9))
	rng := rand.New(rand.NewPCG(42, 7))
	out := make([]*room, rooms)
	for r := range rooms {
		off := time.Duration(rng.Int64N(int64(interval)))
		// The clock anchor is taken inside Create, a little after now.
		predicted := time.Now().Add(2 * time.Millisecond)
		spec := scenarioSpec{name: fmt.Sprintf("bench-%d", r), players: players, eventLen: eventLen, duration: 30 * time.Minute}
		for k := range per {
			at := pacedStart.Add(off + time.Duration(k)*interval).Sub(predicted)
			spec.injects = append(spec.injects, timedInject{name: injectName("p", k), at: at})
		}
		for k := range burst {
			spec.injects = append(spec.injects, timedInject{name: injectName("b", k), at: burstWall.Sub(predicted)})
		}
		if extra != nil {
			for _, in := range extra(r) {
				in.at = in.at - predicted.Sub(pacedStart)
				spec.injects = append(spec.injects, in)
			}
		}
		for _, in := range spec.injects {
			if in.at < time.Second {
				return nil, fmt.Errorf("exercise %d: inject %s due %v after creation: raise -budget", r, in.name, in.at)
			}
		}
		cr, err := ch.create(server.CreateRequest{Scenario: spec.name, Source: spec.hcl(), Humans: spec.humans(), Speed: 1})
		if err != nil {
			return nil, err
		}
		rm := &room{id: cr.ID, observer: cr.ObserverCode, anchor: cr.AnchorNS, burstAt: -1}
		for _, s := range cr.Seats {
			if len(s.Groups) == 1 && s.Groups[0] == "players" {
				rm.codes = append(rm.codes, s.Code)
			}
		}
		if len(rm.codes) != players {
			return nil, fmt.Errorf("exercise %d: %d player seats, want %d", r, len(rm.codes), players)
		}
		for _, in := range spec.injects {
			ms := in.at.Milliseconds() * int64(time.Millisecond)
			switch in.name[0] {
			case 'p':
				rm.paced = append(rm.paced, ms)
			case 'b':
				rm.burstAt = ms
			}
		}
		out[r] = rm
	}
	return out, nil
}

// joinBudget is the time left for n players to join before the first
// inject is due: about three times what joining takes on a quiet machine
// here (firedrill takes about 1 ms a player, see CONNECT), so a busy one
// does not void the run.
func joinBudget(n int) time.Duration { return 2*time.Second + time.Duration(n)*3*time.Millisecond }

func fanout(c fanoutCfg) (Result, error) {
	res := Result{Impl: "firedrill", Bench: "fanout", N: c.n, Rooms: c.rooms, Rate: c.rate, PacedSec: c.paced.Seconds(),
		Burst: c.burst, EventBytes: c.eventLen, Env: env()}
	perRoom, err := playersPerRoom(c.n, c.rooms, 0)
	if err != nil {
		return res, err
	}
	seats := min(perRoom, 50)
	files, err := newRunFiles()
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(files.dir)
	ch, err := startServer(files.db, "127.0.0.1:0", files.log)
	if err != nil {
		return res, err
	}
	defer ch.kill()
	time.Sleep(200 * time.Millisecond)

	// Creating an exercise takes about 25 ms plus 0.1 ms an inject here;
	// players join at about 1 ms each with 64 dials in flight.
	budget := c.budget
	if budget == 0 {
		budget = joinBudget(c.n)
	}
	per := int(c.rate*c.paced.Seconds() + 0.5)
	createEst := time.Duration(c.rooms)*(40*time.Millisecond+time.Duration(per+c.burst)*100*time.Microsecond) + 300*time.Millisecond
	pacedStart := time.Now().Add(createEst + budget)
	burstWall := pacedStart.Add(c.paced + 1500*time.Millisecond)
	tc := time.Now()
	rooms, err := createRooms(ch, c.rooms, seats, c.eventLen, c.rate, c.paced, c.burst, pacedStart, burstWall, nil)
	if err != nil {
		return res, err
	}
	res.CreateSec = time.Since(tc).Seconds()
	base := ch.stats(true)
	cliBase := procStatusKB("VmRSS")

	col := newCollector()
	nStall := int(float64(c.n)*c.stall + 0.5)
	ps := make([]*player, c.n)
	stride := 0
	if nStall > 0 {
		stride = c.n / nStall
	}
	for i := range ps {
		r := i * c.rooms / c.n
		p := &player{i: i, room: r, code: rooms[r].codes[(i-r*perRoom)%seats], anchor: rooms[r].anchor}
		if stride > 0 && i%stride == stride/2 && res.Stalled < nStall {
			p.stall, p.rcvbuf = true, 4096
			res.Stalled++
		}
		p.samples = make([]sample, 0, len(rooms[r].paced)+c.burst)
		ps[i] = p
	}
	healthy := int64(c.n - res.Stalled)
	h := &hooks{inject: func(p *player, _ int64) {
		if !p.stall {
			col.add()
		}
	}}
	release := make(chan struct{})
	var readers sync.WaitGroup
	var prof sync.WaitGroup
	profileNow := func(phase string) {
		if c.profile != "" && c.profilePhase == phase {
			prof.Add(1)
			go func() { defer prof.Done(); ch.profile(3*time.Second, c.profile) }()
		}
		if c.trace != "" && c.profilePhase == phase {
			prof.Add(1)
			go func() { defer prof.Done(); ch.trace(c.trace) }()
		}
	}
	profileNow("connect")
	connect, dialDur, err := connectAll(ps, ch.addr, c.dialConc, h, release, &readers, 2*time.Minute, nil)
	if err != nil {
		return res, err
	}
	res.ConnectSec = connect.Seconds()
	dl := latStats(dialDur)
	res.ConnP50ms, res.ConnP99ms = dl.P50, dl.P99

	time.Sleep(500 * time.Millisecond)
	conn := ch.stats(false)
	connGC := ch.stats(true)
	if c.heapProfile != "" {
		ch.save("/debug/pprof/heap?gc=1", c.heapProfile)
	}
	res.SrvRSSBase, res.SrvRSSConn = base.RSSKB, conn.RSSKB
	res.PerConnRSS = float64(conn.RSSKB-base.RSSKB) * 1024 / float64(c.n)
	res.PerConnGo = float64((connGC.HeapAlloc+connGC.StackInuse)-(base.HeapAlloc+base.StackInuse)) / float64(c.n)
	res.Goroutines = connGC.Goroutines
	if late := time.Until(pacedStart); late < 100*time.Millisecond {
		return res, fmt.Errorf("players joined %v too late for the first inject: raise -budget", -late)
	}
	logf("fanout %dx%d: created in %.2fs, joined in %.2fs, %.1fs to spare", c.rooms, perRoom, res.CreateSec, res.ConnectSec, time.Until(pacedStart).Seconds())

	per = len(rooms[0].paced)
	col.arm(healthy * int64(per))
	ps0 := ch.stats(false)
	pc0 := cpuSec()
	time.AfterFunc(time.Until(pacedStart), func() { profileNow("paced") })
	if _, ok := col.wait(time.Until(pacedStart) + c.paced + c.timeout); !ok {
		logf("fanout: paced phase incomplete (%d/%d)", col.recv.Load(), col.target.Load())
	}
	ps1 := ch.stats(false)
	pc1 := cpuSec()
	res.SrvGCPaced = ps1.NumGC - ps0.NumGC
	res.PacedSrvUs = (ps1.CPUSec - ps0.CPUSec) * 1e6 / float64(healthy*int64(per))
	res.PacedTotUs = res.PacedSrvUs + (pc1-pc0)*1e6/float64(healthy*int64(per))

	// Burst: every exercise's burst is due at burstWall, give or take the
	// millisecond rounding and the anchor estimate.
	tb := time.Unix(0, rooms[0].anchor+rooms[0].burstAt)
	lastDue := tb
	for _, rm := range rooms {
		due := time.Unix(0, rm.anchor+rm.burstAt)
		if due.Before(tb) {
			tb = due
		}
		if due.After(lastDue) {
			lastDue = due
		}
	}
	res.BurstSkewMs = float64(lastDue.Sub(tb)) / 1e6
	if w := time.Until(tb) - 150*time.Millisecond; w > 0 {
		time.Sleep(w)
	} else {
		logf("fanout: the paced phase ran into the burst (%v late)", -w)
	}
	_ = ch.get("/_bench/resethwm", nil)
	s0 := ch.stats(false)
	c0 := cpuSec()
	col.arm(healthy * int64(per+c.burst))
	profileNow("burst")
	te, ok := col.wait(time.Until(tb) + c.timeout)
	c1 := cpuSec()
	if !ok {
		logf("fanout: burst phase incomplete (%d/%d)", col.recv.Load(), col.target.Load())
	}
	s1 := ch.stats(false)
	prof.Wait()
	var ticks map[string][]tick
	if err := ch.get("/_bench/ticks", &ticks); err != nil {
		return res, err
	}
	after := ch.stats(true)
	res.PerConnGoB = float64((after.HeapAlloc+after.StackInuse)-(base.HeapAlloc+base.StackInuse)) / float64(c.n)
	res.SrvPeakKB = s1.HWMKB
	res.SrvCPU = s1.CPUSec - s0.CPUSec
	res.CliCPU = c1 - c0
	res.SrvGCBurst = s1.NumGC - s0.NumGC
	_ = cliBase

	// Stalled players read what reached them: were they dropped?
	close(release)
	if res.Stalled > 0 {
		time.Sleep(2 * time.Second)
	}
	ch.kill()
	for _, p := range ps {
		p.close()
	}
	readers.Wait()

	// Results, from healthy players only.
	var paced, pacedDue, burstLat, burstDue []int64
	type key struct {
		room int
		at   int64
	}
	last, first, lastFromDue, late := map[key]int64{}, map[key]int64{}, map[key]int64{}, map[key]int64{}
	for _, p := range ps {
		res.Dups += int64(p.dups)
		res.Errors += p.errors
		if res.FirstErr == "" {
			res.FirstErr = p.firstErr
		}
		if p.stall {
			if p.closing != "" {
				res.StallDrop++
			}
			if os.Getenv("LOADTEST_DEBUG") != "" {
				logf("stalled player %d: %d events, %d injects, closing %q", p.i, p.events, len(p.samples), p.closing)
			}
			continue
		}
		rm := rooms[p.room]
		for _, s := range p.samples {
			due := rm.anchor + s.at()
			w, ok := began(ticks[rm.id], s.at())
			if !ok {
				res.TicksUnknown++
				w = due
			}
			lat := due + s.lat() - w
			if s.at() == rm.burstAt {
				burstLat = append(burstLat, lat)
				burstDue = append(burstDue, s.lat())
				continue
			}
			paced = append(paced, lat)
			pacedDue = append(pacedDue, s.lat())
			k := key{p.room, s.at()}
			if v, ok := last[k]; !ok || lat > v {
				last[k] = lat
			}
			if v, ok := first[k]; !ok || lat < v {
				first[k] = lat
			}
			if v, ok := lastFromDue[k]; !ok || s.lat() > v {
				lastFromDue[k] = s.lat()
			}
			late[k] = w - due
		}
	}
	var complete, firsts, completeDue, lates []int64
	for k, v := range last {
		complete = append(complete, v)
		firsts = append(firsts, first[k])
		completeDue = append(completeDue, lastFromDue[k])
		lates = append(lates, late[k])
	}
	res.Paced = latStats(paced)
	res.PacedFanout = latStats(complete)
	res.PacedFirst = latStats(firsts)
	res.PacedDue = latStats(pacedDue)
	res.PacedFanDue = latStats(completeDue)
	res.BurstLat = latStats(burstLat)
	res.BurstDue = latStats(burstDue)
	res.PacedLate = latStats(lates)
	res.BurstDeliv = int64(len(burstLat))
	res.BurstSec = te.Sub(tb).Seconds()
	res.BurstDPS = float64(res.BurstDeliv) / res.BurstSec
	res.Missing = healthy*int64(per+c.burst) - int64(len(paced)+len(burstLat))
	if res.BurstDeliv > 0 {
		res.SrvUsPerDel = res.SrvCPU * 1e6 / float64(res.BurstDeliv)
		res.TotUsPerDel = (res.SrvCPU + res.CliCPU) * 1e6 / float64(res.BurstDeliv)
	}
	return res, nil
}
