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
	unroll   bool    // inside a nonlinear function: sums are unrolled
}

// nonlinear returns x for the arguments of a nonlinear function.
func (x *ctx) nonlinear() *ctx {
	y := *x
	y.unroll = true
	return &y
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
		xl, xr := x, x
		switch e.Op {
		case parser.Div:
			xr = x.nonlinear()
		case parser.Add, parser.Sub, parser.Mul:
		default:
			xl, xr = x.nonlinear(), x.nonlinear()
		}
		l, r := c.lower(e.X, xl), c.lower(e.Y, xr)
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
		return c.lowerSum(e, x)
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
	r, ok := c.resolve(e)
	switch {
	case !ok:
		return nil
	case r.local != nil && r.local.loop != "":
		return c.loopVarSym(r.local.loop)
	case r.local != nil:
		return c.b.Num(r.local.value)
	case r.time:
		return c.m.T
	}
	ent := r.ent
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
	return c.elem(ent, i)
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
	idx := make([]Affine, len(e.Indices))
	ok := true
	for k, ix := range e.Indices {
		a, okI := c.affine(ix, "index")
		if okI {
			okI = c.checkIndex(ix, a, ent, k)
		}
		ok = ok && okI
		idx[k] = a
	}
	if !ok {
		return nil
	}
	if ent.kind == eTarget {
		if x.noTarget {
			c.errorf(e.Name.NamePos, "target %s cannot appear in the %s (targets belong in the cost)", ent.name, x.what)
			return nil
		}
		x.useTarget(ent.name)
	}
	return c.ref(ent, idx, false)
}

