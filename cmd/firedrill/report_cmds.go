package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/server"
	"github.com/firedrill/firedrill/server/store"
	"github.com/firedrill/firedrill/ui/report"
)

var reportFormats = []string{"md", "html", "json", "aar"}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := fs.String("db", "firedrill.db", "the store the exercise is in")
	format := fs.String("format", "md", "md, html, json or aar (after-action report and improvement plan)")
	out := fs.String("o", "", "write to this file instead of standard output")
	scenarioArg := fs.String("scenario", "", "the scenario (name or file): for an events file whose scenario is not built in, or with --all")
	all := fs.Bool("all", false, "the trend across every stored run of --scenario")
	what, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if !contains(reportFormats, *format) {
		return usageError{fmt.Sprintf("--format is one of %s", strings.Join(reportFormats, ", "))}
	}
	if *all == (what != "") {
		return usageError{"firedrill report EXERCISE|events.jsonl [--db URL] [--format md|html|json|aar] [-o FILE], or firedrill report --scenario NAME --all"}
	}
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if *all {
		return trend(ctx, e, w, *db, *scenarioArg, *format)
	}
	in, err := reviewInput(ctx, e, what, *db, *scenarioArg)
	if err != nil {
		return err
	}
	return report.Write(w, *format, in)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// reviewInput reads one exercise, from an events file or the store, and
// scores it.
func reviewInput(ctx context.Context, e *env, what, db, scenarioArg string) (report.Input, error) {
	var sc *scenario.Scenario
	var log []engine.Event
	meta := report.Meta{}
	if strings.HasSuffix(what, ".jsonl") || strings.HasSuffix(what, ".json") {
		var err error
		if log, err = readEvents(what); err != nil {
			return report.Input{}, err
		}
		name := scenarioArg
		if name == "" {
			name = startedScenario(log)
		}
		if sc, err = loadScenario(e, name); err != nil {
			return report.Input{}, err
		}
	} else {
		st, err := store.Open(ctx, db)
		if err != nil {
			return report.Input{}, err
		}
		defer st.Close()
		run, err := server.LoadRun(ctx, st, what)
		if err != nil {
			return report.Input{}, err
		}
		sc, log = run.Scenario, run.Log
		meta.Exercise = run.Exercise.ID
		meta.Date = run.Exercise.CreatedAt.Format("2006-01-02")
		for _, p := range run.Participants {
			meta.Participants = append(meta.Participants, report.Participant{Name: p.Name, Role: p.Role})
		}
	}
	rep, err := score.Score(sc, log)
	if err != nil {
		return report.Input{}, err
	}
	return report.Input{Scenario: sc, Log: log, Report: rep, Meta: meta}, nil
}

func readEvents(path string) ([]engine.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var log []engine.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var ev engine.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		log = append(log, ev)
	}
	return log, sc.Err()
}

func startedScenario(log []engine.Event) string {
	if len(log) > 0 {
		if d, ok := log[0].Data.(engine.StartedData); ok {
			return d.Scenario
		}
	}
	return ""
}

// trend scores every stored run of a scenario.
func trend(ctx context.Context, e *env, w io.Writer, db, name, format string) error {
	if name == "" {
		return usageError{"--all needs --scenario NAME"}
	}
	sc, err := loadScenario(e, name)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	exs, err := st.ExercisesOfScenario(ctx, sc.Name)
	if err != nil {
		return err
	}
	var runs []report.TrendRun
	for _, ex := range exs {
		run, err := server.LoadRun(ctx, st, ex.ID)
		if err != nil {
			return err
		}
		rep, err := score.Score(run.Scenario, run.Log)
		if err != nil {
			fmt.Fprintf(e.stderr, "skipping %s: %v\n", ex.ID, err)
			continue
		}
		runs = append(runs, report.TrendRun{ID: ex.ID, Date: ex.CreatedAt.Format("2006-01-02"), Report: rep})
	}
	return report.Trend(w, format, sc, runs)
}

// writeReview writes the review of a stored exercise as Markdown and HTML
// beside the database, and returns the paths.
func writeReview(ctx context.Context, e *env, db, id string) ([]string, error) {
	in, err := reviewInput(ctx, e, id, db, "")
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range []string{"md", "html"} {
		path := filepath.Join(filepath.Dir(db), "firedrill-"+id+"."+f)
		file, err := os.Create(path)
		if err != nil {
			return paths, err
		}
		err = report.Write(file, f, in)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
