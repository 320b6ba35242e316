package lagrt_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// arrowConfigs are the arrow networks of the tests: every leaf coupled
// to every hub; and each leaf to two of five hubs, with velocity
// couplings and springs between the hubs.
var arrowConfigs = []lagrttest.ArrowConfig{
	{Leaves: 40, Hubs: 4, K: 4, W: 0.5, A: 0.5},
	{Leaves: 36, Hubs: 5, Degree: 2, K: 4, W: 1, A: 0.5, Gyro: 0.3, HubSpring: 0.4},
}

// arrowProblem drives the arrow network by u = sin(1.5t) with targets
// z_a = 0.1·cos(1.5t + a) on the hubs.
func arrowProblem(c lagrttest.ArrowConfig, N int, bc lagrt.BC) *lagrt.Problem {
	m := lagrttest.NewArrow(c)
	n := m.Info().N()
	pr := &lagrt.Problem{Model: m, T: 1, N: N, BC: bc, Input: sine(1, 1.5),
		Target: lagrt.Signal{Func: func(t float64, dst []float64) {
			for a := range dst {
				dst[a] = 0.1 * math.Cos(1.5*t+float64(a))
			}
		}}}
	if bc == lagrt.Fixed {
		pr.Q0, pr.QT = make([]float64, n), make([]float64, n)
		for i := range n {
			pr.Q0[i], pr.QT[i] = 0.1*math.Sin(float64(i)), -0.1*math.Cos(float64(i))
		}
	} else {
		pr.T = 2 * math.Pi / 1.5
	}
	return pr
}

func TestArrowModelDerivatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []lagrttest.ArrowConfig{
		{Leaves: 4, Hubs: 2, K: 2, W: 1, A: 0.5},
		{Leaves: 5, Hubs: 3, Degree: 2, K: 2, W: 1, A: 0.5, Gyro: 0.3, HubSpring: 0.4},
	} {
		m := lagrttest.NewArrow(c)
		p := lagrttest.RandomPoint(m.Info(), rng)
		if err := lagrttest.CheckDerivatives(m, p, derivTol); err != nil {
			t.Error(err)
		}
		if err := lagrttest.CheckLevels(m, p); err != nil {
			t.Error(err)
		}
	}
}

// maxDiff returns max |a − b| and max |b| over two trajectories.
func maxDiff(a, b [][]float64) (d, scale float64) {
	for k := range a {
		for i := range a[k] {
			d = max(d, math.Abs(a[k][i]-b[k][i]))
			scale = max(scale, math.Abs(b[k][i]))
		}
	}
	return d, scale
}

func gradDiff(a, b []float64) float64 {
	d, g := 0.0, 0.0
	for i := range a {
		d, g = max(d, math.Abs(a[i]-b[i])), max(g, math.Abs(b[i]))
	}
	return d / g
}

// LinearSchur gives the trajectories, centered EP and adjoint gradients
// of the block and band LUs to round-off, on arrow networks with fixed
// and periodic conditions.
func TestSchurAgrees(t *testing.T) {
	for _, c := range arrowConfigs {
		for _, bc := range []lagrt.BC{lagrt.Fixed, lagrt.Periodic} {
			pr := arrowProblem(c, 40, bc)
			name := fmt.Sprintf("%s %v", pr.Model.Info().Name, bc)
			type result struct {
				sol     lagrt.Solution
				ep, adj lagrt.Gradient
			}
			var res [3]result
			for r, m := range []lagrt.LinearSolver{lagrt.LinearSchur, lagrt.LinearBlock, lagrt.LinearBand} {
				var s lagrt.Solver
				opt := &lagrt.Options{Linear: m}
				if err := s.Solve(&res[r].sol, pr, opt); err != nil {
					t.Fatalf("%s %v: %v", name, m, err)
				}
				if kind, _, _, _ := s.LinStats(); kind != m {
					t.Fatalf("%s: solved by %v, want %v", name, kind, m)
				}
				if err := s.Gradient(&res[r].ep, pr, lagrt.EPCentered, opt); err != nil {
					t.Fatalf("%s %v: centered: %v", name, m, err)
				}
				if err := s.Gradient(&res[r].adj, pr, lagrt.Adjoint, opt); err != nil {
					t.Fatalf("%s %v: adjoint: %v", name, m, err)
				}
				if m == lagrt.LinearSchur {
					if hubs, fb := s.SchurStats(); len(hubs) != c.Hubs || fb != 0 {
						t.Errorf("%s: hubs %v, %d fallbacks; want the %d hubs and none", name, hubs, fb, c.Hubs)
					}
				}
			}
			for r, m := range []lagrt.LinearSolver{lagrt.LinearBlock, lagrt.LinearBand} {
				ref := &res[r+1]
				if d, sc := maxDiff(res[0].sol.Q, ref.sol.Q); d > 1e-10*sc {
					t.Errorf("%s: trajectory differs from %v's by %.3g (scale %.3g)", name, m, d, sc)
				}
				if rc := res[0].sol.RCond / ref.sol.RCond; !(rc > 0.25 && rc < 4) {
					t.Errorf("%s: RCond %.3g, %v %.3g", name, res[0].sol.RCond, m, ref.sol.RCond)
				}
				if e := gradDiff(res[0].ep.Grad, ref.ep.Grad); e > 1e-10 {
					t.Errorf("%s: centered EP differs from %v's by %.3g relative", name, m, e)
				}
				if e := gradDiff(res[0].adj.Grad, ref.adj.Grad); e > 1e-10 {
					t.Errorf("%s: adjoint differs from %v's by %.3g relative", name, m, e)
				}
			}
			if e := gradDiff(res[0].ep.Grad, res[0].adj.Grad); e > 1e-6 {
				t.Errorf("%s: centered EP differs from the adjoint by %.3g relative", name, e)
			}
		}
	}
}

