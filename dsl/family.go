package dsl

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lagc/lagc/parser"
	"github.com/lagc/lagc/symbolic"
)

// Indexed families.
//
// A sum over a range longer than Options.UnrollLimit stays a loop: the
// lowering represents it by an opaque "Σ" symbol whose body refers to array
// elements through slots, symbols such as x[i+1] or W[i][j] whose indices
// are affine functions of the loop variables. Before derivation the
// Lagrangian and the cost are flattened into Terms: each is a nest of
// loops and a body without Σ symbols, and the expression is the sum over
// the terms of the sum of their bodies over their loop nests. Sums that
// occur inside a nonlinear function (sin, a power, a denominator) are
// unrolled instead, up to MaxUnroll terms.

// Affine is an integer affine function of loop variables:
// Const + Σ Coefs[k]·Vars[k], with Vars sorted and Coefs nonzero.
type Affine struct {
	Const int
	Vars  []string
	Coefs []int
}

// IsConst reports whether a has no variables.
func (a Affine) IsConst() bool { return len(a.Vars) == 0 }

// Coef returns the coefficient of v in a.
func (a Affine) Coef(v string) int {
	if i, ok := slices.BinarySearch(a.Vars, v); ok {
		return a.Coefs[i]
	}
	return 0
}

// ConstAffine returns the constant function k.
func ConstAffine(k int) Affine { return Affine{Const: k} }

// VarAffine returns the function v.
func VarAffine(v string) Affine { return Affine{Vars: []string{v}, Coefs: []int{1}} }

// Add returns a + k·b.
func (a Affine) Add(b Affine, k int) Affine {
	r := Affine{Const: a.Const + k*b.Const}
	i, j := 0, 0
	for i < len(a.Vars) || j < len(b.Vars) {
		switch {
		case j == len(b.Vars) || (i < len(a.Vars) && a.Vars[i] < b.Vars[j]):
			r.Vars, r.Coefs = append(r.Vars, a.Vars[i]), append(r.Coefs, a.Coefs[i])
			i++
		case i == len(a.Vars) || b.Vars[j] < a.Vars[i]:
			if c := k * b.Coefs[j]; c != 0 {
				r.Vars, r.Coefs = append(r.Vars, b.Vars[j]), append(r.Coefs, c)
			}
			j++
		default:
			if c := a.Coefs[i] + k*b.Coefs[j]; c != 0 {
				r.Vars, r.Coefs = append(r.Vars, a.Vars[i]), append(r.Coefs, c)
			}
			i, j = i+1, j+1
		}
	}
	return r
}

// Scale returns k·a.
func (a Affine) Scale(k int) Affine { return ConstAffine(0).Add(a, k) }

// Eval evaluates a with the variables' values from val.
func (a Affine) Eval(val func(v string) int) int {
	s := a.Const
	for i, v := range a.Vars {
		s += a.Coefs[i] * val(v)
	}
	return s
}

// Subst replaces variables by affine functions (those not in env stay).
func (a Affine) Subst(env map[string]Affine) Affine {
	r := ConstAffine(a.Const)
	for i, v := range a.Vars {
		if e, ok := env[v]; ok {
			r = r.Add(e, a.Coefs[i])
		} else {
			r = r.Add(VarAffine(v), a.Coefs[i])
		}
	}
	return r
}

// String formats a with display names (loop variables lose their "#n"
// suffix): "i+1", "2*i-j", "N-1-i" with N folded, "3".
func (a Affine) String() string { return a.format(true) }

func (a Affine) format(display bool) string {
	var sb strings.Builder
	for i, v := range a.Vars {
		c := a.Coefs[i]
		switch {
		case c == 1 && i > 0:
			sb.WriteString("+")
		case c == -1:
			sb.WriteString("-")
		case c > 0 && i > 0:
			sb.WriteString("+" + strconv.Itoa(c) + "*")
		case c != 1:
			sb.WriteString(strconv.Itoa(c) + "*")
		}
		if display {
			v = DisplayVar(v)
		}
		sb.WriteString(v)
	}
	switch {
	case len(a.Vars) == 0:
		sb.WriteString(strconv.Itoa(a.Const))
	case a.Const > 0:
		sb.WriteString("+" + strconv.Itoa(a.Const))
	case a.Const < 0:
		sb.WriteString(strconv.Itoa(a.Const))
	}
	return sb.String()
}

