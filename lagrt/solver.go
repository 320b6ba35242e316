package lagrt

import (
	"fmt"
	"math"
)

// Solver is a reusable workspace for solves and gradients. Its buffers grow
// to fit the largest problem seen and are reused, so that repeated solves
// and gradients of problems of one shape do not allocate (after the first
// call, and with reused destination Solution and Gradient values).
//
// The zero value is ready to use. A Solver is not safe for concurrent use;
// give each goroutine its own (Models are safe to share).
type Solver struct {
	pr    *Problem
	model Model
	info  *Info
	set   settings

	grid      // shape, step, parameters, signals and the order of the unknowns
	evaluator // model evaluation at the midpoints
	iterate   // the Newton iterate and the results of its last sweep
	freeState // the last free solution
	hs        hessian
	lin       linear

	ep  epState    // EP noise check (beta.go)
	est *estimator // discretisation error estimate (errest.go)
	ivp *ivpWork   // initial-value problems (ivp.go)

	// Continuation (continuation.go).
	atSolution bool      // the last newton error came at a point that passed the convergence test
	cqa, cqb   []float64 // the last two members solved
}

// grid is the discretisation of the problem being solved.
type grid struct {
	n, nn, N, np, nu, ny int
	bc                   BC
	h                    float64
	theta                []float64
	umid, ymid           []float64 // N rows of inputs and targets at t_{k+½}

	// Unknowns, in factorisation order.
	nb       int
	pos2grid []int // unknown block → grid row
	grid2pos []int // grid row → unknown block, −1 at fixed ends
	nbuf     []int // scratch for neighbours
}

// evaluator evaluates the model at the midpoint of a step.
type evaluator struct {
	out      *Out
	outInfo  *Info
	pat      [NumQuantities]*Pattern // patterns of the matrix quantities
	pt       Point
	qbar, vv []float64
}

// iterate is the Newton iterate, its sweep results and the counters.
type iterate struct {
	// Grid vectors, (N+1)·n.
	q, qt       []float64 // iterate, line-search trial
	r, gC, p    []float64 // ∇_q(S_d+βC_d), ∇_q C_d, momenta
	w           []float64 // scratch
	perB        []float64 // checkPeriodic: values at t + T and time variation
	rhs         []float64 // unknown order
	pbuf        []float64
	sAct        float64
	sCost       float64
	dS, dC      []float64
	rnorm       float64 // ℓ2 norm of r over unknowns
	rscale      float64 // ℓ2 size of its summands
	kscale      float64 // ‖2·kin·|q|‖₂ at the last Level2 sweep
	thetaOK     bool    // the last sweep accumulated ∂S_d/∂θ and ∂C_d/∂θ
	rInf        float64 // max |r| over unknowns
	lastCorr    float64
	lastRC      float64
	iterTotal   int
	solvesTotal int
}

// freeState is the last free solution and whether the linear solver
// still holds its Hessian.
type freeState struct {
	qfree, rfree, gCfree []float64
	freeOK               bool // qfree, rfree, gCfree hold the last free solution
	factFree             bool // the Hessian blocks and the linear solver are those at qfree
	freeAct, freeC       float64
	dSfree, dCfree       []float64
	// While factFree holds: dfree = −H⁻¹∇S_d at qfree (the last Newton
	// correction, unknown order) and, if lamOK, lamNeg = −H⁻¹∇C_d there
	// (from autoBeta), so that the nudged solves start without a solve.
	dfree, lamNeg []float64
	lamOK         bool
}

// hessQuantities are the matrix quantities a Newton iteration needs.
var hessQuantities = [...]Quantity{QLqq, QLqv, QLvv, QCqq, QCqv, QCvv}

// NewSolver returns an empty Solver. It is equivalent to new(Solver).
func NewSolver() *Solver { return new(Solver) }

