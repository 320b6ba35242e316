package lagrt

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors. Every error returned by this package wraps one of them
// (test with errors.Is) and its message starts with "lagrt: ".
var (
	// ErrNoConvergence: Newton's method did not reach the tolerance within
	// Options.MaxIter iterations, or its line search could not reduce the
	// residual, and for a free solve continuation in the horizon did not
	// succeed either. The message reports iterations, correction and
	// residual, and how far continuation got.
	ErrNoConvergence = errors.New("lagrt: no convergence")
	// ErrSingular: the Hessian of the discrete action (the second
	// variation) is singular or nearly so. The message names the likely
	// cause for the boundary conditions in use.
	ErrSingular = errors.New("lagrt: singular Hessian")
	// ErrNaN: the model produced NaN or Inf.
	ErrNaN = errors.New("lagrt: NaN or Inf")
	// ErrProblem: the Problem is malformed (sizes, horizon, step count),
	// or an explicit β is too small for an EP estimate to rise above
	// round-off.
	ErrProblem = errors.New("lagrt: invalid problem")
)

// BC selects the boundary conditions of a Problem.
type BC int

const (
	// Fixed endpoints: q(0) = Problem.Q0 and q(T) = Problem.QT.
	Fixed BC = iota
	// Periodic: q(0) = q(T) (and, at a solution, p(0) = p(T)).
	Periodic
	// Initial: an initial-value problem, q(0) = Problem.Q0 with
	// Problem.V0 or Problem.P0, integrated forward one step at a time
	// (see ivp.go). Only Solve and Gradient (methods Adjoint, Echo,
	// EchoOneSided, FiniteDiff) accept it.
	Initial
)

// String returns "fixed", "periodic" or "initial".
func (b BC) String() string {
	switch b {
	case Fixed:
		return "fixed"
	case Periodic:
		return "periodic"
	case Initial:
		return "initial"
	}
	return fmt.Sprintf("BC(%d)", int(b))
}

// Signal is an external signal of time: the model's inputs u(t) or targets
// y(t). Set at most one of Func and Samples. The zero value is the zero
// signal.
//
// The runtime evaluates signals at the midpoints t_{k+½} = (k+½)h of the
// grid: Func is called there, and Samples (one row per grid time t_k, N+1
// rows) are averaged over the two neighbouring rows.
type Signal struct {
	// Func writes the signal at time t into dst (len = number of
	// inputs or targets). It must not retain dst.
	Func func(t float64, dst []float64)
	// Samples holds the signal at the grid times t_0..t_N.
	Samples [][]float64
}

// IsZero reports whether s is the zero signal.
func (s *Signal) IsZero() bool { return s.Func == nil && s.Samples == nil }

// Problem is a discrete stationary-action problem: find q_0..q_N on the
// grid t_k = k·T/N making the midpoint discrete action stationary under the
// boundary conditions. The runtime never modifies a Problem.
type Problem struct {
	Model Model
	T     float64 // horizon, > 0 (the period for Periodic)
	N     int     // number of time steps, ≥ 2 (≥ 3 for Periodic)
	BC    BC

	// Q0 and QT are the endpoint values for Fixed conditions (len n).
	// They are ignored for Periodic conditions. For Initial conditions
	// Q0 is q(0) and QT is ignored.
	Q0, QT []float64

	// V0 and P0 are the initial velocity and the initial momentum of
	// Initial conditions (len n); set exactly one. V0 is mapped to the
	// continuous momentum p_0 = ∂L/∂v(q_0, V0, t=0), which starts the
	// discrete Euler–Lagrange map (see ivp.go). Both are ignored for
	// the other conditions.
	V0, P0 []float64

	// Theta holds the parameter values; nil means Model.Info().Defaults.
	Theta []float64

	// Input and Target are the signals u(t) and y(t).
	Input, Target Signal

	// Guess is an optional initial trajectory, N+1 rows of n values.
	// For Fixed conditions rows 0 and N are ignored (the endpoints are
	// Q0 and QT); for Periodic ones row N is ignored. Without a guess,
	// Fixed problems start from the straight line between Q0 and QT,
	// and Periodic ones from the rest state q = 0.
	Guess [][]float64
}

