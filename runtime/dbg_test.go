package runtime_test

import (
	"testing"

	"github.com/lagc/lagc/runtime"
	"github.com/lagc/lagc/runtime/runtimetest"
)

func TestDbg(t *testing.T) {
	for _, b := range []float64{0, 0.4} {
		for _, a := range []float64{0, 0.5} {
			K := [][]float64{{2, 0.3}, {0.3, 3}}
			pr := &runtime.Problem{Model: runtimetest.NewCoupled(K, b, a), T: 2, N: 50, Q0: []float64{0.1, -0.2}, QT: []float64{0.5, 0.4}}
			sol, err := runtime.Solve(pr, nil)
			if err != nil {
				t.Log(b, a, err)
				continue
			}
			t.Log(b, a, sol.Iterations)
		}
	}
}
