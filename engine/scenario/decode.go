package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "scenario", LabelNames: []string{"name"}}},
}

var scenarioSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "title", Required: true},
		{Name: "summary"},
		{Name: "tags"},
		{Name: "objectives"},
		{Name: "duration", Required: true},
		{Name: "difficulty"},
		{Name: "seed"},
		{Name: "start_clock"},
		{Name: "discussion"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "group", LabelNames: []string{"name"}},
		{Type: "rotation", LabelNames: []string{"name"}},
		{Type: "vendor", LabelNames: []string{"name"}},
		{Type: "service", LabelNames: []string{"name"}},
		{Type: "alert", LabelNames: []string{"name"}},
		{Type: "runbook", LabelNames: []string{"name"}},
		{Type: "knowledge", LabelNames: []string{"name"}},
		{Type: "fault", LabelNames: []string{"name"}},
		{Type: "hypothesis", LabelNames: []string{"name"}},
		{Type: "remedy", LabelNames: []string{"name"}},
		{Type: "inject", LabelNames: []string{"name"}},
		{Type: "decision", LabelNames: []string{"name"}},
		{Type: "expect", LabelNames: []string{"name"}},
		{Type: "target"},
		{Type: "process"},
	},
}

// Difficulties lists the accepted difficulty levels.
func Difficulties() []string { return []string{"intro", "intermediate", "advanced"} }

const (
	minDuration = 5 * time.Minute
	maxDuration = 8 * time.Hour
)

// decodeFile decodes the body of a parsed file: exactly one scenario block.
func decodeFile(file *hcl.File) (*Scenario, hcl.Diagnostics) {
	content, diags := file.Body.Content(fileSchema)
	switch n := len(content.Blocks); {
	case n == 0:
		if !diags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing scenario block",
				Detail:   `A scenario file holds one block: scenario "name" { … }.`,
				Subject:  file.Body.MissingItemRange().Ptr(),
			})
		}
		return nil, diags
	case n > 1:
		for _, extra := range content.Blocks[1:] {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "More than one scenario block",
				Detail:   fmt.Sprintf("A file holds exactly one scenario; the first is at %s. Move this one into a file of its own.", content.Blocks[0].DefRange),
				Subject:  extra.DefRange.Ptr(),
			})
		}
	}
	sc, more := decodeScenario(content.Blocks[0])
	diags = append(diags, more...)
	return sc, diags
}

// decodeScenario decodes the scenario block and every block inside it. It
// does not check references between blocks; validate does.
func decodeScenario(block *hcl.Block) (*Scenario, hcl.Diagnostics) {
	sc := &Scenario{Name: block.Labels[0], DefRange: block.DefRange, Process: engine.DefaultPolicy(), StartClock: 9 * time.Hour}
	var diags hcl.Diagnostics
	checkName(block, &diags)
	content, more := block.Body.Content(scenarioSchema)
	diags = append(diags, more...)

	a := attrs{m: content.Attributes, diags: &diags}
	sc.Title = a.str("title")
	sc.Summary = a.str("summary")
	sc.Tags = a.strings("tags")
	sc.Objectives = a.strings("objectives")
	sc.Difficulty = a.oneOf("difficulty", Difficulties())
	sc.Discussion = a.boolean("discussion")
	if d, ok := a.duration("duration"); ok {
		if d < minDuration || d > maxDuration {
			a.errorAt(a.valueRange("duration"), "Duration out of range",
				fmt.Sprintf("An exercise lasts between %s and %s; got %s.", minDuration, maxDuration, d))
		} else {
			sc.Duration = d
		}
	}
	if a.has("seed") {
		var seed uint64
		if a.decode("seed", &seed) {
			sc.Seed, sc.HasSeed = seed, true
		}
	}
	if a.has("start_clock") {
		sc.StartClock = decodeClock(a, "start_clock")
	}

	var targetSeen, processSeen *hcl.Block
	for _, b := range content.Blocks {
		var more hcl.Diagnostics
		switch b.Type {
		case "group":
			var g *Group
			g, more = decodeGroup(b)
			sc.Groups = append(sc.Groups, g)
		case "rotation":
			var r *Rotation
			r, more = decodeRotation(b)
			sc.Rotations = append(sc.Rotations, r)
		case "vendor":
			var v *Vendor
			v, more = decodeVendor(b)
			sc.Vendors = append(sc.Vendors, v)
		case "service":
			var s *Service
			s, more = decodeService(b)
			sc.Services = append(sc.Services, s)
		case "alert":
			var al *Alert
			al, more = decodeAlert(b)
			sc.Alerts = append(sc.Alerts, al)
		case "runbook":
			var r *Runbook
			r, more = decodeRunbook(b)
			sc.Runbooks = append(sc.Runbooks, r)
		case "knowledge":
			var k *Knowledge
			k, more = decodeKnowledge(b)
			sc.Knowledge = append(sc.Knowledge, k)
		case "fault":
			var f *Fault
			f, more = decodeFault(b)
			sc.Faults = append(sc.Faults, f)
		case "hypothesis":
			var h *Hypothesis
			h, more = decodeHypothesis(b)
			sc.Hypotheses = append(sc.Hypotheses, h)
		case "remedy":
			var r *Remedy
			r, more = decodeRemedy(b)
			sc.Remedies = append(sc.Remedies, r)
		case "inject":
			var in *Inject
			in, more = decodeInject(b)
			sc.Injects = append(sc.Injects, in)
		case "decision":
			var d *Decision
			d, more = decodeDecision(b)
			sc.Decisions = append(sc.Decisions, d)
		case "expect":
			var e *Expect
			e, more = decodeExpect(b)
			sc.Expects = append(sc.Expects, e)
		case "target":
			more = singleBlock(b, targetSeen)
			targetSeen = b
			var t Target
			t, more2 := decodeTarget(b)
			more = append(more, more2...)
			sc.Target = t
		case "process":
			more = singleBlock(b, processSeen)
			processSeen = b
			var p engine.Policy
			p, more2 := decodeProcess(b)
			more = append(more, more2...)
			sc.Process = p
		}
		diags = append(diags, more...)
	}
	return sc, diags
}

