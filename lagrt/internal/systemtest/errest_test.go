package systemtest_test

import (
	"math"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
)

const threeBody = `
system ThreeBody
param m[3] = 1
coord x[3], y[3]
lagrangian = sum(i in 0..2, 0.5*m[i]*(dot(x[i])^2 + dot(y[i])^2))
           + m[0]*m[1]/sqrt((x[0]-x[1])^2 + (y[0]-y[1])^2)
           + m[0]*m[2]/sqrt((x[0]-x[2])^2 + (y[0]-y[2])^2)
           + m[1]*m[2]/sqrt((x[1]-x[2])^2 + (y[1]-y[2])^2)
`

// figureEight returns the initial state (x0 x1 x2 y0 y1 y2, then the
// velocities) of the Chenciner–Montgomery figure-eight orbit (G = m = 1)
// and its period.
func figureEight() ([12]float64, float64) {
	var s [12]float64
	x1, y1 := 0.97000436, -0.24308753
	vx3, vy3 := -0.93240737, -0.86473146
	s[0], s[3] = x1, y1
	s[1], s[4] = -x1, -y1
	s[6], s[9] = -vx3/2, -vy3/2
	s[7], s[10] = -vx3/2, -vy3/2
	s[8], s[11] = vx3, vy3
	return s, 6.32591398
}

// integrate advances the three-body state by RK4 over time T in steps.
func integrate(s [12]float64, T float64, steps int) [12]float64 {
	f := func(s [12]float64) (d [12]float64) {
		for i := range 6 {
			d[i] = s[6+i]
		}
		for i := range 3 {
			for j := range 3 {
				if i == j {
					continue
				}
				dx, dy := s[j]-s[i], s[3+j]-s[3+i]
				r3 := math.Pow(dx*dx+dy*dy, 1.5)
				d[6+i] += dx / r3
				d[9+i] += dy / r3
			}
		}
		return d
	}
	h := T / float64(steps)
	for range steps {
		k1 := f(s)
		var t [12]float64
		for i := range t {
			t[i] = s[i] + h/2*k1[i]
		}
		k2 := f(t)
		for i := range t {
			t[i] = s[i] + h/2*k2[i]
		}
		k3 := f(t)
		for i := range t {
			t[i] = s[i] + h*k3[i]
		}
		k4 := f(t)
		for i := range s {
			s[i] += h / 6 * (k1[i] + 2*k2[i] + 2*k3[i] + k4[i])
		}
	}
	return s
}

// The figure-eight three-body path over a quarter period with fixed ends:
// at N = 60 the solver finds, from the straight line, a stationary
// discrete path on which two bodies pass through each other between grid
// nodes (integrating from its p₀ misses the endpoint). The error
// estimate flags it; at N = 2000 the true orbit is
// found from the figure-eight as a guess, and is not flagged.
func TestErrorEstimateFigureEight(t *testing.T) {
	m := compile(t, threeBody)
	s0, period := figureEight()
	T := period / 4
	sT := integrate(s0, T, 20000)
	pr := &lagrt.Problem{Model: m, T: T, N: 60, Q0: s0[:6], QT: sT[:6]}
	sol, err := lagrt.Solve(pr, nil)
	if err != nil {
		t.Fatalf("N = 60: %v", err)
	}
	e := sol.ErrorEstimate
	t.Logf("N = 60: %d iterations, estimate %.3g (rel %.3g, err %v), warnings %q", sol.Iterations, e.Max, e.Rel, e.Err, sol.Warnings)
	// The comparison with 30 steps does not see it (the coarse grid has a
	// similar spurious path, 1e-3 away); the local time scale does: the
	// bodies pass within 0.003 of each other on steps 21 and 22.
	if e.OmegaH <= 1 || e.OmegaHStep < 20 || e.OmegaHStep > 23 || len(sol.Warnings) == 0 ||
		!strings.Contains(sol.Warnings[0], "under-resolved time scale") {
		t.Errorf("N = 60: not flagged: %+v, %q", e, sol.Warnings)
	}

	// The true orbit, well resolved.
	N := 2000
	guess := make([][]float64, N+1)
	st := s0
	for k := range guess {
		guess[k] = append([]float64(nil), st[:6]...)
		st = integrate(st, T/float64(N), 10)
	}
	pr = &lagrt.Problem{Model: m, T: T, N: N, Q0: s0[:6], QT: sT[:6], Guess: guess}
	sol, err = lagrt.Solve(pr, nil)
	if err != nil {
		t.Fatalf("N = %d: %v", N, err)
	}
	e = sol.ErrorEstimate
	dev := 0.0
	for k := range guess {
		for i := range 6 {
			dev = max(dev, math.Abs(sol.Q[k][i]-guess[k][i]))
		}
	}
	t.Logf("N = %d: estimate %.3g (rel %.3g), deviation from the integrated orbit %.3g, warnings %q", N, e.Max, e.Rel, dev, sol.Warnings)
	if e.Rel > lagrt.ErrorWarnRel || len(sol.Warnings) != 0 || e.Err != nil || dev > 1e-4 {
		t.Errorf("N = %d: flagged or off the orbit: %+v, deviation %.3g", N, e, dev)
	}
	if r := e.Max / dev; !(r > 0.5 && r < 2) {
		t.Errorf("N = %d: estimate %.3g, actual deviation %.3g", N, e.Max, dev)
	}
}
