// Package compiler chains lagc's stages: it parses and checks a .lag source
// (package dsl), derives every quantity the runtime needs and plans their
// evaluation.
//
// The Lagrangian and the cost arrive from package dsl as sums of terms,
// each a loop nest and a body whose symbols are slots: elements of q, v,
// θ, u, y at indices affine in the loop variables (x[i+1], W[i][j]). A
// term's derivatives are the derivatives of its body with respect to its
// slots, scattered to the slots' positions at every point of the nest:
// ∂/∂x[k] Σ_i f(x[i], x[i+1]) gets ∂₁f at i = k and ∂₂f at i = k−1,
// exactly the Kronecker-delta resolution of docs/math.md §9, done by the loop
// instead of by symbolic index solving. So the size of the plan, and of
// the generated code, follows the source, not the array sizes.
//
// Each term has one straight-line program over all its outputs with
// common subexpressions shared (package symbolic), laid out by evaluation
// level (lagrt.Level1..3) so that a cheap request runs only a prefix.
// Matrix quantities are stored in pattern order (lagrt.Pattern): every
// term contributes PerIter entries per point of its nest, and the pattern
// lists their positions, so Eval only stores. Vectors accumulate. Package
// codegen prints the plan as Go; package interp runs it. Both compute the
// same numbers from the same programs.
package compiler

import (
	"fmt"
	"math"

	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/parser"
	"github.com/lagc/lagc/symbolic"
	"github.com/lagc/lagc/symbolic/mech"
)

// Unit is a compiled source file: the checked model, its evaluation plan
// and, for Scalar models, the whole-model derivation (for documentation).
type Unit struct {
	Model *dsl.Model
	// Deriv is the derivation of the whole Lagrangian, nil unless the
	// model is Scalar (dsl.Model.Scalar).
	Deriv *mech.Derivation
	// Plan is the evaluation plan.
	Plan *Plan
	// Info is the runtime description of the model, patterns included.
	Info lagrt.Info
}

// Options adjust compilation.
type Options struct {
	dsl.Options
}

// Compile parses, checks and derives src. Errors are a parser.ErrorList
// with positions.
func Compile(filename string, src []byte) (*Unit, error) {
	return CompileWith(filename, src, Options{})
}

// CompileWith is Compile with options.
func CompileWith(filename string, src []byte, opt Options) (*Unit, error) {
	m, err := dsl.CompileWith(filename, src, opt.Options)
	if err != nil {
		return nil, err
	}
	return FromModel(m)
}

// FromModel derives and plans a checked model. It fails if a derived
// quantity is not a finite number (a constant overflowed).
func FromModel(m *dsl.Model) (*Unit, error) {
	u := &Unit{Model: m}
	if m.Scalar {
		u.Deriv = mech.Derive(&mech.System{
			B: m.B, Q: m.Q, V: m.V, Theta: m.Theta, U: m.U, Y: m.Y, T: m.T,
			L: m.L, C: m.C,
		})
	}
	p, err := newPlan(m)
	if err != nil {
		return nil, err
	}
	u.Plan = p
	u.Info = lagrt.Info{
		Name:     m.Name,
		Coords:   m.CoordNames,
		Params:   m.ParamNames,
		Defaults: m.Defaults,
		Inputs:   m.InputNames,
		Targets:  m.TargetNames,
		HasCost:  m.HasCost,
		Physical: m.Physical,
	}
	for q := range lagrt.NumQuantities {
		if lagrt.Quantities[q].IsMatrix() {
			u.Info.Patterns[q] = p.Pattern(q)
		}
	}
	u.Info.AperiodicTime = aperiodicTime(m)
	if err := checkKinetic(m, u.Info.Patterns[lagrt.QLvv]); err != nil {
		return nil, err
	}
	return u, nil
}

// Lin is an affine function of a term's loop variables by depth:
// Const + Σ_d Coef[d]·i_d.
type Lin struct {
	Const int
	Coef  []int // len = the term's loop depth
}

// At evaluates l at the loop variables' values.
func (l *Lin) At(vals []int) int {
	s := l.Const
	for d, k := range l.Coef {
		s += k * vals[d]
	}
	return s
}

// IsConst reports whether l has no variables.
func (l *Lin) IsConst() bool {
	for _, k := range l.Coef {
		if k != 0 {
			return false
		}
	}
	return true
}

// Loop is one level of a term's loop nest.
type Loop struct {
	Name   string // display name of the variable ("i")
	Lo, Hi Lin    // inclusive bounds, affine in the outer variables
}

// Input is one input of a term's program: time, an element of q, v, θ, u
// or y at a flat index, or a loop variable's value.
type Input struct {
	Sym  *symbolic.Node
	Kind dsl.SlotKind
	Flat Lin // index into the vector
	Var  int // SlotLoopVar: the loop depth
	Name string
}

