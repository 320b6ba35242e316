package lagrttest

import (
	"fmt"
	"math"

	"github.com/lagc/lagc/lagrt"
)

// ArrowConfig configures an Arrow network.
type ArrowConfig struct {
	Leaves, Hubs int
	// Degree is the number of hubs each leaf couples to: leaf i couples
	// to hubs (i + j) mod Hubs, j < Degree (all of them if Degree is 0
	// or at least Hubs).
	Degree int
	K      float64 // leaf stiffness (times 1 + 0.1·(i mod 5)); hub a has K·(1.3 + 0.2·(a mod 3))
	W      float64 // coupling scale: W_e = (W/√Degree)·sin(1 + 3i + 7a)
	A      float64 // quartic nonlinearity of the leaves
	// Gyro, if not zero, adds the velocity coupling G·(x_i·V_a − y_a·v_i)
	// on every edge (an Lqv coupling, antisymmetric between the steps).
	Gyro float64
	// HubSpring, if not zero, adds springs ½c(y_a − y_{a+1})² between
	// consecutive hubs.
	HubSpring float64
}

// Arrow is a layered network in which every spatial coupling has an end
// in a small set of hubs: leaves x_i (Duffing oscillators driven by the
// input u) coupled bilinearly to hub oscillators y_a, with a cost on the
// hubs,
//
//	L = Σ_i (½ v_i² − ½ k_i x_i² − ¼ a x_i⁴ + d_i u x_i) + Σ_a (½ V_a² − ½ K_a y_a²)
//	  + Σ_e (W_e x_i y_a + G (x_i V_a − y_a v_i)) − Σ_a ½ c (y_a − y_{a+1})²
//	c = ½ Σ_a (y_a − z_a)²
//
// over the edges e = (i, a), with d_i = cos(i) and targets z_a. The
// coordinates are x (Leaves) then y (Hubs); the parameters θ = (k, W_e
// in edge order, K). It is the arrow structure that LinearSchur
// factors: the leaves are coupled in space only to the hubs.
type Arrow struct {
	info  lagrt.Info
	cfg   ArrowConfig
	edges [][2]int32 // (leaf, hub index)
}

// NewArrow returns the Arrow network of c.
func NewArrow(c ArrowConfig) *Arrow {
	H, M := c.Leaves, c.Hubs
	if c.Degree <= 0 || c.Degree > M {
		c.Degree = M
	}
	in := lagrt.Info{Name: fmt.Sprintf("arrow%dx%d", H, M), Inputs: []string{"u"}, HasCost: true}
	var edges [][2]int32
	for i := range H {
		for j := range c.Degree {
			edges = append(edges, [2]int32{int32(i), int32((i + j) % M)})
		}
	}
	for i := range H {
		in.Coords = append(in.Coords, fmt.Sprintf("x[%d]", i))
		in.Params = append(in.Params, fmt.Sprintf("k[%d]", i))
		in.Defaults = append(in.Defaults, c.K*(1+0.1*float64(i%5)))
	}
	for a := range M {
		in.Coords = append(in.Coords, fmt.Sprintf("y[%d]", a))
		in.Targets = append(in.Targets, fmt.Sprintf("z[%d]", a))
	}
	for _, e := range edges {
		in.Params = append(in.Params, fmt.Sprintf("W[%d][%d]", e[1], e[0]))
		in.Defaults = append(in.Defaults, c.W/math.Sqrt(float64(c.Degree))*math.Sin(float64(1+3*e[0]+7*e[1])))
	}
	for a := range M {
		in.Params = append(in.Params, fmt.Sprintf("K[%d]", a))
		in.Defaults = append(in.Defaults, c.K*(1.3+0.2*float64(a%3)))
	}
	n, hub := int32(H+M), func(a int32) int32 { return int32(H) + a }
	diag := func() *lagrt.Pattern {
		p := &lagrt.Pattern{}
		for i := range n {
			p.Rows, p.Cols = append(p.Rows, i), append(p.Cols, i)
		}
		return p
	}
	lqq := diag()
	for _, e := range edges {
		lqq.Rows = append(lqq.Rows, e[0], hub(e[1]))
		lqq.Cols = append(lqq.Cols, hub(e[1]), e[0])
	}
	if c.HubSpring != 0 {
		for a := range int32(M - 1) {
			lqq.Rows = append(lqq.Rows, hub(a), hub(a+1))
			lqq.Cols = append(lqq.Cols, hub(a+1), hub(a))
		}
	}
	lqv := &lagrt.Pattern{}
	if c.Gyro != 0 {
		for _, e := range edges {
			lqv.Rows = append(lqv.Rows, e[0], hub(e[1]))
			lqv.Cols = append(lqv.Cols, hub(e[1]), e[0])
		}
	}
	lthq := &lagrt.Pattern{}
	for i := range int32(H) {
		lthq.Rows, lthq.Cols = append(lthq.Rows, i), append(lthq.Cols, i)
	}
	for k, e := range edges {
		r := int32(H + k)
		lthq.Rows = append(lthq.Rows, r, r)
		lthq.Cols = append(lthq.Cols, e[0], hub(e[1]))
	}
	for a := range int32(M) {
		lthq.Rows, lthq.Cols = append(lthq.Rows, int32(H+len(edges))+a), append(lthq.Cols, hub(a))
	}
	cqq := &lagrt.Pattern{}
	for a := range int32(M) {
		cqq.Rows, cqq.Cols = append(cqq.Rows, hub(a)), append(cqq.Cols, hub(a))
	}
	in.Patterns[lagrt.QLqq] = lqq
	in.Patterns[lagrt.QLvv] = diag()
	in.Patterns[lagrt.QLqv] = lqv
	in.Patterns[lagrt.QLthq] = lthq
	in.Patterns[lagrt.QLthv] = &lagrt.Pattern{}
	in.Patterns[lagrt.QCqq] = cqq
	in.Patterns[lagrt.QCqv] = &lagrt.Pattern{}
	in.Patterns[lagrt.QCvv] = &lagrt.Pattern{}
	return &Arrow{in, c, edges}
}

