package lagrt

import (
	"fmt"
	"math"
)

// Method selects how ComputeGradient estimates dC_d/dθ, the gradient of
// the discrete cost at the free stationary trajectory.
type Method int

const (
	// EPCentered is Equilibrium Propagation with the centered estimator
	// (∂S_β/∂θ[q_β] − ∂S_−β/∂θ[q_−β])/(2β): two nudged solves, bias O(β²).
	// It is the zero value, the default of Evaluator and TrainOptions.
	EPCentered Method = iota
	// EPOneSided is Equilibrium Propagation with the one-sided
	// estimator (∂S_β/∂θ[q_β] − ∂S/∂θ[q_0])/β: one nudged solve, bias O(β).
	EPOneSided
	// Adjoint solves H λ = ∇_q C_d with the free Hessian factorisation and
	// returns ∂C_d/∂θ − λᵀ ∂²S_d/∂q∂θ: exact up to round-off.
	Adjoint
	// FiniteDiff takes central differences of C_d(q*(θ)) over whole
	// solves: 2P solves, error O(FDStep²).
	FiniteDiff
	// EchoOneSided is the Hamiltonian echo for initial-value problems
	// (ivp.go) with the one-sided estimator: the forward run and one
	// echo nudged by +β, bias O(β).
	EchoOneSided
	// Echo is the centered Hamiltonian echo for initial-value problems:
	// the forward run and echoes nudged by ±β, bias O(β²).
	Echo
)

var methodNames = [...]string{"centered", "ep", "adjoint", "fd", "echo1", "echo"}

