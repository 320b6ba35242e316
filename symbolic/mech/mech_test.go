package mech

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lagc/lagc/symbolic"
	"gonum.org/v1/gonum/diff/fd"
)

func closeTo(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*(1+math.Max(math.Abs(a), math.Abs(b)))
}

// checkAgainstFD compares every derived quantity of d with central finite
// differences of Eval of L (and C) at random points.
func checkAgainstFD(t *testing.T, d *Derivation, seed uint64) {
	t.Helper()
	s := d.Sys
	n, P := len(s.Q), len(s.Theta)
	r := rand.New(rand.NewPCG(seed, 7))
	// Variable vector: q, v, theta, t.
	vars := append(append(append([]*symbolic.Node{}, s.Q...), s.V...), s.Theta...)
	if s.T != nil {
		vars = append(vars, s.T)
	}
	settings := &fd.Settings{Formula: fd.Central, Step: 1e-5}
	for range 3 {
		point := make([]float64, len(vars))
		for i := range point {
			point[i] = 0.5 + r.Float64()
		}
		env := func(x []float64) map[*symbolic.Node]float64 {
			m := make(map[*symbolic.Node]float64)
			for i, v := range vars {
				m[v] = x[i]
			}
			return m
		}
		ev := func(e *symbolic.Node) float64 { return symbolic.Eval(e, env(point)) }
		// Gradient of an expression with respect to all vars.
		fdGrad := func(e *symbolic.Node) []float64 {
			return fd.Gradient(nil, func(x []float64) float64 { return symbolic.Eval(e, env(x)) }, point, settings)
		}
		idxQ := func(i int) int { return i }
		idxV := func(i int) int { return n + i }
		idxTh := func(a int) int { return 2*n + a }
		check := func(name string, got *symbolic.Node, want float64) {
			t.Helper()
			if g := ev(got); !closeTo(g, want, 1e-6) {
				t.Errorf("%s: symbolic %v, finite differences %v", name, g, want)
			}
		}
		for _, f := range []struct {
			name   string
			e      *symbolic.Node
			q, v   []*symbolic.Node
			qq, qv []*symbolic.Node
			vv, th []*symbolic.Node
		}{
			{"L", s.L, d.Lq, d.Lv, d.Lqq, d.Lqv, d.Lvv, d.Lth},
			{"C", d.C, d.Cq, d.Cv, d.Cqq, d.Cqv, d.Cvv, d.Cth},
		} {
			g := fdGrad(f.e)
			for i := range n {
				check(fmt.Sprintf("%sq[%d]", f.name, i), f.q[i], g[idxQ(i)])
				check(fmt.Sprintf("%sv[%d]", f.name, i), f.v[i], g[idxV(i)])
			}
			for a := range P {
				check(fmt.Sprintf("%sth[%d]", f.name, a), f.th[a], g[idxTh(a)])
			}
			for i := range n {
				gq := fdGrad(f.q[i])
				gv := fdGrad(f.v[i])
				for j := range n {
					check(fmt.Sprintf("%sqq[%d,%d]", f.name, i, j), f.qq[i*n+j], gq[idxQ(j)])
					check(fmt.Sprintf("%sqv[%d,%d]", f.name, i, j), f.qv[i*n+j], gq[idxV(j)])
					check(fmt.Sprintf("%svv[%d,%d]", f.name, i, j), f.vv[i*n+j], gv[idxV(j)])
				}
				if f.name == "L" && s.T != nil {
					check(fmt.Sprintf("Lvt[%d]", i), d.Lvt[i], gv[len(vars)-1])
				}
			}
		}
		for a := range P {
			g := fdGrad(d.Lth[a])
			for i := range n {
				check(fmt.Sprintf("Lthq[%d,%d]", a, i), d.Lthq[a*n+i], g[idxQ(i)])
				check(fmt.Sprintf("Lthv[%d,%d]", a, i), d.Lthv[a*n+i], g[idxV(i)])
			}
		}
	}
}

func TestDerivePendulums(t *testing.T) {
	for n := 1; n <= 3; n++ {
		s := pendulum(n)
		// Add a cost on the last bob's angle so the C blocks are exercised.
		b := s.B
		y := b.Sym("y")
		s.Y = []*symbolic.Node{y}
		s.C = b.Mul(b.Num(0.5), b.Square(b.Sub(b.Call(symbolic.Sin, s.Q[n-1]), y)), b.Add(b.Num(1), b.Square(s.V[0])))
		d := Derive(s)
		s.Theta = append(s.Theta, y) // let the FD check vary y too
		d.Cth = append(d.Cth, b.Diff(s.C, y))
		d.Lth = append(d.Lth, b.Num(0))
		d.Lthq = append(d.Lthq, zeros(b, n)...)
		d.Lthv = append(d.Lthv, zeros(b, n)...)
		checkAgainstFD(t, d, uint64(n))
	}
}

