package lagrt

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// Initial-value problems: see "Initial-value problems" and "Gradients of
// initial-value problems: adjoint and Hamiltonian echo" in the package
// documentation (doc.go) for the scheme and the derivation.

// ErrNotReversible: the echo was asked of a model without time-reversal
// symmetry. It wraps ErrProblem.
var ErrNotReversible = fmt.Errorf("%w: no time-reversal symmetry", ErrProblem)

// IVPReport is what Solve reports for initial-value problems beyond the
// trajectory.
type IVPReport struct {
	// P0 is the initial momentum used: Problem.P0, or ∂L/∂v(q_0, V0, 0).
	P0 []float64
	// Energy holds E = v·∂L/∂v − L at the midpoints (q̄_k, v_k, t_{k+½})
	// of the N steps.
	Energy []float64
	// Autonomous reports that L showed no dependence on time (explicit
	// or through the inputs) at the points sampled along the run, so
	// that E is conserved by the continuous flow.
	Autonomous bool
	// EnergyDrift is max_k |E_k − E_0|: for autonomous models an O(h²)
	// oscillation that does not grow with the horizon.
	EnergyDrift float64
	// MaxStepIterations is the largest number of Newton corrections of
	// one step.
	MaxStepIterations int
}

// StepError reports the step of an initial-value run at which Newton's
// method failed. It wraps ErrNoConvergence, ErrSingular or ErrNaN.
type StepError struct {
	Err        error   // the sentinel
	Step, N    int     // the step that failed (0-based) of N
	T          float64 // the time at the start of the step
	Echo       bool    // the failure was in an echo run (nudged by Beta)
	Beta       float64 // nudging strength of the run
	Iterations int     // Newton corrections taken in the step
	Correction float64 // last Newton correction ‖δq‖∞
	Residual   float64 // last residual ‖p_k + D1 L_d‖∞ / h
	msg        string
}

func (e *StepError) Error() string { return e.msg }

// Unwrap returns the sentinel.
func (e *StepError) Unwrap() error { return e.Err }

// ivpWork is the workspace of initial-value runs, kept by a Solver.
type ivpWork struct {
	pr    *Problem
	model Model
	info  *Info
	set   settings

	n, nn, N, np, nu, ny int
	h                    float64
	theta                []float64
	umid, ymid           []float64 // N rows at the midpoints
	u0, y0               []float64 // at t = 0

	out      *Out
	outInfo  *Info
	pat      [NumQuantities]*Pattern
	pt       Point
	qbar, vv []float64

	a, b, vm, jac, jac2, d11, d22, d11n, jacn []float64 // n×n dense
	ipiv                                      []int
	work                                      []float64
	iwork                                     []int
	f, dq                                     []float64

	x, xn, xp, pi, p0, vg []float64 // run state
	lthv0                 []float64 // P×n: ∂²L/∂θ∂v at (q_0, V0, 0)

	// Stored trajectory of the last run that stored one.
	q, p   []float64 // (N+1)·n
	energy []float64 // N

	// Accumulated along the last run.
	act, cost      float64
	dS, dC         []float64
	iters, maxIt   int
	maxCorr, maxF  float64
	minRC          float64
	samp           [4]int       // steps sampled for the symmetry tests
	sq, sv         [4][]float64 // their midpoints and velocities (forward run)
	mu0, mu1, mu2  []float64
	r, c1, c2, c1n []float64
	keep           []float64
	allIters       int       // Newton corrections since setup
	qN, pN, vN     []float64 // end state of the forward run
	endP, endM     []float64 // ends of the echoes
	dSf, dSp, dCp  []float64
}

func (s *Solver) ivpw() *ivpWork {
	if s.ivp == nil {
		s.ivp = new(ivpWork)
	}
	return s.ivp
}

