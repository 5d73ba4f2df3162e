package main

import (
	"flag"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// IngestResult is one ACTION-INGEST run.
type IngestResult struct {
	Impl       string  `json:"impl"`
	Bench      string  `json:"bench"`
	N          int     `json:"n"`
	Rooms      int     `json:"rooms"`
	EverySec   float64 `json:"every_sec"`
	ForSec     float64 `json:"for_sec"`
	Store      string  `json:"store"`
	Env        Env     `json:"env"`
	Sent       int     `json:"actions_sent"`
	Acked      int     `json:"acks"`
	Errors     int     `json:"errors"`
	FirstErr   string  `json:"first_error,omitempty"`
	Ack        Lat     `json:"ack_latency"`
	ActionsPS  float64 `json:"actions_per_sec"`
	Deliveries int64   `json:"chat_deliveries"`
	SrvCPU     float64 `json:"srv_cpu_sec"`
	SrvUsPerAc float64 `json:"srv_cpu_us_per_action"`
}

func ingestMain(args []string) {
	fs := flag.NewFlagSet("ingest", flag.ExitOnError)
	n := fs.Int("n", 5000, "players")
	rooms := fs.Int("rooms", 100, "exercises")
	every := fs.Duration("every", 5*time.Second, "each player sends one action this often")
	dur := fs.Duration("for", 15*time.Second, "how long players act")
	textLen := fs.Int("text", 100, "bytes of chat text")
	profile := fs.String("cpuprofile", "", "save a CPU profile of the server while players act")
	trace := fs.String("trace", "", "save an execution trace of the server (3 s while players act)")
	_ = fs.Parse(args)
	raiseNoFile()
	time.AfterFunc(4*time.Minute, func() { fatalf("ingest: still running after 4 minutes") })
	res, err := ingest(*n, *rooms, *every, *dur, *textLen, *profile, *trace)
	if err != nil {
		fatalf("ingest: %v", err)
	}
	emit(res)
}

// ingest: every player sends a chat message to its group's channel (the
// whole exercise's players) once per every, at a random phase; the ack,
// which the server sends after the commit, is timed at the client.
func ingest(n, rooms int, every, dur time.Duration, textLen int, profile, trace string) (IngestResult, error) {
	res := IngestResult{Impl: "firedrill", Bench: "ingest", N: n, Rooms: rooms, EverySec: every.Seconds(), ForSec: dur.Seconds(),
		Store: "SQLite file (WAL, synchronous=FULL), modernc.org/sqlite", Env: env()}
	perRoom, err := playersPerRoom(n, rooms, 50)
	if err != nil {
		return res, err
	}
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
	far := time.Now().Add(time.Hour)
	rms, err := createRooms(ch, rooms, perRoom, 300, 0, 0, 0, far, far, nil)
	if err != nil {
		return res, err
	}
	K := int(dur / every)
	ps := make([]*player, n)
	for i := range ps {
		r := i * rooms / n
		ps[i] = &player{i: i, room: r, code: rms[r].codes[i-r*perRoom], anchor: rms[r].anchor, sent: make([]atomic.Int64, K)}
	}
	var acked atomic.Int64
	allAcked := make(chan struct{})
	total := int64(n * K)
	h := &hooks{ack: func(*player) {
		if acked.Add(1) == total {
			close(allAcked)
		}
	}}
	var readers sync.WaitGroup
	if _, _, err := connectAll(ps, ch.addr, 64, h, nil, &readers, 2*time.Minute, nil); err != nil {
		return res, err
	}
	text := make([]byte, textLen)
	for i := range text {
		text[i] = 'a' + byte(i%26)
	}
	time.Sleep(500 * time.Millisecond)
	s0 := ch.stats(false)
	start := time.Now().Add(200 * time.Millisecond)
	rng := rand.New(rand.NewPCG(3, 9))
	var senders sync.WaitGroup
	var sendErrs atomic.Int64
	for _, p := range ps {
		off := time.Duration(rng.Int64N(int64(every)))
		senders.Add(1)
		go func() {
			defer senders.Done()
			for k := range K {
				time.Sleep(time.Until(start.Add(off + time.Duration(k)*every)))
				frame := `{"type":"chat","id":"a` + strconv.Itoa(k) + `","channel":"group:players","text":"` + string(text) + `"}`
				p.sent[k].Store(time.Now().UnixNano())
				if err := p.send([]byte(frame)); err != nil {
					sendErrs.Add(1)
					return
				}
			}
		}()
	}
	if profile != "" {
		go ch.profile(dur-2*time.Second, profile)
	}
	if trace != "" {
		go ch.trace(trace)
	}
	senders.Wait()
	select {
	case <-allAcked:
	case <-time.After(10 * time.Second):
		logf("ingest: %d of %d actions acknowledged", acked.Load(), total)
	}
	elapsed := time.Since(start)
	s1 := ch.stats(false)
	ch.kill()
	for _, p := range ps {
		p.close()
	}
	readers.Wait()
	var lat []int64
	for _, p := range ps {
		lat = append(lat, p.acks...)
		res.Errors += p.errors
		if res.FirstErr == "" {
			res.FirstErr = p.firstErr
		}
		res.Deliveries += int64(p.events)
	}
	res.Sent = n*K - int(sendErrs.Load())
	res.Acked = len(lat)
	res.Ack = latStats(lat)
	res.ActionsPS = float64(res.Acked) / elapsed.Seconds()
	res.SrvCPU = s1.CPUSec - s0.CPUSec
	if res.Acked > 0 {
		res.SrvUsPerAc = res.SrvCPU * 1e6 / float64(res.Acked)
	}
	return res, nil
}
