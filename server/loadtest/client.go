package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// sample is one inject delivered to one client: the inject's virtual time,
// in milliseconds (a generated scenario's injects fall on whole ones), and
// how long after it was due the client had it, in microseconds. Eight
// bytes, as perfbase's client keeps per delivery: with sixteen, the first
// samples of the paced phase faulted in twice the fresh pages perfbase's
// do, on the two cores the server runs on, and the first 200 ms of the
// phase carried most of firedrill's p99 (100 x 50 with a 200-inject burst
// planned).
type sample struct {
	atMs  int32
	latUs int32
}

func newSample(at, lat int64) sample {
	return sample{atMs: int32(at / int64(time.Millisecond)), latUs: int32(lat / int64(time.Microsecond))}
}

// at is the inject's virtual time in ns.
func (s sample) at() int64 { return int64(s.atMs) * int64(time.Millisecond) }

// lat is how long after it was due the client had it, in ns.
func (s sample) lat() int64 { return int64(s.latUs) * int64(time.Microsecond) }

// player is one websocket client. Its reader goroutine alone writes the
// fields below the line; read them once the reader has stopped.
type player struct {
	i, room  int
	code     string
	anchor   int64 // wall ns of the room's virtual 0 (speed 1)
	stall    bool  // stops reading after the welcome
	keepSeqs bool
	rcvbuf   int // SO_RCVBUF for the socket; 0: the kernel's

	wmu  sync.Mutex // one writer at a time
	conn *websocket.Conn
	sent []atomic.Int64 // wall ns each action was sent, by its index

	// ----
	lastSeq  uint64
	events   int // events delivered, of any kind
	seqs     []uint64
	dups     int // events at or below the last seq seen
	samples  []sample
	welcomes int
	joinedAt time.Time
	closing  string
	errors   int
	firstErr string
	acks     []int64 // ns from send to ack
}

// hooks is what a run wants to hear of.
type hooks struct {
	inject  func(p *player, at int64) // an inject was delivered
	welcome func(p *player)
	ack     func(p *player)
}

var (
	seqKey   = []byte(`{"seq":`)
	atKey    = []byte(`,"at":`)
	kindKey  = []byte(`,"kind":"`)
	ackHead  = []byte(`{"type":"ack"`)
	evHead   = []byte(`{"type":"event`)
	welHead  = []byte(`{"type":"welcome"`)
	errHead  = []byte(`{"type":"error"`)
	closHead = []byte(`{"type":"closing"`)
	idKey    = []byte(`"id":"a`)
)

// scanEvent reads the head of a marshalled engine.Event, which always
// starts {"seq":N,"at":N,"kind":"K". It is what perfbase's fixed-offset
// timestamp read is to its clients: cheap, so the client's CPU is spent on
// sockets, as the baseline's is.
func scanEvent(b []byte) (seq uint64, at int64, kind string, ok bool) {
	if !bytes.HasPrefix(b, seqKey) {
		return 0, 0, "", false
	}
	b = b[len(seqKey):]
	n, b := digits(b)
	if !bytes.HasPrefix(b, atKey) {
		return 0, 0, "", false
	}
	a, b := digits(b[len(atKey):])
	if !bytes.HasPrefix(b, kindKey) {
		return 0, 0, "", false
	}
	b = b[len(kindKey):]
	end := bytes.IndexByte(b, '"')
	if end < 0 {
		return 0, 0, "", false
	}
	return uint64(n), a, string(b[:end]), true
}

func digits(b []byte) (int64, []byte) {
	var v int64
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		v = v*10 + int64(b[i]-'0')
		i++
	}
	return v, b[i:]
}

// handle takes one frame received at now (unix ns).
func (p *player) handle(b []byte, now int64, h *hooks) {
	switch {
	case bytes.HasPrefix(b, evHead): // "event" and "events"
		for {
			i := bytes.Index(b, seqKey)
			if i < 0 {
				return
			}
			b = b[i:]
			seq, at, kind, ok := scanEvent(b)
			b = b[len(seqKey):]
			if !ok {
				continue
			}
			p.events++
			if seq <= p.lastSeq {
				p.dups++
			} else {
				p.lastSeq = seq
			}
			if p.keepSeqs {
				p.seqs = append(p.seqs, seq)
			}
			if kind == "inject" {
				p.samples = append(p.samples, newSample(at, now-(p.anchor+at)))
				if h.inject != nil {
					h.inject(p, at)
				}
			}
		}
	case bytes.HasPrefix(b, ackHead):
		i := bytes.Index(b, idKey)
		if i < 0 {
			return
		}
		k, _ := digits(b[i+len(idKey):])
		if int(k) < len(p.sent) {
			if s := p.sent[k].Load(); s > 0 {
				p.acks = append(p.acks, now-s)
				if h.ack != nil {
					h.ack(p)
				}
			}
		}
	case bytes.HasPrefix(b, welHead):
		p.welcomes++
		p.joinedAt = time.Unix(0, now)
		if h.welcome != nil {
			h.welcome(p)
		}
	case bytes.HasPrefix(b, errHead):
		p.errors++
		if p.firstErr == "" {
			p.firstErr = string(b)
		}
	case bytes.HasPrefix(b, closHead):
		p.closing = string(b)
	}
}