// Emit stores program output Out into quantity Q: at row Row (vectors and
// scalars: Row is the index, 0 for L and C) and, for matrices, column Col.
//
// Local marks a first-level store into an accumulated vector whose index
// does not depend on the innermost loop variable (Lq[i] inside a loop over
// j): the values of the innermost loop are summed in a local, from 0 in
// point order, and the sum is added to the element after that loop, emit
// by emit in emit order. Generated code and the interpreter both do so.
type Emit struct {
	Q        lagrt.Quantity
	Row, Col Lin
	Out      int
	Local    bool
}

// Term is a planned term: a loop nest, a program over its inputs, and the
// stores of its outputs.
type Term struct {
	Cost   bool // a term of the cost (else of the Lagrangian)
	Loops  []Loop
	Inputs []Input
	Prog   *symbolic.Program
	// Emits in level order; Emits[:NEmit[l]] are those of levels ≤ l+1,
	// which need Prog.Outputs[:NOut[l]].
	Emits []Emit
	NEmit [3]int
	NOut  [3]int
	// Points is the number of points of the loop nest (1 without loops).
	Points int
	// Offset[q] is where the term's entries of matrix quantity q start;
	// PerIter[q] how many it stores per point.
	Offset, PerIter [lagrt.NumQuantities]int
}

// Plan is the evaluation plan of a model.
type Plan struct {
	Terms []*Term
	// Len[q] is the number of entries of matrix quantity q.
	Len [lagrt.NumQuantities]int
	// Direct[q] reports, for a scalar or vector quantity, that every
	// element receives at most one store over all terms and all points of
	// their loop nests: they are assigned, not accumulated. Covered[q]
	// reports that every element is stored exactly once (no zeroing
	// needed).
	Direct, Covered [lagrt.NumQuantities]bool
}

// Level returns the index (0, 1 or 2) of the smallest evaluation level
// that contains w.
func Level(w lagrt.Want) int { return lagrt.LevelOf(w) - 1 }

func newPlan(m *dsl.Model) (*Plan, error) {
	p := &Plan{}
	var errs parser.ErrorList
	add := func(ts []dsl.Term, cost bool) {
		for _, t := range ts {
			if t.Body.IsNum(0) {
				continue
			}
			pt, err := planTerm(m, t, cost)
			if err != nil {
				pos := m.LagrangianPos
				if cost {
					pos = m.CostPos
				}
				errs = append(errs, &parser.Error{Pos: pos, Msg: err.Error()})
				continue
			}
			p.Terms = append(p.Terms, pt)
		}
	}
	add(m.LTerms, false)
	add(m.CTerms, true)
	if len(errs) > 0 {
		return nil, errs
	}
	for _, t := range p.Terms {
		for q := range lagrt.NumQuantities {
			t.Offset[q] = p.Len[q]
			p.Len[q] += t.PerIter[q] * t.Points
		}
	}
	p.direct(m)
	for _, t := range p.Terms {
		if len(t.Loops) == 0 {
			continue
		}
		for k := range t.Emits[:t.NEmit[0]] {
			e := &t.Emits[k]
			d := &lagrt.Quantities[e.Q]
			e.Local = d.Order() == 1 && !p.Direct[e.Q] && e.Row.Coef[len(t.Loops)-1] == 0
		}
	}
	return p, nil
}

// direct decides Direct and Covered by counting the stores of every
// element over every point of every term's loop nest.
func (p *Plan) direct(m *dsl.Model) {
	dims := func(q lagrt.Quantity) int {
		switch lagrt.Quantities[q].Wrt[0] {
		case lagrt.VarQ, lagrt.VarV:
			return len(m.CoordNames)
		case lagrt.VarTheta:
			return len(m.ParamNames)
		}
		return 1
	}
	var stores [lagrt.NumQuantities][]int32
	for q := range lagrt.NumQuantities {
		if !lagrt.Quantities[q].IsMatrix() {
			stores[q] = make([]int32, dims(q))
		}
	}
	for _, t := range p.Terms {
		vals := make([]int, len(t.Loops))
		t.Walk(vals, func(vals []int) {
			for _, e := range t.Emits {
				if s := stores[e.Q]; s != nil {
					s[e.Row.At(vals)]++
				}
			}
		})
	}
	for q := range lagrt.NumQuantities {
		if lagrt.Quantities[q].IsMatrix() {
			continue
		}
		direct, covered := true, true
		for _, c := range stores[q] {
			direct = direct && c <= 1
			covered = covered && c == 1
		}
		p.Direct[q] = direct
		p.Covered[q] = direct && covered
	}
}

