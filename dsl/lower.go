package dsl

import (
	"math"

	"github.com/lagc/lagc/parser"
	"github.com/lagc/lagc/symbolic"
)

// ctx describes where an expression is being lowered.
type ctx struct {
	what     string  // "lagrangian", "cost", "let x"
	noTarget bool    // targets are forbidden (the lagrangian)
	target   *string // a let records the first target it uses here
}

func (x *ctx) useTarget(name string) {
	if x.target != nil && *x.target == "" {
		*x.target = name
	}
}

// lower turns e into a symbolic node. It returns nil after reporting an
// error; nil propagates silently so each mistake is reported once.
func (c *checker) lower(e parser.Expr, x *ctx) *symbolic.Node {
	n := c.lower1(e, x)
	if n != nil && !finite(n) {
		start, _ := e.Span()
		c.errorf(start, "expression is not a finite number (division by zero?)")
		return nil
	}
	return n
}

func finite(n *symbolic.Node) bool {
	var v float64
	switch n.Kind() {
	case symbolic.KNum:
		v = n.Value()
	case symbolic.KAdd, symbolic.KMul:
		v = n.Coef()
	default:
		return true
	}
	return !math.IsInf(v, 0) && !math.IsNaN(v)
}

func (c *checker) lower1(e parser.Expr, x *ctx) *symbolic.Node {
	b := c.b
	switch e := e.(type) {
	case *parser.Num:
		return b.Num(e.Value)
	case *parser.Paren:
		return c.lower(e.X, x)
	case *parser.Ident:
		return c.lowerName(e, x)
	case *parser.Index:
		return c.lowerIndex(e, x)
	case *parser.Unary:
		v := c.lower(e.X, x)
		if v == nil || e.Op == parser.Add {
			return v
		}
		return b.Neg(v)
	case *parser.Binary:
		l, r := c.lower(e.X, x), c.lower(e.Y, x)
		if l == nil || r == nil {
			return nil
		}
		switch e.Op {
		case parser.Add:
			return b.Add(l, r)
		case parser.Sub:
			return b.Sub(l, r)
		case parser.Mul:
			return b.Mul(l, r)
		case parser.Div:
			if r.Kind() == symbolic.KNum && r.Value() == 0 {
				c.errorf(e.OpPos, "division by zero")
				return nil
			}
			return b.Div(l, r)
		default:
			return c.pow(e.OpPos, l, r)
		}
	case *parser.Call:
		return c.lowerCall(e, x)
	case *parser.Sum:
		lo, hi, ok := c.sumRange(e)
		if !ok {
			return nil
		}
		var terms []*symbolic.Node
		for i := lo; i <= hi; i++ {
			if !c.pushIndex(e.Var, float64(i)) {
				return nil
			}
			t := c.lower(e.Body, x)
			c.locals = c.locals[:len(c.locals)-1]
			if t == nil {
				return nil
			}
			terms = append(terms, t)
		}
		return b.Add(terms...)
	}
	start, _ := e.Span()
	c.errorf(start, "unexpected expression")
	return nil
}

// pow rejects 0 raised to a negative constant.
func (c *checker) pow(pos parser.Pos, l, r *symbolic.Node) *symbolic.Node {
	if l.Kind() == symbolic.KNum && l.Value() == 0 && r.Kind() == symbolic.KNum && r.Value() < 0 {
		c.errorf(pos, "division by zero (0 to a negative power)")
		return nil
	}
	return c.b.Pow(l, r)
}

func (c *checker) lowerName(e *parser.Ident, x *ctx) *symbolic.Node {
	if l := c.lookupLocal(e.Name); l != nil {
		return c.b.Num(l.value)
	}
	ent := c.names[e.Name]
	if ent == nil {
		switch {
		case e.Name == "t":
			return c.m.T
		case functions[e.Name] > 0:
			c.errorf(e.NamePos, "%s is a function, not a value", e.Name)
		default:
			c.errorf(e.NamePos, "undefined: %s", e.Name)
		}
		return nil
	}
	switch ent.kind {
	case eConst:
		if !ent.ready {
			return nil // its declaration failed
		}
		return c.b.Num(ent.value)
	case eLet:
		switch {
		case ent.lowering:
			c.errorf(e.NamePos, "let %s refers to itself", e.Name)
			return nil
		case !ent.ready:
			c.errorf(e.NamePos, "let %s used before its declaration at %s", e.Name, lineCol(ent.pos))
			return nil
		case ent.node == nil:
			return nil
		case ent.target != "":
			if x.noTarget {
				c.errorf(e.NamePos, "let %s uses target %s, which cannot appear in the %s (targets belong in the cost)",
					e.Name, ent.target, x.what)
				return nil
			}
			x.useTarget(ent.target)
		}
		return ent.node
	}
	if !ent.ready {
		return nil
	}
	if len(ent.dims) > 0 {
		c.errorf(e.NamePos, "array %s used without an index (%s %s has %s)", e.Name, ent.kind, e.Name,
			plural(len(ent.dims), "dimension"))
		return nil
	}
	return c.element(e.NamePos, ent, 0, x)
}

