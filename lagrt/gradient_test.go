package lagrt_test

import (
	"math"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

func gradProblems() []*lagrt.Problem {
	y := lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.2 * math.Sin(3*t) }}
	return append(testProblems(),
		&lagrt.Problem{Model: lagrttest.NewOscillator(1.2, 3), T: 1.3, N: 100, Q0: []float64{0.3}, QT: []float64{-0.4}, Target: y},
		&lagrt.Problem{Model: lagrttest.NewDriven(1.3, 0.7, 2), T: math.Pi, N: 100, BC: lagrt.Periodic, Target: y},
	)
}

// Centered EP and adjoint agree to 1e-6, adjoint and finite differences
// too, and each nudged solve takes 1 to 3 iterations.
func TestGradientsAgree(t *testing.T) {
	for _, pr := range gradProblems() {
		if err := lagrttest.CheckProblem(pr, nil, epAdjTol, fdAdjTol); err != nil {
			t.Errorf("%s %v: %v", pr.Model.Info().Name, pr.BC, err)
		}
	}
}

func TestNudgedIterations(t *testing.T) {
	for _, pr := range gradProblems() {
		var s lagrt.Solver
		var g lagrt.Gradient
		for _, m := range []lagrt.Method{lagrt.EPOneSided, lagrt.EPCentered} {
			if err := s.Gradient(&g, pr, m, nil); err != nil {
				t.Fatal(err)
			}
			nudged := g.Iterations - g.Free.Iterations
			t.Logf("%s %v %v: free %d iterations, nudged %d, solves %d", pr.Model.Info().Name, pr.BC, m, g.Free.Iterations, nudged, g.Solves)
			if ns := g.Solves - 1; nudged < ns || nudged > 3*ns {
				t.Errorf("%s %v: %d nudged solves took %d iterations", pr.Model.Info().Name, m, ns, nudged)
			}
		}
		// The public path: Newton's method warm-started from a free solution.
		free, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		nud, err := lagrt.SolveNudged(pr, lagrt.DefaultBeta, free, nil)
		if err != nil {
			t.Fatal(err)
		}
		if nud.Iterations < 1 || nud.Iterations > 3 {
			t.Errorf("%s: SolveNudged took %d iterations", pr.Model.Info().Name, nud.Iterations)
		}
		if r, _ := lagrttest.Stationarity(pr, nud); r > 1e-7 {
			t.Errorf("%s: nudged solution stationarity %.3g", pr.Model.Info().Name, r)
		}
		// The workspace path with chord iterations gives the same trajectory.
		var s2 lagrt.Solver
		var f2, n2 lagrt.Solution
		if err := s2.Solve(&f2, pr, nil); err != nil {
			t.Fatal(err)
		}
		if err := s2.SolveNudged(&n2, pr, lagrt.DefaultBeta, &f2, nil); err != nil {
			t.Fatal(err)
		}
		d := 0.0
		for k := range n2.Q {
			for i := range n2.Q[k] {
				d = max(d, math.Abs(n2.Q[k][i]-nud.Q[k][i]))
			}
		}
		if d > 1e-11 {
			t.Errorf("%s: chord and Newton nudged solutions differ by %.3g", pr.Model.Info().Name, d)
		}
	}
}

