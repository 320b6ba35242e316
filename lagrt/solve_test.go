package lagrt_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// Tolerances of the tests, written down once:
const (
	closedFormTol = 1e-10 // closed forms of docs/math.md §4, absolute on O(1) trajectories
	epAdjTol      = 1e-6  // centered EP vs adjoint, relative (RelErr)
	fdAdjTol      = 1e-6  // finite differences vs adjoint, relative
	derivTol      = 1e-6  // hand-written derivatives vs finite differences
)

func sine(a, w float64) lagrt.Signal {
	return lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = a * math.Sin(w*t) }}
}

func TestModelDerivatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	models := []lagrt.Model{
		lagrttest.NewOscillator(1.3, 4),
		lagrttest.NewDriven(1.3, 0.7, 2),
		lagrttest.NewPendulum(0.8, 1.2, 9.81),
		lagrttest.NewCoupled([][]float64{{2, 0.3, 0.1}, {0.3, 3, 0.2}, {0.1, 0.2, 1.5}}, 0.4, 0.5),
		lagrttest.NewChain(3, 2, 0.5, 0.3),
	}
	for _, m := range models {
		info := m.Info()
		for range 3 {
			p := &lagrt.Point{T: rng.Float64(), Q: rnd(rng, info.N()), V: rnd(rng, info.N()),
				Theta: append([]float64(nil), info.Defaults...), U: rnd(rng, len(info.Inputs)), Y: rnd(rng, len(info.Targets))}
			if err := lagrttest.CheckDerivatives(m, p, derivTol); err != nil {
				t.Error(err)
			}
		}
	}
}

func rnd(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 2*rng.Float64() - 1
	}
	return x
}

// Harmonic oscillator with fixed ends: the discrete solution is the
// continuous formula with ω replaced by Ω = (2/h) atan(ωh/2).
func TestOscillatorFixedClosedForm(t *testing.T) {
	for _, c := range []struct{ m, k, T float64 }{{1, 4, 1}, {2, 3, 2.5}, {1, 1, 10}} {
		const N, a, b = 100, 0.3, -0.7
		pr := &lagrt.Problem{Model: lagrttest.NewOscillator(c.m, c.k), T: c.T, N: N, Q0: []float64{a}, QT: []float64{b}}
		sol, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := c.T / N
		om := math.Sqrt(c.k / c.m)
		Om := 2 / h * math.Atan(om*h/2)
		worst := 0.0
		for k, tk := range sol.Times {
			want := (a*math.Sin(Om*(c.T-tk)) + b*math.Sin(Om*tk)) / math.Sin(Om*c.T)
			worst = max(worst, math.Abs(sol.Q[k][0]-want))
		}
		if worst > closedFormTol {
			t.Errorf("m=%g k=%g T=%g: max error %.3g vs closed form", c.m, c.k, c.T, worst)
		}
		if sol.Iterations != 1 {
			t.Errorf("linear problem took %d Newton iterations, want 1", sol.Iterations)
		}
		if r, p := lagrttest.Stationarity(pr, sol); r > 1e-8 || p > 1e-8 {
			t.Errorf("stationarity %.3g, momentum error %.3g", r, p)
		}
	}
}

// Driven oscillator, periodic: q_k = A cos(ν t_k) with the discrete
// amplitude of docs/math.md §4.
func TestDrivenPeriodicClosedForm(t *testing.T) {
	for _, c := range []struct {
		om, F, nu float64
		N         int
	}{{1.3, 0.7, 2, 64}, {3, 1, 1, 200}, {0.5, 2, 1.7, 31}} {
		T := 2 * math.Pi / c.nu
		pr := &lagrt.Problem{Model: lagrttest.NewDriven(c.om, c.F, c.nu), T: T, N: c.N, BC: lagrt.Periodic}
		sol, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := T / float64(c.N)
		cs, sn := math.Cos(c.nu*h/2), math.Sin(c.nu*h/2)
		A := c.F * cs / (c.om*c.om*cs*cs - 4/(h*h)*sn*sn)
		worst := 0.0
		for k, tk := range sol.Times {
			worst = max(worst, math.Abs(sol.Q[k][0]-A*math.Cos(c.nu*tk)))
		}
		if worst > closedFormTol {
			t.Errorf("%+v: max error %.3g vs closed form (A = %g)", c, worst, A)
		}
		if r, p := lagrttest.Stationarity(pr, sol); r > 1e-8 || p > 1e-8 {
			t.Errorf("stationarity %.3g, momentum error %.3g", r, p)
		}
	}
}