// setup validates pr and sizes the workspace.
func (w *ivpWork) setup(pr *Problem, opt *Options) error {
	theta, err := pr.check(true)
	if err != nil {
		return err
	}
	w.pr, w.model, w.info, w.set = pr, pr.Model, pr.Model.Info(), opt.settings()
	w.n, w.N, w.np = w.info.N(), pr.N, w.info.P()
	w.nn = w.n * w.n
	w.nu, w.ny = len(w.info.Inputs), len(w.info.Targets)
	w.h = pr.T / float64(pr.N)
	n, N := w.n, w.N
	w.theta = grow(w.theta, w.np)
	copy(w.theta, theta)
	w.umid, w.ymid = grow(w.umid, N*w.nu), grow(w.ymid, N*w.ny)
	w.u0, w.y0 = grow(w.u0, w.nu), grow(w.y0, w.ny)
	for _, sg := range []struct {
		s    *Signal
		mid  []float64
		at0  []float64
		wd   int
		name string
	}{{&pr.Input, w.umid, w.u0, w.nu, "input"}, {&pr.Target, w.ymid, w.y0, w.ny, "target"}} {
		switch {
		case sg.s.Func != nil:
			for k := range N {
				sg.s.Func((float64(k)+0.5)*w.h, sg.mid[k*sg.wd:(k+1)*sg.wd])
			}
			sg.s.Func(0, sg.at0)
		case sg.s.Samples != nil:
			for k := range N {
				a, b := sg.s.Samples[k], sg.s.Samples[k+1]
				for i := range sg.wd {
					sg.mid[k*sg.wd+i] = (a[i] + b[i]) / 2
				}
			}
			copy(sg.at0, sg.s.Samples[0])
		default:
			clear(sg.mid)
			clear(sg.at0)
		}
		if !finite(sg.mid) || !finite(sg.at0) {
			return fmt.Errorf("%w: %s signal is NaN or Inf at t = 0 or a midpoint", ErrNaN, sg.name)
		}
	}
	if w.out == nil || w.outInfo != w.info || len(w.out.Lq) != n || len(w.out.Lth) != w.np {
		w.out = NewOut(w.info)
		w.outInfo = w.info
		for q := range NumQuantities {
			if Quantities[q].IsMatrix() {
				w.pat[q] = w.info.Pattern(q)
			}
		}
	}
	for _, b := range []*[]float64{&w.a, &w.b, &w.vm, &w.jac, &w.jac2, &w.d11, &w.d22, &w.d11n, &w.jacn} {
		*b = grow(*b, w.nn)
	}
	w.ipiv = growInt(w.ipiv, n)
	w.iwork = growInt(w.iwork, n)
	w.work = grow(w.work, 4*n)
	for _, b := range []*[]float64{&w.f, &w.dq, &w.x, &w.xn, &w.xp, &w.pi, &w.p0, &w.vg, &w.qbar, &w.vv,
		&w.mu0, &w.mu1, &w.mu2, &w.r, &w.c1, &w.c2, &w.c1n} {
		*b = grow(*b, n)
	}
	for i := range w.sq {
		w.sq[i], w.sv[i] = grow(w.sq[i], n), grow(w.sv[i], n)
	}
	w.samp = [4]int{0, N / 3, (2 * N) / 3, N - 1}
	w.dS, w.dC = grow(w.dS, w.np), grow(w.dC, w.np)
	for _, b := range []*[]float64{&w.qN, &w.pN, &w.vN, &w.endP, &w.endM} {
		*b = grow(*b, n)
	}
	for _, b := range []*[]float64{&w.dSf, &w.dSp, &w.dCp} {
		*b = grow(*b, w.np)
	}
	w.keep = grow(w.keep, 2*w.np+2)
	w.lthv0 = grow(w.lthv0, w.np*n)
	w.allIters = 0
	return w.initial()
}

// eval evaluates the model on step k (externals of forward step k) at the
// midpoint of a and b.
func (w *ivpWork) eval(want Want, a, b []float64, k int) {
	for i := range w.n {
		w.qbar[i] = (a[i] + b[i]) / 2
		w.vv[i] = (b[i] - a[i]) / w.h
	}
	w.evalAt(want, w.qbar, w.vv, k)
}

// evalAt evaluates at (q, v) with the time and externals of step k, or of
// t = 0 if k < 0.
func (w *ivpWork) evalAt(want Want, q, v []float64, k int) {
	pt := &w.pt
	pt.Q, pt.V, pt.Theta = q, v, w.theta
	if k < 0 {
		pt.T, pt.U, pt.Y = 0, w.u0, w.y0
	} else {
		pt.T = (float64(k) + 0.5) * w.h
		pt.U = w.umid[k*w.nu : (k+1)*w.nu]
		pt.Y = w.ymid[k*w.ny : (k+1)*w.ny]
	}
	w.model.Eval(want, pt, w.out)
}

