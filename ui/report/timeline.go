package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/score"
)

// timeline picks the significant events of the log: everything but
// telemetry, query answers, chat and the bookkeeping actions, in log order.
// The text is whole; formats that need short cells clip it.
func timeline(log []engine.Event) []Entry {
	out := []Entry{}
	// The engine sends a remedy's completion to the players and, with the
	// faults it touched, to the facilitators: one line, the fuller copy.
	type key struct {
		at            time.Duration
		remedy, phase string
	}
	remedies := map[key]int{}
	for _, e := range log {
		en := Entry{Seq: e.Seq, At: e.At, Kind: string(e.Kind), Who: e.Actor}
		switch e.Kind {
		case engine.KindStarted:
			d, _ := data[engine.StartedData](e)
			en.Text = fmt.Sprintf("Exercise started (seed %d).", d.Seed)
		case engine.KindEnded:
			d, _ := data[engine.EndedData](e)
			en.Text = "Exercise ended"
			if d.Reason != "" {
				en.Text += ": " + endReason(d.Reason)
			}
			en.Text += "."
		case engine.KindInject:
			d, ok := data[engine.InjectData](e)
			if !ok {
				continue
			}
			en.Who = d.From
			en.Text = fmt.Sprintf("%s (%s): %s", sentence(string(d.Channel)), d.Name, d.Text)
		case engine.KindOffered:
			d, ok := data[engine.DecisionData](e)
			if !ok {
				continue
			}
			en.Text = fmt.Sprintf("Decision %s offered: %s", d.Name, d.Prompt)
		case engine.KindAnswered:
			d, ok := data[engine.AnswerData](e)
			if !ok {
				continue
			}
			en.Who = d.By
			if d.TimedOut {
				en.Who = "timeout"
			}
			en.Text = fmt.Sprintf("Decision %s: option %s taken after %s (scored %s).", d.Name, d.Option, dur(d.Took), num(d.Score))
		case engine.KindAlertFired, engine.KindAlertResolved:
			d, ok := data[engine.AlertData](e)
			if !ok {
				continue
			}
			en.Who = "monitoring"
			if e.Kind == engine.KindAlertFired {
				en.Text = fmt.Sprintf("Alert %s fired on %s (%s %s, %s).", d.Alert, d.Service, d.Metric, num3(d.Value), d.Severity)
			} else {
				en.Text = fmt.Sprintf("Alert %s resolved on %s.", d.Alert, d.Service)
			}
		case engine.KindPage, engine.KindPageAcked, engine.KindPageEscalated, engine.KindPageSilenced:
			d, ok := data[engine.PageData](e)
			if !ok {
				continue
			}
			en.Text = pageText(e.Kind, d)
			if e.Kind == engine.KindPage {
				en.Who = d.From
				if en.Who == "" {
					en.Who = "monitoring"
				}
			}
		case engine.KindAction:
			d, ok := data[engine.ActionData](e)
			if !ok {
				continue
			}
			text := actionText(d)
			if text == "" {
				continue
			}
			en.Role, en.Text = string(d.Role), text
		case engine.KindRefused:
			d, ok := data[engine.RefusedData](e)
			if !ok {
				continue
			}
			en.Role = string(d.Role)
			en.Text = fmt.Sprintf("Refused %s%s: %s", words(string(d.Action.Op)), recordSuffix(d.Action.Record), d.Reason)
		case engine.KindVendor:
			d, ok := data[engine.VendorData](e)
			if !ok {
				continue
			}
			en.Who = d.Vendor
			en.Text = "Vendor answered: " + d.Text
		case engine.KindRemedy:
			d, ok := data[engine.RemedyData](e)
			if !ok {
				continue
			}
			en.Who = d.By
			en.Text = remedyText(d)
			en.Truth = len(d.Mitigated) > 0 || len(d.Fixed) > 0
			k := key{e.At, d.Remedy, d.Phase}
			if i, seen := remedies[k]; seen {
				if len(en.Text) > len(out[i].Text) {
					out[i].Text, out[i].Truth = en.Text, en.Truth
				}
				continue
			}
			remedies[k] = len(out)
		case engine.KindWorld:
			d, ok := data[engine.WorldData](e)
			if !ok {
				continue
			}
			en.Truth, en.Text = true, worldText(d)
		case engine.KindFaultReduced:
			d, ok := data[engine.ReducedData](e)
			if !ok {
				continue
			}
			en.Truth, en.Text = true, reducedText(d)
		case engine.KindToolDown, engine.KindToolUp:
			d, ok := data[engine.ToolData](e)
			if !ok {
				continue
			}
			en.Text = toolText(e.Kind, d)
		case engine.KindRootClaim:
			d, ok := data[engine.RootClaimData](e)
			if !ok {
				continue
			}
			verdict := "wrong"
			if d.Correct {
				verdict = "correct"
			}
			en.Truth = true
			what := d.Service
			if d.Hypothesis != "" {
				what += " (hypothesis " + d.Hypothesis + ")"
			}
			en.Text = fmt.Sprintf("Named %s as the root cause%s (%s): %s", what, recordSuffix(d.Incident), verdict, d.Text)
		case engine.KindExpectMet:
			// The engine's live, provisional check; the verdicts are the
			// scorer's, placed at their deciding events (verdictEntries).
			continue
		case engine.KindImpactOver:
			en.Truth, en.Text = true, "Customer impact ended."
		case engine.KindRestored:
			d, _ := data[engine.ServiceData](e)
			en.Truth, en.Text = true, fmt.Sprintf("%s back within its baseline.", d.Service)
		default:
			// Telemetry, query answers and chat are the bulk of a log and
			// carry nothing a review walks through.
			continue
		}
		out = append(out, en)
	}
	return out
}

