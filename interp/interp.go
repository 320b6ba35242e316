// Package interp evaluates a compiled lagc model without generating code.
// It runs the same evaluation plan that package codegen prints as Go, so an
// interpreted model and its generated counterpart agree to rounding. The lagc
// command line uses it for solve, grad and train, and the tests use it as an
// oracle for generated code.
package interp

import (
	"sync"

	"github.com/lagc/lagc/compiler"
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
}

// New returns an interpreter for u.
func New(u *compiler.Unit) *Model {
	m := &Model{u: u}
	m.pool.New = func() any {
		k := u.Kernel
		return &scratch{
			in:   make([]float64, len(u.Inputs)),
			regs: make([]float64, k.Prog.NumRegs()),
			out:  make([]float64, len(k.Outputs)),
		}
	}
	return m
}

// Info describes the model.
func (m *Model) Info() *lagrt.Info { return &m.u.Info }

// Eval evaluates the quantities in w at p into out.
func (m *Model) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	info := &m.u.Info
	lagrt.CheckPoint(info, p)
	s := m.pool.Get().(*scratch)
	in := s.in
	in[0] = p.T
	off := 1
	off += copy(in[off:], p.Q)
	off += copy(in[off:], p.V)
	off += copy(in[off:], p.Theta)
	off += copy(in[off:], p.U[:len(info.Inputs)])
	copy(in[off:], p.Y[:len(info.Targets)])

	k := m.u.Kernel
	nf := k.Levels[compiler.Level(w)]
	k.Prog.RunPrefix(s.regs, in, s.out, k.Offsets[nf])
	for i, f := range k.Fields[:nf] {
		v := s.out[k.Offsets[i]:k.Offsets[i+1]]
		switch f.Want {
		case lagrt.WantL:
			out.L = v[0]
		case lagrt.WantC:
			out.C = v[0]
		default:
			copy(field(out, f.Want), v)
		}
	}
	m.pool.Put(s)
}

func field(o *lagrt.Out, w lagrt.Want) []float64 {
	switch w {
	case lagrt.WantLq:
		return o.Lq
	case lagrt.WantLv:
		return o.Lv
	case lagrt.WantLqq:
		return o.Lqq
	case lagrt.WantLqv:
		return o.Lqv
	case lagrt.WantLvv:
		return o.Lvv
	case lagrt.WantLvt:
		return o.Lvt
	case lagrt.WantLth:
		return o.Lth
	case lagrt.WantLthq:
		return o.Lthq
	case lagrt.WantLthv:
		return o.Lthv
	case lagrt.WantCq:
		return o.Cq
	case lagrt.WantCv:
		return o.Cv
	case lagrt.WantCqq:
		return o.Cqq
	case lagrt.WantCqv:
		return o.Cqv
	case lagrt.WantCvv:
		return o.Cvv
	case lagrt.WantCth:
		return o.Cth
	}
	panic("interp: unknown field")
}