func zeros(b *symbolic.Builder, k int) []*symbolic.Node {
	z := make([]*symbolic.Node, k)
	for i := range z {
		z[i] = b.Num(0)
	}
	return z
}

// TestDoublePendulumEL compares the Euler–Lagrange residual of the double
// pendulum with the textbook equations of motion.
func TestDoublePendulumEL(t *testing.T) {
	s := pendulum(2)
	d := Derive(s)
	b := s.B
	r := rand.New(rand.NewPCG(5, 6))
	syms := append(append(append([]*symbolic.Node{}, s.Q...), s.V...), d.A...)
	syms = append(syms, s.Theta...)
	for range 5 {
		env := map[*symbolic.Node]float64{}
		for _, x := range syms {
			env[x] = 0.3 + r.Float64()
		}
		th1, th2 := env[s.Q[0]], env[s.Q[1]]
		w1, w2 := env[s.V[0]], env[s.V[1]]
		a1, a2 := env[d.A[0]], env[d.A[1]]
		l1, l2 := env[b.Sym("l1")], env[b.Sym("l2")]
		m1, m2 := env[b.Sym("m1")], env[b.Sym("m2")]
		g := env[b.Sym("g")]
		c, sn := math.Cos(th1-th2), math.Sin(th1-th2)
		e1 := (m1+m2)*l1*l1*a1 + m2*l1*l2*c*a2 + m2*l1*l2*sn*w2*w2 + (m1+m2)*g*l1*math.Sin(th1)
		e2 := m2*l2*l2*a2 + m2*l1*l2*c*a1 - m2*l1*l2*sn*w1*w1 + m2*g*l2*math.Sin(th2)
		if got := symbolic.Eval(d.EL[0], env); !closeTo(got, e1, 1e-12) {
			t.Errorf("E_1 = %v, want %v", got, e1)
		}
		if got := symbolic.Eval(d.EL[1], env); !closeTo(got, e2, 1e-12) {
			t.Errorf("E_2 = %v, want %v", got, e2)
		}
	}
}

// TestDoublePendulumELForm checks the printed form of the double pendulum's
// Euler–Lagrange residual: the textbook (m1+m2) l1² θ̈1 + m2 l1 l2
// cos(θ1−θ2) θ̈2 + m2 l1 l2 sin(θ1−θ2) θ̇2² + (m1+m2) g l1 sin θ1, with
// cos(θ1−θ2) and sin(θ1−θ2) expanded (there is no rule for trigonometric
// addition formulas) and without the velocity terms that cancel.
func TestDoublePendulumELForm(t *testing.T) {
	d := Derive(pendulum(2))
	want := []string{
		"g*l1*m1*sin(th1) + g*l1*m2*sin(th1) + ddot(th1)*l1^2*(m1 + m2) + ddot(th2)*l1*l2*m2*(sin(th1)*sin(th2) + cos(th1)*cos(th2)) + dot(th2)^2*l1*l2*m2*(cos(th2)*sin(th1) - cos(th1)*sin(th2))",
		"g*l2*m2*sin(th2) + ddot(th1)*l1*l2*m2*(sin(th1)*sin(th2) + cos(th1)*cos(th2)) + ddot(th2)*l2^2*m2 - dot(th1)^2*l1*l2*m2*(cos(th2)*sin(th1) - cos(th1)*sin(th2))",
	}
	for i, w := range want {
		if got := symbolic.Infix(d.EL[i]); got != w {
			t.Errorf("EL[%d] =\n  %s\nwant\n  %s", i, got, w)
		}
	}
	if got, want := symbolic.Infix(d.Lvv[0]), "l1^2*m1 + l1^2*m2"; got != want {
		t.Errorf("Lvv[0,0] = %s, want %s", got, want)
	}
}

// TestPendulumVelocityTermsCancel: the n-link pendulum's residual E_i is
// quadratic in the velocities with squares only (Σ_j c_ij(q) v_j², j ≠ i);
// the product terms must cancel symbolically, so ∂E_i/∂v_i and
// ∂²E_i/∂v_j∂v_k (j ≠ k) are the node 0.
func TestPendulumVelocityTermsCancel(t *testing.T) {
	for n := 2; n <= 4; n++ {
		s := pendulum(n)
		d := Derive(s)
		b := s.B
		zero := b.Num(0)
		for i := range n {
			if g := b.Diff(d.EL[i], s.V[i]); g != zero {
				t.Errorf("n=%d: ∂E_%d/∂v_%d = %s", n, i, i, symbolic.Infix(g))
			}
			for j := range n {
				for k := j + 1; k < n; k++ {
					if h := b.Diff(b.Diff(d.EL[i], s.V[j]), s.V[k]); h != zero {
						t.Errorf("n=%d: ∂²E_%d/∂v_%d∂v_%d = %s", n, i, j, k, symbolic.Infix(h))
					}
				}
			}
		}
	}
}

