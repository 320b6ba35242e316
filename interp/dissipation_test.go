package interp_test

import (
	"math"
	"math/cmplx"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

func compileSrc(t testing.TB, src string) *interp.Model {
	t.Helper()
	u, err := compiler.Compile("test.lag", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return interp.New(u)
}

const ddho = `system DDHO
param omega = 1.3, F = 0.7, nu = 2.0, gamma = 0.25
coord q
lagrangian = 0.5*dot(q)^2 - 0.5*omega^2*q^2 + F*cos(nu*t)*q
dissipation = 0.5*gamma*dot(q)^2
`

// TestDissipationClosedForm: the damped driven harmonic oscillator with
// periodic conditions over one period of the drive. The discrete
// solution of the doubled action is q_k = Re(A e^{iνt_k}) with the
// midpoint scheme's amplitude (MATH.md §7), to round-off, and converges
// to the continuous steady state F/(ω² − ν² + iγν) at order 2; the
// copies' separation stays zero.
func TestDissipationClosedForm(t *testing.T) {
	const omega, F, nu, gamma = 1.3, 0.7, 2.0, 0.25
	m := compileSrc(t, ddho)
	if in := m.Info(); in.Physical != 1 || in.N() != 2 {
		t.Fatalf("Physical = %d, N = %d, want 1 and 2", in.Physical, in.N())
	}
	T := 2 * math.Pi / nu
	cont := complex(F, 0) / complex(omega*omega-nu*nu, gamma*nu)
	var prev float64
	for _, N := range []int{32, 64, 128, 256} {
		pr := &lagrt.Problem{Model: m, BC: lagrt.Periodic, T: T, N: N}
		sol, err := lagrt.Solve(pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := T / float64(N)
		c, s := math.Cos(nu*h/2), math.Sin(nu*h/2)
		A := complex(F*c, 0) / complex(omega*omega*c*c-4/(h*h)*s*s, gamma*math.Sin(nu*h)/h)
		q, _, sep := sol.Physical(m.Info())
		var dErr, cErr float64
		for k, row := range q {
			tk := sol.Times[k]
			e := cmplx.Exp(complex(0, nu*tk))
			dErr = max(dErr, math.Abs(row[0]-real(A*e)))
			cErr = max(cErr, math.Abs(row[0]-real(cont*e)))
		}
		dErr /= cmplx.Abs(A)
		cErr /= cmplx.Abs(cont)
		t.Logf("N = %d: |A| = %.12f, relative error to the discrete closed form %.2e, to the continuous steady state %.3e, separation %.1e",
			N, cmplx.Abs(A), dErr, cErr, sep)
		if dErr > 1e-10 {
			t.Errorf("N = %d: relative error %.3g to the discrete closed form > 1e-10", N, dErr)
		}
		if sep != 0 {
			t.Errorf("N = %d: separation %g at the free solution, want 0", N, sep)
		}
		if prev > 0 {
			if order := math.Log2(prev / cErr); order < 1.9 || order > 2.1 {
				t.Errorf("N = %d: convergence order %.3f, want 2", N, order)
			}
		}
		prev = cErr
	}
}

// TestDissipationChainGradients: the damped chain of testdata (per-site
// friction c[i] and couplings w[i] trained), periodic: one-sided and
// centered EP, the adjoint and finite differences agree, the damping
// coefficients' components included, and the nudged copies separate by
// O(β).
func TestDissipationChainGradients(t *testing.T) {
	m := load(t, filepath.Join("..", "testdata", "damped_chain.lag"))
	info := m.Info()
	pr := &lagrt.Problem{Model: m, BC: lagrt.Periodic, T: math.Pi, N: 128,
		Input:  fn(func(t float64) float64 { return 0.3 * math.Cos(2*t) }),
		Target: fn(func(t float64) float64 { return 0.1 * math.Sin(2*t) })}
	grads := map[lagrt.Method][]float64{}
	for _, meth := range []lagrt.Method{lagrt.EPCentered, lagrt.EPOneSided, lagrt.Adjoint, lagrt.FiniteDiff} {
		opt := &lagrt.Options{Beta: 1e-5}
		if meth == lagrt.EPOneSided {
			opt.Beta = 1e-7
		}
		g, err := lagrt.ComputeGradient(pr, meth, opt)
		if err != nil {
			t.Fatalf("%v: %v", meth, err)
		}
		grads[meth] = g.Grad
	}
	adj := grads[lagrt.Adjoint]
	for meth, tol := range map[lagrt.Method]float64{lagrt.EPCentered: 1e-6, lagrt.EPOneSided: 1e-5, lagrt.FiniteDiff: 1e-6} {
		e := lagrttest.RelErr(grads[meth], adj)
		t.Logf("%v vs adjoint: relative error %.2e", meth, e)
		if !(e <= tol) {
			t.Errorf("%v vs adjoint: relative error %.3g > %g", meth, e, tol)
		}
	}
	// The damping coefficients are trained: their gradient is not zero
	// and agrees component by component.
	for i, name := range info.Params {
		if !strings.HasPrefix(name, "c[") {
			continue
		}
		a, f := adj[i], grads[lagrt.FiniteDiff][i]
		if a == 0 || math.Abs(a-f) > 1e-5*math.Abs(a) {
			t.Errorf("dC/d%s: adjoint %.10g, finite differences %.10g", name, a, f)
		}
	}
	free, err := lagrt.Solve(pr, nil)
	if err != nil {
		t.Fatal(err)
	}
	var seps [2]float64
	for j, beta := range []float64{1e-3, 2e-3} {
		sol, err := lagrt.SolveNudged(pr, beta, free, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _, seps[j] = sol.Physical(info)
	}
	if r := seps[1] / seps[0]; seps[0] == 0 || math.Abs(r-2) > 0.01 {
		t.Errorf("nudged separations %.3g, %.3g at β = 1e-3, 2e-3: want O(β)", seps[0], seps[1])
	}
}

// TestDissipationFixedPendulum: a damped pendulum with fixed ends. Its
// equation ml²·ddot(θ) + γ·dot(θ) + mgl·sin θ = 0 is also that of the Caldirola–
// Kanai Lagrangian exp(γt/(ml²))·L, which is fine for fixed ends: the
// two discretisations agree to O(h²).
func TestDissipationFixedPendulum(t *testing.T) {
	doubled := compileSrc(t, `system DampedPendulum
param m = 1.0, l = 1.0, g = 9.81, gamma = 0.4
coord th
lagrangian = 0.5*m*l^2*dot(th)^2 + m*g*l*cos(th)
dissipation = 0.5*gamma*dot(th)^2
`)
	ck := compileSrc(t, `system CKPendulum
param m = 1.0, l = 1.0, g = 9.81, gamma = 0.4
coord th
lagrangian = exp(gamma*t/(m*l^2))*(0.5*m*l^2*dot(th)^2 + m*g*l*cos(th))
`)
	var diffs []float64
	for _, N := range []int{200, 400} {
		pd := &lagrt.Problem{Model: doubled, T: 1.5, N: N, Q0: []float64{1.0}, QT: []float64{-0.5}}
		sd, err := lagrt.Solve(pd, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r, p := lagrttest.Stationarity(pd, sd); r > 1e-6 || p > 1e-6 {
			t.Errorf("stationarity residual %.3g, momentum error %.3g", r, p)
		}
		sc, err := lagrt.Solve(&lagrt.Problem{Model: ck, T: 1.5, N: N, Q0: []float64{1.0}, QT: []float64{-0.5}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		q, _, sep := sd.Physical(doubled.Info())
		if sep != 0 {
			t.Errorf("separation %g at the free solution", sep)
		}
		d := 0.0
		for k := range q {
			d = max(d, math.Abs(q[k][0]-sc.Q[k][0]))
		}
		t.Logf("N = %d: max |θ_doubled − θ_CK| = %.3e", N, d)
		diffs = append(diffs, d)
	}
	if r := diffs[0] / diffs[1]; r < 3.5 || r > 4.5 {
		t.Errorf("difference ratio %.3f between N = 200 and 400, want about 4 (both O(h²))", r)
	}
}

// TestPeriodicNotPeriodic: a periodic problem whose Lagrangian has a
// non-periodic explicit time dependence is an error pointing to
// dissipation.
func TestPeriodicNotPeriodic(t *testing.T) {
	for _, src := range []string{
		"system D\nparam gamma = 0.3\ncoord q\ninput u\nlagrangian = exp(gamma*t)*(0.5*dot(q)^2 - q^2 + u*q)\n",
		"system D\ncoord q\nlagrangian = 0.5*dot(q)^2 - q^2 + cos(3*t)*q\n",
	} {
		m := compileSrc(t, src)
		_, err := lagrt.Solve(&lagrt.Problem{Model: m, BC: lagrt.Periodic, T: math.Pi, N: 64}, nil)
		if err == nil || !strings.Contains(err.Error(), "dissipation") || !strings.Contains(err.Error(), "period") {
			t.Errorf("%q: err = %v, want one about the period pointing to dissipation", src, err)
		}
	}
}
