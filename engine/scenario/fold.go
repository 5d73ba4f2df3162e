package scenario

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// foldConditions replaces, in every condition of a valid scenario, each
// function call whose arguments read nothing of the exercise (minutes(22),
// hours(1)) with its value. A condition is evaluated again and again while
// an exercise runs, and calling a function through cty costs more than the
// rest of a comparison; its value never changes, so it is worked out once.
func (sc *Scenario) foldConditions() {
	f := func(e *hcl.Expression) {
		if *e != nil {
			*e = fold(*e)
		}
	}
	for _, x := range sc.Injects {
		f(&x.When)
	}
	for _, x := range sc.Decisions {
		f(&x.When)
	}
	for _, x := range sc.Faults {
		f(&x.When)
	}
	for _, x := range sc.Expects {
		f(&x.Condition)
		f(&x.Applies)
	}
}

// fold returns e with its constant function calls replaced by their
// values; an expression it does not know is left as it is.
func fold(e hcl.Expression) hcl.Expression {
	syn, ok := e.(hclsyntax.Expression)
	if !ok {
		return e
	}
	return foldSyntax(syn)
}

func foldSyntax(e hclsyntax.Expression) hclsyntax.Expression {
	switch x := e.(type) {
	case *hclsyntax.FunctionCallExpr:
		for i, a := range x.Args {
			x.Args[i] = foldSyntax(a)
		}
		if len(x.Variables()) > 0 {
			return x
		}
		v, diags := x.Value(&hcl.EvalContext{Functions: functions})
		if diags.HasErrors() || !v.IsWhollyKnown() {
			return x
		}
		return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: x.Range()}
	case *hclsyntax.BinaryOpExpr:
		x.LHS, x.RHS = foldSyntax(x.LHS), foldSyntax(x.RHS)
	case *hclsyntax.UnaryOpExpr:
		x.Val = foldSyntax(x.Val)
	case *hclsyntax.ParenthesesExpr:
		x.Expression = foldSyntax(x.Expression)
	case *hclsyntax.ConditionalExpr:
		x.Condition, x.TrueResult, x.FalseResult = foldSyntax(x.Condition), foldSyntax(x.TrueResult), foldSyntax(x.FalseResult)
	case *hclsyntax.TupleConsExpr:
		for i, a := range x.Exprs {
			x.Exprs[i] = foldSyntax(a)
		}
	case *hclsyntax.ForExpr:
		x.CollExpr = foldSyntax(x.CollExpr)
		if x.KeyExpr != nil {
			x.KeyExpr = foldSyntax(x.KeyExpr)
		}
		x.ValExpr = foldSyntax(x.ValExpr)
		if x.CondExpr != nil {
			x.CondExpr = foldSyntax(x.CondExpr)
		}
	}
	return e
}
