package mech

import (
	"fmt"
	"testing"

	"github.com/lagc/lagc/symbolic"
)

// pendulum builds the planar n-link pendulum: x_k = Σ_{i≤k} l_i sin th_i,
// y_k = -Σ_{i≤k} l_i cos th_i, L = Σ ½ m_k (ẋ_k² + ẏ_k²) − Σ m_k g y_k,
// with velocities from TimeDerivative. Parameters are l_k, m_k and g.
func pendulum(n int) *System {
	b := symbolic.NewBuilder()
	s := &System{B: b, T: b.Sym("t")}
	var ls, ms []*symbolic.Node
	for k := range n {
		s.Q = append(s.Q, b.Sym(fmt.Sprintf("th%d", k+1)))
		s.V = append(s.V, b.Sym(fmt.Sprintf("dot(th%d)", k+1)))
		ls = append(ls, b.Sym(fmt.Sprintf("l%d", k+1)))
		ms = append(ms, b.Sym(fmt.Sprintf("m%d", k+1)))
	}
	g := b.Sym("g")
	s.Theta = append(append(append(s.Theta, ls...), ms...), g)
	var x, y []*symbolic.Node
	half := b.Num(0.5)
	var kin, pot []*symbolic.Node
	for k := range n {
		xk := b.Mul(ls[k], b.Call(symbolic.Sin, s.Q[k]))
		yk := b.Neg(b.Mul(ls[k], b.Call(symbolic.Cos, s.Q[k])))
		if k > 0 {
			xk = b.Add(x[k-1], xk)
			yk = b.Add(y[k-1], yk)
		}
		x, y = append(x, xk), append(y, yk)
		vx, ok1 := TimeDerivative(s, xk)
		vy, ok2 := TimeDerivative(s, yk)
		if !ok1 || !ok2 {
			panic("velocity-dependent position")
		}
		kin = append(kin, b.Mul(half, ms[k], b.Add(b.Square(vx), b.Square(vy))))
		pot = append(pot, b.Mul(ms[k], g, yk))
	}
	s.L = b.Sub(b.Add(kin...), b.Add(pot...))
	return s
}

// compileAll compiles every derived output with all symbols as inputs.
func compileAll(d *Derivation) *symbolic.Program {
	s := d.Sys
	var in []*symbolic.Node
	in = append(in, s.Q...)
	in = append(in, s.V...)
	in = append(in, d.A...)
	in = append(in, s.Theta...)
	in = append(in, s.U...)
	in = append(in, s.Y...)
	if s.T != nil {
		in = append(in, s.T)
	}
	out, _ := d.Outputs()
	return symbolic.Compile(in, out)
}

func BenchmarkDeriveNPendulum(bm *testing.B) {
	for _, n := range []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} {
		bm.Run(fmt.Sprintf("n=%d", n), func(bm *testing.B) {
			var p *symbolic.Program
			var nodes int
			for bm.Loop() {
				s := pendulum(n)
				d := Derive(s)
				p = compileAll(d)
				nodes = s.B.NumNodes()
			}
			bm.ReportMetric(float64(nodes), "nodes")
			bm.ReportMetric(float64(len(p.Temps)), "temps")
			bm.ReportMetric(float64(p.NumInstrs()), "instrs")
		})
	}
}