func singleBlock(b, seen *hcl.Block) hcl.Diagnostics {
	if seen == nil {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Duplicate %s block", b.Type),
		Detail:   fmt.Sprintf("A scenario has at most one %s block; the first is at %s. Merge the two.", b.Type, seen.DefRange),
		Subject:  b.DefRange.Ptr(),
	}}
}

// checkName rejects labels that cannot be written in a reference.
func checkName(b *hcl.Block, diags *hcl.Diagnostics) {
	name := b.Labels[0]
	if hclsyntax.ValidIdentifier(name) && !strings.HasPrefix(name, "-") {
		return
	}
	*diags = append(*diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid name",
		Detail:   fmt.Sprintf("%q cannot be used in a reference such as %s.NAME. Use letters, digits, '-' and '_', starting with a letter.", name, b.Type),
		Subject:  b.LabelRanges[0].Ptr(),
	})
}

func decodeClock(a attrs, name string) time.Duration {
	s := a.str(name)
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		a.errorAt(a.valueRange(name), "Invalid time of day",
			fmt.Sprintf("%s takes a 24-hour time of day such as \"14:00\"; got %q.", name, s))
		return 9 * time.Hour
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute
}

func content(b *hcl.Block, schema *hcl.BodySchema) (*hcl.BodyContent, attrs, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	if len(b.Labels) > 0 {
		checkName(b, &diags)
	}
	c, more := b.Body.Content(schema)
	diags = append(diags, more...)
	return c, attrs{m: c.Attributes}, diags
}

var groupSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "title"}, {Name: "members", Required: true}, {Name: "owner", Required: true}, {Name: "description"},
}}

func decodeGroup(b *hcl.Block) (*Group, hcl.Diagnostics) {
	_, a, diags := content(b, groupSchema)
	a.diags = &diags
	g := &Group{Name: b.Labels[0], DefRange: b.DefRange}
	g.Title = a.str("title")
	g.Members = a.strings("members")
	g.Owner = a.str("owner")
	g.Description = a.str("description")
	if a.has("members") && len(g.Members) == 0 && !diags.HasErrors() {
		a.errorAt(a.valueRange("members"), "Group without members", "A group needs at least one member to page.")
	}
	if g.Owner != "" && a.has("members") && !contains(g.Members, g.Owner) {
		a.errorAt(a.valueRange("owner"), "Owner is not a member",
			fmt.Sprintf("The owner of group %q must be one of its members (%s).", g.Name, strings.Join(g.Members, ", ")))
	}
	return g, diags
}

var rotationSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "group", Required: true}, {Name: "members"}, {Name: "shift", Required: true},
	{Name: "escalate_after", Required: true}, {Name: "escalate_to"},
}}

func decodeRotation(b *hcl.Block) (*Rotation, hcl.Diagnostics) {
	_, a, diags := content(b, rotationSchema)
	a.diags = &diags
	r := &Rotation{Name: b.Labels[0], DefRange: b.DefRange}
	r.Group = a.ref("group", KindGroup)
	r.Members = a.strings("members")
	r.Shift = a.positiveDuration("shift")
	r.EscalateAfter = a.positiveDuration("escalate_after")
	r.EscalateTo = a.str("escalate_to")
	r.MembersRange, r.EscalateToRange = a.valueRange("members"), a.valueRange("escalate_to")
	return r, diags
}

var vendorSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "title"}, {Name: "helpdesk", Required: true}, {Name: "portal"}, {Name: "sla"},
		{Name: "responds_after"}, {Name: "response"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "change", LabelNames: []string{"name"}}},
}

func decodeVendor(b *hcl.Block) (*Vendor, hcl.Diagnostics) {
	c, a, diags := content(b, vendorSchema)
	a.diags = &diags
	v := &Vendor{Name: b.Labels[0], DefRange: b.DefRange}
	v.Title = a.str("title")
	v.Helpdesk = a.str("helpdesk")
	v.Portal = a.str("portal")
	v.SLA = a.positiveDuration("sla")
	v.RespondsAfter = a.positiveDuration("responds_after")
	if !a.has("responds_after") {
		v.RespondsAfter = 15 * time.Minute
	}
	v.Response = a.str("response")
	for _, cb := range c.Blocks {
		ch, more := decodeVendorChange(cb)
		diags = append(diags, more...)
		v.Changes = append(v.Changes, ch)
	}
	return v, diags
}

var vendorChangeSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "at", Required: true}, {Name: "note", Required: true},
}}

func decodeVendorChange(b *hcl.Block) (*VendorChange, hcl.Diagnostics) {
	_, a, diags := content(b, vendorChangeSchema)
	a.diags = &diags
	ch := &VendorChange{Name: b.Labels[0], DefRange: b.DefRange}
	ch.At, _ = a.duration("at")
	ch.Note = a.str("note")
	return ch, diags
}

var serviceSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "title"}, {Name: "group", Required: true}, {Name: "vendor"}, {Name: "owner"},
	{Name: "critical"}, {Name: "rps"}, {Name: "error_rate"}, {Name: "latency_ms"}, {Name: "slo"},
	{Name: "depends_on"}, {Name: "description"},
}}

func decodeService(b *hcl.Block) (*Service, hcl.Diagnostics) {
	_, a, diags := content(b, serviceSchema)
	a.diags = &diags
	s := &Service{Name: b.Labels[0], DefRange: b.DefRange, RPS: 100, ErrorRate: 0.001, LatencyMS: 100, SLO: 0.999}
	s.Title = a.str("title")
	s.Group = a.ref("group", KindGroup)
	s.Vendor = a.ref("vendor", KindVendor)
	s.Owner = a.str("owner")
	s.OwnerRange = a.valueRange("owner")
	s.Critical = a.boolean("critical")
	if a.has("rps") {
		s.RPS = a.nonNegative("rps")
	}
	if a.has("error_rate") {
		s.ErrorRate = a.fraction("error_rate")
	}
	if a.has("latency_ms") {
		s.LatencyMS = a.nonNegative("latency_ms")
	}
	if a.has("slo") {
		s.SLO = a.fraction("slo")
	}
	s.Description = a.str("description")
	if at, ok := a.m["depends_on"]; ok {
		s.DependsOn = decodeDependencies(at, &diags)
	}
	return s, diags
}

// decodeDependencies reads depends_on as a map of service reference to weight,
// or as a list of service references with weight 1.
func decodeDependencies(at *hcl.Attribute, diags *hcl.Diagnostics) []Dependency {
	if pairs, more := hcl.ExprMap(at.Expr); !more.HasErrors() {
		var deps []Dependency
		for _, kv := range pairs {
			r, more := refFromExpr(kv.Key, KindService)
			*diags = append(*diags, more...)
			a := attrs{m: hcl.Attributes{"weight": {Name: "weight", Expr: kv.Value}}, diags: diags}
			w := a.fraction("weight")
			if r.Name != "" {
				deps = append(deps, Dependency{Service: r, Weight: w})
			}
		}
		return deps
	}
	a := attrs{m: hcl.Attributes{"depends_on": at}, diags: diags}
	var deps []Dependency
	for _, r := range a.refs("depends_on", KindService) {
		deps = append(deps, Dependency{Service: r, Weight: 1})
	}
	return deps
}

var alertSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "service", Required: true}, {Name: "condition", Required: true}, {Name: "for"},
	{Name: "page"}, {Name: "severity"}, {Name: "description"},
}}

// Severities lists the alert severities.
func Severities() []string { return []string{"critical", "warning", "info"} }

