// Package continuationtest tests the runtime's continuation fallback
// (runtime/continuation.go), on hand-written models and on interpreted
// testdata systems. The tests live outside package lagrt so that the
// runtime's test binary, whose benchmarks are the reference numbers,
// keeps its code layout: adding them there moved (*band).factor off a
// 64-byte boundary, which alone changed BenchmarkGradCentered/P=32 by
// +20–28% with the runtime code unchanged.
package continuationtest_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

const (
	epAdjTol = 1e-6 // centered EP vs adjoint, relative (RelErr)
	fdAdjTol = 1e-6 // finite differences vs adjoint, relative
)

func sine(a, w float64) lagrt.Signal {
	return lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = a * math.Sin(w*t) }}
}

func wantErr(t *testing.T, err, target error, substr string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("error %v, want %v", err, target)
		return
	}
	if !strings.HasPrefix(err.Error(), "lagrt: ") || !strings.Contains(err.Error(), substr) {
		t.Errorf("error %q: want prefix \"lagrt: \" and %q", err, substr)
	}
	t.Log(err)
}

// loadLag compiles a testdata system for the interpreter.
func loadLag(t testing.TB, name string) lagrt.Model {
	t.Helper()
	path := filepath.Join("..", "..", "..", "testdata", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := compiler.Compile(name, src)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return interp.New(u)
}

func doublePendulum(m lagrt.Model, T float64) *lagrt.Problem {
	return &lagrt.Problem{Model: m, T: T, N: 100, Q0: []float64{0.5, -0.3}, QT: []float64{1, 0.2},
		Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.2 * math.Sin(3*t) }}}
}

// Plain damped Newton from the straight line fails on the double pendulum
// for these horizons (line search failure or no convergence after 50
// iterations); continuation in the horizon finds a stationary trajectory.
func TestContinuationDoublePendulum(t *testing.T) {
	m := loadLag(t, "double_pendulum.lag")
	for _, T := range []float64{0.9, 1, 1.3, 1.5, 2} {
		pr := doublePendulum(m, T)
		_, err := lagrt.Solve(pr, &lagrt.Options{NoContinuation: true})
		if !errors.Is(err, lagrt.ErrNoConvergence) {
			t.Errorf("T = %g: plain Newton: error %v, want ErrNoConvergence (the case no longer exercises continuation)", T, err)
		}
		sol, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Errorf("T = %g: %v", T, err)
			continue
		}
		r, p := lagrttest.Stationarity(pr, sol)
		t.Logf("T = %g: %d iterations, %d continuation steps, residual %.3g, rcond %.3g; stationarity %.3g, momenta %.3g",
			T, sol.Iterations, sol.Continuation, sol.Residual, sol.RCond, r, p)
		if r > 1e-6 || p > 1e-6 {
			t.Errorf("T = %g: stationarity %.3g, momentum error %.3g", T, r, p)
		}
		if sol.Continuation == 0 || sol.RCond == 0 {
			t.Errorf("T = %g: Continuation = %d, RCond = %g, want both > 0", T, sol.Continuation, sol.RCond)
		}
	}
	// EP at a solution found by continuation: the nudged solves reuse
	// the final factorisation, which must be the one at the solution.
	pr := doublePendulum(m, 1.3)
	if err := lagrttest.CheckProblem(pr, &lagrt.Options{Beta: 1e-5}, epAdjTol, 1e-5); err != nil {
		t.Error(err)
	}
	g, err := lagrt.ComputeGradient(pr, lagrt.EPCentered, &lagrt.Options{Beta: 1e-5})
	if err != nil {
		t.Fatal(err)
	}
	if it := g.Iterations - g.Free.Iterations; it > 4 {
		t.Errorf("nudged solves took %d iterations after continuation, want ≤ 4", it)
	}
}

// Strongly driven periodic Duffing (testdata/duffing.lag, β = 0.2) at
// twice its linear frequency converges by plain Newton up to A ≈ 5 (see
// TestContinuationPeriodicCoupled in package lagrt for a case that does
// not).
func TestContinuationPeriodic(t *testing.T) {
	duf := loadLag(t, "duffing.lag")
	for _, A := range []float64{1, 2, 3} {
		pr := &lagrt.Problem{Model: duf, T: math.Pi, N: 128, BC: lagrt.Periodic, Theta: []float64{1, 0.2},
			Input:  lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = A * math.Cos(2*t) }},
			Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.5 * math.Cos(2*t) }}}
		sol, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Errorf("Duffing A = %g: %v", A, err)
			continue
		}
		if r, p := lagrttest.Stationarity(pr, sol); r > 1e-6 || p > 1e-6 {
			t.Errorf("Duffing A = %g: stationarity %.3g, momentum error %.3g", A, r, p)
		}
		if A == 3 {
			if err := lagrttest.CheckProblem(pr, &lagrt.Options{Beta: 1e-5}, epAdjTol, 1e-5); err != nil {
				t.Error(err)
			}
		}
	}
}

// pendulumFar is a fixed-end pendulum problem on which plain damped Newton
// from the straight line fails (for T ≥ 1.8) and continuation in the
// horizon succeeds.
func pendulumFar(T float64) *lagrt.Problem {
	return &lagrt.Problem{Model: lagrttest.NewPendulum(1, 1, 9.81), T: T, N: 100, Q0: []float64{0.2}, QT: []float64{2.5},
		Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.3 * math.Cos(2*t) }}}
}

