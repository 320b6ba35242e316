// Package handref holds hand-written reference implementations of four
// testdata systems (pendulum, double_pendulum, chain and network), written
// as a careful Go programmer would write them for speed: math.Sincos,
// multiplied-out powers, one array-pointer view per output field, level
// checks by mask and no work for quantities that are structurally zero
// beyond the zeroing the model contract requires. They compute the same
// quantities as the generated models in ../<name>, with their own
// sparsity patterns, and are benchmarked against them (see
// ../handwritten_test.go): the goal of issue 7 §4 is generated Eval within
// 1.1× of these.
package handref

import (
	"math"

	"github.com/lagc/lagc/lagrt"
)

const g = 9.81

// pat builds a pattern from (row, col) pairs.
func pat(rc ...int32) *lagrt.Pattern {
	p := &lagrt.Pattern{Rows: make([]int32, 0, len(rc)/2), Cols: make([]int32, 0, len(rc)/2)}
	for k := 0; k < len(rc); k += 2 {
		p.Rows = append(p.Rows, rc[k])
		p.Cols = append(p.Cols, rc[k+1])
	}
	return p
}

// Pendulum is testdata/pendulum.lag: L = ½ m l² θ̇² + m g l cos θ.
type Pendulum struct{}

var pendulumInfo = lagrt.Info{
	Name: "Pendulum", Coords: []string{"th"}, Params: []string{"m", "l"}, Defaults: []float64{1, 1},
	Patterns: [lagrt.NumQuantities]*lagrt.Pattern{
		lagrt.QLqq: pat(0, 0), lagrt.QLqv: pat(), lagrt.QLvv: pat(0, 0),
		lagrt.QLthq: pat(0, 0, 1, 0), lagrt.QLthv: pat(0, 0, 1, 0),
		lagrt.QCqq: pat(), lagrt.QCqv: pat(), lagrt.QCvv: pat(),
	},
}

// Info implements lagrt.Model.
func (Pendulum) Info() *lagrt.Info { return &pendulumInfo }

// Eval implements lagrt.Model.
func (Pendulum) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	if len(p.Q) != 1 || len(p.V) != 1 || len(p.Theta) != 2 {
		lagrt.BadPoint(&pendulumInfo, p)
		return
	}
	m, l := p.Theta[0], p.Theta[1]
	q, v := p.Q[0], p.V[0]
	s, c := math.Sincos(q)
	ll, vv := l*l, v*v
	gl, gm := g*l, g*m
	out.L = 0.5*m*ll*vv + gm*l*c
	out.Lq[0] = -gm * l * s
	out.Lv[0] = m * ll * v
	lth := (*[2]float64)(out.Lth)
	lth[0] = 0.5*ll*vv + gl*c
	lth[1] = m*l*vv + gm*c
	out.C = 0
	out.Cq[0] = 0
	out.Cv[0] = 0
	*(*[2]float64)(out.Cth) = [2]float64{}
	if w&^lagrt.Level1 == 0 {
		return
	}
	out.Lqq[0] = -gm * l * c
	out.Lvv[0] = m * ll
	if w&^lagrt.Level2 == 0 {
		return
	}
	out.Lvt[0] = 0
	lthq := (*[2]float64)(out.Lthq)
	lthq[0] = -gl * s
	lthq[1] = -gm * s
	lthv := (*[2]float64)(out.Lthv)
	lthv[0] = ll * v
	lthv[1] = 2 * m * l * v
}

// DoublePendulum is testdata/double_pendulum.lag: with M = m1 + m2 and
// δ = θ1 − θ2,
//
//	L = ½ M l1² ω1² + ½ m2 l2² ω2² + m2 l1 l2 cos δ ω1 ω2 + g (M l1 cos θ1 + m2 l2 cos θ2)
//	c = ½ (θ2 − y)²
type DoublePendulum struct{}

