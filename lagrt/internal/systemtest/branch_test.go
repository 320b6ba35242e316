package systemtest_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
)

// A double well that the parameter shifts: wells at q = a ± 1, the
// barrier (an unstable equilibrium, also stationary) at q = a.
const shiftedWell = `
system Well
param a = -0.5
coord q
target y
lagrangian = 0.5*dot(q)^2 - 0.25*(q - a)^4 + 0.5*(q - a)^2
cost = 0.5*(q - y)^2
`

// wellData has one periodic sample at rest whose target y = 2 pulls a up,
// started (and, without warm starts, restarted) from the constant guess.
func wellData(guess float64) *lagrt.Dataset {
	N := 20
	g := make([][]float64, N+1)
	for k := range g {
		g[k] = []float64{guess}
	}
	return &lagrt.Dataset{T: 1, N: N, BC: lagrt.Periodic, Samples: []lagrt.Sample{
		{Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 2 }}, Guess: g},
	}}
}

// Training pushes a up from −0.5; from the guess q = 0.3, Newton reaches
// the right well while a < 0.3 − 1/√3, and another branch after. With
// warm starts the sample follows the right well and nothing is reported;
// restarted from the guess every epoch it jumps (to the left well, then to
// the barrier), and exactly the epochs whose loss jumps report it.
func TestTrainBranchJump(t *testing.T) {
	m := compile(t, shiftedWell)
	for _, cold := range []bool{false, true} {
		var seen []int
		res, err := lagrt.Train(context.Background(), m, wellData(0.3), nil, &lagrt.TrainOptions{
			Epochs: 12, NoWarmStart: cold, Progress: func(st *lagrt.EpochStats) error {
				if len(st.Warnings) > 0 {
					seen = append(seen, st.Epoch)
				}
				t.Logf("cold=%v epoch %d: a = %.3f, loss %.4g, warnings %q", cold, st.Epoch, st.Theta[0], st.Loss, st.Warnings)
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		if !cold {
			if len(res.Warnings) != 0 {
				t.Errorf("warm starts: warnings %q", res.Warnings)
			}
			continue
		}
		if len(seen) == 0 || len(res.Warnings) != len(seen) || !strings.Contains(res.Warnings[0], "sample 0: possible jump to another branch") ||
			!strings.Contains(res.Warnings[0], "basin of another branch") {
			t.Fatalf("warnings in epochs %v: %q", seen, res.Warnings)
		}
		for e := 1; e < len(res.History); e++ {
			jumped := math.Abs(res.History[e].Loss-res.History[e-1].Loss) > 0.5 // smooth steps change it by < 0.08
			if warned := len(res.History[e].Warnings) > 0; warned != jumped {
				t.Errorf("epoch %d: loss %.4g → %.4g, warnings %q", e+1, res.History[e-1].Loss, res.History[e].Loss, res.History[e].Warnings)
			}
		}
		jump := seen[0]
		if a0, a1 := res.History[jump-2].Theta[0], res.History[jump-1].Theta[0]; !(a0 < 0.3-1/math.Sqrt(3) && a1 > 0.3-1/math.Sqrt(3)) {
			t.Errorf("warning in epoch %d, between a = %g and %g", jump, a0, a1)
		}
	}
}
