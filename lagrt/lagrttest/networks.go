package lagrttest

import (
	"fmt"
	"math"

	"github.com/lagc/lagc/lagrt"
)

// Springs is a network of n unit masses, each a Duffing oscillator
// (spring k_i to the ground and a quartic a), coupled by springs c_e along
// the edges e = (i, j) of a graph, driven by an input u on site 0, with a
// cost on the last site:
//
//	L = Σ_i (½ v_i² − ½ k_i q_i² − ¼ a q_i⁴) − Σ_e ½ c_e (q_i − q_j)² + u q_0
//	c = ½ (q_{n−1} − y)²
//
// The parameters are θ = (k_0..k_{n−1}, c_0..c_{E−1}). Its matrix
// quantities have explicit sparsity patterns: Lqq has the diagonal and
// the edges, Lvv the diagonal, Lthq two entries per edge and one per
// site, Lqv, Lthv, Cqv and Cvv are empty and Cqq has one entry. Eval
// costs O(n + E). NewSpringChain and NewSpringLattice build the chain
// and the square lattice.
type Springs struct {
	info  lagrt.Info
	A     float64
	n     int
	edges [][2]int32
}

// NewSprings returns a Springs network of n sites with the given edges,
// all k_i = k (times 1 + 0.1·(i mod 5)), c_e = c and nonlinearity a.
func NewSprings(name string, n int, edges [][2]int32, k, c, a float64) *Springs {
	in := lagrt.Info{Name: name, Inputs: []string{"u"}, Targets: []string{"y"}, HasCost: true}
	for i := range n {
		in.Coords = append(in.Coords, fmt.Sprintf("q[%d]", i))
		in.Params = append(in.Params, fmt.Sprintf("k[%d]", i))
		in.Defaults = append(in.Defaults, k*(1+0.1*float64(i%5)))
	}
	for e := range edges {
		in.Params = append(in.Params, fmt.Sprintf("c[%d]", e))
		in.Defaults = append(in.Defaults, c)
	}
	diag := func() *lagrt.Pattern {
		p := &lagrt.Pattern{}
		for i := range int32(n) {
			p.Rows, p.Cols = append(p.Rows, i), append(p.Cols, i)
		}
		return p
	}
	lqq := diag()
	for _, e := range edges {
		lqq.Rows = append(lqq.Rows, e[0], e[1])
		lqq.Cols = append(lqq.Cols, e[1], e[0])
	}
	lthq := diag()
	for e, ij := range edges {
		r := int32(n + e)
		lthq.Rows = append(lthq.Rows, r, r)
		lthq.Cols = append(lthq.Cols, ij[0], ij[1])
	}
	last := int32(n - 1)
	in.Patterns[lagrt.QLqq] = lqq
	in.Patterns[lagrt.QLvv] = diag()
	in.Patterns[lagrt.QLqv] = &lagrt.Pattern{}
	in.Patterns[lagrt.QLthq] = lthq
	in.Patterns[lagrt.QLthv] = &lagrt.Pattern{}
	in.Patterns[lagrt.QCqq] = &lagrt.Pattern{Rows: []int32{last}, Cols: []int32{last}}
	in.Patterns[lagrt.QCqv] = &lagrt.Pattern{}
	in.Patterns[lagrt.QCvv] = &lagrt.Pattern{}
	return &Springs{in, a, n, edges}
}

// NewSpringChain returns the nearest-neighbour chain of n Duffing
// oscillators (edges (i, i+1)).
func NewSpringChain(n int, k, c, a float64) *Springs {
	var edges [][2]int32
	for i := range int32(n - 1) {
		edges = append(edges, [2]int32{i, i + 1})
	}
	return NewSprings(fmt.Sprintf("springchain%d", n), n, edges, k, c, a)
}

// NewSpringLattice returns the rows×cols square lattice with
// nearest-neighbour springs; site (r, c) is coordinate r·cols + c.
func NewSpringLattice(rows, cols int, k, c, a float64) *Springs {
	var edges [][2]int32
	for r := range rows {
		for col := range cols {
			i := int32(r*cols + col)
			if col+1 < cols {
				edges = append(edges, [2]int32{i, i + 1})
			}
			if r+1 < rows {
				edges = append(edges, [2]int32{i, i + int32(cols)})
			}
		}
	}
	return NewSprings(fmt.Sprintf("lattice%dx%d", rows, cols), rows*cols, edges, k, c, a)
}

// Info implements lagrt.Model.
func (m *Springs) Info() *lagrt.Info { return &m.info }

// Eval implements lagrt.Model.
func (m *Springs) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&m.info, p)
	n, a := m.n, m.A
	q, v, th := p.Q, p.V, p.Theta
	zero(out)
	L := 0.0
	lqq, lthq := out.Lqq, out.Lthq
	for i := range n {
		k, x := th[i], q[i]
		L += v[i]*v[i]/2 - k*x*x/2 - a*x*x*x*x/4
		out.Lq[i] = -k*x - a*x*x*x
		out.Lv[i] = v[i]
		out.Lvv[i] = 1
		lqq[i] = -k - 3*a*x*x
		out.Lth[i] = -x * x / 2
		lthq[i] = -x
	}
	for e, ij := range m.edges {
		i, j := ij[0], ij[1]
		c, d := th[n+e], q[i]-q[j]
		L -= c * d * d / 2
		out.Lq[i] -= c * d
		out.Lq[j] += c * d
		lqq[i] -= c
		lqq[j] -= c
		lqq[n+2*e], lqq[n+2*e+1] = c, c
		out.Lth[n+e] = -d * d / 2
		lthq[n+2*e], lthq[n+2*e+1] = -d, d
	}
	L += p.U[0] * q[0]
	out.Lq[0] += p.U[0]
	out.L = L
	e := q[n-1] - p.Y[0]
	out.C = e * e / 2
	out.Cq[n-1] = e
	out.Cqq[0] = 1
}