func decodeAlert(b *hcl.Block) (*Alert, hcl.Diagnostics) {
	_, a, diags := content(b, alertSchema)
	a.diags = &diags
	al := &Alert{Name: b.Labels[0], DefRange: b.DefRange, Severity: "warning"}
	al.Service = a.ref("service", KindService)
	if d, ok := a.duration("for"); ok {
		al.For = d
	}
	al.Page = a.ref("page", KindRotation)
	if a.has("severity") {
		al.Severity = a.oneOf("severity", Severities())
	}
	al.Description = a.str("description")
	if expr := a.expr("condition"); expr != nil {
		diags = append(diags, compileAlertCondition(expr, al)...)
	}
	return al, diags
}

// compileAlertCondition turns "metric OP number" into fields, so the world can
// check thousands of alert rules per second without an expression evaluator.
func compileAlertCondition(expr hcl.Expression, al *Alert) hcl.Diagnostics {
	metricNames := make([]string, len(Metrics()))
	for i, m := range Metrics() {
		metricNames[i] = string(m)
	}
	bad := hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid alert condition",
		Detail:   fmt.Sprintf("An alert condition compares one metric of its service with a number, such as error_rate > 0.05. Metrics(): %s; operators: >, >=, <, <=.", strings.Join(metricNames, ", ")),
		Subject:  expr.Range().Ptr(),
	}}
	bin, ok := expr.(*hclsyntax.BinaryOpExpr)
	if !ok {
		return bad
	}
	ops := map[*hclsyntax.Operation]Comparison{
		hclsyntax.OpGreaterThan: Above, hclsyntax.OpGreaterThanOrEqual: AtOrAbove,
		hclsyntax.OpLessThan: Below, hclsyntax.OpLessThanOrEqual: AtOrBelow,
	}
	op, ok := ops[bin.Op]
	if !ok {
		return bad
	}
	lhs, ok := bin.LHS.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(lhs.Traversal) != 1 {
		return bad
	}
	metric := Metric(lhs.Traversal.RootName())
	if !contains(metricNames, string(metric)) {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown metric",
			Detail:   fmt.Sprintf("%q is not a metric. Use one of %s.%s", metric, strings.Join(metricNames, ", "), suggest(string(metric), metricNames)),
			Subject:  lhs.Range().Ptr(),
		}}
	}
	var threshold float64
	a := attrs{m: hcl.Attributes{"threshold": {Name: "threshold", Expr: bin.RHS}}, diags: new(hcl.Diagnostics)}
	if !a.decode("threshold", &threshold) {
		return bad
	}
	al.Metric, al.Op, al.Threshold = metric, op, threshold
	return nil
}

var runbookSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "title", Required: true}, {Name: "service"}, {Name: "group"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "step", LabelNames: []string{"name"}}},
}

func decodeRunbook(b *hcl.Block) (*Runbook, hcl.Diagnostics) {
	c, a, diags := content(b, runbookSchema)
	a.diags = &diags
	r := &Runbook{Name: b.Labels[0], DefRange: b.DefRange}
	r.Title = a.str("title")
	r.Service = a.ref("service", KindService)
	r.Group = a.ref("group", KindGroup)
	for _, sb := range c.Blocks {
		step, more := decodeRunbookStep(sb)
		diags = append(diags, more...)
		r.Steps = append(r.Steps, step)
	}
	if len(r.Steps) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Runbook without steps",
			Detail:   `Add at least one step "name" { text = "…" } block.`,
			Subject:  b.DefRange.Ptr(),
		})
	}
	return r, diags
}

var stepSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "text", Required: true}, {Name: "reveals"}, {Name: "applies"}, {Name: "takes"},
}}

func decodeRunbookStep(b *hcl.Block) (*RunbookStep, hcl.Diagnostics) {
	_, a, diags := content(b, stepSchema)
	a.diags = &diags
	s := &RunbookStep{Name: b.Labels[0], DefRange: b.DefRange, Takes: time.Minute}
	s.Text = a.str("text")
	s.Reveals = a.str("reveals")
	s.Applies = a.ref("applies", KindRemedy)
	if d, ok := a.duration("takes"); ok {
		s.Takes = d
	}
	return s, diags
}

var knowledgeSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "title", Required: true}, {Name: "text"}, {Name: "workaround"}, {Name: "applies_to"}, {Name: "keywords"},
	{Name: "escalate_to"},
}}

func decodeKnowledge(b *hcl.Block) (*Knowledge, hcl.Diagnostics) {
	_, a, diags := content(b, knowledgeSchema)
	a.diags = &diags
	k := &Knowledge{Name: b.Labels[0], DefRange: b.DefRange}
	k.Title = a.str("title")
	k.Text = a.str("text")
	k.Workaround = a.str("workaround")
	k.AppliesTo = a.refs("applies_to", KindService)
	k.Keywords = a.strings("keywords")
	k.EscalateTo = a.refs("escalate_to", KindGroup)
	return k, diags
}

var faultSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "service", Required: true}, {Name: "start"}, {Name: "when"}, {Name: "ramp"},
	{Name: "error_rate"}, {Name: "latency_ms"}, {Name: "saturation"}, {Name: "heals_after"},
	{Name: "recovers_over"}, {Name: "cause", Required: true}, {Name: "root_cause"}, {Name: "mitigated_by"}, {Name: "fixed_by"},
	{Name: "reduced_by"}, {Name: "tools_down"}, {Name: "logs"},
}}

func decodeFault(b *hcl.Block) (*Fault, hcl.Diagnostics) {
	_, a, diags := content(b, faultSchema)
	a.diags = &diags
	f := &Fault{Name: b.Labels[0], DefRange: b.DefRange}
	f.Service = a.ref("service", KindService)
	f.Start, _ = a.offset("start")
	f.HasStart = a.has("start")
	f.StartRange = a.valueRange("start")
	f.When = a.expr("when")
	if a.has("start") && a.has("when") {
		a.errorAt(a.valueRange("when"), "Both start and when",
			"A fault starts at a time (start) or when a condition holds (when), not both. Remove one.")
	}
	if d, ok := a.duration("ramp"); ok {
		f.Ramp = d
	}
	f.ErrorRate = a.fraction("error_rate")
	f.LatencyMS = a.nonNegative("latency_ms")
	f.Saturation = a.fraction("saturation")
	f.HealsAfter = a.positiveDuration("heals_after")
	f.RecoversOver = a.positiveDuration("recovers_over")
	f.Cause = a.str("cause")
	f.RootCause = a.boolean("root_cause")
	f.RootRange = a.valueRange("root_cause")
	f.MitigatedBy = a.refs("mitigated_by", KindRemedy)
	f.FixedBy = a.refs("fixed_by", KindRemedy)
	if at, ok := a.m["reduced_by"]; ok {
		f.ReducedBy = decodeReductions(at, &diags)
	}
	f.ToolsDown = decodeTools(a, "tools_down")
	f.Logs = a.strings("logs")
	return f, diags
}

var hypothesisSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "title", Required: true}, {Name: "service", Required: true}, {Name: "cause"}, {Name: "signs"},
}}

func decodeHypothesis(b *hcl.Block) (*Hypothesis, hcl.Diagnostics) {
	_, a, diags := content(b, hypothesisSchema)
	a.diags = &diags
	h := &Hypothesis{Name: b.Labels[0], DefRange: b.DefRange}
	h.Title = a.str("title")
	h.Service = a.ref("service", KindService)
	h.Cause = a.ref("cause", KindFault)
	h.Signs = a.strings("signs")
	return h, diags
}

// decodeTools reads a list of the responders' tools (engine.Tools), each
// once.
func decodeTools(a attrs, name string) []engine.Tool {
	at, ok := a.m[name]
	if !ok {
		return nil
	}
	known := make([]string, len(engine.Tools()))
	for i, t := range engine.Tools() {
		known[i] = string(t)
	}
	items, diags := hcl.ExprList(at.Expr)
	if diags.HasErrors() {
		a.errorAt(at.Expr.Range(), "Invalid tool list",
			fmt.Sprintf("%s takes a list of tools, such as [\"telemetry\"]; tools are %s.", name, quoteList(known)))
		return nil
	}
	var out []engine.Tool
	for _, item := range items {
		var s string
		one := attrs{m: hcl.Attributes{name: {Name: name, Expr: item}}, diags: a.diags}
		if !one.decode(name, &s) {
			continue
		}
		switch {
		case !contains(known, s):
			a.errorAt(item.Range(), "Unknown tool",
				fmt.Sprintf("%q is not one of the responders' tools; %s takes %s.%s", s, name, quoteList(known), suggest(s, known)))
		case slices.Contains(out, engine.Tool(s)):
			a.errorAt(item.Range(), "Duplicate tool", fmt.Sprintf("%q is already in %s; list each tool once.", s, name))
		default:
			out = append(out, engine.Tool(s))
		}
	}
	return out
}