// setup validates pr, sizes the buffers and evaluates the signals.
func (s *Solver) setup(pr *Problem, opt *Options) error {
	theta, err := pr.validate()
	if err != nil {
		return err
	}
	s.freeOK, s.factFree = false, false
	s.pr = pr
	s.model = pr.Model
	s.info = pr.Model.Info()
	s.set = opt.settings()
	s.n, s.N, s.np = s.info.N(), pr.N, s.info.P()
	s.nn = s.n * s.n
	s.nu, s.ny = len(s.info.Inputs), len(s.info.Targets)
	s.bc = pr.BC
	s.h = pr.T / float64(pr.N)
	n, N := s.n, s.N

	s.theta = grow(s.theta, s.np)
	copy(s.theta, theta)
	s.umid = grow(s.umid, N*s.nu)
	s.ymid = grow(s.ymid, N*s.ny)
	if err := s.signal(&pr.Input, s.umid, s.nu, "input"); err != nil {
		return err
	}
	if err := s.signal(&pr.Target, s.ymid, s.ny, "target"); err != nil {
		return err
	}

	g := (N + 1) * n
	for _, b := range []*[]float64{&s.q, &s.qt, &s.qfree, &s.r, &s.gC, &s.p, &s.rfree, &s.gCfree, &s.w} {
		*b = grow(*b, g)
	}
	s.dS = grow(s.dS, s.np)
	s.dC = grow(s.dC, s.np)
	s.dSfree = grow(s.dSfree, s.np)
	s.dCfree = grow(s.dCfree, s.np)

	bw := 1
	if s.bc == Fixed {
		s.nb = N - 1
	} else {
		// Fold the cycle 0, N−1, 1, N−2, 2, … so that neighbours on the
		// cycle are at most two positions apart: the periodic Hessian,
		// block tridiagonal plus two corner blocks, becomes a band
		// matrix of block bandwidth 2, factored with pivoting like the
		// fixed-end one without any dense Nn×Nn solve.
		s.nb = N
		bw = 2
	}
	if cap(s.pos2grid) < s.nb {
		s.pos2grid = make([]int, s.nb)
	}
	s.pos2grid = s.pos2grid[:s.nb]
	for i := range s.pos2grid {
		if s.bc == Fixed {
			s.pos2grid[i] = i + 1
		} else if i%2 == 0 {
			s.pos2grid[i] = i / 2
		} else {
			s.pos2grid[i] = N - 1 - i/2
		}
	}
	if cap(s.grid2pos) < N+1 {
		s.grid2pos = make([]int, N+1)
	}
	s.grid2pos = s.grid2pos[:N+1]
	for i := range s.grid2pos {
		s.grid2pos[i] = -1
	}
	for pos, g := range s.pos2grid {
		s.grid2pos[g] = pos
	}
	if s.bc == Periodic {
		s.grid2pos[N] = s.grid2pos[0]
	}
	s.rhs = grow(s.rhs, s.nb*n)
	s.dfree = grow(s.dfree, s.nb*n)
	s.lamNeg = grow(s.lamNeg, s.nb*n)

	if s.out == nil || s.outInfo != s.info || len(s.out.Lq) != n || len(s.out.Lth) != s.np {
		s.out = NewOut(s.info)
		s.outInfo = s.info
		for _, q := range hessQuantities {
			s.pat[q] = s.info.Pattern(q)
		}
		s.pat[QLthq] = s.info.Pattern(QLthq)
		s.pat[QLthv] = s.info.Pattern(QLthv)
		s.hs.setPattern(n, &s.pat)
	}
	s.hs.phys = s.info.Physical
	s.hs.resize(N)
	s.sizeLinear(bw)
	s.qbar = grow(s.qbar, n)
	s.vv = grow(s.vv, n)
	if s.bc == Periodic {
		s.perB = grow(s.perB, 2*(1+2*n))
		return s.checkPeriodic()
	}
	return nil
}

// signal fills dst (N rows of w) with sg at the midpoints.
func (s *Solver) signal(sg *Signal, dst []float64, w int, name string) error {
	switch {
	case sg.Func != nil:
		for k := range s.N {
			sg.Func((float64(k)+0.5)*s.h, dst[k*w:(k+1)*w])
		}
	case sg.Samples != nil:
		for k := range s.N {
			a, b := sg.Samples[k], sg.Samples[k+1]
			for i := range w {
				dst[k*w+i] = (a[i] + b[i]) / 2
			}
		}
	default:
		clear(dst)
	}
	if !finite(dst) {
		return fmt.Errorf("%w: %s signal is NaN or Inf at a midpoint", ErrNaN, name)
	}
	return nil
}