// solveWith solves pr with the linear solver m into a fresh Solver and
// returns the solution, the method that solved it and the fallbacks of
// LinearSchur.
func solveWith(t *testing.T, pr *lagrt.Problem, m lagrt.LinearSolver) (*lagrt.Solution, lagrt.LinearSolver, int, error) {
	t.Helper()
	var s lagrt.Solver
	var sol lagrt.Solution
	err := s.Solve(&sol, pr, &lagrt.Options{Linear: m})
	kind, _, _, _ := s.LinStats()
	_, fb := s.SchurStats()
	return &sol, kind, fb, err
}

// The general elimination (for Hessians that are not bitwise symmetric)
// gives the symmetric one's results.
func TestSchurGeneral(t *testing.T) {
	for _, c := range arrowConfigs {
		for _, bc := range []lagrt.BC{lagrt.Fixed, lagrt.Periodic} {
			pr := arrowProblem(c, 30, bc)
			name := fmt.Sprintf("%s %v", pr.Model.Info().Name, bc)
			opt := &lagrt.Options{Linear: lagrt.LinearSchur}
			var g [2]*lagrt.Gradient
			for i, sym := range []bool{true, false} {
				old := lagrt.SetSchurSymmetric(sym)
				var err error
				g[i], err = lagrt.ComputeGradient(pr, lagrt.Adjoint, opt)
				lagrt.SetSchurSymmetric(old)
				if err != nil {
					t.Fatalf("%s (symmetric %v): %v", name, sym, err)
				}
			}
			if d, sc := maxDiff(g[1].Free.Q, g[0].Free.Q); d > 1e-12*sc {
				t.Errorf("%s: general elimination's trajectory differs by %.3g (scale %.3g)", name, d, sc)
			}
			if e := gradDiff(g[1].Grad, g[0].Grad); e > 1e-10 {
				t.Errorf("%s: general elimination's adjoint gradient differs by %.3g relative", name, e)
			}
		}
	}
}

// LinearAuto picks LinearSchur for the arrow networks and not for the
// chains, lattices and dense networks (which have no small set of hubs),
// nor for a star over so many steps that the dense Schur complement (of
// order N) costs more than the alternatives.
func TestSchurAuto(t *testing.T) {
	var arrows []*lagrt.Problem
	for _, c := range arrowConfigs {
		arrows = append(arrows, arrowProblem(c, 40, lagrt.Fixed), arrowProblem(c, 40, lagrt.Periodic))
	}
	mnist := lagrttest.ArrowConfig{Leaves: 128, Hubs: 10, K: 2.5, W: 1, A: 0.5}
	arrows = append(arrows, arrowProblem(mnist, 16, lagrt.Periodic))
	for _, pr := range arrows {
		if _, kind, _, err := solveWith(t, pr, lagrt.LinearAuto); err != nil || kind != lagrt.LinearSchur {
			t.Errorf("%s %v: solved by %v (error %v), want %v", pr.Model.Info().Name, pr.BC, kind, err, lagrt.LinearSchur)
		}
	}
	chain := springsProblem(lagrttest.NewSpringChain(512, 2, 0.5, 0.3), 16, lagrt.Fixed)
	chain.T = 1
	others := linearProblems()
	others = append(others,
		springsProblem(lagrttest.NewNetwork(48, 0.5, 4, 0.3), 24, lagrt.Periodic), chain,
		chainProblem(16, 50, lagrt.Fixed),
		arrowProblem(lagrttest.ArrowConfig{Leaves: 60, Hubs: 1, K: 4, W: 0.3, A: 0.5}, 2000, lagrt.Fixed))
	for _, pr := range others {
		if _, kind, _, err := solveWith(t, pr, lagrt.LinearAuto); err != nil || kind == lagrt.LinearSchur {
			t.Errorf("%s %v N=%d: solved by %v (error %v), want another method", pr.Model.Info().Name, pr.BC, pr.N, kind, err)
		}
	}
}