// dense writes matrix quantity q (+ beta times cq, if cq is a cost
// matrix) of the last evaluation into dst, n×n.
func (w *ivpWork) dense(dst []float64, q, cq Quantity, beta float64) {
	clear(dst)
	w.pat[q].Dense(dst, w.n, w.out.Vec(q), 1)
	if beta != 0 {
		w.pat[cq].Dense(dst, w.n, w.out.Vec(cq), beta)
	}
}

// blocks forms, from the last Level2 evaluation, the step Jacobian
// J = (h/4)A + ½(B − Bᵀ) − V/h into jac, and, if d11 and d22 are not nil,
// D11 = (h/4)A − ½(B + Bᵀ) + V/h and D22 = (h/4)A + ½(B + Bᵀ) + V/h, with
// A, B, V the q-q, q-v and v-v Hessians of L + βc.
func (w *ivpWork) blocks(beta float64, jac, d11, d22 []float64) {
	n, h := w.n, w.h
	w.dense(w.a, QLqq, QCqq, beta)
	w.dense(w.b, QLqv, QCqv, beta)
	w.dense(w.vm, QLvv, QCvv, beta)
	A, B, V := w.a, w.b, w.vm
	for i := range n {
		for j := range n {
			e := i*n + j
			a, bs, ba, v := h/4*A[e], (B[e]+B[j*n+i])/2, (B[e]-B[j*n+i])/2, V[e]/h
			jac[e] = a + ba - v
			if d11 != nil {
				d11[e] = a - bs + v
				d22[e] = a + bs + v
			}
		}
	}
}

func (w *ivpWork) gen(a []float64) blas64.General {
	return blas64.General{Rows: w.n, Cols: w.n, Stride: w.n, Data: a[:w.nn]}
}

// factor LU-factors the n×n matrix a in place and returns its reciprocal
// 1-norm condition number (0 if exactly singular).
func (w *ivpWork) factor(a []float64) float64 {
	g := w.gen(a)
	anorm := lapack64.Lange(lapack.MaxColumnSum, g, w.work)
	if !lapack64.Getrf(g, w.ipiv[:w.n]) {
		return 0
	}
	return lapack64.Gecon(lapack.MaxColumnSum, g, anorm, w.work[:4*w.n], w.iwork[:w.n])
}

// solveLU solves a x = rhs (or aᵀ x = rhs) in place with a factored by factor.
func (w *ivpWork) solveLU(a []float64, trans bool, rhs []float64) {
	t := blas.NoTrans
	if trans {
		t = blas.Trans
	}
	lapack64.Getrs(t, w.gen(a), blas64.General{Rows: w.n, Cols: 1, Stride: 1, Data: rhs[:w.n]}, w.ipiv[:w.n])
}

// initial sets w.p0 (and the first-step velocity guess w.vg) from pr, and
// ∂p_0/∂θ (w.lthv0) when V0 is given.
func (w *ivpWork) initial() error {
	pr, n := w.pr, w.n
	if pr.V0 != nil {
		w.evalAt(Level3, pr.Q0, pr.V0, -1)
		copy(w.p0, w.out.Lv)
		copy(w.vg, pr.V0)
		clear(w.lthv0)
		w.pat[QLthv].Dense(w.lthv0, n, w.out.Lthv, 1)
	} else {
		copy(w.p0, pr.P0)
		// One Newton step of p = ∂L/∂v(q_0, v) from v = 0 for the guess.
		clear(w.vg)
		w.evalAt(Level2, pr.Q0, w.vg, -1)
		for i := range n {
			w.vg[i] = pr.P0[i] - w.out.Lv[i]
		}
		w.dense(w.vm, QLvv, QCvv, 0)
		copy(w.jac, w.vm)
		if rc := w.factor(w.jac); rc > w.set.minRCond {
			w.solveLU(w.jac, false, w.vg)
		} else {
			clear(w.vg)
		}
	}
	if !finite(w.p0) || !finite(w.vg) {
		return fmt.Errorf("%w: %s: initial momentum p_0 = ∂L/∂v(q_0, v_0, 0) is NaN or Inf", ErrNaN, w.info.Name)
	}
	return nil
}