// guess fills s.q with the initial trajectory.
func (s *Solver) guess() {
	n, N, pr := s.n, s.N, s.pr
	for k := 0; k <= N; k++ {
		row := s.q[k*n : (k+1)*n]
		switch {
		case pr.Guess != nil:
			clear(row[copy(row, pr.Guess[k]):])
		case s.bc == Fixed:
			f := float64(k) / float64(N)
			clear(row)
			for i := range pr.Q0 {
				row[i] = pr.Q0[i] + f*(pr.QT[i]-pr.Q0[i])
			}
		default:
			clear(row)
		}
	}
	s.fixEnds(s.q)
}

// fixEnds imposes the boundary conditions on a grid vector.
func (s *Solver) fixEnds(q []float64) {
	n, N := s.n, s.N
	if s.bc == Fixed {
		// A doubled model's separations are held at zero (Q0 and QT
		// may give the physical coordinates only).
		clear(q[copy(q[:n], s.pr.Q0):n])
		clear(q[N*n+copy(q[N*n:], s.pr.QT):])
	} else {
		copy(q[N*n:], q[:n])
	}
}

// midpoint sets up the evaluation point of step k of the grid vector q:
// q̄_k = (q_k + q_{k+1})/2, v_k = (q_{k+1} − q_k)/h, t_{k+½} and the
// inputs and targets there. It returns the point, which s owns.
func (s *Solver) midpoint(q []float64, k int) *Point {
	n, h := s.n, s.h
	qa, qb := q[k*n:k*n+n], q[(k+1)*n:(k+1)*n+n]
	qbar, vv := s.qbar[:n], s.vv[:n]
	for i := range qbar {
		qbar[i] = (qa[i] + qb[i]) / 2
		vv[i] = (qb[i] - qa[i]) / h
	}
	pt := &s.pt
	pt.Q, pt.V, pt.Theta = s.qbar, s.vv, s.theta
	pt.T = (float64(k) + 0.5) * h
	pt.U = s.umid[k*s.nu : (k+1)*s.nu]
	pt.Y = s.ymid[k*s.ny : (k+1)*s.ny]
	return pt
}

// sweep evaluates the model on every step of q for the Lagrangian L + βc:
// the gradient r, ∇C_d, momenta, action, cost and θ-derivatives and, if
// want includes WantLqq, the Hessian blocks (into s.hs). It reports false
// if anything is NaN or Inf.
func (s *Solver) sweep(q []float64, beta float64, want Want) bool {
	n, N, h := s.n, s.N, s.h
	clear(s.r)
	clear(s.gC)
	clear(s.dS)
	clear(s.dC)
	hess := want&WantLqq != 0
	thS, thC := want&WantLth != 0, want&WantCth != 0
	s.thetaOK = thS && thC
	if hess {
		clear(s.hs.diag)
		clear(s.hs.kin)
	}
	out := s.out
	sAct, sCost, rscale := 0.0, 0.0, 0.0
	hh := h / 2
	for k := range N {
		k1 := k + 1
		if s.bc == Periodic && k1 == N {
			k1 = 0
		}
		s.model.Eval(want, s.midpoint(q, k), out)

		sAct += h * out.L
		sCost += h * out.C
		if thS {
			for a, x := range out.Lth {
				s.dS[a] += h * x
			}
		}
		if thC {
			for a, x := range out.Cth {
				s.dC[a] += h * x
			}
		}
		ra, rb := s.r[k*n:k*n+n], s.r[k1*n:k1*n+n]
		ga, gb := s.gC[k*n:k*n+n], s.gC[k1*n:k1*n+n]
		pb := s.p[(k+1)*n : (k+1)*n+n]
		lq, lv, cq, cv := out.Lq[:n], out.Lv[:n], out.Cq[:n], out.Cv[:n]
		for i := range n {
			fq := lq[i] + beta*cq[i]
			fv := lv[i] + beta*cv[i]
			d1 := hh*fq - fv
			d2 := hh*fq + fv
			ra[i] += d1
			rb[i] += d2
			ga[i] += hh*cq[i] - cv[i]
			gb[i] += hh*cq[i] + cv[i]
			if k == 0 {
				s.p[i] = -d1
			}
			pb[i] = d2
			a := math.Abs(d1) + math.Abs(d2)
			rscale += a * a
		}
		if hess {
			s.hs.addStep(k, k1, h, beta, out)
		}
	}
	s.sAct, s.sCost = sAct, sCost
	if hess {
		// The rounding errors of q itself, ε|q|, reach r through the
		// Hessian, whose kinetic entries are of order 1/h: with
		// |H||q| ≈ 2·kin·|q| they dominate the residual's round-off for
		// large N (issue 11, item 7: N = 256,000).
		ks := 0.0
		for _, g := range s.pos2grid {
			for i, x := range q[g*n : g*n+n] {
				e := 2 * s.hs.kin[g*n+i] * x
				ks += e * e
			}
		}
		s.kscale = math.Sqrt(ks)
	}
	s.rscale = math.Sqrt(rscale)
	if s.bc == Periodic {
		copy(s.p[N*n:], s.p[:n])
	}
	// Norms of r over the unknowns.
	rn, ri := 0.0, 0.0
	for _, g := range s.pos2grid {
		for _, x := range s.r[g*n : g*n+n] {
			rn += x * x
			ri = max(ri, math.Abs(x))
		}
	}
	s.rnorm, s.rInf = math.Sqrt(rn), ri
	ok := !math.IsNaN(rn) && !math.IsInf(rn, 0) && !math.IsNaN(sAct+sCost) && !math.IsInf(sAct+sCost, 0)
	for _, x := range s.dS {
		ok = ok && !math.IsNaN(x) && !math.IsInf(x, 0)
	}
	return ok
}

