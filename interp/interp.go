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
	// ops[t][l] are the stores of term t at level l+1, resolved once.
	ops [][3][]storeOp
}

// A storeOp is one resolved store of a term's output (see compiler.Emit).
type storeOp struct {
	mode         uint8
	q            lagrt.Quantity
	out          int           // program output
	row          *compiler.Lin // vectors: the element
	base, stride int           // matrices: the value's index is base + it·stride
}

// The store modes.
const (
	modeSetL = iota
	modeAddL
	modeSetC
	modeAddC
	modeMatrix
	modeSet
	modeAdd
	modeLocal // summed in a local and added after the innermost loop
)

// planOps resolves the stores of term t at each level.
func planOps(plan *compiler.Plan, t *compiler.Term) (ops [3][]storeOp) {
	for l := range 3 {
		var j [lagrt.NumQuantities]int
		for k := range t.Emits[:t.NEmit[l]] {
			e := &t.Emits[k]
			op := storeOp{q: e.Q, out: e.Out, row: &e.Row}
			direct := plan.Direct[e.Q]
			switch {
			case e.Local:
				op.mode = modeLocal
			case e.Q == lagrt.QL && direct:
				op.mode = modeSetL
			case e.Q == lagrt.QL:
				op.mode = modeAddL
			case e.Q == lagrt.QC && direct:
				op.mode = modeSetC
			case e.Q == lagrt.QC:
				op.mode = modeAddC
			case lagrt.Quantities[e.Q].IsMatrix():
				op.mode, op.base, op.stride = modeMatrix, t.Offset[e.Q]+j[e.Q], t.PerIter[e.Q]
				j[e.Q]++
			case direct:
				op.mode = modeSet
			default:
				op.mode = modeAdd
			}
			ops[l] = append(ops[l], op)
		}
	}
	return ops
}

type scratch struct {
	in, regs, out []float64
	acc           []float64 // by emit: local sums (compiler.Emit.Local)
	dst           [lagrt.NumQuantities][]float64
	vals, his     []int
}

// New returns an interpreter for u.
func New(u *compiler.Unit) *Model {
	m := &Model{u: u}
	for _, t := range u.Plan.Terms {
		m.ops = append(m.ops, planOps(u.Plan, t))
	}
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
	for q := range lagrt.NumQuantities {
		s.dst[q] = out.Vec(q)
	}
	for i, t := range plan.Terms {
		runTerm(t, m.ops[i][lvl], p, out, s)
	}
	s.dst = [lagrt.NumQuantities][]float64{}
	m.pool.Put(s)
}

// runTerm evaluates one term at every point of its loop nest.
func runTerm(t *compiler.Term, ops []storeOp, p *lagrt.Point, out *lagrt.Out, s *scratch) {
	if len(ops) == 0 {
		return
	}
	nl := len(t.Loops)
	if nl == 0 {
		point(t, ops, len(ops), p, out, s, nil, 0)
		return
	}
	nout := t.NOut[0]
	for l := range 3 {
		if t.NEmit[l] == len(ops) {
			nout = t.NOut[l]
			break
		}
	}
	vals, his := s.vals[:nl], s.his[:nl]
	it := 0
	vals[0], his[0] = t.Loops[0].Lo.At(vals), t.Loops[0].Hi.At(vals)
	if nl == 1 {
		clear(s.acc[:len(ops)])
	}
	for d := 0; d >= 0; {
		switch {
		case vals[d] > his[d]:
			if d == nl-1 {
				flush(ops, s, vals)
			}
			if d--; d >= 0 {
				vals[d]++
			}
		case d == nl-1:
			point(t, ops, nout, p, out, s, vals, it)
			it++
			vals[d]++
		default:
			d++
			vals[d], his[d] = t.Loops[d].Lo.At(vals), t.Loops[d].Hi.At(vals)
			if d == nl-1 {
				clear(s.acc[:len(ops)])
			}
		}
	}
}

// flush adds the local sums of the innermost loop to their elements, in
// emit order.
func flush(ops []storeOp, s *scratch, vals []int) {
	for k := range ops {
		if op := &ops[k]; op.mode == modeLocal {
			s.dst[op.q][op.row.At(vals)] += s.acc[k]
		}
	}
}

// point evaluates term t at the it-th point vals of its loop nest.
func point(t *compiler.Term, ops []storeOp, nout int, p *lagrt.Point, out *lagrt.Out, s *scratch, vals []int, it int) {
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
	if nl := len(t.Loops); nl == 0 {
		for l := range 3 {
			if t.NEmit[l] == len(ops) {
				nout = t.NOut[l]
				break
			}
		}
	}
	t.Prog.RunPrefix(s.regs, in, s.out, nout)
	res := s.out
	for k := range ops {
		op := &ops[k]
		v := res[op.out]
		switch op.mode {
		case modeSetL:
			out.L = v
		case modeAddL:
			out.L += v
		case modeSetC:
			out.C = v
		case modeAddC:
			out.C += v
		case modeMatrix:
			s.dst[op.q][op.base+it*op.stride] = v
		case modeSet:
			s.dst[op.q][op.row.At(vals)] = v
		case modeAdd:
			s.dst[op.q][op.row.At(vals)] += v
		case modeLocal:
			s.acc[k] += v
		}
	}
}
