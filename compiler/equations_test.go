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