func TestNonlinearStationary(t *testing.T) {
	for _, pr := range testProblems() {
		sol, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Fatalf("%s: %v", pr.Model.Info().Name, err)
		}
		r, p := lagrttest.Stationarity(pr, sol)
		t.Logf("%s %v: %d iterations, residual %.3g, correction %.3g, rcond %.3g; fd stationarity %.3g momenta %.3g",
			pr.Model.Info().Name, pr.BC, sol.Iterations, sol.Residual, sol.Correction, sol.RCond, r, p)
		if r > 1e-7 || p > 1e-7 {
			t.Errorf("%s: stationarity %.3g, momentum error %.3g", pr.Model.Info().Name, r, p)
		}
	}
}

// testProblems are nonlinear problems with costs, with both kinds of
// boundary conditions.
func testProblems() []*lagrt.Problem {
	N := 200
	target := func(t float64, dst []float64) { dst[0] = 0.3 * math.Cos(2*t) }
	K := [][]float64{{2, 0.3, 0.1}, {0.3, 3, 0.2}, {0.1, 0.2, 1.5}}
	return []*lagrt.Problem{
		{Model: lagrttest.NewPendulum(0.8, 1.2, 9.81), T: 1, N: N, Q0: []float64{0.2}, QT: []float64{1.5},
			Target: lagrt.Signal{Func: target}},
		{Model: lagrttest.NewCoupled(K, 0.4, 0.5), T: 1, N: N, Q0: []float64{0.1, -0.2, 0.3}, QT: []float64{0.5, 0.4, -0.1},
			Input: sine(0.5, 3), Target: lagrt.Signal{Func: target}},
		{Model: lagrttest.NewCoupled(K, 0.4, 0.5), T: math.Pi, N: N, BC: lagrt.Periodic,
			Input: sine(0.3, 2), Target: lagrt.Signal{Func: target}},
		{Model: lagrttest.NewChain(4, 2, 0.5, 0.3), T: 2, N: N, Q0: []float64{0.1, 0, 0, 0.2}, QT: []float64{0, 0.3, 0, -0.4},
			Input: sine(1, 1.5), Target: lagrt.Signal{Func: target}},
		{Model: lagrttest.NewChain(2, 2, 0.5, 0.3), T: 2 * math.Pi / 1.5, N: N, BC: lagrt.Periodic,
			Input: sine(1, 1.5), Target: lagrt.Signal{Func: target}},
	}
}

func TestErrors(t *testing.T) {
	osc := lagrttest.NewOscillator(1, 4) // ω = 2
	N := 100
	// The discrete conjugate point: Ω T = π with Ω = (2/h) atan(ωh/2).
	// Solve T = π/Ω(h) with h = T/N by fixed-point iteration.
	T := math.Pi / 2
	for range 100 {
		T = math.Pi / (2 * float64(N) / T * math.Atan(2*T/float64(N)/2))
	}
	_, err := lagrt.Solve(&lagrt.Problem{Model: osc, T: T, N: N, Q0: []float64{0}, QT: []float64{1}}, nil)
	wantErr(t, err, lagrt.ErrSingular, "conjugate point")

	// Autonomous oscillator, periodic over one discrete period: the
	// time-shift zero mode.
	T = 2 * math.Pi / 2
	for range 100 {
		T = 2 * math.Pi / (2 * float64(N) / T * math.Atan(2*T/float64(N)/2))
	}
	_, err = lagrt.Solve(&lagrt.Problem{Model: osc, T: T, N: N, BC: lagrt.Periodic}, nil)
	wantErr(t, err, lagrt.ErrSingular, "zero mode")

	// Newton limited to one iteration on a nonlinear problem.
	pr := testProblems()[0]
	_, err = lagrt.Solve(pr, &lagrt.Options{MaxIter: 1})
	wantErr(t, err, lagrt.ErrNoConvergence, "Newton iterations")

	// NaN from the model.
	_, err = lagrt.Solve(&lagrt.Problem{Model: nanModel{osc}, T: 1, N: 10, Q0: []float64{0}, QT: []float64{1}}, nil)
	wantErr(t, err, lagrt.ErrNaN, "step")

	// Malformed problems.
	_, err = lagrt.Solve(&lagrt.Problem{Model: osc, T: 1, N: 10, Q0: []float64{0}}, nil)
	wantErr(t, err, lagrt.ErrProblem, "len(QT)")
	_, err = lagrt.Solve(&lagrt.Problem{Model: osc, T: -1, N: 10, Q0: []float64{0}, QT: []float64{0}}, nil)
	wantErr(t, err, lagrt.ErrProblem, "horizon")
}

