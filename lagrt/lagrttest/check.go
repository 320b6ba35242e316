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

// CheckDerivatives compares every derivative quantity m reports at p (all
// of lagrt.Quantities but L and c, at Level3) with central finite
// differences, step FDStep, of the quantity it derives from; matrices are
// read through their patterns, so an entry missing from a pattern fails
// too. An entry passes if |got − want| ≤ tol·(1 + |want|). The returned
// error lists the failures.
func CheckDerivatives(m lagrt.Model, p *lagrt.Point, tol float64) error {
	info := m.Info()
	eval := func(pt *lagrt.Point) *lagrt.Out {
		o := lagrt.NewOut(info)
		m.Eval(lagrt.Level3, pt, o)
		return o
	}
	base := eval(p)
	var bad []string
	// Every derivative quantity is checked against finite differences of
	// its parent (lagrt.Quantities: the same function, one variable
	// fewer) along its last variable, one column at a time: two
	// evaluations give that column for every row.
	for q := range lagrt.NumQuantities {
		d := &lagrt.Quantities[q]
		if d.Order() == 0 {
			continue
		}
		parent := parentOf(q)
		last := d.Wrt[d.Order()-1]
		got := base.Vec(q)
		rows := 1
		if d.Order() == 2 {
			rows = info.Dim(d.Wrt[0])
		}
		if d.IsMatrix() {
			var err error
			if got, err = DenseMatrix(info, q, base); err != nil {
				return err
			}
		}
		cols := info.Dim(last)
		for j := range cols {
			pp, pm := copyPoint(p), copyPoint(p)
			vary(pp, last, j, FDStep)
			vary(pm, last, j, -FDStep)
			fp, fm := values(eval(pp), parent), values(eval(pm), parent)
			for a := range rows {
				// got is row-major rows×cols for matrices; a vector
				// quantity (first derivatives, Lvt) is indexed by j or a.
				var g float64
				switch {
				case d.IsMatrix():
					g = got[a*cols+j]
				case d.Order() == 2: // Lvt: rows are the v index, t is scalar
					g = got[a]
				default:
					g = got[j]
				}
				want := (fp[a] - fm[a]) / (2 * FDStep)
				if math.IsNaN(g) || math.Abs(g-want) > tol*(1+math.Abs(want)) {
					idx := j
					if d.Order() == 2 {
						idx = a*cols + j
					}
					bad = append(bad, fmt.Sprintf("%s[%d] = %.12g, finite differences give %.12g", d.Name, idx, g, want))
				}
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("model %s: %d derivatives disagree with finite differences:\n\t%s", info.Name, len(bad), strings.Join(bad, "\n\t"))
	}
	return nil
}

// parentOf returns the quantity that q is a derivative of: the same
// function with one differentiation fewer.
func parentOf(q lagrt.Quantity) lagrt.Quantity {
	d := &lagrt.Quantities[q]
	want := d.Wrt
	want[d.Order()-1] = lagrt.VarNone
	for p := range lagrt.NumQuantities {
		if e := &lagrt.Quantities[p]; e.Cost == d.Cost && e.Wrt == want {
			return p
		}
	}
	panic("lagrttest: no parent quantity of " + d.Name)
}

// values returns quantity q of o as a vector (L and C as one value).
func values(o *lagrt.Out, q lagrt.Quantity) []float64 {
	if q == lagrt.QL || q == lagrt.QC {
		return []float64{o.Scalar(q)}
	}
	return o.Vec(q)
}

// vary adds step to element j of variable v of p.
func vary(p *lagrt.Point, v lagrt.Var, j int, step float64) {
	switch v {
	case lagrt.VarQ:
		p.Q[j] += step
	case lagrt.VarV:
		p.V[j] += step
	case lagrt.VarTheta:
		p.Theta[j] += step
	case lagrt.VarT:
		p.T += step
	}
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
	for lvl := 1; lvl <= 2; lvl++ {
		w := []lagrt.Want{lagrt.Level1, lagrt.Level2}[lvl-1]
		name := fmt.Sprintf("Level%d", lvl)
		o := lagrt.NewOut(info)
		m.Eval(w, p, o)
		for q := range lagrt.NumQuantities {
			if lagrt.Quantities[q].Level <= lvl {
				same(name, lagrt.Quantities[q].Name, values(o, q), values(full, q))
			}
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