// gather writes −(src + beta·src2) at the unknowns into s.rhs (src2 may be nil).
func (s *Solver) gather(src, src2 []float64, beta float64) {
	n := s.n
	for pos, g := range s.pos2grid {
		d, a := s.rhs[pos*n:pos*n+n], src[g*n:g*n+n]
		if src2 == nil {
			for i, x := range a {
				d[i] = -x
			}
		} else {
			b := src2[g*n : g*n+n]
			for i, x := range a {
				d[i] = -(x + beta*b[i])
			}
		}
	}
}

// step sets dst = q + α·δ (δ = s.rhs in unknown order), boundary conditions
// included.
func (s *Solver) step(dst, q []float64, alpha float64) {
	n := s.n
	copy(dst, q)
	for pos, g := range s.pos2grid {
		d, x := dst[g*n:g*n+n], s.rhs[pos*n:pos*n+n]
		for i := range d {
			d[i] += alpha * x[i]
		}
	}
	s.fixEnds(dst)
}

// factor factors the Hessian blocks of the last sweep (or prepares the
// linear solver for them, see LinearSolver). It reports ErrSingular for a
// singular ∂²L/∂v² or a zero pivot and, if cond is set or the pivots vary
// by more than 1e8, estimates the condition number and reports
// ErrSingular below Options.MinRCond.
func (s *Solver) factor(iter int, cond bool) error {
	s.factFree = false
	s.lastRC = 0
	if err := s.checkKinetic(iter); err != nil {
		return err
	}
	pmin, pmax := s.factorLin()
	if math.IsNaN(pmin) || math.IsNaN(pmax) || math.IsInf(pmax, 0) {
		return fmt.Errorf("%w: Hessian at iteration %d", ErrNaN, iter)
	}
	if pmin == 0 {
		return s.singular(iter, 0)
	}
	if cond || pmin <= 1e-8*pmax {
		return s.checkCond(iter)
	}
	return nil
}

// checkKinetic reports an error if the kinetic diagonal Σ ∂²L/∂v_i²/h of
// some unknown vanishes (relative to the largest): then ∂²L/∂v² is
// singular and the discrete Euler–Lagrange equations do not determine
// the trajectory (the midpoint rule then admits a zig-zag mode).
func (s *Solver) checkKinetic(iter int) error {
	n, big := s.n, 0.0
	for _, g := range s.pos2grid {
		for _, x := range s.hs.kin[g*n : g*n+n] {
			big = max(big, math.Abs(x))
		}
	}
	for _, g := range s.pos2grid {
		for i, x := range s.hs.kin[g*n : g*n+n] {
			if !(math.Abs(x) > 1e-12*big) {
				where := "at the initial guess"
				if iter > 0 {
					where = fmt.Sprintf("at Newton iteration %d", iter)
				}
				if err := s.singularKinetic(where, 0); err != nil {
					return err // the detailed diagnosis, for small n
				}
				return fmt.Errorf("%w: ∂²L/∂v² is singular %s: ∂²L/∂dot(%s)² = 0 at t = %g (a coordinate without a "+
					"kinetic term, or a point such as radius 0 in polar coordinates); the Lagrangian must be regular "+
					"(nonsingular in the velocities) along the trajectory: give an initial guess away from such points",
					ErrSingular, where, s.info.Coords[i], float64(g)*s.h)
			}
		}
	}
	return nil
}

