package lagrttest

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/lagc/lagc/lagrt"
	"gonum.org/v1/gonum/diff/fd"
)

// FDStep is the step of the central differences used by the checks.
const FDStep = 1e-6

func copyPoint(p *lagrt.Point) *lagrt.Point {
	c := *p
	c.Q = append([]float64(nil), p.Q...)
	c.V = append([]float64(nil), p.V...)
	c.Theta = append([]float64(nil), p.Theta...)
	c.U = append([]float64(nil), p.U...)
	c.Y = append([]float64(nil), p.Y...)
	return &c
}

// CheckDerivatives compares every derivative m reports at p (Level3: the
// Lagrangian's first and second derivatives in q, v, θ and the cost's in
// q, v, θ) with central finite differences of the quantity it derives
// from (gonum's fd, step FDStep). An entry passes if
// |got − want| ≤ tol·(1 + |want|). The returned error lists the failures.
func CheckDerivatives(m lagrt.Model, p *lagrt.Point, tol float64) error {
	info := m.Info()
	n := info.N()
	eval := func(pt *lagrt.Point) *lagrt.Out {
		o := lagrt.NewOut(info)
		m.Eval(lagrt.Level3, pt, o)
		return o
	}
	base := eval(p)
	var bad []string
	cmp := func(name string, i int, got, want float64) {
		if math.IsNaN(got) || math.Abs(got-want) > tol*(1+math.Abs(want)) {
			bad = append(bad, fmt.Sprintf("%s[%d] = %.12g, finite differences give %.12g", name, i, got, want))
		}
	}
	// vec selects the varied vector of a point; get reads a quantity.
	type vec func(pt *lagrt.Point) []float64
	qv := func(pt *lagrt.Point) []float64 { return pt.Q }
	vv := func(pt *lagrt.Point) []float64 { return pt.V }
	tv := func(pt *lagrt.Point) []float64 { return pt.Theta }
	deriv := func(get func(*lagrt.Out) float64, which vec, j int) float64 {
		return fd.Derivative(func(x float64) float64 {
			pt := copyPoint(p)
			which(pt)[j] = x
			return get(eval(pt))
		}, which(p)[j], &fd.Settings{Formula: fd.Central, Step: FDStep})
	}
	type first struct {
		name  string
		got   func(*lagrt.Out) []float64
		value func(*lagrt.Out) float64
		by    vec
	}
	for _, c := range []first{
		{"Lq", func(o *lagrt.Out) []float64 { return o.Lq }, func(o *lagrt.Out) float64 { return o.L }, qv},
		{"Lv", func(o *lagrt.Out) []float64 { return o.Lv }, func(o *lagrt.Out) float64 { return o.L }, vv},
		{"Lth", func(o *lagrt.Out) []float64 { return o.Lth }, func(o *lagrt.Out) float64 { return o.L }, tv},
		{"Cq", func(o *lagrt.Out) []float64 { return o.Cq }, func(o *lagrt.Out) float64 { return o.C }, qv},
		{"Cv", func(o *lagrt.Out) []float64 { return o.Cv }, func(o *lagrt.Out) float64 { return o.C }, vv},
		{"Cth", func(o *lagrt.Out) []float64 { return o.Cth }, func(o *lagrt.Out) float64 { return o.C }, tv},
	} {
		for j, g := range c.got(base) {
			cmp(c.name, j, g, deriv(c.value, c.by, j))
		}
	}
	// Matrices: M[a*n+j] = ∂ first[a] / ∂ by[j], read through the
	// model's sparsity pattern, so that an entry missing from the pattern
	// shows up as a 0 where finite differences see a nonzero.
	type second struct {
		q     lagrt.Quantity
		first func(*lagrt.Out) []float64
		by    vec
	}
	for _, c := range []second{
		{lagrt.QLqq, func(o *lagrt.Out) []float64 { return o.Lq }, qv},
		{lagrt.QLqv, func(o *lagrt.Out) []float64 { return o.Lq }, vv},
		{lagrt.QLvv, func(o *lagrt.Out) []float64 { return o.Lv }, vv},
		{lagrt.QLthq, func(o *lagrt.Out) []float64 { return o.Lth }, qv},
		{lagrt.QLthv, func(o *lagrt.Out) []float64 { return o.Lth }, vv},
		{lagrt.QCqq, func(o *lagrt.Out) []float64 { return o.Cq }, qv},
		{lagrt.QCqv, func(o *lagrt.Out) []float64 { return o.Cq }, vv},
		{lagrt.QCvv, func(o *lagrt.Out) []float64 { return o.Cv }, vv},
	} {
		got, err := DenseMatrix(info, c.q, base)
		if err != nil {
			return err
		}
		// One column at a time: two evaluations give ∂first/∂by[j] for
		// every row (central differences with step FDStep).
		rows := info.Dim(lagrt.Quantities[c.q].Wrt[0])
		for j := range n {
			x0 := c.by(p)[j]
			pp, pm := copyPoint(p), copyPoint(p)
			c.by(pp)[j], c.by(pm)[j] = x0+FDStep, x0-FDStep
			fp, fm := c.first(eval(pp)), c.first(eval(pm))
			for a := range rows {
				cmp(c.q.String(), a*n+j, got[a*n+j], (fp[a]-fm[a])/(2*FDStep))
			}
		}
	}
	// Lvt: ∂Lv/∂t.
	for i := range n {
		want := fd.Derivative(func(t float64) float64 {
			pt := copyPoint(p)
			pt.T = t
			return eval(pt).Lv[i]
		}, p.T, &fd.Settings{Formula: fd.Central, Step: FDStep})
		cmp("Lvt", i, base.Lvt[i], want)
	}
	if len(bad) > 0 {
		return fmt.Errorf("model %s: %d derivatives disagree with finite differences:\n\t%s", info.Name, len(bad), strings.Join(bad, "\n\t"))
	}
	return nil
}