// run integrates N steps from (x0, π0), with L + βc. Forward runs
// (echo = false) use the externals of step j at step j; echo runs those
// of step N−1−j. vg is the velocity guess of the first step. If store is
// set the positions and momenta are kept in w.q, w.p. On return w.x and
// w.pi hold the final state and w.xp the state before it.
func (w *ivpWork) run(beta float64, x0, pi0, vg []float64, echo, store bool) error {
	n, N, h := w.n, w.N, w.h
	if store {
		w.q, w.p = grow(w.q, (N+1)*n), grow(w.p, (N+1)*n)
		copy(w.q, x0)
		copy(w.p, pi0)
		if !echo && beta == 0 {
			w.energy = grow(w.energy, N)
		}
	}
	copy(w.x, x0)
	copy(w.pi, pi0)
	w.act, w.cost = 0, 0
	clear(w.dS)
	clear(w.dC)
	w.iters, w.maxIt, w.maxCorr, w.maxF, w.minRC = 0, 0, 0, 0, math.Inf(1)
	si := 0
	for j := range N {
		k := j
		if echo {
			k = N - 1 - j
		}
		// Guess: constant velocity.
		for i := range n {
			if j == 0 {
				w.xn[i] = w.x[i] + h*vg[i]
			} else {
				w.xn[i] = 2*w.x[i] - w.xp[i]
			}
		}
		if err := w.step(j, k, beta, echo); err != nil {
			return err
		}
		o := w.out // Level1 at the converged q_{j+1}
		copy(w.xp, w.x)
		copy(w.x, w.xn)
		for i := range n {
			w.pi[i] = h/2*(o.Lq[i]+beta*o.Cq[i]) + o.Lv[i] + beta*o.Cv[i]
		}
		w.act += h * o.L
		w.cost += h * o.C
		for a := range w.np {
			w.dS[a] += h * o.Lth[a]
			w.dC[a] += h * o.Cth[a]
		}
		if store {
			copy(w.q[(j+1)*n:], w.x)
			copy(w.p[(j+1)*n:], w.pi)
			if !echo && beta == 0 {
				e := -o.L
				for i := range n {
					e += w.vv[i] * o.Lv[i]
				}
				w.energy[j] = e
			}
		}
		if !echo && beta == 0 {
			for si < len(w.samp) && w.samp[si] == j {
				copy(w.sq[si], w.qbar)
				copy(w.sv[si], w.vv)
				si++
			}
		}
	}
	return nil
}

// step solves p + D1 (L_d + βC_d)(w.x, q_{j+1}) = 0 for q_{j+1} by
// Newton's method from the guess in w.xn, leaving the Level1 evaluation at
// the solution in w.out.
func (w *ivpWork) step(j, k int, beta float64, echo bool) error {
	n, h := w.n, w.h
	conv := false
	var dn float64
	for it := 0; ; it++ {
		want := Level2
		if conv {
			want = Level1
		}
		w.eval(want, w.x, w.xn, k)
		o := w.out
		fn := 0.0
		for i := range n {
			w.f[i] = w.pi[i] + h/2*(o.Lq[i]+beta*o.Cq[i]) - o.Lv[i] - beta*o.Cv[i]
			fn = max(fn, math.Abs(w.f[i]))
		}
		if math.IsNaN(fn) || math.IsInf(fn, 0) || math.IsNaN(o.L) || math.IsInf(o.L, 0) || math.IsNaN(o.C) || math.IsInf(o.C, 0) {
			return w.stepErr(ErrNaN, j, beta, echo, it, dn, fn,
				"the model gave NaN or Inf (a singularity of L or c on the path, e.g. r = 0 of a central force); try a smaller step (larger N) or other initial conditions")
		}
		if conv {
			w.iters += it
			w.allIters += it
			w.maxIt = max(w.maxIt, it)
			w.maxCorr = max(w.maxCorr, dn)
			w.maxF = max(w.maxF, fn)
			return nil
		}
		if it >= w.set.maxIter {
			return w.stepErr(ErrNoConvergence, j, beta, echo, it, dn, fn,
				fmt.Sprintf("Newton did not converge in %d iterations; try a smaller step h = T/N (larger N), a weaker drive or other initial conditions", it))
		}
		w.blocks(beta, w.jac, nil, nil)
		rc := w.factor(w.jac)
		w.minRC = min(w.minRC, rc)
		if !(rc > w.set.minRCond) {
			return w.stepErr(ErrSingular, j, beta, echo, it, dn, fn,
				fmt.Sprintf("the step Jacobian (h/4)Lqq + ½(Lqv − Lqvᵀ) − Lvv/h is singular (rcond %.3g): a degenerate mass matrix ∂²L/∂v² or a step h = %g too large for the stiffness ∂²L/∂q²; try a larger N", rc, h))
		}
		for i := range n {
			w.dq[i] = -w.f[i]
		}
		w.solveLU(w.jac, false, w.dq)
		scale := 0.0
		for i := range n {
			w.xn[i] += w.dq[i]
			scale = max(scale, math.Abs(w.xn[i]), math.Abs(w.xn[i]-w.x[i]))
		}
		dn = normInf(w.dq)
		if dn <= w.set.tol*scale {
			conv = true
		}
	}
}

