package interp_test

import (
	"fmt"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
)

// An interpreted model evaluates the derived quantities directly and plugs
// into the runtime's solvers like generated code.
func ExampleNew() {
	u, err := compiler.Compile("osc.lag", []byte(`
system Oscillator
param m = 2, k = 4
coord q
lagrangian = 0.5*m*dot(q)^2 - 0.5*k*q^2
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := interp.New(u)
	out := lagrt.NewOut(m.Info())
	m.Eval(lagrt.WantLv|lagrt.WantLq, &lagrt.Point{Q: []float64{0.5}, V: []float64{3}, Theta: []float64{2, 4}}, out)
	fmt.Println("p =", out.Lv[0], " ∂L/∂q =", out.Lq[0])

	sol, err := lagrt.Solve(&lagrt.Problem{Model: m, T: 1, N: 100, Q0: []float64{0}, QT: []float64{1}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The continuous solution is sin(ωt)/sin(ω) with ω = √2: q(0.5) = 0.65768.
	fmt.Printf("q(0.5) = %.6f\n", sol.Q[50][0])
	// Output:
	// p = 6  ∂L/∂q = -2
	// q(0.5) = 0.657676
}
