// Package ivptest tests the runtime's initial-value problems (ivp.go):
// the forward integrator and the adjoint and echo gradients, on
// hand-written models and on interpreted testdata systems. Like
// continuationtest, the tests live outside package lagrt so that the
// runtime's own test binary, whose benchmarks are reference numbers,
// keeps its layout.
package ivptest_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

func wantErr(t *testing.T, err, target error, substr ...string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("error %v, want %v", err, target)
		return
	}
	if !strings.HasPrefix(err.Error(), "lagrt: ") {
		t.Errorf("error %q: want prefix \"lagrt: \"", err)
	}
	for _, s := range substr {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q: want %q", err, s)
		}
	}
	t.Log(err)
}

func ivp(m lagrt.Model, T float64, N int, q0, v0 []float64) *lagrt.Problem {
	return &lagrt.Problem{Model: m, T: T, N: N, BC: lagrt.Initial, Q0: q0, V0: v0}
}

func TestNewModelsDerivatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, m := range []lagrt.Model{
		lagrttest.NewCentral(1.3, 0.8, 0.2),
		lagrttest.NewCoupledSprings([]float64{1, 1.5, 0.7}, []float64{1, 2, 1.5}, [][]float64{{0, 0.3, 0.2}, {0, 0, 0.4}, {0, 0, 0}}, 0.1),
	} {
		for range 5 {
			p := lagrttest.RandomPoint(m.Info(), rng)
			if err := lagrttest.CheckDerivatives(m, p, 1e-6); err != nil {
				t.Error(err)
			}
			if err := lagrttest.CheckLevels(m, p); err != nil {
				t.Error(err)
			}
		}
	}
}

// The harmonic oscillator converges at order 2 to the closed form
// q(t) = q0 cos ωt + (v0/ω) sin ωt.
func TestOscillatorOrder2(t *testing.T) {
	m, k, q0, v0, T := 1.3, 2.1, 0.4, -0.7, 12.0
	om := math.Sqrt(k / m)
	var errs []float64
	for _, N := range []int{100, 200, 400, 800} {
		sol, err := lagrt.Solve(ivp(lagrttest.NewOscillator(m, k), T, N, []float64{q0}, []float64{v0}), nil)
		if err != nil {
			t.Fatal(err)
		}
		e := 0.0
		for i, tk := range sol.Times {
			e = max(e, math.Abs(sol.Q[i][0]-(q0*math.Cos(om*tk)+v0/om*math.Sin(om*tk))))
		}
		if p := sol.IVP.P0[0]; p != m*v0 {
			t.Errorf("p0 = %g, want m v0 = %g", p, m*v0)
		}
		errs = append(errs, e)
	}
	for i := 1; i < len(errs); i++ {
		order := math.Log2(errs[i-1] / errs[i])
		t.Logf("max error %.3g → %.3g: order %.3f", errs[i-1], errs[i], order)
		if order < 1.9 || order > 2.1 {
			t.Errorf("order %.3f, want 2", order)
		}
	}
}

// rk4 integrates the pendulum m l² a = −m g l sin q (θ = (m, l)) with
// nsub fine RK4 steps per output interval.
func rk4Pendulum(l, g, q0, v0, T float64, N, nsub int) []float64 {
	out := []float64{q0}
	h := T / float64(N*nsub)
	f := func(q, v float64) (float64, float64) { return v, -g / l * math.Sin(q) }
	q, v := q0, v0
	for range N {
		for range nsub {
			k1q, k1v := f(q, v)
			k2q, k2v := f(q+h/2*k1q, v+h/2*k1v)
			k3q, k3v := f(q+h/2*k2q, v+h/2*k2v)
			k4q, k4v := f(q+h*k3q, v+h*k3v)
			q += h / 6 * (k1q + 2*k2q + 2*k3q + k4q)
			v += h / 6 * (k1v + 2*k2v + 2*k3v + k4v)
		}
		out = append(out, q)
	}
	return out
}