// decodeReductions reads reduced_by: a map of remedy reference to the share
// of the fault's strength that remedy takes away, above 0 and at most 1.
func decodeReductions(at *hcl.Attribute, diags *hcl.Diagnostics) []Reduction {
	a := attrs{m: hcl.Attributes{"reduced_by": at}, diags: diags}
	pairs, more := hcl.ExprMap(at.Expr)
	if more.HasErrors() {
		a.errorAt(at.Expr.Range(), "Invalid reductions",
			"reduced_by maps each remedy to the share of the fault's strength it takes away, such as { (remedy.shed-load) = 0.6 }.")
		return nil
	}
	var out []Reduction
	seen := map[string]hcl.Range{}
	for _, kv := range pairs {
		r, more := refFromExpr(kv.Key, KindRemedy)
		*diags = append(*diags, more...)
		var by float64
		share := attrs{m: hcl.Attributes{"reduced_by": {Name: "reduced_by", Expr: kv.Value}}, diags: diags}
		if !share.decode("reduced_by", &by) || r.Name == "" {
			continue
		}
		if by <= 0 || by > 1 {
			a.errorAt(kv.Value.Range(), "Value out of range",
				fmt.Sprintf("reduced_by takes a share of the fault's strength above 0 and at most 1 (0.6 takes 60%% away, 1 all of it); got %g.", by))
			continue
		}
		if first, dup := seen[r.Name]; dup {
			a.errorAt(r.Range, "Duplicate reduction",
				fmt.Sprintf("%s is already in reduced_by at %s. Give each remedy one share.", r, first))
			continue
		}
		seen[r.Name] = r.Range
		out = append(out, Reduction{Remedy: r, By: by})
	}
	return out
}

var remedySchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "title"}, {Name: "service", Required: true}, {Name: "takes"}, {Name: "requires_change"},
	{Name: "by"}, {Name: "harmful"}, {Name: "spike"}, {Name: "spike_for"}, {Name: "triggers"},
}}

func decodeRemedy(b *hcl.Block) (*Remedy, hcl.Diagnostics) {
	_, a, diags := content(b, remedySchema)
	a.diags = &diags
	r := &Remedy{Name: b.Labels[0], DefRange: b.DefRange, Takes: 5 * time.Minute}
	r.Title = a.str("title")
	r.Service = a.ref("service", KindService)
	if d, ok := a.duration("takes"); ok {
		r.Takes = d
	}
	r.RequiresChange = a.boolean("requires_change")
	r.By = a.refs("by", KindGroup)
	r.Harmful = a.str("harmful")
	r.Spike = a.fraction("spike")
	r.SpikeFor = a.positiveDuration("spike_for")
	r.Triggers = a.refs("triggers", KindFault)
	if r.Harmful != "" && !a.has("spike") {
		r.Spike = 0.3
	}
	if r.Harmful != "" && r.SpikeFor == 0 {
		r.SpikeFor = 2 * time.Minute
	}
	if r.Harmful == "" && (a.has("spike") || a.has("triggers")) {
		a.errorAt(b.DefRange, "Harm without a description",
			"spike and triggers describe the harm a remedy does; say what the harm is in harmful = \"…\" too.")
	}
	return r, diags
}

var injectSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "at"}, {Name: "when"}, {Name: "to", Required: true}, {Name: "channel", Required: true},
	{Name: "from"}, {Name: "text", Required: true}, {Name: "record"}, {Name: "about"},
}}

// RecordKinds lists what an inject can expect the service desk to record.
func RecordKinds() []string { return []string{"incident", "request"} }

func decodeInject(b *hcl.Block) (*Inject, hcl.Diagnostics) {
	_, a, diags := content(b, injectSchema)
	a.diags = &diags
	in := &Inject{Name: b.Labels[0], DefRange: b.DefRange}
	in.At, in.HasAt, in.When = decodeTrigger(b, a)
	in.AtRange = a.valueRange("at")
	in.To = decodeAudience(a, "to")
	in.Channel = Channel(a.oneOf("channel", channelNames()))
	in.From = a.str("from")
	in.Text = a.str("text")
	in.Record = a.oneOf("record", RecordKinds())
	in.About = a.ref("about", KindService)
	return in, diags
}

// decodeTrigger reads "at" or "when", exactly one of which must be given to
// anything that happens in the story. Things with neither wait to be triggered
// by a decision option, which validate checks.
func decodeTrigger(b *hcl.Block, a attrs) (time.Duration, bool, hcl.Expression) {
	at, _ := a.offset("at")
	hasAt := a.has("at")
	when := a.expr("when")
	if a.has("at") && when != nil {
		a.errorAt(a.valueRange("when"), "Both at and when",
			fmt.Sprintf("A %s happens at a time (at) or when a condition holds (when), not both. Remove one.", b.Type))
	}
	return at, hasAt, when
}

func channelNames() []string {
	out := make([]string, len(Channels()))
	for i, c := range Channels() {
		out[i] = string(c)
	}
	return out
}

