package scenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/firedrill/firedrill/engine"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// attrs reads the attributes of one block. Every reader appends its problems
// to diags and returns the zero value, so a decode function can read all of a
// block's attributes and report every mistake in one pass.
type attrs struct {
	m     hcl.Attributes
	diags *hcl.Diagnostics
}

func (a attrs) has(name string) bool {
	_, ok := a.m[name]
	return ok
}

func (a attrs) valueRange(name string) hcl.Range {
	if at, ok := a.m[name]; ok {
		return at.Expr.Range()
	}
	return hcl.Range{}
}

func (a attrs) decode(name string, target any) bool {
	at, ok := a.m[name]
	if !ok {
		return false
	}
	more := gohcl.DecodeExpression(at.Expr, nil, target)
	*a.diags = append(*a.diags, more...)
	return !more.HasErrors()
}

func (a attrs) str(name string) string {
	var s string
	a.decode(name, &s)
	return a.clean(name, s)
}

// clean holds scenario text to the rule every input's text is held to
// (engine.CleanText): an escape such as "\u202e" in a title would
// otherwise reach every player's screen unchecked.
func (a attrs) clean(name, s string) string {
	c, err := engine.CleanText(s)
	if err != nil {
		a.errorAt(a.valueRange(name), "Text not allowed", fmt.Sprintf("%s %v; remove control and bidirectional formatting characters.", name, err))
		return ""
	}
	return c
}

func (a attrs) number(name string) float64 {
	var f float64
	a.decode(name, &f)
	return f
}

func (a attrs) boolean(name string) bool {
	var b bool
	a.decode(name, &b)
	return b
}

func (a attrs) strings(name string) []string {
	var s []string
	a.decode(name, &s)
	for i := range s {
		s[i] = a.clean(name, s[i])
	}
	return s
}

// fraction reads a number that must lie in [0, 1].
func (a attrs) fraction(name string) float64 {
	f := a.number(name)
	if a.has(name) && (f < 0 || f > 1) {
		a.errorAt(a.valueRange(name), "Value out of range",
			fmt.Sprintf("%s is a fraction between 0 and 1 (0.05 means 5%%); got %g.", name, f))
		return 0
	}
	return f
}

// nonNegative reads a number that must not be below zero.
func (a attrs) nonNegative(name string) float64 {
	f := a.number(name)
	if f < 0 {
		a.errorAt(a.valueRange(name), "Value out of range",
			fmt.Sprintf("%s cannot be negative; got %g.", name, f))
		return 0
	}
	return f
}

// duration reads a Go duration string such as "90s", "5m" or "1h30m".
func (a attrs) duration(name string) (time.Duration, bool) {
	at, ok := a.m[name]
	if !ok {
		return 0, false
	}
	var s string
	if !a.decode(name, &s) {
		return 0, false
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		a.errorAt(at.Expr.Range(), "Invalid duration",
			fmt.Sprintf("%s takes a duration such as \"90s\", \"5m\" or \"1h30m\"; %q is not one.", name, s))
		return 0, false
	}
	return d, true
}

// FormatDuration writes d the way scenarios spell durations: "1h30m", "8m",
// "90s" → "1m30s".
func FormatDuration(d time.Duration) string {
	s := d.String()
	s = strings.Replace(s, "m0s", "m", 1)
	return strings.Replace(s, "h0m", "h", 1)
}

// positiveDuration reads a duration that must be above zero.
func (a attrs) positiveDuration(name string) time.Duration {
	d, ok := a.duration(name)
	if ok && d <= 0 {
		a.errorAt(a.valueRange(name), "Invalid duration",
			fmt.Sprintf("%s must be longer than zero.", name))
		return 0
	}
	return d
}

// offset reads a time after the start of the exercise; it cannot be negative.
func (a attrs) offset(name string) (time.Duration, bool) {
	d, ok := a.duration(name)
	if ok && d < 0 {
		a.errorAt(a.valueRange(name), "Invalid time",
			fmt.Sprintf("%s is a time after the exercise starts, such as \"7m\"; it cannot be negative.", name))
		return 0, false
	}
	return d, ok
}

