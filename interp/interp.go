// Package interp evaluates a compiled lagc model without generating code.
// It runs the same evaluation plan that package codegen prints as Go, so an
// interpreted model and its generated counterpart agree to rounding. The lagc
// command line uses it for solve, grad and train, and the tests use it as an
// oracle for generated code.
package interp

import (
	"sync"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/runtime"
)

// Model is an interpreted compiled model. It implements runtime.Model and is
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
func (m *Model) Info() *runtime.Info { return &m.u.Info }

// Eval evaluates the quantities in w at p into out.
func (m *Model) Eval(w runtime.Want, p *runtime.Point, out *runtime.Out) {
	info := &m.u.Info
	runtime.CheckPoint(info, p)
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
		case runtime.WantL:
			out.L = v[0]
		case runtime.WantC:
			out.C = v[0]
		default:
			copy(field(out, f.Want), v)
		}
	}
	m.pool.Put(s)
}

func field(o *runtime.Out, w runtime.Want) []float64 {
	switch w {
	case runtime.WantLq:
		return o.Lq
	case runtime.WantLv:
		return o.Lv
	case runtime.WantLqq:
		return o.Lqq
	case runtime.WantLqv:
		return o.Lqv
	case runtime.WantLvv:
		return o.Lvv
	case runtime.WantLvt:
		return o.Lvt
	case runtime.WantLth:
		return o.Lth
	case runtime.WantLthq:
		return o.Lthq
	case runtime.WantLthv:
		return o.Lthv
	case runtime.WantCq:
		return o.Cq
	case runtime.WantCv:
		return o.Cv
	case runtime.WantCqq:
		return o.Cqq
	case runtime.WantCqv:
		return o.Cqv
	case runtime.WantCvv:
		return o.Cvv
	case runtime.WantCth:
		return o.Cth
	}
	panic("interp: unknown field")
}
