// Package lagrttest provides hand-written lagrt.Model implementations
// with known closed forms, and checks that work on any lagrt.Model: its
// derivatives against finite differences, and solutions and gradients of
// a lagrt.Problem against independent oracles. It is meant for tests
// (of the runtime, of generated code and of the interpreter), like
// net/http/httptest.
//
// Every model fills all quantities on each Eval call (allowed by the
// Model contract), allocates nothing and is safe for concurrent use.
package lagrttest

import (
	"fmt"
	"math"

	"github.com/lagc/lagc/lagrt"
)

// Oscillator is the harmonic oscillator L = ½ m v² − ½ k q² with
// parameters θ = (m, k) and cost c = ½ (q − y)² for a target y.
type Oscillator struct{ info lagrt.Info }

// NewOscillator returns an Oscillator with default parameters m and k.
func NewOscillator(m, k float64) *Oscillator {
	return &Oscillator{lagrt.Info{
		Name: "oscillator", Coords: []string{"q"}, Params: []string{"m", "k"},
		Defaults: []float64{m, k}, Targets: []string{"y"}, HasCost: true,
	}}
}

// Info implements lagrt.Model.
func (o *Oscillator) Info() *lagrt.Info { return &o.info }

// Eval implements lagrt.Model.
func (o *Oscillator) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&o.info, p)
	m, k := p.Theta[0], p.Theta[1]
	q, v := p.Q[0], p.V[0]
	zero(out)
	out.L = m*v*v/2 - k*q*q/2
	out.Lq[0], out.Lv[0] = -k*q, m*v
	out.Lqq[0], out.Lvv[0] = -k, m
	out.Lth[0], out.Lth[1] = v*v/2, -q*q/2
	out.Lthq[1] = -q
	out.Lthv[0] = v
	e := q - p.Y[0]
	out.C, out.Cq[0], out.Cqq[0] = e*e/2, e, 1
}

// Driven is the driven oscillator L = ½ v² − ½ ω² q² + F cos(νt) q with
// parameters θ = (ω, F), a constant drive frequency ν and cost
// c = ½ (q − y)².
type Driven struct {
	info lagrt.Info
	Nu   float64
}

// NewDriven returns a Driven oscillator with default parameters ω and F
// and drive frequency ν.
func NewDriven(omega, F, nu float64) *Driven {
	return &Driven{lagrt.Info{
		Name: "driven", Coords: []string{"q"}, Params: []string{"omega", "F"},
		Defaults: []float64{omega, F}, Targets: []string{"y"}, HasCost: true,
	}, nu}
}

// Info implements lagrt.Model.
func (d *Driven) Info() *lagrt.Info { return &d.info }

// Eval implements lagrt.Model.
func (d *Driven) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&d.info, p)
	om, F := p.Theta[0], p.Theta[1]
	q, v := p.Q[0], p.V[0]
	c := math.Cos(d.Nu * p.T)
	zero(out)
	out.L = v*v/2 - om*om*q*q/2 + F*c*q
	out.Lq[0], out.Lv[0] = -om*om*q+F*c, v
	out.Lqq[0], out.Lvv[0] = -om*om, 1
	out.Lth[0], out.Lth[1] = -om*q*q, c*q
	out.Lthq[0], out.Lthq[1] = -2*om*q, c
	e := q - p.Y[0]
	out.C, out.Cq[0], out.Cqq[0] = e*e/2, e, 1
}

// Pendulum is the nonlinear pendulum L = ½ m l² v² + m g l cos q with
// parameters θ = (m, l), constant gravity G and cost c = ½ (q − y)².
type Pendulum struct {
	info lagrt.Info
	G    float64
}

// NewPendulum returns a Pendulum with default parameters m and l and
// gravity g.
func NewPendulum(m, l, g float64) *Pendulum {
	return &Pendulum{lagrt.Info{
		Name: "pendulum", Coords: []string{"q"}, Params: []string{"m", "l"},
		Defaults: []float64{m, l}, Targets: []string{"y"}, HasCost: true,
	}, g}
}

// Info implements lagrt.Model.
func (pd *Pendulum) Info() *lagrt.Info { return &pd.info }