// DenseMatrix returns the matrix quantity q of o as a dense row-major
// matrix, after checking that its pattern lies within the matrix.
func DenseMatrix(info *lagrt.Info, q lagrt.Quantity, o *lagrt.Out) ([]float64, error) {
	d := &lagrt.Quantities[q]
	rows, cols := info.Dim(d.Wrt[0]), info.Dim(d.Wrt[1])
	p := info.Pattern(q)
	vals := o.Vec(q)
	if len(vals) != p.Len() || len(p.Cols) != p.Len() {
		return nil, fmt.Errorf("model %s: %s has %d values for a pattern of %d rows and %d columns", info.Name, d.Name, len(vals), p.Len(), len(p.Cols))
	}
	for k := range p.Rows {
		if r, c := p.Rows[k], p.Cols[k]; r < 0 || int(r) >= rows || c < 0 || int(c) >= cols {
			return nil, fmt.Errorf("model %s: %s pattern entry %d at (%d, %d) is outside the %d×%d matrix", info.Name, d.Name, k, r, c, rows, cols)
		}
	}
	m := make([]float64, rows*cols)
	p.Dense(m, cols, vals, 1)
	return m, nil
}

// Stationarity measures, independently of the solver, how stationary sol
// is for the nudged discrete action S_d + β C_d of pr (β = sol.Beta): it
// differentiates L_d(q_{k−1}, q_k) + L_d(q_k, q_{k+1}) by central finite
// differences in each unknown q_k, using only the model's L and c values.
// It returns the largest |∂S/∂q_k| relative to the largest momentum scale
// max(|p_k|, h|∂L/∂q|) and the largest relative difference between
// sol.P[k] and ∂L_d(q_{k−1}, q_k)/∂q_k.
func Stationarity(pr *lagrt.Problem, sol *lagrt.Solution) (resid, pErr float64) {
	info := pr.Model.Info()
	n, N, h := info.N(), pr.N, pr.T/float64(pr.N)
	theta := pr.Theta
	if theta == nil {
		theta = info.Defaults
	}
	u := make([]float64, len(info.Inputs))
	y := make([]float64, len(info.Targets))
	o := lagrt.NewOut(info)
	sig := func(s *lagrt.Signal, k int, dst []float64) {
		switch {
		case s.Func != nil:
			s.Func((float64(k)+0.5)*h, dst)
		case s.Samples != nil:
			for i := range dst {
				dst[i] = (s.Samples[k][i] + s.Samples[k+1][i]) / 2
			}
		default:
			clear(dst)
		}
	}
	// ld is the nudged discrete Lagrangian of step k.
	ld := func(k int, qa, qb []float64) float64 {
		qbar := make([]float64, n)
		v := make([]float64, n)
		for i := range n {
			qbar[i] = (qa[i] + qb[i]) / 2
			v[i] = (qb[i] - qa[i]) / h
		}
		sig(&pr.Input, k, u)
		sig(&pr.Target, k, y)
		pt := &lagrt.Point{T: (float64(k) + 0.5) * h, Q: qbar, V: v, Theta: theta, U: u, Y: y}
		pr.Model.Eval(lagrt.WantL|lagrt.WantC, pt, o)
		return h * (o.L + sol.Beta*o.C)
	}
	row := func(k int) []float64 { return append([]float64(nil), sol.Q[(k+N)%N]...) }
	if pr.BC == lagrt.Fixed {
		row = func(k int) []float64 { return append([]float64(nil), sol.Q[k]...) }
	}
	first, last := 1, N-1
	if pr.BC == lagrt.Periodic {
		first, last = 0, N-1
	}
	scale := 0.0
	for k := range sol.P {
		for _, x := range sol.P[k] {
			scale = max(scale, math.Abs(x))
		}
	}
	grads := make([][]float64, N+1)
	for k := first; k <= last; k++ {
		grads[k] = make([]float64, n)
		for i := range n {
			g := fd.Derivative(func(x float64) float64 {
				qk := row(k)
				qk[i] = x
				return ld((k-1+N)%N, row(k-1), qk) + ld(k, qk, row(k+1))
			}, sol.Q[k][i], &fd.Settings{Formula: fd.Central, Step: FDStep})
			grads[k][i] = g
			// p_k = ∂L_d(q_{k−1}, q_k)/∂q_k.
			pk := fd.Derivative(func(x float64) float64 {
				qk := row(k)
				qk[i] = x
				return ld((k-1+N)%N, row(k-1), qk)
			}, sol.Q[k][i], &fd.Settings{Formula: fd.Central, Step: FDStep})
			pErr = max(pErr, math.Abs(pk-sol.P[k][i])/max(scale, 1e-300))
		}
	}
	for k := first; k <= last; k++ {
		for _, g := range grads[k] {
			resid = max(resid, math.Abs(g)/max(scale, 1e-300))
		}
	}
	return resid, pErr
}

