package ivptest_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// loadLag compiles a testdata system for the interpreter.
func loadLag(t testing.TB, name string) lagrt.Model {
	t.Helper()
	path := filepath.Join("..", "..", "..", "testdata", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := compiler.Compile(name, src)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return interp.New(u)
}

func fn(f func(t float64) float64) lagrt.Signal {
	return lagrt.Signal{Func: func(t float64, dst []float64) {
		for i := range dst {
			dst[i] = f(t)
		}
	}}
}

type gradCase struct {
	name string
	pr   *lagrt.Problem
}

// gradCases are initial-value problems over at least 10 periods of their
// fastest linear mode, with inputs, targets, θ-dependent momenta (V0
// given), a cost depending on θ (the chain's gain) and P0 given.
func gradCases(t testing.TB) []gradCase {
	y := fn(func(t float64) float64 { return 0.3 * math.Sin(1.3*t) })
	u := fn(func(t float64) float64 { return 0.2 * math.Cos(0.9*t) })
	// Pendulum: ω = √(g/l) = 2.56, period 2.45; T = 25.
	pend := ivp(lagrttest.NewPendulum(0.8, 1.5, 9.81), 25, 1000, []float64{1}, []float64{0.5})
	pend.Target = y
	// Springs, nonlinear, all-to-all: fastest mode ω ≈ 2.2, period 2.9; T = 40.
	spr := ivp(lagrttest.NewCoupledSprings([]float64{1, 1.5, 0.7}, []float64{1, 2, 1.5},
		[][]float64{{0, 0.3, 0.2}, {0, 0, 0.4}, {0, 0, 0}}, 0.1), 40, 1600, []float64{0.3, -0.2, 0.1}, []float64{0, 0.4, -0.3})
	spr.Input, spr.Target = u, y
	// Chain of 4 with P0 given and an output gain in the cost: fastest
	// mode ω ≈ 2.6, period 2.4; T = 30.
	ch := ivp(lagrttest.NewChain(4, 2, 0.5, 0.3), 30, 1200, []float64{0.2, 0, -0.1, 0.3}, nil)
	ch.P0 = []float64{0.1, 0.3, 0, -0.2}
	ch.Input, ch.Target = u, y
	// Driven oscillator: explicit time, reversed with the inputs. ω = 1.3,
	// period 4.8; T = 50.
	dr := ivp(lagrttest.NewDriven(1.3, 0.7, 2), 50, 2000, []float64{0.1}, []float64{0.2})
	dr.Target = y
	// Double pendulum (interpreted): q-dependent masses, Lqv ≠ 0. Fastest
	// linear mode ω ≈ 5.4, period 1.2; T = 15.
	dp := ivp(loadLag(t, "double_pendulum.lag"), 15, 1500, []float64{0.3, -0.2}, []float64{0.1, 0.4})
	dp.Target = y
	// Network of 20 Duffing oscillators with W[i][j] (interpreted, loops,
	// sparse patterns): ω ≈ 1.1; T = 60.
	nw := ivp(loadLag(t, "network.lag"), 60, 1200, make([]float64, 20), make([]float64, 20))
	for i := range 20 {
		nw.Q0[i] = 0.1 * math.Sin(float64(i))
		nw.V0[i] = 0.05 * math.Cos(float64(2*i))
	}
	nw.Input, nw.Target = u, y
	return []gradCase{{"pendulum", pend}, {"springs", spr}, {"chain", ch}, {"driven", dr}, {"doublependulum", dp}, {"network", nw}}
}

// The free echo retraces the forward run and returns to (q_0, −p_0) to
// round-off.
func TestEchoRetraces(t *testing.T) {
	for _, c := range gradCases(t) {
		var s lagrt.Solver
		var fw, ec lagrt.Solution
		if err := s.Solve(&fw, c.pr, nil); err != nil {
			t.Fatal(c.name, err)
		}
		if err := s.SolveEcho(&ec, c.pr, 0, nil); err != nil {
			t.Fatal(c.name, err)
		}
		N := c.pr.N
		dq, dp, sq, sp := 0.0, 0.0, 0.0, 0.0
		for j := range ec.Q {
			for i := range ec.Q[j] {
				dq = max(dq, math.Abs(ec.Q[j][i]-fw.Q[N-j][i]))
				dp = max(dp, math.Abs(ec.P[j][i]+fw.P[N-j][i]))
				sq = max(sq, math.Abs(fw.Q[j][i]))
				sp = max(sp, math.Abs(fw.P[j][i]))
			}
		}
		end := 0.0
		for i := range ec.Q[N] {
			end = max(end, math.Abs(ec.Q[N][i]-c.pr.Q0[i])/sq, math.Abs(ec.P[N][i]+fw.IVP.P0[i])/sp)
		}
		t.Logf("%s: echo vs forward: positions %.3g, momenta %.3g (scales %.3g, %.3g); end %.3g relative", c.name, dq, dp, sq, sp, end)
		if dq > 1e-10*sq || dp > 1e-10*sp || end > 1e-10 {
			t.Errorf("%s: the free echo does not retrace the forward run: %.3g, %.3g, end %.3g", c.name, dq/sq, dp/sp, end)
		}
	}
}

// Centered echo and adjoint agree to 1e-6 relative, and both agree with
// finite differences over whole forward runs (except on the network,
// whose 420 parameters would take 840 interpreted runs), at the default
// echo β (lagrt.DefaultEchoBeta = 1e-5: the centered bias of the network at
// β = 1e-4 is 2e-6, too large; it falls as β² down to 3e-9 at β = 1e-6).
func TestEchoAdjointFD(t *testing.T) {
	var opt *lagrt.Options
	for _, c := range gradCases(t) {
		g := map[lagrt.Method]*lagrt.Gradient{}
		for _, m := range []lagrt.Method{lagrt.Echo, lagrt.Adjoint, lagrt.FiniteDiff, lagrt.EchoOneSided} {
			if m == lagrt.FiniteDiff && c.name == "network" {
				g[m] = &lagrt.Gradient{Grad: g[lagrt.Adjoint].Grad} // skipped
				continue
			}
			gr, err := lagrt.ComputeGradient(c.pr, m, opt)
			if err != nil {
				t.Fatal(c.name, m, err)
			}
			g[m] = gr
		}
		adj := g[lagrt.Adjoint].Grad
		ec, fd, e1 := lagrttest.RelErr(g[lagrt.Echo].Grad, adj), lagrttest.RelErr(g[lagrt.FiniteDiff].Grad, adj), lagrttest.RelErr(g[lagrt.EchoOneSided].Grad, adj)
		t.Logf("%s (P = %d, cost %.4g): echo vs adjoint %.3g, fd vs adjoint %.3g, one-sided echo vs adjoint %.3g; runs %d, iterations %d",
			c.name, len(adj), g[lagrt.Adjoint].Cost, ec, fd, e1, g[lagrt.Echo].Solves, g[lagrt.Echo].Iterations)
		if ec > 1e-6 || fd > 1e-6 || e1 > 1e-3 {
			t.Errorf("%s:\n echo     %v\n adjoint  %v\n fd       %v\n echo1    %v", c.name, g[lagrt.Echo].Grad, adj, g[lagrt.FiniteDiff].Grad, g[lagrt.EchoOneSided].Grad)
		}
		if g[lagrt.Echo].Solves != 3 || g[lagrt.EchoOneSided].Solves != 2 {
			t.Errorf("%s: echo runs %d and %d, want 3 and 2", c.name, g[lagrt.Echo].Solves, g[lagrt.EchoOneSided].Solves)
		}
		// The workspace-free echo gives the same numbers.
		var s lagrt.Solver
		cost, gr, err := s.EchoGradient(nil, c.pr, true, opt)
		if err != nil {
			t.Fatal(err)
		}
		if cost != g[lagrt.Echo].Cost || lagrttest.RelErr(gr, g[lagrt.Echo].Grad) != 0 {
			t.Errorf("%s: EchoGradient differs from Gradient(Echo)", c.name)
		}
	}
}

// Repeated gradients on one Solver allocate nothing.
func TestGradientAllocs(t *testing.T) {
	pr := gradCases(t)[1].pr
	var s lagrt.Solver
	var g lagrt.Gradient
	dst := make([]float64, pr.Model.Info().P())
	for _, m := range []lagrt.Method{lagrt.Adjoint, lagrt.Echo, lagrt.EchoOneSided} {
		if err := s.Gradient(&g, pr, m, nil); err != nil {
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(3, func() {
			if err := s.Gradient(&g, pr, m, nil); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("Gradient(%v): %g allocations per run", m, a)
		}
	}
	if a := testing.AllocsPerRun(3, func() { s.EchoGradient(dst, pr, true, nil) }); a != 0 {
		t.Errorf("EchoGradient: %g allocations per run", a)
	}
}

// The boundary term ((ẽ_0 − q_0)/β)·∂p_0/∂θ matters when V0 is given and
// the momenta depend on θ: without it the pendulum's mass gradient is
// wrong. Giving the same initial state as P0 removes the dependence and
// changes the gradient by exactly that term.
func TestEchoBoundaryTerm(t *testing.T) {
	pr := gradCases(t)[0].pr
	gv, err := lagrt.ComputeGradient(pr, lagrt.Echo, nil)
	if err != nil {
		t.Fatal(err)
	}
	pp := *pr
	pp.V0, pp.P0 = nil, gv.Free.IVP.P0
	gp, err := lagrt.ComputeGradient(&pp, lagrt.Echo, nil)
	if err != nil {
		t.Fatal(err)
	}
	ap, err := lagrt.ComputeGradient(&pp, lagrt.Adjoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("V0 given: %v; P0 given: %v (adjoint %v)", gv.Grad, gp.Grad, ap.Grad)
	if e := lagrttest.RelErr(gp.Grad, ap.Grad); e > 1e-6 {
		t.Errorf("P0 given: echo vs adjoint %.3g", e)
	}
	if lagrttest.RelErr(gp.Grad, gv.Grad) < 1e-3 {
		t.Errorf("V0 and P0 runs give the same gradient: the boundary term is not exercised")
	}
}

// The one-sided echo's error falls linearly in β, the centered one's
// quadratically.
func TestEchoBias(t *testing.T) {
	pr := gradCases(t)[1].pr
	adj, err := lagrt.ComputeGradient(pr, lagrt.Adjoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	errAt := func(m lagrt.Method, beta float64) float64 {
		g, err := lagrt.ComputeGradient(pr, m, &lagrt.Options{Beta: beta})
		if err != nil {
			t.Fatal(err)
		}
		return lagrttest.RelErr(g.Grad, adj.Grad)
	}
	a, b := errAt(lagrt.EchoOneSided, 1e-2), errAt(lagrt.EchoOneSided, 1e-3)
	c, d := errAt(lagrt.Echo, 1e-1), errAt(lagrt.Echo, 1e-2)
	t.Logf("one-sided: %.3g at β = 1e-2, %.3g at 1e-3; centered: %.3g at 1e-1, %.3g at 1e-2", a, b, c, d)
	if r := a / b; r < 7 || r > 13 {
		t.Errorf("one-sided error ratio %.3g, want 10", r)
	}
	if r := c / d; r < 70 || r > 130 {
		t.Errorf("centered error ratio %.3g, want 100", r)
	}
}

// A model without time-reversal symmetry gets ErrNotReversible pointing
// to the adjoint, which still works for it.
func TestEchoNeedsReversibility(t *testing.T) {
	K := [][]float64{{2, 0.3}, {0.3, 1.5}}
	// b = 0 keeps L even but not ∂L/∂b, so the b component of the echo
	// would come out with the wrong sign.
	for b, what := range map[float64]string{0.4: "but L changes", 0: "but ∂L/∂θ[b] changes"} {
		pr := ivp(lagrttest.NewCoupled(K, b, 0.1), 10, 400, []float64{0.2, -0.1}, []float64{0.3, 0})
		for _, m := range []lagrt.Method{lagrt.Echo, lagrt.EchoOneSided} {
			_, err := lagrt.ComputeGradient(pr, m, nil)
			wantErr(t, err, lagrt.ErrNotReversible, "adjoint", "v → −v", what)
		}
		var s lagrt.Solver
		var sol lagrt.Solution
		wantErr(t, s.SolveEcho(&sol, pr, 0, nil), lagrt.ErrNotReversible, what)
		adj, err := lagrt.ComputeGradient(pr, lagrt.Adjoint, nil)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := lagrt.ComputeGradient(pr, lagrt.FiniteDiff, nil)
		if err != nil {
			t.Fatal(err)
		}
		if e := lagrttest.RelErr(fd.Grad, adj.Grad); e > 1e-6 {
			t.Errorf("b = %g: adjoint %v vs fd %v: %.3g", b, adj.Grad, fd.Grad, e)
		}
	}
}

func TestMethodsAndConditions(t *testing.T) {
	pr := gradCases(t)[0].pr
	for _, m := range []lagrt.Method{lagrt.EPCentered, lagrt.EPOneSided} {
		_, err := lagrt.ComputeGradient(pr, m, nil)
		wantErr(t, err, lagrt.ErrProblem, "echo, echo1, adjoint or fd")
	}
	bvp := &lagrt.Problem{Model: lagrttest.NewPendulum(1, 1, 9.81), T: 1, N: 50, Q0: []float64{0}, QT: []float64{0.5}}
	for _, m := range []lagrt.Method{lagrt.Echo, lagrt.EchoOneSided} {
		_, err := lagrt.ComputeGradient(bvp, m, nil)
		wantErr(t, err, lagrt.ErrProblem, "initial-value problems")
	}
	for _, name := range []string{"echo", "echo1"} {
		m, err := lagrt.ParseMethod(name)
		if err != nil || m.String() != name {
			t.Errorf("ParseMethod(%q) = %v, %v", name, m, err)
		}
	}
}
