package lagrt_test

import (
	"math"
	"sync/atomic"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// thetaCounter counts the evaluations that ask for parameter derivatives.
type thetaCounter struct {
	lagrt.Model
	all, theta atomic.Int64
}

func (c *thetaCounter) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	c.all.Add(1)
	if w&(lagrt.WantLth|lagrt.WantCth) != 0 {
		c.theta.Add(1)
	}
	c.Model.Eval(w, p, out)
}

// TestThetaOnlyAtSolution: Newton's iterations leave the parameter
// derivatives out and ask for them in one sweep at the solution, whose
// ∂S_d/∂θ is Σ_k h ∂L/∂θ at the midpoints of the solution.
func TestThetaOnlyAtSolution(t *testing.T) {
	m := &thetaCounter{Model: lagrttest.NewChain(4, 2, 0.5, 0.3)}
	const N = 40
	pr := &lagrt.Problem{Model: m, T: 1, N: N, BC: lagrt.Fixed,
		Q0: []float64{0, 0.1, 0.2, 0.3}, QT: []float64{1, 0.5, -0.4, 0.8}}
	sol, err := lagrt.Solve(pr, &lagrt.Options{NoErrorEstimate: true})
	if err != nil {
		t.Fatal(err)
	}
	if sol.Iterations < 2 {
		t.Fatalf("%d Newton iterations: the check needs a nonlinear solve", sol.Iterations)
	}
	if got := m.theta.Load(); got != N {
		t.Errorf("%d evaluations asked for ∂/∂θ (of %d), want one sweep of %d", got, m.all.Load(), N)
	}
	info := m.Info()
	out := lagrt.NewOut(info)
	want := make([]float64, info.P())
	h := pr.T / N
	n := info.N()
	pt := &lagrt.Point{Q: make([]float64, n), V: make([]float64, n), Theta: info.Defaults,
		U: make([]float64, len(info.Inputs)), Y: make([]float64, len(info.Targets))}
	for k := range N {
		for i := range n {
			pt.Q[i] = (sol.Q[k][i] + sol.Q[k+1][i]) / 2
			pt.V[i] = (sol.Q[k+1][i] - sol.Q[k][i]) / h
		}
		pt.T = (float64(k) + 0.5) * h
		m.Model.Eval(lagrt.Level1, pt, out)
		for a, x := range out.Lth {
			want[a] += h * x
		}
	}
	for a := range want {
		if d := math.Abs(sol.DSdTheta[a] - want[a]); d > 1e-12*(1+math.Abs(want[a])) {
			t.Errorf("∂S/∂θ[%d] = %v, want %v", a, sol.DSdTheta[a], want[a])
		}
	}
}