var doublePendulumInfo = lagrt.Info{
	Name: "DoublePendulum", Coords: []string{"th1", "th2"}, Params: []string{"m1", "m2", "l1", "l2"},
	Defaults: []float64{1, 0.7, 1, 0.8}, Targets: []string{"y"}, HasCost: true,
	Patterns: [lagrt.NumQuantities]*lagrt.Pattern{
		// Lqq, Lqv, Lvv, Lthq and Lthv dense (nil).
		lagrt.QCqq: pat(1, 1), lagrt.QCqv: pat(), lagrt.QCvv: pat(),
	},
}

// Info implements lagrt.Model.
func (DoublePendulum) Info() *lagrt.Info { return &doublePendulumInfo }

// Eval implements lagrt.Model.
func (DoublePendulum) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	if len(p.Q) != 2 || len(p.V) != 2 || len(p.Theta) != 4 || len(p.Y) < 1 {
		lagrt.BadPoint(&doublePendulumInfo, p)
		return
	}
	q, v, th := (*[2]float64)(p.Q), (*[2]float64)(p.V), (*[4]float64)(p.Theta)
	m1, m2, l1, l2 := th[0], th[1], th[2], th[3]
	w1, w2 := v[0], v[1]
	s1, c1 := math.Sincos(q[0])
	s2, c2 := math.Sincos(q[1])
	cd := c1*c2 + s1*s2 // cos(θ1 − θ2)
	sd := s1*c2 - c1*s2 // sin(θ1 − θ2)
	M := m1 + m2
	l11, l22, l12 := l1*l1, l2*l2, l1*l2
	a11, a22, k := M*l11, m2*l22, m2*l12
	a12 := k * cd
	w11, w22, w12 := w1*w1, w2*w2, w1*w2
	gs1, gs2 := g*s1, g*s2
	gc1, gc2 := g*c1, g*c2
	ksw := k * sd * w12
	out.L = 0.5*a11*w11 + 0.5*a22*w22 + a12*w12 + M*l1*gc1 + m2*l2*gc2
	lq := (*[2]float64)(out.Lq)
	lq[0] = -ksw - M*l1*gs1
	lq[1] = ksw - m2*l2*gs2
	lv := (*[2]float64)(out.Lv)
	lv[0] = a11*w1 + a12*w2
	lv[1] = a22*w2 + a12*w1
	cw := cd * w12
	lth := (*[4]float64)(out.Lth)
	lth[0] = 0.5*l11*w11 + l1*gc1
	lth[1] = 0.5*(l11*w11+l22*w22) + l12*cw + l1*gc1 + l2*gc2
	lth[2] = M*l1*w11 + m2*l2*cw + M*gc1
	lth[3] = m2*l2*w22 + m2*l1*cw + m2*gc2
	e := q[1] - p.Y[0]
	out.C = 0.5 * e * e
	*(*[2]float64)(out.Cq) = [2]float64{0, e}
	*(*[2]float64)(out.Cv) = [2]float64{}
	*(*[4]float64)(out.Cth) = [4]float64{}
	if w&^lagrt.Level1 == 0 {
		return
	}
	kcw := a12 * w12
	lqq := (*[4]float64)(out.Lqq)
	lqq[0] = -kcw - M*l1*gc1
	lqq[1] = kcw
	lqq[2] = kcw
	lqq[3] = -kcw - m2*l2*gc2
	ks := k * sd
	lqv := (*[4]float64)(out.Lqv)
	lqv[0] = -ks * w2
	lqv[1] = -ks * w1
	lqv[2] = ks * w2
	lqv[3] = ks * w1
	lvv := (*[4]float64)(out.Lvv)
	lvv[0] = a11
	lvv[1] = a12
	lvv[2] = a12
	lvv[3] = a22
	out.Cqq[0] = 1
	if w&^lagrt.Level2 == 0 {
		return
	}
	*(*[2]float64)(out.Lvt) = [2]float64{}
	sw := sd * w12
	lthq := (*[8]float64)(out.Lthq)
	lthq[0] = -l1 * gs1
	lthq[1] = 0
	lthq[2] = -l12*sw - l1*gs1
	lthq[3] = l12*sw - l2*gs2
	lthq[4] = -m2*l2*sw - M*gs1
	lthq[5] = m2 * l2 * sw
	lthq[6] = -m2 * l1 * sw
	lthq[7] = m2*l1*sw - m2*gs2
	lthv := (*[8]float64)(out.Lthv)
	lthv[0] = l11 * w1
	lthv[1] = 0
	lthv[2] = l11*w1 + l12*cd*w2
	lthv[3] = l22*w2 + l12*cd*w1
	lthv[4] = 2*M*l1*w1 + m2*l2*cd*w2
	lthv[5] = m2 * l2 * cd * w1
	lthv[6] = m2 * l1 * cd * w2
	lthv[7] = 2*m2*l2*w2 + m2*l1*cd*w1
}