// key formats a exactly (internal variable names).
func (a Affine) key() string {
	var sb strings.Builder
	sb.WriteString(strconv.Itoa(a.Const))
	for i, v := range a.Vars {
		sb.WriteString("," + strconv.Itoa(a.Coefs[i]) + v)
	}
	return sb.String()
}

// DisplayVar returns the user's name of a loop variable: the internal name
// without its "#n" suffix.
func DisplayVar(v string) string {
	if i := strings.IndexByte(v, '#'); i >= 0 {
		return v[:i]
	}
	return v
}

// SlotKind says what a symbol of a lowered expression stands for.
type SlotKind uint8

// The slot kinds.
const (
	SlotTime    SlotKind = iota // t
	SlotCoord                   // an element of q
	SlotVel                     // an element of v
	SlotParam                   // an element of θ
	SlotInput                   // an element of u
	SlotTarget                  // an element of y
	SlotLoopVar                 // the value of a loop variable
)

// Slot describes a symbol of a lowered expression: which vector it reads
// (q, v, θ, u, y) at which flat index, an affine function of the enclosing
// loops' variables; or time; or the value of a loop variable.
type Slot struct {
	Kind SlotKind
	Flat Affine // flat index into the vector
	Var  string // SlotLoopVar: the loop variable
}

// Loop is one level of a loop nest: Var runs from Lo to Hi inclusive;
// the bounds are affine in the variables of the enclosing loops.
type Loop struct {
	Var    string // internal name, unique in the model ("i#3")
	Lo, Hi Affine
}

// Term is a loop nest and a body without sums: it stands for the sum of
// Body over every point of the nest (Body itself if Loops is empty).
type Term struct {
	Loops []Loop
	Body  *symbolic.Node
}

// sumSym records a sum kept as a loop.
type sumSym struct {
	loop Loop
	body *symbolic.Node
	pos  parser.Pos
}

func (c *checker) newVar(name string) string {
	c.nvars++
	return name + "#" + strconv.Itoa(c.nvars)
}

// slotSym returns the symbol of a slot, registering it.
func (c *checker) slotSym(name string, s Slot) *symbolic.Node {
	key := strconv.Itoa(int(s.Kind)) + ":" + name
	if n, ok := c.slotByKey[key]; ok {
		return n
	}
	n := c.b.Sym(name)
	c.slotByKey[key] = n
	sl := s
	c.m.Slots[n] = &sl
	return n
}

// arraySlot returns the symbol of element idx (affine per dimension) of the
// array entity ent, as a coordinate, velocity, parameter, input or target.
func (c *checker) arraySlot(ent *entity, idx []Affine, vel bool) *symbolic.Node {
	flat := ConstAffine(0)
	parts := make([]string, len(idx))
	for k, a := range idx {
		flat = flat.Scale(ent.dims[k]).Add(a, 1)
		parts[k] = a.format(false)
	}
	var kind SlotKind
	switch ent.kind {
	case eCoord:
		kind = SlotCoord
		if vel {
			kind = SlotVel
		}
	case eParam:
		kind = SlotParam
	case eInput:
		kind = SlotInput
	case eTarget:
		kind = SlotTarget
	}
	disp := ent.name + "[" + strings.Join(displayIdx(idx), "][") + "]"
	name := ent.name + "[" + strings.Join(parts, "][") + "]"
	if vel {
		disp, name = "dot("+disp+")", "dot("+name+")"
	}
	n := c.slotSym(name, Slot{Kind: kind, Flat: flat.Add(ConstAffine(ent.offset), 1)})
	c.m.display[n] = disp
	return n
}

func displayIdx(idx []Affine) []string {
	s := make([]string, len(idx))
	for k, a := range idx {
		s[k] = a.String()
	}
	return s
}

// loopVarSym returns the symbol of loop variable v's value.
func (c *checker) loopVarSym(v string) *symbolic.Node {
	n := c.slotSym("#var "+v, Slot{Kind: SlotLoopVar, Var: v})
	c.m.display[n] = DisplayVar(v)
	return n
}

// velocityOf returns the velocity symbol of a coordinate slot.
func (c *checker) velocityOf(q *symbolic.Node) *symbolic.Node {
	if v, ok := c.velOf[q]; ok {
		return v
	}
	s := c.m.Slots[q]
	name := "dot(" + q.Name() + ")"
	v := c.slotSym(name, Slot{Kind: SlotVel, Flat: s.Flat})
	if r := c.slotRef[q]; r != nil && c.slotRef[v] == nil {
		c.slotRef[v] = r
	}
	c.m.display[v] = "dot(" + c.m.Display(q) + ")"
	c.velOf[q] = v
	return v
}

