package lagrt

import (
	"fmt"
	"math"
)

// Scale-aware nudging strength of the EP estimators; see "Gradients" in
// the package documentation.
const (
	// BetaCostFraction bounds the default β by the cost: the nudge may
	// change the free cost C_d, to first order, by this fraction of
	// itself: β·|∇C_dᵀH⁻¹∇C_d| ≤ BetaCostFraction·|C_d|.
	BetaCostFraction = 1e-4
	// BetaDispFraction bounds the default β by the trajectory: the
	// nudge may move it, to first order, by this fraction of its
	// excursion: β·‖H⁻¹∇C_d‖∞ ≤ BetaDispFraction·scale.
	BetaDispFraction = 1e-4
	// MaxEPNoise is the estimated relative error, from round-off and
	// the solver tolerance, above which an EP estimate with a β smaller
	// than the default is refused.
	MaxEPNoise = 1e-3
)

// epState holds the buffers of the EP noise check.
type epState struct {
	absTh []float64 // Σ_k h |∂L/∂θ_a| along the free trajectory
}

// trajScale returns the largest excursion max_k q_{k,i} − min_k q_{k,i}
// of a coordinate of the grid vector q, or ‖q‖∞ if q is constant.
func (s *Solver) trajScale(q []float64) float64 {
	n, scale := s.n, 0.0
	for i := range n {
		lo, hi := math.Inf(1), math.Inf(-1)
		for k := 0; k <= s.N; k++ {
			x := q[k*n+i]
			lo, hi = min(lo, x), max(hi, x)
		}
		scale = max(scale, hi-lo)
	}
	if scale == 0 {
		scale = normInf(q)
	}
	return scale
}

// autoBeta returns the default β for the free solution held by s (whose
// Hessian factorisation s.bnd holds): the largest β for which the nudge
// changes the free cost by at most BetaCostFraction of itself and moves
// the trajectory by at most BetaDispFraction of its excursion, both to
// first order in β, with λ = H⁻¹∇_q C_d from one back-substitution. It
// returns DefaultBeta when neither bound applies (∇_q C_d = 0, or a zero
// cost on a trajectory at rest). It overwrites s.rhs and keeps −λ in
// s.lamNeg for the nudged solves.
func (s *Solver) autoBeta() float64 {
	s.gather(s.gCfree, nil, 0)
	s.solveLin(s.rhs) // −λ in unknown order
	if s.lin.linErr == nil {
		copy(s.lamNeg, s.rhs)
		s.lamOK = true
	}
	n := s.n
	lamInf, gl := 0.0, 0.0
	for pos, g := range s.pos2grid {
		for i := range n {
			x := s.rhs[pos*n+i]
			lamInf = max(lamInf, math.Abs(x))
			gl -= s.gCfree[g*n+i] * x
		}
	}
	beta := math.Inf(1)
	if c := math.Abs(s.freeC); c > 0 && gl != 0 {
		beta = BetaCostFraction * c / math.Abs(gl)
	}
	if q := s.trajScale(s.qfree); q > 0 && lamInf > 0 {
		beta = min(beta, BetaDispFraction*q/lamInf)
	}
	if math.IsInf(beta, 0) || math.IsNaN(beta) || beta <= 0 {
		return DefaultBeta
	}
	return beta
}

// epNoise estimates the relative error of an EP estimate from round-off
// and from the tolerance of the solves: disp is ‖q_a − q_b‖∞ between the
// two trajectories whose ∂S/∂θ are contrasted, and delta the contrast
// ∂S/∂θ[q_a] − ∂S/∂θ[q_b]. Their difference is taken to be accurate to
// corr (the last corrections of the nudged solves, capped by the
// tolerance GradTol·disp they aimed at; extra, the free solve's error
// for the one-sided estimator, is added) but never better than the
// representation of the trajectory, 2ε‖q‖∞ per node, which ∂S/∂θ
// averages over the N steps to 2ε‖q‖∞/√N. The contrast's rounding error
// is taken as 4ε Σ_k h|∂L/∂θ_a| along the free trajectory (one model
// sweep). On the Duffing reproducer of the tests the estimate is within
// a factor 1 to 13 above the actual error for β = 1e-13..1e-10.
func (s *Solver) epNoise(disp, corr, extra float64, delta []float64) float64 {
	eps := 0x1p-52
	sqrtN := math.Sqrt(float64(s.N))
	trajErr := max(2*eps*normInf(s.qfree)/sqrtN, min(corr, s.set.gradTol*disp)) + extra
	rho := math.Inf(1)
	if disp > 0 {
		rho = trajErr / disp
	}
	s.ep.absTh = grow(s.ep.absTh, s.np)
	abs := s.ep.absTh
	clear(abs)
	n, h := s.n, s.h
	pt := &s.pt
	pt.Q, pt.V, pt.Theta = s.qbar, s.vv, s.theta
	for k := range s.N {
		qa, qb := s.qfree[k*n:k*n+n], s.qfree[(k+1)*n:(k+1)*n+n]
		for i := range n {
			s.qbar[i] = (qa[i] + qb[i]) / 2
			s.vv[i] = (qb[i] - qa[i]) / h
		}
		pt.T = (float64(k) + 0.5) * h
		pt.U = s.umid[k*s.nu : (k+1)*s.nu]
		pt.Y = s.ymid[k*s.ny : (k+1)*s.ny]
		s.model.Eval(WantLth, pt, s.out)
		for a, x := range s.out.Lth[:s.np] {
			abs[a] += h * math.Abs(x)
		}
	}
	sig := 4 * eps * normInf(abs)
	if d := normInf(delta); d > 0 {
		rho += sig / d
	} else if sig > 0 {
		rho = math.Inf(1)
	}
	return rho
}

// checkBeta refuses an EP estimate made with a β below the default
// betaAuto whose estimated relative error rho exceeds MaxEPNoise, when
// raising β would help: when the error at betaAuto (rho·β/betaAuto) is
// acceptable, or β is below a thousandth of betaAuto. (At the default β a
// noisy estimate is accepted: the gradient itself is then at round-off
// level, as at a zero of the cost.)
func (s *Solver) checkBeta(m Method, beta, betaAuto, rho float64) error {
	if rho <= MaxEPNoise || !(rho*beta/betaAuto <= MaxEPNoise || beta < 1e-3*betaAuto) {
		return nil
	}
	return fmt.Errorf("%w: %s: the %v EP estimate at β = %.3g is at round-off level: the nudged trajectories differ by "+
		"too little from the free one for ∂S/∂θ to resolve the difference (estimated relative error %.2g); raise β "+
		"(the scale-aware default for this problem is %.3g)", ErrProblem, s.info.Name, m, beta, rho, betaAuto)
}
