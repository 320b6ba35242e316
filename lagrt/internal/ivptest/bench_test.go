package ivptest_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// rhelToy is RHEL's toy problem: 6 coupled harmonic oscillators (masses,
// ground springs and all-to-all couplings trained, P = 27) started from
// given initial conditions, N steps over 10 periods of the fastest mode.
func rhelToy(N int) *lagrt.Problem {
	n := 6
	m, k := make([]float64, n), make([]float64, n)
	W := make([][]float64, n)
	q0, v0 := make([]float64, n), make([]float64, n)
	for i := range n {
		m[i], k[i] = 1+0.1*float64(i), 1+0.2*float64(i)
		W[i] = make([]float64, n)
		for j := i + 1; j < n; j++ {
			W[i][j] = 0.1
		}
		q0[i], v0[i] = 0.2*math.Sin(float64(i+1)), 0.1*math.Cos(float64(i))
	}
	pr := ivp(lagrttest.NewCoupledSprings(m, k, W, 0), 40, N, q0, v0)
	pr.Target = fn(func(t float64) float64 { return 0.2 * math.Sin(1.1*t) })
	return pr
}

func benchCases() []struct {
	name string
	pr   func(N int) *lagrt.Problem
} {
	return []struct {
		name string
		pr   func(N int) *lagrt.Problem
	}{
		{"pendulum", func(N int) *lagrt.Problem {
			pr := ivp(lagrttest.NewPendulum(0.8, 1.5, 9.81), 25, N, []float64{1}, []float64{0.5})
			pr.Target = fn(func(t float64) float64 { return 0.3 * math.Sin(1.3*t) })
			return pr
		}},
		{"rhel6", rhelToy},
		{"chain16", func(N int) *lagrt.Problem {
			pr := ivp(lagrttest.NewChain(16, 2, 0.5, 0.3), 30, N, make([]float64, 16), nil)
			pr.P0 = make([]float64, 16)
			pr.P0[0] = 0.5
			pr.Target = fn(func(t float64) float64 { return 0.1 * math.Sin(t) })
			return pr
		}},
	}
}

// Time per gradient on a reused Solver (no allocations), against one
// forward run.
func BenchmarkIVPGradient(b *testing.B) {
	for _, c := range benchCases() {
		pr := c.pr(1000)
		for _, m := range []lagrt.Method{lagrt.Adjoint, lagrt.Echo, lagrt.EchoOneSided} {
			b.Run(fmt.Sprintf("%s/%v", c.name, m), func(b *testing.B) {
				var s lagrt.Solver
				var g lagrt.Gradient
				if err := s.Gradient(&g, pr, m, nil); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if err := s.Gradient(&g, pr, m, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(c.name+"/forward", func(b *testing.B) {
			var s lagrt.Solver
			var sol lagrt.Solution
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Solve(&sol, pr, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Memory per gradient: a fresh Solver and destination per gradient, so
// B/op is the whole workspace. Gradient keeps the trajectory for
// Gradient.Free with every method (the adjoint also needs it);
// EchoGradient keeps none.
func BenchmarkIVPMemory(b *testing.B) {
	for _, c := range benchCases()[1:2] {
		for _, N := range []int{1000, 10000} {
			pr := c.pr(N)
			for _, m := range []lagrt.Method{lagrt.Adjoint, lagrt.Echo} {
				b.Run(fmt.Sprintf("%s/N=%d/%v", c.name, N, m), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := lagrt.ComputeGradient(pr, m, nil); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run(fmt.Sprintf("%s/N=%d/EchoGradient", c.name, N), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := new(lagrt.Solver).EchoGradient(nil, pr, true, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
