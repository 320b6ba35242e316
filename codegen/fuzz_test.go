package codegen_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagc/lagc/codegen"
	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// FuzzGenerate runs the whole pipeline on arbitrary sources: compile (with
// sums unrolled and with every sum kept as a loop), plan, print Go (which
// must parse and gofmt: Generate fails otherwise), and evaluate the plan
// with the interpreter at a random point at every level. Nothing may panic,
// and a source that compiles must generate.
func FuzzGenerate(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/*.lag")
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("system S\nconst N = 3\ncoord x[N]\nparam W[N][N] = 0.1\nlagrangian = sum(i in 0..N-1, 0.5*dot(x[i])^2) + sum(i in 0..N-2, sum(j in i+1..N-1, W[i][j]*x[i]*x[j]))\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, unroll := range []int{0, -1} {
			u, err := compiler.CompileWith("fuzz.lag", src, compiler.Options{Options: dsl.Options{UnrollLimit: unroll}})
			if err != nil {
				return
			}
			if _, err := codegen.Generate(u, codegen.Options{Package: "fuzz"}); err != nil {
				t.Fatalf("compiled but does not generate: %v", err)
			}
			if u.Info.N()+u.Info.P() > 4096 {
				continue
			}
			m := interp.New(u)
			p := lagrttest.RandomPoint(m.Info(), rand.New(rand.NewPCG(1, 2)))
			out := lagrt.NewOut(m.Info())
			for _, w := range []lagrt.Want{lagrt.Level1, lagrt.Level2, lagrt.Level3} {
				m.Eval(w, p, out)
			}
			u.Equations()
		}
	})
}