// checkCond estimates the condition of the factored Hessian relative to
// the kinetic term (see estimateRCond) and reports ErrSingular below
// Options.MinRCond.
func (s *Solver) checkCond(iter int) error {
	it := 5
	if s.iterative() {
		it = 2 // each solve is iterative: at most six
	}
	s.lastRC = s.estimateRCond(it)
	if s.lin.linErr != nil {
		return s.lin.linErr
	}
	floor := 64 * 0x1p-52 * float64(s.N/2) * float64((s.N+1)/2)
	if !(s.lastRC >= max(s.set.minRCond, floor)) {
		return s.singular(iter, s.lastRC)
	}
	return nil
}

func (s *Solver) singular(iter int, rc float64) error {
	where := "at the initial guess"
	if iter > 0 {
		where = fmt.Sprintf("at Newton iteration %d", iter)
	}
	if err := s.singularKinetic(where, rc); err != nil {
		return err
	}
	if s.bc == Fixed {
		return fmt.Errorf("%w: relative reciprocal condition number %.3g %s (fixed ends, T = %g, N = %d): "+
			"T is probably at or near a conjugate point (for an oscillator of frequency ω, T = π/ω, 2π/ω, …); "+
			"shorten or lengthen T, or change N", ErrSingular, rc, where, s.pr.T, s.N)
	}
	return fmt.Errorf("%w: relative reciprocal condition number %.3g %s (periodic, T = %g, N = %d): "+
		"an autonomous system has a zero mode (every time shift of a periodic orbit is one), and a period "+
		"at a resonance (ωT = 2πk for an oscillator) is singular too; add a periodic drive or a phase condition, "+
		"or change T or N", ErrSingular, rc, where, s.pr.T, s.N)
}

func normInf(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	return m
}

// floorTol is the relative accuracy that round-off allows for an N-step
// trajectory; tolerances below it are raised to it.
func (s *Solver) floorTol() float64 { return 16 * 0x1p-52 * float64(s.N) }

// converged applies the convergence test to the correction norm dn. With
// warm == nil it is the free test ‖δ‖∞ ≤ Tol·scale; otherwise the test is
// relative to the displacement from warm.
//
// When the residual of the last sweep is at the level of its own rounding
// errors (‖r‖₂ ≤ 256ε·‖|D1|+|D2|‖₂) Newton cannot improve the point any
// further, and a correction up to 1000 times the tolerance is accepted.
func (s *Solver) converged(dn, scale float64, warm []float64) bool {
	fl := s.floorTol()
	qs := max(normInf(s.q), scale)
	var tol float64
	if warm == nil {
		tol = max(s.set.tol, fl) * qs
	} else {
		disp := 0.0
		for i, x := range s.q {
			disp = max(disp, math.Abs(x-warm[i]))
		}
		tol = max(s.set.gradTol*disp, fl*qs)
	}
	return dn <= tol || (s.rnorm <= s.roundoff() && dn <= 1e3*tol)
}

// wantTheta are the parameter derivatives, which the iterations of Newton's
// method and of the chord method do not need: their sweeps leave them out
// (a model with many parameters, a network's couplings, spends most of
// an evaluation on them) and sweepTheta adds them at the solution.
const wantTheta = WantLth | WantCth

// sweepTheta sweeps at the solution s.q once more for ∂S_d/∂θ and ∂C_d/∂θ
// if the last sweep left them out (the values it recomputes are the same).
func (s *Solver) sweepTheta(beta float64, it int) error {
	if s.thetaOK {
		return nil
	}
	if !s.sweep(s.q, beta, Level1) {
		return s.nanErr(s.q, beta, it)
	}
	return nil
}

// roundoff is the size of the rounding errors in the residual ‖r‖₂: those
// of summing the steps' terms and those that the rounding of q causes
// through the kinetic term (see sweep).
func (s *Solver) roundoff() float64 {
	return math.Hypot(256*0x1p-52*s.rscale, 2*0x1p-52*s.kscale)
}