// Display returns the name of a symbol as the user wrote it: x[i+1],
// dot(x[i]), W[i][j], i.
func (m *Model) Display(n *symbolic.Node) string {
	if s, ok := m.display[n]; ok {
		return s
	}
	return n.Name()
}

// newSum returns the Σ symbol of a sum kept as a loop.
func (c *checker) newSum(l Loop, body *symbolic.Node, pos parser.Pos) *symbolic.Node {
	c.nsums++
	n := c.b.Sym("Σ#" + strconv.Itoa(c.nsums))
	c.sums[n] = &sumSym{loop: l, body: body, pos: pos}
	c.m.display[n] = "Σ_" + DisplayVar(l.Var)
	return n
}

// hasSum reports whether e contains a Σ symbol.
func (c *checker) hasSum(e *symbolic.Node) bool {
	if len(c.sums) == 0 {
		return false
	}
	for _, s := range c.freeSyms(e) {
		if c.sums[s] != nil {
			return true
		}
	}
	return false
}

// subst rebuilds e with the loop variables of env replaced by affine
// functions: slots move, loop-variable values become numbers or other
// variables, and Σ bodies are substituted too.
func (c *checker) subst(e *symbolic.Node, env map[string]Affine) *symbolic.Node {
	memo := map[*symbolic.Node]*symbolic.Node{}
	var walk func(n *symbolic.Node) *symbolic.Node
	walk = func(n *symbolic.Node) *symbolic.Node {
		if r, ok := memo[n]; ok {
			return r
		}
		r := n
		switch n.Kind() {
		case symbolic.KNum:
		case symbolic.KSym:
			r = c.substSym(n, env, walk)
		default:
			args := n.Args()
			nargs := make([]*symbolic.Node, len(args))
			changed := false
			for i, a := range args {
				nargs[i] = walk(a)
				changed = changed || nargs[i] != a
			}
			if changed {
				r = c.rebuild(n, nargs)
			}
		}
		memo[n] = r
		return r
	}
	return walk(e)
}

func (c *checker) substSym(n *symbolic.Node, env map[string]Affine, walk func(*symbolic.Node) *symbolic.Node) *symbolic.Node {
	if s := c.sums[n]; s != nil {
		l := s.loop
		l.Lo, l.Hi = l.Lo.Subst(env), l.Hi.Subst(env)
		body := walk(s.body)
		if body == s.body && l.Lo.key() == s.loop.Lo.key() && l.Hi.key() == s.loop.Hi.key() {
			return n
		}
		return c.newSum(l, body, s.pos)
	}
	sl := c.m.Slots[n]
	if sl == nil {
		return n
	}
	switch sl.Kind {
	case SlotLoopVar:
		a, ok := env[sl.Var]
		if !ok {
			return n
		}
		if a.IsConst() {
			return c.b.Num(float64(a.Const))
		}
		return c.affineNode(a)
	case SlotTime:
		return n
	}
	ref := c.slotRef[n]
	if ref == nil {
		return n // a scalar or constant-index element
	}
	idx := make([]Affine, len(ref.idx))
	changed := false
	for k, a := range ref.idx {
		idx[k] = a.Subst(env)
		changed = changed || idx[k].key() != a.key()
	}
	if !changed {
		return n
	}
	return c.ref(ref.ent, idx, sl.Kind == SlotVel)
}

// affineNode returns the symbolic value of an affine function of loop
// variables.
func (c *checker) affineNode(a Affine) *symbolic.Node {
	terms := []*symbolic.Node{c.b.Num(float64(a.Const))}
	for i, v := range a.Vars {
		terms = append(terms, c.b.Mul(c.b.Num(float64(a.Coefs[i])), c.loopVarSym(v)))
	}
	return c.b.Add(terms...)
}

// rebuild makes a node of n's kind from new arguments.
func (c *checker) rebuild(n *symbolic.Node, args []*symbolic.Node) *symbolic.Node {
	b := c.b
	switch n.Kind() {
	case symbolic.KAdd:
		return b.Add(append(args, b.Num(n.Coef()))...)
	case symbolic.KMul:
		return b.Mul(append(args, b.Num(n.Coef()))...)
	case symbolic.KPow:
		return b.Pow(args[0], args[1])
	case symbolic.KCall:
		return b.Call(n.Func(), args...)
	}
	panic(fmt.Sprintf("dsl: rebuild: unexpected node kind %v", n.Kind()))
}

