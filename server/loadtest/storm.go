package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

var recoverProfile string

// StormResult is one RECONNECT-STORM run.
type StormResult struct {
	Impl        string  `json:"impl"`
	Bench       string  `json:"bench"`
	N           int     `json:"n"`
	Rooms       int     `json:"rooms"`
	Env         Env     `json:"env"`
	KilledAfter float64 `json:"killed_after_sec"` // of the event stream
	RestartSec  float64 `json:"restart_sec"`      // spawn to listening, Recover included
	OpenSec     float64 `json:"store_open_sec"`   // store.Open after the crash, in the child
	RecoverSec  float64 `json:"recover_sec"`      // Recover, in the child
	Recovered   int     `json:"recovered_exercises"`
	ResumeSec   float64 `json:"resume_all_sec"`      // listening to every player welcomed again
	KillToAll   float64 `json:"kill_to_all_resumed"` // kill to every player welcomed again
	Resume      Lat     `json:"resume_latency"`      // listening to each player's welcome
	Redials     int64   `json:"redials"`             // failed dials before success
	Incomplete  int     `json:"players_incomplete"`  // did not get the last inject
	Checked     int     `json:"players_checked"`
	Events      int64   `json:"events_checked"`
	Missed      int64   `json:"missed"`
	Dups        int64   `json:"duplicates"`
	Errors      int     `json:"errors"`
	FirstErr    string  `json:"first_error,omitempty"`
}

func stormMain(args []string) {
	fs := flag.NewFlagSet("storm", flag.ExitOnError)
	n := fs.Int("n", 5000, "players")
	rooms := fs.Int("rooms", 100, "exercises")
	rate := fs.Float64("rate", 10, "injects per second per exercise")
	stream := fs.Duration("stream", 8*time.Second, "length of each exercise's inject stream (virtual)")
	killAt := fs.Duration("kill", 3*time.Second, "kill the server this far into the stream")
	fs.StringVar(&recoverProfile, "recover-profile", "", "save a CPU profile of the restarted server's Recover here")
	_ = fs.Parse(args)
	raiseNoFile()
	time.AfterFunc(4*time.Minute, func() { fatalf("storm: still running after 4 minutes") })
	res, err := storm(*n, *rooms, *rate, *stream, *killAt)
	if err != nil {
		fatalf("storm: %v", err)
	}
	emit(res)
}

