package lagrt_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// arrowConfigs are the arrow networks of the tests: every leaf coupled
// to every hub; and each leaf to two of five hubs, with velocity
// couplings and springs between the hubs.
var arrowConfigs = []lagrttest.ArrowConfig{
	{Leaves: 40, Hubs: 4, K: 4, W: 0.5, A: 0.5},
	{Leaves: 36, Hubs: 5, Degree: 2, K: 4, W: 1, A: 0.5, Gyro: 0.3, HubSpring: 0.4},
}

// arrowProblem drives the arrow network by u = sin(1.5t) with targets
// z_a = 0.1·cos(1.5t + a) on the hubs.
func arrowProblem(c lagrttest.ArrowConfig, N int, bc lagrt.BC) *lagrt.Problem {
	m := lagrttest.NewArrow(c)
	n := m.Info().N()
	pr := &lagrt.Problem{Model: m, T: 1, N: N, BC: bc, Input: sine(1, 1.5),
		Target: lagrt.Signal{Func: func(t float64, dst []float64) {
			for a := range dst {
				dst[a] = 0.1 * math.Cos(1.5*t+float64(a))
			}
		}}}
	if bc == lagrt.Fixed {
		pr.Q0, pr.QT = make([]float64, n), make([]float64, n)
		for i := range n {
			pr.Q0[i], pr.QT[i] = 0.1*math.Sin(float64(i)), -0.1*math.Cos(float64(i))
		}
	} else {
		pr.T = 2 * math.Pi / 1.5
	}
	return pr
}

func TestArrowModelDerivatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []lagrttest.ArrowConfig{
		{Leaves: 4, Hubs: 2, K: 2, W: 1, A: 0.5},
		{Leaves: 5, Hubs: 3, Degree: 2, K: 2, W: 1, A: 0.5, Gyro: 0.3, HubSpring: 0.4},
	} {
		m := lagrttest.NewArrow(c)
		p := lagrttest.RandomPoint(m.Info(), rng)
		if err := lagrttest.CheckDerivatives(m, p, derivTol); err != nil {
			t.Error(err)
		}
		if err := lagrttest.CheckLevels(m, p); err != nil {
			t.Error(err)
		}
	}
}

// maxDiff returns max |a − b| and max |b| over two trajectories.
func maxDiff(a, b [][]float64) (d, scale float64) {
	for k := range a {
		for i := range a[k] {
			d = max(d, math.Abs(a[k][i]-b[k][i]))
			scale = max(scale, math.Abs(b[k][i]))
		}
	}
	return d, scale
}

func gradDiff(a, b []float64) float64 {
	d, g := 0.0, 0.0
	for i := range a {
		d, g = max(d, math.Abs(a[i]-b[i])), max(g, math.Abs(b[i]))
	}
	return d / g
}

// LinearSchur gives the trajectories, centered EP and adjoint gradients
// of the block and band LUs to round-off, on arrow networks with fixed
// and periodic conditions.
func TestSchurAgrees(t *testing.T) {
	for _, c := range arrowConfigs {
		for _, bc := range []lagrt.BC{lagrt.Fixed, lagrt.Periodic} {
			pr := arrowProblem(c, 40, bc)
			name := fmt.Sprintf("%s %v", pr.Model.Info().Name, bc)
			type result struct {
				sol     lagrt.Solution
				ep, adj lagrt.Gradient
			}
			var res [3]result
			for r, m := range []lagrt.LinearSolver{lagrt.LinearSchur, lagrt.LinearBlock, lagrt.LinearBand} {
				var s lagrt.Solver
				opt := &lagrt.Options{Linear: m}
				if err := s.Solve(&res[r].sol, pr, opt); err != nil {
					t.Fatalf("%s %v: %v", name, m, err)
				}
				if kind, _, _, _ := s.LinStats(); kind != m {
					t.Fatalf("%s: solved by %v, want %v", name, kind, m)
				}
				if err := s.Gradient(&res[r].ep, pr, lagrt.EPCentered, opt); err != nil {
					t.Fatalf("%s %v: centered: %v", name, m, err)
				}
				if err := s.Gradient(&res[r].adj, pr, lagrt.Adjoint, opt); err != nil {
					t.Fatalf("%s %v: adjoint: %v", name, m, err)
				}
				if m == lagrt.LinearSchur {
					if hubs, fb := s.SchurStats(); len(hubs) != c.Hubs || fb != 0 {
						t.Errorf("%s: hubs %v, %d fallbacks; want the %d hubs and none", name, hubs, fb, c.Hubs)
					}
				}
			}
			for r, m := range []lagrt.LinearSolver{lagrt.LinearBlock, lagrt.LinearBand} {
				ref := &res[r+1]
				if d, sc := maxDiff(res[0].sol.Q, ref.sol.Q); d > 1e-10*sc {
					t.Errorf("%s: trajectory differs from %v's by %.3g (scale %.3g)", name, m, d, sc)
				}
				if rc := res[0].sol.RCond / ref.sol.RCond; !(rc > 0.25 && rc < 4) {
					t.Errorf("%s: RCond %.3g, %v %.3g", name, res[0].sol.RCond, m, ref.sol.RCond)
				}
				if e := gradDiff(res[0].ep.Grad, ref.ep.Grad); e > 1e-10 {
					t.Errorf("%s: centered EP differs from %v's by %.3g relative", name, m, e)
				}
				if e := gradDiff(res[0].adj.Grad, ref.adj.Grad); e > 1e-10 {
					t.Errorf("%s: adjoint differs from %v's by %.3g relative", name, m, e)
				}
			}
			if e := gradDiff(res[0].ep.Grad, res[0].adj.Grad); e > 1e-6 {
				t.Errorf("%s: centered EP differs from the adjoint by %.3g relative", name, e)
			}
		}
	}
}

var _ = errors.Is
var _ = runtime.GOMAXPROCS
