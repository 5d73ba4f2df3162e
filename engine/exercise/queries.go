package exercise

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// queryWindow is how far back a telemetry query looks, like a dashboard's
// default range.
const queryWindow = 30 * time.Minute

func (x *Exercise) result(ac engine.Actor, a engine.Action, subject string, lines []string, series []engine.Point) (outcome, error) {
	x.emit(engine.KindResult, engine.ToPerson(ac.Name), ac.Name, engine.ResultData{Query: a.Op, Subject: subject, Lines: lines, Series: series})
	return outcome{silent: true}, nil
}

func (x *Exercise) watched(ac engine.Actor, a engine.Action) error {
	if err := x.need(a.Op, "service", a.Service, x.sc.Service(a.Service) != nil); err != nil {
		return err
	}
	return nil
}

func (x *Exercise) queryTelemetry(ac engine.Actor, a engine.Action) (outcome, error) {
	if err := x.watched(ac, a); err != nil {
		return outcome{}, err
	}
	metric := scenario.Metric(a.Metric)
	if metric == "" {
		metric = scenario.MetricErrorRate
	}
	if !slices.Contains(scenario.Metrics(), metric) {
		return outcome{}, refuse(engine.BadRequest, a.Op, "metrics are error_rate, latency_ms, rps and saturation; got %q", a.Metric)
	}
	from := max(0, x.now-queryWindow)
	pts := x.world.Series(a.Service, metric, from, x.now)
	series := make([]engine.Point, len(pts))
	for i, p := range pts {
		series[i] = engine.Point{At: p.At, Value: p.Value}
	}
	return x.result(ac, a, a.Service+"/"+string(metric), nil, series)
}

func (x *Exercise) queryLogs(ac engine.Actor, a engine.Action) (outcome, error) {
	if err := x.watched(ac, a); err != nil {
		return outcome{}, err
	}
	var lines []string
	for _, l := range x.world.Logs(a.Service, x.now) {
		lines = append(lines, fmt.Sprintf("%s %-5s %s", x.Clock(l.At), l.Level, l.Text))
	}
	return x.result(ac, a, a.Service, lines, nil)
}

// queryTraffic is the pod→dependency traffic view: where a service's calls
// go, and how they fare.
func (x *Exercise) queryTraffic(ac engine.Actor, a engine.Action) (outcome, error) {
	if err := x.watched(ac, a); err != nil {
		return outcome{}, err
	}
	var lines []string
	for _, e := range x.world.Traffic(a.Service) {
		lines = append(lines, fmt.Sprintf("%s → %s  %.0f req/s  errors %.1f%%  latency %.0f ms  (owner: %s)",
			e.From, e.To, e.RPS, 100*e.ErrorRate, e.LatencyMS, x.sc.Service(e.To).Group.Name))
	}
	if len(lines) == 0 {
		lines = []string{a.Service + " calls no other service in the estate."}
	}
	return x.result(ac, a, a.Service, lines, nil)
}

func (x *Exercise) queryVendorChanges(ac engine.Actor, a engine.Action) (outcome, error) {
	if err := x.need(a.Op, "vendor", a.Vendor, x.sc.Vendor(a.Vendor) != nil); err != nil {
		return outcome{}, err
	}
	var lines []string
	for _, c := range x.world.VendorChanges(a.Vendor) {
		lines = append(lines, fmt.Sprintf("%s %s: %s", x.Clock(c.At), c.Name, c.Note))
	}
	if len(lines) == 0 {
		lines = []string{"No recent changes published."}
	}
	return x.result(ac, a, a.Vendor, lines, nil)
}

// searchKnowledge matches words of the query against knowledge articles.
func (x *Exercise) searchKnowledge(ac engine.Actor, a engine.Action) (outcome, error) {
	words := strings.Fields(strings.ToLower(a.Text + " " + a.Service))
	if len(words) == 0 {
		return outcome{}, refuse(engine.BadRequest, a.Op, "say what to search for")
	}
	var lines []string
	for _, k := range x.sc.Knowledge {
		hay := strings.ToLower(strings.Join(append([]string{k.Name, k.Title, k.Text}, k.Keywords...), " "))
		for _, r := range k.AppliesTo {
			hay += " " + r.Name
		}
		for _, w := range words {
			if strings.Contains(hay, w) {
				line := fmt.Sprintf("%s %s", k.Name, k.Title)
				if k.Workaround != "" {
					line += " — workaround: " + k.Workaround
				}
				if len(k.EscalateTo) > 0 {
					var groups []string
					for _, g := range k.EscalateTo {
						groups = append(groups, g.Name)
					}
					line += " — escalate to: " + strings.Join(groups, ", ")
				}
				lines = append(lines, line)
				break
			}
		}
	}
	if len(lines) == 0 {
		lines = []string{"No knowledge article matches."}
	}
	return x.result(ac, a, a.Text, lines, nil)
}

func (x *Exercise) searchParents(ac engine.Actor, a engine.Action) (outcome, error) {
	var lines []string
	for _, p := range x.book.SearchParents(strings.TrimSpace(a.Text + " " + a.Service)) {
		lines = append(lines, fmt.Sprintf("%s P%d %s %s — %s", p.Number, p.Priority, p.State, p.Service, p.ShortDescription))
	}
	if len(lines) == 0 {
		lines = []string{"No active parent incident matches."}
	}
	return x.result(ac, a, a.Text, lines, nil)
}

// Clock formats a virtual time as the fiction's time of day, "14:02".
func (x *Exercise) Clock(t time.Duration) string {
	tod := (x.sc.StartClock + t) % (24 * time.Hour)
	if tod < 0 {
		tod += 24 * time.Hour
	}
	return fmt.Sprintf("%02d:%02d", int(tod.Hours()), int(tod.Minutes())%60)
}