// The one-sided estimator's error falls linearly in β, the centered one's
// quadratically.
func TestEPOrder(t *testing.T) {
	pr := testProblems()[0] // pendulum
	adj, err := lagrt.ComputeGradient(pr, lagrt.Adjoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	betas := []float64{0.08, 0.04, 0.02, 0.01, 0.005}
	for _, c := range []struct {
		m     lagrt.Method
		order float64
	}{{lagrt.EPOneSided, 1}, {lagrt.EPCentered, 2}} {
		var errs []float64
		for _, b := range betas {
			g, err := lagrt.ComputeGradient(pr, c.m, &lagrt.Options{Beta: b})
			if err != nil {
				t.Fatal(err)
			}
			errs = append(errs, lagrttest.RelErr(g.Grad, adj.Grad))
		}
		// Least-squares slope of log error against log β.
		var sx, sy, sxx, sxy float64
		for i, b := range betas {
			x, y := math.Log(b), math.Log(errs[i])
			sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
		}
		nf := float64(len(betas))
		slope := (nf*sxy - sx*sy) / (nf*sxx - sx*sx)
		t.Logf("%v: errors %.3g, fitted order %.3f", c.m, errs, slope)
		if math.Abs(slope-c.order) > 0.1 {
			t.Errorf("%v: error order %.3f in β, want %g", c.m, slope, c.order)
		}
		for i := 1; i < len(errs); i++ {
			if r := errs[i-1] / errs[i]; math.Abs(r-math.Pow(2, c.order)) > 0.25*math.Pow(2, c.order) {
				t.Errorf("%v: error ratio %.3f between β = %g and %g, want ≈ %g", c.m, r, betas[i-1], betas[i], math.Pow(2, c.order))
			}
		}
	}
}

func TestParseMethod(t *testing.T) {
	for _, m := range []lagrt.Method{lagrt.EPOneSided, lagrt.EPCentered, lagrt.Adjoint, lagrt.FiniteDiff} {
		got, err := lagrt.ParseMethod(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := lagrt.ParseMethod("bogus"); err == nil {
		t.Error("ParseMethod accepted bogus")
	}
}

// DSdTheta along the free solution matches the solution's DSdTheta.
func TestDSdTheta(t *testing.T) {
	pr := testProblems()[1]
	sol, err := lagrt.Solve(pr, nil)
	if err != nil {
		t.Fatal(err)
	}
	var s lagrt.Solver
	d, err := s.DSdTheta(nil, pr, sol.Q)
	if err != nil {
		t.Fatal(err)
	}
	if e := lagrttest.RelErr(d, sol.DSdTheta); e > 1e-14 {
		t.Errorf("DSdTheta differs by %.3g", e)
	}
}

// Repeated solves and gradients in one workspace do not allocate.
func TestZeroAllocs(t *testing.T) {
	for _, pr := range []*lagrt.Problem{testProblems()[1], testProblems()[2]} {
		var s lagrt.Solver
		var sol lagrt.Solution
		var g lagrt.Gradient
		if err := s.Solve(&sol, pr, nil); err != nil {
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(5, func() {
			if err := s.Solve(&sol, pr, nil); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("%v Solve: %g allocations per run", pr.BC, a)
		}
		for _, m := range []lagrt.Method{lagrt.EPOneSided, lagrt.EPCentered, lagrt.Adjoint, lagrt.FiniteDiff} {
			if err := s.Gradient(&g, pr, m, nil); err != nil {
				t.Fatal(err)
			}
			if a := testing.AllocsPerRun(5, func() {
				if err := s.Gradient(&g, pr, m, nil); err != nil {
					t.Fatal(err)
				}
			}); a != 0 {
				t.Errorf("%v Gradient(%v): %g allocations per run", pr.BC, m, a)
			}
		}
	}
}

// The default β is scale-aware: scaling the Lagrangian by s scales it by
// s, and centered EP agrees with the adjoint to epAdjTol on the test
// problems and on the scaled oscillators, where a fixed β fails (β = 1e-4
// is lost in round-off at s = 1e8 and too strong at s = 1e-6).
func TestDefaultBetaScaleAware(t *testing.T) {
	y := lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.2 * math.Sin(3*t) }}
	osc := func(s float64) *lagrt.Problem {
		return &lagrt.Problem{Model: lagrttest.NewOscillator(1.2*s, 3*s), T: 1.3, N: 100, Q0: []float64{0.3}, QT: []float64{-0.4}, Target: y}
	}
	betas := map[float64]float64{}
	for _, c := range []struct {
		name  string
		pr    *lagrt.Problem
		scale float64
	}{
		{"pendulum", testProblems()[0], 0}, {"coupled fixed", testProblems()[1], 0}, {"coupled periodic", testProblems()[2], 0},
		{"chain fixed", testProblems()[3], 0}, {"chain periodic", testProblems()[4], 0},
		{"driven", gradProblems()[6], 0},
		{"oscillator", osc(1), 1}, {"oscillator ×1e8", osc(1e8), 1e8}, {"oscillator ×1e-6", osc(1e-6), 1e-6},
	} {
		adj, err := lagrt.ComputeGradient(c.pr, lagrt.Adjoint, nil)
		if err != nil {
			t.Fatal(err)
		}
		g, err := lagrt.ComputeGradient(c.pr, lagrt.EPCentered, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		e := lagrttest.RelErr(g.Grad, adj.Grad)
		fixed, ferr := lagrt.ComputeGradient(c.pr, lagrt.EPCentered, &lagrt.Options{Beta: 1e-4})
		fe := math.NaN()
		if ferr == nil {
			fe = lagrttest.RelErr(fixed.Grad, adj.Grad)
		}
		t.Logf("%-18s default β = %.3g: relative error %.2g (β = 1e-4: %.2g, %v)", c.name, g.Beta, e, fe, ferr)
		if e > epAdjTol {
			t.Errorf("%s: centered EP at the default β = %g differs from the adjoint by %.3g", c.name, g.Beta, e)
		}
		if c.scale != 0 {
			betas[c.scale] = g.Beta
			if c.scale != 1 && ferr == nil && fe <= epAdjTol {
				t.Errorf("%s: a fixed β = 1e-4 is accurate to %.2g: the case does not test scale-awareness", c.name, fe)
			}
		}
	}
	for _, s := range []float64{1e8, 1e-6} {
		if r := betas[s] / betas[1] / s; math.Abs(r-1) > 1e-6 {
			t.Errorf("β(×%g)/β(×1) = %g × %g", s, r, s)
		}
	}
}