// decodeAudience reads everyone, group.x, role.x, person.x or a list of them.
func decodeAudience(a attrs, name string) Audience {
	at, ok := a.m[name]
	if !ok {
		return Audience{}
	}
	items := []hcl.Expression{at.Expr}
	if list, diags := hcl.ExprList(at.Expr); !diags.HasErrors() {
		items = list
	}
	var aud Audience
	for _, item := range items {
		if trav, diags := hcl.AbsTraversalForExpr(item); !diags.HasErrors() && len(trav) == 1 && trav.RootName() == "everyone" {
			aud.Everyone = true
			continue
		}
		r, diags := refFromExpr(item, KindGroup, KindRole, KindPerson)
		if diags.HasErrors() {
			diags[0].Detail = "Address an audience as everyone, group.NAME, role.NAME or person.NAME, or a list of them."
		}
		*a.diags = append(*a.diags, diags...)
		if r.Name != "" {
			aud.Refs = append(aud.Refs, r)
		}
	}
	if !aud.Everyone && len(aud.Refs) == 0 && !a.diags.HasErrors() {
		a.errorAt(at.Expr.Range(), "Empty audience", "Say who receives it: everyone, group.NAME, role.NAME or person.NAME.")
	}
	return aud
}

var decisionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "at"}, {Name: "when"}, {Name: "to", Required: true}, {Name: "prompt", Required: true},
		{Name: "timeout"}, {Name: "default"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "option", LabelNames: []string{"name"}}},
}

func decodeDecision(b *hcl.Block) (*Decision, hcl.Diagnostics) {
	c, a, diags := content(b, decisionSchema)
	a.diags = &diags
	d := &Decision{Name: b.Labels[0], DefRange: b.DefRange}
	d.At, d.HasAt, d.When = decodeTrigger(b, a)
	d.AtRange = a.valueRange("at")
	d.To = decodeAudience(a, "to")
	d.Prompt = a.str("prompt")
	d.Timeout = a.positiveDuration("timeout")
	d.Default = a.str("default")
	seen := map[string]*Option{}
	var names []string
	for _, ob := range c.Blocks {
		o, more := decodeOption(ob)
		diags = append(diags, more...)
		if first, dup := seen[o.Name]; dup {
			diags = append(diags, duplicateDiag("option", o.Name, first.DefRange, o.DefRange))
			continue
		}
		seen[o.Name] = o
		names = append(names, o.Name)
		d.Options = append(d.Options, o)
	}
	if len(c.Blocks) < 2 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Decision needs options",
			Detail:   `A decision offers at least two option "name" { text = "…" score = N } blocks.`,
			Subject:  b.DefRange.Ptr(),
		})
	}
	if d.Default != "" && seen[d.Default] == nil && len(names) > 0 {
		a.errorAt(a.valueRange("default"), "Unknown option",
			fmt.Sprintf("default must name one of this decision's options: %s.%s", quoteList(names), suggest(d.Default, names)))
	}
	if d.Timeout > 0 && d.Default == "" {
		a.errorAt(a.valueRange("timeout"), "Timeout without a default",
			"Say which option is taken when nobody answers in time: default = \"NAME\".")
	}
	return d, diags
}

var optionSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "text", Required: true}, {Name: "score"}, {Name: "note"}, {Name: "triggers"},
}}

func decodeOption(b *hcl.Block) (*Option, hcl.Diagnostics) {
	_, a, diags := content(b, optionSchema)
	a.diags = &diags
	o := &Option{Name: b.Labels[0], DefRange: b.DefRange}
	o.Text = a.str("text")
	o.Score = a.number("score")
	o.Note = a.str("note")
	o.Triggers = a.refs("triggers", KindInject, KindFault, KindDecision)
	return o, diags
}

var expectSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "description"}, {Name: "dimension", Required: true}, {Name: "condition", Required: true},
	{Name: "applies"}, {Name: "within"}, {Name: "decay"}, {Name: "points", Required: true},
}}

func decodeExpect(b *hcl.Block) (*Expect, hcl.Diagnostics) {
	_, a, diags := content(b, expectSchema)
	a.diags = &diags
	e := &Expect{Name: b.Labels[0], DefRange: b.DefRange}
	e.Description = a.str("description")
	dims := make([]string, len(Dimensions()))
	for i, d := range Dimensions() {
		dims[i] = string(d)
	}
	e.Dimension = Dimension(a.oneOf("dimension", dims))
	e.Condition = a.expr("condition")
	if a.has("applies") {
		e.Applies = a.expr("applies")
	}
	e.Within = a.positiveDuration("within")
	e.WithinRange = a.valueRange("within")
	e.Decay = a.positiveDuration("decay")
	e.Points = a.number("points")
	if a.has("points") && e.Points <= 0 && !diags.HasErrors() {
		a.errorAt(a.valueRange("points"), "Value out of range", "points must be above zero; use a penalty elsewhere for things a team should not do.")
	}
	return e, diags
}

var targetSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "detect"}, {Name: "acknowledge"}, {Name: "declare"}, {Name: "identify"},
	{Name: "mitigate"}, {Name: "fix"}, {Name: "restore"}, {Name: "close"}, {Name: "mitigated_below"},
}}