// The pendulum at a large amplitude converges at order 2 to RK4 at a
// step 64 times finer than the finest midpoint run.
func TestPendulumOrder2RK4(t *testing.T) {
	l, g, q0, v0, T := 1.5, 9.81, 2.0, 0.5, 10.0
	var errs []float64
	for _, N := range []int{250, 500, 1000, 2000} {
		sol, err := lagrt.Solve(ivp(lagrttest.NewPendulum(0.8, l, g), T, N, []float64{q0}, []float64{v0}), nil)
		if err != nil {
			t.Fatal(err)
		}
		ref := rk4Pendulum(l, g, q0, v0, T, N, 64*2000/N)
		e := 0.0
		for i := range ref {
			e = max(e, math.Abs(sol.Q[i][0]-ref[i]))
		}
		errs = append(errs, e)
	}
	for i := 1; i < len(errs); i++ {
		order := math.Log2(errs[i-1] / errs[i])
		t.Logf("max error %.3g → %.3g: order %.3f", errs[i-1], errs[i], order)
		if order < 1.9 || order > 2.1 {
			t.Errorf("order %.3f, want 2", order)
		}
	}
}

// V0 and the equivalent P0 = ∂L/∂v give the same run.
func TestP0MatchesV0(t *testing.T) {
	m := lagrttest.NewPendulum(0.8, 1.5, 9.81)
	a, err := lagrt.Solve(ivp(m, 5, 200, []float64{1}, []float64{0.5}), nil)
	if err != nil {
		t.Fatal(err)
	}
	pr := ivp(m, 5, 200, []float64{1}, nil)
	pr.P0 = []float64{0.8 * 1.5 * 1.5 * 0.5}
	b, err := lagrt.Solve(pr, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k := range a.Q {
		if d := math.Abs(a.Q[k][0] - b.Q[k][0]); d > 1e-13 {
			t.Fatalf("row %d: V0 run %g, P0 run %g", k, a.Q[k][0], b.Q[k][0])
		}
	}
	// The momenta are the discrete ones: p_{k+1} = D2 L_d(q_k, q_{k+1}).
	if r, p := lagrttest.Stationarity(&lagrt.Problem{Model: m, T: 5, N: 200, Q0: a.Q[0], QT: a.Q[200]}, a); r > 1e-9 || p > 1e-9 {
		t.Errorf("the run is not stationary between its own ends: residual %.3g, momenta %.3g", r, p)
	}
}

// The angular momentum q × p of a central force is conserved to
// round-off by the discrete map (it is the momentum map of the rotation
// symmetry of L_d), while the energy only oscillates.
func TestAngularMomentumExact(t *testing.T) {
	m := lagrttest.NewCentral(1.2, 1, 0.5)
	sol, err := lagrt.Solve(ivp(m, 400, 20000, []float64{1, 0.2}, []float64{-0.1, 0.9}), nil)
	if err != nil {
		t.Fatal(err)
	}
	J := func(k int) float64 { return sol.Q[k][0]*sol.P[k][1] - sol.Q[k][1]*sol.P[k][0] }
	d := 0.0
	for k := range sol.Q {
		d = max(d, math.Abs(J(k)-J(0)))
	}
	t.Logf("J = %.15g, max |J_k − J_0| = %.3g, energy drift %.3g, max step iterations %d", J(0), d, sol.IVP.EnergyDrift, sol.IVP.MaxStepIterations)
	if d > 2e-12*math.Abs(J(0)) {
		t.Errorf("angular momentum changes by %.3g", d)
	}
	if !sol.IVP.Autonomous || sol.IVP.EnergyDrift < 1e3*d {
		t.Errorf("autonomous = %v, energy drift %.3g: expected an O(h²) oscillation well above round-off", sol.IVP.Autonomous, sol.IVP.EnergyDrift)
	}
}

// Over 10⁵ steps (about 4000 periods) the energy error of the pendulum
// stays bounded: as large in the first 1% of the run as over all of it,
// and O(h²).
func TestEnergyBounded(t *testing.T) {
	m := lagrttest.NewPendulum(1, 1, 9.81)
	run := func(T float64, N int) []float64 {
		sol, err := lagrt.Solve(ivp(m, T, N, []float64{1.2}, []float64{0}), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !sol.IVP.Autonomous {
			t.Fatal("pendulum not reported autonomous")
		}
		return sol.IVP.Energy
	}
	drift := func(E []float64) float64 {
		d := 0.0
		for _, e := range E {
			d = max(d, math.Abs(e-E[0]))
		}
		return d
	}
	E := run(5000, 100000)
	all, first := drift(E), drift(E[:1000])
	t.Logf("energy %.6g: max error over 10⁵ steps %.3g, over the first 10³ %.3g", E[0], all, first)
	if all > 1.05*first || all > 1e-2*math.Abs(E[0]) {
		t.Errorf("energy error grows: %.3g over the run, %.3g at its start", all, first)
	}
	a, b := drift(run(50, 1000)), drift(run(50, 2000))
	if r := a / b; r < 3.6 || r > 4.4 {
		t.Errorf("energy error %.3g at h, %.3g at h/2: ratio %.3g, want 4", a, b, r)
	}
	// A driven model is not autonomous.
	sol, err := lagrt.Solve(ivp(lagrttest.NewDriven(1, 0.5, 2), 5, 50, []float64{0}, []float64{0}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sol.IVP.Autonomous {
		t.Error("driven oscillator reported autonomous")
	}
}

func TestFailures(t *testing.T) {
	pend := lagrttest.NewPendulum(1, 1, 9.81)
	// No mass and no stiffness: the step Jacobian vanishes.
	_, err := lagrt.Solve(ivp(lagrttest.NewOscillator(0, 0), 1, 10, []float64{0.1}, []float64{1}), nil)
	wantErr(t, err, lagrt.ErrSingular, "step 0 of 10", "larger N")
	var se *lagrt.StepError
	if !errors.As(err, &se) || se.Step != 0 {
		t.Errorf("error %v: want a StepError at step 0", err)
	}
	// Newton limited to one iteration cannot converge.
	_, err = lagrt.Solve(ivp(pend, 1, 10, []float64{1}, []float64{1}), &lagrt.Options{MaxIter: 1})
	wantErr(t, err, lagrt.ErrNoConvergence, "step 0 of 10", "forward run", "larger N")
	// NaN: a central force at r = 0 of the Kepler potential is
	// represented by a model that returns NaN.
	_, err = lagrt.Solve(ivp(nanAfter{pend, 0.2}, 1, 10, []float64{0}, []float64{1}), nil)
	wantErr(t, err, lagrt.ErrNaN, "forward run", "step ")
	if errors.As(err, &se) && se.Step == 0 {
		t.Errorf("NaN at step %d, want later", se.Step)
	}
	// Malformed problems.
	for _, c := range []struct {
		pr  *lagrt.Problem
		msg string
	}{
		{&lagrt.Problem{Model: pend, T: 1, N: 10, BC: lagrt.Initial, Q0: []float64{1}}, "exactly one of V0"},
		{&lagrt.Problem{Model: pend, T: 1, N: 10, BC: lagrt.Initial, Q0: []float64{1}, V0: []float64{1}, P0: []float64{1}}, "exactly one of V0"},
		{&lagrt.Problem{Model: pend, T: 1, N: 10, BC: lagrt.Initial, Q0: []float64{1}, V0: []float64{1, 2}}, "len(V0) = 2"},
		{&lagrt.Problem{Model: pend, T: 1, N: 0, BC: lagrt.Initial, Q0: []float64{1}, V0: []float64{1}}, "N ≥ 1"},
		{&lagrt.Problem{Model: pend, T: 1, N: 10, BC: lagrt.Initial, Q0: []float64{math.NaN()}, V0: []float64{1}}, "NaN"},
	} {
		_, err := lagrt.Solve(c.pr, nil)
		wantErr(t, err, lagrt.ErrProblem, c.msg)
	}
	// The boundary-value routines refuse initial conditions.
	pr := ivp(pend, 1, 10, []float64{1}, []float64{1})
	_, err = lagrt.SolveNudged(pr, 1e-3, nil, nil)
	wantErr(t, err, lagrt.ErrProblem, "initial-value problems are integrated by Solve and Gradient")
	if lagrt.Initial.String() != "initial" {
		t.Errorf("Initial.String() = %q", lagrt.Initial.String())
	}
}

// nanAfter returns NaN once q exceeds a threshold.
type nanAfter struct {
	lagrt.Model
	q float64
}

func (m nanAfter) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	m.Model.Eval(w, p, out)
	if p.Q[0] > m.q {
		out.L = math.NaN()
	}
}