// element returns element i of a param, coord, input or target.
func (c *checker) element(pos parser.Pos, ent *entity, i int, x *ctx) *symbolic.Node {
	if ent.kind == eTarget {
		if x.noTarget {
			c.errorf(pos, "target %s cannot appear in the %s (targets belong in the cost)", ent.name, x.what)
			return nil
		}
		x.useTarget(ent.name)
	}
	return ent.syms[i]
}

func (c *checker) lowerIndex(e *parser.Index, x *ctx) *symbolic.Node {
	name := e.Name.Name
	ent := c.names[name]
	switch {
	case ent == nil && c.lookupLocal(name) == nil && name != "t":
		c.errorf(e.Name.NamePos, "undefined: %s", name)
		return nil
	case ent == nil || ent.kind == eConst || ent.kind == eLet:
		kind := "sum index"
		if ent != nil {
			kind = ent.kind.String()
		} else if name == "t" {
			kind = "time"
		}
		c.errorf(e.Name.NamePos, "cannot index %s: it is a scalar %s", name, kind)
		return nil
	case !ent.ready:
		return nil
	case len(ent.dims) == 0:
		c.errorf(e.Name.NamePos, "cannot index %s: it is a scalar %s", name, ent.kind)
		return nil
	case len(e.Indices) != len(ent.dims):
		c.errorf(e.Name.NamePos, "wrong number of indices for %s: want %d, got %d", name, len(ent.dims), len(e.Indices))
		return nil
	}
	flat := 0
	ok := true
	for k, ix := range e.Indices {
		i, okI := c.constInt(ix, "index")
		if okI && (i < 0 || i >= ent.dims[k]) {
			start, _ := ix.Span()
			if len(ent.dims) == 1 {
				c.errorf(start, "index %d out of range for %s (size %d)", i, name, ent.dims[k])
			} else {
				c.errorf(start, "index %d out of range for dimension %d of %s (size %d)", i, k+1, name, ent.dims[k])
			}
			okI = false
		}
		ok = ok && okI
		flat = flat*ent.dims[k] + i
	}
	if !ok {
		return nil
	}
	return c.element(e.Name.NamePos, ent, flat, x)
}

func (c *checker) lowerCall(e *parser.Call, x *ctx) *symbolic.Node {
	if !c.checkCall(e) {
		return nil
	}
	args := make([]*symbolic.Node, len(e.Args))
	for i, a := range e.Args {
		args[i] = c.lower(a, x)
		if args[i] == nil {
			return nil
		}
	}
	switch name := e.Name.Name; name {
	case "dot":
		return c.dot(e, args[0])
	case "pow":
		return c.pow(e.Name.NamePos, args[0], args[1])
	default:
		fn, _ := symbolic.FuncByName(name)
		return c.b.Call(fn, args...)
	}
}

// dot returns the total time derivative of n:
// Σ_i ∂n/∂q_i · v_i + ∂n/∂t.
func (c *checker) dot(e *parser.Call, n *symbolic.Node) *symbolic.Node {
	b, m := c.b, c.m
	syms := c.freeSyms(n)
	for _, s := range syms {
		info := c.symInfo[s]
		switch info.kind {
		case symVel:
			c.errorf(e.Name.NamePos, "dot of an expression that depends on velocity dot(%s) would need an acceleration: higher-order Lagrangians are not supported",
				m.CoordNames[info.index])
			return nil
		case symInput:
			c.errorf(e.Name.NamePos, "cannot take dot of an expression that depends on input %s: the time derivative of an input is unknown",
				m.InputNames[info.index])
			return nil
		case symTarget:
			c.errorf(e.Name.NamePos, "cannot take dot of an expression that depends on target %s: the time derivative of a target is unknown",
				m.TargetNames[info.index])
			return nil
		}
	}
	terms := []*symbolic.Node{b.Diff(n, m.T)}
	for _, s := range syms {
		if info := c.symInfo[s]; info.kind == symCoord {
			terms = append(terms, b.Mul(b.Diff(n, s), m.V[info.index]))
		}
	}
	return b.Add(terms...)
}

type symKind uint8

const (
	symOther symKind = iota // t, params
	symCoord
	symVel
	symInput
	symTarget
)

type symClass struct {
	kind  symKind
	index int // into Q/V, U or Y
}

// freeSyms returns the symbols of n in a deterministic order (first
// occurrence in a depth-first walk), memoised per node: the cost is the
// size of n's DAG, independent of how many symbols the model has.
func (c *checker) freeSyms(n *symbolic.Node) []*symbolic.Node {
	if s, ok := c.symsMemo[n]; ok {
		return s
	}
	var (
		out  []*symbolic.Node
		seen = map[*symbolic.Node]bool{}
		walk func(*symbolic.Node)
	)
	walk = func(x *symbolic.Node) {
		if seen[x] {
			return
		}
		seen[x] = true
		if x.Kind() == symbolic.KSym {
			out = append(out, x)
			return
		}
		for _, a := range x.Args() {
			walk(a)
		}
	}
	walk(n)
	c.symsMemo[n] = out
	return out
}