// String returns "centered", "ep", "adjoint", "fd", "echo1" or "echo".
func (m Method) String() string {
	if m >= 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod is the inverse of Method.String.
func ParseMethod(s string) (Method, error) {
	for i, name := range methodNames {
		if s == name {
			return Method(i), nil
		}
	}
	return 0, fmt.Errorf("lagrt: unknown gradient method %q (want centered, ep, adjoint, fd, echo or echo1)", s)
}

// Gradient is a gradient estimate of the discrete cost C_d at the free
// stationary trajectory with respect to the parameters θ.
type Gradient struct {
	Method Method
	// Beta is the nudging strength of EP estimates, the relative step
	// of finite differences, and 0 for the adjoint.
	Beta float64
	Cost float64   // C_d at the free trajectory
	Grad []float64 // dC_d/dθ, len P
	Free *Solution // the free solution
	// Solves counts the stationary-trajectory solves (free one included)
	// and Iterations the Newton or chord iterations over all of them.
	Solves, Iterations int
}

// ComputeGradient solves pr and estimates the gradient of its discrete cost
// with method m. It is a convenience wrapper around Solver.Gradient.
func ComputeGradient(pr *Problem, m Method, opt *Options) (*Gradient, error) {
	g := new(Gradient)
	if err := new(Solver).Gradient(g, pr, m, opt); err != nil {
		return nil, err
	}
	return g, nil
}

// Gradient solves pr for its free trajectory (into dst.Free, allocated if
// nil) and estimates the gradient of the discrete cost with method m into
// dst, reusing dst's storage.
//
// The EP estimators differentiate ∂S_β/∂θ = ∂S_d/∂θ + β ∂C_d/∂θ along the
// nudged trajectories, so a cost that depends on θ explicitly contributes
// its ∂C_d/∂θ (at q_β for the one-sided estimator, averaged over q_±β for
// the centered one). The nudged solves start from the free solution and
// reuse its Hessian factorisation (see Solver.SolveNudged).
func (s *Solver) Gradient(dst *Gradient, pr *Problem, m Method, opt *Options) error {
	if m < EPCentered || m > Echo {
		return fmt.Errorf("%w: unknown gradient method %v", ErrProblem, m)
	}
	if pr != nil && pr.Model != nil && !pr.Model.Info().HasCost {
		return fmt.Errorf("%w: model %s declares no cost to differentiate", ErrProblem, pr.Model.Info().Name)
	}
	if pr != nil && pr.Model != nil && pr.BC == Initial {
		return s.gradientIVP(dst, pr, m, opt)
	}
	if m == Echo || m == EchoOneSided {
		return fmt.Errorf("%w: the echo (method %v) is for initial-value problems (BC Initial); use centered or adjoint", ErrProblem, m)
	}
	if dst.Free == nil {
		dst.Free = new(Solution)
	}
	if err := s.Solve(dst.Free, pr, opt); err != nil {
		return err
	}
	np := s.np
	dst.Grad = grow(dst.Grad, np)
	dst.Method = m
	dst.Cost = s.freeC
	dst.Beta = 0
	g := dst.Grad
	switch m {
	case EPOneSided, EPCentered:
		betaAuto := s.autoBeta()
		beta := betaAuto
		if opt != nil && opt.Beta > 0 {
			beta = opt.Beta
		}
		check := beta < betaAuto // an explicit β below the default: check its noise
		freeCorr := s.lastCorr
		dst.Beta = beta
		if err := s.nudge(beta); err != nil {
			return err
		}
		if m == EPOneSided {
			for a := range g {
				g[a] = s.dS[a] - s.dSfree[a]
			}
			if check {
				// The free solution's error counts where it exceeds the
				// round-off floor of its convergence test.
				extra := 0.0
				if freeCorr > s.floorTol()*normInf(s.qfree) {
					extra = freeCorr
				}
				rho := s.epNoise(s.dispFrom(s.qfree), s.lastCorr, extra, g)
				if err := s.checkBeta(m, beta, betaAuto, rho); err != nil {
					return err
				}
			}
			for a := range g {
				g[a] = g[a]/beta + s.dC[a]
			}
			break
		}
		copy(g, s.dS)
		cp := s.scratchP() // ∂C_d/∂θ[q_β]
		copy(cp, s.dC)
		corrPlus := s.lastCorr
		if check {
			copy(s.w, s.q) // q_β
		}
		if err := s.nudgeMinus(beta); err != nil {
			return err
		}
		for a := range g {
			g[a] -= s.dS[a]
		}
		if check {
			rho := s.epNoise(s.dispFrom(s.w), max(corrPlus, s.lastCorr), 0, g)
			if err := s.checkBeta(m, beta, betaAuto, rho); err != nil {
				return err
			}
		}
		for a := range g {
			g[a] = g[a]/(2*beta) + (cp[a]+s.dC[a])/2
		}
	case Adjoint:
		s.adjoint(g)
	case FiniteDiff:
		if err := s.finiteDiff(g); err != nil {
			return err
		}
		dst.Beta = s.set.fdStep
	}
	dst.Solves, dst.Iterations = s.solvesTotal, s.iterTotal
	return nil
}

// dispFrom returns ‖s.q − ref‖∞.
func (s *Solver) dispFrom(ref []float64) float64 {
	d := 0.0
	for i, x := range s.q {
		d = max(d, math.Abs(x-ref[i]))
	}
	return d
}

// scratchP returns a scratch vector of length P that survives sweeps.
func (s *Solver) scratchP() []float64 {
	s.pbuf = grow(s.pbuf, s.np)
	return s.pbuf
}

// nudge solves S_d + βC_d from the free solution, by the chord method when
// the free factorisation is available and by Newton's method otherwise.
func (s *Solver) nudge(beta float64) error {
	var it int
	var err error
	if s.factFree {
		it, err = s.chord(beta, nil)
	} else {
		copy(s.q, s.qfree)
		it, err = s.newton(beta, s.qfree)
	}
	s.iterTotal += it
	s.solvesTotal++
	return err
}

// nudgeMinus solves for q_−β after q_β is in s.q. With the free
// factorisation at hand it starts the chord iteration from the predictor
// q_β + 2βH⁻¹∇C_d: expanding q_±β = q_0 ∓ βλ + β²μ/2 ∓ …, with q_β known
// to the accuracy of its solve, the predictor has error O(β³), so that
// one sweep usually verifies convergence.
func (s *Solver) nudgeMinus(beta float64) error {
	if !s.factFree {
		return s.nudge(-beta)
	}
	if s.lamOK {
		copy(s.rhs, s.lamNeg)
	} else {
		s.gather(s.gCfree, nil, 0)
		s.solveLin(s.rhs) // −H⁻¹∇C_d
		if s.lin.linErr != nil {
			return s.lin.linErr
		}
	}
	copy(s.qt, s.q)
	s.step(s.qt, s.qt, -2*beta)
	it, err := s.chord(-beta, s.qt)
	s.iterTotal += it
	s.solvesTotal++
	return err
}

// adjoint computes dC_d/dθ = ∂C_d/∂θ − λᵀ ∂²S_d/∂q∂θ with H λ = ∇_q C_d at
// the free solution, whose Hessian the linear solver holds.
func (s *Solver) adjoint(g []float64) {
	n, N, h := s.n, s.N, s.h
	s.gather(s.gCfree, nil, 0)
	s.solveLin(s.rhs) // rhs = −λ
	lam := s.w
	clear(lam)
	for pos, gr := range s.pos2grid {
		for i := range n {
			lam[gr*n+i] = -s.rhs[pos*n+i]
		}
	}
	if s.bc == Periodic {
		copy(lam[N*n:], lam[:n])
	}
	copy(g, s.dCfree)
	out := s.out
	for k := range N {
		la, lb := lam[k*n:k*n+n], lam[(k+1)*n:(k+1)*n+n]
		s.model.Eval(WantLthq|WantLthv, s.midpoint(s.qfree, k), out)
		// g −= λᵀ ∂²S_d/∂q∂θ, one pattern entry at a time.
		pq, pv := s.pat[QLthq], s.pat[QLthv]
		for e, x := range out.Lthq[:pq.Len()] {
			i := pq.Cols[e]
			g[pq.Rows[e]] -= h / 2 * x * (la[i] + lb[i])
		}
		for e, x := range out.Lthv[:pv.Len()] {
			i := pv.Cols[e]
			g[pv.Rows[e]] -= x * (lb[i] - la[i])
		}
	}
}

// finiteDiff takes central differences of C_d(q*(θ)) in each θ_j, each
// solve warm-started from the free solution.
func (s *Solver) finiteDiff(g []float64) error {
	defer func() { s.factFree = false }()
	for j := range g {
		t0 := s.theta[j]
		st := s.set.fdStep * max(1, math.Abs(t0))
		var c [2]float64
		for side, sg := range [2]float64{1, -1} {
			s.theta[j] = t0 + sg*st
			copy(s.q, s.qfree)
			it, err := s.newton(0, s.qfree)
			s.iterTotal += it
			s.solvesTotal++
			if err != nil {
				s.theta[j] = t0
				return fmt.Errorf("finite differences at θ[%d] = %g: %w", j, s.theta[j]+sg*st, err)
			}
			c[side] = s.sCost
		}
		s.theta[j] = t0
		// Divide by the step actually taken.
		g[j] = (c[0] - c[1]) / ((t0 + st) - (t0 - st))
	}
	return nil
}

// DSdTheta evaluates ∂S_d/∂θ = Σ_k h ∂L/∂θ(q̄_k, v_k, t_{k+½}) along the
// trajectory q (N+1 rows of n; for Periodic problems row N is taken to be
// row 0) into dst,
// allocating it if nil or short, and returns it. The trajectory need not be
// stationary.
func (s *Solver) DSdTheta(dst []float64, pr *Problem, q [][]float64) ([]float64, error) {
	if err := s.setup(pr, nil); err != nil {
		return nil, err
	}
	if len(q) != s.N+1 {
		return nil, fmt.Errorf("%w: trajectory has %d rows, want N+1 = %d", ErrProblem, len(q), s.N+1)
	}
	for k, row := range q {
		if len(row) != s.n {
			return nil, fmt.Errorf("%w: trajectory row %d has %d values, want %d", ErrProblem, k, len(row), s.n)
		}
		copy(s.q[k*s.n:], row)
	}
	if s.bc == Periodic {
		s.fixEnds(s.q)
	}
	if !s.sweep(s.q, 0, Level1) {
		return nil, s.nanErr(s.q, 0, 0)
	}
	dst = grow(dst, s.np)
	copy(dst, s.dS)
	return dst, nil
}
