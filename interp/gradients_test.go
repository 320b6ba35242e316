package interp_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

func fn(f func(t float64) float64) lagrt.Signal {
	return lagrt.Signal{Func: func(t float64, dst []float64) {
		for i := range dst {
			dst[i] = f(t + float64(i))
		}
	}}
}

// TestTestdataGradients runs the runtime's standard checks (stationarity,
// centered EP against the adjoint to 1e-6, nudged solves in 1–3
// iterations, adjoint against finite differences) on the interpreted
// testdata systems, and stationarity on those without a cost.
//
// β = 1e-5: the centered estimator's O(β²) bias is about 1e-6 relative at
// the default β = 1e-4 on the chain (measured: 1.04e-2, 1.04e-4 and
// 1.04e-6 at β = 1e-2, 1e-3, 1e-4).
func TestTestdataGradients(t *testing.T) {
	drive := fn(func(t float64) float64 { return 0.3 * math.Cos(2*t) })
	target := fn(func(t float64) float64 { return 0.1 * math.Sin(2*t) })
	const period = math.Pi // of the drive and target
	for _, c := range []struct {
		file string
		pr   lagrt.Problem
	}{
		{"harmonic.lag", lagrt.Problem{T: 1.2, N: 120, Q0: []float64{0.3}, QT: []float64{-0.4}, Target: target}},
		{"double_pendulum.lag", lagrt.Problem{T: 0.4, N: 100, Q0: []float64{0.5, -0.3}, QT: []float64{1, 0.2}, Target: target}},
		{"duffing.lag", lagrt.Problem{T: period, N: 128, BC: lagrt.Periodic, Input: drive, Target: target}},
		{"chain.lag", lagrt.Problem{T: period, N: 128, BC: lagrt.Periodic, Input: drive, Target: target}},
		{"keywords.lag", lagrt.Problem{T: 1, N: 80, Q0: []float64{0.1, 0.2}, QT: []float64{-0.1, 0.3}, Input: drive, Target: target}},
		{"pendulum.lag", lagrt.Problem{T: 1, N: 100, Q0: []float64{0.5}, QT: []float64{-1}}},
		{"kepler.lag", lagrt.Problem{T: 1, N: 100, Q0: []float64{1, 0}, QT: []float64{1.2, 0.8}}},
		{"damped.lag", lagrt.Problem{T: 2, N: 100, Q0: []float64{1}, QT: []float64{0}}},
		{"damped_chain.lag", lagrt.Problem{T: period, N: 128, BC: lagrt.Periodic, Input: drive, Target: target}},
		{"damped_chain.lag", lagrt.Problem{T: 2, N: 100, Q0: make([]float64, 12), QT: []float64{0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.2}, Input: drive, Target: target}},
	} {
		t.Run(c.file, func(t *testing.T) {
			pr := c.pr
			pr.Model = load(t, filepath.Join("..", "testdata", c.file))
			if !pr.Model.Info().HasCost {
				sol, err := lagrt.Solve(&pr, nil)
				if err != nil {
					t.Fatal(err)
				}
				if r, p := lagrttest.Stationarity(&pr, sol); r > 1e-6 || p > 1e-6 {
					t.Errorf("stationarity residual %.3g, momentum error %.3g", r, p)
				}
				return
			}
			if err := lagrttest.CheckProblem(&pr, &lagrt.Options{Beta: 1e-5}, 1e-6, 1e-5); err != nil {
				t.Error(err)
			}
		})
	}
}
