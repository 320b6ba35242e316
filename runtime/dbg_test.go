package runtime_test

import (
	"testing"

	"github.com/lagc/lagc/runtime"
	"github.com/lagc/lagc/runtime/runtimetest"
)

func TestDbg(t *testing.T) {
	for _, pr := range gradProblems() {
		g := map[runtime.Method][]float64{}
		for _, m := range []runtime.Method{runtime.EPOneSided, runtime.EPCentered, runtime.Adjoint, runtime.FiniteDiff} {
			gr, err := runtime.ComputeGradient(pr, m, nil)
			if err != nil {
				t.Fatal(err)
			}
			g[m] = gr.Grad
		}
		t.Logf("%s %v: ep %.2g centered %.2g fd %.2g", pr.Model.Info().Name, pr.BC, runtimetest.RelErr(g[0], g[2]), runtimetest.RelErr(g[1], g[2]), runtimetest.RelErr(g[3], g[2]))
	}
}