// Chain is testdata/chain.lag, N = 4 masses m on springs k[i], neighbours
// coupled by c, the first driven by u:
//
//	L = Σ ½ m ẋᵢ² − ½ kᵢ xᵢ² − Σ_{i≥1} ½ c (xᵢ − xᵢ₋₁)² + x₀ u
//	c = ½ (x₃ − y)²
type Chain struct{}

var chainInfo = lagrt.Info{
	Name:   "Chain",
	Coords: []string{"x[0]", "x[1]", "x[2]", "x[3]"},
	Params: []string{"m", "k[0]", "k[1]", "k[2]", "k[3]", "c"}, Defaults: []float64{1, 1, 1, 1, 1, 0.5},
	Inputs: []string{"u"}, Targets: []string{"y"}, HasCost: true,
	Patterns: [lagrt.NumQuantities]*lagrt.Pattern{
		lagrt.QLqq:  pat(0, 0, 0, 1, 1, 0, 1, 1, 1, 2, 2, 1, 2, 2, 2, 3, 3, 2, 3, 3),
		lagrt.QLqv:  pat(),
		lagrt.QLvv:  pat(0, 0, 1, 1, 2, 2, 3, 3),
		lagrt.QLthq: pat(1, 0, 2, 1, 3, 2, 4, 3, 5, 0, 5, 1, 5, 2, 5, 3),
		lagrt.QLthv: pat(0, 0, 0, 1, 0, 2, 0, 3),
		lagrt.QCqq:  pat(3, 3), lagrt.QCqv: pat(), lagrt.QCvv: pat(),
	},
}

// Info implements lagrt.Model.
func (Chain) Info() *lagrt.Info { return &chainInfo }