// oneOf reads a string that must be one of allowed.
func (a attrs) oneOf(name string, allowed []string) string {
	s := a.str(name)
	if s == "" || !a.has(name) {
		return s
	}
	for _, x := range allowed {
		if s == x {
			return s
		}
	}
	a.errorAt(a.valueRange(name), "Unsupported value",
		fmt.Sprintf("%s must be one of %s; got %q.%s", name, quoteList(allowed), s, suggest(s, allowed)))
	return ""
}

// ref reads a single reference such as service.claims-api, whose root must be
// one of kinds.
func (a attrs) ref(name string, kinds ...Kind) Ref {
	at, ok := a.m[name]
	if !ok {
		return Ref{}
	}
	r, diags := refFromExpr(at.Expr, kinds...)
	*a.diags = append(*a.diags, diags...)
	return r
}

// refs reads a list of references.
func (a attrs) refs(name string, kinds ...Kind) []Ref {
	at, ok := a.m[name]
	if !ok {
		return nil
	}
	items, diags := hcl.ExprList(at.Expr)
	if diags.HasErrors() {
		a.errorAt(at.Expr.Range(), "Invalid reference list",
			fmt.Sprintf("%s takes a list of references, such as [%s.NAME].", name, kinds[0]))
		return nil
	}
	var out []Ref
	for _, item := range items {
		r, more := refFromExpr(item, kinds...)
		*a.diags = append(*a.diags, more...)
		if r.Name != "" {
			out = append(out, r)
		}
	}
	return out
}

// expr returns the un-evaluated expression of a deferred attribute.
func (a attrs) expr(name string) hcl.Expression {
	if at, ok := a.m[name]; ok {
		return at.Expr
	}
	return nil
}

func (a attrs) errorAt(rng hcl.Range, summary, detail string) {
	*a.diags = append(*a.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail,
		Subject:  rng.Ptr(),
	})
}

// refFromExpr turns kind.name into a Ref, unwrapping the parentheses HCL
// requires around references used as map keys.
func refFromExpr(expr hcl.Expression, kinds ...Kind) (Ref, hcl.Diagnostics) {
	expr = unwrapKey(expr)
	examples := make([]string, len(kinds))
	for i, k := range kinds {
		examples[i] = string(k) + ".NAME"
	}
	bad := func(detail string) (Ref, hcl.Diagnostics) {
		return Ref{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference",
			Detail:   detail,
			Subject:  expr.Range().Ptr(),
		}}
	}
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		return bad(fmt.Sprintf("Expected a reference such as %s, without quotes.", strings.Join(examples, " or ")))
	}
	root := Kind(trav.RootName())
	allowed := false
	for _, k := range kinds {
		if root == k {
			allowed = true
		}
	}
	if !allowed {
		return bad(fmt.Sprintf("Expected a reference to %s here; %q refers to a %s.",
			strings.Join(examples, " or "), traversalString(trav), root))
	}
	if len(trav) != 2 {
		return bad(fmt.Sprintf("Expected %s: the kind, a dot and one name.", strings.Join(examples, " or ")))
	}
	step, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		return bad(fmt.Sprintf("Expected %s: the kind, a dot and one name.", strings.Join(examples, " or ")))
	}
	return Ref{Kind: root, Name: step.Name, Range: trav.SourceRange()}, nil
}

// unwrapKey removes the wrapping HCL puts around object keys and
// parenthesised expressions.
func unwrapKey(expr hcl.Expression) hcl.Expression {
	for {
		switch e := expr.(type) {
		case *hclsyntax.ObjectConsKeyExpr:
			expr = e.Wrapped
		case *hclsyntax.ParenthesesExpr:
			expr = e.Expression
		default:
			return expr
		}
	}
}

func traversalString(t hcl.Traversal) string {
	var b strings.Builder
	for i, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		default:
			b.WriteString("[…]")
		}
	}
	return b.String()
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// suggest returns ` Did you mean "x"?` when a known name is a small edit away.
func suggest(got string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := levenshtein.Distance(got, k, nil); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}
