package lagrt_test

import (
	"fmt"
	"math"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// chainProblem is a nonlinear chain of n masses (P = 2n parameters) with
// fixed or periodic conditions over N steps.
func chainProblem(n, N int, bc lagrt.BC) *lagrt.Problem {
	pr := &lagrt.Problem{Model: lagrttest.NewChain(n, 2, 0.5, 0.3), T: 1, N: N, BC: bc,
		Input:  sine(1, 1.5),
		Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.3 * math.Cos(2*t) }}}
	if bc == lagrt.Fixed {
		pr.Q0, pr.QT = make([]float64, n), make([]float64, n)
		for i := range n {
			pr.Q0[i], pr.QT[i] = 0.1*float64(i%3), -0.2+0.05*float64(i)
		}
	} else {
		pr.T = 2 * math.Pi / 1.5
	}
	return pr
}

func pendulumProblem(N int) *lagrt.Problem {
	pr := testProblems()[0]
	pr.N = N
	return pr
}

// noEst keeps the solver benchmarks comparable across versions: the
// discretisation error estimate is measured by BenchmarkErrorEstimate.
var noEst = &lagrt.Options{NoErrorEstimate: true}

func benchSolve(b *testing.B, pr *lagrt.Problem) { benchSolveOpt(b, pr, noEst) }

func benchSolveOpt(b *testing.B, pr *lagrt.Problem, opt *lagrt.Options) {
	var s lagrt.Solver
	var sol lagrt.Solution
	if err := s.Solve(&sol, pr, opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		if err := s.Solve(&sol, pr, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-c0)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(sol.Iterations), "iters")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*1e9/float64(pr.N*max(sol.Iterations, 1)), "ns/step·iter")
	reportLin(b, &s)
}

// reportLin reports the linear solver's work in the last operation:
// factorisations and GMRES iterations (counts that do not depend on the
// machine's load).
func reportLin(b *testing.B, s *lagrt.Solver) {
	kind, fac, its, _ := s.LinStats()
	if kind == lagrt.LinearBand {
		return
	}
	b.ReportMetric(float64(fac), "factors")
	b.ReportMetric(float64(its), "gmres-its")
}

func benchGrad(b *testing.B, pr *lagrt.Problem, m lagrt.Method) { benchGradOpt(b, pr, m, noEst) }

func benchGradOpt(b *testing.B, pr *lagrt.Problem, m lagrt.Method, opt *lagrt.Options) {
	var s lagrt.Solver
	var g lagrt.Gradient
	if err := s.Gradient(&g, pr, m, opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		if err := s.Gradient(&g, pr, m, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-c0)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(g.Iterations), "iters")
	b.ReportMetric(float64(g.Solves), "solves")
	reportLin(b, &s)
}

// Free solve time against the number of steps (pendulum, n = 1; fixed ends
// and periodic chain of 2).
func BenchmarkSolveN(b *testing.B) {
	for _, N := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("N=%d", N), func(b *testing.B) { benchSolve(b, pendulumProblem(N)) })
	}
}

func BenchmarkSolvePeriodicN(b *testing.B) {
	for _, N := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("N=%d", N), func(b *testing.B) { benchSolve(b, chainProblem(2, N, lagrt.Periodic)) })
	}
}

// Free solve time against the number of coordinates (chain of n, N = 1000).
func BenchmarkSolveDof(b *testing.B) {
	for _, bc := range []lagrt.BC{lagrt.Fixed, lagrt.Periodic} {
		for _, n := range []int{1, 2, 4, 8, 16} {
			b.Run(fmt.Sprintf("%v/n=%d", bc, n), func(b *testing.B) { benchSolve(b, chainProblem(n, 1000, bc)) })
		}
	}
}

// Gradients against one free solve at P = 2 (chain of 1) and P = 32 (chain
// of 16), N = 1000.
func BenchmarkSolveFree(b *testing.B) {
	for _, n := range []int{1, 16} {
		b.Run(fmt.Sprintf("P=%d", 2*n), func(b *testing.B) { benchSolve(b, chainProblem(n, 1000, lagrt.Fixed)) })
	}
}

func BenchmarkGradCentered(b *testing.B) { benchGrads(b, lagrt.EPCentered) }
func BenchmarkGradOneSided(b *testing.B) { benchGrads(b, lagrt.EPOneSided) }
func BenchmarkGradAdjoint(b *testing.B)  { benchGrads(b, lagrt.Adjoint) }
func BenchmarkGradFD(b *testing.B)       { benchGrads(b, lagrt.FiniteDiff) }

func benchGrads(b *testing.B, m lagrt.Method) {
	for _, n := range []int{1, 16} {
		b.Run(fmt.Sprintf("P=%d", 2*n), func(b *testing.B) { benchGrad(b, chainProblem(n, 1000, lagrt.Fixed), m) })
	}
}

