package bot

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

// Reading query results the way a person reads a dashboard, a log view and
// the traffic view.

// latest is the newest sample of a telemetry result.
func latest(r engine.ResultData) (float64, bool) {
	if len(r.Series) == 0 {
		return 0, false
	}
	return r.Series[len(r.Series)-1].Value, true
}

// genericFailure marks the log line every failing service writes about its
// own error rate; it says that something fails, not why.
const genericFailure = "of requests failed in the last"

// clues are the log lines that say why a service fails: errors other than
// the service's own failure count, without the time and level columns.
func clues(lines []string) []string {
	var out []string
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 3 || f[1] != "ERROR" || strings.Contains(l, genericFailure) {
			continue
		}
		text := strings.TrimSpace(l[strings.Index(l, "ERROR")+len("ERROR"):])
		if text != "" && !contains(out, text) {
			out = append(out, text)
		}
	}
	return out
}

// loggedFailure is the latest share of failed requests a service's logs
// report of themselves ("ERROR 31.7% of requests failed in the last 10s"),
// what a person reads when the dashboards are down.
func loggedFailure(lines []string) (float64, bool) {
	for _, l := range slices.Backward(lines) {
		i := strings.Index(l, genericFailure)
		if i < 0 {
			continue
		}
		f := strings.Fields(l[:i])
		if len(f) == 0 {
			continue
		}
		pct, err := strconv.ParseFloat(strings.TrimSuffix(f[len(f)-1], "%"), 64)
		if err == nil {
			return pct / 100, true
		}
	}
	return 0, false
}

// edge is one line of the traffic view: where a service's calls go, how
// they fare and who owns the other end.
type edge struct {
	to      string
	errRate float64
	owner   string
}

var trafficLine = regexp.MustCompile(`→\s*(\S+).*?errors\s+([0-9.]+)%.*\(owner:\s*([^)]+)\)`)

func edges(lines []string) []edge {
	var out []edge
	for _, l := range lines {
		m := trafficLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		pct, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			continue
		}
		out = append(out, edge{to: m[1], errRate: pct / 100, owner: strings.TrimSpace(m[3])})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
