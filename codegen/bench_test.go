package codegen_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lagc/lagc/codegen"
	"github.com/lagc/lagc/compiler"
)

// NPendulumSource returns the .lag source of a planar pendulum of n links,
// the workload of bench/sympy_npendulum.py: Cartesian positions
// as let chains, velocities by dot, masses and lengths as parameters.
func nPendulumSource(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "system NPendulum\nconst g = 9.81\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "param m%d = 1, l%d = 1\ncoord th%d\n", k, k, k)
	}
	for k := 1; k <= n; k++ {
		px, py := "0", "0"
		if k > 1 {
			px, py = fmt.Sprintf("x%d", k-1), fmt.Sprintf("y%d", k-1)
		}
		fmt.Fprintf(&b, "let x%d = %s + l%d*sin(th%d)\n", k, px, k, k)
		fmt.Fprintf(&b, "let y%d = %s - l%d*cos(th%d)\n", k, py, k, k)
	}
	b.WriteString("lagrangian = 0")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, " + 0.5*m%d*(dot(x%d)^2 + dot(y%d)^2) - m%d*g*y%d", k, k, k, k, k)
	}
	b.WriteString("\n")
	return b.String()
}

// BenchmarkCompileNPendulum measures the whole pipeline (parse, check,
// derive, plan, print and gofmt the Go file) for the n-link pendulum.
func BenchmarkCompileNPendulum(b *testing.B) {
	for n := 2; n <= 12; n++ {
		src := []byte(nPendulumSource(n))
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var size int
			for b.Loop() {
				u, err := compiler.Compile("npendulum.lag", src)
				if err != nil {
					b.Fatal(err)
				}
				code, err := codegen.Generate(u, codegen.Options{Package: "npendulum"})
				if err != nil {
					b.Fatal(err)
				}
				size = len(code)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

func TestNPendulumCompiles(t *testing.T) {
	for _, n := range []int{1, 2, 5} {
		u, err := compiler.Compile("npendulum.lag", []byte(nPendulumSource(n)))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(u.Info.Coords); got != n {
			t.Errorf("n=%d: %d coordinates", n, got)
		}
		if _, err := codegen.Generate(u, codegen.Options{Package: "npendulum"}); err != nil {
			t.Fatal(err)
		}
	}
}