// elemRef records, for a slot symbol with loop-variable indices, the array
// and the per-dimension index functions, so that subst can move it.
type elemRef struct {
	ent *entity
	idx []Affine
}

// ref returns the symbol of ent[idx...] (velocity if vel): the element's
// own symbol when every index is constant, else a slot.
func (c *checker) ref(ent *entity, idx []Affine, vel bool) *symbolic.Node {
	flat, konst := 0, true
	for k, a := range idx {
		konst = konst && a.IsConst()
		flat = flat*ent.dims[k] + a.Const
	}
	if konst {
		q := c.elem(ent, flat)
		if vel {
			return c.m.vel(ent.offset + flat)
		}
		return q
	}
	n := c.arraySlot(ent, idx, vel)
	if c.slotRef[n] == nil {
		c.slotRef[n] = &elemRef{ent: ent, idx: idx}
	}
	if !vel && ent.kind == eCoord {
		v := c.arraySlot(ent, idx, true)
		if c.slotRef[v] == nil {
			c.slotRef[v] = &elemRef{ent: ent, idx: idx}
		}
		c.velOf[n] = v
	}
	return n
}

// MaxLoopPoints is the largest number of points of one term's loop nest.
const MaxLoopPoints = 1 << 24

// terms flattens e and checks the size of the loop nests.
func (c *checker) terms(e *symbolic.Node, pos parser.Pos) []Term {
	ts := c.flatten(e, pos)
	for _, t := range ts {
		n := 0
		if !EnumLoops(t.Loops, func(func(string) int) bool { n++; return n <= MaxLoopPoints }) {
			c.errorf(pos, "sums too large: a loop nest of more than %d points", MaxLoopPoints)
			return nil
		}
	}
	return ts
}

// flatten splits e into terms. Σ symbols in sums and products become loop
// nests; those inside nonlinear functions are unrolled.
func (c *checker) flatten(e *symbolic.Node, pos parser.Pos) []Term {
	if !c.hasSum(e) {
		return []Term{{Body: e}}
	}
	b := c.b
	switch e.Kind() {
	case symbolic.KAdd:
		var ts []Term
		if k := e.Coef(); k != 0 {
			ts = append(ts, Term{Body: b.Num(k)})
		}
		for _, a := range e.Args() {
			ts = append(ts, c.flatten(a, pos)...)
		}
		return ts
	case symbolic.KMul:
		ts := []Term{{Body: b.Num(e.Coef())}}
		for _, f := range e.Args() {
			var fts []Term
			switch {
			case !c.hasSum(f):
				fts = []Term{{Body: f}}
			case f.Kind() == symbolic.KPow && f.Args()[1].Kind() == symbolic.KNum &&
				f.Args()[1].Value() >= 1 && f.Args()[1].Value() <= 4 && f.Args()[1].Value() == float64(int(f.Args()[1].Value())):
				// A small integer power of a sum: a product of copies.
				base := f.Args()[0]
				fts = c.flatten(base, pos)
				for k := 1; k < int(f.Args()[1].Value()); k++ {
					fts = c.product(fts, c.fresh(c.flatten(base, pos)))
				}
			default:
				fts = c.flatten(f, pos)
			}
			ts = c.product(ts, fts)
			if len(ts) > maxTerms {
				c.errorf(pos, "expanding products of sums gives more than %d terms; write the sums out separately", maxTerms)
				return nil
			}
		}
		return ts
	case symbolic.KSym:
		s := c.sums[e]
		var ts []Term
		for _, t := range c.flatten(s.body, s.pos) {
			ts = append(ts, Term{Loops: append([]Loop{s.loop}, t.Loops...), Body: t.Body})
		}
		return ts
	case symbolic.KPow:
		if e.Args()[1].Kind() == symbolic.KNum {
			v := e.Args()[1].Value()
			if v >= 2 && v <= 4 && v == float64(int(v)) {
				return c.flatten(b.Mul(b.Num(1), e), pos)
			}
		}
	}
	// A nonlinear function of sums: unroll them.
	u := c.unrollSums(e, pos)
	if u == nil {
		return nil
	}
	return []Term{{Body: u}}
}

// maxTerms bounds the terms of expanded products of sums.
const maxTerms = 256

