package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/server"
	"github.com/firedrill/firedrill/server/store"
	"github.com/firedrill/firedrill/ui/tui"
)

// newScreen opens the terminal; tests swap in a simulation screen.
var newScreen = tcell.NewScreen

func runPlay(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("play", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	url := fs.String("server", "http://127.0.0.1:7400", "the firedrill server")
	code := fs.String("code", "", "your join code (or the facilitator code)")
	facilitator := fs.Bool("facilitator", false, "open the facilitator console (needs the facilitator code)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *code == "" || fs.NArg() > 0 {
		return usageError{"firedrill play --server URL --code CODE [--facilitator]"}
	}
	client, err := tui.Dial(ctx, *url, *code)
	if err != nil {
		return err
	}
	defer client.Close()
	screen, err := newScreen()
	if err != nil {
		return fmt.Errorf("open the terminal: %w", err)
	}
	if *facilitator {
		return tui.RunFacilitator(ctx, screen, client)
	}
	return tui.Run(ctx, screen, client)
}

// runDrill is the one-command main job: an embedded server on a loopback
// port with the default SQLite store, an exercise with you in one seat and
// bots in every other, the player console, and the review at the end.
func runDrill(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("drill", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	as := fs.String("as", "incident-manager", "your seat or role: a person of the scenario, service-desk, incident-manager, command-center, or a role such as technician")
	speed := fs.Float64("speed", 10, "virtual seconds per wall second")
	db := fs.String("db", "firedrill.db", "the store (SQLite file, or postgres://…)")
	skill := fs.String("skill", "expert", "the bots' skill: novice, practiced or expert")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if name == "" {
		return usageError{"name one scenario: firedrill drill NAME|FILE [--as SEAT] [--speed N]"}
	}
	sc, err := loadScenario(e, name)
	if err != nil {
		return err
	}
	seat, err := seatFor(sc, *as)
	if err != nil {
		return usageError{err.Error()}
	}

	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(server.Config{Store: st, Logger: logger})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		_ = hs.Shutdown(shutdown)
		_ = srv.Shutdown(shutdown)
	}
	defer stop()
	url := "http://" + ln.Addr().String()

	req := server.CreateRequest{Scenario: sc.Name, Speed: *speed, Humans: []string{seat}, Skill: *skill, EndOnRestore: true}
	if isPath(name) {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		req.Source = string(src)
	}
	resp, err := srv.Create(ctx, req)
	if err != nil {
		return err
	}
	code := resp.Seats[0].Code
	client, err := tui.Dial(ctx, url, code)
	if err != nil {
		return err
	}
	screen, err := newScreen()
	if err != nil {
		client.Close()
		return fmt.Errorf("open the terminal: %w", err)
	}
	runErr := tui.Run(ctx, screen, client)
	client.Close()
	fmt.Fprintf(e.stdout, "Exercise %s (%s) — you played %s. Facilitator code: %s\n", resp.ID, resp.Title, seat, resp.FacilitatorCode)
	// Quitting ends the exercise (as the facilitator's end would) unless it
	// already ended; then everything is committed before the review reads it.
	if err := srv.End(ctx, resp.ID); err != nil {
		return errors.Join(runErr, err)
	}
	stop()
	paths, err := writeReview(ctx, e, *db, resp.ID)
	if err != nil {
		return errors.Join(runErr, fmt.Errorf("write the review: %w", err))
	}
	for _, p := range paths {
		fmt.Fprintf(e.stdout, "Review: %s\n", p)
	}
	return runErr
}

// seatFor turns --as into a seat: a seat's name as it is, or a role, which
// picks the first seat that holds it.
func seatFor(sc *scenario.Scenario, as string) (string, error) {
	seats := sc.Seats()
	var names []string
	for _, s := range seats {
		names = append(names, s.Name)
		if s.Name == as {
			return as, nil
		}
	}
	role := engine.Role(strings.ReplaceAll(as, "-", "_"))
	for _, s := range seats {
		if slices.Contains(s.Roles, role) {
			return s.Name, nil
		}
	}
	return "", fmt.Errorf("no seat or role %q; seats: %s", as, strings.Join(names, ", "))
}