// newton runs damped Newton's method from s.q on S_d + βC_d. On success
// s.q is the solution, the last sweep was made there, and s.bnd holds the
// Hessian factorisation there.
func (s *Solver) newton(beta float64, warm []float64) (int, error) {
	if !s.sweep(s.q, beta, Level2&^wantTheta) {
		return 0, s.nanErr(s.q, beta, 0)
	}
	scale := normInf(s.q)
	s.atSolution = false
	prev := math.Inf(1)
	for it := 0; ; it++ {
		if err := s.factor(it, false); err != nil {
			return it, err
		}
		s.gather(s.r, nil, 0)
		s.solveLinTol(s.rhs, newtonTol(prev, scale))
		if s.lin.linErr != nil {
			return it, s.lin.linErr
		}
		dn := normInf(s.rhs)
		if math.IsNaN(dn) || math.IsInf(dn, 0) {
			return it, fmt.Errorf("%w: Newton correction at iteration %d", ErrNaN, it)
		}
		if it == 0 {
			scale = max(scale, dn)
		}
		prev = dn
		if s.converged(dn, scale, warm) {
			s.lastCorr = dn
			if warm == nil && s.lastRC == 0 {
				// Free solves check the second variation at the
				// solution: EP and the adjoint need it invertible.
				s.atSolution = true
				if err := s.checkCond(it); err != nil {
					return it, err
				}
			}
			return it, s.sweepTheta(beta, it)
		}
		if it >= s.set.maxIter {
			if err := s.checkCond(it); err != nil {
				return it, err
			}
			return it, fmt.Errorf("%w: after %d Newton iterations the correction is %.3g (relative %.3g, tolerance %g) "+
				"and the residual max|∇S|/h = %.3g; try a better guess, more iterations, or a shorter horizon",
				ErrNoConvergence, it, dn, dn/max(scale, normInf(s.q)), s.set.tol, s.rInf/s.h)
		}
		// Backtracking line search on the ℓ2 norm of the residual.
		r0 := s.rnorm
		alpha := 1.0
		for ls := 0; ; ls++ {
			s.step(s.qt, s.q, alpha)
			ok := s.sweep(s.qt, beta, Level2&^wantTheta)
			if ok && (s.rnorm <= (1-1e-4*alpha)*r0 || s.rnorm <= s.roundoff()) {
				s.q, s.qt = s.qt, s.q
				break
			}
			if ls == 30 {
				if !ok {
					return it, s.nanErr(s.qt, beta, it)
				}
				// Stagnation at numerical precision: the residual is at
				// round-off level, so no step can reduce it, and the
				// correction is within 1000 times the free solve's
				// tolerance; the nudged solves' stricter test (relative
				// to their small displacement) is then beyond what the
				// Hessian's conditioning allows.
				if r0 <= 16*s.roundoff() && dn <= 1e3*max(s.set.tol, s.floorTol())*max(normInf(s.q), scale) {
					s.lastCorr = dn
					return it, s.sweepTheta(beta, it)
				}
				if err := s.checkCond(it); err != nil {
					return it, err
				}
				return it, fmt.Errorf("%w: line search failed at Newton iteration %d: the residual ‖∇S‖₂ = %.3g "+
					"cannot be reduced along the Newton direction (correction %.3g, Hessian rcond %.3g); "+
					"try a better guess, a weaker nonlinearity or drive, or change T or N",
					ErrNoConvergence, it, r0, dn, s.lastRC)
			}
			alpha /= 2
		}
	}
}

// newtonTol is the relative residual to which an iterative solver solves
// the Newton system after a correction of size prev (inexact Newton, in
// the manner of Eisenstat and Walker): the error of the correction then
// stays below 1% of the square of the last one, so quadratic convergence
// is kept, and at most 1e-6 of the correction itself, enough for the
// convergence test.
func newtonTol(prev, scale float64) float64 {
	if !(prev < scale) || scale == 0 {
		return 1e-6
	}
	r := prev / scale
	return min(1e-6, max(linTol, 1e-2*r*r))
}

// chordTol is the relative residual of the iterative solves of the chord
// iteration: each correction is checked by the next sweep.
const chordTol = 1e-6