func (w *ivpWork) stepErr(sentinel error, j int, beta float64, echo bool, it int, dn, fn float64, hint string) error {
	run := "forward run"
	if echo {
		run = fmt.Sprintf("echo (β = %g)", beta)
	}
	e := &StepError{Err: sentinel, Step: j, N: w.N, T: float64(j) * w.h, Echo: echo, Beta: beta,
		Iterations: it, Correction: dn, Residual: fn / w.h}
	e.msg = fmt.Sprintf("%v: %s: initial-value %s, step %d of %d (t = %g): %d iterations, correction %.3g, residual %.3g: %s",
		sentinel, w.info.Name, run, j, w.N, e.T, it, dn, e.Residual, hint)
	return e
}

// forward runs the free forward problem from (q_0, p_0).
func (w *ivpWork) forward(store bool) error {
	return w.run(0, w.pr.Q0, w.p0, w.vg, false, store)
}

// solveIVP integrates the initial-value problem pr into dst.
func (s *Solver) solveIVP(dst *Solution, pr *Problem, opt *Options) error {
	w := s.ivpw()
	if err := w.setup(pr, opt); err != nil {
		return err
	}
	if err := w.forward(true); err != nil {
		return err
	}
	w.fill(dst, true)
	return nil
}

// fill copies the stored trajectory of the last run into dst, with the
// IVPReport of a forward run if report is set (else dst.IVP = nil).
func (w *ivpWork) fill(dst *Solution, report bool) {
	n, N := w.n, w.N
	dst.resize(n, N, w.np)
	dst.Beta = 0
	for k := 0; k <= N; k++ {
		dst.Times[k] = float64(k) * w.h
		copy(dst.Q[k], w.q[k*n:(k+1)*n])
		copy(dst.P[k], w.p[k*n:(k+1)*n])
	}
	dst.Times[N] = w.pr.T
	dst.Action, dst.Cost = w.act, w.cost
	copy(dst.DSdTheta, w.dS)
	copy(dst.DCdTheta, w.dC)
	dst.Iterations = w.iters
	dst.Residual = w.maxF / w.h
	dst.Correction = w.maxCorr
	dst.RCond = w.minRC
	dst.Continuation = 0
	if !report {
		dst.IVP = nil
		return
	}
	r := dst.IVP
	if r == nil {
		r = new(IVPReport)
		dst.IVP = r
	}
	r.P0 = append(r.P0[:0], w.p0...)
	r.Energy = append(r.Energy[:0], w.energy[:N]...)
	r.EnergyDrift = 0
	for _, e := range r.Energy {
		r.EnergyDrift = max(r.EnergyDrift, math.Abs(e-r.Energy[0]))
	}
	r.Autonomous = w.autonomous()
	r.MaxStepIterations = w.maxIt
}

// autonomous reports whether L at the sampled points of the last forward
// run is the same at the times (and inputs) of the other samples.
func (w *ivpWork) autonomous() bool {
	for _, i := range []int{0, 3} {
		w.evalAt(WantL, w.sq[i], w.sv[i], w.samp[i])
		l0 := w.out.L
		for k := range w.samp {
			w.evalAt(WantL, w.sq[i], w.sv[i], w.samp[k])
			if math.Abs(w.out.L-l0) > 1e-14*math.Abs(l0) {
				return false
			}
		}
	}
	return true
}