// Eval implements lagrt.Model.
func (Chain) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	if len(p.Q) != 4 || len(p.V) != 4 || len(p.Theta) != 6 || len(p.U) < 1 || len(p.Y) < 1 {
		lagrt.BadPoint(&chainInfo, p)
		return
	}
	x, v, th := (*[4]float64)(p.Q), (*[4]float64)(p.V), (*[6]float64)(p.Theta)
	m, c, u := th[0], th[5], p.U[0]
	k0, k1, k2, k3 := th[1], th[2], th[3], th[4]
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	v0, v1, v2, v3 := v[0], v[1], v[2], v[3]
	d1, d2, d3 := x1-x0, x2-x1, x3-x2
	vv := v0*v0 + v1*v1 + v2*v2 + v3*v3
	xx0, xx1, xx2, xx3 := x0*x0, x1*x1, x2*x2, x3*x3
	dd := d1*d1 + d2*d2 + d3*d3
	out.L = 0.5*m*vv - 0.5*(k0*xx0+k1*xx1+k2*xx2+k3*xx3) - 0.5*c*dd + x0*u
	cd1, cd2, cd3 := c*d1, c*d2, c*d3
	lq := (*[4]float64)(out.Lq)
	lq[0] = u - k0*x0 + cd1
	lq[1] = cd2 - cd1 - k1*x1
	lq[2] = cd3 - cd2 - k2*x2
	lq[3] = -cd3 - k3*x3
	lv := (*[4]float64)(out.Lv)
	lv[0] = m * v0
	lv[1] = m * v1
	lv[2] = m * v2
	lv[3] = m * v3
	lth := (*[6]float64)(out.Lth)
	lth[0] = 0.5 * vv
	lth[1] = -0.5 * xx0
	lth[2] = -0.5 * xx1
	lth[3] = -0.5 * xx2
	lth[4] = -0.5 * xx3
	lth[5] = -0.5 * dd
	e := x3 - p.Y[0]
	out.C = 0.5 * e * e
	*(*[4]float64)(out.Cq) = [4]float64{0, 0, 0, e}
	*(*[4]float64)(out.Cv) = [4]float64{}
	*(*[6]float64)(out.Cth) = [6]float64{}
	if w&^lagrt.Level1 == 0 {
		return
	}
	c2 := 2 * c
	lqq := (*[10]float64)(out.Lqq)
	lqq[0] = -k0 - c
	lqq[1] = c
	lqq[2] = c
	lqq[3] = -k1 - c2
	lqq[4] = c
	lqq[5] = c
	lqq[6] = -k2 - c2
	lqq[7] = c
	lqq[8] = c
	lqq[9] = -k3 - c
	lvv := (*[4]float64)(out.Lvv)
	lvv[0] = m
	lvv[1] = m
	lvv[2] = m
	lvv[3] = m
	out.Cqq[0] = 1
	if w&^lagrt.Level2 == 0 {
		return
	}
	*(*[4]float64)(out.Lvt) = [4]float64{}
	lthq := (*[8]float64)(out.Lthq)
	lthq[0] = -x0
	lthq[1] = -x1
	lthq[2] = -x2
	lthq[3] = -x3
	lthq[4] = d1
	lthq[5] = d2 - d1
	lthq[6] = d3 - d2
	lthq[7] = -d3
	lthv := (*[4]float64)(out.Lthv)
	lthv[0] = v0
	lthv[1] = v1
	lthv[2] = v2
	lthv[3] = v3
}

// NetworkN is the size of the Network reference.
const NetworkN = 20

// Network is testdata/network.lag, N = 20 Duffing oscillators coupled all
// to all (a = 0.1):
//
//	L = Σᵢ ½ ẋᵢ² − ½ kᵢ xᵢ² − ¼ a xᵢ⁴ + Σᵢⱼ ½ Wᵢⱼ xᵢ xⱼ + u x₀
//	c = ½ (x₁₉ − y)²
//
// θ = (k[0..N−1], W row-major). Lqq is dense; Lthq lists ∂Lq/∂kᵢ and,
// per Wᵢⱼ, the entries ½xⱼ at column i and ½xᵢ at column j (adding up
// when i = j).
type Network struct{}

const (
	nN = NetworkN
	nP = nN + nN*nN
	na = 0.1
)

var networkInfo = func() lagrt.Info {
	in := lagrt.Info{Name: "Network", Inputs: []string{"u"}, Targets: []string{"y"}, HasCost: true}
	in.Coords = lagrt.AppendNames(nil, "x", nN)
	in.Params = lagrt.AppendNames(lagrt.AppendNames(nil, "k", nN), "W", nN, nN)
	in.Defaults = lagrt.AppendRepeat(lagrt.AppendRepeat(nil, 1, nN), 0.01, nN*nN)
	thq := &lagrt.Pattern{}
	for i := range int32(nN) {
		thq.Rows = append(thq.Rows, i)
		thq.Cols = append(thq.Cols, i)
	}
	for i := range int32(nN) {
		for j := range int32(nN) {
			r := nN + i*nN + j
			thq.Rows = append(thq.Rows, r, r)
			thq.Cols = append(thq.Cols, i, j)
		}
	}
	lvv := &lagrt.Pattern{}
	for i := range int32(nN) {
		lvv.Rows = append(lvv.Rows, i)
		lvv.Cols = append(lvv.Cols, i)
	}
	in.Patterns = [lagrt.NumQuantities]*lagrt.Pattern{
		// Lqq dense (nil).
		lagrt.QLqv: pat(), lagrt.QLvv: lvv, lagrt.QLthq: thq, lagrt.QLthv: pat(),
		lagrt.QCqq: pat(nN-1, nN-1), lagrt.QCqv: pat(), lagrt.QCvv: pat(),
	}
	return in
}()