// Network is the all-to-all network of n Duffing oscillators with a
// dense coupling matrix W, an input on site 0 and a cost on the last
// site:
//
//	L = Σ_i (½ v_i² − ½ k_i q_i² − ¼ a q_i⁴) + Σ_ij ½ W_ij q_i q_j + u q_0
//	c = ½ (q_{n−1} − y)²
//
// The parameters are θ = (W row-major, k), n² + n in all. Lqq is dense
// (nil pattern), Lvv diagonal, and Lthq lists only its structural
// nonzeros: ∂²L/∂W_ab∂q_k is nonzero only for k = a or k = b (the two
// entries of W_aa share a position and add up), ∂²L/∂k_i∂q_k only for
// k = i. Eval costs O(n²).
type Network struct {
	info lagrt.Info
	A    float64
	n    int
}

// NewNetwork returns a Network of n sites with deterministic
// pseudo-random couplings W_ij = (w/√n)·sin(1 + 3i + 7j + ij) (so that
// the spectrum of W stays of order w), k_i = k·(1 + 0.1·(i mod 5)) and
// nonlinearity a.
func NewNetwork(n int, w, k, a float64) *Network {
	in := lagrt.Info{Name: fmt.Sprintf("network%d", n), Inputs: []string{"u"}, Targets: []string{"y"}, HasCost: true}
	for i := range n {
		in.Coords = append(in.Coords, fmt.Sprintf("q[%d]", i))
	}
	for i := range n {
		for j := range n {
			in.Params = append(in.Params, fmt.Sprintf("W[%d][%d]", i, j))
			in.Defaults = append(in.Defaults, w/math.Sqrt(float64(n))*math.Sin(float64(1+3*i+7*j+i*j)))
		}
	}
	for i := range n {
		in.Params = append(in.Params, fmt.Sprintf("k[%d]", i))
		in.Defaults = append(in.Defaults, k*(1+0.1*float64(i%5)))
	}
	diag := &lagrt.Pattern{}
	for i := range int32(n) {
		diag.Rows, diag.Cols = append(diag.Rows, i), append(diag.Cols, i)
	}
	lthq := &lagrt.Pattern{}
	for a := range int32(n) {
		for b := range int32(n) {
			r := a*int32(n) + b
			lthq.Rows = append(lthq.Rows, r, r)
			lthq.Cols = append(lthq.Cols, a, b)
		}
	}
	for i := range int32(n) {
		lthq.Rows, lthq.Cols = append(lthq.Rows, int32(n*n)+i), append(lthq.Cols, i)
	}
	last := int32(n - 1)
	in.Patterns[lagrt.QLvv] = diag
	in.Patterns[lagrt.QLqv] = &lagrt.Pattern{}
	in.Patterns[lagrt.QLthq] = lthq
	in.Patterns[lagrt.QLthv] = &lagrt.Pattern{}
	in.Patterns[lagrt.QCqq] = &lagrt.Pattern{Rows: []int32{last}, Cols: []int32{last}}
	in.Patterns[lagrt.QCqv] = &lagrt.Pattern{}
	in.Patterns[lagrt.QCvv] = &lagrt.Pattern{}
	return &Network{in, a, n}
}

// Info implements lagrt.Model.
func (m *Network) Info() *lagrt.Info { return &m.info }

// Eval implements lagrt.Model.
func (m *Network) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	lagrt.CheckPoint(&m.info, p)
	n, a := m.n, m.A
	q, v, th := p.Q, p.V, p.Theta
	W, ks := th[:n*n], th[n*n:]
	zero(out)
	L := 0.0
	for i := range n {
		k, x := ks[i], q[i]
		L += v[i]*v[i]/2 - k*x*x/2 - a*x*x*x*x/4
		out.Lq[i] = -k*x - a*x*x*x
		out.Lv[i] = v[i]
		out.Lvv[i] = 1
		out.Lth[n*n+i] = -x * x / 2
		out.Lthq[2*n*n+i] = -x
	}
	lqq, lth, lthq := out.Lqq, out.Lth, out.Lthq
	for i := range n {
		row, xi := W[i*n:i*n+n], q[i]
		s := 0.0
		for j, wij := range row {
			xj := q[j]
			s += wij * xj
			L += wij * xi * xj / 2
			lth[i*n+j] = xi * xj / 2
			lthq[2*(i*n+j)], lthq[2*(i*n+j)+1] = xj/2, xi/2
			lqq[i*n+j] = (wij + W[j*n+i]) / 2
		}
		// ∂/∂q_i of ½ Σ_ab W_ab q_a q_b = ½ (W q)_i + ½ (Wᵀ q)_i.
		out.Lq[i] += s / 2
		for j, wij := range row {
			out.Lq[j] += wij * xi / 2
		}
		lqq[i*n+i] -= ks[i] + 3*a*xi*xi
	}
	L += p.U[0] * q[0]
	out.Lq[0] += p.U[0]
	out.L = L
	e := q[n-1] - p.Y[0]
	out.C = e * e / 2
	out.Cq[n-1] = e
	out.Cqq[0] = 1
}