// product returns the terms of (Σ a)(Σ b).
func (c *checker) product(a, b []Term) []Term {
	out := make([]Term, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, Term{Loops: append(slices.Clip(x.Loops), y.Loops...), Body: c.b.Mul(x.Body, y.Body)})
		}
	}
	return out
}

// fresh renames the loop variables of ts to new ones.
func (c *checker) fresh(ts []Term) []Term {
	out := make([]Term, len(ts))
	for i, t := range ts {
		env := map[string]Affine{}
		loops := make([]Loop, len(t.Loops))
		for k, l := range t.Loops {
			nv := c.newVar(DisplayVar(l.Var))
			loops[k] = Loop{Var: nv, Lo: l.Lo.Subst(env), Hi: l.Hi.Subst(env)}
			env[l.Var] = VarAffine(nv)
		}
		out[i] = Term{Loops: loops, Body: c.subst(t.Body, env)}
	}
	return out
}

// unrollSums replaces every Σ symbol in e by the explicit sum of its body
// over its (constant) range.
func (c *checker) unrollSums(e *symbolic.Node, pos parser.Pos) *symbolic.Node {
	memo := map[*symbolic.Node]*symbolic.Node{}
	var walk func(n *symbolic.Node) *symbolic.Node
	failed := false
	walk = func(n *symbolic.Node) *symbolic.Node {
		if r, ok := memo[n]; ok {
			return r
		}
		r := n
		switch {
		case failed || !c.hasSum(n):
		case n.Kind() == symbolic.KSym:
			s := c.sums[n]
			if !s.loop.Lo.IsConst() || !s.loop.Hi.IsConst() {
				c.errorf(s.pos, "a sum whose range depends on another sum's index cannot be used inside a nonlinear function")
				failed = true
				break
			}
			lo, hi := s.loop.Lo.Const, s.loop.Hi.Const
			if c.unrolled += max(0, hi-lo+1); c.unrolled > MaxUnroll {
				c.errorf(s.pos, "sums too large: more than %d terms after unrolling (sums inside nonlinear functions are unrolled; lagc keeps sums as loops only where they are added or multiplied)", MaxUnroll)
				failed = true
				break
			}
			terms := make([]*symbolic.Node, 0, max(0, hi-lo+1))
			for i := lo; i <= hi; i++ {
				terms = append(terms, walk(c.subst(s.body, map[string]Affine{s.loop.Var: ConstAffine(i)})))
			}
			r = c.b.Add(terms...)
		default:
			args := n.Args()
			nargs := make([]*symbolic.Node, len(args))
			for i, a := range args {
				nargs[i] = walk(a)
			}
			r = c.rebuild(n, nargs)
		}
		memo[n] = r
		return r
	}
	r := walk(e)
	if failed {
		return nil
	}
	return r
}

// elem returns the symbol of element i (flat) of a parameter, coordinate,
// input or target, making it on first use.
func (c *checker) elem(ent *entity, i int) *symbolic.Node {
	if s := ent.syms[i]; s != nil {
		return s
	}
	m := c.m
	name := flatNames(ent.name, ent.dims)[0]
	if len(ent.dims) > 0 {
		name = ent.name + elemSuffix(ent.dims, i)
	}
	s := c.b.Sym(name)
	ent.syms[i] = s
	j := ent.offset + i
	flat := ConstAffine(j)
	switch ent.kind {
	case eParam:
		m.Theta[j] = s
		m.Slots[s] = &Slot{Kind: SlotParam, Flat: flat}
	case eCoord:
		m.Q[j] = s
		m.Slots[s] = &Slot{Kind: SlotCoord, Flat: flat}
		v := c.b.Sym("dot(" + name + ")")
		m.V[j] = v
		m.Slots[v] = &Slot{Kind: SlotVel, Flat: flat}
		c.velOf[s] = v
	case eInput:
		m.U[j] = s
		m.Slots[s] = &Slot{Kind: SlotInput, Flat: flat}
	case eTarget:
		m.Y[j] = s
		m.Slots[s] = &Slot{Kind: SlotTarget, Flat: flat}
	}
	return s
}

// elemSuffix formats the indices of flat element i of an array: "[2][0]".
func elemSuffix(dims []int, i int) string {
	idx := make([]string, len(dims))
	for k := len(dims) - 1; k >= 0; k-- {
		idx[k] = strconv.Itoa(i % dims[k])
		i /= dims[k]
	}
	return "[" + strings.Join(idx, "][") + "]"
}