// Eval implements lagrt.Model.
func (pd *Pendulum) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&pd.info, p)
	m, l, g := p.Theta[0], p.Theta[1], pd.G
	q, v := p.Q[0], p.V[0]
	c, s := math.Cos(q), math.Sin(q)
	zero(out)
	out.L = m*l*l*v*v/2 + m*g*l*c
	out.Lq[0], out.Lv[0] = -m*g*l*s, m*l*l*v
	out.Lqq[0], out.Lvv[0] = -m*g*l*c, m*l*l
	out.Lth[0] = l*l*v*v/2 + g*l*c
	out.Lth[1] = m*l*v*v + m*g*c
	out.Lthq[0], out.Lthq[1] = -g*l*s, -m*g*s
	out.Lthv[0], out.Lthv[1] = l*l*v, 2*m*l*v
	e := q - p.Y[0]
	out.C, out.Cq[0], out.Cqq[0] = e*e/2, e, 1
}

// Coupled is an n-dof system with a symmetric coupling matrix K, a quartic
// nonlinearity, a gyroscopic (velocity) coupling between the first two
// coordinates, an input u driving q_0 and a cost on the last coordinate:
//
//	L = ½|v|² − ½ qᵀKq − ¼ a Σ q_i⁴ + u q_0 + ½ b (q_0 v_1 − q_1 v_0)
//	c = ½ (q_{n−1} − y)²
//
// The parameters are θ = (K[i][j] for i ≤ j in row-major order, b); a is a
// constant. For n = 1 the gyroscopic term is absent.
type Coupled struct {
	info lagrt.Info
	A    float64
	n    int
}

// NewCoupled returns a Coupled system of n ≥ 1 coordinates with default
// coupling K, gyroscopic constant b and nonlinearity a.
func NewCoupled(K [][]float64, b, a float64) *Coupled {
	n := len(K)
	in := lagrt.Info{Name: fmt.Sprintf("coupled%d", n), Inputs: []string{"u"}, Targets: []string{"y"}, HasCost: true}
	for i := range n {
		in.Coords = append(in.Coords, fmt.Sprintf("q[%d]", i))
		for j := i; j < n; j++ {
			in.Params = append(in.Params, fmt.Sprintf("K[%d][%d]", i, j))
			in.Defaults = append(in.Defaults, K[i][j])
		}
	}
	in.Params = append(in.Params, "b")
	in.Defaults = append(in.Defaults, b)
	return &Coupled{in, a, n}
}

// Info implements lagrt.Model.
func (c *Coupled) Info() *lagrt.Info { return &c.info }

// Eval implements lagrt.Model.
func (c *Coupled) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&c.info, p)
	n, a := c.n, c.A
	q, v, th := p.Q, p.V, p.Theta
	b := th[len(th)-1]
	if n < 2 {
		b = 0
	}
	zero(out)
	L := 0.0
	for i := range n {
		L += v[i]*v[i]/2 - a*q[i]*q[i]*q[i]*q[i]/4
		out.Lq[i] = -a * q[i] * q[i] * q[i]
		out.Lv[i] = v[i]
		out.Lvv[i*n+i] = 1
		out.Lqq[i*n+i] = -3 * a * q[i] * q[i]
	}
	pi := 0
	for i := range n {
		for j := i; j < n; j++ {
			k := th[pi]
			if i == j {
				L -= k * q[i] * q[i] / 2
				out.Lq[i] -= k * q[i]
				out.Lqq[i*n+i] -= k
				out.Lth[pi] = -q[i] * q[i] / 2
				out.Lthq[pi*n+i] = -q[i]
			} else {
				L -= k * q[i] * q[j]
				out.Lq[i] -= k * q[j]
				out.Lq[j] -= k * q[i]
				out.Lqq[i*n+j] -= k
				out.Lqq[j*n+i] -= k
				out.Lth[pi] = -q[i] * q[j]
				out.Lthq[pi*n+i] = -q[j]
				out.Lthq[pi*n+j] = -q[i]
			}
			pi++
		}
	}
	L += p.U[0] * q[0]
	out.Lq[0] += p.U[0]
	if n >= 2 {
		L += b * (q[0]*v[1] - q[1]*v[0]) / 2
		out.Lq[0] += b * v[1] / 2
		out.Lq[1] -= b * v[0] / 2
		out.Lv[0] -= b * q[1] / 2
		out.Lv[1] += b * q[0] / 2
		out.Lqv[0*n+1] = b / 2
		out.Lqv[1*n+0] = -b / 2
		out.Lth[pi] = (q[0]*v[1] - q[1]*v[0]) / 2
		out.Lthq[pi*n+0] = v[1] / 2
		out.Lthq[pi*n+1] = -v[0] / 2
		out.Lthv[pi*n+0] = -q[1] / 2
		out.Lthv[pi*n+1] = q[0] / 2
	}
	out.L = L
	e := q[n-1] - p.Y[0]
	out.C = e * e / 2
	out.Cq[n-1] = e
	out.Cqq[(n-1)*n+n-1] = 1
}