// nanErr reports where the model produced NaN or Inf along q.
func (s *Solver) nanErr(q []float64, beta float64, iter int) error {
	// Locate the first bad step.
	for k := range s.N {
		s.model.Eval(Level1, s.midpoint(q, k), s.out)
		o := s.out
		bad := !finite([]float64{o.L, o.C}) || !finite(o.Lq) || !finite(o.Lv) || !finite(o.Lth) ||
			(beta != 0 && (!finite(o.Cq) || !finite(o.Cv)))
		if bad || !finite(s.qbar) || !finite(s.vv) {
			hint := "the Newton step left the model's domain: try a better guess, a weaker drive or more steps"
			if iter == 0 {
				hint = "the initial guess is outside the model's domain (a division by zero, the log or square root of a negative number…): give an initial guess or other boundary values"
			}
			return fmt.Errorf("%w: model evaluation at step %d (t = %g, q = %.4g, v = %.4g) at Newton iteration %d; %s",
				ErrNaN, k, s.pt.T, s.qbar, s.vv, iter, hint)
		}
	}
	return fmt.Errorf("%w: at Newton iteration %d: the linear solve produced NaN or Inf; check the problem's scaling", ErrNaN, iter)
}

// saveFree records the current (converged, free) state.
func (s *Solver) saveFree() {
	copy(s.qfree, s.q)
	copy(s.rfree, s.r)
	copy(s.gCfree, s.gC)
	copy(s.dSfree, s.dS)
	copy(s.dCfree, s.dC)
	s.freeAct, s.freeC = s.sAct, s.sCost
	copy(s.dfree, s.rhs) // the correction of the converged iteration
	s.freeOK, s.factFree, s.lamOK = true, true, false
}

// chord solves the nudged problem S_d + βC_d from the free solution with
// the free Hessian factorisation (a simplified Newton method): each
// iteration costs one first-order sweep and one back-substitution. It
// starts from the free solution, or from the predictor pred (a grid
// vector) if not nil, which then counts as the first iteration. It falls
// back to Newton's method if the iteration contracts poorly.
func (s *Solver) chord(beta float64, pred []float64) (int, error) {
	prev, scale := math.Inf(1), 0.0
	if pred == nil {
		copy(s.q, s.qfree)
		if s.lamOK {
			// −H⁻¹(∇S_d + β∇C_d) from the two solves at hand.
			for i, x := range s.dfree {
				s.rhs[i] = x + beta*s.lamNeg[i]
			}
		} else {
			s.gather(s.rfree, s.gCfree, beta)
			s.solveLinTol(s.rhs, chordTol)
			if s.lin.linErr != nil {
				return 0, s.lin.linErr
			}
		}
		prev = normInf(s.rhs)
		scale = max(normInf(s.q), prev)
		s.rnorm = math.Inf(1) // no sweep at this point yet: no round-off clause
		if s.converged(prev, scale, s.qfree) {
			if !s.sweep(s.q, beta, Level1) {
				return 0, s.nanErr(s.q, beta, 0)
			}
			s.lastCorr = prev
			return 0, nil
		}
		s.step(s.q, s.q, 1)
	} else {
		copy(s.q, pred)
		scale = normInf(s.q)
	}
	for it := 1; ; it++ {
		if !s.sweep(s.q, beta, Level1&^wantTheta) {
			return it, s.nanErr(s.q, beta, it)
		}
		s.gather(s.r, nil, 0)
		s.solveLinTol(s.rhs, chordTol)
		if s.lin.linErr != nil {
			return it, s.lin.linErr
		}
		dn := normInf(s.rhs)
		if s.converged(dn, scale, s.qfree) {
			s.lastCorr = dn
			return it, s.sweepTheta(beta, it)
		}
		if !(dn <= prev/2) || it >= s.set.maxIter {
			// Poor contraction (large β or strong nonlinearity):
			// continue with Newton's method from here.
			s.factFree = false
			k, err := s.newton(beta, s.qfree)
			return it + k, err
		}
		prev = dn
		s.step(s.q, s.q, 1)
	}
}

// fill copies the current state into dst.
func (s *Solver) fill(dst *Solution, beta float64, iters int, rc float64) {
	n, N := s.n, s.N
	dst.resize(n, N, s.np)
	dst.Beta = beta
	for k := 0; k <= N; k++ {
		dst.Times[k] = float64(k) * s.h
		copy(dst.Q[k], s.q[k*n:k*n+n])
		copy(dst.P[k], s.p[k*n:k*n+n])
	}
	dst.Times[N] = s.pr.T
	dst.Action, dst.Cost = s.sAct, s.sCost
	copy(dst.DSdTheta, s.dS)
	copy(dst.DCdTheta, s.dC)
	dst.Iterations = iters
	dst.Continuation = 0
	dst.Residual = s.rInf / s.h
	dst.Correction = s.lastCorr
	dst.RCond = rc
	dst.ErrorEstimate, dst.Warnings = ErrorEstimate{}, dst.Warnings[:0]
	dst.IVP = nil
}