// reversible tests L, c, ∂L/∂θ and ∂c/∂θ for evenness in the velocities
// at the sampled points of the forward run and at points displaced from
// them, and returns ErrNotReversible naming the first failure.
func (w *ivpWork) reversible() error {
	n, np := w.n, w.np
	q, v := w.mu0, w.mu1 // scratch
	keep := w.keep
	for si, k := range w.samp {
		for pass := range 2 {
			copy(q, w.sq[si])
			copy(v, w.sv[si])
			if pass == 1 {
				// A displaced point, deterministic and generic.
				for i := range n {
					x := float64(i+1)*0.7548776662 + float64(si)*0.5698402910
					x -= math.Floor(x)
					q[i] += (x - 0.5) * max(1, math.Abs(q[i]))
					v[i] += (0.5 - x/2) * max(1, math.Abs(v[i]))
				}
			}
			w.evalAt(Level1, q, v, k)
			o := w.out
			scale := math.Abs(o.L) + math.Abs(o.C)
			for i := range n {
				scale += math.Abs(o.Lv[i]*v[i]) + math.Abs(o.Lq[i]*q[i]) + math.Abs(o.Cv[i]*v[i]) + math.Abs(o.Cq[i]*q[i])
			}
			keep[0], keep[1] = o.L, o.C
			copy(keep[2:], o.Lth)
			copy(keep[2+np:], o.Cth)
			for i := range n {
				v[i] = -v[i]
			}
			w.evalAt(Level1, q, v, k)
			o = w.out
			for e, x := range keep[:2+2*np] {
				var y float64
				switch {
				case e == 0:
					y = o.L
				case e == 1:
					y = o.C
				case e < 2+np:
					y = o.Lth[e-2]
				default:
					y = o.Cth[e-2-np]
				}
				if math.Abs(x-y) > 1e-9*(math.Abs(x)+math.Abs(y))+1e-13*scale {
					var name string
					switch {
					case e == 0:
						name = "L"
					case e == 1:
						name = "the cost c"
					case e < 2+np:
						name = "∂L/∂θ[" + w.info.Params[e-2] + "]"
					default:
						name = "∂c/∂θ[" + w.info.Params[e-2-np] + "]"
					}
					return fmt.Errorf("%w: %s: the echo needs L and c even in the velocities, L(q, −v, t) = L(q, v, t), but %s changes from %.6g to %.6g under v → −v at t = %g (a term odd in the velocities, such as a magnetic A·v or gyroscopic q0·v1 − q1·v0 coupling, or dissipation); use the adjoint (Method Adjoint, --method=adjoint) instead",
						ErrNotReversible, w.info.Name, name, x, y, (float64(k)+0.5)*w.h)
				}
			}
		}
	}
	return nil
}

// echo runs the echo of the last forward run (whose final state is in
// w.x, w.pi and the one before in w.xp) with nudge β; on return w.dS,
// w.dC hold ∂S_d/∂θ, ∂C_d/∂θ along it and end the final position.
func (w *ivpWork) echo(beta float64, qN, pN, vN, end []float64, store bool) error {
	for i := range w.n {
		w.r[i] = -pN[i]
		w.c2[i] = -vN[i]
	}
	if err := w.run(beta, qN, w.r, w.c2, true, store); err != nil {
		return err
	}
	copy(end, w.x)
	return nil
}

// saveEnd copies the final state of the last run (position, momentum,
// last velocity) into w.qN, w.pN, w.vN.
func (w *ivpWork) saveEnd() (qN, pN, vN []float64) {
	copy(w.qN, w.x)
	copy(w.pN, w.pi)
	for i := range w.n {
		w.vN[i] = (w.x[i] - w.xp[i]) / w.h
	}
	return w.qN, w.pN, w.vN
}

// echoGradient computes the echo estimate into g after a forward run
// (not stored) and returns the cost.
func (w *ivpWork) echoGradient(g []float64, centered bool) (float64, error) {
	if err := w.reversible(); err != nil {
		return 0, err
	}
	n, np, beta := w.n, w.np, w.set.beta
	if !w.set.betaGiven {
		beta = DefaultEchoBeta
	}
	// Save the forward run's end state and readouts.
	qN, pN, vN := w.saveEnd()
	cost := w.cost
	dSf, dSp, dCp, endP, endM := w.dSf, w.dSp, w.dCp, w.endP, w.endM
	copy(dSf, w.dS)
	if err := w.echo(beta, qN, pN, vN, endP, false); err != nil {
		return 0, err
	}
	copy(dSp, w.dS)
	copy(dCp, w.dC)
	den := beta
	if centered {
		if err := w.echo(-beta, qN, pN, vN, endM, false); err != nil {
			return 0, err
		}
		den = 2 * beta
		for a := range np {
			g[a] = (dSp[a]-w.dS[a])/den + (dCp[a]+w.dC[a])/2
		}
	} else {
		copy(endM, w.pr.Q0)
		for a := range np {
			g[a] = (dSp[a]-dSf[a])/den + dCp[a]
		}
	}
	if w.pr.V0 != nil {
		for a := range np {
			for i := range n {
				g[a] += w.lthv0[a*n+i] * (endP[i] - endM[i]) / den
			}
		}
	}
	return cost, nil
}

