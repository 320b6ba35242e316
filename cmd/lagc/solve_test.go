package main

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// lagc runs the command in-process and returns stdout, stderr and status.
func lagc(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return out.String(), errb.String(), code
}

// TestSolveClosedForm compares lagc solve on the harmonic oscillator with
// the exact discrete solution of docs/math.md §4:
// q_k = (a sin(Ω(T−t_k)) + b sin(Ω t_k)) / sin(ΩT), Ω = (2/h) atan(ωh/2).
func TestSolveClosedForm(t *testing.T) {
	stdout, stderr, code := lagc(t, "solve", "../../testdata/harmonic.lag", "--T=1.2", "--steps=120",
		"--q0=0.3", "--qT=-0.4", "--param=k=2.25", "--target=y=0.2*sin(3*t)")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		T          []float64   `json:"t"`
		Q          [][]float64 `json:"q"`
		P          [][]float64 `json:"p"`
		Action     *float64    `json:"action"`
		Cost       *float64    `json:"cost"`
		Iterations int         `json:"iterations"`
		Residual   *float64    `json:"residual"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.T) != 121 || len(res.Q) != 121 || len(res.P) != 121 || res.Action == nil || res.Cost == nil || res.Residual == nil {
		t.Fatalf("missing fields: %d times, %d rows, action %v cost %v residual %v", len(res.T), len(res.Q), res.Action, res.Cost, res.Residual)
	}
	const a, b, T, N, omega = 0.3, -0.4, 1.2, 120, 1.5
	h := T / N
	Om := 2 / h * math.Atan(omega*h/2)
	for k, tk := range res.T {
		want := (a*math.Sin(Om*(T-tk)) + b*math.Sin(Om*tk)) / math.Sin(Om*T)
		if d := math.Abs(res.Q[k][0] - want); d > 1e-10 {
			t.Errorf("q[%d] = %.15g, closed form %.15g", k, res.Q[k][0], want)
		}
	}
}

// TestGradMethodsAgree checks centered EP against the adjoint and finite
// differences through the command line, on a nonlinear driven system.
func TestGradMethodsAgree(t *testing.T) {
	base := []string{"grad", "../../testdata/chain.lag", "--bc=periodic", "--T=6.283185307179586", "--steps=128",
		"--input=u=0.3*cos(t)", "--target=y=0.1*sin(t)", "--param=k=2"}
	grads := map[string]map[string]float64{}
	for _, m := range []string{"centered", "adjoint", "fd", "ep"} {
		stdout, stderr, code := lagc(t, append(base, "--method="+m)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", m, code, stderr)
		}
		var res struct {
			Cost   float64            `json:"cost"`
			Method string             `json:"method"`
			Beta   *float64           `json:"beta"`
			Grad   map[string]float64 `json:"grad"`
		}
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatal(err)
		}
		if res.Method != m || res.Beta == nil || len(res.Grad) != 6 {
			t.Fatalf("%s: bad output %s", m, stdout)
		}
		grads[m] = res.Grad
	}
	norm := 0.0
	for _, g := range grads["adjoint"] {
		norm = math.Max(norm, math.Abs(g))
	}
	for name, want := range grads["adjoint"] {
		for m, tol := range map[string]float64{"centered": 1e-6, "fd": 1e-5, "ep": 1e-2} {
			if d := math.Abs(grads[m][name] - want); d > tol*norm {
				t.Errorf("%s: %s = %.10g, adjoint %.10g", name, m, grads[m][name], want)
			}
		}
	}
}

func TestSolveErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0"}, "need --q0 and --qT", 1},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0,1", "--qT=0"}, "--q0 has 2 values, want 1 (q)", 1},
		{[]string{"solve", "../../testdata/harmonic.lag", "--q0=0", "--qT=0"}, "--T must be given", 2},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=0", "--steps=100000000"}, "--steps must be between 2 and 10000000", 2},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=nan"}, "--qT: value 1 (q) is nan; want a finite number", 1},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=1", "--param=zz=3"}, `unknown parameter "zz" (parameters: m, k)`, 1},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=1", "--param=k=x"}, `"x" is not a number`, 1},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=1", "--target=z=t"}, `unknown target "z"`, 1},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=1", "--target=y=q*t"}, `--target=y:1:1: q is a model variable`, 1},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=1", "--bc=loop"}, `want fixed, periodic or initial`, 2},
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=1", "--format=xml"}, `want json or csv`, 2},
		// The discrete oscillator (ω = 2, N = 100) has a conjugate point at
		// Ω T = π, that is T = (2N/ω) tan(π/2N).
		{[]string{"solve", "../../testdata/harmonic.lag", "--T=1.5709255323664917", "--q0=0.3", "--qT=-0.4"}, "singular", 1},
		// The rest state r = 0 of the Kepler problem is outside its domain.
		{[]string{"solve", "../../testdata/kepler.lag", "--bc=periodic", "--T=6"}, "NaN or Inf", 1},
		{[]string{"grad", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=1"}, "give --target=NAME=EXPR for y", 1},
		{[]string{"grad", "../../testdata/harmonic.lag", "--T=1", "--q0=0", "--qT=1", "--target=y=0", "--method=magic"}, "unknown gradient method", 2},
		{[]string{"grad", "../../testdata/damped.lag", "--T=1", "--q0=0", "--qT=1"}, "declares no cost", 1},
	} {
		_, stderr, code := lagc(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("lagc %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, stderr, c.code, c.want)
		}
	}
}

// TestSolveGuess: the Kepler problem's default periodic guess r = 0 is
// outside its domain (NaN); from the guess r = 1 the solver gets to the
// Hessian and reports the zero mode of the cyclic coordinate φ instead.
func TestSolveGuess(t *testing.T) {
	args := []string{"solve", "../../testdata/kepler.lag", "--bc=periodic", "--T=6.283185307179586", "--steps=64"}
	_, stderr, code := lagc(t, args...)
	if code != 1 || !strings.Contains(stderr, "NaN or Inf") || !strings.Contains(stderr, "initial guess is outside") {
		t.Errorf("default guess: exit %d, %s", code, stderr)
	}
	_, stderr, code = lagc(t, append(args, "--guess=1,0")...)
	if code != 1 || !strings.Contains(stderr, "singular") || !strings.Contains(stderr, "zero mode") {
		t.Errorf("guess r = 1: exit %d, %s", code, stderr)
	}
	_, stderr, code = lagc(t, append(args, "--guess=1")...)
	if code != 1 || !strings.Contains(stderr, "--guess has 1 value, want 2 (r,φ)") {
		t.Errorf("short guess: exit %d, %s", code, stderr)
	}
}

// TestSolveContinuation: Newton alone stalls on this double-pendulum
// problem; the continuation fallback solves it and says so.
func TestSolveContinuation(t *testing.T) {
	args := []string{"solve", "../../testdata/double_pendulum.lag", "--T=1.3", "--steps=100", "--q0=0.5,-0.3", "--qT=1,0.2"}
	stdout, stderr, code := lagc(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Continuation int     `json:"continuation"`
		Residual     float64 `json:"residual"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Continuation == 0 || res.Residual > 1e-6 {
		t.Errorf("continuation %d, residual %g", res.Continuation, res.Residual)
	}
	_, stderr, code = lagc(t, append(args, "--no-continuation")...)
	if code != 1 || !strings.Contains(stderr, "no convergence") {
		t.Errorf("--no-continuation: exit %d, %s", code, stderr)
	}
}

func TestSolveCSV(t *testing.T) {
	stdout, stderr, code := lagc(t, "solve", "../../testdata/chain.lag", "--T=1", "--steps=10",
		"--q0=0,0,0,0", "--qT=0.1,0.2,0.3,0.4", "--format=csv")
	if code != 0 {
		t.Fatal(stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 12 || lines[0] != "t,x[0],x[1],x[2],x[3],p_x[0],p_x[1],p_x[2],p_x[3]" {
		t.Fatalf("csv:\n%s", stdout)
	}
	if !strings.HasPrefix(lines[11], "1,0.1,0.2,0.3,0.4,") {
		t.Errorf("last row %q", lines[11])
	}
}
