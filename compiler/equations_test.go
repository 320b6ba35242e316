package compiler_test

import (
	"os"
	"strings"
	"testing"

	"github.com/lagc/lagc/compiler"
)

// TestEquationsGenericIndex prints the Euler–Lagrange equations of the
// looped testdata systems for a generic index and compares them with the
// equations derived by hand (docs/math.md §9's W network: the coupling gives
// Σ_j ½W[k][j] x[j] + Σ_i ½W[i][k] x[i]; the chain's boundary terms are
// guarded).
func TestEquationsGenericIndex(t *testing.T) {
	for _, c := range []struct {
		file string
		want []string
	}{
		{"network.lag", []string{
			"x[k], k = 0..19:",
			"ddot(x[k]) + 0.1*x[k]^3 + k[k]*x[k]",
			"Σ_{j=0..19} (-0.5*W[k][j]*x[j])",
			"Σ_{i=0..19} (-0.5*W[i][k]*x[i])",
			"[k = 0] (-u)",
		}},
		{"sinechain.lag", []string{
			"th[k], k = 0..23:",
			"[k >= 1] (c[k-1]*sin(th[k] - th[k-1]))",
			"[k <= 22] (-c[k]*sin(th[k+1] - th[k]))",
		}},
	} {
		src, err := os.ReadFile("../testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		u, err := compiler.Compile(c.file, src)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, eq := range u.Equations() {
			b.WriteString(eq.String())
		}
		got := b.String()
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing %q in\n%s", c.file, w, got)
			}
		}
	}
}

// TestEquationsIndexCapture: when a source's sums already use k as a loop
// variable, the generic index takes another name, so Σ_k keeps meaning the
// source's sum and W2[k][n] is not printed as W2[k][k].
func TestEquationsIndexCapture(t *testing.T) {
	src := `system Bip
const NH = 12, NO = 10
param W[NO][NH] = 0.1
coord h[NH], y[NO]
lagrangian = sum(j in 0..NH-1, 0.5*dot(h[j])^2 - 0.5*h[j]^2) + sum(k in 0..NO-1, 0.5*dot(y[k])^2)
           + sum(k in 0..NO-1, sum(j in 0..NH-1, W[k][j]*y[k]*h[j]))
`
	u, err := compiler.Compile("bip.lag", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, eq := range u.Equations() {
		b.WriteString(eq.String())
	}
	got := b.String()
	for _, w := range []string{"h[n], n = 0..11:", "Σ_{k=0..9} (-W[k][n]*y[k])", "y[n], n = 0..9:", "Σ_{j=0..11} (-W[n][j]*h[j])"} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
	if strings.Contains(got, "W[k][k]") {
		t.Errorf("generic index captured by the sum over k:\n%s", got)
	}
}

// TestNonFiniteDerivatives: constants whose derivatives overflow float64
// are positioned errors, not Go code with +Inf in it (issue 11 item 5).
func TestNonFiniteDerivatives(t *testing.T) {
	for _, l := range []string{"0.5*dot(x)^2 - c*x^2", "0.5*dot(x)^2 - x^1e300", "0.5*dot(x)^2 - 1e308*x^4"} {
		src := "system F\nconst c = 1e308\ncoord x\nlagrangian = " + l + "\n"
		_, err := compiler.Compile("f.lag", []byte(src))
		if err == nil || !strings.HasPrefix(err.Error(), "f.lag:4:1: a derivative of the lagrangian overflows float64") {
			t.Errorf("%s: error %v", l, err)
		}
	}
}

// TestLinearInVelocity: a Lagrangian linear in a velocity has a singular
// ∂²L/∂v², an error at the coordinate's declaration (issue 11 item 4).
func TestLinearInVelocity(t *testing.T) {
	_, err := compiler.Compile("z.lag", []byte("system Z\ncoord x\nlagrangian = dot(x) - 0.5*x^2\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "z.lag:2:7: ∂²L/∂dot(x)² is zero") {
		t.Errorf("error %v", err)
	}
	if _, err := compiler.Compile("z.lag", []byte("system Z\ncoord x, y\nlagrangian = 0.5*dot(x)^2 + dot(x)*dot(y)\n")); err != nil {
		t.Errorf("an off-diagonal kinetic term counts: %v", err)
	}
}

// TestAperiodicTime: the compiler names explicit time outside sines and
// cosines (issue 8), which periodic problems quote when they fail their
// periodicity check.
func TestAperiodicTime(t *testing.T) {
	for _, c := range []struct{ l, want string }{
		{"exp(gamma*t)*(0.5*dot(q)^2 - 0.5*q^2)", "exp(gamma*t)"},
		{"0.5*dot(q)^2 - 0.5*q^2 + cos(2*t)*q", ""},
		{"0.5*dot(q)^2 - 0.5*q^2", ""},
	} {
		u, err := compiler.Compile("a.lag", []byte("system A\nparam gamma = 0.3\ncoord q\nlagrangian = "+c.l+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := u.Info.AperiodicTime; got != c.want {
			t.Errorf("%s: AperiodicTime %q, want %q", c.l, got, c.want)
		}
	}
}