// adjoint computes dC_d/dθ into g by the backward sweep over the stored
// forward trajectory w.q (see the comment at the top of this file).
func (w *ivpWork) adjoint(g []float64) error {
	n, N, h := w.n, w.N, w.h
	copy(g, w.dC)                       // ∂C_d/∂θ, explicit
	mu, mu1, mu2 := w.mu0, w.mu1, w.mu2 // μ_k, μ_{k+1}, μ_{k+2}
	clear(mu1)
	clear(mu2)
	for k := N - 1; k >= 0; k-- {
		a, b := w.q[k*n:(k+1)*n], w.q[(k+1)*n:(k+2)*n]
		w.eval(Level3, a, b, k)
		o := w.out
		w.blocks(0, w.jac, w.d11, w.d22)
		for i := range n {
			w.c1[i] = h/2*o.Cq[i] - o.Cv[i] // D1 C_k
			w.r[i] = h/2*o.Cq[i] + o.Cv[i]  // D2 C_k
		}
		if k < N-1 {
			// r = ∂C_d/∂q_{k+1} − (D22_k + D11_{k+1}) μ_{k+1} − J_{k+1} μ_{k+2}
			for i := range n {
				x := w.r[i] + w.c1n[i]
				for l := range n {
					x -= (w.d22[i*n+l]+w.d11n[i*n+l])*mu1[l] + w.jacn[i*n+l]*mu2[l]
				}
				w.r[i] = x
			}
		}
		copy(w.jac2, w.jac)
		if rc := w.factor(w.jac2); !(rc > w.set.minRCond) {
			return w.stepErr(ErrSingular, k, 0, false, 0, 0, 0, fmt.Sprintf("adjoint sweep: the step Jacobian is singular (rcond %.3g)", rc))
		}
		copy(mu, w.r)
		w.solveLU(w.jac2, true, mu)
		if !finite(mu) {
			return w.stepErr(ErrNaN, k, 0, false, 0, 0, 0, "adjoint sweep: NaN or Inf in the adjoint")
		}
		// g −= Σ (h/2) Lθq·(μ_k + μ_{k+1}) + Lθv·(μ_{k+1} − μ_k)
		pq, pv := w.pat[QLthq], w.pat[QLthv]
		for e, x := range o.Lthq[:pq.Len()] {
			i := pq.Cols[e]
			g[pq.Rows[e]] -= h / 2 * x * (mu[i] + mu1[i])
		}
		for e, x := range o.Lthv[:pv.Len()] {
			i := pv.Cols[e]
			g[pv.Rows[e]] -= x * (mu1[i] - mu[i])
		}
		copy(w.d11n, w.d11)
		copy(w.jacn, w.jac)
		copy(w.c1n, w.c1)
		mu, mu1, mu2 = mu2, mu, mu1
	}
	// mu1 is μ_0.
	if w.pr.V0 != nil {
		for a := range w.np {
			for i := range n {
				g[a] -= w.lthv0[a*n+i] * mu1[i]
			}
		}
	}
	return nil
}

// finiteDiff takes central differences of C_d(θ) over whole forward runs.
func (w *ivpWork) finiteDiff(g []float64) error {
	for j := range g {
		t0 := w.theta[j]
		st := w.set.fdStep * max(1, math.Abs(t0))
		var c [2]float64
		for side, sg := range [2]float64{1, -1} {
			w.theta[j] = t0 + sg*st
			err := w.initial()
			if err == nil {
				err = w.forward(false)
			}
			if err != nil {
				w.theta[j] = t0
				return fmt.Errorf("finite differences at θ[%d] = %g: %w", j, t0+sg*st, err)
			}
			c[side] = w.cost
		}
		w.theta[j] = t0
		g[j] = (c[0] - c[1]) / ((t0 + st) - (t0 - st))
	}
	return w.initial()
}