// RelErr returns max_i |a_i − b_i| / max(max_i |b_i|, tiny): the error of a
// relative to the size of the reference b.
func RelErr(a, b []float64) float64 {
	d, s := 0.0, 0.0
	for i := range b {
		d = max(d, math.Abs(a[i]-b[i]))
		s = max(s, math.Abs(b[i]))
	}
	if s == 0 {
		return d
	}
	return d / s
}

// CheckProblem runs the runtime's standard checks on any problem whose
// model declares a cost, and returns all failures joined (nil if it
// passes):
//   - the free solution is stationary (finite differences of the discrete
//     action relative to the momentum scale below 1e-6) and its momenta
//     match ∂L_d/∂q_k;
//   - the centered EP gradient agrees with the adjoint one to epTol
//     (relative, RelErr), and takes at most 3 iterations per nudged solve;
//   - the adjoint gradient agrees with finite differences over whole solves
//     to fdTol.
func CheckProblem(pr *lagrt.Problem, opt *lagrt.Options, epTol, fdTol float64) error {
	var errs []error
	sol, err := lagrt.Solve(pr, opt)
	if err != nil {
		return err
	}
	if r, p := Stationarity(pr, sol); r > 1e-6 || p > 1e-6 {
		errs = append(errs, fmt.Errorf("free solution: relative stationarity residual %.3g, momentum error %.3g (want ≤ 1e-6)", r, p))
	}
	grads := map[lagrt.Method]*lagrt.Gradient{}
	for _, m := range []lagrt.Method{lagrt.EPCentered, lagrt.Adjoint, lagrt.FiniteDiff} {
		g, err := lagrt.ComputeGradient(pr, m, opt)
		if err != nil {
			return errors.Join(append(errs, fmt.Errorf("%v gradient: %w", m, err))...)
		}
		grads[m] = g
	}
	ep, adj, fdg := grads[lagrt.EPCentered], grads[lagrt.Adjoint], grads[lagrt.FiniteDiff]
	if e := RelErr(ep.Grad, adj.Grad); !(e <= epTol) {
		errs = append(errs, fmt.Errorf("centered EP %v vs adjoint %v: relative error %.3g > %g", ep.Grad, adj.Grad, e, epTol))
	}
	if it := ep.Iterations - ep.Free.Iterations; it > 6 || it < 2 {
		errs = append(errs, fmt.Errorf("centered EP: the two nudged solves took %d iterations, want 1 to 3 each", it))
	}
	if e := RelErr(fdg.Grad, adj.Grad); !(e <= fdTol) {
		errs = append(errs, fmt.Errorf("finite differences %v vs adjoint %v: relative error %.3g > %g", fdg.Grad, adj.Grad, e, fdTol))
	}
	return errors.Join(errs...)
}