// Info implements lagrt.Model.
func (Network) Info() *lagrt.Info { return &networkInfo }

// Eval implements lagrt.Model.
func (Network) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	if len(p.Q) != nN || len(p.V) != nN || len(p.Theta) != nP || len(p.U) < 1 || len(p.Y) < 1 {
		lagrt.BadPoint(&networkInfo, p)
		return
	}
	x, v, th := (*[nN]float64)(p.Q), (*[nN]float64)(p.V), (*[nP]float64)(p.Theta)
	k := (*[nN]float64)(th[:nN])
	lq, lv, lth := (*[nN]float64)(out.Lq), (*[nN]float64)(out.Lv), (*[nP]float64)(out.Lth)
	// z = Wᵀx accumulates column sums while the rows give y = Wx.
	var z [nN]float64
	L := 0.0
	for i := range nN {
		xi := x[i]
		hx := 0.5 * xi
		row := (*[nN]float64)(th[nN+i*nN:])
		lrow := (*[nN]float64)(lth[nN+i*nN:])
		y := 0.0
		for j := range nN {
			wij := row[j]
			y += wij * x[j]
			z[j] += wij * xi
			lrow[j] = hx * x[j]
		}
		xx := xi * xi
		vi := v[i]
		L += 0.5*vi*vi - 0.5*k[i]*xx - 0.25*na*xx*xx + hx*y
		lq[i] = 0.5*y - k[i]*xi - na*xx*xi
		lv[i] = vi
		lth[i] = -0.5 * xx
	}
	for i := range nN {
		lq[i] += 0.5 * z[i]
	}
	u := p.U[0]
	out.L = L + u*x[0]
	lq[0] += u
	e := x[nN-1] - p.Y[0]
	out.C = 0.5 * e * e
	cq := (*[nN]float64)(out.Cq)
	*cq = [nN]float64{}
	cq[nN-1] = e
	clear(out.Cv[:nN])
	clear(out.Cth[:nP])
	if w&^lagrt.Level1 == 0 {
		return
	}
	lqq := (*[nN * nN]float64)(out.Lqq)
	for i := range nN {
		row := (*[nN]float64)(th[nN+i*nN:])
		lqq[i*nN+i] = row[i] - k[i] - 3*na*x[i]*x[i]
		for j := i + 1; j < nN; j++ {
			s := 0.5 * (row[j] + th[nN+j*nN+i])
			lqq[i*nN+j] = s
			lqq[j*nN+i] = s
		}
	}
	lvv := (*[nN]float64)(out.Lvv)
	for i := range lvv {
		lvv[i] = 1
	}
	out.Cqq[0] = 1
	if w&^lagrt.Level2 == 0 {
		return
	}
	*(*[nN]float64)(out.Lvt) = [nN]float64{}
	lthq := (*[nN + 2*nN*nN]float64)(out.Lthq)
	for i := range nN {
		lthq[i] = -x[i]
	}
	for i := range nN {
		hx := 0.5 * x[i]
		r := (*[2 * nN]float64)(lthq[nN+2*nN*i:])
		for j := range nN {
			r[2*j] = 0.5 * x[j]
			r[2*j+1] = hx
		}
	}
}