// planTerm derives the quantities of one term.
func planTerm(m *dsl.Model, t dsl.Term, cost bool) (*Term, error) {
	b := m.B
	depth := map[string]int{}
	pt := &Term{Cost: cost, Points: 1}
	lin := func(a dsl.Affine) Lin {
		l := Lin{Const: a.Const, Coef: make([]int, len(t.Loops))}
		for i, v := range a.Vars {
			l.Coef[depth[v]] = a.Coefs[i]
		}
		return l
	}
	names := map[string]bool{}
	for d, l := range t.Loops {
		depth[l.Var] = d
		name := dsl.DisplayVar(l.Var)
		for names[name] {
			name += "_"
		}
		names[name] = true
		pt.Loops = append(pt.Loops, Loop{Name: name, Lo: lin(l.Lo), Hi: lin(l.Hi)})
	}
	if len(t.Loops) > 0 {
		pt.Points = 0
		dsl.EnumLoops(t.Loops, func(func(string) int) bool { pt.Points++; return true })
	}

	// Inputs, and the differentiable slots by variable.
	var byVar [5][]*symbolic.Node // indexed by lagrt.Var
	var tsym *symbolic.Node
	for _, s := range freeSyms(t.Body) {
		sl := m.Slots[s]
		if sl == nil {
			return nil, fmt.Errorf("internal error: symbol %s has no slot", s.Name())
		}
		in := Input{Sym: s, Kind: sl.Kind, Flat: lin(sl.Flat), Name: m.Display(s)}
		switch sl.Kind {
		case dsl.SlotLoopVar:
			in.Var = depth[sl.Var]
		case dsl.SlotTime:
			tsym = s
		case dsl.SlotCoord:
			byVar[lagrt.VarQ] = append(byVar[lagrt.VarQ], s)
		case dsl.SlotVel:
			byVar[lagrt.VarV] = append(byVar[lagrt.VarV], s)
		case dsl.SlotParam:
			byVar[lagrt.VarTheta] = append(byVar[lagrt.VarTheta], s)
		}
		pt.Inputs = append(pt.Inputs, in)
	}
	if tsym != nil {
		byVar[lagrt.VarT] = []*symbolic.Node{tsym}
	}
	flat := map[*symbolic.Node]Lin{}
	for _, in := range pt.Inputs {
		flat[in.Sym] = in.Flat
	}

	var outs []*symbolic.Node
	outIdx := map[*symbolic.Node]int{}
	out := func(e *symbolic.Node) int {
		if i, ok := outIdx[e]; ok {
			return i
		}
		outIdx[e] = len(outs)
		outs = append(outs, e)
		return len(outs) - 1
	}
	zero := Lin{Coef: make([]int, len(t.Loops))}
	for lvl := 1; lvl <= 3; lvl++ {
		for q := range lagrt.NumQuantities {
			d := &lagrt.Quantities[q]
			if d.Cost != cost || d.Level != lvl {
				continue
			}
			switch d.Order() {
			case 0:
				pt.Emits = append(pt.Emits, Emit{Q: q, Row: zero, Out: out(t.Body)})
			case 1:
				for _, s := range byVar[d.Wrt[0]] {
					if g := b.Diff(t.Body, s); !g.IsNum(0) {
						pt.Emits = append(pt.Emits, Emit{Q: q, Row: flat[s], Out: out(g)})
					}
				}
			case 2:
				xs, ys := byVar[d.Wrt[0]], byVar[d.Wrt[1]]
				for i, x := range xs {
					g := b.Diff(t.Body, x)
					if g.IsNum(0) {
						continue
					}
					for j, y := range ys {
						if d.Symmetric() && j < i {
							continue
						}
						h := b.Diff(g, y)
						if h.IsNum(0) {
							continue
						}
						k := out(h)
						if d.Wrt[1] == lagrt.VarT {
							pt.Emits = append(pt.Emits, Emit{Q: q, Row: flat[x], Out: k})
							continue
						}
						pt.Emits = append(pt.Emits, Emit{Q: q, Row: flat[x], Col: flat[y], Out: k})
						pt.PerIter[q]++
						if d.Symmetric() && j != i {
							pt.Emits = append(pt.Emits, Emit{Q: q, Row: flat[y], Col: flat[x], Out: k})
							pt.PerIter[q]++
						}
					}
				}
			}
		}
		pt.NEmit[lvl-1] = len(pt.Emits)
		pt.NOut[lvl-1] = len(outs)
	}
	for _, e := range outs {
		if !finite(e) {
			return nil, fmt.Errorf("a derivative of the %s overflows float64 (it contains %s); rescale the constants",
				map[bool]string{false: "lagrangian", true: "cost"}[cost], symbolic.Infix(e))
		}
	}
	syms := make([]*symbolic.Node, len(pt.Inputs))
	for i, in := range pt.Inputs {
		syms[i] = in.Sym
	}
	pt.Prog = symbolic.Compile(syms, outs)
	return pt, nil
}

