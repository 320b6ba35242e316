// Package interp evaluates a compiled lagc model without generating code.
// It runs the same evaluation plan that package codegen prints as Go: the
// same programs, term by term and point by point, so an interpreted model
// and its generated counterpart agree to rounding. The lagc command line
// uses it for solve, grad and train, and the tests use it as an oracle for
// generated code.
package interp

import (
	"sync"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/lagrt"
)

// Model is an interpreted compiled model. It implements lagrt.Model and is
// safe for concurrent use; Eval does not allocate after warm-up.
type Model struct {
	u    *compiler.Unit
	pool sync.Pool // *scratch
}

type scratch struct {
	in, regs, out []float64
	acc           []float64 // by emit: local sums (compiler.Emit.Local)
	vals, his     []int
}

// New returns an interpreter for u.
func New(u *compiler.Unit) *Model {
	m := &Model{u: u}
	m.pool.New = func() any {
		s := &scratch{}
		for _, t := range u.Plan.Terms {
			s.in = grow(s.in, len(t.Inputs))
			s.regs = grow(s.regs, t.Prog.NumRegs())
			s.out = grow(s.out, len(t.Prog.Outputs))
			s.acc = grow(s.acc, len(t.Emits))
			if len(t.Loops) > len(s.vals) {
				s.vals, s.his = make([]int, len(t.Loops)), make([]int, len(t.Loops))
			}
		}
		return s
	}
	return m
}

func grow(s []float64, n int) []float64 {
	if len(s) < n {
		return make([]float64, n)
	}
	return s
}

// Info describes the model.
func (m *Model) Info() *lagrt.Info { return &m.u.Info }

// Eval evaluates the quantities in w at p into out.
func (m *Model) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	info := &m.u.Info
	lagrt.CheckPoint(info, p)
	plan := m.u.Plan
	lvl := compiler.Level(w)
	for q := range lagrt.NumQuantities {
		d := &lagrt.Quantities[q]
		if d.Level > lvl+1 || d.IsMatrix() || plan.Covered[q] {
			continue
		}
		switch q {
		case lagrt.QL:
			out.L = 0
		case lagrt.QC:
			out.C = 0
		default:
			clear(out.Vec(q))
		}
	}
	s := m.pool.Get().(*scratch)
	for _, t := range plan.Terms {
		runTerm(plan, t, lvl, p, out, s)
	}
	m.pool.Put(s)
}

// runTerm evaluates one term at every point of its loop nest.
func runTerm(plan *compiler.Plan, t *compiler.Term, lvl int, p *lagrt.Point, out *lagrt.Out, s *scratch) {
	if t.NEmit[lvl] == 0 {
		return
	}
	nl := len(t.Loops)
	if nl == 0 {
		point(plan, t, lvl, p, out, s, nil, 0)
		return
	}
	vals, his := s.vals[:nl], s.his[:nl]
	// The local sums of the innermost loop start at 0 before it and are
	// added to their elements after it.
	emits := t.Emits[:t.NEmit[lvl]]
	reset := func() {
		for k := range emits {
			s.acc[k] = 0
		}
	}
	flush := func() {
		for k := range emits {
			if e := &emits[k]; e.Local {
				out.Vec(e.Q)[e.Row.At(vals)] += s.acc[k]
			}
		}
	}
	it := 0
	vals[0], his[0] = t.Loops[0].Lo.At(vals), t.Loops[0].Hi.At(vals)
	if nl == 1 {
		reset()
	}
	for d := 0; d >= 0; {
		switch {
		case vals[d] > his[d]:
			if d == nl-1 {
				flush()
			}
			if d--; d >= 0 {
				vals[d]++
			}
		case d == nl-1:
			point(plan, t, lvl, p, out, s, vals, it)
			it++
			vals[d]++
		default:
			d++
			vals[d], his[d] = t.Loops[d].Lo.At(vals), t.Loops[d].Hi.At(vals)
			if d == nl-1 {
				reset()
			}
		}
	}
}

// point evaluates term t at the it-th point vals of its loop nest.
func point(plan *compiler.Plan, t *compiler.Term, lvl int, p *lagrt.Point, out *lagrt.Out, s *scratch, vals []int, it int) {
	in := s.in
	for i := range t.Inputs {
		x := &t.Inputs[i]
		switch x.Kind {
		case dsl.SlotTime:
			in[i] = p.T
		case dsl.SlotCoord:
			in[i] = p.Q[x.Flat.At(vals)]
		case dsl.SlotVel:
			in[i] = p.V[x.Flat.At(vals)]
		case dsl.SlotParam:
			in[i] = p.Theta[x.Flat.At(vals)]
		case dsl.SlotInput:
			in[i] = p.U[x.Flat.At(vals)]
		case dsl.SlotTarget:
			in[i] = p.Y[x.Flat.At(vals)]
		case dsl.SlotLoopVar:
			in[i] = float64(vals[x.Var])
		}
	}
	t.Prog.RunPrefix(s.regs, in, s.out, t.NOut[lvl])
	var j [lagrt.NumQuantities]int
	for k := range t.Emits[:t.NEmit[lvl]] {
		e := &t.Emits[k]
		v := s.out[e.Out]
		direct := plan.Direct[e.Q]
		switch {
		case e.Local:
			s.acc[k] += v
		case e.Q == lagrt.QL && direct:
			out.L = v
		case e.Q == lagrt.QL:
			out.L += v
		case e.Q == lagrt.QC && direct:
			out.C = v
		case e.Q == lagrt.QC:
			out.C += v
		case lagrt.Quantities[e.Q].IsMatrix():
			out.Vec(e.Q)[t.Offset[e.Q]+it*t.PerIter[e.Q]+j[e.Q]] = v
			j[e.Q]++
		case direct:
			out.Vec(e.Q)[e.Row.At(vals)] = v
		default:
			out.Vec(e.Q)[e.Row.At(vals)] += v
		}
	}
}