// TestHarmonicOscillator checks the residual m a + k q − F(t) of
// L = ½ m v² − ½ k q² + F(t) q, with F(t) = sin(ω t), against the hand
// derivation, including the explicit-time term.
func TestHarmonicOscillator(t *testing.T) {
	b := symbolic.NewBuilder()
	q, v, m, k, w, tm := b.Sym("q"), b.Sym("v"), b.Sym("m"), b.Sym("k"), b.Sym("w"), b.Sym("t")
	F := b.Call(symbolic.Sin, b.Mul(w, tm))
	half := b.Num(0.5)
	L := b.Add(b.Mul(half, m, b.Square(v)), b.Neg(b.Mul(half, k, b.Square(q))), b.Mul(F, q))
	s := &System{B: b, Q: []*symbolic.Node{q}, V: []*symbolic.Node{v}, Theta: []*symbolic.Node{m, k, w}, T: tm, L: L}
	d := Derive(s)
	a := d.A[0]
	if a.Name() != "ddot(q)" {
		t.Errorf("acceleration symbol %q", a.Name())
	}
	want := b.Add(b.Mul(m, a), b.Mul(k, q), b.Neg(F))
	if d.EL[0] != want {
		t.Errorf("EL = %v, want %v", d.EL[0], want)
	}
	if d.Lvv[0] != m || d.Lqq[0] != b.Neg(k) || d.Lqv[0] != b.Num(0) || d.Lvt[0] != b.Num(0) {
		t.Errorf("Lvv %v Lqq %v Lqv %v Lvt %v", d.Lvv[0], d.Lqq[0], d.Lqv[0], d.Lvt[0])
	}
	if got := symbolic.Infix(d.Lth[0]); got != "0.5*v^2" {
		t.Errorf("∂L/∂m = %s", got)
	}
	if d.C != b.Num(0) || d.Cq[0] != b.Num(0) || len(d.Cth) != 3 || d.Cth[2] != b.Num(0) {
		t.Error("cost blocks not zero")
	}
	// Explicit time in ∂L/∂v: L = ½ m (v + t)².
	s2 := &System{B: b, Q: s.Q, V: s.V, T: tm, L: b.Mul(half, m, b.Square(b.Add(v, tm)))}
	d2 := Derive(s2)
	if d2.Lvt[0] != m {
		t.Errorf("Lvt = %v, want m", d2.Lvt[0])
	}
	if want := b.Add(b.Mul(m, a), m); d2.EL[0] != want {
		t.Errorf("EL = %v, want %v", d2.EL[0], want)
	}
}

func TestTimeDerivative(t *testing.T) {
	b := symbolic.NewBuilder()
	q, v, tm := b.Sym("q"), b.Sym("v"), b.Sym("t")
	s := &System{B: b, Q: []*symbolic.Node{q}, V: []*symbolic.Node{v}, T: tm}
	got, ok := TimeDerivative(s, b.Mul(b.Call(symbolic.Sin, q), tm))
	want := b.Add(b.Mul(v, tm, b.Call(symbolic.Cos, q)), b.Call(symbolic.Sin, q))
	if !ok || got != want {
		t.Errorf("d/dt t sin q = %v, want %v", got, want)
	}
	if _, ok := TimeDerivative(s, b.Mul(q, v)); ok {
		t.Error("velocity-dependent expression accepted")
	}
	if got, ok := TimeDerivative(s, b.Sym("k")); !ok || got != b.Num(0) {
		t.Errorf("d/dt k = %v", got)
	}
}

// TestDeriveDeterministic derives the 3-pendulum twice and compares everything.
func TestDeriveDeterministic(t *testing.T) {
	dump := func() string {
		d := Derive(pendulum(3))
		p := compileAll(d)
		out, labels := d.Outputs()
		str := ""
		for i, o := range out {
			str += labels[i] + " = " + o.String() + "\n"
		}
		for _, tmp := range p.Temps {
			str += symbolic.Infix(tmp) + "\n"
		}
		return str
	}
	if dump() != dump() {
		t.Error("non-deterministic derivation")
	}
}

// TestProgramMatchesEval runs the compiled program of the 4-pendulum
// derivation and compares with Eval.
func TestProgramMatchesEval(t *testing.T) {
	d := Derive(pendulum(4))
	p := compileAll(d)
	out, labels := d.Outputs()
	r := rand.New(rand.NewPCG(9, 9))
	in := make([]float64, len(p.Inputs))
	env := map[*symbolic.Node]float64{}
	for i, x := range p.Inputs {
		in[i] = 0.5 + r.Float64()
		env[x] = in[i]
	}
	regs := make([]float64, p.NumRegs())
	got := make([]float64, len(out))
	p.Run(regs, in, got)
	for j, o := range out {
		if want := symbolic.Eval(o, env); !closeTo(got[j], want, 1e-12) {
			t.Errorf("%s: Run %v, Eval %v", labels[j], got[j], want)
		}
	}
	if a := testing.AllocsPerRun(10, func() { p.Run(regs, in, got) }); a != 0 {
		t.Errorf("Run allocates %v", a)
	}
}
