package lagrt

import (
	"fmt"
	"math"
)

// ErrorEstimate is an a-posteriori estimate of the discretisation error of
// a free solution: how far its trajectory and cost are from those of the
// continuous problem. See "Discretisation error" in the package
// documentation.
type ErrorEstimate struct {
	// Max estimates max_k ‖q_k − q(t_k)‖∞, the largest deviation of the
	// discrete trajectory from the continuous one at the grid times, in
	// the units of the coordinates.
	Max float64
	// Rel is Max relative to the trajectory's scale, the largest
	// excursion max_k q_{k,i} − min_k q_{k,i} of a coordinate (‖q‖∞ for a
	// constant trajectory; 1 if that is 0 too).
	Rel float64
	// Cost estimates |C_d − C|, the error of the discrete cost.
	Cost float64
	// CoarseN is the number of steps of the comparison grid, 0 when no
	// estimate was made (Options.NoErrorEstimate, nudged solves, N < 8).
	CoarseN int
	// OmegaH is the largest ω·h over the steps, with ω² the spectral
	// radius of (∂²L/∂v²)⁻¹∂²L/∂q² at the step's midpoint: the local
	// frequency (or growth rate) of small motions. Above 1 the step does
	// not resolve the local time scale, whether or not the solution
	// excites it (two bodies passing close to each other between grid
	// nodes, a stiff spring), and the solution carries a warning.
	OmegaH float64
	// OmegaHStep is the step k (t_k to t_{k+1}) where OmegaH is reached.
	OmegaHStep int
	// Iterations counts the Newton iterations of the comparison solve;
	// they are not included in Solution.Iterations.
	Iterations int
	// Err is the error of the comparison solve if it failed (Max, Rel
	// and Cost are then 0, and Solution.Warnings says so).
	Err error
}

// Estimated returns whether an estimate was attempted.
func (e *ErrorEstimate) Estimated() bool { return e.CoarseN > 0 }

// Thresholds of the discretisation error estimate.
const (
	// ErrorWarnRel is the relative error estimate (ErrorEstimate.Rel)
	// above which a solution carries a warning.
	ErrorWarnRel = 1e-2
	// errMinN is the smallest N with an error estimate.
	errMinN = 8
)

// estimator is the workspace of the error estimate: a Solver for the
// comparison grid and the comparison problem.
type estimator struct {
	cs    Solver
	pr    Problem
	guess [][]float64
	in    [][]float64
	tg    [][]float64
	row   []float64
}

// estimateError estimates the discretisation error of the free solution
// in s.q by Richardson comparison with the solution on a grid of M = N/2
// steps, warm-started from the fine solution at the coarse grid times, and
// records it, with a warning when large, in dst. It leaves s unchanged.
func (s *Solver) estimateError(dst *Solution) {
	dst.ErrorEstimate = ErrorEstimate{}
	if s.set.noErrEst || s.N < errMinN {
		return
	}
	if s.est == nil {
		s.est = new(estimator)
	}
	e := s.est
	n, N := s.n, s.N
	M := N / 2
	e.guess = e.resample(e.guess, s.q, n, M, s)
	e.pr = *s.pr
	e.pr.N = M
	e.pr.Guess = e.guess
	if sm := s.pr.Input.Samples; sm != nil {
		e.in = e.resampleRows(e.in, sm, M, s)
		e.pr.Input.Samples = e.in
	}
	if sm := s.pr.Target.Samples; sm != nil {
		e.tg = e.resampleRows(e.tg, sm, M, s)
		e.pr.Target.Samples = e.tg
	}
	est := &dst.ErrorEstimate
	est.CoarseN = M
	est.OmegaH, est.OmegaHStep = s.omegaH()
	if est.OmegaH > 1 {
		dst.Warnings = append(dst.Warnings, fmt.Sprintf("under-resolved time scale: at step %d (t = %.4g) the local "+
			"frequency ω of small motions, from ∂²L/∂q² and ∂²L/∂v², gives ωh = %.3g > 1 (h = %.3g): the midpoint "+
			"scheme does not resolve it (for example two bodies passing close between grid nodes, or a stiff spring); "+
			"use more steps", est.OmegaHStep, (float64(est.OmegaHStep)+0.5)*s.h, est.OmegaH, s.h))
	}
	d, dc, err := e.coarseStep(s.set)
	est.Iterations = 1
	if err != nil {
		est.Err = err
		dst.Warnings = append(dst.Warnings, fmt.Sprintf("the discretisation error could not be estimated: the same problem "+
			"on %d steps, started from this solution, failed (%s); the solution may be under-resolved (more steps), or T near "+
			"a conjugate point or a resonance of the continuous problem", M, trimPrefix(err.Error())))
		return
	}
	// q^h − q^H ≈ e_h − (H/h)² e_h with H/h = N/M.
	r := float64(N) / float64(M)
	f := 1 / (r*r - 1)
	scale := s.trajScale(s.q)
	if scale == 0 {
		scale = 1
	}
	est.Max = f * d
	est.Rel = est.Max / scale
	est.Cost = f * dc
	if est.Rel > ErrorWarnRel {
		dst.Warnings = append(dst.Warnings, fmt.Sprintf("large discretisation error: the trajectory differs from the "+
			"same problem's on %d steps by %.3g, which estimates its error as %.3g (%.3g of its excursion %.3g); use more "+
			"steps, and if the estimate does not fall as 1/N², T may be near a conjugate point or a resonance of the "+
			"continuous problem", M, d, est.Max, est.Rel, scale))
	}
}