// RandomPoint returns a point for m with coordinates drawn from [0.5, 2.5]
// (away from 0, so radial coordinates stay in their domain), velocities,
// inputs and targets from [-1, 1], time from [0, 2], and parameters within
// 20% of the model's defaults (defaults of 0 become values in [-0.1, 0.1]).
// The caller provides the random source.
func RandomPoint(info *lagrt.Info, rng *rand.Rand) *lagrt.Point {
	u := func(n int, off float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = off + 2*rng.Float64() - 1
		}
		return s
	}
	p := &lagrt.Point{
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

// CheckLevels checks that requests at lagrt.Level1 and Level2 give
// exactly the values Level3 gives for the quantities they include, so a
// model's evaluation levels agree with each other.
func CheckLevels(m lagrt.Model, p *lagrt.Point) error {
	info := m.Info()
	full := lagrt.NewOut(info)
	m.Eval(lagrt.Level3, p, full)
	var bad []string
	same := func(lvl, name string, got, want []float64) {
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				bad = append(bad, fmt.Sprintf("%s: %s[%d] = %.17g, Level3 gives %.17g", lvl, name, i, got[i], want[i]))
			}
		}
	}
	for _, lvl := range []struct {
		name string
		w    lagrt.Want
	}{{"Level1", lagrt.Level1}, {"Level2", lagrt.Level2}} {
		o := lagrt.NewOut(info)
		m.Eval(lvl.w, p, o)
		same(lvl.name, "L", []float64{o.L, o.C}, []float64{full.L, full.C})
		same(lvl.name, "Lq", o.Lq, full.Lq)
		same(lvl.name, "Lv", o.Lv, full.Lv)
		same(lvl.name, "Lth", o.Lth, full.Lth)
		same(lvl.name, "Cq", o.Cq, full.Cq)
		same(lvl.name, "Cv", o.Cv, full.Cv)
		same(lvl.name, "Cth", o.Cth, full.Cth)
		if lvl.w == lagrt.Level2 {
			same(lvl.name, "Lqq", o.Lqq, full.Lqq)
			same(lvl.name, "Lqv", o.Lqv, full.Lqv)
			same(lvl.name, "Lvv", o.Lvv, full.Lvv)
			same(lvl.name, "Cqq", o.Cqq, full.Cqq)
			same(lvl.name, "Cqv", o.Cqv, full.Cqv)
			same(lvl.name, "Cvv", o.Cvv, full.Cvv)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("model %s: evaluation levels disagree:\n\t%s", info.Name, strings.Join(bad, "\n\t"))
	}
	return nil
}

// Compare evaluates a and b (two implementations of one system, whose
// patterns may differ) at p at lagrt.Level3 and reports the first quantity
// that differs by more than tol relative, matrices compared densely.
func Compare(a, b lagrt.Model, p *lagrt.Point, tol float64) error {
	oa, ob := lagrt.NewOut(a.Info()), lagrt.NewOut(b.Info())
	a.Eval(lagrt.Level3, p, oa)
	b.Eval(lagrt.Level3, p, ob)
	for q := range lagrt.NumQuantities {
		d := &lagrt.Quantities[q]
		var va, vb []float64
		switch {
		case q == lagrt.QL || q == lagrt.QC:
			va, vb = []float64{oa.Scalar(q)}, []float64{ob.Scalar(q)}
		case d.IsMatrix():
			var err error
			if va, err = DenseMatrix(a.Info(), q, oa); err != nil {
				return err
			}
			if vb, err = DenseMatrix(b.Info(), q, ob); err != nil {
				return err
			}
		default:
			va, vb = oa.Vec(q), ob.Vec(q)
		}
		if len(va) != len(vb) {
			return fmt.Errorf("%s: %d values against %d", d.Name, len(va), len(vb))
		}
		for i := range va {
			if math.Abs(va[i]-vb[i]) > tol*(1+math.Abs(va[i])+math.Abs(vb[i])) {
				return fmt.Errorf("%s[%d]: %.17g against %.17g", d.Name, i, va[i], vb[i])
			}
		}
	}
	return nil
}