func decodeTarget(b *hcl.Block) (Target, hcl.Diagnostics) {
	_, a, diags := content(b, targetSchema)
	a.diags = &diags
	return Target{
		Detect:         a.positiveDuration("detect"),
		Acknowledge:    a.positiveDuration("acknowledge"),
		Declare:        a.positiveDuration("declare"),
		Identify:       a.positiveDuration("identify"),
		Mitigate:       a.positiveDuration("mitigate"),
		Fix:            a.positiveDuration("fix"),
		Restore:        a.positiveDuration("restore"),
		Close:          a.positiveDuration("close"),
		MitigatedBelow: a.fraction("mitigated_below"),
		DefRange:       b.DefRange,
	}, diags
}

var processSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "priority_matrix"}, {Name: "war_room_for"}, {Name: "command_center_for"},
	{Name: "validation_for"}, {Name: "problem_for"}, {Name: "problem_for_p2_when"}, {Name: "status_every"},
}}

func decodeProcess(b *hcl.Block) (engine.Policy, hcl.Diagnostics) {
	_, a, diags := content(b, processSchema)
	a.diags = &diags
	p := engine.DefaultPolicy()
	if a.has("priority_matrix") {
		var m map[string]map[string]int
		if a.decode("priority_matrix", &m) {
			p.Matrix = decodeMatrix(a, m)
		}
	}
	for name, field := range map[string]*[]engine.Priority{
		"war_room_for": &p.WarRoomFor, "command_center_for": &p.CommandCenterFor,
		"validation_for": &p.ValidationFor, "problem_for": &p.ProblemFor,
	} {
		if a.has(name) {
			*field = decodePriorities(a, name)
		}
	}
	if a.has("problem_for_p2_when") {
		reasons := make([]string, len(engine.ProblemReasons()))
		for i, r := range engine.ProblemReasons() {
			reasons[i] = string(r)
		}
		p.ProblemForP2When = nil
		for _, s := range a.strings("problem_for_p2_when") {
			if !contains(reasons, s) {
				a.errorAt(a.valueRange("problem_for_p2_when"), "Unsupported value",
					fmt.Sprintf("problem_for_p2_when lists %s; got %q.%s", quoteList(reasons), s, suggest(s, reasons)))
				continue
			}
			p.ProblemForP2When = append(p.ProblemForP2When, engine.ProblemReason(s))
		}
	}
	if a.has("status_every") {
		p.StatusEvery = a.positiveDuration("status_every")
	}
	return p, diags
}

func decodeMatrix(a attrs, m map[string]map[string]int) map[engine.Level]map[engine.Level]engine.Priority {
	out := map[engine.Level]map[engine.Level]engine.Priority{}
	for _, impact := range engine.Levels() {
		row, ok := m[string(impact)]
		if !ok {
			a.errorAt(a.valueRange("priority_matrix"), "Incomplete priority matrix",
				fmt.Sprintf("The matrix needs a row for impact %q with a priority for urgency high, medium and low.", impact))
			return engine.DefaultPolicy().Matrix
		}
		out[impact] = map[engine.Level]engine.Priority{}
		for _, urgency := range engine.Levels() {
			pr, ok := row[string(urgency)]
			if !ok || pr < 1 || pr > 4 {
				a.errorAt(a.valueRange("priority_matrix"), "Invalid priority matrix",
					fmt.Sprintf("Impact %q, urgency %q needs a priority from 1 to 4.", impact, urgency))
				return engine.DefaultPolicy().Matrix
			}
			out[impact][urgency] = engine.Priority(pr)
		}
	}
	for key := range m {
		if !engine.Level(key).Valid() {
			a.errorAt(a.valueRange("priority_matrix"), "Invalid priority matrix",
				fmt.Sprintf("%q is not an impact level; use high, medium and low.", key))
		}
	}
	return out
}

func decodePriorities(a attrs, name string) []engine.Priority {
	var ints []int
	if !a.decode(name, &ints) {
		return nil
	}
	out := make([]engine.Priority, 0, len(ints))
	for _, n := range ints {
		if n < 1 || n > 4 {
			a.errorAt(a.valueRange(name), "Value out of range", fmt.Sprintf("%s lists priorities from 1 to 4; got %d.", name, n))
			continue
		}
		out = append(out, engine.Priority(n))
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

func duplicateDiag(kind, name string, first, again hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Duplicate %s name", kind),
		Detail:   fmt.Sprintf("A %s named %q was already declared at %s. Names must be unique within their kind; rename one.", kind, name, first),
		Subject:  again.Ptr(),
	}
}
