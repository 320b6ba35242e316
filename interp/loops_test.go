package interp_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

func loadWith(t testing.TB, path string, unroll int) *interp.Model {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := compiler.CompileWith(filepath.Base(path), src, compiler.Options{Options: dsl.Options{UnrollLimit: unroll}})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return interp.New(u)
}

// TestLoopsMatchUnrolled compiles every testdata system twice, with every
// sum kept as a loop and with every sum unrolled into scalars, and checks
// that both give the same values (matrices compared densely, through
// their different patterns), and that the looped one's derivatives pass
// the finite-difference check.
func TestLoopsMatchUnrolled(t *testing.T) {
	for _, path := range testdataFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			loops := loadWith(t, path, -1)
			flat := loadWith(t, path, 1<<20)
			rng := rand.New(rand.NewPCG(3, 4))
			for range 3 {
				p := lagrttest.RandomPoint(loops.Info(), rng)
				if err := lagrttest.Compare(loops, flat, p, 1e-12); err != nil {
					t.Fatal(err)
				}
				if err := lagrttest.CheckLevels(loops, p); err != nil {
					t.Error(err)
				}
			}
			if n := loops.Info().N(); n <= 100 {
				p := lagrttest.RandomPoint(loops.Info(), rng)
				if err := lagrttest.CheckDerivatives(loops, p, 1e-6); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// networkSource is the all-to-all network of testdata/network.lag with n
// oscillators.
func networkSource(n int) string {
	return fmt.Sprintf(`system Net
const N = %d, a = 0.1
param k[N] = 1.0, W[N][N] = 0.0
coord x[N]
input u
target y
lagrangian = sum(i in 0..N-1, 0.5*dot(x[i])^2 - 0.5*k[i]*x[i]^2 - 0.25*a*x[i]^4)
           + sum(i in 0..N-1, sum(j in 0..N-1, 0.5*W[i][j]*x[i]*x[j]))
           + u*x[0]
cost = 0.5*(x[N-1] - y)^2
`, n)
}

// BenchmarkEvalNetwork measures the interpreter on a large looped model
// (n = 256: 65,792 parameters), per evaluation at the Newton level.
func BenchmarkEvalNetwork(b *testing.B) {
	u, err := compiler.Compile("net.lag", []byte(networkSource(256)))
	if err != nil {
		b.Fatal(err)
	}
	m := interp.New(u)
	p := lagrttest.RandomPoint(m.Info(), rand.New(rand.NewPCG(1, 1)))
	out := lagrt.NewOut(m.Info())
	for _, lvl := range []lagrt.Want{lagrt.Level1, lagrt.Level2, lagrt.Level3} {
		b.Run(fmt.Sprintf("Level%d", lagrt.LevelOf(lvl)), func(b *testing.B) {
			for b.Loop() {
				m.Eval(lvl, p, out)
			}
		})
	}
}
