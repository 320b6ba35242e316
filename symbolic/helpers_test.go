package symbolic

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// parse builds an expression from an S-expression through the simplifying
// constructors: (+ a b ...), (- a b), (neg a), (* a b ...), (/ a b), (^ a b),
// (f args...) for a function name, numbers and symbols.
func parse(b *Builder, src string) *Node {
	toks := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(src))
	n, rest := parseToks(b, toks)
	if len(rest) != 0 {
		panic("trailing tokens in " + src)
	}
	return n
}

func parseToks(b *Builder, toks []string) (*Node, []string) {
	t := toks[0]
	toks = toks[1:]
	if t != "(" {
		if v, err := strconv.ParseFloat(t, 64); err == nil {
			return b.Num(v), toks
		}
		return b.Sym(t), toks
	}
	op := toks[0]
	toks = toks[1:]
	var args []*Node
	for toks[0] != ")" {
		var a *Node
		a, toks = parseToks(b, toks)
		args = append(args, a)
	}
	toks = toks[1:]
	switch op {
	case "+":
		return b.Add(args...), toks
	case "*":
		return b.Mul(args...), toks
	case "-":
		return b.Sub(args[0], args[1]), toks
	case "neg":
		return b.Neg(args[0]), toks
	case "/":
		return b.Div(args[0], args[1]), toks
	case "^":
		return b.Pow(args[0], args[1]), toks
	}
	f, ok := FuncByName(op)
	if !ok {
		panic("unknown operator " + op)
	}
	return b.Call(f, args...), toks
}

// checkCanonical verifies the structural invariants of every node reachable from n.
func checkCanonical(t *testing.T, n *Node) {
	t.Helper()
	seen := map[*Node]bool{}
	var walk func(n *Node)
	walk = func(n *Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		if err := canonicalError(n); err != "" {
			t.Errorf("non-canonical node %v: %s", n, err)
		}
		for _, a := range n.args {
			if a.id >= n.id {
				t.Errorf("child %v created after parent %v", a, n)
			}
			walk(a)
		}
	}
	walk(n)
}

func canonicalError(n *Node) string {
	switch n.kind {
	case KAdd:
		if len(n.args) < 1 || (len(n.args) == 1 && n.val == 0) {
			return "degenerate sum"
		}
		prev := int32(-1)
		for _, a := range n.args {
			if a.kind == KNum || a.kind == KAdd {
				return "number or sum inside sum"
			}
			base := a
			if a.kind == KMul && a.val != 1 {
				if len(a.args) == 1 {
					base = a.args[0]
				} else {
					base = nil
				}
			}
			if base != nil {
				if base.id <= prev {
					return "terms not sorted / not collected"
				}
				prev = base.id
			}
		}
	case KMul:
		if n.val == 0 || len(n.args) < 1 || (len(n.args) == 1 && n.val == 1) {
			return "degenerate product"
		}
		if len(n.args) == 1 && n.args[0].kind == KAdd {
			return "number times sum not distributed"
		}
		prev := int32(-1)
		for _, a := range n.args {
			if a.kind == KNum || a.kind == KMul {
				return "number or product inside product"
			}
			if a.kind == KAdd && !primitive(a) {
				return "sum factor with a numeric or monomial content"
			}
			base := a
			if a.kind == KPow {
				base = a.args[0]
			}
			if base.id <= prev {
				return "factors not sorted / not merged"
			}
			prev = base.id
		}
	case KPow:
		e := n.args[1]
		if e.kind == KNum && (e.val == 0 || e.val == 1) {
			return "trivial exponent"
		}
		if e.kind == KNum && n.args[0].kind == KNum {
			return "unfolded numeric power"
		}
		if n.args[0].kind == KAdd && e.kind == KNum && isInt(e.val) && !primitive(n.args[0]) {
			return "integer power of a sum with a numeric or monomial content"
		}
	case KCall:
		if n.fn == Sqrt {
			return "sqrt call"
		}
		all := true
		for _, a := range n.args {
			all = all && a.kind == KNum
		}
		if all {
			return "unfolded call of constants"
		}
	}
	return ""
}

// primitive reports whether the sum s has a trivial content.
func primitive(s *Node) bool {
	k, mono := analyzeContent(s)
	return k == 1 && len(mono) == 0
}

func env(pairs ...any) map[*Node]float64 {
	m := map[*Node]float64{}
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i].(*Node)] = pairs[i+1].(float64)
	}
	return m
}

var _ = fmt.Sprint