func num3(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", f), "0"), ".")
}

func recordSuffix(n string) string {
	if n == "" {
		return ""
	}
	return " on " + n
}

func pageText(k engine.Kind, d engine.PageData) string {
	to := d.Person
	if d.Group != "" {
		to += " (" + d.Group + ")"
	}
	switch k {
	case engine.KindPageAcked:
		return fmt.Sprintf("Acknowledged page %s.", d.Page)
	case engine.KindPageEscalated:
		return fmt.Sprintf("Page %s escalated to %s (step %d).", d.Page, to, d.Step)
	case engine.KindPageSilenced:
		return fmt.Sprintf("Page %s silenced until %s.", d.Page, at(d.SilencedUntil))
	}
	why := ""
	switch {
	case d.Alert != "":
		why = " for alert " + d.Alert
	case d.Incident != "":
		why = " about " + d.Incident
	}
	s := fmt.Sprintf("Page %s to %s%s", d.Page, to, why)
	if d.Runbook != "" {
		s += fmt.Sprintf(", handing over runbook step %s/%s", d.Runbook, d.RunbookStep)
	}
	if d.From != "" && d.Text != "" {
		s += ": " + d.Text
	}
	return s + "."
}

func remedyText(d engine.RemedyData) string {
	if d.Phase == "started" {
		return fmt.Sprintf("Remedy %s started on %s.", d.Remedy, d.Service)
	}
	s := fmt.Sprintf("Remedy %s completed on %s", d.Remedy, d.Service)
	var did []string
	if len(d.Mitigated) > 0 {
		did = append(did, "mitigated "+strings.Join(d.Mitigated, ", "))
	}
	if len(d.Fixed) > 0 {
		did = append(did, "fixed "+strings.Join(d.Fixed, ", "))
	}
	if len(did) > 0 {
		s += " (" + strings.Join(did, "; ") + ")"
	}
	if d.Harm != "" {
		s += "; harm: " + strings.TrimSuffix(d.Harm, ".")
	}
	return s + "."
}

// worldWords words the world's fault changes.
var worldWords = map[string]string{
	"fault_started":   "started",
	"fault_full":      "at full strength",
	"fault_mitigated": "mitigated",
	"fault_fixed":     "fixed",
	"fault_healed":    "healed by itself",
}

func worldText(d engine.WorldData) string {
	if d.Change == "harm" {
		return fmt.Sprintf("A harmful remedy hurt %s.", d.Service)
	}
	w, ok := worldWords[d.Change]
	if !ok {
		w = words(d.Change)
	}
	root := ""
	if d.RootCause {
		root = " (root cause)"
	}
	return fmt.Sprintf("Fault %s%s %s on %s.", d.Fault, root, w, d.Service)
}