// resonant returns the stiffness at which the discrete time problem of
// a unit-mass oscillator over N steps of h is singular: for fixed ends
// its first mode sin(πk/N), for periodic conditions cos(2πk/N).
func resonant(bc lagrt.BC, N int, h float64) float64 {
	phi := math.Pi / float64(N)
	if bc == lagrt.Periodic {
		phi *= 2
	}
	t := math.Tan(phi / 2)
	return 4 / (h * h) * t * t
}

// A leaf whose own time problem is singular (its stiffness at a discrete
// resonance) while its coupling to the hubs keeps H regular: LinearSchur
// falls back to the block LU and gives its results.
func TestSchurSingularLeaf(t *testing.T) {
	c := lagrttest.ArrowConfig{Leaves: 20, Hubs: 3, K: 4, W: 2, A: 0}
	for _, bc := range []lagrt.BC{lagrt.Fixed, lagrt.Periodic} {
		pr := arrowProblem(c, 30, bc)
		pr.Theta = append([]float64(nil), pr.Model.Info().Defaults...)
		pr.Theta[0] = resonant(bc, pr.N, pr.T/float64(pr.N))
		ref, _, _, err := solveWith(t, pr, lagrt.LinearBlock)
		if err != nil {
			t.Fatalf("%v: block: %v", bc, err)
		}
		sol, kind, fb, err := solveWith(t, pr, lagrt.LinearSchur)
		if err != nil {
			t.Fatalf("%v: schur: %v", bc, err)
		}
		if kind != lagrt.LinearSchur || fb == 0 {
			t.Errorf("%v: solved by %v with %d fallbacks, want LinearSchur falling back", bc, kind, fb)
		}
		if d, sc := maxDiff(sol.Q, ref.Q); d > 1e-10*sc {
			t.Errorf("%v: trajectory differs from the block LU's by %.3g (scale %.3g)", bc, d, sc)
		}
		g, err := lagrt.ComputeGradient(pr, lagrt.Adjoint, &lagrt.Options{Linear: lagrt.LinearSchur})
		if err != nil {
			t.Fatalf("%v: schur adjoint: %v", bc, err)
		}
		gr, err := lagrt.ComputeGradient(pr, lagrt.Adjoint, &lagrt.Options{Linear: lagrt.LinearBlock})
		if err != nil {
			t.Fatalf("%v: block adjoint: %v", bc, err)
		}
		if e := gradDiff(g.Grad, gr.Grad); e > 1e-10 {
			t.Errorf("%v: adjoint differs from the block LU's by %.3g relative", bc, e)
		}
		// Off resonance, no fallback.
		pr.Theta[0] *= 1.2
		if _, _, fb, err := solveWith(t, pr, lagrt.LinearSchur); err != nil || fb != 0 {
			t.Errorf("%v: off resonance: %d fallbacks (error %v), want none", bc, fb, err)
		}
	}
}

// A hub decoupled from the leaves at a resonance of its own makes H
// singular: LinearSchur reports ErrSingular as the block LU does.
func TestSchurSingular(t *testing.T) {
	c := lagrttest.ArrowConfig{Leaves: 20, Hubs: 3, K: 4, W: 2, A: 0}
	m := lagrttest.NewArrow(c)
	info := m.Info()
	for _, bc := range []lagrt.BC{lagrt.Fixed, lagrt.Periodic} {
		pr := arrowProblem(c, 30, bc)
		pr.Theta = append([]float64(nil), info.Defaults...)
		for a, name := range info.Params {
			if strings.HasPrefix(name, "W[0]") {
				pr.Theta[a] = 0
			}
		}
		pr.Theta[slices.Index(info.Params, "K[0]")] = resonant(bc, pr.N, pr.T/float64(pr.N))
		_, _, _, errB := solveWith(t, pr, lagrt.LinearBlock)
		_, kind, fb, errS := solveWith(t, pr, lagrt.LinearSchur)
		if !errors.Is(errB, lagrt.ErrSingular) {
			t.Fatalf("%v: block: %v, want ErrSingular", bc, errB)
		}
		if !errors.Is(errS, lagrt.ErrSingular) || kind != lagrt.LinearSchur || fb != 0 {
			t.Errorf("%v: schur (%v, %d fallbacks): %v, want ErrSingular like the block LU's: %v", bc, kind, fb, errS, errB)
		}
	}
}

