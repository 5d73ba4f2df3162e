package scenario

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// StateField is an attribute of a named thing in the exercise state, such
// as service.claims-api.error_rate.
type StateField struct {
	Name string
	Type cty.Type
}

// stateByKind lists, for each kind whose blocks appear in the state by name,
// the attributes a condition may read.
var stateByKind = map[Kind][]StateField{
	KindService: {
		{"error_rate", cty.Number}, {"latency_ms", cty.Number}, {"rps", cty.Number},
		{"saturation", cty.Number}, {"healthy", cty.Bool}, {"impacted", cty.Bool},
	},
	KindFault:    {{"active", cty.Bool}, {"mitigated", cty.Bool}, {"fixed", cty.Bool}},
	KindAlert:    {{"firing", cty.Bool}, {"fired", cty.Bool}, {"acknowledged", cty.Bool}},
	KindInject:   {{"fired", cty.Bool}},
	KindDecision: {{"answered", cty.Bool}, {"choice", cty.String}},
	KindRemedy:   {{"applied", cty.Bool}, {"completed", cty.Bool}},
}

// StateFields returns the attributes a condition may read of a kind.
func StateFields(k Kind) []StateField { return stateByKind[k] }

// Record shapes, shared by the state the engine builds and the checks here.
var (
	incidentType = cty.Object(map[string]cty.Type{
		"number": cty.String, "priority": cty.Number, "state": cty.String,
		"group": cty.String, "service": cty.String, "parent": cty.String,
	})
	parentType = cty.Object(map[string]cty.Type{
		"exists": cty.Bool, "number": cty.String, "priority": cty.Number, "children": cty.List(cty.String),
	})
	warRoomType = cty.Object(map[string]cty.Type{"name": cty.String, "incident": cty.String})
	numberType  = cty.Object(map[string]cty.Type{"number": cty.String})
)

// IncidentType, ParentType, WarRoomType and NumberType are the object types
// of the records conditions read.
func IncidentType() cty.Type { return incidentType }
func ParentType() cty.Type   { return parentType }
func WarRoomType() cty.Type  { return warRoomType }
func NumberType() cty.Type   { return numberType }

// StateGlobals are the top-level names that are not kinds of block.
func StateGlobals() map[string]cty.Type {
	return map[string]cty.Type{
		"elapsed":        cty.Number,
		"incidents":      cty.List(incidentType),
		"parents":        cty.List(parentType),
		"parent":         parentType,
		"war_rooms":      cty.List(warRoomType),
		"problems":       cty.List(numberType),
		"changes":        cty.List(numberType),
		"pages":          cty.Number,
		"status_updates": cty.Number,
		"identified":     cty.Bool,
		"mitigated":      cty.Bool,
		"restored":       cty.Bool,
		"validated":      cty.Bool,
		"command_center": cty.Bool,
	}
}

// Functions returns the functions a condition may call. None of them reads
// files, the environment or the clock.
func Functions() map[string]function.Function {
	return map[string]function.Function{
		"seconds":  scaleFunc(1),
		"minutes":  scaleFunc(60),
		"hours":    scaleFunc(3600),
		"length":   stdlib.LengthFunc,
		"contains": stdlib.ContainsFunc,
		"distinct": stdlib.DistinctFunc,
		"min":      stdlib.MinFunc,
		"max":      stdlib.MaxFunc,
		"abs":      stdlib.AbsoluteFunc,
		"concat":   stdlib.ConcatFunc,
		"keys":     stdlib.KeysFunc,
		"values":   stdlib.ValuesFunc,
		"lookup":   stdlib.LookupFunc,
		"lower":    stdlib.LowerFunc,
		"upper":    stdlib.UpperFunc,
	}
}

var functions = Functions()

// scaleFunc turns a count of minutes or hours into seconds, the unit of
// elapsed.
func scaleFunc(factor int64) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "n", Type: cty.Number}},
		Type:   function.StaticReturnType(cty.Number),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return args[0].Multiply(cty.NumberIntVal(factor)), nil
		},
	})
}

// checkCondition reports every name and function in expr that the running
// exercise will not have, at the exact range where it is written.
func (sc *Scenario) checkCondition(expr hcl.Expression) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, trav := range expr.Variables() {
		if d := sc.checkStateTraversal(trav); d != nil {
			diags = append(diags, d)
		}
	}
	if syn, ok := expr.(hclsyntax.Expression); ok {
		hclsyntax.VisitAll(syn, func(n hclsyntax.Node) hcl.Diagnostics {
			call, ok := n.(*hclsyntax.FunctionCallExpr)
			if !ok {
				return nil
			}
			if _, known := functions[call.Name]; !known {
				names := sortedKeys(functions)
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown function",
					Detail:   fmt.Sprintf("Conditions may call %s.%s", strings.Join(names, ", "), suggest(call.Name, names)),
					Subject:  call.NameRange.Ptr(),
				})
			}
			return nil
		})
	}
	return diags
}

func (sc *Scenario) checkStateTraversal(trav hcl.Traversal) *hcl.Diagnostic {
	root := trav.RootName()
	if _, ok := StateGlobals()[root]; ok {
		return nil
	}
	fields, byName := stateByKind[Kind(root)]
	if !byName {
		known := append(sortedKeys(StateGlobals()), kindNames(stateByKind)...)
		sort.Strings(known)
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown name in condition",
			Detail:   fmt.Sprintf("%q is not part of the exercise state. Conditions may use %s.%s", root, strings.Join(known, ", "), suggest(root, known)),
			Subject:  trav[0].SourceRange().Ptr(),
		}
	}
	if len(trav) < 3 {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Incomplete reference in condition",
			Detail:   fmt.Sprintf("Read one attribute of a %s, as in %s.NAME.%s.", root, root, fields[0].Name),
			Subject:  trav.SourceRange().Ptr(),
		}
	}
	nameStep, ok1 := trav[1].(hcl.TraverseAttr)
	fieldStep, ok2 := trav[2].(hcl.TraverseAttr)
	if !ok1 || !ok2 {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference in condition",
			Detail:   fmt.Sprintf("Write %s.NAME.%s, with dots.", root, fields[0].Name),
			Subject:  trav.SourceRange().Ptr(),
		}
	}
	if _, declared := sc.lookup(Kind(root), nameStep.Name); !declared {
		names := sc.names(Kind(root))
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Reference to undeclared %s", root),
			Detail:   fmt.Sprintf("No %s named %q is declared in this scenario.%s", root, nameStep.Name, suggest(nameStep.Name, names)),
			Subject:  trav[1].SourceRange().Ptr(),
		}
	}
	fieldNames := make([]string, len(fields))
	for i, f := range fields {
		fieldNames[i] = f.Name
		if f.Name == fieldStep.Name {
			return nil
		}
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unknown attribute in condition",
		Detail:   fmt.Sprintf("A %s has %s.%s", root, strings.Join(fieldNames, ", "), suggest(fieldStep.Name, fieldNames)),
		Subject:  trav[2].SourceRange().Ptr(),
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func kindNames(m map[Kind][]StateField) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	return out
}
