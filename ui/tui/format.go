package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// humanError puts a server refusal in a person's words. The engine's
// reasons already say what to do; the prefix says what kind of "no" it is.
func humanError(code, msg string) string {
	msg = strings.TrimSpace(msg)
	switch code {
	case protocol.CodeForbidden:
		return "not yours to do: " + msg
	case protocol.CodeNotFound:
		return "not found: " + msg
	case protocol.CodeConflict:
		return "not now: " + msg
	case protocol.CodeRateLimited:
		return "slow down: " + msg
	case protocol.CodeInternal:
		return "the server failed; nothing was done. " + msg
	}
	return msg
}

func endWords(reason string) string {
	switch reason {
	case "restored":
		return "service restored"
	case "duration":
		return "time is up"
	case "facilitator":
		return "ended by the facilitator"
	}
	return reason
}

// roleTitle is a role as a person reads it.
func roleTitle(r engine.Role) string {
	if r == "" {
		return ""
	}
	return r.Title()
}

// clockText renders virtual time since the start as T+H:MM:SS.
func clockText(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	return fmt.Sprintf("T+%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// stamp is the short time prefix of a feed line.
func stamp(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// ago renders a duration as "3m", "1h05m".
func ago(d time.Duration) string {
	m := int(d / time.Minute)
	if m >= 60 {
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	}
	if m > 0 {
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%ds", int(d/time.Second))
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func metricValue(metric string, v float64) string {
	switch metric {
	case "error_rate", "saturation":
		return percent(v)
	case "latency_ms":
		return fmt.Sprintf("%.0f ms", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func percent(v float64) string {
	switch {
	case v >= 0.1:
		return fmt.Sprintf("%.0f%%", 100*v)
	case v >= 0.01:
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	return fmt.Sprintf("%.2f%%", 100*v)
}

func injectText(d engine.InjectData) string {
	var b strings.Builder
	b.WriteString(orDefault(d.Channel, "inject"))
	if d.From != "" {
		b.WriteString(" from " + d.From)
	}
	b.WriteString(": " + d.Text)
	return b.String()
}

func pageText(d engine.PageData, me string) string {
	who := d.Person + " (" + d.Group + ")"
	if d.Person == me {
		who = "you (" + d.Group + ")"
	}
	src := "alert " + d.Alert
	if d.From != "" {
		src = d.From
	}
	if d.Alert == "" && d.From == "" {
		src = "someone"
	}
	s := d.Page + ": " + src + " pages " + who + forRecord(d.Incident)
	if d.Runbook != "" {
		s += "; run " + d.Runbook + "/" + d.RunbookStep
	}
	if d.Text != "" {
		s += " — " + d.Text
	}
	return s
}

func forRecord(rec string) string {
	if rec == "" {
		return ""
	}
	return " about " + rec
}

// opWords is an op as a person says it.
func opWords(op engine.Op) string { return strings.ReplaceAll(string(op), "_", " ") }

// actionText describes an accepted action for the feed.
func actionText(actor string, d engine.ActionData) string {
	a := d.Action
	s := actor + " " + opWords(a.Op)
	var args []string
	for _, v := range []string{a.Record, a.Page, a.Group, a.Person, a.Service, a.Remedy, a.Runbook, a.Step, a.Vendor, a.Decision, a.Option} {
		if v != "" {
			args = append(args, v)
		}
	}
	if a.Parent != "" {
		args = append(args, "→ "+a.Parent)
	}
	if a.Impact != "" || a.Urgency != "" {
		args = append(args, "impact "+string(a.Impact)+" urgency "+string(a.Urgency))
	}
	if a.Rating != 0 {
		args = append(args, itoa(a.Rating))
	}
	if len(args) > 0 {
		s += " " + strings.Join(args, " ")
	}
	if a.Text != "" {
		s += ": " + a.Text
	}
	for _, rc := range d.Records {
		switch {
		case rc.Incident != nil:
			inc := rc.Incident
			if a.Op == engine.OpCreateIncident {
				s += " → " + inc.Number
			}
			if inc.Priority > 0 && (a.Op == engine.OpCreateIncident || a.Op == engine.OpPrioritise) {
				s += " P" + itoa(int(inc.Priority))
			}
		case rc.WarRoom != nil:
			if a.Op == engine.OpOpenWarRoom {
				s += " → " + rc.WarRoom.Number
				if rc.DuplicateOf != "" {
					s += " (" + rc.DuplicateOf + " was already open for it)"
				}
			}
		case rc.Task != nil && a.Op == engine.OpOpenTask:
			s += " → " + rc.Task.Number
		case rc.Problem != nil && a.Op == engine.OpOpenProblem:
			s += " → " + rc.Problem.Number
		case rc.Change != nil && a.Op == engine.OpOpenChange:
			s += " → " + rc.Change.Number
		case rc.Alert != nil && a.Op == engine.OpRaiseIncidentAlert:
			s += " → " + rc.Alert.Number
		}
	}
	return s
}

func resultText(d engine.ResultData) string {
	s := opWords(d.Query) + " " + d.Subject
	if len(d.Series) > 0 {
		vals := make([]float64, len(d.Series))
		for i, p := range d.Series {
			vals[i] = p.Value
		}
		_, metric, _ := strings.Cut(d.Subject, "/")
		last := d.Series[len(d.Series)-1]
		s += " " + sparkline(vals, 30) + " now " + metricValue(metric, last.Value)
	}
	if len(d.Lines) > 0 {
		s += ":\n" + strings.Join(d.Lines, "\n")
	} else if len(d.Series) == 0 {
		s += ": nothing found"
	}
	return s
}

func worldText(d engine.WorldData) string {
	what := strings.ReplaceAll(d.Change, "_", " ")
	s := "truth: " + what
	if d.Fault != "" {
		s += " " + d.Fault
	}
	if d.Service != "" {
		s += " on " + d.Service
	}
	if d.RootCause {
		s += " (root cause)"
	}
	return s
}

func claimText(actor string, d engine.RootClaimData) string {
	verdict := "wrong"
	if d.Correct {
		verdict = "right"
	}
	what := d.Service
	if d.Hypothesis != "" {
		what += " (hypothesis " + d.Hypothesis + ")"
	}
	return "truth: " + actor + " names " + what + " as the root cause (" + verdict + "): " + d.Text
}