// Options controls the solver and the gradient estimators. A nil *Options
// and zero fields mean the defaults documented on each field.
type Options struct {
	// Tol is the convergence tolerance of free solves (default
	// DefaultTol): Newton stops when the correction satisfies
	// ‖δq‖∞ ≤ Tol·scale, with scale = max(‖q‖∞, ‖initial q‖∞, ‖first δq‖∞).
	Tol float64
	// GradTol is the relative tolerance of the nudged and perturbed
	// solves inside gradient estimates and SolveNudged (default
	// DefaultGradTol): they stop when ‖δq‖∞ ≤ GradTol·‖q − q_warm‖∞, the
	// displacement from the warm-start trajectory, so a difference
	// quotient carries a relative error of about GradTol whatever β.
	GradTol float64
	// MaxIter bounds the Newton iterations of one solve (default
	// DefaultMaxIter).
	MaxIter int
	// Beta is the nudging strength β of the EP estimators. Zero (or
	// negative) chooses it from the problem's scale (see "Choice of β"
	// in the package documentation); an explicit β below that choice is
	// refused with ErrProblem when the estimate would be lost in
	// round-off.
	Beta float64
	// FDStep is the relative step of the finite-difference gradient: θ_j
	// moves by ±FDStep·max(1, |θ_j|) (default DefaultFDStep).
	FDStep float64
	// MinRCond is the relative reciprocal condition number of the
	// Hessian (Solution.RCond: scaled by the kinetic term, 1 for a free
	// particle with fixed ends) below which it is reported singular
	// (default DefaultMinRCond). The threshold is never below the level
	// that rounding errors allow, 64ε·⌊N/2⌋⌈N/2⌉ (the condition number of
	// the discrete kinetic term grows as N²).
	MinRCond float64
	// NoContinuation disables the continuation fallback of free solves
	// (see "Convergence and globalisation" in the package documentation):
	// a free solve then fails as soon as plain damped Newton does.
	NoContinuation bool
	// NoErrorEstimate disables the a-posteriori estimate of the
	// discretisation error of free solves (Solution.ErrorEstimate, see
	// "Discretisation error" in the package documentation). Evaluator and
	// Train disable it unless asked for.
	NoErrorEstimate bool
	// Linear forces a method for the linear systems of Newton's method
	// (default LinearAuto: chosen from the model's Hessian pattern).
	Linear LinearSolver
}

// Defaults of Options.
const (
	DefaultTol     = 1e-10
	DefaultGradTol = 1e-7
	DefaultMaxIter = 50
	DefaultBeta    = 1e-4 // fallback of the scale-aware β when ∇_q C_d = 0
	// DefaultEchoBeta is the nudge of the Hamiltonian echo when
	// Options.Beta is 0: at 1e-4 the centered echo's O(β²) bias reached
	// 2e-6 relative on a 20-oscillator network, at 1e-5 it is 2e-8.
	DefaultEchoBeta = 1e-5
	DefaultFDStep   = 1e-5
	DefaultMinRCond = 1e-10
)

// WarnRCond is the relative reciprocal condition number (Solution.RCond)
// below which a solution is near a conjugate point, resonance or zero
// mode: the response to the boundary values or the drive is then
// amplified about 100-fold or more relative to a free particle, and callers
// should warn.
const WarnRCond = 1e-2

// settings is Options with defaults applied.
type settings struct {
	tol, gradTol, beta, fdStep, minRCond float64
	maxIter                              int
	noCont, noErrEst                     bool
	linear                               LinearSolver
	betaGiven                            bool // Options.Beta was set
}

func (o *Options) settings() settings {
	s := settings{DefaultTol, DefaultGradTol, DefaultBeta, DefaultFDStep, DefaultMinRCond, DefaultMaxIter, false, false, LinearAuto, false}
	if o == nil {
		return s
	}
	if o.Tol > 0 {
		s.tol = o.Tol
	}
	if o.GradTol > 0 {
		s.gradTol = o.GradTol
	}
	if o.Beta > 0 {
		s.beta, s.betaGiven = o.Beta, true
	}
	if o.FDStep > 0 {
		s.fdStep = o.FDStep
	}
	if o.MinRCond > 0 {
		s.minRCond = o.MinRCond
	}
	if o.MaxIter > 0 {
		s.maxIter = o.MaxIter
	}
	s.noCont = o.NoContinuation
	s.noErrEst = o.NoErrorEstimate
	s.linear = o.Linear
	return s
}