// actionText words an accepted action worth a line of the timeline, or
// returns "" for one that is not: queries, chat, work notes, and actions
// whose outcome has its own event (pages, remedies, root-cause claims,
// decisions).
func actionText(d engine.ActionData) string {
	a := d.Action
	rec := a.Record
	created := func() string {
		for _, rc := range d.Records {
			switch {
			case rc.Incident != nil:
				return rc.Incident.Number
			case rc.Alert != nil:
				return rc.Alert.Number
			case rc.WarRoom != nil:
				return rc.WarRoom.Number
			case rc.Task != nil:
				return rc.Task.Number
			case rc.Problem != nil:
				return rc.Problem.Number
			case rc.Change != nil:
				return rc.Change.Number
			}
		}
		return "a record"
	}
	switch a.Op {
	case engine.OpCreateIncident:
		for _, rc := range d.Records {
			if inc := rc.Incident; inc != nil {
				return fmt.Sprintf("Created %s (%s, %s, %s): %s", inc.Number, words(string(inc.Class)), prio(inc.Priority), orDash(inc.Service), inc.ShortDescription)
			}
		}
		return "Created an incident record."
	case engine.OpClassify:
		return fmt.Sprintf("Classified %s as %s.", rec, words(string(a.Classification)))
	case engine.OpAssign:
		to := a.Group
		if a.Person != "" {
			to = strings.TrimPrefix(to+"/"+a.Person, "/")
		}
		return fmt.Sprintf("Assigned %s to %s.", rec, to)
	case engine.OpAcknowledge:
		return fmt.Sprintf("Acknowledged %s.", rec)
	case engine.OpPrioritise:
		for _, rc := range d.Records {
			if inc := rc.Incident; inc != nil && inc.Number == rec {
				return fmt.Sprintf("Set %s to %s (impact %s, urgency %s).", rec, prio(inc.Priority), inc.Impact, inc.Urgency)
			}
		}
		return fmt.Sprintf("Reprioritised %s (impact %s, urgency %s).", rec, a.Impact, a.Urgency)
	case engine.OpLinkParent:
		return fmt.Sprintf("Linked %s under parent %s.", rec, a.Parent)
	case engine.OpMakeParent:
		return fmt.Sprintf("Made %s a parent incident.", rec)
	case engine.OpMerge:
		return fmt.Sprintf("Merged %s into %s.", rec, a.Parent)
	case engine.OpDecline:
		return fmt.Sprintf("Declined %s: %s", rec, a.Text)
	case engine.OpDeclareWorkaround:
		return fmt.Sprintf("Declared a workaround on %s: %s", rec, a.Text)
	case engine.OpDeclareRestored:
		return fmt.Sprintf("Declared %s restored.", rec)
	case engine.OpValidateRestoration:
		return fmt.Sprintf("Validated the restoration of %s.", rec)
	case engine.OpBusinessImpact:
		return fmt.Sprintf("Entered the business impact of %s: %s", rec, a.Text)
	case engine.OpClose:
		return fmt.Sprintf("Closed %s.", rec)
	case engine.OpStateTime:
		return fmt.Sprintf("Stated %s at %s on %s.", words(string(a.Milestone)), at(a.Stated), rec)
	case engine.OpRaiseIncidentAlert:
		return fmt.Sprintf("Raised incident alert %s for %s.", created(), rec)
	case engine.OpOpenWarRoom:
		for _, rc := range d.Records {
			if rc.WarRoom != nil && rc.DuplicateOf != "" {
				return fmt.Sprintf("Opened war room %s for %s, which already had %s.", rc.WarRoom.Number, rec, rc.DuplicateOf)
			}
		}
		return fmt.Sprintf("Opened war room %s for %s.", created(), rec)
	case engine.OpOpenTask:
		return fmt.Sprintf("Opened task %s for %s on %s: %s", created(), a.Group, rec, a.Text)
	case engine.OpCompleteTask:
		return fmt.Sprintf("Completed task %s.", rec)
	case engine.OpOpenProblem:
		return fmt.Sprintf("Opened problem %s for %s.", created(), rec)
	case engine.OpOpenChange:
		kind := "change"
		if a.Emergency {
			kind = "emergency change"
		}
		return fmt.Sprintf("Opened %s %s for remedy %s on %s.", kind, created(), a.Remedy, rec)
	case engine.OpApproveChange:
		return fmt.Sprintf("Approved %s.", rec)
	case engine.OpAttachPage:
		return fmt.Sprintf("Attached page %s to %s.", a.Page, rec)
	case engine.OpRunRunbookStep:
		return fmt.Sprintf("Ran runbook step %s/%s%s.", a.Runbook, a.Step, recordSuffix(rec))
	case engine.OpContactVendor:
		return fmt.Sprintf("Contacted vendor %s%s.", a.Vendor, recordSuffix(rec))
	case engine.OpStatusUpdate:
		return "Status update: " + a.Text
	case engine.OpLessonsLearned:
		return "Lesson learned: " + a.Text
	}
	return ""
}

// prio prints a priority as P1–P4, or "no priority".
func prio(p engine.Priority) string {
	if p < 1 {
		return "no priority"
	}
	return fmt.Sprintf("P%d", p)
}

func reducedText(d engine.ReducedData) string {
	return fmt.Sprintf("Remedy %s took %.0f%% of fault %s on %s away; %.0f%% of it is left.", d.Remedy, 100*d.By, d.Fault, d.Service, 100*d.Remaining)
}

func toolText(k engine.Kind, d engine.ToolData) string {
	if k == engine.KindToolUp {
		return fmt.Sprintf("The %s tool is back.", d.Tool)
	}
	text := fmt.Sprintf("The %s tool went down.", d.Tool)
	if d.Fault != "" {
		text += " (Fault " + d.Fault + ".)"
	}
	return text
}

// verdictEntries are the expectations the score found met, each at the
// event after which its condition first held: the timeline says when a
// verdict was earned as the review's tables do.
func verdictEntries(rep score.Report) []Entry {
	var out []Entry
	for _, e := range rep.Expectations {
		if !e.Met {
			continue
		}
		text := fmt.Sprintf("Expectation %s met (%s)", e.Name, e.Dimension)
		if e.By != "" {
			text += " by " + e.By
		}
		out = append(out, Entry{Seq: e.Seq, At: e.At, Kind: "expectation", Text: text + ".", Truth: true})
	}
	return out
}

// withVerdicts merges verdict entries into a timeline in log order, each
// after the event that decided it.
func withVerdicts(tl []Entry, vs []Entry) []Entry {
	out := make([]Entry, 0, len(tl)+len(vs))
	out = append(out, tl...)
	out = append(out, vs...)
	slices.SortStableFunc(out, func(a, b Entry) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}