// Results are bitwise independent of GOMAXPROCS: the leaves are
// eliminated in the same two halves either way.
func TestSchurDeterministic(t *testing.T) {
	pr := arrowProblem(lagrttest.ArrowConfig{Leaves: 128, Hubs: 10, K: 2.5, W: 1, A: 0.5}, 16, lagrt.Periodic)
	var gs [2]*lagrt.Gradient
	for i, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		g, err := lagrt.ComputeGradient(pr, lagrt.EPCentered, &lagrt.Options{Linear: lagrt.LinearSchur})
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		gs[i] = g
	}
	for k := range gs[0].Free.Q {
		for i, x := range gs[0].Free.Q[k] {
			if math.Float64bits(x) != math.Float64bits(gs[1].Free.Q[k][i]) {
				t.Fatalf("q[%d][%d]: %v with GOMAXPROCS=1, %v with 2", k, i, x, gs[1].Free.Q[k][i])
			}
		}
	}
	for a, x := range gs[0].Grad {
		if math.Float64bits(x) != math.Float64bits(gs[1].Grad[a]) {
			t.Fatalf("grad[%d]: %v with GOMAXPROCS=1, %v with 2", a, x, gs[1].Grad[a])
		}
	}
}

// Repeated solves and gradients with LinearSchur do not allocate.
func TestSchurZeroAllocs(t *testing.T) {
	for _, bc := range []lagrt.BC{lagrt.Fixed, lagrt.Periodic} {
		pr := arrowProblem(arrowConfigs[0], 40, bc)
		opt := &lagrt.Options{Linear: lagrt.LinearSchur}
		var s lagrt.Solver
		var sol lagrt.Solution
		var g lagrt.Gradient
		if err := s.Solve(&sol, pr, opt); err != nil {
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(3, func() {
			if err := s.Solve(&sol, pr, opt); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("%v Solve: %g allocations per run", bc, a)
		}
		for _, m := range []lagrt.Method{lagrt.EPCentered, lagrt.Adjoint} {
			if err := s.Gradient(&g, pr, m, opt); err != nil {
				t.Fatal(err)
			}
			if a := testing.AllocsPerRun(3, func() {
				if err := s.Gradient(&g, pr, m, opt); err != nil {
					t.Fatal(err)
				}
			}); a != 0 {
				t.Errorf("%v Gradient(%v): %g allocations per run", bc, m, a)
			}
		}
	}
}

// Forced, LinearSchur solves any pattern exactly (with as many hubs as
// the cover needs): it agrees with the band LU on the small and the
// chain, lattice and network test problems.
func TestSchurForced(t *testing.T) {
	prs := append(linearProblems(), &lagrt.Problem{Model: lagrttest.NewPendulum(1, 1, 9.81), T: 1, N: 2, Q0: []float64{0.2}, QT: []float64{1}})
	for _, pr := range prs {
		name := fmt.Sprintf("%s %v", pr.Model.Info().Name, pr.BC)
		ref, err := lagrt.Solve(pr, &lagrt.Options{Linear: lagrt.LinearBand})
		if err != nil {
			t.Fatalf("%s: band: %v", name, err)
		}
		sol, kind, fb, err := solveWith(t, pr, lagrt.LinearSchur)
		if err != nil || kind != lagrt.LinearSchur {
			t.Errorf("%s: %v (%v)", name, err, kind)
			continue
		}
		if d, sc := maxDiff(sol.Q, ref.Q); d > 1e-9*sc {
			t.Errorf("%s: trajectory differs from the band LU's by %.3g (scale %.3g, %d fallbacks)", name, d, sc, fb)
		}
		if !pr.Model.Info().HasCost {
			continue
		}
		var g [2]*lagrt.Gradient
		for i, m := range []lagrt.LinearSolver{lagrt.LinearSchur, lagrt.LinearBand} {
			if g[i], err = lagrt.ComputeGradient(pr, lagrt.Adjoint, &lagrt.Options{Linear: m}); err != nil {
				t.Fatalf("%s %v: adjoint: %v", name, m, err)
			}
		}
		if e := gradDiff(g[0].Grad, g[1].Grad); e > 1e-9 {
			t.Errorf("%s: adjoint differs from the band LU's by %.3g relative", name, e)
		}
	}
}