// Info implements lagrt.Model.
func (m *Arrow) Info() *lagrt.Info { return &m.info }

// Eval implements lagrt.Model.
func (m *Arrow) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&m.info, p)
	H, M, E := m.cfg.Leaves, m.cfg.Hubs, len(m.edges)
	a, G, c := m.cfg.A, m.cfg.Gyro, m.cfg.HubSpring
	q, v, th := p.Q, p.V, p.Theta
	zero(out)
	L := 0.0
	lqq, lthq := out.Lqq, out.Lthq
	n := H + M
	for i := range n {
		L += v[i] * v[i] / 2
		out.Lv[i] = v[i]
		out.Lvv[i] = 1
	}
	u := p.U[0]
	for i := range H {
		k, x, d := th[i], q[i], math.Cos(float64(i))
		L += -k*x*x/2 - a*x*x*x*x/4 + d*u*x
		out.Lq[i] = -k*x - a*x*x*x + d*u
		lqq[i] = -k - 3*a*x*x
		out.Lth[i] = -x * x / 2
		lthq[i] = -x
	}
	for b := range M {
		K, y := th[H+E+b], q[H+b]
		L -= K * y * y / 2
		out.Lq[H+b] = -K * y
		lqq[H+b] = -K
		out.Lth[H+E+b] = -y * y / 2
		lthq[H+2*E+b] = -y
	}
	for k, e := range m.edges {
		i, j := int(e[0]), H+int(e[1])
		W, x, y := th[H+k], q[i], q[j]
		L += W*x*y + G*(x*v[j]-y*v[i])
		out.Lq[i] += W*y + G*v[j]
		out.Lq[j] += W*x - G*v[i]
		out.Lv[i] -= G * y
		out.Lv[j] += G * x
		lqq[n+2*k], lqq[n+2*k+1] = W, W
		out.Lth[H+k] = x * y
		lthq[H+2*k], lthq[H+2*k+1] = y, x
		if G != 0 {
			out.Lqv[2*k], out.Lqv[2*k+1] = G, -G
		}
	}
	if c != 0 {
		o := n + 2*E
		for b := range M - 1 {
			j := H + b
			d := q[j] - q[j+1]
			L -= c * d * d / 2
			out.Lq[j] -= c * d
			out.Lq[j+1] += c * d
			lqq[j] -= c
			lqq[j+1] -= c
			lqq[o+2*b], lqq[o+2*b+1] = c, c
		}
	}
	out.L = L
	C := 0.0
	for b := range M {
		e := q[H+b] - p.Y[b]
		C += e * e / 2
		out.Cq[H+b] = e
		out.Cqq[b] = 1
	}
	out.C = C
}