// Solution is a stationary trajectory of the (possibly nudged) discrete
// action. Rows are grid times t_0..t_N; for Periodic problems row N repeats
// row 0.
type Solution struct {
	Beta  float64     // nudging strength the trajectory is stationary for (0: free)
	Times []float64   // t_k = k·h, N+1 values
	Q     [][]float64 // q_k, N+1 rows of n
	// P holds the discrete momenta of L + βc: p_k = D2 L_d(q_{k−1}, q_k)
	// for k ≥ 1 and p_0 = −D1 L_d(q_0, q_1).
	P [][]float64

	Action float64 // S_d, the discrete action of L (without βC_d)
	Cost   float64 // C_d, the discrete cost

	// DSdTheta is ∂S_d/∂θ = Σ_k h ∂L/∂θ(q̄_k, v_k, t_{k+½}) along the
	// trajectory, and DCdTheta the explicit ∂C_d/∂θ (zero unless the
	// cost depends on θ).
	DSdTheta, DCdTheta []float64

	Iterations int     // Newton (or chord) corrections applied, those of a failed plain attempt and of continuation included
	Residual   float64 // max |∂(S_d+βC_d)/∂q_k| / h over unknowns: the discrete Euler–Lagrange residual
	Correction float64 // the final Newton correction ‖δq‖∞ that passed the test
	// RCond estimates the relative reciprocal condition number ρ of the
	// Hessian at the solution (0 when it was not estimated, as for
	// nudged solves that reuse the free factorisation): after symmetric
	// scaling by the kinetic diagonal, the 1-norm of the inverse of the
	// unit-mass fixed-end kinetic operator over the same N steps divided
	// by that of the Hessian. It is 1 for a free particle with fixed ends
	// and 1 − (ωT/π)² for an oscillator, whatever N and the units; it
	// vanishes at a conjugate point (fixed ends), a resonance or a zero
	// mode (periodic). Below WarnRCond the trajectory is sensitive to
	// the data; below Options.MinRCond the solve fails with ErrSingular.
	RCond float64
	// ErrorEstimate estimates the discretisation error of a free
	// solution (zero for nudged solves and with Options.NoErrorEstimate).
	ErrorEstimate ErrorEstimate
	// Warnings lists conditions that do not prevent a solution but make
	// it suspect, such as a large discretisation error; nil or empty when
	// there are none.
	Warnings []string
	// Continuation is the number of problems a free solve solved by
	// continuation in the horizon after plain damped Newton failed,
	// the problem asked for included; 0 when plain Newton sufficed.
	Continuation int

	// IVP holds what only initial-value problems report (nil for the
	// other conditions).
	IVP *IVPReport
}

// resize makes the row slices of s hold n columns and N+1 rows, reusing
// storage when possible.
func (s *Solution) resize(n, N, P int) {
	rows := func(m [][]float64) [][]float64 {
		if len(m) == N+1 && cap(m[0]) == n && len(m[0]) == n && n > 0 {
			return m
		}
		flat := make([]float64, (N+1)*n)
		m = make([][]float64, N+1)
		for k := range m {
			m[k] = flat[k*n : (k+1)*n : (k+1)*n]
		}
		return m
	}
	if len(s.Times) != N+1 {
		s.Times = make([]float64, N+1)
	}
	s.Q = rows(s.Q)
	s.P = rows(s.P)
	if len(s.DSdTheta) != P {
		s.DSdTheta = make([]float64, P)
	}
	if len(s.DCdTheta) != P {
		s.DCdTheta = make([]float64, P)
	}
}

// validate checks the shapes of pr and returns the parameter vector to use.
// It rejects Initial conditions, which the boundary-value solver does not
// handle (Solve and Gradient send them to the integrator first).
func (pr *Problem) validate() ([]float64, error) { return pr.check(false) }

