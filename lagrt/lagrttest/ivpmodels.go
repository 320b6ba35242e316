package lagrttest

import (
	"fmt"

	"github.com/lagc/lagc/lagrt"
)

// Central is a particle in the plane in the anharmonic central potential
// V(r) = ½ k r² + ¼ a r⁴:
//
//	L = ½ m |v|² − ½ k |q|² − ¼ a |q|⁴,   c = ½ (q_0 − y)²
//
// with parameters θ = (m, k) and a constant a. L is invariant under
// rotations, so the angular momentum q_0 p_1 − q_1 p_0 is conserved, also
// by the midpoint discrete Lagrangian.
type Central struct {
	info lagrt.Info
	A    float64
}

// NewCentral returns a Central system with default parameters m and k.
func NewCentral(m, k, a float64) *Central {
	return &Central{lagrt.Info{
		Name: "central", Coords: []string{"x", "y"}, Params: []string{"m", "k"},
		Defaults: []float64{m, k}, Targets: []string{"y"}, HasCost: true,
	}, a}
}

// Info implements lagrt.Model.
func (c *Central) Info() *lagrt.Info { return &c.info }

// Eval implements lagrt.Model.
func (c *Central) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&c.info, p)
	m, k, a := p.Theta[0], p.Theta[1], c.A
	q, v := p.Q, p.V
	zero(out)
	r2 := q[0]*q[0] + q[1]*q[1]
	v2 := v[0]*v[0] + v[1]*v[1]
	out.L = m*v2/2 - k*r2/2 - a*r2*r2/4
	for i := range 2 {
		out.Lq[i] = -k*q[i] - a*r2*q[i]
		out.Lv[i] = m * v[i]
		out.Lvv[i*2+i] = m
		for j := range 2 {
			out.Lqq[i*2+j] = -2 * a * q[i] * q[j]
		}
		out.Lqq[i*2+i] -= k + a*r2
		out.Lthq[1*2+i] = -q[i]
		out.Lthv[0*2+i] = v[i]
	}
	out.Lth[0], out.Lth[1] = v2/2, -r2/2
	e := q[0] - p.Y[0]
	out.C, out.Cq[0], out.Cqq[0] = e*e/2, e, 1
}

// CoupledSprings is a network of n masses m_i with springs k_i to the ground, a
// quartic nonlinearity a, springs W_ij between every pair, an input u
// driving q_0 and a cost on the last coordinate:
//
//	L = Σ ½ m_i v_i² − Σ ½ k_i q_i² − Σ ¼ a q_i⁴ − Σ_{i<j} ½ W_ij (q_i − q_j)² + u q_0
//	c = ½ (q_{n−1} − y)²
//
// The parameters are θ = (m_0..m_{n−1}, k_0..k_{n−1}, W_ij for i < j in
// row-major order). L is even in the velocities (time-reversible), and
// its momenta m_i v_i depend on θ. With a = 0 it is the coupled harmonic
// oscillators of RHEL's toy problem.
type CoupledSprings struct {
	info lagrt.Info
	A    float64
	n    int
}

// NewCoupledSprings returns a CoupledSprings network with masses m, stiffnesses k and
// couplings W[i][j] (i < j; the rest of W is ignored).
func NewCoupledSprings(m, k []float64, W [][]float64, a float64) *CoupledSprings {
	n := len(m)
	in := lagrt.Info{Name: fmt.Sprintf("springs%d", n), Inputs: []string{"u"}, Targets: []string{"y"}, HasCost: true}
	for i := range n {
		in.Coords = append(in.Coords, fmt.Sprintf("q[%d]", i))
		in.Params = append(in.Params, fmt.Sprintf("m[%d]", i))
		in.Defaults = append(in.Defaults, m[i])
	}
	for i := range n {
		in.Params = append(in.Params, fmt.Sprintf("k[%d]", i))
		in.Defaults = append(in.Defaults, k[i])
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			in.Params = append(in.Params, fmt.Sprintf("W[%d][%d]", i, j))
			in.Defaults = append(in.Defaults, W[i][j])
		}
	}
	return &CoupledSprings{in, a, n}
}

// Info implements lagrt.Model.
func (s *CoupledSprings) Info() *lagrt.Info { return &s.info }

// Eval implements lagrt.Model.
func (s *CoupledSprings) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&s.info, p)
	n, a := s.n, s.A
	q, v, th := p.Q, p.V, p.Theta
	zero(out)
	L := 0.0
	for i := range n {
		m, k := th[i], th[n+i]
		L += m*v[i]*v[i]/2 - k*q[i]*q[i]/2 - a*q[i]*q[i]*q[i]*q[i]/4
		out.Lq[i] = -k*q[i] - a*q[i]*q[i]*q[i]
		out.Lv[i] = m * v[i]
		out.Lvv[i*n+i] = m
		out.Lqq[i*n+i] = -k - 3*a*q[i]*q[i]
		out.Lth[i] = v[i] * v[i] / 2
		out.Lthv[i*n+i] = v[i]
		out.Lth[n+i] = -q[i] * q[i] / 2
		out.Lthq[(n+i)*n+i] = -q[i]
	}
	e := 2 * n
	for i := range n {
		for j := i + 1; j < n; j++ {
			W, d := th[e], q[i]-q[j]
			L -= W * d * d / 2
			out.Lq[i] -= W * d
			out.Lq[j] += W * d
			out.Lqq[i*n+i] -= W
			out.Lqq[j*n+j] -= W
			out.Lqq[i*n+j] += W
			out.Lqq[j*n+i] += W
			out.Lth[e] = -d * d / 2
			out.Lthq[e*n+i] = -d
			out.Lthq[e*n+j] = d
			e++
		}
	}
	L += p.U[0] * q[0]
	out.Lq[0] += p.U[0]
	out.L = L
	d := q[n-1] - p.Y[0]
	out.C = d * d / 2
	out.Cq[n-1] = d
	out.Cqq[(n-1)*n+n-1] = 1
}