// Chain is a chain of n unit masses with springs to the ground k_i, a
// quartic nonlinearity a, springs c_i between neighbours, an input u
// driving q_0 and an output gain g in the cost:
//
//	L = ½|v|² − Σ ½ k_i q_i² − Σ ¼ a q_i⁴ − Σ ½ c_i (q_{i+1} − q_i)² + u q_0
//	c = ½ (g q_{n−1} − y)²
//
// The parameters are θ = (k_0..k_{n−1}, c_0..c_{n−2}, g), 2n in all; the
// cost depends on θ through g. Lagrangian and cost cost O(n) to evaluate.
type Chain struct {
	info lagrt.Info
	A    float64
	n    int
}

// NewChain returns a Chain of n ≥ 1 masses with all k_i = k, c_i = c, gain
// g = 1 and nonlinearity a.
func NewChain(n int, k, c, a float64) *Chain {
	in := lagrt.Info{Name: fmt.Sprintf("chain%d", n), Inputs: []string{"u"}, Targets: []string{"y"}, HasCost: true}
	for i := range n {
		in.Coords = append(in.Coords, fmt.Sprintf("q[%d]", i))
		in.Params = append(in.Params, fmt.Sprintf("k[%d]", i))
		in.Defaults = append(in.Defaults, k*(1+0.1*float64(i)))
	}
	for i := range n - 1 {
		in.Params = append(in.Params, fmt.Sprintf("c[%d]", i))
		in.Defaults = append(in.Defaults, c)
	}
	in.Params = append(in.Params, "g")
	in.Defaults = append(in.Defaults, 1)
	return &Chain{in, a, n}
}

// Info implements lagrt.Model.
func (ch *Chain) Info() *lagrt.Info { return &ch.info }

// Eval implements lagrt.Model.
func (ch *Chain) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&ch.info, p)
	n, a := ch.n, ch.A
	q, v, th := p.Q, p.V, p.Theta
	zero(out)
	L := 0.0
	for i := range n {
		k := th[i]
		L += v[i]*v[i]/2 - k*q[i]*q[i]/2 - a*q[i]*q[i]*q[i]*q[i]/4
		out.Lq[i] = -k*q[i] - a*q[i]*q[i]*q[i]
		out.Lv[i] = v[i]
		out.Lvv[i*n+i] = 1
		out.Lqq[i*n+i] = -k - 3*a*q[i]*q[i]
		out.Lth[i] = -q[i] * q[i] / 2
		out.Lthq[i*n+i] = -q[i]
	}
	for i := range n - 1 {
		c, d := th[n+i], q[i+1]-q[i]
		L -= c * d * d / 2
		out.Lq[i] += c * d
		out.Lq[i+1] -= c * d
		out.Lqq[i*n+i] -= c
		out.Lqq[(i+1)*n+i+1] -= c
		out.Lqq[i*n+i+1] += c
		out.Lqq[(i+1)*n+i] += c
		a := n + i
		out.Lth[a] = -d * d / 2
		out.Lthq[a*n+i] = d
		out.Lthq[a*n+i+1] = -d
	}
	L += p.U[0] * q[0]
	out.Lq[0] += p.U[0]
	out.L = L
	g := th[2*n-1]
	e := g*q[n-1] - p.Y[0]
	out.C = e * e / 2
	out.Cq[n-1] = g * e
	out.Cqq[(n-1)*n+n-1] = g * g
	out.Cth[2*n-1] = q[n-1] * e
}

func zero(o *lagrt.Out) {
	o.L, o.C = 0, 0
	clear(o.Lq)
	clear(o.Lv)
	clear(o.Lqq)
	clear(o.Lqv)
	clear(o.Lvv)
	clear(o.Lvt)
	clear(o.Lth)
	clear(o.Lthq)
	clear(o.Lthv)
	clear(o.Cq)
	clear(o.Cv)
	clear(o.Cqq)
	clear(o.Cqv)
	clear(o.Cvv)
	clear(o.Cth)
}