func (c *checker) lowerCall(e *parser.Call, x *ctx) *symbolic.Node {
	if !c.checkCall(e) {
		return nil
	}
	args := make([]*symbolic.Node, len(e.Args))
	xa := x
	if e.Name.Name != "dot" {
		xa = x.nonlinear()
	}
	for i, a := range e.Args {
		args[i] = c.lower(a, xa)
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
// Σ_i ∂n/∂q_i · v_i + ∂n/∂t, where a sum kept as a loop is differentiated
// under the sum sign.
func (c *checker) dot(e *parser.Call, n *symbolic.Node) *symbolic.Node {
	b, m := c.b, c.m
	syms := c.freeSyms(n)
	for _, s := range syms {
		sl := m.Slots[s]
		if sl == nil {
			continue
		}
		switch sl.Kind {
		case SlotVel:
			c.errorf(e.Name.NamePos, "dot of an expression that depends on velocity %s would need an acceleration: higher-order Lagrangians are not supported",
				m.Display(s))
			return nil
		case SlotInput:
			c.errorf(e.Name.NamePos, "cannot take dot of an expression that depends on input %s: the time derivative of an input is unknown",
				m.Display(s))
			return nil
		case SlotTarget:
			c.errorf(e.Name.NamePos, "cannot take dot of an expression that depends on target %s: the time derivative of a target is unknown",
				m.Display(s))
			return nil
		}
	}
	terms := []*symbolic.Node{b.Diff(n, m.T)}
	for _, s := range syms {
		if sm := c.sums[s]; sm != nil {
			d, ok := c.dotSum[s]
			if !ok {
				body := c.dot(e, sm.body)
				if body == nil {
					return nil
				}
				d = c.newSum(sm.loop, body, sm.pos)
				c.dotSum[s] = d
			}
			terms = append(terms, b.Mul(b.Diff(n, s), d))
			continue
		}
		if sl := m.Slots[s]; sl != nil && sl.Kind == SlotCoord {
			terms = append(terms, b.Mul(b.Diff(n, s), c.velOf[s]))
		}
	}
	return b.Add(terms...)
}

// freeSyms returns the symbols of n in a deterministic order (first
// occurrence in a depth-first walk), memoised per node: the cost is the
// size of n's DAG, independent of how many symbols the model has.
func (c *checker) freeSyms(n *symbolic.Node) []*symbolic.Node {
	if s, ok := c.symsMemo[n]; ok {
		return s
	}
	out := symbolic.FreeSymbols(n)
	c.symsMemo[n] = out
	return out
}

// lowerSum lowers a sum: unrolled into its terms when it is short or
// inside a nonlinear function, else kept as a loop (a Σ symbol).
func (c *checker) lowerSum(e *parser.Sum, x *ctx) *symbolic.Node {
	lo, okLo := c.affine(e.Lo, "sum bound")
	hi, okHi := c.affine(e.Hi, "sum bound")
	if !okLo || !okHi {
		return nil
	}
	konst := lo.IsConst() && hi.IsConst()
	count := hi.Const - lo.Const + 1
	if konst && (x.unroll || (c.opt.UnrollLimit >= 0 && count <= c.opt.UnrollLimit)) {
		if count > 0 {
			c.unrolled += count
		}
		if c.unrolled > MaxUnroll {
			c.errorf(e.SumPos, "sums too large: more than %d terms after unrolling (sums inside nonlinear functions are unrolled; lagc keeps sums as loops only where they are added or multiplied)", MaxUnroll)
			return nil
		}
		var terms []*symbolic.Node
		for i := lo.Const; i <= hi.Const; i++ {
			if !c.pushIndex(e.Var, float64(i), "") {
				return nil
			}
			t := c.lower(e.Body, x)
			c.locals = c.locals[:len(c.locals)-1]
			if t == nil {
				return nil
			}
			terms = append(terms, t)
		}
		return c.b.Add(terms...)
	}
	if x.unroll {
		c.errorf(e.SumPos, "the range of a sum inside a nonlinear function must be constant")
		return nil
	}
	if konst && count <= 0 {
		return c.b.Num(0)
	}
	v := c.newVar(e.Var.Name)
	if !c.pushIndex(e.Var, 0, v) {
		return nil
	}
	c.locals[len(c.locals)-1].lo, c.locals[len(c.locals)-1].hi = lo, hi
	body := c.lower(e.Body, x)
	c.locals = c.locals[:len(c.locals)-1]
	if body == nil {
		return nil
	}
	if body.IsNum(0) {
		return body
	}
	if konst && !c.dependsOnVar(body, v) {
		return c.b.Mul(c.b.Num(float64(count)), body)
	}
	return c.newSum(Loop{Var: v, Lo: lo, Hi: hi}, body, e.SumPos)
}

// affine evaluates an integer expression of constants and loop
// variables that is affine in the latter.
func (c *checker) affine(e parser.Expr, what string) (Affine, bool) {
	if !c.mentionsLoop(e) {
		v, ok := c.constInt(e, what)
		return ConstAffine(v), ok
	}
	fail := func() (Affine, bool) {
		start, _ := e.Span()
		c.errorf(start, "%s must be an affine function of the sum indices (like i+1, 2*i or N-1-i)", what)
		return Affine{}, false
	}
	switch e := e.(type) {
	case *parser.Paren:
		return c.affine(e.X, what)
	case *parser.Ident:
		return VarAffine(c.lookupLocal(e.Name).loop), true
	case *parser.Unary:
		a, ok := c.affine(e.X, what)
		if e.Op == parser.Sub {
			a = a.Scale(-1)
		}
		return a, ok
	case *parser.Binary:
		switch e.Op {
		case parser.Add, parser.Sub:
			a, ok1 := c.affine(e.X, what)
			b, ok2 := c.affine(e.Y, what)
			k := 1
			if e.Op == parser.Sub {
				k = -1
			}
			return a.Add(b, k), ok1 && ok2
		case parser.Mul:
			a, ok1 := c.affine(e.X, what)
			b, ok2 := c.affine(e.Y, what)
			if !ok1 || !ok2 {
				return Affine{}, false
			}
			switch {
			case a.IsConst():
				return b.Scale(a.Const), true
			case b.IsConst():
				return a.Scale(b.Const), true
			}
		}
	}
	return fail()
}

// mentionsLoop reports whether e uses a sum index kept as a loop.
func (c *checker) mentionsLoop(e parser.Expr) bool {
	found := false
	parser.Inspect(e, func(x parser.Expr) {
		if id, ok := x.(*parser.Ident); ok {
			if l := c.lookupLocal(id.Name); l != nil && l.loop != "" {
				found = true
			}
		}
	})
	return found
}

// checkIndex checks that index a of dimension k of ent stays in range
// over the loops in scope.
func (c *checker) checkIndex(ix parser.Expr, a Affine, ent *entity, k int) bool {
	size := ent.dims[k]
	bad := func(i int) bool {
		start, _ := ix.Span()
		if len(ent.dims) == 1 {
			c.errorf(start, "index %d out of range for %s (size %d)", i, ent.name, size)
		} else {
			c.errorf(start, "index %d out of range for dimension %d of %s (size %d)", i, k+1, ent.name, size)
		}
		return false
	}
	if a.IsConst() {
		if a.Const < 0 || a.Const >= size {
			return bad(a.Const)
		}
		return true
	}
	var loops []Loop
	for _, l := range c.locals {
		if l.loop != "" {
			loops = append(loops, Loop{Var: l.loop, Lo: l.lo, Hi: l.hi})
		}
	}
	ok := true
	n := 0
	EnumLoops(loops, func(val func(string) int) bool {
		if n++; n > 1<<22 {
			return false // too many points to check them all
		}
		if i := a.Eval(val); i < 0 || i >= size {
			ok = bad(i)
			return false
		}
		return true
	})
	return ok
}

// dependsOnVar reports whether e depends on loop variable v.
func (c *checker) dependsOnVar(e *symbolic.Node, v string) bool {
	for _, s := range c.freeSyms(e) {
		if sm := c.sums[s]; sm != nil {
			if sm.loop.Lo.Coef(v) != 0 || sm.loop.Hi.Coef(v) != 0 || c.dependsOnVar(sm.body, v) {
				return true
			}
			continue
		}
		sl := c.m.Slots[s]
		if sl == nil {
			continue
		}
		if sl.Var == v || sl.Flat.Coef(v) != 0 {
			return true
		}
	}
	return false
}