// Solve finds a stationary trajectory of the free discrete action S_d of
// pr into dst, reusing dst's storage when its shape fits. If damped
// Newton's method from the initial guess fails, it falls back to
// continuation in the horizon unless Options.NoContinuation is set (see
// "Convergence and globalisation" in the package documentation). On error
// dst is unspecified and s holds no free solution.
func (s *Solver) Solve(dst *Solution, pr *Problem, opt *Options) error {
	if pr != nil && pr.BC == Initial && pr.Model != nil {
		return s.solveIVP(dst, pr, opt)
	}
	if err := s.setup(pr, opt); err != nil {
		return err
	}
	s.guess()
	it, err := s.newton(0, nil)
	steps := 0
	if err != nil && !s.set.noCont && s.retryable(err, it) {
		var k int
		k, steps, err = s.continuation(err)
		it += k
	}
	s.iterTotal, s.solvesTotal = it, 1
	if err != nil {
		return err
	}
	s.saveFree()
	s.fill(dst, 0, it, s.lastRC)
	dst.Continuation = steps
	s.estimateError(dst)
	return nil
}

// SolveNudged finds a stationary trajectory of S_d + βC_d into dst,
// warm-started from warm (normally the free solution; nil starts from
// pr's guess as Solve does).
//
// If warm is the free solution that s computed last for this pr (same
// trajectory and parameters), the solve reuses its Hessian factorisation:
// each iteration is then one first-order model sweep and one
// back-substitution. pr must not have been modified since that Solve.
// Otherwise it runs Newton's method from warm. Convergence is measured
// against the displacement from warm (Options.GradTol).
func (s *Solver) SolveNudged(dst *Solution, pr *Problem, beta float64, warm *Solution, opt *Options) error {
	if beta == 0 && warm == nil {
		return s.Solve(dst, pr, opt)
	}
	if s.reusable(pr, warm) {
		s.set = opt.settings()
		it, err := s.chord(beta, nil)
		if err != nil {
			return err
		}
		s.fill(dst, beta, it, 0)
		return nil
	}
	if err := s.setup(pr, opt); err != nil {
		return err
	}
	var ref []float64
	if warm == nil {
		s.guess()
	} else {
		if err := s.checkWarm(warm); err != nil {
			return err
		}
		for k, row := range warm.Q {
			copy(s.q[k*s.n:], row)
		}
		s.fixEnds(s.q)
		copy(s.qfree, s.q)
		ref = s.qfree
	}
	it, err := s.newton(beta, ref)
	if err != nil {
		return err
	}
	s.fill(dst, beta, it, s.lastRC)
	return nil
}

// reusable reports whether warm is the free solution held by s for pr.
func (s *Solver) reusable(pr *Problem, warm *Solution) bool {
	if warm == nil || !s.freeOK || !s.factFree || s.pr != pr || len(warm.Q) != s.N+1 || warm.Beta != 0 {
		return false
	}
	th := pr.Theta
	if th == nil {
		th = pr.Model.Info().Defaults
	}
	for i, x := range th {
		if x != s.theta[i] {
			return false
		}
	}
	n := s.n
	for k, row := range warm.Q {
		if len(row) != n {
			return false
		}
		for i, x := range row {
			if x != s.qfree[k*n+i] {
				return false
			}
		}
	}
	return true
}

// Solve finds a stationary trajectory of the free discrete action of pr.
// It is a convenience wrapper around Solver.Solve with a new Solver.
func Solve(pr *Problem, opt *Options) (*Solution, error) {
	sol := new(Solution)
	if err := new(Solver).Solve(sol, pr, opt); err != nil {
		return nil, err
	}
	return sol, nil
}

// SolveNudged finds a stationary trajectory of the nudged discrete action
// S_d + βC_d of pr by Newton's method warm-started from warm (nil: pr's
// guess). It is a convenience wrapper around Solver.SolveNudged.
func SolveNudged(pr *Problem, beta float64, warm *Solution, opt *Options) (*Solution, error) {
	sol := new(Solution)
	if err := new(Solver).SolveNudged(sol, pr, beta, warm, opt); err != nil {
		return nil, err
	}
	return sol, nil
}