// storm: players follow a stream of injects; the server is killed (SIGKILL)
// part-way and started again on the same database; once it listens, every
// player redials at once and says hello with resume_after = the last seq it
// saw. When every player has the stream's last inject, each one's received
// seqs are compared with what the server's log says its seat may see
// (GET /api/exercises/{id}/events): every seq once, none missing.
func storm(n, rooms int, rate float64, stream, killAt time.Duration) (StormResult, error) {
	res := StormResult{Impl: "firedrill", Bench: "storm", N: n, Rooms: rooms, Env: env(), KilledAfter: killAt.Seconds()}
	perRoom, err := playersPerRoom(n, rooms, 50)
	if err != nil {
		return res, err
	}
	files, err := newRunFiles()
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(files.dir)
	db, logPath := files.db, files.log
	ch, err := startServer(db, "127.0.0.1:0", logPath)
	if err != nil {
		return res, err
	}
	defer func() { ch.kill() }()
	per := int(rate*stream.Seconds() + 0.5)
	pacedStart := time.Now().Add(time.Duration(rooms)*(40*time.Millisecond+time.Duration(per)*100*time.Microsecond) + 300*time.Millisecond + joinBudget(n))
	rms, err := createRooms(ch, rooms, perRoom, 300, rate, stream, 0, pacedStart, pacedStart, nil)
	if err != nil {
		return res, err
	}
	final := make([]int64, rooms)
	for r, rm := range rms {
		final[r] = slices.Max(rm.paced)
	}
	ps := make([]*player, n)
	for i := range ps {
		r := i * rooms / n
		ps[i] = &player{i: i, room: r, code: rms[r].codes[i-r*perRoom], anchor: rms[r].anchor, keepSeqs: true}
	}
	done := newCollector()
	done.arm(int64(n))
	resumed := newCollector()
	resumed.arm(int64(n))
	resumedAt := make([]int64, n)
	h := &hooks{
		inject: func(p *player, at int64) {
			if at == final[p.room] {
				done.add()
			}
		},
		welcome: func(p *player) {
			if p.welcomes == 2 {
				resumedAt[p.i] = time.Now().UnixNano()
				resumed.add()
			}
		},
	}
	restarted := make(chan struct{})
	var addr atomic.Value
	var redials atomic.Int64
	after := func(p *player, h *hooks) {
		<-restarted
		deadline := time.Now().Add(time.Minute)
		for time.Now().Before(deadline) {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			err := p.dial(ctx, addr.Load().(string))
			cancel()
			if err == nil {
				_ = p.read(h, nil)
				return
			}
			redials.Add(1)
			time.Sleep(time.Duration(50+rand.IntN(100)) * time.Millisecond)
		}
	}
	var readers sync.WaitGroup
	if _, _, err := connectAll(ps, ch.addr, 64, h, nil, &readers, 2*time.Minute, after); err != nil {
		return res, err
	}
	addr.Store(ch.addr)
	if time.Until(pacedStart) < 100*time.Millisecond {
		return res, fmt.Errorf("players joined too late for the stream")
	}
	time.Sleep(time.Until(pacedStart.Add(killAt)))
	tKill := time.Now()
	ch.kill()
	time.Sleep(300 * time.Millisecond)
	var extra []string
	if recoverProfile != "" {
		extra = []string{"-recover-profile", recoverProfile}
	}
	ch2, err := startServer(db, ch.addr, logPath, extra...)
	if err != nil {
		return res, fmt.Errorf("restart: %w", err)
	}
	ch = ch2
	tUp := time.Now()
	res.RestartSec, res.OpenSec, res.RecoverSec, res.Recovered = ch.startSec, ch.openSec, ch.recoverSec, ch.recovered
	close(restarted)
	tAll, ok := resumed.wait(time.Minute)
	if !ok {
		logf("storm: %d of %d players resumed", resumed.recv.Load(), n)
	}
	res.ResumeSec = tAll.Sub(tUp).Seconds()
	res.KillToAll = tAll.Sub(tKill).Seconds()
	var rl []int64
	for _, t := range resumedAt {
		if t > 0 {
			rl = append(rl, t-tUp.UnixNano())
		}
	}
	res.Resume = latStats(rl)
	res.Redials = redials.Load()
	if _, ok := done.wait(stream + 30*time.Second); !ok {
		logf("storm: %d of %d players have the last inject", done.recv.Load(), n)
	}
	time.Sleep(200 * time.Millisecond)

	// Verify against the server's own account of what each seat may see.
	type seatKey struct{ room, code string }
	logs := map[seatKey][]uint64{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var fetchErr atomic.Value
	for r, rm := range rms {
		for _, code := range rm.codes {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				seqs, err := visibleSeqs(hc, ch.addr, rms[r].id, code)
				if err != nil {
					fetchErr.Store(err)
					return
				}
				mu.Lock()
				logs[seatKey{rm.id, code}] = seqs
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	if err, ok := fetchErr.Load().(error); ok {
		return res, fmt.Errorf("read the server's log: %w", err)
	}
	ch.kill()
	for _, p := range ps {
		p.close()
	}
	readers.Wait()
	for _, p := range ps {
		res.Errors += p.errors
		if res.FirstErr == "" {
			res.FirstErr = p.firstErr
		}
		if p.welcomes < 2 || !slices.ContainsFunc(p.samples, func(s sample) bool { return s.at() == final[p.room] }) {
			res.Incomplete++
		}
		want := logs[seatKey{rms[p.room].id, p.code}]
		got := map[uint64]int{}
		for _, s := range p.seqs {
			got[s]++
		}
		for _, c := range got {
			if c > 1 {
				res.Dups += int64(c - 1)
			}
		}
		for _, s := range want {
			if s > p.lastSeq {
				break
			}
			res.Events++
			if got[s] == 0 {
				res.Missed++
			}
		}
		res.Checked++
	}
	return res, nil
}

// visibleSeqs reads every seq the code may see, a page at a time.
func visibleSeqs(hc *http.Client, addr, id, code string) ([]uint64, error) {
	var out []uint64
	after := uint64(0)
	for {
		page, err := visiblePage(hc, addr, id, code, after)
		if err != nil || len(page) == 0 {
			return out, err
		}
		out = append(out, page...)
		after = page[len(page)-1]
	}
}

func visiblePage(hc *http.Client, addr, id, code string, after uint64) ([]uint64, error) {
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://%s/api/exercises/%s/events?after=%d&limit=5000", addr, id, after), nil)
	req.Header.Set("Authorization", "Bearer "+code)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s", resp.Status)
	}
	var evs []struct {
		Seq uint64 `json:"seq"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&evs); err != nil {
		return nil, err
	}
	out := make([]uint64, len(evs))
	for i, e := range evs {
		out[i] = e.Seq
	}
	return out, nil
}
