// Package modeltest checks any runtime.Model against independent oracles:
// every derivative it reports against central finite differences of the
// quantities it is the derivative of.
package modeltest

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lagc/lagc/runtime"
	"gonum.org/v1/gonum/diff/fd"
)

// RandomPoint returns a point with coordinates, velocities, inputs and
// targets drawn uniformly from [-1, 1] (plus 1.5 for coordinates, so that
// radial coordinates stay away from 0), time from [0, 2], and parameters
// perturbed by up to 20% around the model's defaults.
func RandomPoint(info *runtime.Info, rng *rand.Rand) *runtime.Point {
	u := func(n int, off float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = off + 2*rng.Float64() - 1
		}
		return s
	}
	p := &runtime.Point{
		T: 2 * rng.Float64(),
		Q: u(info.N(), 1.5), V: u(info.N(), 0),
		U: u(len(info.Inputs), 0), Y: u(len(info.Targets), 0),
	}
	p.Theta = make([]float64, info.P())
	for i, d := range info.Defaults {
		p.Theta[i] = d * (1 + 0.4*(rng.Float64()-0.5))
		if d == 0 {
			p.Theta[i] = 0.2 * (rng.Float64() - 0.5)
		}
	}
	return p
}

// Mismatch describes one derivative that disagrees with finite differences.
type Mismatch struct {
	Quantity string
	Index    int
	Got      float64
	Want     float64
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s[%d] = %.12g, finite differences give %.12g", m.Quantity, m.Index, m.Got, m.Want)
}

// CheckDerivatives compares every derivative the model reports at p with
// central finite differences (gonum's fd, step 1e-6) of the quantity it
// derives from. A value passes if |got-want| <= tol*(1+|want|).
func CheckDerivatives(m runtime.Model, p *runtime.Point, tol float64) []Mismatch {
	info := m.Info()
	n, np := info.N(), info.P()
	eval := func(pt *runtime.Point) *runtime.Out {
		o := runtime.NewOut(info)
		m.Eval(runtime.Level3, pt, o)
		return o
	}
	base := eval(p)
	var bad []Mismatch
	check := func(name string, got []float64, want []float64) {
		for i := range got {
			if d := math.Abs(got[i] - want[i]); !(d <= tol*(1+math.Abs(want[i]))) {
				bad = append(bad, Mismatch{name, i, got[i], want[i]})
			}
		}
	}
	// vary returns a copy of p with one of its vectors replaced by x.
	type which int
	const (
		wq which = iota
		wv
		wth
		wt
	)
	at := func(w which, x []float64) *runtime.Point {
		c := *p
		switch w {
		case wq:
			c.Q = x
		case wv:
			c.V = x
		case wth:
			c.Theta = x
		case wt:
			c.T = x[0]
		}
		return &c
	}
	vec := func(w which) []float64 {
		switch w {
		case wq:
			return append([]float64(nil), p.Q...)
		case wv:
			return append([]float64(nil), p.V...)
		case wth:
			return append([]float64(nil), p.Theta...)
		}
		return []float64{p.T}
	}
	settings := &fd.Settings{Formula: fd.Central, Step: 1e-6}
	// grad differentiates the scalar pick(out) with respect to w.
	grad := func(w which, pick func(o *runtime.Out) float64) []float64 {
		x := vec(w)
		if len(x) == 0 {
			return nil
		}
		return fd.Gradient(nil, func(x []float64) float64 { return pick(eval(at(w, x))) }, x, settings)
	}
	scalarL := func(o *runtime.Out) float64 { return o.L }
	scalarC := func(o *runtime.Out) float64 { return o.C }
	check("Lq", base.Lq, grad(wq, scalarL))
	check("Lv", base.Lv, grad(wv, scalarL))
	check("Lth", base.Lth, grad(wth, scalarL))
	check("Cq", base.Cq, grad(wq, scalarC))
	check("Cv", base.Cv, grad(wv, scalarC))
	check("Cth", base.Cth, grad(wth, scalarC))
	// Second derivatives: differentiate the first-derivative rows.
	jac := func(dst []float64, w which, rows int, pick func(o *runtime.Out, i int) float64, cols int) {
		for i := 0; i < rows; i++ {
			g := grad(w, func(o *runtime.Out) float64 { return pick(o, i) })
			copy(dst[i*cols:(i+1)*cols], g)
		}
	}
	mk := func(k int) []float64 { return make([]float64, k) }
	lq := func(o *runtime.Out, i int) float64 { return o.Lq[i] }
	lv := func(o *runtime.Out, i int) float64 { return o.Lv[i] }
	cq := func(o *runtime.Out, i int) float64 { return o.Cq[i] }
	cv := func(o *runtime.Out, i int) float64 { return o.Cv[i] }
	lth := func(o *runtime.Out, i int) float64 { return o.Lth[i] }
	if n > 0 {
		w := mk(n * n)
		jac(w, wq, n, lq, n)
		check("Lqq", base.Lqq, w)
		w = mk(n * n)
		jac(w, wv, n, lq, n)
		check("Lqv", base.Lqv, w)
		w = mk(n * n)
		jac(w, wv, n, lv, n)
		check("Lvv", base.Lvv, w)
		w = mk(n)
		jac(w, wt, n, lv, 1)
		check("Lvt", base.Lvt, w)
		w = mk(n * n)
		jac(w, wq, n, cq, n)
		check("Cqq", base.Cqq, w)
		w = mk(n * n)
		jac(w, wv, n, cq, n)
		check("Cqv", base.Cqv, w)
		w = mk(n * n)
		jac(w, wv, n, cv, n)
		check("Cvv", base.Cvv, w)
		if np > 0 {
			w = mk(np * n)
			jac(w, wq, np, lth, n)
			check("Lthq", base.Lthq, w)
			w = mk(np * n)
			jac(w, wv, np, lth, n)
			check("Lthv", base.Lthv, w)
		}
	}
	// Lower levels must agree with Level3 exactly where they overlap.
	for _, lvl := range []runtime.Want{runtime.Level1, runtime.Level2} {
		o := runtime.NewOut(info)
		m.Eval(lvl, p, o)
		if o.L != base.L || o.C != base.C {
			bad = append(bad, Mismatch{fmt.Sprintf("L/C at level %b", lvl), 0, o.L, base.L})
		}
		check(fmt.Sprintf("Lq at level %b", lvl), o.Lq, base.Lq)
		check(fmt.Sprintf("Lth at level %b", lvl), o.Lth, base.Lth)
	}
	return bad
}