// vel returns the velocity symbol of coordinate j (whose symbol exists).
func (m *Model) vel(j int) *symbolic.Node { return m.V[j] }

// allocElements sizes the element symbol vectors.
func (c *checker) allocElements() {
	m := c.m
	m.Q = make([]*symbolic.Node, len(m.CoordNames))
	m.V = make([]*symbolic.Node, len(m.CoordNames))
	m.Theta = make([]*symbolic.Node, len(m.ParamNames))
	m.U = make([]*symbolic.Node, len(m.InputNames))
	m.Y = make([]*symbolic.Node, len(m.TargetNames))
}

// scalar sets Scalar, L and C when no term has loops and the model is
// small, making every element's symbol.
func (c *checker) scalar() {
	m := c.m
	if m.Loops() || len(m.CoordNames)+len(m.ParamNames)+len(m.InputNames)+len(m.TargetNames) > MaxScalar {
		return
	}
	for _, ent := range c.names {
		if ent.syms != nil {
			for i := range ent.syms {
				c.elem(ent, i)
			}
		}
	}
	sum := func(ts []Term) *symbolic.Node {
		bs := make([]*symbolic.Node, len(ts))
		for i, t := range ts {
			bs[i] = t.Body
		}
		return c.b.Add(bs...)
	}
	m.Scalar = true
	m.L = sum(m.LTerms)
	if m.HasCost {
		m.C = sum(m.CTerms)
	}
}

// EnumLoops calls f at every point of a loop nest, in order (the
// outermost loop slowest), with the values of the loop variables, until f
// returns false. It reports whether it ran to the end.
func EnumLoops(loops []Loop, f func(val func(v string) int) bool) bool {
	vals := make([]int, len(loops))
	val := func(v string) int {
		for k := range loops {
			if loops[k].Var == v {
				return vals[k]
			}
		}
		panic("dsl: EnumLoops: unknown loop variable " + v)
	}
	var rec func(d int) bool
	rec = func(d int) bool {
		if d == len(loops) {
			return f(val)
		}
		lo, hi := loops[d].Lo.Eval(val), loops[d].Hi.Eval(val)
		for x := lo; x <= hi; x++ {
			vals[d] = x
			if !rec(d + 1) {
				return false
			}
		}
		return true
	}
	return rec(0)
}

// Subst replaces loop variables in e by affine functions of other
// variables (new variable names need no declaration): slots move to the
// substituted indices. It serves derivations for a generic index, such as
// the Euler–Lagrange equation of x[k].
func (m *Model) Subst(e *symbolic.Node, env map[string]Affine) *symbolic.Node {
	return m.c.subst(e, env)
}

// VelocityOf returns the velocity symbol of a coordinate symbol (nil if q
// is not one).
func (m *Model) VelocityOf(q *symbolic.Node) *symbolic.Node { return m.c.velOf[q] }

// Ref returns the symbol of element idx of the coordinate, parameter,
// input or target array name (nil if there is none).
func (m *Model) Ref(name string, idx []Affine) *symbolic.Node {
	ent := m.c.names[name]
	if ent == nil || len(ent.dims) != len(idx) || ent.kind == eConst || ent.kind == eLet {
		return nil
	}
	return m.c.ref(ent, idx, false)
}

// Indices returns the array a coordinate, velocity, parameter, input or
// target symbol belongs to and its index per dimension.
func (m *Model) Indices(s *symbolic.Node) (array string, idx []Affine, ok bool) {
	if r := m.c.slotRef[s]; r != nil {
		return r.ent.name, r.idx, true
	}
	sl := m.Slots[s]
	if sl == nil || !sl.Flat.IsConst() {
		return "", nil, false
	}
	var decls []Decl
	switch sl.Kind {
	case SlotCoord, SlotVel:
		decls = m.Coords
	case SlotParam:
		decls = m.Params
	case SlotInput:
		decls = m.Inputs
	case SlotTarget:
		decls = m.Targets
	default:
		return "", nil, false
	}
	for _, d := range decls {
		i := sl.Flat.Const - d.Offset
		if i < 0 || i >= d.Len() {
			continue
		}
		idx = make([]Affine, len(d.Dims))
		for k := len(d.Dims) - 1; k >= 0; k-- {
			idx[k] = ConstAffine(i % d.Dims[k])
			i /= d.Dims[k]
		}
		return d.Name, idx, true
	}
	return "", nil, false
}
