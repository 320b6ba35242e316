package lagrt_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// The error estimate of well-resolved solutions matches the actual
// deviation from the continuous closed forms of docs/math.md §4 (fixed and
// periodic, even and odd N) and raises no warning.
func TestErrorEstimateAccurate(t *testing.T) {
	for _, c := range []struct {
		name string
		pr   *lagrt.Problem
		q    func(t float64) float64 // continuous solution
	}{
		{"oscillator N=100", &lagrt.Problem{Model: lagrttest.NewOscillator(1, 4), T: 1, N: 100, Q0: []float64{0.3}, QT: []float64{-0.7}},
			func(t float64) float64 { return (0.3*math.Sin(2*(1-t)) - 0.7*math.Sin(2*t)) / math.Sin(2) }},
		{"oscillator N=101", &lagrt.Problem{Model: lagrttest.NewOscillator(1, 4), T: 1, N: 101, Q0: []float64{0.3}, QT: []float64{-0.7}},
			func(t float64) float64 { return (0.3*math.Sin(2*(1-t)) - 0.7*math.Sin(2*t)) / math.Sin(2) }},
		{"driven periodic N=64", &lagrt.Problem{Model: lagrttest.NewDriven(1.3, 0.7, 2), T: math.Pi, N: 64, BC: lagrt.Periodic},
			func(t float64) float64 { return 0.7 * math.Cos(2*t) / (1.3*1.3 - 4) }},
		{"driven periodic N=45", &lagrt.Problem{Model: lagrttest.NewDriven(1.3, 0.7, 2), T: math.Pi, N: 45, BC: lagrt.Periodic},
			func(t float64) float64 { return 0.7 * math.Cos(2*t) / (1.3*1.3 - 4) }},
	} {
		sol, err := lagrt.Solve(c.pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		actual := 0.0
		for k, tk := range sol.Times {
			actual = max(actual, math.Abs(sol.Q[k][0]-c.q(tk)))
		}
		e := sol.ErrorEstimate
		t.Logf("%s: estimate %.4g (rel %.3g, coarse N %d, %d iterations), actual %.4g, ratio %.3f", c.name, e.Max, e.Rel, e.CoarseN, e.Iterations, actual, e.Max/actual)
		if !e.Estimated() || e.Err != nil || e.CoarseN != c.pr.N/2 {
			t.Errorf("%s: estimate %+v", c.name, e)
		}
		if r := e.Max / actual; !(r > 0.8 && r < 1.25) {
			t.Errorf("%s: estimate %.4g, actual error %.4g", c.name, e.Max, actual)
		}
		if len(sol.Warnings) != 0 {
			t.Errorf("%s: warnings %q", c.name, sol.Warnings)
		}
	}
	// Switched off.
	pr := &lagrt.Problem{Model: lagrttest.NewOscillator(1, 4), T: 1, N: 100, Q0: []float64{0.3}, QT: []float64{-0.7}}
	sol, err := lagrt.Solve(pr, &lagrt.Options{NoErrorEstimate: true})
	if err != nil || sol.ErrorEstimate.Estimated() || sol.ErrorEstimate != (lagrt.ErrorEstimate{}) {
		t.Errorf("NoErrorEstimate: %+v, %v", sol.ErrorEstimate, err)
	}
	// Nudged solves carry no estimate, even in a reused Solution.
	var s lagrt.Solver
	var dst lagrt.Solution
	if err := s.Solve(&dst, pr, nil); err != nil || !dst.ErrorEstimate.Estimated() {
		t.Fatalf("%+v %v", dst.ErrorEstimate, err)
	}
	free := dst
	free.Q = append([][]float64(nil), dst.Q...)
	if err := s.SolveNudged(&dst, pr, 1e-3, &free, nil); err != nil || dst.ErrorEstimate.Estimated() {
		t.Errorf("nudged: %+v %v", dst.ErrorEstimate, err)
	}
}

// Solutions that are not resolved are flagged: the oscillator between 0.1
// and 0.2 over T = π, the continuous conjugate point (the discrete problem
// is regular and its solution reaches q ≈ 1161), by the comparison with
// N/2 steps, and fast modes with ωh > 1, by the local time scale too.
func TestErrorEstimateFlags(t *testing.T) {
	for _, c := range []struct {
		name   string
		pr     *lagrt.Problem
		omegaH float64 // the local ωh, if a fast mode
	}{
		{"conjugate point T=π", &lagrt.Problem{Model: lagrttest.NewOscillator(1, 1), T: math.Pi, N: 100, Q0: []float64{0.1}, QT: []float64{0.2}}, 0},
		{"fast oscillator ωh=2.1", &lagrt.Problem{Model: lagrttest.NewOscillator(1, 1e4), T: 1.05, N: 50, Q0: []float64{0.1}, QT: []float64{0.2}}, 2.1},
		{"fast oscillator ωh=1.2", &lagrt.Problem{Model: lagrttest.NewOscillator(1, 1e4), T: 1.2, N: 100, Q0: []float64{0.1}, QT: []float64{0.2}}, 1.2},
		{"fast mode of a coupled pair", &lagrt.Problem{Model: lagrttest.NewCoupled([][]float64{{2, 0.1}, {0.1, 400}}, 0.2, 0.3), T: 1.1, N: 24,
			Q0: []float64{0.1, 0.3}, QT: []float64{0.2, -0.2}}, 0},
	} {
		sol, err := lagrt.Solve(c.pr, nil)
		if errors.Is(err, lagrt.ErrSingular) {
			t.Logf("%s: refused: %v", c.name, err)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		e := sol.ErrorEstimate
		t.Logf("%s: max |q| %.4g, estimate %.4g (rel %.3g, err %v): %q", c.name, maxAbs(sol.Q), e.Max, e.Rel, e.Err, sol.Warnings)
		if !(e.Rel > lagrt.ErrorWarnRel || e.Err != nil || e.OmegaH > 1) || len(sol.Warnings) == 0 {
			t.Errorf("%s: not flagged: %+v, warnings %q", c.name, e, sol.Warnings)
		}
		if c.omegaH > 0 && (math.Abs(e.OmegaH-c.omegaH) > 1e-9 || !strings.Contains(strings.Join(sol.Warnings, "\n"), "under-resolved time scale")) {
			t.Errorf("%s: ωh = %g, want %g, with a warning: %q", c.name, e.OmegaH, c.omegaH, sol.Warnings)
		}
	}
}

func maxAbs(q [][]float64) float64 {
	m := 0.0
	for _, r := range q {
		for _, x := range r {
			m = max(m, math.Abs(x))
		}
	}
	return m
}
