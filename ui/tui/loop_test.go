package tui

import (
	"context"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/firedrill/firedrill/engine"
)

// TestLoopCoalescesDraws: messages already waiting when the loop wakes are
// all handled before the next draw, so a burst costs one draw, not one per
// event. The loop keeps running when the client stops, resizes cleanly,
// and returns when the player quits.
func TestLoopCoalescesDraws(t *testing.T) {
	tc := newTestConsole(t, playerConsole, 80, 24)
	keys := make(chan tcell.Event, 8)
	msgs := make(chan Message, 200)
	for _, m := range playerStory() {
		msgs <- m
	}
	for i := range 100 {
		msgs <- events(ev(uint64(100+i), 20*minute, "", engine.ChatData{Channel: "group:claims", From: "ana", Text: "burst"}))
	}
	close(msgs) // the client stopped
	draws := make(chan int, 64)
	n := 0
	tc.afterDraw = func(*console) {
		n++
		draws <- n
	}
	done := make(chan error, 1)
	go func() { done <- tc.loop(context.Background(), keys, msgs) }()
	wait := func(atLeast int) {
		t.Helper()
		for {
			select {
			case d := <-draws:
				if d >= atLeast {
					return
				}
			case <-time.After(readGuard):
				t.Fatal("the loop stopped drawing")
			}
		}
	}
	wait(2)
	keys <- tcell.NewEventResize(20, 10)
	wait(3)
	keys <- tcell.NewEventKey(tcell.KeyEscape, 0, tcell.ModNone)
	keys <- tcell.NewEventKey(tcell.KeyRune, 'q', tcell.ModNone)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(readGuard):
		t.Fatal("q did not stop the loop")
	}
	if n > 5 {
		t.Fatalf("%d draws for a burst of %d messages and three keys; the loop should coalesce", n, len(playerStory())+100)
	}
	if tc.m.LastSeq != 199 {
		t.Fatalf("the loop handled events up to %d", tc.m.LastSeq)
	}
}

// TestLoopStopsWithContext: cancelling the context ends the loop.
func TestLoopStopsWithContext(t *testing.T) {
	tc := newTestConsole(t, facilitatorConsole, 80, 24)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tc.loop(ctx, make(chan tcell.Event), make(chan Message)) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(readGuard):
		t.Fatal("the loop ignored its context")
	}
}

// TestRunWithoutClient: Run refuses to start without a client rather than
// taking the terminal.
func TestRunWithoutClient(t *testing.T) {
	s := tcell.NewSimulationScreen("UTF-8")
	if err := Run(context.Background(), s, nil); err == nil {
		t.Fatal("Run without a client")
	}
}