// dial connects and says hello, resuming after p.lastSeq.
func (p *player) dial(ctx context.Context, addr string) error {
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	if p.rcvbuf > 0 {
		size := p.rcvbuf
		nd := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, size) })
			return errors.Join(err, serr)
		}}
		d.NetDialContext = nd.DialContext
	}
	conn, resp, err := d.DialContext(ctx, "ws://"+addr+"/ws", http.Header{"Authorization": {"Bearer " + p.code}})
	if err != nil {
		if resp != nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			err = errors.New(err.Error() + ": " + resp.Status + " " + string(b))
		}
		return err
	}
	hello := []byte(`{"type":"hello"}`)
	if p.lastSeq > 0 {
		hello = []byte(`{"type":"hello","resume_after":` + strconv.FormatUint(p.lastSeq, 10) + `}`)
	}
	p.wmu.Lock()
	p.conn = conn
	err = conn.WriteMessage(websocket.TextMessage, hello)
	p.wmu.Unlock()
	if err != nil {
		conn.Close()
		return err
	}
	return nil
}

// read takes frames until the connection ends. A stalling player reads up
// to its welcome, then waits for release before reading on.
func (p *player) read(h *hooks, release <-chan struct{}) error {
	conn := p.conn
	buf := make([]byte, 0, 1024)
	for {
		_, r, err := conn.NextReader()
		if err != nil {
			return err
		}
		buf = buf[:0]
		for {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
		}
		welcomed := p.welcomes
		p.handle(buf, time.Now().UnixNano(), h)
		if p.stall && release != nil && p.welcomes > welcomed {
			<-release
			release = nil
		}
	}
}

// send writes one client frame.
func (p *player) send(b []byte) error {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	if p.conn == nil {
		return errors.New("not connected")
	}
	_ = p.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return p.conn.WriteMessage(websocket.TextMessage, b)
}

func (p *player) close() {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	if p.conn != nil {
		p.conn.Close()
	}
}

// connectAll dials every player, conc at a time, each starting its reader;
// it returns once every player is welcomed, or on the first error or the
// timeout. readers is done when every reader has stopped. after, when set,
// runs on the reader's goroutine once its connection has ended.
func connectAll(ps []*player, addr string, conc int, h *hooks, release <-chan struct{}, readers *sync.WaitGroup, timeout time.Duration, after func(p *player, h *hooks)) (time.Duration, []int64, error) {
	var joined sync.WaitGroup
	joined.Add(len(ps))
	inner := *h
	inner.welcome = func(p *player) {
		if p.welcomes == 1 {
			joined.Done()
		}
		if h.welcome != nil {
			h.welcome(p)
		}
	}
	var errOnce sync.Once
	var firstErr error
	failed := make(chan struct{})
	dialDur := make([]int64, len(ps))
	sem := make(chan struct{}, conc)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	t0 := time.Now()
	go func() {
		for i, p := range ps {
			select {
			case sem <- struct{}{}:
			case <-failed:
				return
			}
			go func() {
				defer func() { <-sem }()
				ts := time.Now()
				if err := p.dial(ctx, addr); err != nil {
					errOnce.Do(func() { firstErr = err; close(failed) })
					return
				}
				dialDur[i] = int64(time.Since(ts))
				readers.Add(1)
				go func() {
					defer readers.Done()
					_ = p.read(&inner, release)
					if after != nil {
						after(p, &inner)
					}
				}()
			}()
		}
	}()
	done := make(chan struct{})
	go func() { joined.Wait(); close(done) }()
	select {
	case <-done:
		return time.Since(t0), dialDur, nil
	case <-failed:
		return 0, nil, firstErr
	case <-ctx.Done():
		return 0, nil, errors.New("not every player was welcomed in time")
	}
}