// finite reports whether every number in e is finite.
func finite(e *symbolic.Node) bool {
	seen := map[*symbolic.Node]bool{}
	var walk func(n *symbolic.Node) bool
	walk = func(n *symbolic.Node) bool {
		if seen[n] {
			return true
		}
		seen[n] = true
		var v float64
		switch n.Kind() {
		case symbolic.KNum:
			v = n.Value()
		case symbolic.KAdd, symbolic.KMul:
			v = n.Coef()
		}
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return false
		}
		for _, a := range n.Args() {
			if !walk(a) {
				return false
			}
		}
		return true
	}
	return walk(e)
}

// freeSyms returns the symbols of e in first-occurrence depth-first order.
func freeSyms(e *symbolic.Node) []*symbolic.Node { return symbolic.FreeSymbols(e) }

// Walk calls f at every point of t's loop nest in order, with the loop
// variables' values (vals is reused between calls).
func (t *Term) Walk(vals []int, f func(vals []int)) {
	var rec func(d int)
	rec = func(d int) {
		if d == len(t.Loops) {
			f(vals)
			return
		}
		l := &t.Loops[d]
		for x, hi := l.Lo.At(vals), l.Hi.At(vals); x <= hi; x++ {
			vals[d] = x
			rec(d + 1)
		}
	}
	rec(0)
}

// Pattern returns the sparsity pattern of matrix quantity q: the entries
// of every term, point by point, in emit order.
func (p *Plan) Pattern(q lagrt.Quantity) *lagrt.Pattern {
	pat := &lagrt.Pattern{Rows: make([]int32, p.Len[q]), Cols: make([]int32, p.Len[q])}
	for _, t := range p.Terms {
		if t.PerIter[q] == 0 {
			continue
		}
		k := t.Offset[q]
		vals := make([]int, len(t.Loops))
		t.Walk(vals, func(vals []int) {
			for _, e := range t.Emits {
				if e.Q == q {
					pat.Rows[k], pat.Cols[k] = int32(e.Row.At(vals)), int32(e.Col.At(vals))
					k++
				}
			}
		})
	}
	return pat
}

// checkKinetic rejects coordinates whose row of ∂²L/∂v² is structurally
// zero: the Lagrangian is at most linear in their velocity, so they have
// no second-order equation of motion and every discrete Hessian is
// singular (issue 11 item 4; nonconstant singular kinetic matrices are
// diagnosed at solve time).
func checkKinetic(m *dsl.Model, lvv *lagrt.Pattern) error {
	covered := make([]bool, len(m.CoordNames))
	for _, r := range lvv.Rows {
		covered[r] = true
	}
	var errs parser.ErrorList
	for _, d := range m.Coords {
		for i := d.Offset; i < d.Offset+d.Len(); i++ {
			if !covered[i] {
				errs = append(errs, &parser.Error{Pos: d.Pos, Msg: fmt.Sprintf(
					"∂²L/∂dot(%s)² is zero: the lagrangian is at most linear in dot(%s), so %s has no second-order equation of motion (add a kinetic term such as 0.5*dot(%s)^2)",
					m.CoordNames[i], m.CoordNames[i], m.CoordNames[i], m.CoordNames[i])})
				break
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// aperiodicTime returns the first subexpression of the Lagrangian through
// which it depends on explicit time other than inside a sine or cosine
// (exp(gamma*t), t*q), printed, or "": such a Lagrangian is not periodic
// in time whatever the period, which the runtime's numerical check of
// periodic problems then names (issue 8).
func aperiodicTime(m *dsl.Model) string {
	t := m.T
	var found *symbolic.Node
	seen := map[*symbolic.Node]bool{}
	var walk func(n, outer *symbolic.Node)
	walk = func(n, outer *symbolic.Node) {
		if found != nil || seen[n] || !m.B.DependsOn(n, t) {
			return
		}
		seen[n] = true
		if n == t {
			found = outer
			if found == nil {
				found = t
			}
			return
		}
		if n.Kind() == symbolic.KCall && (n.Func().String() == "sin" || n.Func().String() == "cos") {
			return // periodic in t when its argument is affine in t
		}
		next := outer
		if n.Kind() == symbolic.KCall || n.Kind() == symbolic.KPow || outer == nil {
			next = n
		}
		for _, a := range n.Args() {
			walk(a, next)
		}
	}
	for _, term := range m.LTerms {
		walk(term.Body, nil)
	}
	if found == nil {
		return ""
	}
	return Show(found)
}
