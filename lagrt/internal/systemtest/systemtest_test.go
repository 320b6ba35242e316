// Package systemtest tests runtime diagnostics on interpreted systems
// written in the .lag language: a singular kinetic matrix, and the
// a-posteriori discretisation error estimate. Like continuationtest it
// lives outside package lagrt so that the runtime's own test binary keeps
// its code layout for the benchmarks.
package systemtest_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
)

// compile compiles a .lag source for the interpreter.
func compile(t testing.TB, src string) lagrt.Model {
	t.Helper()
	u, err := compiler.Compile("test.lag", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return interp.New(u)
}

const springPendulum = `
system SpringPendulum
const g = 9.81, l = 1, k = 40
coord r, th
input u
lagrangian = 0.5*(dot(r)^2 + r^2*dot(th)^2) - 0.5*k*(r - l)^2 + g*r*cos(th) + u*r*sin(th)
`

// A driven spring pendulum in polar coordinates, periodic: at the default
// guess r = 0 its kinetic matrix diag(1, r²) is singular. The error says
// so and suggests a guess, instead of blaming the time-shift zero mode
// of autonomous systems (it is driven); from r = 1 it solves.
func TestSingularKineticMatrix(t *testing.T) {
	m := compile(t, springPendulum)
	nu := 2.0
	pr := &lagrt.Problem{Model: m, T: 2 * math.Pi / nu, N: 64, BC: lagrt.Periodic,
		Input: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.5 * math.Cos(nu*t) }}}
	_, err := lagrt.Solve(pr, nil)
	if !errors.Is(err, lagrt.ErrSingular) {
		t.Fatalf("error %v, want ErrSingular", err)
	}
	t.Log(err)
	msg := err.Error()
	for _, want := range []string{"kinetic matrix", "singular on 64 of 64 steps", "at the initial guess", "default guess", "give an initial guess"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "zero mode") || strings.Contains(msg, "Problem.") || strings.Contains(msg, "Options.") {
		t.Errorf("error %q blames the zero mode or names API fields", msg)
	}
	guess := make([][]float64, pr.N+1)
	for k := range guess {
		guess[k] = []float64{1, 0}
	}
	pr.Guess = guess
	sol, err := lagrt.Solve(pr, nil)
	if err != nil {
		t.Fatalf("from r = 1: %v", err)
	}
	if r := sol.Q[0][0]; !(r > 1) {
		t.Errorf("r(0) = %g", r)
	}
}

// Runtime hints are neutral ("give an initial guess"), naming no API
// field, so that the command line can add its own flag names.
func TestHintsNeutral(t *testing.T) {
	logModel := compile(t, "system L\ncoord q\nlagrangian = 0.5*dot(q)^2 + log(q)\n")
	coupled := compile(t, `
system Coupled
coord x, y
input u
lagrangian = 0.5*(dot(x)^2 + dot(y)^2) - x^2 - 1.5*y^2 - 0.3*x*y - 0.125*(x^4 + y^4) + u*x
`)
	for _, c := range []struct {
		name string
		pr   *lagrt.Problem
		want string
	}{
		{"NaN at the guess", &lagrt.Problem{Model: logModel, T: 1, N: 20, Q0: []float64{-1}, QT: []float64{-2}}, "give an initial guess"},
		{"periodic branch", &lagrt.Problem{Model: coupled, T: math.Pi, N: 100, BC: lagrt.Periodic,
			Input: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 3 * math.Sin(2*t) }}}, "give an initial guess"},
	} {
		_, err := lagrt.Solve(c.pr, nil)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		t.Logf("%s: %v", c.name, err)
		msg := err.Error()
		if !strings.Contains(msg, c.want) || strings.Contains(msg, "Problem.") || strings.Contains(msg, "Options.") {
			t.Errorf("%s: error %q: want %q and no API names", c.name, msg, c.want)
		}
	}
}