// BenchmarkErrorEstimate measures free solves with and without the
// discretisation error estimate: the nonlinear pendulum and the periodic
// chain of 2 (N = 1000), and the linear oscillator, whose solve is one
// Newton iteration (the worst case for the relative cost).
func BenchmarkErrorEstimate(b *testing.B) {
	osc := &lagrt.Problem{Model: lagrttest.NewOscillator(1, 4), T: 1, N: 1000, Q0: []float64{0.3}, QT: []float64{-0.7}}
	for _, c := range []struct {
		name string
		pr   *lagrt.Problem
	}{{"pendulum", pendulumProblem(1000)}, {"chain2periodic", chainProblem(2, 1000, lagrt.Periodic)}, {"oscillator", osc}} {
		for _, mode := range []struct {
			name string
			opt  *lagrt.Options
		}{{"off", noEst}, {"on", nil}} {
			b.Run(c.name+"/"+mode.name, func(b *testing.B) {
				// Model evaluations per solve: a measure of the work that
				// does not depend on the machine's load.
				cm := &countModel{Model: c.pr.Model}
				pr := *c.pr
				pr.Model = cm
				benchSolveOpt(b, &pr, mode.opt)
				b.ReportMetric(float64(cm.n.Load())/float64(b.N+1), "evals/op")
			})
		}
	}
}

// countModel counts the evaluations of a model.
type countModel struct {
	lagrt.Model
	n atomic.Int64
}

func (c *countModel) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	c.n.Add(1)
	c.Model.Eval(w, p, out)
}

// cpuTime returns the process's user and system CPU time in seconds: on
// a loaded machine a steadier measure of work than the elapsed time.
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) * 1e-9
}

// The linear solvers on the network, periodic over 64 steps.
func BenchmarkNetworkLinear(b *testing.B) {
	for _, n := range []int{64, 256} {
		pr := networkProblem(n, 64, lagrt.Periodic)
		for _, m := range []lagrt.LinearSolver{lagrt.LinearBlock, lagrt.LinearBlockReuse, lagrt.LinearKrylov} {
			b.Run(fmt.Sprintf("n=%d/%v", n, m), func(b *testing.B) {
				benchSolveOpt(b, pr, &lagrt.Options{NoErrorEstimate: true, Linear: m})
			})
		}
	}
}

// Issue 7's table: the all-to-all network, n = 256 (65,792 parameters),
// periodic over 64 steps: free solve and centered EP gradient.
func BenchmarkNetwork(b *testing.B) {
	for _, n := range []int{64, 256} {
		pr := networkProblem(n, 64, lagrt.Periodic)
		b.Run(fmt.Sprintf("n=%d/free", n), func(b *testing.B) { benchSolve(b, pr) })
		b.Run(fmt.Sprintf("n=%d/centered", n), func(b *testing.B) { benchGrad(b, pr, lagrt.EPCentered) })
	}
}

// Nearest-neighbour chains of Duffing oscillators over 128 steps (fixed
// ends): time against n.
func BenchmarkSpringChain(b *testing.B) {
	for _, n := range []int{512, 4096} {
		pr := springsProblem(lagrttest.NewSpringChain(n, 2, 0.5, 0.3), 128, lagrt.Fixed)
		pr.T = 1 // below the first conjugate point of every normal mode
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchSolve(b, pr) })
	}
}

// The 64×64 lattice with nearest-neighbour springs, 128 steps.
func BenchmarkLattice(b *testing.B) {
	pr := springsProblem(lagrttest.NewSpringLattice(64, 64, 2, 0.5, 0.3), 128, lagrt.Fixed)
	pr.T = 1
	benchSolve(b, pr)
}

// One Level2 evaluation of the pendulum, to compare with the solver's
// time per step·iteration (BenchmarkSolveN).
func BenchmarkPendulumEval(b *testing.B) {
	m := lagrttest.NewPendulum(1, 1, 9.81)
	o := lagrt.NewOut(m.Info())
	p := &lagrt.Point{T: 0.1, Q: []float64{0.3}, V: []float64{0.2}, Theta: []float64{1, 1}, Y: []float64{0}}
	for range b.N {
		m.Eval(lagrt.Level2, p, o)
	}
}

// The linear solvers on an arrow network shaped like examples/mnist (128
// leaves coupled to every one of 10 hubs, periodic over 16 steps): free
// solve and centered EP gradient.
func BenchmarkArrowLinear(b *testing.B) {
	pr := arrowProblem(lagrttest.ArrowConfig{Leaves: 128, Hubs: 10, K: 2.5, W: 1, A: 0.5}, 16, lagrt.Periodic)
	for _, m := range []lagrt.LinearSolver{lagrt.LinearSchur, lagrt.LinearKrylov, lagrt.LinearBlock} {
		opt := &lagrt.Options{NoErrorEstimate: true, Linear: m}
		b.Run(fmt.Sprintf("free/%v", m), func(b *testing.B) { benchSolveOpt(b, pr, opt) })
		b.Run(fmt.Sprintf("centered/%v", m), func(b *testing.B) { benchGradOpt(b, pr, lagrt.EPCentered, opt) })
	}
}