func TestContinuationPendulum(t *testing.T) {
	for _, T := range []float64{2, 3, 5} {
		pr := pendulumFar(T)
		_, err := lagrt.Solve(pr, &lagrt.Options{NoContinuation: true})
		if !errors.Is(err, lagrt.ErrNoConvergence) {
			t.Errorf("T = %g: plain Newton: error %v, want ErrNoConvergence (the case no longer exercises continuation)", T, err)
		}
		sol, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Errorf("T = %g: %v", T, err)
			continue
		}
		r, p := lagrttest.Stationarity(pr, sol)
		t.Logf("T = %g: %d iterations, %d continuation steps, rcond %.3g; stationarity %.3g, momenta %.3g",
			T, sol.Iterations, sol.Continuation, sol.RCond, r, p)
		if r > 1e-6 || p > 1e-6 {
			t.Errorf("T = %g: stationarity %.3g, momentum error %.3g", T, r, p)
		}
		if sol.Continuation == 0 {
			t.Errorf("T = %g: Continuation = 0", T)
		}
	}
	if err := lagrttest.CheckProblem(pendulumFar(3), &lagrt.Options{Beta: 1e-5}, epAdjTol, fdAdjTol); err != nil {
		t.Error(err)
	}
}

// Continuation does not hide genuinely singular problems, and the error
// still says what happened to plain Newton.
func TestContinuationKeepsErrors(t *testing.T) {
	osc := lagrttest.NewOscillator(1, 4) // ω = 2
	const N = 100
	// The discrete conjugate point T = (2N/ω) tan(π/2N).
	T := 2 * N / 2.0 * math.Tan(math.Pi/(2*N))
	_, err := lagrt.Solve(&lagrt.Problem{Model: osc, T: T, N: N, Q0: []float64{0}, QT: []float64{1}}, nil)
	wantErr(t, err, lagrt.ErrSingular, "conjugate point")

	// Autonomous periodic: the time-shift zero mode.
	T = 2 * N / 2.0 * math.Tan(math.Pi/N)
	_, err = lagrt.Solve(&lagrt.Problem{Model: osc, T: T, N: N, BC: lagrt.Periodic}, nil)
	wantErr(t, err, lagrt.ErrSingular, "zero mode")

	// Iteration limits still fail, now saying how far continuation got.
	_, err = lagrt.Solve(pendulumFar(3), &lagrt.Options{MaxIter: 1})
	wantErr(t, err, lagrt.ErrNoConvergence, "continuation in the horizon")
}

// The coupled system driven with amplitude 0.8 at frequency 2: plain
// Newton fails, and so does continuation, since past the fold of the
// response curve only the large in-phase branch remains and in an
// undamped system rest does not connect to it (see the package
// documentation). The error must say so.
func TestContinuationPeriodicCoupled(t *testing.T) {
	K := [][]float64{{2, 0.3, 0.1}, {0.3, 3, 0.2}, {0.1, 0.2, 1.5}}
	pr := &lagrt.Problem{Model: lagrttest.NewCoupled(K, 0.4, 0.5), T: math.Pi, N: 200, BC: lagrt.Periodic,
		Input: sine(0.8, 2)}
	_, err := lagrt.Solve(pr, nil)
	wantErr(t, err, lagrt.ErrNoConvergence, "give an initial guess")
}

// The fallback can be switched off, and plain Newton successes report no
// continuation.
func TestNoContinuation(t *testing.T) {
	_, err := lagrt.Solve(pendulumFar(3), &lagrt.Options{NoContinuation: true})
	wantErr(t, err, lagrt.ErrNoConvergence, "line search")
	K := [][]float64{{2, 0.3, 0.1}, {0.3, 3, 0.2}, {0.1, 0.2, 1.5}}
	for _, pr := range []*lagrt.Problem{
		{Model: lagrttest.NewPendulum(0.8, 1.2, 9.81), T: 1, N: 200, Q0: []float64{0.2}, QT: []float64{1.5}},
		{Model: lagrttest.NewCoupled(K, 0.4, 0.5), T: math.Pi, N: 200, BC: lagrt.Periodic, Input: sine(0.3, 2)},
	} {
		sol, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sol.Continuation != 0 {
			t.Errorf("%s: Continuation = %d, want 0", pr.Model.Info().Name, sol.Continuation)
		}
	}
}

// Continuation reuses the Solver's workspace: what a solve that falls
// back to it allocates is only the error values of the failed attempts
// (plain Newton's and those of rejected continuation steps), a few per
// solve whatever N.
func TestContinuationAllocs(t *testing.T) {
	pr := pendulumFar(3)
	var s lagrt.Solver
	var sol lagrt.Solution
	var g lagrt.Gradient
	if err := s.Gradient(&g, pr, lagrt.EPCentered, nil); err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(3, func() {
		if err := s.Solve(&sol, pr, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.Gradient(&g, pr, lagrt.EPCentered, nil); err != nil {
			t.Fatal(err)
		}
	}); a > 20 {
		t.Errorf("%g allocations per solve and gradient with continuation, want ≤ 20", a)
	}
}
