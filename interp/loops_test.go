package interp_test

import (
	"fmt"
	"math"
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
				if err := sameModel(loops, flat, p); err != nil {
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

// sameModel compares every quantity of a and b at p.
func sameModel(a, b lagrt.Model, p *lagrt.Point) error {
	oa, ob := lagrt.NewOut(a.Info()), lagrt.NewOut(b.Info())
	a.Eval(lagrt.Level3, p, oa)
	b.Eval(lagrt.Level3, p, ob)
	close := func(x, y float64) bool { return math.Abs(x-y) <= 1e-12*(1+math.Abs(x)+math.Abs(y)) }
	for q := range lagrt.NumQuantities {
		d := &lagrt.Quantities[q]
		var va, vb []float64
		switch {
		case q == lagrt.QL || q == lagrt.QC:
			va, vb = []float64{oa.Scalar(q)}, []float64{ob.Scalar(q)}
		case d.IsMatrix():
			var err error
			if va, err = lagrttest.DenseMatrix(a.Info(), q, oa); err != nil {
				return err
			}
			if vb, err = lagrttest.DenseMatrix(b.Info(), q, ob); err != nil {
				return err
			}
		default:
			va, vb = oa.Vec(q), ob.Vec(q)
		}
		for i := range va {
			if !close(va[i], vb[i]) {
				return fmt.Errorf("%s[%d]: %.17g with loops, %.17g unrolled", d.Name, i, va[i], vb[i])
			}
		}
	}
	return nil
}