// gradientIVP is Solver.Gradient for initial-value problems.
func (s *Solver) gradientIVP(dst *Gradient, pr *Problem, m Method, opt *Options) error {
	switch m {
	case Adjoint, Echo, EchoOneSided, FiniteDiff:
	case EPOneSided, EPCentered:
		return fmt.Errorf("%w: %s: Equilibrium Propagation (method %v) needs fixed or periodic conditions, which leave no boundary term; for initial conditions use echo, echo1, adjoint or fd", ErrProblem, pr.Model.Info().Name, m)
	default:
		return fmt.Errorf("%w: unknown gradient method %v", ErrProblem, m)
	}
	w := s.ivpw()
	if err := w.setup(pr, opt); err != nil {
		return err
	}
	if dst.Free == nil {
		dst.Free = new(Solution)
	}
	if err := w.forward(true); err != nil {
		return err
	}
	w.fill(dst.Free, true)
	dst.Method, dst.Cost, dst.Beta = m, w.cost, 0
	dst.Grad = grow(dst.Grad, w.np)
	runs := 1
	var err error
	switch m {
	case Adjoint:
		err = w.adjoint(dst.Grad)
	case Echo, EchoOneSided:
		dst.Beta = w.set.beta
		if !w.set.betaGiven {
			dst.Beta = DefaultEchoBeta
		}
		_, err = w.echoGradient(dst.Grad, m == Echo)
		runs += 1 + int(m-EchoOneSided)
	case FiniteDiff:
		dst.Beta = w.set.fdStep
		err = w.finiteDiff(dst.Grad)
		runs += 2 * w.np
	}
	dst.Solves, dst.Iterations = runs, w.allIters
	return err
}

// EchoGradient estimates the gradient of the discrete cost of the
// initial-value problem pr by the Hamiltonian echo (centered or one-sided)
// into dst (allocated if short) and returns the cost and dst. Unlike
// Gradient with Method Echo it keeps no trajectory: its workspace is
// O(n² + P) besides the signal values at the N midpoints.
func (s *Solver) EchoGradient(dst []float64, pr *Problem, centered bool, opt *Options) (float64, []float64, error) {
	if pr == nil || pr.Model == nil || pr.BC != Initial {
		return 0, nil, fmt.Errorf("%w: EchoGradient needs an initial-value problem (BC Initial)", ErrProblem)
	}
	if !pr.Model.Info().HasCost {
		return 0, nil, fmt.Errorf("%w: model %s declares no cost to differentiate", ErrProblem, pr.Model.Info().Name)
	}
	w := s.ivpw()
	if err := w.setup(pr, opt); err != nil {
		return 0, nil, err
	}
	if err := w.forward(false); err != nil {
		return 0, nil, err
	}
	dst = grow(dst, w.np)
	c, err := w.echoGradient(dst, centered)
	return c, dst, err
}

// SolveEcho integrates pr forward and then its echo with nudge β (0: the
// free echo) into dst: rows are echo times τ_j = j·h, Q[j] = x_j and P[j]
// the echo's momenta, starting from (q_N, −p_N) of the forward run and
// seeing the externals of forward time T − τ. For a time-reversible model
// the free echo retraces the forward run and ends at (q_0, −p_0) up to
// round-off. dst.Cost and dst.DSdTheta are those of the echo path (with
// its own velocities). It fails with ErrNotReversible like the echo
// gradient does.
func (s *Solver) SolveEcho(dst *Solution, pr *Problem, beta float64, opt *Options) error {
	if pr == nil || pr.Model == nil || pr.BC != Initial {
		return fmt.Errorf("%w: SolveEcho needs an initial-value problem (BC Initial)", ErrProblem)
	}
	w := s.ivpw()
	if err := w.setup(pr, opt); err != nil {
		return err
	}
	if err := w.forward(false); err != nil {
		return err
	}
	if err := w.reversible(); err != nil {
		return err
	}
	qN, pN, vN := w.saveEnd()
	if err := w.echo(beta, qN, pN, vN, w.endP, true); err != nil {
		return err
	}
	w.fill(dst, false)
	dst.Beta = beta
	return nil
}
