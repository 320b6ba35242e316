package lagrt_test

import (
	"fmt"
	"math"

	"github.com/lagc/lagc/lagrt"
)

// spring is a hand-written model: L = ½ m v² − ½ k q² with parameters
// θ = (m, k) and cost c = ½ (q − y)² for a target y.
type spring struct{}

var springInfo = lagrt.Info{
	Name: "spring", Coords: []string{"q"}, Params: []string{"m", "k"},
	Defaults: []float64{1, 4}, Targets: []string{"y"}, HasCost: true,
}

func (spring) Info() *lagrt.Info { return &springInfo }

func (spring) Eval(w lagrt.Want, p *lagrt.Point, o *lagrt.Out) {
	lagrt.CheckPoint(&springInfo, p)
	m, k, q, v := p.Theta[0], p.Theta[1], p.Q[0], p.V[0]
	o.L, o.Lq[0], o.Lv[0] = m*v*v/2-k*q*q/2, -k*q, m*v
	o.Lqq[0], o.Lqv[0], o.Lvv[0], o.Lvt[0] = -k, 0, m, 0
	o.Lth[0], o.Lth[1] = v*v/2, -q*q/2
	o.Lthq[0], o.Lthq[1] = 0, -q
	o.Lthv[0], o.Lthv[1] = v, 0
	e := q - p.Y[0]
	o.C, o.Cq[0], o.Cv[0] = e*e/2, e, 0
	o.Cqq[0], o.Cqv[0], o.Cvv[0] = 1, 0, 0
	o.Cth[0], o.Cth[1] = 0, 0
}

func ExampleSolve() {
	pr := &lagrt.Problem{
		Model: spring{}, T: 1, N: 100,
		Q0: []float64{0}, QT: []float64{1}, // q(0) = 0, q(1) = 1
	}
	sol, err := lagrt.Solve(pr, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The midpoint rule's exact solution is sin(Ωt)/sin(Ω) with
	// Ω = (2/h) atan(ωh/2), ω = 2.
	h := pr.T / float64(pr.N)
	Om := 2 / h * math.Atan(2*h/2)
	fmt.Printf("q(0.5) = %.10f (closed form %.10f)\n", sol.Q[50][0], math.Sin(Om*0.5)/math.Sin(Om))
	fmt.Println("Newton iterations:", sol.Iterations)
	// Output:
	// q(0.5) = 0.9253598235 (closed form 0.9253598235)
	// Newton iterations: 1
}

func ExampleComputeGradient() {
	pr := &lagrt.Problem{
		Model: spring{}, T: 1, N: 100,
		Q0: []float64{0}, QT: []float64{1},
		Target: lagrt.Signal{Func: func(t float64, y []float64) { y[0] = t }}, // y(t) = t
	}
	for _, m := range []lagrt.Method{lagrt.EPCentered, lagrt.Adjoint, lagrt.FiniteDiff} {
		g, err := lagrt.ComputeGradient(pr, m, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-8s cost %.8f  dC/dm %+.8f  dC/dk %+.8f  (%d solves)\n", m, g.Cost, g.Grad[0], g.Grad[1], g.Solves)
	}
	// The trajectory depends on k/m only, so dC/dm = −(k/m)·dC/dk.

	// Output:
	// centered cost 0.04738508  dC/dm -0.15893065  dC/dk +0.03973266  (3 solves)
	// adjoint  cost 0.04738508  dC/dm -0.15893065  dC/dk +0.03973266  (1 solves)
	// fd       cost 0.04738508  dC/dm -0.15893065  dC/dk +0.03973266  (5 solves)
}
