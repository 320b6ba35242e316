package systemtest_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

func loadTestdata(t testing.TB, name string) lagrt.Model {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return compile(t, string(src))
}

// duffingProblem is the reproducer of issue 11 item 1: lagc grad
// testdata/duffing.lag --bc=periodic --T=2π --steps=64
// --input=u=0.3*cos(2*t) --target=y=-0.1*cos(2*t).
func duffingProblem(t testing.TB) *lagrt.Problem {
	return &lagrt.Problem{Model: loadTestdata(t, "duffing.lag"), T: 2 * math.Pi, N: 64, BC: lagrt.Periodic,
		Input:  lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.3 * math.Cos(2*t) }},
		Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = -0.1 * math.Cos(2*t) }}}
}

// A β so small that the nudge is lost in round-off is refused (it gave a
// gradient of exactly 0, or one 27% off), with a hint to raise β; the
// default β and moderate explicit ones agree with the adjoint.
func TestBetaRoundOff(t *testing.T) {
	pr := duffingProblem(t)
	adj, err := lagrt.ComputeGradient(pr, lagrt.Adjoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("adjoint %v", adj.Grad)
	for _, m := range []lagrt.Method{lagrt.EPCentered, lagrt.EPOneSided} {
		for _, c := range []struct {
			beta   float64
			refuse bool
			tol    float64 // relative to the adjoint, when accepted
		}{
			{0, false, 1e-6}, {1e-3, false, 1e-4}, {1e-6, false, 1e-5}, {1e-9, false, 1e-4},
			{1e-14, true, 0}, {1e-13, true, 0}, {1e-12, true, 0},
		} {
			g, err := lagrt.ComputeGradient(pr, m, &lagrt.Options{Beta: c.beta})
			if c.refuse {
				if !errors.Is(err, lagrt.ErrProblem) {
					t.Errorf("%v β=%g: gradient %v, error %v; want a refusal", m, c.beta, g, err)
				} else {
					t.Logf("%v β=%g: %v", m, c.beta, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%v β=%g: %v", m, c.beta, err)
				continue
			}
			e := lagrttest.RelErr(g.Grad, adj.Grad)
			t.Logf("%v β=%g (used %.3g): relative error %.3g", m, c.beta, g.Beta, e)
			if m == lagrt.EPOneSided && c.beta != 1e-6 && c.beta != 1e-9 {
				continue // bias O(β)
			}
			if e > c.tol {
				t.Errorf("%v β=%g: relative error %.3g vs adjoint, want ≤ %g", m, c.beta, e, c.tol)
			}
		}
	}
}