func wantErr(t *testing.T, err, target error, substr string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("error %v, want %v", err, target)
		return
	}
	if !strings.HasPrefix(err.Error(), "lagrt: ") || !strings.Contains(err.Error(), substr) {
		t.Errorf("error %q: want prefix \"lagrt: \" and %q", err, substr)
	}
	t.Log(err)
}

// nanModel returns NaN for q > 0.5.
type nanModel struct{ lagrt.Model }

func (m nanModel) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	m.Model.Eval(w, p, out)
	if p.Q[0] > 0.5 {
		out.Lq[0] = math.NaN()
		out.L = math.NaN()
	}
}

// Samples on the grid of a signal linear in t average to its midpoint
// values, so they give the same solution as the function.
func TestSignalSamples(t *testing.T) {
	K := [][]float64{{2, 0.3}, {0.3, 3}}
	f := func(t float64, dst []float64) { dst[0] = 0.5 - 0.3*t }
	base := lagrt.Problem{Model: lagrttest.NewCoupled(K, 0.4, 0.5), T: 1, N: 50,
		Q0: []float64{0.1, -0.2}, QT: []float64{0.5, 0.4}, Input: lagrt.Signal{Func: f}, Target: lagrt.Signal{Func: f}}
	s1, err := lagrt.Solve(&base, nil)
	if err != nil {
		t.Fatal(err)
	}
	smp := make([][]float64, base.N+1)
	for k := range smp {
		smp[k] = []float64{0}
		f(float64(k)*base.T/float64(base.N), smp[k])
	}
	pr2 := base
	pr2.Input = lagrt.Signal{Samples: smp}
	pr2.Target = lagrt.Signal{Samples: smp}
	s2, err := lagrt.Solve(&pr2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k := range s1.Q {
		for i := range s1.Q[k] {
			if d := math.Abs(s1.Q[k][i] - s2.Q[k][i]); d > 1e-12 {
				t.Fatalf("row %d: samples and function differ by %g", k, d)
			}
		}
	}
	if math.Abs(s1.Cost-s2.Cost) > 1e-13 {
		t.Errorf("cost %g vs %g", s1.Cost, s2.Cost)
	}
}

// The solver never modifies its inputs.
func TestInputsUnmodified(t *testing.T) {
	for _, pr := range testProblems() {
		guess := make([][]float64, pr.N+1)
		for k := range guess {
			guess[k] = make([]float64, pr.Model.Info().N())
			for i := range guess[k] {
				guess[k][i] = 0.01 * float64(i+k%3)
			}
		}
		pr.Guess = guess
		pr.Theta = append([]float64(nil), pr.Model.Info().Defaults...)
		smp := make([][]float64, pr.N+1)
		for k := range smp {
			smp[k] = []float64{math.Sin(float64(k))}
		}
		pr.Target = lagrt.Signal{Samples: smp}
		before := deepCopy(pr)
		defaults := append([]float64(nil), pr.Model.Info().Defaults...)
		for _, m := range []lagrt.Method{lagrt.EPOneSided, lagrt.EPCentered, lagrt.Adjoint, lagrt.FiniteDiff} {
			if _, err := lagrt.ComputeGradient(pr, m, nil); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(before, deepCopy(pr)) || !reflect.DeepEqual(defaults, pr.Model.Info().Defaults) {
			t.Errorf("%s: problem modified", pr.Model.Info().Name)
		}
	}
}

func deepCopy(pr *lagrt.Problem) lagrt.Problem {
	c := *pr
	cp := func(m [][]float64) [][]float64 {
		if m == nil {
			return nil
		}
		r := make([][]float64, len(m))
		for i := range m {
			r[i] = append([]float64(nil), m[i]...)
		}
		return r
	}
	c.Model = nil
	c.Input.Func, c.Target.Func = nil, nil
	c.Q0 = append([]float64(nil), pr.Q0...)
	c.QT = append([]float64(nil), pr.QT...)
	c.Theta = append([]float64(nil), pr.Theta...)
	c.Guess = cp(pr.Guess)
	c.Input.Samples, c.Target.Samples = cp(pr.Input.Samples), cp(pr.Target.Samples)
	return c
}

// One Solver per goroutine, one shared Model.
func TestConcurrent(t *testing.T) {
	pr0 := testProblems()[1]
	want, err := lagrt.ComputeGradient(pr0, lagrt.EPCentered, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for range 4 {
		go func() {
			var s lagrt.Solver
			var g lagrt.Gradient
			pr := *pr0
			for range 5 {
				if err := s.Gradient(&g, &pr, lagrt.EPCentered, nil); err != nil {
					done <- err
					return
				}
				if !reflect.DeepEqual(g.Grad, want.Grad) {
					done <- errors.New("gradient differs across goroutines")
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