// check is validate, accepting Initial conditions if ivp is set.
func (pr *Problem) check(ivp bool) ([]float64, error) {
	if pr == nil || pr.Model == nil {
		return nil, fmt.Errorf("%w: no model", ErrProblem)
	}
	info := pr.Model.Info()
	n, np := info.N(), info.P()
	bad := func(format string, a ...any) ([]float64, error) {
		return nil, fmt.Errorf("%w: %s: %s", ErrProblem, info.Name, fmt.Sprintf(format, a...))
	}
	if n == 0 {
		return bad("model has no coordinates")
	}
	if !(pr.T > 0) || math.IsInf(pr.T, 0) {
		return bad("horizon T = %g, want a finite T > 0", pr.T)
	}
	switch pr.BC {
	case Fixed:
		if pr.N < 2 {
			return bad("N = %d steps, want N ≥ 2 for fixed ends", pr.N)
		}
		if !info.endLen(len(pr.Q0)) || !info.endLen(len(pr.QT)) {
			return bad("fixed ends: len(Q0) = %d, len(QT) = %d, want %d", len(pr.Q0), len(pr.QT), info.NPhys())
		}
		if !finite(pr.Q0) || !finite(pr.QT) {
			return bad("fixed ends contain NaN or Inf")
		}
	case Periodic:
		if pr.N < 3 {
			return bad("N = %d steps, want N ≥ 3 for periodic conditions", pr.N)
		}
	case Initial:
		if info.Physical > 0 {
			return bad("initial-value problems are not available for models with dissipation (the doubled action is stationary only under fixed or periodic conditions)")
		}
		if !ivp {
			return bad("initial-value problems are integrated by Solve and Gradient (methods adjoint, echo, echo1, fd) only, not by this boundary-value routine")
		}
		if pr.N < 1 {
			return bad("N = %d steps, want N ≥ 1 for initial conditions", pr.N)
		}
		if len(pr.Q0) != n {
			return bad("initial conditions: len(Q0) = %d, want %d", len(pr.Q0), n)
		}
		if (pr.V0 == nil) == (pr.P0 == nil) {
			return bad("initial conditions: set exactly one of V0 (velocity) and P0 (momentum)")
		}
		if x := pr.V0; x != nil && len(x) != n || pr.P0 != nil && len(pr.P0) != n {
			return bad("initial conditions: len(V0) = %d, len(P0) = %d, want %d", len(pr.V0), len(pr.P0), n)
		}
		if !finite(pr.Q0) || !finite(pr.V0) || !finite(pr.P0) {
			return bad("initial conditions contain NaN or Inf")
		}
	default:
		return bad("unknown boundary conditions %v", pr.BC)
	}
	theta := pr.Theta
	if theta == nil {
		theta = info.Defaults
	}
	if len(theta) != np {
		return bad("%d parameter values, model has %d parameters", len(theta), np)
	}
	if !finite(theta) {
		return bad("parameters contain NaN or Inf")
	}
	for _, sg := range []struct {
		name string
		s    *Signal
		w    int
	}{{"input", &pr.Input, len(info.Inputs)}, {"target", &pr.Target, len(info.Targets)}} {
		if sg.s.Func != nil && sg.s.Samples != nil {
			return bad("%s signal has both Func and Samples", sg.name)
		}
		if sg.s.Samples != nil {
			if len(sg.s.Samples) != pr.N+1 {
				return bad("%s signal has %d samples, want N+1 = %d", sg.name, len(sg.s.Samples), pr.N+1)
			}
			for k, row := range sg.s.Samples {
				if len(row) != sg.w {
					return bad("%s sample %d has %d values, want %d", sg.name, k, len(row), sg.w)
				}
			}
		}
	}
	if pr.Guess != nil {
		if len(pr.Guess) != pr.N+1 {
			return bad("guess has %d rows, want N+1 = %d", len(pr.Guess), pr.N+1)
		}
		for k, row := range pr.Guess {
			if !info.endLen(len(row)) {
				return bad("guess row %d has %d values, want %d", k, len(row), info.NPhys())
			}
		}
	}
	return theta, nil
}

// endLen reports whether k values are a valid endpoint or guess row: n,
// or the physical coordinates of a doubled model.
func (in *Info) endLen(k int) bool { return k == in.N() || in.Physical > 0 && k == in.Physical }

func finite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