// omegaH returns the largest ω·h over the steps of the free solution in
// s.q and its step, with ω² the spectral radius of M⁻¹K, M = ∂²L/∂v² and
// K = ∂²L/∂q² at the step (by power iteration, at most 30 steps to 1e-3,
// started from the previous step's vector). Steps with a singular M are
// skipped.
func (s *Solver) omegaH() (float64, int) {
	n, N, h, nn := s.n, s.N, s.h, s.n*s.n
	if n > maxDenseDiag {
		return 0, 0 // too costly per step; the Richardson comparison remains
	}
	e := s.est
	e.row = grow(e.row, 2*nn+3*n)
	a, lu := e.row[:nn], e.row[nn:2*nn]
	x, y, piv := e.row[2*nn:2*nn+n], e.row[2*nn+n:2*nn+2*n], e.row[2*nn+2*n:2*nn+3*n]
	best, at := 0.0, 0
	pt := &s.pt
	pt.Q, pt.V, pt.Theta = s.qbar, s.vv, s.theta
	for k := range N {
		qa, qb := s.q[k*n:k*n+n], s.q[(k+1)*n:(k+1)*n+n]
		for i := range n {
			s.qbar[i] = (qa[i] + qb[i]) / 2
			s.vv[i] = (qb[i] - qa[i]) / h
		}
		pt.T = (float64(k) + 0.5) * h
		pt.U = s.umid[k*s.nu : (k+1)*s.nu]
		pt.Y = s.ymid[k*s.ny : (k+1)*s.ny]
		s.model.Eval(WantLqq|WantLvv, pt, s.out)
		rho := 0.0
		clear(a)
		clear(lu)
		s.pat[QLqq].Dense(a, n, s.out.Lqq, 1)
		s.pat[QLvv].Dense(lu, n, s.out.Lvv, 1)
		if n == 1 {
			if m := lu[0]; m != 0 {
				rho = math.Abs(a[0] / m)
			}
			if w := math.Sqrt(rho) * h; w > best {
				best, at = w, k
			}
			continue
		}
		if !luFactor(lu, piv, n) {
			continue
		}
		if k == 0 || !(normInf(x) > 0) {
			for i := range x {
				x[i] = 1 + 0.37*float64(i%5) - 0.21*float64(i%3)
			}
		} // else start from the last step's vector: neighbouring steps are alike
		for it := 0; it < 30; it++ {
			// y = M⁻¹ K x, normalised.
			for i := range n {
				acc := 0.0
				for j := range n {
					acc += a[i*n+j] * x[j]
				}
				y[i] = acc
			}
			luSolve(lu, piv, y, n)
			nrm := normInf(y)
			if !(nrm > 0) || math.IsInf(nrm, 0) {
				break
			}
			prev := rho
			rho = nrm / normInf(x)
			for i := range x {
				x[i] = y[i] / nrm
			}
			if it >= 2 && math.Abs(rho-prev) <= 1e-3*rho {
				break
			}
		}
		if w := math.Sqrt(rho) * h; w > best {
			best, at = w, k
		}
	}
	return best, at
}

// luFactor factors the n×n matrix a in place with partial pivoting (row
// permutation in piv) and reports false if it is singular.
func luFactor(a, piv []float64, n int) bool {
	scale := normInf(a)
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r*n+c]) > math.Abs(a[p*n+c]) {
				p = r
			}
		}
		piv[c] = float64(p)
		if !(math.Abs(a[p*n+c]) > kineticRCond*scale) {
			return false
		}
		if p != c {
			for j := range n {
				a[c*n+j], a[p*n+j] = a[p*n+j], a[c*n+j]
			}
		}
		for r := c + 1; r < n; r++ {
			f := a[r*n+c] / a[c*n+c]
			a[r*n+c] = f
			for j := c + 1; j < n; j++ {
				a[r*n+j] -= f * a[c*n+j]
			}
		}
	}
	return true
}

