package report

import (
	"bytes"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/score"
)

func TestFormatting(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
	}{
		{"dur zero", dur(0), "0:00:00"},
		{"dur rounds to the second", dur(97*time.Second + 600*time.Millisecond), "0:01:38"},
		{"dur hours", dur(83 * time.Minute), "1:23:00"},
		{"dur negative", dur(-9 * time.Hour), "-9:00:00"},
		{"delta positive", delta(3 * time.Second), "+0:00:03"},
		{"delta negative", delta(-77 * time.Second), "-0:01:17"},
		{"delta zero", delta(0), "0:00:00"},
		{"at", at(6 * time.Minute), "+0:06:00"},
		{"clock wraps at midnight", clock(23*time.Hour+50*time.Minute, 20*time.Minute), "00:10:00"},
		{"censored", censored(83 * time.Minute), "did not happen (counted at the end, >1:23:00)"},
		{"count", count(3682968.31), "3,682,968"},
		{"count small", count(999.5), "1,000"},
		{"pct", pct(0.24566), "24.6%"},
		{"num integer", num(28), "28"},
		{"num fraction", num(47.058), "47.1"},
		{"clip short", clip("a  b", 10), "a b"},
		{"clip on a word", clip("the quick brown fox jumps", 16), "the quick brown…"},
		{"join three", join([]string{"a", "b", "c"}), "a, b and c"},
		{"plural one", plural(1, "page", "pages"), "1 page"},
		{"phase name", phaseName(score.PhaseRestore), "time to restore"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestVerdict(t *testing.T) {
	par := 5 * time.Minute
	for _, tc := range []struct {
		name string
		m    score.Measure
		want string
	}{
		{"within", score.Measure{Duration: 4 * time.Minute, Par: par, HasPar: true}, "within par"},
		{"on par", score.Measure{Duration: par, Par: par, HasPar: true}, "within par"},
		{"over", score.Measure{Duration: 6 * time.Minute, Par: par, HasPar: true}, "over par by 0:01:00"},
		{"censored past par", score.Measure{Duration: 9 * time.Minute, Par: par, HasPar: true, Censored: true}, "over par (did not happen)"},
		{"censored within par", score.Measure{Duration: time.Minute, Par: par, HasPar: true, Censored: true}, "did not happen"},
		{"no par", score.Measure{Duration: time.Minute}, "no par set"},
		{"not applicable", score.Measure{NotApplicable: true, Censored: true}, "not applicable"},
	} {
		if got := verdict(tc.m); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestRefDelta(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    score.PhaseDelta
		want string
	}{
		{"slower", score.PhaseDelta{Delta: 90 * time.Second}, "0:01:30 slower"},
		{"faster", score.PhaseDelta{Delta: -90 * time.Second}, "0:01:30 faster"},
		{"same", score.PhaseDelta{}, "the same"},
		{"run censored, a lower bound", score.PhaseDelta{Delta: time.Minute, RunCensored: true}, "at least 0:01:00 slower"},
		{"run censored, bound says nothing", score.PhaseDelta{Delta: -time.Minute, RunCensored: true}, "not comparable (one run never got there)"},
		{"reference censored, an upper bound", score.PhaseDelta{Delta: -time.Minute, RefCensored: true}, "at least 0:01:00 faster"},
		{"both censored", score.PhaseDelta{RunCensored: true, RefCensored: true}, "neither run got there"},
		{"not applicable", score.PhaseDelta{NotApplicable: true}, "not comparable"},
	} {
		if got := refDelta(tc.d); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestWording checks what every export must say and must not: it marks
// itself as exercise data, and never names a measure by an acronym.
func TestWording(t *testing.T) {
	in := fixture(t)
	acronym := regexp.MustCompile(`\b(MTT[A-Z]{1,2}|TT[ADIMFR]|MTBF|MTRS)\b`)
	outputs := map[string][]byte{}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, format, in); err != nil {
			t.Fatal(err)
		}
		outputs[format] = buf.Bytes()
	}
	for _, format := range []string{"md", "html", "json"} {
		var buf bytes.Buffer
		if err := Trend(&buf, format, in.Scenario, trendRuns(t)); err != nil {
			t.Fatal(err)
		}
		outputs["trend "+format] = buf.Bytes()
	}
	for name, out := range outputs {
		s := string(out)
		if !strings.Contains(strings.ToLower(s), "exercise data") {
			t.Errorf("%s does not mark itself as exercise data", name)
		}
		if m := acronym.FindString(s); m != "" {
			t.Errorf("%s names a measure %q; spell it out", name, m)
		}
		if strings.HasPrefix(name, "json") || strings.HasSuffix(name, "json") {
			if !strings.Contains(s, `"exercise_data": true`) {
				t.Errorf("%s lacks exercise_data: true", name)
			}
		}
	}
	if !strings.Contains(string(outputs["md"]), "time to restore") {
		t.Error("the Markdown review does not spell out time to restore")
	}
}

// TestCensoredShown: a phase that never happened is shown as such, with
// the time it was counted at, in every human format.
func TestCensoredShown(t *testing.T) {
	in := fixture(t)
	ms := append([]score.Measure{}, in.Report.Result.Measures...)
	for i := range ms {
		if ms[i].Phase == score.PhaseRestore {
			ms[i].Censored, ms[i].Duration = true, 83*time.Minute
		}
	}
	in.Report.Result.Measures = ms
	const want = "did not happen (counted at the end, >1:23:00)"
	for _, format := range []string{"md", "html", "aar"} {
		var buf bytes.Buffer
		if err := Write(&buf, format, in); err != nil {
			t.Fatal(err)
		}
		// As a reader sees it: entities decoded.
		if !strings.Contains(html.UnescapeString(buf.String()), want) {
			t.Errorf("%s does not show the censored restore as %q", format, want)
		}
	}
}

// TestStoredLog: a review of a log stored as JSON and read back is the
// same, byte for byte, as one of the log in memory.
func TestStoredLog(t *testing.T) {
	in := fixture(t)
	b, err := json.Marshal(in.Log)
	if err != nil {
		t.Fatal(err)
	}
	var back []engine.Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	stored := in
	stored.Log = back
	stored.Report = mustScore(t, in.Scenario, back)
	for _, format := range Formats {
		var a, b bytes.Buffer
		if err := Write(&a, format, in); err != nil {
			t.Fatal(err)
		}
		if err := Write(&b, format, stored); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: the stored log gives a different review", format)
		}
	}
}

func TestErrors(t *testing.T) {
	in := fixture(t)
	other := in
	other.Report.Scenario = "another-scenario"
	noScenario := in
	noScenario.Scenario = nil
	wrongRef := in
	ref := *in.Reference
	ref.Scenario = "another-scenario"
	wrongRef.Reference = &ref
	for _, tc := range []struct {
		name   string
		format string
		in     Input
		want   string
	}{
		{"unknown format", "pdf", in, "unknown format"},
		{"no scenario", "md", noScenario, "no scenario"},
		{"score of another scenario", "md", other, "another-scenario"},
		{"reference of another scenario", "md", wrongRef, "reference"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tc.format, tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error about %q", err, tc.want)
			}
		})
	}
	if err := Trend(&bytes.Buffer{}, "pdf", in.Scenario, nil); err == nil {
		t.Error("Trend took an unknown format")
	}
	if err := Trend(&bytes.Buffer{}, "md", in.Scenario, []TrendRun{{ID: "x", Report: other.Report}}); err == nil {
		t.Error("Trend took a run of another scenario")
	}
}

// TestEmptyTrend: no stored runs is a trend that says so, not an error.
func TestEmptyTrend(t *testing.T) {
	sc := load(t, goldenScenario)
	for _, format := range []string{"md", "html", "json"} {
		var buf bytes.Buffer
		if err := Trend(&buf, format, sc, nil); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if format == "html" {
			assertWellFormed(t, "empty trend", buf.Bytes())
		}
	}
}
