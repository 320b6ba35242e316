package interp_test

import (
	"fmt"
	"math"
	"math/cmplx"
	"os"
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
// midpoint scheme's amplitude (docs/math.md §7), to round-off, and converges
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
		if sep > 1e-12 {
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
		if sep > 1e-12 {
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

// TestPeriodicCancellingDrive: a periodic Lagrangian whose value happens
// to cancel to nearly zero at one of the check's test points (a strong
// drive balanced by a constant) is periodic all the same. The rounding of
// cos(t + T) in the strong drive term must not read as an aperiodic
// time dependence (it did, once, in epoch 6 of a full MNIST run).
func TestPeriodicCancellingDrive(t *testing.T) {
	const A, T = 1e8, 2 * math.Pi
	// The check's first test point: t = 0.13·T, q = 0.1, v = 0.55.
	c := -(0.5*0.55*0.55 - 0.5*0.1*0.1 + A*math.Cos(0.13*T)*0.1)
	m := compileSrc(t, fmt.Sprintf("system C\nparam A = %v, c = %v\ncoord q\n"+
		"lagrangian = 0.5*dot(q)^2 - 0.5*4*q^2 + A*cos(t)*q + c\n", A, c))
	sol, err := lagrt.Solve(&lagrt.Problem{Model: m, BC: lagrt.Periodic, T: T, N: 64}, nil)
	if err != nil {
		t.Fatalf("periodic drive rejected: %v", err)
	}
	// ddot(q) + 4q = A cos t: q = A/3 cos t, up to the O(h²) scheme error.
	if got, want := sol.Q[0][0], A/3; math.Abs(got-want) > 1e-2*want {
		t.Errorf("q(0) = %g, want about %g", got, want)
	}
}

// TestDissipationDuffingBranches: a damped driven hardening Duffing
// oscillator ddot(q) + γ·dot(q) + kq + αq³ = F cos νt, periodic, on both stable
// branches of its response curve at ν = 1.4 (started from a small and a
// large guess). Each matches an independent shooting solution (RK4 at a
// step 200 times finer, Newton on the period map) to the discretisation
// error, which falls at order 2.
func TestDissipationDuffingBranches(t *testing.T) {
	const k, alpha, gamma, F, nu = 1.0, 1.0, 0.1, 0.3, 1.4
	m := compileSrc(t, `system DampedDuffing
param k = 1.0, alpha = 1.0, gamma = 0.1, F = 0.3, nu = 1.4
coord q
lagrangian = 0.5*dot(q)^2 - 0.5*k*q^2 - 0.25*alpha*q^4 + F*cos(nu*t)*q
dissipation = 0.5*gamma*dot(q)^2
`)
	T := 2 * math.Pi / nu
	rhs := func(t, q, v float64) (float64, float64) {
		return v, F*math.Cos(nu*t) - gamma*v - k*q - alpha*q*q*q
	}
	const fine = 51200 // RK4 steps per period
	// shoot integrates one period from (q, v), recording q every
	// fine/N steps.
	shoot := func(q, v float64, N int, rec []float64) (float64, float64) {
		hf := T / fine
		for s := range fine {
			if rec != nil && s%(fine/N) == 0 {
				rec[s/(fine/N)] = q
			}
			tt := float64(s) * hf
			k1q, k1v := rhs(tt, q, v)
			k2q, k2v := rhs(tt+hf/2, q+hf/2*k1q, v+hf/2*k1v)
			k3q, k3v := rhs(tt+hf/2, q+hf/2*k2q, v+hf/2*k2v)
			k4q, k4v := rhs(tt+hf, q+hf*k3q, v+hf*k3v)
			q += hf / 6 * (k1q + 2*k2q + 2*k3q + k4q)
			v += hf / 6 * (k1v + 2*k2v + 2*k3v + k4v)
		}
		if rec != nil {
			rec[N] = q
		}
		return q, v
	}
	var amps [2]float64
	for b, A := range []float64{0.3, 1.2} {
		var errs []float64
		for _, N := range []int{128, 256} {
			guess := make([][]float64, N+1)
			for i := range guess {
				guess[i] = []float64{A * math.Cos(nu*T*float64(i)/float64(N))}
			}
			sol, err := lagrt.Solve(&lagrt.Problem{Model: m, BC: lagrt.Periodic, T: T, N: N, Guess: guess}, nil)
			if err != nil {
				t.Fatal(err)
			}
			q, p, sep := sol.Physical(m.Info())
			if sep > 1e-12 {
				t.Errorf("separation %g at the free solution", sep)
			}
			// Shooting from the discrete solution's start.
			x := [2]float64{q[0][0], p[0][0]}
			for range 20 {
				fq, fv := shoot(x[0], x[1], N, nil)
				r := [2]float64{fq - x[0], fv - x[1]}
				if math.Hypot(r[0], r[1]) < 1e-13 {
					break
				}
				const d = 1e-7
				var J [2][2]float64
				for j := range 2 {
					y := x
					y[j] += d
					gq, gv := shoot(y[0], y[1], N, nil)
					J[0][j] = (gq - y[0] - r[0]) / d
					J[1][j] = (gv - y[1] - r[1]) / d
				}
				det := J[0][0]*J[1][1] - J[0][1]*J[1][0]
				x[0] -= (J[1][1]*r[0] - J[0][1]*r[1]) / det
				x[1] -= (-J[1][0]*r[0] + J[0][0]*r[1]) / det
			}
			rec := make([]float64, N+1)
			shoot(x[0], x[1], N, rec)
			e, amp := 0.0, 0.0
			for i := range rec {
				e = max(e, math.Abs(q[i][0]-rec[i]))
				amp = max(amp, math.Abs(rec[i]))
			}
			amps[b] = amp
			t.Logf("branch %d, N = %d: amplitude %.6f, max |q − q_shooting| = %.3e", b, N, amp, e)
			errs = append(errs, e)
		}
		if r := errs[0] / errs[1]; r < 3.6 || r > 4.4 {
			t.Errorf("branch %d: error ratio %.3f between N = 128 and 256, want about 4", b, r)
		}
		if errs[1] > 1e-2*amps[b] {
			t.Errorf("branch %d: error %.3g too large for amplitude %.3g", b, errs[1], amps[b])
		}
	}
	if amps[1]-amps[0] < 0.5 {
		t.Errorf("amplitudes %.4f and %.4f: the guesses did not reach two branches", amps[0], amps[1])
	}
}

// TestDissipationInitialRefused: initial-value problems are not available
// for doubled models (the doubled action is stationary only under fixed or
// periodic conditions).
func TestDissipationInitialRefused(t *testing.T) {
	m := compileSrc(t, ddho)
	_, err := lagrt.Solve(&lagrt.Problem{Model: m, BC: lagrt.Initial, T: 1, N: 10, Q0: []float64{1}, V0: []float64{0}}, nil)
	if err == nil || !strings.Contains(err.Error(), "dissipation") {
		t.Errorf("err = %v, want a refusal naming dissipation", err)
	}
}

// TestDissipationLargeChain: 20 sites, 40 coordinates, sparse: the
// automatic choice of linear solver would be GMRES preconditioned by the
// per-coordinate time problems, which a doubled model does not have (zero
// diagonal); the block solver is used instead.
func TestDissipationLargeChain(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "damped_chain.lag"))
	if err != nil {
		t.Fatal(err)
	}
	m := compileSrc(t, strings.Replace(string(src), "const N = 12", "const N = 20", 1))
	pr := &lagrt.Problem{Model: m, BC: lagrt.Periodic, T: math.Pi, N: 64,
		Input: fn(func(t float64) float64 { return 0.3 * math.Cos(2*t) })}
	sol, err := lagrt.Solve(pr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, p := lagrttest.Stationarity(pr, sol); r > 1e-6 || p > 1e-6 {
		t.Errorf("stationarity residual %.3g, momentum error %.3g", r, p)
	}
}

// TestDissipationTrainTeacher: training by centered EP through the doubled
// action recovers a teacher's damping coefficients and couplings from its
// periodic trajectories (issue 8): a damped chain of 3 sites, every site
// observed, four drives.
func TestDissipationTrainTeacher(t *testing.T) {
	m := compileSrc(t, `system Teach
const N = 3
param k = 2.0, w[N-1] = 0.5, c[N] = 0.2
coord x[N]
input u
target y[N]
lagrangian = sum(i in 0..N-1, 0.5*dot(x[i])^2 - 0.5*k*x[i]^2) - sum(i in 0..N-2, 0.5*w[i]*(x[i+1] - x[i])^2) + x[0]*u
dissipation = sum(i in 0..N-1, 0.5*c[i]*dot(x[i])^2)
cost = sum(i in 0..N-1, 0.5*(x[i] - y[i])^2)
`)
	info := m.Info()
	teacher := []float64{2, 0.8, 0.3, 0.15, 0.35, 0.25} // k, w[0..1], c[0..2]
	const T, N = 2 * math.Pi, 64
	drives := []func(t float64) float64{
		func(t float64) float64 { return 0.5 * math.Cos(t) },
		func(t float64) float64 { return 0.4 * math.Sin(2*t) },
		func(t float64) float64 { return 0.3 * math.Cos(3*t+0.5) },
		func(t float64) float64 { return 0.3*math.Cos(t) + 0.2*math.Sin(2*t) },
	}
	data := &lagrt.Dataset{T: T, N: N, BC: lagrt.Periodic}
	for _, d := range drives {
		in := lagrt.Signal{Func: func(t float64, u []float64) { u[0] = d(t) }}
		sol, err := lagrt.Solve(&lagrt.Problem{Model: m, T: T, N: N, BC: lagrt.Periodic, Theta: teacher, Input: in,
			Target: lagrt.Signal{Func: func(float64, []float64) {}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		q, _, sep := sol.Physical(info)
		if sep > 1e-12 {
			t.Fatalf("teacher's copies separate by %g", sep)
		}
		data.Samples = append(data.Samples, lagrt.Sample{Input: in, Target: lagrt.Signal{Samples: q}})
	}
	start := []float64{2, 0.5, 0.5, 0.3, 0.3, 0.3}
	res, err := lagrt.Train(t.Context(), m, data, start, &lagrt.TrainOptions{
		Optimizer: lagrt.NewAdam(0.02), Epochs: 600, Frozen: []string{"k"}, TargetLoss: 1e-14})
	if err != nil {
		t.Fatalf("%v (θ = %.4f, loss %.3g)", err, res.Theta, res.Loss)
	}
	for i, name := range info.Params {
		if math.Abs(res.Theta[i]-teacher[i]) > 0.01*math.Max(1, teacher[i]) {
			t.Errorf("%s = %.5f, teacher %.5f (loss %.3g)", name, res.Theta[i], teacher[i], res.Loss)
		}
	}
	t.Logf("loss %.3g → %.3g; θ = %.4f (teacher %v)", res.History[0].Loss, res.Loss, res.Theta, teacher)
}