// luSolve solves a x = b in place in b with a factored by luFactor.
func luSolve(a, piv, b []float64, n int) {
	for c := range n {
		if p := int(piv[c]); p != c {
			b[c], b[p] = b[p], b[c]
		}
		for r := c + 1; r < n; r++ {
			b[r] -= a[r*n+c] * b[c]
		}
	}
	for c := n - 1; c >= 0; c-- {
		for j := c + 1; j < n; j++ {
			b[c] -= a[c*n+j] * b[j]
		}
		b[c] /= a[c*n+c]
	}
}

// coarseStep solves e.pr, the problem on the coarse grid, by one Newton
// step from its guess (the fine solution at the coarse times) and returns
// the step's size ‖q^H − q^h‖∞ and the change of the cost it implies,
// |∇C_d·δ|, to first order. The coarse solution differs from the guess by
// the discretisation error, O(H²), so that one step gets it to O(H⁴).
func (e *estimator) coarseStep(set settings) (float64, float64, error) {
	cs := &e.cs
	opt := Options{MinRCond: set.minRCond}
	if err := cs.setup(&e.pr, &opt); err != nil {
		return 0, 0, err
	}
	cs.guess()
	if !cs.sweep(cs.q, 0, Level2) {
		return 0, 0, cs.nanErr(cs.q, 0, 0)
	}
	if err := cs.factor(0, false); err != nil {
		return 0, 0, err
	}
	cs.gather(cs.r, nil, 0)
	cs.solveLin(cs.rhs)
	n := cs.n
	d, dc := 0.0, 0.0
	for pos, g := range cs.pos2grid {
		for i := range n {
			x := cs.rhs[pos*n+i]
			d = max(d, math.Abs(x))
			dc += cs.gC[g*n+i] * x
		}
	}
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return 0, 0, fmt.Errorf("%w: the comparison step is NaN or Inf", ErrNaN)
	}
	return d, math.Abs(dc), nil
}

func trimPrefix(m string) string {
	if len(m) > 7 && m[:7] == "lagrt: " {
		return m[7:]
	}
	return m
}

// resample returns the grid vector q (N+1 rows of n, flat) at the M+1
// times j·T/M as rows of dst (reused when its shape fits): the rows
// themselves where the grids meet (all of them for even N), cubic
// Lagrange interpolation in between.
func (e *estimator) resample(dst [][]float64, q []float64, n, M int, s *Solver) [][]float64 {
	dst = shapeRows(dst, M+1, n)
	for j := range dst {
		e.interp(dst[j], func(k int) []float64 { return q[k*n : k*n+n] }, j, M, s)
	}
	return dst
}

// resampleRows is resample for a signal given as N+1 sample rows.
func (e *estimator) resampleRows(dst, rows [][]float64, M int, s *Solver) [][]float64 {
	w := len(rows[0])
	dst = shapeRows(dst, M+1, w)
	for j := range dst {
		e.interp(dst[j], func(k int) []float64 { return rows[k] }, j, M, s)
	}
	return dst
}

// interp writes into dst the fine-grid rows row(0..N) at time j·T/M.
func (e *estimator) interp(dst []float64, row func(k int) []float64, j, M int, s *Solver) {
	N := s.N
	num := j * N
	i0, rem := num/M, num%M
	if rem == 0 {
		copy(dst, row(i0))
		return
	}
	x := float64(rem) / float64(M) // position in [i0, i0+1)
	lo := i0 - 1
	if s.bc == Fixed {
		lo = max(0, min(lo, N-3))
	}
	x += float64(i0 - lo) // position relative to lo, stencil lo..lo+3
	clear(dst)
	for a := range 4 {
		w := 1.0
		for b := range 4 {
			if b != a {
				w *= (x - float64(b)) / float64(a-b)
			}
		}
		k := lo + a
		if s.bc == Periodic {
			k = ((k % N) + N) % N
		}
		for i, v := range row(k) {
			dst[i] += w * v
		}
	}
}

// shapeRows returns dst with rows × w storage, reused when it fits.
func shapeRows(dst [][]float64, rows, w int) [][]float64 {
	if len(dst) == rows && rows > 0 && len(dst[0]) == w && cap(dst[0]) == w {
		return dst
	}
	flat := make([]float64, rows*w)
	dst = make([][]float64, rows)
	for k := range dst {
		dst[k] = flat[k*w : (k+1)*w : (k+1)*w]
	}
	return dst
}
